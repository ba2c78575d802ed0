#include "native/native_build.h"

#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <fstream>
#include <functional>
#include <nlohmann/json.hpp>
#include <random>
#include <set>

#include "native/base_facts.h"
#include "native/base_image.h"
#include "native/built_layer_cache.h"
#include "native/image_assembly.h"
#include "native/layer_writer.h"
#include "native/passwd_edit.h"
#include "native/pip_install.h"
#include "native/pip_scheme.h"
#include "native/provenance.h"
#include "oci/blob_writer.h"
#include "oci/layout.h"
#include "oci/media_types.h"
#include "oci/platform_missing.h"
#include "oci/verified_blob.h"
#include "util/error.h"
#include "util/file_io.h"
#include "util/redact.h"
#include "util/temp_dir.h"
#include "version.h"

extern char** environ;

namespace lava::native {

namespace fs = std::filesystem;

namespace {

// Bumped whenever what a cached item holds would change for the same inputs.
// v3: read from verified layer content only (earlier entries may hold what a tampered
// layer said), with the base's full Python version.
constexpr const char* kFactsVersion = "base-facts-v3";
constexpr const char* kLayerFormat = "tar-pax-sorted/gzip-chunked-256k-v1";

std::string random_suffix() {
  static thread_local std::mt19937_64 rng(std::random_device{}());
  return std::to_string(::getpid()) + "-" + std::to_string(rng() % 1000000000);
}

std::string host_python(const NativeOptions& options) {
  if (!options.python.empty()) return options.python;
  const char* env = std::getenv("LAVA_PYTHON");
  if (env && *env) return env;
  std::error_code ec;
  if (fs::exists("/usr/bin/python3", ec)) return "/usr/bin/python3";
  return "python3";
}

void say(const NativeOptions& options, const std::string& line) {
  if (options.progress) options.progress(redact(line));
}

std::string dirname_of(const std::string& path) {
  auto slash = path.rfind('/');
  return slash == std::string::npos ? std::string() : path.substr(0, slash);
}

std::string short_digest(const oci::Digest& d) {
  return d.str().substr(0, 19);
}

// The PATH an image's config sets, or "" for the default.
std::string config_path_env(const oci::ImageConfig& config) {
  const auto& j = config.json();
  if (!j.contains("config") || !j["config"].is_object()) return "";
  const auto& c = j["config"];
  if (!c.contains("Env") || !c["Env"].is_array()) return "";
  for (const auto& e : c["Env"])
    if (e.is_string() && e.get<std::string>().rfind("PATH=", 0) == 0)
      return e.get<std::string>().substr(5);
  return "";
}

// "5 minutes ago", for a timestamp in the past.
std::string age_of(int64_t then) {
  const int64_t secs = std::max<int64_t>(0, static_cast<int64_t>(std::time(nullptr)) - then);
  auto count = [](int64_t n, const char* unit) {
    return std::to_string(n) + " " + unit + (n == 1 ? "" : "s") + " ago";
  };
  if (secs < 60) return "just now";
  if (secs < 3600) return count(secs / 60, "minute");
  if (secs < 86400) return count(secs / 3600, "hour");
  return count(secs / 86400, "day");
}

// `layer_file` gives the verified copy of a base layer (staged in the layout already).
BaseFacts facts_for(BaseImage& base, const BaseManifest& bm, const fs::path& cache,
                    const std::string& platform, const NativeOptions& options,
                    const std::function<fs::path(const oci::Descriptor&)>& layer_file) {
  fs::path file = cache / "native" / kFactsVersion / (bm.descriptor.digest.hex() + ".json");
  std::error_code ec;
  if (fs::is_regular_file(file, ec)) {
    try {
      return BaseFacts::from_json(nlohmann::json::parse(read_file(file)));
    } catch (const std::exception&) {
      // unreadable: inspect again
    }
  }
  say(options, platform + ": reading the base image's " +
                   std::to_string(bm.manifest.layers.size()) + " layer(s)");
  oci::RootfsView rootfs;
  oci::CapturePolicy policy = oci::base_capture_policy();
  for (const auto& layer : bm.manifest.layers)
    rootfs.apply_layer(layer_file(layer), policy,
                       "base image " + base.name() + " layer " + layer.digest.str());
  BaseFacts facts = inspect_rootfs(rootfs, config_path_env(bm.config),
                                   "base image " + base.name() + " (" + platform + ")");
  write_file_atomic(file, facts.to_json().dump());
  return facts;
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
    auto meta = facts.meta.find(path);
    if (meta != facts.meta.end()) {
      e.mode = meta->second.mode;
      e.uid = meta->second.uid;
      e.gid = meta->second.gid;
    }
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

// Every requirements*.txt of the context (one may include another with -r).
std::map<std::string, fs::path> requirement_files(const fs::path& context_dir) {
  std::map<std::string, fs::path> files;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(context_dir, ec)) {
    std::string name = e.path().filename().string();
    if (name.rfind("requirements", 0) == 0 && name.size() > 4 &&
        name.substr(name.size() - 4) == ".txt" && e.is_regular_file())
      files[name] = e.path();
  }
  return files;
}

// The layout being written in a temporary directory. Nothing in it is fsynced: it is moved
// into place whole, and a layout damaged by a crash shows as blobs not matching their digests.
class StagedLayout {
 public:
  explicit StagedLayout(fs::path dir) : dir_(std::move(dir)) {
    fs::create_directories(dir_ / "blobs" / "sha256");
    write_plain(dir_ / "oci-layout", R"({"imageLayoutVersion":"1.0.0"})");
  }
  fs::path blobs_root() const { return dir_ / "blobs"; }
  fs::path blob_path(const oci::Digest& d) const { return oci::blob_file(blobs_root(), d); }
  // A blob from a cache or the base: read through and checked against its digest first
  // (oci/verified_blob.h).
  void place(const fs::path& file, const oci::Descriptor& d) const {
    oci::place_verified(file, blob_path(d.digest), d.digest, d.size);
  }
  // A blob this build wrote and hashed itself.
  void place_fresh(const fs::path& file, const oci::Digest& d) const {
    oci::place_fresh(file, blob_path(d));
  }
  oci::Descriptor write_blob(const std::string& data, std::string_view media_type) const {
    oci::Descriptor d =
        oci::Descriptor::of(media_type, oci::sha256_of(data), static_cast<int64_t>(data.size()));
    write_plain(blob_path(d.digest), data);
    return d;
  }
  // index.json: one entry, `root`, tagged `ref_name`.
  void set_root(oci::Descriptor root, const std::string& ref_name) const {
    root.annotations[oci::kRefNameAnnotation] = ref_name;
    oci::Index index;
    index.manifests.push_back(std::move(root));
    write_plain(dir_ / "index.json", index.to_json());
  }

