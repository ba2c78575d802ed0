#include "util/shared_library.h"

#include <dlfcn.h>

#include "util/error.h"

namespace lava {

SharedLibrary SharedLibrary::open(const char* soname, const char* package) {
  void* handle = ::dlopen(soname, RTLD_NOW | RTLD_LOCAL);
  if (handle == nullptr) {
    const char* why = ::dlerror();
    throw Error(std::string("cannot load ") + soname + " (apt-get install " + package +
                "): " + (why ? why : "dlopen failed"));
  }
  return SharedLibrary(handle, soname);
}

void* SharedLibrary::symbol(const char* name) const {
  void* sym = ::dlsym(handle_, name);
  if (sym == nullptr) throw Error(std::string(soname_) + ": has no " + name);
  return sym;
}

}  // namespace lava
