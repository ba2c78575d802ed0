#include "template/parser.h"

#include <set>

#include "template/checker.h"
#include "template/errors.h"
#include "template/filters.h"
#include "template/optimizer.h"
#include "template/pyops.h"

namespace lava::tmpl {

namespace {

constexpr int kMaxDepth = 200;  // nesting of expressions and statements

// An expected token: a type, or a name with a particular value ("name:endfor").
struct Want {
  Tok type;
  const char* name = nullptr;
};

std::string describe_want(const Want& w) {
  return w.name ? w.name : describe_token_type(w.type);
}

class Parser {
 public:
  Parser(TokenStream& tokens, Template& tmpl) : toks_(tokens), tmpl_(tmpl) {}

  Body parse() { return subparse(nullptr); }

 private:
  TokenStream& toks_;
  Template& tmpl_;
  std::vector<std::string> tag_stack_;
  std::vector<std::vector<Want>> end_token_stack_;
  int depth_ = 0;

  struct DepthGuard {
    Parser& p;
    explicit DepthGuard(Parser& parser) : p(parser) {
      if (++p.depth_ > kMaxDepth) {
        --p.depth_;
        p.fail("template nesting too deep (limit " + std::to_string(kMaxDepth) + ")");
      }
    }
    ~DepthGuard() { --p.depth_; }
  };

  const Token& cur() { return toks_.current(); }
  const Token& look() { return toks_.peek(); }
  Token next() { return toks_.next(); }
  bool test(const Token& t, const Want& w) const {
    if (t.type != w.type) return false;
    return !w.name || t.value == w.name;
  }
  bool test_name(const char* name) { return cur().type == Tok::Name && cur().value == name; }
  bool skip_if(Tok t) {
    if (cur().type == t) {
      next();
      return true;
    }
    return false;
  }
  bool skip_if_name(const char* name) {
    if (test_name(name)) {
      next();
      return true;
    }
    return false;
  }

  [[noreturn]] void fail(const std::string& msg, int line = -1) {
    throw EvalError(msg, line < 0 ? cur().line : line);
  }

  Token expect(const Want& w) {
    if (!test(cur(), w)) {
      std::string expr = describe_want(w);
      if (cur().type == Tok::Eof)
        fail("unexpected end of template, expected " + repr_string(expr) + ".");
      fail("expected token " + repr_string(expr) + ", got " + repr_string(describe_token(cur())));
    }
    return next();
  }
  Token expect(Tok t) { return expect(Want{t}); }
  Token expect_name(const char* n) { return expect(Want{Tok::Name, n}); }

  [[noreturn]] void fail_ut_eof(const std::string* name,
                                const std::vector<std::vector<Want>>& stack, int line) {
    std::set<std::string> expected;
    for (const auto& exprs : stack)
      for (const auto& w : exprs) expected.insert(describe_want(w));
    std::string currently;
    if (!stack.empty()) {
      for (const auto& w : stack.back()) {
        if (!currently.empty()) currently += " or ";
        currently += repr_string(describe_want(w));
      }
    }
    std::string msg = name ? "Encountered unknown tag " + repr_string(*name) + "."
                           : "Unexpected end of template.";
    if (!currently.empty()) {
      if (name && expected.count(*name)) {
        msg +=
            " You probably made a nesting mistake. Jinja is expecting this tag, but currently "
            "looking for " +
            currently + ".";
      } else {
        msg += " Jinja was looking for the following tags: " + currently + ".";
      }
    }
    if (!tag_stack_.empty())
      msg +=
          " The innermost block that needs to be closed is " + repr_string(tag_stack_.back()) + ".";
    fail(msg, line);
  }

  [[noreturn]] void fail_eof(const std::vector<Want>* end_tokens, int line) {
    auto stack = end_token_stack_;
    if (end_tokens) stack.push_back(*end_tokens);
    fail_ut_eof(nullptr, stack, line);
  }

  bool at_end_token(const std::vector<Want>* end_tokens) {
    if (!end_tokens) return false;
    for (const auto& w : *end_tokens)
      if (test(cur(), w)) return true;
    return false;
  }

