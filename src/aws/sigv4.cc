#include "aws/sigv4.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>
#include <ctime>
#include <map>

#include "http/client.h"

namespace lava::aws {

std::string hex(const std::string& bytes) {
  static const char* digits = "0123456789abcdef";
  std::string out;
  for (unsigned char c : bytes) {
    out += digits[c >> 4];
    out += digits[c & 15];
  }
  return out;
}

std::string sha256_hex(const std::string& data) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  EVP_Digest(data.data(), data.size(), md, &n, EVP_sha256(), nullptr);
  return hex(std::string(reinterpret_cast<char*>(md), n));
}

std::string hmac_sha256(const std::string& key, const std::string& data) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(data.data()), data.size(), md, &n);
  return std::string(reinterpret_cast<char*>(md), n);
}

namespace {

std::string percent_decode(const std::string& s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && std::isxdigit(static_cast<unsigned char>(s[i + 1])) &&
        std::isxdigit(static_cast<unsigned char>(s[i + 2]))) {
      out += static_cast<char>(std::stoi(s.substr(i + 1, 2), nullptr, 16));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

std::string trim_and_squeeze(const std::string& v) {
  std::string out;
  bool space = false;
  for (char c : v) {
    if (c == ' ' || c == '\t') {
      space = true;
      continue;
    }
    if (space && !out.empty()) out += ' ';
    space = false;
    out += c;
  }
  return out;
}

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

}  // namespace

std::string canonical_uri(const std::string& path) {
  // Remove dot segments and empty segments (non-S3 services normalise paths), then encode
  // each segment.
  std::vector<std::string> parts;
  size_t start = 0;
  for (size_t i = 0; i <= path.size(); ++i) {
    if (i == path.size() || path[i] == '/') {
      std::string seg = path.substr(start, i - start);
      start = i + 1;
      if (seg.empty() || seg == ".") continue;
      if (seg == "..") {
        if (!parts.empty()) parts.pop_back();
        continue;
      }
      parts.push_back(seg);
    }
  }
  std::string out;
  for (const auto& p : parts) {
    out += '/';  // apart: GCC 12 -O3 reports a false -Wrestrict for "/" + s
    out += http::url_encode(p);
  }
  bool trailing = path.size() > 1 && path.back() == '/' && !parts.empty();
  if (out.empty() || trailing) out += "/";
  return out;
}

std::string canonical_query(const std::string& query) {
  std::vector<std::pair<std::string, std::string>> params;
  size_t start = 0;
  for (size_t i = 0; i <= query.size(); ++i) {
    if (i == query.size() || query[i] == '&') {
      std::string kv = query.substr(start, i - start);
      start = i + 1;
      if (kv.empty()) continue;
      auto eq = kv.find('=');
      std::string k = eq == std::string::npos ? kv : kv.substr(0, eq);
      std::string v = eq == std::string::npos ? "" : kv.substr(eq + 1);
      params.emplace_back(http::url_encode(percent_decode(k)), http::url_encode(percent_decode(v)));
    }
  }
  std::sort(params.begin(), params.end());
  std::string out;
  for (const auto& [k, v] : params) out += (out.empty() ? "" : "&") + k + "=" + v;
  return out;
}

std::string canonical_request(const SigningInput& in, std::string* signed_headers) {
  std::map<std::string, std::string> headers;
  for (const auto& [k, v] : in.headers) {
    std::string name = lower(k);
    std::string value = trim_and_squeeze(v);
    auto it = headers.find(name);
    if (it == headers.end())
      headers[name] = value;
    else
      it->second += "," + value;
  }
  std::string canon_headers, signed_list;
  for (const auto& [k, v] : headers) {
    canon_headers += k + ":" + v + "\n";
    signed_list += (signed_list.empty() ? "" : ";") + k;
  }
  if (signed_headers) *signed_headers = signed_list;
  return in.method + "\n" + canonical_uri(in.path) + "\n" + canonical_query(in.query) + "\n" +
         canon_headers + "\n" + signed_list + "\n" + sha256_hex(in.payload);
}

std::string string_to_sign(const std::string& amz_date, const std::string& scope,
                           const std::string& creq) {
  return "AWS4-HMAC-SHA256\n" + amz_date + "\n" + scope + "\n" + sha256_hex(creq);
}

std::string signature(const std::string& secret, const std::string& date, const std::string& region,
                      const std::string& service, const std::string& sts) {
  std::string k = hmac_sha256("AWS4" + secret, date);
  k = hmac_sha256(k, region);
  k = hmac_sha256(k, service);
  k = hmac_sha256(k, "aws4_request");
  return hex(hmac_sha256(k, sts));
}

std::string authorization(const SigningInput& in, const AwsCredentials& creds,
                          const std::string& region, const std::string& service,
                          const std::string& amz_date) {
  std::string date = amz_date.substr(0, 8);
  std::string scope = date + "/" + region + "/" + service + "/aws4_request";
  std::string signed_headers;
  std::string creq = canonical_request(in, &signed_headers);
  std::string sig = signature(creds.secret_access_key, date, region, service,
                              string_to_sign(amz_date, scope, creq));
  return "AWS4-HMAC-SHA256 Credential=" + creds.access_key_id + "/" + scope +
         ", SignedHeaders=" + signed_headers + ", Signature=" + sig;
}

std::string amz_date(std::chrono::system_clock::time_point t) {
  std::time_t tt = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y%m%dT%H%M%SZ", &tm);
  return buf;
}

void split_endpoint(const std::string& url, std::string& host, std::string& path) {
  auto scheme = url.find("://");
  std::string rest = scheme == std::string::npos ? url : url.substr(scheme + 3);
  auto slash = rest.find('/');
  host = rest.substr(0, slash);
  path = slash == std::string::npos ? "/" : rest.substr(slash);
  // curl leaves default ports out of the Host header: sign what it sends.
  bool https = url.starts_with("https://");
  if ((https && host.ends_with(":443")) || (!https && host.ends_with(":80")))
    host = host.substr(0, host.rfind(':'));
}

}  // namespace lava::aws
