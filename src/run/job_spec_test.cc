#include "run/job_spec.h"

#include <gtest/gtest.h>

#include "project/test_project.h"
#include "util/error.h"

namespace lava::run {
namespace {

using project::Json;

Json base_job() {
  return Json::parse(R"({"job_id": "demo/hello", "type": "docker", "worker": "core",
                         "payload": "lava/dev/demo/hello", "owner": "me@example.com"})");
}

std::string failure(const Json& doc) {
  try {
    check_job_spec(doc, "lava-jobs/j.yaml");
  } catch (const UsageError& e) {
    return e.what();
  }
  return "(accepted)";
}

TEST(JobSpecTest, AcceptsTheWorkersParameters) {
  Json doc = base_job();
  doc["parameters"] = Json::parse(R"({"command": "echo hi", "args": ["a", 1, 2.5],
      "env": {"A": "x", "N": 3}, "vars": {"v": 1}, "timeout": "5m", "jinja": true,
      "docker": "ecr", "connections": {"db": "conn-1"}, "host_config": {"mem_limit": "1g"}})");
  doc["globals"] = {{"g", "1"}};
  JobSpec spec = check_job_spec(doc, "lava-jobs/j.yaml");
  EXPECT_EQ(spec.job_id, "demo/hello");
  EXPECT_EQ(spec.worker, "core");
  EXPECT_EQ(spec.owner, "me@example.com");
  EXPECT_EQ(spec.payload, "lava/dev/demo/hello");
  EXPECT_EQ(spec.globals["g"], "1");
  EXPECT_EQ(spec.parameters["timeout"], "5m");
  EXPECT_EQ(job_parameter_keys().size(), 9u);
}

TEST(JobSpecTest, UnknownParameterInTheWorkersWords) {
  Json doc = base_job();
  doc["parameters"] = {{"command", "x"}, {"image", "y"}, {"cmd", "z"}};
  std::string why = failure(doc);
  EXPECT_EQ(why.rfind("lava-jobs/j.yaml: Bad job parameters: Unexpected keys: cmd, image", 0), 0u)
      << why;
}

TEST(JobSpecTest, DisallowedHostConfigKey) {
  Json doc = base_job();
  doc["parameters"] = {{"host_config", {{"privileged", true}, {"hostname", "h"}}}};
  std::string why = failure(doc);
  EXPECT_EQ(
      why.rfind("lava-jobs/j.yaml: Bad host_config parameters: Unexpected keys: privileged", 0), 0u)
      << why;
}

TEST(JobSpecTest, ShapesTheSchemaGives) {
  struct Case {
    const char* key;
    Json value;
    const char* says;
  };
  for (const auto& c : std::vector<Case>{
           {"command", 5, "parameters.command: expected a string"},
           {"args", "a b", "parameters.args: expected a list"},
           {"args", Json::array({"a", {{"k", 1}}}), "parameters.args[1]"},
           {"env", Json::array({"A=1"}), "parameters.env: expected a mapping"},
           {"env", {{"A", {1, 2}}}, "parameters.env.A"},
           {"vars", "x", "vars must be a map/dict"},
           {"jinja", "false", "parameters.jinja: expected true or false"},
           {"timeout", "soon", "parameters.timeout: bad duration 'soon'"},
           {"connections", {{"bad-label", "c"}}, "Bad connection label: bad-label"},
           {"connections", "c", "connections parameter must be a map"},
       }) {
    Json doc = base_job();
    doc["parameters"] = {{c.key, c.value}};
    std::string why = failure(doc);
    EXPECT_NE(why.find(c.says), std::string::npos) << c.key << ": " << why;
    EXPECT_EQ(why.rfind("lava-jobs/j.yaml: ", 0), 0u) << why;
  }
}

TEST(JobSpecTest, TopLevelKeys) {
  Json doc = base_job();
  doc.erase("worker");
  doc.erase("payload");
  EXPECT_NE(failure(doc).find("Missing keys: payload, worker"), std::string::npos);
  doc = base_job();
  doc["type"] = "exe";
  EXPECT_NE(failure(doc).find("runs docker jobs only"), std::string::npos);
  EXPECT_NE(failure(Json::array()).find("must be a mapping"), std::string::npos);
}

TEST(JobSpecTest, RenderedWithTheProjectConfigAsTheMakefileDoes) {
  TempProject proj;
  proj.write("config/dev.yaml",
             "realm: r1\nprefix:\n  docker_repo: lava/dev/demo\n  job: demo\nowner: ops\n");
  proj.write("lava-payloads/hello.docker/main.py", "print(1)\n");
  proj.write("lava-jobs/hello.yaml",
             "job_id: \"<{ prefix.job }>/hello\"\ntype: docker\nworker: core\n"
             "owner: \"<{ owner }>\"\npayload: \"<{ prefix.docker_repo }>/hello\"\n"
             "parameters:\n  command: \"echo <{ env }> <{ bucket }> {{ vars.day }}\"\n");
  auto project = project::open_project(proj.root, "dev");
  JobSpec spec = load_job_spec(project, proj.root / "lava-jobs/hello.yaml", "lava-jobs/hello.yaml",
                               Json{{"bucket", "from-realm"}});
  EXPECT_EQ(spec.job_id, "demo/hello");
  EXPECT_EQ(spec.owner, "ops");
  EXPECT_EQ(spec.payload, "lava/dev/demo/hello");
  // <{ }> is rendered now; {{ }} is left for the run, as the worker renders it.
  EXPECT_EQ(spec.parameters["command"], "echo dev from-realm {{ vars.day }}");

  proj.write("lava-jobs/bad.yaml", "job_id: <{ nope.x }>\n");
  try {
    load_job_spec(project, proj.root / "lava-jobs/bad.yaml", "lava-jobs/bad.yaml", Json::object());
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()).rfind("lava-jobs/bad.yaml:1:", 0), 0u) << e.what();
  }
}

}  // namespace
}  // namespace lava::run
