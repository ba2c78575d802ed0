// The one walk over the syntax tree's children, shared by the optimizer's constant test
// and the checker. Only what a node evaluates is visited (load context): assignment and
// loop targets are not.
#pragma once

#include "template/ast.h"

namespace lava::tmpl {

// Calls on_expr(const Expr&) for each non-null direct child of `e`, in source order.
template <typename OnExpr>
void for_each_child(const Expr& e, OnExpr&& on_expr) {
  auto visit = [&](const ExprPtr& c) {
    if (c) on_expr(static_cast<const Expr&>(*c));
  };
  auto visit_args = [&](const CallArgsExpr& a) {
    for (const auto& p : a.pos) visit(p);
    for (const auto& kv : a.kw) visit(kv.second);
    visit(a.dyn_args);
    visit(a.dyn_kwargs);
  };
  switch (e.kind) {
    case ExprKind::List:
    case ExprKind::Tuple:
      for (const auto& i : static_cast<const SeqExpr&>(e).items) visit(i);
      break;
    case ExprKind::Dict:
      for (const auto& [k, v] : static_cast<const DictExpr&>(e).items) {
        visit(k);
        visit(v);
      }
      break;
    case ExprKind::Getattr:
      visit(static_cast<const GetattrExpr&>(e).obj);
      break;
    case ExprKind::Getitem: {
      const auto& g = static_cast<const GetitemExpr&>(e);
      visit(g.obj);
      visit(g.arg);
      break;
    }
    case ExprKind::Slice: {
      const auto& s = static_cast<const SliceExpr&>(e);
      visit(s.start);
      visit(s.stop);
      visit(s.step);
      break;
    }
    case ExprKind::Call: {
      const auto& c = static_cast<const CallExpr&>(e);
      visit(c.fn);
      visit_args(c.args);
      break;
    }
    case ExprKind::Filter:
    case ExprKind::Test: {
      const auto& f = static_cast<const FilterExpr&>(e);
      visit(f.node);
      visit_args(f.args);
      break;
    }
    case ExprKind::CondExpr: {
      const auto& c = static_cast<const CondExpr&>(e);
      visit(c.test);
      visit(c.expr1);
      visit(c.expr2);
      break;
    }
    case ExprKind::And:
    case ExprKind::Or:
    case ExprKind::Not:
    case ExprKind::Neg:
    case ExprKind::Pos: {
      const auto& l = static_cast<const LogicExpr&>(e);
      visit(l.left);
      visit(l.right);
      break;
    }
    case ExprKind::Binary: {
      const auto& b = static_cast<const BinaryExpr&>(e);
      visit(b.left);
      visit(b.right);
      break;
    }
    case ExprKind::Concat:
      for (const auto& i : static_cast<const ConcatExpr&>(e).items) visit(i);
      break;
    case ExprKind::Compare: {
      const auto& c = static_cast<const CompareExpr&>(e);
      visit(c.expr);
      for (const auto& op : c.ops) visit(op.second);
      break;
    }
    case ExprKind::Const:
    case ExprKind::Name:
    case ExprKind::NSRef:
      break;
  }
}

// Calls on_expr(const Expr&) for each expression statement `s` evaluates and
// on_stmt(const Stmt&) for each statement directly inside it, in source order.
template <typename OnExpr, typename OnStmt>
void for_each_child(const Stmt& s, OnExpr&& on_expr, OnStmt&& on_stmt) {
  auto visit = [&](const ExprPtr& c) {
    if (c) on_expr(static_cast<const Expr&>(*c));
  };
  auto visit_body = [&](const Body& body) {
    for (const auto& c : body) on_stmt(static_cast<const Stmt&>(*c));
  };
  auto visit_def = [&](const MacroDef& def) {
    for (const auto& d : def.defaults) visit(d);
    visit_body(def.body);
  };
  switch (s.kind) {
    case StmtKind::Output:
      for (const auto& i : static_cast<const OutputStmt&>(s).items) visit(i.expr);
      break;
    case StmtKind::If: {
      const auto& n = static_cast<const IfStmt&>(s);
      visit(n.test);
      visit_body(n.body);
      for (const auto& e : n.elifs) on_stmt(static_cast<const Stmt&>(*e));
      visit_body(n.else_);
      break;
    }
    case StmtKind::For: {
      const auto& n = static_cast<const ForStmt&>(s);
      visit(n.iter);
      visit(n.test);
      visit_body(n.body);
      visit_body(n.else_);
      break;
    }
    case StmtKind::Macro:
      visit_def(*static_cast<const MacroStmt&>(s).def);
      break;
    case StmtKind::CallBlock: {
      const auto& n = static_cast<const CallBlockStmt&>(s);
      visit(n.call);
      visit_def(*n.def);
      break;
    }
    case StmtKind::FilterBlock: {
      const auto& n = static_cast<const FilterBlockStmt&>(s);
      visit(n.filter);
      visit_body(n.body);
      break;
    }
    case StmtKind::Assign:
      visit(static_cast<const AssignStmt&>(s).value);
      break;
    case StmtKind::AssignBlock: {
      const auto& n = static_cast<const AssignBlockStmt&>(s);
      visit(n.filter);
      visit_body(n.body);
      break;
    }
    case StmtKind::With: {
      const auto& n = static_cast<const WithStmt&>(s);
      for (const auto& v : n.values) visit(v);
      visit_body(n.body);
      break;
    }
    case StmtKind::Block:
      visit_body(static_cast<const BlockStmt&>(s).body);
      break;
    case StmtKind::Extends:
      visit(static_cast<const ExtendsStmt&>(s).tmpl);
      break;
    case StmtKind::Include:
      visit(static_cast<const IncludeStmt&>(s).tmpl);
      break;
    case StmtKind::Import:
      visit(static_cast<const ImportStmt&>(s).tmpl);
      break;
    case StmtKind::FromImport:
      visit(static_cast<const FromImportStmt&>(s).tmpl);
      break;
    case StmtKind::Autoescape: {
      const auto& n = static_cast<const AutoescapeStmt&>(s);
      visit(n.value);
      visit_body(n.body);
      break;
    }
  }
}

}  // namespace lava::tmpl
