// What the engine integration tests share: the engine to talk to (the harness's, from
// LAVA_HARNESS_ENV, or DOCKER_HOST), a tiny busybox base image made here, and a way to
// run a program and capture its output.
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "docker/docker_client.h"
#include "util/temp_dir.h"

namespace lava::docker_test {

// Loads the harness env file (LAVA_HARNESS_ENV, else <build>/harness/env when present)
// into the environment. True when an engine is configured (DOCKER_HOST set); tests skip
// otherwise.
bool engine_configured();

// The value of a variable, or empty.
std::string env(const char* name);

// "lava-docker-test/busybox:<tag>": a root filesystem of Debian's static busybox with sh,
// id, env, ... imported once into the engine; for `platform` when given (only the image's
// metadata says so: the binary stays the host's).
std::string busybox_image(docker::DockerClient& docker, const std::string& tag = "latest",
                          const std::string& platform = {});

struct ProcessResult {
  int status = -1;  // exit status, or 128+signal
  std::string out, err;
};
// Runs argv[0] (a path) with extra environment `env_add` ("K=V"); `while_running` is
// called once with the child's pid right after it starts.
ProcessResult run_process(const std::vector<std::string>& argv,
                          const std::vector<std::string>& env_add = {},
                          const std::function<void(pid_t)>& while_running = {});

// Debian's docker CLI, to check results independently of our client.
ProcessResult docker_cli(const std::vector<std::string>& args);

// A fresh scratch directory for one test (the one guard, util/temp_dir.h).
struct TempDir : lava::TempDir {
  TempDir() : lava::TempDir(lava::TempDir::create("lava-engine-it-")) {}
};

}  // namespace lava::docker_test
