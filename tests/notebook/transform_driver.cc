// Test helper: reads a JSON list of cell sources on stdin and prints a JSON list with,
// for each, IPython's rewrite as our transform_cell computes it, or null when the
// transformer fails. transform_diff.py compares this with IPython itself.
#include <iostream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <string>

#include "notebook/ipython_transform.h"
#include "notebook/py_text.h"

int main() {
  std::string input((std::istreambuf_iterator<char>(std::cin)), std::istreambuf_iterator<char>());
  auto cells = nlohmann::json::parse(input);
  nlohmann::json out = nlohmann::json::array();
  for (const auto& c : cells) {
    try {
      auto py = lava::notebook::transform_cell(lava::notebook::decode_utf8(c.get<std::string>()));
      out.push_back(lava::notebook::encode_utf8(py));
    } catch (const lava::notebook::TransformFailure&) {
      out.push_back(nullptr);
    }
  }
  std::cout << out.dump() << "\n";
  return 0;
}