  Body subparse(const std::vector<Want>* end_tokens) {
    DepthGuard guard(*this);
    Body body;
    std::unique_ptr<OutputStmt> data;
    if (end_tokens) end_token_stack_.push_back(*end_tokens);
    auto flush = [&]() {
      if (data) {
        body.push_back(std::move(data));
        data.reset();
      }
    };
    auto add = [&](OutputStmt::Item item, int line) {
      if (!data) data = std::make_unique<OutputStmt>(line);
      data->items.push_back(std::move(item));
    };
    while (cur().type != Tok::Eof) {
      const Token& t = cur();
      if (t.type == Tok::Data) {
        Token data_token = next();
        add({std::move(data_token.value), nullptr}, data_token.line);
      } else if (t.type == Tok::VariableBegin) {
        int line = t.line;
        next();
        add({{}, parse_tuple(false, true, nullptr, false)}, line);
        expect(Tok::VariableEnd);
      } else if (t.type == Tok::BlockBegin) {
        flush();
        next();
        if (at_end_token(end_tokens)) {
          if (end_tokens) end_token_stack_.pop_back();
          return body;
        }
        parse_statement(body);
        expect(Tok::BlockEnd);
      } else {
        fail("internal parsing error");
      }
    }
    flush();
    if (end_tokens) end_token_stack_.pop_back();
    return body;
  }

  Body parse_statements(const std::vector<Want>& end_tokens, bool drop_needle) {
    skip_if(Tok::Colon);
    expect(Tok::BlockEnd);
    Body result = subparse(&end_tokens);
    if (cur().type == Tok::Eof) fail_eof(&end_tokens, cur().line);
    if (drop_needle) next();
    return result;
  }

  void parse_statement(Body& body) {
    const Token& token = cur();
    if (token.type != Tok::Name) fail("tag name expected", token.line);
    std::string name = token.value;
    int line = token.line;
    static const std::set<std::string> keywords = {
        "for",  "if",     "block", "extends", "print",      "macro", "include",
        "from", "import", "set",   "with",    "autoescape", "call",  "filter"};
    if (!keywords.count(name)) fail_ut_eof(&name, end_token_stack_, line);
    tag_stack_.push_back(name);
    if (name == "for")
      body.push_back(parse_for());
    else if (name == "if")
      body.push_back(parse_if());
    else if (name == "block")
      body.push_back(parse_block());
    else if (name == "extends")
      body.push_back(parse_extends());
    else if (name == "print")
      body.push_back(parse_print());
    else if (name == "macro")
      body.push_back(parse_macro());
    else if (name == "include")
      body.push_back(parse_include());
    else if (name == "from")
      body.push_back(parse_from());
    else if (name == "import")
      body.push_back(parse_import());
    else if (name == "set")
      body.push_back(parse_set());
    else if (name == "with")
      body.push_back(parse_with());
    else if (name == "autoescape")
      body.push_back(parse_autoescape());
    else if (name == "call")
      body.push_back(parse_call_block());
    else
      body.push_back(parse_filter_block());
    tag_stack_.pop_back();
  }

  StmtPtr parse_set() {
    int line = next().line;
    ExprPtr target = parse_assign_target(true, false, nullptr, true);
    if (skip_if(Tok::Assign)) {
      auto node = std::make_unique<AssignStmt>(line);
      node->target = std::move(target);
      node->value = parse_tuple(false, true, nullptr, false);
      return node;
    }
    auto node = std::make_unique<AssignBlockStmt>(line);
    node->target = std::move(target);
    node->filter = parse_filter(nullptr, false);
    node->body = parse_statements({{Tok::Name, "endset"}}, true);
    return node;
  }

  StmtPtr parse_for() {
    int line = expect_name("for").line;
    auto node = std::make_unique<ForStmt>(line);
    std::vector<Want> in_rule = {{Tok::Name, "in"}};
    node->target = parse_assign_target(true, false, &in_rule, false);
    expect_name("in");
    std::vector<Want> rec_rule = {{Tok::Name, "recursive"}};
    node->iter = parse_tuple(false, false, &rec_rule, false);
    if (skip_if_name("if")) node->test = parse_expression(true);
    node->recursive = skip_if_name("recursive");
    node->body = parse_statements({{Tok::Name, "endfor"}, {Tok::Name, "else"}}, false);
    if (next().value == "endfor") return node;
    node->else_ = parse_statements({{Tok::Name, "endfor"}}, true);
    return node;
  }

