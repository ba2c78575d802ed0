// The Docker client against a real engine: builds, images, registry, containers.
#include <archive.h>
#include <archive_entry.h>
#include <gtest/gtest.h>

#include <unistd.h>

#include <fstream>
#include <future>
#include <nlohmann/json.hpp>
#include <thread>

#include "docker/context_tar.h"
#include "docker/docker_client.h"
#include "docker/image_builder.h"
#include "engine_test_env.h"
#include "run/container_runner.h"
#include "util/error.h"

namespace lava::docker_test {
namespace {

namespace fs = std::filesystem;
using docker::BuildEvent;
using docker::BuildOptions;
using docker::DockerClient;

class DockerClientIT : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!engine_configured())
      GTEST_SKIP() << "no Docker engine: set LAVA_HARNESS_ENV or DOCKER_HOST";
    base_ = busybox_image(docker_);
  }
  void TearDown() override {
    for (const auto& t : cleanup_) docker_.remove_image(t, true);
  }
  std::string tag(const std::string& name) {
    std::string t = "lava-docker-it/" + name + "-" + std::to_string(getpid()) + ":latest";
    cleanup_.push_back(t);
    return t;
  }
  void write(const fs::path& p, const std::string& text) {
    fs::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << text;
  }
  BuildOptions options(const fs::path& dir) {
    BuildOptions o;
    o.context_dir = dir;
    o.network_mode = env("LAVA_TEST_DOCKER_NETWORK");
    o.build_args = {{"BASE", base_}};
    return o;
  }

  DockerClient docker_;
  std::string base_;
  std::vector<std::string> cleanup_;
};

TEST_F(DockerClientIT, PingNegotiatesTheApiVersion) {
  std::string v = docker_.api_version();
  EXPECT_LE(docker::compare_api_versions(v, "1.41"), 0) << v;
  EXPECT_GE(docker::compare_api_versions(v, "1.32"), 0) << v;
  EXPECT_FALSE(docker_.engine_version().value("ApiVersion", "").empty());
}

TEST_F(DockerClientIT, ImportedImageInspects) {
  auto img = docker_.inspect_image(base_);
  ASSERT_TRUE(img.has_value());
  EXPECT_EQ(img->os, "linux");
  EXPECT_EQ(img->id.rfind("sha256:", 0), 0u);
  EXPECT_FALSE(docker_.inspect_image("lava-docker-it/never-built-" + std::to_string(getpid())));
}

TEST_F(DockerClientIT, BuildsWithArgsTagsLabelsAndStreamedOutput) {
  TempDir ctx;
  write(ctx.path / "Dockerfile",
        "ARG BASE\nFROM ${BASE}\nARG GREETING=none\nCOPY app/ /app/\n"
        "RUN echo \"greeting=${GREETING}\" && cat /app/msg.txt && echo built > /built.txt\n"
        "LABEL x.test=yes\n");
  write(ctx.path / "app" / "msg.txt", "message-from-context\n");
  std::string t1 = tag("build"), t2 = tag("build-extra");
  auto o = options(ctx.path);
  o.build_args.emplace_back("GREETING", "hello-args");
  o.tags = {t1, t2};
  o.labels = {{"lava.test", "label-value"}};
  std::vector<std::string> lines;
  o.on_event = [&](const BuildEvent& e) {
    if (e.kind == BuildEvent::Kind::kOutput) lines.push_back(e.text);
  };
  auto result = docker_.build(o);
  EXPECT_EQ(result.image_id.rfind("sha256:", 0), 0u) << result.image_id;

  auto has_line = [&](const std::string& text) {
    for (const auto& l : lines)
      if (l.find(text) != std::string::npos) return true;
    return false;
  };
  EXPECT_TRUE(has_line("Step 1/")) << testing::PrintToString(lines);
  EXPECT_TRUE(has_line("greeting=hello-args"));
  EXPECT_TRUE(has_line("message-from-context"));
  for (const auto& l : lines) EXPECT_EQ(l.find('\n'), std::string::npos);

  auto img = docker_.inspect_image(t2);
  ASSERT_TRUE(img);
  EXPECT_EQ(img->id, result.image_id);
  EXPECT_EQ(img->config["Labels"]["x.test"], "yes");
  EXPECT_EQ(img->config["Labels"]["lava.test"], "label-value");
  // Independently, with Debian's docker CLI.
  auto cli = docker_cli({"image", "inspect", "--format", "{{.Id}} {{len .RepoTags}}", t1});
  EXPECT_EQ(cli.out, result.image_id + " 2\n") << cli.err;

  bool run_step_in_history = false;
  for (const auto& h : docker_.image_history(t1)) {
    if (h.created_by.find("greeting=") != std::string::npos) run_step_in_history = true;
  }
  EXPECT_TRUE(run_step_in_history);
  auto listed = docker_.list_images("lava-docker-it/build-" + std::to_string(getpid()));
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0].id, result.image_id);
}