 private:
  static void write_plain(const fs::path& p, const std::string& data) {
    std::ofstream out(p, std::ios::binary | std::ios::trunc);
    out.write(data.data(), static_cast<std::streamsize>(data.size()));
    out.close();
    if (!out) throw Error(p.string() + ": cannot write");
  }
  fs::path dir_;
};

// Temporary layouts left by builds that died.
void remove_stale_temps(const fs::path& dir, const std::string& prefix) {
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    std::string name = e.path().filename().string();
    if (name.rfind(prefix, 0) != 0) continue;
    long pid = std::atol(name.substr(prefix.size()).c_str());
    if (pid > 0 && (::kill(static_cast<pid_t>(pid), 0) == 0 || errno != ESRCH)) continue;
    fs::remove_all(e.path(), ec);
  }
}

oci::Platform wanted_platform(const project::Platform& p) {
  project::Platform q = p.is_host() ? project::host_platform() : p;
  oci::Platform o;
  o.os = q.os;
  o.architecture = q.architecture;
  // arm64 has one variant, v8: asking for none reads better in messages and matches it.
  o.variant = (q.architecture == "arm64" && q.variant == "v8") ? "" : q.variant;
  return o;
}

// Stages a base layer, verified; a damaged cached copy is dropped and fetched again once,
// with one notice. A damaged blob of a local layout has no other copy: an error.
void place_base_layer(BaseImage& base, const StagedLayout& layout, const oci::Descriptor& layer,
                      std::vector<std::string>& notices, const std::string& payload) {
  try {
    layout.place(base.blob_file(layer), layer);
    return;
  } catch (const oci::BlobDigestMismatch& e) {
    if (!base.discard_blob(layer))
      throw Error("base image " + base.name() + ": " + e.what() +
                  "; the layout is damaged or was altered");
    notices.push_back(payload + ": cached base layer " + layer.digest.str() + " was damaged (" +
                      e.what() + "): dropped and fetched again");
  }
  layout.place(base.blob_file(layer), layer);
}

// A layer built before, staged from the cache after checking it; a damaged one is dropped
// (one notice) and nullopt tells the caller to build it again.
std::optional<LayerBlob> reuse_built_layer(const BuiltLayerCache& cache, const std::string& recipe,
                                           const StagedLayout& layout,
                                           std::vector<std::string>& notices,
                                           const std::string& payload) {
  std::optional<LayerBlob> blob = cache.find(recipe);
  if (!blob) return std::nullopt;
  const fs::path file = cache.blob_file(*blob);
  try {
    layout.place(file, oci::Descriptor::of(oci::media::kOciLayerGzip, blob->digest, blob->size));
    return blob;
  } catch (const oci::BlobDigestMismatch& e) {
    std::error_code ec;
    fs::remove(file, ec);
    notices.push_back(payload + ": cached layer " + blob->digest.str() + " was damaged (" +
                      e.what() + "): dropped and built again");
    return std::nullopt;
  }
}

}  // namespace

