#!/usr/bin/env python3
"""The demo payload's entry point: reads its rendered settings and reports its runtime."""

import os
import platform
import sys

import yaml_free_settings


def main() -> int:
    settings = yaml_free_settings.load(os.path.join(os.path.dirname(__file__), "env", "settings.txt"))
    print(f"hello from {settings['realm']} ({settings['env']}), bucket {settings['bucket']}")
    print(f"machine {platform.machine()}, python {sys.version.split()[0]}")
    print(f"LAVA_TMP={os.environ.get('LAVA_TMP', '')} cwd={os.getcwd()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
