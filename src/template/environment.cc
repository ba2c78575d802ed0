#include "template/environment.h"

#include <pwd.h>
#include <sys/time.h>
#include <unistd.h>

#include <cstdlib>
#include <ctime>
#include <random>

#include "template/args.h"
#include "template/loader.h"
#include "template/objects.h"
#include "template/parser.h"
#include "template/pyops.h"
#include "template/runtime.h"
#include "template/undefined.h"

extern char** environ;

namespace lava::tmpl {

namespace {

constexpr int kMaxParamNesting = 500;

Value convert(const nlohmann::ordered_json& j, int depth) {
  if (depth > kMaxParamNesting) throw EvalError("parameters are nested too deeply");
  switch (j.type()) {
    case nlohmann::json::value_t::null:
      return Value::none();
    case nlohmann::json::value_t::boolean:
      return Value(j.get<bool>());
    case nlohmann::json::value_t::number_integer:
      return Value(j.get<int64_t>());
    case nlohmann::json::value_t::number_unsigned: {
      uint64_t u = j.get<uint64_t>();
      if (u > static_cast<uint64_t>(INT64_MAX)) return Value(static_cast<double>(u));
      return Value(static_cast<int64_t>(u));
    }
    case nlohmann::json::value_t::number_float:
      return Value(j.get<double>());
    case nlohmann::json::value_t::string:
      return Value(j.get<std::string>());
    case nlohmann::json::value_t::array: {
      std::vector<Value> items;
      items.reserve(j.size());
      for (const auto& e : j) items.push_back(convert(e, depth + 1));
      return Value::list(std::move(items));
    }
    case nlohmann::json::value_t::object: {
      Value d = Value::dict();
      for (const auto& [k, v] : j.items()) d.dict_ref().set(Value(k), convert(v, depth + 1));
      return d;
    }
    default:
      return Value::none();
  }
}

int64_t range_arg(const Value& v) {
  if (v.is_int() || v.is_bool()) return v.as_int();
  if (v.is_undefined()) fail_undefined(v);
  throw TypeErr("'" + py_type_name(v) + "' object cannot be interpreted as an integer");
}

Value make_range(Runtime&, CallArgs& args) {
  if (!args.kw.empty()) throw TypeErr("range() takes no keyword arguments");
  auto r = std::make_shared<RangeObj>();
  switch (args.pos.size()) {
    case 1:
      r->stop = range_arg(args.pos[0]);
      break;
    case 2:
      r->start = range_arg(args.pos[0]);
      r->stop = range_arg(args.pos[1]);
      break;
    case 3:
      r->start = range_arg(args.pos[0]);
      r->stop = range_arg(args.pos[1]);
      r->step = range_arg(args.pos[2]);
      if (r->step == 0) throw ValueErr("range() arg 3 must not be zero");
      break;
    default:
      throw TypeErr(args.pos.empty() ? "range expected at least 1 argument, got 0"
                                     : "range expected at most 3 arguments, got " +
                                           std::to_string(args.pos.size()));
  }
  return Value::object(r);
}

Value make_dict(Runtime& rt, CallArgs& args) {
  if (args.pos.size() > 1)
    throw TypeErr("dict expected at most 1 argument, got " + std::to_string(args.pos.size()));
  Value d = Value::dict();
  if (!args.pos.empty()) {
    const Value& src = args.pos[0];
    if (src.is_dict()) {
      for (const auto& [k, v] : src.dict_ref().entries) d.dict_ref().set(k, v);
    } else {
      for (const auto& pair : py_iter(src, &rt)) {
        std::vector<Value> kv = py_iter(pair, &rt);
        if (kv.size() != 2)
          throw ValueErr("dictionary update sequence element has length " +
                         std::to_string(kv.size()) + "; 2 is required");
        d.dict_ref().set(kv[0], kv[1]);
      }
    }
  }
  for (const auto& [k, v] : args.kw) d.dict_ref().set(Value(k), v);
  return d;
}

Value make_namespace(Runtime& rt, CallArgs& args) {
  Value d = make_dict(rt, args);
  auto ns = std::make_shared<NamespaceObj>();
  ns->attrs = d.dict_ptr();
  return Value::object(ns);
}

Value make_cycler(Runtime&, CallArgs& args) {
  if (!args.kw.empty()) throw TypeErr("Cycler() got an unexpected keyword argument");
  if (args.pos.empty()) throw EvalError("at least one item has to be provided");
  auto c = std::make_shared<CyclerObj>();
  c->items = args.pos;
  return Value::object(c);
}

Value make_joiner(Runtime&, CallArgs& args) {
  ArgBinder a("Joiner", args, {"sep"});
  auto j = std::make_shared<JoinerObj>();
  j->sep = py_str(a.get(0, Value(", ")));
  return Value::object(j);
}

const char* const kLoremWords[] = {
    "a",          "ac",          "accumsan",     "ad",           "adipiscing",  "aenean",
    "aliquam",    "aliquet",     "amet",         "ante",         "aptent",      "arcu",
    "at",         "auctor",      "augue",        "bibendum",     "blandit",     "class",
    "commodo",    "condimentum", "congue",       "consectetuer", "consequat",   "conubia",
    "convallis",  "cras",        "cubilia",      "cum",          "curabitur",   "curae",
    "cursus",     "dapibus",     "diam",         "dictum",       "dictumst",    "dignissim",
    "dis",        "dolor",       "donec",        "dui",          "duis",        "egestas",
    "eget",       "eleifend",    "elementum",    "elit",         "enim",        "erat",
    "eros",       "est",         "et",           "etiam",        "eu",          "euismod",
    "facilisi",   "facilisis",   "fames",        "faucibus",     "felis",       "fermentum",
    "feugiat",    "fringilla",   "fusce",        "gravida",      "habitant",    "habitasse",
    "hac",        "hendrerit",   "hymenaeos",    "iaculis",      "id",          "imperdiet",
    "in",         "inceptos",    "integer",      "interdum",     "ipsum",       "justo",
    "lacinia",    "lacus",       "laoreet",      "lectus",       "leo",         "libero",
    "ligula",     "litora",      "lobortis",     "lorem",        "luctus",      "maecenas",
    "magna",      "magnis",      "malesuada",    "massa",        "mattis",      "mauris",
    "metus",      "mi",          "molestie",     "mollis",       "montes",      "morbi",
    "mus",        "nam",         "nascetur",     "natoque",      "nec",         "neque",
    "netus",      "nibh",        "nisi",         "nisl",         "non",         "nonummy",
    "nostra",     "nulla",       "nullam",       "nunc",         "odio",        "orci",
    "ornare",     "parturient",  "pede",         "pellentesque", "penatibus",   "per",
    "pharetra",   "phasellus",   "placerat",     "platea",       "porta",       "porttitor",
    "posuere",    "potenti",     "praesent",     "pretium",      "primis",      "proin",
    "pulvinar",   "purus",       "quam",         "quis",         "quisque",     "rhoncus",
    "ridiculus",  "risus",       "rutrum",       "sagittis",     "sapien",      "scelerisque",
    "sed",        "sem",         "semper",       "senectus",     "sit",         "sociis",
    "sociosqu",   "sodales",     "sollicitudin", "suscipit",     "suspendisse", "taciti",
    "tellus",     "tempor",      "tempus",       "tincidunt",    "torquent",    "tortor",
    "tristique",  "turpis",      "ullamcorper",  "ultrices",     "ultricies",   "urna",
    "ut",         "varius",      "vehicula",     "vel",          "velit",       "venenatis",
    "vestibulum", "vitae",       "vivamus",      "viverra",      "volutpat",    "vulputate"};

// generate_lorem_ipsum(n=5, html=True, min=20, max=100): random text, like Jinja's.
Value make_lipsum(Runtime&, CallArgs& args) {
  ArgBinder a("generate_lorem_ipsum", args, {"n", "html", "min", "max"});
  int64_t n = a.has(0) ? range_arg(a.get(0)) : 5;
  bool html = py_truthy(a.get(1, Value(true)));
  int64_t lo = a.has(2) ? range_arg(a.get(2)) : 20;
  int64_t hi = a.has(3) ? range_arg(a.get(3)) : 100;
  if (n > 10000 || hi > 100000) throw EvalError("lipsum: too much text requested");
  if (hi <= lo) throw ValueErr("empty range for randrange()");
  static std::mt19937_64 rng{std::random_device{}()};
  auto randrange = [&](int64_t x, int64_t y) {
    return std::uniform_int_distribution<int64_t>(x, y - 1)(rng);
  };
  const size_t nwords = sizeof kLoremWords / sizeof kLoremWords[0];
  std::vector<std::string> paras;
  for (int64_t p = 0; p < n; ++p) {
    bool next_cap = true;
    int64_t last_comma = 0, last_stop = 0;
    std::string last, text;
    int64_t count = randrange(lo, hi);
    for (int64_t idx = 0; idx < count; ++idx) {
      std::string word;
      do {
        word = kLoremWords[std::uniform_int_distribution<size_t>(0, nwords - 1)(rng)];
      } while (word == last);
      last = word;
      if (next_cap) {
        word[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(word[0])));
        next_cap = false;
      }
      if (idx - randrange(3, 8) > last_comma) {
        last_comma = idx;
        last_stop += 2;
        word += ",";
      }
      if (idx - randrange(10, 20) > last_stop) {
        last_comma = last_stop = idx;
        word += ".";
        next_cap = true;
      }
      if (!text.empty()) text += " ";
      text += word;
    }
    if (!text.empty() && text.back() == ',')
      text.back() = '.';
    else if (text.empty() || text.back() != '.')
      text += ".";
    paras.push_back(text);
  }
  std::string out;
  for (size_t i = 0; i < paras.size(); ++i) {
    if (html)
      out += (i ? "\n" : "") + std::string("<p>") + escape_html(paras[i]) + "</p>";
    else
      out += (i ? "\n\n" : "") + paras[i];
  }
  return Value(std::move(out), html);
}

// lava.aws: AWS facts asked for lazily through RenderOptions::aws_info.
struct AwsObj final : ObjectHeap {
  std::function<std::string(const std::string&)> info;
  std::string type_name() const override { return "Aws"; }
  std::string module_name() const override { return "jinja"; }
  std::string get(const std::string& key) const {
    if (!info)
      throw EvalError("lava.aws." + key +
                      " needs AWS credentials: AWS access is not available to lava-docker render");
    return info(key);
  }
  std::optional<Value> get_attr(std::string_view name, Runtime&) override {
    std::string n(name);
    if (n == "account" || n == "region" || n == "ecr_uri" || n == "user") return Value(get(n));
    if (n == "arn") {
      auto self = std::static_pointer_cast<AwsObj>(shared_from_this());
      return make_function("arn", [self](Runtime&, CallArgs& args) -> Value {
        ArgBinder a("arn", args, {"service", "resource"}, 2);
        std::string service = py_str(a.get(0)), resource = py_str(a.get(1));
        if (service == "lambda-function")
          return Value("arn:aws:lambda:" + self->get("region") + ":" + self->get("account") +
                       ":function:" + resource);
        if (service == "log-group")
          return Value("arn:aws:logs:" + self->get("region") + ":" + self->get("account") +
                       ":log-group:" + resource);
        if (service == "sns-topic")
          return Value("arn:aws:sns:" + self->get("region") + ":" + self->get("account") + ":" +
                       resource);
        if (service == "sqs-queue")
          return Value("arn:aws:sqs:" + self->get("region") + ":" + self->get("account") + ":" +
                       resource);
        if (service == "iam-role")
          return Value("arn:aws:iam::" + self->get("account") + ":role/" + resource);
        throw ValueErr("arn: Unknown service: " + service);
      });
    }
    return std::nullopt;
  }
};

std::string format_time(const std::tm& tm, const char* fmt) {
  char buf[128];
  size_t n = std::strftime(buf, sizeof buf, fmt, &tm);
  return std::string(buf, n);
}

// datetime.ctime(): "Mon Nov  3 07:05:09 2026".
std::string ctime_string(const std::tm& tm) {
  static const char* days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static const char* months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                 "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  char buf[64];
  std::snprintf(buf, sizeof buf, "%s %s %2d %02d:%02d:%02d %04d", days[tm.tm_wday],
                months[tm.tm_mon], tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, tm.tm_year + 1900);
  return buf;
}

std::string current_user() {
  for (const char* var : {"LOGNAME", "USER", "LNAME", "USERNAME"}) {
    const char* v = std::getenv(var);
    if (v && *v) return v;
  }
  if (struct passwd* pw = getpwuid(getuid())) return pw->pw_name;
  return "";
}

}  // namespace

