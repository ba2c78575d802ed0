#include "notebook/notebook_reader.h"

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

json code_cell(json source, json count = nullptr) {
  return {{"cell_type", "code"},
          {"execution_count", count},
          {"metadata", json::object()},
          {"outputs", json::array()},
          {"source", source}};
}

json notebook(const std::vector<json>& cells, int minor = 4) {
  return {{"cells", as_array(cells)},
          {"metadata", json::object()},
          {"nbformat", 4},
          {"nbformat_minor", minor}};
}

std::string error_of(const std::string& text) {
  try {
    read_notebook(text);
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

TEST(NotebookReader, JoinsListSourcesAndLabelsPrompts) {
  auto nb = read_notebook(
      notebook({code_cell({"a\n", "b"}, 3), code_cell("c", nullptr), code_cell("", 0)}).dump());
  ASSERT_EQ(nb.cells.size(), 3u);
  EXPECT_EQ(nb.cells[0].source, "a\nb");
  EXPECT_EQ(nb.cells[0].execution_label, "3");
  EXPECT_EQ(nb.cells[1].execution_label, " ");
  EXPECT_EQ(nb.cells[2].execution_label, " ");  // 0 is falsy in the template
}

TEST(NotebookReader, KeepsRawCellsOnlyForPythonOrNoMimetype) {
  auto raw = [](json meta) {
    return json{{"cell_type", "raw"}, {"metadata", meta}, {"source", "r"}};
  };
  auto nb = read_notebook(notebook({raw(json::object()), raw({{"raw_mimetype", "TEXT/X-Python"}}),
                                    raw({{"raw_mimetype", "text/html"}})})
                              .dump());
  EXPECT_TRUE(nb.cells[0].rendered);
  EXPECT_TRUE(nb.cells[1].rendered);
  EXPECT_FALSE(nb.cells[2].rendered);
}

TEST(NotebookReader, AcceptsWhatNbconvertAccepts) {
  // 4.5 cells without ids (nbformat supplies them), duplicate ids, extra keys, future minors.
  EXPECT_NO_THROW(read_notebook(notebook({code_cell("x")}, 5).dump()));
  json dup = notebook({code_cell("x"), code_cell("y")}, 5);
  dup["cells"][0]["id"] = dup["cells"][1]["id"] = "same";
  EXPECT_NO_THROW(read_notebook(dup.dump()));
  json extra = notebook({code_cell("x")});
  extra["cells"][0]["mine"] = {1, 2};
  EXPECT_NO_THROW(read_notebook(extra.dump()));
  EXPECT_NO_THROW(read_notebook(notebook({code_cell("x")}, 9).dump()));
}

TEST(NotebookReader, NamesTheProblemInBadInput) {
  EXPECT_NE(error_of("{ nope").find("not valid JSON"), std::string::npos);
  EXPECT_NE(error_of("\xEF\xBB\xBF{}").find("BOM"), std::string::npos);
  // nlohmann reports a float overflow as out_of_range, not parse_error (found by fuzzing).
  EXPECT_NE(error_of("[9e99999999]").find("not valid JSON"), std::string::npos);
  // Python's NaN / Infinity constants are read (here: an execution_count that is no integer).
  json nan_count = notebook({code_cell("x", 1)});
  std::string nan_text = nan_count.dump();
  nan_text.replace(nan_text.find("\"execution_count\":1"), 19, "\"execution_count\":NaN");
  EXPECT_EQ(error_of(nan_text), "cell 1: execution_count is a number, not an integer");
  EXPECT_EQ(error_of(R"({"nbformat": 4, "nbformat_minor": 4, "metadata": {}})"), "no cells");
  json unknown =
      notebook({{{"cell_type", "heading"}, {"metadata", json::object()}, {"source", "x"}}});
  EXPECT_EQ(error_of(unknown.dump()), "cell 1: unknown cell type 'heading'");
  EXPECT_EQ(error_of(notebook({code_cell("ok"), code_cell(42)}).dump()),
            "cell 2: source is a number, not a string or a list of strings");
  EXPECT_EQ(error_of(notebook({code_cell(json::array({"a", nullptr}))}).dump()),
            "cell 1: source list holds null, not only strings");
  json no_count = notebook({code_cell("x")});
  no_count["cells"][0].erase("execution_count");
  EXPECT_EQ(error_of(no_count.dump()),
            "not a valid nbformat 4.4 notebook: cells[0]: has no \"execution_count\"");
  json stream = notebook({code_cell("x")});
  stream["cells"][0]["outputs"] = json::array({{{"output_type", "stream"}, {"text", "t"}}});
  EXPECT_EQ(error_of(stream.dump()),
            "not a valid nbformat 4.4 notebook: cells[0].outputs[0]: has no \"name\"");
  EXPECT_NE(error_of(R"({"nbformat": 3, "cells": [], "metadata": {}})").find("nbformat 3"),
            std::string::npos);
}

}  // namespace
}  // namespace lava::notebook
