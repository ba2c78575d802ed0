#include "util/utf8_ctype_scope.h"

namespace lava {

namespace {
// Created once and never freed: threads may hold it until the process ends.
locale_t utf8_ctype() {
  static const locale_t loc = [] {
    locale_t l = ::newlocale(LC_CTYPE_MASK, "C.UTF-8", static_cast<locale_t>(nullptr));
    return l != static_cast<locale_t>(nullptr)
               ? l
               : ::newlocale(LC_CTYPE_MASK, "C.utf8", static_cast<locale_t>(nullptr));
  }();
  return loc;
}
}  // namespace

Utf8CtypeScope::Utf8CtypeScope() {
  if (locale_t loc = utf8_ctype(); loc != static_cast<locale_t>(nullptr))
    previous_ = ::uselocale(loc);
}

Utf8CtypeScope::~Utf8CtypeScope() {
  if (previous_ != nullptr) ::uselocale(previous_);
}

}  // namespace lava
