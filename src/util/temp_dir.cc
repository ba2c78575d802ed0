#include "util/temp_dir.h"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <system_error>
#include <vector>

#include "util/error.h"

namespace lava {

TempDir TempDir::create(const std::string& prefix, const std::filesystem::path& parent) {
  std::filesystem::path dir = parent.empty() ? std::filesystem::temp_directory_path() : parent;
  std::string pattern = (dir / (prefix + "XXXXXX")).string();
  std::vector<char> buf(pattern.begin(), pattern.end());
  buf.push_back('\0');
  if (::mkdtemp(buf.data()) == nullptr)
    throw Error("cannot create a temporary directory in " + dir.string() + ": " +
                std::strerror(errno));
  return TempDir(std::filesystem::path(buf.data()));
}

TempDir& TempDir::operator=(TempDir&& other) noexcept {
  if (this != &other) {
    remove();
    path = std::move(other.path);
    other.path.clear();
  }
  return *this;
}

std::filesystem::path TempDir::release() {
  std::filesystem::path p = std::move(path);
  path.clear();
  return p;
}

void TempDir::remove() noexcept {
  if (path.empty()) return;
  std::error_code ec;
  std::filesystem::remove_all(path, ec);
  path.clear();
}

}  // namespace lava
