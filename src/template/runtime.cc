#include "template/runtime.h"

#include "pytext/utf8.h"
#include "template/environment.h"
#include "template/errors.h"
#include "template/methods.h"
#include "template/objects.h"
#include "template/pyops.h"
#include "template/undefined.h"

namespace lava::tmpl {

namespace {

// Restores the current line and template name when leaving a call, also on errors.
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

void Context::set_var(const std::string& name, Value v) {
  vars->set(Value(name), std::move(v));
}

const Value* Context::find(std::string_view name) const {
  if (const Value* v = vars->find(name)) return v;
  return parent->find(name);
}

Value* Scope::find_local(std::string_view name) {
  for (auto& [k, v] : locals)
    if (k == name) return &v;
  return nullptr;
}

void Scope::set(const std::string& name, Value v) {
  if (root) {
    ctx->set_var(name, std::move(v));
    if (name.empty() || name[0] != '_') {
      for (const auto& e : ctx->exported)
        if (e == name) return;
      ctx->exported.push_back(name);
    }
    return;
  }
  if (Value* existing = find_local(name)) {
    *existing = std::move(v);
    return;
  }
  locals.emplace_back(name, std::move(v));
}

std::shared_ptr<Scope> Scope::child(const std::shared_ptr<Scope>& parent) {
  auto s = std::make_shared<Scope>();
  s->parent = parent;
  s->ctx = parent->ctx;
  s->state = parent->state;
  s->output_check = parent->output_check;
  return s;
}

Runtime::DepthGuard::DepthGuard(Runtime& r) : rt(r) {
  const int limit = rt.env.options().limits.max_call_depth;
  if (++rt.depth > limit) {
    --rt.depth;
    throw EvalError("maximum recursion depth exceeded (limit " + std::to_string(limit) +
                    " nested macro calls, includes or blocks)");
  }
}
Runtime::DepthGuard::~DepthGuard() {
  --rt.depth;
}

Runtime::Runtime(Environment& e) : env(e), autoescape(e.options().autoescape) {}

Runtime::~Runtime() {
  module_cache_.clear();
  for (auto& weak : closures_)
    if (auto s = weak.lock()) s->locals.clear();
  for (auto& weak : contexts_) {
    if (auto c = weak.lock()) {
      c->vars->clear();
      c->blocks.clear();
    }
  }
}

std::shared_ptr<Context> Runtime::new_context(const std::shared_ptr<Template>& tmpl,
                                              std::shared_ptr<DictHeap> parent) {
  auto ctx = std::make_shared<Context>();
  ctx->parent = std::move(parent);
  ctx->vars = std::make_shared<DictHeap>();
  ctx->tmpl = tmpl;
  for (const auto& [name, block] : tmpl->blocks) ctx->blocks[name].push_back({block, tmpl});
  contexts_.push_back(ctx);
  return ctx;
}

void Runtime::render(const std::shared_ptr<Template>& tmpl, std::shared_ptr<DictHeap> vars,
                     std::string& out) {
  render_root(new_context(tmpl, std::move(vars)), out);
}

void Runtime::render_root(const std::shared_ptr<Context>& ctx, std::string& out) {
  std::shared_ptr<Template> tmpl = ctx->tmpl;
  int chain = 0;
  while (tmpl) {
    auto state = std::make_shared<RenderState>();
    auto root = std::make_shared<Scope>();
    root->ctx = ctx;
    root->state = state;
    root->root = true;
    root->output_check = true;
    {
      LocationGuard where(*this, tmpl->name);
      exec(tmpl->body, root, out);
    }
    // An extended template renders next, with the same context (Jinja yields from the
    // parent's root render function).
    tmpl = state->parent_template;
    if (tmpl && ++chain > env.options().limits.max_call_depth)
      throw EvalError("maximum recursion depth exceeded (template inheritance chain)");
  }
}

void Runtime::write(std::string& out, const Value& v) const {
  if (autoescape && !v.safe()) {
    if (v.is_string())
      escape_html_to(out, v.str());
    else
      escape_html_to(out, py_str(v));
    return;
  }
  py_str_to(out, v);
}

std::string Runtime::capture(const Body& body, const std::shared_ptr<Scope>& scope) {
  std::string out;
  exec(body, scope, out);
  return out;
}

void Runtime::exec(const Body& body, const std::shared_ptr<Scope>& scope, std::string& out) {
  const size_t max_output = env.options().limits.max_output;
  for (const auto& s : body) {
    try {
      exec_stmt(*s, scope, out);
      if (out.size() > max_output)
        throw EvalError("output too large (limit " + std::to_string(max_output) + " bytes)");
    } catch (EvalError& e) {
      if (e.line == 0) {
        e.line = line ? line : s->line;
        e.tmpl = current_template;
      }
      if (e.top_line == 0 && current_template == top_template) e.top_line = line ? line : s->line;
      throw;
    }
  }
}

// ---------------------------------------------------------------- expressions

Value Runtime::eval_name(const NameExpr& e, const std::shared_ptr<Scope>& scope) {
  for (Scope* s = scope.get(); s; s = s->parent.get()) {
    if (s->root) continue;
    if (Value* v = s->find_local(e.name)) return *v;
  }
  if (e.name == "self") {
    auto ref = std::make_shared<TemplateRefObj>();
    ref->ctx = scope->ctx;
    return Value::object(ref);
  }
  if (const Value* v = scope->ctx->find(e.name)) return *v;
  return undefined_name(e.name);
}

void Runtime::eval_args(const CallArgsExpr& a, const std::shared_ptr<Scope>& scope, CallArgs& out) {
  out.pos.reserve(a.pos.size());
  for (const auto& p : a.pos) out.pos.push_back(eval(*p, scope));
  for (const auto& [k, v] : a.kw) out.kw.emplace_back(k, eval(*v, scope));
  if (a.dyn_args) {
    Value extra = eval(*a.dyn_args, scope);
    for (auto& v : py_iter(extra, this)) out.pos.push_back(std::move(v));
  }
  if (a.dyn_kwargs) {
    Value extra = eval(*a.dyn_kwargs, scope);
    if (extra.is_undefined()) fail_undefined(extra);
    if (!extra.is_dict())
      throw TypeErr("argument after ** must be a mapping, not " + py_type_name(extra));
    for (const auto& [k, v] : extra.dict_ref().entries) {
      if (!k.is_string()) throw TypeErr("keywords must be strings");
      out.kw.emplace_back(k.str(), v);
    }
  }
}

Value Runtime::call(const Value& fn, CallArgs& args) {
  if (fn.is_undefined()) fail_undefined(fn);
  if (fn.is_object() && fn.obj().is_callable()) return fn.obj().call(*this, args);
  throw TypeErr("'" + py_type_name(fn) + "' object is not callable");
}

Value Runtime::eval_call(const CallExpr& e, const std::shared_ptr<Scope>& scope,
                         const Value* extra_caller) {
  // obj.method(...) on builtin values: call the method without materialising it.
  if (e.fn->kind == ExprKind::Getattr) {
    const auto& g = static_cast<const GetattrExpr&>(*e.fn);
    Value obj = eval(*g.obj, scope);
    if (!obj.is_object() && !obj.is_undefined() && has_method(obj, g.attr)) {
      CallArgs args;
      eval_args(e.args, scope, args);
      if (extra_caller) args.kw.emplace_back("caller", *extra_caller);
      line = e.line;
      return call_method(*this, obj, g.attr, args);
    }
    Value fn = getattr(obj, g.attr);
    CallArgs args;
    eval_args(e.args, scope, args);
    if (extra_caller) args.kw.emplace_back("caller", *extra_caller);
    line = e.line;
    return call(fn, args);
  }
  Value fn = eval(*e.fn, scope);
  CallArgs args;
  eval_args(e.args, scope, args);
  if (extra_caller) args.kw.emplace_back("caller", *extra_caller);
  line = e.line;
  return call(fn, args);
}

Value Runtime::eval_filter(const FilterExpr& e, const std::shared_ptr<Scope>& scope,
                           const Value* input_override) {
  Value input;
  if (e.node) {
    if (input_override && e.node->kind == ExprKind::Filter)
      input = eval_filter(static_cast<const FilterExpr&>(*e.node), scope, input_override);
    else
      input = eval(*e.node, scope);
  } else if (input_override) {
    input = *input_override;
  }
  if (!e.filter) throw RuntimeErr("No filter named " + repr_string(e.name) + " found.");
  CallArgs args;
  eval_args(e.args, scope, args);
  line = e.line;
  return e.filter(*this, input, args);
}

bool Runtime::eval_test(const FilterExpr& e, const std::shared_ptr<Scope>& scope) {
  Value input = eval(*e.node, scope);
  if (!e.test) throw RuntimeErr("No test named " + repr_string(e.name) + " found.");
  CallArgs args;
  eval_args(e.args, scope, args);
  line = e.line;
  return e.test(*this, input, args);
}

Value Runtime::eval_compare(const CompareExpr& e, const std::shared_ptr<Scope>& scope) {
  Value left = eval(*e.expr, scope);
  for (const auto& [op, expr] : e.ops) {
    Value right = eval(*expr, scope);
    bool r = false;
    switch (op) {
      case CmpOp::Eq:
        r = py_eq(left, right);
        break;
      case CmpOp::Ne:
        r = !py_eq(left, right);
        break;
      case CmpOp::Lt: {
        int c = py_cmp(left, right, "<");
        r = c == -1;
        break;
      }
      case CmpOp::LtEq: {
        int c = py_cmp(left, right, "<=");
        r = c == -1 || c == 0;
        break;
      }
      case CmpOp::Gt: {
        int c = py_cmp(left, right, ">");
        r = c == 1;
        break;
      }
      case CmpOp::GtEq: {
        int c = py_cmp(left, right, ">=");
        r = c == 1 || c == 0;
        break;
      }
      case CmpOp::In:
        r = py_contains(right, left);
        break;
      case CmpOp::NotIn:
        r = !py_contains(right, left);
        break;
    }
    if (!r) return Value(false);
    left = std::move(right);
  }
  return Value(true);
}

namespace {

std::string slice_repr(const Value& a, const Value& b, const Value& c) {
  return "slice(" + py_repr(a) + ", " + py_repr(b) + ", " + py_repr(c) + ")";
}

// PySlice_AdjustIndices: returns the count of selected items.
int64_t adjust_slice(int64_t len, const Value& vstart, const Value& vstop, int64_t step,
                     int64_t& start, int64_t& stop) {
  auto clamp = [&](const Value& v, bool is_start) -> int64_t {
    if (v.is_none()) {
      if (step > 0) return is_start ? 0 : len;
      return is_start ? len - 1 : -1;
    }
    int64_t x = v.as_int();
    if (x < 0) {
      x += len;
      if (x < 0) x = step < 0 ? -1 : 0;
    } else if (x >= len) {
      x = step < 0 ? len - 1 : len;
    }
    return x;
  };
  start = clamp(vstart, true);
  stop = clamp(vstop, false);
  if (step < 0) {
    if (stop < start) return (start - stop - 1) / (-step) + 1;
  } else {
    if (start < stop) return (stop - start - 1) / step + 1;
  }
  return 0;
}

}  // namespace

Value Runtime::eval_slice(const Value& obj, const SliceExpr& e,
                          const std::shared_ptr<Scope>& scope) {
  Value vs = e.start ? eval(*e.start, scope) : Value::none();
  Value ve = e.stop ? eval(*e.stop, scope) : Value::none();
  Value vp = e.step ? eval(*e.step, scope) : Value::none();
  if (obj.is_undefined()) fail_undefined(obj);
  auto ok = [](const Value& v) { return v.is_none() || v.is_int() || v.is_bool(); };
  bool sliceable = obj.is_string() || obj.is_indexable() || obj.obj_as<RangeObj>() != nullptr;
  if (!sliceable || !ok(vs) || !ok(ve) || !ok(vp))
    return Value::undefined(object_type_repr(obj) + " has no element " + slice_repr(vs, ve, vp));
  int64_t step = vp.is_none() ? 1 : vp.as_int();
  if (step == 0) throw ValueErr("slice step cannot be zero");
  int64_t start, stop;
  if (obj.is_string()) {
    const std::string& s = obj.str();
    if (obj.str_heap().is_ascii()) {
      int64_t n = adjust_slice(static_cast<int64_t>(s.size()), vs, ve, step, start, stop);
      std::string out;
      out.reserve(static_cast<size_t>(n));
      for (int64_t i = 0, k = start; i < n; ++i, k += step)
        out.push_back(s[static_cast<size_t>(k)]);
      return Value(std::move(out), obj.safe());
    }
    std::u32string u = pytext::decode(s);
    int64_t n = adjust_slice(static_cast<int64_t>(u.size()), vs, ve, step, start, stop);
    std::u32string out;
    for (int64_t i = 0, k = start; i < n; ++i, k += step) out.push_back(u[static_cast<size_t>(k)]);
    return Value(pytext::encode(out), obj.safe());
  }
  if (auto* r = obj.obj_as<RangeObj>()) {
    int64_t n = adjust_slice(r->size(), vs, ve, step, start, stop);
    auto nr = std::make_shared<RangeObj>();
    nr->start = r->start + start * r->step;
    nr->step = r->step * step;
    nr->stop = nr->start + n * nr->step;
    return Value::object(nr);
  }
  const auto& items = obj.items();
  int64_t n = adjust_slice(static_cast<int64_t>(items.size()), vs, ve, step, start, stop);
  std::vector<Value> out;
  out.reserve(static_cast<size_t>(n));
  for (int64_t i = 0, k = start; i < n; ++i, k += step)
    out.push_back(items[static_cast<size_t>(k)]);
  return obj.is_tuple() ? Value::tuple(std::move(out)) : Value::list(std::move(out));
}

Value Runtime::getattr(const Value& obj, std::string_view name) {
  switch (obj.kind()) {
    case Kind::Undefined:
      fail_undefined(obj);
    case Kind::Dict: {
      if (has_method(obj, name)) {
        auto m = std::make_shared<BoundMethodObj>();
        m->self = obj;
        m->name = std::string(name);
        return Value::object(m);
      }
      if (const Value* v = obj.dict_ref().find(name)) return *v;
      return undefined_attr(obj, name);
    }
    case Kind::Object: {
      if (auto v = obj.obj().get_attr(name, *this)) return *v;
      if (auto v = obj.obj().get_item(Value(std::string(name)), *this)) return *v;
      return undefined_attr(obj, name);
    }
    default: {
      if (has_method(obj, name)) {
        auto m = std::make_shared<BoundMethodObj>();
        m->self = obj;
        m->name = std::string(name);
        return Value::object(m);
      }
      if (auto v = builtin_attribute(obj, name)) return *v;
      return undefined_attr(obj, name);
    }
  }
}

Value Runtime::getitem(const Value& obj, const Value& key) {
  switch (obj.kind()) {
    case Kind::Undefined:
      fail_undefined(obj);
    case Kind::List:
    case Kind::Tuple: {
      if ((key.is_int() || key.is_bool()) && obj.is_indexable()) {
        const auto& items = obj.items();
        int64_t i = key.as_int();
        int64_t n = static_cast<int64_t>(items.size());
        if (i < 0) i += n;
        if (i >= 0 && i < n) return items[static_cast<size_t>(i)];
        return undefined_item(obj, key);
      }
      break;
    }
    case Kind::String: {
      if (key.is_int() || key.is_bool()) {
        const std::string& s = obj.str();
        int64_t i = key.as_int();
        if (obj.str_heap().is_ascii()) {
          int64_t n = static_cast<int64_t>(s.size());
          if (i < 0) i += n;
          if (i >= 0 && i < n) return Value(std::string(1, s[static_cast<size_t>(i)]), obj.safe());
        } else {
          std::u32string u = pytext::decode(s);
          int64_t n = static_cast<int64_t>(u.size());
          if (i < 0) i += n;
          if (i >= 0 && i < n) {
            std::string c;
            pytext::append(c, u[static_cast<size_t>(i)]);
            return Value(std::move(c), obj.safe());
          }
        }
        return undefined_item(obj, key);
      }
      break;
    }
    case Kind::Dict: {
      const Value* v = nullptr;
      try {
        v = obj.dict_ref().find(key);
      } catch (const TypeErr&) {
        return undefined_item(obj, key);
      }
      if (v) return *v;
      break;
    }
    case Kind::Object: {
      if (auto v = obj.obj().get_item(key, *this)) return *v;
      if (key.is_string())
        if (auto v = obj.obj().get_attr(key.str(), *this)) return *v;
      return undefined_item(obj, key);
    }
    default:
      break;
  }
  // Jinja falls back on the attribute for string keys.
  if (key.is_string()) {
    if (has_method(obj, key.str())) return getattr(obj, key.str());
    if (auto v = builtin_attribute(obj, key.str())) return *v;
  }
  return undefined_item(obj, key);
}

Value Runtime::eval(const Expr& e, const std::shared_ptr<Scope>& scope) {
  switch (e.kind) {
    case ExprKind::Const:
      return static_cast<const ConstExpr&>(e).value;
    case ExprKind::Name:
      return eval_name(static_cast<const NameExpr&>(e), scope);
    case ExprKind::List:
    case ExprKind::Tuple: {
      const auto& s = static_cast<const SeqExpr&>(e);
      std::vector<Value> items;
      items.reserve(s.items.size());
      for (const auto& i : s.items) items.push_back(eval(*i, scope));
      return e.kind == ExprKind::List ? Value::list(std::move(items))
                                      : Value::tuple(std::move(items));
    }
    case ExprKind::Dict: {
      Value d = Value::dict();
      for (const auto& [k, v] : static_cast<const DictExpr&>(e).items) {
        Value key = eval(*k, scope);
        Value val = eval(*v, scope);
        d.dict_ref().set(std::move(key), std::move(val));
      }
      return d;
    }
    case ExprKind::Getattr: {
      const auto& g = static_cast<const GetattrExpr&>(e);
      Value obj = eval(*g.obj, scope);
      return getattr(obj, g.attr);
    }
    case ExprKind::Getitem: {
      const auto& g = static_cast<const GetitemExpr&>(e);
      Value obj = eval(*g.obj, scope);
      if (g.arg->kind == ExprKind::Slice)
        return eval_slice(obj, static_cast<const SliceExpr&>(*g.arg), scope);
      Value key = eval(*g.arg, scope);
      return getitem(obj, key);
    }
    case ExprKind::Slice:
      throw EvalError("slices can only be used in subscripts");
    case ExprKind::Call:
      return eval_call(static_cast<const CallExpr&>(e), scope);
    case ExprKind::Filter:
      return eval_filter(static_cast<const FilterExpr&>(e), scope);
    case ExprKind::Test:
      return Value(eval_test(static_cast<const FilterExpr&>(e), scope));
    case ExprKind::CondExpr: {
      const auto& c = static_cast<const CondExpr&>(e);
      if (py_truthy(eval(*c.test, scope))) return eval(*c.expr1, scope);
      if (c.expr2) return eval(*c.expr2, scope);
      return undefined_hint("the inline if-expression on line " + std::to_string(e.line) +
                            " evaluated to false and no else section was defined.");
    }
    case ExprKind::And: {
      const auto& l = static_cast<const LogicExpr&>(e);
      Value left = eval(*l.left, scope);
      if (!py_truthy(left)) return left;
      return eval(*l.right, scope);
    }
    case ExprKind::Or: {
      const auto& l = static_cast<const LogicExpr&>(e);
      Value left = eval(*l.left, scope);
      if (py_truthy(left)) return left;
      return eval(*l.right, scope);
    }
    case ExprKind::Not:
      return Value(!py_truthy(eval(*static_cast<const LogicExpr&>(e).left, scope)));
    case ExprKind::Neg:
      return py_neg(eval(*static_cast<const LogicExpr&>(e).left, scope));
    case ExprKind::Pos:
      return py_pos(eval(*static_cast<const LogicExpr&>(e).left, scope));
    case ExprKind::Binary: {
      const auto& b = static_cast<const BinaryExpr&>(e);
      Value left = eval(*b.left, scope);
      Value right = eval(*b.right, scope);
      switch (b.op) {
        case BinOp::Add:
          return py_add(left, right);
        case BinOp::Sub:
          return py_sub(left, right);
        case BinOp::Mul:
          return py_mul(left, right);
        case BinOp::Div:
          return py_truediv(left, right);
        case BinOp::FloorDiv:
          return py_floordiv(left, right);
        case BinOp::Mod:
          return py_mod(left, right);
        case BinOp::Pow:
          return py_pow(left, right);
      }
      return Value::none();
    }
    case ExprKind::Concat: {
      const auto& c = static_cast<const ConcatExpr&>(e);
      std::vector<Value> parts;
      parts.reserve(c.items.size());
      bool any_markup = false;
      for (const auto& i : c.items) {
        parts.push_back(eval(*i, scope));
        if (parts.back().is_string() && parts.back().safe()) any_markup = true;
      }
      if (c.constant) any_markup = false;
      std::string out;
      if (autoescape && any_markup) {
        for (const auto& p : parts) {
          if (p.is_string() && p.safe())
            out += p.str();
          else
            escape_html_to(out, py_str(p));
        }
        return Value::markup(std::move(out));
      }
      for (const auto& p : parts) py_str_to(out, p);
      return Value(std::move(out));
    }
    case ExprKind::Compare:
      return eval_compare(static_cast<const CompareExpr&>(e), scope);
    case ExprKind::NSRef:
      throw EvalError("namespace references can only be assigned to");
  }
  return Value::none();
}

// ---------------------------------------------------------------- statements

void Runtime::assign(const Expr& target, const Value& v, const std::shared_ptr<Scope>& scope) {
  switch (target.kind) {
    case ExprKind::Name:
      scope->set(static_cast<const NameExpr&>(target).name, v);
      return;
    case ExprKind::Tuple: {
      const auto& t = static_cast<const SeqExpr&>(target);
      if (!py_iterable(v) || v.is_undefined()) {
        if (v.is_undefined()) {
          if (!t.items.empty())
            throw ValueErr("not enough values to unpack (expected " +
                           std::to_string(t.items.size()) + ", got 0)");
          return;
        }
        throw TypeErr("cannot unpack non-iterable " + py_type_name(v) + " object");
      }
      std::vector<Value> items = py_iter(v, this);
      if (items.size() < t.items.size())
        throw ValueErr("not enough values to unpack (expected " + std::to_string(t.items.size()) +
                       ", got " + std::to_string(items.size()) + ")");
      if (items.size() > t.items.size())
        throw ValueErr("too many values to unpack (expected " + std::to_string(t.items.size()) +
                       ")");
      for (size_t i = 0; i < items.size(); ++i) assign(*t.items[i], items[i], scope);
      return;
    }
    case ExprKind::NSRef: {
      const auto& n = static_cast<const NSRefExpr&>(target);
      Value ns = eval_name(NameExpr(n.name, n.line), scope);
      auto* obj = ns.obj_as<NamespaceObj>();
      if (!obj) throw RuntimeErr("cannot assign attribute on non-namespace object");
      obj->attrs->set(Value(n.attr), v);
      return;
    }
    default:
      throw EvalError("cannot assign to this expression");
  }
}

void Runtime::exec_if(const IfStmt& s, const std::shared_ptr<Scope>& scope, std::string& out) {
  line = s.line;
  if (py_truthy(eval(*s.test, scope))) {
    exec(s.body, scope, out);
    return;
  }
  for (const auto& elif : s.elifs) {
    line = elif->line;
    if (py_truthy(eval(*elif->test, scope))) {
      exec(elif->body, scope, out);
      return;
    }
  }
  exec(s.else_, scope, out);
}

void Runtime::run_loop(const ForStmt& s, std::vector<Value> items,
                       const std::shared_ptr<Scope>& scope, std::string& out, int depth0) {
  if (s.test) {
    std::vector<Value> kept;
    for (auto& item : items) {
      auto test_scope = Scope::child(scope);
      assign(*s.target, item, test_scope);
      if (py_truthy(eval(*s.test, test_scope))) kept.push_back(std::move(item));
    }
    items = std::move(kept);
  }
  if (items.empty()) {
    if (!s.else_.empty()) exec(s.else_, Scope::child(scope), out);
    return;
  }
  std::shared_ptr<LoopObj> loop;
  Value loop_value;
  const std::vector<Value>* seq = &items;
  if (s.uses_loop) {
    loop = std::make_shared<LoopObj>();
    loop->items = std::move(items);
    loop->depth0 = depth0;
    if (s.recursive) {
      loop->stmt = &s;
      loop->scope = scope;
    }
    loop_value = Value::object(loop);
    seq = &loop->items;
  }
  for (size_t i = 0; i < seq->size(); ++i) {
    if (++iterations > env.options().limits.max_loop_iterations)
      throw EvalError("loop iteration limit exceeded (" +
                      std::to_string(env.options().limits.max_loop_iterations) + ")");
    auto body_scope = Scope::child(scope);
    if (loop) {
      loop->index0 = static_cast<int64_t>(i);
      body_scope->locals.emplace_back("loop", loop_value);
    }
    assign(*s.target, (*seq)[i], body_scope);
    exec(s.body, body_scope, out);
  }
}

void Runtime::exec_for(const ForStmt& s, const std::shared_ptr<Scope>& scope, std::string& out) {
  line = s.line;
  Value iterable = eval(*s.iter, scope);
  run_loop(s, py_iter(iterable, this), scope, out, 0);
}

std::string Runtime::render_block(const std::shared_ptr<Context>& ctx, const std::string& name,
                                  size_t index, const std::shared_ptr<Scope>& scoped_parent) {
  auto it = ctx->blocks.find(name);
  if (it == ctx->blocks.end() || index >= it->second.size())
    throw EvalError("there is no block called " + repr_string(name));
  const auto& chain = it->second;
  const BlockImpl& impl = chain[index];
  if (impl.block->required && chain.size() <= 1)
    throw RuntimeErr("Required block " + repr_string(name) + " not found.");
  DepthGuard guard(*this);
  std::shared_ptr<Scope> bscope;
  if (scoped_parent) {
    bscope = Scope::child(scoped_parent);
  } else {
    bscope = std::make_shared<Scope>();
    bscope->ctx = ctx;
    bscope->state = std::make_shared<RenderState>();
  }
  bscope->output_check = false;
  if (index + 1 < chain.size()) {
    auto ref = std::make_shared<BlockRefObj>();
    ref->ctx = ctx;
    ref->name = name;
    ref->index = index + 1;
    bscope->locals.emplace_back("super", Value::object(ref));
  } else {
    bscope->locals.emplace_back(
        "super", undefined_hint("there is no parent block called " + repr_string(name) + "."));
  }
  LocationGuard where(*this, impl.tmpl->name);
  return capture(impl.block->body, bscope);
}

void Runtime::exec_block(const BlockStmt& s, const std::shared_ptr<Scope>& scope,
                         std::string& out) {
  if (scope->output_check && scope->state->parent_template) return;
  out += render_block(scope->ctx, s.name, 0, s.scoped ? scope : nullptr);
}

std::shared_ptr<Template> Runtime::load(const Value& name, bool ignore_missing) {
  if (name.is_undefined()) fail_undefined(name);
  if (name.is_string()) {
    try {
      return env.get_template(name.str());
    } catch (const NotFoundErr&) {
      if (ignore_missing) return nullptr;
      throw;
    }
  }
  if (name.is_seq()) {
    const auto& names = name.items();
    if (names.empty()) {
      if (ignore_missing) return nullptr;
      throw NotFoundErr("Tried to select from an empty list of templates.");
    }
    std::string tried;
    for (const auto& n : names) {
      if (n.is_undefined()) continue;
      if (!n.is_string()) throw TypeErr("template names must be strings, not " + py_type_name(n));
      try {
        return env.get_template(n.str());
      } catch (const NotFoundErr&) {
      }
      tried += (tried.empty() ? "" : ", ") + n.str();
    }
    if (ignore_missing) return nullptr;
    throw NotFoundErr("none of the templates given were found: " + tried);
  }
  throw TypeErr("'" + py_type_name(name) + "' object is not iterable");
}

std::shared_ptr<DictHeap> Runtime::flatten(const std::shared_ptr<Scope>& scope) {
  auto d = std::make_shared<DictHeap>();
  const Context& ctx = *scope->ctx;
  for (const auto& [k, v] : ctx.parent->entries) d->entries.emplace_back(k, v);
  for (const auto& [k, v] : ctx.vars->entries) d->set(k, v);
  std::vector<const Scope*> chain;
  for (const Scope* s = scope.get(); s; s = s->parent.get())
    if (!s->root) chain.push_back(s);
  for (auto it = chain.rbegin(); it != chain.rend(); ++it)
    for (const auto& [k, v] : (*it)->locals) d->set(Value(k), v);
  return d;
}

void Runtime::exec_include(const IncludeStmt& s, const std::shared_ptr<Scope>& scope,
                           std::string& out) {
  auto tmpl = load(eval(*s.tmpl, scope), s.ignore_missing);
  if (!tmpl) return;
  DepthGuard guard(*this);
  auto parent = s.with_context ? flatten(scope) : env.globals();
  render_root(new_context(tmpl, parent), out);
}

Value Runtime::import_module(const Expr& tmpl_expr, bool with_context,
                             const std::shared_ptr<Scope>& scope) {
  auto tmpl = load(eval(tmpl_expr, scope), false);
  if (!with_context) {
    auto cached = module_cache_.find(tmpl.get());
    if (cached != module_cache_.end()) return cached->second;
  }
  DepthGuard guard(*this);
  auto parent = with_context ? flatten(scope) : env.globals();
  auto ctx = new_context(tmpl, parent);
  auto module = std::make_shared<ModuleObj>();
  module->name = tmpl->name;
  render_root(ctx, module->body);
  for (const auto& name : ctx->exported)
    if (const Value* v = ctx->vars->find(name)) module->exports->set(Value(name), *v);
  Value m = Value::object(module);
  if (!with_context) module_cache_[tmpl.get()] = m;
  return m;
}

void Runtime::exec_extends(const ExtendsStmt& s, const std::shared_ptr<Scope>& scope) {
  if (scope->state->parent_template) throw RuntimeErr("extended multiple times");
  auto parent = load(eval(*s.tmpl, scope), false);
  scope->state->parent_template = parent;
  for (const auto& [name, block] : parent->blocks)
    scope->ctx->blocks[name].push_back({block, parent});
}

namespace {
// Removes `name` from the exported names (imports are not re-exported).
void unexport(Context& ctx, const std::string& name) {
  for (auto it = ctx.exported.begin(); it != ctx.exported.end(); ++it) {
    if (*it == name) {
      ctx.exported.erase(it);
      return;
    }
  }
}
}  // namespace

void Runtime::exec_stmt(const Stmt& s, const std::shared_ptr<Scope>& scope, std::string& out) {
  line = s.line;
  switch (s.kind) {
    case StmtKind::Output: {
      if (scope->output_check && scope->state->parent_template) return;
      for (const auto& item : static_cast<const OutputStmt&>(s).items) {
        if (!item.expr) {
          out += item.data;
          continue;
        }
        line = item.expr->line;
        write(out, eval(*item.expr, scope));
      }
      return;
    }
    case StmtKind::If:
      exec_if(static_cast<const IfStmt&>(s), scope, out);
      return;
    case StmtKind::For:
      exec_for(static_cast<const ForStmt&>(s), scope, out);
      return;
    case StmtKind::Macro: {
      const auto& m = static_cast<const MacroStmt&>(s);
      auto obj = std::make_shared<MacroObj>();
      obj->def = m.def;
      obj->closure = scope;
      note_closure(scope);
      obj->tmpl_name = current_template;
      scope->set(m.def->name, Value::object(obj));
      return;
    }
    case StmtKind::CallBlock: {
      const auto& c = static_cast<const CallBlockStmt&>(s);
      auto caller = std::make_shared<MacroObj>();
      caller->def = c.def;
      caller->closure = scope;
      note_closure(scope);
      caller->tmpl_name = current_template;
      Value caller_value = Value::object(caller);
      write(out, eval_call(static_cast<const CallExpr&>(*c.call), scope, &caller_value));
      return;
    }
    case StmtKind::FilterBlock: {
      const auto& f = static_cast<const FilterBlockStmt&>(s);
      Value body = buffer_value(capture(f.body, Scope::child(scope)));
      line = s.line;
      write(out, eval_filter(static_cast<const FilterExpr&>(*f.filter), scope, &body));
      return;
    }
    case StmtKind::Assign: {
      const auto& a = static_cast<const AssignStmt&>(s);
      assign(*a.target, eval(*a.value, scope), scope);
      return;
    }
    case StmtKind::AssignBlock: {
      const auto& a = static_cast<const AssignBlockStmt&>(s);
      Value body = buffer_value(capture(a.body, Scope::child(scope)));
      line = s.line;
      if (a.filter) body = eval_filter(static_cast<const FilterExpr&>(*a.filter), scope, &body);
      assign(*a.target, body, scope);
      return;
    }
    case StmtKind::With: {
      const auto& w = static_cast<const WithStmt&>(s);
      std::vector<Value> values;
      for (const auto& v : w.values) values.push_back(eval(*v, scope));
      auto inner = Scope::child(scope);
      for (size_t i = 0; i < w.targets.size(); ++i) assign(*w.targets[i], values[i], inner);
      exec(w.body, inner, out);
      return;
    }
    case StmtKind::Block:
      exec_block(static_cast<const BlockStmt&>(s), scope, out);
      return;
    case StmtKind::Extends:
      exec_extends(static_cast<const ExtendsStmt&>(s), scope);
      return;
    case StmtKind::Include:
      exec_include(static_cast<const IncludeStmt&>(s), scope, out);
      return;
    case StmtKind::Import: {
      const auto& i = static_cast<const ImportStmt&>(s);
      Value module = import_module(*i.tmpl, i.with_context, scope);
      scope->set(i.target, module);
      if (scope->root) unexport(*scope->ctx, i.target);
      return;
    }
    case StmtKind::FromImport: {
      const auto& f = static_cast<const FromImportStmt&>(s);
      Value module = import_module(*f.tmpl, f.with_context, scope);
      auto* mod = module.obj_as<ModuleObj>();
      for (const auto& [name, alias] : f.names) {
        const Value* v = mod->exports->find(std::string_view(name));
        Value value =
            v ? *v
              : undefined_hint("the template " + repr_string(mod->name) + " (imported on line " +
                               std::to_string(s.line) + ") does not export the requested name " +
                               repr_string(name));
        scope->set(alias, value);
        if (scope->root) unexport(*scope->ctx, alias);
      }
      return;
    }
    case StmtKind::Autoescape: {
      const auto& a = static_cast<const AutoescapeStmt&>(s);
      bool saved = autoescape;
      autoescape = py_truthy(eval(*a.value, scope));
      try {
        exec(a.body, Scope::child(scope), out);
      } catch (...) {
        autoescape = saved;
        throw;
      }
      autoescape = saved;
      return;
    }
  }
}

}  // namespace lava::tmpl
