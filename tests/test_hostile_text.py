"""Hostile text and hostile files (issue 11): names, ids, the terminal, the journal's files."""

from __future__ import annotations

import json
import os
import re
import sqlite3
import stat
import sys
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


def test_by_name_reaches_a_client_whose_name_is_a_number(cli, cli_json):
    cli_json("client", "add", "Ann")
    cli_json("client", "add", "Ben")
    cli_json("client", "add", "2")  # id 3, named "2"; id 2 is Ben
    assert cli_json("client", "show", "2")["name"] == "Ben"
    assert cli_json("client", "show", "2", "--by-name")["name"] == "2"
    # `client edit --name` was already "a new name" in 0.1, hence --by-name.
    renamed = cli_json("client", "edit", "2", "--by-name", "--name", "Two Taylor")
    assert (renamed["id"], renamed["name"]) == (3, "Two Taylor")
    cli_json("client", "add", "7")
    assert cli_json("client", "archive", "7", "--by-name")["archived"] is True
    result = cli("client", "erase", "7", "--by-name", "--yes")
    assert result.exit_code == 0, result.stderr
    left = {c["name"] for c in cli_json("client", "list", "--all")}
    assert left == {"Ann", "Ben", "Two Taylor"}
    missing = cli("client", "show", "9", "--by-name")
    assert missing.exit_code == 1 and "No client '9'" in missing.stderr


def test_only_ascii_digits_make_an_id(cli, cli_json):
    cli_json("client", "add", "Ann")
    result = cli("client", "show", "\u0661")  # Arabic-Indic one
    assert result.exit_code == 1
    assert "Ann" not in result.stdout


