// The intermediate images of a `lava-requirements` stage in a payload's own Dockerfile (one
// modelled on lava-docker's earlier built-in Dockerfile, which installed requirements in
// such a stage; the built-in one now has a step of its own, builder/requirements_step.h).
// The classic builder keeps them, untagged, as build cache, and their history records the
// stage's build args (PIP_INDEX_URL, often with credentials): they are collected from the
// build's output and removed after the build.
#pragma once

#include <set>
#include <string>

namespace lava::builder {

class StageImageCollector {
 public:
  // Feeds one line of the classic builder's output ("Step 1/9 : FROM x AS lava-requirements",
  // " ---> 0123456789ab").
  void on_line(const std::string& line);
  // The image ids made while building the stage.
  const std::set<std::string>& images() const { return images_; }

 private:
  bool in_stage_ = false;
  std::set<std::string> images_;
};

}  // namespace lava::builder
