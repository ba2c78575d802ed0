// Jupyter notebook -> Python script, byte for byte as the lava framework makes it:
// nbconvert's python exporter (nbconvert 6.5 with IPython 8.5) and its ipynb2py
// post-processing (python3 shebang), optionally with magics commented out.
#pragma once

#include <string>
#include <string_view>

namespace lava::notebook {

// The Python text nbconvert's python exporter gives for this notebook, with the first line
// replaced by "#!/usr/bin/env python3"; with comment_magics every get_ipython nbconvert would
// emit in a code cell becomes #get_ipython. Throws lava::Error "SOURCE: problem" on bad input.
std::string notebook_to_python(std::string_view ipynb_json, const std::string& source_name,
                               bool comment_magics);

}  // namespace lava::notebook
