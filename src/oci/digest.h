// Content digests ("sha256:<hex>") and streaming SHA-256 (util/sha256.h).
#pragma once

#include <compare>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include "util/sha256.h"

namespace lava::oci {

class Digest {
 public:
  Digest() = default;
  // Accepts "sha256:<64 lowercase hex>" and "sha512:<128 lowercase hex>"; throws lava::Error
  // naming the value otherwise.
  static Digest parse(std::string_view text);
  static bool valid(std::string_view text);
  static Digest sha256_hex(std::string hex);  // from a bare hex string (validated)

  const std::string& algorithm() const { return algorithm_; }
  const std::string& hex() const { return hex_; }
  std::string str() const { return empty() ? "" : algorithm_ + ":" + hex_; }
  bool empty() const { return hex_.empty(); }
  auto operator<=>(const Digest&) const = default;

 private:
  std::string algorithm_;
  std::string hex_;
};

// Incremental SHA-256.
class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;
  void update(const void* data, size_t n);
  void update(std::string_view s) { update(s.data(), s.size()); }
  Digest finish();  // once
  uint64_t bytes() const { return bytes_; }

 private:
  lava::Sha256 hash_;
  uint64_t bytes_ = 0;
};

Digest sha256_of(std::string_view data);
// Streams the file; throws lava::Error naming it when unreadable.
Digest sha256_of_file(const std::filesystem::path& path);

}  // namespace lava::oci
