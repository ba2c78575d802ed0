#include "native/provenance.h"

#include <cstdlib>
#include <optional>
#include <regex>
#include <sstream>

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

bool is_commit_id(const std::string& s) {
  static const std::regex kId("[0-9a-f]{40}([0-9a-f]{24})?");
  return std::regex_match(s, kId);
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
  static const std::regex kSection(R"re(^\s*\[\s*remote\s+"origin"\s*\]\s*$)re");
  static const std::regex kUrl(R"(^\s*url\s*=\s*(.*?)\s*$)");
  std::smatch m;
  while (std::getline(in, line)) {
    if (!line.empty() && line.find_first_not_of(" \t") != std::string::npos &&
        line[line.find_first_not_of(" \t")] == '[') {
      in_origin = std::regex_match(line, kSection);
      continue;
    }
    if (in_origin && std::regex_match(line, m, kUrl)) {
      std::string v = m[1];
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
  static const std::regex kUserinfo(R"(^([A-Za-z][A-Za-z0-9+.-]*://)[^/@]*@)");
  return std::regex_replace(url, kUserinfo, "$1");
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
  if (!std::regex_match(s, std::regex("[0-9]{1,12}")))
    throw Error("SOURCE_DATE_EPOCH='" + s + "' is not a number of seconds since 1970");
  return std::stoll(s);
}

}  // namespace lava::native
