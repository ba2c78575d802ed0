// Streaming SHA-256 (OpenSSL), for digests and change stamps: the one implementation
// (oci::Sha256 builds on it).
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

namespace lava {

class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;

  void update(const void* data, size_t n);
  void update(std::string_view data) { update(data.data(), data.size()); }
  // Lowercase hex of the digest; the hasher cannot be updated afterwards.
  std::string hex();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

std::string sha256_hex(std::string_view data);
// Hashes a file in fixed-size chunks (never whole in memory).
std::string sha256_file_hex(const std::filesystem::path& path);

}  // namespace lava
