// Which process on which machine owns a thing that outlives it when the process is killed
// (a Docker engine's containers and images are not files a temp-name sweep can see). The tag
// names the machine, its boot and the process (pid and start time, so a reused pid is not
// taken for the owner), so a later run can tell an abandoned thing from one in use.
#pragma once

#include <string>

namespace lava {

// "MACHINE/BOOT/PID/START" for this process.
std::string this_process_owner_tag();

// Whether the owner `tag` names is certainly gone: a process of this machine, from an
// earlier boot, or no longer running (its pid free or taken by a later process). A tag of
// another machine, or one that does not parse, is never gone: it may be in use there.
bool owner_tag_gone(const std::string& tag);

}  // namespace lava
