// Bench and test driver: writes one payload layer from a directory, as the native engine
// writes /lava, and prints its digests, sizes and the time it took as JSON.
//
//   lava-native-layer DIR BLOBS_DIR [--threads N] [--level L]
#include <chrono>
#include <iostream>
#include <nlohmann/json.hpp>
#include <string>

#include "native/layer_writer.h"
#include "util/error.h"

int main(int argc, char** argv) {
  if (argc < 3) {
    std::cerr << "usage: lava-native-layer DIR BLOBS_DIR [--threads N] [--level L]\n";
    return 2;
  }
  lava::native::LayerWriteOptions options;
  for (int i = 3; i + 1 < argc; i += 2) {
    std::string a = argv[i];
    if (a == "--threads")
      options.threads = static_cast<unsigned>(std::stoul(argv[i + 1]));
    else if (a == "--level")
      options.gzip_level = std::stoi(argv[i + 1]);
  }
  try {
    auto start = std::chrono::steady_clock::now();
    std::vector<lava::oci::LayerEntry> entries{lava::oci::LayerEntry::directory("lava")};
    lava::oci::add_tree(entries, argv[1], "lava");
    auto blob = lava::native::write_layer(std::move(entries), argv[2], options);
    double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    nlohmann::json out = {{"diff_id", blob.diff_id.str()},
                          {"digest", blob.digest.str()},
                          {"size", blob.size},
                          {"tar_size", blob.tar_size},
                          {"seconds", secs}};
    std::cout << out.dump() << "\n";
    return 0;
  } catch (const lava::Error& e) {
    std::cerr << "error: " << e.what() << "\n";
    return 1;
  }
}
