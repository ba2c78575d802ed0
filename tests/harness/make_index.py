#!/usr/bin/python3
"""Build the test wheels and a PEP 503 "simple" index over them.

Everything is generated here, offline: each wheel is a zip written with the
zipfile module (METADATA, WHEEL, RECORD and a tiny module), with fixed
timestamps so that the same script always yields byte-identical wheels.

Layout written under OUT:
  packages/<wheel files>
  simple/index.html                 every project
  simple/<project>/index.html       links to that project's wheels, with sha256
"""

import argparse
import base64
import hashlib
import html
import os
import re
import shutil
import zipfile

ZIP_DATE = (1980, 1, 1, 0, 0, 0)


class Wheel:
    def __init__(self, project, version, tag="py3-none-any", requires=(), module_source="",
                 files=None, metadata=(), entry_points="", top_level=None):
        self.project = project
        self.version = version
        self.tag = tag
        self.requires = list(requires)
        self.module_source = module_source  # None: no <module>/__init__.py
        self.files = dict(files or {})  # more members: name -> text or (text, mode)
        self.metadata = list(metadata)  # more METADATA lines (Provides-Extra: ...)
        self.entry_points = entry_points
        self.top_level = top_level

    @property
    def dist_name(self):
        return re.sub(r"[-_.]+", "_", self.project)

    @property
    def filename(self):
        return f"{self.dist_name}-{self.version}-{self.tag}.whl"

    @property
    def purelib(self):
        return self.tag.endswith("-none-any")


def record_hash(data):
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=")
    return "sha256=" + digest.decode()


def write_wheel(wheel, directory):
    module = wheel.dist_name
    info = f"{wheel.dist_name}-{wheel.version}.dist-info"
    metadata = [
        "Metadata-Version: 2.1",
        f"Name: {wheel.project}",
        f"Version: {wheel.version}",
        f"Summary: lava-docker test package {wheel.project}",
    ]
    metadata += wheel.metadata
    metadata += [f"Requires-Dist: {r}" for r in wheel.requires]
    files = {}
    if wheel.module_source is not None:
        files[f"{module}/__init__.py"] = wheel.module_source
    files.update(wheel.files)
    if wheel.entry_points:
        files[f"{info}/entry_points.txt"] = wheel.entry_points
    files.update({
        f"{info}/METADATA": "\n".join(metadata) + "\n\n",
        f"{info}/WHEEL": (
            "Wheel-Version: 1.0\n"
            "Generator: lava-docker-test-harness\n"
            f"Root-Is-Purelib: {'true' if wheel.purelib else 'false'}\n"
            f"Tag: {wheel.tag}\n"
        ),
        f"{info}/top_level.txt": (wheel.top_level or module) + "\n",
    })
    record_lines = []
    path = os.path.join(directory, wheel.filename)
    with zipfile.ZipFile(path + ".tmp", "w", zipfile.ZIP_DEFLATED) as zf:
        for name, text in files.items():
            # A mode given with the member is a regular file's: pip makes it executable only
            # when S_IFREG is there too.
            text, mode = (text[0], 0o100000 | text[1]) if isinstance(text, tuple) else (text, 0o644)
            data = text.encode()
            entry = zipfile.ZipInfo(name, ZIP_DATE)
            entry.external_attr = mode << 16
            entry.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(entry, data)
            record_lines.append(f"{name},{record_hash(data)},{len(data)}")
        record_name = f"{info}/RECORD"
        record_lines.append(f"{record_name},,")
        entry = zipfile.ZipInfo(record_name, ZIP_DATE)
        entry.external_attr = 0o644 << 16
        entry.compress_type = zipfile.ZIP_DEFLATED
        zf.writestr(entry, "\n".join(record_lines) + "\n")
    os.replace(path + ".tmp", path)
    return path


def module(project, version, extra=""):
    return (
        f'"""lava-docker test package {project}."""\n'
        f'NAME = "{project}"\n'
        f'VERSION = "{version}"\n'
        f"{extra}"
    )


def wheels():
    result = [
        Wheel("lavatest-pure", "1.0.0",
              module_source=module("lavatest-pure", "1.0.0",
                                   'def hello():\n    return "hello from lavatest-pure"\n')),
        # Two versions so that a test can see the resolver honour a specifier.
        Wheel("lavatest-dep", "1.0.0", module_source=module("lavatest-dep", "1.0.0")),
        Wheel("lavatest-dep", "2.0.0", module_source=module("lavatest-dep", "2.0.0")),
        # Importing it imports its dependency, so a missing dependency shows.
        Wheel("lavatest-withdeps", "1.0.0", requires=["lavatest-dep>=2"],
              module_source=module("lavatest-withdeps", "1.0.0",
                                   "import lavatest_dep\nDEP_VERSION = lavatest_dep.VERSION\n")),
        # Its dependency is in no index: it installs only with --no-deps.
        Wheel("lavatest-nodeps-only", "1.0.0", requires=["lavatest-absent-dependency>=1"],
              module_source=module("lavatest-nodeps-only", "1.0.0")),
    ]
    result += marker_wheels() + content_wheels()
    for arch in ("x86_64", "aarch64"):
        result.append(
            Wheel("lavatest-native", "1.0.0", tag=f"cp311-cp311-manylinux2014_{arch}",
                  module_source=module("lavatest-native", "1.0.0", f'ARCH = "{arch}"\n')))
    return result