  StmtPtr parse_if() {
    int line = expect_name("if").line;
    auto result = std::make_unique<IfStmt>(line);
    IfStmt* node = result.get();
    while (true) {
      node->test = parse_tuple(false, false, nullptr, false);
      node->body =
          parse_statements({{Tok::Name, "elif"}, {Tok::Name, "else"}, {Tok::Name, "endif"}}, false);
      Token token = next();
      if (token.type == Tok::Name && token.value == "elif") {
        result->elifs.push_back(std::make_unique<IfStmt>(cur().line));
        node = result->elifs.back().get();
        continue;
      }
      if (token.type == Tok::Name && token.value == "else")
        result->else_ = parse_statements({{Tok::Name, "endif"}}, true);
      break;
    }
    return result;
  }

  StmtPtr parse_with() {
    auto node = std::make_unique<WithStmt>(next().line);
    while (cur().type != Tok::BlockEnd) {
      if (!node->targets.empty()) expect(Tok::Comma);
      node->targets.push_back(parse_assign_target(true, false, nullptr, false));
      expect(Tok::Assign);
      node->values.push_back(parse_expression(true));
    }
    node->body = parse_statements({{Tok::Name, "endwith"}}, true);
    return node;
  }

  StmtPtr parse_autoescape() {
    auto node = std::make_unique<AutoescapeStmt>(next().line);
    node->value = parse_expression(true);
    node->body = parse_statements({{Tok::Name, "endautoescape"}}, true);
    return node;
  }

  StmtPtr parse_block() {
    auto node = std::make_unique<BlockStmt>(next().line);
    node->name = expect(Tok::Name).value;
    node->scoped = skip_if_name("scoped");
    node->required = skip_if_name("required");
    if (cur().type == Tok::Sub)
      fail(
          "Block names in Jinja have to be valid Python identifiers and may not contain "
          "hyphens, use an underscore instead.");
    node->body = parse_statements({{Tok::Name, "endblock"}}, true);
    if (node->required) {
      for (const auto& st : node->body) {
        bool ok = st->kind == StmtKind::Output;
        if (ok) {
          for (const auto& item : static_cast<OutputStmt&>(*st).items) {
            bool space = !item.expr && !item.data.empty();
            for (char c : item.data)
              if (!std::isspace(static_cast<unsigned char>(c))) space = false;
            if (!space) ok = false;
          }
        }
        if (!ok) fail("Required blocks can only contain comments or whitespace");
      }
    }
    if (cur().type == Tok::Name && cur().value == node->name) next();
    if (tmpl_.blocks.count(node->name))
      throw EvalError("block " + repr_string(node->name) + " defined twice", node->line);
    tmpl_.blocks[node->name] = node.get();
    return node;
  }

  StmtPtr parse_extends() {
    auto node = std::make_unique<ExtendsStmt>(next().line);
    node->tmpl = parse_expression(true);
    return node;
  }

  bool parse_context(bool dflt) {
    if ((test_name("with") || test_name("without")) && look().type == Tok::Name &&
        look().value == "context") {
      bool with = next().value == "with";
      next();
      return with;
    }
    return dflt;
  }

  StmtPtr parse_include() {
    auto node = std::make_unique<IncludeStmt>(next().line);
    node->tmpl = parse_expression(true);
    if (test_name("ignore") && look().type == Tok::Name && look().value == "missing") {
      node->ignore_missing = true;
      next();
      next();
    }
    node->with_context = parse_context(true);
    return node;
  }

  StmtPtr parse_import() {
    auto node = std::make_unique<ImportStmt>(next().line);
    node->tmpl = parse_expression(true);
    expect_name("as");
    node->target = static_cast<NameExpr&>(*parse_assign_target(true, true, nullptr, false)).name;
    node->with_context = parse_context(false);
    return node;
  }

