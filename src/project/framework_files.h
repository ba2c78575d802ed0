// Files the lava framework's project template puts in every project (etc/Dockerfile,
// etc/sagemakertopython.tpl), recognised by a digest of their normalised text, so that an
// unedited copy of any released version can be told from one the user changed.
#pragma once

#include <string>
#include <string_view>

namespace lava::project {

// sha256 (lower-case hex) of `text` normalised: lines split on '\n' with a trailing '\r'
// dropped, leading and trailing spaces and tabs stripped, empty lines and lines starting with
// '#' dropped, joined with '\n' and a final '\n'. Comment and whitespace edits keep it.
std::string normalised_digest(std::string_view text);

// True when `text` is the framework's stock etc/Dockerfile (any released version). Digests
// named in LAVA_DOCKER_EXTRA_STOCK_DOCKERFILE_DIGESTS (comma or space separated) count too:
// that is how tests and the demo register a stand-in written in the same style.
bool is_stock_framework_dockerfile(std::string_view text);

// True when `text` is the framework's etc/sagemakertopython.tpl (the nbconvert template that
// comments out IPython magics). LAVA_DOCKER_EXTRA_NOTEBOOK_TEMPLATE_DIGESTS adds digests.
bool is_framework_notebook_template(std::string_view text);

// True when a Dockerfile's ENV instruction sets PIP_INDEX_URL (which bakes the index URL,
// and any credentials in it, into the image).
bool dockerfile_env_sets_pip_index_url(std::string_view text);

}  // namespace lava::project