fs::path default_cache_dir() {
  const char* xdg = std::getenv("XDG_CACHE_HOME");
  if (xdg && *xdg) return fs::path(xdg) / "lava-docker";
  const char* home = std::getenv("HOME");
  if (!home || !*home)
    throw Error("cannot find a cache directory: neither XDG_CACHE_HOME nor HOME is set");
  return fs::path(home) / ".cache" / "lava-docker";
}

BaseImageOptions base_image_options(const project::Project& project, const fs::path& cache,
                                    bool refresh) {
  BaseImageOptions o;
  o.relative_to = project.root;
  o.blob_cache = cache / "blobs";
  o.scheme_hints = cache / "registry-schemes";
  o.tag_cache = cache / "base-tags";
  o.refresh = refresh;
  o.insecure_registry = project.config.insecure_registry;
  return o;
}

NativeResult build_payload(const project::Project& project, const project::Payload& payload,
                           const fs::path& context_dir, const NativeOptions& options) {
  NativeResult result;
  const auto& config = project.config;
  if (config.os_upgrade)
    result.notices.push_back(payload.name +
                             ": docker.os_upgrade is on, but the native engine cannot run the base "
                             "image's package manager: " +
                             config.base_img +
                             " is used as it is (build with --engine "
                             "docker to upgrade OS packages, or set docker.os_upgrade: false in " +
                             config.file.string() + ")");
  if (!fs::is_directory(context_dir))
    throw Error(payload.name + ": build context " + context_dir.string() + " is not a directory");

  const fs::path cache = options.cache_dir.empty() ? default_cache_dir() : options.cache_dir;
  const fs::path blob_cache = cache / "blobs";
  BuiltLayerCache layer_cache(cache / "native" / "layers", blob_cache);
  const int64_t epoch =
      options.source_date_epoch ? *options.source_date_epoch : source_date_epoch(project.root);
  LayerWriteOptions write_options{epoch, options.gzip_level, options.threads};
  const std::string python = host_python(options);

  GitInfo git = git_info(project.root);
  Provenance provenance;
  provenance.created = epoch;
  provenance.source = git.remote;
  provenance.revision = git.revision;
  provenance.title = payload.name;
  provenance.builder = std::string("lava-docker ") + LAVA_DOCKER_VERSION + " (native engine)";
  provenance.base_name = config.base_img;

  BaseImageOptions base_options = base_image_options(project, cache, options.pull);
  base_options.on_fetch = options.base_download;
  std::unique_ptr<BaseImage> base = open_base_image(config.base_img, base_options);
  std::string answer;
  if (auto when = base->answered_at())
    answer = " (tag resolved " + age_of(*when) + " and cached; --pull asks the registry again)";
  say(options, payload.name + ": base image " + config.base_img + " " +
                   short_digest(base->digest()) + answer);

  // Every platform's base first: a missing one fails the build before any work.
  struct Target {
    std::string shown;  // "linux/arm64"
    oci::Platform wanted;
    BaseManifest base;
  };
  std::vector<Target> targets;
  for (const auto& p : config.platforms.platforms) {
    oci::Platform wanted = wanted_platform(p);
    try {
      targets.push_back({p.is_host() ? project::host_platform().str() : p.str(), wanted,
                         base->manifest_for(wanted)});
    } catch (const oci::PlatformMissing& e) {
      throw Error(payload.name + ": " + e.what() + "; choose a base image with " + wanted.str() +
                  " or change docker.platform in " + config.file.string());
    } catch (const Error& e) {
      throw Error(payload.name + ": " + e.what());
    }
  }

  fs::create_directories(project.dist.payloads_dir());
  const std::string tmp_prefix = "." + payload.name + ".oci.tmp-";
  remove_stale_temps(project.dist.payloads_dir(), tmp_prefix);
  TempDir tmp{project.dist.payloads_dir() / (tmp_prefix + std::to_string(::getpid()))};
  fs::remove_all(tmp.path);
  StagedLayout layout(tmp.path);

  // The payload layer is the same for every platform: written once, straight into the layout.
  std::vector<oci::LayerEntry> payload_entries{oci::LayerEntry::directory("lava")};
  add_tree(payload_entries, context_dir, "lava");
  say(options, payload.name + ": payload layer (" + std::to_string(payload_entries.size() - 1) +
                   " files and directories)");
  LayerWriteOptions staged_options = write_options;
  staged_options.durable = false;
  LayerBlob payload_layer =
      write_layer(std::move(payload_entries), layout.blobs_root(), staged_options);
  ++result.layers_built;

  const auto requirements = requirement_files(context_dir);
  const fs::path req = context_dir / "requirements.txt";
  const fs::path req_nodeps = context_dir / "requirements-nodeps.txt";
  const bool want_deps = non_empty_file(req);
  const bool want_nodeps = non_empty_file(req_nodeps);

  // Per platform: base blobs, base facts, the users layer, and what pip has to do.
  struct PipPlan {
    PipTarget target;
    std::string recipe;
    BaseFacts facts;
    std::optional<LayerBlob> blob;  // from the cache, or once built
  };
  struct Plan {
    std::vector<AddedLayer> added;
    std::optional<PipPlan> pip;
  };
  std::vector<Plan> plans(targets.size());
  for (size_t i = 0; i < targets.size(); ++i) {
    const auto& [platform, wanted, bm] = targets[i];
    Plan& plan = plans[i];
    say(options, platform + ": base " + short_digest(bm.descriptor.digest));
    for (const auto& layer : bm.manifest.layers)
      place_base_layer(*base, layout, layer, result.notices, payload.name);
    BaseFacts facts = facts_for(*base, bm, cache, platform, options, [&](const oci::Descriptor& d) {
      return layout.blob_path(d.digest);
    });

    // 1. users
    if (auto entries = passwd_entries(facts)) {
      nlohmann::json recipe = {{"layer", "passwd"},
                               {"format", kLayerFormat},
                               {"mtime", epoch},
                               {"level", options.gzip_level},
                               {"entries", entries_recipe(*entries)}};
      std::optional<LayerBlob> blob;
      if (!options.force)
        blob = reuse_built_layer(layer_cache, recipe.dump(), layout, result.notices, payload.name);
      if (blob) {
        ++result.layers_reused;
      } else {
        blob = write_layer(std::move(*entries), blob_cache, write_options);
        layer_cache.remember(recipe.dump(), *blob);
        ++result.layers_built;
        layout.place_fresh(layer_cache.blob_file(*blob), blob->digest);
      }
      plan.added.push_back(
          {*blob,
           "RUN groupadd -g 99999 lava && useradd -u 99999 -g 99999 -d /lava -M "
           "-s /bin/sh lava # lava-docker native: /etc/passwd and /etc/group edited"});
    }

    // 2. requirements: planned here, installed below for every platform at once
    if (want_deps || want_nodeps) {
      std::string which = want_deps ? "requirements.txt" : "requirements-nodeps.txt";
      if (!facts.python)
        throw Error(payload.name + ": base image " + config.base_img + " (" + platform +
                    ") has no python3 on its PATH, so the native engine cannot install " + which +
                    "; build with --engine docker or choose a base image with python3");
      if (facts.libc.kind == LibcInfo::Kind::kUnknown)
        throw Error(payload.name + ": base image " + config.base_img + " (" + platform +
                    "): cannot tell its C library (no glibc libc.so.6 or musl loader found), so "
                    "the native engine cannot choose wheels for it; build with --engine docker");
      PipPlan job;
      job.target.platform = platform;
      job.target.python_version = facts.python->version;
      job.target.abi = cpython_abi(facts.python->version);
      const std::string machine = wheel_machine(wanted.architecture, bm.config.platform().variant);
      job.target.platform_tags = wheel_platform_tags(facts.libc, machine);
      job.target.libc = facts.libc.str();
      job.target.scheme = install_scheme_for(*facts.python);
      job.target.markers = marker_environment(*facts.python, machine);
      nlohmann::json files = nlohmann::json::object();
      for (const auto& [name, path] : requirements) files[name] = read_file(path);
      job.recipe = nlohmann::json{
          {"layer", "pip"},
          {"format", kLayerFormat},
          {"mtime", epoch},
          {"level", options.gzip_level},
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
          {"pip_env", pip_environment_hash(options.pip_env)},
          {"host_python",
           python}}.dump();
      if (!options.force)
        job.blob = reuse_built_layer(layer_cache, job.recipe, layout, result.notices, payload.name);
      if (job.blob) {
        ++result.layers_reused;
        say(options, platform + ": requirements layer from the cache");
      } else {
        say(options,
            platform + ": pip installing " + std::string(want_deps ? "requirements.txt" : "") +
                (want_deps && want_nodeps ? " and " : "") +
                (want_nodeps ? "requirements-nodeps.txt" : "") + " (" + job.target.abi + ", " +
                job.target.platform_tags.front() + ") into " + facts.python->site_dir);
      }
      job.facts = std::move(facts);
      plan.pip = std::move(job);
    }
  }

  // pip for every platform in one go: one interpreter runs every install, as its start-up
  // costs more than a small install.
  std::vector<PipJob> jobs;
  std::vector<std::pair<PipPlan*, fs::path>> staged;  // job of a platform, its staging dir
  std::optional<TempDir> pip_work;
  for (auto& plan : plans) {
    if (!plan.pip || plan.pip->blob) continue;
    if (!pip_work) {
      pip_work.emplace(cache / "native" / "tmp" / ("pip-" + random_suffix()));
      fs::create_directories(pip_work->path / "work");
      for (const auto& [name, path] : requirements)
        fs::copy_file(path, pip_work->path / "work" / name);
    }
    fs::path staging = pip_work->path / ("staging-" + std::to_string(staged.size()));
    auto more = pip_jobs_for(
        plan.pip->target, want_deps ? pip_work->path / "work" / "requirements.txt" : fs::path(),
        want_nodeps ? pip_work->path / "work" / "requirements-nodeps.txt" : fs::path(), staging);
    jobs.insert(jobs.end(), more.begin(), more.end());
    staged.emplace_back(&*plan.pip, staging);
  }
  if (!jobs.empty()) {
    PipRun run;
    run.host_python = python;
    run.cache_dir = cache / "pip";
    run.env = options.pip_env;
    run.payload = payload.name;
    // pip's own lines go to a log of this payload's last install, not to the terminal: a
    // failure is one line naming the log.
    const fs::path log_file = cache / "native" / "logs" / (payload.name + "-pip.log");
    fs::create_directories(log_file.parent_path());
    std::ofstream log(log_file, std::ios::trunc);
    run.log_file = log_file.string();
    const bool several = targets.size() > 1;
    run.on_line = [&](const PipJob& job, const std::string& line) {
      log << (several ? job.target.platform + ": " + line : line) << "\n";
      log.flush();
    };
    say(options, payload.name + ": pip's output: " + log_file.string());
    PipOutcome pip_outcome = run_pip_jobs(jobs, run);
    std::set<std::string> uncompiled;
    for (size_t n : pip_outcome.not_compiled) uncompiled.insert(jobs[n].target.platform);
    for (const auto& platform : uncompiled) {
      const PipTarget* t = nullptr;
      for (const auto& j : jobs)
        if (j.target.platform == platform) t = &j.target;
      result.notices.push_back(payload.name + ": " + platform +
                               ": no .pyc files in the image: " + "the build host's " + python +
                               " is Python " + pip_outcome.host_version + ", the base image's is " +
                               t->python_version + " (set LAVA_PYTHON to a Python " +
                               t->python_version + " with pip to have them)");
    }
    for (auto& [job, staging] : staged) {
      job->blob =
          write_layer(pip_layer_entries(staging, job->facts, python), blob_cache, write_options);
      layer_cache.remember(job->recipe, *job->blob);
      ++result.layers_built;
    }
  }

  oci::Index index;
  for (size_t i = 0; i < targets.size(); ++i) {
    const auto& [platform, wanted, bm] = targets[i];
    Plan& plan = plans[i];
    if (plan.pip) {
      const PipPlan& job = *plan.pip;
      layout.place_fresh(layer_cache.blob_file(*job.blob), job.blob->digest);  // or reused
      std::string cmd;
      if (want_deps) cmd += "pip install -r requirements.txt";
      if (want_nodeps)
        cmd += std::string(cmd.empty() ? "" : " && ") +
               "pip install --no-deps -r requirements-nodeps.txt";
      plan.added.push_back({*job.blob, "RUN " + cmd + " # lava-docker native: wheels for " +
                                           platform + " (" + job.target.abi + ", " +
                                           job.target.libc + ") into " +
                                           job.facts.python->site_dir});
    }

    // 3. the payload
    plan.added.push_back({payload_layer, "COPY . /lava/"});

    std::string config_json = image_config_json(bm.config, plan.added, provenance);
    oci::Descriptor config_desc = layout.write_blob(config_json, oci::media::kOciConfig);
    oci::Manifest manifest =
        image_manifest(bm.manifest, bm.descriptor, plan.added, config_desc, provenance);
    oci::Descriptor manifest_desc = layout.write_blob(manifest.to_json(), oci::media::kOciManifest);
    manifest_desc.platform =
        bm.descriptor.platform ? *bm.descriptor.platform : bm.config.platform();
    index.manifests.push_back(manifest_desc);
    result.images.push_back({platform, manifest_desc});
    say(options, platform + ": image " + manifest_desc.digest.str());
  }

  oci::Descriptor index_desc = layout.write_blob(index.to_json(), oci::media::kOciIndex);
  layout.set_root(index_desc, "latest");
  const fs::path final_dir = project.dist.oci_layout(payload.name);
  if (options.before_commit) options.before_commit();
  replace_directory(tmp.path, final_dir);  // the old layout is left at tmp.path
  result.index_digest = index_desc.digest;
  result.base_digest = base->digest();
  result.layout = final_dir;
  return result;
}

}  // namespace lava::native
