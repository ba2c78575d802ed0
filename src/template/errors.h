// Template errors. Inside the engine an EvalError carries the Python-style message and
// kind; the renderer adds the template name and line and raises TemplateError to callers.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>

#include "util/error.h"

namespace lava::tmpl {

// The Python exception a failure corresponds to, named as Jinja and Python name it
// (error_kind_name), so that callers and the differential tests can tell failures apart.
// Error is any other exception.
enum class ErrorKind : uint8_t {
  Error,
  Syntax,        // TemplateSyntaxError (and its TemplateAssertionError): a compile error
  Undefined,     // UndefinedError
  NotFound,      // TemplateNotFound
  Runtime,       // TemplateRuntimeError (and its FilterArgumentError)
  Type,          // TypeError
  Value,         // ValueError
  ZeroDivision,  // ZeroDivisionError
  Index,         // IndexError
};
const char* error_kind_name(ErrorKind kind);

// What callers see: what() == "NAME:LINE: message".
class TemplateError : public lava::Error {
 public:
  TemplateError(std::string name, int line, std::string message, ErrorKind kind = ErrorKind::Error)
      : lava::Error(name + ":" + std::to_string(line) + ": " + message),
        name_(std::move(name)),
        line_(line),
        message_(std::move(message)),
        kind_(kind) {}
  const std::string& name() const { return name_; }
  int line() const { return line_; }
  const std::string& message() const { return message_; }
  ErrorKind kind() const { return kind_; }

 private:
  std::string name_;
  int line_;
  std::string message_;
  ErrorKind kind_;
};

// A failure while lexing, parsing or evaluating; `line` is 0 until the engine knows it.
class EvalError : public std::runtime_error {
 public:
  explicit EvalError(const std::string& message, int line = 0, std::string tmpl = {})
      : std::runtime_error(message), line(line), tmpl(std::move(tmpl)) {}
  int line;
  std::string tmpl;  // template the line belongs to ("" = not yet located)
  int top_line = 0;  // line in the top-level template when raised in another one
  ErrorKind kind = ErrorKind::Error;
};

// An EvalError of one kind. Code that falls back on a kind catches its class.
template <ErrorKind K>
class KindError : public EvalError {
 public:
  explicit KindError(const std::string& message, int line = 0, std::string tmpl = {})
      : EvalError(message, line, std::move(tmpl)) {
    kind = K;
  }
};

using TypeErr = KindError<ErrorKind::Type>;
using ValueErr = KindError<ErrorKind::Value>;
using UndefinedErr = KindError<ErrorKind::Undefined>;  // an operation on an undefined value
using RuntimeErr = KindError<ErrorKind::Runtime>;      // Jinja's TemplateRuntimeError
using ZeroDivisionErr = KindError<ErrorKind::ZeroDivision>;
using IndexErr = KindError<ErrorKind::Index>;
using NotFoundErr = KindError<ErrorKind::NotFound>;  // the loader has no such template

}  // namespace lava::tmpl
