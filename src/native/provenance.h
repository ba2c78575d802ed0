// Where a payload's source comes from, for the image's labels: the git commit and remote of
// the project, when it is in a git work tree.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>

namespace lava::native {

struct GitInfo {
  std::string revision;  // full commit id, or ""
  std::string remote;    // origin's URL without credentials, or ""
};

// Asks git (when installed) about `dir`. Never throws: missing facts stay empty.
GitInfo git_info(const std::filesystem::path& dir);

// A URL with any "user:password@" / "token@" part removed.
std::string strip_url_credentials(const std::string& url);

// SOURCE_DATE_EPOCH from the environment, 0 when unset; throws naming it when it is not a
// non-negative integer.
int64_t source_date_epoch_from_env();

// The time every layer entry and "created" get: SOURCE_DATE_EPOCH when set, else the
// committer time of the last commit of the git repository holding `project_root` (the same
// for every build of one commit), else 0.
int64_t source_date_epoch(const std::filesystem::path& project_root);

}  // namespace lava::native
