// Remembered registry schemes (registry::SchemeHints) against real registries: a plain-HTTP
// one and a TLS one with a self-signed certificate, both on loopback.
#include <gtest/gtest.h>

#include <fstream>

#include "registry/push.h"
#include "registry_env.h"
#include "util/error.h"
#include "util/file_io.h"

namespace fs = std::filesystem;
using namespace lava;
using namespace lava::testing;
using registry::Client;
using registry::Reference;

namespace {

class SchemeHintsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / unique_name("lava-hints-");
    fs::create_directories(dir_);
    make_layout(dir_ / "img", {"amd64"}, "hints", 1000);
  }
  void TearDown() override { fs::remove_all(dir_); }
  registry::ClientOptions opts() {
    registry::ClientOptions o;
    o.retry.max_attempts = 2;
    o.retry.initial_delay = std::chrono::milliseconds(5);
    o.docker_config = dir_ / "no-config.json";
    o.scheme_hints = dir_ / "hints";
    return o;
  }
  // The content of the one hint file (each test talks to one registry).
  std::string hint() {
    std::string only;
    if (!fs::is_directory(dir_ / "hints")) return "";
    for (const auto& e : fs::directory_iterator(dir_ / "hints")) {
      EXPECT_TRUE(only.empty()) << "more than one hint file";
      only = read_file(e.path());
    }
    return only;
  }
  void set_hint(const std::string& host, const std::string& scheme) {
    registry::SchemeHints(dir_ / "hints").put(host, scheme);
  }
  // Pushes the test image, then reads it back with a new Client; its request count.
  uint64_t push_then_read(const TestRegistry& reg) {
    auto ref = Reference::parse(reg.host() + "/lava/hints:latest");
    {
      Client pusher(reg.host(), opts());
      registry::push_layout(pusher, oci::Layout::open(dir_ / "img"), ref);
    }
    Client reader(reg.host(), opts());
    auto m = reader.get_manifest(ref);
    EXPECT_FALSE(m.bytes.empty());
    return reader.counters().requests;
  }
  fs::path dir_;
};

TEST_F(SchemeHintsTest, PlainHttpRegistryIsRememberedAndTheNextClientSkipsThePing) {
  TestRegistry reg({}, /*allow_harness=*/false);
  auto ref = Reference::parse(reg.host() + "/lava/hints:latest");
  Client first(reg.host(), opts());
  registry::push_layout(first, oci::Layout::open(dir_ / "img"), ref);
  EXPECT_EQ(hint(), "http\n");
  // https attempt, /v2/ and the manifest before; now the manifest alone.
  Client second(reg.host(), opts());
  second.get_manifest(ref);
  EXPECT_EQ(second.counters().requests, 1u);
}

TEST_F(SchemeHintsTest, StaleHttpsHintForAPlainRegistryFallsBackAndIsCorrected) {
  TestRegistry reg({}, false);
  set_hint(reg.host(), "https");
  EXPECT_GT(push_then_read(reg), 0u);
  EXPECT_EQ(hint(), "http\n");
}

TEST_F(SchemeHintsTest, TlsRegistryAnsweringAStaleHttpHintIsReachedOverHttps) {
  TestRegistry reg({"--tls"}, false);
  auto ref = Reference::parse(reg.host() + "/lava/hints:latest");
  {
    Client pusher(reg.host(), opts());
    registry::push_layout(pusher, oci::Layout::open(dir_ / "img"), ref);
  }
  EXPECT_EQ(hint(), "https\n");
  // A plain-HTTP request to a TLS port gets a 400: the hint is dropped and https found.
  set_hint(reg.host(), "http");
  Client reader(reg.host(), opts());
  EXPECT_FALSE(reader.get_manifest(ref).bytes.empty());
  EXPECT_EQ(hint(), "https\n");
}

TEST_F(SchemeHintsTest, HintForARegistryThatIsGoneGivesTheUsualErrorAndIsDropped) {
  std::string host;
  {
    TestRegistry reg({}, false);
    host = reg.host();
  }
  set_hint(host, "http");
  Client client(host, opts());
  try {
    client.get_manifest(Reference::parse(host + "/lava/hints:latest"));
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("cannot reach the registry"), std::string::npos)
        << e.what();
  }
  EXPECT_EQ(hint(), "");
}

}  // namespace
