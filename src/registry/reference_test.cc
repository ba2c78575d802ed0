#include "registry/reference.h"

#include <gtest/gtest.h>

#include <random>
#include <regex>

#include "util/error.h"

using lava::registry::Reference;

TEST(Reference, DockerDefaults) {
  auto r = Reference::parse("alpine");
  EXPECT_EQ(r.registry, "docker.io");
  EXPECT_EQ(r.repository, "library/alpine");
  EXPECT_EQ(r.tag, "latest");
  EXPECT_EQ(r.str(), "docker.io/library/alpine:latest");
  r = Reference::parse("jin/lava:3.1");
  EXPECT_EQ(r.registry, "docker.io");
  EXPECT_EQ(r.repository, "jin/lava");
  EXPECT_EQ(r.tag, "3.1");
  EXPECT_EQ(lava::registry::api_host(r.registry), "registry-1.docker.io");
  EXPECT_EQ(Reference::parse("index.docker.io/library/debian").registry, "docker.io");
}

TEST(Reference, RegistriesWithPortsAndDigests) {
  auto r = Reference::parse("127.0.0.1:5000/lava/demo/hello:latest");
  EXPECT_EQ(r.registry, "127.0.0.1:5000");
  EXPECT_EQ(r.repository, "lava/demo/hello");
  EXPECT_EQ(r.tag, "latest");
  r = Reference::parse("localhost/x");
  EXPECT_EQ(r.registry, "localhost");
  std::string d = "sha256:" + std::string(64, 'e');
  r = Reference::parse("ghcr.io/jin-gizmo/lava/amzn2023/base@" + d);
  EXPECT_EQ(r.registry, "ghcr.io");
  EXPECT_EQ(r.repository, "jin-gizmo/lava/amzn2023/base");
  EXPECT_EQ(r.tag, "");
  EXPECT_EQ(r.digest, d);
  EXPECT_EQ(r.identifier(), d);
  r = Reference::parse("123456789012.dkr.ecr.eu-west-2.amazonaws.com/dev/payload:v1@" + d);
  EXPECT_EQ(r.tag, "v1");
  EXPECT_EQ(r.identifier(), d);
  EXPECT_EQ(Reference::parse("[::1]:5000/a:b").registry, "[::1]:5000");
}

TEST(Reference, RejectsBadNames) {
  EXPECT_THROW(Reference::parse(""), lava::Error);
  EXPECT_THROW(Reference::parse("Upper/case"), lava::Error);
  EXPECT_THROW(Reference::parse("a/b:bad tag"), lava::Error);
  EXPECT_THROW(Reference::parse("a/b@sha256:123"), lava::Error);
  EXPECT_THROW(Reference::parse("host:5000/"), lava::Error);
  EXPECT_THROW(Reference::parse("a//b"), lava::Error);
}

// Found by fuzz/reference_fuzz: the registry part was taken as it came, control
// characters and all, and later became the host of every URL.
TEST(Reference, RejectsBadRegistries) {
  for (std::string bad :
       {"reg istry.io/a", "a.b\x1d/c", "localhos[::1]:5/e", "[::1/x", "[]/x", "[::1]x/y",
        "host:port/x", "host:/x", "-bad.io/x", "bad-.io/x", "a..b/x", ".io/x"})
    EXPECT_THROW(Reference::parse(bad), lava::Error) << bad;
  for (std::string good : {"my-registry.example.com:443/x", "[fe80::1]:5000/x", "[::1]/x",
                           "localhost:5000/x", "10.0.0.2/x", "Example.COM/x"})
    EXPECT_NO_THROW(Reference::parse(good)) << good;
}

TEST(Reference, Loopback) {
  using lava::registry::is_loopback_registry;
  EXPECT_TRUE(is_loopback_registry("127.0.0.1:5000"));
  EXPECT_TRUE(is_loopback_registry("127.1.2.3"));
  EXPECT_TRUE(is_loopback_registry("localhost:443"));
  EXPECT_TRUE(is_loopback_registry("[::1]:5000"));
  EXPECT_FALSE(is_loopback_registry("128.0.0.1:5000"));
  EXPECT_FALSE(is_loopback_registry("127.0.0.1.example.com"));
  EXPECT_FALSE(is_loopback_registry("registry.example.com"));
}

// Name, tag and loopback checks against the regular expressions they replaced.
TEST(Reference, ValidityMatchesRegexOracle) {
  const std::regex component("[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*");
  const std::regex tag("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");
  const std::regex v4(R"(127\.\d{1,3}\.\d{1,3}\.\d{1,3})");
  const char alphabet[] = "ab0_.-_A1";
  std::mt19937 rng(5);
  auto parses = [](const std::string& s) {
    try {
      Reference::parse(s);
      return true;
    } catch (const lava::Error&) {
      return false;
    }
  };
  for (int n = 0; n < 20000; ++n) {
    std::string s;
    for (int k = 1 + rng() % 7; k > 0; --k) s += alphabet[rng() % (sizeof alphabet - 1)];
    ASSERT_EQ(parses("example.com/" + s + ":t"), std::regex_match(s, component)) << s;
    ASSERT_EQ(parses("example.com/r:" + s), std::regex_match(s, tag)) << s;
  }
  // Docker's domain grammar (reference/regexp.go), for names taken as a registry.
  const std::regex domain(
      "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])"
      "(?:\\.(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]))*(?::[0-9]+)?");
  const char host_chars[] = "aZ0-.:1";
  for (int n = 0; n < 20000; ++n) {
    std::string s;
    for (int k = 1 + rng() % 8; k > 0; --k) s += host_chars[rng() % (sizeof host_chars - 1)];
    if (s.find_first_of(".:") == std::string::npos) continue;  // a repository, not a registry
    ASSERT_EQ(parses(s + "/r"), std::regex_match(s, domain)) << s;
  }
  const char digits[] = "127.0";
  for (int n = 0; n < 20000; ++n) {
    std::string s = "127.";
    for (int k = rng() % 10; k > 0; --k) s += digits[rng() % (sizeof digits - 1)];
    ASSERT_EQ(lava::registry::is_loopback_registry(s), std::regex_match(s, v4)) << s;
  }
}
