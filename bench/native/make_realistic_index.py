#!/usr/bin/python3
"""Synthetic wheels shaped like a data engineer's dependency set, and a PEP 503 index.

For bench/native/arm64_deps.sh. Nothing is downloaded: every wheel is generated here,
deterministically (fixed zip timestamps, every byte from a random.Random seeded with the
file's name), so the same script on the same host writes byte-identical wheels. The
wheels mimic the real ones in project name, version, dependency graph (Requires-Dist as
published, markers included), wheel tags, number and kind of files and size:

- .py files hold real Python source: whole top-level statements taken from the host's
  standard library (/usr/lib/python3.11/*.py, see --stdlib), so byte-compiling them (what
  pip does after installing, unless --no-compile) is real work. They sit in the body of one
  function per module, so every module can be imported (it defines that function). Every
  one is checked with compile() here.
- .pyi/.pyx/.pxd/.h/... files: text from the same source, not compiled by pip.
- .so files (extension modules and vendored libraries): pseudo-random bytes behind an
  ELF magic, about 30% incompressible, so they deflate about 3.4:1 like real shared
  objects; never imported.
- botocore's service models: generated JSON (operations, shapes, documentation), indented
  as botocore ships them; time zone files: TZif-like binaries.

Real figures modelled (cp311 wheels as published in early 2024, from memory of PyPI and
of unpacked wheels; rounded; the aarch64 wheels are usually a little smaller):

  numpy 1.26.4          x86_64 wheel ~18 MB, aarch64 ~14 MB; ~480 .py, ~300 .pyi, ~60 C
                        headers, ~40 extension modules (_multiarray_umath ~7.5 MB) and
                        numpy.libs/ (OpenBLAS ~35 MB on x86_64, ~22 MB on aarch64,
                        libgfortran ~2.7 MB); console script f2py
  pandas 2.2.1          wheel ~13 MB; ~1,450 .py (about 1,000 of them pandas/tests),
                        ~60 .pyi, ~44 extension modules under pandas/_libs (~29 MB)
  pyarrow 15.0.2        manylinux_2_28 wheels, ~38 MB x86_64, ~36 MB aarch64; ~250 .py,
                        ~90 .pyx/.pxd/.pxi, ~700 C++ headers under pyarrow/include,
                        libarrow.so.1500 ~58 MB, libarrow_flight ~21 MB, libparquet ~9.5 MB,
                        ~25 Cython modules (lib.cpython-311-*.so ~5 MB); modelled as
                        about 117 MB of shared objects unpacked
  botocore 1.34.69      pure, wheel ~12 MB; ~190 .py modules and ~1,800 JSON data files
                        (service-2, paginators-1, waiters-2, endpoint-rule-set-1,
                        examples-1 for ~400 services) under botocore/data, ~70 MB unpacked
  boto3 1.34.69         pure, ~140 KB; ~45 .py, ~60 resources-1.json
  s3transfer 0.10.1     pure, ~80 KB; ~20 .py
  jmespath 1.0.1        pure, ~20 KB; 7 .py
  python-dateutil 2.9.0.post0  pure, ~230 KB; ~22 .py and dateutil-zoneinfo.tar.gz (~160 KB)
  six 1.16.0            pure, ~11 KB; six.py (~34 KB)
  pytz 2024.1           pure, ~500 KB; ~8 .py and ~600 zoneinfo files
  tzdata 2024.1         pure, ~345 KB; ~600 zoneinfo files, one empty __init__.py per
                        directory (~22)
  requests 2.31.0       pure, ~63 KB; 18 .py
  urllib3 2.2.1         pure, ~120 KB; ~36 .py (2.2.0 and 1.26.18 also in the index: botocore
                        excludes 2.2.0, so the resolver has a choice to make)
  idna 3.6              pure, ~61 KB; 8 .py (uts46data.py ~200 KB)
  charset-normalizer 3.3.2  compiled (mypyc), ~140 KB; ~12 .py, md.*.so (~16 KB) and
                        md__mypyc.*.so (~270 KB); console script normalizer
  certifi 2024.2.2      pure, ~163 KB; 3 .py and cacert.pem (~290 KB)
  SQLAlchemy 2.0.28     compiled, ~3.2 MB; ~245 .py (~8.5 MB), 5 Cython modules (~3.7 MB)
  greenlet 3.0.3        compiled, ~600 KB; _greenlet.*.so (~1.2 MB), ~40 .py, ~60 C/C++
                        sources; x86_64 wheel tagged manylinux_2_24/manylinux_2_28, aarch64
                        manylinux_2_17/manylinux2014, as published
  psycopg2-binary 2.9.9 compiled, ~3 MB; ~10 .py, _psycopg.*.so and
                        psycopg2_binary.libs/ (libpq, OpenSSL, Kerberos, LDAP, SASL: ~9 MB)
  typing_extensions 4.10.0  pure, ~33 KB; typing_extensions.py (~130 KB)

Layout written under OUT (recreated):
  packages/<wheel files>
  simple/index.html, simple/<project>/index.html   links with #sha256= (PEP 503)
  summary.json                                      one entry per wheel (sizes, counts)
"""

import argparse
import ast
import base64
import collections
import glob
import hashlib
import html
import itertools
import json
import math
import os
import random
import re
import shutil
import sys
import zipfile

ZIP_DATE = (1980, 1, 1, 0, 0, 0)
KB = 1000
MB = 1000 * 1000
GENERATOR = "lava-docker-bench (bench/native/make_realistic_index.py)"

X86 = "x86_64"
ARM = "aarch64"
ARCHES = (X86, ARM)
TAG_2014 = {a: f"cp311-cp311-manylinux_2_17_{a}.manylinux2014_{a}" for a in ARCHES}
TAG_2_28 = {a: f"cp311-cp311-manylinux_2_28_{a}" for a in ARCHES}
TAG_GREENLET = {X86: "cp311-cp311-manylinux_2_24_x86_64.manylinux_2_28_x86_64",
                ARM: TAG_2014[ARM]}


