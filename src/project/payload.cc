#include "project/payload.h"

#include <algorithm>

#include "project/repository_name.h"
#include "util/error.h"

namespace lava::project {

namespace fs = std::filesystem;

std::vector<Payload> discover_payloads(const fs::path& project_dir, const std::string& docker_repo) {
  fs::path dir = project_dir / "lava-payloads";
  std::error_code ec;
  if (!fs::is_directory(dir, ec))
    throw Error("lava-payloads/: no such directory in " +
                fs::absolute(project_dir).lexically_normal().string());
  std::vector<Payload> found;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    std::string dir_name = entry.path().filename().string();
    const std::string suffix = ".docker";
    if (dir_name.size() <= suffix.size() ||
        dir_name.compare(dir_name.size() - suffix.size(), suffix.size(), suffix) != 0)
      continue;
    fs::path shown = fs::path("lava-payloads") / dir_name;
    std::error_code sec;
    fs::file_status st = fs::status(entry.path(), sec);  // follows symlinks
    if (!fs::exists(st)) {
      throw Error(shown.string() + ": dangling symlink to " +
                  fs::read_symlink(entry.path(), sec).string());
    }
    if (!fs::is_directory(st))
      throw Error(shown.string() + ": a docker payload must be a directory, not a file");
    Payload p;
    p.dir_name = dir_name;
    p.name = dir_name.substr(0, dir_name.size() - suffix.size());
    p.source = entry.path();
    p.image = docker_repo + "/" + p.name;
    if (std::string why = repository_name_problem(p.name); !why.empty())
      throw Error(shown.string() + ": payload name '" + p.name +
                  "' cannot be part of an image name: " + why);
    if (p.image.size() > kMaxRepositoryName)
      throw Error(shown.string() + ": image name " + p.image + " is longer than " +
                  std::to_string(kMaxRepositoryName) + " characters");
    found.push_back(std::move(p));
  }
  if (ec) throw Error("lava-payloads/: cannot list: " + ec.message());
  std::sort(found.begin(), found.end(),
            [](const Payload& a, const Payload& b) { return a.name < b.name; });
  return found;
}

std::vector<Payload> select_payloads(const std::vector<Payload>& all,
                                     const std::vector<std::string>& wanted) {
  if (wanted.empty()) return all;
  std::vector<Payload> out;
  for (const auto& w : wanted) {
    auto it = std::find_if(all.begin(), all.end(), [&](const Payload& p) {
      return p.name == w || p.dir_name == w || ("lava-payloads/" + p.dir_name) == w ||
             ("lava-payloads/" + p.dir_name + "/") == w;
    });
    if (it == all.end()) {
      std::string known;
      for (const auto& p : all) known += (known.empty() ? "" : ", ") + p.name;
      throw Error("no docker payload named '" + w + "' (known: " + (known.empty() ? "none" : known) + ")");
    }
    out.push_back(*it);
  }
  return out;
}

}  // namespace lava::project
