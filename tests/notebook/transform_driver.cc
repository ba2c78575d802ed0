// Test helper for the differential scripts. Reads a JSON list of strings on stdin and
// prints a JSON list with, for each, our result or null on failure:
//   (no argument)  cell sources -> transform_cell (transform_diff.py)
//   notebooks      notebook texts -> notebook_to_python (reader_diff.py)
#include <iostream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <string>

#include "notebook/ipython_transform.h"
#include "notebook/nb2py.h"
#include "notebook/py_text.h"
#include "pytext/utf8.h"
#include "util/error.h"

int main(int argc, char** argv) {
  bool notebooks = argc > 1 && std::string(argv[1]) == "notebooks";
  std::string input((std::istreambuf_iterator<char>(std::cin)), std::istreambuf_iterator<char>());
  auto cells = nlohmann::json::parse(input);
  nlohmann::json out = nlohmann::json::array();
  for (const auto& c : cells) {
    if (notebooks) {
      try {
        out.push_back(lava::notebook::notebook_to_python(c.get<std::string>(), "nb", false));
      } catch (const lava::Error&) {
        out.push_back(nullptr);
      }
      continue;
    }
    try {
      auto py = lava::notebook::transform_cell(lava::pytext::decode_checked(c.get<std::string>()));
      out.push_back(lava::pytext::encode(py));
    } catch (const lava::notebook::TransformFailure&) {
      out.push_back(nullptr);
    }
  }
  std::cout << out.dump() << "\n";
  return 0;
}
