// What pip needs to install for a target image rather than for the build host: the paths a
// wheel's parts go to (as the target's own pip would choose them) and the values its
// environment markers evaluate against.
#pragma once

#include <map>
#include <string>

#include "native/base_facts.h"

namespace lava::native {

// Absolute paths in the target image.
struct InstallScheme {
  std::string site;     // purelib and platlib: "/usr/local/lib/python3.11/dist-packages"
  std::string scripts;  // console scripts and .data/scripts: "/usr/local/bin"
  std::string data;     // .data/data's root: "/usr/local"
  std::string include;  // .data/headers go to <include>/<distribution>: "/usr/include/python3.11"
  std::string python;   // the "#!" of scripts: the base's python3 as found on PATH
  bool operator==(const InstallScheme&) const = default;
};

// The scheme pip uses in the image for `python`: a virtualenv's own directories, else the
// prefix its site directory lives in (/usr/local for Debian's and the official images).
InstallScheme install_scheme_for(const PythonLayout& python);

// PEP 508 marker variables for CPython `python` on Linux `machine` ("aarch64"). The
// kernel's platform_release and platform_version are left out: a container sees the build
// host's kernel, so the host's values (what pip fills in) are the target's too.
std::map<std::string, std::string> marker_environment(const PythonLayout& python,
                                                      const std::string& machine);

}  // namespace lava::native