TEST_F(DockerClientIT, ExtraFileReplacesTheDockerfile) {
  TempDir ctx;
  write(ctx.path / "Dockerfile", "this is not a dockerfile\n");
  auto o = options(ctx.path);
  o.extra_files["Dockerfile"] = "ARG BASE\nFROM ${BASE}\nLABEL from.extra=1\n";
  o.tags = {tag("extra")};
  auto id = docker_.build(o).image_id;
  EXPECT_EQ(docker_.inspect_image(id)->config["Labels"]["from.extra"], "1");
}

TEST_F(DockerClientIT, DockerfileSyntaxErrorIsAClearError) {
  TempDir ctx;
  write(ctx.path / "Dockerfile", "FROM scratch\nFORM busybox\n");
  auto o = options(ctx.path);
  o.tags = {tag("syntax")};
  try {
    docker_.build(o);
    FAIL() << "built";
  } catch (const Error& e) {
    std::string m = e.what();
    EXPECT_NE(m.find("FORM"), std::string::npos) << m;
    EXPECT_EQ(m.find('\n'), std::string::npos) << m;
  }
  EXPECT_FALSE(docker_.inspect_image(o.tags[0]));
}

TEST_F(DockerClientIT, FailingRunIsAClearError) {
  TempDir ctx;
  write(ctx.path / "Dockerfile", "ARG BASE\nFROM ${BASE}\nRUN echo about-to-fail && exit 7\n");
  auto o = options(ctx.path);
  o.tags = {tag("failing")};
  std::vector<std::string> lines;
  o.on_event = [&](const BuildEvent& e) { lines.push_back(e.text); };
  try {
    docker_.build(o);
    FAIL() << "built";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("returned a non-zero code: 7"), std::string::npos)
        << e.what();
  }
  bool saw_output = false;
  for (const auto& l : lines) saw_output |= l.find("about-to-fail") != std::string::npos;
  EXPECT_TRUE(saw_output);
}

TEST_F(DockerClientIT, MissingBaseIsAnErrorNamingIt) {
  TempDir ctx;
  write(ctx.path / "Dockerfile", "FROM 127.0.0.1:9/lava-docker-it/no-such-base:1\n");
  auto o = options(ctx.path);
  o.tags = {tag("nobase")};
  try {
    docker_.build(o);
    FAIL() << "built";
  } catch (const Error& e) {
    std::string m = e.what();
    EXPECT_NE(m.find("no-such-base"), std::string::npos) << m;
    EXPECT_NE(m.find("Step 1/1"), std::string::npos) << m;
  }
}

