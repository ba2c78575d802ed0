#include "util/subprocess.h"

#include <gtest/gtest.h>

#include "util/error.h"

TEST(RunProcess, FeedsStdinAndCapturesBothOutputs) {
  std::string big(1 << 20, 'x');  // larger than a pipe buffer both ways
  auto r = lava::run_process({"sh", "-c", "cat; echo oops >&2; exit 3"}, big);
  EXPECT_EQ(r.exit_status, 3);
  EXPECT_EQ(r.out, big);
  EXPECT_EQ(r.err, "oops\n");
}

TEST(RunProcess, MissingProgramAndTimeout) {
  EXPECT_THROW(lava::run_process({"lava-no-such-program-xyz"}), lava::Error);
  EXPECT_THROW(lava::run_process({"sleep", "10"}, "", std::chrono::milliseconds(200)), lava::Error);
  auto r = lava::run_process({"sh", "-c", "kill -9 $$"});
  EXPECT_EQ(r.exit_status, 128 + 9);
}
