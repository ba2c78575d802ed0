#!/usr/bin/python3
"""Where two OCI image layouts of the same build differ, for a digest that should match.

    oci_layout_diff.py FIRST_LAYOUT SECOND_LAYOUT

Walks both from index.json's "latest" down (image index, manifests, configs, layers) and
prints each pair of blobs whose digests differ: JSON documents as the paths of the values
that differ, layers as the tar entries that differ (header fields and content hash), or, when
the entries are the same, that only the compression differs. Exit status 1 when anything
differs.
"""

import gzip
import hashlib
import json
import os
import sys
import tarfile


def blob_path(layout, digest):
    return os.path.join(layout, "blobs", *digest.split(":", 1))


def load(layout, digest):
    with open(blob_path(layout, digest), "rb") as f:
        return json.load(f)


def json_diff(a, b, path=""):
    if isinstance(a, dict) and isinstance(b, dict):
        for k in sorted(set(a) | set(b)):
            yield from json_diff(a.get(k), b.get(k), f"{path}.{k}")
    elif isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        for i, (x, y) in enumerate(zip(a, b)):
            yield from json_diff(x, y, f"{path}[{i}]")
    elif a != b:
        yield f"  {path or '.'}: {json.dumps(a)[:200]} != {json.dumps(b)[:200]}"


def tar_entries(layout, digest):
    result = {}
    with open(blob_path(layout, digest), "rb") as raw:
        with tarfile.open(fileobj=gzip.GzipFile(fileobj=raw), mode="r|") as tar:
            for m in tar:
                content = ""
                if m.isfile():
                    content = hashlib.sha256(tar.extractfile(m).read()).hexdigest()[:16]
                result[m.name] = (m.type.decode(), format(m.mode, "o"), m.uid, m.gid, m.uname,
                                  m.gname, m.mtime, m.size, m.linkname, content,
                                  json.dumps(m.pax_headers, sort_keys=True))
    return result


FIELDS = ("type", "mode", "uid", "gid", "uname", "gname", "mtime", "size", "link", "sha256",
          "pax")


def layer_diff(first, second, a, b):
    ea, eb = tar_entries(first, a), tar_entries(second, b)
    lines = []
    for name in sorted(set(ea) | set(eb)):
        if name not in eb:
            lines.append(f"  only in the first: {name}")
        elif name not in ea:
            lines.append(f"  only in the second: {name}")
        elif ea[name] != eb[name]:
            changed = [f"{f} {x!r} != {y!r}" for f, x, y in zip(FIELDS, ea[name], eb[name]) if x != y]
            lines.append(f"  {name}: {'; '.join(changed)}")
    if not lines:
        lines.append("  same entries in the same order: only the gzip stream differs"
                     if list(ea) == list(eb) else "  same entries, in another order")
    return lines


def walk(first, second, a, b, what, out):
    if a["digest"] == b["digest"]:
        return
    out.append(f"{what}: {a['digest']} != {b['digest']}")
    media = a.get("mediaType", "")
    if "tar" in media:
        out.extend(layer_diff(first, second, a["digest"], b["digest"]))
        return
    da, db = load(first, a["digest"]), load(second, b["digest"])
    out.extend(json_diff(da, db))
    if "index" in media:
        for i, (x, y) in enumerate(zip(da.get("manifests", []), db.get("manifests", []))):
            platform = x.get("platform", {})
            walk(first, second, x, y, f"{what} > manifest {i} ({platform.get('architecture', '?')})", out)
    elif "manifest" in media:
        walk(first, second, da["config"], db["config"], f"{what} > config", out)
        for i, (x, y) in enumerate(zip(da.get("layers", []), db.get("layers", []))):
            walk(first, second, x, y, f"{what} > layer {i}", out)


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: oci_layout_diff.py FIRST_LAYOUT SECOND_LAYOUT")
    first, second = sys.argv[1:]
    with open(os.path.join(first, "index.json")) as f:
        ia = json.load(f)
    with open(os.path.join(second, "index.json")) as f:
        ib = json.load(f)
    out = list(json_diff(ia, ib, "index.json"))
    for x, y in zip(ia["manifests"], ib["manifests"]):
        walk(first, second, x, y, "latest", out)
    print("\n".join(out) if out else "no differences")
    return 1 if out else 0


if __name__ == "__main__":
    sys.exit(main())
