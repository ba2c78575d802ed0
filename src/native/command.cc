#include "native/command.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "util/cancellation.h"
#include "util/error.h"

extern char** environ;

namespace lava::native {

namespace {
constexpr size_t kKeep = 64 * 1024;
}

CommandResult run_command(const Command& command) {
  if (command.argv.empty()) throw Error("run_command: empty command");
  std::map<std::string, std::string> env;
  for (char** e = environ; *e; ++e) {
    std::string kv = *e;
    auto eq = kv.find('=');
    if (eq != std::string::npos) env[kv.substr(0, eq)] = kv.substr(eq + 1);
  }
  for (const auto& [k, v] : command.env) {
    if (v)
      env[k] = *v;
    else
      env.erase(k);
  }
  std::vector<std::string> env_strings;
  for (const auto& [k, v] : env) env_strings.push_back(k + "=" + v);
  std::vector<char*> envp;
  for (auto& s : env_strings) envp.push_back(s.data());
  envp.push_back(nullptr);
  std::vector<char*> args;
  for (const auto& a : command.argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);

  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) throw Error(std::string("pipe: ") + std::strerror(errno));
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, fds[1], 1);
  posix_spawn_file_actions_adddup2(&actions, fds[1], 2);
  if (!command.cwd.empty()) posix_spawn_file_actions_addchdir_np(&actions, command.cwd.c_str());
  pid_t pid = -1;
  int rc = ::posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  ::close(fds[1]);
  if (rc != 0) {
    ::close(fds[0]);
    throw Error(command.argv[0] + ": cannot run: " + std::strerror(rc));
  }

  CommandResult result;
  std::string partial;
  char buf[16384];
  for (;;) {
    // Woken now and then to notice Ctrl-C: the child is stopped, then we unwind.
    pollfd pfd{fds[0], POLLIN, 0};
    if (::poll(&pfd, 1, 200) == 0 || cancel_requested()) {
      if (!cancel_requested()) continue;
      ::kill(pid, SIGTERM);
      ::close(fds[0]);
      int ignored = 0;
      while (::waitpid(pid, &ignored, 0) < 0 && errno == EINTR) {
      }
      throw_if_cancelled();
    }
    ssize_t n = ::read(fds[0], buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    result.output.append(buf, static_cast<size_t>(n));
    if (result.output.size() > 2 * kKeep) result.output.erase(0, result.output.size() - kKeep);
    partial.append(buf, static_cast<size_t>(n));
    size_t start = 0, nl;
    while ((nl = partial.find('\n', start)) != std::string::npos) {
      if (command.on_line) command.on_line(partial.substr(start, nl - start));
      start = nl + 1;
    }
    partial.erase(0, start);
  }
  if (!partial.empty() && command.on_line) command.on_line(partial);
  ::close(fds[0]);
  if (result.output.size() > kKeep) result.output.erase(0, result.output.size() - kKeep);

  int status = 0;
  while (::waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) throw Error(command.argv[0] + ": wait failed: " + std::strerror(errno));
  }
  result.exit_status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return result;
}

}  // namespace lava::native
