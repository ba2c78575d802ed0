// `lava-docker install` / `uninstall` against a real docker-registry.
#include <gtest/gtest.h>

#include "cli_project.h"

using namespace lava;
using namespace lava::testing;
using nlohmann::json;

TEST(CliInstall, InstallTwiceThenUninstallTwice) {
  TestRegistry reg;
  std::string repo = unique_name("lava/cli-");
  CliProject project(reg.host(), repo);
  auto first = project.run({"install", "--no-build", "--env", "dev"});
  ASSERT_EQ(first.exit_status, 0) << first.err;
  EXPECT_NE(first.out.find("hello\tpushed\t" + reg.host() + "/" + repo + "/hello:latest@sha256:"),
            std::string::npos)
      << first.out;
  EXPECT_NE(first.out.find("multi\tpushed\t"), std::string::npos) << first.out;
  EXPECT_NE(first.err.find("uploaded"), std::string::npos) << "plain progress lines off a TTY";
  json idx = skopeo_raw(reg.host() + "/" + repo + "/multi:latest");
  ASSERT_FALSE(idx.is_null());
  EXPECT_EQ(idx["manifests"].size(), 2u);

  auto second = project.run({"install", "--no-build", "--env", "dev", "--json", "hello"});
  ASSERT_EQ(second.exit_status, 0) << second.err;
  json doc = json::parse(second.out);
  EXPECT_EQ(doc["command"], "install");
  EXPECT_EQ(doc["env"], "dev");
  const json& out = doc["payloads"];
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0]["payload"], "hello");
  EXPECT_EQ(out[0]["blobs_uploaded"], 0);
  EXPECT_EQ(out[0]["blobs_existing"], 4);
  EXPECT_EQ(out[0]["digest"].get<std::string>().substr(0, 7), "sha256:");

  auto removed = project.run({"uninstall", "--env", "dev"});
  ASSERT_EQ(removed.exit_status, 0) << removed.err;
  EXPECT_NE(removed.out.find("hello: deleted 1 manifest(s)"), std::string::npos) << removed.out;
  EXPECT_TRUE(skopeo_raw(reg.host() + "/" + repo + "/multi:latest").is_null());
  auto again = project.run({"uninstall", "--env", "dev", "hello"});
  EXPECT_EQ(again.exit_status, 0) << again.err;
  EXPECT_NE(again.err.find("notice: hello: "), std::string::npos) << again.err;
  EXPECT_NE(again.err.find("already uninstalled"), std::string::npos) << again.err;
}

TEST(CliInstall, MissingImageAndUnreachableRegistryAreClearErrors) {
  TestRegistry reg;
  CliProject project(reg.host(), unique_name("lava/x-"));
  fs::remove_all(project.root / "dist/dev/lava-payloads/hello.oci");
  auto r = project.run({"install", "--no-build", "--env", "dev", "hello"});
  EXPECT_EQ(r.exit_status, 1);
  EXPECT_NE(r.err.find("hello: no built image at"), std::string::npos) << r.err;
  // An unreachable registry is found before anything else is looked at.
  CliProject unreachable("127.0.0.1:9", "lava/x");
  r = unreachable.run({"install", "--no-build", "--env", "dev", "multi"});
  EXPECT_EQ(r.exit_status, 1);
  EXPECT_NE(r.err.find("127.0.0.1:9: cannot reach the registry"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("checked before building"), std::string::npos) << r.err;
}
