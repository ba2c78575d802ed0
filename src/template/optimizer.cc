#include "template/optimizer.h"

#include "template/ast_visit.h"

namespace lava::tmpl {

// Whether Jinja's optimizer can evaluate `e` at compile time (jinja2.nodes as_const).
bool is_constant(const Expr* e) {
  if (!e) return true;
  switch (e->kind) {
    case ExprKind::Const:
      return true;
    case ExprKind::Filter: {
      auto* f = static_cast<const FilterExpr*>(e);
      static const char* contextual[] = {"map",        "select",     "reject",
                                         "selectattr", "rejectattr", "random"};
      for (const char* n : contextual)
        if (f->name == n) return false;
      if (!f->filter || !f->node || f->args.dyn_args || f->args.dyn_kwargs) return false;
      break;
    }
    case ExprKind::List:
    case ExprKind::Tuple:
    case ExprKind::Dict:
    case ExprKind::Binary:
    case ExprKind::Not:
    case ExprKind::Neg:
    case ExprKind::Pos:
    case ExprKind::And:
    case ExprKind::Or:
    case ExprKind::Concat:
    case ExprKind::Compare:
      break;
    default:
      return false;
  }
  bool constant = true;
  for_each_child(*e, [&](const Expr& c) { constant = constant && is_constant(&c); });
  return constant;
}

}  // namespace lava::tmpl
