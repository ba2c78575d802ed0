#include "native/pip_scheme.h"

#include <regex>

namespace lava::native {

namespace {

std::string dirname_of(const std::string& path) {
  auto slash = path.rfind('/');
  return slash == std::string::npos || slash == 0 ? std::string("/") : path.substr(0, slash);
}

// "3.9" is, "3.10" and "4.0" are not.
bool before_python_3_10(const std::string& version) {
  static const std::regex kVersion(R"((\d+)\.(\d+))");
  std::smatch m;
  if (!std::regex_match(version, m, kVersion)) return false;
  int major = std::stoi(m[1]), minor = std::stoi(m[2]);
  return major < 3 || (major == 3 && minor < 10);
}

}  // namespace

InstallScheme install_scheme_for(const PythonLayout& python) {
  InstallScheme s;
  s.site = python.site_dir;
  s.scripts = python.scripts_dir;
  s.python = python.executable;
  // <prefix>/lib/python3.X/{site,dist}-packages: the prefix is three levels up.
  static const std::regex kSite(R"((.*)/lib(64)?/python\d+\.\d+/(site|dist)-packages)");
  std::smatch m;
  if (std::regex_match(python.site_dir, m, kSite))
    s.data = m[1].str().empty() ? "/" : m[1].str();
  else
    s.data = dirname_of(python.scripts_dir);
  // Headers: on Python 3.10+ pip takes sysconfig's "include" with the interpreter's own
  // installed base, not the install prefix: Debian's python3 in /usr puts them in
  // /usr/include/python3.X even when everything else goes under /usr/local. Before 3.10 pip
  // installs with distutils, whose scheme keeps them under the prefix with the rest
  // (/usr/local/include/python3.9/<dist>). A virtualenv has its include/site.
  std::string base = s.data == "/" ? "" : s.data;
  if ((python.layout == "debian" || python.layout == "local-prefix") &&
      !before_python_3_10(python.version))
    base = "/usr";
  s.include = python.layout == "venv" ? base + "/include/site/python" + python.version
                                      : base + "/include/python" + python.version;
  return s;
}

std::map<std::string, std::string> marker_environment(const PythonLayout& python,
                                                      const std::string& machine) {
  const std::string full =
      python.full_version.empty() ? python.version + ".0" : python.full_version;
  return {{"implementation_name", "cpython"},
          {"implementation_version", full},
          {"os_name", "posix"},
          {"platform_machine", machine},
          {"platform_python_implementation", "CPython"},
          {"platform_system", "Linux"},
          {"python_full_version", full},
          {"python_version", python.version},
          {"sys_platform", "linux"}};
}

}  // namespace lava::native
