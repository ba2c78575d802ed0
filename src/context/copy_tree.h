// A clean copy of a payload's source tree, as the framework's `cp -RL` makes it.
#pragma once

#include <filesystem>

#include "context/dockerignore.h"

namespace lava::context {

// Copies `from` into the new directory `to`, following symlinks. Modes are normalised to
// the default Dockerfile's promise: directories 0755, files 0755 when the source is
// user-executable, else 0644. A symlink cycle, a dangling link or a device, socket or FIFO
// is an error naming its path relative to `shown` (e.g. "lava-payloads/x.docker").
// Entries `ignore` leaves out (context_entry) are not copied, nor looked into.
void copy_tree(const std::filesystem::path& from, const std::filesystem::path& to,
               const std::filesystem::path& shown, const DockerIgnore& ignore = {});

}  // namespace lava::context
