// Request bodies streamed from memory, a file range or a callback, and response sinks:
// nothing here needs a whole layer in memory.
#pragma once

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>

namespace lava::http {

// A request body. rewind() lets a failed request be sent again.
class BodySource {
 public:
  virtual ~BodySource() = default;
  virtual std::optional<uint64_t> size() const = 0;  // Content-Length when known
  virtual size_t read(char* buf, size_t max) = 0;    // 0 at the end; throws on error
  virtual bool rewind() = 0;                         // false when it cannot
};

std::shared_ptr<BodySource> body_from_string(std::string data);
// `length` bytes of `path` from `offset` (to the end of the file when nullopt); the file is
// opened lazily and read in small pieces.
std::shared_ptr<BodySource> body_from_file(const std::filesystem::path& path, uint64_t offset = 0,
                                           std::optional<uint64_t> length = std::nullopt);
// A one-shot stream: requests with it are never repeated.
std::shared_ptr<BodySource> body_from_callback(std::function<size_t(char*, size_t)> read,
                                               std::optional<uint64_t> size = std::nullopt);

// Where a successful (2xx) response body goes.
class Sink {
 public:
  virtual ~Sink() = default;
  virtual void write(const char* data, size_t n) = 0;
  // Forget what was written so a retry can start over; false when it cannot.
  virtual bool reset() { return false; }
};

class StringSink : public Sink {
 public:
  void write(const char* data, size_t n) override { data_.append(data, n); }
  bool reset() override {
    data_.clear();
    return true;
  }
  const std::string& data() const { return data_; }

 private:
  std::string data_;
};

// Writes to a file it owns (truncating it); reset() truncates again.
class FileSink : public Sink {
 public:
  explicit FileSink(const std::filesystem::path& path);
  ~FileSink() override;
  void write(const char* data, size_t n) override;
  bool reset() override;
  void close();  // flushes; throws on a write error
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
  std::FILE* file_ = nullptr;
};

class CallbackSink : public Sink {
 public:
  explicit CallbackSink(std::function<void(const char*, size_t)> fn) : fn_(std::move(fn)) {}
  void write(const char* data, size_t n) override { fn_(data, n); }

 private:
  std::function<void(const char*, size_t)> fn_;
};

}  // namespace lava::http
