"""Scan history in SQLite (standard library): what each scan found, and the trend across scans.

``--history FILE`` records every scan's findings; ``stormproof history`` and the
HTML report read the trend back (open, new and fixed per scan; how long findings
of each policy stay open). The schema is versioned with ``PRAGMA user_version``
and migrated forward in one transaction. Several scans may write one file at
once: WAL journaling lets readers and one writer proceed together, a busy
timeout makes a writer wait for another instead of failing, and each scan is
recorded in one ``BEGIN IMMEDIATE`` transaction, so it appears whole or not at
all. Scans are compared only with earlier scans of the same scope (accounts and
Regions), so two estates sharing a file do not "fix" each other's findings.
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from scanner.errors import InputError
from scanner.report.context import ScanReport

BUSY_TIMEOUT_MS = 60_000
# Each entry moves the schema from version N to N+1; never edit one that has shipped.
MIGRATIONS: tuple[str, ...] = (
    """
    CREATE TABLE scans (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        scope TEXT NOT NULL,
        started_at TEXT,
        finished_at TEXT,
        recorded_at TEXT NOT NULL,
        complete INTEGER NOT NULL,
        tool_version TEXT NOT NULL
    );
    CREATE TABLE findings (
        scan_id INTEGER NOT NULL REFERENCES scans(id) ON DELETE CASCADE,
        fingerprint TEXT NOT NULL,
        policy_id TEXT NOT NULL,
        severity TEXT NOT NULL,
        status TEXT NOT NULL,
        arn TEXT NOT NULL,
        account TEXT NOT NULL,
        region TEXT NOT NULL,
        PRIMARY KEY (scan_id, fingerprint)
    );
    CREATE INDEX scans_by_scope ON scans(scope, id);
    """,
)
SCHEMA_VERSION = len(MIGRATIONS)


@dataclass(frozen=True)
class ScanTrend:
    scan_id: int
    finished_at: str
    complete: bool
    open: int
    new: int
    fixed: int
    unknown: int


def scope_key(report: ScanReport) -> str:
    return f"{','.join(report.scope.accounts)}/{','.join(report.scope.regions)}"


def connect(path: str | os.PathLike[str]) -> sqlite3.Connection:
    """Open (creating if needed) and migrate a history file; a bad file is the user's error."""
    try:
        connection = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
        connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        connection.execute("PRAGMA journal_mode = WAL")
        connection.execute("PRAGMA foreign_keys = ON")
        _migrate(connection)
    except sqlite3.DatabaseError as exc:
        raise InputError(f"{path}: not a usable stormproof history file ({exc})") from exc
    return connection


def _migrate(connection: sqlite3.Connection) -> None:
    connection.execute("BEGIN IMMEDIATE")
    try:
        version = connection.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise InputError(
                f"history schema version {version} is newer than this stormproof understands "
                f"({SCHEMA_VERSION}); upgrade stormproof"
            )
        for number in range(version, SCHEMA_VERSION):
            for statement in MIGRATIONS[number].split(";"):
                if statement.strip():
                    connection.execute(statement)
            connection.execute(f"PRAGMA user_version = {number + 1}")
        connection.execute("COMMIT")
    except BaseException:
        connection.execute("ROLLBACK")
        raise


def record_scan(path: str | os.PathLike[str], report: ScanReport) -> int:
    """Add this scan and its findings in one transaction; return the scan's id."""
    connection = connect(path)
    try:
        connection.execute("BEGIN IMMEDIATE")
        try:
            cursor = connection.execute(
                "INSERT INTO scans (scope, started_at, finished_at, recorded_at, complete, "
                "tool_version) VALUES (?, ?, ?, ?, ?, ?)",
                (
                    scope_key(report),
                    report.scope.started_at,
                    report.scope.finished_at,
                    dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                    int(report.complete),
                    report.tool_version,
                ),
            )
            scan_id = int(cursor.lastrowid or 0)
            connection.executemany(
                "INSERT OR REPLACE INTO findings VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (
                        scan_id,
                        f.fingerprint,
                        f.policy_id,
                        f.severity,
                        f.status,
                        f.arn,
                        f.account,
                        f.region,
                    )
                    for f in report.findings
                ],
            )
            connection.execute("COMMIT")
        except BaseException:
            connection.execute("ROLLBACK")
            raise
        return scan_id
    finally:
        connection.close()


