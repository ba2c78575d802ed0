#include "http/libcurl.h"

#include <dlfcn.h>

#include <mutex>
#include <string>
#include <thread>

#include "util/error.h"

namespace lava::http {

namespace {

// The runtime name of Debian's libcurl4 (the -dev package's libcurl.so points at it).
constexpr const char* kLibrary = "libcurl.so.4";

template <class F>
void bind(void* lib, F& slot, const char* name) {
  void* sym = ::dlsym(lib, name);
  if (sym == nullptr) throw Error(std::string(kLibrary) + ": has no " + name);
  slot = reinterpret_cast<F>(sym);
}

Libcurl load() {
  // RTLD_NOW: every relocation now, on the preloading thread, not later on the first call.
  void* lib = ::dlopen(kLibrary, RTLD_NOW | RTLD_LOCAL);
  if (lib == nullptr) {
    const char* why = ::dlerror();
    throw Error(std::string("cannot load ") + kLibrary +
                " (apt-get install libcurl4): " + (why ? why : "dlopen failed"));
  }
  Libcurl api{};
  bind(lib, api.easy_init, "curl_easy_init");
  bind(lib, api.easy_setopt, "curl_easy_setopt");
  bind(lib, api.easy_perform, "curl_easy_perform");
  bind(lib, api.easy_getinfo, "curl_easy_getinfo");
  bind(lib, api.easy_cleanup, "curl_easy_cleanup");
  bind(lib, api.easy_reset, "curl_easy_reset");
  bind(lib, api.easy_strerror, "curl_easy_strerror");
  bind(lib, api.slist_append, "curl_slist_append");
  bind(lib, api.slist_free_all, "curl_slist_free_all");
  bind(lib, api.url, "curl_url");
  bind(lib, api.url_set, "curl_url_set");
  bind(lib, api.url_get, "curl_url_get");
  bind(lib, api.url_cleanup, "curl_url_cleanup");
  bind(lib, api.getdate, "curl_getdate");
  bind(lib, api.free, "curl_free");
  decltype(&::curl_global_init) global_init = nullptr;
  bind(lib, global_init, "curl_global_init");
  if (global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
    throw Error(std::string(kLibrary) + ": global initialisation failed");
  return api;  // the library stays loaded for the life of the process
}

}  // namespace

const Libcurl& libcurl() {
  // A function-local static: concurrent first callers wait for one load; a failed load
  // is tried again (and reports its error) by the next caller.
  static const Libcurl api = load();
  return api;
}

namespace {
std::mutex preload_mutex;
std::thread preload_thread;
}  // namespace

void preload_libcurl() {
  std::lock_guard lock(preload_mutex);
  if (preload_thread.joinable()) return;
  preload_thread = std::thread([] {
    try {
      libcurl();
    } catch (...) {
      // reported by the caller that needs it
    }
  });
}

void finish_preload() {
  std::lock_guard lock(preload_mutex);
  if (preload_thread.joinable()) preload_thread.join();
}

}  // namespace lava::http
