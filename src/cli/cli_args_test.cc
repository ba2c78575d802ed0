// cli/'s argument handling on real CLI11 apps: what a command line turns into, before any
// command runs.
#include <gtest/gtest.h>

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

#include "cli/build_options.h"
#include "cli/framework_dropin.h"
#include "cli/parse_errors.h"
#include "cli/run_args.h"
#include "util/error.h"

namespace lava::cli {
namespace {

// argv for CLI11 from a list of words (CLI11 wants char**).
struct Argv {
  explicit Argv(std::vector<std::string> words) : words_(std::move(words)) {
    for (auto& w : words_) ptrs_.push_back(w.data());
    ptrs_.push_back(nullptr);
  }
  int argc() const { return static_cast<int>(words_.size()); }
  char** argv() { return ptrs_.data(); }

 private:
  std::vector<std::string> words_;
  std::vector<char*> ptrs_;
};

BuildOptions parse_build(std::vector<std::string> words) {
  CLI::App app("test");
  BuildOptions o;
  CLI::App* sub = app.add_subcommand("build");
  add_build_options(sub, o);
  one_value_per_occurrence(app);
  words.insert(words.begin() + 2, {"--env", "dev"});  // required by every build
  Argv a(std::move(words));
  app.parse(a.argc(), a.argv());
  EXPECT_EQ(o.env, "dev");
  return o;
}

// `--build-arg A=1 linked` once built every payload: the option took `linked` as a value.
TEST(BuildArgs, AnOptionTakesOneValueAndLeavesPayloadNames) {
  BuildOptions o = parse_build({"lava-docker", "build", "--build-arg", "A=1", "linked"});
  EXPECT_EQ(o.build_args, (std::vector<std::string>{"A=1"}));
  EXPECT_EQ(o.payloads, (std::vector<std::string>{"linked"}));

  o = parse_build({"lava-docker", "build", "--build-arg", "A=1", "--build-arg", "B", "p1", "p2",
                   "--platform", "linux/arm64"});
  EXPECT_EQ(o.build_args, (std::vector<std::string>{"A=1", "B"}));
  EXPECT_EQ(o.payloads, (std::vector<std::string>{"p1", "p2"}));
  EXPECT_EQ(o.platform, "linux/arm64");
}

TEST(BuildArgs, EnvIsRequired) {
  CLI::App app("test");
  BuildOptions o;
  add_build_options(app.add_subcommand("build"), o);
  Argv a({"lava-docker", "build", "p1"});
  EXPECT_THROW(app.parse(a.argc(), a.argv()), CLI::RequiredError);
}

TEST(BuildArgs, ProgressModeFollowsTheFlags) {
  BuildOptions o = parse_build({"lava-docker", "build", "--progress", "plain"});
  EXPECT_EQ(progress_mode(o, false), ProgressMode::kPlain);
  EXPECT_EQ(progress_mode(o, true), ProgressMode::kQuiet);  // --json keeps stderr quiet
  o = parse_build({"lava-docker", "build", "--progress", "tty"});
  EXPECT_EQ(progress_mode(o, false), ProgressMode::kTty);
  o = parse_build({"lava-docker", "build", "-q"});
  EXPECT_EQ(progress_mode(o, false), ProgressMode::kQuiet);
}

TEST(ClosestWord, SuggestsOnlyNearMisses) {
  const std::vector<std::string> commands{"list", "build", "install", "uninstall", "run"};
  EXPECT_EQ(closest_word("lst", commands), "list");
  EXPECT_EQ(closest_word("biuld", commands), "build");
  EXPECT_EQ(closest_word("instal", commands), "install");
  EXPECT_EQ(closest_word("zzzzzz", commands), "");
  EXPECT_EQ(closest_word("", commands), "");
}

TEST(FrameworkDropin, RecognisesOnlyTheFrameworkScriptsShape) {
  auto is = [](std::vector<std::string> words) {
    Argv a(std::move(words));
    return is_framework_dropin_call(a.argc(), a.argv());
  };
  EXPECT_TRUE(is({"lava-docker", "-c", "config.yaml", "-p", "env=dev", "x.docker", "Dockerfile"}));
  EXPECT_TRUE(is({"lava-docker", "-P", "linux/arm64", "x.docker"}));
  EXPECT_TRUE(is({"lava-docker", "-h", "x.docker"}));
  EXPECT_FALSE(is({"lava-docker", "-h"}));  // our own help
  EXPECT_FALSE(is({"lava-docker", "-C", "proj", "build"}));
  EXPECT_FALSE(is({"lava-docker", "build", "-c"}));
  EXPECT_FALSE(is({"lava-docker", "--help"}));
  EXPECT_FALSE(is({"lava-docker"}));
}

TEST(StopTimeout, ZeroAndDurations) {
  EXPECT_EQ(parse_stop_timeout("0"), std::chrono::seconds(0));
  EXPECT_EQ(parse_stop_timeout("5s"), std::chrono::seconds(5));
  EXPECT_EQ(parse_stop_timeout("2m"), std::chrono::seconds(120));
  EXPECT_EQ(parse_stop_timeout("1.5s"), std::chrono::seconds(2));  // rounded up
  EXPECT_THROW(parse_stop_timeout("soon"), lava::Error);
}

}  // namespace
}  // namespace lava::cli