def _scans(connection: sqlite3.Connection, scope: str | None) -> list[tuple]:
    query = "SELECT id, scope, COALESCE(finished_at, recorded_at), complete FROM scans"
    rows = connection.execute(query + " ORDER BY id").fetchall()
    return [row for row in rows if scope is None or row[1] == scope]


def _statuses(connection: sqlite3.Connection, scan_id: int) -> dict[str, tuple[str, str]]:
    rows = connection.execute(
        "SELECT fingerprint, status, policy_id FROM findings WHERE scan_id = ?", (scan_id,)
    )
    return {fingerprint: (status, policy) for fingerprint, status, policy in rows}


def trend(path: str | os.PathLike[str], scope: str | None = None) -> list[ScanTrend]:
    """Per scan: open findings, new (open now, not open in the previous scan of its scope),
    fixed (open before, absent now; an unknown one is not fixed), unknown."""
    if not Path(path).is_file():
        raise InputError(f"{path}: no such history file")
    connection = connect(path)
    try:
        previous: dict[str, dict[str, tuple[str, str]]] = {}
        result = []
        for scan_id, scan_scope, finished, complete in _scans(connection, scope):
            now = _statuses(connection, scan_id)
            before = previous.get(scan_scope, {})
            opened = {fp for fp, (status, _) in now.items() if status == "open"}
            was_open = {fp for fp, (status, _) in before.items() if status == "open"}
            result.append(
                ScanTrend(
                    scan_id=scan_id,
                    finished_at=finished,
                    complete=bool(complete),
                    open=len(opened),
                    new=len(opened - was_open),
                    fixed=len({fp for fp in was_open if fp not in now}),
                    unknown=sum(1 for status, _ in now.values() if status == "unknown"),
                )
            )
            previous[scan_scope] = now
        return result
    finally:
        connection.close()


def _days(start: str, end: str) -> float:
    parse = dt.datetime.fromisoformat
    return (
        parse(end.replace("Z", "+00:00")) - parse(start.replace("Z", "+00:00"))
    ).total_seconds() / 86400


def open_durations(path: str | os.PathLike[str]) -> dict[str, dict[str, Any]]:
    """Per policy: findings seen open, still open, and the mean and longest days open
    (from the first scan that found each open to the last, or to the latest scan)."""
    connection = connect(path)
    try:
        spans: dict[str, list[float]] = defaultdict(list)
        still: dict[str, int] = defaultdict(int)
        for scope in {row[1] for row in _scans(connection, None)}:
            scans = _scans(connection, scope)
            first_seen: dict[str, tuple[str, str]] = {}
            last_seen: dict[str, str] = {}
            for scan_id, _, finished, _ in scans:
                for fp, (status, policy) in _statuses(connection, scan_id).items():
                    if status == "open":
                        first_seen.setdefault(fp, (finished, policy))
                        last_seen[fp] = finished
            latest = scans[-1][2] if scans else None
            latest_open = (
                {fp for fp, (s, _) in _statuses(connection, scans[-1][0]).items() if s == "open"}
                if scans
                else set()
            )
            for fp, (start, policy) in first_seen.items():
                end = latest if fp in latest_open and latest else last_seen[fp]
                spans[policy].append(_days(start, end))
                still[policy] += fp in latest_open
        return {
            policy: {
                "findings": len(values),
                "still_open": still[policy],
                "mean_days": round(sum(values) / len(values), 1),
                "max_days": round(max(values), 1),
            }
            for policy, values in sorted(spans.items())
        }
    finally:
        connection.close()


def render_history(path: str | os.PathLike[str]) -> str:
    """What ``stormproof history`` prints: the trend per scan, then time open per policy."""
    rows = trend(path)
    lines = ["SCAN  FINISHED                   OPEN   NEW  FIXED  UNKNOWN  COMPLETE"]
    for row in rows:
        lines.append(
            f"{row.scan_id:<5} {row.finished_at:<26} {row.open:>4} {row.new:>5} {row.fixed:>6} "
            f"{row.unknown:>8}  {'yes' if row.complete else 'no'}"
        )
    durations = open_durations(path)
    if durations:
        width = max(len(policy) for policy in durations)
        lines += ["", f"{'POLICY':<{width}}  FINDINGS  STILL OPEN  MEAN DAYS OPEN  LONGEST"]
        for policy, d in durations.items():
            lines.append(
                f"{policy:<{width}}  {d['findings']:>8}  {d['still_open']:>10}  "
                f"{d['mean_days']:>14}  {d['max_days']:>7}"
            )
    return "\n".join(lines) + "\n"
