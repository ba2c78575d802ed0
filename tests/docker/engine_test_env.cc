#include "engine_test_env.h"

#include <archive.h>
#include <archive_entry.h>
#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>

namespace lava::docker_test {

namespace fs = std::filesystem;

std::string env(const char* name) {
  const char* v = std::getenv(name);
  return v ? v : "";
}

bool engine_configured() {
  static std::once_flag once;
  std::call_once(once, [] {
    std::string file = env("LAVA_HARNESS_ENV");
    if (file.empty() && fs::exists(LAVA_BUILD_DIR "/harness/env"))
      file = LAVA_BUILD_DIR "/harness/env";
    if (file.empty()) return;
    std::ifstream in(file);
    for (std::string line; std::getline(in, line);) {
      if (line.rfind("export ", 0) == 0) line.erase(0, 7);
      size_t eq = line.find('=');
      if (line.empty() || line[0] == '#' || eq == std::string::npos) continue;
      std::string value = line.substr(eq + 1);
      if (value.size() >= 2 && (value[0] == '"' || value[0] == '\'') && value.back() == value[0])
        value = value.substr(1, value.size() - 2);
      setenv(line.substr(0, eq).c_str(), value.c_str(), 1);
    }
  });
  return !env("DOCKER_HOST").empty();
}

namespace {

// Fixtures construct their DockerClient (which reads DOCKER_HOST) before SetUp runs, so
// the harness's env file is loaded when the test program starts, before any fixture.
[[maybe_unused]] const bool harness_env_loaded = engine_configured();

// A tar of / with bin/busybox and its applets as links, built in memory (about 2 MB).
std::string busybox_rootfs_tar() {
  std::string out;
  struct archive* a = archive_write_new();
  archive_write_set_format_pax_restricted(a);
  archive_write_set_bytes_per_block(a, 0);
  archive_write_open2(
      a, &out, nullptr,
      [](struct archive*, void* self, const void* data, size_t n) -> la_ssize_t {
        static_cast<std::string*>(self)->append(static_cast<const char*>(data), n);
        return static_cast<la_ssize_t>(n);
      },
      nullptr, nullptr);
  auto add = [&](const std::string& name, mode_t type, int perm, const std::string& content,
                 const std::string& link) {
    struct archive_entry* e = archive_entry_new();
    archive_entry_set_pathname(e, name.c_str());
    archive_entry_set_filetype(e, type);
    archive_entry_set_perm(e, perm);
    archive_entry_set_size(e, static_cast<la_int64_t>(content.size()));
    if (!link.empty()) archive_entry_set_symlink(e, link.c_str());
    archive_write_header(a, e);
    if (!content.empty()) archive_write_data(a, content.data(), content.size());
    archive_entry_free(e);
  };
  std::ifstream bb("/bin/busybox", std::ios::binary);
  std::string binary((std::istreambuf_iterator<char>(bb)), std::istreambuf_iterator<char>());
  add("bin/", AE_IFDIR, 0755, "", "");
  add("bin/busybox", AE_IFREG, 0755, binary, "");
  for (const char* applet : {"sh",       "id",    "env",   "echo",   "cat",   "ls",   "pwd",
                             "hostname", "sleep", "touch", "printf", "sort",  "stat", "test",
                             "true",     "false", "mkdir", "rm",     "chmod", "wc",   "grep"}) {
    add(std::string("bin/") + applet, AE_IFLNK, 0777, "", "busybox");
  }
  add("etc/", AE_IFDIR, 0755, "", "");
  add("etc/passwd", AE_IFREG, 0644, "root:x:0:0:root:/root:/bin/sh\n", "");
  add("etc/group", AE_IFREG, 0644, "root:x:0:\n", "");
  add("tmp/", AE_IFDIR, 01777, "", "");
  archive_write_close(a);
  archive_write_free(a);
  return out;
}

}  // namespace

std::string busybox_image(docker::DockerClient& docker, const std::string& tag,
                          const std::string& platform) {
  std::string ref = "lava-docker-test/busybox:" + tag;
  if (auto img = docker.inspect_image(ref)) {
    if (platform.empty() || img->platform().str() == platform) return ref;
    docker.remove_image(ref, true);  // left by another run, for another platform
  }
  auto tar = std::make_shared<std::string>(busybox_rootfs_tar());
  if (platform.empty()) {
    auto pos = std::make_shared<size_t>(0);
    docker.import_image(
        [tar, pos](char* buf, size_t len) {
          size_t n = std::min(len, tar->size() - *pos);
          std::copy_n(tar->data() + *pos, n, buf);
          *pos += n;
          return n;
        },
        ref);
    return ref;
  }
  // The engine's import ignores the platform; a build from scratch records it.
  TempDir ctx;
  docker::BuildOptions o;
  o.context_dir = ctx.path;
  o.extra_files = {{"Dockerfile", "FROM scratch\nADD rootfs.tar /\n"}, {"rootfs.tar", *tar}};
  o.platform = platform;
  o.tags = {ref};
  // The classic builder's cache ignores the platform of FROM scratch: without this, an
  // arm64 build reuses the amd64 image another test built from the same tar.
  o.no_cache = true;
  docker.build(o);
  return ref;
}

ProcessResult run_process(const std::vector<std::string>& argv,
                          const std::vector<std::string>& env_add,
                          const std::function<void(pid_t)>& while_running) {
  int out[2], err[2];
  if (pipe(out) != 0 || pipe(err) != 0) return {};
  pid_t pid = fork();
  if (pid == 0) {
    dup2(out[1], 1);
    dup2(err[1], 2);
    close(out[0]);
    close(err[0]);
    close(out[1]);
    close(err[1]);
    for (const auto& e : env_add) putenv(const_cast<char*>(e.c_str()));
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    execv(args[0], args.data());
    _exit(127);
  }
  close(out[1]);
  close(err[1]);
  if (while_running) while_running(pid);
  ProcessResult r;
  struct pollfd fds[2] = {{out[0], POLLIN, 0}, {err[0], POLLIN, 0}};
  int open_fds = 2;
  while (open_fds > 0) {
    if (poll(fds, 2, -1) < 0) break;
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP))) continue;
      char buf[4096];
      ssize_t n = read(fds[i].fd, buf, sizeof buf);
      if (n <= 0) {
        close(fds[i].fd);
        fds[i].fd = -1;
        --open_fds;
      } else {
        (i == 0 ? r.out : r.err).append(buf, static_cast<size_t>(n));
      }
    }
  }
  int status = 0;
  waitpid(pid, &status, 0);
  r.status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return r;
}

ProcessResult docker_cli(const std::vector<std::string>& args) {
  std::vector<std::string> argv{"/usr/bin/docker"};
  argv.insert(argv.end(), args.begin(), args.end());
  return run_process(argv);
}

}  // namespace lava::docker_test
