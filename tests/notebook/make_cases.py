#!/usr/bin/python3
"""Writes the differential-suite notebooks in cases/ and the malformed ones in bad/.

The .ipynb files are committed; this script records how they were written and can
regenerate them:  /usr/bin/python3 tests/notebook/make_cases.py
"""
import json
import os

HERE = os.path.dirname(os.path.abspath(__file__))
KERNEL = {"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
          "language_info": {"name": "python", "version": "3.11.2"}}


def lines(text):
    """Jupyter's on-disk list form: each line keeps its ending."""
    return text.splitlines(keepends=True)


def code(src, count=None, outputs=(), as_list=True, **extra):
    cell = {"cell_type": "code", "execution_count": count, "metadata": {},
            "outputs": list(outputs), "source": lines(src) if as_list else src}
    cell.update(extra)
    return cell


def md(src, as_list=True, **extra):
    cell = {"cell_type": "markdown", "metadata": {}, "source": lines(src) if as_list else src}
    cell.update(extra)
    return cell


def raw(src, mime=None, as_list=True):
    meta = {} if mime is None else {"raw_mimetype": mime}
    return {"cell_type": "raw", "metadata": meta, "source": lines(src) if as_list else src}


def nb(cells, minor=4, ids=False, metadata=KERNEL):
    if ids:
        for i, c in enumerate(cells):
            c["id"] = "cell-%04d" % i
    return {"cells": cells, "metadata": metadata, "nbformat": 4, "nbformat_minor": minor}


def write(dirname, name, notebook, ascii_only=False, indent=1, text=None):
    path = os.path.join(HERE, dirname, name + ".ipynb")
    if text is None:
        text = json.dumps(notebook, indent=indent, ensure_ascii=ascii_only) + "\n"
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write(text)


STREAM = {"name": "stdout", "output_type": "stream", "text": ["hello\n", "world\n"]}
RESULT = {"data": {"text/plain": ["42"]}, "execution_count": 3, "metadata": {},
          "output_type": "execute_result"}
DISPLAY = {"data": {"image/png": "iVBORw0KGgo=", "text/plain": ["<Figure>"]}, "metadata": {},
           "output_type": "display_data"}
ERROR = {"ename": "ValueError", "evalue": "bad", "output_type": "error",
         "traceback": ["\u001b[0;31mValueError\u001b[0m", "bad"]}

