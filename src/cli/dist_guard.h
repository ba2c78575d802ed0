// What every command that writes dist/<env> does first: Ctrl-C becomes a clean unwind
// (cli/signals.h) and the environment's lock is taken, saying "waiting for ..." when another
// run holds it (build/dist_lock.h).
#pragma once

#include "builder/dist_lock.h"
#include "project/project.h"

namespace lava::cli {

builder::DistLock guard_dist(const project::Project& project);

}  // namespace lava::cli
