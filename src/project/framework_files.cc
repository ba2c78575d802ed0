#include "project/framework_files.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <vector>

#include "util/sha256.h"

namespace lava::project {

namespace {

// Normalised digests of etc/Dockerfile as released in jin-gizmo/lava
// (lava/resources/cookiecutter/{{cookiecutter.project_dir}}/etc/Dockerfile).
constexpr std::string_view kStockDockerfileDigests[] = {
    "4db3eddf72e3c2e62d8b3add2ce3849a334dc3fced2db180d198d5f3cb1d6b63",
};

// Normalised digests of etc/sagemakertopython.tpl as released there.
constexpr std::string_view kNotebookTemplateDigests[] = {
    "d450c55b8564739fc42358651a7b8472c50fb96b00b310f87d27c71431add14b",
};

std::string_view strip_blanks(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::vector<std::string_view> split_lines(std::string_view text) {
  std::vector<std::string_view> lines;
  size_t start = 0;
  while (true) {
    size_t nl = text.find('\n', start);
    std::string_view line =
        text.substr(start, nl == std::string_view::npos ? std::string_view::npos : nl - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    lines.push_back(line);
    if (nl == std::string_view::npos) break;
    start = nl + 1;
  }
  return lines;
}

bool listed_in_env(const char* var, const std::string& digest) {
  const char* v = std::getenv(var);
  if (v == nullptr) return false;
  std::string_view list = v;
  size_t start = 0;
  while (start <= list.size()) {
    size_t end = list.find_first_of(", \t", start);
    if (end == std::string_view::npos) end = list.size();
    if (list.substr(start, end - start) == digest) return true;
    start = end + 1;
  }
  return false;
}

bool known(std::string_view text, const std::string_view* begin, const std::string_view* end,
           const char* extra_var) {
  const std::string digest = normalised_digest(text);
  return std::find(begin, end, digest) != end || listed_in_env(extra_var, digest);
}

std::string upper(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace

std::string normalised_digest(std::string_view text) {
  std::string joined;
  for (std::string_view line : split_lines(text)) {
    line = strip_blanks(line);
    if (line.empty() || line.front() == '#') continue;
    joined.append(line.data(), line.size());
    joined.push_back('\n');
  }
  if (joined.empty()) joined.push_back('\n');  // (not = "\n": a false -Wrestrict at -O3)
  return sha256_hex(joined);
}

bool is_stock_framework_dockerfile(std::string_view text) {
  return known(text, std::begin(kStockDockerfileDigests), std::end(kStockDockerfileDigests),
               "LAVA_DOCKER_EXTRA_STOCK_DOCKERFILE_DIGESTS");
}

bool is_framework_notebook_template(std::string_view text) {
  return known(text, std::begin(kNotebookTemplateDigests), std::end(kNotebookTemplateDigests),
               "LAVA_DOCKER_EXTRA_NOTEBOOK_TEMPLATE_DIGESTS");
}

bool dockerfile_env_sets_pip_index_url(std::string_view text) {
  // Join continuation lines into instructions, then look at the ENV ones' words.
  std::string instruction;
  auto check = [](const std::string& ins) {
    std::string_view s = strip_blanks(ins);
    if (s.size() < 4 || upper(s.substr(0, 3)) != "ENV" || (s[3] != ' ' && s[3] != '\t'))
      return false;
    std::string args = upper(s.substr(4));
    size_t pos = 0;
    while ((pos = args.find("PIP_INDEX_URL", pos)) != std::string::npos) {
      bool word_start = pos == 0 || args[pos - 1] == ' ' || args[pos - 1] == '\t';
      size_t after = pos + 13;
      bool word_end =
          after == args.size() || args[after] == '=' || args[after] == ' ' || args[after] == '\t';
      if (word_start && word_end) return true;
      pos = after;
    }
    return false;
  };
  for (std::string_view line : split_lines(text)) {
    std::string_view t = strip_blanks(line);
    if (instruction.empty() && (t.empty() || t.front() == '#')) continue;
    if (!t.empty() && t.back() == '\\') {
      instruction.insert(instruction.end(), t.begin(), t.end() - 1);
      instruction.push_back(' ');
      continue;
    }
    if (!t.empty() && t.front() == '#') continue;  // a comment inside a continued instruction
    instruction.insert(instruction.end(), t.begin(), t.end());
    if (check(instruction)) return true;
    instruction.clear();
  }
  return !instruction.empty() && check(instruction);
}

}  // namespace lava::project
