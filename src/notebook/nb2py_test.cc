#include "notebook/nb2py.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "util/error.h"

namespace lava::notebook {
namespace {

using json = nlohmann::json;

json as_array(const std::vector<json>& items) {
  json out = json::array();
  for (const auto& i : items) out.push_back(i);
  return out;
}

// `cells` is a list; note json{x} with a single object x is x itself, not [x].
std::string convert(const std::vector<json>& cells, bool comment_magics) {
  json nb = {{"cells", as_array(cells)},
             {"metadata", json::object()},
             {"nbformat", 4},
             {"nbformat_minor", 4}};
  return notebook_to_python(nb.dump(), "t.ipynb", comment_magics);
}

json code(const std::string& src, json count = nullptr) {
  return {{"cell_type", "code"},
          {"execution_count", count},
          {"metadata", json::object()},
          {"outputs", json::array()},
          {"source", src}};
}

json markdown(const std::string& src) {
  return {{"cell_type", "markdown"}, {"metadata", json::object()}, {"source", src}};
}

// nbconvert's python template layout, with the framework's python3 shebang.
TEST(Nb2py, LaysOutCellsAsNbconvertsPythonTemplate) {
  EXPECT_EQ(convert({}, false), "#!/usr/bin/env python3\n# coding: utf-8\n");
  EXPECT_EQ(convert({markdown("# T\ntext"), code("x = 1", 2), code("", nullptr)}, false),
            "#!/usr/bin/env python3\n# coding: utf-8\n"
            "\n# # T\n# text\n"
            "\n# In[2]:\n\n\nx = 1\n\n"
            "\n# In[ ]:\n\n\n\n\n");
}

TEST(Nb2py, CommentsMagicsOnlyInCodeCells) {
  std::string out = convert({markdown("uses get_ipython"), code("%who\nip = get_ipython()")}, true);
  EXPECT_NE(out.find("# uses get_ipython\n"), std::string::npos);
  EXPECT_NE(out.find("\n#get_ipython().run_line_magic('who', '')\nip = #get_ipython()\n"),
            std::string::npos);
  EXPECT_EQ(convert({markdown("m"), code("%who")}, false).find("#get_ipython"), std::string::npos);
}

TEST(Nb2py, ErrorsNameTheSource) {
  try {
    notebook_to_python("[]", "dir/x.ipynb", false);
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()).rfind("dir/x.ipynb: ", 0), 0u) << e.what();
  }
  try {
    convert({code("if x:\n    a\n  b\n")}, false);
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("t.ipynb: cell 1: "), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace lava::notebook
