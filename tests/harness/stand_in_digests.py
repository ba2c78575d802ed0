#!/usr/bin/env python3
"""Prints the environment that registers a project's stand-ins for the lava framework's
stock files (etc/Dockerfile, etc/sagemakertopython.tpl) as if they were released versions:

    LAVA_DOCKER_EXTRA_STOCK_DOCKERFILE_DIGESTS=<digest>
    LAVA_DOCKER_EXTRA_NOTEBOOK_TEMPLATE_DIGESTS=<digest>

    stand_in_digests.py PROJECT_DIR

The digest is of the normalised text (lines without a trailing CR, stripped of spaces and
tabs, empty and '#' lines dropped, joined with newlines plus a final one), computed here
independently of lava-docker's C++ so the two check each other.
"""
import hashlib
import pathlib
import sys


def digest(path):
    lines = []
    for line in path.read_bytes().decode("utf-8").split("\n"):
        line = line.removesuffix("\r").strip(" \t")
        if line and not line.startswith("#"):
            lines.append(line)
    return hashlib.sha256(("\n".join(lines) + "\n").encode("utf-8")).hexdigest()


etc = pathlib.Path(sys.argv[1]) / "etc"
print("LAVA_DOCKER_EXTRA_STOCK_DOCKERFILE_DIGESTS=" + digest(etc / "Dockerfile"))
print("LAVA_DOCKER_EXTRA_NOTEBOOK_TEMPLATE_DIGESTS=" + digest(etc / "sagemakertopython.tpl"))