CASES = {
    # nbformat minors, with and without cell ids, list and string sources
    "v40_no_ids": nb([md("# Title\n"), code("x = 1\nprint(x)\n", 1)], minor=0,
                     metadata={}),
    "v41_no_ids": nb([code("import os\n", 1), md("Some *text*")], minor=1),
    "v42_string_sources": nb([md("# Heading\n\nParagraph.", as_list=False),
                              code("a = 1\nb = 2", 2, as_list=False)], minor=2),
    "v43_list_sources": nb([code("def f(x):\n    return x * 2\n\nf(3)", 5)], minor=3),
    "v44_mixed": nb([md("Intro", as_list=False), code("y = [1, 2, 3]\n", 7),
                     raw("raw stays\n")], minor=4),
    "v45_ids": nb([md("# With ids\n"), code("%matplotlib inline\nimport math\n", 1),
                   code("math.pi", 2)], minor=5, ids=True),
    # markdown as comments
    "markdown_layout": nb([md("# H1\n## H2\n\n- item\n- item 2\n\n```python\nx = 1\n```\n"),
                           md("no trailing newline"), md("trailing newline\n"),
                           md("two trailing\n\n"), md("\n\nleading blank lines")]),
    "markdown_crlf_unicode": nb([md("Line one\r\nLine two\r\n\r\nÜnïcødé 日本語 🎉\r\n"),
                                 code("x = 'é'\n", 1)]),
    "markdown_attachments": nb([md("![img](attachment:a.png)\n",
                                   attachments={"a.png": {"image/png": "iVBORw0KGgo="}}),
                                code("pass\n", 1)]),
    # raw cells
    "raw_plain": nb([code("a = 1\n", 1), raw("raw text\nmore\n"), code("b = 2\n", 2)]),
    "raw_no_trailing_newline": nb([raw("no newline"), code("x = 1\n", 1), raw("end")]),
    "raw_mimetypes": nb([raw("python raw\n", "text/x-python"), raw("<b>html</b>\n", "text/html"),
                         raw("RST *text*\n", "text/restructuredtext"),
                         raw("UPPER mime\n", "TEXT/X-PYTHON"), raw("empty mime\n", ""),
                         code("z = 0\n", 4)]),
    "raw_only": nb([raw("#!/bin/sh\necho raw\n")]),
    # prompts and blank-line layout
    "prompts": nb([code("a\n", 1), code("b\n", None), code("c\n", 0), code("d\n", 123456),
                   code("e\n", 2147483648)]),
    "outputs_ignored": nb([code("print('hello')\nprint('world')\n", 1, [STREAM]),
                           code("6 * 7\n", 3, [RESULT]), code("plot()\n", 4, [DISPLAY]),
                           code("raise ValueError('bad')\n", 5, [ERROR])]),
    "empty_cells": nb([code("", None), md(""), raw(""), code("x = 1\n", 1), code("", 2),
                       md("", as_list=False), code("", None, as_list=False)]),
    "whitespace_cells": nb([code("   \n\t\n", 1), code("\n\n\nx = 1\n\n\n", 2),
                            code("   \n", 3), md("   \n")]),
    "no_cells": nb([]),
    "trailing_newlines": nb([code("x = 1", 1), code("y = 2\n", 2), code("z = 3\n\n", 3),
                             code("w = 4\n\n\n\n", 4)]),
    # line endings, unicode, tabs, trailing spaces
    "crlf_code": nb([code("import os\r\nx = 1\r\nif x:\r\n    print(x)\r\n", 1),
                     code("%matplotlib inline\r\n!ls -l\r\n", 2),
                     code("%%bash\r\necho one\r\necho two\r\n", 3),
                     code("obj?\r\n", 4)]),
    "cr_only_code": nb([code("x = 1\ry = 2\r!ls\r", 1, as_list=False),
                        code("%time x\r%%notcell\r", 2, as_list=False)]),
    "unicode_code": nb([code("name = 'Zoë'\nprint('日本語', name, '🎉')\n# コメント\n", 1),
                        code("!echo 'héllo wörld' 日本\n%env GREETING=こんにちは\n", 2),
                        code("données = [1, 2]\nπ = 3.14159\n", 3)]),
    "unicode_escaped_json": nb([code("s = 'Zoë 🎉'\n!echo 'Zoë 🎉 \u200b\u00a0'\n", 1)]),
    "tabs": nb([code("if True:\n\tx = 1\n\t!ls\n\tif x:\n\t\t%time x\n", 1),
                md("\tindented\tmarkdown\n")]),
    "trailing_spaces": nb([code("x = 1   \ny = 2\t\n!ls   \n%time x  \n", 1),
                           md("trailing  \nspaces   \n")]),
    "line_separators": nb([code("x = 1\u2028%ls\n", 1), code("a\x0c!ls\n", 2),
                           code("b = 2\x0b%time b\n", 3), code("c = '\x85'\n%who\n", 4)]),
    # IPython syntax
    "line_magics": nb([code("%matplotlib inline\n%load_ext autoreload\n%autoreload 2\n"
                            "%time sum(range(10))\n%timeit -n 10 -r 1 x = 1\n%cd /tmp\n%who\n"
                            "%env\n%pwd\n%config InlineBackend.figure_format = 'retina'\n", 1)]),
    "cell_magics": nb([code("%%bash\necho hello\nls -l\n", 1),
                       code("%%writefile out.txt\nline 1\n\tline 'two'\n", 2),
                       code("%%time\nx = sum(range(100))\n", 3),
                       code("%%capture captured --no-stderr\nprint('x')\n", 4),
                       code("%%html\n<b>bold \"quoted\"</b>\n", 5),
                       code("%%javascript\nconsole.log('it\\'s');\n", 6),
                       code("%%bash", 7), code("%%sh  -x  \n\necho spaced\n", 8)]),
    "shell_escapes": nb([code("!ls -l\n!!pwd\n!echo $HOME {x}\n!echo \"double\" 'single'\n"
                              "!echo back\\\\slash\n! spaced\n", 1)]),
    "captures": nb([code("files = !ls *.py\nout = !!date\nx=!echo hi\n"
                         "lines = !grep -r 'pattern' .\n", 1)]),
    "magic_assign": nb([code("home = %env HOME\nt = %timeit -o -q sum(range(5))\n"
                             "here=%pwd\nw = %who_ls\n", 1)]),
    "help": nb([code("?len\n", 1), code("??len\n", 2), code("len?\n", 3), code("len??\n", 4),
                code("os.path.join?\n", 5), code("%timeit?\n", 6), code("*int*?\n", 7),
                code("np.*load*?\n", 8), code("?\n", 9), code("%%bash?\n", 10)]),
    "autocall_escapes": nb([code(",print a b c\n;print a b c\n/print 1 2\n", 1)]),
    "indented_blocks": nb([code("for i in range(3):\n    !echo $i\n    x = !ls\n"
                                "    y = %env HOME\n    %time i\n    i?\n", 1),
                           code("def f():\n    %time 1\n    if True:\n        !ls\n"
                                "    return 1\n", 2),
                           code("class A:\n    def m(self):\n        out = !ls\n"
                                "        return out\n", 3),
                           code("try:\n    %run script.py\nexcept Exception:\n    pass\n", 4),
                           code("with open('f') as fh:\n    data = %sx cat f\n", 5)]),
    "continuations": nb([code("!ls \\\n  -l \\\n  -a\n", 1), code("x = !echo a \\\n  b\n", 2),
                         code("%time sum(\\\n  range(3))\n", 3),
                         code("y = %env \\\nHOME\n", 4)]),
    "prompts_stripped": nb([code(">>> x = 1\n>>> print(x)\n... \n", 1),
                            code("In [1]: %ls\n   ...: y = 2\n", 2),
                            code("In [12]: !pwd\n", 3), code("[nav] In [3]: z = 3\n", 4)]),
    "leading_indent": nb([code("    x = 1\n    !ls\n    if x:\n        %time x\n", 1),
                          code("\n\n  \n    y = 2\n    %who\n", 2),
                          code("\t%pwd\n\tz = 3\n", 3)]),
    "repr_quoting": nb([code("!echo 'single'\n!echo \"double\"\n!echo \"both' and\"\n"
                             "!echo back\\slash\n!printf 'a\\tb\\n'\n!echo \ttab\n", 1),
                        code("%%bash\necho \"it's\"\nprintf '%s\\n' done\n\x07bell\x7fdel\n", 2),
                        code("!echo \x01\x1b[0m \u200b \u00ad \ufeff\n", 3),
                        code("!echo \U0001F600 \u0301 \U000E0001 \uFFFF\n", 4),
                        code("%%script python3\nprint('\u2028 \u2029 \x85')\n", 5)]),
    "not_magic": nb([code("s = '%not magic'\nt = \"!not shell\"\n# %comment\n"
                          "u = '''\n%still string\n!no\n'''\nv = 10 % 3\nw = a != b\n", 1),
                     code("x = 5\nx %= 3\ny = x // 2\nprint('?')\n", 2)]),
    "literal_get_ipython": nb([md("Uses `get_ipython()` directly\n"),
                               code("ip = get_ipython()\nip.run_line_magic('who', '')\n"
                                    "#get_ipython is here\n", 1),
                               raw("get_ipython() in raw\n")]),
    "strings_multiline": nb([code("doc = \"\"\"\n!ls\n%time\n\"\"\"\n!ls\n", 1),
                             code("x = ('a'\n     '!b')\n%who\n", 2),
                             code("y = f'{1}%' + b'!' + r'\\d?'\n", 3)]),
    "transient_remove_source": nb([code("hidden = 1\n", 1, transient={"remove_source": True}),
                                   code("shown = 2\n", 2, transient={"remove_source": False}),
                                   md("hidden md\n", transient={"remove_source": 1})]),
    "ipython_failures_avoided": nb([code("x = 1?\n", 1), code("a? \nb?\n", 2),
                                    code("print(1) ?\n", 3)]),
    "data_science": nb([
        md("# Analysis\n\nLoad data, then plot.\n"),
        code("%matplotlib inline\n%config InlineBackend.figure_format = 'svg'\n"
             "import pandas as pd\nimport numpy as np\n", 1),
        code("!pip install -q seaborn\ndata = !cat data.csv | head -5\n", 2, [STREAM]),
        code("df = pd.DataFrame({'a': np.arange(5)})\ndf.describe()\n", 3, [RESULT]),
        md("## Timing\n"),
        code("%%timeit\ndf['a'].sum()\n", 4),
        code("df.plot()\n", 5, [DISPLAY]),
        raw("Raw notes for the reader.\n"),
        code("for col in df:\n    print(col)\n    %time df[col].mean()\n", 6),
        code("", None),
    ], ids=True, minor=5),
    "many_cells": nb([code("x%d = %d\n%%time x%d\n" % (i, i, i), i + 1) if i % 3 == 0 else
                      md("Cell %d\n" % i) if i % 3 == 1 else
                      code("!echo %d\n" % i, None) for i in range(60)]),
    "minified_json": nb([code("%ls\n", 1), md("x")]),
    # what nbconvert's schema check lets through
    "lenient_extra_keys": nb([dict(code("x = 1\n", 1), extra_key={"any": [1]}),
                              dict(md("m\n"), collapsed="not checked here"),
                              raw("r\n")], metadata=dict(KERNEL, custom={"k": "v"})),
    "v45_missing_and_duplicate_ids": nb([dict(code("a = 1\n", 1), id="same"),
                                         dict(code("b = 2\n", 2), id="same"),
                                         code("c = 3\n", 3)], minor=5),
    "future_minor": nb([code("%who\n", 1), md("from the future\n")], minor=9, ids=True),
    "nan_in_outputs": nb([code("float('nan')\n", 1, [{
        "data": {"application/json": {"x": float("nan"), "y": float("inf"),
                                      "z": float("-inf"), "s": "NaN Infinity"},
                 "text/plain": ["nan"]},
        "execution_count": 1, "metadata": {"w": float("nan")},
        "output_type": "execute_result"}])]),
    "cell_metadata_rich": nb([code("x = 1\n", 1, metadata_override=None)], minor=4),
}
CASES["cell_metadata_rich"]["cells"][0].pop("metadata_override")
CASES["cell_metadata_rich"]["cells"][0]["metadata"] = {
    "collapsed": False, "scrolled": "auto", "tags": ["a", "b"], "name": "first",
    "jupyter": {"source_hidden": True, "outputs_hidden": False},
    "execution": {"iopub.execute_input": "2024-01-01T00:00:00.000Z", "shell.execute_reply": "x"},
    "trusted": "popped before validation"}
