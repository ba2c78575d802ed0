#!/usr/bin/python3
"""End-to-end checks of `lava-docker nb2py` beyond byte equality (nbconvert_diff.py):
output placement (beside the notebook, or -o DIR), the user-execute bit, and bad input:
one line per bad notebook naming it, no .py for it, the others still converted, exit 1.
Every notebook in bad/ must also make nbconvert itself fail.

Usage: /usr/bin/python3 cli_check.py LAVA_DOCKER
"""
import os
import shutil
import stat
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
# Refused by us on purpose though nbconvert converts them: nbformat 3 and older are out
# of scope (nbconvert upgrades them to 4 first).
NBCONVERT_ACCEPTS = {"nbformat3.ipynb"}
failures = []


def expect(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL", what)


def main():
    lava = sys.argv[1]
    bad_dir = os.path.join(HERE, "bad")
    bad = sorted(n for n in os.listdir(bad_dir) if n.endswith(".ipynb"))
    good = ["v45_ids.ipynb", "cell_magics.ipynb", "unicode_code.ipynb"]
    with tempfile.TemporaryDirectory() as tmp:
        src = os.path.join(tmp, "src")
        os.mkdir(src)
        for n in good:
            shutil.copy(os.path.join(HERE, "cases", n), src)
        for n in bad:
            shutil.copy(os.path.join(bad_dir, n), src)

        # nbconvert rejects every bad notebook too.
        for n in [n for n in bad if n not in NBCONVERT_ACCEPTS]:
            r = subprocess.run(["/usr/bin/python3", "-m", "nbconvert", "--to", "python",
                                "--stdout", os.path.join(src, n)], capture_output=True)
            expect(r.returncode != 0, "nbconvert accepted bad/%s" % n)

        # Mixed good and bad in one call, default output beside each notebook.
        args = [os.path.join(src, n) for n in sorted(good + bad)]
        r = subprocess.run([lava, "nb2py"] + args, capture_output=True, text=True)
        expect(r.returncode == 1, "exit status %d, want 1" % r.returncode)
        lines = r.stderr.splitlines()
        expect(len(lines) == len(bad), "want %d error lines, got: %r" % (len(bad), r.stderr))
        for n in bad:
            path = os.path.join(src, n)
            hits = [l for l in lines if path in l]
            expect(len(hits) == 1, "no single error line naming %s in %r" % (n, r.stderr))
            expect(not os.path.exists(path[: -len(".ipynb")] + ".py"), "a .py was left for " + n)
        for n in good:
            py = os.path.join(src, n[: -len(".ipynb")] + ".py")
            expect(os.path.exists(py), "no %s beside the notebook" % py)
            if os.path.exists(py):
                mode = os.stat(py).st_mode
                expect(mode & stat.S_IXUSR, py + " is not user-executable")
        leftovers = [n for n in os.listdir(src) if ".tmp-" in n]
        expect(not leftovers, "temporary files left: %r" % leftovers)

        # -o DIR (created if missing) and --comment-magics.
        out = os.path.join(tmp, "out", "deeper")
        r = subprocess.run([lava, "nb2py", "--comment-magics", "-o", out,
                            os.path.join(src, "cell_magics.ipynb")], capture_output=True, text=True)
        expect(r.returncode == 0, "-o run failed: %s" % r.stderr)
        py = os.path.join(out, "cell_magics.py")
        if os.path.exists(py):
            text = open(py, encoding="utf-8").read()
            expect(text.startswith("#!/usr/bin/env python3\n"), "no python3 shebang in " + py)
            expect("#get_ipython().run_cell_magic(" in text, "magics not commented in " + py)
            expect("\nget_ipython" not in text, "uncommented get_ipython in " + py)
        else:
            expect(False, "no %s" % py)

        # A name that is not *.ipynb is refused, missing files are reported.
        other = os.path.join(src, "notes.json")
        shutil.copy(os.path.join(HERE, "cases", "v45_ids.ipynb"), other)
        r = subprocess.run([lava, "nb2py", other, os.path.join(src, "missing.ipynb")],
                           capture_output=True, text=True)
        expect(r.returncode == 1 and len(r.stderr.splitlines()) == 2,
               "non-notebook/missing: status %d stderr %r" % (r.returncode, r.stderr))

        # No notebook at all is a usage error.
        r = subprocess.run([lava, "nb2py"], capture_output=True, text=True)
        expect(r.returncode == 2, "no arguments: status %d" % r.returncode)
    print("%d failures" % len(failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