TEST_F(DockerClientIT, CredentialsInOutputAreRedacted) {
  TempDir ctx;
  write(ctx.path / "Dockerfile",
        "ARG BASE\nFROM ${BASE}\nARG INDEX\nRUN echo \"index is $INDEX\" && exit 3\n");
  auto o = options(ctx.path);
  o.build_args.emplace_back("INDEX", "http://someone:pw-9f8e7d@127.0.0.1:9/simple/");
  o.tags = {tag("redact")};
  std::string all;
  o.on_event = [&](const BuildEvent& e) { all += e.text + "\n"; };
  std::string error;
  try {
    docker_.build(o);
  } catch (const Error& e) {
    error = e.what();
  }
  EXPECT_NE(all.find("index is http://***@127.0.0.1:9/simple/"), std::string::npos) << all;
  EXPECT_EQ(all.find("pw-9f8e7d"), std::string::npos) << all;
  EXPECT_FALSE(error.empty());
  EXPECT_EQ(error.find("pw-9f8e7d"), std::string::npos) << error;
}

TEST_F(DockerClientIT, SaveStreamsADockerArchiveToAFile) {
  std::string t = tag("save");
  docker_.tag_image(base_, t);
  TempDir out;
  fs::path file = out.path / "sub" / "image.tar";
  docker_.save_images_to_file({t}, file);
  EXPECT_EQ(std::distance(fs::directory_iterator(file.parent_path()), fs::directory_iterator()), 1);
  struct archive* a = archive_read_new();
  archive_read_support_format_tar(a);
  ASSERT_EQ(archive_read_open_filename(a, file.c_str(), 65536), ARCHIVE_OK);
  std::string manifest;
  struct archive_entry* e;
  while (archive_read_next_header(a, &e) == ARCHIVE_OK) {
    if (std::string(archive_entry_pathname(e)) != "manifest.json") continue;
    char buf[4096];
    for (la_ssize_t n; (n = archive_read_data(a, buf, sizeof buf)) > 0;) manifest.append(buf, n);
  }
  archive_read_free(a);
  auto m = nlohmann::json::parse(manifest);
  ASSERT_EQ(m.size(), 1u);
  EXPECT_EQ(m[0]["RepoTags"][0], t);
  EXPECT_THROW(docker_.save_images_to_file({"lava-docker-it/none:none"}, out.path / "x.tar"),
               Error);
  EXPECT_FALSE(fs::exists(out.path / "x.tar"));
}

TEST_F(DockerClientIT, TagAndRemove) {
  std::string t = tag("tagged");
  docker_.tag_image(base_, t);
  EXPECT_EQ(docker_.inspect_image(t)->id, docker_.inspect_image(base_)->id);
  EXPECT_TRUE(docker_.remove_image(t));
  EXPECT_FALSE(docker_.inspect_image(t));
  EXPECT_FALSE(docker_.remove_image(t));
  EXPECT_TRUE(docker_.inspect_image(base_));
}

TEST_F(DockerClientIT, ContainerOutputIsDemultiplexed) {
  docker::ContainerSpec spec;
  spec.image = base_;
  spec.cmd = std::vector<std::string>{"sh", "-c", "echo to-out; echo to-err >&2; exit 5"};
  std::string id = docker_.create_container(spec);
  std::string out, err;
  std::promise<void> attached;
  std::thread reader([&] {
    bool said = false;
    try {
      docker_.attach_output(
          id,
          [&](docker::OutputStream s, std::string_view d) {
            (s == docker::OutputStream::kStderr ? err : out).append(d);
          },
          [&] {
            said = true;
            attached.set_value();
          });
    } catch (const std::exception& e) {
      ADD_FAILURE() << "attach: " << e.what();
    }
    if (!said) attached.set_value();
  });
  attached.get_future().wait();
  docker_.start_container(id);
  reader.join();
  EXPECT_EQ(docker_.wait_container(id).status_code, 5);
  EXPECT_EQ(out, "to-out\n");
  EXPECT_EQ(err, "to-err\n");
  EXPECT_TRUE(docker_.remove_container(id));
  EXPECT_FALSE(docker_.inspect_container(id));
}

