// `lava-docker build`: build every payload (or the named ones) for the configured platforms.
#include <unistd.h>

#include <chrono>
#include <cstdio>

#include "build/docker_build.h"
#include "cli/command.h"
#include "cli/output.h"
#include "engine/docker_client.h"
#include "project/project.h"
#include "util/error.h"
#include "util/redact.h"

namespace lava::cli {

namespace {

struct BuildArgs {
  std::string env;
  std::string engine = "docker";
  std::string platform;
  std::string network;
  std::vector<std::string> build_args;
  std::vector<std::string> payloads;
  bool force = false;
  bool quiet = false;
};

// Build output: one rewritten status line per step on a terminal, every line otherwise.
build::BuildReporter make_reporter(bool quiet) {
  build::BuildReporter r;
  if (quiet) return r;
  const bool tty = ::isatty(STDERR_FILENO) != 0;
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
  return r;
}

}  // namespace

void add_build_command(CLI::App& app, GlobalOptions& global) {
  auto* sub = app.add_subcommand("build", "Build docker payload images");
  auto a = std::make_shared<BuildArgs>();
  sub->add_option("--env", a->env, "Environment: reads config/ENV.yaml")->required();
  sub->add_option("--engine", a->engine, "Build engine")->check(CLI::IsMember({"docker"}));
  sub->add_option("--platform", a->platform, "Override docker.platform (e.g. linux/arm64)");
  sub->add_option("--network", a->network, "Network mode for RUN steps (e.g. host)");
  sub->add_option("--build-arg", a->build_args, "Extra build argument KEY=VALUE (repeatable)");
  sub->add_flag("--force", a->force, "Rebuild even when nothing changed");
  sub->add_flag("-q,--quiet", a->quiet, "Print only the summary");
  sub->add_option("payloads", a->payloads, "Payloads to build (default: all)");
  set_body(sub, [&global, a]() {
    auto project = project::open_project(
        global.project_dir, a->env,
        a->platform.empty() ? std::nullopt : std::optional<std::string>(a->platform));
    if (!a->quiet)
      for (const auto& n : project.config.notices) print_notice(n);
    auto selected = project::select_payloads(project.payloads, a->payloads);

    build::BuildRequest request;
    request.network_mode = a->network;
    request.force = a->force;
    for (const auto& kv : a->build_args) {
      auto eq = kv.find('=');
      request.build_args.emplace_back(kv.substr(0, eq),
                                      eq == std::string::npos ? std::string() : kv.substr(eq + 1));
    }
    auto reporter = make_reporter(a->quiet);
    engine::DockerClient docker;
    const bool tty = ::isatty(STDERR_FILENO) != 0 && !a->quiet;
    for (const auto& payload : selected) {
      auto start = std::chrono::steady_clock::now();
      build::BuildOutcome outcome;
      try {
        outcome = build::build_with_docker(docker, project, payload, request, reporter);
      } catch (...) {
        if (tty) std::fprintf(stderr, "\r\033[K");
        throw;
      }
      if (tty) std::fprintf(stderr, "\r\033[K");
      double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      for (const auto& s : outcome.summary)
        std::printf("%s\t%s\t%s (%.1fs)\n", payload.name.c_str(),
                    outcome.rebuilt ? "built" : "up-to-date", s.c_str(), secs);
      std::fflush(stdout);
    }
    return 0;
  });
}

}  // namespace lava::cli