  StmtPtr parse_from() {
    auto node = std::make_unique<FromImportStmt>(next().line);
    node->tmpl = parse_expression(true);
    expect_name("import");
    bool have_context = false;
    auto try_context = [&]() {
      if ((test_name("with") || test_name("without")) && look().type == Tok::Name &&
          look().value == "context") {
        node->with_context = next().value == "with";
        next();
        have_context = true;
        return true;
      }
      return false;
    };
    while (true) {
      if (!node->names.empty()) expect(Tok::Comma);
      if (cur().type == Tok::Name) {
        if (try_context()) break;
        auto target = parse_assign_target(true, true, nullptr, false);
        const std::string& tname = static_cast<NameExpr&>(*target).name;
        if (!tname.empty() && tname[0] == '_')
          fail("names starting with an underline can not be imported", target->line);
        if (skip_if_name("as")) {
          auto alias = parse_assign_target(true, true, nullptr, false);
          node->names.emplace_back(tname, static_cast<NameExpr&>(*alias).name);
        } else {
          node->names.emplace_back(tname, tname);
        }
        if (try_context() || cur().type != Tok::Comma) break;
      } else {
        expect(Tok::Name);
      }
    }
    if (!have_context) node->with_context = false;
    return node;
  }

  void parse_signature(MacroDef& def) {
    expect(Tok::LParen);
    while (cur().type != Tok::RParen) {
      if (!def.args.empty()) expect(Tok::Comma);
      auto arg = parse_assign_target(true, true, nullptr, false);
      std::string name = static_cast<NameExpr&>(*arg).name;
      if (skip_if(Tok::Assign)) {
        def.defaults.push_back(parse_expression(true));
      } else if (!def.defaults.empty()) {
        fail("non-default argument follows default argument");
      }
      def.args.push_back(std::move(name));
    }
    expect(Tok::RParen);
  }

  StmtPtr parse_call_block() {
    auto node = std::make_unique<CallBlockStmt>(next().line);
    node->def = std::make_shared<MacroDef>();
    node->def->line = node->line;
    if (cur().type == Tok::LParen) parse_signature(*node->def);
    ExprPtr call = parse_expression(true);
    if (call->kind != ExprKind::Call) fail("expected call", node->line);
    node->call = std::move(call);
    node->def->body = parse_statements({{Tok::Name, "endcall"}}, true);
    return node;
  }

  StmtPtr parse_filter_block() {
    auto node = std::make_unique<FilterBlockStmt>(next().line);
    node->filter = parse_filter(nullptr, true);
    node->body = parse_statements({{Tok::Name, "endfilter"}}, true);
    return node;
  }

  StmtPtr parse_macro() {
    auto node = std::make_unique<MacroStmt>(next().line);
    node->def = std::make_shared<MacroDef>();
    node->def->line = node->line;
    node->def->name = static_cast<NameExpr&>(*parse_assign_target(true, true, nullptr, false)).name;
    parse_signature(*node->def);
    node->def->body = parse_statements({{Tok::Name, "endmacro"}}, true);
    return node;
  }

  StmtPtr parse_print() {
    auto node = std::make_unique<OutputStmt>(next().line);
    while (cur().type != Tok::BlockEnd) {
      if (!node->items.empty()) expect(Tok::Comma);
      node->items.push_back({{}, parse_expression(true)});
    }
    return node;
  }

  static bool can_assign(const Expr& e) {
    if (e.kind == ExprKind::Name) {
      const std::string& n = static_cast<const NameExpr&>(e).name;
      return !(n == "true" || n == "false" || n == "none" || n == "True" || n == "False" ||
               n == "None");
    }
    if (e.kind == ExprKind::Tuple) {
      for (const auto& item : static_cast<const SeqExpr&>(e).items)
        if (!can_assign(*item)) return false;
      return true;
    }
    return e.kind == ExprKind::NSRef;
  }

  static std::string node_type_name(const Expr& e) {
    switch (e.kind) {
      case ExprKind::Const:
        return "const";
      case ExprKind::List:
        return "list";
      case ExprKind::Dict:
        return "dict";
      case ExprKind::Tuple:
        return "tuple";
      case ExprKind::Getattr:
        return "getattr";
      case ExprKind::Getitem:
        return "getitem";
      case ExprKind::Call:
        return "call";
      default:
        return "expr";
    }
  }

