// Repository names as OCI distribution's grammar allows them, checked when a project is
// read so that a bad prefix.docker_repo or payload name fails at `list`, not halfway
// through an `install`.
#pragma once

#include <string>
#include <string_view>

namespace lava::project {

// What is wrong with `path` as a repository name ("a/b/c": components of lower-case
// letters and digits joined by '.', '_', '__' or runs of '-', separated by '/'), or ""
// when it is valid.
std::string repository_name_problem(std::string_view path);

// Longest repository name (prefix.docker_repo plus "/" plus the payload name) that
// registries must accept.
inline constexpr size_t kMaxRepositoryName = 255;

}  // namespace lava::project
