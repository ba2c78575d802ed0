// A registry said no: the HTTP status, the distribution error code, one clear line.
#pragma once

#include <string>

#include "http/client.h"
#include "util/error.h"

namespace lava::registry {

class RegistryError : public Error {
 public:
  RegistryError(const std::string& message, long status, std::string code)
      : Error(message), status_(status), code_(std::move(code)) {}
  long status() const { return status_; }
  const std::string& code() const { return code_; }  // e.g. "MANIFEST_UNKNOWN", may be empty

 private:
  long status_;
  std::string code_;
};

// Builds the error for an unexpected response to `what` ("push manifest lava/x:latest"):
// "<what>: HTTP 404 (NAME_UNKNOWN: repository name not known to registry)".
RegistryError registry_error(const std::string& what, const http::Response& r);

}  // namespace lava::registry
