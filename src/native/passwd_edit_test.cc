#include "native/passwd_edit.h"

#include <gtest/gtest.h>

namespace lava::native {
namespace {

TEST(PasswdEdit, AddsTheLavaUserAndGroupAsUseraddWould) {
  Account a;
  std::string group = add_group("root:x:0:\nstaff:x:50:\n", a);
  EXPECT_EQ(group, "root:x:0:\nstaff:x:50:\nlava:x:99999:\n");
  EXPECT_EQ(add_user("root:x:0:0:root:/root:/bin/bash\n", group, a),
            "root:x:0:0:root:/root:/bin/bash\nlava:x:99999:99999::/lava:/bin/sh\n");
}

TEST(PasswdEdit, KeepsExistingEntriesAndIsIdempotent) {
  Account a;
  std::string passwd = "root:x:0:0::/root:/bin/sh\nlava:x:1000:1000::/home/lava:/bin/bash\n";
  EXPECT_EQ(add_user(passwd, "", a), passwd);
  std::string group = "lava:x:1000:\n";
  EXPECT_EQ(add_group(group, a), group);
  std::string once = add_group("root:x:0:\n", a);
  EXPECT_EQ(add_group(once, a), once);
}

TEST(PasswdEdit, UserJoinsAnExistingLavaGroup) {
  Account a;
  EXPECT_EQ(add_user("", "users:x:100:\nlava:x:4242:bob\n", a),
            "lava:x:99999:4242::/lava:/bin/sh\n");
  EXPECT_EQ(group_gid("lava:x:4242:bob\n", "lava"), 4242u);
  EXPECT_FALSE(group_gid("lavatest:x:1:\n", "lava"));
  EXPECT_FALSE(group_gid("lava:x:notanumber:\n", "lava"));
}

TEST(PasswdEdit, MissingFinalNewlineAndEmptyFiles) {
  Account a;
  EXPECT_EQ(add_group("root:x:0:", a), "root:x:0:\nlava:x:99999:\n");
  EXPECT_EQ(add_group("", a), "lava:x:99999:\n");
  // "lavax" is another user: lava is still added.
  EXPECT_EQ(add_user("lavax:x:5:5::/:/bin/sh\n", "", a),
            "lavax:x:5:5::/:/bin/sh\nlava:x:99999:99999::/lava:/bin/sh\n");
}

}  // namespace
}  // namespace lava::native
