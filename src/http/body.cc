#include "http/body.h"

#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "util/error.h"

namespace lava::http {

namespace {

class StringBody : public BodySource {
 public:
  explicit StringBody(std::string data) : data_(std::move(data)) {}
  std::optional<uint64_t> size() const override { return data_.size(); }
  size_t read(char* buf, size_t max) override {
    size_t n = std::min(max, data_.size() - pos_);
    std::memcpy(buf, data_.data() + pos_, n);
    pos_ += n;
    return n;
  }
  bool rewind() override {
    pos_ = 0;
    return true;
  }

 private:
  std::string data_;
  size_t pos_ = 0;
};

class FileBody : public BodySource {
 public:
  FileBody(std::filesystem::path path, uint64_t offset, std::optional<uint64_t> length)
      : path_(std::move(path)), offset_(offset) {
    std::error_code ec;
    uint64_t file_size = std::filesystem::file_size(path_, ec);
    if (ec) throw Error(path_.string() + ": cannot read: " + ec.message());
    if (offset > file_size) throw Error(path_.string() + ": offset past the end of the file");
    length_ = length ? *length : file_size - offset;
    if (offset + length_ > file_size)
      throw Error(path_.string() + ": range past the end of the file");
  }
  ~FileBody() override {
    if (file_) std::fclose(file_);
  }
  std::optional<uint64_t> size() const override { return length_; }
  size_t read(char* buf, size_t max) override {
    if (!file_) open();
    uint64_t left = length_ - done_;
    size_t want = static_cast<size_t>(std::min<uint64_t>(left, max));
    if (want == 0) return 0;
    size_t n = std::fread(buf, 1, want, file_);
    if (n == 0) throw Error(path_.string() + ": read failed or file shrank while uploading");
    done_ += n;
    return n;
  }
  bool rewind() override {
    if (file_) std::fclose(file_);
    file_ = nullptr;
    done_ = 0;
    return true;
  }

 private:
  void open() {
    file_ = std::fopen(path_.c_str(), "rb");
    if (!file_) throw Error(path_.string() + ": cannot read: " + std::strerror(errno));
    if (::fseeko(file_, static_cast<off_t>(offset_), SEEK_SET) != 0)
      throw Error(path_.string() + ": cannot seek: " + std::strerror(errno));
  }
  std::filesystem::path path_;
  uint64_t offset_;
  uint64_t length_ = 0;
  uint64_t done_ = 0;
  std::FILE* file_ = nullptr;
};

class CallbackBody : public BodySource {
 public:
  CallbackBody(std::function<size_t(char*, size_t)> fn, std::optional<uint64_t> size)
      : fn_(std::move(fn)), size_(size) {}
  std::optional<uint64_t> size() const override { return size_; }
  size_t read(char* buf, size_t max) override {
    size_t n = fn_(buf, max);
    started_ = started_ || n > 0;
    return n;
  }
  bool rewind() override { return !started_; }

 private:
  std::function<size_t(char*, size_t)> fn_;
  std::optional<uint64_t> size_;
  bool started_ = false;
};

}  // namespace

std::shared_ptr<BodySource> body_from_string(std::string data) {
  return std::make_shared<StringBody>(std::move(data));
}

std::shared_ptr<BodySource> body_from_file(const std::filesystem::path& path, uint64_t offset,
                                           std::optional<uint64_t> length) {
  return std::make_shared<FileBody>(path, offset, length);
}

std::shared_ptr<BodySource> body_from_callback(std::function<size_t(char*, size_t)> read,
                                               std::optional<uint64_t> size) {
  return std::make_shared<CallbackBody>(std::move(read), size);
}

FileSink::FileSink(const std::filesystem::path& path) : path_(path) {
  file_ = std::fopen(path.c_str(), "wb");
  if (!file_) throw Error(path.string() + ": cannot write: " + std::strerror(errno));
}

FileSink::~FileSink() {
  if (file_) std::fclose(file_);
}

void FileSink::write(const char* data, size_t n) {
  if (!file_ || std::fwrite(data, 1, n, file_) != n)
    throw Error(path_.string() + ": write failed: " + std::strerror(errno));
}

bool FileSink::reset() {
  if (!file_) return false;
  std::fflush(file_);
  return ::ftruncate(fileno(file_), 0) == 0 && std::fseek(file_, 0, SEEK_SET) == 0;
}

void FileSink::close() {
  if (!file_) return;
  bool ok = std::fflush(file_) == 0 && ::fsync(fileno(file_)) == 0;
  ok = std::fclose(file_) == 0 && ok;
  file_ = nullptr;
  if (!ok) throw Error(path_.string() + ": write failed: " + std::strerror(errno));
}

}  // namespace lava::http
