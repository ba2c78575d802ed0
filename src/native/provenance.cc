#include "native/provenance.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <optional>
#include <sstream>
#include <string_view>

#include "util/error.h"
#include "util/file_io.h"
#include "util/subprocess.h"

namespace lava::native {

namespace fs = std::filesystem;

namespace {

std::string trimmed(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' ')) s.pop_back();
  return s;
}

std::string git(const std::filesystem::path& dir, const std::vector<std::string>& args) {
  std::vector<std::string> argv = {"git", "-C", dir.string()};
  argv.insert(argv.end(), args.begin(), args.end());
  try {
    ProcessResult r = run_process(argv, "", std::chrono::seconds(10));
    if (r.exit_status != 0) return "";
    return trimmed(r.out);
  } catch (const Error&) {
    return "";  // no git
  }
}

bool is_lower_hex(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
}

// A SHA-1 or SHA-256 object name.
bool is_commit_id(const std::string& s) {
  return (s.size() == 40 || s.size() == 64) && std::all_of(s.begin(), s.end(), is_lower_hex);
}

std::string_view trim_blanks(std::string_view s) {
  size_t b = s.find_first_not_of(" \t\r\v\f");
  if (b == std::string_view::npos) return {};
  size_t e = s.find_last_not_of(" \t\r\v\f");
  return s.substr(b, e - b + 1);
}

// `[remote "origin"]`, blanks allowed around the brackets and the words.
bool is_origin_section(std::string_view line) {
  line = trim_blanks(line);
  if (line.size() < 2 || line.front() != '[' || line.back() != ']') return false;
  std::string_view inner = trim_blanks(line.substr(1, line.size() - 2));
  if (!inner.starts_with("remote")) return false;
  std::string_view rest = inner.substr(6);
  std::string_view name = trim_blanks(rest);
  return name.size() < rest.size() && name == "\"origin\"";
}

// The value of a `url = VALUE` line, blanks trimmed; nullopt for any other line.
std::optional<std::string> url_value(std::string_view line) {
  line = trim_blanks(line);
  if (!line.starts_with("url")) return std::nullopt;
  std::string_view rest = trim_blanks(line.substr(3));
  if (rest.empty() || rest.front() != '=') return std::nullopt;
  return std::string(trim_blanks(rest.substr(1)));
}

std::optional<std::string> read_text(const fs::path& p) {
  std::error_code ec;
  if (!fs::is_regular_file(p, ec)) return std::nullopt;
  try {
    return trimmed(read_file(p));
  } catch (const Error&) {
    return std::nullopt;
  }
}

// The value of `key` in section [remote "origin"] of a git config file.
std::string origin_url(const std::string& config) {
  std::istringstream in(config);
  std::string line;
  bool in_origin = false;
  while (std::getline(in, line)) {
    if (!line.empty() && line.find_first_not_of(" \t") != std::string::npos &&
        line[line.find_first_not_of(" \t")] == '[') {
      in_origin = is_origin_section(line);
      continue;
    }
    if (auto value = in_origin ? url_value(line) : std::nullopt) {
      std::string v = *value;
      if (v.size() >= 2 && v.front() == '"' && v.back() == '"') v = v.substr(1, v.size() - 2);
      return v;
    }
  }
  return "";
}

