#include "template/objects.h"

#include "template/environment.h"
#include "template/errors.h"
#include "template/methods.h"
#include "template/pyops.h"
#include "template/undefined.h"

namespace lava::tmpl {

namespace {

Value bound(std::string name, std::function<Value(Runtime&, CallArgs&)> fn) {
  return make_function(std::move(name), std::move(fn));
}

struct LocationGuard {
  LocationGuard(Runtime& r, const std::string& tmpl)
      : rt(r), line(r.line), name(r.current_template) {
    rt.current_template = tmpl;
  }
  ~LocationGuard() {
    rt.line = line;
    rt.current_template = std::move(name);
  }
  Runtime& rt;
  int line;
  std::string name;
};

}  // namespace

Value make_function(std::string name, std::function<Value(Runtime&, CallArgs&)> fn) {
  auto f = std::make_shared<FunctionObj>();
  f->name = std::move(name);
  f->fn = std::move(fn);
  return Value::object(f);
}

// ---------------------------------------------------------------- macros

std::string MacroObj::repr() const {
  return "<Macro " + repr_string(def->name) + ">";
}

std::optional<Value> MacroObj::get_attr(std::string_view name, Runtime&) {
  if (name == "name") return Value(def->name);
  if (name == "arguments") {
    std::vector<Value> args;
    for (const auto& a : def->args) args.emplace_back(a);
    return Value::tuple(std::move(args));
  }
  if (name == "catch_kwargs") return Value(def->catch_kwargs);
  if (name == "catch_varargs") return Value(def->catch_varargs);
  if (name == "caller") return Value(def->caller);
  return std::nullopt;
}

Value MacroObj::call(Runtime& rt, CallArgs& args) {
  Runtime::DepthGuard depth(rt);
  const MacroDef& d = *def;
  const size_t n = d.args.size();
  auto scope = std::make_shared<Scope>();
  scope->parent = closure;
  scope->ctx = closure->ctx;
  scope->state = closure->state;
  scope->output_check = false;

  std::vector<std::optional<Value>> values(n);
  size_t npos = std::min(args.pos.size(), n);
  for (size_t i = 0; i < npos; ++i) values[i] = args.pos[i];
  auto& kwargs = args.kw;
  auto pop_kw = [&](const std::string& key) -> std::optional<Value> {
    for (auto it = kwargs.begin(); it != kwargs.end(); ++it) {
      if (it->first == key) {
        Value v = std::move(it->second);
        kwargs.erase(it);
        return v;
      }
    }
    return std::nullopt;
  };
  bool found_caller = false;
  if (npos != n) {
    for (size_t i = npos; i < n; ++i) {
      values[i] = pop_kw(d.args[i]);
      if (d.args[i] == "caller") found_caller = true;
    }
  } else {
    for (const auto& a : d.args)
      if (a == "caller") found_caller = true;
  }
  if (d.caller && !found_caller) {
    auto caller = pop_kw("caller");
    scope->locals.emplace_back("caller", caller ? *caller : undefined_hint("No caller defined"));
  }
  if (d.catch_kwargs) {
    Value kw = Value::dict();
    for (auto& [k, v] : kwargs) kw.dict_ref().set(Value(k), v);
    scope->locals.emplace_back("kwargs", kw);
  } else if (!kwargs.empty()) {
    for (const auto& [k, v] : kwargs)
      if (k == "caller")
        throw TypeErr("macro " + repr_string(d.name) +
                      " was invoked with two values for the special caller argument. This is "
                      "most likely a bug.");
    throw TypeErr("macro " + repr_string(d.name) + " takes no keyword argument " +
                  repr_string(kwargs.front().first));
  }
  if (d.catch_varargs) {
    std::vector<Value> rest;
    for (size_t i = n; i < args.pos.size(); ++i) rest.push_back(args.pos[i]);
    scope->locals.emplace_back("varargs", Value::tuple(std::move(rest)));
  } else if (args.pos.size() > n) {
    throw TypeErr("macro " + repr_string(d.name) + " takes not more than " + std::to_string(n) +
                  " argument(s)");
  }
  LocationGuard where(rt, tmpl_name);
  const size_t first_default = n - d.defaults.size();
  for (size_t i = 0; i < n; ++i) {
    if (values[i]) {
      scope->set(d.args[i], std::move(*values[i]));
    } else if (i >= first_default) {
      scope->set(d.args[i], rt.eval(*d.defaults[i - first_default], scope));
    } else {
      scope->set(d.args[i],
                 undefined_hint("parameter " + repr_string(d.args[i]) + " was not provided"));
    }
  }
  return rt.buffer_value(rt.capture(d.body, scope));
}

// ---------------------------------------------------------------- loop

std::string LoopObj::repr() const {
  return "<LoopContext " + std::to_string(index0 + 1) + "/" + std::to_string(items.size()) + ">";
}

std::optional<Value> LoopObj::get_attr(std::string_view name, Runtime&) {
  const auto len = static_cast<int64_t>(items.size());
  if (name == "index") return Value(index0 + 1);
  if (name == "index0") return Value(index0);
  if (name == "revindex") return Value(len - index0);
  if (name == "revindex0") return Value(len - index0 - 1);
  if (name == "first") return Value(index0 == 0);
  if (name == "last") return Value(index0 == len - 1);
  if (name == "length") return Value(len);
  if (name == "depth") return Value(static_cast<int64_t>(depth0 + 1));
  if (name == "depth0") return Value(static_cast<int64_t>(depth0));
  if (name == "previtem") {
    if (index0 == 0) return undefined_hint("there is no previous item");
    return items[static_cast<size_t>(index0 - 1)];
  }
  if (name == "nextitem") {
    if (index0 + 1 >= len) return undefined_hint("there is no next item");
    return items[static_cast<size_t>(index0 + 1)];
  }
  if (name == "cycle") {
    auto self = std::static_pointer_cast<LoopObj>(shared_from_this());
    return bound("cycle", [self](Runtime&, CallArgs& a) -> Value {
      if (a.pos.empty()) throw TypeErr("no items for cycling given");
      return a.pos[static_cast<size_t>(self->index0 % static_cast<int64_t>(a.pos.size()))];
    });
  }
  if (name == "changed") {
    auto self = std::static_pointer_cast<LoopObj>(shared_from_this());
    return bound("changed", [self](Runtime&, CallArgs& a) -> Value {
      Value now = Value::tuple(a.pos);
      if (!self->has_changed || !py_eq(self->last_changed, now)) {
        self->has_changed = true;
        self->last_changed = now;
        return Value(true);
      }
      return Value(false);
    });
  }
  return std::nullopt;
}

bool LoopObj::iterate(std::vector<Value>&, Runtime*) {
  return false;
}

Value LoopObj::call(Runtime& rt, CallArgs& args) {
  if (!stmt) throw TypeErr("The loop must have the 'recursive' marker to be called recursively.");
  if (args.pos.size() != 1) throw TypeErr("loop() takes exactly one argument");
  Runtime::DepthGuard depth(rt);
  std::string out;
  rt.run_loop(*stmt, py_iter(args.pos[0], &rt), scope, out, depth0 + 1);
  return rt.buffer_value(std::move(out));
}

// ---------------------------------------------------------------- namespace, cycler, joiner

std::string NamespaceObj::repr() const {
  return "<Namespace " + py_repr(Value::from_dict(attrs)) + ">";
}

std::optional<Value> NamespaceObj::get_attr(std::string_view name, Runtime&) {
  if (const Value* v = attrs->find(name)) return *v;
  return std::nullopt;
}

std::optional<Value> CyclerObj::get_attr(std::string_view name, Runtime&) {
  if (name == "current") return items[pos];
  if (name == "items") return Value::list(items);
  if (name == "next" || name == "__next__") {
    auto self = std::static_pointer_cast<CyclerObj>(shared_from_this());
    return bound("next", [self](Runtime&, CallArgs&) -> Value {
      Value v = self->items[self->pos];
      self->pos = (self->pos + 1) % self->items.size();
      return v;
    });
  }
  if (name == "reset") {
    auto self = std::static_pointer_cast<CyclerObj>(shared_from_this());
    return bound("reset", [self](Runtime&, CallArgs&) -> Value {
      self->pos = 0;
      return Value::none();
    });
  }
  return std::nullopt;
}

Value JoinerObj::call(Runtime&, CallArgs&) {
  if (!used) {
    used = true;
    return Value("");
  }
  return Value(sep);
}

// ---------------------------------------------------------------- modules and blocks

std::string ModuleObj::repr() const {
  return "<Template " + repr_string(name) + ">";
}

std::optional<Value> ModuleObj::get_attr(std::string_view attr, Runtime&) {
  if (const Value* v = exports->find(attr)) return *v;
  return std::nullopt;
}

std::string TemplateRefObj::repr() const {
  return "<TemplateReference " + repr_string(ctx->tmpl->name) + ">";
}

std::optional<Value> TemplateRefObj::get_attr(std::string_view, Runtime&) {
  return std::nullopt;
}

std::optional<Value> TemplateRefObj::get_item(const Value& key, Runtime&) {
  if (!key.is_string()) return std::nullopt;
  if (!ctx->blocks.count(key.str())) return std::nullopt;
  auto ref = std::make_shared<BlockRefObj>();
  ref->ctx = ctx;
  ref->name = key.str();
  ref->index = 0;
  return Value::object(ref);
}

std::string BlockRefObj::repr_name() const {
  return repr_string(name);
}

std::optional<Value> BlockRefObj::get_attr(std::string_view attr, Runtime&) {
  if (attr == "super") {
    const auto& chain = ctx->blocks[name];
    if (index + 1 >= chain.size())
      return undefined_hint("there is no parent block called " + repr_string(name) + ".");
    auto ref = std::make_shared<BlockRefObj>();
    ref->ctx = ctx;
    ref->name = name;
    ref->index = index + 1;
    return Value::object(ref);
  }
  return std::nullopt;
}

Value BlockRefObj::call(Runtime& rt, CallArgs&) {
  return rt.buffer_value(rt.render_block(ctx, name, index, nullptr));
}

// ---------------------------------------------------------------- methods, ranges

std::string BoundMethodObj::repr() const {
  return "<built-in method " + name + " of " + py_type_name(self) + " object>";
}

Value BoundMethodObj::call(Runtime& rt, CallArgs& args) {
  return call_method(rt, self, name, args);
}

int64_t RangeObj::size() const {
  if (step > 0 && start < stop) return (stop - start - 1) / step + 1;
  if (step < 0 && start > stop) return (start - stop - 1) / (-step) + 1;
  return 0;
}

std::string RangeObj::repr() const {
  std::string out = "range(" + std::to_string(start) + ", " + std::to_string(stop);
  if (step != 1) out += ", " + std::to_string(step);
  return out + ")";
}

std::optional<Value> RangeObj::get_attr(std::string_view name, Runtime&) {
  if (name == "start") return Value(start);
  if (name == "stop") return Value(stop);
  if (name == "step") return Value(step);
  return std::nullopt;
}

std::optional<Value> RangeObj::get_item(const Value& key, Runtime&) {
  if (!key.is_int() && !key.is_bool()) return std::nullopt;
  int64_t i = key.as_int(), n = size();
  if (i < 0) i += n;
  if (i < 0 || i >= n) return std::nullopt;
  return at(i);
}

bool RangeObj::iterate(std::vector<Value>& out, Runtime* rt) {
  int64_t n = size();
  const int64_t limit = rt ? rt->env.options().limits.max_range : RenderLimits{}.max_range;
  if (n > limit)
    throw EvalError("range too large to iterate (" + std::to_string(n) + " items; limit " +
                    std::to_string(limit) + ")");
  out.reserve(out.size() + static_cast<size_t>(n));
  for (int64_t i = 0; i < n; ++i) out.push_back(at(i));
  return true;
}

bool RangeObj::equals(const ObjectHeap& other) const {
  const auto* r = dynamic_cast<const RangeObj*>(&other);
  if (!r) return false;
  int64_t n = size();
  if (n != r->size()) return false;
  if (n == 0) return true;
  if (start != r->start) return false;
  return n == 1 || step == r->step;
}

}  // namespace lava::tmpl
