"""Hostile text and hostile files (issue 11): names, ids, the terminal, the journal's files."""

from __future__ import annotations

import json
import os
import re
import sqlite3
import stat
from pathlib import Path

import pytest

RAW_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


# ---------------------------------------------------------------- client names


def test_a_client_called_a_number_never_shadows_an_id(cli, cli_json):
    cli_json("client", "add", "Ann")
    cli_json("client", "add", "2")  # id 2
    cli_json("client", "add", "Ben")  # id 3
    result = cli("client", "erase", "2", "--yes")
    assert result.exit_code == 0, result.stderr
    left = {c["name"] for c in cli_json("client", "list", "--all")}
    assert left == {"Ann", "Ben"}


def test_only_ascii_digits_make_an_id(cli, cli_json):
    cli_json("client", "add", "Ann")
    result = cli("client", "show", "\u0661")  # Arabic-Indic one
    assert result.exit_code == 1
    assert "Ann" not in result.stdout


@pytest.mark.parametrize(
    "lookalike",
    ["Zoe\u0308 Smith", "zoë smith", "Zoë\u00a0Smith", "Zoë  Smith", "Zoë\u200b Smith", "Zoe Smith"],
)
def test_look_alike_duplicates_are_refused_naming_the_existing_client(cli, cli_json, lookalike):
    cli_json("client", "add", "Zoë Smith")
    result = cli("client", "add", lookalike)
    assert result.exit_code == 1
    assert "Zoë Smith" in result.stderr
    assert len(cli_json("client", "list", "--all")) == 1


def test_names_are_stored_normalised(cli_json, rows):
    cli_json("client", "add", "Zoe\u0308\u200b  Smith")
    assert rows("SELECT name FROM clients")[0]["name"] == "Zoë Smith"


def test_a_client_is_found_ignoring_accents(cli_json):
    cli_json("client", "add", "Zoë Smith")
    assert cli_json("client", "show", "zoe smith")["name"] == "Zoë Smith"
    logged = cli_json("session", "log", "-c", "Zoe Smith", "-m", "30")
    assert logged["client_id"] == 1


def test_two_clients_that_fold_alike_are_an_ambiguity_naming_both(cli, cli_json, journal_path):
    cli_json("client", "add", "Zoë")
    cli_json("client", "add", "Other")
    conn = sqlite3.connect(journal_path)
    conn.execute("UPDATE clients SET name = 'Zöe' WHERE id = 2")  # as an old journal may hold
    conn.commit()
    conn.close()
    result = cli("client", "show", "zoe")
    assert result.exit_code == 1
    assert "Zoë" in result.stderr and "Zöe" in result.stderr


# ---------------------------------------------------------------- the terminal

HOSTILE_NOTES = "hi \x1b]0;pwned\x07 \x1b[2J \x1b]8;;https://evil.example/phish\x1b\\link\x9b\u202e"


def test_stored_escape_sequences_never_reach_the_terminal(cli, cli_json):
    cli_json("client", "add", "Ann")
    logged = cli_json("session", "log", "-c", "1", "-m", "60", "--notes", HOSTILE_NOTES)
    assert logged["notes"] == HOSTILE_NOTES  # stored and --json exact
    for args in (
        ("session", "show", "1"),
        ("session", "list"),
        ("search", "hi"),
        ("export", "supervision", "--format", "md", "--private"),
        ("export", "hours", "--format", "md"),
    ):
        result = cli(*args)
        assert result.exit_code == 0, (args, result.stderr)
        assert not RAW_CONTROL.search(result.stdout), (args, result.stdout)
        assert not RAW_CONTROL.search(result.stderr), (args, result.stderr)
    assert "\\x1b]0;pwned" in cli("session", "show", "1").stdout


def test_c1_and_bidi_in_a_client_name_print_visibly(cli, cli_json):
    result = cli("client", "add", "Eve\u202eevil\x9b")
    if result.exit_code == 0:
        listing = cli("client", "list")
        assert not RAW_CONTROL.search(listing.stdout)
        assert "\\u202e" in listing.stdout
    else:
        assert result.exit_code == 2
    assert not RAW_CONTROL.search(result.stdout + result.stderr)


# ---------------------------------------------------------------- honest endings


def test_ctrl_c_after_the_commit_says_the_change_was_saved(cli, cli_json, rows, monkeypatch):
    from coachlog.cli import common

    cli_json("client", "add", "Ann")

    def interrupted(value):  # Ctrl-C arriving while the result is printed
        raise KeyboardInterrupt

    monkeypatch.setattr(common, "print_json", interrupted)
    result = cli("session", "log", "-c", "1", "-m", "60", "--json")
    assert result.exit_code == 130
    assert "nothing saved" not in result.stderr
    assert "already been saved" in result.stderr
    assert len(rows("SELECT id FROM sessions")) == 1


def test_ctrl_c_before_any_write_still_says_nothing_saved(cli, cli_json, monkeypatch):
    from coachlog.core import clients

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(clients, "add", interrupted)
    result = cli("client", "add", "Ann")
    assert result.exit_code == 130
    assert "nothing saved" in result.stderr


def test_a_closed_stdout_after_a_saved_session_exits_0_quietly(tmp_path, journal_path):
    import subprocess
    import sys

    env = {**os.environ, "COACHLOG_DB": str(journal_path)}
    coachlog = [sys.executable, "-m", "coachlog"]
    subprocess.run([*coachlog, "client", "add", "Ann"], env=env, check=True, capture_output=True)
    read, write = os.pipe()
    os.close(read)
    try:
        done = subprocess.run(
            [*coachlog, "session", "log", "-c", "1", "-m", "60", "--json"],
            env=env,
            stdout=write,
            stderr=subprocess.PIPE,
            text=True,
        )
    finally:
        os.close(write)
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    conn = sqlite3.connect(journal_path)
    assert conn.execute("SELECT count(*) FROM sessions").fetchone()[0] == 1
    conn.close()


@pytest.mark.parametrize(
    "args",
    [
        ("session", "show", "99999999999999999999"),
        ("session", "list", "--limit", "99999999999999999999"),
        ("client", "show", "99999999999999999999"),
        ("session", "log", "-c", "1", "-m", "60", "--at", "\u00b2:30"),
    ],
)
def test_numbers_beyond_what_sqlite_stores_are_usage_errors(cli, cli_json, args):
    cli_json("client", "add", "Ann")
    result = cli(*args)
    assert result.exit_code == 2, result.stderr
    assert "unexpected" not in result.stderr
