// A clean copy of a payload's source tree, as the framework's `cp -RL` makes it.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "context/dockerignore.h"

namespace lava::context {

// Where links may lead. With an empty project_root nothing is checked.
struct LinkPolicy {
  std::filesystem::path project_root;
  bool follow_external = true;  // docker.follow_external_links
  std::string refusal_hint;     // said when an external link is refused
};

// Copies `from` into the new directory `to`, following symlinks. Modes are normalised to
// the default Dockerfile's promise: directories 0755, files 0755 when the source is
// user-executable, else 0644. A symlink cycle, a link that makes the tree contain `to`
// itself, a dangling link or a device, socket or FIFO is an error naming its path relative
// to `shown` (e.g. "lava-payloads/x.docker"). Entries `ignore` leaves out (context_entry)
// are not copied, nor looked into. A link resolving outside policy.project_root is
// followed with one warning naming it and the bytes it brought in (returned), or refused
// when !policy.follow_external.
std::vector<std::string> copy_tree(const std::filesystem::path& from,
                                   const std::filesystem::path& to,
                                   const std::filesystem::path& shown,
                                   const DockerIgnore& ignore = {}, const LinkPolicy& policy = {});


}  // namespace lava::context
