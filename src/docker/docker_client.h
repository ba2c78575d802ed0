// A client of the Docker Engine API (v1.41, or the engine's own version when older),
// spoken over DOCKER_HOST with libcurl; no docker CLI involved.
//
// How the build command uses it:
//
//   lava::docker::DockerClient docker;            // DOCKER_HOST etc. from the environment;
//                                                 // first call pings; an engine that cannot
//                                                 // be reached is one lava::Error saying how
//                                                 // to start one or set DOCKER_HOST
//   // 1. Does the base offer the platform? (asks the base's registry through the engine)
//   auto dist = docker.distribution_inspect("127.0.0.1:5000/base:latest");
//   if (!dist.offers("linux/arm64")) throw ...;   // dist.platforms lists what it has
//
//   // 2. Build from a directory. pull=true makes the engine fetch the base for the
//   //    requested platform instead of reusing a local image of another architecture.
//   BuildOptions b;
//   b.context_dir = dir;                          // streamed as tar, never whole in memory
//   b.extra_files["Dockerfile"] = rendered;       // optional: replaces/adds a file
//   b.tags = {"repo/hello:latest-arm64"};
//   b.build_args = {{"BASE_IMG", base}, {"PIP_INDEX_URL", url}};
//   b.platform = "linux/arm64";  b.pull = true;
//   b.on_event = [](const BuildEvent& e) { ... }; // output lines as they arrive (redacted)
//   BuildResult r = docker.build(b);              // r.image_id = "sha256:..."; a syntax
//                                                 // error or failing RUN throws lava::Error
//                                                 // with the engine's message (redacted)
//
//   // 3. Check what was built.
//   ImageInfo img = *docker.inspect_image(r.image_id);
//   if (img.platform().str() != "linux/arm64") throw ...;
//
//   // 4. Export (docker save format) without holding it in memory.
//   docker.save_images_to_file({"repo/hello:latest-arm64"}, "dist/dev/x.tar");
//
// Steps 1-3 in one: engine/image_builder.h (DockerImageBuilder::base_platforms,
// require_platform, build with pull and the result's platform verified).
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "docker/docker_host.h"
#include "docker/docker_stream.h"
#include "docker/engine_connection.h"

