"""Ids are never handed out twice: after the newest records go, new ones get new ids.

Before schema version 4 SQLite gave a new row max(id) + 1, so erasing the newest
client and adding someone made the new person "client 5" too: a script or a note
holding that id then reached a different person. m004 rebuilt the record tables
with AUTOINCREMENT. These tests delete the newest records every way the CLI can
(erase, session delete, db purge) and check what comes next; and they upgrade the
old fixture journals and check the rebuild kept every row, id, index, trigger and
search hit, with foreign keys on again afterwards.
"""

from __future__ import annotations

import re
import shutil
import sqlite3
from pathlib import Path

import pytest

from coachlog.store.migrations import RECORD_TABLES, SCHEMA_VERSION
from conftest import ENCRYPTED, connect

FIXTURES = Path(__file__).resolve().parent / "fixtures"
OLD_JOURNALS = sorted(FIXTURES.glob("schema_v*.db"))


def _copy(fixture: Path, journal_path: Path) -> Path:
    journal_path.parent.mkdir(mode=0o700, exist_ok=True)
    shutil.copyfile(fixture, journal_path)
    journal_path.chmod(0o600)
    return journal_path


def _schema(path: Path) -> dict[tuple[str, str], str]:
    """(type, name) -> SQL of every table, index and trigger, whitespace squeezed."""
    # A committed fixture is opened immutable, so reading it leaves no -shm/-wal
    # beside it; a journal in tmp may have pages still in its WAL, so not those.
    flags = "mode=ro&immutable=1" if path.parent.name == "fixtures" else "mode=ro"
    conn = connect(path) if ENCRYPTED else sqlite3.connect(f"file:{path}?{flags}", uri=True)
    try:
        return {
            (kind, name): re.sub(r"\s+", " ", sql)
            for kind, name, sql in conn.execute(
                "SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL"
            )
        }
    finally:
        conn.close()


def _fill(cli_json) -> dict[str, int]:
    """Ann (older) and Ben (newest, with the newest record of every kind)."""
    cli_json("client", "add", "Ann Smith")
    cli_json("session", "log", "-c", "Ann Smith", "-m", "60", "--notes", "ann session")
    ben = cli_json("client", "add", "Ben Jones")
    session = cli_json(
        "session", "log", "-c", "Ben Jones", "-m", "45", "--notes", "ben session",
        "--action", "ben action",
    )  # fmt: skip
    goal = cli_json("goal", "add", "Ben's goal", "-c", "Ben Jones", "--score", "3")
    score = cli_json("goal", "rate", str(goal["id"]), "5")
    reflection = cli_json("reflect", "--text", "about ben", "-c", "Ben Jones")
    return {
        "client": ben["id"],
        "session": session["id"],
        "action": session["actions"][0]["id"],
        "goal": goal["id"],
        "score": score["id"],
        "reflection": reflection["id"],
    }


def test_every_record_table_is_autoincrement_in_a_new_journal(cli_json, journal_path):
    cli_json("client", "list")
    schema = _schema(journal_path)
    for table in RECORD_TABLES:
        assert "id INTEGER PRIMARY KEY AUTOINCREMENT" in schema[("table", table)], table
        assert schema[("table", table)].endswith("STRICT"), table


def test_erasing_the_newest_client_never_gives_their_ids_to_anyone(cli, cli_json, rows):
    erased = _fill(cli_json)
    result = cli("client", "erase", "Ben Jones", "--yes")
    assert result.exit_code == 0, result.stderr
    assert rows("SELECT id FROM clients") == [{"id": 1}]

    cara = cli_json("client", "add", "Cara Doe")
    session = cli_json(
        "session", "log", "-c", "Cara Doe", "-m", "30", "--action", "cara action"
    )  # fmt: skip
    goal = cli_json("goal", "add", "Cara's goal", "-c", "Cara Doe", "--score", "4")
    score = cli_json("goal", "rate", str(goal["id"]), "6")
    reflection = cli_json("reflect", "--text", "about cara", "-c", "Cara Doe")
    new = {
        "client": cara["id"],
        "session": session["id"],
        "action": session["actions"][0]["id"],
        "goal": goal["id"],
        "score": score["id"],
        "reflection": reflection["id"],
    }
    for kind, old_id in erased.items():
        assert new[kind] > old_id, kind
    # The erased person's id leads nowhere, not to the new client.
    result = cli("client", "show", str(erased["client"]))
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: ")


