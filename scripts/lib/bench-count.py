#!/usr/bin/env python3
"""Database statements (round trips) per request, for scripts/bench: asks a server started with
SAMMEN_SERVER_TIMING=true for each path in turn on one keep-alive connection and averages the
statement counts of the answers' Server-Timing headers (`db;dur=0.42;desc="3 statements"`).

Usage: bench-count.py BASE_URL TARGET
  TARGET   a path (/api/v1/taxonomy), asked 20 times; or @FILE, a file of paths, one a line,
           of which the first 24 are asked once each (a search can take a second at 100,000
           activities on SQLite).
Each different path is asked once before counting, so that the counted requests are answered as
in a long run: without one-off work (the taxonomy's codes read once, statements prepared), and
from memory where the response cache is on.
Prints the average, e.g. `1` or `0.25`; `?` (and a note on stderr) if an answer had no header.
"""

import http.client
import re
import sys
import urllib.parse

REPEATS = 20  # of a single path
FIRST = 24  # paths of a list

COUNT = re.compile(r'desc="(\d+) statements?"')


def paths_of(target):
    if target.startswith("@"):
        with open(target[1:], encoding="utf-8") as f:
            return [line.strip() for line in f if line.strip()][:FIRST]
    return [target] * REPEATS


def statements(conn, path):
    """The statement count of one answer, or None without a Server-Timing header."""
    conn.request("GET", path)
    answer = conn.getresponse()
    answer.read()
    if answer.status >= 400:
        sys.exit(f"bench-count.py: GET {path}: {answer.status}")
    found = COUNT.search(answer.getheader("Server-Timing") or "")
    return int(found.group(1)) if found else None


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    base, target = urllib.parse.urlsplit(sys.argv[1]), sys.argv[2]
    paths = paths_of(target)
    conn = http.client.HTTPConnection(base.hostname, base.port, timeout=120)
    for path in dict.fromkeys(paths):  # each different path once, in order
        statements(conn, path)
    counts = [statements(conn, path) for path in paths]
    if None in counts:
        print(f"bench-count.py: no Server-Timing header from {target}", file=sys.stderr)
        print("?")
        return
    average = sum(counts) / len(counts)
    print(f"{average:.0f}" if average == int(average) else f"{average:.2f}")


if __name__ == "__main__":
    main()
