"""`coachlog db path|status|check|backup`: the journal file, looked after.

Damage is made for real (rows removed behind the triggers' back, a parent deleted with
foreign keys off, a file that is not a database) and the checks must find it.
"""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from coachlog.store.migrations import SCHEMA_VERSION
from conftest import ENCRYPTED, connect


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _fill(cli_json) -> None:
    cli_json("client", "add", "Ann")
    cli_json("session", "log", "-c", "Ann", "--minutes", "50", "--notes", "Spoke of rotas.")
    cli_json("goal", "add", "Plan the rota", "-c", "Ann", "--score", "3")
    cli_json("reflect", "--text", "Rotas again", "--card", "mindset")


# ---------------------------------------------------------------- path


@pytest.mark.plain_only  # no journal before the test: the encrypted run starts from one
def test_path_prints_the_journal_path_without_creating_it(cli, cli_json, journal_path, tmp_path):
    result = cli("db", "path")
    assert result.exit_code == 0
    assert result.stdout.strip() == str(journal_path)
    assert cli_json("db", "path") == {"path": str(journal_path)}
    other = tmp_path / "elsewhere" / "j.db"
    assert cli("--db", str(other), "db", "path").stdout.strip() == str(other)
    assert not journal_path.exists()
    assert not journal_path.parent.exists()


def test_path_falls_back_to_the_user_data_folder(cli, monkeypatch, tmp_path):
    monkeypatch.delenv("COACHLOG_DB")
    shown = Path(cli("db", "path").stdout.strip())
    assert shown.name == "coachlog.db"
    assert str(shown).startswith(str(tmp_path))


# ---------------------------------------------------------------- status


def test_status_counts_and_sizes(cli, cli_json, journal_path):
    _fill(cli_json)
    status = cli_json("db", "status")
    assert status["path"] == str(journal_path)
    assert status["schema_version"] == SCHEMA_VERSION
    assert status["counts"] == {
        "clients": 1,
        "sessions": 1,
        "goals": 1,
        "scores": 1,
        "actions": 0,
        "reflections": 1,
        "supervision": 0,
        "decks": 0,
        "engagements": 0,
        "outcomes": 0,
        "assessments": 0,
    }
    assert status["size_bytes"] >= journal_path.stat().st_size > 0
    assert status["owner_only"] is True
    human = cli("db", "status")
    assert human.exit_code == 0
    assert "Owner-only" in human.stdout
    assert "1 sessions" in human.stdout


@pytest.mark.plain_only  # no journal before the test: the encrypted run starts from one
def test_status_of_a_missing_journal_is_exit_1_and_creates_nothing(cli, journal_path):
    for command in ("status", "check"):
        result = cli("db", command)
        assert result.exit_code == 1
        assert result.stderr.startswith("Error: ")
        assert not journal_path.exists()


# ---------------------------------------------------------------- check


def test_check_passes_on_a_sound_journal(cli, cli_json):
    _fill(cli_json)
    report = cli_json("db", "check")
    assert report["ok"] is True
    assert report["problems"] == []
    assert "No problems" in cli("db", "check").stderr


def test_check_finds_a_search_index_out_of_step_and_repair_mends_it(cli, cli_json, journal_path):
    _fill(cli_json)
    conn = connect(journal_path)
    conn.execute("DELETE FROM search_index WHERE kind = 'session'")
    conn.commit()
    conn.close()
    assert cli_json("search", "rotas") == [
        {"kind": "reflection", "id": 1, "date": cli_json("reflection", "show", "1")["on"],
         "client": None, "snippet": "«Rotas» again"}
    ]  # fmt: skip

    result = cli("db", "check", "--json")
    assert result.exit_code == 1
    import json

    report = json.loads(result.stdout)
    assert report["ok"] is False
    assert [p["check"] for p in report["problems"]] == ["search-index"]
    assert "--repair" in result.stderr

    repaired = cli("db", "check", "--repair", "--json")
    assert repaired.exit_code == 0, repaired.stderr
    assert json.loads(repaired.stdout)["repaired"] is True
    assert {h["kind"] for h in cli_json("search", "rotas")} == {"session", "reflection"}
    assert cli("db", "check").exit_code == 0


def test_check_finds_progress_summaries_out_of_step_and_repair_mends_them(
    cli, cli_json, journal_path
):
    _fill(cli_json)
    cli_json("goal", "rate", "1", "7")
    # A themed goal scored in two months: the summaries' trend rows have work to do.
    themed = cli_json("goal", "add", "Lead the huddle", "--theme", "team", "--on", "2025-01-02")
    cli_json("goal", "rate", str(themed["id"]), "4", "--on", "2025-01-03")
    cli_json("goal", "rate", str(themed["id"]), "6", "--on", "2025-03-03")
    before = cli_json("progress")
    assert next(t for t in before["themes"] if t["key"] == "team")["trend"]
    conn = connect(journal_path)
    conn.execute("UPDATE summary_goal_ends SET last_score = 1")  # as a bug might leave it
    conn.execute("UPDATE summary_theme_months SET delta = delta + 3")
    conn.commit()
    conn.close()
    result = cli("db", "check", "--json")
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert [p["check"] for p in report["problems"]] == ["summaries"]
    assert "db check --repair" in result.stderr  # the advice for what coachlog can mend

    repaired = cli("db", "check", "--repair", "--json")
    assert repaired.exit_code == 0, repaired.stderr
    assert json.loads(repaired.stdout)["repaired"] is True
    assert "progress summaries" in repaired.stderr
    assert cli_json("progress") == before
    assert cli("db", "check").exit_code == 0

    # A trigger that keeps them gone: every later rating would drift unseen.
    conn = connect(journal_path)
    conn.execute("DROP TRIGGER summary_scores_insert")
    conn.commit()
    conn.close()
    missing = cli("db", "check", "--json")
    assert missing.exit_code == 1
    assert "triggers" in json.loads(missing.stdout)["problems"][0]["message"]
    assert cli("db", "check", "--repair").exit_code == 0
    cli_json("goal", "rate", str(themed["id"]), "9", "--on", "2025-04-03")
    assert cli("db", "check").exit_code == 0  # kept by the trigger made again