Value json_to_value(const nlohmann::ordered_json& j) {
  return convert(j, 0);
}

Environment::Environment(RenderOptions options)
    : options_(std::move(options)),
      delimiters_(Delimiters::from_char(options_.delimiter)),
      globals_(std::make_shared<DictHeap>()) {
  globals_->set(Value("range"), make_function("range", make_range));
  globals_->set(Value("dict"), make_function("dict", make_dict));
  globals_->set(Value("lipsum"), make_function("generate_lorem_ipsum", make_lipsum));
  globals_->set(Value("cycler"), make_function("Cycler", make_cycler));
  globals_->set(Value("joiner"), make_function("Joiner", make_joiner));
  globals_->set(Value("namespace"), make_function("Namespace", make_namespace));
}

std::shared_ptr<Template> Environment::from_string(std::string_view source,
                                                   const std::string& name) {
  return parse_template(source, name, delimiters_);
}

std::shared_ptr<Template> Environment::get_template(const std::string& name) {
  auto it = cache_.find(name);
  if (it != cache_.end()) return it->second;
  auto source = load_template_source(options_.search_dir, name);
  if (!source) throw NotFoundErr("template " + repr_string(name) + " not found");
  std::shared_ptr<Template> tmpl;
  try {
    tmpl = parse_template(*source, name, delimiters_);
  } catch (EvalError& e) {
    if (e.tmpl.empty()) e.tmpl = name;
    throw;
  }
  cache_[name] = tmpl;
  return tmpl;
}

