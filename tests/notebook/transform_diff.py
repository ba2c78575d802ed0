#!/usr/bin/python3
"""Differential check of our IPython rewrite against IPython 8.5 itself.

Feeds a fixed corpus plus seeded random cells built from IPython-syntax fragments to
both IPython's TransformerManager.transform_cell (the function nbconvert's
ipython2python filter calls) and our transform_cell (via notebook_transform_driver),
and requires identical results, failures included.

Usage: /usr/bin/python3 transform_diff.py DRIVER [--count N] [--seed S]
"""
import argparse
import json
import random
import subprocess
import sys
import warnings

from IPython.core.inputtransformer2 import TransformerManager

CORPUS = [
    "", "\n", "x = 1", "%matplotlib inline", "%matplotlib inline\nimport os\n",
    "!ls -l", "!!ls", "files = !ls *.py", "x = %env HOME", "x = % env HOME",
    "?obj", "??obj", "obj?", "obj??", "a.b.c?", "%time?", "%%timeit?", "*int*?", "x?\r\n",
    "%%bash\necho hi\n", "%%bash -x\r\necho 'hi'\r\n", "%%writefile f.txt\nline\twith tab\n",
    "%%\nbody", "%%time   \n", "if True:\n    !ls\n    %time x\n", "for i in range(3):\n    x = !echo $i\n",
    "def f():\n    y = %who_ls\n    return y\n", ">>> x = 1\n... y = 2\n", "In [1]: %ls\n   ...: x\n",
    "[nav] In [12]: !pwd\n", "   \n  \n    x = 1\n    !ls\n", "\t!ls\n\tx\n",
    "!ls \\\n  -l \\\n  -a\n", "x = !ls \\\n -l", "s = '!not'\n!real\n", '"""\n%notmagic\n"""\n%magic\n',
    "x = (1,\n%foo)\n", "print('a') # ?comment\n", ",f a b c", ";f a b c", "/f a b c", "f(a=%x)",
    "a = b = %foo", "x == %y", "x = %1", "x = %%y", "x=!", "x = \t!ls", "= !ls", " = !ls",
    "if x:\n    a\n  b\n", "x = %\\\n", "!echo é ü 日本\n", "!echo \u2028x", "%ls \x0bfoo\n",
    "x\x0c%ls\n", "x = 1\r%ls\r", "a\u00a0?\n", "é?\n", "१?\n", "x.1y?\n", "%%%a?\n", "x = a?\n",
    "a? \nb?\n", "!printf '\\x00\\x7f'\n", "!echo \x7f\x01\x1b", "!echo \U0001F600\n",
    "!echo '\"'\n", "!echo \"'\"\n", "!echo '\\\\'\n", "%%bash\n" + "echo x\n" * 3,
    "x = '''\n!ls\n'''\n", "x = 'abc\\\n!ls'\n", "f(\n!ls\n)\n", "x = [\n1,\n]\n!ls\n",
    "class A:\n    def f(self):\n        %time 1\n", "while x:\n\tpass\n!ls\n",
    "x = 0x1f + 1_000 + 1e5 + 1.5j + .5\n%ls\n", "r'''\n'''\n?x\n", "b'x' %ls\n",
    "  # comment\n  %ls\n", "%ls?\n", "!ls?\n", "x ??\n", "x?? \n", "x = 1;\n%ls\n",
]

FRAGMENTS = [
    "%ls", "%time x", "%matplotlib inline", "!ls", "!!pwd", "x = !ls", "y = %env HOME",
    "?x", "??x", "x?", "x??", "a.b?", "*a*?", ",f a b", ";f a b", "/f a b", "%%bash", "%%time x",
    "x = 1", "print('%s' % 3)", "s = '!s'", "'''", '"""', "(", ")", "[", "]", "{", "}",
    "if x:", "else:", "def f():", "    ", "\t", "  ", "\\", "#", "# %c", ">>> ", "... ",
    "In [3]: ", "   ...: ", "=", "==", "!", "?", "%", "$x", "é", "日本", "\u2028", "\x0c",
    "\x0b", "\xa0", "1e5", "0x1f", ".5", "b'x'", "f\"{x}\"", "r'\\'", "'", '"', "lambda a=1: a",
    "x = (", "return", "pass", "$", "`", "\x00", "\x85", "१",
]
ENDINGS = ["\n", "\n", "\n", "\r\n", "\r", ""]


# Characters that steer the tokenizer or the rewrites, for character-level noise.
ALPHABET = " \t\n\r\x0c\x0b\\%!?=()[]{}'\"#.,;/*ab1_0xje\xa0\u2028\u3000\u0661\u00b2\U0001F600"


def random_cell(rng):
    if rng.random() < 0.3:
        return "".join(rng.choice(ALPHABET) for _ in range(rng.randint(1, 40)))
    lines = []
    for _ in range(rng.randint(1, 6)):
        parts = [rng.choice(FRAGMENTS) for _ in range(rng.randint(1, 3))]
        indent = rng.choice(["", "", "    ", "  ", "\t", "        "])
        lines.append(indent + rng.choice(["", " "]).join(parts) + rng.choice(ENDINGS))
    return "".join(lines)


def ipython_result(tm, cell):
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return tm.transform_cell(cell)
    except (SyntaxError, RuntimeError, IndexError):
        return None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("driver")
    ap.add_argument("--count", type=int, default=5000)
    ap.add_argument("--seed", type=int, default=20240604)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    cells = CORPUS + [random_cell(rng) for _ in range(args.count)]
    tm = TransformerManager()
    want = [ipython_result(tm, c) for c in cells]
    proc = subprocess.run([args.driver], input=json.dumps(cells).encode(), capture_output=True,
                          check=True)
    got = json.loads(proc.stdout)
    bad = [(c, w, g) for c, w, g in zip(cells, want, got) if w != g]
    for c, w, g in bad[:20]:
        print("cell:     %r\nipython:  %r\nours:     %r\n" % (c, w, g))
    print("%d of %d cells differ" % (len(bad), len(cells)))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
