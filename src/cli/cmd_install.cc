// `lava-docker install`: builds what is out of date, exports it to the payload's OCI layout
// (dist/<env>/lava-payloads/<name>.oci) and pushes that to
// <docker.registry>/<prefix.docker_repo>/<name>:latest, creating the ECR repository when
// needed. One summary line per payload (or --json).
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <set>

#include "builder/install.h"
#include "cli/build_options.h"
#include "cli/command.h"
#include "cli/dist_guard.h"
#include "cli/output.h"
#include "cli/transfer_line.h"
#include "oci/media_types.h"
#include "project/project.h"
#include "util/error.h"
#include "util/human_size.h"
#include "util/redact.h"

namespace lava::cli {

namespace {

// Per-blob progress: a live line on a TTY, one plain line per finished blob otherwise.
class PushProgress {
 public:
  PushProgress(std::string payload, bool quiet, bool tty)
      : payload_(std::move(payload)), quiet_(quiet), tty_(tty) {}
  ~PushProgress() { line_.clear(); }

  void operator()(const registry::PushEvent& e) {
    if (quiet_) return;
    using K = registry::PushEvent::Kind;
    if (e.kind == K::kBlobStart) {
      line_.start();
    } else if (e.kind == K::kBlobProgress && tty_) {
      line_.draw(payload_ + ": " + short_hex(e.descriptor.digest), e.descriptor, e.bytes);
    } else if (e.kind == K::kBlobDone) {
      line_.clear();
      std::fprintf(stderr, "%s: blob %s %s (%s)\n", payload_.c_str(),
                   short_hex(e.descriptor.digest).c_str(), e.outcome.c_str(),
                   human_size(static_cast<uint64_t>(e.descriptor.size)).c_str());
    } else if (e.kind == K::kManifest) {
      line_.clear();
      std::fprintf(stderr, "%s: %s %s pushed as %s\n", payload_.c_str(),
                   oci::media::is_index(e.descriptor.media_type) ? "index" : "manifest",
                   short_hex(e.descriptor.digest).c_str(), e.outcome.c_str());
    }
  }

 private:
  std::string payload_;
  bool quiet_;
  bool tty_;
  TransferLine line_;
};

// Retries are reported on a terminal, where a long silence would look like a hang.
publish::PublishOptions publish_options() {
  publish::PublishOptions o;
  if (::isatty(STDERR_FILENO))
    o.client.on_retry = [](const std::string& what, std::chrono::milliseconds delay) {
      std::fprintf(stderr, "\r\033[K");
      print_notice(what + "; retrying in " + std::to_string((delay.count() + 999) / 1000) + "s");
    };
  return o;
}

}  // namespace

void add_install_command(CLI::App& app, GlobalOptions& global) {
  auto* sub = app.add_subcommand(
      "install", "Build what is out of date, then push payload images to the registry");
  auto o = std::make_shared<BuildOptions>();
  auto no_build = std::make_shared<bool>(false);
  add_build_options(sub, *o);
  sub->add_flag("--json", global.json, "Print one JSON document of what was pushed");
  sub->add_flag("--no-build", *no_build,
                "Push the OCI layouts already in dist/ without building (no engine needed)");
  set_body(sub, [&global, o, no_build]() {
    const ProgressMode mode = progress_mode(*o, global.json);
    const bool quiet = mode == ProgressMode::kQuiet;
    auto project = open_for_build(global.project_dir, *o, mode);
    auto selected = project::select_payloads(project.payloads, o->payloads);
    auto lock = guard_dist(project);
    // Reachability, credentials and region first: a failure here leaves dist/ untouched and
    // is the only line printed.
    {
      std::set<std::string> checked;
      for (const auto& payload : selected) {
        auto target = builder::publish_target(project.config, payload.name);
        std::string key = target.kind == publish::PublishTarget::Kind::kEcr
                              ? "ecr:" + target.ecr_account_id
                              : target.registry + "/" + target.repository;
        if (checked.insert(key).second) publish::check_publish_target(target, publish_options());
      }
    }
    print_fallback_dockerfile_notes(project, selected, quiet);
    std::optional<builder::PayloadBuilder> builder;  // none with --no-build
    if (!*no_build) builder.emplace(o->engine, make_build_request(*o), make_build_reporter(mode));
    nlohmann::ordered_json payloads = nlohmann::ordered_json::array();
    for (const auto& payload : selected) {
      publish::PublishOptions options = publish_options();
      options.notice = [&](const std::string& n) { print_notice(payload.name + ": " + n); };
      PushProgress progress(payload.name, quiet, mode == ProgressMode::kTty);
      publish::PublishResult result;
      bool build_line_cleared = false;  // the build's status line ends where the push starts
      try {
        result = builder::install_payload(builder ? &*builder : nullptr, project, payload, options,
                                          [&](const registry::PushEvent& e) {
                                            if (!build_line_cleared) end_status_line(mode);
                                            build_line_cleared = true;
                                            progress(e);
                                          });
      } catch (...) {
        end_status_line(mode);
        throw;
      }
      end_status_line(mode);
      const auto& p = result.push;
      if (global.json) {
        payloads.push_back({{"payload", payload.name},
                            {"reference", result.reference},
                            {"digest", p.digest.str()},
                            {"media_type", p.media_type},
                            {"repository_created", result.repository_created},
                            {"blobs_uploaded", p.blobs_uploaded},
                            {"blobs_existing", p.blobs_skipped},
                            {"blobs_mounted", p.blobs_mounted},
                            {"bytes_uploaded", p.bytes_uploaded}});
      } else {
        // Tab-separated like the other commands' summaries (README, install).
        std::printf("%s\tpushed\t%s\t%d uploaded (%s), %d present, %d mounted\n",
                    payload.name.c_str(), redact(result.reference).c_str(), p.blobs_uploaded,
                    human_size(p.bytes_uploaded).c_str(), p.blobs_skipped, p.blobs_mounted);
        std::fflush(stdout);
      }
    }
    if (global.json) {
      nlohmann::ordered_json doc{{"command", "install"}, {"env", o->env}, {"payloads", payloads}};
      std::printf("%s\n", doc.dump(2).c_str());
    }
    return 0;
  });
}

}  // namespace lava::cli