class Group:
    """COUNT files of KIND named PATTERN ({w}: a word) spread over DIRS, TOTAL bytes in all
    (sizes log-normal, then scaled to the total)."""

    def __init__(self, kind, dirs, count, total, pattern="{w}.py", sigma=1.0):
        self.kind, self.dirs, self.count, self.total = kind, dirs, count, total
        self.pattern, self.sigma = pattern, sigma


class Files:
    """Files named explicitly: [(path, bytes), ...]; {so} in a path is the extension
    suffix (cpython-311-<arch>-linux-gnu), {arch} the machine."""

    def __init__(self, kind, files):
        self.kind, self.files = kind, files


class Project:
    def __init__(self, name, version, groups, requires=(), python=">=3.8", tags=None,
                 summary="", extras=(), scripts=(), arm_scale=1.0, top_level=None):
        self.name, self.version, self.groups = name, version, groups
        self.requires, self.python, self.tags = list(requires), python, tags
        self.summary, self.extras, self.scripts = summary, list(extras), list(scripts)
        self.arm_scale = arm_scale
        self.top_level = top_level or [re.sub(r"[-.]", "_", name).lower()]

    @property
    def dist(self):
        return re.sub(r"[-_.]+", "_", self.name)

    @property
    def normalized(self):
        return re.sub(r"[-_.]+", "-", self.name).lower()


def sub(root, names):
    return [root] + [f"{root}/{n}" for n in names]


def tests_of(dirs):
    return [f"{d}/tests" for d in dirs]


