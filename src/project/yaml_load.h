// YAML read the way PyYAML's safe_load reads it (the lava framework's loader), into
// JSON values that keep mapping order.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace lava::project {

using Json = nlohmann::ordered_json;

// Parses `text`; `source` names the file in errors ("config/dev.yaml:3:7: ...").
// Plain scalars resolve with YAML 1.1 rules: yes/no/on/off/true/false are booleans,
// ~/null/empty are null, 0x/0o-style/decimal integers, floats need a dot (1.10 is a
// float, 1e5 a string). Quoted scalars are always strings. Empty documents are null.
Json load_yaml(std::string_view text, const std::string& source);

// Reads and parses a YAML file (JSON when the name ends in .json or .jsn).
Json load_yaml_file(const std::string& path);

}  // namespace lava::project
