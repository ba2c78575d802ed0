#include "oci/layer_entry.h"

#include <system_error>

#include "util/error.h"

namespace lava::oci {

namespace fs = std::filesystem;

LayerEntry LayerEntry::directory(std::string path, unsigned mode) {
  LayerEntry e;
  e.path = std::move(path);
  e.type = Type::kDirectory;
  e.mode = mode;
  return e;
}

LayerEntry LayerEntry::file_from(std::string path, fs::path source, unsigned mode) {
  LayerEntry e;
  e.path = std::move(path);
  e.source = std::move(source);
  e.mode = mode;
  return e;
}

LayerEntry LayerEntry::file_in(std::string path, fs::path spool, uint64_t offset, int64_t length,
                               unsigned mode) {
  LayerEntry e = file_from(std::move(path), std::move(spool), mode);
  e.offset = offset;
  e.length = length;
  return e;
}

LayerEntry LayerEntry::inline_file(std::string path, std::string content, unsigned mode) {
  LayerEntry e;
  e.path = std::move(path);
  e.content = std::move(content);
  e.mode = mode;
  return e;
}

LayerEntry LayerEntry::symlink(std::string path, std::string target) {
  LayerEntry e;
  e.path = std::move(path);
  e.type = Type::kSymlink;
  e.mode = 0777;
  e.link_target = std::move(target);
  return e;
}

unsigned normalised_mode(LayerEntry::Type type, unsigned host_mode) {
  switch (type) {
    case LayerEntry::Type::kDirectory:
      return 0755;
    case LayerEntry::Type::kSymlink:
      return 0777;
    case LayerEntry::Type::kFile:
      break;
  }
  return (host_mode & 0100) ? 0755 : 0644;
}

void add_tree(std::vector<LayerEntry>& entries, const fs::path& dir, const std::string& prefix) {
  std::error_code ec;
  fs::recursive_directory_iterator it(dir, fs::directory_options::none, ec);
  if (ec) throw Error(dir.string() + ": cannot read directory: " + ec.message());
  for (; it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (ec) throw Error(dir.string() + ": cannot read directory: " + ec.message());
    const fs::path& p = it->path();
    // The iterator's paths all start with `dir`: cut it off (fs::relative would resolve
    // every path through realpath).
    std::string rel = p.generic_string().substr(dir.generic_string().size());
    while (!rel.empty() && rel.front() == '/') rel.erase(0, 1);
    std::string path = prefix.empty() ? rel : prefix + "/" + rel;
    auto st = it->symlink_status(ec);
    if (ec) throw Error(p.string() + ": cannot stat: " + ec.message());
    unsigned host_mode = static_cast<unsigned>(st.permissions());
    switch (st.type()) {
      case fs::file_type::directory:
        entries.push_back(LayerEntry::directory(path));
        break;
      case fs::file_type::regular:
        entries.push_back(
            LayerEntry::file_from(path, p, normalised_mode(LayerEntry::Type::kFile, host_mode)));
        break;
      case fs::file_type::symlink: {
        auto target = fs::read_symlink(p, ec);
        if (ec) throw Error(p.string() + ": cannot read link: " + ec.message());
        entries.push_back(LayerEntry::symlink(path, target.string()));
        break;
      }
      default:
        throw Error(p.string() +
                    ": not a regular file, directory or symlink; it cannot go into "
                    "an image layer");
    }
  }
}

}  // namespace lava::oci
