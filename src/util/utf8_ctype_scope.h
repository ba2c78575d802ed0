// Makes the calling thread's character type C.UTF-8 while it lives. libarchive converts
// names between the locale's multibyte charset and the UTF-8 of pax headers; under the "C"
// locale a program starts in, every non-ASCII name fails that conversion. With UTF-8 as
// the multibyte charset a valid UTF-8 name goes into the header as is, and an invalid one
// is stored as raw bytes under hdrcharset=BINARY (libarchive then returns ARCHIVE_WARN).
// Per thread (uselocale), so other threads' locale is untouched.
#pragma once

#include <locale.h>

namespace lava {

class Utf8CtypeScope {
 public:
  Utf8CtypeScope();
  ~Utf8CtypeScope();
  Utf8CtypeScope(const Utf8CtypeScope&) = delete;
  Utf8CtypeScope& operator=(const Utf8CtypeScope&) = delete;

 private:
  locale_t previous_ = nullptr;  // nullptr when C.UTF-8 is unavailable: nothing changed
};

}  // namespace lava
