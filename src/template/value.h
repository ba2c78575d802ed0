// Template values: the Python objects a Jinja2 template sees (None, bool, int, float, str,
// Markup, list, tuple, dict, Undefined, and runtime objects such as macros and loops).
// Containers are shared (reference semantics, like Python), so copying a Value is cheap.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace lava::tmpl {

class Runtime;
class Value;
struct ListHeap;
struct DictHeap;
struct ObjectHeap;

enum class Kind : uint8_t { Undefined, None, Bool, Int, Float, String, List, Tuple, Dict, Object };

// How a list-like value prints: plain list, or one of the dict views Python returns.
enum class SeqTag : uint8_t {
  List,
  DictKeys,
  DictValues,
  DictItems,
  Generator,  // a lazy result (map, select, ...): always true, no len(), not subscriptable
  Group,      // a groupby tuple with .grouper and .list
};

struct Heap : std::enable_shared_from_this<Heap> {
  virtual ~Heap() = default;
};

struct StrHeap final : Heap {
  explicit StrHeap(std::string v) : s(std::move(v)) {}
  std::string s;
  mutable int8_t ascii = -1;  // cached pytext::is_ascii
  bool is_ascii() const;
};

class Value {
 public:
  Value() : kind_(Kind::None) {}
  Value(bool b) : kind_(Kind::Bool) { u_.b = b; }       // NOLINT
  Value(int v) : kind_(Kind::Int) { u_.i = v; }         // NOLINT
  Value(int64_t v) : kind_(Kind::Int) { u_.i = v; }     // NOLINT
  Value(double v) : kind_(Kind::Float) { u_.f = v; }    // NOLINT
  Value(std::string s, bool safe = false);              // NOLINT
  Value(const char* s) : Value(std::string(s)) {}       // NOLINT
  Value(std::string_view s) : Value(std::string(s)) {}  // NOLINT

  static Value none() { return Value(); }
  static Value undefined(std::string message);
  static Value markup(std::string s) { return Value(std::move(s), true); }
  static Value list(std::vector<Value> items = {}, SeqTag tag = SeqTag::List);
  static Value tuple(std::vector<Value> items = {});
  static Value dict();
  static Value from_dict(std::shared_ptr<DictHeap> d);
  static Value object(std::shared_ptr<ObjectHeap> o);

  Kind kind() const { return kind_; }
  bool is_undefined() const { return kind_ == Kind::Undefined; }
  bool is_none() const { return kind_ == Kind::None; }
  bool is_bool() const { return kind_ == Kind::Bool; }
  bool is_int() const { return kind_ == Kind::Int; }
  bool is_float() const { return kind_ == Kind::Float; }
  // int, float or bool (bool is an int in Python).
  bool is_number() const {
    return kind_ == Kind::Int || kind_ == Kind::Float || kind_ == Kind::Bool;
  }
  bool is_string() const { return kind_ == Kind::String; }
  bool is_list() const { return kind_ == Kind::List; }
  bool is_tuple() const { return kind_ == Kind::Tuple; }
  bool is_seq() const { return kind_ == Kind::List || kind_ == Kind::Tuple; }
  // A real list or tuple (indexable, sliceable), not a dict view or generator.
  bool is_indexable() const;
  bool is_dict() const { return kind_ == Kind::Dict; }
  bool is_object() const { return kind_ == Kind::Object; }
  bool safe() const { return safe_; }  // Markup

  bool as_bool() const { return u_.b; }
  // int value of an Int or Bool.
  int64_t as_int() const { return kind_ == Kind::Bool ? (u_.b ? 1 : 0) : u_.i; }
  // float value of a number.
  double as_float() const { return kind_ == Kind::Float ? u_.f : static_cast<double>(as_int()); }
  const std::string& str() const { return static_cast<const StrHeap*>(heap_.get())->s; }
  const StrHeap& str_heap() const { return *static_cast<const StrHeap*>(heap_.get()); }
  ListHeap& seq() const;
  const std::vector<Value>& items() const;
  DictHeap& dict_ref() const;
  std::shared_ptr<DictHeap> dict_ptr() const;
  ObjectHeap& obj() const;
  template <typename T>
  T* obj_as() const;
  const std::string& undefined_message() const;
  const Heap* heap() const { return heap_.get(); }

