#include "cli/transfer_line.h"

#include <cstdio>

#include "util/human_size.h"

namespace lava::cli {

std::string short_hex(const oci::Digest& d) {
  return d.hex().substr(0, 12);
}

void TransferLine::start() {
  start_ = std::chrono::steady_clock::now();
  last_draw_ = {};
}

void TransferLine::draw(const std::string& what, const oci::Descriptor& blob, uint64_t bytes,
                        bool force) {
  auto now = std::chrono::steady_clock::now();
  if (!force && now - last_draw_ < std::chrono::milliseconds(100)) return;
  last_draw_ = now;
  double secs = std::chrono::duration<double>(now - start_).count();
  double rate = secs > 0 ? static_cast<double>(bytes) / secs : 0;
  int pct =
      blob.size > 0
          ? static_cast<int>(100.0 * static_cast<double>(bytes) / static_cast<double>(blob.size))
          : 100;
  std::fprintf(stderr, "\r\033[K%s %3d%% %s / %s  %s/s", what.c_str(), pct,
               human_size(bytes).c_str(), human_size(static_cast<uint64_t>(blob.size)).c_str(),
               human_size(static_cast<uint64_t>(rate)).c_str());
  drawn_ = true;
}

void TransferLine::clear() {
  if (drawn_) std::fprintf(stderr, "\r\033[K");
  drawn_ = false;
}

}  // namespace lava::cli
