#include "project/yaml_load.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <sstream>
#include <string>
#include <vector>

#include "util/error.h"
#include "util/subprocess.h"

using lava::project::load_yaml;

TEST(YamlLoad, PyYamlScalars) {
  auto j = load_yaml(
      "a: yes\nb: off\nc: 1.10\nd: ~\ne: 010\nf: 0x1F\ng: 1e5\nh: '1.10'\ni: 12\nj: -3.5\n"
      "k: null\nl:\nm: 1_000\nn: .inf\no: y\np: True\nq: 1:30\n",
      "t.yaml");
  EXPECT_EQ(j["a"], true);
  EXPECT_EQ(j["b"], false);
  EXPECT_TRUE(j["c"].is_number_float());
  EXPECT_DOUBLE_EQ(j["c"].get<double>(), 1.1);
  EXPECT_TRUE(j["d"].is_null());
  EXPECT_EQ(j["e"], 8);
  EXPECT_EQ(j["f"], 31);
  EXPECT_EQ(j["g"], "1e5");
  EXPECT_EQ(j["h"], "1.10");
  EXPECT_EQ(j["i"], 12);
  EXPECT_DOUBLE_EQ(j["j"].get<double>(), -3.5);
  EXPECT_TRUE(j["k"].is_null());
  EXPECT_TRUE(j["l"].is_null());
  EXPECT_EQ(j["m"], 1000);
  EXPECT_TRUE(std::isinf(j["n"].get<double>()));
  EXPECT_EQ(j["o"], "y");
  EXPECT_EQ(j["p"], true);
  EXPECT_EQ(j["q"], 90);
}

TEST(YamlLoad, KeepsMappingOrder) {
  auto j = load_yaml("z: 1\na: 2\nm: 3\n", "t.yaml");
  std::string keys;
  for (auto& [k, v] : j.items()) keys += k;
  EXPECT_EQ(keys, "zam");
}

TEST(YamlLoad, ErrorNamesFileLineColumn) {
  try {
    load_yaml("a: 1\nb: [1, 2\n", "config/dev.yaml");
    FAIL();
  } catch (const lava::Error& e) {
    EXPECT_EQ(std::string(e.what()).rfind("config/dev.yaml:", 0), 0u) << e.what();
  }
}

// Plain scalars of every implicit type and their near misses, resolved by us and by
// Debian's PyYAML (the framework's loader); both must agree on type and value.
TEST(YamlLoad, PlainScalarsResolveAsPyYaml) {
  const std::vector<std::string> scalars = {"0",
                                            "00",
                                            "0_",
                                            "-0",
                                            "+0",
                                            "07",
                                            "08",
                                            "0o7",
                                            "017_7",
                                            "0b101",
                                            "-0b1_0",
                                            "0b",
                                            "0b2",
                                            "0x1F",
                                            "0xg",
                                            "-0x_f",
                                            "0x",
                                            "+0xFF",
                                            "1_000",
                                            "1__",
                                            "12",
                                            "-12",
                                            "+12",
                                            "1a",
                                            "12:30",
                                            "1:2:3",
                                            "1:60",
                                            "1:59",
                                            "1:5x",
                                            "0:30",
                                            "190:20:30",
                                            "1:3",
                                            "1:03",
                                            "1:003",
                                            "+1:30",
                                            "-1_0:30",
                                            "1:3_0",
                                            "1.5",
                                            "1.",
                                            ".5",
                                            "+.5",
                                            "-.5",
                                            "._5",
                                            "._",
                                            ".",
                                            "1.e+5",
                                            "1.5e5",
                                            "1.5e+5",
                                            "1.5E-3",
                                            "1.5e+",
                                            "1_0.2_5",
                                            "1:30.5",
                                            "1:30.",
                                            "-1:30.5",
                                            "1:30.5e+1",
                                            ".5e-2",
                                            ".5e2",
                                            ".inf",
                                            "-.Inf",
                                            "+.INF",
                                            ".iNf",
                                            ".nan",
                                            "-.nan",
                                            ".NaN",
                                            "1e5",
                                            "+",
                                            "1..2",
                                            "-.",
                                            "9223372036854775807",
                                            "-9223372036854775808",
                                            "9223372036854775808",
                                            "99999999999999999999",
                                            "1.0e+400",
                                            "0x7fffffffffffffff",
                                            "yes",
                                            "Yes",
                                            "yEs",
                                            "on",
                                            "On",
                                            "Off",
                                            "oFF",
                                            "n",
                                            "NO",
                                            "no",
                                            "null",
                                            "Null",
                                            "nULL",
                                            "~",
                                            "~~",
                                            "true",
                                            "tRue",
                                            "FALSE",
                                            "y",
                                            "Y",
                                            "nothing",
                                            "offset",
                                            "1.5.6",
                                            "0.0.0.0",
                                            "-0:0.0",
                                            "123456789012345:59:59.99",
                                            "9999999999999999999999:1",
                                            "3:25:45",
                                            "-1:0:0:0:0:0:0:0:0:0:0:1"};
  std::string yaml;
  for (const auto& s : scalars) yaml += "- " + s + "\n";
  const char* script =
      "import sys, yaml\n"
      "for v in yaml.safe_load(sys.stdin.read()):\n"
      "  if v is None: print('null')\n"
      "  elif isinstance(v, bool): print('bool', v)\n"
      "  elif isinstance(v, int): print('int', v)\n"
      "  elif isinstance(v, float): print('float', repr(v))\n"
      "  else: print('str', v)\n";
  auto ref = lava::run_process({"/usr/bin/python3", "-c", script}, yaml);
  ASSERT_EQ(ref.exit_status, 0) << ref.err;
  auto ours = load_yaml(yaml, "t.yaml");
  ASSERT_EQ(ours.size(), scalars.size());
  std::istringstream lines(ref.out);
  for (size_t i = 0; i < scalars.size(); ++i) {
    std::string line;
    ASSERT_TRUE(std::getline(lines, line)) << scalars[i];
    std::string kind = line.substr(0, line.find(' '));
    std::string value = line.find(' ') == std::string::npos ? "" : line.substr(line.find(' ') + 1);
    const auto& got = ours[i];
    SCOPED_TRACE(scalars[i] + " -> PyYAML " + line + ", ours " + got.dump());
    if (kind == "null") {
      EXPECT_TRUE(got.is_null());
    } else if (kind == "bool") {
      ASSERT_TRUE(got.is_boolean());
      EXPECT_EQ(got.get<bool>() ? "True" : "False", value);
    } else if (kind == "int") {
      // Beyond 64 bits we keep the text (documented in yaml_load.h).
      if (got.is_string()) {
        EXPECT_EQ(got.get<std::string>(), scalars[i]);
        EXPECT_GT(value.size(), 18u);
      } else {
        ASSERT_TRUE(got.is_number_integer());
        EXPECT_EQ(std::to_string(got.get<int64_t>()), value);
      }
    } else if (kind == "float") {
      ASSERT_TRUE(got.is_number_float());
      double want = value == "nan"    ? NAN
                    : value == "inf"  ? INFINITY
                    : value == "-inf" ? -INFINITY
                                      : std::strtod(value.c_str(), nullptr);
      if (std::isnan(want))
        EXPECT_TRUE(std::isnan(got.get<double>()));
      else
        EXPECT_EQ(got.get<double>(), want);
    } else {
      ASSERT_TRUE(got.is_string());
      EXPECT_EQ(got.get<std::string>(), value);
    }
  }
}