// HEAD's commit and origin's URL from the files of the repository holding `dir`; nullopt
// when they are laid out in a way this does not read (git is asked instead).
std::optional<GitInfo> read_git_files(const fs::path& dir) {
  std::error_code ec;
  fs::path d = fs::absolute(dir, ec);
  if (ec) return std::nullopt;
  fs::path dot_git;
  for (fs::path p = d;; p = p.parent_path()) {
    if (fs::exists(p / ".git", ec)) {
      dot_git = p / ".git";
      break;
    }
    if (p == p.parent_path()) return GitInfo{};  // not in a repository
  }
  fs::path git_dir = dot_git;
  if (fs::is_regular_file(dot_git, ec)) {  // a worktree or submodule: "gitdir: PATH"
    auto text = read_text(dot_git);
    if (!text || text->rfind("gitdir: ", 0) != 0) return std::nullopt;
    git_dir = fs::path(text->substr(8));
    if (git_dir.is_relative()) git_dir = dot_git.parent_path() / git_dir;
  }
  fs::path common = git_dir;
  if (auto c = read_text(git_dir / "commondir")) {
    common = fs::path(*c);
    if (common.is_relative()) common = git_dir / common;
  }
  std::string config = read_text(common / "config").value_or("");
  if (config.find("refStorage") != std::string::npos) return std::nullopt;  // reftable
  auto head = read_text(git_dir / "HEAD");
  if (!head) return std::nullopt;
  GitInfo info;
  if (is_commit_id(*head)) {
    info.revision = *head;
  } else if (head->rfind("ref: ", 0) == 0) {
    std::string ref = head->substr(5);
    auto loose = read_text(git_dir / ref);
    if (!loose) loose = read_text(common / ref);
    if (loose && is_commit_id(*loose)) {
      info.revision = *loose;
    } else if (auto packed = read_text(common / "packed-refs")) {
      std::istringstream in(*packed);
      std::string line;
      while (std::getline(in, line)) {
        auto space = line.find(' ');
        if (space != std::string::npos && line.substr(space + 1) == ref &&
            is_commit_id(line.substr(0, space)))
          info.revision = line.substr(0, space);
      }
    }
  } else {
    return std::nullopt;
  }
  if (!info.revision.empty()) info.remote = strip_url_credentials(origin_url(config));
  return info;
}

}  // namespace

std::string strip_url_credentials(const std::string& url) {
  // scheme://userinfo@rest -> scheme://rest
  size_t sep = url.find("://");
  if (sep == std::string::npos || sep == 0 || !std::isalpha(static_cast<unsigned char>(url[0])))
    return url;
  for (size_t i = 1; i < sep; ++i) {
    char c = url[i];
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '+' && c != '.' && c != '-')
      return url;
  }
  size_t host = sep + 3;
  size_t end = url.find_first_of("/@", host);
  if (end == std::string::npos || url[end] != '@') return url;
  return url.substr(0, host) + url.substr(end + 1);
}

GitInfo git_info(const std::filesystem::path& dir) {
  GitInfo info;
  // Reading the repository's files is much quicker than two git processes; git answers when
  // the repository is one we cannot read that way.
  std::optional<GitInfo> read = read_git_files(dir);
  if (read) return *read;
  std::string rev = git(dir, {"rev-parse", "--verify", "-q", "HEAD"});
  if (is_commit_id(rev)) info.revision = rev;
  if (!info.revision.empty())
    info.remote = strip_url_credentials(git(dir, {"remote", "get-url", "origin"}));
  return info;
}

int64_t source_date_epoch_from_env() {
  const char* v = std::getenv("SOURCE_DATE_EPOCH");
  if (!v || !*v) return 0;
  std::string s = v;
  if (s.size() > 12 ||
      !std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; }))
    throw Error("SOURCE_DATE_EPOCH='" + s + "' is not a number of seconds since 1970");
  return std::stoll(s);
}

int64_t source_date_epoch(const std::filesystem::path& project_root) {
  const char* v = std::getenv("SOURCE_DATE_EPOCH");
  if (v != nullptr && *v != '\0') return source_date_epoch_from_env();
  // The last commit that touched the project's own files: a project inside a larger
  // repository (or an untracked directory in one) is not dated by unrelated commits.
  std::string t = git(project_root, {"log", "-1", "--format=%ct", "HEAD", "--", "."});
  if (t.empty() || t.size() > 12 ||
      !std::all_of(t.begin(), t.end(), [](char c) { return c >= '0' && c <= '9'; }))
    return 0;  // not a repository, no commit of these files yet, or no git
  return std::stoll(t);
}

}  // namespace lava::native
