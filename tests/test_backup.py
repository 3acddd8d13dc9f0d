"""`coachlog export backup` and `coachlog import FILE`: a lossless, versioned JSON round trip.

A backup restored into an empty journal exports again byte for byte the same;
importing twice never duplicates (merge by uid: what the journal has is kept);
a damaged, cut-short, foreign or newer file is refused and writes nothing.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import stat
from pathlib import Path

import pytest

from coachlog.store.db import open_journal

COUNTED = (
    "clients",
    "sessions",
    "session_themes",
    "session_cards",
    "session_tags",
    "goals",
    "goal_themes",
    "goal_tags",
    "goal_scores",
    "actions",
    "reflections",
    "reflection_themes",
    "reflection_tags",
    "supervision",
    "decks",
    "search_index",
)

DECK = """
name = "my-deck"
title = "My own deck"
source = "Written by me"

[[themes]]
key = "inner"
title = "Inner work"

[[cards]]
key = "calm"
title = "Calm"
theme = "inner"
description = "Staying steady."
source = "me"

[cards.questions]
self = "What steadies you?"
organisation = "What steadies your team?"
system = "What steadies the system?"
"""


def counts(rows) -> dict[str, int]:
    return {t: rows(f"SELECT count(*) AS n FROM {t}")[0]["n"] for t in COUNTED}


def build_journal(cli_json, cli, tmp_path: Path) -> None:
    """A small journal with a record of every kind, made through the CLI."""
    cli_json(
        "client", "add", "Priya Patel", "--email", "priya@nhs.net", "--organisation", "Trust A"
    )
    cli_json("client", "add", "Will Young", "--named-consent", "-r", "mentoring")
    cli_json(
        "session",
        "log",
        "--client",
        "Priya Patel",
        "--on",
        "2024-03-01",
        "--at",
        "09:30",
        "--minutes",
        "60",
        "--mode",
        "video",
        "--model",
        "grow",
        "--theme",
        "confidence",
        "--theme",
        "influence",
        "--card",
        "resilience",
        "--tag",
        "board",
        "--notes",
        "Notes with [brackets], ünïcödé and\nnew lines.",
        "--private-notes",
        "Private.",
        "--action",
        "Draft the plan",
        "--action-due",
        "2024-03-10",
        "--pro-bono",
    )
    cli_json(
        "session",
        "log",
        "--client",
        "2",
        "--on",
        "2024-03-05",
        "--minutes",
        "90",
        "--format",
        "group",
    )
    goal = cli_json(
        "goal",
        "add",
        "Speak up",
        "--client",
        "1",
        "--score",
        "3",
        "--theme",
        "confidence",
        "--tag",
        "voice",
        "--on",
        "2024-03-01",
    )
    cli_json("goal", "rate", str(goal["id"]), "6", "--note", "Better", "--on", "2024-03-20")
    cli_json("goal", "add", "My own goal")
    cli_json("action", "add", "Book supervision")
    cli_json(
        "reflect",
        "--card",
        "mindset",
        "--text",
        "On my practice",
        "--theme",
        "team",
        "--tag",
        "practice",
        "--on",
        "2024-03-02",
    )
    cli_json(
        "reflect",
        "--card",
        "resilience",
        "--client",
        "1",
        "--goal",
        str(goal["id"]),
        "--session",
        "1",
        "--text",
        "About Priya",
        "--on",
        "2024-03-03",
    )
    cli_json(
        "supervision",
        "log",
        "--minutes",
        "60",
        "--on",
        "2024-03-20",
        "--supervisor",
        "Jane Roe",
        "--notes",
        "Good session",
    )
    deck = tmp_path / "deck.toml"
    deck.write_text(DECK)
    result = cli("cards", "import", str(deck))
    assert result.exit_code == 0, result.stderr
    cli_json("action", "done", "1", "--on", "2024-03-09")


def export(cli, *args: str) -> str:
    result = cli("export", "backup", *args)
    assert result.exit_code == 0, result.stderr
    return result.stdout


def use_journal(monkeypatch, path: Path) -> None:
    monkeypatch.setenv("COACHLOG_DB", str(path))


def test_round_trip_into_an_empty_journal_exports_identically(
    cli, cli_json, rows, tmp_path, monkeypatch
):
    build_journal(cli_json, cli, tmp_path)
    first = export(cli)
    before = counts(rows)
    doc = json.loads(first)
    assert doc["format"] == "coachlog-backup" and doc["version"] == 5
    assert {
        k: len(doc[k])
        for k in ("clients", "sessions", "goals", "actions", "reflections", "supervision", "decks")
    } == {
        "clients": 2,
        "sessions": 2,
        "goals": 2,
        "actions": 2,
        "reflections": 2,
        "supervision": 1,
        "decks": 1,
    }
    assert [s["score"] for s in doc["goals"][0]["scores"]] == [3, 6]
    assert doc["sessions"][0]["client"] == doc["clients"][0]["uid"]
    assert doc["sessions"][0]["private_notes"] == "Private."

    backup = tmp_path / "backup.json"
    backup.write_text(first)
    other = tmp_path / "other" / "journal.db"
    use_journal(monkeypatch, other)
    report = cli_json("import", str(backup))
    assert report["added"]["sessions"] == 2 and sum(report["skipped"].values()) == 0
    assert export(cli) == first
    # Not just the same document: the same rows, search index included.
    conn_rows = counts(lambda sql: _query(other, sql))
    assert conn_rows == before
    # And the restored journal works: the session reads back whole.
    session = cli_json("session", "show", "1")
    assert session["notes"] == "Notes with [brackets], ünïcödé and\nnew lines."
    assert session["actions"][0]["done_on"] == "2024-03-09"
    assert cli_json("search", "brackets")[0]["kind"] == "session"


def _query(path: Path, sql: str):
    import sqlite3

    conn = sqlite3.connect(path)
    conn.row_factory = sqlite3.Row
    try:
        return [dict(r) for r in conn.execute(sql)]
    finally:
        conn.close()


def test_round_trip_of_a_generated_journal(cli, cli_json, tmp_path, monkeypatch, journal_path):
    demo = pytest.importorskip("coachlog.core.demo")
    j = open_journal(journal_path)
    try:
        demo.write(j, demo.generate(seed=7, clients=4, months=4, end=dt.date(2024, 6, 30)))
    finally:
        j.close()
    first = export(cli)
    assert len(json.loads(first)["sessions"]) > 10
    backup = tmp_path / "demo.json"
    backup.write_text(first)
    use_journal(monkeypatch, tmp_path / "restored.db")
    cli_json("import", str(backup))
    assert export(cli) == first


def test_double_import_adds_nothing(cli, cli_json, rows, tmp_path):
    build_journal(cli_json, cli, tmp_path)
    backup = tmp_path / "backup.json"
    backup.write_text(export(cli))
    before = counts(rows)
    report = cli_json("import", str(backup))
    assert sum(report["added"].values()) == 0
    assert report["skipped"]["sessions"] == 2 and report["skipped"]["goal_scores"] == 2
    assert counts(rows) == before
    result = cli("import", str(backup))
    assert result.exit_code == 0
    assert "Imported nothing new." in result.stderr and "Skipped" in result.stderr


def test_merge_keeps_the_journal_copy_and_adds_what_is_new(
    cli, cli_json, rows, tmp_path, monkeypatch
):
    build_journal(cli_json, cli, tmp_path)
    backup = tmp_path / "backup.json"
    backup.write_text(export(cli))
    # The journal moves on: an edit, a new session, a new score.
    cli_json("session", "edit", "1", "--notes", "Edited later.")
    cli_json("session", "log", "--client", "1", "--on", "2024-04-01", "--minutes", "30")
    cli_json("goal", "rate", "1", "8", "--on", "2024-04-01")
    report = cli_json("import", str(backup))
    assert sum(report["added"].values()) == 0
    assert cli_json("session", "show", "1")["notes"] == "Edited later."  # never overwritten

    # The other way: the newer journal's backup into a copy of the old one.
    newer = tmp_path / "newer.json"
    newer.write_text(export(cli))
    use_journal(monkeypatch, tmp_path / "old.db")
    cli_json("import", str(backup))
    report = cli_json("import", str(newer))
    assert report["added"]["sessions"] == 1
    assert report["added"]["goal_scores"] == 1  # a new check-in joins the existing goal
    assert report["skipped"]["sessions"] == 2
    assert [s["score"] for s in cli_json("goal", "show", "1")["scores"]] == [3, 6, 8]


def test_a_different_client_with_the_same_name_is_refused(
    cli, cli_json, rows, tmp_path, monkeypatch
):
    cli_json("client", "add", "Priya Patel")
    cli_json("session", "log", "--client", "1", "--minutes", "30")
    backup = tmp_path / "backup.json"
    backup.write_text(export(cli))
    use_journal(monkeypatch, tmp_path / "other.db")
    cli_json("client", "add", "PRIYA PATEL")
    result = cli("import", str(backup), "--from-other-journal")
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: ") and "same name" in result.stderr
    assert _query(tmp_path / "other.db", "SELECT count(*) AS n FROM sessions") == [{"n": 0}]


def _refused(cli, rows, path: Path, code: int = 2) -> str:
    before = counts(rows)
    result = cli("import", str(path))
    assert result.exit_code == code, result.stderr
    assert result.stderr.startswith("Error: "), result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout == ""
    assert counts(rows) == before
    return result.stderr


def test_truncated_backup_is_refused_and_nothing_written(cli, cli_json, rows, tmp_path):
    build_journal(cli_json, cli, tmp_path)
    text = export(cli)
    cut = tmp_path / "cut.json"
    for size in (len(text) - 3, len(text) // 2, 10):
        cut.write_text(text[:size])
        assert "cut short" in _refused(cli, rows, cut)
    cut.write_text("")
    _refused(cli, rows, cut)


def test_foreign_files_are_refused(cli, cli_json, rows, tmp_path):
    cli_json("client", "add", "Ann")
    path = tmp_path / "foreign.json"
    cases = [
        ('{"tags": {}, "entries": []}', "--from jrnl"),
        ('{"name": "something else"}', "not a coachlog backup"),
        ("[1, 2, 3]", "not a coachlog backup"),
        ("name,minutes\nAnn,60\n", "not valid JSON"),
    ]
    for text, words in cases:
        path.write_text(text)
        assert words in _refused(cli, rows, path), text
    pack = cli("export", "supervision", "--format", "json").stdout
    path.write_text(pack)
    assert "not a backup" in _refused(cli, rows, path)
    path.write_bytes(b"SQLite format 3\x00" + bytes(range(256)) * 4)
    assert "not UTF-8" in _refused(cli, rows, path)


def test_newer_or_tampered_backups_are_refused(cli, cli_json, rows, tmp_path):
    build_journal(cli_json, cli, tmp_path)
    doc = json.loads(export(cli))
    path = tmp_path / "changed.json"

    def refused_with(change, words: str, code: int = 2) -> None:
        changed = json.loads(json.dumps(doc))
        change(changed)
        path.write_text(json.dumps(changed))
        message = _refused(cli, rows, path, code)
        assert words in message, message

    refused_with(lambda d: d.update(version=99), "newer", code=1)
    refused_with(lambda d: d.pop("sessions"), "no sessions")
    refused_with(lambda d: d["sessions"][0].update(minutes=0), "sessions[0].minutes")
    refused_with(lambda d: d["sessions"][0].update(mode="telepathy"), "sessions[0].mode")
    refused_with(lambda d: d["goals"][0]["scores"][0].update(score=11), "scores[0].score")
    refused_with(lambda d: d["clients"][0].update(created_on="yesterday"), "YYYY-MM-DD")
    refused_with(lambda d: d["sessions"][0].update(surprise=1), "surprise")
    refused_with(lambda d: d["decks"][0].update(data="{}"), "deck 'my-deck'")
    refused_with(lambda d: d["clients"].append(dict(d["clients"][0])), "share the id")


def test_import_is_all_or_nothing(cli, cli_json, rows, tmp_path, monkeypatch):
    """A problem found late (a dangling reference in reflections) leaves nothing behind,
    not even the clients and sessions that were already inserted."""
    build_journal(cli_json, cli, tmp_path)
    doc = json.loads(export(cli))
    doc["reflections"][-1]["session"] = "0" * 32
    path = tmp_path / "dangling.json"
    path.write_text(json.dumps(doc))
    use_journal(monkeypatch, tmp_path / "empty.db")
    result = cli("import", str(path))
    assert result.exit_code == 2, result.stderr
    assert "refers to a session" in result.stderr
    empty = tmp_path / "empty.db"
    assert counts(lambda sql: _query(empty, sql)) == dict.fromkeys(COUNTED, 0)


def test_backup_file_is_owner_only_and_never_overwritten(cli, cli_json, tmp_path):
    cli_json("client", "add", "Ann")
    target = tmp_path / "backup.json"
    result = cli("export", "backup", "-o", str(target))
    assert result.exit_code == 0 and result.stdout == ""
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o600
    assert json.loads(target.read_text())["clients"][0]["name"] == "Ann"
    target.write_text("precious")
    result = cli("export", "backup", "-o", str(target))
    assert result.exit_code == 1 and "--force" in result.stderr
    assert target.read_text() == "precious"
    assert cli("export", "backup", "-o", str(target), "--force").exit_code == 0
    assert json.loads(target.read_text())["format"] == "coachlog-backup"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_import_reads_stdin(cli, cli_json, tmp_path, monkeypatch):
    cli_json("client", "add", "Ann")
    text = export(cli)
    use_journal(monkeypatch, tmp_path / "piped.db")
    result = cli("import", "-", "--json", input=text)
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["added"]["clients"] == 1


def test_pseudonyms_survive_a_restore_and_are_not_reused(cli, cli_json, tmp_path, monkeypatch):
    for name in ("Ann", "Bob", "Cat"):
        cli_json("client", "add", name)
    cli("client", "erase", "Cat", "--yes")
    backup = tmp_path / "backup.json"
    backup.write_text(export(cli))
    use_journal(monkeypatch, tmp_path / "restored.db")
    cli_json("import", str(backup))
    cli_json("client", "add", "Dan")
    labels = {c["name"]: c["pseudonym"] for c in json.loads(export(cli))["clients"]}
    assert labels == {"Ann": "Client A", "Bob": "Client B", "Dan": "Client D"}


def test_aliases_and_the_redact_list_survive_a_restore(cli, cli_json, tmp_path, monkeypatch):
    # The backup carried neither: restored on a new laptop, the next pack named
    # "Zo" and "Dr Patel" that the old journal hid (found in second review).
    cli_json("client", "add", "Zoë Smith")
    cli_json("client", "edit", "1", "--alias", "Zo")
    cli_json("redact", "add", "Dr Patel")
    cli_json("session", "log", "-c", "1", "-m", "60", "--notes", "Zo met Dr Patel")
    backup = tmp_path / "backup.json"
    backup.write_text(export(cli))
    doc = json.loads(backup.read_text())
    assert doc["version"] == 5
    assert doc["clients"][0]["aliases"] == ["Zo"]
    assert [r["name"] for r in doc["redactions"]] == ["Dr Patel"]
    use_journal(monkeypatch, tmp_path / "restored.db")
    report = cli_json("import", str(backup))
    assert report["added"]["redactions"] == 1
    use_journal(monkeypatch, tmp_path / "restored-again.db")
    said = cli("import", str(backup)).stderr + cli("import", str(backup)).stdout
    assert "1 name on the redact list" in said
    use_journal(monkeypatch, tmp_path / "restored.db")
    assert cli_json("client", "show", "1")["aliases"] == ["Zo"]
    assert [r["name"] for r in cli_json("redact", "list")] == ["Dr Patel"]
    pack = cli("export", "supervision").stdout
    assert "Zo " not in pack and "Patel" not in pack
    assert export(cli) == backup.read_text()  # byte for byte
    # Importing again adds nothing, and a redact-list name already there is kept once.
    assert cli_json("import", str(backup))["added"]["redactions"] == 0
    assert len(cli_json("redact", "list")) == 1


@pytest.mark.parametrize(
    ("change", "words"),
    [
        (lambda d: d["clients"][0].update(aliases=["Zo\x1b[2J"]), "control characters"),
        (lambda d: d["clients"][0].update(aliases=["  "]), "aliases"),
        (lambda d: d["clients"].append({**d["clients"][0], "uid": "u2", "id": 2,
                                        "name": "Ann Lee", "pseudonym": "Client B",
                                        "aliases": ["ZOE SMITH"]}), "another client is called"),
        (lambda d: d.update(redactions=[{"name": "Ru\x07th", "added_on": "2026-01-01"}]),
         "redactions"),
        (lambda d: d.update(redactions=[{"name": "Ruth", "added_on": "soon"}]), "redactions"),
    ],
)  # fmt: skip
def test_bad_aliases_or_redactions_in_a_backup_are_refused(
    cli, cli_json, rows, tmp_path, change, words
):
    cli_json("client", "add", "Zoë Smith")
    doc = json.loads(export(cli))
    change(doc)
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(doc))
    cli("client", "erase", "1", "--yes")
    result = cli("import", str(path))
    assert result.exit_code == 2, result.stderr
    assert result.stderr.startswith("Error:") and words in result.stderr
    assert rows("SELECT * FROM clients") == [] and rows("SELECT * FROM client_aliases") == []
    assert rows("SELECT * FROM redactions") == []


def test_an_alias_in_a_backup_that_is_a_journal_clients_name_is_refused(
    cli, cli_json, rows, tmp_path, monkeypatch
):
    cli_json("client", "add", "Zoë Smith")
    cli_json("client", "edit", "1", "--alias", "Ann Lee")
    backup = tmp_path / "backup.json"
    backup.write_text(export(cli))
    use_journal(monkeypatch, tmp_path / "other.db")
    cli_json("client", "add", "Ann Lee")
    result = cli("import", str(backup), "--from-other-journal")
    assert result.exit_code == 1, result.stderr
    assert "alias 'Ann Lee'" in result.stderr and "nothing was imported" in result.stderr
    assert [c["name"] for c in cli_json("client", "list")] == ["Ann Lee"]


def test_a_restore_keeps_the_progress_summaries_and_their_triggers(
    cli, cli_json, tmp_path, monkeypatch
):
    # A bulk write of goal scores sets the summary triggers aside and computes the
    # summaries once at the end: after a merge into a journal with scores of its
    # own, they must match the scores, and later writes must still keep them.
    from coachlog.store import summaries
    from conftest import connect

    def check(path: Path) -> None:
        conn = connect(path)
        try:
            assert summaries.differences(conn) == []
            triggers = conn.execute(
                "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' "
                "AND name LIKE 'summary%'"
            ).fetchone()[0]
            assert triggers == len(summaries.trigger_sql())
        finally:
            conn.close()
        whole = cli_json("progress")
        assert whole["themes"] == cli_json("progress", "--since", "1900-01-01")["themes"]

    build_journal(cli_json, cli, tmp_path)
    goal = cli_json("goal", "add", "Chair the huddle", "--theme", "team", "--on", "2024-01-02")
    cli_json("goal", "rate", str(goal["id"]), "4", "--on", "2024-02-03")
    backup = tmp_path / "backup.json"
    backup.write_text(export(cli))
    use_journal(monkeypatch, tmp_path / "other.db")
    cli_json("goal", "add", "Own goal", "--theme", "team", "--on", "2024-01-05", "--score", "7")
    cli_json("import", str(backup), "--from-other-journal")
    check(tmp_path / "other.db")
    cli_json("goal", "rate", "1", "9", "--on", "2024-03-01")  # triggers are back
    check(tmp_path / "other.db")
