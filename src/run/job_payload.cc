#include "run/job_payload.h"

#include <algorithm>
#include <cctype>

#include "docker/docker_client.h"
#include "util/error.h"

namespace lava::run {

namespace {

std::string strip(const std::string& s) {
  size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  return s.substr(b, e - b);
}

std::string names_of(const std::vector<project::Payload>& payloads) {
  std::string out;
  for (const auto& p : payloads) out += (out.empty() ? "" : ", ") + p.name;
  return out.empty() ? "none" : out;
}

}  // namespace

JobPayload map_job_payload(const std::string& payload, const std::string& docker_repo,
                           const std::vector<project::Payload>& payloads, const std::string& where,
                           std::vector<std::string>& notices) {
  JobPayload out;
  out.reference = strip(payload);
  if (out.reference.empty()) throw Error(where + ": empty; expected an image reference");
  // The worker splits at every ':' (payload.split(':')), so a registry port breaks it.
  const size_t colons = std::count(out.reference.begin(), out.reference.end(), ':');
  const size_t colon = out.reference.find(':');
  if (colons > 1) {
    notices.push_back(where + " '" + out.reference +
                      "': the lava worker refuses this (\"Bad payload: Must be in the form "
                      "repository[:tag]\"): it splits the value at every ':', so a registry "
                      "with a port cannot be used there; running it here anyway");
  } else if (colons == 1 && out.reference.find('/', colon) != std::string::npos) {
    notices.push_back(where + " '" + out.reference + "': the lava worker would read this as " +
                      "repository '" + out.reference.substr(0, colon) + "' with tag '" +
                      out.reference.substr(colon + 1) +
                      "' (it splits at ':'), so a registry with a port cannot be used there; "
                      "running it here anyway");
  }
  auto [repository, tag] = docker::split_reference(out.reference);
  out.repository = repository;
  out.tag = tag;

  const std::string expected = "[REGISTRY/]" + docker_repo + "/NAME[:TAG] (prefix.docker_repo " +
                               "of the config) with NAME one of: " + names_of(payloads);
  const std::string prefix = docker_repo + "/";
  size_t at = std::string::npos;
  if (repository.rfind(prefix, 0) == 0) {
    at = 0;
  } else {
    size_t found = repository.rfind("/" + prefix);
    if (found != std::string::npos) at = found + 1;
  }
  if (at == std::string::npos)
    throw Error(where + " '" + out.reference + "' is not a payload of this project: expected " +
                expected);
  out.registry = at == 0 ? "" : repository.substr(0, at - 1);
  out.name = repository.substr(at + prefix.size());
  auto it = std::find_if(payloads.begin(), payloads.end(),
                         [&](const project::Payload& p) { return p.name == out.name; });
  if (it == payloads.end())
    throw Error(where + " '" + out.reference + "': the project has no payload '" + out.name +
                "' (lava-payloads/" + out.name + ".docker); expected " + expected);
  if (out.tag != "latest") {
    notices.push_back(where + " '" + out.reference + "': tag '" + out.tag +
                      "' is what the worker would pull; running the project's own build of " +
                      out.name + " instead");
  }
  return out;
}

}  // namespace lava::run
