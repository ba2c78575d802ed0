#include "run/job_plan.h"

#include <gtest/gtest.h>

#include <map>

#include "project/test_project.h"
#include "util/error.h"

namespace lava::run {
namespace {

using project::Json;

const std::string kRunId = "0b7e5c1a-9f3d-4c2e-8a1b-2c3d4e5f6a7b";
const std::string kName = "5d2c9a10-1111-4222-8333-444455556666";

std::map<std::string, std::string> env_map(const docker::ContainerSpec& spec) {
  std::map<std::string, std::string> m;
  for (const auto& e : spec.env) m[e.substr(0, e.find('='))] = e.substr(e.find('=') + 1);
  return m;
}

class JobPlanTest : public ::testing::Test {
 protected:
  void SetUp() override {
    proj_.write("config/dev.yaml",
                "realm: myrealm\nprefix:\n  docker_repo: lava/dev/proj\n  job: proj/dev\n"
                "docker:\n  platform: linux/amd64,linux/arm64\n");
    proj_.write("lava-payloads/hello.docker/main.py", "print(1)\n");
    who_ = {4321, 5678, "alice"};
  }
  JobSpec job(const std::string& params_json, const std::string& extra = "{}") {
    Json doc = Json::parse(R"({"job_id": "proj/dev/hello", "type": "docker", "worker": "core",
        "owner": "bob", "payload": "123.dkr.ecr.x.amazonaws.com/lava/dev/proj/hello"})");
    doc["parameters"] = Json::parse(params_json);
    const Json more = Json::parse(extra);
    for (const auto& [k, v] : more.items()) doc[k] = v;
    return check_job_spec(doc, "lava-jobs/hello.yaml");
  }
  JobRunPlan plan(const JobSpec& j, JobRunRequest r = {}, Json realm = Json::object()) {
    auto project = project::open_project(proj_.root, "dev");
    return plan_job_run(project, j, r, who_, kRunId, kName, "/tmp/lava-run-x", realm);
  }
  TempProject proj_;
  RunIdentity who_;
};

TEST_F(JobPlanTest, AsTheWorkerRunsIt) {
  auto p = plan(job(R"({"env": {"A": "<{x}> {{ job.job_id }}", "N": 7}})"), {},
                Json{{"s3_temp", "s3://b/tmp"}, {"s3_payloads", "s3://b/p"}});
  const auto& s = p.run.spec;
  EXPECT_EQ(p.payload.name, "hello");
  EXPECT_EQ(s.name, "lava-" + kName);
  EXPECT_EQ(s.user, "4321");
  EXPECT_EQ(s.group_add, std::vector<std::string>{"5678"});
  EXPECT_EQ(s.working_dir, "/tmp/lava-run-x");
  EXPECT_EQ(s.hostname, "lava-myrealm-core-" + kRunId);
  EXPECT_EQ(s.binds, std::vector<std::string>{"/tmp/lava-run-x:/tmp/lava-run-x:rw"});
  EXPECT_FALSE(s.cmd.has_value());
  EXPECT_EQ(p.run.timeout, std::chrono::minutes(10));
  auto env = env_map(s);
  EXPECT_EQ(env["A"], "<{x}> proj/dev/hello");
  EXPECT_EQ(env["N"], "7");
  EXPECT_EQ(env["LAVA_WORKER"], "core");
  EXPECT_EQ(env["LAVA_OWNER"], "bob");
  EXPECT_EQ(env["LAVA_REALM"], "myrealm");
  EXPECT_EQ(env["LAVA_JOB_ID"], "proj/dev/hello");
  EXPECT_EQ(env["LAVA_RUN_ID"], kRunId);
  EXPECT_EQ(env["LAVA_S3_TMP"], "s3://b/tmp/proj/dev/hello/" + kRunId);
  EXPECT_EQ(env["LAVA_S3_PAYLOAD"], "s3://b/p/123.dkr.ecr.x.amazonaws.com/lava/dev/proj/hello");
  EXPECT_EQ(s.labels.at("lava.worker"), "core");
  EXPECT_EQ(s.labels.at("lava.owner"), "bob");
}

TEST_F(JobPlanTest, CommandSplitArgsAppendedAsStrAndRendered) {
  JobRunRequest r;
  r.vars = {"day=2026-01-02"};
  r.globals = {"g=cli"};
  auto p = plan(job(R"({"command": "printf '%s|' '{{ vars.day }}' {{vars.n}}",
                        "args": [42, 2.5, -7, "{{ globals.g }}-{{ globals.h }}"],
                        "vars": {"n": 3, "day": "spec"}})",
                    R"({"globals": {"g": "spec", "h": "kept"}})"),
                r);
  EXPECT_EQ(*p.run.spec.cmd, (std::vector<std::string>{"printf", "%s|", "2026-01-02", "3", "42",
                                                       "2.5", "-7", "cli-kept"}));
}

