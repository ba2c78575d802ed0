// A throwaway project directory for tests.
#pragma once

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

struct TempProject {
  std::filesystem::path root;
  TempProject() {
    static int counter = 0;
    root = std::filesystem::temp_directory_path() /
           ("lava-proj-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    std::filesystem::remove_all(root);
    std::filesystem::create_directories(root / "config");
    std::filesystem::create_directories(root / "lava-payloads");
  }
  ~TempProject() { std::filesystem::remove_all(root); }
  void write(const std::string& rel, const std::string& text) const {
    auto p = root / rel;
    std::filesystem::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << text;
  }
};
