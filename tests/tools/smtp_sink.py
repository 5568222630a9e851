#!/usr/bin/env python3
"""A real SMTP server for the tests (PyPI aiosmtpd).

Usage: smtp_sink.py DIR REFUSE_FIRST
Listens on a free port of 127.0.0.1 and prints it. Each message that arrives is written to DIR as
NNNN.json (envelope, From, To, Subject and the decoded plain-text body). The first REFUSE_FIRST
messages are refused with 451 (try again later), as a mail server that is having trouble would.
Runs until its standard input closes (the test that started it ends).
"""
import email
import email.policy
import json
import os
import socket
import sys

from aiosmtpd.controller import Controller


class Sink:
    def __init__(self, out, refuse_first):
        self.out, self.refuse_first, self.refused, self.count = out, refuse_first, 0, 0

    async def handle_DATA(self, server, session, envelope):
        if self.refused < self.refuse_first:
            self.refused += 1
            return "451 4.3.0 Temporary trouble, try again later"
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        body = message.get_body(preferencelist=("plain",))
        record = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            "from": str(message["from"]),
            "to": str(message["to"]),
            "subject": str(message["subject"]),
            "body": body.get_content() if body is not None else "",
        }
        self.count += 1
        path = os.path.join(self.out, f"{self.count:04}.json")
        with open(path + ".tmp", "w", encoding="utf-8") as f:
            json.dump(record, f, ensure_ascii=False)
        os.rename(path + ".tmp", path)
        return "250 OK"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main():
    out, refuse_first = sys.argv[1], int(sys.argv[2])
    port = free_port()
    controller = Controller(Sink(out, refuse_first), hostname="127.0.0.1", port=port)
    controller.start()
    print(port, flush=True)
    sys.stdin.read()
    controller.stop()


if __name__ == "__main__":
    main()
