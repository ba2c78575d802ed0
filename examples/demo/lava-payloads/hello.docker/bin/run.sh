#!/bin/sh
# Executable in the source, so executable by everyone in the image.
exec python3 /lava/main.py "$@"
