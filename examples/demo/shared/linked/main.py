print("linked payload: its directory is a symlink under lava-payloads/")
