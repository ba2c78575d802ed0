// What pip's driver and the byte-compiling keep in one append-only file per job instead of
// thousands of small files: the package files pip unpacks into site-packages, and the .pyc
// files. Creating and removing a file each costs a metadata update the file system cannot
// batch (on some, much more once many were removed just before), while one spool is
// written and read sequentially. The rest of what pip installs (RECORD and the other
// .dist-info files, scripts, data, headers) stays in the job's root/ as pip writes it.
//
// A list is JSON lines: [path in the image, spool (relative to the job directory), offset,
// length, mode].
#pragma once

#include <filesystem>
#include <vector>

#include "oci/layer_entry.h"

namespace lava::native {

inline constexpr const char* kSpoolFile = "files.bin";    // in the job directory
inline constexpr const char* kSpoolList = "files.jsonl";  // pip's driver
inline constexpr const char* kPycList = "pyc.jsonl";      // the byte-compiling

// The entries a job directory's lists name, in the order written (a later one for the same
// path replaces the earlier: pip's overwrite). Paths without the leading "/". Throws
// lava::Error naming the list on a malformed line or a range beyond its spool's end.
std::vector<oci::LayerEntry> spooled_entries(const std::filesystem::path& job_dir);

}  // namespace lava::native
