#include "project/config.h"

#include <algorithm>
#include <cctype>
#include <string_view>

#include "project/repository_name.h"
#include "util/error.h"
#include "util/file_io.h"

namespace lava::project {

namespace fs = std::filesystem;

namespace {

// The value at a dotted key, or nullptr when any step is missing.
const Json* lookup(const Json& root, const std::string& dotted) {
  const Json* node = &root;
  size_t start = 0;
  while (true) {
    size_t dot = dotted.find('.', start);
    std::string key =
        dotted.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
    if (!node->is_object()) return nullptr;
    auto it = node->find(key);
    if (it == node->end()) return nullptr;
    node = &*it;
    if (dot == std::string::npos) return node;
    start = dot + 1;
  }
}

std::string scalar_text(const Json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_number_integer()) return std::to_string(v.get<int64_t>());
  return v.dump();
}

std::string required_string(const Json& root, const std::string& key, const std::string& file) {
  const Json* v = lookup(root, key);
  if (v == nullptr || v->is_null()) throw Error(file + ": missing required key '" + key + "'");
  if (!v->is_string() && !v->is_number())
    throw Error(file + ": key '" + key + "' must be a string");
  std::string s = scalar_text(*v);
  if (s.empty()) throw Error(file + ": key '" + key + "' is empty");
  return s;
}

bool optional_bool(const Json& root, const std::string& key, const std::string& file, bool def) {
  const Json* v = lookup(root, key);
  if (v == nullptr || v->is_null()) return def;
  if (!v->is_boolean()) throw Error(file + ": key '" + key + "' must be true or false");
  return v->get<bool>();
}

std::string read_config_text(const fs::path& full, const std::string& shown) {
  try {
    return read_file(full);
  } catch (const Error&) {
    throw Error(shown + ": cannot read file");
  }
}

}  // namespace

std::string RegistryTarget::str() const {
  if (kind == Kind::kHost) return host;
  return account_id.empty() ? "ecr" : "ecr:" + account_id;
}

namespace {

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}
bool is_alnum(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0;
}

// ":NNNNN" (1 to 5 digits) or nothing.
bool valid_port_suffix(std::string_view s) {
  if (s.empty()) return true;
  if (s.front() != ':' || s.size() < 2 || s.size() > 6) return false;
  return std::all_of(s.begin() + 1, s.end(), is_digit);
}

// "name[:port]" (a DNS-ish name or IPv4 address) or "[ipv6][:port]".
bool valid_host_port(std::string_view v) {
  if (v.empty()) return false;
  if (v.front() == '[') {
    size_t close = v.find(']');
    if (close == std::string_view::npos || close < 2) return false;
    for (char c : v.substr(1, close - 1))
      if (!std::isxdigit(static_cast<unsigned char>(c)) && c != ':') return false;
    return valid_port_suffix(v.substr(close + 1));
  }
  size_t colon = v.find(':');
  std::string_view name = v.substr(0, colon);
  if (name.empty() || !is_alnum(name.front()) || !is_alnum(name.back())) return false;
  for (char c : name)
    if (!is_alnum(c) && c != '.' && c != '-') return false;
  return colon == std::string_view::npos || valid_port_suffix(v.substr(colon));
}

bool valid_env_name(std::string_view env) {
  if (env.empty() || !is_alnum(env.front())) return false;
  for (char c : env)
    if (!is_alnum(c) && c != '_' && c != '.' && c != '-') return false;
  return true;
}

// Docker reads the first part of an image name as a registry only when it has a dot or a
// port or is localhost; anything else would mean Docker Hub. A push must never go there by
// accident (a typo such as "myreg"), so such names are refused.
bool names_registry_host(std::string_view v) {
  if (v.front() == '[') return true;  // an IPv6 literal
  std::string_view name = v.substr(0, v.find(':'));
  return v.find(':') != std::string_view::npos || name.find('.') != std::string_view::npos ||
         name == "localhost";
}

}  // namespace

RegistryTarget parse_registry(const std::string& value, const std::string& where) {
  RegistryTarget t;
  // The framework's config template writes `registry: ""`, meaning its own ECR.
  if (value == "ecr" || value.empty()) return t;
  if (value.rfind("ecr:", 0) == 0) {
    std::string account = value.substr(4);
    if (account.size() != 12 || !std::all_of(account.begin(), account.end(), is_digit))
      throw Error(where + ": '" + value + "' is not ecr:<12-digit account id>");
    t.account_id = account;
    return t;
  }
  if (!valid_host_port(value))
    throw Error(where + ": '" + value + "' is not ecr, ecr:<account-id> or host[:port]");
  if (!names_registry_host(value))
    throw Error(where + ": '" + value +
                "' has no dot, no port and is not localhost, so Docker would read it as a Docker "
                "Hub name; write host.domain, host:port, ecr, or leave it empty for ECR");
  t.kind = RegistryTarget::Kind::kHost;
  t.host = value;
  return t;
}

