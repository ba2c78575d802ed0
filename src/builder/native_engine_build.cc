#include "builder/native_engine_build.h"

#include <unistd.h>

#include <cstdlib>
#include <map>

#include "builder/build_state.h"
#include "builder/docker_build.h"
#include "context/build_context.h"
#include "context/input_stamp.h"
#include "native/native_build.h"
#include "oci/layout.h"
#include "util/error.h"
#include "util/redact.h"
#include "util/sha256.h"
#include "util/temp_dir.h"

namespace lava::builder {

namespace fs = std::filesystem;

namespace {

std::string env_or_empty(const char* name) {
  const char* v = std::getenv(name);
  return v ? v : "";
}

// Everything besides the payload's files that changes what the native engine makes.
// Secrets go in hashed: the state file must not hold PIP_INDEX_URL's credentials.
std::vector<std::string> native_stamp_extras(const project::Project& project,
                                             const std::map<std::string, std::string>& pip_env) {
  std::vector<std::string> extra{"engine=native", "base=" + project.config.base_img};
  for (const auto& p : project.config.platforms.platforms) extra.push_back("platform=" + p.str());
  for (const char* name : {"PIP_INDEX_URL", "PIP_EXTRA_INDEX_URL", "SOURCE_DATE_EPOCH"}) {
    auto given = pip_env.find(name);
    const std::string value = given != pip_env.end() ? given->second : env_or_empty(name);
    extra.push_back(std::string("env=") + name + "=" + sha256_hex(value));
  }
  return extra;
}

bool layout_holds(const project::Project& project, const project::Payload& payload,
                  const BuildState& state) {
  const fs::path dir = project.dist.oci_layout(payload.name);
  if (!fs::exists(dir / "oci-layout") || !fs::exists(project.dist.image_id_file(payload.name)))
    return false;
  try {
    auto layout = oci::Layout::open(dir);
    return layout.root().digest.str() == state.index_digest;
  } catch (const Error&) {
    return false;  // unreadable: rebuild
  }
}

// The Dockerfile's build arguments mean nothing to the native engine except the two the
// default Dockerfile reads: PIP_INDEX_URL given with --build-arg reaches pip, and the
// others (like --network) are silently for the payloads Docker builds, which `auto` mixes.
std::map<std::string, std::string> pip_env_of(const BuildRequest& request) {
  std::map<std::string, std::string> env;
  for (const auto& [k, v] : request.build_args) {
    if (k != "PIP_INDEX_URL") continue;
    add_secret(v);
    env[k] = v;
  }
  return env;
}

// The native engine's progress lines start with the payload's name already.
std::string without_payload_prefix(const std::string& line, const std::string& payload) {
  const std::string prefix = payload + ": ";
  return line.rfind(prefix, 0) == 0 ? line.substr(prefix.size()) : line;
}

}  // namespace

BuildOutcome build_with_native(const project::Project& project, const project::Payload& payload,
                               const BuildRequest& request, const BuildReporter& reporter,
                               const fs::path& cache_dir) {
  BuildOutcome outcome;
  outcome.payload = payload.name;
  const auto pip_env = pip_env_of(request);
  if (const char* pip = std::getenv("PIP_INDEX_URL"); pip != nullptr && *pip != '\0')
    add_secret(pip);
  const std::string stamp =
      context::input_stamp(project, payload, native_stamp_extras(project, pip_env));
  const fs::path cache = cache_dir.empty() ? native::default_cache_dir() : cache_dir;

  // What the base name resolves to now: asked of the registry with --pull (the answer is
  // cached, so the build below does not ask again), else known locally or not at all.
  std::optional<oci::Digest> base_now;
  try {
    base_now = native::known_base_digest(project.config.base_img,
                                         native::base_image_options(project, cache, request.pull));
  } catch (const Error& e) {
    throw Error(payload.name + ": " + e.what());
  }

  if (!request.force) {
    auto previous = read_build_state(project.dist, payload.name);
    if (previous && previous->engine == "native" && previous->stamp == stamp &&
        (!base_now || previous->base_digest == base_now->str()) &&
        layout_holds(project, payload, *previous)) {
      for (const auto& img : previous->images)
        outcome.summary.push_back(img.platform + " " + img.image_id);
      return outcome;
    }
  }

  fs::create_directories(project.dist.payloads_dir());
  TempDir tmp{project.dist.payloads_dir() /
              ("." + payload.name + ".context-" + std::to_string(::getpid()))};
  fs::remove_all(tmp.path);
  auto ctx = context::prepare_context(project, payload, tmp.path);
  if (reporter.warning)
    for (const auto& w : ctx.warnings) reporter.warning(w);
  // What the Docker engine would leave out of `COPY . /lava` (.dockerignore naming the
  // Dockerfile or itself) stays out of the native image too.
  for (const auto& name : ctx.not_in_image) fs::remove_all(tmp.path / name);

  // Only a base the caches cannot answer for needs the registry: load libcurl meanwhile.
  if (!base_now && request.network_ahead) request.network_ahead();

  native::NativeOptions options;
  options.force = request.force;
  options.cache_dir = cache;
  options.pip_env = pip_env;
  if (reporter.step)
    options.progress = [&](const std::string& line) {
      reporter.step(payload.name, without_payload_prefix(line, payload.name));
    };
  if (reporter.output)
    options.output = [&](const std::string& line) {
      reporter.output(payload.name, without_payload_prefix(line, payload.name));
    };
  if (reporter.base_download)
    options.base_download = [&](const registry::BlobFetchEvent& e) {
      reporter.base_download(payload.name, e);
    };
  options.before_commit = [&] {
    std::error_code ec;
    fs::remove(project.dist.image_id_file(payload.name), ec);
  };
  native::NativeResult result;
  try {
    result = native::build_payload(project, payload, tmp.path, options);
  } catch (const Error& e) {
    std::string what = e.what();
    // build_payload's errors mostly name the payload already.
    throw Error(what.rfind(payload.name + ":", 0) == 0 ? what : payload.name + ": " + what);
  }
  if (reporter.notice)
    for (const auto& n : result.notices) reporter.notice(n);

  BuildState state;
  state.engine = "native";
  state.stamp = stamp;
  state.index_digest = result.index_digest.str();
  state.base_digest = result.base_digest.str();
  const auto& platforms = project.config.platforms.platforms;
  if (result.images.size() != platforms.size())
    throw Error(payload.name + ": the native engine built " + std::to_string(result.images.size()) +
                " images for " + std::to_string(platforms.size()) + " platforms");
  auto layout = oci::Layout::open(result.layout);
  for (size_t i = 0; i < platforms.size(); ++i) {
    // The config digest is the image id the Docker engine gives the image once loaded.
    auto manifest = layout.read_manifest(result.images[i].manifest);
    state.images.push_back({platforms[i].is_host() ? "host" : platforms[i].str(),
                            local_tag(project, payload, platforms[i]),
                            manifest.config.digest.str()});
  }
  write_build_state(project.dist, payload.name, state);
  outcome.rebuilt = true;
  for (const auto& img : state.images) outcome.summary.push_back(img.platform + " " + img.image_id);
  return outcome;
}

}  // namespace lava::builder