def test_check_finds_records_pointing_at_missing_entries(cli, cli_json, journal_path):
    _fill(cli_json)
    conn = connect(journal_path)  # foreign keys are off on a plain connection
    conn.execute("DELETE FROM clients")
    conn.commit()
    conn.close()
    result = cli("db", "check")
    assert result.exit_code == 1
    assert "foreign-keys" in result.stderr
    assert "backup" in result.stderr


@pytest.mark.plain_only  # no journal before the test: the encrypted run starts from one
def test_check_reports_a_file_that_is_not_a_journal(cli, journal_path):
    journal_path.parent.mkdir(parents=True)
    journal_path.write_bytes(b"not a database at all" * 100)
    result = cli("db", "check")
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: ")
    assert "Traceback" not in result.stderr


def test_check_finds_a_damaged_page(cli, cli_json, journal_path):
    _fill(cli_json)
    page = 4096
    size = journal_path.stat().st_size
    # Scribble over every page but the first (the header), keeping the file's length.
    with open(journal_path, "r+b") as f:
        for offset in range(page, size, page):
            f.seek(offset + 100)
            f.write(b"\xa5" * 200)
    for command in ("check", "status"):
        result = cli("db", command)
        assert result.exit_code == 1, command
        assert result.stderr.startswith("Error: ")
        assert "Traceback" not in result.stderr
    assert "integrity" in cli("db", "check").stderr


# ---------------------------------------------------------------- backup


def test_backup_is_a_full_owner_only_copy(cli, cli_json, journal_path, tmp_path):
    _fill(cli_json)
    target = tmp_path / "backups" / "copy.db"
    target.parent.mkdir()
    done = cli_json("db", "backup", str(target))
    assert done["path"] == str(target)
    assert done["source"] == str(journal_path)
    assert done["size_bytes"] == target.stat().st_size
    assert _mode(target) == 0o600
    # No temp file left behind (an encrypted journal's copy has its key file beside it).
    assert sorted(os.listdir(target.parent)) == ["copy.db"] + ["copy.db.key"] * ENCRYPTED
    copy = connect(target)
    try:
        assert copy.execute("SELECT name FROM clients").fetchall() == [("Ann",)]
        assert copy.execute("PRAGMA journal_mode").fetchone() == ("delete",)
        assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    finally:
        copy.close()
    # The copy is a working journal.
    assert cli_json("--db", str(target), "search", "rotas")


def test_backup_takes_a_consistent_snapshot_while_another_writer_is_busy(
    cli, cli_json, journal_path, tmp_path
):
    _fill(cli_json)
    writer = connect(journal_path, isolation_level=None)
    try:
        writer.execute("BEGIN IMMEDIATE")
        writer.execute(
            "INSERT INTO clients (uid, name, relationship, created_on) "
            "VALUES ('x', 'Half-written', 'coaching', '2026-01-01')"
        )
        target = tmp_path / "during.db"
        cli_json("db", "backup", str(target))
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    copy = connect(target)
    try:
        assert copy.execute("SELECT name FROM clients").fetchall() == [("Ann",)]
    finally:
        copy.close()


def test_backup_refuses_to_overwrite_without_force(cli, cli_json, tmp_path):
    _fill(cli_json)
    target = tmp_path / "copy.db"
    target.write_text("keep me")
    result = cli("db", "backup", str(target))
    assert result.exit_code == 1
    assert "--force" in result.stderr
    assert target.read_text() == "keep me"
    cli_json("db", "backup", str(target), "--force")
    assert connect(target).execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert _mode(target) == 0o600


def test_backup_refuses_the_journal_itself_and_bad_targets(cli, cli_json, journal_path, tmp_path):
    _fill(cli_json)
    before = journal_path.read_bytes()
    for target, code in (
        (journal_path, 1),
        (Path(str(journal_path) + "-wal"), 1),
        (journal_path.parent / ".." / journal_path.parent.name / journal_path.name, 1),
        (tmp_path / "no-such-folder" / "copy.db", 2),
        (tmp_path, 2),
    ):
        result = cli("db", "backup", str(target), "--force")
        assert result.exit_code == code, (target, result.stderr)
        assert result.stderr.startswith("Error: ")
    assert journal_path.read_bytes() == before


@pytest.mark.plain_only  # no journal before the test: the encrypted run starts from one
def test_backup_of_a_missing_journal_is_exit_1(cli, journal_path, tmp_path):
    result = cli("db", "backup", str(tmp_path / "copy.db"))
    assert result.exit_code == 1
    assert not journal_path.exists()
    assert not (tmp_path / "copy.db").exists()
