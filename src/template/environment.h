// The rendering environment: delimiters and options, the template loader and its cache,
// and the global functions every template sees (range, dict, namespace, ...).
#pragma once

#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "template/ast.h"
#include "template/errors.h"
#include "template/lexer.h"
#include "template/render.h"
#include "template/value.h"

namespace lava::tmpl {

class Environment {
 public:
  explicit Environment(RenderOptions options);

  const RenderOptions& options() const { return options_; }
  const Delimiters& delimiters() const { return delimiters_; }

  // Parses template text.
  std::shared_ptr<Template> from_string(std::string_view source, const std::string& name);
  // Loads a template by name from the -c directory (cached). Throws NotFoundErr, or
  // EvalError for names that try to leave the directory.
  std::shared_ptr<Template> get_template(const std::string& name);

  // range, dict, lipsum, cycler, joiner, namespace.
  const std::shared_ptr<DictHeap>& globals() const { return globals_; }
  // Render parameters: `params` plus the built-ins the options ask for, over the globals.
  std::shared_ptr<DictHeap> make_vars(const nlohmann::ordered_json& params) const;

 private:
  RenderOptions options_;
  Delimiters delimiters_;
  std::shared_ptr<DictHeap> globals_;
  std::map<std::string, std::shared_ptr<Template>> cache_;
};

// Converts JSON parameters to template values (objects become dicts keeping key order).
Value json_to_value(const nlohmann::ordered_json& j);

}  // namespace lava::tmpl