def test_deleting_the_newest_session_never_gives_its_id_to_the_next(cli, cli_json, rows):
    cli_json("client", "add", "Ann Smith")
    cli_json("session", "log", "-c", "Ann Smith", "-m", "60")
    newest = cli_json("session", "log", "-c", "Ann Smith", "-m", "45", "--notes", "gone soon")
    result = cli("session", "delete", str(newest["id"]), "--yes")
    assert result.exit_code == 0, result.stderr
    assert rows("SELECT max(id) AS top FROM sessions") == [{"top": newest["id"] - 1}]

    after = cli_json("session", "log", "-c", "Ann Smith", "-m", "30")
    assert after["id"] > newest["id"]
    assert cli("session", "show", str(newest["id"])).exit_code == 1


def test_purging_the_newest_reflections_never_gives_their_ids_to_the_next(cli_json, rows):
    cli_json("reflect", "--text", "recent", "--on", "2024-02-01")
    # Written last (the highest ids) but dated long ago, so the purge takes them.
    old = [cli_json("reflect", "--text", f"old {n}", "--on", f"2020-01-0{n}") for n in (1, 2)]
    report = cli_json("db", "purge", "--before", "2021-01-01", "--yes")
    assert report["removed"]["reflections"] == 2
    assert rows("SELECT id FROM reflections") == [{"id": 1}]

    after = cli_json("reflect", "--text", "after the purge")
    assert after["id"] > max(r["id"] for r in old)


@pytest.mark.parametrize("fixture", OLD_JOURNALS, ids=lambda p: p.stem)
def test_the_upgrade_keeps_every_index_trigger_and_constraint(
    fixture, cli_json, journal_path, tmp_path, monkeypatch
):
    before = _schema(fixture)
    _copy(fixture, journal_path)
    cli_json("client", "list")
    after = _schema(journal_path)

    # Indexes and triggers come back with exactly the SQL they had.
    for key, sql in before.items():
        if key[0] != "table":
            assert after.get(key) == sql, key
    # Record tables: the same CREATE TABLE but for the quoted name and AUTOINCREMENT
    # (journals from m004 on have them already, and keep them as they were).
    m004_done = "AUTOINCREMENT" in before[("table", "clients")]
    for table in RECORD_TABLES if not m004_done else ():
        old = before[("table", table)]
        if "AUTOINCREMENT" in old:  # a journal made after m004: nothing to rebuild
            assert after[("table", table)] == old, table
            continue
        assert old.startswith(f"CREATE TABLE {table} ( id INTEGER PRIMARY KEY, "), table
        if table == "clients" and "pseudonym" not in old:  # a v1 journal: m002 adds it
            old = old.replace(" ) STRICT", " , pseudonym TEXT) STRICT")
        if table == "reflections":  # m009 adds the private flag
            old = old.replace(
                " ) STRICT",
                " , private INTEGER NOT NULL DEFAULT 0 CHECK (private IN (0, 1))) STRICT",
            )
        expected = old.replace(f"CREATE TABLE {table} (", f'CREATE TABLE "{table}" (', 1)
        expected = expected.replace(
            "id INTEGER PRIMARY KEY,", "id INTEGER PRIMARY KEY AUTOINCREMENT,", 1
        )
        assert after[("table", table)] == expected, table
    # And the result is exactly the schema a new journal gets.
    fresh = tmp_path / "fresh" / "coachlog.db"
    monkeypatch.setenv("COACHLOG_DB", str(fresh))
    cli_json("client", "list")
    assert after == _schema(fresh)

    conn = connect(journal_path)
    try:
        assert conn.execute("PRAGMA user_version").fetchone() == (SCHEMA_VERSION,)
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        # The search index lines up with its records: rowid = id * 4 + kind.
        assert conn.execute(
            "SELECT count(*) FROM search_index s LEFT JOIN sessions t "
            "ON s.kind = 'session' AND t.id = s.entry_id AND s.rowid = t.id * 4 "
            "WHERE s.kind = 'session' AND t.id IS NULL"
        ).fetchone() == (0,)
        assert dict(conn.execute("SELECT name, seq FROM sqlite_sequence")) == {
            "clients": 2,
            "sessions": 3,
            "goals": 2,
            "goal_scores": 4,
            "actions": 4,
            "reflections": 3,
            "supervision": 1,
        }
    finally:
        conn.close()


