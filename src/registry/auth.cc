#include "registry/auth.h"

#include <nlohmann/json.hpp>

#include "http/base64.h"
#include "registry/registry_error.h"
#include "util/redact.h"

namespace lava::registry {

std::string repository_scope(const std::string& repository, bool push) {
  return "repository:" + repository + (push ? ":pull,push" : ":pull");
}

std::string Authenticator::key(const std::vector<std::string>& scopes) const {
  std::string k;
  for (const auto& s : scopes) k += s + " ";
  return k;
}

void Authenticator::on_ping(const http::Response& r) {
  if (r.status == 401) learn(r);
}

void Authenticator::learn(const http::Response& r) {
  for (const auto& value : r.headers.get_all("WWW-Authenticate")) {
    for (auto& c : parse_challenges(value)) {
      if (c.scheme == "bearer") {
        scheme_ = "bearer";
        bearer_ = c;
        break;
      }
      if (c.scheme == "basic" && scheme_ != "bearer") scheme_ = "basic";
    }
  }
}

bool Authenticator::on_unauthorized(const http::Response& r,
                                    const std::vector<std::string>& scopes) {
  bool had_scheme = !scheme_.empty();
  learn(r);
  if (scheme_ == "basic") {
    if (!creds_ || creds_->username.empty())
      throw Error(registry_ +
                  ": the registry requires a login (Basic auth) and no credentials were "
                  "found in " +
                  docker_config_path().string());
    if (had_scheme)
      throw Error(registry_ + ": login refused: check the credentials for this registry");
    return true;
  }
  if (scheme_ == "bearer") {
    // A token we had for these scopes was refused: drop it and fetch one once more.
    auto it = tokens_.find(key(scopes));
    if (it != tokens_.end()) {
      tokens_.erase(it);
      return true;
    }
    return !had_scheme;
  }
  return false;
}

std::optional<std::string> Authenticator::header(const std::vector<std::string>& scopes) {
  if (scheme_ == "basic" && creds_)
    return "Basic " + http::base64_encode(creds_->username + ":" + creds_->password);
  if (scheme_ != "bearer") return std::nullopt;
  if (creds_ && !creds_->registry_token.empty()) return "Bearer " + creds_->registry_token;
  auto it = tokens_.find(key(scopes));
  if (it != tokens_.end() && it->second.expires > std::chrono::steady_clock::now())
    return "Bearer " + it->second.value;
  return "Bearer " + fetch_token(scopes);
}

std::string Authenticator::fetch_token(const std::vector<std::string>& scopes) {
  auto realm = bearer_.params.find("realm");
  if (realm == bearer_.params.end() || realm->second.empty())
    throw Error(registry_ + ": Bearer challenge without a realm");
  std::string service = bearer_.params.count("service") ? bearer_.params["service"] : "";
  std::string query;
  auto add = [&](const std::string& k, const std::string& v) {
    query += (query.empty() ? "" : "&") + k + "=" + http::url_encode(v);
  };
  http::Response r;
  if (creds_ && !creds_->identity_token.empty()) {
    // OAuth2 refresh-token grant, as docker does with an identity token.
    add("grant_type", "refresh_token");
    add("refresh_token", creds_->identity_token);
    add("client_id", "lava-docker");
    if (!service.empty()) add("service", service);
    std::string scope_list;
    for (const auto& s : scopes) scope_list += (scope_list.empty() ? "" : " ") + s;
    if (!scope_list.empty()) add("scope", scope_list);
    auto req = http::Request::make("POST", realm->second);
    req.headers.set("Content-Type", "application/x-www-form-urlencoded");
    req.body = http::body_from_string(query);
    r = http_.perform(req);
  } else {
    if (!service.empty()) add("service", service);
    for (const auto& s : scopes) add("scope", s);
    std::string url =
        realm->second + (realm->second.find('?') == std::string::npos ? "?" : "&") + query;
    auto req = http::Request::make("GET", url);
    if (creds_ && !creds_->username.empty())
      req.headers.set("Authorization",
                      "Basic " + http::base64_encode(creds_->username + ":" + creds_->password));
    r = http_.perform(req);
  }
  if (r.status == 401 || r.status == 403)
    throw registry_error(
        registry_ + ": token request refused" +
            std::string(creds_ ? " (check the credentials)" : " (no credentials found)"),
        r);
  if (!r.ok()) throw registry_error(registry_ + ": token request to " + realm->second, r);
  auto j = nlohmann::json::parse(r.body, nullptr, false);
  std::string token;
  if (!j.is_discarded() && j.is_object()) {
    token = j.value("token", "");
    if (token.empty()) token = j.value("access_token", "");
  }
  if (token.empty())
    throw Error(registry_ + ": token response from " + realm->second + " has no token");
  add_secret(token);
  ++tokens_fetched_;
  int expires_in = 60;
  if (j.contains("expires_in") && j["expires_in"].is_number_integer())
    expires_in = std::max(60, j["expires_in"].get<int>());
  // Renew a little early so a long push does not run into expiry.
  tokens_[key(scopes)] = {token,
                          std::chrono::steady_clock::now() +
                              std::chrono::seconds(expires_in - std::min(expires_in / 4, 30))};
  return token;
}

}  // namespace lava::registry
