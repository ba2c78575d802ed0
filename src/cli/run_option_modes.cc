// Which of `run`'s options belong to one kind of run only: a plain run (the job spec says
// these for a --job run) or a --job run. One table instead of a check per option.
#include "cli/run_args.h"
#include "util/error.h"

namespace lava::cli {

namespace {

struct ModeOption {
  const char* option;  // as the user wrote it
  bool (*given)(const RunArgs&);
  bool job_only;            // else: plain runs only
  const char* job_says_it;  // a plain-only option: what the job spec has instead
};

constexpr ModeOption kModeOptions[] = {
    {"--no-build", [](const RunArgs& a) { return a.no_build; }, true, nullptr},
    {"--connection", [](const RunArgs& a) { return !a.connections.empty(); }, true, nullptr},
    {"-e", [](const RunArgs& a) { return !a.env_vars.empty(); }, false, "parameters.env"},
    {"--no-jinja", [](const RunArgs& a) { return a.no_jinja; }, false, "parameters.jinja: false"},
    {"--image", [](const RunArgs& a) { return !a.image.empty(); }, false, "the job's payload"},
    {"--timeout", [](const RunArgs& a) { return a.timeout_given; }, false, "parameters.timeout"},
    {"a command after --", [](const RunArgs& a) { return !a.command.empty(); }, false,
     "parameters.command and args"},
};

}  // namespace

void refuse_options_of_other_mode(const RunArgs& a) {
  const bool job = !a.job.empty();
  for (const auto& o : kModeOptions) {
    if (o.job_only == job || !o.given(a)) continue;
    if (o.job_only)
      throw UsageError(std::string("run: ") + o.option + " applies to --job runs only");
    throw UsageError(std::string("run --job: ") + o.option + " cannot be used with --job; " +
                     "the job spec says it (" + o.job_says_it + ")");
  }
}

}  // namespace lava::cli
