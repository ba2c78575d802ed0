// `lava-docker migrate`: add docker.platform: linux/amd64 where configs lack it.
#include <cstdio>

#include "cli/command.h"
#include "project/migrate.h"

namespace lava::cli {

void add_migrate_command(CLI::App& app, GlobalOptions& global) {
  auto* sub = app.add_subcommand(
      "migrate", "Add 'docker.platform: linux/amd64' to every config/*.yaml that lacks it");
  set_body(sub, [&global]() {
    auto changed = project::migrate_project(global.project_dir);
    for (const auto& f : changed) std::printf("updated %s\n", f.string().c_str());
    if (changed.empty()) std::printf("nothing to migrate\n");
    return 0;
  });
}

}  // namespace lava::cli
