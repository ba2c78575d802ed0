// Finds templates for include/import/extends under the -c directory, refusing names that
// are absolute or climb out with "..", and reads them as UTF-8 text.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

namespace lava::tmpl {

// The text of template `name` under `root`, or nullopt when there is no such file.
// Throws EvalError for unsafe names (absolute, "..", or resolving outside `root`) and for
// files that are not valid UTF-8.
std::optional<std::string> load_template_source(const std::filesystem::path& root,
                                                const std::string& name);

// Reads a whole file as UTF-8 text with universal newlines (what Python's open() gives).
// Throws EvalError when it cannot be read or is not UTF-8.
std::string read_text_file(const std::filesystem::path& path);

}  // namespace lava::tmpl
