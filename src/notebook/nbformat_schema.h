// The schema check nbconvert makes before converting a notebook: nbformat's own JSON
// schema for the notebook's 4.<minor> (draft 4, with additionalProperties relaxed),
// judged with fastjsonschema's (that is, Python's) notion of types and equality.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

namespace lava::notebook {

// The first violation found, as "<where>: <what>" (e.g. "cells[2].execution_count: must be
// an integer or null"), or nullopt when the notebook passes. Minors above 5 use the 4.5
// schema, as nbformat does for notebooks from the future; a negative minor has no schema.
std::optional<std::string> nbformat_violation(const nlohmann::json& notebook, int minor);

}  // namespace lava::notebook
