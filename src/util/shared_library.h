// A shared library opened with dlopen when first needed, rather than linked: libcurl and
// libarchive pull in dozens of libraries (TLS, Kerberos, XML, ICU, ...) whose loading and
// relocation cost every start of the full binary more than a code-only rebuild's own work.
#pragma once

#include <string>
#include <string_view>

#include "util/background_start.h"

namespace lava {

class SharedLibrary {
 public:
  // Loads `soname` with every relocation done now (RTLD_NOW, on the caller's thread, which
  // may be a background one) and its symbols kept private (RTLD_LOCAL). Throws lava::Error
  // naming the library and the Debian package to install. The library is never unloaded.
  static SharedLibrary open(const char* soname, const char* package);

  // slot = the address of `name`; throws lava::Error naming the library and the symbol.
  template <class F>
  void bind(F& slot, const char* name) const {
    slot = reinterpret_cast<F>(symbol(name));
  }

 private:
  SharedLibrary(void* handle, const char* soname) : handle_(handle), soname_(soname) {}
  void* symbol(const char* name) const;
  void* handle_;
  const char* soname_;
};

// The function table `Load` builds from a library, once per process: concurrent first
// callers wait for one load; a failed load is tried again (and reports its error) by the
// next caller.
template <class Api, Api (*Load)()>
const Api& load_once() {
  static const Api api = Load();
  return api;
}

// Starts load_once<Api, Load>() on a background thread (util/background_start.h), once.
template <class Api, Api (*Load)()>
void preload(std::string_view what) {
  start_in_background(what, [] { load_once<Api, Load>(); });
}

}  // namespace lava
