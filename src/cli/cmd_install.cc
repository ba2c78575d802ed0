// `lava-docker install`: build what is out of date, then push each payload to its registry
// (ECR or a plain OCI registry) as one manifest or, with several platforms, one index.
#include <cstdio>
#include <nlohmann/json.hpp>

#include "aws/publish.h"
#include "build/build_state.h"
#include "build/docker_build.h"
#include "build/docker_export.h"
#include "cli/build_options.h"
#include "cli/command.h"
#include "cli/output.h"
#include "engine/docker_client.h"
#include "oci/layout.h"
#include "util/error.h"

namespace lava::cli {

void add_install_command(CLI::App& app, GlobalOptions& global) {
  auto* sub = app.add_subcommand("install", "Build if needed, then push payload images to the registry");
  auto o = std::make_shared<BuildOptions>();
  add_build_options(sub, *o);
  sub->add_flag("--json", global.json, "Print the summary as JSON");
  set_body(sub, [&global, o]() {
    auto project = open_for_build(global.project_dir, *o);
    auto selected = project::select_payloads(project.payloads, o->payloads);
    auto request = make_build_request(*o);
    auto reporter = make_build_reporter(o->quiet || global.json);
    engine::DockerClient docker;
    nlohmann::json summary = nlohmann::json::array();
    for (const auto& payload : selected) {
      try {
        build::build_with_docker(docker, project, payload, request, reporter);
      } catch (...) {
        end_status_line(o->quiet);
        throw;
      }
      end_status_line(o->quiet);
      auto state = build::read_build_state(project.dist, payload.name);
      if (!state) throw Error(payload.name + ": no build state after building");
      build::export_docker_images(docker, project, payload, *state);

      auto target = aws::PublishTarget::parse(project.config.registry.str(), payload.image, "latest",
                                              project.config.insecure_registry);
      aws::PublishOptions options;
      options.notice = [](const std::string& line) { print_notice(line); };
      auto layout = oci::Layout::open(project.dist.oci_layout(payload.name));
      auto result = aws::publish(layout, target, options);
      const auto& p = result.push;
      if (global.json) {
        summary.push_back({{"payload", payload.name},
                           {"reference", result.reference},
                           {"digest", p.digest.str()},
                           {"media_type", p.media_type},
                           {"blobs_uploaded", p.blobs_uploaded},
                           {"blobs_skipped", p.blobs_skipped},
                           {"blobs_mounted", p.blobs_mounted},
                           {"bytes_uploaded", p.bytes_uploaded},
                           {"repository_created", result.repository_created}});
      } else {
        std::printf("%s\t%s\t%d uploaded, %d present, %d mounted\n", payload.name.c_str(),
                    result.reference.c_str(), p.blobs_uploaded, p.blobs_skipped, p.blobs_mounted);
        std::fflush(stdout);
      }
    }
    if (global.json) std::printf("%s\n", summary.dump(2).c_str());
    return 0;
  });
}

void add_uninstall_command(CLI::App& app, GlobalOptions& global) {
  auto* sub = app.add_subcommand("uninstall", "Delete payload images from the registry");
  auto env = std::make_shared<std::string>();
  auto names = std::make_shared<std::vector<std::string>>();
  sub->add_option("--env", *env, "Environment: reads config/ENV.yaml")->required();
  sub->add_option("payloads", *names, "Payloads (default: all)");
  set_body(sub, [&global, env, names]() {
    auto project = project::open_project(global.project_dir, *env);
    for (const auto& payload : project::select_payloads(project.payloads, *names)) {
      auto target = aws::PublishTarget::parse(project.config.registry.str(), payload.image, "latest",
                                              project.config.insecure_registry);
      aws::PublishOptions options;
      options.notice = [](const std::string& line) { print_notice(line); };
      auto result = aws::unpublish(target, options);
      if (!result.existed) print_notice(payload.name + ": " + result.message);
      std::printf("%s\t%s\n", payload.name.c_str(), result.message.c_str());
    }
    return 0;
  });
}

}  // namespace lava::cli
