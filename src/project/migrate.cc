#include "project/migrate.h"

#include <yaml-cpp/yaml.h>

#include "project/config.h"
#include "project/yaml_load.h"
#include "util/error.h"
#include "util/file_io.h"

namespace lava::project {

namespace fs = std::filesystem;

namespace {

constexpr const char* kLine = "platform: linux/amd64";

// Byte offset of the start of (0-based) `line` in `text`.
size_t line_start(std::string_view text, int line) {
  size_t pos = 0;
  for (int i = 0; i < line && pos != std::string_view::npos; ++i) {
    pos = text.find('\n', pos);
    if (pos != std::string_view::npos) ++pos;
  }
  return pos == std::string_view::npos ? text.size() : pos;
}

size_t line_end(std::string_view text, size_t from) {
  size_t nl = text.find('\n', from);
  return nl == std::string_view::npos ? text.size() : nl;
}

std::string newline_of(std::string_view text) {
  return text.find("\r\n") != std::string_view::npos ? "\r\n" : "\n";
}

std::string insert_text(std::string_view text, const std::string& source) {
  YAML::Node root;
  try {
    root = YAML::Load(std::string(text));
  } catch (const YAML::Exception& e) {
    throw Error(source + ":" + std::to_string(e.mark.line + 1) + ":" +
                std::to_string(e.mark.column + 1) + ": invalid YAML: " + e.msg);
  }
  const std::string nl = newline_of(text);
  std::string out(text);
  if (root.IsNull()) {  // an empty file
    if (!out.empty() && out.back() != '\n') out += nl;
    return out + "docker:" + nl + "  " + kLine + nl;
  }
  if (!root.IsMap()) throw Error(source + ": top level must be a mapping of keys");
  if (root.Mark().pos >= 0 && static_cast<size_t>(root.Mark().pos) < text.size() &&
      text[root.Mark().pos] == '{')
    throw Error(source + ": cannot migrate a flow-style ({...}) top-level mapping; add docker.platform by hand");
  for (const auto& kv : root) {
    if (!kv.first.IsScalar() || kv.first.Scalar() != "docker") continue;
    const YAML::Node& value = kv.second;
    const YAML::Mark key_mark = kv.first.Mark();
    if (value.IsMap()) {
      size_t value_pos = static_cast<size_t>(value.Mark().pos);
      if (value_pos < text.size() && text[value_pos] == '{') {
        size_t brace = value_pos + 1;
        size_t close = text.find_first_not_of(" \t", brace);
        bool empty = close != std::string_view::npos && text[close] == '}';
        out.insert(brace, empty ? kLine : std::string(kLine) + ", ");
        return out;
      }
      // Block mapping: a new first child line, indented like the existing first child.
      const YAML::Mark first = value.begin()->first.Mark();
      size_t at = line_start(text, first.line);
      out.insert(at, std::string(static_cast<size_t>(first.column), ' ') + kLine + nl);
      return out;
    }
    if (value.IsNull()) {
      size_t key_line = line_start(text, key_mark.line);
      size_t end = line_end(text, key_line);
      std::string_view rest = text.substr(key_line, end - key_line);
      size_t colon = rest.find(':');
      std::string_view after = colon == std::string_view::npos ? "" : rest.substr(colon + 1);
      size_t nonblank = after.find_first_not_of(" \t\r");
      if (nonblank != std::string_view::npos && after[nonblank] != '#')
        throw Error(source + ":" + std::to_string(key_mark.line + 1) +
                    ": docker is set to null; replace it with a mapping or remove it");
      size_t insert_at = end < text.size() ? end + 1 : end;
      std::string line = "  " + std::string(kLine) + nl;
      if (end >= text.size()) line = nl + "  " + kLine + nl;
      out.insert(insert_at, line);
      return out;
    }
    throw Error(source + ":" + std::to_string(key_mark.line + 1) +
                ": key 'docker' must be a mapping");
  }
  if (!out.empty() && out.back() != '\n') out += nl;
  return out + "docker:" + nl + "  " + kLine + nl;
}

}  // namespace

std::optional<std::string> add_default_platform(std::string_view text, const std::string& source) {
  Json before = load_yaml(text, source);
  if (before.is_object() && before.contains("docker") && before["docker"].is_object() &&
      before["docker"].contains("platform") && !before["docker"]["platform"].is_null())
    return std::nullopt;
  std::string after_text = insert_text(text, source);
  // Prove the edit did what it says and nothing else before anyone writes it.
  Json after = load_yaml(after_text, source);
  Json expected = before.is_null() ? Json::object() : before;
  if (!expected.contains("docker") || expected["docker"].is_null()) expected["docker"] = Json::object();
  expected["docker"]["platform"] = "linux/amd64";
  auto normalise = [](Json j) {  // key order inside docker: does not matter
    if (j.contains("docker")) j["docker"] = nlohmann::json(j["docker"]);
    return nlohmann::json(j);
  };
  if (normalise(after) != normalise(expected))
    throw Error(source + ": cannot add docker.platform safely; add 'platform: linux/amd64' under docker: by hand");
  return after_text;
}

std::vector<fs::path> migrate_project(const fs::path& project_dir) {
  std::vector<fs::path> changed;
  std::vector<std::pair<fs::path, std::string>> pending;
  for (const auto& env : list_envs(project_dir)) {
    fs::path rel = fs::path("config") / (env + ".yaml");
    std::string text = read_file(project_dir / rel);
    auto updated = add_default_platform(text, rel.string());
    if (updated) pending.emplace_back(rel, std::move(*updated));
  }
  // Every file is checked before any is written: a bad file leaves all untouched.
  for (auto& [rel, text] : pending) {
    fs::path full = project_dir / rel;
    write_file_atomic(full, text, fs::status(full).permissions());
    changed.push_back(rel);
  }
  return changed;
}

}  // namespace lava::project
