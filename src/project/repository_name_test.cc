#include "project/repository_name.h"

#include <gtest/gtest.h>

#include "project/config.h"
#include "project/payload.h"
#include "project/test_project.h"
#include "util/error.h"

using lava::project::repository_name_problem;

namespace {
std::string config_error(const std::string& yaml) {
  TempProject p;
  p.write("config/dev.yaml", yaml);
  try {
    lava::project::load_config(p.root, "dev");
  } catch (const lava::Error& e) {
    return e.what();
  }
  return "";
}
std::string payload_error(const std::string& dir_name) {
  TempProject p;
  std::filesystem::create_directories(p.root / "lava-payloads" / dir_name);
  try {
    lava::project::discover_payloads(p.root, "lava/dev");
  } catch (const lava::Error& e) {
    return e.what();
  }
  return "";
}
}  // namespace

TEST(RepositoryName, AcceptsTheGrammar) {
  for (const char* ok : {"a", "lava/dev/proj", "a.b", "a_b", "a__b", "a---b", "x9/0y", "my-app.v2"})
    EXPECT_EQ(repository_name_problem(ok), "") << ok;
}

TEST(RepositoryName, NamesWhatIsWrong) {
  EXPECT_NE(repository_name_problem("Lava/dev").find("upper-case letter 'L'"), std::string::npos);
  EXPECT_NE(repository_name_problem("my app").find("a space"), std::string::npos);
  EXPECT_NE(repository_name_problem("caf\xc3\xa9").find("non-ASCII"), std::string::npos);
  EXPECT_NE(repository_name_problem("a//b").find("empty component"), std::string::npos);
  EXPECT_NE(repository_name_problem("-a").find("must start and end"), std::string::npos);
  EXPECT_NE(repository_name_problem("a.").find("must start and end"), std::string::npos);
  EXPECT_NE(repository_name_problem("a._b").find("must start and end"), std::string::npos);
  EXPECT_NE(repository_name_problem("a___b").find("must start and end"), std::string::npos);
  EXPECT_NE(repository_name_problem("a:b").find("the character ':'"), std::string::npos);
  EXPECT_NE(repository_name_problem(std::string(256, 'a')).find("longer than 255"),
            std::string::npos);
}

TEST(RepositoryName, BadPrefixFailsWhenTheConfigIsRead) {
  auto e = config_error("realm: r\nprefix:\n  docker_repo: Lava/Dev\n");
  EXPECT_NE(e.find("config/dev.yaml: prefix.docker_repo 'Lava/Dev' is not a valid repository "
                   "name: 'Lava' has an upper-case letter 'L'"),
            std::string::npos)
      << e;
  EXPECT_NE(config_error("realm: r\nprefix:\n  docker_repo: my repo\n").find("a space"),
            std::string::npos);
}

TEST(RepositoryName, BadPayloadNameFailsWhenTheProjectIsRead) {
  auto e = payload_error("Hello.docker");
  EXPECT_NE(e.find("lava-payloads/Hello.docker: payload name 'Hello' cannot be part of an image "
                   "name: 'Hello' has an upper-case letter 'H'"),
            std::string::npos)
      << e;
  EXPECT_NE(payload_error("my job.docker").find("a space"), std::string::npos);
  EXPECT_NE(payload_error("caf\xc3\xa9.docker").find("non-ASCII"), std::string::npos);
  EXPECT_EQ(payload_error("good-name.docker"), "");
}

TEST(Config, ADirectoryAsConfigIsNamedAsSuch) {
  TempProject p;
  std::filesystem::create_directories(p.root / "config/dev.yaml");
  try {
    lava::project::load_config(p.root, "dev");
    FAIL() << "no error";
  } catch (const lava::Error& e) {
    EXPECT_STREQ(e.what(), "config/dev.yaml: is a directory, not a configuration file");
  }
}

TEST(Config, SectionsThatAreNotMappingsAreErrors) {
  EXPECT_EQ(config_error("realm: r\nprefix:\n  docker_repo: a\ndocker: []\n"),
            "config/dev.yaml: key 'docker' must be a mapping of keys, not a list");
  EXPECT_EQ(config_error("realm: r\nprefix: a\n"),
            "config/dev.yaml: key 'prefix' must be a mapping of keys, not a single value");
  EXPECT_EQ(config_error("realm: r\nprefix:\n  docker_repo: a\ndocker:\n"), "");
}
