#include "notebook/notebook_reader.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "notebook/nbformat_schema.h"
#include "util/error.h"

namespace lava::notebook {

namespace {

using json = nlohmann::json;

std::string kind_of(const json& v) {
  switch (v.type()) {
    case json::value_t::null:
      return "null";
    case json::value_t::boolean:
      return "a boolean";
    case json::value_t::string:
      return "a string";
    case json::value_t::array:
      return "a list";
    case json::value_t::object:
      return "an object";
    default:
      return "a number";
  }
}

// Python's truth value of a JSON value, as Jinja's `if`/`not` sees it.
bool truthy(const json& v) {
  switch (v.type()) {
    case json::value_t::null:
      return false;
    case json::value_t::boolean:
      return v.get<bool>();
    case json::value_t::number_integer:
      return v.get<int64_t>() != 0;
    case json::value_t::number_unsigned:
      return v.get<uint64_t>() != 0;
    case json::value_t::number_float:
      return v.get<double>() != 0.0;
    case json::value_t::string:
      return !v.get_ref<const std::string&>().empty();
    default:
      return !v.empty();
  }
}

struct CellError {
  size_t index;
  Error operator()(const std::string& what) const {
    return Error("cell " + std::to_string(index + 1) + ": " + what);
  }
};

// A source is a string or a list of strings joined as they are.
std::string read_source(const json& v, const CellError& err) {
  if (v.is_string()) return v.get<std::string>();
  if (!v.is_array()) throw err("source is " + kind_of(v) + ", not a string or a list of strings");
  std::string out;
  for (const auto& piece : v) {
    if (!piece.is_string()) throw err("source list holds " + kind_of(piece) + ", not only strings");
    out += piece.get_ref<const std::string&>();
  }
  return out;
}

// What "# In[...]:" shows: the count when it is truthy, else a space.
std::string execution_label(const json& cell, const CellError& err) {
  auto it = cell.find("execution_count");
  if (it == cell.end() || !truthy(*it)) return " ";
  if (it->is_number_integer()) return it->dump();
  if (it->is_boolean()) return "True";
  if (it->is_string()) return it->get<std::string>();
  throw err("execution_count is " + kind_of(*it) + ", not an integer");
}

// Checks the parts of outputs and attachments that nbformat's reader walks.
void check_outputs_and_attachments(const json& cell, const CellError& err) {
  if (auto att = cell.find("attachments"); att != cell.end()) {
    if (!att->is_object()) throw err("attachments is " + kind_of(*att) + ", not an object");
    for (const auto& [name, bundle] : att->items())
      if (!bundle.is_object()) throw err("attachment '" + name + "' is not an object");
  }
  if (cell.value("cell_type", "") != "code") return;
  auto outs = cell.find("outputs");
  if (outs == cell.end()) return;
  if (!outs->is_array()) throw err("outputs is " + kind_of(*outs) + ", not a list");
  for (const auto& out : *outs) {
    if (!out.is_object()) throw err("an output is " + kind_of(out) + ", not an object");
    auto type = out.find("output_type");
    std::string t = type != out.end() && type->is_string() ? type->get<std::string>() : "";
    if (t == "execute_result" || t == "display_data") {
      if (auto d = out.find("data"); d != out.end() && !d->is_object())
        throw err("output data is " + kind_of(*d) + ", not an object");
    } else if (type != out.end() && truthy(*type)) {
      auto text = out.find("text");
      if (text != out.end() && text->is_array())
        for (const auto& piece : *text)
          if (!piece.is_string()) throw err("output text list holds " + kind_of(piece));
    }
  }
}

bool ascii_lower_equals(std::string_view s, std::string_view lower) {
  if (s.size() != lower.size()) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != lower[i]) return false;
  }
  return true;
}

NotebookCell read_cell(const json& cell, size_t index) {
  CellError err{index};
  if (!cell.is_object()) throw err("is " + kind_of(cell) + ", not an object");
  auto type = cell.find("cell_type");
  if (type == cell.end()) throw err("has no cell_type");
  if (!type->is_string()) throw err("cell_type is " + kind_of(*type) + ", not a string");
  NotebookCell out;
  const auto& t = type->get_ref<const std::string&>();
  if (t == "code") {
    out.type = CellType::kCode;
  } else if (t == "markdown") {
    out.type = CellType::kMarkdown;
  } else if (t == "raw") {
    out.type = CellType::kRaw;
  } else {
    throw err("unknown cell type '" + t + "'");
  }
  auto meta = cell.find("metadata");
  if (meta == cell.end()) throw err("has no metadata");
  if (!meta->is_object()) throw err("metadata is " + kind_of(*meta) + ", not an object");
  check_outputs_and_attachments(cell, err);

  auto src = cell.find("source");
  if (src == cell.end()) throw err("has no source");
  out.source = read_source(*src, err);
  if (auto tr = cell.find("transient"); tr != cell.end()) {
    if (!tr->is_object()) throw err("transient is " + kind_of(*tr) + ", not an object");
    if (auto rm = tr->find("remove_source"); rm != tr->end() && truthy(*rm)) out.rendered = false;
  }
  if (out.type == CellType::kCode) out.execution_label = execution_label(cell, err);
  if (out.type == CellType::kRaw) {
    // nbconvert's python exporter keeps raw cells whose raw_mimetype is empty or Python.
    std::string mime;
    if (auto m = meta->find("raw_mimetype"); m != meta->end()) {
      if (!m->is_string()) throw err("raw_mimetype is " + kind_of(*m) + ", not a string");
      mime = m->get<std::string>();
    }
    if (!mime.empty() && !ascii_lower_equals(mime, "text/x-python")) out.rendered = false;
  }
  return out;
}

