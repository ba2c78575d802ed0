// Tests only: temporary directories, tar reading and gzip helpers for the native tests.
#pragma once

#include <archive.h>
#include <archive_entry.h>
#include <unistd.h>

#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <vector>

#include "native/layer_writer.h"
#include "native/spooled_files.h"
#include "oci/gzip.h"
#include "oci/layout.h"
#include "oci/manifest.h"
#include "oci/media_types.h"
#include "util/file_io.h"
#include "util/temp_dir.h"

namespace lava::native::testing {

// A fresh scratch directory for one test (the one guard, util/temp_dir.h).
struct TempDir : lava::TempDir {
  TempDir() : lava::TempDir(lava::TempDir::create("lava-native-test-")) {}
};

struct ReadEntry {
  std::string path;
  unsigned type = 0;  // AE_IFREG, AE_IFDIR, AE_IFLNK
  unsigned mode = 0;
  int64_t uid = -1, gid = -1;
  int64_t mtime = -1;
  bool has_atime = false, has_ctime = false, has_birthtime = false;
  std::string uname, gname;
  int xattrs = 0;
  std::string data;
  std::string link;
};

// Writes what a job directory's spools hold (native/spooled_files.h) into its root/ as
// files with their modes, so a test looks at one tree: the one the layer gets.
inline void unspool(const std::filesystem::path& job_dir) {
  std::map<std::string, std::string> spools;
  for (const auto& e : spooled_entries(job_dir)) {
    auto [it, fresh] = spools.try_emplace(e.source.string());
    if (fresh) it->second = lava::read_file(e.source);
    const std::string& all = it->second;
    std::filesystem::path out = job_dir / "root" / e.path;
    std::filesystem::create_directories(out.parent_path());
    lava::write_private_file(out, all.substr(e.offset, static_cast<size_t>(e.length)),
                             static_cast<std::filesystem::perms>(e.mode));
  }
}

// Reads a tar (plain or gzip) from memory.
inline std::vector<ReadEntry> read_tar(const std::string& bytes) {
  std::vector<ReadEntry> out;
  struct archive* a = archive_read_new();
  archive_read_support_filter_gzip(a);
  archive_read_support_format_tar(a);
  if (archive_read_open_memory(a, bytes.data(), bytes.size()) != ARCHIVE_OK) {
    archive_read_free(a);
    return out;
  }
  struct archive_entry* e;
  while (archive_read_next_header(a, &e) == ARCHIVE_OK) {
    ReadEntry r;
    r.path = archive_entry_pathname(e);
    r.type = archive_entry_filetype(e);
    r.mode = archive_entry_perm(e);
    r.uid = archive_entry_uid(e);
    r.gid = archive_entry_gid(e);
    r.mtime = archive_entry_mtime(e);
    r.has_atime = archive_entry_atime_is_set(e);
    r.has_ctime = archive_entry_ctime_is_set(e);
    r.has_birthtime = archive_entry_birthtime_is_set(e);
    r.uname = archive_entry_uname(e) ? archive_entry_uname(e) : "";
    r.gname = archive_entry_gname(e) ? archive_entry_gname(e) : "";
    r.xattrs = archive_entry_xattr_count(e);
    if (archive_entry_symlink(e)) r.link = archive_entry_symlink(e);
    char buf[65536];
    la_ssize_t n;
    while ((n = archive_read_data(a, buf, sizeof buf)) > 0)
      r.data.append(buf, static_cast<size_t>(n));
    out.push_back(std::move(r));
  }
  archive_read_free(a);
  return out;
}

inline std::string gunzip(const std::string& bytes) {
  std::string out;
  oci::GzipDecompressor d([&](const char* p, size_t n) { out.append(p, n); });
  d.write(bytes.data(), bytes.size());
  d.finish();
  return out;
}

inline std::string gzip(const std::string& bytes) {
  std::string out;
  oci::GzipCompressor c([&](const char* p, size_t n) { out.append(p, n); });
  c.write(bytes.data(), bytes.size());
  c.finish();
  return out;
}

// A synthetic Debian-like base image with no python, one platform per arch (amd64, arm64),
// in an OCI layout at `dir` tagged "stable".
inline oci::Descriptor make_test_base(const std::filesystem::path& dir,
                                      const std::vector<std::string>& arches) {
  oci::Layout layout = oci::Layout::create(dir);
  oci::Index index;
  for (const auto& arch : arches) {
    LayerBlob layer =
        write_layer({oci::LayerEntry::directory("etc"),
                     oci::LayerEntry::inline_file("etc/passwd", "root:x:0:0:root:/root:/bin/sh\n"),
                     oci::LayerEntry::inline_file("etc/group", "root:x:0:\n"),
                     oci::LayerEntry::inline_file("etc/os-release", "ID=debian\n"),
                     oci::LayerEntry::inline_file("bin/sh", "ELF " + arch, 0755)},
                    layout.blobs_root());
    nlohmann::json config = {{"architecture", arch},
                             {"os", "linux"},
                             {"config", {{"Env", {"PATH=/usr/bin:/bin"}}, {"Cmd", {"/bin/sh"}}}},
                             {"rootfs", {{"type", "layers"}, {"diff_ids", {layer.diff_id.str()}}}},
                             {"history", {{{"created_by", "base " + arch}}}}};
    if (arch == "arm64") config["variant"] = "v8";
    oci::Descriptor cfg = layout.write_blob(config.dump(), oci::media::kOciConfig);
    oci::Manifest m;
    m.config = cfg;
    m.layers.push_back(oci::Descriptor::of(oci::media::kOciLayerGzip, layer.digest, layer.size));
    oci::Descriptor md = layout.write_blob(m.to_json(), oci::media::kOciManifest);
    md.platform = oci::Platform{"linux", arch, arch == "arm64" ? "v8" : "", "", {}};
    index.manifests.push_back(md);
  }
  oci::Descriptor root = layout.write_blob(index.to_json(), oci::media::kOciIndex);
  layout.set_root(root, "stable");
  return root;
}

}  // namespace lava::native::testing
