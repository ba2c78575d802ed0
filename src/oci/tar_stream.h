// A deterministic tar stream: entries sorted by path (so parents precede children), every
// entry with the same mtime, owner root:root, no names, no xattrs, no atime/ctime: the same
// entries give the same bytes on every host.
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include "oci/layer_entry.h"

namespace lava::oci {

using ByteSink = std::function<void(const char* data, size_t n)>;

// Writes `entries` (sorted here; duplicate paths are an error) as a POSIX (pax) tar to
// `out`, with `mtime` (seconds since the epoch) on every entry. File contents are streamed
// from their source files in fixed-size pieces.
void write_tar(std::vector<LayerEntry> entries, int64_t mtime, const ByteSink& out);

}  // namespace lava::oci
