"""The floors, served as the app is (jobboard/serving.py).

- `/ping`: a bare Flask endpoint.
- `/relay?i=N`: the thinnest app that could stand between a client and Meilisearch. It sends
  the N-th multi-search of `BENCH_BODIES` (a JSON list, the bodies the app's searches send)
  as it is, on one kept-alive connection (as the app's transport does), and returns
  Meilisearch's reply unchanged: no parsing, no database, no JSON of its own. What the app
  costs above it is the app's own work.
"""
import http.client
import json
import os
import threading
from pathlib import Path
from urllib.parse import urlsplit

from flask import Flask, Response, request

app = Flask(__name__)
BODIES = ([json.dumps({"queries": body}).encode()
           for body in json.loads(Path(os.environ["BENCH_BODIES"]).read_text())]
          if os.environ.get("BENCH_BODIES") else [])
MEILI = urlsplit(os.environ.get("BENCH_MEILI_URL", "http://127.0.0.1:7700"))
HEADERS = {"Authorization": f"Bearer {os.environ.get('BENCH_MEILI_KEY', '')}",
           "Content-Type": "application/json", "Accept-Encoding": "identity"}
_local = threading.local()  # a connection per thread, as the app's clients


@app.get("/ping")
def ping():
    return {"ok": True}


@app.get("/relay")
def relay():
    if getattr(_local, "connection", None) is None:
        _local.connection = http.client.HTTPConnection(MEILI.hostname, MEILI.port)
    _local.connection.request("POST", "/multi-search", BODIES[int(request.args["i"])], HEADERS)
    reply = _local.connection.getresponse()
    return Response(reply.read(), status=reply.status, mimetype="application/json")
