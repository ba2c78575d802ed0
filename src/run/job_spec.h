// A lava docker job spec from the project (lava-jobs/NAME.yaml): rendered with <{ }> as the
// framework's Makefile renders it, then checked as the worker's docker handler checks it
// before it starts anything.
#pragma once

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "project/project.h"
#include "project/yaml_load.h"

namespace lava::run {

struct JobSpec {
  std::string file;   // as shown in messages ("lava-jobs/hello.yaml")
  project::Json doc;  // the whole rendered spec
  std::string job_id, worker, owner, payload;
  project::Json parameters = project::Json::object();
  project::Json globals = project::Json::object();
};

// The docker handler's parameters (JOB_PARAMS_OPTIONAL_FIELDS), sorted.
const std::vector<std::string>& job_parameter_keys();

// The parameters the framework's `jinja --delimiter '<' --file CONFIG --file REALM_INFO
// -p env=ENV` sees: the config's values, .realm.json's top-level keys over them, env.
project::Json job_template_params(const project::Project& project, const project::Json& realm_info);

// Renders `file` (`shown` names it in errors) with <{ }>, <% %>, <# #> and
// job_template_params (lava.* built-ins, lava.realm from .realm.json; lava.aws.* through
// `aws_info` when given, else an error saying AWS is not available), includes relative to
// the file's directory; parses the result as YAML (JSON for .json) and checks it with
// check_job_spec. A template error is a lava::Error "FILE:LINE: message".
JobSpec load_job_spec(const project::Project& project, const std::filesystem::path& file,
                      const std::string& shown, const project::Json& realm_info,
                      const std::function<std::string(const std::string&)>& aws_info = {});

// Checks a rendered spec: a mapping with job_id, payload, type (docker) and worker;
// parameters limited to job_parameter_keys ("Bad job parameters: Unexpected keys: ...", as
// the worker says it), each of the form the worker's schema gives; host_config keys within
// the worker's whitelist ("Bad host_config parameters: ..."). Every failure is a
// lava::UsageError starting with `shown`.
JobSpec check_job_spec(const project::Json& doc, const std::string& shown);

}  // namespace lava::run
