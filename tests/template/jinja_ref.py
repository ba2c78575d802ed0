#!/usr/bin/python3
"""Reference renderer for the differential tests.

Behaves like the lava framework's `jinja` command (its options, parameter merging,
built-ins, Environment settings and output), using Debian's python3-jinja2. Run it with
/usr/bin/python3. Deviations, on purpose: no AWS access (lava.aws.* raises) and no
subprocesses (lava.dag raises); --realm-info FILE adds the file's keys under `lava` (the
lava-docker extension); errors print "render: TEMPLATE: message".
"""

import argparse
import getpass
import io
import json
import os
import sys
from datetime import datetime, timezone

import jinja2
import yaml

PROG = "jinja"
PAIRS = {"{": "}", "<": ">", "[": "]", "(": ")"}


class NoAws:
    """lava.aws without credentials: every use is an error."""

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        raise RuntimeError(f"lava.aws.{name} needs AWS credentials")


def no_dag(*args, **kwargs):
    raise RuntimeError("lava.dag is not supported")


def builtin_jinja_params():
    now_utc = datetime.now(timezone.utc)
    now = datetime.now()
    return {
        "ctime": now.ctime(),
        "datetime": now.strftime("%Y-%m-%d %H:%M:%S"),
        "utc_ctime": now_utc.ctime(),
        "utc_datetime": now_utc.strftime("%Y-%m-%d %H:%M:%S"),
        "iso_datetime": now_utc.strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z",
        "prog": PROG,
        "user": getpass.getuser(),
    }


class NameValue(argparse.Action):
    def __call__(self, parser, namespace, values, option_string=None):
        d = getattr(namespace, self.dest) or {}
        try:
            name, value = values.split("=", 1)
        except ValueError as e:
            raise argparse.ArgumentError(self, str(e))
        d[name] = value
        setattr(namespace, self.dest, d)


def locate(name, search):
    """The command's search-path lookup (absolute names must merely exist)."""
    if search is None:
        return name
    if os.path.isabs(name):
        return name if os.path.exists(name) else None
    dirs = search.split(":") if search else ["."]
    for d in dirs:
        candidate = os.path.join(d, name)
        if os.path.exists(candidate):
            return os.path.abspath(candidate)
    return None


def parse_args(argv):
    p = argparse.ArgumentParser(prog=PROG)
    p.add_argument("-a", "--autoescape", action="store_true")
    p.add_argument("-B", "--no-builtins", dest="builtins", action="store_false", default=True)
    p.add_argument("-c", "--context-dir", dest="context_dir", default=".")
    p.add_argument("-d", "--delimiter", default="{")
    p.add_argument("-E", "--no-environ", dest="environ", action="store_false", default=True)
    p.add_argument("-f", "--file", action="append")
    p.add_argument("-l", "--list", action=NameValue)
    p.add_argument("-P", "--no-path", dest="use_path", action="store_false", default=True)
    p.add_argument("-p", "--param", action=NameValue)
    p.add_argument("--realm-info", dest="realm_info")
    p.add_argument("template", nargs="*")
    return p.parse_args(argv)


def load_params(path):
    with open(path) as fp:
        if os.path.splitext(path)[1].lower() in (".json", ".jsn"):
            return json.load(fp)
        return yaml.safe_load(fp)


def run(argv, stdin, stdout, stderr):
    args = parse_args(argv)
    search = os.environ.get(PROG.upper() + "PATH", ":/usr/local/lib/" + PROG) if args.use_path else None
    params = {}
    for f in args.file or []:
        found = locate(f, search)
        if not found:
            raise Exception(f"No such file or directory: {f}")
        params.update(load_params(found))
    if args.param:
        params.update(args.param)
    for name, f in (args.list or {}).items():
        if f == "-":
            params[name] = [s.strip() for s in stdin.readlines()]
        else:
            found = locate(f, search)
            if not found:
                raise Exception(f"No such file or directory: {f}")
            with open(found) as fp:
                params[name] = [s.strip() for s in fp.readlines()]
    templates = list(args.template)
    if args.builtins:
        params.setdefault("jinja", {})
        for k, v in builtin_jinja_params().items():
            params["jinja"][k] = v
        params["jinja"]["templates"] = list(templates)
        params.setdefault("lava", {})
        if args.realm_info:
            for k, v in load_params(args.realm_info).items():
                params["lava"][k] = v
        params["lava"]["dag"] = no_dag
        params["lava"]["aws"] = NoAws()
    if args.environ:
        params["environ"] = os.environ
    start = args.delimiter[0]
    end = PAIRS.get(start, start)
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(args.context_dir),
        block_start_string=start + "%",
        block_end_string="%" + end,
        variable_start_string=start + "{",
        variable_end_string="}" + end,
        comment_start_string=start + "#",
        comment_end_string="#" + end,
        autoescape=args.autoescape,
    )
    for t in templates or ["-"]:
        try:
            if t == "-":
                tmpl = env.from_string(stdin.read())
            else:
                found = locate(t, search)
                if not found:
                    raise Exception(f"{t}: No such file or directory")
                with open(found) as fp:
                    tmpl = env.from_string(fp.read())
            print(tmpl.render(**params), file=stdout)
        except jinja2.TemplateNotFound as e:
            raise Exception(f"{t}: template {e} not found")
        except Exception as e:
            raise Exception(f"{t}: {e}")
    return 0


# The exception kinds lava-docker tells apart (`render --error-kind`), most specific first
# in each class's MRO; any other exception is "Exception".
ERROR_KINDS = {
    "TemplateSyntaxError", "UndefinedError", "TemplateNotFound", "TemplateRuntimeError",
    "TypeError", "ValueError", "ZeroDivisionError", "IndexError",
}


def error_kind(e):
    """The kind of the exception that started the failure (run() wraps it for the message)."""
    while e.__context__ is not None:
        e = e.__context__
    for cls in type(e).__mro__:
        if cls.__name__ in ERROR_KINDS:
            return cls.__name__
    return "Exception"


def main(argv=None, stdin=None, stdout=None, stderr=None, failure=None):
    """Runs the command; returns the exit status (usable in-process by the test driver,
    which passes a list as `failure` to get the exception back)."""
    stdin = stdin or sys.stdin
    stdout = stdout or sys.stdout
    stderr = stderr or sys.stderr
    try:
        return run(sys.argv[1:] if argv is None else argv, stdin, stdout, stderr)
    except SystemExit as e:
        return e.code if isinstance(e.code, int) else 2
    except BaseException as e:  # noqa: B902 - the command reports every failure the same way
        if failure is not None:
            failure.append(e)
        print(f"render: {e}", file=stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
