#include "registry/credentials.h"

#include <cstdlib>
#include <nlohmann/json.hpp>

#include "http/base64.h"
#include "registry/reference.h"
#include "util/error.h"
#include "util/file_io.h"
#include "util/redact.h"
#include "util/subprocess.h"

namespace lava::registry {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

// "https://index.docker.io/v1/" → "index.docker.io"; "http://h:5000/v2/" → "h:5000".
std::string host_of_key(std::string key) {
  if (auto p = key.find("://"); p != std::string::npos) key = key.substr(p + 3);
  if (auto p = key.find('/'); p != std::string::npos) key = key.substr(0, p);
  return key;
}

bool is_docker_hub(const std::string& host) {
  return host == "docker.io" || host == "index.docker.io" || host == "registry-1.docker.io";
}

bool same_registry(const std::string& key, const std::string& registry) {
  std::string host = host_of_key(key);
  if (is_docker_hub(registry)) return is_docker_hub(host);
  return host == registry;
}

// The server name docker hands helpers for a registry.
std::string helper_server(const std::string& registry) {
  return is_docker_hub(registry) ? "https://index.docker.io/v1/" : registry;
}

Credentials remember(Credentials c) {
  add_secret(c.password);
  add_secret(c.identity_token);
  add_secret(c.registry_token);
  return c;
}

}  // namespace

fs::path docker_config_path() {
  if (const char* d = std::getenv("DOCKER_CONFIG"); d && *d) return fs::path(d) / "config.json";
  const char* home = std::getenv("HOME");
  return fs::path(home ? home : "") / ".docker" / "config.json";
}

std::optional<Credentials> run_credential_helper(const std::string& helper,
                                                 const std::string& server) {
  std::string program = "docker-credential-" + helper;
  auto r = run_process({program, "get"}, server);
  if (r.exit_status != 0) {
    std::string msg = r.out + r.err;
    if (msg.find("not found") != std::string::npos) return std::nullopt;
    while (!msg.empty() && (msg.back() == '\n' || msg.back() == '\r')) msg.pop_back();
    throw Error(program + " get " + server + " failed (exit " + std::to_string(r.exit_status) +
                "): " + redact(msg.substr(0, 300)));
  }
  json j = json::parse(r.out, nullptr, false);
  if (j.is_discarded() || !j.is_object())
    throw Error(program + " get " + server + ": output is not a JSON object");
  Credentials c;
  std::string user = j.value("Username", "");
  std::string secret = j.value("Secret", "");
  if (user == "<token>") {
    c.identity_token = secret;
  } else {
    c.username = user;
    c.password = secret;
  }
  if (c.empty()) return std::nullopt;
  return remember(c);
}

std::optional<Credentials> find_credentials(const std::string& registry,
                                            const fs::path& config_file) {
  std::error_code ec;
  if (!fs::is_regular_file(config_file, ec)) return std::nullopt;
  json cfg = json::parse(read_file(config_file), nullptr, false);
  if (cfg.is_discarded() || !cfg.is_object())
    throw Error(config_file.string() + ": not a JSON object");
  try {
    if (cfg.contains("credHelpers") && cfg["credHelpers"].is_object()) {
      for (const auto& [key, helper] : cfg["credHelpers"].items()) {
        if (same_registry(key, registry) && helper.is_string())
          return run_credential_helper(helper.get<std::string>(), helper_server(registry));
      }
    }
    if (cfg.contains("credsStore") && cfg["credsStore"].is_string() &&
        !cfg["credsStore"].get<std::string>().empty()) {
      if (auto c =
              run_credential_helper(cfg["credsStore"].get<std::string>(), helper_server(registry)))
        return c;
    }
    if (cfg.contains("auths") && cfg["auths"].is_object()) {
      for (const auto& [key, entry] : cfg["auths"].items()) {
        if (!same_registry(key, registry) || !entry.is_object()) continue;
        Credentials c;
        if (entry.contains("auth") && entry["auth"].is_string() &&
            !entry["auth"].get<std::string>().empty()) {
          std::string decoded = http::base64_decode(entry["auth"].get<std::string>());
          auto colon = decoded.find(':');
          if (colon == std::string::npos)
            throw Error(config_file.string() + ": auths." + key +
                        ".auth is not base64 of user:password");
          c.username = decoded.substr(0, colon);
          c.password = decoded.substr(colon + 1);
        }
        if (c.username.empty()) c.username = entry.value("username", "");
        if (c.password.empty()) c.password = entry.value("password", "");
        c.identity_token = entry.value("identitytoken", "");
        c.registry_token = entry.value("registrytoken", "");
        if (!c.empty()) return remember(c);
      }
    }
  } catch (const json::exception& e) {
    throw Error(config_file.string() + ": malformed: " + e.what());
  }
  return std::nullopt;
}

std::optional<Credentials> find_credentials(const std::string& registry) {
  return find_credentials(registry, docker_config_path());
}

}  // namespace lava::registry
