// Public entry point of the template engine: Jinja2 3.1 compatible rendering, configured
// the way the lava framework's `jinja` command configures it.
#pragma once

#include <filesystem>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "template/errors.h"

namespace lava::tmpl {

// Bounds that make hostile or runaway templates fail cleanly instead of exhausting the machine.
struct RenderLimits {
  int max_call_depth = 240;                  // nested macro calls, includes, imports, blocks
  int64_t max_loop_iterations = 50'000'000;  // for-loop iterations in one render
  int64_t max_range = 10'000'000;            // items one range() may produce
  size_t max_output = size_t{1} << 30;       // bytes of rendered output (per buffer)
};

struct RenderOptions {
  char delimiter = '{';  // -d: '{' gives {{ }} {% %} {# #}; '<' gives <{ }> <% %> <# #>; pairs {}
                         // <> [] (); any other char used on both sides
  bool autoescape = false;                 // -a
  std::filesystem::path search_dir = ".";  // -c: root for include/import/extends
  bool search_path = true;                 // false = -P
  bool builtins = true;                    // false = -B (no jinja.*, lava.*)
  bool environ = true;                     // false = -E (no `environ`)
  nlohmann::ordered_json realm_info =
      nlohmann::ordered_json::object();  // gives lava.realm etc. (contents of
                                         // dist/<env>/.realm.json)
  // Template names reported as jinja.templates (the CLI's template arguments).
  std::vector<std::string> templates;
  // Answers lava.aws.* ("account", "region", "ecr_uri", "user") when a template uses them;
  // called lazily, only then. Unset: using lava.aws.* is an error saying AWS access is
  // not available to the renderer.
  std::function<std::string(const std::string& key)> aws_info;
  RenderLimits limits;
  // false: each render's parse tree and runtime state stay allocated until the Renderer is
  // destroyed, so a process that exits right after rendering (the CLI) can skip freeing
  // them (tearing down a big template's tree shows in a whole run's time).
  bool free_after_render = true;
};

// Renders `source` (template text named `name` for errors) with `params` (the merged -f/-p/-l
// parameters, a JSON object whose ints/floats/bools/null/strings/lists/maps keep their types)
// exactly as Python Jinja2 3.1 (Debian python3-jinja2 3.1.2) Template.render would, WITHOUT
// the extra trailing newline that the CLI's print adds.
// Errors: TemplateError, what() == "NAME:LINE: message".
std::string render_string(std::string_view source, const std::string& name,
                          const nlohmann::ordered_json& params, const RenderOptions& options);

// Renders several templates with the same options and parameters, parsing included files
// once (what the CLI uses). Parameters are converted once.
class Renderer {
 public:
  Renderer(const nlohmann::ordered_json& params, const RenderOptions& options);
  ~Renderer();
  Renderer(const Renderer&) = delete;
  Renderer& operator=(const Renderer&) = delete;
  std::string render(std::string_view source, const std::string& name);

 private:
  std::string render_here(std::string_view source, const std::string& name);
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace lava::tmpl
