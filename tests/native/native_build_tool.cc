// Test driver for the native engine library (the build command is its user): builds one payload of
// a project from an already prepared build context and prints the result as JSON.
//
//   lava-native-build --project DIR --env ENV --payload NAME --context DIR
//                     [--cache DIR] [--epoch SECONDS] [--force] [--quiet]
//                     [--push REGISTRY/REPO:TAG [--mount-from REPO]]
// --push then pushes the layout as `install` will (blobs the registry has are skipped or
// mounted) and adds the push counters to the JSON.
#include <cstdlib>
#include <iostream>
#include <nlohmann/json.hpp>
#include <string>

#include "native/native_build.h"
#include "oci/layout.h"
#include "project/project.h"
#include "registry/push.h"
#include "util/error.h"
#include "util/redact.h"

int main(int argc, char** argv) {
  std::string project_dir, env, payload_name, context, cache, push, mount_from;
  std::optional<int64_t> epoch;
  bool force = false, quiet = false;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) {
        std::cerr << a << " needs a value\n";
        std::exit(2);
      }
      return argv[++i];
    };
    if (a == "--project")
      project_dir = value();
    else if (a == "--env")
      env = value();
    else if (a == "--payload")
      payload_name = value();
    else if (a == "--context")
      context = value();
    else if (a == "--cache")
      cache = value();
    else if (a == "--epoch")
      epoch = std::stoll(value());
    else if (a == "--push")
      push = value();
    else if (a == "--mount-from")
      mount_from = value();
    else if (a == "--force")
      force = true;
    else if (a == "--quiet")
      quiet = true;
    else {
      std::cerr << "unknown argument " << a << "\n";
      return 2;
    }
  }
  try {
    if (const char* url = std::getenv("PIP_INDEX_URL")) lava::add_secret(url);
    auto project = lava::project::open_project(project_dir, env);
    auto selected = lava::project::select_payloads(project.payloads, {payload_name});
    lava::native::NativeOptions options;
    options.force = force;
    options.cache_dir = cache;
    options.source_date_epoch = epoch;
    if (!quiet) {
      options.progress = [](const std::string& line) { std::cerr << "native: " << line << "\n"; };
      options.output = [](const std::string& line) { std::cerr << "  pip: " << line << "\n"; };
    }
    auto result = lava::native::build_payload(project, selected.at(0), context, options);
    nlohmann::json out;
    out["index_digest"] = result.index_digest.str();
    out["layout"] = result.layout.string();
    out["notices"] = result.notices;
    out["layers_built"] = result.layers_built;
    out["layers_reused"] = result.layers_reused;
    out["images"] = nlohmann::json::array();
    for (const auto& img : result.images)
      out["images"].push_back({{"platform", img.platform}, {"digest", img.manifest.digest.str()}});
    if (!push.empty()) {
      auto ref = lava::registry::Reference::parse(push);
      lava::registry::Client client(ref.registry);
      lava::registry::PushOptions push_options;
      if (!mount_from.empty()) push_options.mount_from.push_back(mount_from);
      auto pushed = lava::registry::push_layout(client, lava::oci::Layout::open(result.layout), ref,
                                                push_options);
      out["push"] = {
          {"digest", pushed.digest.str()},           {"blobs_uploaded", pushed.blobs_uploaded},
          {"blobs_skipped", pushed.blobs_skipped},   {"blobs_mounted", pushed.blobs_mounted},
          {"bytes_uploaded", pushed.bytes_uploaded}, {"manifests_pushed", pushed.manifests_pushed}};
    }
    std::cout << out.dump(2) << "\n";
    return 0;
  } catch (const lava::Error& e) {
    std::cerr << "error: " << lava::redact(e.what()) << "\n";
    return e.exit_code();
  }
}
