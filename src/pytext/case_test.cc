#include "pytext/case.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "pytext/reference_python.h"

namespace lava::pytext {
namespace {

// Text whose code points map one to one in both Python and the C library.
const std::vector<std::string> kSamples = {"",
                                           "hello World",
                                           "ABC def_ghi",
                                           "o'neil mcdonald-smith",
                                           "\xc3\xa9t\xc3\xa9 \xc3\x89T\xc3\x89",
                                           "\xce\xb1\xce\xb2\xce\xb3 \xce\x94\xce\x95",
                                           "\xd0\xbf\xd1\x80\xd0\xb8\xd0\xb2\xd0\xb5\xd1\x82",
                                           "123abc 4DEF",
                                           "\xe6\x97\xa5\xe6\x9c\xac x"};

TEST(Case, ConversionsMatchPython) {
  std::string input;
  for (const auto& s : kSamples) input += s + '\n';
  std::string out = testing::run_reference_python(R"(
import sys
for line in sys.stdin.read().split("\n")[:-1]:
    for f in (str.upper, str.lower, str.swapcase, str.title, str.capitalize):
        sys.stdout.write(f(line) + "\n")
)",
                                                  input);
  size_t pos = 0;
  auto want = [&] {
    size_t nl = out.find('\n', pos);
    std::string line = out.substr(pos, nl - pos);
    pos = nl + 1;
    return line;
  };
  for (const auto& s : kSamples) {
    EXPECT_EQ(upper(s), want()) << s;
    EXPECT_EQ(lower(s), want()) << s;
    EXPECT_EQ(swapcase(s), want()) << s;
    EXPECT_EQ(title(s), want()) << s;
    EXPECT_EQ(capitalize(s), want()) << s;
  }
}

TEST(Case, SingleCodePoints) {
  EXPECT_EQ(upper("stra\xc3\x9f"
                  "e"),
            "STRASSE");  // the one full mapping kept
  EXPECT_EQ(to_upper(U'a'), U'A');
  EXPECT_EQ(to_lower(0x394), 0x3B4u);  // GREEK DELTA
  EXPECT_TRUE(is_cased(U'x'));
  EXPECT_FALSE(is_cased(U'1'));
  EXPECT_FALSE(is_cased(0x65E5));
}

}  // namespace
}  // namespace lava::pytext
