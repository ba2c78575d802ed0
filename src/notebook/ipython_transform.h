// IPython 8.5's TransformerManager.transform_cell, as nbconvert's ipython2python filter
// applies it: strip leading blank lines, common indentation and >>> / In [n]: prompts,
// turn a %%cell magic into run_cell_magic, then rewrite line magics, shell escapes,
// captures, magic assignments and help queries one at a time, re-tokenizing after each.
#pragma once

#include <stdexcept>

#include "notebook/py_text.h"

namespace lava::notebook {

// A cell IPython itself fails on (so nbconvert fails on the notebook): inconsistent
// dedent, more than 499 rewrites, or an assignment from a bare '%' at end of input.
class TransformFailure : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

PyStr transform_cell(PyView cell);

}  // namespace lava::notebook
