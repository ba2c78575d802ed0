#include "docker/docker_client.h"

#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <system_error>

#include "docker/context_tar.h"
#include "http/base64.h"
#include "registry/reference.h"
#include "util/error.h"
#include "util/redact.h"

namespace lava::docker {

namespace fs = std::filesystem;
using nlohmann::json;

// ---------------------------------------------------------------- helpers

std::string ImagePlatform::str() const {
  std::string s = os + "/" + architecture;
  if (!variant.empty() && !(architecture == "arm64" && variant == "v8")) s += "/" + variant;
  return s;
}

namespace {

std::string normalize_platform(std::string_view p) {
  std::string s(p);
  if (s.size() > 9 && s.compare(s.size() - 9, 9, "/arm64/v8") == 0) s.resize(s.size() - 3);
  return s;
}

json auth_json(const RegistryAuth& a, const std::string& server) {
  json j = json::object();
  if (!a.identity_token.empty()) {
    j["identitytoken"] = a.identity_token;
  } else {
    j["username"] = a.username;
    j["password"] = a.password;
  }
  j["serveraddress"] = server;
  return j;
}

bool ok(const http::Response& r) {
  return r.ok();
}

// The engine's own words for a failed call: {"message": "..."} or the plain body.
std::string engine_message(const http::Response& r) {
  json j = json::parse(r.body, nullptr, false);
  std::string m;
  if (j.is_object() && j.contains("message") && j["message"].is_string()) {
    m = j["message"].get<std::string>();
  } else {
    m = r.body.substr(0, 500);
  }
  while (!m.empty() && (m.back() == '\n' || m.back() == '\r')) m.pop_back();
  if (m.empty()) m = "HTTP status " + std::to_string(r.status);
  return redact(m);
}

[[noreturn]] void fail(const http::Response& r, const std::string& what) {
  throw Error(what + ": " + engine_message(r));
}

json parse_json(const http::Response& r, const std::string& what) {
  json j = json::parse(r.body, nullptr, false);
  if (j.is_discarded()) throw Error(what + ": the Docker engine sent unreadable JSON");
  return j;
}

std::string str_of(const json& j, const char* key) {
  auto it = j.find(key);
  return (it != j.end() && it->is_string()) ? it->get<std::string>() : std::string();
}

int64_t int_of(const json& j, const char* key) {
  auto it = j.find(key);
  return (it != j.end() && it->is_number()) ? it->get<int64_t>() : 0;
}

std::map<std::string, std::string> labels_of(const json& j) {
  std::map<std::string, std::string> out;
  auto it = j.find("Labels");
  if (it == j.end() || !it->is_object()) return out;
  for (const auto& [k, v] : it->items())
    if (v.is_string()) out[k] = v.get<std::string>();
  return out;
}

std::vector<std::string> strings_of(const json& j, const char* key) {
  std::vector<std::string> out;
  auto it = j.find(key);
  if (it == j.end() || !it->is_array()) return out;
  for (const auto& v : *it)
    if (v.is_string()) out.push_back(v.get<std::string>());
  return out;
}

}  // namespace

bool DistributionInfo::offers(std::string_view platform) const {
  std::string want = normalize_platform(platform);
  for (const auto& p : platforms)
    if (p.str() == want) return true;
  return false;
}

std::string registry_host_of(std::string_view ref) {
  return registry::Reference::parse(std::string(ref)).registry;
}

std::pair<std::string, std::string> split_reference(std::string_view text) {
  // One grammar for image references (registry/reference.h); the name is kept as written,
  // since the engine shortens docker.io names itself.
  const std::string s(text);
  const auto ref = registry::Reference::parse(s);
  if (!ref.digest.empty()) return {s.substr(0, s.find('@')), ref.digest};
  const std::string suffix = ":" + ref.tag;
  if (s.size() > suffix.size() && s.ends_with(suffix))
    return {s.substr(0, s.size() - suffix.size()), ref.tag};
  return {s, ref.tag};
}

int compare_api_versions(std::string_view a, std::string_view b) {
  auto next = [](std::string_view& s) {
    long v = 0;
    while (!s.empty() && s.front() != '.') {
      v = v * 10 + (s.front() - '0');
      s.remove_prefix(1);
    }
    if (!s.empty()) s.remove_prefix(1);
    return v;
  };
  while (!a.empty() || !b.empty()) {
    long x = next(a), y = next(b);
    if (x != y) return x < y ? -1 : 1;
  }
  return 0;
}

// ---------------------------------------------------------------- plumbing

DockerClient::DockerClient(DockerEndpoint endpoint) : engine_(std::move(endpoint)) {}

void DockerClient::set_registry_auth(const std::string& registry_host, RegistryAuth auth) {
  if (!auth.password.empty()) add_secret(auth.password);
  if (!auth.identity_token.empty()) add_secret(auth.identity_token);
  auths_[registry_host] = std::move(auth);
}

std::string DockerClient::api_version() {
  std::call_once(ping_once_, [this] {
    EngineRequest req;
    req.target = "/_ping";
    req.purpose = "ping";
    http::Response r = engine_.send(req);
    if (!ok(r)) {
      throw Error("the Docker engine at " + endpoint().str() +
                  " does not answer its ping: " + engine_message(r));
    }
    std::string server = r.headers.get("Api-Version").value_or("");
    std::string chosen = kPreferredApiVersion;
    if (!endpoint().api_version.empty()) {
      chosen = endpoint().api_version;
    } else if (!server.empty() && compare_api_versions(server, chosen) < 0) {
      chosen = server;
    }
    if (compare_api_versions(chosen, kMinimumApiVersion) < 0) {
      throw Error("the Docker engine at " + endpoint().str() + " speaks API " + chosen +
                  "; lava-docker needs " + kMinimumApiVersion + " or later (Docker 17.09+)");
    }
    api_version_ = chosen;
  });
  return api_version_;
}

std::string DockerClient::versioned(const std::string& path) {
  return "/v" + api_version() + path;
}

http::Response DockerClient::call(EngineRequest request) {
  request.target = versioned(request.target);
  return engine_.send(request);
}

json DockerClient::engine_version() {
  EngineRequest req;
  req.target = "/version";
  req.purpose = "version";
  http::Response r = call(req);
  if (!ok(r)) fail(r, "cannot read the Docker engine's version");
  return parse_json(r, "engine version");
}

http::Headers DockerClient::auth_headers_for(const std::string& ref, bool build) {
  http::Headers headers;
  if (build) {
    if (auths_.empty()) return headers;
    json all = json::object();
    for (const auto& [host, a] : auths_) all[host] = auth_json(a, host);
    headers.set("X-Registry-Config", http::base64url_encode(all.dump()));
    return headers;
  }
  auto it = auths_.find(registry_host_of(ref));
  if (it != auths_.end()) {
    headers.set("X-Registry-Auth", http::base64url_encode(auth_json(it->second, it->first).dump()));
  }
  return headers;
}

void DockerClient::run_progress_stream(EngineRequest request, const EventCallback& on_event,
                                       std::string* last_aux_id,
                                       std::vector<std::string>* statuses) {
  // Build output arrives in fragments: complete lines are passed on as they end.
  LineSplitter lines([&](std::string_view line) {
    if (on_event) on_event({BuildEvent::Kind::kOutput, redact(line), {}, {}});
  });
  std::string error;
  ProgressDecoder decoder([&](const ProgressMessage& m) {
    if (!m.error.empty()) {
      if (error.empty()) error = m.error;
      return;
    }
    if (!m.stream.empty()) lines.feed(m.stream);
    if (!m.status.empty()) {
      if (statuses) statuses->push_back(m.status);
      if (on_event) on_event({BuildEvent::Kind::kStatus, redact(m.status), m.id, m.progress});
    }
    if (!m.aux_id.empty() && last_aux_id) *last_aux_id = m.aux_id;
  });
  request.on_data = [&](std::string_view bytes) { decoder.feed(bytes); };
  std::string purpose = request.purpose;
  http::Response r = call(std::move(request));
  if (!ok(r)) {
    lines.finish();
    fail(r, purpose + " failed");
  }
  decoder.finish();
  lines.finish();
  if (!error.empty()) throw Error(purpose + " failed: " + redact(error));
}

// ---------------------------------------------------------------- images

BuildResult DockerClient::build(const BuildOptions& o) {
  std::vector<std::pair<std::string, std::string>> q;
  for (const auto& t : o.tags) q.emplace_back("t", t);
  q.emplace_back("dockerfile", o.dockerfile);
  if (!o.build_args.empty()) {
    json args = json::object();
    for (const auto& [k, v] : o.build_args) args[k] = v;
    q.emplace_back("buildargs", args.dump());
  }
  if (!o.labels.empty()) q.emplace_back("labels", json(o.labels).dump());
  if (!o.platform.empty()) q.emplace_back("platform", o.platform);
  if (!o.network_mode.empty()) q.emplace_back("networkmode", o.network_mode);
  if (o.pull) q.emplace_back("pull", "1");
  if (o.no_cache) q.emplace_back("nocache", "1");
  if (o.quiet) q.emplace_back("q", "1");
  q.emplace_back("rm", "1");
  q.emplace_back("forcerm", "1");

  auto tar = std::make_shared<ContextTarStream>(o.context_dir, o.extra_files);
  EngineRequest req;
  req.method = "POST";
  req.target = "/build?" + http::url_query(q);
  req.headers = auth_headers_for({}, true);
  req.headers.set("Content-Type", "application/x-tar");
  req.body_source = [tar](char* buf, size_t len) { return tar->read(buf, len); };
  req.purpose = "image build";

  std::string aux_id;
  std::string quiet_id;
  std::string successfully_built;
  std::string step;  // the last "Step N/M : ..." line, to say where a build failed
  EventCallback watch = [&](const BuildEvent& e) {
    if (e.kind == BuildEvent::Kind::kOutput) {
      if (e.text.rfind("Step ", 0) == 0) step = e.text;
      if (o.quiet && e.text.rfind("sha256:", 0) == 0) quiet_id = e.text;
      if (e.text.rfind("Successfully built ", 0) == 0) successfully_built = e.text.substr(19);
    }
    if (o.on_event) o.on_event(e);
  };
  try {
    run_progress_stream(std::move(req), watch, &aux_id, nullptr);
  } catch (const Error& e) {
    if (step.empty()) throw;
    throw Error(std::string(e.what()) + " (at " + step + ")");
  }
  std::string id = !aux_id.empty() ? aux_id : quiet_id;
  if (id.empty() && !successfully_built.empty()) {
    auto img = inspect_image(successfully_built);
    if (img) id = img->id;
  }
  if (id.empty()) throw Error("image build: the Docker engine reported no image id");
  return {id};
}

DistributionInfo DockerClient::distribution_inspect(const std::string& ref) {
  EngineRequest req;
  req.target = "/distribution/" + ref + "/json";
  req.headers = auth_headers_for(ref, false);
  req.purpose = "registry lookup of " + ref;
  http::Response r = call(req);
  if (!ok(r)) fail(r, "cannot read " + ref + " from its registry");
  json j = parse_json(r, req.purpose);
  DistributionInfo info;
  if (j.contains("Descriptor") && j["Descriptor"].is_object()) {
    info.digest = str_of(j["Descriptor"], "digest");
    info.media_type = str_of(j["Descriptor"], "mediaType");
  }
  if (j.contains("Platforms") && j["Platforms"].is_array()) {
    for (const auto& p : j["Platforms"]) {
      info.platforms.push_back({str_of(p, "os"), str_of(p, "architecture"), str_of(p, "variant")});
    }
  }
  return info;
}

void DockerClient::pull(const std::string& ref, const std::string& platform,
                        const EventCallback& on_event) {
  auto [name, tag] = split_reference(ref);
  std::vector<std::pair<std::string, std::string>> q{{"fromImage", name}, {"tag", tag}};
  if (!platform.empty()) q.emplace_back("platform", platform);
  EngineRequest req;
  req.method = "POST";
  req.target = "/images/create?" + http::url_query(q);
  req.headers = auth_headers_for(ref, false);
  req.purpose = "pull of " + ref;
  run_progress_stream(std::move(req), on_event, nullptr, nullptr);
}

void DockerClient::push(const std::string& ref, const EventCallback& on_event) {
  auto [name, tag] = split_reference(ref);
  EngineRequest req;
  req.method = "POST";
  req.target = "/images/" + name + "/push?" + http::url_query({{"tag", tag}});
  req.headers = auth_headers_for(ref, false);
  // The engine insists on the header, even for a registry without authentication.
  if (!req.headers.get("X-Registry-Auth"))
    req.headers.set("X-Registry-Auth", http::base64url_encode("{}"));
  req.purpose = "push of " + ref;
  run_progress_stream(std::move(req), on_event, nullptr, nullptr);
}

std::optional<ImageInfo> DockerClient::inspect_image(const std::string& ref) {
  EngineRequest req;
  req.target = "/images/" + ref + "/json";
  req.purpose = "inspect of image " + ref;
  http::Response r = call(req);
  if (r.status == 404) return std::nullopt;
  if (!ok(r)) fail(r, "cannot inspect image " + ref);
  json j = parse_json(r, req.purpose);
  ImageInfo info;
  info.id = str_of(j, "Id");
  info.repo_tags = strings_of(j, "RepoTags");
  info.repo_digests = strings_of(j, "RepoDigests");
  info.os = str_of(j, "Os");
  info.architecture = str_of(j, "Architecture");
  info.variant = str_of(j, "Variant");
  info.created = str_of(j, "Created");
  info.size = int_of(j, "Size");
  if (j.contains("Config") && j["Config"].is_object()) info.config = j["Config"];
  info.raw = std::move(j);
  return info;
}

std::vector<HistoryEntry> DockerClient::image_history(const std::string& ref) {
  EngineRequest req;
  req.target = "/images/" + ref + "/history";
  req.purpose = "history of image " + ref;
  http::Response r = call(req);
  if (!ok(r)) fail(r, "cannot read the history of image " + ref);
  std::vector<HistoryEntry> out;
  for (const auto& h : parse_json(r, req.purpose)) {
    out.push_back({str_of(h, "Id"), int_of(h, "Created"), str_of(h, "CreatedBy"),
                   strings_of(h, "Tags"), int_of(h, "Size"), str_of(h, "Comment")});
  }
  return out;
}

void DockerClient::tag_image(const std::string& source, const std::string& target) {
  auto [repo, tag] = split_reference(target);
  EngineRequest req;
  req.method = "POST";
  req.target = "/images/" + source + "/tag?" + http::url_query({{"repo", repo}, {"tag", tag}});
  req.purpose = "tag of " + source;
  http::Response r = call(req);
  if (!ok(r)) fail(r, "cannot tag image " + source + " as " + target);
}

bool DockerClient::remove_image(const std::string& ref, bool force) {
  EngineRequest req;
  req.method = "DELETE";
  req.target = "/images/" + ref + (force ? "?force=1" : "");
  req.purpose = "removal of image " + ref;
  http::Response r = call(req);
  if (r.status == 404) return false;
  if (!ok(r)) fail(r, "cannot remove image " + ref);
  return true;
}

std::vector<ImageSummary> DockerClient::list_images(const std::string& reference,
                                                    const std::string& label) {
  EngineRequest req;
  req.target = "/images/json";
  json filters = json::object();
  if (!reference.empty()) filters["reference"] = {reference};
  if (!label.empty()) filters["label"] = {label};
  // all=1: a labelled image that is untagged (a committed container) is listed too.
  if (!filters.empty())
    req.target +=
        "?" + http::url_query({{"filters", filters.dump()}}) + (label.empty() ? "" : "&all=1");
  req.purpose = "image list";
  http::Response r = call(req);
  if (!ok(r)) fail(r, "cannot list images");
  std::vector<ImageSummary> out;
  for (const auto& i : parse_json(r, req.purpose)) {
    out.push_back({str_of(i, "Id"), strings_of(i, "RepoTags"), int_of(i, "Created"),
                   int_of(i, "Size"), labels_of(i)});
  }
  return out;
}

std::vector<ContainerSummary> DockerClient::list_containers(const std::string& label) {
  EngineRequest req;
  req.target =
      "/containers/json?all=1&" + http::url_query({{"filters", json{{"label", {label}}}.dump()}});
  req.purpose = "container list";
  http::Response r = call(req);
  if (!ok(r)) fail(r, "cannot list containers");
  std::vector<ContainerSummary> out;
  for (const auto& c : parse_json(r, req.purpose))
    out.push_back({str_of(c, "Id"), str_of(c, "State"), labels_of(c)});
  return out;
}

void DockerClient::save_images(const std::vector<std::string>& names, const ByteSink& sink) {
  std::vector<std::pair<std::string, std::string>> q;
  for (const auto& n : names) q.emplace_back("names", n);
  EngineRequest req;
  req.target = "/images/get?" + http::url_query(q);
  req.on_data = sink;
  req.purpose = "export of images";
  http::Response r = call(std::move(req));
  if (!ok(r)) fail(r, "cannot export images");
}

void DockerClient::save_images_to_file(const std::vector<std::string>& names,
                                       const fs::path& path) {
  if (path.has_parent_path()) fs::create_directories(path.parent_path());
  fs::path tmp = path;
  tmp += ".tmp-" + std::to_string(::getpid());
  std::FILE* f = std::fopen(tmp.c_str(), "wb");
  if (!f) throw Error("cannot write " + tmp.string() + ": " + std::strerror(errno));
  try {
    save_images(names, [&](std::string_view bytes) {
      if (std::fwrite(bytes.data(), 1, bytes.size(), f) != bytes.size()) {
        throw Error("cannot write " + tmp.string() + ": " + std::strerror(errno));
      }
    });
    if (std::fflush(f) != 0 || ::fsync(fileno(f)) != 0) {
      throw Error("cannot write " + tmp.string() + ": " + std::strerror(errno));
    }
    std::fclose(f);
    f = nullptr;
    fs::rename(tmp, path);
  } catch (...) {
    if (f) std::fclose(f);
    std::error_code ec;
    fs::remove(tmp, ec);
    throw;
  }
}

std::string DockerClient::import_image(const ByteSource& tar, const std::string& ref,
                                       const std::string& platform) {
  auto [repo, tag] = split_reference(ref);
  std::vector<std::pair<std::string, std::string>> q{
      {"fromSrc", "-"}, {"repo", repo}, {"tag", tag}};
  if (!platform.empty()) q.emplace_back("platform", platform);
  EngineRequest req;
  req.method = "POST";
  req.target = "/images/create?" + http::url_query(q);
  req.headers.set("Content-Type", "application/x-tar");
  req.body_source = tar;
  req.purpose = "import of " + ref;
  std::vector<std::string> statuses;
  run_progress_stream(std::move(req), {}, nullptr, &statuses);
  for (auto it = statuses.rbegin(); it != statuses.rend(); ++it) {
    if (it->rfind("sha256:", 0) == 0) return *it;
  }
  auto img = inspect_image(ref);
  if (!img) throw Error("import of " + ref + ": the Docker engine reported no image");
  return img->id;
}

void DockerClient::load_images(const ByteSource& tar, const std::string& what) {
  EngineRequest req;
  req.method = "POST";
  req.target = "/images/load?quiet=1";
  req.headers.set("Content-Type", "application/x-tar");
  req.body_source = tar;
  req.purpose = "load of " + what;
  run_progress_stream(std::move(req), {}, nullptr, nullptr);
}

// ---------------------------------------------------------------- containers

std::string DockerClient::create_container(const ContainerSpec& s) {
  json body = {{"Image", s.image},     {"Env", s.env},         {"Labels", s.labels},
               {"AttachStdout", true}, {"AttachStderr", true}, {"AttachStdin", false},
               {"Tty", false},         {"OpenStdin", false}};
  if (s.cmd) body["Cmd"] = *s.cmd;
  if (!s.user.empty()) body["User"] = s.user;
  if (!s.hostname.empty()) body["Hostname"] = s.hostname;
  if (!s.working_dir.empty()) body["WorkingDir"] = s.working_dir;
  json host = json::object();
  if (!s.binds.empty()) host["Binds"] = s.binds;
  if (!s.group_add.empty()) host["GroupAdd"] = s.group_add;
  if (!s.network_mode.empty()) host["NetworkMode"] = s.network_mode;
  for (const auto& [k, v] : s.extra_config.items()) body[k] = v;
  for (const auto& [k, v] : s.extra_host_config.items()) host[k] = v;
  body["HostConfig"] = host;

  std::vector<std::pair<std::string, std::string>> q;
  if (!s.name.empty()) q.emplace_back("name", s.name);
  if (!s.platform.empty()) q.emplace_back("platform", s.platform);
  EngineRequest req;
  req.method = "POST";
  req.target = "/containers/create" + (q.empty() ? std::string() : "?" + http::url_query(q));
  req.headers.set("Content-Type", "application/json");
  req.body = body.dump();
  req.purpose = "container creation";
  http::Response r = call(req);
  if (!ok(r)) fail(r, "cannot create a container from " + s.image);
  return str_of(parse_json(r, req.purpose), "Id");
}

void DockerClient::start_container(const std::string& id) {
  EngineRequest req;
  req.method = "POST";
  req.target = "/containers/" + id + "/start";
  req.purpose = "container start";
  http::Response r = call(req);
  if (!ok(r) && r.status != 304) fail(r, "cannot start container " + id.substr(0, 12));
}

void DockerClient::attach_output(const std::string& id, const OutputCallback& on_output,
                                 const std::function<void()>& on_attached) {
  FrameDemuxer demux(on_output);
  EngineRequest req;
  req.method = "POST";
  // The engine answers "200 OK" and then streams the frames until the container stops
  // and it closes the connection.
  req.target = "/containers/" + id + "/attach?" +
               http::url_query({{"stream", "1"}, {"stdout", "1"}, {"stderr", "1"}});
  req.on_headers = [&](long status) {
    if (status >= 200 && status < 300) on_attached();
  };
  req.on_data = [&](std::string_view bytes) { demux.feed(bytes); };
  req.purpose = "container output";
  http::Response r = call(std::move(req));
  if (!ok(r)) fail(r, "cannot attach to container " + id.substr(0, 12));
}

WaitResult DockerClient::wait_container(const std::string& id) {
  EngineRequest req;
  req.method = "POST";
  req.target = "/containers/" + id + "/wait";
  req.purpose = "wait for container";
  http::Response r = call(req);
  if (!ok(r)) fail(r, "cannot wait for container " + id.substr(0, 12));
  json j = parse_json(r, req.purpose);
  WaitResult w;
  w.status_code = int_of(j, "StatusCode");
  if (j.contains("Error") && j["Error"].is_object()) w.error = str_of(j["Error"], "Message");
  return w;
}

void DockerClient::stop_container(const std::string& id, int timeout_seconds) {
  EngineRequest req;
  req.method = "POST";
  req.target = "/containers/" + id + "/stop?t=" + std::to_string(timeout_seconds);
  req.purpose = "container stop";
  http::Response r = call(req);
  if (!ok(r) && r.status != 304 && r.status != 404) {
    fail(r, "cannot stop container " + id.substr(0, 12));
  }
}

void DockerClient::kill_container(const std::string& id, const std::string& signal) {
  EngineRequest req;
  req.method = "POST";
  req.target = "/containers/" + id + "/kill?" + http::url_query({{"signal", signal}});
  req.purpose = "container kill";
  http::Response r = call(req);
  // 409: not running any more, which is what we wanted.
  if (!ok(r) && r.status != 409 && r.status != 404) {
    fail(r, "cannot kill container " + id.substr(0, 12));
  }
}

bool DockerClient::remove_container(const std::string& id) {
  EngineRequest req;
  req.method = "DELETE";
  req.target = "/containers/" + id + "?force=1&v=1";
  req.purpose = "container removal";
  http::Response r = call(req);
  if (r.status == 404) return false;
  if (!ok(r)) fail(r, "cannot remove container " + id.substr(0, 12));
  return true;
}

std::optional<json> DockerClient::inspect_container(const std::string& id) {
  EngineRequest req;
  req.target = "/containers/" + id + "/json";
  req.purpose = "container inspect";
  http::Response r = call(req);
  if (r.status == 404) return std::nullopt;
  if (!ok(r)) fail(r, "cannot inspect container " + id.substr(0, 12));
  return parse_json(r, req.purpose);
}

void DockerClient::put_archive(const std::string& id, const std::string& path,
                               const std::string& archive) {
  EngineRequest req;
  req.method = "PUT";
  req.target = "/containers/" + id + "/archive?" + http::url_query({{"path", path}});
  req.headers.set("Content-Type", "application/x-tar");
  req.body = archive;
  req.purpose = "copy into container";
  http::Response r = call(req);
  if (!ok(r)) fail(r, "cannot copy files into container " + id.substr(0, 12));
}

std::string DockerClient::commit_container(const std::string& id) {
  EngineRequest req;
  req.method = "POST";
  req.target = "/commit?" + http::url_query({{"container", id}, {"pause", "false"}});
  req.headers.set("Content-Type", "application/json");
  req.body = "{}";  // no config changes (the engine refuses a commit without a JSON body type)
  req.purpose = "container commit";
  http::Response r = call(req);
  if (!ok(r)) fail(r, "cannot commit container " + id.substr(0, 12));
  return str_of(parse_json(r, req.purpose), "Id");
}

}  // namespace lava::docker