// Anchors and aliases, non-string and repeated keys, nesting, quoting and tags, against
// PyYAML (keys stringified as the framework's Python sees them).
TEST(YamlLoad, StructuresLoadAsPyYaml) {
  const std::string yaml =
      "base: &b {x: 1, y: [a, 2, 3.5]}\n"
      "copy: *b\n"
      "list: [*b, &s str, *s]\n"
      "2: int key\n"
      "true: bool key\n"
      "~: null key\n"
      "dup: first\n"
      "dup: second\n"
      "nested:\n"
      "  - - deep\n"
      "    - {k: v, empty: }\n"
      "  - &n\n"
      "  - *n\n"
      "quoted: \"yes\"\n"
      "single: 'o''k'\n"
      "tagged: !!str 12\n"
      "int_tag: !!int 0x10\n"
      "block: |\n  two\n  lines\n"
      "folded: >\n  one\n  line\n";
  const char* script =
      "import sys, json, yaml\n"
      "def key(k):\n"
      "  if isinstance(k, str): return k\n"
      "  if k is True or k is False or k is None: return repr(k)\n"
      "  return json.dumps(k)\n"
      "def conv(v):\n"
      "  if isinstance(v, dict): return {key(k): conv(x) for k, x in v.items()}\n"
      "  if isinstance(v, list): return [conv(x) for x in v]\n"
      "  return v\n"
      "print(json.dumps(conv(yaml.safe_load(sys.stdin.read()))))\n";
  auto ref = lava::run_process({"/usr/bin/python3", "-c", script}, yaml);
  ASSERT_EQ(ref.exit_status, 0) << ref.err;
  EXPECT_EQ(load_yaml(yaml, "t.yaml"), lava::project::Json::parse(ref.out));
}

TEST(YamlLoad, OnlyTheFirstDocumentCounts) {
  EXPECT_EQ(load_yaml("a: 1\n---\nb: 2\n", "t.yaml"), lava::project::Json::parse(R"({"a":1})"));
  EXPECT_TRUE(load_yaml("", "t.yaml").is_null());
  EXPECT_TRUE(load_yaml("# only a comment\n", "t.yaml").is_null());
}

TEST(YamlLoad, UnsupportedTagNamesPlace) {
  try {
    load_yaml("a: 1\nb: !!binary aGk=\n", "c.yaml");
    FAIL();
  } catch (const lava::Error& e) {
    EXPECT_EQ(std::string(e.what()), "c.yaml:2:4: unsupported YAML tag tag:yaml.org,2002:binary");
  }
}

// Nested aliases (a "billion laughs") would copy 9^9 values: one clear error instead,
// while ordinary sharing still loads.
TEST(YamlLoad, AliasBombIsCappedWithOneError) {
  std::string bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n";
  const char* names = "abcdefghi";
  for (int i = 1; i < 9; ++i) {
    bomb += std::string(1, names[i]) + ": &" + names[i] + " [";
    for (int k = 0; k < 9; ++k) bomb += std::string(k ? ", " : "") + "*" + names[i - 1];
    bomb += "]\n";
  }
  ASSERT_LT(bomb.size(), 1024u);
  try {
    lava::project::load_yaml(bomb, "config/dev.yaml");
    FAIL() << "an alias bomb loaded";
  } catch (const lava::Error& e) {
    EXPECT_NE(std::string(e.what()).find("config/dev.yaml:"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("YAML aliases expand to more than 100000 values"),
              std::string::npos)
        << e.what();
  }
  auto shared = lava::project::load_yaml(
      "base: &b {image: x, tags: [1, 2]}\none: *b\nthree: [*b, *b]\n", "t.yaml");
  EXPECT_EQ(shared["one"]["tags"][1], 2);
  EXPECT_EQ(shared["three"][1]["image"], "x");
}
