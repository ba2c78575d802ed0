// Temporary files and directories that a killed run leaves behind. Every temporary name of
// ours carries its writer's pid (".tmp-PID-N", ".layer-PID-N", "NAME.tmp-PID[-N]",
// ".NAME.context-PID",
// ".NAME.oci.tmp-PID[.old]", "pip-PID-N"), so a later run can tell litter (its writer is
// gone) from work in progress (its writer still runs) without any shared bookkeeping.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace lava {

// The writer's pid when `name` is one of our temporary names.
std::optional<long> temp_owner_pid(const std::string& name);

// Whether a process with `pid` exists (ours included).
bool process_alive(long pid);

// Removes the temporaries under `dir`, down to `depth` directory levels (1: `dir`'s own
// entries), whose writer is gone. Directories named in `skip` are not entered. Returns how
// many were removed; errors are ignored (litter is swept again next time).
int sweep_dead_temps(const std::filesystem::path& dir, int depth,
                     const std::vector<std::string>& skip = {});

}  // namespace lava
