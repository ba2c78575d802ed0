#include "http/libcurl.h"

#include <string>

#include "util/error.h"
#include "util/shared_library.h"

namespace lava::http {

namespace {

Libcurl load() {
  // The runtime name of Debian's libcurl4 (the -dev package's libcurl.so points at it).
  const auto lib = SharedLibrary::open("libcurl.so.4", "libcurl4");
  Libcurl api{};
  lib.bind(api.easy_init, "curl_easy_init");
  lib.bind(api.easy_setopt, "curl_easy_setopt");
  lib.bind(api.easy_perform, "curl_easy_perform");
  lib.bind(api.easy_getinfo, "curl_easy_getinfo");
  lib.bind(api.easy_cleanup, "curl_easy_cleanup");
  lib.bind(api.easy_reset, "curl_easy_reset");
  lib.bind(api.easy_strerror, "curl_easy_strerror");
  lib.bind(api.slist_append, "curl_slist_append");
  lib.bind(api.slist_free_all, "curl_slist_free_all");
  lib.bind(api.url, "curl_url");
  lib.bind(api.url_set, "curl_url_set");
  lib.bind(api.url_get, "curl_url_get");
  lib.bind(api.url_cleanup, "curl_url_cleanup");
  lib.bind(api.getdate, "curl_getdate");
  lib.bind(api.free, "curl_free");
  decltype(&::curl_global_init) global_init = nullptr;
  lib.bind(global_init, "curl_global_init");
  if (global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
    throw Error("libcurl.so.4: global initialisation failed");
  return api;
}

}  // namespace

const Libcurl& libcurl() {
  return load_once<Libcurl, load>();
}

void preload_libcurl() {
  preload<Libcurl, load>("libcurl");
}

}  // namespace lava::http