  ExprPtr parse_assign_target(bool with_tuple, bool name_only,
                              const std::vector<Want>* extra_end_rules, bool with_namespace) {
    ExprPtr target;
    if (with_namespace && look().type == Tok::Dot) {
      Token token = expect(Tok::Name);
      next();
      Token attr = expect(Tok::Name);
      target = std::make_unique<NSRefExpr>(token.value, attr.value, token.line);
    } else if (name_only) {
      Token token = expect(Tok::Name);
      target = std::make_unique<NameExpr>(token.value, token.line);
    } else if (with_tuple) {
      target = parse_tuple(true, true, extra_end_rules, false);
    } else {
      target = parse_primary();
    }
    // Constants parsed as names (true/none) are Const nodes and cannot be assigned.
    if (target->kind == ExprKind::Const || !can_assign(*target)) {
      std::string what = target->kind == ExprKind::Name ? "name" : node_type_name(*target);
      fail("can't assign to " + repr_string(what), target->line);
    }
    return target;
  }

  ExprPtr parse_expression(bool with_condexpr) {
    return with_condexpr ? parse_condexpr() : parse_or();
  }

  ExprPtr parse_condexpr() {
    int line = cur().line;
    ExprPtr expr1 = parse_or();
    while (skip_if_name("if")) {
      auto node = std::make_unique<CondExpr>(line);
      node->test = parse_or();
      if (skip_if_name("else")) node->expr2 = parse_condexpr();
      node->expr1 = std::move(expr1);
      expr1 = std::move(node);
      line = cur().line;
    }
    return expr1;
  }

  ExprPtr parse_or() {
    int line = cur().line;
    ExprPtr left = parse_and();
    while (skip_if_name("or")) {
      ExprPtr right = parse_and();
      left = std::make_unique<LogicExpr>(ExprKind::Or, std::move(left), std::move(right), line);
      line = cur().line;
    }
    return left;
  }

  ExprPtr parse_and() {
    int line = cur().line;
    ExprPtr left = parse_not();
    while (skip_if_name("and")) {
      ExprPtr right = parse_not();
      left = std::make_unique<LogicExpr>(ExprKind::And, std::move(left), std::move(right), line);
      line = cur().line;
    }
    return left;
  }

  ExprPtr parse_not() {
    if (test_name("not")) {
      DepthGuard guard(*this);
      int line = next().line;
      return std::make_unique<LogicExpr>(ExprKind::Not, parse_not(), nullptr, line);
    }
    return parse_compare();
  }

  ExprPtr parse_compare() {
    int line = cur().line;
    ExprPtr expr = parse_math1();
    std::vector<std::pair<CmpOp, ExprPtr>> ops;
    while (true) {
      Tok t = cur().type;
      CmpOp op;
      if (t == Tok::Eq)
        op = CmpOp::Eq;
      else if (t == Tok::Ne)
        op = CmpOp::Ne;
      else if (t == Tok::Lt)
        op = CmpOp::Lt;
      else if (t == Tok::LtEq)
        op = CmpOp::LtEq;
      else if (t == Tok::Gt)
        op = CmpOp::Gt;
      else if (t == Tok::GtEq)
        op = CmpOp::GtEq;
      else if (test_name("in"))
        op = CmpOp::In;
      else if (test_name("not") && look().type == Tok::Name && look().value == "in") {
        next();
        op = CmpOp::NotIn;
      } else {
        break;
      }
      next();
      ops.emplace_back(op, parse_math1());
      line = cur().line;
    }
    if (ops.empty()) return expr;
    auto node = std::make_unique<CompareExpr>(line);
    node->expr = std::move(expr);
    node->ops = std::move(ops);
    return node;
  }

  ExprPtr parse_math1() {
    int line = cur().line;
    ExprPtr left = parse_concat();
    while (cur().type == Tok::Add || cur().type == Tok::Sub) {
      BinOp op = cur().type == Tok::Add ? BinOp::Add : BinOp::Sub;
      next();
      ExprPtr right = parse_concat();
      left = std::make_unique<BinaryExpr>(op, std::move(left), std::move(right), line);
      line = cur().line;
    }
    return left;
  }

