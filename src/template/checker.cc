#include "template/checker.h"

#include <string>
#include <string_view>
#include <vector>

#include "template/ast_visit.h"
#include "template/errors.h"
#include "template/pyops.h"

namespace lava::tmpl {

namespace {

// The names whose use changes how a loop or macro is compiled (Jinja's find_undeclared).
struct SpecialNames {
  unsigned bits = 0;
  static unsigned bit(std::string_view n) {
    if (n == "loop") return 1;
    if (n == "caller") return 2;
    if (n == "kwargs") return 4;
    if (n == "varargs") return 8;
    return 0;
  }
  void insert(std::string_view n) { bits |= bit(n); }
  bool count(std::string_view n) const { return (bits & bit(n)) != 0; }
};

struct Checker {
  // Names referenced in load context, used for `loop`, `caller`, `varargs`, `kwargs`.
  static void find_names(const Expr& e, SpecialNames& names) {
    if (e.kind == ExprKind::Name) names.insert(static_cast<const NameExpr&>(e).name);
    for_each_child(e, [&](const Expr& c) { find_names(c, names); });
  }
  static void find_stmt_names(const Stmt& s, SpecialNames& names) {
    if (s.kind == StmtKind::Block) return;  // blocks are separate functions
    for_each_child(
        s, [&](const Expr& e) { find_names(e, names); },
        [&](const Stmt& c) { find_stmt_names(c, names); });
  }
  static void find_body_names(const Body& body, SpecialNames& names) {
    for (const auto& s : body) find_stmt_names(*s, names);
  }

  static void target_names(const Expr* e, std::vector<const NameExpr*>& out) {
    if (e->kind == ExprKind::Name) out.push_back(static_cast<const NameExpr*>(e));
    if (e->kind == ExprKind::Tuple)
      for (const auto& i : static_cast<const SeqExpr*>(e)->items) target_names(i.get(), out);
  }

  // soft: inside an if/conditional expression, where unknown filters fail only when used.
  void expr(const Expr* e, bool soft) {
    if (e) expr(*e, soft);
  }
  void expr(const Expr& e, bool soft) {
    if (e.kind == ExprKind::Filter || e.kind == ExprKind::Test) {
      const auto& f = static_cast<const FilterExpr&>(e);
      bool known = e.kind == ExprKind::Filter ? f.filter != nullptr : f.test != nullptr;
      if (!known && !soft)
        throw EvalError(std::string("No ") + (e.kind == ExprKind::Filter ? "filter" : "test") +
                            " named " + repr_string(f.name) + ".",
                        e.line);
    }
    if (e.kind == ExprKind::CondExpr) soft = true;
    for_each_child(e, [&](const Expr& c) { expr(c, soft); });
  }

  void macro(MacroDef& def) {
    SpecialNames names;
    find_body_names(def.body, names);
    auto arg_index = [&](const std::string& n) -> int {
      for (size_t i = 0; i < def.args.size(); ++i)
        if (def.args[i] == n) return static_cast<int>(i);
      return -1;
    };
    if (names.count("caller")) {
      int idx = arg_index("caller");
      if (idx >= 0) {
        int first_default = static_cast<int>(def.args.size() - def.defaults.size());
        if (idx < first_default)
          throw EvalError(
              "When defining macros or call blocks the special \"caller\" argument must be "
              "omitted or be given a default.",
              def.line);
      } else {
        def.caller = true;
      }
    }
    if (names.count("kwargs") && arg_index("kwargs") < 0) def.catch_kwargs = true;
    if (names.count("varargs") && arg_index("varargs") < 0) def.catch_varargs = true;
    for (const auto& d : def.defaults) expr(d.get(), false);
    body(def.body, false, false);
  }

  // toplevel: statements directly in the template (or in if blocks there).
  void body(Body& b, bool soft, bool toplevel) {
    for (auto& s : b) stmt(s.get(), soft, toplevel);
  }

  void stmt(Stmt* s, bool soft, bool toplevel) {
    switch (s->kind) {
      case StmtKind::Output:
        for (const auto& i : static_cast<OutputStmt*>(s)->items) expr(i.expr.get(), soft);
        break;
      case StmtKind::If: {
        auto* n = static_cast<IfStmt*>(s);
        expr(n->test.get(), true);
        body(n->body, true, toplevel);
        for (auto& e : n->elifs) stmt(e.get(), true, toplevel);
        body(n->else_, true, toplevel);
        break;
      }
      case StmtKind::For: {
        auto* n = static_cast<ForStmt*>(s);
        std::vector<const NameExpr*> targets;
        target_names(n->target.get(), targets);
        for (const auto* t : targets)
          if (t->name == "loop")
            throw EvalError("Can't assign to special loop variable in for-loop target", t->line);
        SpecialNames names;
        find_body_names(n->body, names);
        n->uses_loop = n->recursive || names.count("loop");
        expr(n->iter.get(), soft);
        expr(n->test.get(), false);
        body(n->body, false, false);
        body(n->else_, false, false);
        break;
      }
      case StmtKind::Macro:
        macro(*static_cast<MacroStmt*>(s)->def);
        break;
      case StmtKind::CallBlock: {
        auto* n = static_cast<CallBlockStmt*>(s);
        expr(n->call.get(), soft);
        macro(*n->def);
        break;
      }
      case StmtKind::FilterBlock: {
        auto* n = static_cast<FilterBlockStmt*>(s);
        expr(n->filter.get(), false);
        body(n->body, false, false);
        break;
      }
      case StmtKind::Assign:
        expr(static_cast<AssignStmt*>(s)->value.get(), soft);
        break;
      case StmtKind::AssignBlock: {
        auto* n = static_cast<AssignBlockStmt*>(s);
        expr(n->filter.get(), false);
        body(n->body, false, false);
        break;
      }
      case StmtKind::With: {
        auto* n = static_cast<WithStmt*>(s);
        for (auto& v : n->values) expr(v.get(), soft);
        body(n->body, false, false);
        break;
      }
      case StmtKind::Block:
        body(static_cast<BlockStmt*>(s)->body, false, false);
        break;
      case StmtKind::Extends:
        if (!toplevel) throw EvalError("cannot use extend from a non top-level scope", s->line);
        expr(static_cast<ExtendsStmt*>(s)->tmpl.get(), soft);
        break;
      case StmtKind::Include:
        expr(static_cast<IncludeStmt*>(s)->tmpl.get(), soft);
        break;
      case StmtKind::Import:
        expr(static_cast<ImportStmt*>(s)->tmpl.get(), soft);
        break;
      case StmtKind::FromImport:
        expr(static_cast<FromImportStmt*>(s)->tmpl.get(), soft);
        break;
      case StmtKind::Autoescape: {
        auto* n = static_cast<AutoescapeStmt*>(s);
        expr(n->value.get(), soft);
        body(n->body, false, false);
        break;
      }
    }
  }
};

}  // namespace

void check_template(Template& tmpl) {
  Checker checker;
  checker.body(tmpl.body, false, true);
}

}  // namespace lava::tmpl
