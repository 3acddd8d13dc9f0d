"""Old journals upgrade on open without loss; journals from a newer coachlog are left alone.

tests/fixtures/schema_vN.db are journals as coachlog wrote them at schema version
N (tests/fixtures/make_fixtures.py says how). Each test copies one to a temp
folder and opens it with today's coachlog, the way a user upgrading would.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import sqlite3
from pathlib import Path

import pytest

from coachlog.store.migrations import MIGRATION_NAMES, SCHEMA_VERSION

FIXTURES = Path(__file__).resolve().parent / "fixtures"
OLD_JOURNALS = sorted(FIXTURES.glob("schema_v*.db"))


def _version(path: Path) -> int:
    match = re.fullmatch(r"schema_v(\d+)\.db", path.name)
    assert match
    return int(match.group(1))


def _tables(conn: sqlite3.Connection) -> list[str]:
    return [
        name
        for (name,) in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "AND name NOT LIKE 'search_index_%' ORDER BY name"
        )
    ]


def _content(path: Path) -> dict[str, list[tuple]]:
    """Every row of every table, in the columns the old schema had."""
    # A committed fixture is opened immutable, so reading it leaves no -shm/-wal
    # beside it; a journal in tmp may have pages still in its WAL, so not those.
    flags = "mode=ro&immutable=1" if path.parent.name == "fixtures" else "mode=ro"
    conn = sqlite3.connect(f"file:{path}?{flags}", uri=True)
    try:
        found = {}
        for table in _tables(conn):
            columns = [row[1] for row in conn.execute(f"PRAGMA table_info({table})")]
            found[table] = columns  # type: ignore[assignment]
        return {
            table: conn.execute(
                f"SELECT {', '.join(columns)} FROM {table} ORDER BY {', '.join(columns)}"
            ).fetchall()
            for table, columns in found.items()
        }
    finally:
        conn.close()


def _copy(fixture: Path, tmp_path: Path) -> Path:
    target = tmp_path / "journal" / "coachlog.db"
    target.parent.mkdir(mode=0o700)
    shutil.copyfile(fixture, target)
    target.chmod(0o600)
    return target


def test_there_is_a_fixture_for_every_older_schema_version():
    have = {_version(p) for p in OLD_JOURNALS}
    missing = sorted(set(range(1, SCHEMA_VERSION)) - have)
    assert not missing, (
        f"No fixture journal for schema version(s) {missing}: before adding a migration, run "
        "'python tests/fixtures/make_fixtures.py N' for the version it upgrades from."
    )


@pytest.mark.parametrize("fixture", OLD_JOURNALS, ids=lambda p: p.stem)
@pytest.mark.plain_only  # plain fixtures at the journal path (test_encryption: encrypted)
def test_an_old_journal_upgrades_on_open_and_keeps_everything(
    fixture: Path, tmp_path: Path, monkeypatch, cli, cli_json
):
    journal = _copy(fixture, tmp_path)
    monkeypatch.setenv("COACHLOG_DB", str(journal))
    before = _content(fixture)

    clients = cli_json("client", "list", "--all")  # the first open upgrades

    conn = sqlite3.connect(journal)
    assert conn.execute("PRAGMA user_version").fetchone() == (SCHEMA_VERSION,)
    applied = [n for (n,) in conn.execute("SELECT name FROM _sqlite_migrations ORDER BY rowid")]
    assert applied == MIGRATION_NAMES
    assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    conn.close()
    after = _content(journal)
    # Nothing lost or changed: every old row is there with every old column's value.
    for table, rows in before.items():
        old_columns = len(rows[0]) if rows else 0
        if table == "_sqlite_migrations":
            assert after[table][: len(rows)] == rows
            continue
        new_rows = after[table]
        if table == "search_index" and not any(row[0] == "supervision" for row in rows):
            # m005 indexes supervision notes, which older versions did not search.
            new_rows = [row for row in new_rows if row[0] != "supervision"]
        assert [row[:old_columns] for row in new_rows] == rows, table

    # And the CLI reads it all back as it was written.
    assert [c["name"] for c in clients] == ["Priya Natarajan", "Zoë O'Brien"]
    sessions = cli_json("session", "list")
    assert [s["notes"] for s in sessions] == [
        "Mentoring: career options, [bold] stays verbatim.",
        "Follow-up: the rota conversation went well.",
        "Explored delegation; used GROW.",
    ]
    first = cli_json("session", "show", "1")
    assert first["themes"] == ["prioritisation", "team"]
    assert first["cards"] == ["resilience"]
    assert first["private_notes"] == "Mentioned a hard week."
    assert [a["text"] for a in first["actions"]] == ["Draft the delegation list"]
    goal = cli_json("goal", "show", "1")
    assert (goal["baseline"], goal["latest"]) == (3, 6)
    texts = [r["text"] for r in cli_json("reflection", "list")]
    assert "Calm is a practice — Zürich café notes ☕" in texts
    assert "I held back again.\nNext time: one point, early." in texts
    hits = sorted((h["kind"], h["id"]) for h in cli_json("search", "rota"))
    assert hits == [("action", 2), ("session", 2)]  # the search index came along
    # Supervision notes written before m005 are searchable after the upgrade.
    assert [(h["kind"], h["id"]) for h in cli_json("search", "boundaries")] == [("supervision", 1)]
    assert "my-deck" in json.dumps(cli_json("cards", "decks"))
    # New records go in after the old ones.
    added = cli_json("reflect", "--text", "after the upgrade")
    assert added["id"] == 4


@pytest.mark.plain_only  # plain fixtures at the journal path (test_encryption: encrypted)
def test_a_journal_from_a_newer_coachlog_is_refused_and_not_touched(tmp_path, monkeypatch, cli):
    journal = _copy(OLD_JOURNALS[0], tmp_path)
    conn = sqlite3.connect(journal)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    monkeypatch.setenv("COACHLOG_DB", str(journal))
    digest = hashlib.sha256(journal.read_bytes()).hexdigest()

    for args in (["client", "list"], ["client", "add", "New Person"], ["reflect", "--text", "x"]):
        result = cli(*args)
        assert result.exit_code == 1, (args, result.stderr)
        assert result.stderr.startswith(
            f"Error: This journal has schema version {SCHEMA_VERSION + 1}, newer than this "
            "coachlog understands"
        )
        assert "nothing was changed" in result.stderr
        assert "Traceback" not in result.stderr
        assert result.stdout == ""
    assert hashlib.sha256(journal.read_bytes()).hexdigest() == digest


@pytest.mark.plain_only  # plain fixtures at the journal path (test_encryption: encrypted)
def test_unknown_migrations_are_refused_and_not_touched(tmp_path, monkeypatch, cli):
    journal = _copy(OLD_JOURNALS[0], tmp_path)
    conn = sqlite3.connect(journal)
    with conn:
        conn.execute(
            "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
            "VALUES ('coachlog', 'm900_from_the_future', '2030-01-01')"
        )
    conn.close()
    monkeypatch.setenv("COACHLOG_DB", str(journal))
    digest = hashlib.sha256(journal.read_bytes()).hexdigest()
    result = cli("client", "list")
    assert result.exit_code == 1
    assert "m900_from_the_future" in result.stderr
    assert "Traceback" not in result.stderr
    assert hashlib.sha256(journal.read_bytes()).hexdigest() == digest
