// `lava-docker nb2py`: converts notebooks to Python as the framework's build does
// (nbconvert's python exporter + python3 shebang + chmod u+x), without Python.
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "cli/command.h"
#include "cli/output.h"
#include "notebook/nb2py.h"
#include "util/error.h"
#include "util/file_io.h"

namespace lava::cli {

namespace {

namespace fs = std::filesystem;

struct Nb2pyOptions {
  bool comment_magics = false;
  std::string output_dir;
  std::vector<std::string> notebooks;
};

void convert_one(const fs::path& notebook, const Nb2pyOptions& opts) {
  std::string name = notebook.filename().string();
  const std::string ext = ".ipynb";
  if (name.size() <= ext.size() || name.compare(name.size() - ext.size(), ext.size(), ext) != 0)
    throw Error(notebook.string() + ": not a notebook (name does not end in .ipynb)");
  fs::path dir = opts.output_dir.empty() ? notebook.parent_path() : fs::path(opts.output_dir);
  fs::path target = dir / (name.substr(0, name.size() - ext.size()) + ".py");
  std::string python =
      notebook::notebook_to_python(read_file(notebook), notebook.string(), opts.comment_magics);
  using fs::perms;
  write_file_atomic(target, python,
                    perms::owner_read | perms::owner_write | perms::owner_exec | perms::group_read |
                        perms::others_read);
}

}  // namespace

void add_nb2py_command(CLI::App& app, GlobalOptions& /*global*/) {
  auto* sub = app.add_subcommand(
      "nb2py",
      "Convert Jupyter notebooks to Python exactly as nbconvert (and the lava build) does");
  auto opts = std::make_shared<Nb2pyOptions>();
  sub->add_flag(
      "--comment-magics", opts->comment_magics,
      "Comment out IPython magics (get_ipython -> #get_ipython), as the payload build does");
  sub->add_option("-o,--output-dir", opts->output_dir,
                  "Write NAME.py here (default: beside each notebook)")
      ->option_text("DIR");
  sub->add_option("notebooks", opts->notebooks, "Notebooks to convert")->required();
  set_body(sub, [opts]() {
    int status = 0;
    for (const auto& nb : opts->notebooks) {
      try {
        convert_one(nb, *opts);
      } catch (const Error& e) {
        print_error(e.what());
        status = 1;
      }
    }
    return status;
  });
}

}  // namespace lava::cli
