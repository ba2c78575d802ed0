#include "native/native_build.h"

#include <unistd.h>

#include <cstdlib>

#include "native/build_session.h"
#include "native/image_assembly.h"
#include "native/layer_writer.h"
#include "native/platform_plan.h"
#include "native/requirements_install.h"
#include "native/staged_layout.h"
#include "oci/layer_entry.h"
#include "oci/media_types.h"
#include "util/error.h"
#include "util/file_io.h"
#include "util/temp_dir.h"

namespace lava::native {

namespace fs = std::filesystem;

namespace {

// The payload layer is the same for every platform: written once, straight into the layout.
LayerBlob write_payload_layer(BuildSession& s, const fs::path& context_dir,
                              const StagedLayout& layout) {
  std::vector<oci::LayerEntry> entries{oci::LayerEntry::directory("lava")};
  add_tree(entries, context_dir, "lava");
  s.say(s.name() + ": payload layer (" + std::to_string(entries.size() - 1) +
        " files and directories)");
  LayerWriteOptions staged = s.write_options;
  staged.durable = false;
  LayerBlob blob = write_layer(std::move(entries), layout.blobs_root(), staged);
  ++s.result.layers_built;
  return blob;
}

// The requirements layer staged and named in the history as the default Dockerfile's RUN.
void add_requirements_layer(const BuildSession& s, PlatformPlan& plan,
                            const RequirementFiles& requirements, const StagedLayout& layout) {
  const PipPlan& job = *plan.pip;
  layout.place_fresh(s.layer_cache.blob_file(*job.blob), job.blob->digest);  // or reused
  std::string cmd;
  if (!requirements.deps.empty()) cmd += "pip install -r requirements.txt";
  if (!requirements.nodeps.empty())
    cmd +=
        std::string(cmd.empty() ? "" : " && ") + "pip install --no-deps -r requirements-nodeps.txt";
  plan.added.push_back({*job.blob, "RUN " + cmd + " # lava-docker native: wheels for " +
                                       plan.target->shown + " (" + job.target.abi + ", " +
                                       job.target.libc + ") into " + job.facts.python->site_dir});
}

// One platform's config and manifest, written into the layout.
oci::Descriptor write_platform_image(BuildSession& s, const PlatformPlan& plan,
                                     const StagedLayout& layout) {
  const BaseManifest& bm = plan.target->base;
  std::string config_json = image_config_json(bm.config, plan.added, s.provenance);
  oci::Descriptor config_desc = layout.write_blob(config_json, oci::media::kOciConfig);
  oci::Manifest manifest =
      image_manifest(bm.manifest, bm.descriptor, plan.added, config_desc, s.provenance);
  oci::Descriptor manifest_desc = layout.write_blob(manifest.to_json(), oci::media::kOciManifest);
  manifest_desc.platform = bm.descriptor.platform ? *bm.descriptor.platform : bm.config.platform();
  s.result.images.push_back({plan.target->shown, manifest_desc});
  s.say(plan.target->shown + ": image " + manifest_desc.digest.str());
  return manifest_desc;
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
  BuildSession s = open_session(project, payload, context_dir, options, result);

  fs::create_directories(project.dist.payloads_dir());
  const std::string tmp_prefix = "." + payload.name + ".oci.tmp-";
  remove_stale_temps(project.dist.payloads_dir(), tmp_prefix);
  TempDir tmp{project.dist.payloads_dir() / (tmp_prefix + std::to_string(::getpid()))};
  fs::remove_all(tmp.path);
  const fs::path final_dir = project.dist.oci_layout(payload.name);
  StagedLayout layout(tmp.path, options.force ? std::nullopt : std::optional<fs::path>(final_dir));

  const LayerBlob payload_layer = write_payload_layer(s, context_dir, layout);
  const RequirementFiles requirements = find_requirements(context_dir);
  // Per platform: base blobs, base facts, the users layer, and what pip has to do; then
  // pip (and the byte-compiling) for every platform at once.
  std::vector<PlatformPlan> plans;
  for (const auto& target : s.targets)
    plans.push_back(plan_platform(s, target, requirements, layout));
  install_requirements(s, plans, requirements, layout);

  oci::Index index;
  for (auto& plan : plans) {
    if (plan.pip) add_requirements_layer(s, plan, requirements, layout);
    plan.added.push_back({payload_layer, "COPY . /lava/"});
    index.manifests.push_back(write_platform_image(s, plan, layout));
  }
  oci::Descriptor index_desc = layout.write_blob(index.to_json(), oci::media::kOciIndex);
  layout.set_root(index_desc, "latest");
  if (options.before_commit) options.before_commit();
  replace_directory(tmp.path, final_dir);  // the old layout is left at tmp.path
  result.index_digest = index_desc.digest;
  result.base_digest = s.base->digest();
  result.layout = final_dir;
  return result;
}

}  // namespace lava::native
