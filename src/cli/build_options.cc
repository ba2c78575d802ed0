#include "cli/build_options.h"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <memory>

#include "cli/output.h"
#include "cli/transfer_line.h"
#include "http/libcurl.h"
#include "util/error.h"
#include "util/redact.h"

namespace lava::cli {

void add_build_options(CLI::App* sub, BuildOptions& o) {
  sub->add_option("--env", o.env, "Environment: reads config/ENV.yaml")->required();
  sub->add_option("--engine", o.engine,
                  "docker, native (no daemon: the built-in default Dockerfile only), or auto: "
                  "native unless the payload has its own Dockerfile (default: auto)")
      ->check(CLI::IsMember({"auto", "docker", "native"}));
  sub->add_option("--platform", o.platform, "Override docker.platform (e.g. linux/arm64)");
  sub->add_option("--network", o.network, "Network mode for RUN steps (e.g. host)");
  sub->add_option("--build-arg", o.build_args,
                  "Extra build argument KEY=VALUE, or KEY to take its value from the environment "
                  "(repeat the option for more)");
  sub->add_flag("--force", o.force, "Rebuild even when nothing changed");
  sub->add_flag("--pull", o.pull,
                "Ask the base image's registry what its tag points at now (native engine; "
                "otherwise the answer cached by an earlier build is used; the docker engine "
                "always pulls)");
  sub->add_flag("-q,--quiet", o.quiet, "Print only the summary (--progress quiet)");
  sub->add_option("--progress", o.progress,
                  "Build output: tty (one status line rewritten in place), plain (every line), "
                  "quiet, or auto: tty when stderr is a terminal, else plain (default: auto)")
      ->check(CLI::IsMember({"auto", "plain", "tty", "quiet"}));
  sub->add_option("payloads", o.payloads, "Payloads (default: all)");
}

ProgressMode progress_mode(const BuildOptions& o, bool json) {
  if (o.quiet || json || o.progress == "quiet") return ProgressMode::kQuiet;
  if (o.progress == "plain") return ProgressMode::kPlain;
  if (o.progress == "tty") return ProgressMode::kTty;
  return ::isatty(STDERR_FILENO) != 0 ? ProgressMode::kTty : ProgressMode::kPlain;
}

project::Project open_for_build(const std::filesystem::path& dir, const BuildOptions& o,
                                ProgressMode mode) {
  auto project = project::open_project(
      dir, o.env, o.platform.empty() ? std::nullopt : std::optional<std::string>(o.platform));
  if (mode != ProgressMode::kQuiet)
    for (const auto& n : project.config.notices) print_notice(n);
  return project;
}

void print_fallback_dockerfile_notes(const project::Project& project,
                                     const std::vector<project::Payload>& selected, bool quiet) {
  bool uses_fallback = false;
  for (const auto& p : selected)
    if (!std::filesystem::is_regular_file(p.source / "Dockerfile")) uses_fallback = true;
  if (!uses_fallback) return;
  if (!quiet)
    for (const auto& n : project.dockerfile_notices) print_notice(n);
  for (const auto& w : project.dockerfile_warnings) print_warning(w);
}

builder::BuildRequest make_build_request(const BuildOptions& o) {
  builder::BuildRequest request;
  request.network_mode = o.network;
  request.force = o.force;
  request.pull = o.pull;
  request.network_ahead = [] { http::preload_libcurl(); };
  for (const auto& kv : o.build_args) {
    auto eq = kv.find('=');
    if (eq == 0) throw UsageError("--build-arg '" + kv + "': no name before '='");
    if (eq != std::string::npos) {
      request.build_args.emplace_back(kv.substr(0, eq), kv.substr(eq + 1));
      continue;
    }
    // `--build-arg NAME` takes NAME's value from the environment, as docker build does.
    const char* value = std::getenv(kv.c_str());
    if (value == nullptr)
      throw UsageError("--build-arg " + kv + ": no '=VALUE' and " + kv +
                       " is not set in the environment");
    request.build_args.emplace_back(kv, value);
  }
  return request;
}

namespace {

// Base layers fetched by a native build: on a terminal, the status line shows the bytes and
// speed of the one arriving; in plain output one line per layer when it is in.
std::function<void(const std::string&, const registry::BlobFetchEvent&)> base_download_reporter(
    bool tty) {
  using K = registry::BlobFetchEvent::Kind;
  if (!tty)
    return [](const std::string& payload, const registry::BlobFetchEvent& e) {
      if (e.kind == K::kDone)
        std::fprintf(stderr, "%s: base layer %s fetched\n", payload.c_str(),
                     short_hex(e.descriptor.digest).c_str());
    };
  auto line = std::make_shared<TransferLine>();
  return [line](const std::string& payload, const registry::BlobFetchEvent& e) {
    if (e.kind == K::kStart) line->start();
    const std::string what = payload + ": base layer " + short_hex(e.descriptor.digest);
    if (e.kind != K::kStart) line->draw(what, e.descriptor, e.bytes, e.kind == K::kDone);
  };
}

}  // namespace

builder::BuildReporter make_build_reporter(ProgressMode mode) {
  builder::BuildReporter r;
  const bool tty = mode == ProgressMode::kTty;
  r.warning = [tty](const std::string& line) {
    if (tty) std::fprintf(stderr, "\r\033[K");  // not appended to a status line
    print_warning(line);
  };
  if (mode == ProgressMode::kQuiet) return r;
  r.notice = [](const std::string& line) { print_notice(line); };
  r.step = [tty](const std::string& payload, const std::string& line) {
    std::string text = redact(payload + ": " + line);
    if (tty) {
      if (text.size() > 150) text = text.substr(0, 147) + "...";
      std::fprintf(stderr, "\r\033[K%s", text.c_str());
    } else {
      std::fprintf(stderr, "%s\n", text.c_str());
    }
  };
  r.output = [tty](const std::string& payload, const std::string& line) {
    if (tty) return;  // a terminal sees the steps; failures carry the engine's message
    std::fprintf(stderr, "%s\n", redact(payload + ": " + line).c_str());
  };
  r.base_download = base_download_reporter(tty);
  return r;
}

void end_status_line(ProgressMode mode) {
  if (mode == ProgressMode::kTty) std::fprintf(stderr, "\r\033[K");
}

}  // namespace lava::cli
