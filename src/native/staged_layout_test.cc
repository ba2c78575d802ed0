// How blobs enter a native build's staged layout: from the layout it replaces when that one
// holds them by itself, else read from the cache and checked.
#include "native/staged_layout.h"

#include <gtest/gtest.h>

#include "oci/digest.h"
#include "oci/layout.h"
#include "oci/media_types.h"
#include "oci/verified_blob.h"
#include "util/file_io.h"
#include "util/temp_dir.h"

namespace lava::native {
namespace {

namespace fs = std::filesystem;

class StagedLayoutTest : public ::testing::Test {
 protected:
  void SetUp() override {
    previous_ = tmp_.path / "previous";
    StagedLayout old(previous_);
    desc_ = old.write_blob(content_, oci::media::kOciLayerGzip);
    // The cache's copy is damaged: reading it through fails.
    cache_file_ = tmp_.path / "cache-blob";
    write_file_atomic(cache_file_, std::string(content_.size(), 'x'));
  }
  fs::path old_blob() const { return oci::blob_file(previous_ / "blobs", desc_.digest); }

  TempDir tmp_ = TempDir::create("staged-layout-test-");
  const std::string content_ = "a base layer's bytes";
  fs::path previous_, cache_file_;
  oci::Descriptor desc_;
};

// A code-only rebuild must not copy and hash every base layer again.
TEST_F(StagedLayoutTest, ABlobThePreviousLayoutHoldsAloneIsLinkedNotRead) {
  StagedLayout next(tmp_.path / "next", previous_);
  next.place(cache_file_, desc_);  // the damaged cache copy is never opened
  EXPECT_EQ(read_file(next.blob_path(desc_.digest)), content_);
  EXPECT_EQ(fs::hard_link_count(old_blob()), 2u);
}

TEST_F(StagedLayoutTest, WithoutAPreviousLayoutTheCacheCopyIsChecked) {
  StagedLayout forced(tmp_.path / "forced");  // --force
  EXPECT_THROW(forced.place(cache_file_, desc_), oci::BlobDigestMismatch);
}

// A blob linked to anything else (a cache, another layout) could be changed through that
// link: it is read and checked like a cache's.
TEST_F(StagedLayoutTest, ASharedOrResizedPreviousBlobIsNotTrusted) {
  fs::create_hard_link(old_blob(), tmp_.path / "elsewhere");
  StagedLayout shared(tmp_.path / "shared", previous_);
  EXPECT_THROW(shared.place(cache_file_, desc_), oci::BlobDigestMismatch);
  fs::remove(tmp_.path / "elsewhere");

  write_file_atomic(old_blob(), content_ + "more");
  StagedLayout resized(tmp_.path / "resized", previous_);
  EXPECT_THROW(resized.place(cache_file_, desc_), oci::BlobDigestMismatch);
}

}  // namespace
}  // namespace lava::native
