#include "builder/stage_images.h"

#include <algorithm>
#include <cctype>
#include <regex>

namespace lava::builder {

void StageImageCollector::on_line(const std::string& line) {
  static const std::regex step(R"(^Step [0-9]+/[0-9]+ : (FROM|from)\s.*$)");
  static const std::regex stage(R"(\s[Aa][Ss]\s+lava-requirements\s*$)");
  static const std::regex image(R"(^ ---> ([0-9a-f]{12,64})\s*$)");
  std::smatch m;
  if (std::regex_match(line, step)) {
    in_stage_ = std::regex_search(line, stage);
    return;
  }
  if (in_stage_ && std::regex_match(line, m, image)) images_.insert(m[1].str());
}

}  // namespace lava::builder
