#include "run/duration.h"

#include <cmath>
#include <regex>

#include "util/error.h"

namespace lava::run {

std::chrono::milliseconds parse_duration(std::string_view text, std::string_view option) {
  static const std::regex form(R"(^\s*(\d+(?:\.\d*)?|\.\d+)\s*([smhdw]?)\s*$)");
  std::string s(text);
  std::smatch m;
  auto bad = [&](const std::string& why) {
    return UsageError(std::string(option) + ": bad duration '" + s + "' (" + why +
                      "; use a number with s, m or h, such as 30s, 5m, 1h)");
  };
  if (!std::regex_match(s, m, form)) throw bad("not a duration");
  double value = std::stod(m[1].str());
  static const std::string units = "smhdw";
  static const double seconds_per[] = {1, 60, 3600, 86400, 604800};
  std::string unit = m[2].str();
  double seconds = value * seconds_per[unit.empty() ? 0 : units.find(unit[0])];
  if (seconds <= 0) throw bad("must be more than zero");
  if (seconds > 366.0 * 86400) throw bad("longer than a year");
  return std::chrono::milliseconds(static_cast<long long>(std::llround(seconds * 1000)));
}

std::string format_duration(std::chrono::milliseconds d) {
  long long ms = d.count();
  if (ms % 1000 != 0)
    return std::to_string(ms / 1000) + "." + std::to_string(ms % 1000 / 100) + "s";
  long long s = ms / 1000;
  std::string out;
  if (s >= 3600) out += std::to_string(s / 3600) + "h";
  if (s % 3600 >= 60) out += std::to_string(s % 3600 / 60) + "m";
  if (s % 60 != 0 || out.empty()) out += std::to_string(s % 60) + "s";
  return out;
}

}  // namespace lava::run
