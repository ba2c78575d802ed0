// Reading and atomically writing files.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

namespace lava {

// Whole file as bytes; throws lava::Error naming the path when unreadable.
std::string read_file(const std::filesystem::path& path);

// Writes to a temporary sibling, fsyncs, then renames over `path`, so readers see
// either the old file or the new one, never a half-written one. Creates parent dirs.
void write_file_atomic(const std::filesystem::path& path, std::string_view content,
                       std::filesystem::perms perms = std::filesystem::perms::owner_read |
                                                      std::filesystem::perms::owner_write |
                                                      std::filesystem::perms::group_read |
                                                      std::filesystem::perms::others_read);

// Writes `path` in a directory nobody else sees yet (a temporary tree renamed into place
// as a whole later): no temporary sibling and no fsync, since a crash leaves only the
// private tree behind. Keeps nothing of an existing file but replaces it.
void write_private_file(const std::filesystem::path& path, std::string_view content,
                        std::filesystem::perms perms);

// Puts the directory `new_dir` at `final_dir` (same file system), so readers see the old
// tree or the new one and never no directory: one RENAME_EXCHANGE where the file system
// has it, else the old tree moved aside first (a moment with no directory, but never a
// mix). Whatever was at `final_dir` ends up at `new_dir` for the caller to remove.
void replace_directory(const std::filesystem::path& new_dir,
                       const std::filesystem::path& final_dir);

}  // namespace lava
