#include "oci/digest.h"

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "util/error.h"

namespace lava::oci {

namespace {
bool lower_hex(std::string_view s) {
  for (char c : s)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  return true;
}
}  // namespace

bool Digest::valid(std::string_view text) {
  auto colon = text.find(':');
  if (colon == std::string_view::npos) return false;
  auto alg = text.substr(0, colon);
  auto hex = text.substr(colon + 1);
  if (alg == "sha256") return hex.size() == 64 && lower_hex(hex);
  if (alg == "sha512") return hex.size() == 128 && lower_hex(hex);
  return false;
}

Digest Digest::parse(std::string_view text) {
  if (!valid(text)) throw Error("invalid digest \"" + std::string(text.substr(0, 200)) + "\"");
  Digest d;
  auto colon = text.find(':');
  d.algorithm_ = std::string(text.substr(0, colon));
  d.hex_ = std::string(text.substr(colon + 1));
  return d;
}

Digest Digest::sha256_hex(std::string hex) {
  return parse("sha256:" + hex);
}

Sha256::Sha256() = default;
Sha256::~Sha256() = default;

void Sha256::update(const void* data, size_t n) {
  hash_.update(data, n);
  bytes_ += n;
}

Digest Sha256::finish() {
  return Digest::sha256_hex(hash_.hex());
}

Digest sha256_of(std::string_view data) {
  Sha256 h;
  h.update(data);
  return h.finish();
}

Digest sha256_of_file(const std::filesystem::path& path) {
  return Digest::sha256_hex(lava::sha256_file_hex(path));
}

}  // namespace lava::oci
