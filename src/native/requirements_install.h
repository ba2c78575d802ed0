// The requirements step of a native build: pip for every platform whose layer is not in
// the cache, in one interpreter (its start-up costs more than a small install), pip's output
// kept in a log whose path a failure names; then the modules byte-compiled (pyc_step.h);
// then each platform's requirements layer written and remembered by its recipe.
#pragma once

#include <vector>

#include "native/build_session.h"
#include "native/platform_plan.h"
#include "native/staged_layout.h"

namespace lava::native {

// Fills in plan.pip->blob for every plan that has requirements and no cached layer.
void install_requirements(BuildSession& s, std::vector<PlatformPlan>& plans,
                          const RequirementFiles& requirements, const StagedLayout& layout);

}  // namespace lava::native
