#include "notebook/py_text.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "pytext/reference_python.h"
#include "pytext/utf8.h"

namespace lava::notebook {
namespace {

using pytext::testing::run_reference_python;
using json = nlohmann::json;

const std::vector<std::string> kSamples = {"",
                                           "plain",
                                           "it's",
                                           "say \"hi\"",
                                           "both ' and \"",
                                           "back\\slash",
                                           "tab\tnew\nret\r",
                                           "\x01\x1f\x7f",
                                           "\xc2\x85 \xc2\xa0 \xc2\xad",
                                           "é 日本 🎉",
                                           "\xe2\x80\xa8\xe2\x80\xa9",
                                           "\xef\xbb\xbf\xe2\x80\x8b",
                                           "\xf3\xa0\x80\x81",
                                           "\xef\xbf\xbf",
                                           "  lead and trail \t\n",
                                           "a\x0b"
                                           "b\x0c"
                                           "c\x1c"
                                           "d\r\ne\n\rf",
                                           "\xe3\x80\x80wide space\xe3\x80\x80",
                                           "x y\tz\n"};

TEST(PyText, ReprStripSplitAndSplitlinesMatchPython) {
  std::string out = run_reference_python(R"(
import json, sys
out = []
for s in json.load(sys.stdin):
    out.append([repr(s), s.strip(), s.rstrip(), s.split(), s.splitlines(True), s.isspace(),
                list(s.partition(" ")[::2])])
sys.stdout.write(json.dumps(out))
)",
                                         json(kSamples).dump());
  auto want = json::parse(out);
  ASSERT_EQ(want.size(), kSamples.size());
  for (size_t i = 0; i < kSamples.size(); ++i) {
    PyStr s = pytext::decode_checked(kSamples[i]);
    const auto& w = want[i];
    EXPECT_EQ(pytext::encode(py_repr(s)), w[0].get<std::string>()) << kSamples[i];
    EXPECT_EQ(pytext::encode(py_strip(s)), w[1].get<std::string>()) << kSamples[i];
    EXPECT_EQ(pytext::encode(py_rstrip(s)), w[2].get<std::string>()) << kSamples[i];
    std::vector<std::string> split;
    for (auto p : py_split(s)) split.push_back(pytext::encode(p));
    EXPECT_EQ(json(split), w[3]) << kSamples[i];
    std::vector<std::string> lines;
    for (const auto& l : py_splitlines_keepends(s)) lines.push_back(pytext::encode(l));
    EXPECT_EQ(json(lines), w[4]) << kSamples[i];
    EXPECT_EQ(py_isspace(s), w[5].get<bool>()) << kSamples[i];
    auto [head, tail] = py_partition_space(s);
    EXPECT_EQ(pytext::encode(head), w[6][0].get<std::string>());
    EXPECT_EQ(pytext::encode(tail), w[6][1].get<std::string>());
  }
}

}  // namespace
}  // namespace lava::notebook
