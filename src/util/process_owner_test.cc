#include "util/process_owner.h"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <string>

namespace lava {
namespace {

// The tag with its N-th '/'-separated part replaced.
std::string with_part(const std::string& tag, int n, const std::string& value) {
  size_t start = 0;
  for (int i = 0; i < n; ++i) start = tag.find('/', start) + 1;
  const size_t end = tag.find('/', start);
  return tag.substr(0, start) + value + (end == std::string::npos ? "" : tag.substr(end));
}

// A pid that was a process of ours and is not any more.
long reaped_pid() {
  const pid_t child = ::fork();
  if (child == 0) ::_exit(0);
  int status = 0;
  ::waitpid(child, &status, 0);
  return child;
}

// The tag's N-th '/'-separated part.
std::string part(const std::string& tag, int n) {
  size_t start = 0;
  for (int i = 0; i < n; ++i) start = tag.find('/', start) + 1;
  return tag.substr(start, tag.find('/', start) - start);
}

TEST(ProcessOwner, ThisProcessIsNotGone) {
  const std::string tag = this_process_owner_tag();
  EXPECT_EQ(std::to_string(::getpid()), part(tag, 2));
  EXPECT_FALSE(part(tag, 3).empty()) << tag;  // the start time
  EXPECT_FALSE(owner_tag_gone(tag));
}

TEST(ProcessOwner, AnEndedProcessIsGone) {
  const std::string tag = this_process_owner_tag();
  EXPECT_TRUE(owner_tag_gone(with_part(tag, 2, std::to_string(reaped_pid()))));
}

TEST(ProcessOwner, AReusedPidIsGone) {
  // Our own pid, but with another start time: the owner was an earlier process.
  const std::string tag = this_process_owner_tag();
  EXPECT_TRUE(owner_tag_gone(with_part(tag, 3, "1")));
}

TEST(ProcessOwner, AnEarlierBootIsGone) {
  const std::string tag = this_process_owner_tag();
  EXPECT_TRUE(owner_tag_gone(with_part(tag, 1, "00000000-0000-0000-0000-000000000000")));
}

TEST(ProcessOwner, AnotherMachineOrAnUnreadableTagIsNeverGone) {
  const std::string tag = this_process_owner_tag();
  EXPECT_FALSE(owner_tag_gone(
      with_part(with_part(tag, 0, "another-machine"), 2, std::to_string(reaped_pid()))));
  EXPECT_FALSE(owner_tag_gone(""));
  EXPECT_FALSE(owner_tag_gone("just-a-label"));
  EXPECT_FALSE(owner_tag_gone(with_part(tag, 2, "not-a-pid")));
  EXPECT_FALSE(owner_tag_gone(with_part(tag, 2, "-4")));
}

}  // namespace
}  // namespace lava
