#include "project/framework_files.h"

#include <gtest/gtest.h>
#include <stdlib.h>

namespace {

using namespace lava::project;

// A Dockerfile of our own in the framework's style: its digest is not a released one.
constexpr const char* kStandIn =
    "# our stand-in\n"
    "ARG BASE_IMG=base\n"
    "FROM $BASE_IMG\n"
    "ARG PIP_INDEX_URL\n"
    "ENV \\\n    PIP_INDEX_URL=${PIP_INDEX_URL} \\\n    LANG=C.UTF-8\n"
    "RUN true\n";

TEST(FrameworkFiles, NormalisedDigestIgnoresCommentsBlanksAndLineEnds) {
  const std::string d = normalised_digest("a\nb\n");
  EXPECT_EQ(normalised_digest("# c\n  a\t\r\n\n\tb  \n# more\n"), d);
  EXPECT_EQ(normalised_digest("a\r\nb"), d);
  EXPECT_NE(normalised_digest("a\nb c\n"), d);
  EXPECT_NE(normalised_digest("b\na\n"), d);
  // Nothing left: the digest of "\n".
  EXPECT_EQ(normalised_digest("# only\n\n"),
            "01ba4719c80b6fe911b091a7c05124b64eeece964e09c058ef8f9805daca546b");
}

TEST(FrameworkFiles, StockDockerfileByDigestAndExtraList) {
  ::unsetenv("LAVA_DOCKER_EXTRA_STOCK_DOCKERFILE_DIGESTS");
  EXPECT_FALSE(is_stock_framework_dockerfile(kStandIn));
  const std::string d = normalised_digest(kStandIn);
  ::setenv("LAVA_DOCKER_EXTRA_STOCK_DOCKERFILE_DIGESTS", ("abc, " + d).c_str(), 1);
  EXPECT_TRUE(is_stock_framework_dockerfile(kStandIn));
  // A comment or indentation change keeps it stock; a changed instruction does not.
  EXPECT_TRUE(is_stock_framework_dockerfile(std::string("# edited comment\n") + kStandIn));
  EXPECT_FALSE(is_stock_framework_dockerfile(std::string(kStandIn) + "RUN echo mine\n"));
  EXPECT_FALSE(is_framework_notebook_template(kStandIn));
  ::unsetenv("LAVA_DOCKER_EXTRA_STOCK_DOCKERFILE_DIGESTS");
}

TEST(FrameworkFiles, PipIndexUrlInEnv) {
  EXPECT_TRUE(dockerfile_env_sets_pip_index_url(kStandIn));
  EXPECT_TRUE(dockerfile_env_sets_pip_index_url("FROM x\nenv PIP_INDEX_URL=${PIP_INDEX_URL}\n"));
  EXPECT_TRUE(dockerfile_env_sets_pip_index_url("FROM x\nENV PIP_INDEX_URL http://i/\n"));
  EXPECT_FALSE(dockerfile_env_sets_pip_index_url("FROM x\nARG PIP_INDEX_URL\nRUN pip install\n"));
  EXPECT_FALSE(dockerfile_env_sets_pip_index_url("FROM x\nENV MY_PIP_INDEX_URL=1\n"));
  EXPECT_FALSE(dockerfile_env_sets_pip_index_url("FROM x\n# ENV PIP_INDEX_URL=1\n"));
  EXPECT_FALSE(dockerfile_env_sets_pip_index_url("FROM x\nRUN echo \\\n ENV PIP_INDEX_URL=1\n"));
}

}  // namespace

#include "project/project.h"
#include "project/test_project.h"

namespace {

// open_project classifies etc/Dockerfile: stock (replaced, one notice), stock kept with
// docker.dockerfile: stock (one warning for PIP_INDEX_URL in ENV), edited (the same warning).
TEST(FrameworkFiles, ProjectClassifiesTheFallbackDockerfile) {
  TempProject p;
  p.write("config/dev.yaml", "realm: r\nprefix: {docker_repo: x}\n");
  p.write("etc/Dockerfile", kStandIn);
  ::setenv("LAVA_DOCKER_EXTRA_STOCK_DOCKERFILE_DIGESTS",
           lava::project::normalised_digest(kStandIn).c_str(), 1);
  auto stock = open_project(p.root, "dev");
  EXPECT_TRUE(stock.stock_fallback_replaced);
  EXPECT_EQ(stock.dockerfile_notices.size(), 1u);
  EXPECT_TRUE(stock.dockerfile_warnings.empty());

  p.write("config/dev.yaml", "realm: r\nprefix: {docker_repo: x}\ndocker: {dockerfile: stock}\n");
  auto kept = open_project(p.root, "dev");
  EXPECT_FALSE(kept.stock_fallback_replaced);
  EXPECT_TRUE(kept.dockerfile_notices.empty());
  ASSERT_EQ(kept.dockerfile_warnings.size(), 1u);
  EXPECT_NE(kept.dockerfile_warnings[0].find("etc/Dockerfile sets PIP_INDEX_URL in ENV"),
            std::string::npos);

  p.write("config/dev.yaml", "realm: r\nprefix: {docker_repo: x}\n");
  p.write("etc/Dockerfile", std::string(kStandIn) + "RUN echo edited\n");
  auto edited = open_project(p.root, "dev");
  EXPECT_FALSE(edited.stock_fallback_replaced);
  EXPECT_EQ(edited.dockerfile_warnings.size(), 1u);
  ::unsetenv("LAVA_DOCKER_EXTRA_STOCK_DOCKERFILE_DIGESTS");
}

}  // namespace
