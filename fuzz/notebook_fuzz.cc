// libFuzzer target over the notebook reader and the IPython magic rewriter.
// The input is tried both as a whole notebook (JSON) and as one cell's source, so
// the rewriter is reached even by inputs that are not notebooks. Checked properties:
// nothing but lava::Error / TransformFailure escapes, a rewritten cell ends in a newline,
// and --comment-magics only ever adds '#' before get_ipython.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "notebook/ipython_transform.h"
#include "notebook/nb2py.h"
#include "notebook/py_text.h"
#include "pytext/utf8.h"
#include "util/error.h"

namespace {

void fuzz_notebook(std::string_view data) {
  std::string plain;
  try {
    plain = lava::notebook::notebook_to_python(data, "fuzz.ipynb", false);
  } catch (const lava::Error&) {
    return;
  }
  std::string magics = lava::notebook::notebook_to_python(data, "fuzz.ipynb", true);
  if (magics.size() < plain.size()) std::abort();
  if (plain.find("get_ipython") == std::string::npos && magics != plain) std::abort();
}

void fuzz_cell(std::string_view data) {
  lava::notebook::PyStr cell;
  try {
    cell = lava::pytext::decode_checked(data);
  } catch (const lava::Error&) {
    return;
  }
  try {
    auto out = lava::notebook::transform_cell(cell);
    // IPython's transform always returns text ending in a newline.
    if (out.empty() || out.back() != U'\n') std::abort();
    (void)lava::pytext::encode(out);
  } catch (const lava::notebook::TransformFailure&) {
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* bytes, size_t size) {
  std::string_view data(reinterpret_cast<const char*>(bytes), size);
  fuzz_notebook(data);
  fuzz_cell(data);
  return 0;
}
