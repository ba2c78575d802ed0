// HTTP header lists with case-insensitive names.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace lava::http {

class Headers {
 public:
  // Replaces every header called `name`.
  void set(std::string_view name, std::string_view value);
  // Adds one more header called `name`.
  void add(std::string_view name, std::string_view value);
  void remove(std::string_view name);
  std::optional<std::string> get(std::string_view name) const;
  std::vector<std::string> get_all(std::string_view name) const;
  const std::vector<std::pair<std::string, std::string>>& items() const { return items_; }
  void clear() { items_.clear(); }

 private:
  std::vector<std::pair<std::string, std::string>> items_;
};

bool iequals(std::string_view a, std::string_view b);

}  // namespace lava::http