std::vector<std::string> list_envs(const fs::path& project_dir) {
  std::vector<std::string> envs;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(project_dir / "config", ec)) {
    if (entry.path().extension() == ".yaml") envs.push_back(entry.path().stem().string());
  }
  std::sort(envs.begin(), envs.end());
  return envs;
}

Config load_config(const fs::path& project_dir, const std::string& env,
                   const std::optional<std::string>& platform_override) {
  Config c;
  c.env = env;
  if (!valid_env_name(env)) throw UsageError("--env: invalid environment name '" + env + "'");
  c.file = fs::path("config") / (env + ".yaml");
  fs::path full = project_dir / c.file;
  std::string shown = c.file.string();
  if (!fs::exists(full)) {
    std::string known;
    for (const auto& e : list_envs(project_dir)) known += (known.empty() ? "" : ", ") + e;
    throw Error(shown + ": unknown environment '" + env + "'" +
                (known.empty() ? std::string(" (no config/*.yaml in ") +
                                     fs::absolute(project_dir).lexically_normal().string() + ")"
                               : " (known: " + known + ")"));
  }
  std::error_code ec;
  if (fs::is_directory(full, ec)) throw Error(shown + ": is a directory, not a configuration file");
  return load_config_file(full, shown, env, platform_override);
}

Config load_config_file(const fs::path& full, const std::string& shown, const std::string& env,
                        const std::optional<std::string>& platform_override) {
  Config c;
  c.env = env;
  c.file = shown;
  c.values = load_yaml(read_config_text(full, shown), shown);
  if (!c.values.is_object()) throw Error(shown + ": top level must be a mapping of keys");
  // `docker: []` or `prefix: x` would otherwise read as "no such keys" and fall back to
  // defaults without a word.
  for (const char* section : {"prefix", "docker"}) {
    auto it = c.values.find(section);
    if (it != c.values.end() && !it->is_null() && !it->is_object())
      throw Error(shown + ": key '" + section + "' must be a mapping of keys, not " +
                  (it->is_array() ? "a list" : "a single value"));
  }

  c.realm = required_string(c.values, "realm", shown);
  c.docker_repo = required_string(c.values, "prefix.docker_repo", shown);
  while (!c.docker_repo.empty() && c.docker_repo.back() == '/') c.docker_repo.pop_back();
  if (std::string why = repository_name_problem(c.docker_repo); !why.empty())
    throw Error(shown + ": prefix.docker_repo '" + c.docker_repo +
                "' is not a valid repository name: " + why);

  const Json* base = lookup(c.values, "docker.base_img");
  c.base_img = (base == nullptr || base->is_null()) ? kDefaultBaseImage : scalar_text(*base);
  if (c.base_img.empty()) throw Error(shown + ": key 'docker.base_img' is empty");

  if (platform_override) {
    c.platforms = parse_platforms(*platform_override, "--platform");
  } else {
    const Json* plat = lookup(c.values, "docker.platform");
    if (plat == nullptr || plat->is_null()) {
      c.platforms.platforms.push_back(Platform{"linux", "amd64", ""});
      c.platform_defaulted = true;
      c.notices.push_back(
          shown +
          ": no docker.platform; building linux/amd64 (run 'lava-docker migrate' to record it)");
    } else {
      if (!plat->is_string()) throw Error(shown + ": key 'docker.platform' must be a string");
      c.platforms = parse_platforms(plat->get<std::string>(), shown + ": docker.platform");
    }
  }
  for (const auto& n : c.platforms.notices) c.notices.push_back(n);

  const Json* reg = lookup(c.values, "docker.registry");
  if (reg != nullptr && !reg->is_null())
    c.registry = parse_registry(scalar_text(*reg), shown + ": docker.registry");

  const Json* dockerfile = lookup(c.values, "docker.dockerfile");
  if (dockerfile != nullptr && !dockerfile->is_null()) {
    std::string v = dockerfile->is_string() ? dockerfile->get<std::string>() : dockerfile->dump();
    if (v != "stock" && v != "auto")
      throw Error(shown + ": docker.dockerfile: '" + v +
                  "' is not stock (build etc/Dockerfile as it is) or auto (the default)");
    c.stock_dockerfile_as_is = v == "stock";
  }

  c.os_upgrade = optional_bool(c.values, "docker.os_upgrade", shown, true);
  c.insecure_registry = optional_bool(c.values, "docker.insecure_registry", shown, false);
  c.follow_external_links = optional_bool(c.values, "docker.follow_external_links", shown, true);
  return c;
}

}  // namespace lava::project