namespace lava::docker {

inline constexpr const char* kPreferredApiVersion = "1.41";
inline constexpr const char* kMinimumApiVersion = "1.32";  // platform on build and pull

// An OCI platform as the engine reports it.
struct ImagePlatform {
  std::string os, architecture, variant;
  // "linux/amd64", "linux/arm64" (arm64's default variant v8 is not shown), "linux/arm/v7".
  std::string str() const;
};

// Credentials for one registry, sent to the engine for pulls (X-Registry-Auth) and for
// builds (X-Registry-Config). Either username/password or identity_token.
struct RegistryAuth {
  std::string username, password, identity_token;
};

// One thing a build, pull or import reports, in order, as it happens. Secrets redacted.
struct BuildEvent {
  enum class Kind {
    kOutput,  // a line of build output ("Step 2/5 : RUN ...", a RUN's own output), no '\n'
    kStatus,  // pull progress: text = status, id = layer, progress = bar text
  };
  Kind kind = Kind::kOutput;
  std::string text;
  std::string id;
  std::string progress;
};
using EventCallback = std::function<void(const BuildEvent&)>;

struct BuildOptions {
  std::filesystem::path context_dir;
  std::map<std::string, std::string> extra_files;  // relative name → content, added to context
  std::string dockerfile = "Dockerfile";           // path inside the context
  std::vector<std::string> tags;                   // "repo/name:tag", several allowed
  std::vector<std::pair<std::string, std::string>> build_args;
  std::map<std::string, std::string> labels;
  std::string platform;      // "linux/amd64"; empty: the engine's default
  std::string network_mode;  // "host", "none", a network name; empty: default
  bool pull = false;         // always fetch FROM images (for `platform`)
  bool no_cache = false;
  bool quiet = false;  // q=1: the engine sends no step output
  EventCallback on_event;
};

struct BuildResult {
  std::string image_id;  // "sha256:<hex>"
};

// What a registry offers for a reference, as GET /distribution/{name}/json reports it.
struct DistributionInfo {
  std::string digest;      // of the manifest or index
  std::string media_type;  // of that descriptor
  std::vector<ImagePlatform> platforms;
  // True when `platform` ("linux/arm64", "linux/arm64/v8", "linux/amd64") is among them.
  bool offers(std::string_view platform) const;
};

struct ImageInfo {
  std::string id;  // "sha256:<hex>"
  std::vector<std::string> repo_tags, repo_digests;
  std::string os, architecture, variant;
  std::string created;
  int64_t size = 0;
  nlohmann::json config;  // Config: Env, Labels, User, WorkingDir, Cmd, Entrypoint, ...
  nlohmann::json raw;     // the whole inspect document
  ImagePlatform platform() const { return {os, architecture, variant}; }
};

struct HistoryEntry {
  std::string id;  // "<missing>" for layers built elsewhere
  int64_t created = 0;
  std::string created_by;
  std::vector<std::string> tags;
  int64_t size = 0;
  std::string comment;
};

struct ImageSummary {
  std::string id;
  std::vector<std::string> repo_tags;
  int64_t created = 0;
  int64_t size = 0;
  std::map<std::string, std::string> labels;
};

struct ContainerSummary {
  std::string id;
  std::string state;  // "created", "running", "exited", ...
  std::map<std::string, std::string> labels;
};

struct ContainerSpec {
  std::string image;
  std::optional<std::vector<std::string>> cmd;  // nullopt: the image's default command
  std::vector<std::string> env;                 // "K=V"
  std::map<std::string, std::string> labels;
  std::string user;                    // "uid", "uid:gid", a name; empty: the image's USER
  std::vector<std::string> group_add;  // supplementary groups (ids or names)
  std::string hostname;
  std::string working_dir;
  std::vector<std::string> binds;  // "/host/path:/container/path:rw"
  std::string network_mode;        // empty: the engine's default
  std::string name;                // empty: the engine picks one
  std::string platform;            // pick this platform's image for `image` (API 1.41)
  // More create fields as the Engine API names them (e.g. "Domainname", "ExposedPorts"),
  // and more HostConfig fields ("Memory", "CpuQuota"...): a job's host_config.
  nlohmann::json extra_config = nlohmann::json::object();
  nlohmann::json extra_host_config = nlohmann::json::object();
};

struct WaitResult {
  int64_t status_code = 0;
  std::string error;  // the engine's message when waiting itself failed
};

using OutputCallback = std::function<void(OutputStream, std::string_view)>;
using ByteSink = std::function<void(std::string_view)>;
using ByteSource = std::function<size_t(char* buf, size_t len)>;

class DockerClient {
 public:
  explicit DockerClient(DockerEndpoint endpoint = docker_endpoint_from_env());

  const DockerEndpoint& endpoint() const { return engine_.endpoint(); }
  // Registry credentials by registry host ("127.0.0.1:5000", "docker.io").
  void set_registry_auth(const std::string& registry_host, RegistryAuth auth);

  // Pings the engine (once) and returns the API version this client speaks to it.
  std::string api_version();
  // GET /version: "Version", "ApiVersion", "Os", "Arch", ...
  nlohmann::json engine_version();

