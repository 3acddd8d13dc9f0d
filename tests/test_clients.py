"""`coachlog client ...`: add, list, show, edit, archive, and their bad input."""

from __future__ import annotations


def test_add_and_read_back(cli_json, rows):
    added = cli_json("client", "add", "Ann Smith", "--email", "ann@nhs.net", "-r", "mentoring")
    assert added["id"] == 1
    assert added["name"] == "Ann Smith"
    assert added["relationship"] == "mentoring"
    assert added["named_consent"] is False
    shown = cli_json("client", "show", "ann smith")  # names match case-insensitively
    assert shown["email"] == "ann@nhs.net"
    assert shown["sessions"] == 0
    assert rows("SELECT name, email FROM clients") == [
        {"name": "Ann Smith", "email": "ann@nhs.net"}
    ]


def test_list_is_an_array_even_when_empty(cli_json):
    assert cli_json("client", "list") == []


def test_archive_hides_from_list_but_keeps(cli_json):
    cli_json("client", "add", "Ann")
    cli_json("client", "add", "Bob")
    archived = cli_json("client", "archive", "Bob")
    assert archived["archived"] is True
    assert [c["name"] for c in cli_json("client", "list")] == ["Ann"]
    assert [c["name"] for c in cli_json("client", "list", "--all")] == ["Ann", "Bob"]
    assert cli_json("client", "archive", "2", "--undo")["archived"] is False


def test_edit_changes_only_given_fields(cli_json):
    cli_json("client", "add", "Ann", "--organisation", "Trust A", "--email", "a@b.org")
    edited = cli_json("client", "edit", "Ann", "--name", "Ann B", "--named-consent")
    assert edited["name"] == "Ann B"
    assert edited["organisation"] == "Trust A"
    assert edited["named_consent"] is True


def test_edit_with_no_flags_says_what_it_takes(cli, rows):
    cli("client", "add", "Ann")
    result = cli("client", "edit", "Ann")
    assert result.exit_code == 2
    assert result.stderr == (
        "Error: Nothing to change.\n"
        "Give at least one of --name, --relationship, --organisation, --email or "
        "--named-consent.\n"
    )
    assert rows("SELECT name FROM clients") == [{"name": "Ann"}]


def test_markup_lookalike_names_are_stored_and_shown_verbatim(cli, cli_json):
    cli_json("client", "add", "[/bold] Bob [red]")
    result = cli("client", "list")
    assert result.exit_code == 0
    assert "[/bold] Bob [red]" in result.stdout


def test_duplicate_name_is_a_conflict(cli, cli_json, rows):
    cli_json("client", "add", "Ann Smith")
    result = cli("client", "add", "ANN SMITH")
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: ")
    assert len(rows("SELECT * FROM clients")) == 1


def test_bad_input_is_one_error_line_exit_2_and_nothing_written(cli, journal_path, rows):
    for args in (
        ["client", "add", ""],
        ["client", "add", "   "],
        ["client", "add", "x" * 201],
        ["client", "add", "Ann", "--relationship", "friend"],
        ["client", "add", "Ann", "--email", "not-an-email"],
        ["client", "add", "Ann\x07bell"],
    ):
        result = cli(*args)
        assert result.exit_code == 2, (args, result.stderr)
        assert result.stderr.startswith("Error: "), result.stderr
        assert "Traceback" not in result.stderr
        assert result.stdout == ""
    if journal_path.exists():
        assert rows("SELECT * FROM clients") == []


def test_name_of_200_characters_is_fine(cli_json):
    assert cli_json("client", "add", "y" * 200)["name"] == "y" * 200


def test_unknown_client_is_exit_1(cli):
    result = cli("client", "show", "Nobody")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == "Error: No client 'Nobody'."


def test_a_partial_name_is_not_guessed_but_suggested(cli, cli_json):
    cli_json("client", "add", "Priya Shah")
    result = cli("client", "show", "priya")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "Error: No client 'priya'.",
        "Did you mean 'Priya Shah' (id 1)? Names must match in full.",
    ]


def test_each_client_has_a_stable_pseudonym_for_exports(cli_json):
    assert cli_json("client", "add", "Ann")["pseudonym"] == "Client A"
    assert cli_json("client", "add", "Bob")["pseudonym"] == "Client B"
    assert cli_json("client", "show", "Bob")["pseudonym"] == "Client B"


def test_client_list_pages_by_name(cli, cli_json):
    names = [f"Client {chr(ord('A') + n)}" for n in range(22)]
    for name in reversed(names):
        cli_json("client", "add", name)
    assert [c["name"] for c in cli_json("client", "list")] == names[:20]
    assert len(cli_json("client", "list", "--limit", "0")) == 22
    table = cli("client", "list")
    assert "Showing the first 20 by name; --limit 0 shows them all." in table.stderr
    assert "Client V" not in table.stdout
