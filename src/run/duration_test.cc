#include "run/duration.h"

#include <gtest/gtest.h>

#include "util/error.h"

namespace lava::run {
namespace {

using std::chrono::milliseconds;

TEST(Duration, LavaForms) {
  EXPECT_EQ(parse_duration("30s"), milliseconds(30000));
  EXPECT_EQ(parse_duration("5m"), milliseconds(300000));
  EXPECT_EQ(parse_duration("1h"), milliseconds(3600000));
  EXPECT_EQ(parse_duration("2d"), milliseconds(2LL * 86400000));
  EXPECT_EQ(parse_duration("1w"), milliseconds(7LL * 86400000));
  EXPECT_EQ(parse_duration("45"), milliseconds(45000));  // no unit: seconds, as lava
  EXPECT_EQ(parse_duration("1.5m"), milliseconds(90000));
  EXPECT_EQ(parse_duration(".5s"), milliseconds(500));
  EXPECT_EQ(parse_duration(" 10 m "), milliseconds(600000));
}

TEST(Duration, BadFormsNameTheValue) {
  for (const char* bad :
       {"", "m", "10x", "5 minutes", "-5s", "0s", "1e3s", "10M", "1h30m", "0", "9999w"}) {
    try {
      parse_duration(bad);
      ADD_FAILURE() << "accepted '" << bad << "'";
    } catch (const UsageError& e) {
      std::string m = e.what();
      EXPECT_NE(m.find("--timeout: bad duration '" + std::string(bad) + "'"), std::string::npos)
          << m;
      EXPECT_EQ(e.exit_code(), 2);
    }
  }
}

TEST(Duration, Format) {
  EXPECT_EQ(format_duration(milliseconds(600000)), "10m");
  EXPECT_EQ(format_duration(milliseconds(30000)), "30s");
  EXPECT_EQ(format_duration(milliseconds(5400000)), "1h30m");
  EXPECT_EQ(format_duration(milliseconds(3601000)), "1h1s");
  EXPECT_EQ(format_duration(milliseconds(1500)), "1.5s");
  EXPECT_EQ(format_duration(parse_duration("1h")), "1h");
}

}  // namespace
}  // namespace lava::run
