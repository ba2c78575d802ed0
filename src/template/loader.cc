#include "template/loader.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>
#include <vector>

#include "pytext/utf8.h"
#include "template/errors.h"
#include "template/pyops.h"

namespace lava::tmpl {

namespace fs = std::filesystem;

std::string read_text_file(const fs::path& path) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) throw EvalError(path.string() + ": " + std::strerror(errno));
  std::string text;
  char chunk[65536];
  size_t n;
  while ((n = std::fread(chunk, 1, sizeof chunk, f)) > 0) text.append(chunk, n);
  bool failed = std::ferror(f) != 0;
  std::fclose(f);
  if (failed) throw EvalError(path.string() + ": read error");
  if (!pytext::valid_utf8(text)) throw EvalError(path.string() + ": file is not valid UTF-8");
  if (text.find('\r') == std::string::npos) return text;
  // Universal newlines: \r\n and \r read as \n.
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\r') {
      out.push_back('\n');
      if (i + 1 < text.size() && text[i + 1] == '\n') ++i;
    } else {
      out.push_back(text[i]);
    }
  }
  return out;
}

namespace {

// A name that would leave the template directory. Jinja reports these as TemplateNotFound,
// and so does the kind; but it is not a NotFoundErr, which `ignore missing` would swallow:
// climbing out stays an error there too.
[[noreturn]] void refuse_name(const std::string& name, const std::string& why) {
  EvalError e("template " + repr_string(name) + why);
  e.kind = ErrorKind::NotFound;
  throw e;
}

}  // namespace

std::optional<std::string> load_template_source(const fs::path& root, const std::string& name) {
  if (!name.empty() && name[0] == '/')
    refuse_name(name,
                ": absolute template paths are not allowed (names are relative to the -c "
                "directory)");
  // Jinja's split_template_path: "/"-separated pieces, ".." refused, "" and "." skipped.
  std::vector<std::string> pieces;
  size_t start = 0;
  while (start <= name.size()) {
    size_t slash = name.find('/', start);
    std::string piece =
        name.substr(start, slash == std::string::npos ? std::string::npos : slash - start);
    if (piece == "..") refuse_name(name, ": '..' is not allowed in template names");
    if (!piece.empty() && piece != ".") pieces.push_back(piece);
    if (slash == std::string::npos) break;
    start = slash + 1;
  }
  if (pieces.empty()) return std::nullopt;
  fs::path path = root;
  for (const auto& p : pieces) path /= p;
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) return std::nullopt;
  // Symbolic links must not lead outside the directory either.
  fs::path real_root = fs::weakly_canonical(root, ec);
  fs::path real = fs::weakly_canonical(path, ec);
  auto rel = real.lexically_relative(real_root);
  if (ec || rel.empty() || *rel.begin() == "..")
    refuse_name(name, " resolves outside the template directory");
  return read_text_file(path);
}

}  // namespace lava::tmpl
