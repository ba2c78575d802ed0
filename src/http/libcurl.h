// libcurl, loaded with dlopen when first needed instead of at process start
// (util/shared_library.h): its dozens of shared libraries (TLS, Kerberos, LDAP, SSH, ...)
// cost commands that never speak HTTP more than their own work. The full CLI starts
// loading it on a background thread (preload) for the commands that will need it, so the
// load overlaps their first, local work.
//
// Call sites use lava::curl_api::easy_init() and friends where they would call
// curl_easy_init(); types and constants still come from <curl/curl.h>.
#pragma once

#include <curl/curl.h>

namespace lava::http {

struct Libcurl {
  decltype(&::curl_easy_init) easy_init;
  decltype(&::curl_easy_setopt) easy_setopt;
  decltype(&::curl_easy_perform) easy_perform;
  decltype(&::curl_easy_getinfo) easy_getinfo;
  decltype(&::curl_easy_cleanup) easy_cleanup;
  decltype(&::curl_easy_reset) easy_reset;
  decltype(&::curl_easy_strerror) easy_strerror;
  decltype(&::curl_slist_append) slist_append;
  decltype(&::curl_slist_free_all) slist_free_all;
  decltype(&::curl_url) url;
  decltype(&::curl_url_set) url_set;
  decltype(&::curl_url_get) url_get;
  decltype(&::curl_url_cleanup) url_cleanup;
  decltype(&::curl_getdate) getdate;
  decltype(&::curl_free) free;
};

// libcurl.so.4 loaded and globally initialised, once per process (waiting for a preload
// under way). Throws lava::Error naming the library when it cannot be loaded.
const Libcurl& libcurl();

// Starts libcurl() on a background thread (util/background_start.h) and returns at once.
// Harmless to call twice.
void preload_libcurl();

}  // namespace lava::http

namespace lava::curl_api {

inline CURL* easy_init() {
  return http::libcurl().easy_init();
}
template <class... Args>
CURLcode easy_setopt(CURL* c, CURLoption option, Args... args) {
  return http::libcurl().easy_setopt(c, option, args...);
}
inline CURLcode easy_perform(CURL* c) {
  return http::libcurl().easy_perform(c);
}
template <class... Args>
CURLcode easy_getinfo(CURL* c, CURLINFO info, Args... args) {
  return http::libcurl().easy_getinfo(c, info, args...);
}
inline void easy_cleanup(CURL* c) {
  http::libcurl().easy_cleanup(c);
}
inline void easy_reset(CURL* c) {
  http::libcurl().easy_reset(c);
}
inline const char* easy_strerror(CURLcode code) {
  return http::libcurl().easy_strerror(code);
}
inline curl_slist* slist_append(curl_slist* list, const char* s) {
  return http::libcurl().slist_append(list, s);
}
inline void slist_free_all(curl_slist* list) {
  http::libcurl().slist_free_all(list);
}
inline CURLU* url() {
  return http::libcurl().url();
}
inline CURLUcode url_set(CURLU* u, CURLUPart part, const char* s, unsigned int flags) {
  return http::libcurl().url_set(u, part, s, flags);
}
inline CURLUcode url_get(CURLU* u, CURLUPart part, char** s, unsigned int flags) {
  return http::libcurl().url_get(u, part, s, flags);
}
inline void url_cleanup(CURLU* u) {
  http::libcurl().url_cleanup(u);
}
inline time_t getdate(const char* s, const time_t* now) {
  return http::libcurl().getdate(s, now);
}
inline void free(void* p) {
  http::libcurl().free(p);
}

}  // namespace lava::curl_api
