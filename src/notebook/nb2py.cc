#include "notebook/nb2py.h"

#include "notebook/ipython_transform.h"
#include "notebook/notebook_reader.h"
#include "notebook/py_text.h"
#include "pytext/utf8.h"
#include "util/error.h"

namespace lava::notebook {

namespace {

// nbconvert's header with its first line swapped for the python3 shebang, as ipynb2py's sed does.
constexpr std::string_view kHeader = "#!/usr/bin/env python3\n# coding: utf-8\n";

// Appends `text` to `out` with every `from` replaced by `to`, in one pass.
void append_replacing(std::string& out, std::string_view text, std::string_view from,
                      std::string_view to) {
  size_t done = 0;
  for (size_t at = text.find(from); at != std::string_view::npos; at = text.find(from, done)) {
    out.append(text, done, at - done);
    out += to;
    done = at + from.size();
  }
  out.append(text, done);
}

// The python template's code cell: blank line, prompt, two blank lines, the IPython
// transform of the source (which always ends in a newline), a newline.
void append_code_cell(std::string& out, const NotebookCell& cell, bool comment_magics) {
  std::string block = "\n# In[" + cell.execution_label + "]:\n\n\n";
  pytext::append(block, transform_cell(pytext::decode_checked(cell.source)));
  block += '\n';
  if (!comment_magics) {
    out += block;
    return;
  }
  // The framework's template: super().replace('get_ipython', '#get_ipython') on the code cell.
  append_replacing(out, block, "get_ipython", "#get_ipython");
}

// nbconvert's comment_lines: "# " before the text and after every '\n'.
void append_markdown_cell(std::string& out, const NotebookCell& cell) {
  out += "\n# ";
  append_replacing(out, cell.source, "\n", "\n# ");
  out += '\n';
}

}  // namespace

std::string notebook_to_python(std::string_view ipynb_json, const std::string& source_name,
                               bool comment_magics) {
  Notebook nb;
  try {
    nb = read_notebook(ipynb_json);
  } catch (const Error& e) {
    throw Error(source_name + ": " + e.what());
  }
  std::string out(kHeader);
  for (size_t i = 0; i < nb.cells.size(); ++i) {
    const NotebookCell& cell = nb.cells[i];
    if (!cell.rendered) continue;
    try {
      switch (cell.type) {
        case CellType::kCode:
          append_code_cell(out, cell, comment_magics);
          break;
        case CellType::kMarkdown:
          append_markdown_cell(out, cell);
          break;
        case CellType::kRaw:
          out += cell.source;
          break;
      }
    } catch (const TransformFailure& e) {
      throw Error(source_name + ": cell " + std::to_string(i + 1) +
                  ": IPython cannot transform this code: " + e.what());
    }
  }
  return out;
}

}  // namespace lava::notebook