TEST_F(JobPlanTest, ArgsWithoutCommandAreNotUsed) {
  auto p = plan(job(R"({"args": ["a"]})"));
  EXPECT_FALSE(p.run.spec.cmd.has_value());
  ASSERT_EQ(p.run.notices.size(), 1u);
  EXPECT_NE(p.run.notices[0].find("args are not used"), std::string::npos);
}

TEST_F(JobPlanTest, JinjaFalseRendersNothingAndDropsEnv) {
  auto p = plan(job(R"({"command": "echo {{ x }}", "env": {"A": "1"}, "jinja": false})"));
  EXPECT_EQ(*p.run.spec.cmd, (std::vector<std::string>{"echo", "{{", "x", "}}"}));
  auto env = env_map(p.run.spec);
  EXPECT_EQ(env.count("A"), 0u);
  ASSERT_EQ(p.run.notices.size(), 1u);
  EXPECT_NE(p.run.notices[0].find("parameters.env is not passed"), std::string::npos);
}

TEST_F(JobPlanTest, RenderErrorsInTheWorkersWords) {
  try {
    plan(job(R"({"command": "echo {{ nope.x }}"})"));
    FAIL();
  } catch (const UsageError& e) {
    EXPECT_NE(std::string(e.what()).find("Bad command or args"), std::string::npos) << e.what();
  }
  try {
    plan(job(R"({"env": {"B": "{% if %}"}})"));
    FAIL();
  } catch (const UsageError& e) {
    EXPECT_NE(std::string(e.what()).find("Bad environment variable: B"), std::string::npos)
        << e.what();
  }
}

TEST_F(JobPlanTest, HostConfigOverridesTheWorkersDefaults) {
  auto p = plan(job(R"({"timeout": 90, "host_config": {"hostname": "box", "user": "nobody",
                        "mem_limit": "256m", "working_dir": "/"}})"));
  EXPECT_EQ(p.run.spec.hostname, "box");
  EXPECT_EQ(p.run.spec.user, "nobody");
  EXPECT_EQ(p.run.spec.working_dir, "/");
  EXPECT_EQ(p.run.spec.group_add, std::vector<std::string>{"5678"});
  EXPECT_EQ(p.run.spec.extra_host_config["Memory"], 268435456);
  EXPECT_EQ(p.run.timeout, std::chrono::seconds(90));
}

TEST_F(JobPlanTest, ConnectionsNeedAStandIn) {
  auto j = job(R"({"connections": {"db": "pg-main"}})");
  try {
    plan(j);
    FAIL();
  } catch (const UsageError& e) {
    EXPECT_NE(std::string(e.what()).find("--connection db=EXECUTABLE"), std::string::npos)
        << e.what();
  }
  proj_.write("conn.sh", "#!/bin/sh\n");
  JobRunRequest r;
  r.connections = {"db=" + (proj_.root / "conn.sh").string()};
  auto p = plan(j, r);
  auto env = env_map(p.run.spec);
  EXPECT_EQ(env["LAVA_CONNID_DB"], "pg-main");
  EXPECT_EQ(env["LAVA_CONN_DB"], "/tmp/lava-run-x/.lava-connection-db");
  ASSERT_EQ(p.connections.size(), 1u);
  r.connections = {"other=" + (proj_.root / "conn.sh").string()};
  EXPECT_THROW(plan(j, r), UsageError);
}

TEST_F(JobPlanTest, PlatformPicksThatImage) {
  JobRunRequest r;
  r.platform = "linux/arm64";
  auto p = plan(job("{}"), r);
  EXPECT_EQ(p.run.spec.image, "lava/dev/proj/hello:latest-arm64");
  EXPECT_EQ(p.run.spec.platform, "linux/arm64");
  r.platform = "linux/arm/v7";
  EXPECT_THROW(plan(job("{}"), r), Error);
}

TEST_F(JobPlanTest, PayloadNotInTheProject) {
  Json doc = Json::parse(R"({"job_id": "j", "type": "docker", "worker": "core",
                             "payload": "lava/dev/proj/absent"})");
  EXPECT_THROW(plan(check_job_spec(doc, "j.yaml")), Error);
}

}  // namespace
}  // namespace lava::run
