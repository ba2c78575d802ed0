// Running a helper program (credential helpers, credential_process) and capturing its output.
#pragma once

#include <chrono>
#include <string>
#include <vector>

namespace lava {

struct ProcessResult {
  int exit_status = -1;  // exit code, or 128+signal when killed
  std::string out;       // stdout
  std::string err;       // stderr
};

// Runs argv[0] (looked up on PATH) with `input` on its stdin and waits for it, killing it
// after `timeout`. Throws lava::Error naming the program when it cannot be started.
ProcessResult run_process(const std::vector<std::string>& argv, const std::string& input = "",
                          std::chrono::milliseconds timeout = std::chrono::seconds(60));

}  // namespace lava
