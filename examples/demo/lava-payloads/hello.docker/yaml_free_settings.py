"""Reads the key: value lines that env/settings.txt renders to (no third-party parser needed)."""


def load(path):
    settings = {}
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            if ":" in line and not line.lstrip().startswith("#"):
                key, value = line.split(":", 1)
                settings[key.strip()] = value.strip()
    return settings
