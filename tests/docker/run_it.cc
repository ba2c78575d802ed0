// `lava-docker run` end to end against a real engine, and the run library with another uid.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <fstream>
#include <map>
#include <regex>
#include <thread>

#include "docker/docker_client.h"
#include "engine_test_env.h"
#include "run/container_runner.h"
#include "run/run_plan.h"
#include "run/uuid.h"

namespace lava::docker_test {
namespace {

namespace fs = std::filesystem;

std::map<std::string, std::string> parse_env(const std::string& text) {
  std::map<std::string, std::string> m;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    size_t eq = line.find('=');
    if (eq != std::string::npos) m[line.substr(0, eq)] = line.substr(eq + 1);
  }
  return m;
}

// Containers carrying label lava.job_id=`job_id`, running or not, per Debian's CLI.
std::string containers_with_job(const std::string& job_id, const std::string& format = "{{.ID}}") {
  return docker_cli({"ps", "-a", "--filter", "label=lava.job_id=" + job_id, "--format", format})
      .out;
}

class RunIT : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!engine_configured())
      GTEST_SKIP() << "no Docker engine: set LAVA_HARNESS_ENV or DOCKER_HOST";
    std::string base = busybox_image(docker_);
    image_ = "lava-docker-it/proj-" + std::to_string(getpid()) + "/hello";
    docker_.tag_image(base, image_ + ":latest");
    write("config/it.yaml", "realm: itrealm\nprefix:\n  docker_repo: lava-docker-it/proj-" +
                                std::to_string(getpid()) +
                                "\n  job: proj/it\ndocker:\n  platform: linux/amd64\n");
    write("lava-payloads/hello.docker/main.py", "print('hi')\n");
    job_id_ = "it-job-" + run::new_uuid4();
  }
  void TearDown() override {
    if (!image_.empty()) docker_.remove_image(image_ + ":latest");
  }
  void write(const std::string& rel, const std::string& text) {
    fs::create_directories((project_.path / rel).parent_path());
    std::ofstream(project_.path / rel) << text;
  }
  ProcessResult lava_run(std::vector<std::string> args,
                         const std::function<void(pid_t)>& while_running = {}) {
    std::vector<std::string> argv{LAVA_DOCKER_BIN, "-C",    project_.path.string(),
                                  "run",           "--env", "it"};
    argv.insert(argv.end(), args.begin(), args.end());
    return run_process(argv, {}, while_running);
  }

  docker::DockerClient docker_;
  TempDir project_;
  std::string image_, job_id_;
};

TEST_F(RunIT, RunsAsTheWorkerDoes) {
  TempDir tmp;
  auto r = lava_run({"hello", "--tmp", tmp.path.string(), "-e", "FOO=bar baz", "-e",
                     "LAVA_JOB_ID=" + job_id_, "--",
                     "sh -c 'echo uid=$(id -u); echo groups=$(id -G); echo pwd=$(pwd); "
                     "echo host=$(hostname); env; echo made > $LAVA_TMP/out.txt; "
                     "echo to-stderr >&2; exit 7'"});
  EXPECT_EQ(r.status, 7) << r.err;
  EXPECT_EQ(r.err, "to-stderr\n");
  auto v = parse_env(r.out);
  fs::path canon = fs::canonical(tmp.path);
  EXPECT_EQ(v["uid"], std::to_string(geteuid()));
  std::string groups = " " + v["groups"] + " ";
  EXPECT_NE(groups.find(" " + std::to_string(getegid()) + " "), std::string::npos) << groups;
  EXPECT_EQ(v["pwd"], canon.string());
  EXPECT_EQ(v["LAVA_TMP"], canon.string());
  EXPECT_EQ(v["FOO"], "bar baz");
  EXPECT_EQ(v["LAVA_REALM"], "itrealm");
  EXPECT_EQ(v["LAVA_WORKER"], "local");
  EXPECT_EQ(v["LAVA_JOB_ID"], job_id_);
  EXPECT_FALSE(v["LAVA_OWNER"].empty());
  static const std::regex uuid(
      "^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$");
  EXPECT_TRUE(std::regex_match(v["LAVA_RUN_ID"], uuid)) << v["LAVA_RUN_ID"];
  EXPECT_EQ(v["host"], "lava-itrealm-local-" + v["LAVA_RUN_ID"]);
  EXPECT_EQ(v["LAVA_S3_TMP"], std::string(run::kNoS3) + "/tmp/" + job_id_ + "/" + v["LAVA_RUN_ID"]);
  EXPECT_FALSE(v["LAVA_S3_PAYLOAD"].empty());
  // The bind mount is the host's directory itself.
  std::ifstream made(tmp.path / "out.txt");
  std::string line;
  std::getline(made, line);
  EXPECT_EQ(line, "made");
  EXPECT_EQ(containers_with_job(job_id_), "");  // removed afterwards
}

