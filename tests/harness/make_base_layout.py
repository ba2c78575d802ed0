#!/usr/bin/python3
"""Assemble a multi-platform OCI image layout from root filesystem tarballs.

Each ARCH=TARBALL argument becomes one single-layer image: the tarball's
entries are re-streamed into a gzip-compressed layer (device nodes and the
contents of /dev dropped, as in images from a registry; leading "./" dropped),
hashed while streaming. The layout's index.json names:
  latest  an OCI image index over all the platforms
  <arch>  each platform's manifest on its own
Output is a pure function of the inputs (gzip mtime 0, fixed JSON
serialisation, creation time taken from the tarball's root entry).
"""

import argparse
import datetime
import gzip
import hashlib
import json
import os
import shutil
import tarfile

INDEX = "application/vnd.oci.image.index.v1+json"
MANIFEST = "application/vnd.oci.image.manifest.v1+json"
CONFIG = "application/vnd.oci.image.config.v1+json"
LAYER = "application/vnd.oci.image.layer.v1.tar+gzip"
REF_NAME = "org.opencontainers.image.ref.name"
DEFAULT_PATH = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"


class HashingWriter:
    """File-like sink that hashes and counts what passes through."""

    def __init__(self, sink):
        self.sink = sink
        self.sha = hashlib.sha256()
        self.size = 0

    def write(self, data):
        self.sha.update(data)
        self.size += len(data)
        return self.sink.write(data)

    def flush(self):
        self.sink.flush()


def canonical(obj):
    return json.dumps(obj, sort_keys=True, separators=(",", ":")).encode()


def put_blob(blobs, data):
    digest = hashlib.sha256(data).hexdigest()
    with open(os.path.join(blobs, digest), "wb") as f:
        f.write(data)
    return {"digest": "sha256:" + digest, "size": len(data)}


def keep(member):
    name = member.name
    if member.ischr() or member.isblk() or member.isfifo():
        return False
    if name in (".", "./", ""):
        return False
    return not (name.startswith("./dev/") or name.startswith("dev/"))


def strip_dot(name):
    return name[2:] if name.startswith("./") else name


def write_layer(tarball, blobs):
    """Re-stream TARBALL into a gzip layer blob; return (descriptor, diff_id, created)."""
    tmp = os.path.join(blobs, "layer.partial")
    created = None
    with open(tmp, "wb") as raw:
        compressed = HashingWriter(raw)
        with gzip.GzipFile(fileobj=compressed, mode="wb", compresslevel=6, mtime=0) as gz:
            plain = HashingWriter(gz)
            with tarfile.open(tarball, "r|") as src, \
                    tarfile.open(fileobj=plain, mode="w|", format=tarfile.PAX_FORMAT) as dst:
                for member in src:
                    if member.name in (".", "./"):
                        created = member.mtime
                    if not keep(member):
                        continue
                    member.name = strip_dot(member.name)
                    if member.islnk():
                        member.linkname = strip_dot(member.linkname)
                    dst.addfile(member, src.extractfile(member) if member.isfile() else None)
    digest = compressed.sha.hexdigest()
    os.replace(tmp, os.path.join(blobs, digest))
    descriptor = {"mediaType": LAYER, "digest": "sha256:" + digest, "size": compressed.size}
    return descriptor, "sha256:" + plain.sha.hexdigest(), created or 0


def platform_of(arch):
    platform = {"architecture": arch, "os": "linux"}
    if arch == "arm64":
        platform["variant"] = "v8"
    return platform


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", required=True, help="layout directory to create")
    parser.add_argument("--created-by", required=True, help="history entry text")
    parser.add_argument("--env", action="append", default=[], metavar="KEY=VALUE",
                        help="the config's Env (default: the usual PATH alone)")
    parser.add_argument("images", nargs="+", metavar="ARCH=TARBALL")
    args = parser.parse_args()

    shutil.rmtree(args.out, ignore_errors=True)
    blobs = os.path.join(args.out, "blobs", "sha256")
    os.makedirs(blobs)

    entries = []
    per_arch = []
    for spec in args.images:
        arch, tarball = spec.split("=", 1)
        layer, diff_id, created_epoch = write_layer(tarball, blobs)
        created = datetime.datetime.fromtimestamp(created_epoch, datetime.timezone.utc)
        created = created.strftime("%Y-%m-%dT%H:%M:%SZ")
        config = {
            "created": created,
            "architecture": arch,
            "os": "linux",
            "config": {
                "Env": args.env or [DEFAULT_PATH],
                "Cmd": ["/bin/bash"],
            },
            "rootfs": {"type": "layers", "diff_ids": [diff_id]},
            "history": [{"created": created,
                         "created_by": args.created_by.replace("ARCH", arch),
                         "comment": "lava-docker test harness base image"}],
        }
        if arch == "arm64":
            config["variant"] = "v8"
        config_desc = dict(mediaType=CONFIG, **put_blob(blobs, canonical(config)))
        manifest = {"schemaVersion": 2, "mediaType": MANIFEST, "config": config_desc,
                    "layers": [layer]}
        manifest_desc = dict(mediaType=MANIFEST, **put_blob(blobs, canonical(manifest)))
        entries.append(dict(manifest_desc, platform=platform_of(arch)))
        per_arch.append(dict(manifest_desc, annotations={REF_NAME: arch}))

    image_index = {"schemaVersion": 2, "mediaType": INDEX, "manifests": entries}
    index_desc = dict(mediaType=INDEX, **put_blob(blobs, canonical(image_index)))
    layout_index = {"schemaVersion": 2, "mediaType": INDEX,
                    "manifests": [dict(index_desc, annotations={REF_NAME: "latest"})] + per_arch}
    with open(os.path.join(args.out, "index.json"), "wb") as f:
        f.write(canonical(layout_index))
    with open(os.path.join(args.out, "oci-layout"), "wb") as f:
        f.write(canonical({"imageLayoutVersion": "1.0.0"}))
    print(index_desc["digest"])


if __name__ == "__main__":
    main()
