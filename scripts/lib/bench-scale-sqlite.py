#!/usr/bin/env python3
"""Scales the demo directory up for benchmarks (SQLite), as scripts/lib/bench-scale.sql does on
PostgreSQL: every published demo activity is cloned COPIES times with a fresh id, a numbered name
and a location moved up to about 1 km, with its vocabulary terms, languages, housing areas and
stored occurrences.

Usage: bench-scale-sqlite.py PATH_TO_DB COPIES   (after `sammen seed --demo`; then `sammen
migrate`, which computes the grid points (easting, northing) left empty here, and ANALYZE).

The INSERT column lists come from the catalog (pragma_table_info), so columns added later are
copied from the original row; only those that must differ are set here. The triggers stay on:
they keep the full-text index (activities_fts) and the places' R*Tree (activity_places) in step,
and move the data version (cheap on SQLite: one small row).
"""

import sqlite3
import sys
import uuid

# Columns of a clone that are not its original's. Others are copied.
OVERRIDES = {
    "id": "m.id",
    "name": "a.name || ' ' || m.n",
    "external_id": "NULL",
    # random() is a 64-bit integer: divided by 2^64 it is uniform in [-0.5, 0.5).
    "lat": "a.lat + random() / 18446744073709551616.0 * 0.018",
    "lon": "a.lon + random() / 18446744073709551616.0 * 0.03",
    # The projection of lat/lon: computed by `sammen migrate` (and the server) where NULL.
    "easting": "NULL",
    "northing": "NULL",
    "version": "1",
    "rejection_reason": "NULL",
    "pending_content": "NULL",
    "pending_since": "NULL",
}
# The tables that hang off an activity and are cloned with it (activity_reports are not).
CHILD_TABLES = ["activity_terms", "activity_languages", "activity_housing_areas", "activity_occurrences"]


def check_sqlite():
    """The schema needs FTS5 with the trigram tokenizer (SQLite 3.34+) and R*Tree."""
    probe = sqlite3.connect(":memory:")
    try:
        probe.execute("CREATE VIRTUAL TABLE f USING fts5(x, tokenize = 'trigram')")
        probe.execute("CREATE VIRTUAL TABLE r USING rtree(id, a, b)")
    except sqlite3.OperationalError as e:
        sys.exit(
            f"bench-scale-sqlite.py: Python's SQLite {sqlite3.sqlite_version} lacks FTS5 (trigram) or R*Tree ({e}); "
            "the database's triggers need both. Use a Python linked to a full libsqlite3 (Debian's has both)."
        )


def quoted(names):
    return ", ".join('"' + name + '"' for name in names)


def columns(db, table):
    return [row[0] for row in db.execute("SELECT name FROM pragma_table_info(?) ORDER BY cid", (table,))]


def clone(db, copies):
    sources = [row[0] for row in db.execute("SELECT id FROM activities WHERE status = 'published' ORDER BY id")]
    db.execute("CREATE TEMP TABLE clone_map (source_id TEXT NOT NULL, id TEXT PRIMARY KEY, n INTEGER NOT NULL)")
    db.executemany(
        "INSERT INTO clone_map VALUES (?, ?, ?)",
        ((source, str(uuid.uuid4()), n) for source in sources for n in range(1, copies + 1)),
    )
    names = columns(db, "activities")
    select = ", ".join(OVERRIDES.get(c, f'a."{c}"') for c in names)
    db.execute(
        f"INSERT INTO activities ({quoted(names)}) "
        f"SELECT {select} FROM clone_map m JOIN activities a ON a.id = m.source_id"
    )
    for table in CHILD_TABLES:
        names = columns(db, table)
        select = ", ".join("m.id" if c == "activity_id" else f't."{c}"' for c in names)
        db.execute(
            f"INSERT INTO {table} ({quoted(names)}) "
            f"SELECT {select} FROM clone_map m JOIN {table} t ON t.activity_id = m.source_id"
        )
    db.execute("DROP TABLE clone_map")


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    path, copies = sys.argv[1], int(sys.argv[2])
    check_sqlite()
    db = sqlite3.connect(path, isolation_level=None)
    # A throwaway file: no fsync. One transaction for the whole load.
    db.execute("PRAGMA synchronous = OFF")
    db.execute("PRAGMA busy_timeout = 10000")
    db.execute("BEGIN IMMEDIATE")
    clone(db, copies)
    db.execute("COMMIT")
    for status, count in db.execute("SELECT status, count(*) FROM activities GROUP BY status ORDER BY status"):
        print(f"{status:>10} {count}")
    print(f"occurrences {db.execute('SELECT count(*) FROM activity_occurrences').fetchone()[0]}")
    db.close()


if __name__ == "__main__":
    main()