def projects():
    np_dirs = sub("numpy", ["core", "lib", "linalg", "fft", "random", "ma", "polynomial",
                            "f2py", "distutils", "distutils/command", "distutils/fcompiler",
                            "testing", "testing/_private", "typing", "array_api", "compat",
                            "matrixlib", "_typing", "_utils", "_pyinstaller", "doc"])
    pd_dirs = sub("pandas", ["core", "core/arrays", "core/arrays/arrow", "core/arrays/sparse",
                             "core/computation", "core/dtypes", "core/groupby", "core/indexes",
                             "core/internals", "core/interchange", "core/methods", "core/ops",
                             "core/reshape", "core/strings", "core/tools", "core/util",
                             "core/window", "core/array_algos", "io", "io/excel", "io/formats",
                             "io/json", "io/parsers", "io/sas", "io/clipboard", "plotting",
                             "plotting/_matplotlib", "tseries", "util", "util/version",
                             "compat", "compat/numpy", "api", "api/types", "arrays", "errors",
                             "_config", "_testing", "_libs", "_libs/tslibs", "_libs/window"])
    pd_tests = sub("pandas/tests", ["frame", "frame/methods", "frame/indexing", "series",
                                    "series/methods", "indexes", "indexes/datetimes",
                                    "indexes/multi", "indexing", "groupby", "groupby/aggregate",
                                    "io", "io/parser", "io/formats", "io/json", "io/excel",
                                    "io/pytables", "arithmetic", "arrays", "arrays/sparse",
                                    "dtypes", "extension", "extension/base", "reshape",
                                    "reshape/merge", "resample", "scalar", "scalar/timestamp",
                                    "tseries", "tseries/offsets", "tslibs", "window",
                                    "plotting", "strings", "tools", "util", "copy_view",
                                    "computation", "apply", "base", "internals"])
    pa_dirs = sub("pyarrow", ["interchange", "parquet", "vendored", "_compute_docstrings",
                              "tests", "tests/parquet", "tests/interchange"])
    bc_dirs = sub("botocore", ["retries", "crt", "docs", "docs/bcdoc", "vendored",
                              "vendored/requests", "vendored/requests/packages"])
    sa_dirs = sub("sqlalchemy", ["connectors", "cyextension", "dialects", "dialects/mssql",
                                 "dialects/mysql", "dialects/oracle", "dialects/postgresql",
                                 "dialects/sqlite", "engine", "event", "ext", "ext/asyncio",
                                 "ext/declarative", "ext/mypy", "future", "orm", "pool", "sql",
                                 "testing", "testing/fixtures", "testing/plugin",
                                 "testing/suite", "util"])
    zone_dirs = ["Africa", "America", "America/Argentina", "America/Indiana",
                 "America/Kentucky", "America/North_Dakota", "Antarctica", "Arctic", "Asia",
                 "Atlantic", "Australia", "Brazil", "Canada", "Chile", "Etc", "Europe",
                 "Indian", "Mexico", "Pacific", "US"]
    so = "{so}"
    numpy_ext = [("numpy/core/_multiarray_umath.%s.so" % so, 7_600 * KB),
                 ("numpy/core/_simd.%s.so" % so, 3_200 * KB),
                 ("numpy/random/_generator.%s.so" % so, 1_000 * KB),
                 ("numpy/random/mtrand.%s.so" % so, 800 * KB),
                 ("numpy/random/_bounded_integers.%s.so" % so, 400 * KB),
                 ("numpy/random/_common.%s.so" % so, 300 * KB),
                 ("numpy/random/bit_generator.%s.so" % so, 300 * KB),
                 ("numpy/linalg/_umath_linalg.%s.so" % so, 230 * KB),
                 ("numpy/fft/_pocketfft_internal.%s.so" % so, 100 * KB)]
    numpy_libs = [("numpy.libs/libopenblas64_p-r0-0cf96a72.3.23.dev.so", 35_000 * KB),
                  ("numpy.libs/libgfortran-040039e1.so.5.0.0", 2_700 * KB),
                  ("numpy.libs/libquadmath-96973f99.so.0.0.0", 250 * KB)]
    pyarrow_libs = [("pyarrow/libarrow.so.1500", 58_000 * KB),
                    ("pyarrow/libarrow_flight.so.1500", 21_000 * KB),
                    ("pyarrow/libparquet.so.1500", 9_500 * KB),
                    ("pyarrow/libarrow_substrait.so.1500", 5_000 * KB),
                    ("pyarrow/libarrow_dataset.so.1500", 3_000 * KB),
                    ("pyarrow/libarrow_python.so.1500", 2_900 * KB),
                    ("pyarrow/libarrow_acero.so.1500", 2_000 * KB),
                    ("pyarrow/libarrow_python_flight.so.1500", 150 * KB),
                    ("pyarrow/libarrow_python_parquet_encryption.so.1500", 100 * KB),
                    ("pyarrow/lib.%s.so" % so, 5_100 * KB),
                    ("pyarrow/_compute.%s.so" % so, 1_600 * KB),
                    ("pyarrow/_dataset.%s.so" % so, 1_300 * KB),
                    ("pyarrow/_flight.%s.so" % so, 1_300 * KB)]
    psycopg_libs = [("psycopg2/_psycopg.%s.so" % so, 330 * KB),
                    ("psycopg2_binary.libs/libcrypto-0c9dd3b4.so.3", 4_500 * KB),
                    ("psycopg2_binary.libs/libssl-3e69114b.so.3", 1_000 * KB),
                    ("psycopg2_binary.libs/libkrb5-fcafa220.so.3.3", 950 * KB),
                    ("psycopg2_binary.libs/libpcre-9513aab5.so.1.2.0", 500 * KB),
                    ("psycopg2_binary.libs/libgssapi_krb5-497db0c6.so.2.2", 400 * KB),
                    ("psycopg2_binary.libs/libldap_r-2-4-c9f7e3a5.so.2.10.10", 380 * KB),
                    ("psycopg2_binary.libs/libpq-e8a033dd.so.5.16", 350 * KB),
                    ("psycopg2_binary.libs/libk5crypto-b1f99d5c.so.3.1", 220 * KB),
                    ("psycopg2_binary.libs/libselinux-0922c95c.so.1", 200 * KB),
                    ("psycopg2_binary.libs/libsasl2-883649fd.so.3.0.0", 150 * KB),
                    ("psycopg2_binary.libs/libkrb5support-d0bcff84.so.0.1", 80 * KB),
                    ("psycopg2_binary.libs/liblber-2-4-d5d8f6b9.so.2.10.10", 70 * KB),
                    ("psycopg2_binary.libs/libcom_err-2abe824b.so.2.1", 20 * KB),
                    ("psycopg2_binary.libs/libkeyutils-dfe70bd6.so.1.5", 20 * KB)]
    urllib3_2 = [Group("py", sub("urllib3", ["contrib", "contrib/emscripten", "http2", "util"]),
                       35, 450 * KB),
                 Files("text", [("urllib3/contrib/emscripten/emscripten_fetch_worker.js", 3_600),
                                ("urllib3/py.typed", 93)])]
    return [
        Project("numpy", "1.26.4", python=">=3.9", tags=TAG_2014, arm_scale=0.66,
                summary="Fundamental package for array computing in Python",
                scripts=["f2py = numpy.f2py.f2py2e:main"],
                groups=[Group("py", np_dirs + tests_of(np_dirs[:12]), 480, 6_000 * KB),
                        Group("text", np_dirs[:10], 300, 1_200 * KB, "{w}.pyi", 0.8),
                        Group("text", ["numpy/core/include/numpy", "numpy/core/include/numpy/random"],
                              60, 800 * KB, "{w}.h"),
                        Group("text", ["numpy/core/tests/data", "numpy/lib/tests/data",
                                       "numpy/f2py/src", "numpy/f2py/tests/src"],
                              110, 1_500 * KB, "{w}.txt"),
                        Group("raw", ["numpy/lib/tests/data", "numpy/random/tests/data"],
                              20, 300 * KB, "{w}.npy"),
                        Files("so", numpy_ext),
                        Group("so", ["numpy/core", "numpy/random", "numpy/linalg"], 29,
                              1_200 * KB, "_{w}.%s.so" % so),
                        Files("so", numpy_libs)]),
        Project("pandas", "2.2.1", python=">=3.9", tags=TAG_2014, arm_scale=0.95,
                summary="Powerful data structures for data analysis, time series, and statistics",
                requires=['numpy<2,>=1.22.4; python_version < "3.11"',
                          'numpy<2,>=1.23.2; python_version == "3.11"',
                          'numpy<2,>=1.26.0; python_version >= "3.12"',
                          "python-dateutil>=2.8.2", "pytz>=2020.1", "tzdata>=2022.7",
                          'pyarrow>=10.0.1; extra == "parquet"',
                          'SQLAlchemy>=2.0.0; extra == "sql-other"',
                          'psycopg2>=2.9.6; extra == "postgresql"',
                          'boto3>=1.26.0; extra == "aws"'],
                extras=["parquet", "sql-other", "postgresql", "aws"],
                groups=[Group("py", pd_dirs, 450, 9_500 * KB),
                        Group("py", pd_tests, 1_000, 7_500 * KB, "test_{w}.py"),
                        Group("text", ["pandas/_libs", "pandas/_libs/tslibs", "pandas/_libs/window"],
                              60, 400 * KB, "{w}.pyi", 0.8),
                        Group("text", ["pandas/io/formats/templates", "pandas/tests/io/data"],
                              40, 500 * KB, "{w}.tpl"),
                        Group("so", ["pandas/_libs", "pandas/_libs/tslibs", "pandas/_libs/window"],
                              44, 29_000 * KB, "{w}.%s.so" % so, 0.9)]),
        Project("pyarrow", "15.0.2", tags=TAG_2_28, arm_scale=0.94,
                summary="Python library for Apache Arrow",
                requires=["numpy<2,>=1.16.6"],
                groups=[Group("py", pa_dirs, 250, 3_600 * KB),
                        Group("text", ["pyarrow", "pyarrow/includes"], 90, 3_000 * KB,
                              "{w}.pxd"),
                        Group("text", ["pyarrow/include/arrow", "pyarrow/include/arrow/array",
                                       "pyarrow/include/arrow/compute", "pyarrow/include/arrow/io",
                                       "pyarrow/include/arrow/util", "pyarrow/include/arrow/ipc",
                                       "pyarrow/include/arrow/dataset", "pyarrow/include/arrow/flight",
                                       "pyarrow/include/arrow/acero", "pyarrow/include/arrow/filesystem",
                                       "pyarrow/include/arrow/vendored", "pyarrow/include/parquet",
                                       "pyarrow/include/arrow/python"],
                              700, 5_500 * KB, "{w}.h"),
                        Group("text", ["pyarrow/src/arrow/python"], 80, 1_000 * KB, "{w}.cc"),
                        Files("so", pyarrow_libs),
                        Group("so", ["pyarrow"], 21, 6_500 * KB, "_{w}.%s.so" % so)]),
        Project("botocore", "1.34.69", summary="Low-level, data-driven core of boto 3.",
                requires=["jmespath<2.0.0,>=0.7.1", "python-dateutil<3.0.0,>=2.1",
                          'urllib3<1.27,>=1.25.4; python_version < "3.10"',
                          'urllib3!=2.2.0,<3,>=1.25.4; python_version >= "3.10"',
                          'awscrt==0.19.19; extra == "crt"'],
                extras=["crt"],
                groups=[Group("py", bc_dirs, 190, 2_800 * KB),
                        Files("text", [("botocore/cacert.pem", 290 * KB)]),
                        Group("json", ["botocore/data"], 1_800, 70_000 * KB, "", 1.3)]),
        Project("boto3", "1.34.69", summary="The AWS SDK for Python",
                requires=["botocore<1.35.0,>=1.34.69", "jmespath<2.0.0,>=0.7.1",
                          "s3transfer<0.11.0,>=0.10.0", 'botocore[crt]<2.0a0,>=1.21.0; extra == "crt"'],
                extras=["crt"],
                groups=[Group("py", sub("boto3", ["docs", "dynamodb", "ec2", "resources", "s3"]),
                              45, 350 * KB),
                        Group("json", ["boto3/data"], 60, 300 * KB, "resources-1.json", 1.0),
                        Group("text", ["boto3/examples"], 10, 30 * KB, "{w}.rst")]),
        Project("s3transfer", "0.10.1", summary="An Amazon S3 Transfer Manager",
                requires=["botocore<2.0a.0,>=1.33.2",
                          'botocore[crt]<2.0a.0,>=1.33.2; extra == "crt"'],
                extras=["crt"],
                groups=[Group("py", ["s3transfer"], 20, 330 * KB)]),
        Project("jmespath", "1.0.1", python=">=3.7", summary="JSON Matching Expressions",
                groups=[Group("py", ["jmespath"], 7, 70 * KB)]),
        Project("python-dateutil", "2.9.0.post0", python="!=3.0.*,!=3.1.*,!=3.2.*,>=2.7",
                summary="Extensions to the standard Python datetime module",
                requires=["six>=1.5"], top_level=["dateutil"],
                groups=[Group("py", sub("dateutil", ["parser", "tz", "zoneinfo"]), 22, 450 * KB),
                        Files("raw", [("dateutil/zoneinfo/dateutil-zoneinfo.tar.gz", 156 * KB)])]),
        Project("six", "1.16.0", python=">=2.7, !=3.0.*, !=3.1.*, !=3.2.*",
                summary="Python 2 and 3 compatibility utilities",
                groups=[Files("py", [("six.py", 34 * KB)])]),
        Project("pytz", "2024.1", summary="World timezone definitions, modern and historical",
                groups=[Group("py", ["pytz"], 8, 100 * KB),
                        Group("tz", ["pytz/zoneinfo"] + [f"pytz/zoneinfo/{d}" for d in zone_dirs],
                              595, 1_300 * KB, "{W}", 0.6),
                        Files("text", [("pytz/zoneinfo/zone.tab", 19 * KB),
                                       ("pytz/zoneinfo/iso3166.tab", 4 * KB),
                                       ("pytz/zoneinfo/tzdata.zi", 110 * KB)])]),
        Project("tzdata", "2024.1", python=">=2", summary="Provider of IANA time zone data",
                groups=[Files("py", [("tzdata/__init__.py", 250), ("tzdata/zoneinfo/__init__.py", 0)]
                              + [(f"tzdata/zoneinfo/{d}/__init__.py", 0) for d in zone_dirs]),
                        Group("tz", ["tzdata/zoneinfo"] + [f"tzdata/zoneinfo/{d}" for d in zone_dirs],
                              597, 800 * KB, "{W}", 0.6),
                        Files("text", [("tzdata/zones", 8 * KB), ("tzdata/zoneinfo/tzdata.zi", 110 * KB),
                                       ("tzdata/zoneinfo/zone.tab", 19 * KB),
                                       ("tzdata/zoneinfo/iso3166.tab", 4 * KB)])]),
        Project("requests", "2.31.0", python=">=3.7", summary="Python HTTP for Humans.",
                requires=["charset-normalizer<4,>=2", "idna<4,>=2.5", "urllib3<3,>=1.21.1",
                          "certifi>=2017.4.17", 'PySocks!=1.5.7,>=1.5.6; extra == "socks"',
                          'chardet<6,>=3.0.2; extra == "use_chardet_on_py3"'],
                extras=["socks", "use_chardet_on_py3"],
                groups=[Group("py", ["requests"], 18, 230 * KB)]),
        Project("urllib3", "2.2.1", summary="HTTP library with thread-safe connection pooling",
                requires=['brotli>=1.0.9; platform_python_implementation == "CPython" and extra == "brotli"',
                          'h2<5,>=4; extra == "h2"', 'pysocks!=1.5.7,<2.0,>=1.5.6; extra == "socks"',
                          'zstandard>=0.18.0; extra == "zstd"'],
                extras=["brotli", "h2", "socks", "zstd"], groups=urllib3_2),
        Project("urllib3", "2.2.0", summary="HTTP library with thread-safe connection pooling",
                groups=urllib3_2),
        Project("urllib3", "1.26.18", python=">=2.7, !=3.0.*, !=3.1.*, !=3.2.*, !=3.3.*, !=3.4.*, !=3.5.*",
                summary="HTTP library with thread-safe connection pooling, file post, and more.",
                groups=[Group("py", sub("urllib3", ["contrib", "contrib/_securetransport",
                                                    "packages", "packages/backports", "util"]),
                              40, 550 * KB)]),
        Project("idna", "3.6", python=">=3.5", summary="Internationalized Domain Names in Applications (IDNA)",
                groups=[Files("py", [("idna/uts46data.py", 206 * KB), ("idna/idnadata.py", 44 * KB),
                                     ("idna/core.py", 13 * KB), ("idna/codec.py", 3 * KB),
                                     ("idna/compat.py", 300), ("idna/intranges.py", 2 * KB),
                                     ("idna/package_data.py", 21), ("idna/__init__.py", 850)]),
                        Files("text", [("idna/py.typed", 0)])]),
        Project("charset-normalizer", "3.3.2", python=">=3.7.0", tags=TAG_2014,
                summary="The Real First Universal Charset Detector.",
                requires=['unicodedata2; extra == "unicode_backport"'], extras=["unicode_backport"],
                scripts=["normalizer = charset_normalizer.cli:cli_detect"],
                groups=[Group("py", sub("charset_normalizer", ["cli"]), 12, 140 * KB),
                        Files("so", [("charset_normalizer/md.%s.so" % so, 16 * KB),
                                     ("charset_normalizer/md__mypyc.%s.so" % so, 270 * KB)])]),
        Project("certifi", "2024.2.2", python=">=3.6", summary="Python package for providing Mozilla's CA Bundle.",
                groups=[Files("py", [("certifi/__init__.py", 94), ("certifi/__main__.py", 243),
                                     ("certifi/core.py", 4_300)]),
                        Files("pem", [("certifi/cacert.pem", 292 * KB)]),
                        Files("text", [("certifi/py.typed", 0)])]),
        Project("SQLAlchemy", "2.0.28", python=">=3.7", tags=TAG_2014,
                summary="Database Abstraction Library", top_level=["sqlalchemy"],
                requires=["typing-extensions>=4.6.0",
                          'greenlet!=0.4.17; platform_machine == "aarch64" or (platform_machine == "ppc64le" or '
                          '(platform_machine == "x86_64" or (platform_machine == "amd64" or (platform_machine == '
                          '"AMD64" or (platform_machine == "win32" or platform_machine == "WIN32")))))',
                          'greenlet!=0.4.17; extra == "asyncio"',
                          'psycopg2>=2.7; extra == "postgresql"',
                          'psycopg2-binary; extra == "postgresql-psycopg2binary"'],
                extras=["asyncio", "postgresql", "postgresql-psycopg2binary"],
                groups=[Group("py", sa_dirs, 245, 8_500 * KB),
                        Files("so", [("sqlalchemy/cyextension/collections.%s.so" % so, 1_600 * KB),
                                     ("sqlalchemy/cyextension/immutabledict.%s.so" % so, 600 * KB),
                                     ("sqlalchemy/cyextension/util.%s.so" % so, 550 * KB),
                                     ("sqlalchemy/cyextension/resultproxy.%s.so" % so, 500 * KB),
                                     ("sqlalchemy/cyextension/processors.%s.so" % so, 450 * KB)]),
                        Group("text", ["sqlalchemy/cyextension"], 5, 60 * KB, "{w}.pyx"),
                        Files("text", [("sqlalchemy/py.typed", 0)])]),
        Project("greenlet", "3.0.3", python=">=3.7", tags=TAG_GREENLET,
                summary="Lightweight in-process concurrent programming",
                requires=['Sphinx; extra == "docs"', 'objgraph; extra == "test"', 'psutil; extra == "test"'],
                extras=["docs", "test"],
                groups=[Files("so", [("greenlet/_greenlet.%s.so" % so, 1_200 * KB)]),
                        Group("py", sub("greenlet", ["platform", "tests"]), 40, 200 * KB),
                        Group("text", ["greenlet", "greenlet/platform"], 60, 500 * KB, "{w}.hpp")]),
        Project("psycopg2-binary", "2.9.9", python=">=3.7", tags=TAG_2014, top_level=["psycopg2"],
                summary="psycopg2 - Python-PostgreSQL Database Adapter",
                groups=[Group("py", ["psycopg2"], 10, 170 * KB), Files("so", psycopg_libs)]),
        Project("typing_extensions", "4.10.0", summary="Backported and Experimental Type Hints for Python 3.8+",
                groups=[Files("py", [("typing_extensions.py", 130 * KB)])]),
    ]


