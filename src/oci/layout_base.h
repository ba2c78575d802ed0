// A base image kept in a local OCI image layout, named "oci:PATH[:TAG]" (the
// containers-image transport syntax): its blobs are the layout's own files.
#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include "oci/base_image.h"

namespace lava::oci {

// Splits "oci:PATH[:TAG]" at its first ':' after the prefix (as containers-image does).
// False when `name` does not start with "oci:".
bool parse_oci_name(const std::string& name, std::string& path, std::string& tag);

// Opens the layout `name` ("oci:PATH[:TAG]") names; a relative PATH is relative to
// `relative_to` when that is not empty. Without a TAG the layout must hold one image.
// Throws lava::Error starting "base image NAME: " when it cannot.
std::unique_ptr<BaseImage> open_layout_base(const std::string& name,
                                            const std::filesystem::path& relative_to);

}  // namespace lava::oci