TEST_F(RunIT, DefaultJobIdAndFreshTmpRemovedAfterwards) {
  auto r = lava_run({"hello", "--",
                     "sh -c 'echo LAVA_TMP=$LAVA_TMP; echo LAVA_JOB_ID=$LAVA_JOB_ID; "
                     "test -w $LAVA_TMP && echo writable=yes'"});
  ASSERT_EQ(r.status, 0) << r.err;
  auto v = parse_env(r.out);
  EXPECT_EQ(v["LAVA_JOB_ID"], "proj/it/hello");
  EXPECT_EQ(v["writable"], "yes");
  ASSERT_FALSE(v["LAVA_TMP"].empty());
  EXPECT_FALSE(fs::exists(v["LAVA_TMP"])) << v["LAVA_TMP"];
}

TEST_F(RunIT, LabelsWhileRunning) {
  std::string labels;
  auto r =
      lava_run({"hello", "-e", "LAVA_JOB_ID=" + job_id_, "--timeout", "3s", "--",
                "sh -c 'trap \"exit 0\" TERM; echo started; sleep 20 & wait'"},
               [&](pid_t) {
                 for (int i = 0; i < 200 && labels.empty(); ++i) {
                   std::this_thread::sleep_for(std::chrono::milliseconds(100));
                   std::string id = containers_with_job(job_id_);
                   if (id.empty()) continue;
                   id.pop_back();
                   labels = docker_cli({"inspect", "--format", "{{json .Config.Labels}}", id}).out;
                 }
               });
  ASSERT_FALSE(labels.empty()) << r.err;
  auto l = nlohmann::json::parse(labels);
  EXPECT_EQ(l["lava.realm"], "itrealm");
  EXPECT_EQ(l["lava.worker"], "local");
  EXPECT_EQ(l["lava.job_id"], job_id_);
  EXPECT_FALSE(l.value("lava.owner", "").empty());
  EXPECT_EQ(l["lava.run_id"].get<std::string>().size(), 36u);
  EXPECT_EQ(r.status, 124);
}

TEST_F(RunIT, TimeoutStopsTheContainerAndSaysSo) {
  // The container exits 0 on SIGTERM: the status still says it timed out.
  auto r = lava_run({"hello", "--timeout", "1s", "-e", "LAVA_JOB_ID=" + job_id_, "--",
                     "sh -c 'trap \"echo got-term; exit 0\" TERM; echo started; sleep 30 & wait'"});
  EXPECT_EQ(r.status, 124);
  EXPECT_NE(r.out.find("started"), std::string::npos);
  EXPECT_NE(r.err.find("timed out after 1s"), std::string::npos) << r.err;
  EXPECT_EQ(containers_with_job(job_id_), "");
}

TEST_F(RunIT, InterruptStopsAndRemovesTheContainer) {
  auto r = lava_run({"hello", "-e", "LAVA_JOB_ID=" + job_id_, "--", "sleep 60"}, [&](pid_t pid) {
    for (int i = 0; i < 200 && containers_with_job(job_id_).empty(); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    kill(pid, SIGINT);
  });
  EXPECT_EQ(r.status, 130) << r.err;
  EXPECT_EQ(containers_with_job(job_id_), "");
}

TEST_F(RunIT, CommandSplitLikeAShellArgsAppended) {
  auto r = lava_run({"hello", "--", "printf '%s|' 'a b' c\\ d \"e'f\"", "g h"});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out, "a b|c d|e'f|g h|");
}

// A container that exits at once after output without a newline: asked for its logs
// after the exit, the engine can return nothing; attached before the start, nothing is lost.
TEST_F(RunIT, QuickExitKeepsAnUnterminatedLastLine) {
  for (int i = 0; i < 5; ++i) {
    auto r = lava_run({"hello", "--", "printf", "no-newline"});
    ASSERT_EQ(r.status, 0) << r.err;
    EXPECT_EQ(r.out, "no-newline") << "run " << i;
  }
}

