// The evaluator: walks the syntax tree with Jinja2's runtime rules (contexts, frames and
// scoping, macros, blocks and inheritance, includes and imports, undefined handling).
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "template/ast.h"
#include "template/value.h"

namespace lava::tmpl {

class Environment;
struct RenderState;

// One implementation of a named block (a template may be overridden by children).
struct BlockImpl {
  const BlockStmt* block;
  std::shared_ptr<Template> tmpl;  // keeps the syntax tree alive
};

// jinja2.runtime.Context: the variables of one template render.
struct Context {
  std::shared_ptr<DictHeap> parent;  // read-only: parameters and globals
  std::shared_ptr<DictHeap> vars;    // template-level assignments
  std::vector<std::string> exported;
  std::map<std::string, std::vector<BlockImpl>> blocks;
  std::shared_ptr<Template> tmpl;
  void set_var(const std::string& name, Value v);
  const Value* find(std::string_view name) const;
};

// A frame: the local variables of a loop iteration, macro call, block, ... Frames chain to
// the frame they were created in (lexical scoping); the root frame's variables live in the
// context.
struct Scope : std::enable_shared_from_this<Scope> {
  std::shared_ptr<Scope> parent;
  std::shared_ptr<Context> ctx;
  std::shared_ptr<RenderState> state;  // the template render this frame belongs to
  bool root = false;                   // assignments go to the context
  bool output_check = false;           // output is dropped once the template extends another
  std::vector<std::pair<std::string, Value>> locals;

  Value* find_local(std::string_view name);
  void set(const std::string& name, Value v);
  static std::shared_ptr<Scope> child(const std::shared_ptr<Scope>& parent);
};

// Per root-render-function state (Jinja's `parent_template` local).
struct RenderState {
  std::shared_ptr<Template> parent_template;
};

class Runtime {
 public:
  explicit Runtime(Environment& env);
  // Breaks the reference cycles a render leaves (macros hold the frames and contexts that
  // hold them), so that everything it created is freed.
  ~Runtime();
  Runtime(const Runtime&) = delete;
  Runtime& operator=(const Runtime&) = delete;
  // Remembers a frame captured by a macro or caller, to be cleared after the render.
  void note_closure(const std::shared_ptr<Scope>& scope) { closures_.push_back(scope); }

  // Renders `tmpl` with a fresh context whose parent variables are `vars`.
  void render(const std::shared_ptr<Template>& tmpl, std::shared_ptr<DictHeap> vars,
              std::string& out);
  // Creates a context for `tmpl` (registering its blocks).
  std::shared_ptr<Context> new_context(const std::shared_ptr<Template>& tmpl,
                                       std::shared_ptr<DictHeap> parent);
  // Runs the template's top-level code (and its parents') in `ctx`.
  void render_root(const std::shared_ptr<Context>& ctx, std::string& out);

  Value eval(const Expr& e, const std::shared_ptr<Scope>& scope);
  void exec(const Body& body, const std::shared_ptr<Scope>& scope, std::string& out);

  // Lookups with Jinja's environment.getattr / getitem rules.
  Value getattr(const Value& obj, std::string_view name);
  Value getitem(const Value& obj, const Value& key);
  // Calls any callable value.
  Value call(const Value& fn, CallArgs& args);
  // Renders `body` into a string (a macro or block body).
  std::string capture(const Body& body, const std::shared_ptr<Scope>& scope);
  // The value of a rendered buffer: Markup under autoescape.
  Value buffer_value(std::string s) const { return Value(std::move(s), autoescape); }
  void write(std::string& out, const Value& v) const;

  // Call-depth accounting for macros, includes, blocks and recursive loops.
  struct DepthGuard {
    explicit DepthGuard(Runtime& rt);
    ~DepthGuard();
    Runtime& rt;
  };

  Environment& env;
  bool autoescape;
  int line = 0;
  int depth = 0;
  int64_t iterations = 0;
  std::string current_template;
  std::string top_template;  // name of the template being rendered (for error locations)

 private:
  Value eval_name(const NameExpr& e, const std::shared_ptr<Scope>& scope);
  Value eval_call(const CallExpr& e, const std::shared_ptr<Scope>& scope,
                  const Value* extra_caller = nullptr);
  void eval_args(const CallArgsExpr& a, const std::shared_ptr<Scope>& scope, CallArgs& out);
  Value eval_filter(const FilterExpr& e, const std::shared_ptr<Scope>& scope,
                    const Value* input_override = nullptr);
  bool eval_test(const FilterExpr& e, const std::shared_ptr<Scope>& scope);
  Value eval_compare(const CompareExpr& e, const std::shared_ptr<Scope>& scope);
  Value eval_slice(const Value& obj, const SliceExpr& e, const std::shared_ptr<Scope>& scope);

  void exec_stmt(const Stmt& s, const std::shared_ptr<Scope>& scope, std::string& out);
  void exec_for(const ForStmt& s, const std::shared_ptr<Scope>& scope, std::string& out);
  void exec_if(const IfStmt& s, const std::shared_ptr<Scope>& scope, std::string& out);
  void exec_block(const BlockStmt& s, const std::shared_ptr<Scope>& scope, std::string& out);
  void exec_extends(const ExtendsStmt& s, const std::shared_ptr<Scope>& scope);
  void exec_include(const IncludeStmt& s, const std::shared_ptr<Scope>& scope, std::string& out);
  Value import_module(const Expr& tmpl_expr, bool with_context,
                      const std::shared_ptr<Scope>& scope);

 public:
  void assign(const Expr& target, const Value& v, const std::shared_ptr<Scope>& scope);
  // Renders the block chain entry `index` for block `name` in context `ctx`.
  std::string render_block(const std::shared_ptr<Context>& ctx, const std::string& name,
                           size_t index, const std::shared_ptr<Scope>& scoped_parent);
  // context.get_all() plus the visible locals (what include/import `with context` see).
  std::shared_ptr<DictHeap> flatten(const std::shared_ptr<Scope>& scope);
  // Loads a template named by a value (string, list of names, or an undefined value).
  std::shared_ptr<Template> load(const Value& name, bool ignore_missing);
  // Runs a for loop body over `items` at recursion depth `depth0` (loop(...) recursion).
  void run_loop(const ForStmt& s, std::vector<Value> items, const std::shared_ptr<Scope>& scope,
                std::string& out, int depth0);

 private:
  std::vector<std::weak_ptr<Context>> contexts_;
  std::vector<std::weak_ptr<Scope>> closures_;
  std::map<const Template*, Value> module_cache_;  // modules imported without context
};

}  // namespace lava::tmpl
