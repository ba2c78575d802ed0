// What a native build needs to know about a base image's file system, read from its layers
// once and cached by manifest digest: users and groups, the C library, and where its python3
// imports packages from.
#pragma once

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "native/pip_platform.h"
#include "oci/layer_entry.h"
#include "oci/rootfs_view.h"

namespace lava::native {

// Ownership and mode of a path in the base image.
struct PathMeta {
  unsigned mode = 0755;
  uint32_t uid = 0;
  uint32_t gid = 0;
  bool operator==(const PathMeta&) const = default;
};

struct PythonLayout {
  std::string executable;  // as found on PATH: "/usr/bin/python3"
  std::string version;     // "3.11"
  std::string
      site_dir;  // where packages go, symlinks resolved: "/usr/local/lib/python3.11/dist-packages"
  std::string scripts_dir;  // where console scripts go: "/usr/local/bin"
  std::string layout;       // "debian", "local-prefix", "venv", "prefix": how site_dir was chosen
  // "3.11.2" as far as the base tells (pyvenv.cfg, patchlevel.h, dpkg's status), else "".
  std::string full_version;
  bool operator==(const PythonLayout&) const = default;
};

struct BaseFacts {
  std::string os_id;  // os-release ID ("debian", "alpine", "amzn"), or ""
  LibcInfo libc;
  std::optional<PythonLayout> python;
  std::optional<std::string> passwd;       // /etc/passwd content, when the base has one
  std::optional<std::string> group;        // /etc/group content
  std::string passwd_path = "etc/passwd";  // symlinks resolved, relative
  std::string group_path = "etc/group";
  // Metadata of the directories and files our layers write over (relative paths), so
  // that writing them keeps what the base had.
  std::map<std::string, PathMeta> meta;

  // An entry our layer writes over a path the base has keeps the base's mode and owner.
  void keep_base_metadata(oci::LayerEntry& entry) const;

  nlohmann::json to_json() const;
  static BaseFacts from_json(const nlohmann::json& j);
  bool operator==(const BaseFacts&) const = default;
};

// Reads the facts from the assembled file system. `path_env` is the image config's PATH
// (searched for python3 as a shell would). `where` names the image in errors.
BaseFacts inspect_rootfs(const oci::RootfsView& rootfs, const std::string& path_env,
                         const std::string& where);

}  // namespace lava::native
