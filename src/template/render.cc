#include "template/render.h"

#include "template/environment.h"
#include "template/runtime.h"

namespace lava::tmpl {

struct Renderer::Impl {
  Impl(const nlohmann::ordered_json& params, const RenderOptions& options) : env(options) {
    try {
      vars = env.make_vars(params);
    } catch (const EvalError& e) {
      throw lava::Error(std::string("render parameters: ") + e.what());
    }
  }
  Environment env;
  std::shared_ptr<DictHeap> vars;
};

Renderer::Renderer(const nlohmann::ordered_json& params, const RenderOptions& options)
    : impl_(std::make_unique<Impl>(params, options)) {}

Renderer::~Renderer() = default;

std::string Renderer::render(std::string_view source, const std::string& name) {
  Runtime rt(impl_->env);
  rt.top_template = name;
  rt.current_template = name;
  try {
    auto tmpl = impl_->env.from_string(source, name);
    std::string out;
    rt.render(tmpl, impl_->vars, out);
    return out;
  } catch (const EvalError& e) {
    if (e.tmpl.empty() || e.tmpl == name) throw TemplateError(name, e.line, e.what());
    int line = e.top_line ? e.top_line : e.line;
    throw TemplateError(name, line,
                        std::string(e.what()) + " (in template '" + e.tmpl + "', line " +
                            std::to_string(e.line) + ")");
  } catch (const TemplateError&) {
    throw;
  } catch (const lava::Error& e) {
    throw TemplateError(name, rt.line, e.what());
  } catch (const std::bad_alloc&) {
    throw TemplateError(name, rt.line, "out of memory");
  } catch (const std::exception& e) {
    throw TemplateError(name, rt.line, std::string("internal error: ") + e.what());
  }
}

std::string render_string(std::string_view source, const std::string& name,
                          const nlohmann::ordered_json& params, const RenderOptions& options) {
  Renderer r(params, options);
  return r.render(source, name);
}

}  // namespace lava::tmpl
