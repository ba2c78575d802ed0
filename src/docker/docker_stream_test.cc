#include "docker/docker_stream.h"

#include <gtest/gtest.h>

#include <vector>

#include "util/error.h"

namespace lava::docker {
namespace {

std::string frame(uint8_t type, const std::string& payload) {
  std::string h(8, '\0');
  h[0] = static_cast<char>(type);
  uint32_t n = static_cast<uint32_t>(payload.size());
  h[4] = static_cast<char>(n >> 24);
  h[5] = static_cast<char>(n >> 16);
  h[6] = static_cast<char>(n >> 8);
  h[7] = static_cast<char>(n);
  return h + payload;
}

struct Captured {
  std::string out, err;
  std::vector<std::pair<OutputStream, std::string>> frames;
};

FrameDemuxer capture(Captured& c) {
  return FrameDemuxer([&c](OutputStream s, std::string_view data) {
    c.frames.emplace_back(s, std::string(data));
    (s == OutputStream::kStderr ? c.err : c.out).append(data);
  });
}

TEST(FrameDemuxer, SplitsStreams) {
  Captured c;
  auto d = capture(c);
  d.feed(frame(1, "hello\n") + frame(2, "oops\n") + frame(1, "bye\n"));
  EXPECT_EQ(c.out, "hello\nbye\n");
  EXPECT_EQ(c.err, "oops\n");
  EXPECT_TRUE(d.idle());
}

TEST(FrameDemuxer, FramesCutAnywhere) {
  std::string all = frame(1, "first line\n") + frame(2, std::string(70000, 'x')) + frame(1, "");
  for (size_t step : {1u, 3u, 7u, 8u, 9u, 4096u}) {
    Captured c;
    auto d = capture(c);
    for (size_t i = 0; i < all.size(); i += step) d.feed(std::string_view(all).substr(i, step));
    EXPECT_EQ(c.out, "first line\n") << step;
    EXPECT_EQ(c.err, std::string(70000, 'x')) << step;
    EXPECT_EQ(c.frames.size(), 3u) << step;
    EXPECT_TRUE(d.idle());
  }
}

TEST(FrameDemuxer, PartialFrameIsHeldBack) {
  Captured c;
  auto d = capture(c);
  std::string f = frame(1, "abcdef");
  d.feed(f.substr(0, 10));
  EXPECT_TRUE(c.frames.empty());
  EXPECT_FALSE(d.idle());
  d.feed(f.substr(10));
  EXPECT_EQ(c.out, "abcdef");
}

TEST(FrameDemuxer, BadHeaderIsAnError) {
  Captured c;
  auto d = capture(c);
  EXPECT_THROW(d.feed("plain text, not framed"), Error);
}

TEST(LineSplitter, LinesAcrossPieces) {
  std::vector<std::string> lines;
  LineSplitter s([&](std::string_view l) { lines.emplace_back(l); });
  s.feed("ab");
  s.feed("c\r\nde");
  s.feed("f\n\ng");
  EXPECT_EQ(lines, (std::vector<std::string>{"abc", "def", ""}));
  s.finish();
  EXPECT_EQ(lines.back(), "g");
}

TEST(ProgressMessage, Kinds) {
  auto s = parse_progress_message(R"({"stream":"Step 1/2 : FROM x\n"})");
  EXPECT_EQ(s.stream, "Step 1/2 : FROM x\n");
  auto st = parse_progress_message(
      R"({"status":"Downloading","progressDetail":{"current":1},"progress":"[=>  ]","id":"abc"})");
  EXPECT_EQ(st.status, "Downloading");
  EXPECT_EQ(st.id, "abc");
  EXPECT_EQ(st.progress, "[=>  ]");
  auto aux = parse_progress_message(R"({"aux":{"ID":"sha256:0123"}})");
  EXPECT_EQ(aux.aux_id, "sha256:0123");
  auto err = parse_progress_message(
      R"({"errorDetail":{"code":1,"message":"The command '/bin/sh -c false' returned a non-zero code: 1"},"error":"short"})");
  EXPECT_EQ(err.error, "The command '/bin/sh -c false' returned a non-zero code: 1");
  auto err2 = parse_progress_message(R"({"error":"only this"})");
  EXPECT_EQ(err2.error, "only this");
}

TEST(ProgressMessage, GarbageIsAnError) {
  EXPECT_THROW(parse_progress_message("not json"), Error);
  EXPECT_THROW(parse_progress_message("[1,2]"), Error);
}

TEST(ProgressDecoder, MessagesAcrossPieces) {
  std::string all =
      "{\"stream\":\"Step 1/1 : FROM busybox\\n\"}\r\n\r\n{\"aux\":{\"ID\":\"sha256:ab\"}}\r\n"
      "{\"stream\":\"Successfully built ab\\n\"}\r\n";
  for (size_t step : {1u, 5u, 1000u}) {
    std::vector<ProgressMessage> got;
    ProgressDecoder d([&](const ProgressMessage& m) { got.push_back(m); });
    for (size_t i = 0; i < all.size(); i += step) d.feed(std::string_view(all).substr(i, step));
    d.finish();
    ASSERT_EQ(got.size(), 3u) << step;
    EXPECT_EQ(got[1].aux_id, "sha256:ab");
    EXPECT_EQ(got[2].stream, "Successfully built ab\n");
  }
}

}  // namespace
}  // namespace lava::docker