  ExprPtr parse_concat() {
    int line = cur().line;
    ExprPtr first = parse_math2();
    if (cur().type != Tok::Tilde) return first;
    auto node = std::make_unique<ConcatExpr>(line);
    node->items.push_back(std::move(first));
    while (cur().type == Tok::Tilde) {
      next();
      node->items.push_back(parse_math2());
    }
    node->constant = is_constant(node.get());
    return node;
  }

  ExprPtr parse_math2() {
    int line = cur().line;
    ExprPtr left = parse_pow();
    while (true) {
      Tok t = cur().type;
      BinOp op;
      if (t == Tok::Mul)
        op = BinOp::Mul;
      else if (t == Tok::Div)
        op = BinOp::Div;
      else if (t == Tok::FloorDiv)
        op = BinOp::FloorDiv;
      else if (t == Tok::Mod)
        op = BinOp::Mod;
      else
        break;
      next();
      ExprPtr right = parse_pow();
      left = std::make_unique<BinaryExpr>(op, std::move(left), std::move(right), line);
      line = cur().line;
    }
    return left;
  }

  ExprPtr parse_pow() {
    int line = cur().line;
    ExprPtr left = parse_unary(true);
    while (cur().type == Tok::Pow) {
      next();
      ExprPtr right = parse_unary(true);
      left = std::make_unique<BinaryExpr>(BinOp::Pow, std::move(left), std::move(right), line);
      line = cur().line;
    }
    return left;
  }

  ExprPtr parse_unary(bool with_filter) {
    DepthGuard guard(*this);
    Tok t = cur().type;
    int line = cur().line;
    ExprPtr node;
    if (t == Tok::Sub) {
      next();
      node = std::make_unique<LogicExpr>(ExprKind::Neg, parse_unary(false), nullptr, line);
    } else if (t == Tok::Add) {
      next();
      node = std::make_unique<LogicExpr>(ExprKind::Pos, parse_unary(false), nullptr, line);
    } else {
      node = parse_primary();
    }
    node = parse_postfix(std::move(node));
    if (with_filter) node = parse_filter_expr(std::move(node));
    return node;
  }

  ExprPtr parse_primary() {
    const Token& token = cur();
    int line = token.line;
    if (token.type == Tok::Name) {
      const std::string& v = token.value;
      ExprPtr node;
      if (v == "true" || v == "True")
        node = std::make_unique<ConstExpr>(Value(true), line);
      else if (v == "false" || v == "False")
        node = std::make_unique<ConstExpr>(Value(false), line);
      else if (v == "none" || v == "None")
        node = std::make_unique<ConstExpr>(Value::none(), line);
      else
        node = std::make_unique<NameExpr>(v, line);
      next();
      return node;
    }
    if (token.type == Tok::String) {
      std::string buf = next().value;
      while (cur().type == Tok::String) buf += next().value;
      return std::make_unique<ConstExpr>(Value(std::move(buf)), line);
    }
    if (token.type == Tok::Integer) return std::make_unique<ConstExpr>(Value(next().ival), line);
    if (token.type == Tok::Float) return std::make_unique<ConstExpr>(Value(next().fval), line);
    if (token.type == Tok::LParen) {
      next();
      ExprPtr node = parse_tuple(false, true, nullptr, true);
      expect(Tok::RParen);
      return node;
    }
    if (token.type == Tok::LBracket) return parse_list();
    if (token.type == Tok::LBrace) return parse_dict();
    fail("unexpected " + repr_string(describe_token(token)), line);
  }

  bool is_tuple_end(const std::vector<Want>* extra) {
    Tok t = cur().type;
    if (t == Tok::VariableEnd || t == Tok::BlockEnd || t == Tok::RParen) return true;
    if (extra)
      for (const auto& w : *extra)
        if (test(cur(), w)) return true;
    return false;
  }

