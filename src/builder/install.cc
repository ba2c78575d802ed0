#include "builder/install.h"

#include <filesystem>

#include "oci/layout.h"
#include "registry/reference.h"
#include "util/error.h"

namespace lava::builder {

publish::PublishTarget publish_target(const project::Config& config,
                                      const std::string& payload_name) {
  publish::PublishTarget t;
  if (config.registry.kind == project::RegistryTarget::Kind::kEcr) {
    t.kind = publish::PublishTarget::Kind::kEcr;
    t.ecr_account_id = config.registry.account_id;
  } else {
    t.kind = publish::PublishTarget::Kind::kRegistry;
    t.registry = config.registry.host;
  }
  t.repository = config.docker_repo + "/" + payload_name;
  t.tag = "latest";
  t.insecure = config.insecure_registry;
  return t;
}

publish::PublishResult install_payload(PayloadBuilder* builder, const project::Project& project,
                                       const project::Payload& payload,
                                       publish::PublishOptions options,
                                       const registry::ProgressCallback& progress) {
  std::filesystem::path layout_dir = project.dist.oci_layout(payload.name);
  if (builder) {
    builder->build(project, payload);
    layout_dir = builder->ensure_layout(project, payload);
  }
  if (!std::filesystem::exists(layout_dir / "oci-layout"))
    throw Error(payload.name + ": no built image at " + layout_dir.string() +
                "; run lava-docker build --env " + project.config.env + " first");
  auto layout = oci::Layout::open(layout_dir);
  auto target = publish_target(project.config, payload.name);
  // A base image in the target registry lends its layers by cross-repository mount
  // instead of an upload.
  if (target.kind == publish::PublishTarget::Kind::kRegistry &&
      project.config.base_img.rfind("oci:", 0) != 0) {
    try {
      auto base = registry::Reference::parse(project.config.base_img);
      if (base.registry == target.registry) options.push.mount_from.push_back(base.repository);
    } catch (const Error&) {
      // not a reference we can mount from; plain uploads then
    }
  }
  return publish::publish(layout, target, options, progress);
}

}  // namespace lava::builder
