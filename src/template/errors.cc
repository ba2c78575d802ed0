#include "template/errors.h"

namespace lava::tmpl {

const char* error_kind_name(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::Syntax:
      return "TemplateSyntaxError";
    case ErrorKind::Undefined:
      return "UndefinedError";
    case ErrorKind::NotFound:
      return "TemplateNotFound";
    case ErrorKind::Runtime:
      return "TemplateRuntimeError";
    case ErrorKind::Type:
      return "TypeError";
    case ErrorKind::Value:
      return "ValueError";
    case ErrorKind::ZeroDivision:
      return "ZeroDivisionError";
    case ErrorKind::Index:
      return "IndexError";
    case ErrorKind::Error:
      break;
  }
  return "Exception";
}

}  // namespace lava::tmpl
