// The framework drop-in's argument handling (getopt, as the framework's script does) and
// the steps around the build: checks first (so bad input leaves dist/ alone), then the
// orchestration every build uses, then the engine tag and the iidfile the Makefile expects.
#include "cli/framework_dropin.h"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "builder/build_state.h"
#include "builder/native_image_load.h"
#include "builder/payload_builder.h"
#include "cli/build_options.h"
#include "cli/output.h"
#include "http/libcurl.h"
#include "project/framework_files.h"
#include "project/platform.h"
#include "project/project.h"
#include "util/error.h"
#include "util/file_io.h"
#include "util/libarchive.h"
#include "util/redact.h"

namespace lava::cli {

namespace {

namespace fs = std::filesystem;

constexpr const char* kUsage =
    "Usage: lava-docker [-h] [-b ARG[=VALUE]]... [-c CONFIG] [-i IIDFILE] [-p NAME=VALUE]... "
    "[-P PLATFORM] [-t IMAGE[:TAG]] [-T TEMPLATE] SOURCE_DIR [DOCKERFILE]";

constexpr const char* kHelp =
    "\n"
    "The lava framework's bin/lava-docker interface (make dist runs it from lava-payloads/):\n"
    "builds SOURCE_DIR as a docker payload with lava-docker's own build.\n"
    "\n"
    "  -b ARG[=VALUE]  build argument; ARG alone takes the value from the environment.\n"
    "                  BASE_IMG sets the base image; PIP_INDEX_URL never reaches the image\n"
    "  -c CONFIG       the project's config/ENV.yaml (required)\n"
    "  -i IIDFILE      write the image id (sha256:...) there\n"
    "  -p NAME=VALUE   a template parameter (env=ENV names the environment)\n"
    "  -P PLATFORM     host, linux/amd64, linux/arm64 or a comma list\n"
    "  -t IMAGE[:TAG]  tag the image in the local Docker engine (default tag latest)\n"
    "  -T TEMPLATE     the framework's etc/sagemakertopython.tpl (notebook magics commented)\n"
    "  SOURCE_DIR      the payload, e.g. hello.docker\n"
    "  DOCKERFILE      used when SOURCE_DIR has no Dockerfile; the framework's stock\n"
    "                  etc/Dockerfile is replaced by the built-in default\n";

struct DropinArgs {
  std::vector<std::string> build_args, params;
  std::string config, iidfile, platform, tag, nb_template;
  std::vector<std::string> operands;
  bool help = false;
};

// getopt (glibc's, which permutes like the framework's getopt(1)). Usage errors: nullopt.
std::optional<DropinArgs> parse(int argc, char** argv) {
  DropinArgs a;
  ::opterr = 0;
  ::optind = 1;
  int c;
  while ((c = ::getopt(argc, argv, "b:c:i:hp:P:t:T:")) != -1) {
    switch (c) {
      case 'b':
        a.build_args.emplace_back(::optarg);
        break;
      case 'c':
        a.config = ::optarg;
        break;
      case 'i':
        a.iidfile = ::optarg;
        break;
      case 'h':
        a.help = true;
        break;
      case 'p':
        a.params.emplace_back(::optarg);
        break;
      case 'P':
        a.platform = ::optarg;
        break;
      case 't':
        a.tag = ::optarg;
        break;
      case 'T':
        a.nb_template = ::optarg;
        break;
      default: {
        std::string opt(1, static_cast<char>(::optopt));
        print_error(std::string(::optopt && std::string_view("bcipPtT").find(static_cast<char>(
                                                ::optopt)) != std::string_view::npos
                                    ? "option -" + opt + " needs a value"
                                    : "unknown option -" + opt) +
                    "; " + kUsage);
        return std::nullopt;
      }
    }
  }
  for (int i = ::optind; i < argc; ++i) a.operands.emplace_back(argv[i]);
  return a;
}

// "repo/name:tag" → "repo/name"; a ':' before the last '/' is a registry port.
std::string repository_of(const std::string& ref) {
  size_t slash = ref.rfind('/');
  size_t colon = ref.rfind(':');
  if (colon != std::string::npos && (slash == std::string::npos || colon > slash))
    return ref.substr(0, colon);
  return ref;
}

std::string with_tag(const std::string& ref) {
  return repository_of(ref) == ref ? ref + ":latest" : ref;
}

// The project root: CONFIG is <root>/config/<env>.yaml in a framework project.
fs::path project_root(const fs::path& config, const fs::path& source) {
  fs::path abs = fs::absolute(config).lexically_normal();
  if (abs.parent_path().filename() == "config") return abs.parent_path().parent_path();
  return fs::absolute(source).lexically_normal().parent_path().parent_path();
}

// The checks that need no build; each failure is one line naming what is wrong.
void check_inputs(const DropinArgs& a) {
  if (!a.platform.empty()) {
    bool framework_shape = a.platform == "host" || a.platform.starts_with("linux/");
    if (!framework_shape) throw Error("-P " + a.platform + ": bad platform (host or linux/...)");
    project::parse_platforms(a.platform, "-P");  // names the bad part
  }
  const fs::path source = a.operands[0];
  if (!fs::is_directory(source)) throw Error(source.string() + ": no such directory");
  const bool own = fs::is_regular_file(source / "Dockerfile");
  if (!own && (a.operands.size() < 2 || !fs::is_regular_file(a.operands[1])))
    throw Error(source.string() + ": no Dockerfile (none in the payload" +
                (a.operands.size() < 2 ? std::string(" and no DOCKERFILE argument)")
                                       : ", and " + a.operands[1] + " is not a file)"));
  if (!a.nb_template.empty()) {
    std::string text;
    try {
      text = read_file(a.nb_template);
    } catch (const Error&) {
      throw Error("-T " + a.nb_template + ": cannot read the notebook template");
    }
    if (!project::is_framework_notebook_template(text))
      throw Error("-T " + a.nb_template +
                  ": not the lava framework's sagemakertopython.tpl; lava-docker converts "
                  "notebooks itself and supports only that template (magics commented)");
  }
  if (a.config.empty())
    throw Error("-c CONFIG is required: the project's config/ENV.yaml (make dist passes it)");
  if (!fs::is_regular_file(a.config)) throw Error(a.config + ": no such config file");
  if (a.tag.empty()) throw Error("-t IMAGE is required: the image name to tag in the engine");
}

std::string env_name(const DropinArgs& a) {
  std::string env;
  for (const auto& p : a.params)
    if (p.starts_with("env=")) env = p.substr(4);
  return env.empty() ? fs::path(a.config).stem().string() : env;
}

project::Project make_project(const DropinArgs& a, const std::string& env) {
  const fs::path source = a.operands[0];
  project::Project p;
  p.root = project_root(a.config, source);
  p.config = project::load_config_file(
      a.config, a.config, env,
      a.platform.empty() ? std::nullopt : std::optional<std::string>(a.platform));
  p.config.file = fs::absolute(a.config).lexically_normal();  // the stamp reads it
  for (const auto& kv : a.params) {
    auto eq = kv.find('=');
    if (eq == std::string::npos) throw Error("-p " + kv + ": not NAME=VALUE");
    p.config.values[kv.substr(0, eq)] = kv.substr(eq + 1);
  }
  p.dist = project::dist_layout(p.root, env);
  project::Payload payload;
  payload.dir_name = fs::absolute(source).lexically_normal().filename().string();
  if (payload.dir_name.empty())
    payload.dir_name = fs::absolute(source).lexically_normal().parent_path().filename().string();
  payload.name = payload.dir_name.ends_with(".docker")
                     ? payload.dir_name.substr(0, payload.dir_name.size() - 7)
                     : payload.dir_name;
  payload.source = source;
  payload.image = repository_of(a.tag);
  p.payloads.push_back(payload);
  if (a.operands.size() > 1) {
    p.fallback_dockerfile = a.operands[1];
    p.fallback_shown = a.operands[1];
  }
  project::classify_fallback_dockerfile(p);
  return p;
}

// -b: BASE_IMG replaces docker.base_img, PIP_INDEX_URL is handed to pip as the environment
// value (never a build arg that could reach the image), others are build args.
void apply_build_args(const DropinArgs& a, project::Project& p, BuildOptions& o) {
  for (const auto& kv : a.build_args) {
    auto eq = kv.find('=');
    std::string key = kv.substr(0, eq);
    std::optional<std::string> value;
    if (eq != std::string::npos) {
      value = kv.substr(eq + 1);
    } else if (const char* v = std::getenv(key.c_str())) {
      value = v;
    }
    if (!value) continue;  // as docker does with an unset variable
    if (key == "BASE_IMG") {
      if (!value->empty()) p.config.base_img = *value;  // empty: the config's (or default)
    } else if (key == "PIP_INDEX_URL") {
      if (!value->empty()) {
        add_secret(*value);
        ::setenv("PIP_INDEX_URL", value->c_str(), 1);  // before any thread starts
      }
    } else {
      o.build_args.push_back(key + "=" + *value);
    }
  }
}

const builder::BuiltImage& pick_image(const builder::BuildState& state) {
  if (state.images.empty()) throw Error("the build recorded no image");
  for (const auto& img : state.images)
    if (img.platform == "host" || img.platform == project::host_platform().str()) return img;
  return state.images.front();
}

int run(const DropinArgs& a) {
  if (a.operands.empty() || a.operands.size() > 2) {
    print_error(std::string("expected SOURCE_DIR [DOCKERFILE]; ") + kUsage);
    return 1;
  }
  check_inputs(a);
  const std::string env = env_name(a);
  project::Project project = make_project(a, env);
  BuildOptions o;
  o.env = env;
  apply_build_args(a, project, o);

  // ecr-push and docker-purge look for the image in the local engine: without one this
  // mode cannot do its job, so say so before building anything.
  http::preload_libcurl();
  preload_libarchive();
  builder::PayloadBuilder payload_builder(o.engine, make_build_request(o),
                                          make_build_reporter(progress_mode(o, false)));
  try {
    payload_builder.docker().api_version();
  } catch (const Error& e) {
    throw Error(std::string("the framework's lava-docker tags the image in the local Docker "
                            "engine, and ") +
                e.what());
  }
  for (const auto& n : project.config.notices) print_notice(n);
  print_fallback_dockerfile_notes(project, project.payloads, false);
  const project::Payload& payload = project.payloads.front();
  builder::BuildOutcome outcome;
  try {
    outcome = payload_builder.build(project, payload);
  } catch (...) {
    end_status_line(progress_mode(o, false));
    throw;
  }
  end_status_line(progress_mode(o, false));
  auto state = builder::read_build_state(project.dist, payload.name);
  if (!state)
    throw Error(payload.name + ": the build left no state in " + project.dist.root.string());
  const builder::BuiltImage& image = pick_image(*state);
  if (state->engine == "native")
    builder::ensure_native_image_loaded(payload_builder.docker(), project, payload, image);
  const std::string target = with_tag(a.tag);
  if (target != image.tag) payload_builder.docker().tag_image(image.image_id, target);
  if (!a.iidfile.empty()) write_file_atomic(a.iidfile, image.image_id);
  for (const auto& s : outcome.summary)
    std::printf("%s\t%s\t%s\n", payload.name.c_str(), outcome.rebuilt ? "built" : "up-to-date",
                s.c_str());
  std::printf("%s\t%s\t%s\n", payload.name.c_str(), target.c_str(), image.image_id.c_str());
  std::fflush(stdout);
  return 0;
}

}  // namespace

int run_framework_dropin(int argc, char** argv) {
  auto a = parse(argc, argv);
  if (!a) return 2;
  if (a->help) {
    std::printf("%s\n%s", kUsage, kHelp);
    return 0;
  }
  try {
    return run(*a);
  } catch (const Error& e) {
    print_error(e.what());
    return 1;
  }
}

}  // namespace lava::cli
