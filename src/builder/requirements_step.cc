#include "builder/requirements_step.h"

#include <algorithm>
#include <chrono>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <utility>
#include <vector>

#include "docker/docker_stream.h"
#include "docker/image_builder.h"
#include "oci/layer_entry.h"
#include "oci/tar_stream.h"
#include "run/container_runner.h"
#include "util/cancellation.h"
#include "util/error.h"
#include "util/process_owner.h"
#include "util/redact.h"

namespace lava::builder {

namespace fs = std::filesystem;

namespace {

// The volume holding the step's inputs, the requirement files' directory as the stage had it.
constexpr const char* kInputDir = "/tmp/lava-requirements";
constexpr const char* kIndexUrlFile = ".index-url";

// What the Dockerfile's requirements stage ran, with the index URL read from the volume. An
// index URL the base image's own environment sets wins, as an ENV wins over an ARG in a
// build; the file is gone before pip starts.
constexpr std::string_view kScript = R"sh(set -e
cd /tmp/lava-requirements
if [ -f .index-url ]; then
  if [ -z "${PIP_INDEX_URL:-}" ]; then PIP_INDEX_URL="$(cat .index-url)"; export PIP_INDEX_URL; fi
  rm -f .index-url 2>/dev/null || true
fi
if [ -z "${PIP_INDEX_URL:-}" ]; then unset PIP_INDEX_URL; fi
export PIP_BREAK_SYSTEM_PACKAGES=1 PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_ROOT_USER_ACTION=ignore
# /lava itself comes from here, so the main build's COPY of /lava-root is never empty (the
# classic builder fails on an empty COPY layer followed by another COPY).
mkdir -p /lava-root/lava
if [ -s requirements.txt ]; then
  python3 -m pip --no-cache-dir install --root /lava-root --upgrade -r requirements.txt
fi
if [ -s requirements-nodeps.txt ]; then
  python3 -m pip --no-cache-dir install --root /lava-root --upgrade --no-deps -r requirements-nodeps.txt
fi
chmod -R a+rX /lava-root
)sh";

// A RUN has no deadline; neither has the step (Ctrl-C still stops it).
constexpr std::chrono::hours kNoDeadline{24 * 365 * 10};

// The tar copied into the volume: the requirement files the context holds and the URL.
std::string input_tar(const fs::path& context_dir, const std::string& index_url) {
  const std::string dir = std::string(kInputDir).substr(1) + "/";
  std::vector<oci::LayerEntry> entries;
  for (const char* name : {"requirements.txt", "requirements-nodeps.txt"}) {
    const fs::path file = context_dir / name;
    if (fs::is_regular_file(file))
      entries.push_back(oci::LayerEntry::file_from(dir + name, file, 0644));
  }
  if (!index_url.empty())
    entries.push_back(oci::LayerEntry::inline_file(dir + kIndexUrlFile, index_url, 0644));
  std::string tar;
  oci::write_tar(std::move(entries), 0, [&](const char* data, size_t n) { tar.append(data, n); });
  return tar;
}

// pip's output as lines, per stream, remembering the last one for the error message.
class StepOutput {
 public:
  explicit StepOutput(const std::function<void(const std::string&)>& sink)
      : sink_(sink),
        out_([this](std::string_view l) { line(l); }),
        err_([this](std::string_view l) { line(l); }) {}
  void feed(docker::OutputStream stream, std::string_view bytes) {
    (stream == docker::OutputStream::kStderr ? err_ : out_).feed(bytes);
  }
  void finish() {
    out_.finish();
    err_.finish();
  }
  std::string last_line() {
    std::lock_guard lock(mu_);
    return last_;
  }

 private:
  void line(std::string_view text) {
    std::string shown = redact(text);
    {
      std::lock_guard lock(mu_);
      if (shown.find_first_not_of(" \t") != std::string::npos) last_ = shown;
    }
    if (sink_) sink_(shown);
  }
  const std::function<void(const std::string&)>& sink_;
  docker::LineSplitter out_, err_;
  std::mutex mu_;
  std::string last_;
};

}  // namespace

