#include "notebook/py_text.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "notebook/reference_python.h"
#include "util/error.h"

namespace lava::notebook {
namespace {

using testing::run_reference_python;
using json = nlohmann::json;

// Every 7th code point: Python's regex/str classes against ours.
TEST(PyText, CharacterClassesMatchPython) {
  std::string out = run_reference_python(R"(
import sys
bits = []
for cp in range(0, 0x110000, 7):
    c = chr(cp)
    bits.append(str((c.isalnum() or c == "_") | c.isdecimal() << 1 | c.isspace() << 2
                    | c.isprintable() << 3 | c.isidentifier() << 4))
sys.stdout.write(",".join(bits))
)",
                                         "");
  size_t pos = 0;
  for (char32_t cp = 0; cp < 0x110000; cp += 7) {
    size_t comma = out.find(',', pos);
    int want = std::stoi(out.substr(pos, comma - pos));
    pos = comma + 1;
    int got = is_word_char(cp) | is_decimal_char(cp) << 1 | is_space_char(cp) << 2 |
              is_printable_char(cp) << 3 | is_identifier_start(cp) << 4;
    ASSERT_EQ(got, want) << "code point " << std::hex << static_cast<uint32_t>(cp);
  }
}

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
    PyStr s = decode_utf8(kSamples[i]);
    const auto& w = want[i];
    EXPECT_EQ(encode_utf8(py_repr(s)), w[0].get<std::string>()) << kSamples[i];
    EXPECT_EQ(encode_utf8(py_strip(s)), w[1].get<std::string>()) << kSamples[i];
    EXPECT_EQ(encode_utf8(py_rstrip(s)), w[2].get<std::string>()) << kSamples[i];
    std::vector<std::string> split;
    for (auto p : py_split(s)) split.push_back(encode_utf8(p));
    EXPECT_EQ(json(split), w[3]) << kSamples[i];
    std::vector<std::string> lines;
    for (const auto& l : py_splitlines_keepends(s)) lines.push_back(encode_utf8(l));
    EXPECT_EQ(json(lines), w[4]) << kSamples[i];
    EXPECT_EQ(py_isspace(s), w[5].get<bool>()) << kSamples[i];
    auto [head, tail] = py_partition_space(s);
    EXPECT_EQ(encode_utf8(head), w[6][0].get<std::string>());
    EXPECT_EQ(encode_utf8(tail), w[6][1].get<std::string>());
  }
}

TEST(PyText, Utf8RoundTripsAndRejectsMalformedInput) {
  std::string text = "a\xc3\xa9\xe6\x97\xa5\xf0\x9f\x8e\x89";
  PyStr decoded = decode_utf8(text);
  EXPECT_EQ(decoded, (PyStr{U'a', 0xE9, 0x65E5, 0x1F389}));
  EXPECT_EQ(encode_utf8(decoded), text);
  for (std::string bad :
       {"\x80", "\xc3", "\xc0\xaf", "\xed\xa0\x80", "\xf4\x90\x80\x80", "\xe6\x97"})
    EXPECT_THROW(decode_utf8(bad), Error) << bad;
}

}  // namespace
}  // namespace lava::notebook
