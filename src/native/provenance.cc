#include "native/provenance.h"

#include <cstdlib>
#include <regex>

#include "util/error.h"
#include "util/subprocess.h"

namespace lava::native {

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

}  // namespace

std::string strip_url_credentials(const std::string& url) {
  static const std::regex kUserinfo(R"(^([A-Za-z][A-Za-z0-9+.-]*://)[^/@]*@)");
  return std::regex_replace(url, kUserinfo, "$1");
}

GitInfo git_info(const std::filesystem::path& dir) {
  GitInfo info;
  std::string rev = git(dir, {"rev-parse", "--verify", "-q", "HEAD"});
  if (std::regex_match(rev, std::regex("[0-9a-f]{40}([0-9a-f]{24})?"))) info.revision = rev;
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