@pytest.mark.parametrize(
    "lookalike",
    [
        "Zoe\u0308 Smith",
        "zoë smith",
        "Zoë\u00a0Smith",
        "Zoë  Smith",
        "Zoë\u200b Smith",
        "Zoe Smith",
    ],
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
    conn = connect(journal_path)
    conn.execute("UPDATE clients SET name = 'Zöe' WHERE id = 2")  # as an old journal may hold
    conn.commit()
    conn.close()
    result = cli("client", "show", "zoe")
    assert result.exit_code == 1
    assert "Zoë" in result.stderr and "Zöe" in result.stderr


# ---------------------------------------------------------------- the terminal

HOSTILE_NOTES = (
    "hi \x1b]0;pwned\x07 \x1b[2J \x1b]8;;https://evil.example/phish\x1b\\link\x9b\u202e"
)


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


def test_json_keeps_the_exact_text_without_sending_it_raw(cli, cli_json, tmp_path):
    # JSON escapes C0 itself but printed C1, DEL and bidi overrides raw: a
    # `--json` read in a terminal obeyed them (found in review).
    cli_json("client", "add", "Ann")
    notes = "a\x9b2J b\u202eevil\x7f c\u2066d\u2028e"
    cli_json("session", "log", "-c", "1", "-m", "60", "--notes", notes)
    cli_json("reflect", "--text", notes)
    for args in (
        ("session", "show", "1", "--json"),
        ("session", "list", "--json"),
        ("reflection", "list", "--json"),
        ("export", "supervision", "--format", "json", "--private"),
        ("export", "backup", "-o", "-"),
    ):
        result = cli(*args)
        assert result.exit_code == 0, (args, result.stderr)
        assert not RAW_CONTROL.search(result.stdout), args
        assert notes in json.dumps(json.loads(result.stdout), ensure_ascii=False), args
    assert cli_json("session", "show", "1")["notes"] == notes


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
    conn = connect(journal_path)
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


# ---------------------------------------------------------------- the journal's files

as_root = pytest.mark.skipif(
    not hasattr(os, "getuid") or os.getuid() != 0, reason="needs root to chown to another uid"
)
OTHER_UID = 65534


@as_root
@pytest.mark.parametrize("suffix", ["", "-wal", "-shm"])
def test_journal_files_made_by_another_account_are_refused(cli, tmp_path, suffix):
    shared = tmp_path / "shared"
    shared.mkdir(mode=0o1777)
    journal = shared / "j.db"
    planted = shared / f"j.db{suffix}"
    planted.write_bytes(b"")
    os.chown(planted, OTHER_UID, OTHER_UID)
    result = cli("--db", str(journal), "client", "add", "Ann")
    assert result.exit_code == 1
    assert "another account" in result.stderr
    assert planted.read_bytes() == b""
    if suffix:
        assert not journal.exists() or journal.stat().st_size == 0


@as_root
def test_a_symlink_to_another_accounts_file_is_refused(cli, tmp_path):
    theirs = tmp_path / "theirs.db"
    theirs.write_bytes(b"")
    os.chown(theirs, OTHER_UID, OTHER_UID)
    link = tmp_path / "j.db"
    link.symlink_to(theirs)
    result = cli("--db", str(link), "client", "add", "Ann")
    assert result.exit_code == 1
    assert theirs.read_bytes() == b""


def test_a_journal_others_can_write_is_refused(cli, cli_json, journal_path):
    cli_json("client", "add", "Ann")
    journal_path.chmod(0o666)
    result = cli("client", "list")
    assert result.exit_code == 1
    assert "chmod 600" in result.stderr


def test_another_programs_database_is_never_touched(cli, tmp_path):
    places = tmp_path / "places.sqlite"
    conn = sqlite3.connect(places)
    conn.execute("CREATE TABLE moz_places (id INTEGER PRIMARY KEY, url TEXT)")
    conn.execute("PRAGMA user_version = 3")
    conn.commit()
    conn.close()
    before = places.read_bytes()
    for args in (("db", "check"), ("client", "add", "Ann"), ("client", "list")):
        result = cli("--db", str(places), *args)
        assert result.exit_code == 1, result.stderr
        assert "another program" in result.stderr
    assert places.read_bytes() == before
    assert not Path(str(places) + "-wal").exists()


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX modes")
@pytest.mark.parametrize("kind", ["sqlite", "text"])
def test_a_file_that_is_no_journal_keeps_its_mode(cli, tmp_path, kind):
    # Refused as "another program's database ... nothing was changed", the file
    # had still been made owner-only (0644 -> 0600), breaking the other
    # program's sharing of it (found in second review).
    other = tmp_path / "other.db"
    if kind == "sqlite":
        conn = sqlite3.connect(other)
        conn.execute("CREATE TABLE t (x)")
        conn.commit()
        conn.close()
    else:
        other.write_text("not a database\n")
    other.chmod(0o644)
    result = cli("--db", str(other), "client", "list")
    assert result.exit_code == 1, result.stderr
    assert stat.S_IMODE(other.stat().st_mode) == 0o644


def test_new_folders_are_owner_only_whatever_the_umask(cli, tmp_path):
    old = os.umask(0)
    try:
        result = cli("--db", str(tmp_path / "a" / "b" / "j.db"), "client", "add", "Ann")
    finally:
        os.umask(old)
    assert result.exit_code == 0, result.stderr
    assert stat.S_IMODE((tmp_path / "a").stat().st_mode) == 0o700
    assert stat.S_IMODE((tmp_path / "a" / "b").stat().st_mode) == 0o700


@pytest.mark.parametrize("suffix", ["", "-wal", "-shm"])
def test_exports_never_write_over_the_journal(cli, cli_json, journal_path, suffix):
    cli_json("client", "add", "Ann")
    target = Path(str(journal_path) + suffix)
    before = target.read_bytes() if target.exists() else None
    for args in (
        ("export", "backup", "-o", str(target), "--force"),
        ("export", "hours", "--format", "csv", "-o", str(target), "--force"),
    ):
        result = cli(*args)
        # Refused either as the journal itself (exit 1) or, since issue 12, first
        # for its extension (.db is no export format, exit 2): never written.
        assert result.exit_code in (1, 2), result.stderr
        assert result.stderr.startswith("Error:")
        assert "part of your journal" in result.stderr or "does not write" in result.stderr
    if before is not None and not suffix:
        assert cli_json("client", "list")[0]["name"] == "Ann"


def test_a_killed_writes_leftover_copy_is_removed_next_time(cli, cli_json, tmp_path):
    cli_json("client", "add", "Ann")
    leftover = tmp_path / ".out.json.abc123.tmp"
    leftover.write_text("a full copy of a backup")
    old = 10_000
    os.utime(leftover, (leftover.stat().st_atime - old, leftover.stat().st_mtime - old))
    fresh = tmp_path / ".out.json.def456.tmp"  # perhaps another run's, still writing
    fresh.write_text("x")
    result = cli("export", "backup", "-o", str(tmp_path / "out.json"))
    assert result.exit_code == 0, result.stderr
    assert not leftover.exists()
    assert fresh.exists()


# ---------------------------------------------------------------- backups


def _backup(**changes):
    doc = {
        "format": "coachlog-backup",
        "version": 1,
        "pseudonyms_assigned": 0,
        "clients": [],
        "sessions": [],
        "goals": [],
        "actions": [],
        "reflections": [],
        "supervision": [],
        "decks": [],
    }
    doc.update(changes)
    return doc


def _client(uid="c1", name="Ann", **more):
    return {
        "uid": uid,
        "name": name,
        "relationship": "coaching",
        "created_on": "2024-01-01",
        **more,
    }


def _import(cli, tmp_path, doc):
    path = tmp_path / "in.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    return cli("import", str(path))


@pytest.mark.parametrize("counter", [9223372036854775807, 2**63, 2**70, -1])
def test_a_backup_with_an_out_of_range_counter_is_refused(cli, cli_json, tmp_path, counter, rows):
    result = _import(cli, tmp_path, _backup(pseudonyms_assigned=counter))
    assert result.exit_code == 2, result.stderr
    assert "pseudonyms_assigned" in result.stderr
    assert cli_json("client", "add", "Ann")["pseudonym"] == "Client A"


@pytest.mark.parametrize("name", ["\n", "  ", "\t", "\u200b", "a\x1bb", "x" * 201])
def test_a_backup_name_the_flags_would_refuse_is_refused_naming_the_record(
    cli, tmp_path, rows, name
):
    result = _import(cli, tmp_path, _backup(clients=[_client("good"), _client("bad-1", name)]))
    assert result.exit_code == 2, result.stderr
    assert "bad-1" in result.stderr
    assert rows("SELECT * FROM clients") == []


def test_look_alike_names_in_a_backup_are_refused(cli, tmp_path, rows):
    doc = _backup(clients=[_client("a", "Zoë Smith"), _client("b", "Zoe\u0308 Smith")])
    result = _import(cli, tmp_path, doc)
    assert result.exit_code == 2
    assert rows("SELECT * FROM clients") == []


def test_a_backup_client_like_one_in_the_journal_is_refused(cli, cli_json, tmp_path, rows):
    cli_json("client", "add", "Zoë Smith")
    result = _import(cli, tmp_path, _backup(clients=[_client("x", "zoe  smith")]))
    assert result.exit_code == 1
    assert len(rows("SELECT * FROM clients")) == 1


@pytest.mark.parametrize("pseudonym", ["Ann", "anything", "Client 99999999999", "Client a", ""])
def test_a_pseudonym_must_be_one_coachlog_gives(cli, tmp_path, rows, pseudonym):
    doc = _backup(clients=[_client("a", "Ann"), _client("b", "Ben", pseudonym=pseudonym)])
    result = _import(cli, tmp_path, doc)
    assert result.exit_code == 2, result.stderr
    assert rows("SELECT * FROM clients") == []


def test_names_from_a_backup_are_stored_normalised(cli, cli_json, tmp_path):
    doc = _backup(clients=[_client("a", "Zoe\u0308  Smith"), _client("b", "one\ntwo")])
    result = _import(cli, tmp_path, doc)
    assert result.exit_code == 0, result.stderr
    # As `client add` stores them: a line break in a name is a space.
    assert sorted(c["name"] for c in cli_json("client", "list")) == ["Zoë Smith", "one two"]


def test_db_check_finds_and_repair_mends_an_out_of_range_pseudonym_counter(
    cli, cli_json, journal_path
):
    cli_json("client", "add", "Ann")
    cli_json("client", "add", "Ben")
    conn = connect(journal_path)
    conn.execute("UPDATE counters SET value = 9223372036854775807 WHERE name = 'pseudonym'")
    conn.execute("UPDATE clients SET pseudonym = 'Ann' WHERE id = 2")  # as old imports allowed
    conn.commit()
    conn.close()
    assert cli("client", "add", "Cat").exit_code == 1
    checked = cli("db", "check", "--json")
    assert checked.exit_code == 1
    assert {p["check"] for p in json.loads(checked.stdout)["problems"]} == {"pseudonyms"}
    repaired = cli("db", "check", "--repair", "--json")
    assert repaired.exit_code == 0, repaired.stderr
    assert cli_json("client", "add", "Cat")["pseudonym"] == "Client C"
    pseudonyms = [c["pseudonym"] for c in cli_json("client", "list")]
    assert sorted(pseudonyms) == ["Client A", "Client B", "Client C"]


# ---------------------------------------------------------------- random hostile input

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from coachlog.text import has_unsafe  # noqa: E402
from conftest import connect  # noqa: E402

QUICK = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
SPICE = [
    "\x1b]0;t\x07",
    "\x1b[2J",
    "\x9b",
    "\u202e",
    "\u2066",
    "e\u0301",
    "\u0661",
    "\u00b2",
    "99999999999999999999",
    "9223372036854775808",
    "-1",
    "0",
    "1",
    "\u200b",
    "\n",
]
HOSTILE = st.one_of(
    st.sampled_from(SPICE),
    st.text(st.characters(exclude_categories=["Cs"]), max_size=30),
    st.lists(st.sampled_from(SPICE), min_size=1, max_size=4).map("".join),
)
ID_COMMANDS = [
    ("client", "show"),
    ("client", "edit", "--email", "a@b.c"),
    ("client", "erase", "--yes"),
    ("client", "archive"),
    ("session", "show"),
    ("session", "delete", "--yes"),
    ("session", "list", "-c"),
    ("session", "list", "--limit"),
    ("session", "log", "-m", "30", "-c"),
    ("goal", "add", "--title", "g", "-c"),
    ("action", "add", "--text", "a", "-c"),
    ("prep",),
    ("progress", "-c"),
    ("reflection", "show"),
    ("search",),
]


def _clean(result) -> None:
    assert result.exit_code in (0, 1, 2), (result.exit_code, result.stderr[-300:])
    assert "Traceback" not in result.stdout + result.stderr
    assert "Something unexpected" not in result.stderr, result.stderr
    assert not has_unsafe(result.stderr), result.stderr[:300]
    assert not has_unsafe(result.stdout), result.stdout[:300]


@QUICK
@given(command=st.sampled_from(ID_COMMANDS), value=HOSTILE)
def test_hostile_ids_and_text_end_cleanly(cli, rows, command, value):
    if cli("client", "add", "Ann").exit_code == 0:  # the first example's journal
        cli("session", "log", "-c", "Ann", "-m", "30", "--notes", "\x1b]0;x\x07 hello")
    before = rows("SELECT count(*) AS n FROM clients")[0]["n"]
    result = cli(*command, "--", value)
    _clean(result)
    if result.exit_code:
        assert rows("SELECT count(*) AS n FROM clients")[0]["n"] == before


@QUICK
@given(
    name=HOSTILE,
    pseudonym=st.one_of(st.none(), HOSTILE),
    counter=st.sampled_from([0, 1, 10**9, 10**9 + 1, 2**63 - 1, 2**63, 2**80, -5]),
    notes=HOSTILE,
)
def test_a_hostile_backup_is_refused_whole_or_imported_cleanly(
    cli, rows, tmp_path, name, pseudonym, counter, notes
):
    cli("client", "list")  # the journal exists from the first example on
    before = rows("SELECT count(*) AS n FROM clients")[0]["n"]
    client = _client(f"u{before}-{abs(hash(name)) % 10**6}", name)
    if pseudonym is not None:
        client["pseudonym"] = pseudonym
    session = {
        "uid": f"s{before}-{abs(hash(notes)) % 10**6}",
        "client": client["uid"],
        "on_date": "2024-01-01",
        "minutes": 30,
        "mode": "in-person",
        "format": "individual",
        "notes": notes,
        "created_at": "2024-01-01T10:00:00",
        "updated_at": "2024-01-01T10:00:00",
    }
    doc = _backup(pseudonyms_assigned=counter, clients=[client], sessions=[session])
    result = _import(cli, tmp_path, doc)
    _clean(result)
    after = rows("SELECT count(*) AS n FROM clients")[0]["n"]
    if result.exit_code:
        assert after == before
    else:
        assert cli("client", "add", f"Fresh {after}").exit_code == 0
        _clean(cli("session", "list"))
        _clean(cli("client", "list"))
    assert cli("db", "check").exit_code == 0


# ---------------------------------------------------------------- ids survive a restore (issue 12)


def _restore_into_new_journal(cli, tmp_path, monkeypatch):
    backup = tmp_path / "backup.json"
    assert cli("export", "backup", "-o", str(backup)).exit_code == 0
    monkeypatch.setenv("COACHLOG_DB", str(tmp_path / "restored" / "j.db"))
    result = cli("import", str(backup))
    assert result.exit_code == 0, result.stderr


def test_a_restore_gives_every_session_its_own_id(cli, cli_json, tmp_path, monkeypatch):
    cli_json("client", "add", "Ann")
    for _ in range(3):
        cli_json("session", "log", "-c", "1", "-m", "30")
    assert cli("session", "delete", "2", "--yes").exit_code == 0
    _restore_into_new_journal(cli, tmp_path, monkeypatch)
    assert cli_json("session", "show", "3")["id"] == 3
    assert cli("session", "show", "2").exit_code == 1
    assert cli_json("session", "log", "-c", "1", "-m", "30")["id"] == 4


def test_a_restore_keeps_an_erased_clients_id_to_themselves(cli, cli_json, tmp_path, monkeypatch):
    for name in ("Ann", "Ben", "Cat"):
        cli_json("client", "add", name)
    assert cli("client", "erase", "3", "--yes").exit_code == 0
    assert cli("client", "erase", "2", "--yes").exit_code == 0
    _restore_into_new_journal(cli, tmp_path, monkeypatch)
    assert cli_json("client", "show", "1")["name"] == "Ann"
    assert cli("client", "show", "2").exit_code == 1
    assert cli_json("client", "add", "Dan")["id"] == 4  # never 2 or 3


def test_merging_keeps_the_journals_ids(cli, cli_json, tmp_path, monkeypatch):
    cli_json("client", "add", "Ann")
    cli_json("session", "log", "-c", "1", "-m", "30")
    backup = tmp_path / "backup.json"
    assert cli("export", "backup", "-o", str(backup)).exit_code == 0
    monkeypatch.setenv("COACHLOG_DB", str(tmp_path / "other" / "j.db"))
    cli_json("client", "add", "Zed")
    assert cli("import", str(backup), "--from-other-journal").exit_code == 0
    clients = {c["name"]: c["id"] for c in cli_json("client", "list")}
    assert clients == {"Zed": 1, "Ann": 2}


# ------------------------------------------------ another journal's backup (issue 15)


def test_a_backup_of_another_journal_is_refused_in_a_script(cli, cli_json, tmp_path, monkeypatch):
    cli_json("client", "add", "Coachee Self")
    theirs = tmp_path / "theirs.json"
    assert cli("export", "backup", "-o", str(theirs)).exit_code == 0
    monkeypatch.setenv("COACHLOG_DB", str(tmp_path / "coach" / "j.db"))
    cli_json("client", "add", "Coach Client")
    result = cli("import", str(theirs))
    assert result.exit_code == 1
    assert "different journal" in result.stderr
    assert "coachlog share" in result.stderr
    assert [c["name"] for c in cli_json("client", "list")] == ["Coach Client"]
    forced = cli("import", str(theirs), "--from-other-journal")
    assert forced.exit_code == 0, forced.stderr
    assert len(cli_json("client", "list")) == 2


def test_restoring_or_reimporting_ones_own_backup_asks_nothing(
    cli, cli_json, tmp_path, monkeypatch
):
    cli_json("client", "add", "Ann")
    mine = tmp_path / "mine.json"
    assert cli("export", "backup", "-o", str(mine)).exit_code == 0
    assert cli("import", str(mine)).exit_code == 0  # the same journal
    monkeypatch.setenv("COACHLOG_DB", str(tmp_path / "new" / "j.db"))
    assert cli("import", str(mine)).exit_code == 0  # a restore into a fresh journal
    cli_json("client", "add", "Ben")
    assert cli("import", str(mine)).exit_code == 0  # still the same journal afterwards


@pytest.mark.parametrize(("answer", "code", "clients"), [(True, 0, 2), (False, 130, 1)])
def test_in_a_terminal_another_journals_backup_is_asked_about(
    cli, cli_json, tmp_path, monkeypatch, answer, code, clients
):
    from coachlog.cli import common, prompts

    class Answer(prompts.QuestionaryPrompter):
        def confirm(self, message: str, *, default: bool = True) -> bool:
            return answer

    cli_json("client", "add", "Coachee Self")
    theirs = tmp_path / "theirs.json"
    assert cli("export", "backup", "-o", str(theirs)).exit_code == 0
    monkeypatch.setenv("COACHLOG_DB", str(tmp_path / "coach" / "j.db"))
    cli_json("client", "add", "Coach Client")
    monkeypatch.setattr(common, "interactive", lambda: True)
    with prompts.use_prompter(Answer()):
        result = cli("import", str(theirs))
    assert result.exit_code == code, result.stderr
    assert "coachlog share" in result.stderr
    monkeypatch.setattr(common, "interactive", lambda: False)
    assert len(cli_json("client", "list")) == clients


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
@pytest.mark.parametrize(
    "args",
    [
        ("session", "log", "-c", "1", "-m", "60", "--notes", "-"),
        ("reflect", "--text", "-"),
        ("supervision", "log", "-m", "60", "--notes", "-"),
        ("import", "-"),
        ("import", "/dev/zero"),
    ],
)
def test_an_endless_input_is_refused_not_read_forever(journal_path, rows, args):
    # `--notes - < /dev/zero` or `import /dev/zero` used to read until memory ran
    # out (found in review): the reads stop just past the largest allowed size.
    import subprocess
    import sys

    env = {**os.environ, "COACHLOG_DB": str(journal_path)}
    coachlog = [sys.executable, "-m", "coachlog"]
    subprocess.run([*coachlog, "client", "add", "Ann"], env=env, check=True, capture_output=True)
    with open("/dev/zero", "rb") as zero:
        done = subprocess.run(
            [*coachlog, *args], env=env, stdin=zero, capture_output=True, text=True, timeout=60
        )
    assert done.returncode == 2, done.stderr
    assert done.stderr.startswith("Error: ") and "Traceback" not in done.stderr
    assert rows("SELECT count(*) AS n FROM sessions") == [{"n": 0}]
    assert rows("SELECT count(*) AS n FROM reflections") == [{"n": 0}]


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_the_programme_report_refuses_an_endless_file(cli):
    result = cli("programme", "report", "/dev/zero")
    assert result.exit_code == 2, result.stderr
    assert "larger than" in result.stderr


class _CommitThenInterrupt:
    """A connection that commits for real and then gets Ctrl-C, as a SIGINT
    arriving while COMMIT runs in C surfaces just after it returns."""

    def __init__(self, conn):
        self._conn = conn

    def execute(self, sql, *args):
        result = self._conn.execute(sql, *args)
        if sql == "COMMIT":
            raise KeyboardInterrupt
        return result

    def __getattr__(self, name):
        return getattr(self._conn, name)


def test_ctrl_c_landing_on_the_commit_itself_says_saved(cli, cli_json, rows, monkeypatch):
    # Real SIGINTs during `client erase --yes` printed "Cancelled, nothing saved."
    # in about 1 run in 12 although the client was gone (review): the interrupt
    # surfaced from COMMIT before the commit was counted.
    from coachlog.store import db

    cli_json("client", "add", "Ann")
    real = db.Journal.__init__

    def patched(self, conn, path, **keys):  # keys: an encrypted journal's data key
        real(self, _CommitThenInterrupt(conn), path, **keys)

    monkeypatch.setattr(db.Journal, "__init__", patched)
    result = cli("client", "erase", "Ann", "--yes")
    assert result.exit_code == 130
    assert rows("SELECT id FROM clients") == []
    assert "nothing saved" not in result.stderr
    assert "already been saved" in result.stderr


def test_db_path_shows_controls_in_the_path_visibly(cli, tmp_path):
    # `db path` echoed the path raw: a journal path holding an OSC title
    # sequence reached the terminal; --json keeps it exact (found in second review).
    odd = str(tmp_path / "x\x1b]0;pwned\x07.db")
    result = cli("--db", odd, "db", "path")
    assert result.exit_code == 0
    assert "\x1b" not in result.stdout and "\\x1b]0;pwned\\x07.db" in result.stdout
    exact = cli("--db", odd, "db", "path", "--json")
    assert json.loads(exact.stdout)["path"] == odd


@pytest.mark.skipif(sys.platform == "win32", reason="FIFOs and POSIX links")
@pytest.mark.parametrize(
    "args",
    [
        ["export", "supervision", "--force", "-o"],
        ["export", "hours", "--force", "-o"],
        ["db", "backup", "--force"],
    ],
)
def test_o_never_replaces_a_device_a_pipe_or_a_link_to_one(cli, cli_json, tmp_path, args):
    # `-o /dev/stdout --force`, run as root, replaced /dev/stdout (and /dev/full,
    # which "wrote" successfully) with a regular file; in any folder, --force
    # swapped a FIFO or a link to a device for a file (found in second review).
    cli_json("client", "add", "Ann")
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    link = tmp_path / "null"
    link.symlink_to(os.devnull)
    for target in (fifo, link):
        result = cli(*args, str(target))
        assert result.exit_code == 2, result.stderr
        assert result.stderr.startswith("Error:") and "not a regular file" in result.stderr
        assert "-o -" in result.stderr or "backup" in args
    assert stat.S_ISFIFO(fifo.lstat().st_mode)
    assert link.is_symlink() and os.readlink(link) == os.devnull
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX links")
def test_a_wal_or_shm_that_is_a_link_is_refused_by_name(cli, cli_json, journal_path, tmp_path):
    # A -wal planted as a link (to a file of the victim's own) got "The journal
    # could not be read or written (OperationalError)" (found in second review).
    cli_json("client", "add", "Ann")
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    for suffix in ("-wal", "-shm"):
        link = Path(str(journal_path) + suffix)
        link.unlink(missing_ok=True)
        link.symlink_to(victim)
        result = cli("client", "add", "Bob")
        assert result.exit_code == 1, result.stderr
        assert f"{link.name} is a link" in result.stderr, result.stderr
        assert "OperationalError" not in result.stderr
        link.unlink()
    assert victim.read_text() == "precious"
    assert [c["name"] for c in cli_json("client", "list")] == ["Ann"]


@pytest.mark.skipif(sys.platform == "win32", reason="FIFOs and /dev/null")
def test_a_journal_path_that_is_a_device_or_a_pipe_is_refused_clearly(cli, tmp_path):
    # A FIFO gave "could not be read or written (OperationalError)", /dev/null
    # "can be changed by other accounts" (found in second review).
    fifo = tmp_path / "j.db"
    os.mkfifo(fifo)
    for path in (str(fifo), os.devnull):
        result = cli("--db", path, "client", "list")
        assert result.exit_code == 1, result.stderr
        assert "is not a regular file" in result.stderr, result.stderr
    assert stat.S_ISFIFO(fifo.lstat().st_mode)