# ---------------------------------------------------------------------------------------
# Content


class Source:
    """Whole top-level statements of the standard library's modules, in a ring."""

    def __init__(self, stdlib):
        self.blocks = []
        words = collections.Counter()
        files = sorted(glob.glob(os.path.join(stdlib, "*.py")))
        if not files:
            sys.exit(f"make_realistic_index: no *.py under {stdlib}")
        for path in files:
            with open(path, encoding="utf-8") as f:
                text = f.read()
            words.update(re.findall(r"\b[a-z][a-z0-9]{2,11}\b", text))
            try:
                tree = ast.parse(text, path)
            except SyntaxError:
                continue
            lines = text.splitlines(keepends=True)
            starts = []
            for node in tree.body:
                if (isinstance(node, ast.ImportFrom) and node.module == "__future__") or any(
                        isinstance(n, ast.ImportFrom) and any(a.name == "*" for a in n.names)
                        for n in ast.walk(node)):
                    starts.append((node.lineno, None))  # dropped with its lines: a module's
                    continue  # body goes in a function, where neither is allowed
                first = min([node.lineno] + [d.lineno for d in getattr(node, "decorator_list", [])])
                starts.append((first, node))
            for i, (line, node) in enumerate(starts):
                if i + 1 < len(starts) and starts[i + 1][0] == line:
                    continue  # two statements on one line: keep them with the later one
                if node is None:
                    continue
                end = starts[i + 1][0] if i + 1 < len(starts) else len(lines) + 1
                begin = 1 if i == 0 else line
                block = "".join(lines[begin - 1:end - 1])
                if not block.endswith("\n"):
                    block += "\n"
                self.blocks.append(block)
        self.sizes = [len(b.encode()) for b in self.blocks]
        # Words by frequency: a Zipf-like vocabulary for generated text.
        self.words = [w for w, _ in sorted(words.items(), key=lambda kv: (-kv[1], kv[0]))][:6000]
        weights = [1.0 / (r + 1) for r in range(len(self.words))]
        self.cum = list(itertools.accumulate(weights))

    def python(self, rng, size):
        """Consecutive whole statements from a random place: about SIZE bytes."""
        if size <= 0:
            return ""
        n = len(self.blocks)
        i = rng.randrange(n)
        for _ in range(20):  # start on a statement that fits, when one is found soon
            if self.sizes[i] <= size * 1.15:
                break
            i = rng.randrange(n)
        out, total, skipped = [], 0, 0
        while total < size and skipped < n:
            if out and total + self.sizes[i] > size * 1.15:
                if total >= size * 0.85:
                    break
                skipped += 1  # too big for what is left: try the next one
            else:
                out.append(self.blocks[i])
                total += self.sizes[i]
            i = (i + 1) % n
        return "".join(out)

    def sentence(self, rng, n):
        return " ".join(rng.choices(self.words, cum_weights=self.cum, k=n))


