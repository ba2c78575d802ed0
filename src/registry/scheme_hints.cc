#include "registry/scheme_hints.h"

#include <cctype>
#include <fstream>

#include "util/file_io.h"

namespace lava::registry {

namespace fs = std::filesystem;

fs::path SchemeHints::file(const std::string& host) const {
  // Host names and ports are [A-Za-z0-9.-:]; IPv6 brackets and ':' become '_'.
  std::string name;
  for (char c : host)
    name += (std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-') ? c : '_';
  return dir_ / name;
}

std::optional<std::string> SchemeHints::get(const std::string& host) const {
  if (dir_.empty()) return std::nullopt;
  std::ifstream in(file(host));
  std::string scheme;
  if (!(in >> scheme) || (scheme != "https" && scheme != "http")) return std::nullopt;
  return scheme;
}

void SchemeHints::put(const std::string& host, const std::string& scheme) const {
  if (dir_.empty() || get(host) == scheme) return;
  // A hint that cannot be written only costs the next process a ping.
  try {
    write_file_atomic(file(host), scheme + "\n");
  } catch (const std::exception&) {
  }
}

void SchemeHints::forget(const std::string& host) const {
  if (dir_.empty()) return;
  std::error_code ec;
  fs::remove(file(host), ec);
}

}  // namespace lava::registry
