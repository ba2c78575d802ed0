#include "native/base_facts.h"

#include <regex>
#include <sstream>

#include "native/pip_scheme.h"
#include "util/error.h"

namespace lava::native {

namespace {

constexpr const char* kDefaultPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

std::string dirname_of(const std::string& path) {
  auto slash = path.rfind('/');
  return slash == std::string::npos ? std::string() : path.substr(0, slash);
}

std::string basename_of(const std::string& path) {
  auto slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

std::string join(const std::string& a, const std::string& b) {
  return a.empty() ? b : a + "/" + b;
}

// KEY=value from an os-release file, quotes removed.
std::string os_release_value(const std::string& content, const std::string& key) {
  std::istringstream in(content);
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(key + "=", 0) != 0) continue;
    std::string v = line.substr(key.size() + 1);
    if (v.size() >= 2 && (v.front() == '"' || v.front() == '\'') && v.back() == v.front())
      v = v.substr(1, v.size() - 2);
    return v;
  }
  return "";
}

void record_meta(const oci::RootfsView& rootfs, const std::string& path,
                 std::map<std::string, PathMeta>& meta) {
  std::string prefix;
  std::istringstream in(path);
  std::string part;
  while (std::getline(in, part, '/')) {
    if (part.empty()) continue;
    prefix = join(prefix, part);
    const oci::RootfsNode* node = rootfs.find(prefix);
    if (node && (node->type == oci::RootfsNode::Type::kDirectory ||
                 node->type == oci::RootfsNode::Type::kFile))
      meta[prefix] = PathMeta{node->mode, node->uid, node->gid};
  }
}

LibcInfo detect_libc(const oci::RootfsView& rootfs) {
  LibcInfo info;
  for (const auto& name : rootfs.children("lib")) {
    if (name.rfind("ld-musl-", 0) != 0) continue;
    info.kind = LibcInfo::Kind::kMusl;
    info.major = 1;
    info.minor = 1;  // the oldest musllinux, unless apk says better
    const oci::RootfsNode* db = rootfs.lookup("lib/apk/db/installed");
    if (db && db->content) {
      static const std::regex kMusl(R"((^|\n)P:musl\n(?:[^\n]*\n)*?V:([0-9.]+))");
      std::smatch m;
      LibcInfo parsed;
      if (std::regex_search(*db->content, m, kMusl) && parse_libc_version(m[2], parsed)) {
        info.major = parsed.major;
        info.minor = parsed.minor;
      }
    }
    return info;
  }
  static const std::regex kLibcFile(R"(libc-(\d+\.\d+)\.so)");
  for (const auto& [path, node] : rootfs.nodes()) {
    std::string version = node.libc_version;
    std::smatch m;
    std::string base = basename_of(path);
    if (version.empty() && std::regex_match(base, m, kLibcFile)) version = m[1];
    LibcInfo parsed;
    if (!version.empty() && parse_libc_version(version, parsed)) {
      parsed.kind = LibcInfo::Kind::kGlibc;
      if (info.kind == LibcInfo::Kind::kUnknown ||
          (parsed.major > info.major || (parsed.major == info.major && parsed.minor > info.minor)))
        info = parsed;
    }
  }
  return info;
}

std::string python_version_of(const std::string& name) {
  static const std::regex kName(R"(python(\d+\.\d+)[a-z]*)");
  std::smatch m;
  return std::regex_match(name, m, kName) ? m[1].str() : "";
}

// "3.11.2" for python `version` ("3.11"): from a venv's pyvenv.cfg, the interpreter's
// patchlevel.h, or the Debian package that ships it; "" when nothing says.
std::string full_version_of(const oci::RootfsView& rootfs, const std::string& version,
                            const std::string& venv_cfg, const std::string& prefix) {
  auto same_minor = [&](const std::string& full) {
    return full.rfind(version + ".", 0) == 0 ? full : std::string();
  };
  std::smatch m;
  static const std::regex kCfg(R"((^|\n)\s*version(_info)?\s*=\s*(\d+\.\d+\.\d+))");
  if (std::regex_search(venv_cfg, m, kCfg) && !same_minor(m[3]).empty()) return m[3];
  for (const auto& dir : {prefix, std::string("usr/local"), std::string("usr")}) {
    const oci::RootfsNode* h =
        rootfs.lookup(join(dir, "include/python" + version + "/patchlevel.h"));
    static const std::regex kPatch(R"(#define\s+PY_VERSION\s+"(\d+\.\d+\.\d+))");
    if (h && h->content && std::regex_search(*h->content, m, kPatch) && !same_minor(m[1]).empty())
      return m[1];
  }
  const oci::RootfsNode* status = rootfs.lookup("var/lib/dpkg/status");
  if (status && status->content) {
    // The stanza of python3.X-minimal (std::regex over the whole file would recurse deeply).
    const std::string& db = *status->content;
    const std::string key = "Package: python" + version + "-minimal\n";
    size_t at = db.rfind(key, 0) == 0 ? 0 : db.find("\n" + key);
    if (at != std::string::npos) {
      size_t end = db.find("\n\n", at + 1);
      std::string stanza = db.substr(at, end == std::string::npos ? std::string::npos : end - at);
      static const std::regex kVersion(R"(\nVersion: (?:\d+:)?(\d+\.\d+\.\d+))");
      if (std::regex_search(stanza, m, kVersion) && !same_minor(m[1]).empty()) return m[1];
    }
  }
  return "";
}

std::optional<PythonLayout> find_python(const oci::RootfsView& rootfs, const std::string& path_env,
                                        const std::string& where) {
  std::istringstream dirs(path_env.empty() ? std::string(kDefaultPath) : path_env);
  std::string dir;
  while (std::getline(dirs, dir, ':')) {
    if (dir.empty() || dir[0] != '/') continue;  // a relative PATH entry depends on the cwd
    std::string candidate = oci::RootfsView::normalise(dir + "/python3");
    const oci::RootfsNode* node = rootfs.lookup(candidate);
    if (!node || node->type != oci::RootfsNode::Type::kFile) continue;

    PythonLayout p;
    p.executable = "/" + candidate;
    std::string real = rootfs.resolve(candidate);
    p.version = python_version_of(basename_of(real));
    std::string bin_dir = dirname_of(candidate);
    std::string venv = dirname_of(bin_dir);
    const oci::RootfsNode* cfg = rootfs.lookup(join(venv, "pyvenv.cfg"));
    std::string site, scripts;
    std::string venv_cfg = cfg && cfg->content ? *cfg->content : "";
    std::string prefix_of_real = dirname_of(dirname_of(real));
    if (cfg && cfg->content) {
      if (p.version.empty()) {
        static const std::regex kCfgVersion(R"((^|\n)\s*version(_info)?\s*=\s*(\d+\.\d+))");
        std::smatch m;
        if (std::regex_search(*cfg->content, m, kCfgVersion)) p.version = m[3];
      }
      if (p.version.empty())
        throw Error(where + ": cannot tell the Python version of /" + candidate +
                    " (its pyvenv.cfg has no version)");
      site = join(venv, "lib/python" + p.version + "/site-packages");
      scripts = bin_dir;
      p.layout = "venv";
    } else {
      std::string prefix = dirname_of(dirname_of(real));
      if (p.version.empty()) {
        // python3 is not named after its version: the stdlib directory says it.
        for (const auto& lib : {"lib", "lib64"}) {
          for (const auto& name : rootfs.children(join(prefix, lib))) {
            std::string v = python_version_of(name);
            if (!v.empty() && rootfs.lookup(join(prefix, std::string(lib) + "/" + name + "/os.py")))
              p.version = v;
          }
          if (!p.version.empty()) break;
        }
      }
      if (p.version.empty())
        throw Error(where + ": cannot tell the Python version of /" + candidate +
                    " (no python3.X name or standard library directory)");
      std::string site_py;
      for (const auto& lib : {"lib", "lib64"}) {
        const oci::RootfsNode* s =
            rootfs.lookup(join(prefix, std::string(lib) + "/python" + p.version + "/site.py"));
        if (s && s->content) {
          site_py = *s->content;
          break;
        }
      }
      std::string local = prefix == "usr" ? "usr/local" : prefix;
      if (site_py.find("dist-packages") != std::string::npos) {
        // Debian's python: pip installs to /usr/local/lib/python3.X/dist-packages.
        site = local + "/lib/python" + p.version + "/dist-packages";
        scripts = local + "/bin";
        p.layout = "debian";
      } else if (prefix == "usr" && site_py.find("/usr/local") != std::string::npos) {
        // Fedora/RHEL/Amazon Linux: site.py adds /usr/local's site-packages.
        site = "usr/local/lib/python" + p.version + "/site-packages";
        scripts = "usr/local/bin";
        p.layout = "local-prefix";
      } else {
        site = join(prefix, "lib/python" + p.version + "/site-packages");
        scripts = join(prefix, "bin");
        p.layout = "prefix";
      }
    }
    p.full_version = full_version_of(rootfs, p.version, venv_cfg, prefix_of_real);
    p.site_dir = "/" + rootfs.resolve(site);
    p.scripts_dir = "/" + rootfs.resolve(scripts);
    return p;
  }
  return std::nullopt;
}

}  // namespace