  // ---- images
  BuildResult build(const BuildOptions& options);
  DistributionInfo distribution_inspect(const std::string& ref);
  // Pulls `ref` ("name[:tag]" or "name@digest"), for `platform` when not empty.
  void pull(const std::string& ref, const std::string& platform = {},
            const EventCallback& on_event = {});
  // Pushes `ref` ("registry/name:tag") to its registry.
  void push(const std::string& ref, const EventCallback& on_event = {});
  // nullopt when the engine has no such image.
  std::optional<ImageInfo> inspect_image(const std::string& ref);
  std::vector<HistoryEntry> image_history(const std::string& ref);
  // Tags `source` as `target` ("repo/name:tag"; tag "latest" when absent).
  void tag_image(const std::string& source, const std::string& target);
  // False when there was no such image.
  bool remove_image(const std::string& ref, bool force = false);
  // Images whose reference matches `reference` ("repo/name", "repo/name:tag", globs) and,
  // when given, that carry `label` ("key" or "key=value"), untagged ones included.
  std::vector<ImageSummary> list_images(const std::string& reference = {},
                                        const std::string& label = {});
  // The `docker save` tar of `names`, streamed to `sink` piece by piece.
  void save_images(const std::vector<std::string>& names, const ByteSink& sink);
  // The same into `path`, written to a temporary sibling then renamed into place.
  void save_images_to_file(const std::vector<std::string>& names,
                           const std::filesystem::path& path);
  // Creates an image from a root filesystem tar (as `docker import`), tagged `ref`.
  // Returns the image id.
  std::string import_image(const ByteSource& tar, const std::string& ref,
                           const std::string& platform = {});

  // Loads the images of a `docker save` tar (as `docker load`); `what` names it in errors.
  void load_images(const ByteSource& tar, const std::string& what);

  // ---- containers
  std::string create_container(const ContainerSpec& spec);  // returns the id
  void start_container(const std::string& id);
  // Attaches to a container's stdout/stderr (without TTY) and streams them until it stops,
  // as `docker run` does: attached before the container starts, nothing it writes is
  // missed (the logs endpoint, asked after a quick container has exited, can lose a last
  // line without a newline). `on_attached` runs once the engine has accepted the attach.
  void attach_output(const std::string& id, const OutputCallback& on_output,
                     const std::function<void()>& on_attached);
  // Blocks until the container is not running.
  WaitResult wait_container(const std::string& id);
  // Asks the container to stop (SIGTERM, then SIGKILL after `timeout_seconds`).
  void stop_container(const std::string& id, int timeout_seconds = 10);
  void kill_container(const std::string& id, const std::string& signal = "KILL");
  // Every container (running or not) that carries `label` ("key" or "key=value").
  std::vector<ContainerSummary> list_containers(const std::string& label);
  // Force-removes a container and its anonymous volumes; false when it was not there.
  bool remove_container(const std::string& id);
  // GET /containers/{id}/json; nullopt when not there.
  std::optional<nlohmann::json> inspect_container(const std::string& id);
  // Unpacks the tar `archive` into the container's filesystem below `path` (a directory
  // there), as `docker cp` does; also before the container first starts.
  void put_archive(const std::string& id, const std::string& path, const std::string& archive);
  // An untagged image of the container's filesystem changes (as `docker commit`; volumes
  // are not part of it). Returns the image id.
  std::string commit_container(const std::string& id);

 private:
  http::Response call(EngineRequest request);  // adds the version prefix
  std::string versioned(const std::string& path);
  http::Headers auth_headers_for(const std::string& ref, bool build);
  void run_progress_stream(EngineRequest request, const EventCallback& on_event,
                           std::string* last_aux_id, std::vector<std::string>* lines);

  EngineConnection engine_;
  std::once_flag ping_once_;
  std::string api_version_;
  std::map<std::string, RegistryAuth> auths_;
};

// The registry host of an image reference: "127.0.0.1:5000/x/y:1" → "127.0.0.1:5000",
// "alpine" → "docker.io".
std::string registry_host_of(std::string_view ref);

// Splits "name:tag" / "name@digest" / "name" into name and tag-or-digest ("latest" when
// absent); a ':' inside the registry host is not a tag separator.
std::pair<std::string, std::string> split_reference(std::string_view ref);

// "1.41" < "1.9" is false: compares dotted numbers.
int compare_api_versions(std::string_view a, std::string_view b);

}  // namespace lava::docker
