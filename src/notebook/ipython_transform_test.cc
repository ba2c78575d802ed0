#include "notebook/ipython_transform.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "pytext/reference_python.h"
#include "pytext/utf8.h"

namespace lava::notebook {
namespace {

using json = nlohmann::json;

std::string transform(const std::string& cell) {
  return pytext::encode(transform_cell(pytext::decode_checked(cell)));
}

// Cells covering each rewrite, checked against IPython's TransformerManager (the
// differential script tests/notebook/transform_diff.py covers thousands more).
const std::vector<std::string> kCells = {
    "%matplotlib inline",
    "%%bash\necho 'hi'\n",
    "!ls -l",
    "!!date",
    "files = !ls *.py",
    "home = %env HOME",
    "?obj",
    "obj??",
    "*int*?",
    "%time?",
    "for i in range(3):\n    !echo $i\n    x = %who_ls\n",
    "!ls \\\n  -l\n",
    ">>> a = 1\n... b = 2\n",
    "In [3]: %pwd\n   ...: x\n",
    "    x = 1\n    !ls\n",
    ",f a b\n;f a b\n/f a b\n",
    "s = '%not a magic'\n# !nor this\n",
    "!echo \"it's\" \xc3\xa9 \xe2\x80\x8b\n",
    "x = 1\r\n%time x\r\n",
    "",
};

TEST(IPythonTransform, MatchesIPython) {
  std::string out = pytext::testing::run_reference_python(R"(
import json, sys
from IPython.core.inputtransformer2 import TransformerManager
tm = TransformerManager()
sys.stdout.write(json.dumps([tm.transform_cell(c) for c in json.load(sys.stdin)]))
)",
                                                          json(kCells).dump());
  auto want = json::parse(out);
  for (size_t i = 0; i < kCells.size(); ++i)
    EXPECT_EQ(transform(kCells[i]), want[i].get<std::string>()) << json(kCells[i]).dump();
}

TEST(IPythonTransform, RewritesAsDocumented) {
  EXPECT_EQ(transform("%matplotlib inline"),
            "get_ipython().run_line_magic('matplotlib', 'inline')\n");
  EXPECT_EQ(transform("x = !ls"), "x = get_ipython().getoutput('ls')\n");
  EXPECT_EQ(transform("if a:\n    obj?\n"),
            "if a:\n    get_ipython().run_line_magic('pinfo', 'obj')\n");
  EXPECT_EQ(transform("%%bash -x\necho \"it's\"\n"),
            "get_ipython().run_cell_magic('bash', '-x', 'echo \"it\\'s\"\\n')\n");
}

TEST(IPythonTransform, FailsWhereIPythonFails) {
  // tokenize's IndentationError escapes IPython.
  EXPECT_THROW(transform("if x:\n    a\n  b\n"), TransformFailure);
  // IPython's IndexError on an assignment from a bare '%' at the end of input.
  EXPECT_THROW(transform("x = %\\\n"), TransformFailure);
  // At most 499 rewrites per cell; the 500th makes IPython give up.
  std::string many;
  for (int i = 0; i < 499; ++i) many += "%time x\n";
  EXPECT_NO_THROW(transform(many));
  EXPECT_THROW(transform(many + "%time x\n"), TransformFailure);
}

}  // namespace
}  // namespace lava::notebook
