// `lava-docker nb2py`: converts notebooks to Python as the framework's build does
// (nbconvert's python exporter + python3 shebang + chmod u+x), without Python.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "cli/batch_heap.h"
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

// The whole file in one read (notebooks can be large; this is the hot path of a build).
std::string read_whole_file(const fs::path& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw Error(path.string() + ": cannot read: " + std::strerror(errno));
  std::string data;
  struct stat st {};
  if (::fstat(fd, &st) == 0 && st.st_size > 0) data.reserve(static_cast<size_t>(st.st_size));
  char buf[1 << 16];
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n == 0) break;
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      int err = errno;
      ::close(fd);
      throw Error(path.string() + ": cannot read: " + std::strerror(err));
    }
    data.append(buf, static_cast<size_t>(n));
  }
  ::close(fd);
  return data;
}

void convert_one(const fs::path& notebook, const Nb2pyOptions& opts) {
  std::string name = notebook.filename().string();
  const std::string ext = ".ipynb";
  if (name.size() <= ext.size() || name.compare(name.size() - ext.size(), ext.size(), ext) != 0)
    throw Error(notebook.string() + ": not a notebook (name does not end in .ipynb)");
  fs::path dir = opts.output_dir.empty() ? notebook.parent_path() : fs::path(opts.output_dir);
  fs::path target = dir / (name.substr(0, name.size() - ext.size()) + ".py");
  std::string python = notebook::notebook_to_python(read_whole_file(notebook), notebook.string(),
                                                    opts.comment_magics);
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
    prepare_batch_heap();
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
