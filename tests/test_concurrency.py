"""Several coachlog processes writing to one journal at once all succeed, and nothing is lost.

Each worker is a separate Python process that runs the real `coachlog` command
line M times in a loop (the same entry point as the installed script, so every
run opens the journal, takes the write lock, commits and closes, exactly as a
shell loop would), without paying interpreter start-up for every write. The
workers wait at a start line and then all go at once, on a journal that does
not exist yet, so the first-open race (creating the file, switching to WAL,
creating the tables) is part of what is tested. A second test does the same
with `python -m coachlog` itself, one run per process.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

WORKERS = 4
WRITES = 25  # per worker, alternating session log and reflect

WORKER = r"""
import os, sys, time
from pathlib import Path
from coachlog.cli import app

worker, writes, go = sys.argv[1], int(sys.argv[2]), Path(sys.argv[3])

def run(*args):
    code = app(list(args), standalone_mode=False)
    if code:
        print(f"worker {worker}: exit {code} for {args[:2]}", file=sys.stderr)
    return code

while not go.exists():
    time.sleep(0.005)
failures = run("client", "add", f"Worker {worker}") != 0
for i in range(writes):
    if i % 2:
        text = f"reflection {worker}-{i}"
        failures += run("reflect", "--text", text, "--tag", f"w{worker}") != 0
    else:
        failures += run(
            "session", "log", "-c", f"Worker {worker}", "-m", str(i + 1),
            "--notes", f"session {worker}-{i}", "--action", f"action {worker}-{i}",
        ) != 0
sys.exit(1 if failures else 0)
"""


def _env(journal: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["COACHLOG_DB"] = str(journal)
    env["COACHLOG_NO_INPUT"] = "1"
    env.pop("COACHLOG_DEBUG", None)
    return env


def _read(journal: Path, sql: str) -> list[tuple]:
    conn = sqlite3.connect(journal)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def test_n_processes_times_m_writes_all_land(tmp_path: Path):
    journal = tmp_path / "new" / "folder" / "coachlog.db"  # neither file nor folder exists
    go = tmp_path / "go"
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", WORKER, str(w), str(WRITES), str(go)],
            env=_env(journal),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        for w in range(WORKERS)
    ]
    time.sleep(0.5)  # let every worker import coachlog and reach the start line
    go.touch()
    errors = [p.communicate(timeout=300)[1] for p in procs]
    assert [p.returncode for p in procs] == [0] * WORKERS, errors
    assert not any("Traceback" in e or "locked" in e or "busy" in e for e in errors), errors

    sessions = WORKERS * ((WRITES + 1) // 2)
    reflections = WORKERS * (WRITES // 2)
    assert _read(journal, "SELECT count(*) FROM clients") == [(WORKERS,)]
    assert _read(journal, "SELECT count(*) FROM sessions") == [(sessions,)]
    assert _read(journal, "SELECT count(*) FROM actions") == [(sessions,)]
    assert _read(journal, "SELECT count(*) FROM reflections") == [(reflections,)]
    assert _read(journal, "SELECT count(*) FROM search_index") == [(2 * sessions + reflections,)]
    # Every single write is there, with its own text (none duplicated or swapped).
    texts = {t for (t,) in _read(journal, "SELECT text FROM reflections")}
    assert texts == {f"reflection {w}-{i}" for w in range(WORKERS) for i in range(WRITES) if i % 2}
    notes = {n for (n,) in _read(journal, "SELECT notes FROM sessions")}
    assert notes == {
        f"session {w}-{i}" for w in range(WORKERS) for i in range(WRITES) if not i % 2
    }
    # Session numbers per client are 1..n with no gaps: each log saw the ones before it.
    per_client = _read(
        journal,
        "SELECT c.name, count(*), count(DISTINCT s.id) FROM sessions s "
        "JOIN clients c ON c.id = s.client_id GROUP BY c.name",
    )
    assert sorted(n for _, n, _ in per_client) == [(WRITES + 1) // 2] * WORKERS
    assert _read(journal, "PRAGMA integrity_check") == [("ok",)]
    assert _read(journal, "PRAGMA journal_mode") == [("wal",)]


def test_real_coachlog_processes_racing_on_a_new_journal(tmp_path: Path):
    """The installed command itself: four at once on a file none of them has seen."""
    journal = tmp_path / "race" / "coachlog.db"
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "coachlog", "reflect", "--text", f"proc{n}"],
            env=_env(journal),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        for n in range(WORKERS)
    ]
    errors = [p.communicate(timeout=120)[1] for p in procs]
    assert [p.returncode for p in procs] == [0] * WORKERS, errors
    texts = sorted(t for (t,) in _read(journal, "SELECT text FROM reflections"))
    assert texts == [f"proc{n}" for n in range(WORKERS)]
    assert _read(journal, "SELECT count(*) FROM _sqlite_migrations") == _read(
        journal, "SELECT count(DISTINCT name) FROM _sqlite_migrations"
    )
    assert _read(journal, "PRAGMA integrity_check") == [("ok",)]
