#!/usr/bin/env python3
"""A consumer of factlog's event feed: pull every event by cursor and keep a local view of claims.

    python examples/feed_consumer.py --url http://127.0.0.1:5000 --token flk_... --db claims.sqlite

Run it again (or with --follow) and it continues where it stopped: the cursor lives in the local database,
in the same transaction as the rows it produced, so a crash never skips or doubles an event.
Standard library only.
"""
from __future__ import annotations

import argparse
import json
import sqlite3
import sys
import time
import urllib.request
from urllib.error import HTTPError

SCHEMA = """
CREATE TABLE IF NOT EXISTS cursor (id INTEGER PRIMARY KEY CHECK (id = 1), after INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS claims (
    claim_id TEXT PRIMARY KEY, summary TEXT NOT NULL, quote TEXT, said_on TEXT,
    status TEXT NOT NULL, reports INTEGER NOT NULL, verdict TEXT, version INTEGER NOT NULL
);
"""


def fetch_page(base_url: str, token: str, after: int, limit: int) -> dict:
    request = urllib.request.Request(f"{base_url}/api/v1/events?after={after}&limit={limit}",
                                     headers={"Authorization": f"Bearer {token}", "Accept": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.load(response)


def apply(db: sqlite3.Connection, event: dict) -> None:
    """Fold one event into the local claims table (other event types are not this view's business)."""
    data, claim_id = event["data"], event["data"].get("claim_id")
    if event["type"] == "ClaimRecorded":
        db.execute("INSERT INTO claims VALUES (?, ?, ?, ?, 'active', 0, NULL, ?)",
                   (claim_id, data["summary"], data.get("quote"), json.dumps(data.get("said_on")), event["version"]))
    elif event["type"] == "ClaimReported":
        db.execute("UPDATE claims SET reports = reports + 1, version = ? WHERE claim_id = ?", (event["version"], claim_id))
    elif event["type"] == "ClaimCorrected":
        if data["field"] in ("summary", "quote"):
            db.execute(f"UPDATE claims SET {data['field']} = ? WHERE claim_id = ?", (data["new_value"], claim_id))
        db.execute("UPDATE claims SET status = 'corrected', version = ? WHERE claim_id = ? AND status = 'active'",
                   (event["version"], claim_id))
    elif event["type"] == "ClaimRetracted":
        db.execute("UPDATE claims SET status = 'retracted', version = ? WHERE claim_id = ?", (event["version"], claim_id))
    elif event["type"] == "VerdictGiven":
        db.execute("UPDATE claims SET verdict = ?, version = ? WHERE claim_id = ?",
                   (data["rating_label"], event["version"], claim_id))


def sync(base_url: str, token: str, db: sqlite3.Connection, limit: int = 500) -> int:
    """Pull every event after the stored cursor; return how many were applied."""
    applied = 0
    while True:
        row = db.execute("SELECT after FROM cursor WHERE id = 1").fetchone()
        after = row[0] if row else 0
        page = fetch_page(base_url, token, after, limit)
        if not page["events"]:
            return applied
        with db:  # the rows and the cursor move together
            for event in page["events"]:
                apply(db, event)
            db.execute("INSERT INTO cursor VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET after = excluded.after",
                       (page["next_after"],))
        applied += len(page["events"])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:5000")
    parser.add_argument("--token", required=True, help="a read token: factlog tokens create --scope read ...")
    parser.add_argument("--db", default="claims.sqlite")
    parser.add_argument("--follow", action="store_true", help="keep polling for new events")
    args = parser.parse_args(argv)
    db = sqlite3.connect(args.db)
    db.executescript(SCHEMA)
    try:
        while True:
            count = sync(args.url.rstrip("/"), args.token, db)
            print(f"applied {count} events", file=sys.stderr)
            if not args.follow:
                break
            time.sleep(2)
    except HTTPError as error:
        print(f"factlog answered {error.code}: {error.read().decode(errors='replace')}", file=sys.stderr)
        return 1
    for claim_id, summary, status, reports, verdict in db.execute(
            "SELECT claim_id, summary, status, reports, verdict FROM claims ORDER BY rowid"):
        print(f"{claim_id}  {status:<9}  {reports} report(s)  {verdict or '-':<12}  {summary}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
