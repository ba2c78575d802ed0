#include "util/human_size.h"

#include <gtest/gtest.h>

TEST(HumanSize, BinaryUnitsWithOneDecimal) {
  EXPECT_EQ(lava::human_size(0), "0 B");
  EXPECT_EQ(lava::human_size(1023), "1023 B");
  EXPECT_EQ(lava::human_size(1024), "1.0 KiB");
  EXPECT_EQ(lava::human_size(43200000), "41.2 MiB");
  EXPECT_EQ(lava::human_size(uintmax_t{5} << 40), "5.0 TiB");
}
