// Running a base image's own program on the build host, without root and without Docker:
// bubblewrap (Debian's `bubblewrap`, the `bwrap` command) over the base's unpacked root
// file system. The sandbox has no network and no other namespace of the host's; it sees the
// root read-only, one host directory read-write (the work), and, for a program of another
// architecture, one static QEMU binary that runs it.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace lava::native {

// Where the work directory and the QEMU binary appear inside the sandbox.
inline constexpr const char* kSandboxWork = "/.lava-sandbox/work";
inline constexpr const char* kSandboxQemu = "/.lava-sandbox/qemu";

struct Sandbox {
  std::filesystem::path root;  // made ready by prepare_sandbox_root
  std::filesystem::path work;  // host directory, read-write at kSandboxWork
  // Host file of a static qemu-user binary; the program runs under it. Empty: natively.
  std::filesystem::path qemu;
};

// Adds the mount points the sandbox binds onto (proc, dev, tmp, kSandboxWork, kSandboxQemu)
// to an unpacked root that will be bound read-only, replacing anything else at those paths.
void prepare_sandbox_root(const std::filesystem::path& root);

// `name` found on PATH (as a shell would), or nullopt.
std::optional<std::filesystem::path> find_program(const std::string& name);

// bwrap's arguments for running `argv` (argv[0] a path inside the root) in the sandbox,
// starting with `bwrap` itself. No environment but PATH, LANG=C.UTF-8 and `env` entries
// ("NAME=value").
std::vector<std::string> sandbox_argv(const std::filesystem::path& bwrap, const Sandbox& sandbox,
                                      const std::vector<std::string>& argv,
                                      const std::vector<std::string>& env = {});

// The qemu-user binary Debian's qemu-user-static installs for a Go architecture ("arm64":
// "qemu-aarch64-static").
std::string qemu_static_name(const std::string& architecture);

}  // namespace lava::native