@pytest.mark.parametrize("fixture", OLD_JOURNALS, ids=lambda p: p.stem)
def test_the_first_command_after_the_upgrade_has_foreign_keys_on(
    fixture, cli, cli_json, rows, journal_path
):
    _copy(fixture, journal_path)
    # Erase refuses to run without foreign keys (the cascades would not happen),
    # and here it runs on the very connection that just upgraded the journal.
    result = cli("client", "erase", "Priya Natarajan", "--yes")
    assert result.exit_code == 0, result.stderr
    assert rows("SELECT count(*) AS n FROM sessions WHERE client_id = 1") == [{"n": 0}]
    assert rows("SELECT count(*) AS n FROM sessions") == [{"n": 1}]  # Zoë's is kept
    assert [h["id"] for h in cli_json("search", "rota")] == []
    assert [h["id"] for h in cli_json("search", "career")] == [3]


def test_a_client_erased_before_the_upgrade_keeps_their_id(cli_json, journal_path):
    _copy(FIXTURES / "schema_v3.db", journal_path)
    # Zoë (client 2, the newest) erased by a coachlog from before m004.
    conn = connect(journal_path)
    conn.execute("PRAGMA foreign_keys = ON")
    with conn:
        conn.execute("DELETE FROM clients WHERE id = 2")
    conn.close()

    added = cli_json("client", "add", "Someone New")
    assert added["id"] == 3
    assert added["id"] != 2


def test_an_upgrade_that_finds_broken_references_changes_nothing(cli, rows, journal_path):
    _copy(FIXTURES / "schema_v3.db", journal_path)
    conn = connect(journal_path)  # foreign keys off, as any other tool has them
    with conn:
        conn.execute("UPDATE sessions SET client_id = 99 WHERE id = 3")
    conn.close()

    for _ in range(2):  # refused the same way every time, never half done
        result = cli("client", "list")
        assert result.exit_code == 1
        assert result.stderr.startswith("Error: Upgrading this journal found records")
        assert "sessions" in result.stderr
        assert "Nothing was changed" in result.stderr
        assert "Traceback" not in result.stderr
        assert result.stdout == ""
    assert rows("PRAGMA user_version") == [{"user_version": 3}]
    assert rows("SELECT count(*) AS n FROM sessions") == [{"n": 3}]
    assert (
        "AUTOINCREMENT"
        not in rows("SELECT sql FROM sqlite_master WHERE name = 'sessions'")[0]["sql"]
    )


def test_an_import_after_an_erase_never_reuses_the_erased_id(cli, cli_json, tmp_path, monkeypatch):
    cli_json("client", "add", "Elsewhere Person")
    backup = tmp_path / "other.json"
    assert cli("export", "backup", "-o", str(backup)).exit_code == 0

    monkeypatch.setenv("COACHLOG_DB", str(tmp_path / "second" / "coachlog.db"))
    cli_json("client", "add", "Ann Smith")
    ben = cli_json("client", "add", "Ben Jones")
    assert cli("client", "erase", "Ben Jones", "--yes").exit_code == 0
    assert cli("import", str(backup), "--from-other-journal").exit_code == 0
    imported = cli_json("client", "show", "Elsewhere Person")
    assert imported["id"] > ben["id"]
