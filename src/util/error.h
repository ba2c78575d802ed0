// Errors travel as exceptions; only src/cli turns them into one line and an exit code.
#pragma once

#include <stdexcept>
#include <string>

namespace lava {

// Base of every error the tool raises on purpose. what() is the one line a user sees,
// already naming the file, key or value at fault.
class Error : public std::runtime_error {
 public:
  explicit Error(const std::string& message, int exit_code = 1)
      : std::runtime_error(message), exit_code_(exit_code) {}
  int exit_code() const { return exit_code_; }

 private:
  int exit_code_;
};

// Bad command-line usage: exit status 2.
class UsageError : public Error {
 public:
  explicit UsageError(const std::string& message) : Error(message, 2) {}
};

}  // namespace lava
