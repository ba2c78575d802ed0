// CLI11's parse errors as our one line, through its failure-message hook.
#include "cli/parse_errors.h"

#include <gtest/gtest.h>

#include <CLI/CLI.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "cli/run_args.h"
#include "util/error.h"

namespace lava::cli {
namespace {

// A small app shaped like ours: -C, `list --env`, `build --env --engine PAYLOADS...`.
struct TestApp {
  CLI::App app{"test"};
  std::string dir, env, engine = "auto";
  std::vector<std::string> payloads;
  TestApp() {
    app.name("lava-docker");
    app.require_subcommand(1);
    use_one_line_errors(app);
    app.add_option("-C,--directory", dir);
    app.add_subcommand("list")->add_option("--env", env)->required();
    CLI::App* build = app.add_subcommand("build");
    build->add_option("--env", env)->required();
    build->add_option("--engine", engine)->check(CLI::IsMember({"auto", "docker", "native"}));
    build->add_option("payloads", payloads);
    one_value_per_occurrence(app);
  }
  // What App::exit prints for `words`, and its status ("" when they parse).
  std::string error_of(std::vector<std::string> words) {
    std::vector<char*> argv;
    words.insert(words.begin(), "lava-docker");
    for (auto& w : words) argv.push_back(w.data());
    try {
      app.parse(static_cast<int>(argv.size()), argv.data());
    } catch (const CLI::ParseError& e) {
      std::ostringstream out, err;
      EXPECT_NE(app.exit(e, out, err), 0);
      EXPECT_EQ(out.str(), "");
      return err.str();
    }
    return "";
  }
};

TEST(ParseErrors, CliElevensMessagesReadAsOurs) {
  EXPECT_EQ(TestApp().error_of({"list", "--env"}),
            "lava-docker: list: --env needs a value (see lava-docker list --help)\n");
  EXPECT_EQ(TestApp().error_of({"list", "--env", "a", "--env", "b"}),
            "lava-docker: list: --env is given 2 times; it takes one value (see lava-docker list "
            "--help)\n");
  EXPECT_EQ(TestApp().error_of({"build", "--env", "dev", "--engine", "x"}),
            "lava-docker: build: --engine: 'x' is not one of auto, docker, native (see "
            "lava-docker build --help)\n");
  EXPECT_EQ(TestApp().error_of({"build"}),
            "lava-docker: build: --env is required (see lava-docker build --help)\n");
  EXPECT_EQ(TestApp().error_of({"-C"}),
            "lava-docker: --directory needs a value (see lava-docker --help)\n");
  EXPECT_EQ(TestApp().error_of({"-C", "dir"}),
            "lava-docker: no command given (see lava-docker --help)\n");
}

TEST(ParseErrors, UnknownWordsAreNamedWithTheClosestKnownOne) {
  EXPECT_EQ(TestApp().error_of({"-C", "dir", "lst"}),
            "lava-docker: unknown command 'lst'; did you mean 'list'? (see lava-docker --help)\n");
  EXPECT_EQ(
      TestApp().error_of({"bulid", "--env", "dev"}),
      "lava-docker: unknown command 'bulid'; did you mean 'build'? (see lava-docker --help)\n");
  // Named even though CLI11 complains first about the missing --env.
  EXPECT_EQ(TestApp().error_of({"list", "--evn", "dev"}),
            "lava-docker: list: unknown option '--evn'; did you mean '--env'? (see lava-docker "
            "list --help)\n");
  EXPECT_EQ(TestApp().error_of({"list", "--env", "dev", "extra"}),
            "lava-docker: list: unexpected argument 'extra' (see lava-docker list --help)\n");
  EXPECT_EQ(TestApp().error_of({"--bogus"}),
            "lava-docker: unknown option '--bogus' (see lava-docker --help)\n");
}

TEST(RunOptionModes, EachKindOfRunRefusesTheOthersOptions) {
  auto refusal = [](const RunArgs& a) -> std::string {
    try {
      refuse_options_of_other_mode(a);
    } catch (const UsageError& e) {
      return e.what();
    }
    return "";
  };
  RunArgs plain;
  EXPECT_EQ(refusal(plain), "");
  plain.no_jinja = true;
  plain.image = "x";
  plain.timeout_given = true;
  plain.env_vars = {"A=1"};
  plain.command = {"echo"};
  EXPECT_EQ(refusal(plain), "");  // all of them are a plain run's
  plain.connections = {"db=/bin/true"};
  EXPECT_EQ(refusal(plain), "run: --connection applies to --job runs only");
  plain.no_build = true;
  EXPECT_EQ(refusal(plain), "run: --no-build applies to --job runs only");

  RunArgs job;
  job.job = "lava-jobs/x.yaml";
  job.no_build = true;
  job.connections = {"db=/bin/true"};
  EXPECT_EQ(refusal(job), "");
  job.command = {"echo"};
  EXPECT_EQ(refusal(job),
            "run --job: a command after -- cannot be used with --job; the job spec says it "
            "(parameters.command and args)");
  job.timeout_given = true;
  EXPECT_EQ(refusal(job),
            "run --job: --timeout cannot be used with --job; the job spec says it "
            "(parameters.timeout)");
  job.env_vars = {"A=1"};
  EXPECT_EQ(refusal(job),
            "run --job: -e cannot be used with --job; the job spec says it (parameters.env)");
}

}  // namespace
}  // namespace lava::cli
