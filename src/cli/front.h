// The light front binary. `lava-docker` links only what list, migrate and nb2py
// need, so these start without the dynamic loader mapping libcurl, libarchive, OpenSSL and
// their thirty-odd dependencies (most of a short run's time). Every other invocation
// (the other commands, --help, --version, any parse error) runs the full binary,
// `lava-docker-full`, installed beside it, with the same arguments.
#pragma once

namespace lava::cli::front {

// True when some argument is the name of a command only the full binary has: the front
// then leaves the whole command line to it rather than parse it with fewer commands.
bool names_full_only_command(int argc, char** argv);

// Replaces this process with the full binary (same arguments, environment and pid);
// throws lava::Error when it cannot be run.
[[noreturn]] void exec_full(char** argv);

}  // namespace lava::cli::front