// What the requirements step (builder/requirements_step.h) relies on: a tar copied into a
// created container lands in its anonymous volume when the path is the volume's, the
// container sees it, and neither a commit nor anything after the removal keeps it.
TEST_F(DockerClientIT, FilesCopiedIntoAVolumeStayOutOfACommit) {
  TempDir in;
  write(in.path / "vol" / "secret.txt", "volume-only-4711\n");
  write(in.path / "kept" / "kept.txt", "layer-kept-0815\n");
  std::string tar;
  {
    docker::ContextTarStream stream(in.path);
    char buf[65536];
    for (size_t n; (n = stream.read(buf, sizeof buf)) > 0;) tar.append(buf, n);
  }
  docker::ContainerSpec spec;
  spec.image = base_;
  spec.cmd = std::vector<std::string>{"sh", "-c", "cat /vol/secret.txt /kept/kept.txt"};
  spec.extra_config["Volumes"] = {{"/vol", nlohmann::json::object()}};
  std::string out, committed;
  run::ContainerHooks hooks;
  hooks.before_start = [&](const std::string& id) { docker_.put_archive(id, "/", tar); };
  hooks.after_exit = [&](const std::string& id, int64_t status) {
    EXPECT_EQ(status, 0);
    committed = docker_.commit_container(id);
  };
  auto outcome = run::run_container(
      docker_, spec, std::chrono::minutes(2),
      [&](docker::OutputStream, std::string_view d) { out.append(d); }, nullptr,
      std::chrono::seconds(10), std::chrono::seconds(2), hooks);
  ASSERT_FALSE(committed.empty());
  cleanup_.push_back(committed);
  EXPECT_EQ(out, "volume-only-4711\nlayer-kept-0815\n");
  EXPECT_FALSE(docker_.inspect_container(outcome.container_id));
  std::string saved;  // docker save's layers are plain tars: their contents show as they are
  docker_.save_images({committed}, [&](std::string_view bytes) { saved.append(bytes); });
  EXPECT_NE(saved.find("layer-kept-0815"), std::string::npos);
  EXPECT_EQ(saved.find("volume-only-4711"), std::string::npos);
  EXPECT_THROW(docker_.put_archive(outcome.container_id, "/", tar), Error);
}

// Registry: LAVA_TEST_REGISTRY is a plain-http registry on loopback.
class RegistryIT : public DockerClientIT {
 protected:
  void SetUp() override {
    DockerClientIT::SetUp();
    if (IsSkipped()) return;
    registry_ = env("LAVA_TEST_REGISTRY");
    if (registry_.empty()) GTEST_SKIP() << "no LAVA_TEST_REGISTRY";
  }
  std::string registry_;
};

TEST_F(RegistryIT, DistributionInspectListsThePlatforms) {
  std::string suffix = std::to_string(getpid());
  std::string amd = registry_ + "/lava-docker-it/busybox:amd64-" + suffix;
  std::string arm = registry_ + "/lava-docker-it/busybox:arm64-" + suffix;
  cleanup_.push_back(amd);
  cleanup_.push_back(arm);
  docker_.tag_image(busybox_image(docker_, "amd64", "linux/amd64"), amd);
  docker_.tag_image(busybox_image(docker_, "arm64", "linux/arm64"), arm);
  docker_.push(amd);
  docker_.push(arm);

  auto d_amd = docker_.distribution_inspect(amd);
  EXPECT_TRUE(d_amd.offers("linux/amd64"));
  EXPECT_FALSE(d_amd.offers("linux/arm64"));
  EXPECT_EQ(d_amd.digest.rfind("sha256:", 0), 0u);
  auto d_arm = docker_.distribution_inspect(arm);
  EXPECT_TRUE(d_arm.offers("linux/arm64/v8") || d_arm.offers("linux/arm64"));
  EXPECT_FALSE(d_arm.offers("linux/amd64"));

  try {
    docker_.distribution_inspect(registry_ + "/lava-docker-it/never-pushed:1");
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("never-pushed"), std::string::npos) << e.what();
  }
}

