#!/usr/bin/python3
"""What an image adds to its base, as sorted text to compare between two images.

    image_inventory.py BASE_TAR IMAGE_TAR

Both are root filesystems as `docker export` writes them (pipes are fine: each is read
once, the base first). Every entry of the image that the base lacks or holds differently
(type, mode, owner, link target, content) is listed, in sections:

  == distributions   <dist-info directory's parent> <Name>==<Version>, from METADATA
  == files           path, type, mode, owner, and sha256 or link target (.pyc and RECORD
                     files excepted: see below); "removed" for base entries the image lacks
  == scripts         the "#!" line of every added file that has one
  == record          each RECORD's lines but those naming a .pyc, sorted; a script's
                     hash that is not the installed file's is shown as STALE (below)
  == pyc             every added .pyc and __pycache__ directory, and each RECORD's .pyc
                     entries (bytecode differs between pip's timestamp-based and our
                     hash-based files, so presence only)
  == users           the lava lines of /etc/passwd and /etc/group

The user-database files the two engines write differently (useradd's backups, shadow,
subuid, lastlog) are left out of "files"; "users" compares what jobs see.
"""

import base64
import hashlib
import posixpath
import re
import sys
import tarfile

# Written by useradd/groupadd in the Docker engine's image, not by the native engine, and
# not read by jobs: the users section compares /etc/passwd and /etc/group's lava lines.
USER_DB = re.compile(r"^(etc/(passwd|group|shadow|gshadow|subuid|subgid)-?|var/log/(lastlog|faillog))$")
KEEP_TEXT = re.compile(r"(\.dist-info/(METADATA|RECORD)|^etc/(passwd|group))$")


def entries(path):
    """path -> (description tuple, text or None, first line or None)."""
    result = {}
    with tarfile.open(path, "r|") as tar:
        for m in tar:
            name = m.name[2:] if m.name.startswith("./") else m.name
            name = name.rstrip("/")
            if not name or name == ".":
                continue
            owner = f"{m.uid}:{m.gid}"
            mode = format(m.mode & 0o7777, "04o")
            text = first = None
            if m.isfile():
                data = tar.extractfile(m).read()
                desc = ("f", mode, owner, hashlib.sha256(data).hexdigest())
                if KEEP_TEXT.search(name):
                    text = data.decode("utf-8", "replace")
                if data.startswith(b"#!"):
                    first = data.split(b"\n", 1)[0].decode("utf-8", "replace")
            elif m.issym():
                desc = ("l", mode, owner, "-> " + m.linkname)
            elif m.islnk():
                desc = ("h", mode, owner, "=> " + m.linkname.lstrip("./"))
            elif m.isdir():
                desc = ("d", mode, owner, "")
            else:
                desc = ("other", mode, owner, "")
            result[name] = (desc, text, first)
    return result


STALE = "<the hash of the wheel's script before its #! was rewritten>"


def stale_script_hash(image, record_path, line):
    """True for a RECORD line whose hash is not the installed file's, the file being a script
    whose "#!" pip rewrote: pip 20.3 (bullseye's) records the wheel's bytes there
    (pypa/pip#10744). Any other wrong hash is left as it is, to show in the comparison."""
    name, _, rest = line.partition(",")
    digest = rest.split(",", 1)[0]
    if not digest.startswith("sha256="):
        return False
    site = posixpath.dirname(posixpath.dirname(record_path))
    target = posixpath.normpath(posixpath.join(site, name))
    entry = image.get(target)
    if entry is None or entry[0][0] != "f" or entry[2] is None:
        return False
    actual = base64.urlsafe_b64encode(bytes.fromhex(entry[0][3])).rstrip(b"=").decode()
    return digest != "sha256=" + actual


def metadata_field(text, field):
    for line in text.splitlines():
        if not line.strip():
            break  # the body starts
        key, _, value = line.partition(":")
        if key.strip().lower() == field.lower():
            return value.strip()
    return "?"


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: image_inventory.py BASE_TAR IMAGE_TAR")
    base = entries(sys.argv[1])
    image = entries(sys.argv[2])
    added = {p: e for p, e in image.items() if p not in base or base[p][0] != e[0]}

    dists, files, scripts, record, pyc, users = [], [], [], [], [], []
    for path, (desc, text, first) in added.items():
        if path.endswith(".dist-info/METADATA") and text is not None:
            where = path.rsplit("/", 2)[0]
            dists.append(f"{where} {metadata_field(text, 'Name')}=={metadata_field(text, 'Version')}")
        if path.endswith(".pyc") or path.endswith("/__pycache__"):
            pyc.append(path)
        elif path.endswith(".dist-info/RECORD") and text is not None:
            files.append(f"{path} {' '.join(desc[:3])}")
            for line in text.splitlines():
                name = line.split(",", 1)[0]
                if name.endswith(".pyc"):
                    pyc.append(f"{path}: {line}")
                elif stale_script_hash(image, path, line):
                    record.append(f"{path}: {name},{STALE}")
                else:
                    record.append(f"{path}: {line}")
        elif not USER_DB.match(path):
            files.append(f"{path} {' '.join(x for x in desc if x)}")
        if first is not None:
            scripts.append(f"{path}: {first}")
    files += [f"{p} removed" for p in base if p not in image and not USER_DB.match(p)]
    for path in ("etc/passwd", "etc/group"):
        text = image.get(path, (None, None, None))[1] or ""
        users += [f"{path}: {line}" for line in text.splitlines() if line.startswith("lava:")]

    for title, lines in (("distributions", dists), ("files", files), ("scripts", scripts),
                         ("record", record), ("pyc", pyc), ("users", users)):
        print(f"== {title}")
        for line in sorted(lines):
            print(line)


if __name__ == "__main__":
    main()
