"""Shell completion: the callbacks offer what is in the journal, read it without changing
a byte, and stay silent (an empty list) whatever goes wrong."""

from __future__ import annotations

from pathlib import Path

import pytest

from coachlog.cli import completion
from conftest import connect


@pytest.fixture
def journal(cli, journal_path: Path) -> Path:
    for args in (
        ("client", "add", "Ann Smith", "--organisation", "NHS Fife"),
        ("client", "add", "Bob Jones"),
        ("client", "add", "Old Client"),
        ("client", "archive", "Old Client"),
        ("goal", "add", "Speak up at the board"),
        ("goal", "add", "Delegate more", "--client", "Ann Smith"),
        ("goal", "add", "Finished goal"),
        ("goal", "done", "3"),
    ):
        assert cli(*args).exit_code == 0, args
    return journal_path


def test_clients_are_the_active_names_with_their_organisation(journal):
    assert completion.complete_client(None, "") == [
        ("Ann Smith", "NHS Fife"),
        ("Bob Jones", "coaching"),
    ]
    assert completion.complete_client(None, "B") == [("Bob Jones", "coaching")]
    assert completion.complete_client(None, "2") == [("2", "Bob Jones")]


def test_goals_are_the_open_ids_with_title_and_whose(journal):
    assert completion.complete_goal(None, "") == [
        ("1", "Speak up at the board"),
        ("2", "Delegate more (Ann Smith)"),
    ]


def test_cards_themes_groups_and_decks(journal):
    keys = [key for key, _ in completion.complete_card(None, "")]
    assert len(keys) == 13 and "resilience" in keys
    assert completion.complete_card(None, "res") == [("resilience", "Resilience")]
    assert [k for k, _ in completion.complete_theme("")] == [
        "strategic",
        "prioritisation",
        "confidence",
        "influence",
        "team",
        "self-presentation",
    ]
    assert completion.complete_theme("conf") == [("confidence", "Increased confidence")]
    assert [k for k, _ in completion.complete_card_theme(None, "")] == [
        "being",
        "relating-communicating",
        "leading-visioning",
        "delivering",
    ]
    assert completion.complete_deck(None, "")[0][0] == "nhs-system-leadership"


def test_completion_reads_without_changing_the_journal(journal):
    before = journal.read_bytes()
    completion.complete_client(None, "")
    completion.complete_goal(None, "")
    completion.complete_card(None, "")
    assert journal.read_bytes() == before


@pytest.mark.plain_only  # no journal before the test: the encrypted run starts from one
def test_no_journal_yet_gives_nothing_and_creates_nothing(journal_path):
    assert completion.complete_client(None, "") == []
    assert completion.complete_goal(None, "") == []
    assert len(completion.complete_card(None, "")) == 13  # the shipped deck needs no journal
    assert not journal_path.exists() and not journal_path.parent.exists()


@pytest.mark.plain_only  # no journal before the test: the encrypted run starts from one
def test_a_damaged_journal_gives_nothing_and_prints_nothing(journal_path, capsys):
    journal_path.parent.mkdir(parents=True)
    journal_path.write_bytes(b"this is not a database" * 100)
    assert completion.complete_client(None, "") == []
    assert completion.complete_goal(None, "") == []
    assert completion.complete_deck(None, "") == []
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err == ""


def test_a_journal_being_written_to_still_completes(journal):
    # The journal is in WAL mode, where a writer holding the lock does not block readers.

    writer = connect(journal)
    writer.execute("BEGIN EXCLUSIVE")
    try:
        writer.execute(
            "INSERT INTO clients (uid, name, relationship, created_on) "
            "VALUES ('u', 'Andy New', 'coaching', '2025-01-01')"
        )
        assert completion.complete_client(None, "A") == [("Ann Smith", "NHS Fife")]
    finally:
        writer.rollback()
        writer.close()


def _complete(cli, line: str) -> str:
    """What the shell would be offered for `line` (zsh protocol, as typer speaks it)."""
    result = cli(env={"_COACHLOG_COMPLETE": "complete_zsh", "_TYPER_COMPLETE_ARGS": line})
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    return result.stdout


def test_the_shell_is_offered_cards_goals_and_groups_for_reflect(cli, journal):
    assert '"resilience":"Resilience"' in _complete(cli, "coachlog reflect --card res")
    offered = _complete(cli, "coachlog reflect --goal ")
    assert '"1":"Speak up at the board"' in offered and '"3"' not in offered
    assert '"being":"Being"' in _complete(cli, "coachlog reflect --card-theme b")
    assert '"2":"Delegate more (Ann Smith)"' in _complete(cli, "coachlog goal rate ")


def test_completion_follows_db_on_the_command_line(cli, journal, tmp_path):
    other = tmp_path / "other.db"
    assert cli("--db", str(other), "goal", "add", "Only in the other journal").exit_code == 0
    offered = _complete(cli, f"coachlog --db {other} goal rate ")
    assert "Only in the other journal" in offered and "Speak up" not in offered


def test_the_cards_commands_complete_keys_groups_and_decks(cli, journal):
    assert '"resilience":"Resilience"' in _complete(cli, "coachlog cards show res")
    assert '"delivering":"Delivering"' in _complete(cli, "coachlog cards list --theme d")
    assert '"nhs-system-leadership"' in _complete(cli, "coachlog cards draw --deck n")
    assert '"resilience"' in _complete(cli, "coachlog session log --card res")
