// A build context directory as a tar stream, produced on demand as the reader pulls it,
// so a large context never sits in memory whole.
#pragma once

#include <cstdio>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "util/libarchive.h"

namespace lava::docker {

class ContextTarStream {
 public:
  // Entries: every file, directory and symlink below `dir` (symlinks kept as links, not
  // followed), in byte order of their relative paths, depth first, so the same tree gives
  // the same order; owner root (0:0), modes and mtimes kept. `extra_files` (relative name →
  // content, mode 0644) are added too and replace a file of the same name in `dir`.
  // Anything else (socket, device, fifo) is a lava::Error naming it.
  explicit ContextTarStream(std::filesystem::path dir,
                            std::map<std::string, std::string> extra_files = {});
  ~ContextTarStream();
  ContextTarStream(const ContextTarStream&) = delete;
  ContextTarStream& operator=(const ContextTarStream&) = delete;

  // Fills `buf` with up to `len` next bytes of the tar; 0 at the end.
  size_t read(char* buf, size_t len);

  // The entry names in stream order ("app/", "app/main.py", "Dockerfile").
  std::vector<std::string> entry_names() const;

 private:
  struct Entry {
    std::string name;              // relative, '/' separated
    std::filesystem::path source;  // empty for extra files
    const std::string* extra = nullptr;
  };
  void step();  // produces the next piece of the stream into out_
  void begin_entry(const Entry& e);
  void finish_file();
  static la_ssize_t on_write(struct archive*, void* self, const void* data, size_t n);

  std::filesystem::path dir_;
  std::map<std::string, std::string> extra_files_;
  std::vector<Entry> entries_;
  size_t next_ = 0;
  struct archive* archive_ = nullptr;
  std::FILE* file_ = nullptr;  // regular file being copied
  std::string file_name_;
  long long file_remaining_ = 0;  // bytes the header promised and not yet written
  bool closed_ = false;
  std::string out_;
  size_t out_pos_ = 0;
};

}  // namespace lava::docker
