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
