#include "template/render.h"

#include <pthread.h>

#include <exception>
#include <functional>
#include <memory>
#include <vector>

#include "template/environment.h"
#include "template/runtime.h"

namespace lava::tmpl {

namespace {

// Parsing and rendering recurse; running them on a thread with a large (lazily committed)
// stack keeps the depth limits, not the process stack, the thing that stops deep templates.
constexpr size_t kRenderStack = size_t{64} << 20;

void run_on_big_stack(const std::function<void()>& fn) {
  struct Job {
    const std::function<void()>* fn;
    std::exception_ptr error;
  } job{&fn, nullptr};
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setstacksize(&attr, kRenderStack);
  pthread_t thread;
  auto body = [](void* arg) -> void* {
    auto* j = static_cast<Job*>(arg);
    try {
      (*j->fn)();
    } catch (...) {
      j->error = std::current_exception();
    }
    return nullptr;
  };
  int rc = pthread_create(&thread, &attr, body, &job);
  pthread_attr_destroy(&attr);
  if (rc != 0) {
    fn();  // no thread available: render on the caller's stack
    return;
  }
  pthread_join(thread, nullptr);
  if (job.error) std::rethrow_exception(job.error);
}

}  // namespace

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
  // Finished renders' state, kept when options.free_after_render is false.
  std::vector<std::unique_ptr<Runtime>> kept_runtimes;
  std::vector<std::shared_ptr<Template>> kept_templates;
};

Renderer::Renderer(const nlohmann::ordered_json& params, const RenderOptions& options)
    : impl_(std::make_unique<Impl>(params, options)) {}

Renderer::~Renderer() = default;

std::string Renderer::render(std::string_view source, const std::string& name) {
  std::string result;
  run_on_big_stack([&] { result = render_here(source, name); });
  return result;
}

std::string Renderer::render_here(std::string_view source, const std::string& name) {
  auto runtime = std::make_unique<Runtime>(impl_->env);
  Runtime& rt = *runtime;
  rt.top_template = name;
  rt.current_template = name;
  try {
    auto tmpl = impl_->env.from_string(source, name);
    std::string out;
    rt.render(tmpl, impl_->vars, out);
    if (!impl_->env.options().free_after_render) {
      impl_->kept_templates.push_back(std::move(tmpl));
      impl_->kept_runtimes.push_back(std::move(runtime));
    }
    return out;
  } catch (const EvalError& e) {
    if (e.tmpl.empty() || e.tmpl == name) throw TemplateError(name, e.line, e.what(), e.kind);
    int line = e.top_line ? e.top_line : e.line;
    throw TemplateError(name, line,
                        std::string(e.what()) + " (in template '" + e.tmpl + "', line " +
                            std::to_string(e.line) + ")",
                        e.kind);
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
