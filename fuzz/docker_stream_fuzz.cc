// libFuzzer target over the Docker engine's stream decoders (docker/docker_stream.h): the
// multiplexed container output, the line splitter and the JSON progress stream, all fed
// by the engine's socket. The first input byte picks where the rest is cut into chunks.
// Checked: only lava::Error escapes, and the frames, lines and messages delivered do not
// depend on how the bytes were cut.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "docker/docker_stream.h"
#include "util/error.h"

namespace {

using lava::docker::OutputStream;

// Feeds `data` in chunks of `chunk` bytes (0: all at once) to `feed`; false when it threw.
template <typename Feed>
bool feed_in_chunks(std::string_view data, size_t chunk, Feed&& feed) {
  try {
    if (chunk == 0) {
      feed(data);
    } else {
      for (size_t i = 0; i < data.size(); i += chunk) feed(data.substr(i, chunk));
    }
  } catch (const lava::Error&) {
    return false;
  }
  return true;
}

std::vector<std::pair<OutputStream, std::string>> frames(std::string_view data, size_t chunk,
                                                         bool& ok, bool& idle) {
  std::vector<std::pair<OutputStream, std::string>> out;
  lava::docker::FrameDemuxer demuxer(
      [&](OutputStream s, std::string_view payload) { out.emplace_back(s, payload); });
  ok = feed_in_chunks(data, chunk, [&](std::string_view b) { demuxer.feed(b); });
  idle = demuxer.idle();
  return out;
}

std::vector<std::string> lines(std::string_view data, size_t chunk) {
  std::vector<std::string> out;
  lava::docker::LineSplitter splitter([&](std::string_view line) { out.emplace_back(line); });
  feed_in_chunks(data, chunk, [&](std::string_view b) { splitter.feed(b); });
  splitter.finish();
  return out;
}

std::vector<std::string> messages(std::string_view data, size_t chunk, bool& ok) {
  std::vector<std::string> out;
  lava::docker::ProgressDecoder decoder([&](const lava::docker::ProgressMessage& m) {
    out.push_back(m.stream + '\0' + m.status + '\0' + m.id + '\0' + m.error + '\0' + m.aux_id);
  });
  ok = feed_in_chunks(data, chunk, [&](std::string_view b) { decoder.feed(b); });
  if (ok) {
    try {
      decoder.finish();
    } catch (const lava::Error&) {
      ok = false;
    }
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* bytes, size_t size) {
  if (size == 0) return 0;
  size_t chunk = bytes[0] % 17 + 1;
  std::string_view data(reinterpret_cast<const char*>(bytes) + 1, size - 1);

  bool whole_ok, whole_idle, cut_ok, cut_idle;
  auto whole = frames(data, 0, whole_ok, whole_idle);
  auto cut = frames(data, chunk, cut_ok, cut_idle);
  // A bad header fails the stream wherever it was cut; the frames before it are the same.
  if (whole_ok != cut_ok || whole != cut) std::abort();
  if (whole_ok && whole_idle != cut_idle) std::abort();
  size_t payload = 0;
  for (const auto& [stream, text] : whole) {
    if (stream != OutputStream::kStdin && stream != OutputStream::kStdout &&
        stream != OutputStream::kStderr)
      std::abort();
    payload += 8 + text.size();
  }
  if (payload > data.size()) std::abort();

  auto whole_lines = lines(data, 0);
  if (whole_lines != lines(data, chunk)) std::abort();
  for (const auto& line : whole_lines)
    if (line.find('\n') != std::string::npos) std::abort();

  bool m_whole_ok, m_cut_ok;
  auto m_whole = messages(data, 0, m_whole_ok);
  auto m_cut = messages(data, chunk, m_cut_ok);
  if (m_whole_ok != m_cut_ok || m_whole != m_cut) std::abort();
  return 0;
}
