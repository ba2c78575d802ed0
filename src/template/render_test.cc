#include "template/render.h"

#include "util/temp_dir.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace lava::tmpl {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::ordered_json;

std::string render(std::string_view src, const Json& params = Json::object(),
                   RenderOptions o = {}) {
  return render_string(src, "t.j2", params, o);
}

class TempDir {
 public:
  const fs::path& path() const { return dir_.path; }
  void write(const std::string& name, const std::string& text) const {
    fs::create_directories((path() / name).parent_path());
    std::ofstream(path() / name) << text;
  }

 private:
  lava::TempDir dir_ = lava::TempDir::create("tmpl_test_");
};

TEST(Render, ParamsKeepTheirTypes) {
  Json p = {{"i", 3},       {"f", 2.0},      {"b", true},
            {"n", nullptr}, {"l", {1, "x"}}, {"m", {{"k", "v"}}}};
  EXPECT_EQ(render("{{ i + 1 }} {{ f }} {{ b }} {{ n }} {{ l }} {{ m.k }}", p),
            "4 2.0 True None [1, 'x'] v");
}

TEST(Render, NoTrailingNewlineAdded) {
  EXPECT_EQ(render("line\n"), "line");
  EXPECT_EQ(render("line\n\n"), "line\n");
}

TEST(Render, AngleDelimitersForPayloads) {
  RenderOptions o;
  o.delimiter = '<';
  Json p = {{"realm", "dev"}, {"env", "dev"}, {"prefix", {{"docker_repo", "lava/dev/p"}}}};
  EXPECT_EQ(render("FROM x\nENV R=<{ realm }> {{ keep }}\nIMG=<{ prefix.docker_repo }>/h", p, o),
            "FROM x\nENV R=dev {{ keep }}\nIMG=lava/dev/p/h");
}

TEST(Render, ErrorsNameTemplateAndLine) {
  try {
    render("ok\n{{ missing.attr }}");
    FAIL() << "no error";
  } catch (const TemplateError& e) {
    EXPECT_STREQ(e.what(), "t.j2:2: 'missing' is undefined");
    EXPECT_EQ(e.line(), 2);
  }
  try {
    render("a\nb\n{% if %}");
    FAIL() << "no error";
  } catch (const TemplateError& e) {
    EXPECT_EQ(e.line(), 3);
  }
}

TEST(Render, ErrorsInIncludedTemplatesSayWhere) {
  TempDir dir;
  dir.write("inc.j2", "x\n{{ 1 / 0 }}");
  RenderOptions o;
  o.search_dir = dir.path();
  try {
    render("a\n\n{% include 'inc.j2' %}", Json::object(), o);
    FAIL() << "no error";
  } catch (const TemplateError& e) {
    EXPECT_STREQ(e.what(), "t.j2:3: division by zero (in template 'inc.j2', line 2)");
  }
}

// The kind of a failure (the Python exception Jinja raises) reaches the caller, also from
// an included template; tests/template/run_diff.py compares it with Jinja's case by case.
TEST(Render, ErrorsCarryTheirKind) {
  auto kind_of = [](std::string_view src, RenderOptions o = {}) {
    try {
      render(src, Json::object(), o);
    } catch (const TemplateError& e) {
      return std::string(error_kind_name(e.kind()));
    }
    return std::string("no error");
  };
  EXPECT_EQ(kind_of("{% if %}"), "TemplateSyntaxError");
  EXPECT_EQ(kind_of("{{ x|nosuchfilter }}"), "TemplateSyntaxError");  // Jinja's assertion
  EXPECT_EQ(kind_of("{% if x %}{{ x|nosuchfilter }}{% endif %}{{ 1 }}"), "no error");
  EXPECT_EQ(kind_of("{{ missing.attr }}"), "UndefinedError");
  EXPECT_EQ(kind_of("{{ 1 + 'a' }}"), "TypeError");
  EXPECT_EQ(kind_of("{{ [1].index(2) }}"), "ValueError");
  EXPECT_EQ(kind_of("{{ 1 // 0 }}"), "ZeroDivisionError");
  EXPECT_EQ(kind_of("{{ '{1}'.format(0) }}"), "IndexError");
  EXPECT_EQ(kind_of("{% set x = 1 %}{% set x.a = 2 %}"), "TemplateRuntimeError");
  TempDir dir;
  dir.write("inc.j2", "{{ 1 / 0 }}");
  RenderOptions o;
  o.search_dir = dir.path();
  EXPECT_EQ(kind_of("{% include 'inc.j2' %}", o), "ZeroDivisionError");
  EXPECT_EQ(kind_of("{% include 'nope.j2' %}", o), "TemplateNotFound");
  EXPECT_EQ(kind_of("{% include '../inc.j2' ignore missing %}", o), "TemplateNotFound");
}

