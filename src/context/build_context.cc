#include "context/build_context.h"

#include <algorithm>
#include <vector>

#include "context/copy_tree.h"
#include "context/default_dockerfile.h"
#include "context/dockerignore.h"
#include "notebook/nb2py.h"
#include "template/render.h"
#include "util/error.h"
#include "util/file_io.h"

namespace lava::context {

namespace fs = std::filesystem;

namespace {

constexpr fs::perms kFileMode = static_cast<fs::perms>(0644);
constexpr fs::perms kExecMode = static_cast<fs::perms>(0755);

tmpl::RenderOptions render_options(const project::Project& project, const fs::path& root) {
  tmpl::RenderOptions opts;
  opts.delimiter = '<';
  opts.search_dir = root;
  opts.realm_info = project::read_realm_info(project.dist);
  return opts;
}

// Renders one file in place, keeping its mode.
void render_in_place(const fs::path& file, const std::string& shown, const project::Json& params,
                     const tmpl::RenderOptions& opts) {
  std::string text = read_file(file);
  std::string out = tmpl::render_string(text, shown, params, opts);
  write_private_file(file, out, fs::status(file).permissions());
}

std::vector<fs::path> files_under(const fs::path& dir) {
  std::vector<fs::path> files;
  for (const auto& e : fs::recursive_directory_iterator(dir))
    if (e.is_regular_file()) files.push_back(e.path());
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace

project::Json template_params(const project::Project& project) {
  project::Json params = project.config.values;
  params["env"] = project.config.env;
  return params;
}

DockerfileOrigin dockerfile_origin(const project::Project& project,
                                   const project::Payload& payload) {
  if (fs::is_regular_file(payload.source / "Dockerfile")) return DockerfileOrigin::kPayload;
  if (!project.stock_fallback_replaced && !project.fallback_dockerfile.empty() &&
      fs::is_regular_file(project.fallback_dockerfile))
    return DockerfileOrigin::kProject;
  return DockerfileOrigin::kBuiltIn;
}

BuildContext prepare_context(const project::Project& project, const project::Payload& payload,
                             const fs::path& dest) {
  BuildContext ctx;
  ctx.dir = dest;
  const fs::path shown = fs::path("lava-payloads") / payload.dir_name;
  // Docker applies .dockerignore to the context it is sent; applying it while copying
  // gives the same context and never renders or converts what is left out.
  const DockerIgnore ignore =
      DockerIgnore::load(payload.source, (shown / ".dockerignore").string());
  LinkPolicy links;
  links.project_root = project.root;
  links.follow_external = project.config.follow_external_links;
  links.refusal_hint = "docker.follow_external_links is false in " + project.config.file.string();
  ctx.warnings = copy_tree(payload.source, dest, shown, ignore, links);
  for (const char* f : {"Dockerfile", ".dockerignore"})
    if (ignore.excluded(f)) ctx.not_in_image.push_back(f);

  const project::Json params = template_params(project);
  const tmpl::RenderOptions opts = render_options(project, dest);

  if (fs::is_directory(dest / "env")) {
    for (const auto& file : files_under(dest / "env"))
      render_in_place(file, (shown / fs::relative(file, dest)).string(), params, opts);
  }

  for (const auto& file : files_under(dest)) {
    if (file.extension() != ".ipynb") continue;
    std::string source = (shown / fs::relative(file, dest)).string();
    std::string python = notebook::notebook_to_python(read_file(file), source, true);
    fs::path out = file;
    out.replace_extension(".py");
    write_private_file(out, python, kExecMode);  // the framework makes converted notebooks u+x
    fs::remove(file);
  }

  ctx.dockerfile_origin = dockerfile_origin(project, payload);
  std::string dockerfile_text;
  switch (ctx.dockerfile_origin) {
    case DockerfileOrigin::kPayload:
      ctx.dockerfile_shown = (shown / "Dockerfile").string();
      dockerfile_text = read_file(dest / "Dockerfile");
      break;
    case DockerfileOrigin::kProject:
      ctx.dockerfile_shown = project.fallback_shown;
      dockerfile_text = read_file(project.fallback_dockerfile);
      break;
    case DockerfileOrigin::kBuiltIn:
      ctx.dockerfile_shown =
          project.stock_fallback_replaced
              ? "built-in default Dockerfile (for the stock " + project.fallback_shown + ")"
              : "built-in default Dockerfile";
      dockerfile_text = std::string(default_dockerfile());
      break;
  }
  std::string rendered = tmpl::render_string(dockerfile_text, ctx.dockerfile_shown, params, opts);
  if (rendered.empty() || rendered.back() != '\n') rendered += '\n';
  write_private_file(dest / "Dockerfile", rendered, kFileMode);
  return ctx;
}

}  // namespace lava::context