def so_bytes(rng, size):
    """ELF magic, then 4 KiB blocks of 1,200 random bytes and 2,896 bytes of a short
    repeating pattern: deflates about 3.4:1, like a real shared object."""
    head = b"\x7fELF\x02\x01\x01" + bytes(57)
    body = size - len(head)
    if body <= 0:
        return head[:size]
    blocks = (body + 4095) // 4096
    rnd = rng.randbytes(blocks * 1200)
    pad = (bytes(range(0, 256, 4)) * 46)[:2896]
    out = bytearray(head)
    for b in range(blocks):
        out += rnd[b * 1200:(b + 1) * 1200]
        out += pad
    return bytes(out[:size])


def tz_bytes(rng, size):
    """TZif-like: header, then a quarter random, the rest repeated transition-like bytes."""
    head = b"TZif2" + bytes(15)
    out = bytearray(head)
    while len(out) < size:
        out += rng.randbytes(4) + b"\x00\x00\x0e\x10\x01\x04\x00\x00\x00\x00\x1c\x20"
    return bytes(out[:size])


def pem_text(rng, size):
    out = []
    total = 0
    n = 0
    while total < size:
        n += 1
        body = base64.encodebytes(rng.randbytes(900)).decode()
        cert = (f"\n# Issuer: CN=Synthetic Root CA {n} O=lava-docker bench\n"
                f"# Label: \"Synthetic Root CA {n}\"\n-----BEGIN CERTIFICATE-----\n"
                f"{body}-----END CERTIFICATE-----\n")
        out.append(cert)
        total += len(cert)
    return "".join(out)[:size]


