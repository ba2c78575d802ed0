#include "builder/native_image_load.h"

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <exception>
#include <fstream>
#include <nlohmann/json.hpp>
#include <thread>

#include "oci/layout.h"
#include "util/error.h"
#include "util/libarchive.h"

namespace lava::builder {

namespace fs = std::filesystem;

namespace {

struct ArchiveFile {
  std::string name;  // in the archive
  fs::path source;   // blob file
  int64_t size = 0;
};

// Writes a `docker save` archive of `files` plus `manifest_json` to `fd`, reading each
// blob in pieces so no layer is ever held in memory.
void write_docker_archive(int fd, const std::string& manifest_json,
                          const std::vector<ArchiveFile>& files) {
  struct archive* a = archive_api::write_new();
  auto fail = [&](const std::string& what) {
    std::string msg =
        what + ": " + (archive_api::error_string(a) ? archive_api::error_string(a) : "?");
    archive_api::write_free(a);
    throw Error(msg);
  };
  archive_api::write_set_format_pax_restricted(a);
  if (archive_api::write_open_fd(a, fd) != ARCHIVE_OK) fail("cannot start the image archive");
  auto header = [&](const std::string& name, int64_t size) {
    struct archive_entry* e = archive_api::entry_new();
    archive_api::entry_set_pathname(e, name.c_str());
    archive_api::entry_set_filetype(e, AE_IFREG);
    archive_api::entry_set_perm(e, 0644);
    archive_api::entry_set_size(e, size);
    int rc = archive_api::write_header(a, e);
    archive_api::entry_free(e);
    if (rc != ARCHIVE_OK) fail("cannot write " + name + " to the image archive");
  };
  header("manifest.json", static_cast<int64_t>(manifest_json.size()));
  if (archive_api::write_data(a, manifest_json.data(), manifest_json.size()) < 0)
    fail("cannot write manifest.json to the image archive");
  std::vector<char> buf(1 << 20);
  for (const auto& f : files) {
    std::ifstream in(f.source, std::ios::binary);
    if (!in) throw Error("cannot read " + f.source.string());
    header(f.name, f.size);
    int64_t left = f.size;
    while (left > 0) {
      in.read(buf.data(), static_cast<std::streamsize>(std::min<int64_t>(left, buf.size())));
      std::streamsize got = in.gcount();
      if (got <= 0) throw Error(f.source.string() + " is shorter than its descriptor says");
      if (archive_api::write_data(a, buf.data(), static_cast<size_t>(got)) < 0)
        fail("cannot stream " + f.source.string() + " to the Docker engine");
      left -= got;
    }
  }
  if (archive_api::write_close(a) != ARCHIVE_OK) fail("cannot finish the image archive");
  archive_api::write_free(a);
}

}  // namespace

void ensure_native_image_loaded(docker::DockerClient& docker, const project::Project& project,
                                const project::Payload& payload, const BuiltImage& image) {
  if (auto info = docker.inspect_image(image.tag); info && info->id == image.image_id) return;

  const fs::path dir = project.dist.oci_layout(payload.name);
  if (!fs::exists(dir / "oci-layout"))
    throw Error(payload.name + ": no built image at " + dir.string() +
                "; run lava-docker build --env " + project.config.env + " " + payload.name +
                " first");
  auto layout = oci::Layout::open(dir);
  std::optional<oci::Manifest> chosen;
  for (const auto& d : layout.image_manifests(layout.root())) {
    auto m = layout.read_manifest(d);
    if (m.config.digest.str() == image.image_id) {
      chosen = std::move(m);
      break;
    }
  }
  if (!chosen)
    throw Error(payload.name + ": " + dir.string() + " no longer holds the " + image.platform +
                " image of the last build (" + image.image_id + "); build it again");

  std::vector<ArchiveFile> files;
  auto add = [&](const oci::Descriptor& d) {
    fs::path p = layout.blob_path(d.digest);
    if (!fs::exists(p))
      throw Error(payload.name + ": blob " + d.digest.str() + " is missing from " + dir.string());
    files.push_back({"blobs/" + d.digest.hex(), p, d.size});
  };
  add(chosen->config);
  nlohmann::json layers = nlohmann::json::array();
  for (const auto& l : chosen->layers) {
    add(l);
    layers.push_back("blobs/" + l.digest.hex());
  }
  nlohmann::json manifest = nlohmann::json::array();
  manifest.push_back({{"Config", "blobs/" + chosen->config.digest.hex()},
                      {"RepoTags", {image.tag}},
                      {"Layers", layers}});

  int fds[2];
  if (::pipe(fds) != 0)
    throw Error("cannot create a pipe to the Docker engine: " + std::string(strerror(errno)));
  std::exception_ptr producer_error;
  std::thread producer([&, wfd = fds[1]] {
    try {
      write_docker_archive(wfd, manifest.dump(), files);
    } catch (...) {
      producer_error = std::current_exception();
    }
    ::close(wfd);
  });
  const int rfd = fds[0];
  std::exception_ptr load_error;
  try {
    docker.load_images(
        [rfd](char* buf, size_t len) -> size_t {
          for (;;) {
            ssize_t n = ::read(rfd, buf, len);
            if (n >= 0) return static_cast<size_t>(n);
            if (errno != EINTR) return 0;
          }
        },
        payload.name + " (" + image.platform + ") from " + dir.string());
  } catch (...) {
    load_error = std::current_exception();
  }
  ::close(rfd);  // a producer still writing gets EPIPE and stops
  producer.join();
  if (producer_error) std::rethrow_exception(producer_error);
  if (load_error) std::rethrow_exception(load_error);
  auto info = docker.inspect_image(image.tag);
  if (!info || info->id != image.image_id)
    throw Error(payload.name + ": the Docker engine did not load " + image.image_id + " as " +
                image.tag);
}

}  // namespace lava::builder
