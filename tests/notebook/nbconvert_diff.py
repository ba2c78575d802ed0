#!/usr/bin/python3
"""Differential suite: `lava-docker nb2py` against nbconvert, byte for byte.

For every notebook in cases/, the reference is what the framework's ipynb2py makes:
`python3 -m nbconvert --to python --stdout NB` (Debian's nbconvert 6.5 / IPython 8.5)
piped through ipynb2py's `sed '1s?^ *#!.*?#!/usr/bin/env python3?'`; with
--comment-magics, nbconvert runs with comment_magics.py.j2 (the framework's
template: get_ipython -> #get_ipython in code cells). Our output file must be
identical and user-executable.

Usage: /usr/bin/python3 nbconvert_diff.py LAVA_DOCKER [CASE...]
"""
import concurrent.futures
import os
import stat
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
SHEBANG_SED = "1s?^ *#!.*?#!/usr/bin/env python3?"


def reference(notebook, comment_magics):
    cmd = ["/usr/bin/python3", "-m", "nbconvert", "--to", "python", "--stdout", notebook]
    if comment_magics:
        cmd[5:5] = ["--template-file", os.path.join(HERE, "comment_magics.py.j2")]
    out = subprocess.run(cmd, capture_output=True, check=True).stdout
    return subprocess.run(["sed", "-e", SHEBANG_SED], input=out, capture_output=True,
                          check=True).stdout


def ours(lava, notebook, comment_magics, outdir):
    cmd = [lava, "nb2py", "-o", outdir, notebook]
    if comment_magics:
        cmd.insert(2, "--comment-magics")
    subprocess.run(cmd, check=True)
    path = os.path.join(outdir, os.path.basename(notebook)[: -len(".ipynb")] + ".py")
    if not os.stat(path).st_mode & stat.S_IXUSR:
        raise AssertionError(path + " is not user-executable")
    with open(path, "rb") as f:
        return f.read()


def first_difference(a, b):
    for i, (x, y) in enumerate(zip(a, b)):
        if x != y:
            return i
    return min(len(a), len(b))


def check(lava, notebook, comment_magics):
    label = "%s%s" % (os.path.basename(notebook), " --comment-magics" if comment_magics else "")
    with tempfile.TemporaryDirectory() as tmp:
        try:
            want = reference(notebook, comment_magics)
            got = ours(lava, notebook, comment_magics, tmp)
        except (subprocess.CalledProcessError, AssertionError) as e:
            return "FAIL %s: %s" % (label, e)
    if want == got:
        return None
    at = first_difference(want, got)
    return "FAIL %s: differs at byte %d\n  nbconvert: %r\n  ours:      %r" % (
        label, at, want[max(0, at - 40):at + 40], got[max(0, at - 40):at + 40])


def main():
    lava = sys.argv[1]
    cases = sys.argv[2:] or sorted(
        os.path.join(HERE, "cases", n) for n in os.listdir(os.path.join(HERE, "cases"))
        if n.endswith(".ipynb"))
    jobs = [(nb, cm) for nb in cases for cm in (False, True)]
    with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
        failures = [r for r in pool.map(lambda j: check(lava, *j), jobs) if r]
    for f in failures:
        print(f)
    print("%d notebooks, %d conversions, %d differ" % (len(cases), len(jobs), len(failures)))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
