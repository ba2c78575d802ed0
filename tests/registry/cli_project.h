// Integration tests only: a lava project whose payloads already have OCI images in dist/.
#pragma once

#include "registry_env.h"

namespace lava::testing {

struct CliProject {
  fs::path root;
  CliProject(const std::string& registry_value, const std::string& docker_repo) {
    root = fs::temp_directory_path() / unique_name("lava-cli-");
    fs::create_directories(root / "config");
    fs::create_directories(root / "lava-payloads/hello.docker");
    fs::create_directories(root / "lava-payloads/multi.docker");
    std::ofstream(root / "config/dev.yaml")
        << "realm: r1\nprefix:\n  docker_repo: " << docker_repo
        << "\ndocker:\n  platform: linux/amd64\n  registry: \"" << registry_value << "\"\n";
    make_layout(root / "dist/dev/lava-payloads/hello.oci", {"amd64"}, "cli-hello");
    make_layout(root / "dist/dev/lava-payloads/multi.oci", {"amd64", "arm64"}, "cli-multi");
  }
  ~CliProject() { fs::remove_all(root); }
  ProcessResult run(std::vector<std::string> args) const {
    args.insert(args.begin(), {LAVA_TEST_BIN, "-C", root.string()});
    return run_process(args, "", std::chrono::seconds(300));
  }
};

}  // namespace lava::testing
