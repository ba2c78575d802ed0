// Decoders for the byte streams the Docker engine sends back: the multiplexed
// stdout/stderr stream of a container without a TTY, and the JSON message stream of
// build, pull and import.
#pragma once

#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace lava::docker {

enum class OutputStream { kStdin = 0, kStdout = 1, kStderr = 2 };

// Splits the engine's multiplexed container output into its streams. Each frame is an
// 8-byte header (stream type, 3 zero bytes, big-endian uint32 length) then the payload;
// frames may arrive cut anywhere, so bytes are buffered until a frame is whole.
class FrameDemuxer {
 public:
  using Sink = std::function<void(OutputStream, std::string_view)>;
  explicit FrameDemuxer(Sink sink) : sink_(std::move(sink)) {}
  // Feeds the next bytes; calls the sink once per complete frame. A header naming an
  // unknown stream type is a lava::Error.
  void feed(std::string_view bytes);
  // True when no partial frame is pending.
  bool idle() const { return buffer_.empty(); }

 private:
  Sink sink_;
  std::string buffer_;
};

// Splits a byte stream into lines ('\n'; a trailing '\r' is dropped) as they complete.
class LineSplitter {
 public:
  using Sink = std::function<void(std::string_view)>;
  explicit LineSplitter(Sink sink) : sink_(std::move(sink)) {}
  void feed(std::string_view bytes);
  // Delivers a last unterminated line, if any.
  void finish();

 private:
  Sink sink_;
  std::string pending_;
};

// One message of the engine's JSON progress stream (build, pull, import).
struct ProgressMessage {
  std::string stream;    // build output text, often ending in "\n" but may be a fragment
  std::string status;    // pull/push status: "Pulling fs layer", "Downloaded newer image ..."
  std::string id;        // layer or image the status is about
  std::string progress;  // progress bar text
  std::string error;     // errorDetail.message or error: the operation failed
  std::string aux_id;    // aux.ID: the image id a build produced
  nlohmann::json raw;
};

// Decodes one line of the stream; a line that is not a JSON object is a lava::Error that
// quotes it (shortened).
ProgressMessage parse_progress_message(std::string_view line);

// Feeds the engine's JSON message stream and calls `sink` with each message as it
// completes. Blank lines are skipped.
class ProgressDecoder {
 public:
  using Sink = std::function<void(const ProgressMessage&)>;
  explicit ProgressDecoder(Sink sink);
  ProgressDecoder(const ProgressDecoder&) = delete;  // the line splitter points back here
  ProgressDecoder& operator=(const ProgressDecoder&) = delete;
  void feed(std::string_view bytes) { lines_.feed(bytes); }
  void finish() { lines_.finish(); }

 private:
  Sink sink_;
  LineSplitter lines_;
};

}  // namespace lava::docker