TEST(Render, IncludesStayInsideTheContextDirectory) {
  TempDir dir;
  dir.write("root/ok.j2", "ok");
  dir.write("secret.txt", "secret");
  fs::create_symlink(dir.path() / "secret.txt", dir.path() / "root" / "link.j2");
  RenderOptions o;
  o.search_dir = dir.path() / "root";
  EXPECT_EQ(render("{% include 'ok.j2' %}", Json::object(), o), "ok");
  // Climbing out is an error even where a missing template would be ignored.
  EXPECT_THROW(render("{% include 'sub/../../secret.txt' ignore missing %}", Json::object(), o),
               TemplateError);
  EXPECT_EQ(render("{% include 'nope.j2' ignore missing %}", Json::object(), o), "");
  EXPECT_THROW(render("{% include '../secret.txt' %}", Json::object(), o), TemplateError);
  EXPECT_THROW(render("{% include '/etc/passwd' %}", Json::object(), o), TemplateError);
  EXPECT_THROW(render("{% include 'link.j2' %}", Json::object(), o), TemplateError);
  EXPECT_THROW(render("{% import '/etc/hosts' as h %}", Json::object(), o), TemplateError);
  EXPECT_THROW(render("{% extends '../secret.txt' %}", Json::object(), o), TemplateError);
}

TEST(Render, LimitsFailCleanly) {
  EXPECT_THROW(render("{% for i in range(100000000000) %}{% endfor %}"), TemplateError);
  EXPECT_THROW(render("{% macro f() %}{{ f() }}{% endmacro %}{{ f() }}"), TemplateError);
  EXPECT_THROW(render("{{ 'x' * 10000000000 }}"), TemplateError);
  EXPECT_THROW(render("{{ " + std::string(1000, '(') + "1" + std::string(1000, ')') + " }}"),
               TemplateError);
  EXPECT_THROW(render("{{ 2 ** 64 }}"), TemplateError);
  EXPECT_EQ(render("{{ range(10**12) | length }}"), "1000000000000");
}

TEST(Render, BuiltinsAndEnviron) {
  RenderOptions o;
  o.templates = {"a.j2"};
  o.realm_info = {{"realm", "dev-realm"}};
  EXPECT_EQ(render("{{ jinja.prog }} {{ jinja.templates }} {{ lava.realm }}", Json::object(), o),
            "jinja ['a.j2'] dev-realm");
  ::setenv("TMPL_TEST_VAR", "v1", 1);
  EXPECT_EQ(render("{{ environ.TMPL_TEST_VAR }}", Json::object(), o), "v1");
  o.environ = false;
  o.builtins = false;
  EXPECT_EQ(render("{{ environ is defined }} {{ jinja is defined }} {{ lava is defined }}",
                   Json::object(), o),
            "False False False");
}

TEST(Render, LavaAwsIsLazy) {
  RenderOptions o;
  EXPECT_EQ(render("{{ 'aws' in lava }}", Json::object(), o), "True");
  try {
    render("{{ lava.aws.account }}", Json::object(), o);
    FAIL() << "no error";
  } catch (const TemplateError& e) {
    EXPECT_NE(std::string(e.what()).find("needs AWS credentials"), std::string::npos);
  }
  int calls = 0;
  o.aws_info = [&](const std::string& key) {
    ++calls;
    return key == "account" ? std::string("123456789012") : std::string("eu-west-1");
  };
  EXPECT_EQ(render("x", Json::object(), o), "x");
  EXPECT_EQ(calls, 0);
  EXPECT_EQ(render("{{ lava.aws.arn('sqs-queue', 'q') }}", Json::object(), o),
            "arn:aws:sqs:eu-west-1:123456789012:q");
}

TEST(Render, AutoescapeOption) {
  RenderOptions o;
  o.autoescape = true;
  EXPECT_EQ(render("{{ '<a>' }} {{ '<b>' | safe }}", Json::object(), o), "&lt;a&gt; <b>");
}

TEST(Render, RendererReusesParsedIncludes) {
  TempDir dir;
  dir.write("m.j2", "{% macro hi(x) %}hi {{ x }}{% endmacro %}");
  RenderOptions o;
  o.search_dir = dir.path();
  Renderer r(Json{{"who", "a"}}, o);
  EXPECT_EQ(r.render("{% from 'm.j2' import hi %}{{ hi(who) }}", "one"), "hi a");
  EXPECT_EQ(r.render("{% import 'm.j2' as m %}{{ m.hi(2) }}", "two"), "hi 2");
}

}  // namespace
}  // namespace lava::tmpl
