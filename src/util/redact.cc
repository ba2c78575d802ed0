#include "util/redact.h"

#include <cctype>
#include <mutex>
#include <string_view>
#include <vector>

namespace lava {

namespace {
std::mutex g_mutex;
std::vector<std::string>& secrets() {
  static std::vector<std::string> s;
  return s;
}
}  // namespace

void add_secret(std::string secret) {
  if (secret.size() < 4) return;  // masking tiny strings would garble ordinary text
  std::lock_guard lock(g_mutex);
  secrets().push_back(std::move(secret));
}

namespace {

bool is_scheme_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '.' || c == '-';
}

// Every "scheme://userinfo@" becomes "scheme://***@" (userinfo: no '/', '@' or blank).
std::string mask_url_userinfo(std::string_view text) {
  std::string out;
  size_t copied = 0;
  for (size_t sep = text.find("://"); sep != std::string_view::npos;
       sep = text.find("://", sep + 3)) {
    // A scheme is a letter then scheme characters, right before "://".
    size_t start = sep;
    while (start > copied && is_scheme_char(text[start - 1])) --start;
    while (start < sep && !std::isalpha(static_cast<unsigned char>(text[start]))) ++start;
    if (start == sep) continue;
    size_t user = sep + 3;
    size_t end = user;
    while (end < text.size() && text[end] != '/' && text[end] != '@' &&
           !std::isspace(static_cast<unsigned char>(text[end])))
      ++end;
    if (end == user || end == text.size() || text[end] != '@') continue;
    out.append(text.substr(copied, user - copied));
    out += "***";
    copied = end;
    sep = end - 2;  // the next search starts after the '@'
  }
  out.append(text.substr(copied));
  return out;
}

}  // namespace

std::string redact(std::string_view text) {
  std::string out = mask_url_userinfo(text);
  std::lock_guard lock(g_mutex);
  for (const auto& s : secrets()) {
    for (size_t pos = out.find(s); pos != std::string::npos; pos = out.find(s, pos + 3)) {
      out.replace(pos, s.size(), "***");
    }
  }
  return out;
}

}  // namespace lava
