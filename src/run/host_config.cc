#include "run/host_config.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <map>

#include "run/python_str.h"
#include "util/error.h"

namespace lava::run {

namespace {

using project::Json;

// docker-py's BYTE_UNITS.
int64_t unit_bytes(char unit) {
  switch (unit) {
    case 'b':
      return 1;
    case 'k':
      return 1024;
    case 'm':
      return 1024 * 1024;
    case 'g':
      return 1024LL * 1024 * 1024;
    default:
      return 0;
  }
}

std::string shown(const Json& v) {
  if (!v.is_string()) return v.dump();
  std::string out = "'";  // appended piece by piece: "'" + string is a false -Wrestrict at -O3
  out += v.get<std::string>();
  out += '\'';
  return out;
}

UsageError bad(const std::string& where, const std::string& key, const Json& value,
               const std::string& why) {
  return UsageError(where + "." + key + ": " + shown(value) + ": " + why);
}

// Python's float(): surrounding blanks allowed; inf/nan refused here since int() of them fails.
bool parse_python_float(std::string text, double& out) {
  auto blank = [](unsigned char c) { return std::isspace(c) != 0; };
  while (!text.empty() && blank(text.back())) text.pop_back();
  size_t b = 0;
  while (b < text.size() && blank(text[b])) ++b;
  text.erase(0, b);
  text.erase(std::remove(text.begin(), text.end(), '_'), text.end());
  if (text.empty()) return false;
  char* end = nullptr;
  out = std::strtod(text.c_str(), &end);
  return end == text.c_str() + text.size() && std::isfinite(out);
}

int64_t integer(const Json& v, const std::string& where, const std::string& key) {
  if (v.is_number_integer()) return v.get<int64_t>();
  if (v.is_number_float()) {
    double d = v.get<double>();
    if (std::floor(d) == d && std::isfinite(d)) return static_cast<int64_t>(d);
  }
  throw bad(where, key, v, "expected an integer");
}

std::string string(const Json& v, const std::string& where, const std::string& key,
                   const std::string& example) {
  if (!v.is_string()) throw bad(where, key, v, "expected a string such as " + example);
  return v.get<std::string>();
}

bool boolean(const Json& v, const std::string& where, const std::string& key) {
  if (!v.is_boolean()) throw bad(where, key, v, "expected true or false");
  return v.get<bool>();
}

Json string_list(const Json& v, const std::string& where, const std::string& key) {
  if (!v.is_array()) throw bad(where, key, v, "expected a list of strings");
  for (const auto& e : v)
    if (!e.is_string()) throw bad(where, key, v, "expected a list of strings");
  return v;
}

// device_read_bps and friends: [{Path: /dev/sda, Rate: 1048576}], sent as they are.
Json device_list(const Json& v, const std::string& where, const std::string& key,
                 const char* number_key) {
  std::string form = std::string("expected a list of {Path: DEVICE, ") + number_key + ": N}";
  if (!v.is_array()) throw bad(where, key, v, form);
  for (const auto& e : v) {
    if (!e.is_object() || !e.contains("Path") || !e["Path"].is_string() ||
        !e.contains(number_key) || !e[number_key].is_number_integer())
      throw bad(where, key, v, form);
  }
  return v;
}

// docker-py's _convert_port_binding, for the values a JSON job spec can hold: null (any
// host port), a port number or string, {HostPort, HostIp}.
Json port_binding(const Json& b, const std::string& where, const std::string& key) {
  Json out = {{"HostIp", ""}, {"HostPort", ""}};
  if (b.is_object()) {
    if (!b.contains("HostPort")) throw bad(where, key, b, "a binding map needs HostPort");
    if (!b["HostPort"].is_null()) out["HostPort"] = python_str(b["HostPort"]);
    if (b.contains("HostIp")) out["HostIp"] = python_str(b["HostIp"]);
  } else if (b.is_number_integer() || b.is_string()) {
    out["HostPort"] = python_str(b);
  } else if (!b.is_null()) {
    throw bad(where, key, b, "expected a host port, null, a list of them or {HostPort, HostIp}");
  }
  return out;
}

void apply_ports(const Json& ports, const std::string& where, docker::ContainerSpec& spec) {
  if (!ports.is_object())
    throw bad(where, "ports", ports, "expected a map of container port to host port");
  Json exposed = Json::object(), bindings = Json::object();
  for (const auto& [port, host] : ports.items()) {
    std::string name = port;
    if (name.find('/') == std::string::npos) name += "/tcp";
    exposed[name] = Json::object();
    Json list = Json::array();
    if (host.is_array()) {
      for (const auto& b : host) list.push_back(port_binding(b, where, "ports." + port));
    } else {
      list.push_back(port_binding(host, where, "ports." + port));
    }
    bindings[name] = list;
  }
  spec.extra_config["ExposedPorts"] = exposed;
  spec.extra_host_config["PortBindings"] = bindings;
}

}  // namespace

const std::vector<std::string>& host_config_keys() {
  static const std::vector<std::string> keys = {"blkio_weight",
                                                "blkio_weight_device",
                                                "cap_add",
                                                "cap_drop",
                                                "cpu_count",
                                                "cpu_percent",
                                                "cpu_period",
                                                "cpu_quota",
                                                "cpu_shares",
                                                "cpuset_cpus",
                                                "cpuset_mems",
                                                "device_read_bps",
                                                "device_read_iops",
                                                "device_write_bps",
                                                "device_write_iops",
                                                "dns",
                                                "dns_opt",
                                                "dns_search",
                                                "domainname",
                                                "extra_hosts",
                                                "group_add",
                                                "hostname",
                                                "mem_limit",
                                                "mem_swappiness",
                                                "memswap_limit",
                                                "nano_cpus",
                                                "network_disabled",
                                                "network_mode",
                                                "ports",
                                                "publish_all_ports",
                                                "shm_size",
                                                "user",
                                                "working_dir"};
  return keys;
}

std::vector<std::string> unexpected_host_config_keys(const project::Json& host_config) {
  std::vector<std::string> out;
  if (!host_config.is_object()) return out;
  const auto& allowed = host_config_keys();
  for (const auto& [k, v] : host_config.items())
    if (std::find(allowed.begin(), allowed.end(), k) == allowed.end()) out.push_back(k);
  std::sort(out.begin(), out.end());
  return out;
}

int64_t parse_docker_bytes(const project::Json& value, const std::string& where) {
  if (value.is_number_integer()) return value.get<int64_t>();
  if (value.is_number_float()) return static_cast<int64_t>(value.get<double>());
  if (!value.is_string())
    throw UsageError(where + ": " + value.dump() + ": expected a size such as 256m or 1g");
  std::string s = value.get<std::string>();
  if (s.empty()) return 0;
  auto alpha = [](char c) { return std::isalpha(static_cast<unsigned char>(c)) != 0; };
  if (s.size() >= 2 && alpha(s[s.size() - 2]) && alpha(s.back()) &&
      (s.back() == 'b' || s.back() == 'B'))
    s.pop_back();
  char suffix = static_cast<char>(std::tolower(static_cast<unsigned char>(s.back())));
  std::string digits = s;
  if (std::isdigit(static_cast<unsigned char>(suffix))) {
    suffix = 'b';
  } else {
    digits = s.substr(0, s.size() - 1);
  }
  int64_t unit = unit_bytes(suffix);
  const std::string given = shown(value);
  if (unit == 0)
    throw UsageError(where + ": " + given + ": the unit must be b, k, m or g (such as 256m)");
  double number = 0;
  if (!parse_python_float(digits, number))
    throw UsageError(where + ": " + given + ": '" + digits + "' is not a number");
  return static_cast<int64_t>(number * static_cast<double>(unit));
}

void apply_host_config(const project::Json& hc, const std::string& where,
                       docker::ContainerSpec& spec) {
  if (!hc.is_object()) return;
  auto& config = spec.extra_config;
  auto& host = spec.extra_host_config;
  // Integer-valued HostConfig fields, as docker-py names them.
  static const std::map<std::string, std::string> integers = {
      {"blkio_weight", "BlkioWeight"},
      {"cpu_count", "CpuCount"},
      {"cpu_percent", "CpuPercent"},
      {"cpu_period", "CpuPeriod"},
      {"cpu_quota", "CpuQuota"},
      {"cpu_shares", "CpuShares"},
      {"mem_swappiness", "MemorySwappiness"},
      {"nano_cpus", "NanoCpus"}};
  static const std::map<std::string, std::string> lists = {{"cap_add", "CapAdd"},
                                                           {"cap_drop", "CapDrop"},
                                                           {"dns", "Dns"},
                                                           {"dns_opt", "DnsOptions"},
                                                           {"dns_search", "DnsSearch"}};
  static const std::map<std::string, std::pair<std::string, const char*>> devices = {
      {"blkio_weight_device", {"BlkioWeightDevice", "Weight"}},
      {"device_read_bps", {"BlkioDeviceReadBps", "Rate"}},
      {"device_write_bps", {"BlkioDeviceWriteBps", "Rate"}},
      {"device_read_iops", {"BlkioDeviceReadIOps", "Rate"}},
      {"device_write_iops", {"BlkioDeviceWriteIOps", "Rate"}}};

  for (const auto& [key, v] : hc.items()) {
    const bool null = v.is_null();
    if (key == "hostname") {
      spec.hostname = null ? "" : string(v, where, key, "'myhost'");
    } else if (key == "domainname") {
      if (!null) config["Domainname"] = string(v, where, key, "'example.com'");
    } else if (key == "user") {
      // docker-py sends str(user): a uid number or a name, "uid:gid" too.
      if (!null && !v.is_string() && !v.is_number_integer())
        throw bad(where, key, v, "expected a user name or uid");
      spec.user = null ? "" : python_str(v);
    } else if (key == "working_dir") {
      spec.working_dir = null ? "" : string(v, where, key, "'/tmp'");
    } else if (key == "group_add") {
      spec.group_add.clear();
      if (null) continue;
      if (!v.is_array()) throw bad(where, key, v, "expected a list of group names or ids");
      for (const auto& g : v) {
        if (!g.is_string() && !g.is_number_integer())
          throw bad(where, key, v, "expected a list of group names or ids");
        spec.group_add.push_back(python_str(g));
      }
    } else if (key == "network_mode") {
      spec.network_mode = null ? "" : string(v, where, key, "'host' or 'none'");
    } else if (key == "network_disabled") {
      if (!null) config["NetworkDisabled"] = boolean(v, where, key);
    } else if (key == "publish_all_ports") {
      if (!null) host["PublishAllPorts"] = boolean(v, where, key);
    } else if (key == "mem_limit") {
      if (!null) host["Memory"] = parse_docker_bytes(v, where + "." + key);
    } else if (key == "memswap_limit") {
      if (!null) host["MemorySwap"] = parse_docker_bytes(v, where + "." + key);
    } else if (key == "shm_size") {
      if (!null) host["ShmSize"] = parse_docker_bytes(v, where + "." + key);
    } else if (key == "cpuset_cpus" || key == "cpuset_mems") {
      if (!null)
        host[key == "cpuset_cpus" ? "CpusetCpus" : "CpusetMems"] =
            string(v, where, key, "'0-3' or '0,1'");
    } else if (key == "extra_hosts") {
      if (null) continue;
      if (v.is_object()) {
        // docker-py: "name:address", sorted by name.
        std::vector<std::string> entries;
        for (const auto& [name, addr] : v.items()) entries.push_back(name + ":" + python_str(addr));
        std::sort(entries.begin(), entries.end());
        host["ExtraHosts"] = entries;
      } else {
        host["ExtraHosts"] = string_list(v, where, key);
      }
    } else if (key == "ports") {
      if (!null) apply_ports(v, where, spec);
    } else if (auto i = integers.find(key); i != integers.end()) {
      if (!null) host[i->second] = integer(v, where, key);
    } else if (auto l = lists.find(key); l != lists.end()) {
      if (!null) host[l->second] = string_list(v, where, key);
    } else if (auto d = devices.find(key); d != devices.end()) {
      if (!null) host[d->second.first] = device_list(v, where, key, d->second.second);
    } else {
      throw UsageError(where + ": Bad host_config parameters: Unexpected keys: " + key);
    }
  }
}

}  // namespace lava::run
