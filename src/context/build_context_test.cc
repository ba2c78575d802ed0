#include "context/build_context.h"

#include <gtest/gtest.h>

#include "project/test_project.h"
#include "util/error.h"
#include "util/file_io.h"

namespace fs = std::filesystem;

namespace {
const char* kNotebook = R"nb({"cells": [{"cell_type": "code", "execution_count": 1, "metadata": {},
 "outputs": [], "source": ["%matplotlib inline\n", "print('hi')"]}],
 "metadata": {}, "nbformat": 4, "nbformat_minor": 5})nb";
}

TEST(BuildContext, RendersEnvConvertsNotebooksUsesDefaultDockerfile) {
  TempProject p;
  p.write("config/dev.yaml",
          "realm: r1\nprefix: {docker_repo: lava/dev/demo}\ndocker: {platform: linux/amd64, "
          "os_upgrade: false}\nbucket: b-dev\n");
  p.write("lava-payloads/hello.docker/env/settings.yaml",
          "bucket: <{ bucket }>\nenv: <{ env }>\nraw: {{ x }}\n");
  p.write("lava-payloads/hello.docker/main.py", "print(1)\n");
  p.write("lava-payloads/hello.docker/nb/report.ipynb", kNotebook);
  auto project = lava::project::open_project(p.root, "dev");
  fs::path dest = p.root / "ctx";
  auto ctx = lava::context::prepare_context(project, project.payloads.at(0), dest);
  EXPECT_EQ(ctx.dockerfile_origin, lava::context::DockerfileOrigin::kBuiltIn);
  EXPECT_EQ(lava::read_file(dest / "env/settings.yaml"), "bucket: b-dev\nenv: dev\nraw: {{ x }}");
  EXPECT_FALSE(fs::exists(dest / "nb/report.ipynb"));
  std::string py = lava::read_file(dest / "nb/report.py");
  EXPECT_EQ(py.rfind("#!/usr/bin/env python3\n", 0), 0u);
  EXPECT_NE(py.find("#get_ipython().run_line_magic('matplotlib', 'inline')"), std::string::npos);
  std::string dockerfile = lava::read_file(dest / "Dockerfile");
  EXPECT_NE(dockerfile.find("USER lava"), std::string::npos);
  EXPECT_EQ(dockerfile.find("apt-get"), std::string::npos);  // os_upgrade: false
  EXPECT_EQ(dockerfile.find("<%"), std::string::npos);
}

TEST(BuildContext, PayloadDockerfileIsRendered) {
  TempProject p;
  p.write("config/dev.yaml",
          "realm: r1\nprefix: {docker_repo: x}\ndocker: {base_img: 127.0.0.1:5000/base}\n");
  p.write("lava-payloads/c.docker/Dockerfile",
          "FROM <{ docker.base_img }>\nLABEL realm=<{ realm }>\n");
  auto project = lava::project::open_project(p.root, "dev");
  auto ctx = lava::context::prepare_context(project, project.payloads.at(0), p.root / "ctx");
  EXPECT_EQ(ctx.dockerfile_origin, lava::context::DockerfileOrigin::kPayload);
  EXPECT_EQ(lava::read_file(p.root / "ctx/Dockerfile"),
            "FROM 127.0.0.1:5000/base\nLABEL realm=r1\n");
}

TEST(BuildContext, TemplateErrorNamesPayloadFile) {
  TempProject p;
  p.write("config/dev.yaml", "realm: r1\nprefix: {docker_repo: x}\n");
  p.write("lava-payloads/c.docker/env/bad.txt", "line1\n<% if %>\n");
  auto project = lava::project::open_project(p.root, "dev");
  try {
    lava::context::prepare_context(project, project.payloads.at(0), p.root / "ctx");
    FAIL();
  } catch (const lava::Error& e) {
    EXPECT_NE(std::string(e.what()).find("lava-payloads/c.docker/env/bad.txt:2"), std::string::npos)
        << e.what();
  }
}

TEST(BuildContext, DockerignoreLeavesFilesOut) {
  TempProject p;
  p.write("config/dev.yaml", "realm: r1\nprefix: {docker_repo: x}\n");
  const std::string d = "lava-payloads/i.docker/";
  p.write(d + ".dockerignore",
          "# not for the image\nDockerfile\n.dockerignore\nsecrets/\n**/*.tmp\nnb/draft.ipynb\n"
          "env/local-*\ndocs\n!docs/keep.md\n");
  p.write(d + "main.py", "print(1)\n");
  p.write(d + "requirements.txt", "x\n");
  p.write(d + "secrets/key.pem", "KEY\n");
  p.write(d + "a/b/c.tmp", "t\n");
  p.write(d + "a/b/c.txt", "t\n");
  p.write(d + "nb/draft.ipynb", "not even json");  // ignored: never converted
  p.write(d + "nb/report.ipynb", kNotebook);
  p.write(d + "env/local-broken.txt", "<% if %>");  // ignored: never rendered
  p.write(d + "env/ok.txt", "<{ realm }>");
  p.write(d + "docs/keep.md", "k\n");
  p.write(d + "docs/other.md", "o\n");
  p.write(d + "docs/sub/deep.md", "o\n");
  auto project = lava::project::open_project(p.root, "dev");
  fs::path dest = p.root / "ctx";
  auto ctx = lava::context::prepare_context(project, project.payloads.at(0), dest);
  EXPECT_EQ(ctx.not_in_image, (std::vector<std::string>{"Dockerfile", ".dockerignore"}));
  for (const char* kept : {"main.py", "requirements.txt", "a/b/c.txt", "nb/report.py", "env/ok.txt",
                           "docs/keep.md", "Dockerfile", ".dockerignore"})
    EXPECT_TRUE(fs::exists(dest / kept)) << kept;
  for (const char* gone : {"secrets", "a/b/c.tmp", "nb/draft.ipynb", "nb/draft.py",
                           "env/local-broken.txt", "docs/other.md", "docs/sub"})
    EXPECT_FALSE(fs::exists(dest / gone)) << gone;
  EXPECT_EQ(lava::read_file(dest / "env/ok.txt"), "r1");
  // The built-in Dockerfile never names the Dockerfile the engine drops from the context
  // when .dockerignore lists it, and never declares PIP_INDEX_URL: the requirements step
  // (builder/requirements_step.h) reads the requirement files from the context itself.
  std::string dockerfile = lava::read_file(dest / "Dockerfile");
  EXPECT_NE(dockerfile.find("COPY --from=lava-requirements /lava-root/ /"), std::string::npos)
      << dockerfile;
  EXPECT_EQ(dockerfile.find("COPY Dockerfile"), std::string::npos);
  EXPECT_EQ(dockerfile.find("ARG PIP_INDEX_URL"), std::string::npos);
}

TEST(BuildContext, BadDockerignorePatternNamesTheFile) {
  TempProject p;
  p.write("config/dev.yaml", "realm: r1\nprefix: {docker_repo: x}\n");
  p.write("lava-payloads/i.docker/.dockerignore", "ok\n[oops\n");
  auto project = lava::project::open_project(p.root, "dev");
  try {
    lava::context::prepare_context(project, project.payloads.at(0), p.root / "ctx");
    FAIL();
  } catch (const lava::Error& e) {
    EXPECT_NE(std::string(e.what()).find("lava-payloads/i.docker/.dockerignore:2"),
              std::string::npos)
        << e.what();
  }
}
