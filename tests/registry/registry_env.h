// Integration tests only: a registry to talk to (our own docker-registry, or the harness's
// when LAVA_HARNESS_ENV names an env file with LAVA_TEST_REGISTRY), the fault proxy, and
// small multi-platform images built through lava::oci.
#pragma once

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <random>
#include <sstream>
#include <string>

#include "http/test_server.h"
#include "oci/docker_archive.h"
#include "oci/layout.h"
#include "oci/test_tar.h"
#include "util/subprocess.h"

namespace lava::testing {

namespace fs = std::filesystem;

inline std::string source_dir() {
  const char* d = std::getenv("LAVA_SOURCE_DIR");
  return d ? d : LAVA_TEST_SOURCE_DIR;
}

inline std::string script(const std::string& name) {
  return source_dir() + "/tests/registry/" + name;
}

// LAVA_TEST_REGISTRY from the harness env file, or "".
inline std::string harness_registry() {
  if (const char* r = std::getenv("LAVA_TEST_REGISTRY"); r && *r) return r;
  const char* env = std::getenv("LAVA_HARNESS_ENV");
  if (!env) return "";
  std::ifstream in(env);
  std::string line;
  while (std::getline(in, line))
    if (line.starts_with("LAVA_TEST_REGISTRY=")) return line.substr(19);
  return "";
}

// A registry for one test suite: the harness's when there is one, else our own.
class TestRegistry {
 public:
  explicit TestRegistry(std::vector<std::string> extra = {}, bool allow_harness = true) {
    if (allow_harness && extra.empty()) host_ = harness_registry();
    if (host_.empty()) {
      std::vector<std::string> argv = {"/usr/bin/python3", script("run_registry.py")};
      argv.insert(argv.end(), extra.begin(), extra.end());
      server_ = std::make_unique<ScriptServer>(argv);
      host_ = server_->host();
    }
  }
  const std::string& host() const { return host_; }
  void stop() {
    if (server_) server_->stop();
  }

 private:
  std::unique_ptr<ScriptServer> server_;
  std::string host_;
};

// The fault-injecting proxy in front of `upstream`.
class FaultProxy {
 public:
  explicit FaultProxy(const std::string& upstream)
      : server_({"/usr/bin/python3", script("fault_proxy.py"), upstream}) {}
  std::string host() const { return server_.host(); }
  void rules(const std::string& json) {
    auto r = run_process(
        {"curl", "-sf", "-X", "POST", "--data-binary", json, server_.url() + "/__rules"});
    ASSERT_EQ(r.exit_status, 0) << r.err;
  }
  std::string get(const std::string& what) {
    return run_process({"curl", "-sf", server_.url() + "/__" + what}).out;
  }
  void bearer() { run_process({"curl", "-sf", "-X", "POST", server_.url() + "/__bearer"}); }

 private:
  ScriptServer server_;
};

inline std::string unique_name(const std::string& prefix) {
  static std::mt19937_64 rng(std::random_device{}());
  return prefix + std::to_string(::getpid()) + "-" + std::to_string(rng() % 1000000);
}

// A docker-save-style archive of a small image for `arch`, `seed` varying its content.
inline std::string test_archive(const std::string& arch, const std::string& seed,
                                size_t big_layer_bytes = 300000) {
  std::mt19937 rng(static_cast<unsigned>(std::hash<std::string>{}(seed)));
  std::string noise;
  for (size_t i = 0; i < big_layer_bytes; ++i) noise += static_cast<char>(rng());
  std::vector<std::string> layers = {make_tar({{"etc/os-release", "ID=lava-test\n"},
                                               {"bin/tool", "#!/bin/sh\necho " + arch + "\n"}}),
                                     make_tar({{"data/noise.bin", noise}}),
                                     make_tar({{"lava/payload.txt", "payload " + seed + "\n"}})};
  nlohmann::json diff_ids = nlohmann::json::array();
  nlohmann::json paths = nlohmann::json::array();
  std::vector<TarEntry> entries;
  for (const auto& l : layers) {
    auto d = oci::sha256_of(l);
    diff_ids.push_back(d.str());
    paths.push_back("blobs/sha256/" + d.hex());
    entries.push_back({"blobs/sha256/" + d.hex(), l});
  }
  std::string config = nlohmann::json{{"architecture", arch},
                                      {"os", "linux"},
                                      {"config", {{"Cmd", {"/bin/tool"}}}},
                                      {"rootfs", {{"type", "layers"}, {"diff_ids", diff_ids}}}}
                           .dump();
  if (arch == "arm64") {
    auto j = nlohmann::json::parse(config);
    j["variant"] = "v8";
    config = j.dump();
  }
  auto cd = oci::sha256_of(config);
  entries.push_back({"blobs/sha256/" + cd.hex(), config});
  entries.push_back(
      {"manifest.json", nlohmann::json::array({{{"Config", "blobs/sha256/" + cd.hex()},
                                                {"RepoTags", {"t:latest"}},
                                                {"Layers", paths}}})
                            .dump()});
  return make_tar(entries);
}

// An OCI layout holding a payload image for `archs` (an index when several).
inline oci::Descriptor make_layout(const fs::path& dir, const std::vector<std::string>& archs,
                                   const std::string& seed, size_t big_layer_bytes = 300000) {
  fs::remove_all(dir);
  auto layout = oci::Layout::create(dir);
  std::vector<oci::Descriptor> manifests;
  for (const auto& arch : archs) {
    std::istringstream in(test_archive(arch, seed, big_layer_bytes));
    manifests.push_back(oci::import_docker_archive(in, layout, oci::LayerCache()));
  }
  return oci::write_payload_root(layout, manifests);
}

inline nlohmann::json skopeo_raw(const std::string& ref, std::string* err = nullptr) {
  auto r = run_process({"skopeo", "inspect", "--raw", "--tls-verify=false", "docker://" + ref});
  if (r.exit_status != 0) {
    if (err) *err = r.err;
    return nullptr;
  }
  return nlohmann::json::parse(r.out);
}

}  // namespace lava::testing
