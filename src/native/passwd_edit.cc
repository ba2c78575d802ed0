#include "native/passwd_edit.h"

#include <sstream>

namespace lava::native {

namespace {

// The line for `name` in a colon-separated account file, or "".
std::string find_line(const std::string& file, const std::string& name) {
  std::istringstream in(file);
  std::string line;
  while (std::getline(in, line))
    if (line.rfind(name + ":", 0) == 0) return line;
  return "";
}

std::string append_line(std::string file, const std::string& line) {
  if (!file.empty() && file.back() != '\n') file += '\n';
  return file + line + "\n";
}

}  // namespace

std::optional<uint32_t> group_gid(const std::string& group_file, const std::string& name) {
  std::string line = find_line(group_file, name);
  if (line.empty()) return std::nullopt;
  // name:password:gid:members
  std::istringstream in(line);
  std::string field;
  for (int i = 0; i < 3 && std::getline(in, field, ':'); ++i) {
  }
  try {
    size_t used = 0;
    unsigned long gid = std::stoul(field, &used);
    if (used == field.size() && gid <= 0xffffffffu) return static_cast<uint32_t>(gid);
  } catch (const std::exception&) {
  }
  return std::nullopt;
}

std::string add_group(const std::string& group_file, const Account& account) {
  if (!find_line(group_file, account.name).empty()) return group_file;
  return append_line(group_file, account.name + ":x:" + std::to_string(account.gid) + ":");
}

std::string add_user(const std::string& passwd_file, const std::string& group_file,
                     const Account& account) {
  if (!find_line(passwd_file, account.name).empty()) return passwd_file;
  uint32_t gid = group_gid(group_file, account.name).value_or(account.gid);
  return append_line(passwd_file, account.name + ":x:" + std::to_string(account.uid) + ":" +
                                      std::to_string(gid) + "::" + account.home + ":" +
                                      account.shell);
}

}  // namespace lava::native
