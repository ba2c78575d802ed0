#include "native/requirements_install.h"

#include <unistd.h>

#include <fstream>
#include <random>

#include "native/pip_install.h"
#include "native/pyc_step.h"
#include "util/temp_dir.h"

namespace lava::native {

namespace fs = std::filesystem;

namespace {

std::string random_suffix() {
  static thread_local std::mt19937_64 rng(std::random_device{}());
  return std::to_string(::getpid()) + "-" + std::to_string(rng() % 1000000000);
}

}  // namespace

void install_requirements(BuildSession& s, std::vector<PlatformPlan>& plans,
                          const RequirementFiles& requirements, const StagedLayout& layout) {
  // pip-PID-N/work holds the requirement files; pip-PID-N/staging/<n>/{deps,nodeps} what
  // each platform's jobs install (the byte-compiling sandbox sees only staging/).
  std::vector<PipJob> jobs;
  std::vector<std::pair<PipPlan*, fs::path>> staged;  // a platform's plan, its staging dir
  std::vector<StagedModules> modules;
  std::optional<TempDir> pip_work;
  for (auto& plan : plans) {
    if (!plan.pip || plan.pip->blob) continue;
    if (!pip_work) {
      pip_work.emplace(s.cache / "native" / "tmp" / ("pip-" + random_suffix()));
      fs::create_directories(pip_work->path / "work");
      fs::create_directories(pip_work->path / "staging");
      for (const auto& [name, path] : requirements.all)
        fs::copy_file(path, pip_work->path / "work" / name);
    }
    const std::string n = std::to_string(staged.size());
    fs::path staging = pip_work->path / "staging" / n;
    auto more = pip_jobs_for(
        plan.pip->target,
        requirements.deps.empty() ? fs::path() : pip_work->path / "work" / "requirements.txt",
        requirements.nodeps.empty() ? fs::path()
                                    : pip_work->path / "work" / "requirements-nodeps.txt",
        staging);
    StagedModules m;
    m.target = plan.target;
    m.facts = &plan.pip->facts;
    for (const auto& job : more)
      m.jobs.push_back(n + "/" + job.root.parent_path().filename().string());
    modules.push_back(std::move(m));
    jobs.insert(jobs.end(), more.begin(), more.end());
    staged.emplace_back(&*plan.pip, staging);
  }
  if (jobs.empty()) return;

  PipRun run;
  run.host_python = s.python;
  run.cache_dir = s.cache / "pip";
  run.env = s.options.pip_env;
  run.payload = s.name();
  // pip's own lines go to a log of this payload's last install, not to the terminal: a
  // failure is one line naming the log.
  const fs::path log_file = s.cache / "native" / "logs" / (s.name() + "-pip.log");
  fs::create_directories(log_file.parent_path());
  std::ofstream log(log_file, std::ios::trunc);
  run.log_file = log_file.string();
  const bool several = s.targets.size() > 1;
  run.on_line = [&](const PipJob& job, const std::string& line) {
    log << (several ? job.target.platform + ": " + line : line) << "\n";
    log.flush();
  };
  s.say(s.name() + ": pip's output: " + log_file.string());
  PipOutcome outcome = run_pip_jobs(jobs, run);

  size_t j = 0;
  for (auto& m : modules)
    for (size_t k = 0; k < m.jobs.size(); ++k) m.modules += outcome.modules.at(j++);
  compile_staged_modules(s, layout, pip_work->path / "staging", modules, outcome);

  for (auto& [job, staging] : staged) {
    job->blob = write_layer(pip_layer_entries(staging, job->facts, s.python), s.blob_cache,
                            s.write_options);
    s.layer_cache.remember(job->recipe, *job->blob);
    ++s.result.layers_built;
  }
}

}  // namespace lava::native