// Python's json module also reads the constants NaN, Infinity and -Infinity, which
// Jupyter writes for such floats in outputs; nlohmann's parser does not. Outside strings
// they become 0.5: like them a float that is not an integer, which is all that matters
// here. Returns an empty string when the text has none (the usual case).
std::string python_constants_as_floats(std::string_view text) {
  if (text.find("NaN") == std::string_view::npos && text.find("Infinity") == std::string_view::npos)
    return {};
  std::string out;
  out.reserve(text.size());
  bool in_string = false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (in_string) {
      out += c;
      if (c == '\\' && i + 1 < text.size()) {
        out += text[++i];
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    std::string_view rest = text.substr(i);
    size_t skip = rest.rfind("NaN", 0) == 0         ? 3
                  : rest.rfind("Infinity", 0) == 0  ? 8
                  : rest.rfind("-Infinity", 0) == 0 ? 9
                                                    : 0;
    if (skip > 0) {
      out += "0.5";
      i += skip - 1;
      continue;
    }
    if (c == '"') in_string = true;
    out += c;
  }
  return out;
}

}  // namespace

Notebook read_notebook(std::string_view text) {
  if (text.substr(0, 3) == "\xEF\xBB\xBF") throw Error("not valid JSON: starts with a UTF-8 BOM");
  std::string rewritten = python_constants_as_floats(text);
  if (!rewritten.empty()) text = rewritten;
  json doc;
  try {
    doc = json::parse(text);
  } catch (const json::exception& e) {  // parse_error, or out_of_range for 1e999
    std::string what = e.what();
    if (auto at = what.find("] "); at != std::string::npos) what = what.substr(at + 2);
    throw Error("not valid JSON: " + what);
  }
  if (!doc.is_object())
    throw Error("not a notebook: the JSON is " + kind_of(doc) + ", not an object");
  auto version = doc.find("nbformat");
  if (version == doc.end()) throw Error("not a notebook: no nbformat");
  if (!version->is_number_integer() || version->get<int64_t>() != 4)
    throw Error("nbformat " + version->dump() + " is not supported (only nbformat 4)");
  auto cells = doc.find("cells");
  if (cells == doc.end()) throw Error("no cells");
  if (!cells->is_array()) throw Error("cells is " + kind_of(*cells) + ", not a list");
  auto meta = doc.find("metadata");
  if (meta == doc.end()) throw Error("no notebook metadata");
  if (!meta->is_object()) throw Error("notebook metadata is " + kind_of(*meta) + ", not an object");
  if (auto lang = meta->find("language"); lang != meta->end() && !lang->is_string())
    throw Error("metadata language is " + kind_of(*lang) + ", not a string");
  auto minor = doc.find("nbformat_minor");
  if (minor != doc.end() && !minor->is_number_integer())
    throw Error("nbformat_minor is " + kind_of(*minor) + ", not an integer");
  int minor_version = minor == doc.end()
                          ? 0
                          : static_cast<int>(std::clamp<int64_t>(minor->get<int64_t>(), -1, 1000));

  Notebook nb;
  nb.cells.reserve(cells->size());
  for (size_t i = 0; i < cells->size(); ++i) nb.cells.push_back(read_cell((*cells)[i], i));

  // What nbformat's reader does before nbconvert validates: drop transient keys, and
  // (from 4.5 on) give cells without an id one.
  for (const char* key : {"orig_nbformat", "orig_nbformat_minor", "signature"}) meta->erase(key);
  for (auto& cell : *cells) {
    cell["metadata"].erase("trusted");
    if (minor_version >= 5 && !cell.contains("id")) cell["id"] = "generated";
  }
  if (auto violation = nbformat_violation(doc, minor_version))
    throw Error("not a valid nbformat 4." + std::to_string(minor_version) +
                " notebook: " + *violation);
  return nb;
}

}  // namespace lava::notebook
