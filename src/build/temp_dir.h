// A scratch directory that is removed however the scope ends.
#pragma once

#include <filesystem>
#include <system_error>
#include <utility>

namespace lava::build {

struct TempDirGuard {
  std::filesystem::path path;
  explicit TempDirGuard(std::filesystem::path p) : path(std::move(p)) {}
  TempDirGuard(const TempDirGuard&) = delete;
  TempDirGuard& operator=(const TempDirGuard&) = delete;
  ~TempDirGuard() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }
};

}  // namespace lava::build
