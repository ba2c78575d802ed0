// `lava-docker render`: a drop-in for the lava framework's `jinja` command (same options,
// same parameter handling and output), rendering with the C++ template engine.
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <sstream>

#include "aws/aws_facts.h"
#include "cli/batch_heap.h"
#include "cli/command.h"
#include "cli/output.h"
#include "project/yaml_load.h"
#include "template/errors.h"
#include "template/loader.h"
#include "template/render.h"
#include "util/error.h"

namespace lava::cli {

namespace {

namespace fs = std::filesystem;
using Json = nlohmann::ordered_json;

struct RenderArgs {
  std::string delimiter = "{";
  std::vector<std::string> files;
  std::vector<std::string> params;
  std::vector<std::string> lists;
  std::string context_dir = ".";
  std::string realm_info;
  bool no_builtins = false, no_environ = false, autoescape = false, no_path = false;
  bool error_kind = false;  // hidden: a template error names its Python exception first
  std::vector<std::string> templates;
};

// The framework's find_in_path: absolute names must exist; relative ones are looked up
// in each directory of the search path ("" meaning the current directory).
std::optional<std::string> find_in_path(const std::string& name,
                                        const std::optional<std::string>& path) {
  if (!path) return name;
  if (!name.empty() && name[0] == '/') {
    if (fs::exists(name)) return name;
    return std::nullopt;
  }
  std::string p = path->empty() ? "." : *path;
  size_t start = 0;
  while (true) {
    size_t colon = p.find(':', start);
    std::string dir =
        p.substr(start, colon == std::string::npos ? std::string::npos : colon - start);
    fs::path candidate = dir.empty() ? fs::path(name) : fs::path(dir) / name;
    std::error_code ec;
    if (fs::exists(candidate, ec)) return fs::absolute(candidate, ec).string();
    if (colon == std::string::npos) break;
    start = colon + 1;
  }
  return std::nullopt;
}

std::string read_stdin() {
  std::string data((std::istreambuf_iterator<char>(std::cin)), std::istreambuf_iterator<char>());
  std::string out;
  out.reserve(data.size());
  for (size_t i = 0; i < data.size(); ++i) {
    if (data[i] == '\r') {
      out.push_back('\n');
      if (i + 1 < data.size() && data[i + 1] == '\n') ++i;
    } else {
      out.push_back(data[i]);
    }
  }
  return out;
}

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

Json load_param_file(const std::string& path) {
  std::string ext = lower(fs::path(path).extension().string());
  std::string text;
  try {
    text = tmpl::read_text_file(path);
  } catch (const tmpl::EvalError& e) {
    throw Error(e.what());
  }
  if (ext == ".json" || ext == ".jsn") {
    try {
      return Json::parse(text);
    } catch (const nlohmann::json::parse_error& e) {
      throw Error(path + ": invalid JSON: " + e.what());
    }
  }
  return project::load_yaml(text, path);
}

// Python's str.strip(): the -l list entries.
std::string strip(const std::string& s) {
  size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  return s.substr(b, e - b);
}

Json lines_of(const std::string& text) {
  Json list = Json::array();
  size_t start = 0;
  while (start < text.size()) {
    size_t nl = text.find('\n', start);
    std::string line = text.substr(start, nl == std::string::npos ? std::string::npos : nl - start);
    list.push_back(strip(line));
    if (nl == std::string::npos) break;
    start = nl + 1;
  }
  return list;
}

std::pair<std::string, std::string> split_name_value(const std::string& arg, const char* option) {
  size_t eq = arg.find('=');
  if (eq == std::string::npos)
    throw UsageError(std::string("argument ") + option +
                     ": not enough values to unpack (expected 2, got 1): " + arg);
  return {arg.substr(0, eq), arg.substr(eq + 1)};
}

int run_render(const RenderArgs& a) {
  prepare_batch_heap();
  std::optional<std::string> path;
  if (!a.no_path) {
    const char* env = std::getenv("JINJAPATH");
    path = env ? std::string(env) : std::string(":/usr/local/lib/jinja");
  }
  // The parameters and the renderer are never destroyed: the process exits right after
  // rendering, and the OS takes the memory back at once where destructors would walk every
  // tree and value. Statics hold them so leak checkers still see them reachable.
  static Json* const kept_params = new Json(Json::object());
  Json& params = *kept_params;
  for (const auto& f : a.files) {
    auto found = find_in_path(f, path);
    if (!found) throw Error("No such file or directory: " + f);
    Json loaded = load_param_file(*found);
    if (!loaded.is_object())
      throw Error(f + ": parameter file must contain a mapping, not " +
                  std::string(loaded.type_name()));
    for (auto& [k, v] : loaded.items()) params[k] = v;
  }
  // -p values: later ones win, then they override the files.
  Json pvals = Json::object();
  for (const auto& p : a.params) {
    auto [n, v] = split_name_value(p, "-p/--param");
    pvals[n] = v;
  }
  for (auto& [k, v] : pvals.items()) params[k] = v;
  std::vector<std::pair<std::string, std::string>> lists;
  for (const auto& l : a.lists) {
    auto nv = split_name_value(l, "-l/--list");
    bool replaced = false;
    for (auto& existing : lists)
      if (existing.first == nv.first) {
        existing.second = nv.second;
        replaced = true;
      }
    if (!replaced) lists.push_back(nv);
  }
  for (const auto& [name, file] : lists) {
    if (file == "-") {
      params[name] = lines_of(read_stdin());
      continue;
    }
    auto found = find_in_path(file, path);
    if (!found) throw Error("No such file or directory: " + file);
    try {
      params[name] = lines_of(tmpl::read_text_file(*found));
    } catch (const tmpl::EvalError& e) {
      throw Error(e.what());
    }
  }

  tmpl::RenderOptions options;
  if (a.delimiter.empty()) throw Error("argument -d/--delimiter: a character is required");
  if (static_cast<unsigned char>(a.delimiter[0]) >= 0x80)
    throw UsageError("argument -d/--delimiter: the delimiter must be an ASCII character");
  options.delimiter = a.delimiter[0];
  options.autoescape = a.autoescape;
  options.search_dir = a.context_dir;
  options.search_path = !a.no_path;
  options.builtins = !a.no_builtins;
  options.environ = !a.no_environ;
  options.templates = a.templates;
  if (!a.realm_info.empty()) options.realm_info = load_param_file(a.realm_info);
  // lava.aws.*: AWS is asked only when a template reads one of them, each value once.
  static aws::AwsFacts* const facts = new aws::AwsFacts();
  options.aws_info = [](const std::string& key) {
    try {
      return facts->get(key);
    } catch (const Error& e) {
      throw tmpl::EvalError("lava.aws." + key + ": " + e.what());
    }
  };

  options.free_after_render = false;  // kept with the renderer, as `params` above
  static tmpl::Renderer* const kept_renderer = new tmpl::Renderer(params, options);
  tmpl::Renderer& renderer = *kept_renderer;
  std::vector<std::string> templates = a.templates;
  if (templates.empty()) templates.push_back("-");
  for (const auto& t : templates) {
    std::string source, name = t == "-" ? "<stdin>" : t;
    if (t == "-") {
      source = read_stdin();
    } else {
      auto found = find_in_path(t, path);
      if (!found) {
        print_error_with_prefix("render", t + ": No such file or directory");
        return 1;
      }
      try {
        source = tmpl::read_text_file(*found);
      } catch (const tmpl::EvalError& e) {
        print_error_with_prefix("render", t + ": " + e.what());
        return 1;
      }
    }
    std::string out;
    try {
      out = renderer.render(source, name);
    } catch (const tmpl::TemplateError& e) {
      std::string shown = e.what();
      if (a.error_kind) shown = std::string(tmpl::error_kind_name(e.kind())) + ": " + shown;
      print_error_with_prefix("render", shown);
      return 1;
    }
    out.push_back('\n');
    std::fwrite(out.data(), 1, out.size(), stdout);
  }
  std::fflush(stdout);
  return 0;
}

}  // namespace

void add_render_command(CLI::App& app, GlobalOptions&) {
  auto* sub = app.add_subcommand(
      "render", "Render Jinja templates (drop-in for the lava framework's jinja command)");
  auto a = std::make_shared<RenderArgs>();
  sub->add_option("-d,--delimiter", a->delimiter,
                  "Delimiter character: '<' gives <{ }> <% %> <# #> ({} <> [] () pair up)")
      ->option_text("CHAR");
  sub->add_option("-f,--file", a->files,
                  "Parameters from a YAML file (JSON for .json/.jsn); repeatable")
      ->option_text("FILE")
      ->allow_extra_args(false);
  sub->add_option("-p,--param", a->params, "Set a string parameter; repeatable")
      ->option_text("name=VALUE")
      ->allow_extra_args(false);
  sub->add_option("-l,--list", a->lists,
                  "A list parameter from a file's lines ('-' = stdin); repeatable")
      ->option_text("name=FILE")
      ->allow_extra_args(false);
  sub->add_option("-c,--context-dir", a->context_dir,
                  "Directory for include/import/extends (default .)")
      ->option_text("DIR");
  sub->add_option("--realm-info", a->realm_info,
                  "Realm info file (dist/<env>/.realm.json) for lava.*")
      ->option_text("FILE");
  sub->add_flag("-B,--no-builtins", a->no_builtins, "No jinja.* and lava.* built-ins");
  sub->add_flag("-E,--no-environ", a->no_environ, "No environ variable");
  sub->add_flag("-a,--autoescape", a->autoescape, "Enable HTML autoescaping");
  sub->add_flag("-P,--no-path", a->no_path, "Do not search JINJAPATH for files");
  // For the differential tests (tests/template/run_diff.py), so not in --help.
  sub->add_flag("--error-kind", a->error_kind)->group("");
  sub->add_option("template", a->templates, "Template files ('-' or none: stdin)");
  set_body(sub, [a]() {
    // Like the framework's jinja command, every failure but a usage error says "render:".
    try {
      return run_render(*a);
    } catch (const UsageError&) {
      throw;
    } catch (const Error& e) {
      print_error_with_prefix("render", e.what());
      return 1;
    }
  });
}

}  // namespace lava::cli