CASES["cell_metadata_rich"]["metadata"]["orig_nbformat"] = "popped before validation"


def main():
    for name, notebook in CASES.items():
        ascii_only = name == "unicode_escaped_json"
        indent = None if name == "minified_json" else 1
        write("cases", name, notebook, ascii_only=ascii_only, indent=indent)
    # A notebook file saved with CRLF line ends (the JSON layout, not the sources).
    text = json.dumps(nb([code("%time 1\n", 1), md("crlf file\n")]), indent=1) + "\n"
    write("cases", "crlf_file", None, text=text.replace("\n", "\r\n"))

    bad = {
        "not_json": "{ this is not json",
        "truncated": '{"cells": [',
        "no_cells": json.dumps({"metadata": {}, "nbformat": 4, "nbformat_minor": 5}),
        "unknown_cell_type": json.dumps(nb([{"cell_type": "heading", "metadata": {},
                                             "source": "x"}])),
        "source_number": json.dumps(nb([{"cell_type": "code", "metadata": {}, "outputs": [],
                                         "execution_count": None, "source": 42}])),
        "source_list_of_numbers": json.dumps(nb([{"cell_type": "markdown", "metadata": {},
                                                  "source": ["a", 1]}])),
        "nbformat3": json.dumps({"metadata": {}, "nbformat": 3, "nbformat_minor": 0,
                                 "worksheets": []}),
        "bad_indentation": json.dumps(nb([code("if x:\n    a\n  b\n", 1)])),
        "too_many_magics": json.dumps(nb([code("%time x\n" * 500, 1)])),
        # nbformat's schema, as nbconvert checks it
        "missing_execution_count": json.dumps(nb([{"cell_type": "code", "metadata": {},
                                                   "outputs": [], "source": "x = 1\n"}])),
        "missing_outputs": json.dumps(nb([{"cell_type": "code", "metadata": {},
                                           "execution_count": 1, "source": "x = 1\n"}])),
        "negative_execution_count": json.dumps(nb([code("x\n", -1)])),
        "stream_without_name": json.dumps(nb([code("x\n", 1, [{"output_type": "stream",
                                                                 "text": "t"}])])),
        "unknown_output_type": json.dumps(nb([code("x\n", 1, [{"output_type": "weird"}])])),
        "duplicate_tags": json.dumps(nb([dict(code("x\n", 1), metadata={"tags": ["a", "a"]})])),
        "bad_cell_id": json.dumps(nb([dict(code("x\n", 1), id="not valid!")], minor=5)),
        "kernelspec_without_name": json.dumps(nb([code("x\n", 1)], metadata={
            "kernelspec": {"display_name": "Python 3"}})),
        "raw_without_source": json.dumps(nb([{"cell_type": "raw", "metadata": {}}])),
        "minor_as_string": json.dumps({"cells": [], "metadata": {}, "nbformat": 4,
                                       "nbformat_minor": "4"}),
        "nan_execution_count": json.dumps(nb([code("x\n", float("nan"))])),
        "no_metadata": json.dumps({"cells": [], "nbformat": 4, "nbformat_minor": 4}),
    }
    for name, text in bad.items():
        write("bad", name, None, text=text)


main()
