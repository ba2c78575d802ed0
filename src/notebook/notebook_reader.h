// Reads a Jupyter notebook (nbformat 4.x JSON) into the little nbconvert's python
// exporter looks at, refusing what nbformat or nbconvert would fail on, plus what the
// framework must not silently drop (cells of unknown type).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace lava::notebook {

enum class CellType { kCode, kMarkdown, kRaw };

struct NotebookCell {
  CellType type = CellType::kCode;
  std::string source;           // list-of-lines sources joined; UTF-8
  bool rendered = true;         // false: nbconvert prints nothing for this cell
  std::string execution_label;  // code cells: what goes in "# In[...]:"
};

struct Notebook {
  std::vector<NotebookCell> cells;
};

// Throws lava::Error with a message naming the problem ("cell 3: source is a number").
Notebook read_notebook(std::string_view ipynb_json);

}  // namespace lava::notebook