  ExprPtr parse_tuple(bool simplified, bool with_condexpr, const std::vector<Want>* extra,
                      bool explicit_parens) {
    int line = cur().line;
    std::vector<ExprPtr> args;
    bool is_tuple = false;
    while (true) {
      if (!args.empty()) expect(Tok::Comma);
      if (is_tuple_end(extra)) break;
      if (simplified)
        args.push_back(parse_primary());
      else
        args.push_back(parse_expression(with_condexpr));
      if (cur().type == Tok::Comma)
        is_tuple = true;
      else
        break;
      line = cur().line;
    }
    if (!is_tuple) {
      if (!args.empty()) return std::move(args[0]);
      if (!explicit_parens)
        fail("Expected an expression, got " + repr_string(describe_token(cur())));
    }
    auto node = std::make_unique<SeqExpr>(ExprKind::Tuple, line);
    node->items = std::move(args);
    return node;
  }

  ExprPtr parse_list() {
    Token token = expect(Tok::LBracket);
    auto node = std::make_unique<SeqExpr>(ExprKind::List, token.line);
    while (cur().type != Tok::RBracket) {
      if (!node->items.empty()) expect(Tok::Comma);
      if (cur().type == Tok::RBracket) break;
      node->items.push_back(parse_expression(true));
    }
    expect(Tok::RBracket);
    return node;
  }

  ExprPtr parse_dict() {
    Token token = expect(Tok::LBrace);
    auto node = std::make_unique<DictExpr>(token.line);
    while (cur().type != Tok::RBrace) {
      if (!node->items.empty()) expect(Tok::Comma);
      if (cur().type == Tok::RBrace) break;
      ExprPtr key = parse_expression(true);
      expect(Tok::Colon);
      ExprPtr value = parse_expression(true);
      node->items.emplace_back(std::move(key), std::move(value));
    }
    expect(Tok::RBrace);
    return node;
  }

  ExprPtr parse_postfix(ExprPtr node) {
    while (true) {
      Tok t = cur().type;
      if (t == Tok::Dot || t == Tok::LBracket)
        node = parse_subscript(std::move(node));
      else if (t == Tok::LParen)
        node = parse_call(std::move(node));
      else
        break;
    }
    return node;
  }

  ExprPtr parse_filter_expr(ExprPtr node) {
    while (true) {
      Tok t = cur().type;
      if (t == Tok::Pipe)
        node = parse_filter(std::move(node), false);
      else if (test_name("is"))
        node = parse_test(std::move(node));
      else if (t == Tok::LParen)
        node = parse_call(std::move(node));
      else
        break;
    }
    return node;
  }

  ExprPtr parse_subscript(ExprPtr node) {
    Token token = next();
    if (token.type == Tok::Dot) {
      Token attr = next();
      if (attr.type == Tok::Name)
        return std::make_unique<GetattrExpr>(std::move(node), attr.value, token.line);
      if (attr.type != Tok::Integer) fail("expected name or number", attr.line);
      auto arg = std::make_unique<ConstExpr>(Value(attr.ival), attr.line);
      return std::make_unique<GetitemExpr>(std::move(node), std::move(arg), token.line);
    }
    // lbracket
    std::vector<ExprPtr> args;
    while (cur().type != Tok::RBracket) {
      if (!args.empty()) expect(Tok::Comma);
      args.push_back(parse_subscribed());
    }
    expect(Tok::RBracket);
    ExprPtr arg;
    if (args.size() == 1) {
      arg = std::move(args[0]);
    } else {
      auto tuple = std::make_unique<SeqExpr>(ExprKind::Tuple, token.line);
      tuple->items = std::move(args);
      arg = std::move(tuple);
    }
    return std::make_unique<GetitemExpr>(std::move(node), std::move(arg), token.line);
  }

  ExprPtr parse_subscribed() {
    int line = cur().line;
    auto slice = std::make_unique<SliceExpr>(line);
    if (cur().type == Tok::Colon) {
      next();
    } else {
      ExprPtr node = parse_expression(true);
      if (cur().type != Tok::Colon) return node;
      next();
      slice->start = std::move(node);
    }
    if (cur().type == Tok::Colon) {
      // no stop
    } else if (cur().type != Tok::RBracket && cur().type != Tok::Comma) {
      slice->stop = parse_expression(true);
    }
    if (cur().type == Tok::Colon) {
      next();
      if (cur().type != Tok::RBracket && cur().type != Tok::Comma)
        slice->step = parse_expression(true);
    }
    return slice;
  }

