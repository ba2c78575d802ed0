// Image layers unpacked onto disk, lowest first, as a container engine lays out a root file
// system: OCI whiteouts applied (".wh.<name>" deletes, ".wh..wh..opq" hides what lower
// layers put in a directory), files, directories, symlinks and hard links made as the tar
// says. What an unprivileged user cannot or need not make is left out: device nodes, fifos
// and sockets, owners, set-uid bits, timestamps. Every directory is made writable by its
// owner and every file readable and writable, so the tree can always be read and removed.
//
// Nothing is ever written outside the root: each path is walked one component at a time
// without following symlinks, and a symlink met on the way is resolved inside the root, as
// a chroot would (an absolute target starts again from the root; ".." stops at it).
#pragma once

#include <filesystem>
#include <string>

namespace lava::oci {

// Applies one layer (a tar, plain, gzip or zstd) on top of the tree at `root`, which must
// exist. `where` names the layer in errors (lava::Error: unreadable or corrupt layer, a
// hard link to nothing, a file that cannot be written).
void unpack_layer(const std::filesystem::path& blob, const std::filesystem::path& root,
                  const std::string& where);

}  // namespace lava::oci
