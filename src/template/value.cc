#include "template/value.h"

#include "pytext/utf8.h"
#include "template/errors.h"
#include "template/pyops.h"

namespace lava::tmpl {

bool StrHeap::is_ascii() const {
  if (ascii < 0) ascii = pytext::is_ascii(s) ? 1 : 0;
  return ascii == 1;
}

Value::Value(std::string s, bool safe) : kind_(Kind::String), safe_(safe) {
  heap_ = std::make_shared<StrHeap>(std::move(s));
}

Value Value::undefined(std::string message) {
  Value v;
  v.kind_ = Kind::Undefined;
  v.heap_ = std::make_shared<UndefHeap>(std::move(message));
  return v;
}

Value Value::list(std::vector<Value> items, SeqTag tag) {
  Value v;
  v.kind_ = Kind::List;
  auto h = std::make_shared<ListHeap>();
  h->items = std::move(items);
  h->tag = tag;
  v.heap_ = std::move(h);
  return v;
}

Value Value::tuple(std::vector<Value> items) {
  Value v = list(std::move(items));
  v.kind_ = Kind::Tuple;
  return v;
}

Value Value::dict() {
  return from_dict(std::make_shared<DictHeap>());
}

Value Value::from_dict(std::shared_ptr<DictHeap> d) {
  Value v;
  v.kind_ = Kind::Dict;
  v.heap_ = std::move(d);
  return v;
}

Value Value::object(std::shared_ptr<ObjectHeap> o) {
  Value v;
  v.kind_ = Kind::Object;
  v.heap_ = std::move(o);
  return v;
}

bool Value::is_indexable() const {
  if (!is_seq()) return false;
  SeqTag t = seq().tag;
  return t == SeqTag::List || t == SeqTag::Group;
}

const std::string& Value::undefined_message() const {
  static const std::string unknown = "value is undefined";
  if (!heap_) return unknown;
  return static_cast<const UndefHeap*>(heap_.get())->message;
}

size_t ValueHash::operator()(const Value& v) const {
  return py_hash(v);
}
size_t ValueHash::operator()(std::string_view s) const {
  return std::hash<std::string_view>{}(s);
}
bool ValueKeyEq::operator()(const Value& a, const Value& b) const {
  return py_eq(a, b);
}
bool ValueKeyEq::operator()(const Value& a, std::string_view b) const {
  return a.is_string() && a.str() == b;
}
bool ValueKeyEq::operator()(std::string_view a, const Value& b) const {
  return b.is_string() && b.str() == a;
}

// Small dicts are searched linearly; bigger ones get a hash index built on demand.
constexpr size_t kIndexThreshold = 12;

DictHeap::~DictHeap() {
  delete index_;
}

void DictHeap::rebuild_index() const {
  if (!index_) index_ = new std::unordered_map<Value, size_t, ValueHash, ValueKeyEq>();
  index_->clear();
  index_->reserve(entries.size());
  for (size_t i = 0; i < entries.size(); ++i) (*index_)[entries[i].first] = i;
  index_valid_ = true;
}

const Value* DictHeap::find(const Value& key) const {
  if (entries.size() < kIndexThreshold) {
    if (key.is_string()) {
      for (const auto& e : entries)
        if (e.first.is_string() && e.first.str() == key.str()) return &e.second;
      return nullptr;
    }
    py_hash(key);  // unhashable keys raise TypeError even when absent
    for (const auto& e : entries)
      if (py_eq(e.first, key)) return &e.second;
    return nullptr;
  }
  if (!index_valid_) rebuild_index();
  auto it = index_->find(key);
  return it == index_->end() ? nullptr : &entries[it->second].second;
}

const Value* DictHeap::find(std::string_view key) const {
  if (entries.size() < kIndexThreshold) {
    for (const auto& e : entries)
      if (e.first.is_string() && e.first.str() == key) return &e.second;
    return nullptr;
  }
  if (!index_valid_) rebuild_index();
  auto it = index_->find(key);
  return it == index_->end() ? nullptr : &entries[it->second].second;
}

Value* DictHeap::find_mut(const Value& key) {
  return const_cast<Value*>(find(key));
}

void DictHeap::set(Value key, Value value) {
  if (Value* existing = find_mut(key)) {
    *existing = std::move(value);
    return;
  }
  py_hash(key);
  entries.emplace_back(std::move(key), std::move(value));
  if (index_valid_) (*index_)[entries.back().first] = entries.size() - 1;
}

void DictHeap::clear() {
  entries.clear();
  index_valid_ = false;
}

bool DictHeap::erase(const Value& key) {
  for (size_t i = 0; i < entries.size(); ++i) {
    if (py_eq(entries[i].first, key)) {
      entries.erase(entries.begin() + static_cast<std::ptrdiff_t>(i));
      index_valid_ = false;
      return true;
    }
  }
  return false;
}

std::string ObjectHeap::repr() const {
  // Appended piecewise: GCC 12 at -O3 reports a false -Wrestrict for the chain of
  // operator+ on a string literal.
  std::string out = "<";
  out += module_name();
  out += '.';
  out += type_name();
  out += " object>";
  return out;
}

std::optional<Value> ObjectHeap::get_attr(std::string_view, Runtime&) {
  return std::nullopt;
}
std::optional<Value> ObjectHeap::get_item(const Value&, Runtime&) {
  return std::nullopt;
}

Value ObjectHeap::call(Runtime&, CallArgs&) {
  throw TypeErr("'" + type_name() + "' object is not callable");
}

bool ObjectHeap::iterate(std::vector<Value>&, Runtime*) {
  return false;
}

}  // namespace lava::tmpl
