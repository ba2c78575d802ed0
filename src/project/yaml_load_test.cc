#include "project/yaml_load.h"

#include <gtest/gtest.h>

#include "util/error.h"

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
