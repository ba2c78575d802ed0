import os

print("custom payload, bucket", os.environ.get("DEMO_BUCKET"))
