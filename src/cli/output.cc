#include "cli/output.h"

#include <cstdio>
#include <string>

#include "util/redact.h"

namespace lava::cli {

std::string error_line(std::string_view message) {
  std::string line = "lava-docker: " + redact(message);
  while (!line.empty() && line.back() == '\n') line.pop_back();
  return line + "\n";
}

void print_error(std::string_view message) {
  std::fputs(error_line(message).c_str(), stderr);
}

void print_error_with_prefix(std::string_view prefix, std::string_view message) {
  std::string line = std::string(prefix) + ": " + redact(message);
  while (!line.empty() && line.back() == '\n') line.pop_back();
  std::fprintf(stderr, "%s\n", line.c_str());
}

void print_notice(std::string_view message) {
  std::fprintf(stderr, "notice: %s\n", redact(message).c_str());
}

void print_warning(std::string_view message) {
  std::fprintf(stderr, "warning: %s\n", redact(message).c_str());
}

}  // namespace lava::cli