TEST_F(RegistryIT, PullForAPlatform) {
  std::string ref = registry_ + "/lava-docker-it/busybox:pull-arm64-" + std::to_string(getpid());
  cleanup_.push_back(ref);
  docker_.tag_image(busybox_image(docker_, "arm64", "linux/arm64"), ref);
  docker_.push(ref);
  docker_.remove_image(ref);
  std::vector<std::string> statuses;
  docker_.pull(ref, "linux/arm64", [&](const BuildEvent& e) { statuses.push_back(e.text); });
  EXPECT_FALSE(statuses.empty());
  EXPECT_EQ(docker_.inspect_image(ref)->architecture, "arm64");
  // The same single-platform image asked for as amd64: Docker 20.10 pulls it anyway
  // (newer engines refuse). Either way no image claims a platform it lacks, which is why
  // a build checks the registry's platforms first and the built image's afterwards.
  docker_.remove_image(ref);
  try {
    docker_.pull(ref, "linux/amd64");
    EXPECT_EQ(docker_.inspect_image(ref)->architecture, "arm64");
  } catch (const Error& e) {
    EXPECT_FALSE(docker_.inspect_image(ref)) << e.what();
  }
}

TEST_F(RegistryIT, HarnessBaseImagePlatforms) {
  std::string base = env("LAVA_TEST_BASE_IMAGE");
  std::string amd_only = env("LAVA_TEST_BASE_IMAGE_AMD64_ONLY");
  if (base.empty() || amd_only.empty()) GTEST_SKIP() << "no harness base images";
  auto all = docker_.distribution_inspect(base);
  EXPECT_TRUE(all.offers("linux/amd64"));
  EXPECT_TRUE(all.offers("linux/arm64"));
  // A single OCI manifest: Docker lists no platforms for it (it reads configs only for
  // Docker schema 2), and never arm64.
  auto one = docker_.distribution_inspect(amd_only);
  EXPECT_FALSE(one.offers("linux/arm64"));
  EXPECT_TRUE(one.platforms.empty() || one.offers("linux/amd64"));
}

TEST_F(RegistryIT, ImageBuilderChecksBasePlatformsAndTheResult) {
  std::string base =
      registry_ + "/lava-docker-it/busybox:builder-arm64-" + std::to_string(getpid());
  cleanup_.push_back(base);
  docker_.tag_image(busybox_image(docker_, "arm64", "linux/arm64"), base);
  docker_.push(base);
  docker::DockerImageBuilder builder(docker_);
  auto offered = builder.base_platforms(base);
  EXPECT_NO_THROW(docker::require_platform(offered, base, "linux/arm64"));
  try {
    docker::require_platform(offered, base, "linux/amd64");
    FAIL() << "accepted";
  } catch (const Error& e) {
    std::string m = e.what();
    EXPECT_NE(m.find(base), std::string::npos) << m;
    EXPECT_NE(m.find("linux/amd64"), std::string::npos) << m;
  }
  // Local base of the wrong architecture under the same tag: the pull puts it right.
  docker_.tag_image(busybox_image(docker_), base);
  TempDir ctx;
  docker::ImageBuildRequest r;
  r.context_dir = ctx.path;
  r.extra_files["Dockerfile"] = "ARG BASE\nFROM ${BASE}\nLABEL built.by=builder\n";
  r.base_image = base;
  r.build_args = {{"BASE", base}};
  r.platform = "linux/arm64";
  r.network_mode = env("LAVA_TEST_DOCKER_NETWORK");
  r.tags = {tag("builder")};
  auto built = builder.build(r);
  EXPECT_EQ(built.platform.str(), "linux/arm64");
  EXPECT_EQ(docker_.inspect_image(r.tags[0])->architecture, "arm64");
}

}  // namespace
}  // namespace lava::docker_test
