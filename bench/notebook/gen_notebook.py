#!/usr/bin/python3
"""Writes a deterministic 1,000-cell notebook resembling real data-science work:
markdown, plain Python, line and cell magics, shell escapes and captures, help
queries, cells with outputs, raw cells.  Usage: gen_notebook.py OUT.ipynb [CELLS]"""
import json
import random
import sys


def cell(rng, i):
    kind = rng.random()
    if kind < 0.25:
        text = "## Step %d\n\nThis step computes *metric %d* for the report.\n" % (i, i)
        return {"cell_type": "markdown", "metadata": {}, "source": text.splitlines(True)}
    if kind < 0.28:
        return {"cell_type": "raw", "metadata": {}, "source": ["raw note %d\n" % i]}
    body = [
        "import numpy as np\n",
        "values_%d = np.arange(%d) * 2.5\n" % (i, i + 10),
        "total = values_%d.sum()\n" % i,
        "for k in range(3):\n",
        "    if k %% 2 == 0:\n",
        "        print('step', k, total, \"é\")\n",
    ]
    extra = rng.choice([
        ["%%time total = values_%d.mean()\n" % i],
        ["!ls -l /tmp | head -3\n"],
        ["files = !ls *.csv\n"],
        ["home = %env HOME\n"],
        ["np.arange?\n"],
        ["def f(x):\n", "    %timeit x + 1\n", "    return x\n"],
        [],
    ])
    source = body + extra
    if rng.random() < 0.1:
        source = ["%%bash\n", "echo cell %d\n" % i, "ls -la\n"]
    outputs = []
    if rng.random() < 0.5:
        outputs = [{"name": "stdout", "output_type": "stream",
                    "text": ["step 0 %d\n" % i, "step 2 %d\n" % i]}]
    return {"cell_type": "code", "execution_count": i + 1, "metadata": {},
            "outputs": outputs, "source": source}


def main():
    out = sys.argv[1]
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 1000
    rng = random.Random(1000)
    nb = {"cells": [dict(cell(rng, i), id="c%05d" % i) for i in range(count)],
          "metadata": {"kernelspec": {"display_name": "Python 3", "language": "python",
                                      "name": "python3"}},
          "nbformat": 4, "nbformat_minor": 5}
    with open(out, "w", encoding="utf-8") as f:
        json.dump(nb, f, indent=1, ensure_ascii=False)
        f.write("\n")


main()