def service_json(src, rng, size, name):
    """A botocore-like service model of about SIZE bytes, indented by 2 as botocore's are."""
    def word():
        return src.words[min(int(rng.paretovariate(1.2)) - 1, len(src.words) - 1)]

    def camel(n):
        return "".join(word().capitalize() for _ in range(n))

    def doc(n):  # botocore's documentation strings repeat a lot of phrasing
        if rng.random() < 0.5:
            return "<p>The " + " ".join(word() for _ in range(n)) + ".</p>"
        return "<p>" + src.sentence(rng, n) + "</p>"

    ops, shapes = {}, {}
    model = {"version": "2.0",
             "metadata": {"apiVersion": "2024-01-01", "endpointPrefix": name,
                          "jsonVersion": "1.1", "protocol": rng.choice(["json", "rest-json", "query", "rest-xml"]),
                          "serviceFullName": "Synthetic " + camel(2), "serviceId": name,
                          "signatureVersion": "v4", "uid": f"{name}-2024-01-01"},
             "operations": ops, "shapes": shapes}
    total = 400
    while total < size:
        op = camel(rng.randint(2, 3))
        while op in ops:
            op += camel(1)
        inp, outp = op + "Request", op + "Response"
        ops[op] = {"name": op, "http": {"method": rng.choice(["POST", "GET", "PUT", "DELETE"]),
                                        "requestUri": "/"},
                   "input": {"shape": inp}, "output": {"shape": outp},
                   "errors": [{"shape": camel(1) + "Exception"} for _ in range(rng.randint(1, 5))],
                   "documentation": doc(rng.randint(10, 60))}
        for shape in (inp, outp):
            members = {}
            for _ in range(rng.randint(1, 8)):
                members[camel(rng.randint(1, 2))] = {
                    "shape": rng.choice(["String", "Integer", "Boolean", "Timestamp", camel(1) + "List"]),
                    "documentation": doc(rng.randint(5, 40))}
            shapes[shape] = {"type": "structure", "required": list(members)[:rng.randint(0, 2)],
                             "members": members}
        # indented 4 deeper in the model: about 15% more than alone
        total += (len(json.dumps(ops[op], indent=2)) + sum(
            len(json.dumps(shapes[s], indent=2)) for s in (inp, outp))) * 1.15
    return json.dumps(model, indent=2)


def rule_set_json(rng, size, name):
    """A botocore-like endpoint rule set: deeply nested, very repetitive conditions."""
    def condition():
        ref = rng.choice(["UseFIPS", "UseDualStack", "Endpoint", "Region", "PartitionResult"])
        fn = rng.choice(["booleanEquals", "isSet", "stringEquals", "aws.partition", "getAttr"])
        return {"fn": fn, "argv": [{"ref": ref}, rng.choice([True, False, "aws-global", "supportsFIPS"])]}

    def rule(depth):
        conds = [condition() for _ in range(rng.randint(1, 3))]
        if depth > 3 or rng.random() < 0.4:
            return {"conditions": conds, "endpoint": {
                "url": "https://%s%s.{Region}.{PartitionResult#%s}" % (
                    name, rng.choice(["", "-fips", ".dualstack"]), rng.choice(["dnsSuffix", "dualStackDnsSuffix"])),
                "properties": {}, "headers": {}}, "type": "endpoint"}
        return {"conditions": conds, "rules": [rule(depth + 1) for _ in range(rng.randint(1, 3))],
                "type": "tree"}

    rules, total = [], 300
    while total < size:
        r = rule(0)
        rules.append(r)
        total += len(json.dumps(r, indent=2)) + 2 * len(json.dumps(r)) // 3
    return json.dumps({"version": "1.0", "parameters": {
        "Region": {"builtIn": "AWS::Region", "required": False, "documentation": "The AWS region used to dispatch the request.", "type": "String"},
        "UseFIPS": {"builtIn": "AWS::UseFIPS", "required": True, "default": False, "type": "Boolean"}},
        "rules": rules}, indent=2)