std::string_view requirements_step_script() {
  return kScript;
}

int sweep_abandoned_requirements_steps(docker::DockerClient& docker) {
  const std::string label = std::string(kRequirementsStepLabel) + "=" + kRequirementsStepLabelValue;
  auto abandoned = [](const std::map<std::string, std::string>& labels) {
    auto owner = labels.find(kRequirementsStepOwnerLabel);
    return owner != labels.end() && owner_tag_gone(owner->second);
  };
  // A committed step is untagged; older engines list that as "<none>:<none>".
  auto untagged = [](const std::vector<std::string>& tags) {
    return std::all_of(tags.begin(), tags.end(),
                       [](const std::string& t) { return t == "<none>:<none>"; });
  };
  int removed = 0;
  // Containers first: an image a container still uses cannot be removed.
  for (const auto& c : docker.list_containers(label))
    if (abandoned(c.labels) && docker.remove_container(c.id)) ++removed;
  for (const auto& image : docker.list_images({}, label))
    if (abandoned(image.labels) && untagged(image.repo_tags) && docker.remove_image(image.id))
      ++removed;
  return removed;
}

RequirementsStepResult run_requirements_step(docker::DockerClient& docker,
                                             const RequirementsStepRequest& r) {
  throw_if_cancelled();
  sweep_abandoned_requirements_steps(docker);
  docker.pull(r.base_image, r.platform);
  throw_if_cancelled();

  docker::ContainerSpec spec;
  spec.image = r.base_image;
  spec.platform = r.platform;
  spec.cmd = std::vector<std::string>{"/bin/sh", "-c", std::string(kScript)};
  spec.network_mode = r.network_mode;
  spec.labels[kRequirementsStepLabel] = kRequirementsStepLabelValue;
  spec.labels[kRequirementsStepOwnerLabel] = this_process_owner_tag();
  spec.extra_config["Entrypoint"] = nlohmann::json::array();  // a RUN ignores ENTRYPOINT too
  spec.extra_config["Volumes"] = {{kInputDir, nlohmann::json::object()}};

  RequirementsStepResult result;
  const std::string inputs = input_tar(r.context_dir, r.index_url);
  StepOutput output(r.on_output);
  run::ContainerHooks hooks;
  hooks.before_start = [&](const std::string& id) {
    // The base image the container runs, by id: the main build starts from the same one
    // even if another build moves the tag meanwhile.
    auto container = docker.inspect_container(id);
    if (container && container->contains("Image") && (*container)["Image"].is_string())
      result.base_image_id = (*container)["Image"].get<std::string>();
    auto image =
        result.base_image_id.empty() ? std::nullopt : docker.inspect_image(result.base_image_id);
    if (!image)
      throw Error("the Docker engine lost the base image " + r.base_image + " it just pulled");
    if (!r.platform.empty())
      docker::require_platform({image->platform()}, r.base_image, r.platform);
    docker.put_archive(id, "/", inputs);
  };
  hooks.after_exit = [&](const std::string& id, int64_t status) {
    if (status == 0) result.image_id = docker.commit_container(id);
  };
  auto outcome = run::run_container(
      docker, spec, kNoDeadline,
      [&](docker::OutputStream stream, std::string_view bytes) { output.feed(stream, bytes); },
      &cancel_flag(), std::chrono::seconds(10), std::chrono::seconds(2), hooks);
  output.finish();
  if (outcome.stop_signal != 0) throw Cancelled(outcome.stop_signal);
  if (outcome.exit_status != 0 || result.image_id.empty()) {
    const std::string last = output.last_line();
    throw Error("installing the requirements (pip in a container from " + r.base_image +
                ") failed with exit status " + std::to_string(outcome.exit_status) +
                (last.empty() ? std::string() : ": " + last));
  }
  return result;
}

}  // namespace lava::builder