BaseFacts inspect_rootfs(const oci::RootfsView& rootfs, const std::string& path_env,
                         const std::string& where) {
  BaseFacts f;
  for (const auto* path : {"etc/os-release", "usr/lib/os-release"}) {
    const oci::RootfsNode* node = rootfs.lookup(path);
    if (node && node->content) {
      f.os_id = os_release_value(*node->content, "ID");
      break;
    }
  }
  f.libc = detect_libc(rootfs);

  f.passwd_path = rootfs.resolve("etc/passwd");
  f.group_path = rootfs.resolve("etc/group");
  for (auto [path, out] :
       {std::pair{&f.passwd_path, &f.passwd}, std::pair{&f.group_path, &f.group}}) {
    const oci::RootfsNode* node = rootfs.lookup(*path);
    if (node && node->type == oci::RootfsNode::Type::kFile) {
      if (!node->content)
        throw Error(where + ": /" + *path + " is too large to edit (" + std::to_string(node->size) +
                    " bytes)");
      *out = node->content;
    } else if (node) {
      throw Error(where + ": /" + *path + " is not a regular file");
    }
    record_meta(rootfs, *path, f.meta);
  }

  f.python = find_python(rootfs, path_env, where);
  if (f.python) {
    record_meta(rootfs, f.python->site_dir, f.meta);
    record_meta(rootfs, f.python->scripts_dir, f.meta);
    // Where a wheel's data and headers go (see pip_scheme.h): the base's share/ and include/.
    InstallScheme scheme = install_scheme_for(*f.python);
    for (const auto& dir : {scheme.data + "/share", scheme.data + "/etc", scheme.include})
      record_meta(rootfs, dir, f.meta);
  }
  return f;
}

