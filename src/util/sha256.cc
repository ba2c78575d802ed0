#include "util/sha256.h"

// OpenSSL's low-level SHA-256 API: deprecated in 3.0 in favour of EVP, but EVP's first
// digest initialises the provider machinery, milliseconds that every command would pay at
// its first hash. The low-level functions run the same assembly with no set-up.
#define OPENSSL_SUPPRESS_DEPRECATED
#include <openssl/sha.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <vector>

#include "util/error.h"

namespace lava {

struct Sha256::Impl {
  SHA256_CTX ctx;
};

Sha256::Sha256() : impl_(std::make_unique<Impl>()) {
  if (SHA256_Init(&impl_->ctx) != 1) throw Error("sha256: cannot initialise OpenSSL's SHA-256");
}

Sha256::~Sha256() = default;

void Sha256::update(const void* data, size_t n) {
  SHA256_Update(&impl_->ctx, data, n);
}

std::string Sha256::hex() {
  unsigned char md[SHA256_DIGEST_LENGTH];
  SHA256_Final(md, &impl_->ctx);
  static const char* digits = "0123456789abcdef";
  std::string out;
  out.reserve(2 * sizeof md);
  for (unsigned char byte : md) {
    out += digits[byte >> 4];
    out += digits[byte & 0xf];
  }
  return out;
}

std::string sha256_hex(std::string_view data) {
  Sha256 h;
  h.update(data);
  return h.hex();
}

std::string sha256_file_hex(const std::filesystem::path& path) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr) throw Error(path.string() + ": cannot read: " + std::strerror(errno));
  Sha256 h;
  std::vector<char> buf(1 << 16);
  size_t n;
  while ((n = std::fread(buf.data(), 1, buf.size(), f)) > 0) h.update({buf.data(), n});
  bool failed = std::ferror(f) != 0;
  std::fclose(f);
  if (failed) throw Error(path.string() + ": read failed");
  return h.hex();
}

}  // namespace lava
