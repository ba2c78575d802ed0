#include "registry/base_tag_cache.h"

#include <nlohmann/json.hpp>

#include "util/error.h"
#include "util/file_io.h"
#include "util/sha256.h"

namespace lava::registry {

namespace fs = std::filesystem;

fs::path BaseTagCache::file_for(const std::string& reference) const {
  // Hashed: references hold ':' and '/', and may be longer than a file name can be.
  return dir_ / sha256_hex(reference);
}

std::optional<TagAnswer> BaseTagCache::get(const std::string& reference) const {
  std::error_code ec;
  const fs::path file = file_for(reference);
  if (!fs::is_regular_file(file, ec)) return std::nullopt;
  try {
    auto j = nlohmann::json::parse(read_file(file));
    // The reference is stored too, so a hash collision cannot hand out another tag's answer.
    if (j.at("reference").get<std::string>() != reference) return std::nullopt;
    TagAnswer a;
    a.digest = oci::Digest::parse(j.at("digest").get<std::string>());
    a.media_type = j.at("media_type").get<std::string>();
    a.asked_at = j.at("asked_at").get<int64_t>();
    return a;
  } catch (const std::exception&) {
    return std::nullopt;  // damaged: ask the registry again
  }
}

void BaseTagCache::put(const std::string& reference, const TagAnswer& answer) const {
  fs::create_directories(dir_);
  nlohmann::json j = {{"reference", reference},
                      {"digest", answer.digest.str()},
                      {"media_type", answer.media_type},
                      {"asked_at", answer.asked_at}};
  write_file_atomic(file_for(reference), j.dump() + "\n");
}

}  // namespace lava::registry
