#include "native/sandbox.h"

#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <map>

#include "util/error.h"

namespace lava::native {

namespace fs = std::filesystem;

namespace {

void make_directory(const fs::path& p) {
  std::error_code ec;
  if (fs::is_symlink(p, ec) || (fs::exists(p, ec) && !fs::is_directory(p, ec))) fs::remove_all(p);
  fs::create_directories(p);
}

void make_file(const fs::path& p) {
  std::error_code ec;
  if (fs::is_symlink(p, ec) || fs::is_directory(p, ec)) fs::remove_all(p);
  fs::create_directories(p.parent_path());
  std::ofstream out(p, std::ios::app);
  if (!out) throw Error(p.string() + ": cannot write");
}

}  // namespace

void prepare_sandbox_root(const fs::path& root) {
  for (const char* dir : {"proc", "dev", "tmp"}) make_directory(root / dir);
  make_directory(root / std::string(kSandboxWork).substr(1));
  make_file(root / std::string(kSandboxQemu).substr(1));
}

std::optional<fs::path> find_program(const std::string& name) {
  const char* path = std::getenv("PATH");
  std::string dirs = path ? path : "/usr/local/bin:/usr/bin:/bin";
  size_t start = 0;
  while (start <= dirs.size()) {
    size_t end = dirs.find(':', start);
    if (end == std::string::npos) end = dirs.size();
    fs::path candidate =
        fs::path(dirs.substr(start, end - start).empty() ? "." : dirs.substr(start, end - start)) /
        name;
    if (::access(candidate.c_str(), X_OK) == 0 && !fs::is_directory(candidate)) return candidate;
    start = end + 1;
  }
  return std::nullopt;
}

std::vector<std::string> sandbox_argv(const fs::path& bwrap, const Sandbox& sandbox,
                                      const std::vector<std::string>& argv,
                                      const std::vector<std::string>& env) {
  std::vector<std::string> a = {bwrap.string(),
                                "--unshare-all",  // network, pid, ipc, uts, cgroup, user
                                "--die-with-parent",
                                "--new-session",
                                "--clearenv",
                                "--ro-bind",
                                sandbox.root.string(),
                                "/",
                                "--proc",
                                "/proc",
                                "--dev",
                                "/dev",
                                "--tmpfs",
                                "/tmp",
                                "--bind",
                                sandbox.work.string(),
                                kSandboxWork};
  if (!sandbox.qemu.empty()) a.insert(a.end(), {"--ro-bind", sandbox.qemu.string(), kSandboxQemu});
  a.insert(a.end(),
           {"--setenv", "PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
            "--setenv", "LANG", "C.UTF-8", "--chdir", "/"});
  for (const auto& kv : env) {
    auto eq = kv.find('=');
    a.insert(a.end(), {"--setenv", kv.substr(0, eq),
                       eq == std::string::npos ? std::string() : kv.substr(eq + 1)});
  }
  // A foreign program runs under QEMU named explicitly: a binfmt_misc entry, when the host
  // has one, names an interpreter path that does not exist inside the sandbox.
  a.push_back("--");
  if (!sandbox.qemu.empty()) a.push_back(kSandboxQemu);
  a.insert(a.end(), argv.begin(), argv.end());
  return a;
}

std::string qemu_static_name(const std::string& architecture) {
  static const std::map<std::string, std::string> kMachine = {
      {"amd64", "x86_64"},    {"arm64", "aarch64"},    {"arm", "arm"},
      {"386", "i386"},        {"ppc64le", "ppc64le"},  {"s390x", "s390x"},
      {"riscv64", "riscv64"}, {"mips64le", "mips64el"}};
  auto it = kMachine.find(architecture);
  return "qemu-" + (it == kMachine.end() ? architecture : it->second) + "-static";
}

}  // namespace lava::native
