#include "cli/parse_errors.h"

#include <algorithm>
#include <cctype>

namespace lava::cli {

namespace {

// Optimal string alignment distance: edits plus swaps of neighbours ("bulid" is 1 from
// "build"), the usual slips at a keyboard.
size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::vector<size_t>> d(a.size() + 1, std::vector<size_t>(b.size() + 1));
  for (size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
  for (size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.size()][b.size()];
}

// The options a command accepts, spelled as on the command line.
std::vector<std::string> option_spellings(const CLI::App& app) {
  std::vector<std::string> out;
  for (const CLI::Option* opt : app.get_options()) {
    if (!opt->nonpositional()) continue;
    for (const auto& n : opt->get_lnames()) out.push_back("--" + n);
    for (const auto& n : opt->get_snames()) out.push_back("-" + n);
  }
  return out;
}

std::vector<std::string> command_names(const CLI::App& app) {
  std::vector<std::string> out;
  for (const CLI::App* sub : app.get_subcommands({})) out.push_back(sub->get_name());
  return out;
}

// The first word of argv that is neither an option nor the value of -C/--directory: what
// the user meant as the command.
std::string first_command_word(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    if (arg == "--") return i + 1 < argc ? argv[i + 1] : "";
    if (arg == "-C" || arg == "--directory") {
      ++i;
      continue;
    }
    if (!arg.empty() && arg[0] == '-') continue;
    return std::string(arg);
  }
  return "";
}

std::string suggestion(std::string_view word, const std::vector<std::string>& candidates) {
  std::string best = closest_word(word, candidates);
  return best.empty() ? "" : "; did you mean '" + best + "'?";
}

// CLI11 capitalises its messages; ours start in lower case ("A subcommand" -> "a
// subcommand"), but an option or a name in upper case stays.
std::string lower_first(std::string message) {
  if (message.size() > 1 && std::isupper(static_cast<unsigned char>(message[0])) &&
      std::islower(static_cast<unsigned char>(message[1])))
    message[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(message[0])));
  return message;
}

}  // namespace

void one_value_per_occurrence(CLI::App& app) {
  for (CLI::Option* opt : app.get_options())
    if (opt->nonpositional()) opt->allow_extra_args(false);
  for (CLI::App* sub : app.get_subcommands({})) one_value_per_occurrence(*sub);
}

std::string closest_word(std::string_view word, const std::vector<std::string>& candidates) {
  if (word.empty()) return "";
  std::string best;
  size_t best_distance = std::max<size_t>(2, word.size() / 3) + 1;
  for (const auto& c : candidates) {
    size_t d = edit_distance(word, c);
    // "inst" is the start of "install": as good as one slip.
    if (word.size() >= 2 && c.size() > word.size() && c.compare(0, word.size(), word) == 0)
      d = std::min<size_t>(d, 1);
    if (d < best_distance) {
      best_distance = d;
      best = c;
    }
  }
  return best;
}

std::string describe_parse_error(const CLI::App& app, const CLI::ParseError& e, int argc,
                                 char** argv) {
  const std::vector<CLI::App*> chosen = app.get_subcommands();
  const CLI::App* sub = chosen.empty() ? nullptr : chosen.front();
  const std::string help =
      sub == nullptr ? "lava-docker --help" : "lava-docker " + sub->get_name() + " --help";

  if (sub == nullptr) {
    std::string word = first_command_word(argc, argv);
    auto names = command_names(app);
    if (!word.empty() && std::find(names.begin(), names.end(), word) == names.end())
      return "unknown command '" + word + "'" + suggestion(word, names) + " (see " + help + ")";
  }

  const CLI::App& where = sub == nullptr ? app : *sub;
  const std::string prefix = sub == nullptr ? "" : sub->get_name() + ": ";
  // An unknown word is the mistake to name even when CLI11 complains first about something
  // else (a required --env it checks before leftovers).
  for (const std::string& extra : where.remaining()) {
    if (extra.size() > 1 && extra[0] == '-') {
      std::string name = extra.substr(0, extra.find('='));
      return prefix + "unknown option '" + name + "'" +
             suggestion(name, option_spellings(where)) + " (see " + help + ")";
    }
    return prefix + "unexpected argument '" + extra + "' (see " + help + ")";
  }
  if (sub == nullptr && e.get_name() == "RequiredError" &&
      std::string_view(e.what()).find("subcommand") != std::string_view::npos)
    return "no command given (see " + help + ")";
  return prefix + lower_first(e.what()) + " (see " + help + ")";
}

}  // namespace lava::cli
