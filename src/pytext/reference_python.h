// Test helper: runs a snippet under Debian's /usr/bin/python3 (the reference the
// template engine and notebook converter must match) with `input` on its stdin, and returns its stdout.
#pragma once

#include <unistd.h>

#include <array>
#include <cstdio>
#include <fstream>
#include <stdexcept>
#include <string>

namespace lava::pytext::testing {

inline std::string run_reference_python(const std::string& code, const std::string& input) {
  char dir_template[] = "/tmp/lava-pytext-test-XXXXXX";
  std::string dir = ::mkdtemp(dir_template);
  std::ofstream(dir + "/lava_reference_snippet.py") << code;
  std::ofstream(dir + "/input", std::ios::binary) << input;
  std::string cmd = "/usr/bin/python3 " + dir + "/lava_reference_snippet.py < " + dir + "/input";
  FILE* pipe = ::popen(cmd.c_str(), "r");
  if (pipe == nullptr) throw std::runtime_error("cannot run /usr/bin/python3");
  std::string out;
  std::array<char, 65536> buf{};
  size_t n;
  while ((n = std::fread(buf.data(), 1, buf.size(), pipe)) > 0) out.append(buf.data(), n);
  int status = ::pclose(pipe);
  std::remove((dir + "/lava_reference_snippet.py").c_str());
  std::remove((dir + "/input").c_str());
  ::rmdir(dir.c_str());
  if (status != 0) throw std::runtime_error("reference python failed: " + code.substr(0, 80));
  return out;
}

}  // namespace lava::pytext::testing
