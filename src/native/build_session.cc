#include "native/build_session.h"

#include <algorithm>
#include <cstdlib>
#include <ctime>

#include "native/provenance.h"
#include "oci/platform_missing.h"
#include "util/error.h"
#include "util/redact.h"
#include "version.h"

namespace lava::native {

namespace fs = std::filesystem;

namespace {

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

oci::Platform wanted_platform(const project::Platform& p) {
  project::Platform q = p.is_host() ? project::host_platform() : p;
  oci::Platform o;
  o.os = q.os;
  o.architecture = q.architecture;
  // arm64 has one variant, v8: asking for none reads better in messages and matches it.
  o.variant = (q.architecture == "arm64" && q.variant == "v8") ? "" : q.variant;
  return o;
}

}  // namespace

std::string host_python(const NativeOptions& options) {
  if (!options.python.empty()) return options.python;
  const char* env = std::getenv("LAVA_PYTHON");
  if (env && *env) return env;
  std::error_code ec;
  if (fs::exists("/usr/bin/python3", ec)) return "/usr/bin/python3";
  return "python3";
}

std::string short_digest(const oci::Digest& d) {
  return d.str().substr(0, 19);
}

void BuildSession::say(const std::string& line) const {
  if (options.progress) options.progress(redact(line));
}

BuildSession open_session(const project::Project& project, const project::Payload& payload,
                          const fs::path& context_dir, const NativeOptions& options,
                          NativeResult& result) {
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
  const int64_t epoch =
      options.source_date_epoch ? *options.source_date_epoch : source_date_epoch(project.root);
  BuildSession s{project,
                 payload,
                 options,
                 result,
                 cache,
                 cache / "blobs",
                 BuiltLayerCache(cache / "native" / "layers", cache / "blobs"),
                 epoch,
                 LayerWriteOptions{epoch, options.gzip_level, options.threads},
                 host_python(options),
                 {},
                 nullptr,
                 {}};

  GitInfo git = git_info(project.root);
  s.provenance.created = epoch;
  s.provenance.source = git.remote;
  s.provenance.revision = git.revision;
  s.provenance.title = payload.name;
  s.provenance.builder = std::string("lava-docker ") + LAVA_DOCKER_VERSION + " (native engine)";
  s.provenance.base_name = config.base_img;

  BaseImageOptions base_options = base_image_options(project, cache, options.pull);
  base_options.on_fetch = options.base_download;
  s.base = open_base_image(config.base_img, base_options);
  std::string answer;
  if (auto when = s.base->answered_at())
    answer = " (tag resolved " + age_of(*when) + " and cached; --pull asks the registry again)";
  s.say(payload.name + ": base image " + config.base_img + " " + short_digest(s.base->digest()) +
        answer);

  // Every platform's base first: a missing one fails the build before any work.
  for (const auto& p : config.platforms.platforms) {
    oci::Platform wanted = wanted_platform(p);
    try {
      s.targets.push_back({p.is_host() ? project::host_platform().str() : p.str(), wanted,
                           s.base->manifest_for(wanted)});
    } catch (const oci::PlatformMissing& e) {
      throw Error(payload.name + ": " + e.what() + "; choose a base image with " + wanted.str() +
                  " or change docker.platform in " + config.file.string());
    } catch (const Error& e) {
      throw Error(payload.name + ": " + e.what());
    }
  }
  return s;
}

}  // namespace lava::native
