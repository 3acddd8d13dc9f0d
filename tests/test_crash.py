"""A coachlog process killed at any moment leaves a sound journal with all or none of its change.

Each test starts a real process writing to the journal, kills it with SIGKILL
(no clean-up, no `finally`, no Python at all after the signal) while it is
writing, then checks the journal as the next coachlog would find it: `db check`
passes, and the killed command's change is either wholly there or wholly absent.

- one big transaction: the page cache spills uncommitted pages into the
  write-ahead log before the kill, which SQLite must ignore afterwards;
- many small commands in a row: every command that committed is complete (its
  labels and search entry included), the one in flight left nothing;
- `coachlog import --from jrnl` of a large export, killed part way.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from coachlog.cli import app


def _env(journal: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["COACHLOG_DB"] = str(journal)
    env["COACHLOG_NO_INPUT"] = "1"
    env.pop("COACHLOG_DEBUG", None)
    return env


def _count(journal: Path, sql: str) -> int:
    conn = sqlite3.connect(journal)
    try:
        return int(conn.execute(sql).fetchone()[0])
    finally:
        conn.close()


def _assert_sound(journal: Path) -> None:
    """What the next coachlog run sees: `db check` is happy and the data reads."""
    result = CliRunner().invoke(
        app, ["--db", str(journal), "db", "check", "--json"], catch_exceptions=False
    )
    assert result.exit_code == 0, result.stdout + result.stderr
    assert json.loads(result.stdout)["ok"] is True
    assert _count(journal, "SELECT count(*) FROM pragma_integrity_check") == 1  # just "ok"
    assert _count(journal, "SELECT count(*) FROM pragma_foreign_key_check") == 0


def _kill_when(proc: subprocess.Popen, ready, timeout: float = 60.0) -> None:
    """SIGKILL `proc` as soon as `ready()` is true; fail if it ended first."""
    deadline = time.monotonic() + timeout
    while not ready():
        assert proc.poll() is None, f"the writer ended before it could be killed: {proc.stderr}"
        assert time.monotonic() < deadline, "the writer never got going"
        time.sleep(0.002)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL


def _seed(journal: Path) -> None:
    """A journal with one committed reflection in it, created the way a user would."""
    os.environ["COACHLOG_DB"] = str(journal)  # the autouse fixture restores it
    assert app(["reflect", "--text", "before the crash"], standalone_mode=False) == 0


BIG_TRANSACTION = r"""
import sys
from coachlog.core import reflections
from coachlog.store.db import open_journal

j = open_journal()
with j.write():
    for i in range(1_000_000):
        reflections.record(j, text=f"uncommitted {i} " + "x" * 2000, tags=["crash"],
                           themes=["team"])
        if i == 2000:  # well past the page cache: pages are spilling into the log
            print("writing", flush=True)
"""


def test_killed_inside_one_big_transaction_leaves_none_of_it(tmp_path: Path):
    journal = tmp_path / "coachlog.db"
    _seed(journal)
    proc = subprocess.Popen(
        [sys.executable, "-c", BIG_TRANSACTION],
        env=_env(journal),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    assert proc.stdout.readline() == "writing\n"
    wal = Path(str(journal) + "-wal")
    _kill_when(proc, lambda: wal.exists() and wal.stat().st_size > 1_000_000)

    _assert_sound(journal)
    assert _count(journal, "SELECT count(*) FROM reflections") == 1
    assert _count(journal, "SELECT count(*) FROM reflection_tags") == 0
    assert _count(journal, "SELECT count(*) FROM search_index") == 1


COMMAND_LOOP = r"""
from coachlog.cli import app

for i in range(1_000_000):
    code = app(["reflect", "--text", f"entry {i}", "--tag", "a", "--tag", "b",
                "--theme", "team"], standalone_mode=False)
    assert code == 0, code
    if i == 20:
        print("writing", flush=True)
"""


def test_killed_between_and_during_commands_every_command_is_whole(tmp_path: Path):
    journal = tmp_path / "coachlog.db"
    _seed(journal)
    proc = subprocess.Popen(
        [sys.executable, "-c", COMMAND_LOOP],
        env=_env(journal),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    assert proc.stdout.readline() == "writing\n"
    time.sleep(0.3)  # a few more commands, then kill wherever it happens to be
    _kill_when(proc, lambda: True)

    _assert_sound(journal)
    entries = _count(journal, "SELECT count(*) FROM reflections")
    assert entries > 20
    # Every reflection that exists is complete: both tags, its theme, its search entry.
    assert _count(journal, "SELECT count(*) FROM reflection_tags") == 2 * (entries - 1)
    assert _count(journal, "SELECT count(*) FROM reflection_themes") == entries - 1
    assert _count(journal, "SELECT count(*) FROM search_index") == entries
    # And they are the first N commands, none skipped.
    assert _count(journal, "SELECT count(DISTINCT text) FROM reflections") == entries


def _jrnl_export(entries: int) -> str:
    return json.dumps(
        {
            "tags": {"@work": entries},
            "entries": [
                {
                    "title": f"Entry {i}",
                    "body": f"Imported body {i} " + "words " * 80,
                    "date": f"20{10 + i % 14}-{1 + i % 12:02d}-{1 + i % 28:02d}",
                    "time": f"{i % 24:02d}:{i % 60:02d}",
                    "tags": ["@work", "@team"],
                    "starred": i % 7 == 0,
                }
                for i in range(entries)
            ],
        }
    )


# Killed at the first spill of the page cache into the log, and well after it.
@pytest.mark.parametrize("kill_at_wal_bytes", [0, 4_000_000])
def test_import_killed_part_way_is_all_or_nothing(tmp_path: Path, kill_at_wal_bytes: int):
    journal = tmp_path / "coachlog.db"
    _seed(journal)
    export = tmp_path / "jrnl.json"
    total = 12_000
    export.write_text(_jrnl_export(total))
    proc = subprocess.Popen(
        [sys.executable, "-m", "coachlog", "import", "--from", "jrnl", str(export)],
        env=_env(journal),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    wal = Path(str(journal) + "-wal")
    _kill_when(proc, lambda: wal.exists() and wal.stat().st_size > kill_at_wal_bytes)

    _assert_sound(journal)
    imported = _count(journal, "SELECT count(*) FROM reflections") - 1
    print(f"killed at >{kill_at_wal_bytes} bytes of log: {imported} imported")
    assert imported in (0, total)
    assert _count(journal, "SELECT count(*) FROM reflection_tags") == 2 * imported
    assert _count(journal, "SELECT count(*) FROM search_index") == 1 + imported

    if kill_at_wal_bytes:
        return
    # The next import of the same file completes normally.
    env = _env(journal)
    done = subprocess.run(
        [sys.executable, "-m", "coachlog", "import", "--from", "jrnl", str(export), "--json"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert _count(journal, "SELECT count(*) FROM reflections") == 1 + total
