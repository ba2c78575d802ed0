// Template errors. Inside the engine an EvalError carries the Python-style message; the
// renderer adds the template name and line and raises TemplateError to callers.
#pragma once

#include <stdexcept>
#include <string>

#include "util/error.h"

namespace lava::tmpl {

// What callers see: what() == "NAME:LINE: message".
class TemplateError : public lava::Error {
 public:
  TemplateError(std::string name, int line, std::string message)
      : lava::Error(name + ":" + std::to_string(line) + ": " + message),
        name_(std::move(name)),
        line_(line),
        message_(std::move(message)) {}
  const std::string& name() const { return name_; }
  int line() const { return line_; }
  const std::string& message() const { return message_; }

 private:
  std::string name_;
  int line_;
  std::string message_;
};

// A failure while lexing, parsing or evaluating; `line` is 0 until the engine knows it.
class EvalError : public std::runtime_error {
 public:
  explicit EvalError(const std::string& message, int line = 0, std::string tmpl = {})
      : std::runtime_error(message), line(line), tmpl(std::move(tmpl)) {}
  int line;
  std::string tmpl;  // template the line belongs to ("" = not yet located)
  int top_line = 0;  // line in the top-level template when raised in another one
};

// Raised for Python TypeError-like failures (used by filters that fall back on them).
class TypeErr : public EvalError {
 public:
  using EvalError::EvalError;
};
// Raised for ValueError-like failures.
class ValueErr : public EvalError {
 public:
  using EvalError::EvalError;
};
// UndefinedError (an operation on an undefined value).
class UndefinedErr : public EvalError {
 public:
  using EvalError::EvalError;
};

}  // namespace lava::tmpl
