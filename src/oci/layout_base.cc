#include "oci/layout_base.h"

#include <vector>

#include "oci/layout.h"
#include "util/error.h"

namespace lava::oci {

namespace fs = std::filesystem;

namespace {

class LayoutBase : public BaseImage {
 public:
  LayoutBase(std::string name, const fs::path& dir, const std::string& tag)
      : name_(std::move(name)), layout_(Layout::open(dir)) {
    Index index = layout_.read_index();
    std::vector<Descriptor> found;
    for (const auto& d : index.manifests) {
      auto ref = d.annotations.find(kRefNameAnnotation);
      if (tag.empty() || (ref != d.annotations.end() && ref->second == tag)) found.push_back(d);
    }
    if (found.empty())
      throw Error("base image " + name_ + ": " + dir.string() + " has no image tagged '" + tag +
                  "'");
    if (found.size() > 1)
      throw Error("base image " + name_ + ": " + dir.string() + " has " +
                  std::to_string(found.size()) + " images; name one as oci:PATH:TAG");
    root_ = found[0];
  }
  const std::string& name() const override { return name_; }
  const Digest& digest() const override { return root_.digest; }
  BaseManifest manifest_for(const Platform& platform) override {
    auto read = [&](const Descriptor& d) { return layout_.read_blob(d.digest); };
    return base_manifest_for(name_, layout_.read_blob(root_.digest), root_, platform, read, read);
  }
  fs::path blob_file(const Descriptor& d) override {
    fs::path p = layout_.blob_path(d.digest);
    std::error_code ec;
    auto size = fs::file_size(p, ec);
    if (ec)
      throw Error("base image " + name_ + ": blob " + d.digest.str() + " is missing from " +
                  layout_.dir().string());
    if (d.size >= 0 && static_cast<int64_t>(size) != d.size)
      throw Error("base image " + name_ + ": blob " + d.digest.str() + " has " +
                  std::to_string(size) + " bytes, expected " + std::to_string(d.size));
    return p;
  }

 private:
  std::string name_;
  Layout layout_;
  Descriptor root_;
};

}  // namespace

bool parse_oci_name(const std::string& name, std::string& path, std::string& tag) {
  if (name.rfind("oci:", 0) != 0) return false;
  std::string rest = name.substr(4);
  auto colon = rest.find(':');
  path = rest.substr(0, colon);
  tag = colon == std::string::npos ? "" : rest.substr(colon + 1);
  return true;
}

std::unique_ptr<BaseImage> open_layout_base(const std::string& name, const fs::path& relative_to) {
  std::string path, tag;
  if (!parse_oci_name(name, path, tag))
    throw Error("base image " + name + ": not an oci:PATH[:TAG] name");
  if (path.empty()) throw Error("base image " + name + ": no layout path after oci:");
  fs::path dir = path;
  if (dir.is_relative() && !relative_to.empty()) dir = relative_to / dir;
  try {
    return std::make_unique<LayoutBase>(name, dir, tag);
  } catch (const Error& e) {
    std::string what = e.what();
    if (what.rfind("base image ", 0) == 0) throw;
    throw Error("base image " + name + ": " + what);
  }
}

}  // namespace lava::oci
