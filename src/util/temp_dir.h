// The one scratch-directory guard: a directory removed, with everything in it, however
// the scope ends (unless released).
#pragma once

#include <filesystem>
#include <string>

namespace lava {

struct TempDir {
  std::filesystem::path path;  // empty: guards nothing

  TempDir() = default;
  // Guards `p`, which need not exist yet.
  explicit TempDir(std::filesystem::path p) : path(std::move(p)) {}
  // A new, uniquely named directory `<parent>/<prefix>XXXXXX` (mkdtemp); parent defaults
  // to the system's temp directory. Throws lava::Error naming the parent.
  static TempDir create(const std::string& prefix, const std::filesystem::path& parent = {});

  TempDir(TempDir&& other) noexcept : path(std::move(other.path)) { other.path.clear(); }
  TempDir& operator=(TempDir&& other) noexcept;
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  ~TempDir() { remove(); }

  // Stops guarding and returns the path: the directory stays.
  std::filesystem::path release();
  // Removes the directory now (errors ignored: it is scratch space).
  void remove() noexcept;
};

}  // namespace lava
