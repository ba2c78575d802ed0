#!/usr/bin/python3
"""Differential test: renders every case under cases/ with `lava-docker render` and with
the Python reference (jinja_ref.py, Debian's python3-jinja2) and requires the same stdout,
or both failing.

A case is cases/NAME.j2 (the template) plus optional files beside it:
  NAME.args   extra command-line arguments (shell words). Default arguments are
              "-f params.yaml"; a first word "!" drops them. The word STDIN feeds the
              template on stdin instead of naming the file.
  NAME.stdin  text for stdin (for -l name=-).
Cases named err_* must fail in both, with the same kind of error: lava-docker's
`render --error-kind` names the Python exception a template error corresponds to, and it
must be the one Jinja raised (jinja_ref.error_kind). Only err_cli_* cases, which fail on
the command line before any template is rendered, may fail without a template error.
The working directory is fixtures/.

Usage: run_diff.py --binary build/lava-docker [-k SUBSTRING] [-v]
"""

import argparse
import concurrent.futures
import difflib
import io
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import jinja_ref  # noqa: E402

FIXED_ENV = {
    "PATH": "/usr/bin:/bin",
    "HOME": "/home/tester",
    "USER": "tester",
    "LOGNAME": "tester",
    "LANG": "C.UTF-8",
    "LC_ALL": "C.UTF-8",
    "TZ": "UTC",
    "LAVA_TEST_VAR": "from-environ",
}


class Case:
    def __init__(self, path):
        self.path = path
        self.name = path.stem
        args_file = path.with_suffix(".args")
        words = shlex.split(args_file.read_text()) if args_file.exists() else []
        if words and words[0] == "!":
            words = words[1:]
        else:
            words = ["-f", "params.yaml"] + words
        self.use_stdin = "STDIN" in words
        words = [w for w in words if w != "STDIN"]
        template = os.path.relpath(path, HERE / "fixtures")
        self.argv = words if self.use_stdin else words + [template]
        stdin_file = path.with_suffix(".stdin")
        self.stdin = stdin_file.read_text() if stdin_file.exists() else ""
        if self.use_stdin:
            self.stdin = path.read_text() + self.stdin
        self.must_fail = self.name.startswith("err_")


def run_ours(binary, case):
    p = subprocess.run(
        [binary, "render", "--error-kind"] + case.argv,
        input=case.stdin.encode(),
        cwd=HERE / "fixtures",
        env=FIXED_ENV,
        capture_output=True,
        timeout=60,
    )
    return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")


def run_ref(case):
    out, err, failure = io.StringIO(), io.StringIO(), []
    rc = jinja_ref.main(case.argv, io.StringIO(case.stdin), out, err, failure)
    kind = jinja_ref.error_kind(failure[0]) if failure else None
    return rc, out.getvalue(), err.getvalue(), kind


KIND_PREFIX = re.compile(r"render: (" + "|".join(sorted(jinja_ref.ERROR_KINDS | {"Exception"}))
                         + r"): ")


def split_kind(err):
    """Our stderr without the --error-kind word, and that word (None: no template error)."""
    m = KIND_PREFIX.match(err)
    if not m:
        return err, None
    return "render: " + err[m.end():], m.group(1)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--binary", required=True)
    ap.add_argument("-k", default="")
    ap.add_argument("-v", action="store_true")
    args = ap.parse_args()
    binary = os.path.abspath(args.binary)
    cases = [Case(p) for p in sorted((HERE / "cases").glob("*.j2")) if args.k in p.stem]
    with concurrent.futures.ThreadPoolExecutor(max_workers=4) as pool:
        ours = list(pool.map(lambda c: run_ours(binary, c), cases))
    os.environ.clear()
    os.environ.update(FIXED_ENV)
    os.chdir(HERE / "fixtures")
    failures = 0
    both_failed = 0
    for case, (rc, out, err) in zip(cases, ours):
        ref_rc, ref_out, ref_err, ref_kind = run_ref(case)
        err, kind = split_kind(err)
        problem = None
        if rc == 0 and ref_rc == 0:
            if out != ref_out:
                diff = "".join(difflib.unified_diff(
                    ref_out.splitlines(True), out.splitlines(True), "python", "lava-docker"))
                problem = "output differs:\n" + diff
            elif case.must_fail:
                problem = "expected both to fail, both succeeded"
        elif rc != 0 and ref_rc != 0:
            both_failed += 1
            if rc != ref_rc:
                problem = f"exit status {rc} vs python {ref_rc}"
            elif rc == 1 and not err.startswith("render: "):
                problem = "error message lacks the 'render: ' prefix: " + err
            elif kind is None and not case.name.startswith("err_cli_"):
                problem = f"not a template error (python raised {ref_kind}): {err.strip()}"
            elif kind is not None and kind != ref_kind:
                problem = (f"error kind {kind} vs python {ref_kind}\n  ours:   {err.strip()}\n"
                           f"  python: {ref_err.strip()}")
            if args.v:
                print(f"  {case.name}: both failed ({kind} / {ref_kind})\n"
                      f"    ours:   {err.strip()}\n    python: {ref_err.strip()}")
        else:
            problem = (f"exit status {rc} (python {ref_rc})\n  ours stderr: {err.strip()}\n"
                       f"  python stderr: {ref_err.strip()}\n  ours stdout: {out!r}\n"
                       f"  python stdout: {ref_out!r}")
        if problem:
            failures += 1
            print(f"FAIL {case.name}: {problem}")
        elif args.v:
            print(f"ok   {case.name}")
    print(f"{len(cases)} cases, {len(cases) - failures} passed ({both_failed} failing in both), "
          f"{failures} failed")
    return 1 if failures or not cases else 0


if __name__ == "__main__":
    sys.exit(main())
