#include "native/platform_plan.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "native/base_facts_cache.h"
#include "native/passwd_edit.h"
#include "native/pip_scheme.h"
#include "native/pyc_step.h"
#include "oci/digest.h"
#include "util/error.h"
#include "util/file_io.h"

extern char** environ;

namespace lava::native {

namespace fs = std::filesystem;

namespace {

std::string dirname_of(const std::string& path) {
  auto slash = path.rfind('/');
  return slash == std::string::npos ? std::string() : path.substr(0, slash);
}

nlohmann::json entries_recipe(const std::vector<oci::LayerEntry>& entries) {
  nlohmann::json j = nlohmann::json::array();
  for (const auto& e : entries)
    j.push_back({e.path, static_cast<int>(e.type), e.mode, e.uid, e.gid, e.content, e.link_target});
  return j;
}

// The users layer: /etc/passwd and /etc/group with lava added; nullopt when the base has
// both already.
std::optional<std::vector<oci::LayerEntry>> passwd_entries(const BaseFacts& facts) {
  Account account;
  std::string group = add_group(facts.group.value_or(""), account);
  std::string passwd = add_user(facts.passwd.value_or(""), group, account);
  if (facts.group && facts.passwd && group == *facts.group && passwd == *facts.passwd)
    return std::nullopt;
  std::vector<oci::LayerEntry> entries;
  add_parent_dirs(entries, dirname_of(facts.passwd_path), facts);
  add_parent_dirs(entries, dirname_of(facts.group_path), facts);
  for (auto [path, content] :
       {std::pair{facts.passwd_path, passwd}, std::pair{facts.group_path, group}}) {
    oci::LayerEntry e = oci::LayerEntry::inline_file(path, content, 0644);
    facts.keep_base_metadata(e);
    entries.push_back(std::move(e));
  }
  return entries;
}

// A digest of the PIP_* settings pip will see (index URLs may hold credentials: only their
// hash goes into the recipe).
std::string pip_environment_hash(const std::map<std::string, std::string>& overrides) {
  std::map<std::string, std::string> seen;
  for (char** e = environ; *e; ++e) {
    std::string kv = *e;
    std::string name = kv.substr(0, kv.find('='));
    if (kv.rfind("PIP_", 0) == 0 && pip_passes_through(name))
      seen[name] = kv.substr(std::min(kv.size(), name.size() + 1));
  }
  for (const auto& [name, value] : overrides) seen[name] = value;
  std::vector<std::string> vars;
  for (const auto& [name, value] : seen) vars.push_back(name + "=" + value);
  std::sort(vars.begin(), vars.end());
  std::string all;
  for (const auto& v : vars) all += v + "\n";
  return oci::sha256_of(all).str();
}

bool non_empty_file(const fs::path& p) {
  std::error_code ec;
  return fs::is_regular_file(p, ec) && fs::file_size(p, ec) > 0 && !ec;
}

void add_users_layer(BuildSession& s, const BaseFacts& facts, const StagedLayout& layout,
                     PlatformPlan& plan) {
  auto entries = passwd_entries(facts);
  if (!entries) return;
  nlohmann::json recipe = {{"layer", "passwd"},
                           {"format", layer_format()},
                           {"mtime", s.epoch},
                           {"level", s.options.gzip_level},
                           {"entries", entries_recipe(*entries)}};
  std::optional<LayerBlob> blob;
  if (!s.options.force)
    blob = reuse_built_layer(s.layer_cache, recipe.dump(), layout, s.result.notices, s.name());
  if (blob) {
    ++s.result.layers_reused;
  } else {
    blob = write_layer(std::move(*entries), s.blob_cache, s.write_options);
    s.layer_cache.remember(recipe.dump(), *blob);
    ++s.result.layers_built;
    layout.place_fresh(s.layer_cache.blob_file(*blob), blob->digest);
  }
  plan.added.push_back({*blob,
                        "RUN groupadd -g 99999 lava && useradd -u 99999 -g 99999 -d /lava -M "
                        "-s /bin/sh lava # lava-docker native: /etc/passwd and /etc/group edited"});
}

PipPlan plan_pip(BuildSession& s, const BuildTarget& t, BaseFacts facts,
                 const RequirementFiles& requirements, const StagedLayout& layout) {
  const auto& config = s.project.config;
  const std::string& platform = t.shown;
  const bool want_deps = !requirements.deps.empty(), want_nodeps = !requirements.nodeps.empty();
  std::string which = want_deps ? "requirements.txt" : "requirements-nodeps.txt";
  if (!facts.python)
    throw Error(s.name() + ": base image " + config.base_img + " (" + platform +
                ") has no python3 on its PATH, so neither engine can install " + which +
                " (the default Dockerfile runs the base's python3 -m pip); choose a base image "
                "with python3");
  if (facts.libc.kind == LibcInfo::Kind::kUnknown)
    throw Error(s.name() + ": base image " + config.base_img + " (" + platform +
                "): cannot tell its C library (no glibc libc.so.6 or musl loader found), so "
                "the native engine cannot choose wheels for it; build with --engine docker");
  PipPlan job;
  job.target.platform = platform;
  job.target.python_version = facts.python->version;
  job.target.abi = cpython_abi(facts.python->version);
  const std::string machine =
      wheel_machine(t.wanted.architecture, t.base.config.platform().variant);
  job.target.platform_tags = wheel_platform_tags(facts.libc, machine);
  job.target.libc = facts.libc.str();
  job.target.scheme = install_scheme_for(*facts.python);
  job.target.markers = marker_environment(*facts.python, machine);
  nlohmann::json files = nlohmann::json::object();
  for (const auto& [name, path] : requirements.all) files[name] = read_file(path);
  job.recipe =
      nlohmann::json{{"layer", "pip"},
                     {"format", layer_format()},
                     {"mtime", s.epoch},
                     {"level", s.options.gzip_level},
                     {"files", files},
                     {"deps", want_deps},
                     {"nodeps", want_nodeps},
                     {"tags", job.target.platform_tags},
                     {"abi", job.target.abi},
                     {"markers", job.target.markers},
                     {"scheme",
                      {job.target.scheme.site, job.target.scheme.scripts, job.target.scheme.data,
                       job.target.scheme.include, job.target.scheme.python}},
                     {"python", facts.to_json()["python"]},
                     {"meta", facts.to_json()["meta"]},
                     {"pip_env", pip_environment_hash(s.options.pip_env)},
                     {"host_python", s.python},
                     {"bytecode", bytecode_recipe(s.options)}}
          .dump();
  if (!s.options.force)
    job.blob = reuse_built_layer(s.layer_cache, job.recipe, layout, s.result.notices, s.name());
  if (job.blob) {
    ++s.result.layers_reused;
    s.say(platform + ": requirements layer from the cache");
  } else {
    s.say(platform + ": pip installing " + std::string(want_deps ? "requirements.txt" : "") +
          (want_deps && want_nodeps ? " and " : "") +
          (want_nodeps ? "requirements-nodeps.txt" : "") + " (" + job.target.abi + ", " +
          job.target.platform_tags.front() + ") into " + facts.python->site_dir);
  }
  job.facts = std::move(facts);
  return job;
}

}  // namespace

RequirementFiles find_requirements(const fs::path& context_dir) {
  RequirementFiles r;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(context_dir, ec)) {
    std::string name = e.path().filename().string();
    if (name.rfind("requirements", 0) == 0 && name.size() > 4 &&
        name.substr(name.size() - 4) == ".txt" && e.is_regular_file())
      r.all[name] = e.path();
  }
  if (non_empty_file(context_dir / "requirements.txt")) r.deps = context_dir / "requirements.txt";
  if (non_empty_file(context_dir / "requirements-nodeps.txt"))
    r.nodeps = context_dir / "requirements-nodeps.txt";
  return r;
}

PlatformPlan plan_platform(BuildSession& s, const BuildTarget& target,
                           const RequirementFiles& requirements, const StagedLayout& layout) {
  PlatformPlan plan;
  plan.target = &target;
  const BaseManifest& bm = target.base;
  s.say(target.shown + ": base " + short_digest(bm.descriptor.digest));
  for (const auto& layer : bm.manifest.layers)
    place_base_layer(*s.base, layout, layer, s.result.notices, s.name());
  BaseFacts facts = cached_base_facts(
      *s.base, bm, s.cache, target.shown, [&](const std::string& line) { s.say(line); },
      [&](const oci::Descriptor& d) { return layout.blob_path(d.digest); });
  add_users_layer(s, facts, layout, plan);
  if (requirements.any()) plan.pip = plan_pip(s, target, std::move(facts), requirements, layout);
  return plan;
}

}  // namespace lava::native
