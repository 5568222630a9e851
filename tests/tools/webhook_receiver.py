#!/usr/bin/env python3
"""A real webhook receiver for the tests, verifying signatures with an independent
implementation of Standard Webhooks (PyPI standardwebhooks).

Usage: webhook_receiver.py DIR REFUSE_FIRST
Listens on a free port of 127.0.0.1 and prints it. The signing secret is read from DIR/secret
when a message arrives (the test writes it once the subscription exists). Each message is
written to DIR as NNNN.json: its webhook-id, its body, and whether the signature verified. The
first REFUSE_FIRST messages are answered 500, as a receiver having trouble would. Runs until its
standard input closes.
"""
import json
import os
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from standardwebhooks.webhooks import Webhook

OUT = sys.argv[1]
REFUSE_FIRST = int(sys.argv[2])
lock = threading.Lock()
state = {"seen": 0, "kept": 0}


class Receiver(BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("content-length", "0")))
        with lock:
            state["seen"] += 1
            refuse = state["seen"] <= REFUSE_FIRST
        if refuse:
            self.send_response(500)
            self.end_headers()
            return
        headers = {k.lower(): v for k, v in self.headers.items()}
        try:
            with open(os.path.join(OUT, "secret"), encoding="utf-8") as f:
                Webhook(f.read().strip()).verify(body, headers)
            verified, error = True, None
        except Exception as e:  # noqa: BLE001 - any failure to verify is recorded
            verified, error = False, repr(e)
        record = {
            "webhook_id": headers.get("webhook-id"),
            "content_type": headers.get("content-type"),
            "verified": verified,
            "error": error,
            "body": json.loads(body or b"null"),
        }
        with lock:
            state["kept"] += 1
            path = os.path.join(OUT, f"{state['kept']:04}.json")
        with open(path + ".tmp", "w", encoding="utf-8") as f:
            json.dump(record, f)
        os.rename(path + ".tmp", path)
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args):
        pass


def main():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    print(server.server_address[1], flush=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    sys.stdin.read()
    server.shutdown()


if __name__ == "__main__":
    main()
