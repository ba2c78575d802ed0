// Runtime objects a template can hold: macros, loop contexts, namespaces, cyclers,
// joiners, imported template modules, block references, bound methods, builtin functions
// and ranges.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "template/ast.h"
#include "template/runtime.h"
#include "template/value.h"

namespace lava::tmpl {

// A {% macro %} (or the `caller` of a {% call %} block) bound to the frame it was defined in.
struct MacroObj final : ObjectHeap {
  std::shared_ptr<MacroDef> def;
  std::shared_ptr<Scope> closure;
  std::string tmpl_name;  // template the macro was defined in (for error locations)

  std::string type_name() const override { return "Macro"; }
  std::string module_name() const override { return "jinja2.runtime"; }
  std::string repr() const override;
  std::optional<Value> get_attr(std::string_view name, Runtime& rt) override;
  bool is_callable() const override { return true; }
  Value call(Runtime& rt, CallArgs& args) override;
};

// The `loop` variable of a for loop.
struct LoopObj final : ObjectHeap {
  std::vector<Value> items;
  int64_t index0 = 0;
  int depth0 = 0;
  bool has_changed = false;
  Value last_changed;
  const ForStmt* stmt = nullptr;  // set for recursive loops
  std::shared_ptr<Scope> scope;   // the frame the loop runs in (recursive loops)
  std::string* out = nullptr;

  std::string type_name() const override { return "LoopContext"; }
  std::string module_name() const override { return "jinja2.runtime"; }
  std::string repr() const override;
  std::optional<Value> get_attr(std::string_view name, Runtime& rt) override;
  std::optional<int64_t> length() const override { return static_cast<int64_t>(items.size()); }
  bool iterate(std::vector<Value>& out, Runtime* rt) override;
  bool is_callable() const override { return true; }
  Value call(Runtime& rt, CallArgs& args) override;
};

// namespace(): an object whose attributes can be assigned with {% set ns.x = ... %}.
struct NamespaceObj final : ObjectHeap {
  std::shared_ptr<DictHeap> attrs = std::make_shared<DictHeap>();
  std::string type_name() const override { return "Namespace"; }
  std::string module_name() const override { return "jinja2.utils"; }
  std::string repr() const override;
  std::optional<Value> get_attr(std::string_view name, Runtime& rt) override;
};

struct CyclerObj final : ObjectHeap {
  std::vector<Value> items;
  size_t pos = 0;
  std::string type_name() const override { return "Cycler"; }
  std::string module_name() const override { return "jinja2.utils"; }
  std::optional<Value> get_attr(std::string_view name, Runtime& rt) override;
};

struct JoinerObj final : ObjectHeap {
  std::string sep;
  bool used = false;
  std::string type_name() const override { return "Joiner"; }
  std::string module_name() const override { return "jinja2.utils"; }
  bool is_callable() const override { return true; }
  Value call(Runtime& rt, CallArgs& args) override;
};

// An imported template: its exported names as attributes, its output as str().
struct ModuleObj final : ObjectHeap {
  std::shared_ptr<DictHeap> exports = std::make_shared<DictHeap>();
  std::string body;
  std::string name;
  std::string type_name() const override { return "TemplateModule"; }
  std::string module_name() const override { return "jinja2.environment"; }
  std::string repr() const override;
  std::string str() const override { return body; }
  std::optional<Value> get_attr(std::string_view name, Runtime& rt) override;
};

// `self`: gives access to the blocks of the current template (self.blockname()).
struct TemplateRefObj final : ObjectHeap {
  std::shared_ptr<Context> ctx;
  std::string type_name() const override { return "TemplateReference"; }
  std::string module_name() const override { return "jinja2.runtime"; }
  std::string repr() const override;
  std::optional<Value> get_attr(std::string_view name, Runtime& rt) override;
  std::optional<Value> get_item(const Value& key, Runtime& rt) override;
};

// super() / self.name: one entry of a block chain, callable to render it.
struct BlockRefObj final : ObjectHeap {
  std::shared_ptr<Context> ctx;
  std::string name;
  size_t index = 0;
  std::string type_name() const override { return "BlockReference"; }
  std::string module_name() const override { return "jinja2.runtime"; }
  std::string repr() const override { return "<BlockReference " + repr_name() + ">"; }
  std::string repr_name() const;
  std::optional<Value> get_attr(std::string_view name, Runtime& rt) override;
  bool is_callable() const override { return true; }
  Value call(Runtime& rt, CallArgs& args) override;
};

// A method looked up on a value (str.upper, dict.items, ...), called later.
struct BoundMethodObj final : ObjectHeap {
  Value self;
  std::string name;
  std::string type_name() const override { return "builtin_function_or_method"; }
  std::string repr() const override;
  bool is_callable() const override { return true; }
  Value call(Runtime& rt, CallArgs& args) override;
};

// A global function (range, dict, cycler, ...) or a builtin helper.
struct FunctionObj final : ObjectHeap {
  std::string name;
  std::function<Value(Runtime&, CallArgs&)> fn;
  std::string type_name() const override { return "function"; }
  std::string repr() const override { return "<function " + name + ">"; }
  bool is_callable() const override { return true; }
  Value call(Runtime& rt, CallArgs& args) override { return fn(rt, args); }
};

// range(start, stop, step), lazily.
struct RangeObj final : ObjectHeap {
  int64_t start = 0, stop = 0, step = 1;
  int64_t size() const;
  Value at(int64_t i) const { return Value(start + i * step); }
  std::string type_name() const override { return "range"; }
  std::string repr() const override;
  std::optional<Value> get_attr(std::string_view name, Runtime& rt) override;
  std::optional<Value> get_item(const Value& key, Runtime& rt) override;
  std::optional<int64_t> length() const override { return size(); }
  bool truthy() const override { return size() > 0; }
  bool iterate(std::vector<Value>& out, Runtime* rt) override;
  bool is_sequence() const override { return true; }
  bool equals(const ObjectHeap& other) const override;
};

Value make_function(std::string name, std::function<Value(Runtime&, CallArgs&)> fn);

}  // namespace lava::tmpl
