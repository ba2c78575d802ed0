#include "native/provenance.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <random>
#include <regex>

#include "native/test_util.h"
#include "util/error.h"

#include <fstream>

namespace lava::native {
namespace {

namespace fs = std::filesystem;

std::string sh(const std::string& cmd) {
  FILE* p = ::popen(cmd.c_str(), "r");
  std::string out;
  char buf[4096];
  size_t n;
  while (p && (n = std::fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  if (p) ::pclose(p);
  while (!out.empty() && out.back() == '\n') out.pop_back();
  return out;
}

class GitInfoTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (sh("command -v git").empty()) GTEST_SKIP() << "git is not installed";
    repo_ = tmp_.path / "repo";
    git("init -q -b main " + repo_.string());
    std::ofstream(repo_ / "f") << "x";
    git("-C " + repo_.string() + " add f");
    git("-C " + repo_.string() + " -c user.name=t -c user.email=t@example.com commit -q -m one");
  }
  void git(const std::string& args) {
    ASSERT_EQ(std::system(("git " + args + " >/dev/null 2>&1").c_str()), 0) << args;
  }
  std::string head(const fs::path& dir) { return sh("git -C " + dir.string() + " rev-parse HEAD"); }

  testing::TempDir tmp_;
  fs::path repo_;
};

TEST_F(GitInfoTest, CommitAndRemoteWithoutCredentials) {
  git("-C " + repo_.string() + " remote add origin https://user:s3cret@git.example.com/team/p.git");
  fs::create_directories(repo_ / "sub/dir");
  GitInfo info = git_info(repo_ / "sub/dir");
  EXPECT_EQ(info.revision, head(repo_));
  EXPECT_EQ(info.remote, "https://git.example.com/team/p.git");
}

TEST_F(GitInfoTest, PackedRefsDetachedHeadAndWorktrees) {
  git("-C " + repo_.string() + " pack-refs --all");
  EXPECT_FALSE(fs::exists(repo_ / ".git/refs/heads/main"));
  EXPECT_EQ(git_info(repo_).revision, head(repo_));
  EXPECT_EQ(git_info(repo_).remote, "");
  git("-C " + repo_.string() + " worktree add -q " + (tmp_.path / "wt").string() + " -b other");
  EXPECT_EQ(git_info(tmp_.path / "wt").revision, head(tmp_.path / "wt"));
  git("-C " + repo_.string() + " checkout -q --detach");
  EXPECT_EQ(git_info(repo_).revision, head(repo_));
}

TEST(GitInfo, OutsideARepositoryIsEmpty) {
  testing::TempDir t;
  // /tmp is normally not inside a work tree; if it is, there is nothing to check here.
  if (!sh("git -C " + t.path.string() + " rev-parse HEAD 2>/dev/null").empty()) GTEST_SKIP();
  GitInfo info = git_info(t.path);
  EXPECT_EQ(info.revision, "");
  EXPECT_EQ(info.remote, "");
}

TEST(Provenance, CredentialsStrippedFromUrls) {
  EXPECT_EQ(strip_url_credentials("https://tok@github.com/a/b"), "https://github.com/a/b");
  EXPECT_EQ(strip_url_credentials("git@github.com:a/b.git"), "git@github.com:a/b.git");
  EXPECT_EQ(strip_url_credentials("ssh://git@host/a"), "ssh://host/a");
}

// Without SOURCE_DATE_EPOCH, a project in git gets its last commit's time (not 1970, the
// "created 56 years ago" of issue 13); outside a repository, 0.
TEST_F(GitInfoTest, SourceDateEpochDefaultsToTheLastCommitTime) {
  ::unsetenv("SOURCE_DATE_EPOCH");
  auto commit_at = [&](const std::string& file, const std::string& epoch) {
    std::filesystem::create_directories((repo_ / file).parent_path());
    std::ofstream(repo_ / file) << epoch << "\n";
    return std::system(("cd " + repo_.string() + " && git add -A && GIT_COMMITTER_DATE='@" + epoch +
                        " +0000' git -c user.name=t -c user.email=t@example.com " +
                        "commit -q -m " + epoch + " >/dev/null 2>&1")
                           .c_str());
  };
  ASSERT_EQ(commit_at("proj/main.py", "1600000123"), 0);
  EXPECT_EQ(source_date_epoch(repo_), 1600000123);
  EXPECT_EQ(source_date_epoch(repo_ / "proj"), 1600000123);
  // A later commit elsewhere in the repository does not date the project.
  ASSERT_EQ(commit_at("other/x.txt", "1600000999"), 0);
  EXPECT_EQ(source_date_epoch(repo_ / "proj"), 1600000123);
  EXPECT_EQ(source_date_epoch(repo_), 1600000999);
  ::setenv("SOURCE_DATE_EPOCH", "1700000000", 1);
  EXPECT_EQ(source_date_epoch(repo_), 1700000000);
  ::unsetenv("SOURCE_DATE_EPOCH");
  testing::TempDir plain;
  EXPECT_EQ(source_date_epoch(plain.path), 0);
}

TEST(Provenance, SourceDateEpoch) {
  ::unsetenv("SOURCE_DATE_EPOCH");
  EXPECT_EQ(source_date_epoch_from_env(), 0);
  ::setenv("SOURCE_DATE_EPOCH", "1700000000", 1);
  EXPECT_EQ(source_date_epoch_from_env(), 1700000000);
  ::setenv("SOURCE_DATE_EPOCH", "yesterday", 1);
  EXPECT_THROW(source_date_epoch_from_env(), Error);
  ::unsetenv("SOURCE_DATE_EPOCH");
}

}  // namespace
}  // namespace lava::native

// The hand-written stripping against the regular expression it replaced.
TEST(Provenance, CredentialStrippingMatchesRegexOracle) {
  const std::regex userinfo(R"(^([A-Za-z][A-Za-z0-9+.-]*://)[^/@]*@)");
  const std::string pieces[] = {"://", "@", "/", " ", "g", "x1", "+", ".", "-", "9", ":"};
  std::mt19937 rng(11);
  for (int n = 0; n < 20000; ++n) {
    std::string s;
    for (int k = rng() % 12; k > 0; --k) s += pieces[rng() % std::size(pieces)];
    ASSERT_EQ(lava::native::strip_url_credentials(s), std::regex_replace(s, userinfo, "$1"))
        << "input: " << s;
  }
}