std::shared_ptr<DictHeap> Environment::make_vars(const nlohmann::ordered_json& params) const {
  auto vars = std::make_shared<DictHeap>();
  for (const auto& [k, v] : globals_->entries) vars->entries.emplace_back(k, v);
  if (!params.is_null()) {
    if (!params.is_object()) throw EvalError("render parameters must be a mapping");
    for (const auto& [k, v] : params.items()) vars->set(Value(k), json_to_value(v));
  }
  if (options_.builtins) {
    Value* jinja = vars->find_mut(Value("jinja"));
    if (!jinja) {
      vars->set(Value("jinja"), Value::dict());
      jinja = vars->find_mut(Value("jinja"));
    }
    if (!jinja->is_dict())
      throw TypeErr("'" + py_type_name(*jinja) + "' object does not support item assignment");
    DictHeap& j = jinja->dict_ref();
    std::time_t now = std::time(nullptr);
    std::tm local{}, utc{};
    localtime_r(&now, &local);
    gmtime_r(&now, &utc);
    struct timeval tv {};
    gettimeofday(&tv, nullptr);
    char ms[8];
    std::snprintf(ms, sizeof ms, "%03d", static_cast<int>(tv.tv_usec / 1000));
    j.set(Value("ctime"), Value(ctime_string(local)));
    j.set(Value("datetime"), Value(format_time(local, "%Y-%m-%d %H:%M:%S")));
    j.set(Value("utc_ctime"), Value(ctime_string(utc)));
    j.set(Value("utc_datetime"), Value(format_time(utc, "%Y-%m-%d %H:%M:%S")));
    j.set(Value("iso_datetime"), Value(format_time(utc, "%Y-%m-%dT%H:%M:%S") + "." + ms + "Z"));
    j.set(Value("prog"), Value("jinja"));
    j.set(Value("user"), Value(current_user()));
    std::vector<Value> names;
    for (const auto& t : options_.templates) names.emplace_back(t);
    j.set(Value("templates"), Value::list(std::move(names)));

    Value* lava = vars->find_mut(Value("lava"));
    if (!lava) {
      vars->set(Value("lava"), Value::dict());
      lava = vars->find_mut(Value("lava"));
    }
    if (!lava->is_dict())
      throw TypeErr("'" + py_type_name(*lava) + "' object does not support item assignment");
    DictHeap& l = lava->dict_ref();
    if (options_.realm_info.is_object())
      for (const auto& [k, v] : options_.realm_info.items()) l.set(Value(k), json_to_value(v));
    l.set(Value("dag"), make_function("lava_dag", [](Runtime&, CallArgs&) -> Value {
            throw EvalError("lava.dag is not supported: templates cannot run commands");
          }));
    auto aws = std::make_shared<AwsObj>();
    aws->info = options_.aws_info;
    l.set(Value("aws"), Value::object(aws));
  }
  if (options_.environ) {
    Value env = Value::dict();
    env.dict_ref().environ = true;
    for (char** e = ::environ; e && *e; ++e) {
      std::string entry(*e);
      size_t eq = entry.find('=');
      if (eq == std::string::npos || eq == 0) continue;
      env.dict_ref().set(Value(entry.substr(0, eq)), Value(entry.substr(eq + 1)));
    }
    vars->set(Value("environ"), env);
  }
  return vars;
}

}  // namespace lava::tmpl
