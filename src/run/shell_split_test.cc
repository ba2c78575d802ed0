#include "run/shell_split.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>

#include "util/error.h"

namespace lava::run {
namespace {

using Words = std::vector<std::string>;

TEST(ShellSplit, Basics) {
  EXPECT_EQ(shell_split("python3 -m app --x 1"), (Words{"python3", "-m", "app", "--x", "1"}));
  EXPECT_EQ(shell_split("  a\t b\n"), (Words{"a", "b"}));
  EXPECT_EQ(shell_split(""), Words{});
  EXPECT_EQ(shell_split("sh -c 'echo $HOME; exit 3'"), (Words{"sh", "-c", "echo $HOME; exit 3"}));
  EXPECT_EQ(shell_split(R"(echo "a \"quoted\" word" x\ y)"),
            (Words{"echo", "a \"quoted\" word", "x y"}));
  EXPECT_EQ(shell_split(R"(a "" '' b)"), (Words{"a", "", "", "b"}));
  EXPECT_EQ(shell_split(R"(x""y 'it'\''s')"), (Words{"xy", "it's"}));
}

TEST(ShellSplit, UnbalancedIsAUsageError) {
  for (const char* bad : {"echo 'x", "echo \"x", "echo x\\", "\"a\\\""}) {
    try {
      shell_split(bad);
      ADD_FAILURE() << "accepted " << bad;
    } catch (const UsageError& e) {
      EXPECT_NE(std::string(e.what()).find(bad), std::string::npos) << e.what();
    }
  }
}

// The worker splits with Python's shlex.split: compare with the real thing, Debian's
// /usr/bin/python3, on inputs with every quoting rule.
TEST(ShellSplit, SameAsPythonShlex) {
  if (access("/usr/bin/python3", X_OK) != 0) GTEST_SKIP() << "no /usr/bin/python3";
  std::vector<std::string> inputs = {
      "a b  c",
      "sh -c 'echo \"$X\"; exit 3'",
      "\"a\\$b\" \"c\\\\d\" \"e\\\"f\" \"g\\nh\"",
      "a\\\nb c\\ d \\'e\\'",
      "'a\\b' 'c\"d'",
      "x\"\"y \"\" ''",
      "a#b #c",
      "a\rb\tc\nd",
      "don\\'t \"it's\"",
      "python3 -c \"import sys; print(sys.argv)\" --flag='a b'",
      "\"multi\nline\" 'x\ny'",
      "\xc3\xa9t\xc3\xa9 '\xe2\x82\xac'",
  };
  char tmpl[] = "/tmp/lava-shlex-XXXXXX";
  int fd = mkstemp(tmpl);
  ASSERT_GE(fd, 0);
  close(fd);
  { std::ofstream(tmpl) << nlohmann::json(inputs).dump(); }
  std::string cmd =
      std::string(
          "/usr/bin/python3 -c 'import json,shlex,sys; "
          "print(json.dumps([shlex.split(s) for s in json.load(open(sys.argv[1]))]))' ") +
      tmpl;
  FILE* p = popen(cmd.c_str(), "r");
  ASSERT_NE(p, nullptr);
  std::string out;
  char buf[4096];
  for (size_t n; (n = fread(buf, 1, sizeof buf, p)) > 0;) out.append(buf, n);
  ASSERT_EQ(pclose(p), 0);
  unlink(tmpl);
  auto expected = nlohmann::json::parse(out);
  ASSERT_EQ(expected.size(), inputs.size());
  for (size_t i = 0; i < inputs.size(); ++i) {
    EXPECT_EQ(shell_split(inputs[i]), expected[i].get<Words>()) << "input: " << inputs[i];
  }
}

}  // namespace
}  // namespace lava::run
