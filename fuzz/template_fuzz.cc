// libFuzzer target over the template lexer, parser and renderer. The first input byte
// picks the delimiters and autoescape; the rest is the template text.
#include <cstddef>
#include <cstdint>
#include <string>

#include "template/render.h"

namespace {

const nlohmann::ordered_json& params() {
  static const nlohmann::ordered_json p = nlohmann::ordered_json::parse(R"({
    "name": "World", "n": 3, "f": 2.5, "flag": true, "none": null,
    "words": ["apple", "Banana", "cherry"], "nums": [3, 1, 4, 1, 5],
    "users": [{"name": "a", "age": 3, "tags": ["x"]}, {"name": "B", "age": 1}],
    "config": {"host": "h", "port": 80}, "env": "dev",
    "prefix": {"docker_repo": "lava/dev/p"}
  })");
  return p;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  static const char delimiters[] = {'{', '<', '[', '(', '+', '@'};
  lava::tmpl::RenderOptions options;
  options.delimiter = delimiters[data[0] % sizeof delimiters];
  options.autoescape = (data[0] & 0x80) != 0;
  options.environ = false;
  options.search_dir = FUZZ_INCLUDE_DIR;
  options.limits.max_call_depth = 40;
  options.limits.max_loop_iterations = 20000;
  options.limits.max_range = 20000;
  options.limits.max_output = 1 << 20;
  std::string source(reinterpret_cast<const char*>(data + 1), size - 1);
  try {
    lava::tmpl::render_string(source, "fuzz", params(), options);
  } catch (const lava::tmpl::TemplateError&) {
  }
  return 0;
}
