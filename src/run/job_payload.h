// A docker job's `payload` (the image the worker pulls) mapped back to the project payload
// that builds it: "<registry>/<prefix.docker_repo>/NAME[:tag]", whatever the registry part.
#pragma once

#include <string>
#include <vector>

#include "project/payload.h"

namespace lava::run {

struct JobPayload {
  std::string reference;   // as the job gives it, without surrounding blanks
  std::string repository;  // before the tag
  std::string tag;         // "latest" when the job gives none, as the worker reads it
  std::string registry;    // what comes before <prefix.docker_repo>/ (may be empty)
  std::string name;        // the project payload ("hello")
};

// Maps `payload` (the job's value; `where` names it in errors, e.g. "lava-jobs/x.yaml:
// payload") onto one of `payloads`, whose images are <docker_repo>/NAME. Not of this
// project, or naming a payload it does not have: a lava::Error saying what was expected.
// Things the worker would see differently go to `notices`: a reference with more than one
// ':' (a registry port), which the worker refuses as "Bad payload", and a tag other than
// latest (the project builds :latest).
JobPayload map_job_payload(const std::string& payload, const std::string& docker_repo,
                           const std::vector<project::Payload>& payloads, const std::string& where,
                           std::vector<std::string>& notices);

}  // namespace lava::run
