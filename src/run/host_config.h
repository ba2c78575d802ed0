// A docker job's `host_config` parameter: the keyword arguments the lava worker passes to
// docker-py's containers.run(), limited to the worker's whitelist, turned into the Engine
// API's container-create fields the way docker-py turns them.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "docker/docker_client.h"
#include "project/yaml_load.h"

namespace lava::run {

// The worker's whitelist (HOST_CONFIG_OPTIONAL_FIELDS in lava/handlers/docker.py), sorted.
const std::vector<std::string>& host_config_keys();

// The keys of `host_config` outside the whitelist, sorted; empty when all are allowed.
std::vector<std::string> unexpected_host_config_keys(const project::Json& host_config);

// docker-py's parse_bytes: a number is taken as it is; a string is a number with an
// optional unit b, k, m or g (powers of 1024, either case, an extra trailing b/B allowed:
// "256m", "1g", "1.5g", "512mb", "100"). Anything else is a lava::UsageError naming
// `where` and the value.
int64_t parse_docker_bytes(const project::Json& value, const std::string& where);

// Applies every key of `host_config` (already checked against the whitelist) to `spec`,
// as docker-py maps it: hostname, user, working_dir, group_add and network_mode onto the
// spec's own fields, the rest into spec.extra_config (Domainname, NetworkDisabled,
// ExposedPorts) and spec.extra_host_config (Memory, CpuQuota, PortBindings...). A null
// value leaves the engine's default. A value of the wrong form is a lava::UsageError
// naming `where`.KEY.
void apply_host_config(const project::Json& host_config, const std::string& where,
                       docker::ContainerSpec& spec);

}  // namespace lava::run
