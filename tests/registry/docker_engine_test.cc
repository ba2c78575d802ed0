// Real `docker save` output (Docker 25+ OCI-style archives, and the Engine API's
// GET /images/{name}/get streamed through a pipe) imported with lava::oci, pushed as one
// index with lava::registry, then pulled and run by the same Docker engine for both
// platforms. Needs the harness (LAVA_HARNESS_ENV): its dockerd, registry and base image.
#include <gtest/gtest.h>
#include <unistd.h>

#include <map>
#include <thread>

#include "http/client.h"
#include "oci/image_config.h"
#include "registry/push.h"
#include "registry_env.h"
#include "util/error.h"

namespace fs = std::filesystem;
using namespace lava;
using namespace lava::testing;
using nlohmann::json;

namespace {

std::map<std::string, std::string> harness_env() {
  std::map<std::string, std::string> env;
  const char* file = std::getenv("LAVA_HARNESS_ENV");
  if (!file) return env;
  std::ifstream in(file);
  std::string line;
  while (std::getline(in, line)) {
    auto eq = line.find('=');
    if (eq != std::string::npos) env[line.substr(0, eq)] = line.substr(eq + 1);
  }
  return env;
}

class DockerEngineRoundTrip : public ::testing::Test {
 protected:
  void SetUp() override {
    env_ = harness_env();
    if (env_["DOCKER_HOST"].empty() || env_["LAVA_TEST_REGISTRY"].empty())
      GTEST_SKIP() << "needs the test harness (LAVA_HARNESS_ENV)";
    ::setenv("DOCKER_HOST", env_["DOCKER_HOST"].c_str(), 1);
    ::setenv("DOCKER_CONFIG", env_["DOCKER_CONFIG"].c_str(), 1);
    dir_ = fs::temp_directory_path() / unique_name("lava-engine-");
    fs::create_directories(dir_);
  }
  void TearDown() override {
    if (!dir_.empty()) fs::remove_all(dir_);
  }
  ProcessResult docker(std::vector<std::string> args) {
    args.insert(args.begin(), env_["LAVA_TEST_DOCKER_CLI"].empty() ? "/usr/bin/docker"
                                                                   : env_["LAVA_TEST_DOCKER_CLI"]);
    auto r = run_process(args, "", std::chrono::seconds(600));
    EXPECT_EQ(r.exit_status, 0) << args[1] << ": " << r.err;
    return r;
  }
  // The engine's export of `image`, streamed from its API through a pipe into the importer.
  oci::Descriptor import_from_engine_api(const std::string& image, const oci::Layout& layout,
                                         const oci::LayerCache& cache, oci::ImportStats* stats) {
    std::string socket = env_["DOCKER_HOST"].substr(std::string("unix://").size());
    int fds[2];
    EXPECT_EQ(::pipe(fds), 0);
    std::string error;
    std::thread producer([&] {
      try {
        http::ClientOptions o;
        o.unix_socket = socket;
        http::Client client(o);
        http::CallbackSink sink([&](const char* p, size_t n) {
          while (n > 0) {
            ssize_t w = ::write(fds[1], p, n);
            if (w <= 0) throw Error("pipe closed");
            p += w;
            n -= static_cast<size_t>(w);
          }
        });
        auto req = http::Request::make("GET", "http://docker/images/" + image + "/get");
        req.sink = &sink;
        req.retry = http::RetryPolicy::none();
        auto r = client.perform(req);
        if (!r.ok()) error = "HTTP " + std::to_string(r.status) + ": " + r.body;
      } catch (const std::exception& e) {
        error = e.what();
      }
      ::close(fds[1]);
    });
    oci::ArchiveReader read = [&](char* buf, size_t max) -> size_t {
      ssize_t n = ::read(fds[0], buf, max);
      if (n < 0) throw Error("pipe read failed");
      return static_cast<size_t>(n);
    };
    oci::ImportOptions options;
    options.stats = stats;
    oci::Descriptor d;
    try {
      d = oci::import_docker_archive(read, layout, cache, options, "engine export of " + image);
    } catch (...) {
      ::close(fds[0]);
      producer.join();
      throw;
    }
    ::close(fds[0]);
    producer.join();
    EXPECT_EQ(error, "");
    return d;
  }
  std::map<std::string, std::string> env_;
  fs::path dir_;
};

TEST_F(DockerEngineRoundTrip, SaveImportPushPullRunBothPlatforms) {
  const std::string base = env_["LAVA_TEST_BASE_IMAGE"];
  const std::string local = "lava-reg-test/save";
  oci::LayerCache cache(dir_ / "cache");
  auto layout = oci::Layout::create(dir_ / "payload.oci");
  std::vector<oci::Descriptor> manifests;
  std::map<std::string, json> engine_layers;
  for (std::string arch : {"amd64", "arm64"}) {
    docker({"pull", "-q", "--platform", "linux/" + arch, base});
    docker({"tag", base, local + ":" + arch});
    engine_layers[arch] = json::parse(
        docker({"image", "inspect", "--format", "{{json .RootFS.Layers}}", local + ":" + arch})
            .out);
    oci::ImportStats stats;
    if (arch == "amd64") {
      docker({"save", "-o", (dir_ / "amd64.tar").string(), local + ":amd64"});
      oci::ImportOptions o;
      o.stats = &stats;
      manifests.push_back(oci::import_docker_archive(dir_ / "amd64.tar", layout, cache, o));
    } else {
      manifests.push_back(import_from_engine_api(local + ":arm64", layout, cache, &stats));
    }
    EXPECT_EQ(stats.layers_compressed, static_cast<int>(engine_layers[arch].size())) << arch;
  }
  EXPECT_EQ(manifests[0].platform->architecture, "amd64");
  EXPECT_EQ(manifests[1].platform->architecture, "arm64");
  // Our configs are the engine's: same diff_ids.
  for (size_t i = 0; i < 2; ++i) {
    auto config =
        oci::ImageConfig::parse(layout.read_blob(layout.read_manifest(manifests[i]).config.digest));
    std::vector<std::string> ids;
    for (const auto& d : config.diff_ids()) ids.push_back(d.str());
    EXPECT_EQ(json(ids), engine_layers[i == 0 ? "amd64" : "arm64"]);
  }
  // A second import of the same save compresses nothing.
  oci::ImportStats again;
  oci::ImportOptions o;
  o.stats = &again;
  auto layout2 = oci::Layout::create(dir_ / "again.oci");
  auto d2 = oci::import_docker_archive(dir_ / "amd64.tar", layout2, cache, o);
  EXPECT_EQ(again.layers_compressed, 0);
  EXPECT_EQ(again.layers_from_cache, static_cast<int>(engine_layers["amd64"].size()));
  EXPECT_EQ(d2.digest, manifests[0].digest);

  auto root = oci::write_payload_root(layout, manifests);
  std::string target =
      env_["LAVA_TEST_REGISTRY"] + "/" + unique_name("lava-reg-test/roundtrip-") + ":latest";
  registry::Client client(env_["LAVA_TEST_REGISTRY"]);
  auto ref = registry::Reference::parse(target);
  auto r1 = registry::push_layout(client, layout, ref);
  EXPECT_GT(r1.blobs_uploaded, 0);
  registry::Client client2(env_["LAVA_TEST_REGISTRY"]);
  EXPECT_EQ(registry::push_layout(client2, layout, ref).blobs_uploaded, 0);

  // The engine pulls and runs each platform of what we pushed.
  for (auto [arch, machine] : std::vector<std::pair<std::string, std::string>>{
           {"amd64", "x86_64"}, {"arm64", "aarch64"}}) {
    docker({"pull", "-q", "--platform", "linux/" + arch, target});
    auto run = docker(
        {"run", "--rm", "--platform", "linux/" + arch, "--network", "host", target, "uname", "-m"});
    EXPECT_EQ(run.out, machine + "\n") << arch;
  }
  docker({"rmi", target, local + ":amd64", local + ":arm64"});
}

}  // namespace
