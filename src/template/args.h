// Binds call arguments to a Python-style signature for builtin functions, methods and
// filters, raising the TypeError Python would for surplus or unknown arguments.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "template/errors.h"
#include "template/value.h"

namespace lava::tmpl {

class ArgBinder {
 public:
  // `names`: parameter names in order; the first `required` must be given.
  ArgBinder(std::string_view fname, const CallArgs& args, std::initializer_list<const char*> names,
            size_t required = 0, bool varargs = false, bool varkw = false)
      : fname_(fname), names_(names), values_(names.size()), given_(names.size(), false) {
    size_t i = 0;
    for (; i < args.pos.size(); ++i) {
      if (i < names_.size()) {
        values_[i] = args.pos[i];
        given_[i] = true;
      } else if (varargs) {
        extra_pos.push_back(args.pos[i]);
      } else {
        throw TypeErr(std::string(fname_) + "() takes at most " + std::to_string(names_.size()) +
                      " argument" + (names_.size() == 1 ? "" : "s") + " (" +
                      std::to_string(args.pos.size()) + " given)");
      }
    }
    for (const auto& [k, v] : args.kw) {
      bool found = false;
      for (size_t j = 0; j < names_.size(); ++j) {
        if (k == names_[j]) {
          if (given_[j])
            throw TypeErr(std::string(fname_) + "() got multiple values for argument '" + k + "'");
          values_[j] = v;
          given_[j] = true;
          found = true;
          break;
        }
      }
      if (!found) {
        if (varkw) {
          extra_kw.emplace_back(k, v);
        } else {
          throw TypeErr(std::string(fname_) + "() got an unexpected keyword argument '" + k + "'");
        }
      }
    }
    for (size_t j = 0; j < required && j < names_.size(); ++j)
      if (!given_[j])
        throw TypeErr(std::string(fname_) + "() missing required argument '" + names_[j] + "'");
  }

  bool has(size_t i) const { return given_[i]; }
  // The argument, or `dflt` when it was not given.
  Value get(size_t i, Value dflt = Value::none()) const { return given_[i] ? values_[i] : dflt; }
  // Like get(), but treats an explicit None as absent.
  Value get_nn(size_t i, Value dflt) const {
    return given_[i] && !values_[i].is_none() ? values_[i] : dflt;
  }

  std::vector<Value> extra_pos;
  std::vector<std::pair<std::string, Value>> extra_kw;

 private:
  std::string_view fname_;
  std::vector<const char*> names_;
  std::vector<Value> values_;
  std::vector<bool> given_;
};

}  // namespace lava::tmpl
