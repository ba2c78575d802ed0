// The orchestration's up-to-date decisions, through PayloadBuilder with the native engine
// on a synthetic base in a local OCI layout (no daemon, no network, no pip): what changes
// the inputs rebuilds, what does not is left alone, and the engine choice follows the
// Dockerfile the payload builds with.
#include "builder/payload_builder.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <fstream>

#include "builder/build_state.h"
#include "builder/engine_choice.h"
#include "native/test_util.h"
#include "project/test_project.h"
#include "util/error.h"

namespace lava::builder {
namespace {

namespace fs = std::filesystem;

class PayloadBuilderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    native::testing::make_test_base(tmp_.path / "base", {"amd64", "arm64"});
    ::setenv("XDG_CACHE_HOME", (tmp_.path / "cache").c_str(), 1);
    config("linux/amd64");
    proj_.write("lava-payloads/hello.docker/main.py", "print('hello')\n");
  }
  void TearDown() override { ::unsetenv("XDG_CACHE_HOME"); }

  void config(const std::string& platforms, const std::string& extra = "") {
    proj_.write("config/dev.yaml",
                "realm: dev\nprefix:\n  docker_repo: t/dev\ndocker:\n  platform: " + platforms +
                    "\n  base_img: oci:" + (tmp_.path / "base").string() +
                    ":stable\n  os_upgrade: false\n" + extra);
  }
  // Whether a build now rebuilt the payload (false: it was up to date).
  bool rebuilt(bool force = false) {
    auto project = project::open_project(proj_.root, "dev");
    BuildRequest request;
    request.force = force;
    PayloadBuilder builder("native", request, {});
    return builder.build(project, project.payloads.at(0)).rebuilt;
  }

  native::testing::TempDir tmp_;
  TempProject proj_;
};

TEST_F(PayloadBuilderTest, UnchangedInputsAreUpToDateAndForceRebuilds) {
  EXPECT_TRUE(rebuilt());
  EXPECT_FALSE(rebuilt());
  EXPECT_TRUE(rebuilt(/*force=*/true));
  EXPECT_FALSE(rebuilt());
}

TEST_F(PayloadBuilderTest, EachInputChangeRebuilds) {
  ASSERT_TRUE(rebuilt());
  proj_.write("lava-payloads/hello.docker/main.py", "print('changed')\n");
  EXPECT_TRUE(rebuilt()) << "payload file";
  config("linux/amd64", "owner: someone\n");
  EXPECT_TRUE(rebuilt()) << "config";
  fs::permissions(proj_.root / "lava-payloads/hello.docker/main.py", fs::perms::owner_exec,
                  fs::perm_options::add);
  EXPECT_TRUE(rebuilt()) << "exec bit";
  proj_.write("lava-payloads/hello.docker/.dockerignore", "*.log\n");
  EXPECT_TRUE(rebuilt()) << ".dockerignore rules";
  proj_.write("lava-payloads/hello.docker/debug.log", "ignored\n");
  EXPECT_FALSE(rebuilt()) << "a file .dockerignore leaves out";
  config("linux/amd64,linux/arm64", "owner: someone\n");
  EXPECT_TRUE(rebuilt()) << "platforms";
  EXPECT_FALSE(rebuilt());
}

TEST_F(PayloadBuilderTest, TheBuildStateNamesTheEngineAndThePlatforms) {
  config("linux/amd64,linux/arm64");
  ASSERT_TRUE(rebuilt());
  auto project = project::open_project(proj_.root, "dev");
  auto state = read_build_state(project.dist, "hello");
  ASSERT_TRUE(state);
  EXPECT_EQ(state->engine, "native");
  ASSERT_EQ(state->images.size(), 2u);
  EXPECT_EQ(state->images[0].platform, "linux/amd64");
  EXPECT_EQ(state->images[1].platform, "linux/arm64");
  PayloadBuilder builder("native", {}, {});
  EXPECT_EQ(builder.ensure_layout(project, project.payloads.at(0)),
            project.dist.oci_layout("hello"));
}

TEST_F(PayloadBuilderTest, EngineChoiceFollowsTheDockerfile) {
  auto project = project::open_project(proj_.root, "dev");
  const auto& payload = project.payloads.at(0);
  EXPECT_EQ(choose_engine("auto", project, payload), EngineKind::kNative);
  EXPECT_EQ(choose_engine("docker", project, payload), EngineKind::kDocker);
  proj_.write("etc/Dockerfile", "FROM scratch\nCOPY . /lava\n");
  project = project::open_project(proj_.root, "dev");
  EXPECT_EQ(choose_engine("auto", project, project.payloads.at(0)), EngineKind::kDocker);
  proj_.write("lava-payloads/hello.docker/Dockerfile", "FROM scratch\n");
  project = project::open_project(proj_.root, "dev");
  EXPECT_EQ(choose_engine("auto", project, project.payloads.at(0)), EngineKind::kDocker);
  try {
    choose_engine("native", project, project.payloads.at(0));
    FAIL() << "native accepted a payload with its own Dockerfile";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("Dockerfile"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace lava::builder
