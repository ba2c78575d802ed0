#include "docker/docker_stream.h"

#include "util/error.h"

namespace lava::docker {

void FrameDemuxer::feed(std::string_view bytes) {
  buffer_.append(bytes);
  size_t pos = 0;
  while (buffer_.size() - pos >= 8) {
    auto byte = [&](size_t i) { return static_cast<uint8_t>(buffer_[pos + i]); };
    uint8_t type = byte(0);
    if (type > 2 || byte(1) != 0 || byte(2) != 0 || byte(3) != 0) {
      throw Error("the Docker engine sent a malformed output frame header (stream type " +
                  std::to_string(type) + ")");
    }
    uint32_t length = (uint32_t{byte(4)} << 24) | (uint32_t{byte(5)} << 16) |
                      (uint32_t{byte(6)} << 8) | uint32_t{byte(7)};
    if (buffer_.size() - pos - 8 < length) break;
    sink_(static_cast<OutputStream>(type), std::string_view(buffer_).substr(pos + 8, length));
    pos += 8 + length;
  }
  buffer_.erase(0, pos);
}

void LineSplitter::feed(std::string_view bytes) {
  pending_.append(bytes);
  size_t start = 0;
  for (size_t nl = pending_.find('\n'); nl != std::string::npos; nl = pending_.find('\n', start)) {
    std::string_view line = std::string_view(pending_).substr(start, nl - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    sink_(line);
    start = nl + 1;
  }
  pending_.erase(0, start);
}

void LineSplitter::finish() {
  if (pending_.empty()) return;
  std::string last;
  last.swap(pending_);
  if (!last.empty() && last.back() == '\r') last.pop_back();
  sink_(last);
}

namespace {
std::string string_field(const nlohmann::json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end() || !it->is_string()) return {};
  return it->get<std::string>();
}
}  // namespace

ProgressMessage parse_progress_message(std::string_view line) {
  ProgressMessage m;
  m.raw = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
  if (!m.raw.is_object()) {
    std::string shown(line.substr(0, 200));
    throw Error("the Docker engine sent an unreadable progress message: " + shown);
  }
  m.stream = string_field(m.raw, "stream");
  m.status = string_field(m.raw, "status");
  m.id = string_field(m.raw, "id");
  m.progress = string_field(m.raw, "progress");
  m.error = string_field(m.raw, "error");
  auto detail = m.raw.find("errorDetail");
  if (detail != m.raw.end() && detail->is_object()) {
    std::string message = string_field(*detail, "message");
    if (!message.empty()) m.error = message;
  }
  auto aux = m.raw.find("aux");
  if (aux != m.raw.end() && aux->is_object()) m.aux_id = string_field(*aux, "ID");
  return m;
}

ProgressDecoder::ProgressDecoder(Sink sink)
    : sink_(std::move(sink)), lines_([this](std::string_view line) {
        if (line.find_first_not_of(" \t") == std::string_view::npos) return;
        sink_(parse_progress_message(line));
      }) {}

}  // namespace lava::docker
