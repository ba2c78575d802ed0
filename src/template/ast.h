// Template syntax tree, mirroring jinja2.nodes: expressions and statements.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "template/value.h"

namespace lava::tmpl {

class Runtime;
struct Expr;
struct Stmt;
using ExprPtr = std::unique_ptr<Expr>;
using StmtPtr = std::unique_ptr<Stmt>;
using Body = std::vector<StmtPtr>;

// A filter or test implementation: input value plus call arguments.
using FilterFn = Value (*)(Runtime& rt, const Value& input, CallArgs& args);
using TestFn = bool (*)(Runtime& rt, const Value& input, CallArgs& args);

enum class ExprKind : uint8_t {
  Const,
  Name,
  List,
  Tuple,
  Dict,
  Getattr,
  Getitem,
  Slice,
  Call,
  Filter,
  Test,
  CondExpr,
  And,
  Or,
  Not,
  Neg,
  Pos,
  Binary,
  Concat,
  Compare,
  NSRef,
};

enum class BinOp : uint8_t { Add, Sub, Mul, Div, FloorDiv, Mod, Pow };
enum class CmpOp : uint8_t { Eq, Ne, Lt, LtEq, Gt, GtEq, In, NotIn };

struct Expr {
  Expr(ExprKind k, int l) : kind(k), line(l) {}
  virtual ~Expr() = default;
  ExprKind kind;
  int line;
};

struct ConstExpr final : Expr {
  ConstExpr(Value v, int l) : Expr(ExprKind::Const, l), value(std::move(v)) {}
  Value value;
};

struct NameExpr final : Expr {
  NameExpr(std::string n, int l) : Expr(ExprKind::Name, l), name(std::move(n)) {}
  std::string name;
};

// List / Tuple literals.
struct SeqExpr final : Expr {
  SeqExpr(ExprKind k, int l) : Expr(k, l) {}
  std::vector<ExprPtr> items;
};

struct DictExpr final : Expr {
  explicit DictExpr(int l) : Expr(ExprKind::Dict, l) {}
  std::vector<std::pair<ExprPtr, ExprPtr>> items;
};

struct GetattrExpr final : Expr {
  GetattrExpr(ExprPtr o, std::string a, int l)
      : Expr(ExprKind::Getattr, l), obj(std::move(o)), attr(std::move(a)) {}
  ExprPtr obj;
  std::string attr;
};

struct GetitemExpr final : Expr {
  GetitemExpr(ExprPtr o, ExprPtr a, int l)
      : Expr(ExprKind::Getitem, l), obj(std::move(o)), arg(std::move(a)) {}
  ExprPtr obj;
  ExprPtr arg;
};

struct SliceExpr final : Expr {
  explicit SliceExpr(int l) : Expr(ExprKind::Slice, l) {}
  ExprPtr start, stop, step;  // each may be null
};

struct CallArgsExpr {
  std::vector<ExprPtr> pos;
  std::vector<std::pair<std::string, ExprPtr>> kw;
  ExprPtr dyn_args, dyn_kwargs;
};

struct CallExpr final : Expr {
  explicit CallExpr(int l) : Expr(ExprKind::Call, l) {}
  ExprPtr fn;
  CallArgsExpr args;
};

// `node|name(args)` or `node is name(args)`. `node` is null for the filter of a filter
// block or set block (the body is the input).
struct FilterExpr final : Expr {
  FilterExpr(ExprKind k, int l) : Expr(k, l) {}
  ExprPtr node;
  std::string name;
  CallArgsExpr args;
  FilterFn filter = nullptr;  // resolved at parse time; null = unknown
  TestFn test = nullptr;
};

struct CondExpr final : Expr {
  explicit CondExpr(int l) : Expr(ExprKind::CondExpr, l) {}
  ExprPtr test, expr1, expr2;  // expr2 may be null
};

// And, Or, Not, Neg, Pos.
struct LogicExpr final : Expr {
  LogicExpr(ExprKind k, ExprPtr a, ExprPtr b, int l)
      : Expr(k, l), left(std::move(a)), right(std::move(b)) {}
  ExprPtr left, right;  // unary ops use `left`
};

struct BinaryExpr final : Expr {
  BinaryExpr(BinOp o, ExprPtr a, ExprPtr b, int l)
      : Expr(ExprKind::Binary, l), op(o), left(std::move(a)), right(std::move(b)) {}
  BinOp op;
  ExprPtr left, right;
};

struct ConcatExpr final : Expr {
  explicit ConcatExpr(int l) : Expr(ExprKind::Concat, l) {}
  std::vector<ExprPtr> items;
  // Every operand is a compile-time constant: Jinja folds the concatenation with str(),
  // so Markup operands lose their safety even under autoescape.
  bool constant = false;
};

struct CompareExpr final : Expr {
  explicit CompareExpr(int l) : Expr(ExprKind::Compare, l) {}
  ExprPtr expr;
  std::vector<std::pair<CmpOp, ExprPtr>> ops;
};

struct NSRefExpr final : Expr {
  NSRefExpr(std::string n, std::string a, int l)
      : Expr(ExprKind::NSRef, l), name(std::move(n)), attr(std::move(a)) {}
  std::string name, attr;
};

enum class StmtKind : uint8_t {
  Output,
  If,
  For,
  Macro,
  CallBlock,
  FilterBlock,
  Assign,
  AssignBlock,
  With,
  Block,
  Extends,
  Include,
  Import,
  FromImport,
  Autoescape,
};

struct Stmt {
  Stmt(StmtKind k, int l) : kind(k), line(l) {}
  virtual ~Stmt() = default;
  StmtKind kind;
  int line;
};

// Template data and {{ expressions }} in source order.
struct OutputStmt final : Stmt {
  explicit OutputStmt(int l) : Stmt(StmtKind::Output, l) {}
  struct Item {
    std::string data;  // used when expr is null
    ExprPtr expr;
  };
  std::vector<Item> items;
};

struct IfStmt final : Stmt {
  explicit IfStmt(int l) : Stmt(StmtKind::If, l) {}
  ExprPtr test;
  Body body;
  std::vector<std::unique_ptr<IfStmt>> elifs;
  Body else_;
};

struct ForStmt final : Stmt {
  explicit ForStmt(int l) : Stmt(StmtKind::For, l) {}
  ExprPtr target, iter, test;  // test may be null
  Body body, else_;
  bool recursive = false;
  bool uses_loop = false;  // the body refers to `loop`
};

// Shared by macros and call blocks.
struct MacroDef {
  std::string name;
  std::vector<std::string> args;
  std::vector<ExprPtr> defaults;  // for the last defaults.size() args
  Body body;
  bool catch_kwargs = false, catch_varargs = false, caller = false;
  int line = 0;
};

struct MacroStmt final : Stmt {
  explicit MacroStmt(int l) : Stmt(StmtKind::Macro, l) {}
  std::shared_ptr<MacroDef> def;
};

struct CallBlockStmt final : Stmt {
  explicit CallBlockStmt(int l) : Stmt(StmtKind::CallBlock, l) {}
  ExprPtr call;                   // a CallExpr
  std::shared_ptr<MacroDef> def;  // the caller
};

struct FilterBlockStmt final : Stmt {
  explicit FilterBlockStmt(int l) : Stmt(StmtKind::FilterBlock, l) {}
  ExprPtr filter;  // FilterExpr chain whose innermost node is null
  Body body;
};

struct AssignStmt final : Stmt {
  explicit AssignStmt(int l) : Stmt(StmtKind::Assign, l) {}
  ExprPtr target, value;
};

struct AssignBlockStmt final : Stmt {
  explicit AssignBlockStmt(int l) : Stmt(StmtKind::AssignBlock, l) {}
  ExprPtr target, filter;  // filter may be null
  Body body;
};

struct WithStmt final : Stmt {
  explicit WithStmt(int l) : Stmt(StmtKind::With, l) {}
  std::vector<ExprPtr> targets, values;
  Body body;
};

struct BlockStmt final : Stmt {
  explicit BlockStmt(int l) : Stmt(StmtKind::Block, l) {}
  std::string name;
  bool scoped = false, required = false;
  Body body;
};

struct ExtendsStmt final : Stmt {
  explicit ExtendsStmt(int l) : Stmt(StmtKind::Extends, l) {}
  ExprPtr tmpl;
};

struct IncludeStmt final : Stmt {
  explicit IncludeStmt(int l) : Stmt(StmtKind::Include, l) {}
  ExprPtr tmpl;
  bool ignore_missing = false, with_context = true;
};

struct ImportStmt final : Stmt {
  explicit ImportStmt(int l) : Stmt(StmtKind::Import, l) {}
  ExprPtr tmpl;
  std::string target;
  bool with_context = false;
};

struct FromImportStmt final : Stmt {
  explicit FromImportStmt(int l) : Stmt(StmtKind::FromImport, l) {}
  ExprPtr tmpl;
  std::vector<std::pair<std::string, std::string>> names;  // (name, alias)
  bool with_context = false;
};

struct AutoescapeStmt final : Stmt {
  explicit AutoescapeStmt(int l) : Stmt(StmtKind::Autoescape, l) {}
  ExprPtr value;
  Body body;
};

// A parsed template.
struct Template {
  std::string name;
  Body body;
  std::map<std::string, const BlockStmt*> blocks;  // every block, at any depth
};

}  // namespace lava::tmpl
