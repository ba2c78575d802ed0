#include "run/job_render.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <ctime>

#include "util/error.h"

namespace lava::run {
namespace {

using namespace std::chrono;

// 2026-11-24 12:11:09 UTC
const system_clock::time_point kStart = system_clock::from_time_t(1795522269);

class ScopedTz {
 public:
  explicit ScopedTz(const char* tz) {
    if (const char* old = std::getenv("TZ")) old_ = old;
    setenv("TZ", tz, 1);
    tzset();
  }
  ~ScopedTz() {
    if (old_.empty()) {
      unsetenv("TZ");
    } else {
      setenv("TZ", old_.c_str(), 1);
    }
    tzset();
  }

 private:
  std::string old_;
};

TEST(PythonDatetime, AsPythonPrintsAwareDatetimes) {
  EXPECT_EQ(python_datetime(kStart, true), "2026-11-24 12:11:09+00:00");
  EXPECT_EQ(python_datetime(kStart + microseconds(123456), true),
            "2026-11-24 12:11:09.123456+00:00");
  ScopedTz tz("Asia/Kolkata");
  EXPECT_EQ(python_datetime(kStart + microseconds(5), false), "2026-11-24 17:41:09.000005+05:30");
}

JobFacts facts() {
  JobFacts j;
  j.job_id = "proj/dev/hello";
  j.run_id = "rid";
  j.realm = "myrealm";
  j.worker = "local";
  j.owner = "alice";
  j.payload = "repo/hello:latest";
  j.start = kStart;
  j.parameters = {{"vars", {{"day", "mon"}}}, {"env", {{"A", "{{ vars.day }}"}}}};
  j.globals = {{"g1", "G"}};
  j.realm_info = {{"s3_temp", "s3://b/tmp"}};
  return j;
}

TEST(JobRenderVars, WhatTheWorkerOffers) {
  auto v = job_render_vars(facts());
  EXPECT_EQ(v["job"]["job_id"], "proj/dev/hello");
  EXPECT_EQ(v["job"]["run_id"], "rid");
  EXPECT_EQ(v["job"]["realm"], "myrealm");
  EXPECT_EQ(v["job"]["worker"], "local");
  EXPECT_EQ(v["job"]["owner"], "alice");
  EXPECT_EQ(v["job"]["type"], "docker");
  EXPECT_EQ(v["job"]["payload"], "repo/hello:latest");
  EXPECT_EQ(v["job"]["parameters"]["env"]["A"], "{{ vars.day }}");  // the spec, unrendered
  EXPECT_EQ(v["job"]["ts_ustart"], "2026-11-24 12:11:09+00:00");
  EXPECT_EQ(v["ustart"], "2026-11-24 12:11:09+00:00");
  EXPECT_EQ(v["realm"]["realm"], "myrealm");
  EXPECT_EQ(v["realm"]["s3_temp"], "s3://b/tmp");
  EXPECT_EQ(v["globals"]["g1"], "G");
  EXPECT_EQ(v["globals"]["lava"]["master_job_id"], "proj/dev/hello");
  EXPECT_EQ(v["globals"]["lava"]["parent_job_id"], "proj/dev/hello");
  EXPECT_EQ(v["globals"]["lava"]["iteration"], 1);
  EXPECT_EQ(v["job"]["globals"], v["globals"]);
  EXPECT_EQ(v["vars"]["day"], "mon");
  EXPECT_TRUE(v["state"].empty());
}

TEST(RenderJobValue, PlainJinjaWithTheJobVariables) {
  auto v = job_render_vars(facts());
  EXPECT_EQ(render_job_value("{{ job.job_id }}/{{ vars.day }}/{{ globals.g1 }}/{{ realm.realm }}",
                             "x", v),
            "proj/dev/hello/mon/G/myrealm");
  // Undefined renders empty; <{ }> is not a delimiter here; no jinja.* / lava.* / environ.
  EXPECT_EQ(render_job_value("[{{ nothing }}]<{ job }>", "x", v), "[]<{ job }>");
  EXPECT_EQ(render_job_value("{{ jinja is defined }} {{ environ is defined }}", "x", v),
            "False False");
  // The trailing newline is dropped, as jinja2.Template does.
  EXPECT_EQ(render_job_value("a\n", "x", v), "a");
  try {
    render_job_value("{{ oops", "-e A", v);
    FAIL() << "no error";
  } catch (const UsageError& e) {
    EXPECT_EQ(std::string(e.what()).rfind("-e A: ", 0), 0u) << e.what();
  }
  EXPECT_THROW(render_job_value("{% include 'x' %}", "x", v), UsageError);
}

}  // namespace
}  // namespace lava::run
