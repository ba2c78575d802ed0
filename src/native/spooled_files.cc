#include "native/spooled_files.h"

#include <fstream>
#include <map>

#include <nlohmann/json.hpp>

#include "util/error.h"

namespace lava::native {

namespace fs = std::filesystem;

namespace {

void read_list(const fs::path& list, std::vector<oci::LayerEntry>& out) {
  std::ifstream in(list);
  if (!in) return;  // nothing spooled
  std::map<std::string, uintmax_t> sizes;
  std::string line;
  for (size_t n = 1; std::getline(in, line); ++n) {
    if (line.empty()) continue;
    auto bad = [&](const std::string& why) {
      return Error(list.string() + ": line " + std::to_string(n) + ": " + why);
    };
    nlohmann::json v = nlohmann::json::parse(line, nullptr, false);
    if (!v.is_array() || v.size() != 5 || !v[0].is_string() || !v[1].is_string() ||
        !v[2].is_number_unsigned() || !v[3].is_number_unsigned() || !v[4].is_number_unsigned())
      throw bad("not [path, spool, offset, length, mode]");
    std::string path = v[0].get<std::string>();
    if (path.size() < 2 || path.front() != '/') throw bad("path '" + path + "' is not absolute");
    const fs::path spool = (list.parent_path() / v[1].get<std::string>()).lexically_normal();
    const uint64_t offset = v[2].get<uint64_t>(), length = v[3].get<uint64_t>();
    auto [it, fresh] = sizes.try_emplace(spool.string(), 0);
    if (fresh) {
      std::error_code ec;
      it->second = fs::file_size(spool, ec);
      if (ec) throw bad(spool.string() + ": " + ec.message());
    }
    if (offset + length > it->second) throw bad("range beyond the end of " + spool.string());
    out.push_back(oci::LayerEntry::file_in(
        path.substr(1), spool, offset, static_cast<int64_t>(length), v[4].get<unsigned>() & 07777));
  }
}

}  // namespace

std::vector<oci::LayerEntry> spooled_entries(const fs::path& job_dir) {
  std::vector<oci::LayerEntry> out;
  read_list(job_dir / kSpoolList, out);
  read_list(job_dir / kPycList, out);
  return out;
}

}  // namespace lava::native
