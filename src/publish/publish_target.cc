#include "publish/publish_target.h"

namespace lava::publish {

PublishTarget PublishTarget::parse(const std::string& spec, const std::string& repository,
                                   const std::string& tag, bool insecure) {
  PublishTarget t;
  t.repository = repository;
  t.tag = tag;
  t.insecure = insecure;
  if (spec.empty() || spec == "ecr") {
    t.kind = Kind::kEcr;
  } else if (spec.starts_with("ecr:")) {
    t.kind = Kind::kEcr;
    t.ecr_account_id = spec.substr(4);
  } else {
    t.kind = Kind::kRegistry;
    t.registry = spec;
  }
  return t;
}

std::string PublishTarget::str() const {
  if (kind == Kind::kRegistry) return registry + "/" + repository + ":" + tag;
  return "ECR" + (ecr_account_id.empty() ? std::string() : " " + ecr_account_id) + " " +
         repository + ":" + tag;
}

}  // namespace lava::publish
