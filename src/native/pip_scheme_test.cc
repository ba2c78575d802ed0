#include "native/pip_scheme.h"

#include <gtest/gtest.h>

namespace lava::native {
namespace {

PythonLayout layout(std::string exe, std::string version, std::string site, std::string scripts,
                    std::string kind, std::string full = "") {
  return PythonLayout{std::move(exe),     std::move(version), std::move(site),
                      std::move(scripts), std::move(kind),    std::move(full)};
}

TEST(PipScheme, DebianPythonInstallsUnderUsrLocal) {
  auto s = install_scheme_for(layout("/usr/bin/python3", "3.11",
                                     "/usr/local/lib/python3.11/dist-packages", "/usr/local/bin",
                                     "debian"));
  EXPECT_EQ(s.site, "/usr/local/lib/python3.11/dist-packages");
  EXPECT_EQ(s.scripts, "/usr/local/bin");
  EXPECT_EQ(s.data, "/usr/local");
  EXPECT_EQ(s.include, "/usr/include/python3.11");  // the interpreter's, as Debian's pip does
  EXPECT_EQ(s.python, "/usr/bin/python3");
}

TEST(PipScheme, BeforePython310HeadersStayUnderThePrefix) {
  // pip uses distutils there: bullseye's pip puts them in /usr/local/include/python3.9/<dist>.
  auto bullseye =
      install_scheme_for(layout("/usr/bin/python3", "3.9", "/usr/local/lib/python3.9/dist-packages",
                                "/usr/local/bin", "debian"));
  EXPECT_EQ(bullseye.include, "/usr/local/include/python3.9");
  auto fedora =
      install_scheme_for(layout("/usr/bin/python3", "3.9", "/usr/local/lib/python3.9/site-packages",
                                "/usr/local/bin", "local-prefix"));
  EXPECT_EQ(fedora.include, "/usr/local/include/python3.9");
  auto debian310 = install_scheme_for(layout("/usr/bin/python3", "3.10",
                                             "/usr/local/lib/python3.10/dist-packages",
                                             "/usr/local/bin", "debian"));
  EXPECT_EQ(debian310.include, "/usr/include/python3.10");
}

TEST(PipScheme, OfficialImageAndVirtualenv) {
  auto official = install_scheme_for(layout("/usr/local/bin/python3", "3.12",
                                            "/usr/local/lib/python3.12/site-packages",
                                            "/usr/local/bin", "prefix"));
  EXPECT_EQ(official.data, "/usr/local");
  EXPECT_EQ(official.include, "/usr/local/include/python3.12");
  auto venv =
      install_scheme_for(layout("/opt/venv/bin/python3", "3.9",
                                "/opt/venv/lib/python3.9/site-packages", "/opt/venv/bin", "venv"));
  EXPECT_EQ(venv.data, "/opt/venv");
  EXPECT_EQ(venv.include, "/opt/venv/include/site/python3.9");
  EXPECT_EQ(venv.scripts, "/opt/venv/bin");
}

TEST(PipScheme, MarkersAreTheTargetsNotTheHosts) {
  auto m =
      marker_environment(layout("/usr/bin/python3", "3.9", "/usr/local/lib/python3.9/dist-packages",
                                "/usr/local/bin", "debian", "3.9.2"),
                         "aarch64");
  EXPECT_EQ(m.at("platform_machine"), "aarch64");
  EXPECT_EQ(m.at("python_version"), "3.9");
  EXPECT_EQ(m.at("python_full_version"), "3.9.2");
  EXPECT_EQ(m.at("implementation_version"), "3.9.2");
  EXPECT_EQ(m.at("sys_platform"), "linux");
  EXPECT_EQ(m.at("platform_system"), "Linux");
  EXPECT_EQ(m.at("os_name"), "posix");
  EXPECT_EQ(m.at("implementation_name"), "cpython");
  EXPECT_EQ(m.at("platform_python_implementation"), "CPython");
  EXPECT_FALSE(m.count("platform_release"));  // the kernel is the host's in a container too
  // Nothing tells the micro version: the oldest of the minor.
  auto unknown = marker_environment(
      layout("/usr/bin/python3", "3.13", "/usr/local/lib/python3.13/dist-packages",
             "/usr/local/bin", "debian"),
      "x86_64");
  EXPECT_EQ(unknown.at("python_full_version"), "3.13.0");
}

}  // namespace
}  // namespace lava::native
