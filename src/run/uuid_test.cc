#include "run/uuid.h"

#include <gtest/gtest.h>

#include <regex>
#include <set>

namespace lava::run {
namespace {

TEST(Uuid, Version4Form) {
  static const std::regex form(
      "^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$");
  std::set<std::string> seen;
  for (int i = 0; i < 200; ++i) {
    std::string u = new_uuid4();
    EXPECT_TRUE(std::regex_match(u, form)) << u;
    seen.insert(u);
  }
  EXPECT_EQ(seen.size(), 200u);
}

}  // namespace
}  // namespace lava::run
