#include "run/run_plan.h"

#include <gtest/gtest.h>

#include <map>

#include "project/test_project.h"
#include "util/error.h"

namespace lava::run {
namespace {

std::map<std::string, std::string> env_map(const docker::ContainerSpec& spec) {
  std::map<std::string, std::string> m;
  for (const auto& e : spec.env) m[e.substr(0, e.find('='))] = e.substr(e.find('=') + 1);
  return m;
}

docker::EnvLookup no_env() {
  return [](const std::string&) -> std::optional<std::string> { return std::nullopt; };
}

const std::string kRunId = "0b7e5c1a-9f3d-4c2e-8a1b-2c3d4e5f6a7b";

class RunPlanTest : public ::testing::Test {
 protected:
  void SetUp() override {
    proj_.write("config/dev.yaml",
                "realm: myrealm\nprefix:\n  docker_repo: lava/dev/proj\n  job: proj/dev\n"
                "docker:\n  platform: linux/amd64\n");
    proj_.write("lava-payloads/hello.docker/main.py", "print(1)\n");
    who_ = {4321, 5678, "alice"};
  }
  project::Project open(const std::string& env = "dev") {
    return project::open_project(proj_.root, env);
  }
  RunPlan plan(RunRequest r, project::Json realm = project::Json::object()) {
    return plan_run(open(), r, who_, kRunId, "/tmp/lava-run-x", realm, no_env());
  }
  TempProject proj_;
  RunIdentity who_;
};

TEST_F(RunPlanTest, AsTheWorkerRunsIt) {
  RunRequest r;
  r.payload = "hello";
  auto p = plan(r);
  EXPECT_EQ(p.spec.image, "lava/dev/proj/hello:latest");
  EXPECT_EQ(p.spec.user, "4321");
  EXPECT_EQ(p.spec.group_add, std::vector<std::string>{"5678"});
  EXPECT_EQ(p.spec.working_dir, "/tmp/lava-run-x");
  EXPECT_EQ(p.spec.binds, std::vector<std::string>{"/tmp/lava-run-x:/tmp/lava-run-x:rw"});
  EXPECT_EQ(p.spec.hostname, "lava-myrealm-local-" + kRunId);
  EXPECT_FALSE(p.spec.cmd.has_value());
  auto env = env_map(p.spec);
  EXPECT_EQ(env["LAVA_REALM"], "myrealm");
  EXPECT_EQ(env["LAVA_WORKER"], "local");
  EXPECT_EQ(env["LAVA_OWNER"], "alice");
  EXPECT_EQ(env["LAVA_JOB_ID"], "proj/dev/hello");
  EXPECT_EQ(env["LAVA_RUN_ID"], kRunId);
  EXPECT_EQ(env["LAVA_TMP"], "/tmp/lava-run-x");
  EXPECT_EQ(env["LAVA_S3_TMP"], std::string(kNoS3) + "/tmp/proj/dev/hello/" + kRunId);
  EXPECT_EQ(env["LAVA_S3_PAYLOAD"], std::string(kNoS3) + "/payloads/lava/dev/proj/hello:latest");
  EXPECT_EQ(env.count("LAVA_S3_KEY"), 0u);  // the realm has none: the worker sets nothing
  EXPECT_EQ(p.spec.labels, (std::map<std::string, std::string>{{"lava.realm", "myrealm"},
                                                               {"lava.worker", "local"},
                                                               {"lava.owner", "alice"},
                                                               {"lava.job_id", "proj/dev/hello"},
                                                               {"lava.run_id", kRunId}}));
}

TEST_F(RunPlanTest, RealmInfoFeedsS3Variables) {
  RunRequest r;
  r.payload = "hello.docker";
  auto p = plan(
      r, {{"s3_temp", "s3://b/tmp/"}, {"s3_payloads", "s3://b/payloads"}, {"s3_key", "alias/k"}});
  auto env = env_map(p.spec);
  EXPECT_EQ(env["LAVA_S3_TMP"], "s3://b/tmp/proj/dev/hello/" + kRunId);
  EXPECT_EQ(env["LAVA_S3_PAYLOAD"], "s3://b/payloads/lava/dev/proj/hello:latest");
  EXPECT_EQ(env["LAVA_S3_KEY"], "alias/k");
}

TEST_F(RunPlanTest, EnvOptionsAndJobIdOverride) {
  RunRequest r;
  r.payload = "hello";
  r.env = {"A=1", "B=x=y", "A=2", "LAVA_JOB_ID=custom/job", "EMPTY="};
  auto p = plan(r);
  auto env = env_map(p.spec);
  EXPECT_EQ(env["A"], "2");
  EXPECT_EQ(env["B"], "x=y");
  EXPECT_EQ(env["EMPTY"], "");
  EXPECT_EQ(env["LAVA_JOB_ID"], "custom/job");
  EXPECT_EQ(p.spec.labels["lava.job_id"], "custom/job");
  EXPECT_EQ(p.job_id, "custom/job");
}

TEST_F(RunPlanTest, FixedVariablesCannotBeGiven) {
  for (const char* e :
       {"LAVA_TMP=/x", "LAVA_RUN_ID=1", "LAVA_REALM=r", "LAVA_WORKER=w", "1A=b", "=x"}) {
    RunRequest r;
    r.payload = "hello";
    r.env = {e};
    EXPECT_THROW(plan(r), UsageError) << e;
  }
}

TEST_F(RunPlanTest, EnvNameAloneTakesOurValue) {
  auto got =
      parse_env_options({"HOME_DIR"}, [](const std::string& n) -> std::optional<std::string> {
        if (n == "HOME_DIR") return "/home/x";
        return std::nullopt;
      });
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].second, "/home/x");
  EXPECT_THROW(parse_env_options({"UNSET_VAR"}, no_env()), UsageError);
}