nlohmann::json BaseFacts::to_json() const {
  nlohmann::json j;
  j["os_id"] = os_id;
  j["libc"] = {{"kind", static_cast<int>(libc.kind)}, {"major", libc.major}, {"minor", libc.minor}};
  if (python)
    j["python"] = {{"executable", python->executable}, {"version", python->version},
                   {"site_dir", python->site_dir},     {"scripts_dir", python->scripts_dir},
                   {"layout", python->layout},         {"full_version", python->full_version}};
  if (passwd) j["passwd"] = *passwd;
  if (group) j["group"] = *group;
  j["passwd_path"] = passwd_path;
  j["group_path"] = group_path;
  nlohmann::json m = nlohmann::json::object();
  for (const auto& [path, pm] : meta) m[path] = {pm.mode, pm.uid, pm.gid};
  j["meta"] = m;
  return j;
}

BaseFacts BaseFacts::from_json(const nlohmann::json& j) {
  BaseFacts f;
  f.os_id = j.at("os_id").get<std::string>();
  const auto& l = j.at("libc");
  f.libc.kind = static_cast<LibcInfo::Kind>(l.at("kind").get<int>());
  f.libc.major = l.at("major").get<int>();
  f.libc.minor = l.at("minor").get<int>();
  if (j.contains("python")) {
    const auto& p = j.at("python");
    f.python =
        PythonLayout{p.at("executable").get<std::string>(), p.at("version").get<std::string>(),
                     p.at("site_dir").get<std::string>(),   p.at("scripts_dir").get<std::string>(),
                     p.at("layout").get<std::string>(),     p.value("full_version", "")};
  }
  if (j.contains("passwd")) f.passwd = j.at("passwd").get<std::string>();
  if (j.contains("group")) f.group = j.at("group").get<std::string>();
  f.passwd_path = j.at("passwd_path").get<std::string>();
  f.group_path = j.at("group_path").get<std::string>();
  for (const auto& [path, v] : j.at("meta").items())
    f.meta[path] =
        PathMeta{v.at(0).get<unsigned>(), v.at(1).get<uint32_t>(), v.at(2).get<uint32_t>()};
  return f;
}

void BaseFacts::keep_base_metadata(oci::LayerEntry& entry) const {
  auto it = meta.find(entry.path);
  if (it == meta.end()) return;
  entry.mode = it->second.mode;
  entry.uid = it->second.uid;
  entry.gid = it->second.gid;
}

}  // namespace lava::native
