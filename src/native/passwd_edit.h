// The lava user and group, added to a base image's /etc/passwd and /etc/group as the
// default Dockerfile's groupadd/useradd (or their fallbacks) would add them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace lava::native {

struct Account {
  std::string name = "lava";
  uint32_t uid = 99999;
  uint32_t gid = 99999;
  std::string home = "/lava";
  std::string shell = "/bin/sh";
};

// The gid of group `name` in an /etc/group text, if it has one.
std::optional<uint32_t> group_gid(const std::string& group_file, const std::string& name);

// /etc/group with "lava:x:99999:" appended, unless a "lava" group is there already.
std::string add_group(const std::string& group_file, const Account& account);

// /etc/passwd with "lava:x:99999:<gid>::/lava:/bin/sh" appended, unless a "lava" user is
// there already; <gid> is the lava group's in `group_file` (which may predate us).
std::string add_user(const std::string& passwd_file, const std::string& group_file,
                     const Account& account);

}  // namespace lava::native
