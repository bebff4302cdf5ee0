"""Mirror claimgraph's change feed: every change once, in order, resuming where it stopped."""

import json
import os
import pathlib
import time
import urllib.request

BASE = os.environ.get("CLAIMGRAPH_URL", "http://127.0.0.1:8000")
LAST = pathlib.Path("last-seq.txt")  # the last change handled: where to resume


def follow() -> None:
    after = LAST.read_text() if LAST.exists() else "0"
    request = urllib.request.Request(
        f"{BASE}/v1/changes?after={after}", headers={"Accept": "text/event-stream"}
    )
    with urllib.request.urlopen(request, timeout=60) as stream:  # a heartbeat every 15 s
        for line in stream:
            if line.startswith(b"data: "):
                change = json.loads(line[6:])
                print(change["seq"], change["action"], change["entity"], change["id"], flush=True)
                saved = LAST.with_suffix(".new")  # replaced whole: a kill never leaves it empty
                saved.write_text(str(change["seq"]))
                saved.replace(LAST)


while True:
    try:
        follow()  # returns when the server ends the stream (the database went away)
    except OSError as error:
        print("reconnecting:", error, flush=True)
    time.sleep(2)
