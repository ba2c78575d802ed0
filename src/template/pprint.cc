#include "template/pprint.h"

#include <algorithm>
#include <string>
#include <vector>

#include "pytext/chars.h"
#include "pytext/utf8.h"
#include "template/errors.h"
#include "template/pyops.h"

namespace lava::tmpl {

namespace {

constexpr int kWidth = 80;

void pp_repr(std::string& out, const Value& v, int depth);

std::vector<size_t> sorted_dict_order(const DictHeap& d) {
  std::vector<size_t> idx(d.entries.size());
  for (size_t i = 0; i < idx.size(); ++i) idx[i] = i;
  std::stable_sort(idx.begin(), idx.end(), [&](size_t a, size_t b) {
    const Value& x = d.entries[a].first;
    const Value& y = d.entries[b].first;
    try {
      return py_cmp(x, y, "<") == -1;
    } catch (const EvalError&) {
      return py_type_name(x) < py_type_name(y);
    }
  });
  return idx;
}

// safe_repr: repr() with dict keys sorted.
void pp_repr(std::string& out, const Value& v, int depth) {
  if (depth > 400) throw EvalError("maximum recursion depth exceeded");
  if (v.is_dict() && !v.dict_ref().environ) {
    const DictHeap& d = v.dict_ref();
    out.push_back('{');
    bool first = true;
    for (size_t i : sorted_dict_order(d)) {
      if (!first) out += ", ";
      first = false;
      pp_repr(out, d.entries[i].first, depth + 1);
      out += ": ";
      pp_repr(out, d.entries[i].second, depth + 1);
    }
    out.push_back('}');
    return;
  }
  if (v.is_seq() && (v.seq().tag == SeqTag::List || v.seq().tag == SeqTag::Group)) {
    bool tuple = v.is_tuple();
    out.push_back(tuple ? '(' : '[');
    const auto& items = v.items();
    for (size_t i = 0; i < items.size(); ++i) {
      if (i) out += ", ";
      pp_repr(out, items[i], depth + 1);
    }
    if (tuple && items.size() == 1) out.push_back(',');
    out.push_back(tuple ? ')' : ']');
    return;
  }
  py_repr_to(out, v);
}

std::string pp_repr(const Value& v) {
  std::string out;
  pp_repr(out, v, 0);
  return out;
}

size_t cplen(const std::string& s) {
  return pytext::length(s);
}

struct PrettyPrinter {
  std::string out;

  void format(const Value& v, int indent, int allowance, int level) {
    if (level > 400) throw EvalError("maximum recursion depth exceeded");
    std::string rep = pp_repr(v);
    int max_width = kWidth - indent - allowance;
    if (static_cast<int>(cplen(rep)) > max_width) {
      if (v.is_dict() && !v.dict_ref().environ) return pprint_dict(v, indent, allowance, level + 1);
      if (v.is_seq() && (v.seq().tag == SeqTag::List || v.seq().tag == SeqTag::Group)) {
        if (v.is_tuple()) return pprint_tuple(v, indent, allowance, level + 1);
        return pprint_list(v, indent, allowance, level + 1);
      }
      if (v.is_string() && !v.safe()) return pprint_str(v.str(), indent, allowance, level + 1);
    }
    out += rep;
  }

  void pprint_dict(const Value& v, int indent, int allowance, int level) {
    out.push_back('{');
    const DictHeap& d = v.dict_ref();
    if (!d.entries.empty()) {
      auto order = sorted_dict_order(d);
      int ind = indent + 1;
      std::string delimnl = ",\n" + std::string(static_cast<size_t>(ind), ' ');
      for (size_t n = 0; n < order.size(); ++n) {
        bool last = n + 1 == order.size();
        const auto& [k, ent] = d.entries[order[n]];
        std::string rep = pp_repr(k);
        out += rep;
        out += ": ";
        format(ent, ind + static_cast<int>(cplen(rep)) + 2, last ? allowance + 1 : 1, level);
        if (!last) out += delimnl;
      }
    }
    out.push_back('}');
  }

  void format_items(const std::vector<Value>& items, int indent, int allowance, int level) {
    int ind = indent + 1;
    std::string delimnl = ",\n" + std::string(static_cast<size_t>(ind), ' ');
    for (size_t i = 0; i < items.size(); ++i) {
      bool last = i + 1 == items.size();
      if (i) out += delimnl;
      format(items[i], ind, last ? allowance : 1, level);
    }
  }

  void pprint_list(const Value& v, int indent, int allowance, int level) {
    out.push_back('[');
    format_items(v.items(), indent, allowance + 1, level);
    out.push_back(']');
  }

  void pprint_tuple(const Value& v, int indent, int allowance, int level) {
    out.push_back('(');
    std::string end = v.items().size() == 1 ? ",)" : ")";
    format_items(v.items(), indent, allowance + static_cast<int>(end.size()), level);
    out += end;
  }

  void pprint_str(const std::string& s, int indent, int allowance, int level) {
    if (s.empty()) {
      out += repr_string(s);
      return;
    }
    std::vector<std::string> chunks;
    // splitlines(keepends=True)
    std::vector<std::string> lines;
    {
      size_t start = 0;
      for (size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '\n' || s[i] == '\r') {
          size_t e = i + 1;
          if (s[i] == '\r' && i + 1 < s.size() && s[i + 1] == '\n') e = i + 2;
          lines.push_back(s.substr(start, e - start));
          start = e;
          i = e - 1;
        }
      }
      if (start < s.size()) lines.push_back(s.substr(start));
    }
    if (level == 1) {
      indent += 1;
      allowance += 1;
    }
    int max_width1 = kWidth - indent, max_width = kWidth - indent;
    std::string rep;
    for (size_t i = 0; i < lines.size(); ++i) {
      const std::string& line = lines[i];
      rep = repr_string(line);
      if (i + 1 == lines.size()) max_width1 -= allowance;
      if (static_cast<int>(cplen(rep)) <= max_width1) {
        chunks.push_back(rep);
        continue;
      }
      // parts: \S*\s* runs
      std::vector<std::string> parts;
      {
        std::u32string u = pytext::decode(line);
        size_t k = 0;
        while (k < u.size()) {
          size_t e = k;
          while (e < u.size() && !pytext::is_space(u[e])) ++e;
          while (e < u.size() && pytext::is_space(u[e])) ++e;
          parts.push_back(pytext::encode(u.substr(k, e - k)));
          k = e;
        }
      }
      int max_width2 = max_width;
      std::string current;
      for (size_t j = 0; j < parts.size(); ++j) {
        std::string candidate = current + parts[j];
        if (j + 1 == parts.size() && i + 1 == lines.size()) max_width2 -= allowance;
        if (static_cast<int>(cplen(repr_string(candidate))) > max_width2) {
          if (!current.empty()) chunks.push_back(repr_string(current));
          current = parts[j];
        } else {
          current = candidate;
        }
      }
      if (!current.empty()) chunks.push_back(repr_string(current));
    }
    if (chunks.size() == 1) {
      out += rep;
      return;
    }
    if (level == 1) out.push_back('(');
    for (size_t i = 0; i < chunks.size(); ++i) {
      if (i) {
        out.push_back('\n');
        out.append(static_cast<size_t>(indent), ' ');
      }
      out += chunks[i];
    }
    if (level == 1) out.push_back(')');
  }
};

}  // namespace

std::string pformat(const Value& v) {
  PrettyPrinter p;
  p.format(v, 0, 0, 0);
  return p.out;
}

}  // namespace lava::tmpl
