#include "run/host_config.h"

#include <gtest/gtest.h>

#include "util/error.h"

namespace lava::run {
namespace {

using project::Json;

int64_t bytes(const Json& v) {
  return parse_docker_bytes(v, "host_config.mem_limit");
}

TEST(HostConfigTest, SizesAsDockerPyParsesThem) {
  EXPECT_EQ(bytes("256m"), 256LL * 1024 * 1024);
  EXPECT_EQ(bytes("256M"), 256LL * 1024 * 1024);
  EXPECT_EQ(bytes("1g"), 1024LL * 1024 * 1024);
  EXPECT_EQ(bytes("1.5g"), 1536LL * 1024 * 1024);
  EXPECT_EQ(bytes("512mb"), 512LL * 1024 * 1024);
  EXPECT_EQ(bytes("2KB"), 2048);
  EXPECT_EQ(bytes("100"), 100);
  EXPECT_EQ(bytes("7b"), 7);
  EXPECT_EQ(bytes(""), 0);
  EXPECT_EQ(bytes(268435456), 268435456);
  EXPECT_EQ(bytes(-1), -1);  // memswap_limit: unlimited
}

TEST(HostConfigTest, BadSizesNameTheKeyAndValue) {
  for (Json v : {Json("256x"), Json("lots"), Json("m"), Json(true), Json::array()}) {
    try {
      bytes(v);
      FAIL() << v.dump();
    } catch (const UsageError& e) {
      EXPECT_NE(std::string(e.what()).find("host_config.mem_limit"), std::string::npos) << e.what();
    }
  }
}

TEST(HostConfigTest, WhitelistIsTheWorkers) {
  EXPECT_EQ(host_config_keys().size(), 33u);
  Json hc = {{"mem_limit", "1g"}, {"privileged", true}, {"hostname", "x"}, {"auto_remove", true}};
  EXPECT_EQ(unexpected_host_config_keys(hc),
            (std::vector<std::string>{"auto_remove", "privileged"}));
  EXPECT_TRUE(unexpected_host_config_keys(Json{{"cpu_quota", 1}}).empty());
}

TEST(HostConfigTest, MapsToEngineApiFields) {
  docker::ContainerSpec spec;
  Json hc = {{"hostname", "box"},
             {"domainname", "example.com"},
             {"user", 1000},
             {"working_dir", "/work"},
             {"group_add", {100, "staff"}},
             {"network_mode", "none"},
             {"network_disabled", true},
             {"mem_limit", "256m"},
             {"memswap_limit", "1g"},
             {"shm_size", "64m"},
             {"mem_swappiness", 0},
             {"cpu_quota", 50000},
             {"cpu_period", 100000},
             {"cpu_shares", 512},
             {"nano_cpus", 1500000000},
             {"cpuset_cpus", "0-1"},
             {"cpuset_mems", "0"},
             {"cap_add", {"NET_ADMIN"}},
             {"cap_drop", {"ALL"}},
             {"dns", {"10.0.0.2"}},
             {"dns_opt", {"ndots:2"}},
             {"dns_search", {"corp"}},
             {"extra_hosts", {{"db", "10.0.0.5"}, {"api", "10.0.0.6"}}},
             {"publish_all_ports", false},
             {"blkio_weight", 300},
             {"device_read_bps", {{{"Path", "/dev/sda"}, {"Rate", 1048576}}}},
             {"ports", {{"8080/tcp", 18080}, {"53/udp", nullptr}, {"9000", {1234, "4567"}}}}};
  apply_host_config(hc, "job.yaml: parameters.host_config", spec);
  EXPECT_EQ(spec.hostname, "box");
  EXPECT_EQ(spec.user, "1000");
  EXPECT_EQ(spec.working_dir, "/work");
  EXPECT_EQ(spec.group_add, (std::vector<std::string>{"100", "staff"}));
  EXPECT_EQ(spec.network_mode, "none");
  const auto& c = spec.extra_config;
  EXPECT_EQ(c["Domainname"], "example.com");
  EXPECT_EQ(c["NetworkDisabled"], true);
  EXPECT_EQ(c["ExposedPorts"], (nlohmann::json{{"8080/tcp", nlohmann::json::object()},
                                               {"53/udp", nlohmann::json::object()},
                                               {"9000/tcp", nlohmann::json::object()}}));
  const auto& h = spec.extra_host_config;
  EXPECT_EQ(h["Memory"], 268435456);
  EXPECT_EQ(h["MemorySwap"], 1073741824);
  EXPECT_EQ(h["ShmSize"], 64 * 1024 * 1024);
  EXPECT_EQ(h["MemorySwappiness"], 0);
  EXPECT_EQ(h["CpuQuota"], 50000);
  EXPECT_EQ(h["CpuPeriod"], 100000);
  EXPECT_EQ(h["CpuShares"], 512);
  EXPECT_EQ(h["NanoCpus"], 1500000000);
  EXPECT_EQ(h["CpusetCpus"], "0-1");
  EXPECT_EQ(h["CpusetMems"], "0");
  EXPECT_EQ(h["CapAdd"], nlohmann::json::array({"NET_ADMIN"}));
  EXPECT_EQ(h["CapDrop"], nlohmann::json::array({"ALL"}));
  EXPECT_EQ(h["Dns"], nlohmann::json::array({"10.0.0.2"}));
  EXPECT_EQ(h["DnsOptions"], nlohmann::json::array({"ndots:2"}));
  EXPECT_EQ(h["DnsSearch"], nlohmann::json::array({"corp"}));
  // docker-py sorts a map of extra hosts by name.
  EXPECT_EQ(h["ExtraHosts"], nlohmann::json::array({"api:10.0.0.6", "db:10.0.0.5"}));
  EXPECT_EQ(h["PublishAllPorts"], false);
  EXPECT_EQ(h["BlkioWeight"], 300);
  EXPECT_EQ(h["BlkioDeviceReadBps"][0]["Path"], "/dev/sda");
  EXPECT_EQ(h["PortBindings"]["8080/tcp"],
            nlohmann::json::parse(R"([{"HostIp":"","HostPort":"18080"}])"));
  EXPECT_EQ(h["PortBindings"]["53/udp"], nlohmann::json::parse(R"([{"HostIp":"","HostPort":""}])"));
  EXPECT_EQ(h["PortBindings"]["9000/tcp"],
            nlohmann::json::parse(
                R"([{"HostIp":"","HostPort":"1234"},{"HostIp":"","HostPort":"4567"}])"));
}

TEST(HostConfigTest, NullLeavesTheEngineDefault) {
  docker::ContainerSpec spec;
  spec.user = "1";
  spec.hostname = "h";
  apply_host_config(Json{{"user", nullptr}, {"hostname", nullptr}, {"mem_limit", nullptr}}, "x",
                    spec);
  EXPECT_EQ(spec.user, "");
  EXPECT_EQ(spec.hostname, "");
  EXPECT_FALSE(spec.extra_host_config.contains("Memory"));
}

TEST(HostConfigTest, WrongFormsAreOneClearLine) {
  struct Case {
    Json hc;
    const char* says;
  };
  for (const auto& c : std::vector<Case>{
           {{{"cpu_quota", "half"}},
            "parameters.host_config.cpu_quota: 'half': expected an integer"},
           {{{"nano_cpus", 1.5}}, "nano_cpus: 1.5: expected an integer"},
           {{{"cpuset_cpus", 1}}, "cpuset_cpus: 1: expected a string"},
           {{{"cap_add", "NET_ADMIN"}}, "cap_add: 'NET_ADMIN': expected a list of strings"},
           {{{"group_add", 5}}, "group_add: 5: expected a list"},
           {{{"network_disabled", "yes"}}, "network_disabled: 'yes': expected true or false"},
           {{{"ports", {1, 2}}}, "ports: [1,2]: expected a map"},
           {{{"device_read_bps", {{{"Path", "/dev/sda"}}}}},
            "expected a list of {Path: DEVICE, Rate: N}"},
       }) {
    docker::ContainerSpec spec;
    try {
      apply_host_config(c.hc, "j.yaml: parameters.host_config", spec);
      FAIL() << c.hc.dump();
    } catch (const UsageError& e) {
      EXPECT_NE(std::string(e.what()).find(c.says), std::string::npos) << e.what();
    }
  }
}

}  // namespace
}  // namespace lava::run