def marker_wheels():
    """Requirements whose environment markers pick them per target: a build that evaluates
    markers for the build host instead of the image installs the wrong set."""
    result = [Wheel(f"lavatest-{name}", "1.0.0", module_source=module(f"lavatest-{name}", "1.0.0"))
              for name in ("arm", "x86", "old", "new", "extra-only")]
    # The same choices, made by a dependency's Requires-Dist, and an extra's.
    result.append(Wheel(
        "lavatest-markers", "1.0.0",
        metadata=["Provides-Extra: more"],
        requires=['lavatest-arm; platform_machine == "aarch64"',
                  'lavatest-x86; platform_machine == "x86_64"',
                  'lavatest-old; python_version < "3.10"',
                  'lavatest-new; python_version >= "3.12"',
                  'lavatest-extra-only; extra == "more"',
                  'lavatest-absent-dependency; sys_platform == "win32"'],
        module_source=module("lavatest-markers", "1.0.0")))
    return result


def content_wheels():
    """A wheel with every part the wheel spec installs, and a namespace package in two."""
    data = "lavatest_data-1.0.0.data"
    files = {
        f"{data}/scripts/lavatest-data-script": ("#!python\nimport lavatest_data\nprint(lavatest_data.NAME)\n", 0o755),
        f"{data}/scripts/lavatest-data-sh": ("#!/bin/sh\necho lavatest-data-sh\n", 0o755),
        f"{data}/data/share/lavatest-data/hello.txt": "hello from the data scheme\n",
        f"{data}/headers/lavatest_data.h": "#define LAVATEST_DATA 1\n",
        f"{data}/purelib/lavatest_data_pure.py": 'WHERE = "purelib"\n',
        f"{data}/platlib/lavatest_data_plat.py": 'WHERE = "platlib"\n',
        "lavatest_data/sub/__init__.py": "",
        "lavatest_data/sub/mod.py": "VALUE = 42\n",
    }
    entry_points = ("[console_scripts]\nlavatest-data-cli = lavatest_data:main\n\n"
                    "[gui_scripts]\nlavatest-data-gui = lavatest_data:main\n")
    result = [Wheel("lavatest-data", "1.0.0", files=files, entry_points=entry_points,
                    module_source=module("lavatest-data", "1.0.0",
                                         "def main():\n    print(NAME)\n"))]
    for part in ("one", "two"):
        result.append(Wheel(
            f"lavatest-ns-{part}", "1.0.0", module_source=None, top_level="lavatest_ns",
            files={f"lavatest_ns/{part}/__init__.py": f'PART = "{part}"\n'}))
    return result


def project_page(project, files):
    links = "".join(
        f'<a href="../../packages/{html.escape(name)}#sha256={digest}">{html.escape(name)}</a><br/>\n'
        for name, digest in files)
    return ("<!DOCTYPE html>\n<html><head>"
            '<meta name="pypi:repository-version" content="1.0">'
            f"<title>Links for {project}</title></head>\n<body><h1>Links for {project}</h1>\n"
            f"{links}</body></html>\n")


def root_page(projects):
    links = "".join(f'<a href="{p}/">{p}</a><br/>\n' for p in projects)
    return ("<!DOCTYPE html>\n<html><head>"
            '<meta name="pypi:repository-version" content="1.0">'
            f"<title>Simple index</title></head>\n<body>\n{links}</body></html>\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("out", help="directory to (re)create")
    out = parser.parse_args().out

    shutil.rmtree(out, ignore_errors=True)
    packages = os.path.join(out, "packages")
    os.makedirs(packages)
    by_project = {}
    for wheel in wheels():
        path = write_wheel(wheel, packages)
        with open(path, "rb") as f:
            digest = hashlib.sha256(f.read()).hexdigest()
        normalized = re.sub(r"[-_.]+", "-", wheel.project).lower()
        by_project.setdefault(normalized, []).append((wheel.filename, digest))

    for project, files in by_project.items():
        os.makedirs(os.path.join(out, "simple", project))
        with open(os.path.join(out, "simple", project, "index.html"), "w") as f:
            f.write(project_page(project, sorted(files)))
    with open(os.path.join(out, "simple", "index.html"), "w") as f:
        f.write(root_page(sorted(by_project)))


if __name__ == "__main__":
    main()
