// Docker payloads: directories directly under lava-payloads/ whose names end in .docker.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace lava::project {

struct Payload {
  std::string dir_name;             // "hello.docker"
  std::string name;                 // "hello"
  std::filesystem::path source;     // lava-payloads/hello.docker (symlinks not resolved)
  std::string image;                // <prefix.docker_repo>/hello
};

// Finds the payloads of the project at `project_dir`, sorted by name. Symlinks are
// followed; a .docker entry that is a plain file or a dangling link is an error.
std::vector<Payload> discover_payloads(const std::filesystem::path& project_dir,
                                       const std::string& docker_repo);

// The payloads named in `wanted` (by name, "hello", or dir name, "hello.docker"), in the
// order given; all of them when `wanted` is empty. An unknown name is an error.
std::vector<Payload> select_payloads(const std::vector<Payload>& all,
                                     const std::vector<std::string>& wanted);

}  // namespace lava::project
