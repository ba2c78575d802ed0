#!/usr/bin/python3
"""Differential check of notebook reading: which notebooks nbconvert accepts, and what
it prints for them, against ours.

Starts from the suite's notebooks and applies seeded random mutations (keys removed,
values of the wrong type, extra keys, other nbformat minors, duplicated cells), then
runs nbconvert's python exporter in-process exactly as `nbconvert --to python` does
(nbformat.read + PythonExporter, shebang line as ipynb2py sets it) and our
notebook_to_python (via notebook_transform_driver). Acceptance must agree, and
accepted notebooks must convert to identical text.

Usage: /usr/bin/python3 reader_diff.py DRIVER [--count N] [--seed S]
"""
import argparse
import copy
import glob
import io
import json
import logging
import os
import random
import re
import subprocess
import sys
import warnings

import nbformat
from nbconvert.exporters import PythonExporter

HERE = os.path.dirname(os.path.abspath(__file__))
VALUES = [None, True, False, 0, 1, -1, 2.5, float("nan"), float("-inf"), "", "x", "a,b", "raw", "code", "markdown",
          "stream", "text/x-python", [], ["a"], ["a", "a"], [1], {}, {"a": 1},
          {"name": "n", "display_name": "d"}, "c-1", "bad id!", "x" * 70]


def paths(node, prefix=()):
    yield prefix
    if isinstance(node, dict):
        for k, v in node.items():
            yield from paths(v, prefix + (k,))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from paths(v, prefix + (i,))


def get(node, path):
    for p in path:
        node = node[p]
    return node


def mutate(rng, nb):
    nb = copy.deepcopy(nb)
    for _ in range(rng.randint(1, 3)):
        choice = rng.random()
        # nbformat itself stays 4: older formats are out of scope (nbconvert upgrades them).
        all_paths = [p for p in paths(nb) if p and p != ("nbformat",)]
        if not all_paths or choice < 0.1:
            nb["nbformat_minor"] = rng.choice([-1, 0, 1, 2, 3, 4, 5, 6, 7])
            continue
        path = rng.choice(all_paths)
        parent = get(nb, path[:-1])
        if choice < 0.35:
            del parent[path[-1]]
        elif choice < 0.75:
            parent[path[-1]] = copy.deepcopy(rng.choice(VALUES))
        elif choice < 0.9 and isinstance(parent, dict):
            parent[rng.choice(["extra", "id", "tags", "name", "collapsed", "scrolled",
                               "execution_count", "output_type", "text", "raw_mimetype",
                               "jupyter", "execution", "attachments", "transient"])] = \
                copy.deepcopy(rng.choice(VALUES))
        elif isinstance(nb.get("cells"), list) and nb["cells"]:
            nb["cells"].append(copy.deepcopy(rng.choice(nb["cells"])))
    return nb


EXPORTER = PythonExporter()


def nbconvert(text):
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            nb = nbformat.read(io.StringIO(text), as_version=4)
            out, _ = EXPORTER.from_notebook_node(nb)
        out.encode("utf-8")
    except Exception:  # any failure means nbconvert produces no script
        return None
    return re.sub(r"\A *#!.*", "#!/usr/bin/env python3", out, count=1)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("driver")
    ap.add_argument("--count", type=int, default=400)
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    logging.disable(logging.CRITICAL)
    rng = random.Random(args.seed)
    bases = []
    for path in sorted(glob.glob(os.path.join(HERE, "cases", "*.ipynb"))):
        with open(path, encoding="utf-8") as f:
            bases.append(json.load(f))
    texts = [json.dumps(b) for b in bases]
    texts += [json.dumps(mutate(rng, rng.choice(bases))) for _ in range(args.count)]
    want = [nbconvert(t) for t in texts]
    proc = subprocess.run([args.driver, "notebooks"], input=json.dumps(texts).encode(),
                          capture_output=True, check=True)
    got = json.loads(proc.stdout)
    bad = [(t, w, g) for t, w, g in zip(texts, want, got) if w != g]
    for t, w, g in bad[:10]:
        print("notebook: %s\nnbconvert: %r\nours:      %r\n" % (t[:600], w and w[:300], g and g[:300]))
    accepted = sum(w is not None for w in want)
    print("%d of %d notebooks differ (%d accepted by nbconvert)" % (len(bad), len(texts), accepted))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