TEST_F(RunPlanTest, CommandFirstWordSplitRestAppended) {
  RunRequest r;
  r.payload = "hello";
  r.command = {"python3 -c 'print(\"hi there\")'", "--extra arg"};
  auto p = plan(r);
  ASSERT_TRUE(p.spec.cmd.has_value());
  EXPECT_EQ(*p.spec.cmd,
            (std::vector<std::string>{"python3", "-c", "print(\"hi there\")", "--extra arg"}));
  r.command = {"echo 'open"};
  EXPECT_THROW(plan(r), UsageError);
}

TEST_F(RunPlanTest, CommandAndEnvRenderedAsTheWorkerDoes) {
  RunRequest r;
  r.payload = "hello";
  r.vars = {"day=mon"};
  r.globals = {"team=ops"};
  r.env = {"WHO={{ job.job_id }}@{{ realm.realm }}", "DAY={{ vars.day }}",
           "LAVA_OWNER={{ not rendered }}", "TEAM={{ globals.team }}"};
  // Split first, then each word rendered: spaces inside {{ }} need quoting, as for the worker.
  r.command = {"echo {{job.run_id}} '{{ globals.lava.master_job_id }}'", "{{ vars.day }}x"};
  auto p = plan(r, {{"s3_temp", "s3://b/tmp"}});
  auto env = env_map(p.spec);
  EXPECT_EQ(env["WHO"], "proj/dev/hello@myrealm");
  EXPECT_EQ(env["DAY"], "mon");
  EXPECT_EQ(env["TEAM"], "ops");
  EXPECT_EQ(env["LAVA_OWNER"], "{{ not rendered }}");
  ASSERT_TRUE(p.spec.cmd.has_value());
  EXPECT_EQ(*p.spec.cmd, (std::vector<std::string>{"echo", kRunId, "proj/dev/hello", "monx"}));
}

TEST_F(RunPlanTest, NoJinjaAndOurOwnValuesStayAsTheyAre) {
  RunRequest r;
  r.payload = "hello";
  r.env = {"A={{ x }}"};
  r.command = {"echo {{ x }}"};
  r.jinja = false;
  auto p = plan(r);
  EXPECT_EQ(env_map(p.spec)["A"], "{{ x }}");
  EXPECT_EQ(*p.spec.cmd, (std::vector<std::string>{"echo", "{{", "x", "}}"}));

  RunRequest o;
  o.payload = "hello";
  o.env = {"MINE"};
  auto mine = plan_run(open(), o, who_, kRunId, "/tmp/x", project::Json::object(),
                       [](const std::string&) -> std::optional<std::string> { return "{{ x }}"; });
  EXPECT_EQ(env_map(mine.spec)["MINE"], "{{ x }}");
}

TEST_F(RunPlanTest, TemplateErrorsAndReservedGlobalsAreUsageErrors) {
  RunRequest r;
  r.payload = "hello";
  r.command = {"echo {{ job.job_id }}"};  // "{{" alone is not a template
  try {
    plan(r);
    FAIL() << "no error";
  } catch (const UsageError& e) {
    EXPECT_NE(std::string(e.what()).find("command word 2 '{{'"), std::string::npos) << e.what();
  }
  r.command.clear();
  r.env = {"A={% if %}"};
  EXPECT_THROW(plan(r), UsageError);
  r.env.clear();
  r.globals = {"LAVA_X=1"};
  EXPECT_THROW(plan(r), UsageError);
  r.globals = {"novalue"};
  EXPECT_THROW(plan(r), UsageError);
}

TEST_F(RunPlanTest, ImageOptionWins) {
  RunRequest r;
  r.payload = "hello";
  r.image = "other/image:v2";
  EXPECT_EQ(plan(r).spec.image, "other/image:v2");
}

TEST_F(RunPlanTest, UnknownPayloadIsAnError) {
  RunRequest r;
  r.payload = "nope";
  EXPECT_THROW(plan(r), Error);
}

TEST_F(RunPlanTest, MultiPlatformPicksTheHostsTag) {
  proj_.write("config/multi.yaml",
              "realm: r\nprefix:\n  docker_repo: repo\n  job: j\n"
              "docker:\n  platform: linux/amd64,linux/arm64\n");
  RunRequest r;
  r.payload = "hello";
  auto p = plan_run(open("multi"), r, who_, kRunId, "/tmp/x", project::Json::object(), no_env());
  EXPECT_EQ(p.spec.image, "repo/hello:latest-" + project::host_platform().suffix());
}

TEST_F(RunPlanTest, LongHostnameShortenedWithANotice) {
  proj_.write("config/long.yaml",
              "realm: a-realm-name-that-is-rather-long\nprefix:\n  docker_repo: repo\n"
              "docker:\n  platform: linux/amd64\n");
  RunRequest r;
  r.payload = "hello";
  auto p = plan_run(open("long"), r, who_, kRunId, "/tmp/x", project::Json::object(), no_env());
  EXPECT_LE(p.spec.hostname.size(), kMaxHostname);
  EXPECT_EQ(p.spec.hostname.rfind("lava-a-realm-name-that-is-rather-long-local-", 0), 0u);
  bool noticed = false;
  for (const auto& n : p.notices) noticed |= n.find("hostname") != std::string::npos;
  EXPECT_TRUE(noticed);
  // No prefix.job in this config: the payload name, with a notice.
  EXPECT_EQ(p.job_id, "hello");
}

}  // namespace
}  // namespace lava::run
