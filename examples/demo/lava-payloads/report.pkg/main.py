print("a pkg payload: not a docker payload, lava-docker leaves it alone")