TEST_F(RunIT, BadInputIsOneClearLine) {
  auto t = lava_run({"hello", "--timeout", "5x"});
  EXPECT_EQ(t.status, 2);
  EXPECT_NE(t.err.find("--timeout: bad duration '5x'"), std::string::npos) << t.err;
  auto p = lava_run({"nope"});
  EXPECT_EQ(p.status, 1);
  EXPECT_NE(p.err.find("nope"), std::string::npos) << p.err;
  auto q = lava_run({"hello", "--", "echo 'unbalanced"});
  EXPECT_EQ(q.status, 2);
  EXPECT_NE(q.err.find("no closing single quote"), std::string::npos) << q.err;
  // An --image the engine lacks is pulled, as the worker pulls; this one is nowhere.
  auto i = lava_run({"hello", "--image", "lava-docker-it/not-built:1"});
  EXPECT_EQ(i.status, 1);
  EXPECT_NE(i.err.find("image lava-docker-it/not-built:1 is not in the Docker engine"),
            std::string::npos)
      << i.err;
  EXPECT_NE(i.err.find("cannot be pulled"), std::string::npos) << i.err;
  auto u =
      run_process({LAVA_DOCKER_BIN, "-C", project_.path.string(), "run", "--env", "it", "hello"},
                  {"DOCKER_HOST=unix:///nonexistent/docker.sock"});
  EXPECT_EQ(u.status, 1);
  EXPECT_NE(u.err.find("cannot reach the Docker engine at unix:///nonexistent/docker.sock"),
            std::string::npos)
      << u.err;
  EXPECT_EQ(std::count(u.err.begin(), u.err.end(), '\n'), 1) << u.err;
}

TEST_F(RunIT, CommandAndEnvRenderedAsTheWorkerDoes) {
  auto r = lava_run({"hello", "-e", "LAVA_JOB_ID=" + job_id_, "-e",
                     "WHO={{ job.job_id }}@{{ realm.realm }}", "--var", "day=mon", "--global",
                     "team=ops", "--",
                     "sh -c 'echo WHO=$WHO; echo ARGS=$0/$1; echo RUN=$LAVA_RUN_ID' {{vars.day}}",
                     "{{ globals.team }}-{{ job.run_id }}"});
  ASSERT_EQ(r.status, 0) << r.err;
  auto v = parse_env(r.out);
  EXPECT_EQ(v["WHO"], job_id_ + "@itrealm");
  ASSERT_EQ(v["RUN"].size(), 36u) << r.out;
  EXPECT_EQ(v["ARGS"], "mon/ops-" + v["RUN"]);
}

TEST_F(RunIT, NoJinjaPassesValuesAsTheyAre) {
  // "${#x}" holds "{#", a Jinja comment: the worker would fail on it too; --no-jinja is the way.
  auto bad = lava_run({"hello", "--", "sh -c 'x=abcd; echo ${#x}'"});
  EXPECT_EQ(bad.status, 2);
  EXPECT_NE(bad.err.find("--no-jinja"), std::string::npos) << bad.err;
  auto r = lava_run({"hello", "--no-jinja", "-e", "RAW={{ job.job_id }}", "--",
                     "sh -c 'x=abcd; echo ${#x} $RAW'"});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out, "4 {{ job.job_id }}\n");
}

TEST_F(RunIT, CallersOwnLavaVariablesStayOutside) {
  std::vector<std::string> argv{LAVA_DOCKER_BIN, "-C",    project_.path.string(),
                                "run",           "--env", "it",
                                "hello",         "--",    "sh -c 'echo [$LAVA_CALLER_ONLY]'"};
  auto r = run_process(argv, {"LAVA_CALLER_ONLY=from-the-caller"});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out, "[]\n");
}

// The same plan the CLI makes, for a caller that is not root: the container runs with
// that uid and has its gid as a supplementary group.
TEST_F(RunIT, OtherCallerIdentity) {
  TempDir tmp;
  ASSERT_EQ(chown(tmp.path.c_str(), 4321, 4322), 0);
  auto project = project::open_project(project_.path, "it");
  run::RunRequest request;
  request.payload = "hello";
  request.command = {
      "sh -c 'echo uid=$(id -u); echo gid=$(id -g); echo groups=$(id -G); "
      "touch $LAVA_TMP/by-container'"};
  run::RunIdentity who{4321, 4322, "someone"};
  auto plan =
      run::plan_run(project, request, who, run::new_uuid4(), tmp.path, project::Json::object());
  std::string out;
  auto outcome =
      run::run_container(docker_, plan.spec, plan.timeout,
                         [&](docker::OutputStream, std::string_view d) { out.append(d); });
  EXPECT_EQ(outcome.exit_status, 0) << out;
  auto v = parse_env(out);
  EXPECT_EQ(v["uid"], "4321");
  // The uid is not in the image's /etc/passwd: primary group 0, as under the worker.
  EXPECT_EQ(v["gid"], "0");
  std::string groups = " " + v["groups"] + " ";
  EXPECT_NE(groups.find(" 4322 "), std::string::npos) << groups;
  struct stat st;
  ASSERT_EQ(stat((tmp.path / "by-container").c_str(), &st), 0);
  EXPECT_EQ(st.st_uid, 4321u);
  EXPECT_FALSE(docker_.inspect_container(outcome.container_id));
}

}  // namespace
}  // namespace lava::docker_test