  CallArgsExpr parse_call_args() {
    Token token = expect(Tok::LParen);
    CallArgsExpr a;
    bool require_comma = false;
    auto ensure = [&](bool ok) {
      if (!ok) fail("invalid syntax for function call expression", token.line);
    };
    while (cur().type != Tok::RParen) {
      if (require_comma) {
        expect(Tok::Comma);
        if (cur().type == Tok::RParen) break;
      }
      if (cur().type == Tok::Mul) {
        ensure(!a.dyn_args && !a.dyn_kwargs);
        next();
        a.dyn_args = parse_expression(true);
      } else if (cur().type == Tok::Pow) {
        ensure(!a.dyn_kwargs);
        next();
        a.dyn_kwargs = parse_expression(true);
      } else if (cur().type == Tok::Name && look().type == Tok::Assign) {
        ensure(!a.dyn_kwargs);
        std::string key = cur().value;
        next();
        next();
        a.kw.emplace_back(std::move(key), parse_expression(true));
      } else {
        ensure(!a.dyn_args && !a.dyn_kwargs && a.kw.empty());
        a.pos.push_back(parse_expression(true));
      }
      require_comma = true;
    }
    expect(Tok::RParen);
    return a;
  }

  ExprPtr parse_call(ExprPtr node) {
    int line = cur().line;
    auto call = std::make_unique<CallExpr>(line);
    call->args = parse_call_args();
    call->fn = std::move(node);
    return call;
  }

  ExprPtr parse_filter(ExprPtr node, bool start_inline) {
    while (cur().type == Tok::Pipe || start_inline) {
      if (!start_inline) next();
      Token token = expect(Tok::Name);
      std::string name = token.value;
      while (cur().type == Tok::Dot) {
        next();
        name += "." + expect(Tok::Name).value;
      }
      auto f = std::make_unique<FilterExpr>(ExprKind::Filter, token.line);
      if (cur().type == Tok::LParen) f->args = parse_call_args();
      f->node = std::move(node);
      f->name = name;
      f->filter = find_filter(name);
      node = std::move(f);
      start_inline = false;
    }
    return node;
  }

  ExprPtr parse_test(ExprPtr node) {
    Token token = next();  // 'is'
    bool negated = false;
    if (test_name("not")) {
      next();
      negated = true;
    }
    std::string name = expect(Tok::Name).value;
    while (cur().type == Tok::Dot) {
      next();
      name += "." + expect(Tok::Name).value;
    }
    auto t = std::make_unique<FilterExpr>(ExprKind::Test, token.line);
    Tok ct = cur().type;
    if (ct == Tok::LParen) {
      t->args = parse_call_args();
    } else if ((ct == Tok::Name || ct == Tok::String || ct == Tok::Integer || ct == Tok::Float ||
                ct == Tok::LParen || ct == Tok::LBracket || ct == Tok::LBrace) &&
               !(test_name("else") || test_name("or") || test_name("and"))) {
      if (test_name("is")) fail("You cannot chain multiple tests with is");
      ExprPtr arg = parse_primary();
      arg = parse_postfix(std::move(arg));
      t->args.pos.push_back(std::move(arg));
    }
    t->node = std::move(node);
    t->name = name;
    t->test = find_test(name);
    if (negated)
      return std::make_unique<LogicExpr>(ExprKind::Not, std::move(t), nullptr, token.line);
    return t;
  }
};

}  // namespace

std::shared_ptr<Template> parse_template(std::string_view source, const std::string& name,
                                         const Delimiters& delimiters) {
  auto tmpl = std::make_shared<Template>();
  tmpl->name = name;
  try {
    std::string normalized = normalize_source(source);
    TokenStream tokens(normalized, delimiters);
    Parser parser(tokens, *tmpl);
    tmpl->body = parser.parse();
    check_template(*tmpl);
  } catch (EvalError& e) {
    // Whatever fails while compiling is Jinja's TemplateSyntaxError (or its subclass
    // TemplateAssertionError) unless it already says otherwise.
    if (e.kind == ErrorKind::Error) e.kind = ErrorKind::Syntax;
    throw;
  }
  return tmpl;
}

}  // namespace lava::tmpl
