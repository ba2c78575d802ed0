// What goes into one image layer: entries with the ownership, modes and contents the tar
// will record, independent of how the files look on the build host.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace lava::oci {

struct LayerEntry {
  enum class Type { kDirectory, kFile, kSymlink };

  std::string path;  // inside the image, relative: "lava/main.py" (no leading or trailing "/")
  Type type = Type::kFile;
  unsigned mode = 0644;  // permission bits only (07777)
  uint32_t uid = 0;
  uint32_t gid = 0;
  std::filesystem::path source;  // kFile: content read from this host file when set...
  std::string content;           // ...else this inline content
  // With `source`: the content is `length` bytes at `offset` in it (a spool holding many
  // files' contents), not the whole file. -1: the whole file.
  uint64_t offset = 0;
  int64_t length = -1;
  std::string link_target;  // kSymlink

  static LayerEntry directory(std::string path, unsigned mode = 0755);
  static LayerEntry file_from(std::string path, std::filesystem::path source, unsigned mode);
  static LayerEntry file_in(std::string path, std::filesystem::path spool, uint64_t offset,
                            int64_t length, unsigned mode);
  static LayerEntry inline_file(std::string path, std::string content, unsigned mode = 0644);
  static LayerEntry symlink(std::string path, std::string target);
};

// The mode the default Dockerfile's semantics give a file: readable by all, executable by all
// when the owner could execute it; directories 0755.
unsigned normalised_mode(LayerEntry::Type type, unsigned host_mode);

// Appends `dir`'s whole tree under `prefix` ("lava": entries "lava/...", not "lava" itself),
// owned by root with normalised modes. Symlinks are kept as symlinks; sockets, fifos and
// devices are an error naming the file.
void add_tree(std::vector<LayerEntry>& entries, const std::filesystem::path& dir,
              const std::string& prefix);

}  // namespace lava::oci
