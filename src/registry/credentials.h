// Registry credentials as docker finds them: $DOCKER_CONFIG/config.json or
// ~/.docker/config.json, with credHelpers, credsStore and auths, in docker's order.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

namespace lava::registry {

struct Credentials {
  std::string username;
  std::string password;
  std::string identity_token;  // an OAuth2 refresh token (helper username "<token>")
  std::string registry_token;  // a bearer token to use as is
  bool empty() const {
    return username.empty() && password.empty() && identity_token.empty() && registry_token.empty();
  }
};

// The docker config file in use: $DOCKER_CONFIG/config.json, else ~/.docker/config.json.
std::filesystem::path docker_config_path();

// Credentials for `registry` ("docker.io", "host:port"): credHelpers[registry], else the
// credsStore helper, else auths (auth = base64 "user:password", or username/password,
// identitytoken, registrytoken). nullopt when none (anonymous). Secrets found are
// registered with lava::add_secret. Throws lava::Error naming the file or helper when the
// config is malformed or a helper fails other than with "not found".
std::optional<Credentials> find_credentials(const std::string& registry,
                                            const std::filesystem::path& config_file);
std::optional<Credentials> find_credentials(const std::string& registry);

// Runs `docker-credential-<helper> get` for `server`; nullopt when it knows no credentials.
std::optional<Credentials> run_credential_helper(const std::string& helper,
                                                 const std::string& server);

}  // namespace lava::registry
