#include "registry/reference.h"

#include <algorithm>
#include <cctype>
#include <string_view>

#include "oci/digest.h"
#include "util/error.h"

namespace lava::registry {

namespace {

bool is_lower_alnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

// One path component: [a-z0-9]+ joined by '.', '_', '__' or runs of '-'.
bool valid_component(std::string_view s) {
  size_t i = 0;
  for (;;) {
    size_t run = i;
    while (i < s.size() && is_lower_alnum(s[i])) ++i;
    if (i == run) return false;
    if (i == s.size()) return true;
    if (s[i] == '.') {
      ++i;
    } else if (s[i] == '_') {
      i += (i + 1 < s.size() && s[i + 1] == '_') ? 2 : 1;
    } else if (s[i] == '-') {
      while (i < s.size() && s[i] == '-') ++i;
    } else {
      return false;
    }
  }
}

bool valid_repository(const std::string& repo) {
  size_t start = 0;
  if (repo.empty() || repo.size() > 255) return false;
  for (size_t i = 0; i <= repo.size(); ++i) {
    if (i == repo.size() || repo[i] == '/') {
      if (!valid_component(std::string_view(repo).substr(start, i - start))) return false;
      start = i + 1;
    }
  }
  return true;
}

bool valid_tag(const std::string& tag) {
  auto word = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; };
  if (tag.empty() || tag.size() > 128 || !word(tag.front())) return false;
  return std::all_of(tag.begin(), tag.end(),
                     [&](char c) { return word(c) || c == '.' || c == '-'; });
}

bool all_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// A host name label: letters and digits, '-' only inside.
bool valid_label(std::string_view s) {
  auto alnum = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; };
  if (s.empty() || !alnum(s.front()) || !alnum(s.back())) return false;
  return std::all_of(s.begin(), s.end(), [&](char c) { return alnum(c) || c == '-'; });
}

// Docker's domain: a host name or IPv4 address (labels joined by '.'), or an IPv6
// address in brackets, then an optional ":port".
bool valid_registry(std::string_view r) {
  std::string_view host = r, port;
  bool has_port = false;
  if (host.starts_with("[")) {
    size_t close = host.find(']');
    if (close == std::string_view::npos || close == 1) return false;
    for (char c : host.substr(1, close - 1))
      if (!std::isxdigit(static_cast<unsigned char>(c)) && c != ':' && c != '.') return false;
    std::string_view rest = host.substr(close + 1);
    if (!rest.empty()) {
      if (rest.front() != ':') return false;
      has_port = true;
      port = rest.substr(1);
    }
  } else {
    if (size_t colon = host.find(':'); colon != std::string_view::npos) {
      has_port = true;
      port = host.substr(colon + 1);
      host = host.substr(0, colon);
    }
    size_t start = 0;
    for (size_t i = 0; i <= host.size(); ++i) {
      if (i == host.size() || host[i] == '.') {
        if (!valid_label(host.substr(start, i - start))) return false;
        start = i + 1;
      }
    }
  }
  return !has_port || all_digits(port);
}

// 127.d.d.d, each part 1 to 3 digits.
bool is_loopback_v4(std::string_view host) {
  if (!host.starts_with("127.")) return false;
  int parts = 1;
  size_t digits = 0;
  for (char c : host.substr(4)) {
    if (c == '.') {
      if (digits == 0) return false;
      ++parts;
      digits = 0;
    } else if (c >= '0' && c <= '9' && digits < 3) {
      ++digits;
    } else {
      return false;
    }
  }
  return parts == 3 && digits > 0;
}

}  // namespace

Reference Reference::parse(const std::string& text) {
  auto bad = [&](const std::string& why) {
    return Error("invalid image reference \"" + text + "\": " + why);
  };
  if (text.empty()) throw bad("empty");
  Reference r;
  std::string rest = text;
  if (auto at = rest.find('@'); at != std::string::npos) {
    r.digest = rest.substr(at + 1);
    if (!oci::Digest::valid(r.digest)) throw bad("bad digest");
    rest = rest.substr(0, at);
  }
  auto slash = rest.rfind('/');
  auto colon = rest.rfind(':');
  if (colon != std::string::npos && (slash == std::string::npos || colon > slash)) {
    r.tag = rest.substr(colon + 1);
    if (!valid_tag(r.tag)) throw bad("bad tag \"" + r.tag + "\"");
    rest = rest.substr(0, colon);
  }
  auto first_slash = rest.find('/');
  std::string first = rest.substr(0, first_slash);
  if (first_slash != std::string::npos &&
      (first.find('.') != std::string::npos || first.find(':') != std::string::npos ||
       first == "localhost" || first.starts_with("["))) {
    r.registry = first;
    r.repository = rest.substr(first_slash + 1);
  } else {
    r.registry = kDockerHub;
    r.repository = rest;
  }
  if (!valid_registry(r.registry))
    throw bad("registry \"" + r.registry +
              "\" must be a host name or address, with an optional :port");
  if (r.registry == "index.docker.io" || r.registry == "registry-1.docker.io")
    r.registry = kDockerHub;
  if (r.registry == kDockerHub && r.repository.find('/') == std::string::npos)
    r.repository = "library/" + r.repository;
  if (!valid_repository(r.repository))
    throw bad("repository \"" + r.repository +
              "\" must be lowercase letters, digits and separators");
  if (r.tag.empty() && r.digest.empty()) r.tag = "latest";
  return r;
}

std::string Reference::str() const {
  std::string s = registry + "/" + repository;
  if (!tag.empty()) s += ":" + tag;
  if (!digest.empty()) s += "@" + digest;
  return s;
}

Reference Reference::with_tag(const std::string& t) const {
  Reference r = *this;
  r.tag = t;
  r.digest.clear();
  return r;
}

Reference Reference::with_digest(const std::string& d) const {
  Reference r = *this;
  r.digest = d;
  return r;
}

std::string api_host(const std::string& registry) {
  return registry == kDockerHub ? "registry-1.docker.io" : registry;
}

bool is_loopback_registry(const std::string& registry) {
  std::string host = registry;
  if (host.starts_with("[")) {
    host = host.substr(1, host.find(']') - 1);
  } else if (std::count(host.begin(), host.end(), ':') == 1) {
    host = host.substr(0, host.find(':'));
  }
  if (host == "localhost" || host == "::1") return true;
  return is_loopback_v4(host);
}

}  // namespace lava::registry