def data_json(src, rng, size):
    """Paginators, waiters, examples, boto3 resources: small, regular JSON."""
    items, total = {}, 0
    while total < size:
        k = "".join(w.capitalize() for w in rng.sample(WORDS[:400], 2))
        v = {"input_token": "NextToken", "output_token": "NextToken", "limit_key": "MaxResults",
             "result_key": k[:len(k) // 2] + "s",
             "description": src.sentence(rng, rng.randint(3, 12))}
        items[k] = v
        total += len(json.dumps(v, indent=2)) + len(k) + 8
    return json.dumps({"version": "1.0", "pagination": items}, indent=2)


# ---------------------------------------------------------------------------------------
# Wheels


def record_hash(data):
    return "sha256=" + base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()


def sizes_for(rng, count, total, sigma):
    raw = [math.exp(rng.gauss(0.0, sigma)) for _ in range(count)]
    scale = total / sum(raw)
    return [max(1, int(r * scale)) for r in raw]


# name, relative size, share of services that have it
BOTO_FILES = [("service-2.json", 1.0, 1.0), ("endpoint-rule-set-1.json", 0.35, 1.0),
              ("examples-1.json", 0.1, 0.6), ("paginators-1.json", 0.04, 0.8),
              ("waiters-2.json", 0.04, 0.4)]


def plan(project, arch):
    """(path, kind, size) of every file in PROJECT's wheel for ARCH (None: pure)."""
    files, seen = [], set()
    so_suffix = f"cpython-311-{arch}-linux-gnu" if arch else ""
    scale = project.arm_scale if arch == ARM else 1.0
    seed = f"{project.name}-{project.version}"

    def add(path, kind, size):
        if kind == "so":
            size = int(size * scale)
        if path not in seen:
            seen.add(path)
            files.append((path, kind, size))

    for gi, g in enumerate(project.groups):
        if isinstance(g, Files):
            for path, size in g.files:
                add(path.format(so=so_suffix, arch=arch), g.kind, size)
            continue
        rng = random.Random(f"{seed}-group{gi}")
        sizes = sizes_for(rng, g.count, g.total, g.sigma)
        if g.kind == "json" and g.pattern == "":
            # botocore/data/<service>/<api-version>/<file>: every service has a model and
            # an endpoint rule set; most have examples and paginators, fewer have waiters.
            entries = []
            for s in range(round(g.count / 3.8)):
                svc = f"{rng.choice(WORDS)}{rng.choice(WORDS)}"
                for name, weight, share in BOTO_FILES:
                    if rng.random() < share:
                        entries.append((f"{g.dirs[0]}/{svc}/2024-01-01/{name}",
                                        weight * math.exp(rng.gauss(0.0, g.sigma))))
            scale = g.total / sum(w for _, w in entries)
            for path, w in entries:
                add(path, g.kind, max(200, int(w * scale)))
            continue
        for size in sizes:
            d = g.dirs[rng.randrange(len(g.dirs))]
            for _ in range(1000):
                w = rng.choice(WORDS)
                name = g.pattern.format(w=w, W=w.capitalize() + rng.choice(["", "_" + rng.choice(WORDS).capitalize()]),
                                        so=so_suffix)
                if g.kind == "json" and g.pattern == "resources-1.json":
                    name = f"{w}/2015-04-01/{name}"
                path = f"{d}/{name}"
                if path not in seen:
                    break
            add(path, g.kind, size)
    # Every directory holding Python modules is a package (and so are its parents).
    pkgs = set()
    for path, kind, _ in files:
        if kind == "py" and "/" in path:
            parts = path.split("/")[:-1]
            for i in range(1, len(parts) + 1):
                pkgs.add("/".join(parts[:i]))
    for d in sorted(pkgs):
        if f"{d}/__init__.py" not in seen:
            add(f"{d}/__init__.py", "py", random.Random(f"{seed}-{d}").choice([0, 300, 1_500, 4_000]))
    return files


def content(src, project, path, kind, size, arch):
    # Text and Python are the same on every architecture; binaries are not.
    rng = random.Random(f"{project.name}-{project.version}-{path}" + (f"-{arch}" if kind in ("so",) else ""))
    if kind == "py":
        if size == 0:
            return b""
        # In one function's body: importing the module (a job's start, bench/native/job_start.sh)
        # defines that function and runs none of the statements out of their context, while
        # byte-compiling them is the same work as at the top level.
        head = (f"# {path}: synthetic module for the lava-docker arm64 benchmark (statements from "
                "CPython's standard library)\ndef _synthetic_module():\n")
        body = src.python(rng, size - len(head))
        return (head + "".join(" " + line if line.strip() else line
                               for line in body.splitlines(keepends=True)) + " pass\n").encode()
    if kind == "text":
        if size == 0:
            return b""
        if path.endswith((".h", ".hpp", ".cc", ".c", ".js")):
            text = "/* " + path + ": synthetic */\n/*\n" + src.python(rng, size).replace("*/", "* /") + "*/\n"
        else:
            text = src.python(rng, size)
        return text.encode()
    if kind == "json":
        if path.endswith("service-2.json"):
            return service_json(src, rng, size, path.split("/")[-3]).encode()
        if path.endswith("endpoint-rule-set-1.json"):
            return rule_set_json(rng, size, path.split("/")[-3]).encode()
        return data_json(src, rng, size).encode()
    if kind == "so":
        return so_bytes(rng, size)
    if kind == "tz":
        return tz_bytes(rng, size)
    if kind == "pem":
        return pem_text(rng, size).encode()
    if kind == "raw":
        return rng.randbytes(size)
    raise ValueError(kind)


def metadata(project, src):
    rng = random.Random(f"{project.name}-{project.version}-METADATA")
    lines = ["Metadata-Version: 2.1", f"Name: {project.name}", f"Version: {project.version}",
             f"Summary: {project.summary}",
             f"Home-page: https://example.invalid/{project.normalized}",
             "License: synthetic (lava-docker benchmark)",
             "Classifier: Programming Language :: Python :: 3",
             "Classifier: Programming Language :: Python :: 3.11",
             f"Requires-Python: {project.python}",
             "Description-Content-Type: text/markdown"]
    lines += [f"Requires-Dist: {r}" for r in project.requires]
    lines += [f"Provides-Extra: {e}" for e in project.extras]
    body = "\n\n".join(src.sentence(rng, 60) for _ in range(rng.randint(3, 12)))
    return "\n".join(lines) + f"\n\n# {project.name}\n\n{project.summary}\n\n{body}\n"


def write_wheel(src, project, arch, directory):
    tag = project.tags[arch] if arch else "py3-none-any"
    filename = f"{project.dist}-{project.version}-{tag}.whl"
    info = f"{project.dist}-{project.version}.dist-info"
    wheel_tags = []
    pyt, abit, platt = tag.split("-")
    for p in platt.split("."):
        wheel_tags.append(f"{pyt}-{abit}-{p}")
    stats = {"project": project.normalized, "name": project.name, "version": project.version,
             "filename": filename, "arch": arch or "any", "files": 0, "unpacked": 0,
             "py_files": 0, "py_bytes": 0, "so_bytes": 0}
    record = []
    path = os.path.join(directory, filename)

    def put(zf, name, data):
        entry = zipfile.ZipInfo(name, ZIP_DATE)
        entry.external_attr = 0o644 << 16
        entry.compress_type = zipfile.ZIP_DEFLATED
        zf.writestr(entry, data)
        stats["files"] += 1
        stats["unpacked"] += len(data)
        record.append(f"{name},{record_hash(data)},{len(data)}")

    with zipfile.ZipFile(path + ".tmp", "w", zipfile.ZIP_DEFLATED) as zf:
        for name, kind, size in plan(project, arch):
            data = content(src, project, name, kind, size, arch)
            if kind == "py":
                digest = hashlib.sha256(data).digest()
                if digest not in COMPILED:  # a SyntaxError stops the script
                    compile(data, name, "exec", dont_inherit=True)
                    COMPILED.add(digest)
                stats["py_files"] += 1
                stats["py_bytes"] += len(data)
            if kind == "so":
                stats["so_bytes"] += len(data)
            put(zf, name, data)
        put(zf, f"{info}/METADATA", metadata(project, src).encode())
        put(zf, f"{info}/WHEEL", ("Wheel-Version: 1.0\n" f"Generator: {GENERATOR}\n"
                                  f"Root-Is-Purelib: {'false' if arch else 'true'}\n"
                                  + "".join(f"Tag: {t}\n" for t in wheel_tags)).encode())
        put(zf, f"{info}/top_level.txt", "".join(t + "\n" for t in project.top_level).encode())
        if project.scripts:
            put(zf, f"{info}/entry_points.txt",
                ("[console_scripts]\n" + "".join(s + "\n" for s in project.scripts)).encode())
        put(zf, f"{info}/LICENSE.txt",
            ("Synthetic licence text for the lava-docker benchmark.\n\n"
             + src.sentence(random.Random(project.name + "-license"), 250) + "\n").encode())
        entry = zipfile.ZipInfo(f"{info}/RECORD", ZIP_DATE)
        entry.external_attr = 0o644 << 16
        entry.compress_type = zipfile.ZIP_DEFLATED
        record.append(f"{info}/RECORD,,")
        data = ("\n".join(record) + "\n").encode()
        zf.writestr(entry, data)
        stats["files"] += 1
        stats["unpacked"] += len(data)
    os.replace(path + ".tmp", path)
    with open(path, "rb") as f:
        blob = f.read()
    stats["size"] = len(blob)
    stats["sha256"] = hashlib.sha256(blob).hexdigest()
    return stats


def project_page(project, wheels):
    links = "".join(
        f'<a href="../../packages/{html.escape(w["filename"])}#sha256={w["sha256"]}"'
        f' data-requires-python="{html.escape(w["requires_python"])}">{html.escape(w["filename"])}</a><br/>\n'
        for w in wheels)
    return ("<!DOCTYPE html>\n<html><head>"
            '<meta name="pypi:repository-version" content="1.0">'
            f"<title>Links for {project}</title></head>\n<body><h1>Links for {project}</h1>\n"
            f"{links}</body></html>\n")


WORDS = []
COMPILED = set()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out", help="directory to (re)create")
    parser.add_argument("--stdlib", default="/usr/lib/python3.11",
                        help="where the *.py taken as content are (default: %(default)s)")
    parser.add_argument("-q", "--quiet", action="store_true")
    args = parser.parse_args()

    src = Source(args.stdlib)
    WORDS[:] = [w for w in src.words if len(w) >= 4][:3000]
    shutil.rmtree(args.out, ignore_errors=True)
    packages = os.path.join(args.out, "packages")
    os.makedirs(packages)
    latest = {}
    for p in projects():
        key = p.normalized
        if key not in latest:
            latest[key] = p.version  # projects() lists the newest version first
    summary = []
    for p in projects():
        for arch in (ARCHES if p.tags else (None,)):
            stats = write_wheel(src, p, arch, packages)
            stats["requires_python"] = p.python
            stats["latest"] = latest[p.normalized] == p.version
            summary.append(stats)
            if not args.quiet:
                print(f"{stats['filename']:<80} {stats['size'] / MB:7.2f} MB  {stats['files']:5d} files"
                      f"  {stats['unpacked'] / MB:7.1f} MB unpacked  {stats['py_files']:5d} .py", flush=True)
    by_project = collections.defaultdict(list)
    for w in summary:
        by_project[w["project"]].append(w)
    for project, wheels in sorted(by_project.items()):
        os.makedirs(os.path.join(args.out, "simple", project))
        with open(os.path.join(args.out, "simple", project, "index.html"), "w") as f:
            f.write(project_page(project, sorted(wheels, key=lambda w: w["filename"])))
    with open(os.path.join(args.out, "simple", "index.html"), "w") as f:
        f.write("<!DOCTYPE html>\n<html><head><meta name=\"pypi:repository-version\" content=\"1.0\">"
                "<title>Simple index</title></head>\n<body>\n"
                + "".join(f'<a href="{p}/">{p}</a><br/>\n' for p in sorted(by_project))
                + "</body></html>\n")
    with open(os.path.join(args.out, "summary.json"), "w") as f:
        json.dump(summary, f, indent=1, sort_keys=True)
        f.write("\n")


if __name__ == "__main__":
    main()
