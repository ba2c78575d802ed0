// Running a helper program (pip) with a chosen environment and working directory, its output
// streamed line by line as it comes.
#pragma once

#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace lava::native {

struct Command {
  std::vector<std::string> argv;  // argv[0] looked up on PATH unless it has a "/"
  std::filesystem::path cwd;      // empty: ours
  // Changes to our environment: a value sets the variable, nullopt removes it.
  std::map<std::string, std::optional<std::string>> env;
  std::function<void(const std::string& line)> on_line;  // stdout and stderr, merged
};

struct CommandResult {
  int exit_status = -1;  // exit code, or 128+signal
  std::string output;    // the last 64 KiB of the merged output
};

// Runs the command to completion. Throws lava::Error naming argv[0] when it cannot start.
CommandResult run_command(const Command& command);

}  // namespace lava::native
