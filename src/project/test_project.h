// A throwaway project directory for tests.
#pragma once

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "util/temp_dir.h"

struct TempProject {
  lava::TempDir dir = lava::TempDir::create("lava-proj-");
  std::filesystem::path root = dir.path;
  TempProject() {
    std::filesystem::create_directories(root / "config");
    std::filesystem::create_directories(root / "lava-payloads");
  }
  void write(const std::string& rel, const std::string& text) const {
    auto p = root / rel;
    std::filesystem::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << text;
  }
};
