#include "cli/parse_errors.h"

#include <algorithm>
#include <cctype>
#include <regex>

#include "cli/output.h"

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

// The first word CLI11 could not place before any command was chosen: what the user meant
// as the command (options it knows, like -C DIR, are placed already).
std::string first_command_word(const CLI::App& app) {
  for (const std::string& word : app.remaining())
    if (!word.empty() && word[0] != '-') return word;
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

// "{auto,docker,native}" -> "auto, docker, native"
std::string listed(std::string set) {
  std::string out;
  for (char c : set.substr(1, set.size() - 2))
    out += c == ',' ? std::string(", ") : std::string(1, c);
  return out;
}

// CLI11's messages (CLI/Error.hpp, CLI/Validators.hpp) in our words, by the error's name
// and the message's shape; whatever is not listed only loses its capital.
struct Rewording {
  const char* error;    // CLI::Error::get_name()
  const char* pattern;  // the whole message
  std::string (*say)(const std::smatch&);
};
const Rewording kRewordings[] = {
    {"RequiredError", "A subcommand is required",
     [](const std::smatch&) { return std::string("no command given"); }},
    {"ArgumentMismatch", "(\\S+): [0-9]+ required \\S+ missing",
     [](const std::smatch& m) { return m[1].str() + " needs a value"; }},
    {"ArgumentMismatch", "(\\S+): At Most ([0-9]+) required but received ([0-9]+)",
     [](const std::smatch& m) {
       return m[1].str() + " is given " + m[3].str() + " times; it takes " +
              (m[2].str() == "1" ? std::string("one value") : "at most " + m[2].str() + " values");
     }},
    {"ArgumentMismatch", "(\\S+): At least ([0-9]+) required but received ([0-9]+)",
     [](const std::smatch& m) {
       return m[1].str() + " needs at least " + m[2].str() + " values, not " + m[3].str();
     }},
    {"ArgumentMismatch", "Expected (exactly|at least) ([0-9]+) arguments to (\\S+), got ([0-9]+)",
     [](const std::smatch& m) {
       return m[3].str() + " takes " + m[1].str() + " " + m[2].str() + " values, not " + m[4].str();
     }},
    {"ArgumentMismatch", "(\\S+) was given a disallowed flag override",
     [](const std::smatch& m) { return m[1].str() + " takes no value"; }},
    {"ConversionError", "(\\S+): too many inputs for a flag",
     [](const std::smatch& m) { return m[1].str() + " takes no value"; }},
    {"ConversionError", "(\\S+): Should be true/false or a number",
     [](const std::smatch& m) {
       return m[1].str() + ": the value should be true/false or a number";
     }},
    {"ConversionError", "The value (.*) is not an allowed value for (\\S+)",
     [](const std::smatch& m) { return m[2].str() + ": '" + m[1].str() + "' is not allowed"; }},
    {"ConversionError", "Could not convert: (\\S+) = (.*)",
     [](const std::smatch& m) { return m[1].str() + ": cannot read '" + m[2].str() + "'"; }},
    {"ValidationError", "(\\S+): (.*) not in (\\{.*\\})",
     [](const std::smatch& m) {
       return m[1].str() + ": '" + m[2].str() + "' is not one of " + listed(m[3].str());
     }},
};

std::string reworded(const CLI::Error& e) {
  const std::string message = e.what();
  for (const auto& r : kRewordings) {
    if (e.get_name() != r.error) continue;
    std::smatch m;
    if (std::regex_match(message, m, std::regex(r.pattern))) return r.say(m);
  }
  return lower_first(message);
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

std::string describe_parse_error(const CLI::App& app, const CLI::Error& e) {
  const std::vector<CLI::App*> chosen = app.get_subcommands();
  const CLI::App* sub = chosen.empty() ? nullptr : chosen.front();
  const std::string help =
      sub == nullptr ? "lava-docker --help" : "lava-docker " + sub->get_name() + " --help";

  if (sub == nullptr) {
    std::string word = first_command_word(app);
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
      return prefix + "unknown option '" + name + "'" + suggestion(name, option_spellings(where)) +
             " (see " + help + ")";
    }
    return prefix + "unexpected argument '" + extra + "' (see " + help + ")";
  }
  return prefix + reworded(e) + " (see " + help + ")";
}

void use_one_line_errors(CLI::App& app) {
  app.failure_message([](const CLI::App* a, const CLI::Error& e) {
    return error_line(describe_parse_error(*a, e));
  });
}

}  // namespace lava::cli