  Value with_safe(bool s) const {
    Value v = *this;
    v.safe_ = s;
    return v;
  }

 private:
  Kind kind_;
  bool safe_ = false;
  union {
    bool b;
    int64_t i;
    double f;
  } u_{};
  std::shared_ptr<Heap> heap_;
};

struct ListHeap final : Heap {
  std::vector<Value> items;
  SeqTag tag = SeqTag::List;
};

// Hash and equality with Python semantics (1 == 1.0 == True), usable with string_view keys.
struct ValueHash {
  using is_transparent = void;
  size_t operator()(const Value& v) const;
  size_t operator()(std::string_view s) const;
};
struct ValueKeyEq {
  using is_transparent = void;
  bool operator()(const Value& a, const Value& b) const;
  bool operator()(const Value& a, std::string_view b) const;
  bool operator()(std::string_view a, const Value& b) const;
};

// An insertion-ordered dict (Python 3.7+ dict).
struct DictHeap final : Heap {
  std::vector<std::pair<Value, Value>> entries;
  bool environ = false;  // prints as environ({...}) (os.environ)

  const Value* find(const Value& key) const;
  const Value* find(std::string_view key) const;
  const Value* find(const std::string& key) const { return find(std::string_view(key)); }
  const Value* find(const char* key) const { return find(std::string_view(key)); }
  Value* find_mut(const Value& key);
  void set(Value key, Value value);
  bool erase(const Value& key);
  void clear();
  size_t size() const { return entries.size(); }

 private:
  void rebuild_index() const;
  mutable std::unordered_map<Value, size_t, ValueHash, ValueKeyEq>* index_ = nullptr;
  mutable bool index_valid_ = false;

 public:
  DictHeap() = default;
  DictHeap(const DictHeap&) = delete;
  DictHeap& operator=(const DictHeap&) = delete;
  ~DictHeap() override;
};

struct UndefHeap final : Heap {
  explicit UndefHeap(std::string m) : message(std::move(m)) {}
  std::string message;  // the UndefinedError message
};

// Positional and keyword arguments of a call.
struct CallArgs {
  std::vector<Value> pos;
  std::vector<std::pair<std::string, Value>> kw;
};

// Runtime objects (macros, loop contexts, namespaces, bound methods, modules, ...).
struct ObjectHeap : Heap {
  // Python class name, used in messages ("'Namespace object' has no attribute 'x'").
  virtual std::string type_name() const = 0;
  // Module of the class: object_type_repr prints "module.Class object" unless builtins.
  virtual std::string module_name() const { return "builtins"; }
  virtual std::string repr() const;
  // str(); defaults to repr().
  virtual std::string str() const { return repr(); }
  // Attribute lookup; nullopt when there is no such attribute.
  virtual std::optional<Value> get_attr(std::string_view name, Runtime& rt);
  virtual std::optional<Value> get_item(const Value& key, Runtime& rt);
  virtual bool is_callable() const { return false; }
  virtual Value call(Runtime& rt, CallArgs& args);
  // Iteration support: returns false when not iterable.
  virtual bool iterate(std::vector<Value>& out, Runtime* rt);
  virtual std::optional<int64_t> length() const { return std::nullopt; }
  virtual bool truthy() const { return true; }
  virtual bool equals(const ObjectHeap& other) const { return this == &other; }
  virtual bool is_mapping() const { return false; }
  virtual bool is_sequence() const { return false; }
};

inline ListHeap& Value::seq() const {
  return *static_cast<ListHeap*>(heap_.get());
}
inline const std::vector<Value>& Value::items() const {
  return seq().items;
}
inline DictHeap& Value::dict_ref() const {
  return *static_cast<DictHeap*>(heap_.get());
}
inline std::shared_ptr<DictHeap> Value::dict_ptr() const {
  return std::static_pointer_cast<DictHeap>(heap_);
}
inline ObjectHeap& Value::obj() const {
  return *static_cast<ObjectHeap*>(heap_.get());
}
template <typename T>
T* Value::obj_as() const {
  return kind_ == Kind::Object ? dynamic_cast<T*>(static_cast<ObjectHeap*>(heap_.get())) : nullptr;
}

}  // namespace lava::tmpl
