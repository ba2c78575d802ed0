// Command-line parsing rules every command shares, and CLI11's parse errors reworded, through
// its failure-message hook, into the tool's one-line style ("lava-docker: build: --env is
// required ...").
#pragma once

#include <CLI/CLI.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace lava::cli {

// Makes every named option of `app` and its subcommands take exactly one value per
// occurrence: `--build-arg A=1 linked` gives A=1 and leaves `linked` to the positionals
// (CLI11's vector options otherwise swallow every following word). Repeat the option for
// more values.
void one_value_per_occurrence(CLI::App& app);

// The closest of `candidates` to `word` (edit distance at most a third of its length,
// and at least 1), or "" when none is close.
std::string closest_word(std::string_view word, const std::vector<std::string>& candidates);

// The one line (without the "lava-docker: " prefix) for a parse error of `app`: an unknown
// command or option is named with the closest known one; CLI11's own messages are reworded
// (lower case, the command named, where help is).
std::string describe_parse_error(const CLI::App& app, const CLI::Error& e);

// Makes CLI11 report every parse error of `app` (App::exit) as that one line, as every other
// error of the tool reads. Call it before adding subcommands, which copy the hook.
void use_one_line_errors(CLI::App& app);

}  // namespace lava::cli
