"""Share packs between two journals, driven through the real CLI as two people would.

A coach (`--db coach.db`) and a coachee (`--db coachee.db`) swap keys, link each
other and pass packs back and forth; every check is on parsed --json, the rows
stored in each journal file, and the pack files written. Each refusal is checked
to write nothing at all (every row of every table compared before and after).
"""

from __future__ import annotations

import json
import sqlite3
import stat
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

CLIENT = "Sam Lee"
COACH = "Alex Morgan"
NOTE = "Talked about the difficult rota meeting with Dr Patel"
PRIVATE_NOTE = "Seemed exhausted, mentioned sleep"
ACTION = "Ask the ward manager for a one-to-one"
REFLECTION = "I spoke up at the huddle and it went fine"
PRIVATE = "Worried my manager thinks I am not coping"
GOAL = "Speak up in team meetings"


class Person:
    """One journal, run through the CLI with --db."""

    def __init__(self, cli: Any, path: Path) -> None:
        self.cli = cli
        self.path = path

    def run(self, *args: str, input: str | None = None, env: dict[str, str] | None = None) -> Any:
        return self.cli("--db", str(self.path), *args, input=input, env=env)

    def json(self, *args: str) -> Any:
        result = self.run(*args, "--json")
        assert result.exit_code == 0, f"{args}: exit {result.exit_code}: {result.stderr}"
        return json.loads(result.stdout)

    def ok(self, *args: str) -> Any:
        result = self.run(*args)
        assert result.exit_code == 0, f"{args}: exit {result.exit_code}: {result.stderr}"
        return result

    def rows(self, sql: str, params: tuple[Any, ...] = ()) -> list[dict[str, Any]]:
        conn = sqlite3.connect(self.path)
        conn.row_factory = sqlite3.Row
        try:
            return [dict(r) for r in conn.execute(sql, params)]
        finally:
            conn.close()

    def everything(self) -> dict[str, list[tuple[Any, ...]]]:
        """Every row of every table: what 'nothing written' is checked against."""
        conn = sqlite3.connect(self.path)
        try:
            tables = [
                name
                for (name,) in conn.execute(
                    "SELECT name FROM sqlite_master WHERE type = 'table' "
                    "AND name NOT LIKE 'search_index_%'"
                )
            ]
            return {t: sorted(map(repr, conn.execute(f"SELECT * FROM {t}"))) for t in tables}
        finally:
            conn.close()

    def key(self) -> str:
        return self.json("share", "key")["key"]


@pytest.fixture
def coach(cli, tmp_path) -> Person:
    return Person(cli, tmp_path / "coach.db")


@pytest.fixture
def coachee(cli, tmp_path) -> Person:
    return Person(cli, tmp_path / "coachee.db")


@pytest.fixture
def linked(coach: Person, coachee: Person) -> tuple[Person, Person]:
    """A coach with a client, and both people having linked each other's key."""
    coach.json("client", "add", CLIENT)
    coach_key, coachee_key = coach.key(), coachee.key()
    coach.json("share", "link", "--client", CLIENT, "--key", coachee_key)
    coachee.json("share", "link", "--coach", COACH, "--key", coach_key)
    return coach, coachee


def _first_session(coach: Person) -> dict[str, Any]:
    session = coach.json(
        "session", "log", "--client", CLIENT, "--on", "2026-11-20", "--minutes", "60",
        "--theme", "confidence", "--card", "resilience", "--notes", NOTE,
        "--private-notes", PRIVATE_NOTE, "--action", ACTION, "--action-due", "2026-12-20",
    )  # fmt: skip
    coach.json("goal", "add", GOAL, "--client", CLIENT, "--score", "4", "--on", "2026-11-20")
    return session


def _send(person: Person, to: str, out: Path, *extra: str) -> dict[str, Any]:
    return person.json("share", "send", "--to", to, "-o", str(out), *extra)


def _refused(person: Person, pack: Path, words: str) -> None:
    before = person.everything()
    result = person.run("share", "receive", str(pack))
    assert result.exit_code == 1, result.stderr
    lines = result.stderr.strip().splitlines()
    assert lines[0].startswith("Error: ") and words in lines[0], lines
    assert len(lines) == 2  # the error, and what to do next
    assert "Traceback" not in result.stderr
    assert person.everything() == before


# ---------------------------------------------------------------- the Done-means scenario


def test_the_first_exchange_round_trip(linked, tmp_path):
    coach, coachee = linked
    _first_session(coach)
    other = coach.json("client", "add", "Other Person")
    coach.json(
        "session", "log", "--client", str(other["id"]), "--minutes", "30",
        "--action", "Not for Sam", "--on", "2026-11-21",
    )  # fmt: skip

    # Coach -> coachee: the session, the agreed action and the goal.
    to_coachee = tmp_path / "to-sam.clpack"
    sent = _send(coach, CLIENT, to_coachee)
    assert sent["counts"] == {"sessions": 1, "actions": 1, "goals": 1}
    got = coachee.json("share", "receive", str(to_coachee))
    assert got["source"] == COACH and got["already_received"] is False
    assert got["added"] == {"sessions": 1, "actions": 1, "goals": 1, "scores": 1}

    actions = coachee.json("action", "list")
    assert [(a["text"], a["due"], a["client"]) for a in actions] == [(ACTION, "2026-12-20", None)]
    goals = coachee.json("goal", "list")
    assert [(g["title"], g["client"], g["baseline"]) for g in goals] == [(GOAL, None, 4)]
    sessions = coachee.json("share", "sessions")
    assert [(s["on"], s["minutes"], s["themes"], s["cards"], s["coach"]) for s in sessions] == [
        ("2026-11-20", 60, ["confidence"], ["resilience"], COACH)
    ]
    assert sessions[0]["notes"] is None  # no notes without --notes
    coachee.json("reflect", "--text", "Before the session", "--on", "2026-11-19")
    listed = coachee.ok("share", "sessions")
    assert "Since your last session (2026-11-20): 0 reflections" in listed.stderr
    coachee.json("reflection", "delete", "1", "--yes")
    assert "Not for Sam" not in json.dumps(coachee.everything())

    # The coachee reflects (one private), ticks the action, rates the goal.
    coachee.json("reflect", "--text", REFLECTION, "--theme", "confidence")
    assert coachee.json("reflect", "--text", PRIVATE, "--private")["private"] is True
    coachee.json("action", "done", str(actions[0]["id"]))
    coachee.json("goal", "rate", str(goals[0]["id"]), "6", "--on", "2026-11-27")

    to_coach = tmp_path / "to-alex.clpack"
    back = _send(coachee, COACH, to_coach)
    assert back["counts"] == {"reflections": 1, "scores": 1, "ticks": 1}
    received = coach.json("share", "receive", str(to_coach))
    assert received["added"] == {"reflections": 1, "scores": 1}
    assert received["updated"] == {"ticks": 1}
    # Their own tick is not sent back to them as a change, nor their score.
    nothing = coach.json("share", "send", "--to", CLIENT, "-o", str(tmp_path / "no.clpack"))
    assert nothing["counts"] == {}

    # The coach's prep shows the shared reflection under its own heading.
    brief = coach.json("prep", CLIENT)
    assert [r["text"] for r in brief["shared_reflections"]] == [REFLECTION]
    assert brief["reflections"] == []
    shown = coach.ok("prep", CLIENT).stdout
    assert f"Shared by {CLIENT} since your last session" in shown
    assert REFLECTION in shown and PRIVATE not in shown
    # ... the action is done, and the goal has the coachee's score.
    (action,) = [a for a in coach.json("action", "list", "--client", CLIENT)]
    assert action["done_on"] is not None
    (goal,) = coach.json("goal", "list", "--client", CLIENT)
    assert goal["latest"] == 6
    listed = coach.json("reflection", "list", "--client", CLIENT)
    assert [(r["text"], r["shared_by"], r["client"]) for r in listed] == [
        (REFLECTION, CLIENT, CLIENT)
    ]
    assert PRIVATE not in json.dumps(coach.everything())

    # Never the coach's own: not in progress --me, nor in the supervision pack.
    mine = coach.json("progress", "--me")
    assert all(t["reflections"] == 0 for t in mine["themes"])
    supervision = coach.ok("export", "supervision", "--format", "json").stdout
    assert REFLECTION not in supervision

    # Receiving either pack again changes nothing.
    for person, pack in ((coach, to_coach), (coachee, to_coachee)):
        before = person.everything()
        again = person.json("share", "receive", str(pack))
        assert again["already_received"] is True and again["added"] == {}
        assert person.everything() == before


def test_a_tampered_pack_is_refused_with_nothing_written(linked, tmp_path):
    coach, coachee = linked
    _first_session(coach)
    pack = tmp_path / "p.clpack"
    _send(coach, CLIENT, pack)
    lines = pack.read_text().splitlines()
    body = lines[6]
    lines[6] = body[:10] + ("A" if body[10] != "A" else "B") + body[11:]
    altered = tmp_path / "altered.clpack"
    altered.write_text("\n".join(lines) + "\n")
    _refused(coachee, altered, "altered")
    assert coachee.json("action", "list") == []
    # The genuine pack still goes in afterwards.
    assert coachee.json("share", "receive", str(pack))["added"]["actions"] == 1


def test_a_pack_holds_no_readable_name_note_or_text(linked, tmp_path):
    coach, coachee = linked
    _first_session(coach)
    pack = tmp_path / "p.clpack"
    _send(coach, CLIENT, pack, "--notes")
    coachee.json("share", "receive", str(pack))
    coachee.json("reflect", "--text", REFLECTION)
    back = tmp_path / "back.clpack"
    _send(coachee, COACH, back)
    for file in (pack, back):
        data = file.read_bytes().lower()
        for secret in (CLIENT, COACH, NOTE, PRIVATE_NOTE, ACTION, REFLECTION, GOAL, "Patel"):
            for word in [secret, *secret.split()]:
                if len(word) > 3:
                    assert word.lower().encode() not in data, (file.name, word)


def test_notes_go_only_with_notes_and_private_notes_never(linked, tmp_path):
    coach, coachee = linked
    _first_session(coach)
    pack = tmp_path / "p.clpack"
    _send(coach, CLIENT, pack, "--notes")
    coachee.json("share", "receive", str(pack))
    (session,) = coachee.json("share", "sessions")
    assert session["notes"] == NOTE
    assert PRIVATE_NOTE not in json.dumps(coachee.everything())


# ---------------------------------------------------------------- later packs


def test_the_next_pack_holds_only_what_is_new_or_changed(linked, tmp_path):
    coach, coachee = linked
    _first_session(coach)
    first = tmp_path / "1.clpack"
    _send(coach, CLIENT, first)
    coachee.json("share", "receive", str(first))

    nothing = coach.json("share", "send", "--to", CLIENT, "-o", str(tmp_path / "none.clpack"))
    assert nothing["file"] is None and nothing["counts"] == {}
    assert not (tmp_path / "none.clpack").exists()

    # The coach re-dates the action: the next pack carries that one action and it
    # updates the coachee's copy rather than adding a second.
    (action,) = coach.json("action", "list", "--client", CLIENT)
    coach.json("action", "edit", str(action["id"]), "--due", "2027-01-10")
    second = tmp_path / "2.clpack"
    assert _send(coach, CLIENT, second)["counts"] == {"actions": 1}
    got = coachee.json("share", "receive", str(second))
    assert got["updated"] == {"actions": 1} and got["added"] == {}
    assert [(a["text"], a["due"]) for a in coachee.json("action", "list")] == [
        (ACTION, "2027-01-10")
    ]

    # The coachee corrects a reflection already shared: the coach's copy follows.
    written = coachee.json("reflect", "--text", "First version")
    third = tmp_path / "3.clpack"
    _send(coachee, COACH, third)
    coach.json("share", "receive", str(third))
    coachee.json("reflection", "edit", str(written["id"]), "--text", "Corrected version")
    fourth = tmp_path / "4.clpack"
    assert _send(coachee, COACH, fourth)["counts"] == {"reflections": 1}
    assert coach.json("share", "receive", str(fourth))["updated"] == {"reflections": 1}
    texts = [r["text"] for r in coach.json("reflection", "list", "--client", CLIENT)]
    assert texts == ["Corrected version"]

    # --since sends again what was sent before.
    again = _send(coach, CLIENT, tmp_path / "5.clpack", "--since", "2026-11-01")
    assert again["counts"]["sessions"] == 1


def test_an_older_pack_received_late_does_not_undo_a_newer_one(linked, tmp_path):
    coach, coachee = linked
    _first_session(coach)
    old = tmp_path / "old.clpack"
    _send(coach, CLIENT, old)
    (action,) = coach.json("action", "list", "--client", CLIENT)
    coach.json("action", "edit", str(action["id"]), "--text", "Newer wording")
    new = tmp_path / "new.clpack"
    _send(coach, CLIENT, new)
    coachee.json("share", "receive", str(new))
    coachee.json("share", "receive", str(old))
    assert [a["text"] for a in coachee.json("action", "list")] == ["Newer wording"]


# ---------------------------------------------------------------- refusals


def test_a_pack_for_another_journal_is_refused(linked, cli, tmp_path):
    coach, coachee = linked
    _first_session(coach)
    pack = tmp_path / "p.clpack"
    _send(coach, CLIENT, pack)
    stranger = Person(cli, tmp_path / "stranger.db")
    stranger.json("share", "link", "--coach", COACH, "--key", coach.key())
    _refused(stranger, pack, "not for this journal")


def test_a_pack_from_an_unlinked_key_is_refused(linked, cli, tmp_path):
    coach, coachee = linked
    stranger = Person(cli, tmp_path / "stranger.db")
    stranger.json("client", "add", "Someone")
    stranger.json("share", "link", "--client", "Someone", "--key", coachee.key())
    stranger.json("session", "log", "--client", "Someone", "--minutes", "30")
    pack = tmp_path / "p.clpack"
    _send(stranger, "Someone", pack)
    _refused(coachee, pack, "not linked")


def test_a_pack_from_a_sender_unlinked_since_is_refused(linked, tmp_path):
    coach, coachee = linked
    _first_session(coach)
    pack = tmp_path / "p.clpack"
    _send(coach, CLIENT, pack)
    assert coachee.json("share", "unlink", COACH)["name"] == COACH
    _refused(coachee, pack, "not linked")


def test_a_pack_cut_short_is_refused(linked, tmp_path):
    coach, coachee = linked
    _first_session(coach)
    pack = tmp_path / "p.clpack"
    _send(coach, CLIENT, pack)
    data = pack.read_bytes()
    for keep in (len(data) // 2, len(data) - 5, 40):
        short = tmp_path / f"short{keep}.clpack"
        short.write_bytes(data[:keep])
        _refused(coachee, short, "cut short")


def test_a_pack_from_a_newer_coachlog_is_refused(linked, tmp_path):
    coach, coachee = linked
    _first_session(coach)
    pack = tmp_path / "p.clpack"
    _send(coach, CLIENT, pack)
    newer = tmp_path / "newer.clpack"
    newer.write_text(pack.read_text().replace("format: 1\n", "format: 2\n", 1))
    _refused(coachee, newer, "newer coachlog")


@pytest.mark.parametrize(
    "content",
    [b"", b"hello\n", b'{"format": "coachlog-backup"}', b"\x89PNG\r\n\x1a\n\x00\x00"],
    ids=["empty", "text", "json", "binary"],
)
def test_a_file_that_is_not_a_pack_is_refused(linked, tmp_path, content):
    coach, coachee = linked
    other = tmp_path / "other.clpack"
    other.write_bytes(content)
    _refused(coachee, other, "not a coachlog share pack")


def test_erasing_a_client_removes_their_key_and_refuses_their_packs(linked, tmp_path):
    coach, coachee = linked
    _first_session(coach)
    to_coachee = tmp_path / "p.clpack"
    _send(coach, CLIENT, to_coachee)
    coachee.json("share", "receive", str(to_coachee))
    coachee.json("reflect", "--text", REFLECTION)
    pack = tmp_path / "back.clpack"
    _send(coachee, COACH, pack)
    coach.json("share", "receive", str(pack))
    (stored,) = coachee.rows("SELECT public_key FROM share_keys")
    assert stored["public_key"] in json.dumps(coach.everything())

    coach.json("client", "erase", CLIENT, "--yes")
    assert coach.json("share", "links") == []
    left = coach.rows("SELECT * FROM share_received") + coach.rows("SELECT * FROM share_links")
    assert left == []
    assert stored["public_key"] not in json.dumps(coach.everything())
    _refused(coach, pack, "not linked")


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(where=st.floats(min_value=0, max_value=1, exclude_max=True), change=st.integers(1, 255))
def test_any_one_byte_changed_is_refused_and_writes_nothing(linked, tmp_path, where, change):
    coach, coachee = linked
    pack = tmp_path / "every.clpack"
    if not pack.exists():
        _first_session(coach)
        _send(coach, CLIENT, pack)
    data = bytearray(pack.read_bytes())
    at = int(where * len(data))
    data[at] = (data[at] + change) % 256
    if bytes(data).replace(b"\r\n", b"\n") == pack.read_bytes().replace(b"\r\n", b"\n"):
        return
    changed = tmp_path / "changed.clpack"
    changed.write_bytes(bytes(data))
    before = coachee.everything()
    result = coachee.run("share", "receive", str(changed))
    assert result.exit_code == 1, (at, result.stdout, result.stderr)
    assert result.stderr.startswith("Error: ")
    assert coachee.everything() == before


# ---------------------------------------------------------------- keys and links


def test_the_key_is_made_once_and_has_a_fingerprint(coachee):
    first = coachee.json("share", "key")
    assert first == coachee.json("share", "key")
    assert first["key"].startswith("clk1") and len(first["key"]) == 59
    assert len(first["fingerprint"]) == 19  # XXXX-XXXX-XXXX-XXXX
    secret = coachee.rows("SELECT secret_key FROM share_keys")[0]["secret_key"]
    assert secret not in json.dumps(first)
    shown = coachee.ok("share", "key")
    assert first["key"] in shown.stdout and first["fingerprint"] in shown.stderr


@pytest.mark.parametrize(
    "bad", ["", "hello", "clk1abc", "clk1" + "a" * 55, "xyz1" + "a" * 55], ids=repr
)
def test_a_malformed_key_is_a_usage_error(coach, bad):
    coach.json("client", "add", CLIENT)
    result = coach.run("share", "link", "--client", CLIENT, "--key", bad)
    assert result.exit_code == 2, result.stderr
    assert result.stderr.startswith("Error: ")
    assert coach.rows("SELECT * FROM share_links") == []


def test_a_key_with_one_typo_is_caught(coach, coachee):
    coach.json("client", "add", CLIENT)
    key = coachee.key()
    typo = key[:20] + ("b" if key[20] != "b" else "c") + key[21:]
    result = coach.run("share", "link", "--client", CLIENT, "--key", typo)
    assert result.exit_code == 2
    assert "typing mistake" in result.stderr


def test_a_key_linked_to_someone_else_is_refused(linked):
    coach, coachee = linked
    coach.json("client", "add", "Another Client")
    result = coach.run("share", "link", "--client", "Another Client", "--key", coachee.key())
    assert result.exit_code == 1
    assert f"already linked to {CLIENT}" in result.stderr
    # Linking the same key to the same person again is fine and changes nothing.
    assert coach.json("share", "link", "--client", CLIENT, "--key", coachee.key())
    assert len(coach.json("share", "links")) == 1
    own = coach.run("share", "link", "--coach", "Me", "--key", coach.key())
    assert own.exit_code == 1 and "own sharing key" in own.stderr


def test_links_lists_both_kinds(linked):
    coach, coachee = linked
    (row,) = coach.json("share", "links")
    assert (row["name"], row["role"]) == (CLIENT, "client")
    (row,) = coachee.json("share", "links")
    assert (row["name"], row["role"]) == (COACH, "coach")


# ---------------------------------------------------------------- pack files


def test_pack_files_are_owner_only_and_never_overwritten_without_force(linked, tmp_path):
    coach, coachee = linked
    _first_session(coach)
    pack = tmp_path / "p.clpack"
    pack.write_text("something else")
    result = coach.run("share", "send", "--to", CLIENT, "-o", str(pack))
    assert result.exit_code == 1 and "already exists" in result.stderr
    assert pack.read_text() == "something else"
    assert coach.rows("SELECT * FROM share_sent") == []  # nothing counted as sent
    coach.json("share", "send", "--to", CLIENT, "-o", str(pack), "--force")
    if sys.platform != "win32":
        assert stat.S_IMODE(pack.stat().st_mode) == 0o600
    over = coach.run("share", "send", "--to", CLIENT, "--since", "2020-01-01", "-o",
                     str(coach.path), "--force")  # fmt: skip
    assert over.exit_code == 1 and "part of your journal" in over.stderr


def test_the_default_file_name_is_numbered_when_taken(linked, tmp_path, monkeypatch):
    coach, coachee = linked
    _first_session(coach)
    monkeypatch.chdir(tmp_path)
    first = coach.json("share", "send", "--to", CLIENT)
    second = coach.json("share", "send", "--to", CLIENT, "--since", "2026-01-01")
    assert first["file"] != second["file"]
    assert second["file"].endswith("-2.clpack")


# ---------------------------------------------------------------- in a terminal


def test_in_a_terminal_items_can_be_left_out(linked, tmp_path, monkeypatch):
    from coachlog.cli import common, prompts

    coach, coachee = linked
    _first_session(coach)
    shown: list[str] = []

    class Person_(prompts.PrompterBase):
        def checkbox(self, message, options, *, checked=()):
            shown.extend(o.label for o in options)
            assert list(checked) == [o.value for o in options]  # all ticked to start
            return [o.value for o in options if not o.label.startswith("Goal")]

        def confirm(self, message, *, default=True):
            return True

    monkeypatch.setattr(common, "interactive", lambda: True)
    with prompts.use_prompter(Person_()):
        sent = _send(coach, CLIENT, tmp_path / "p.clpack")
    assert sent["counts"] == {"sessions": 1, "actions": 1}
    assert any(label.startswith(f"Action: {ACTION[:20]}") for label in shown)
    monkeypatch.setattr(common, "interactive", lambda: False)
    # What was left out is offered again next time.
    assert _send(coach, CLIENT, tmp_path / "q.clpack")["counts"] == {"goals": 1}


def test_in_a_terminal_saying_no_writes_nothing(linked, tmp_path, monkeypatch):
    from coachlog.cli import common, prompts

    coach, coachee = linked
    _first_session(coach)

    class No(prompts.PrompterBase):
        def checkbox(self, message, options, *, checked=()):
            return list(checked)

        def confirm(self, message, *, default=True):
            return False

    monkeypatch.setattr(common, "interactive", lambda: True)
    with prompts.use_prompter(No()):
        result = coach.run("share", "send", "--to", CLIENT, "-o", str(tmp_path / "p.clpack"))
    assert result.exit_code == 130
    assert not (tmp_path / "p.clpack").exists()
    assert coach.rows("SELECT * FROM share_sent") == []


# ---------------------------------------------------------------- help


@pytest.mark.parametrize(
    "command", ["key", "link", "links", "unlink", "send", "receive", "sessions"]
)
def test_every_share_command_has_an_example(cli, command):
    result = cli("share", command, "--help")
    assert result.exit_code == 0
    assert "Example: coachlog share " + command in result.stdout


def test_share_output_fits_60_columns(linked, tmp_path):
    coach, coachee = linked
    _first_session(coach)
    pack = tmp_path / "p.clpack"
    narrow = {"COLUMNS": "60"}
    sent = coach.run("share", "send", "--to", CLIENT, "-o", str(pack), env=narrow)
    received = coachee.run("share", "receive", str(pack), env=narrow)
    coachee.json("reflect", "--text", REFLECTION + " " + "and more words " * 10)
    back = tmp_path / "back.clpack"
    _send(coachee, COACH, back)
    shared = coach.run("share", "receive", str(back), env=narrow)
    outputs = [sent, received, shared]
    for person in (coach, coachee):
        for args in (("share", "key"), ("share", "links"), ("share", "sessions")):
            outputs.append(person.run(*args, env=narrow))
    outputs.append(coach.run("reflection", "list", env=narrow))
    outputs.append(coach.run("prep", CLIENT, env=narrow))
    for result in outputs:
        assert result.exit_code == 0, result.stderr
        # stderr messages are folded to the terminal by common.wrap, only at a terminal.
        for line in result.stdout.splitlines():
            assert len(line) <= 60, line
    assert "from Sam" in coach.run("reflection", "list").stdout


def test_a_restored_backup_keeps_shared_reflections_the_clients(linked, cli, tmp_path):
    coach, coachee = linked
    _first_session(coach)
    coachee.json("reflect", "--text", REFLECTION)
    pack = tmp_path / "back.clpack"
    _send(coachee, COACH, pack)
    coach.json("share", "receive", str(pack))
    backup = tmp_path / "coach-backup.json"
    coach.ok("export", "backup", "-o", str(backup))
    (saved,) = json.loads(backup.read_text())["reflections"]
    assert saved["shared"] is True and saved["private"] is False

    restored = Person(cli, tmp_path / "restored.db")
    restored.ok("import", str(backup))
    (r,) = restored.json("reflection", "list", "--client", CLIENT)
    assert r["shared_by"] == CLIENT
    assert [x["text"] for x in restored.json("prep", CLIENT)["shared_reflections"]] == [REFLECTION]
    supervision = restored.ok("export", "supervision", "--format", "json").stdout
    assert REFLECTION not in supervision
    assert restored.json("share", "links") == []  # keys and links stay behind


def test_changes_that_decode_the_same_are_still_refused(linked, tmp_path):
    coach, coachee = linked
    _first_session(coach)
    pack = tmp_path / "p.clpack"
    _send(coach, CLIENT, pack)
    lines = pack.read_text().splitlines()
    variants = []
    # A key in another case decodes to the same key; so would spare base64 bits.
    upper = list(lines)
    at = next(i for i in range(10, len(upper[2])) if upper[2][i].isalpha())
    upper[2] = upper[2][:at] + upper[2][at].upper() + upper[2][at + 1 :]
    variants.append(upper)
    last = list(lines)
    body = last[-2]
    import base64

    for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/":
        candidate = body.rstrip("=")[:-1] + c + "=" * (len(body) - len(body.rstrip("=")))
        if candidate != body:
            try:
                same = base64.b64decode(candidate) == base64.b64decode(body)
            except ValueError:
                continue
            if same:
                last[-2] = candidate
                variants.append(list(last))
                break
    rewrapped = lines[:5] + ["".join(lines[5:-1])] + lines[-1:]
    variants.append(rewrapped)
    for n, variant in enumerate(variants):
        changed = tmp_path / f"v{n}.clpack"
        changed.write_text("\n".join(variant) + "\n")
        _refused(coachee, changed, "altered")


def test_hostile_text_in_a_pack_reaches_the_terminal_escaped(linked, tmp_path):
    coach, coachee = linked
    coachee.json("reflect", "--text", "Hello \x1b]0;pwned\x07 \x1b[2J there \u202e")
    pack = tmp_path / "p.clpack"
    _send(coachee, COACH, pack)
    result = coach.ok("share", "receive", str(pack))
    assert "\x1b" not in result.stdout + result.stderr
    assert "\u202e" not in result.stdout + result.stderr
    (r,) = coach.json("reflection", "list", "--client", CLIENT)
    assert r["text"].startswith("Hello \x1b]0;pwned\x07")  # kept exact, shown escaped


def test_two_journals_that_both_linked_a_client_cannot_swap_roles(coach, coachee, tmp_path):
    coach.json("client", "add", CLIENT)
    coachee.json("client", "add", "My Coach")
    coach.json("share", "link", "--client", CLIENT, "--key", coachee.key())
    coachee.json("share", "link", "--client", "My Coach", "--key", coach.key())
    coach.json("session", "log", "--client", CLIENT, "--minutes", "30")
    pack = tmp_path / "p.clpack"
    _send(coach, CLIENT, pack)
    _refused(coachee, pack, "you linked them as")


def test_send_names_who_it_is_for_unless_there_is_one(linked, tmp_path, monkeypatch):
    coach, coachee = linked
    _first_session(coach)
    monkeypatch.chdir(tmp_path)
    assert coach.json("share", "send")["to"] == CLIENT
    coach.json("client", "add", "Second")
    coach.json(
        "share", "link", "--client", "Second", "--key", Person(coach.cli, tmp_path / "x.db").key()
    )
    missing = coach.run("share", "send")
    assert missing.exit_code == 2 and "--to" in missing.stderr
    unknown = coach.run("share", "send", "--to", "Nobody")
    assert unknown.exit_code == 1 and "linked" in unknown.stderr
    notes = coachee.run("share", "send", "--to", COACH, "--notes")
    assert notes.exit_code == 2
    gone = coach.run("share", "unlink", "Nobody")
    assert gone.exit_code == 1


def test_a_coachees_older_entries_go_only_when_asked(linked, tmp_path):
    coach, coachee = linked
    coachee.json("reflect", "--text", "Years ago", "--on", "2020-05-01")
    coachee.json("reflect", "--text", "Today")
    first = _send(coachee, COACH, tmp_path / "1.clpack")
    assert first["counts"] == {"reflections": 1}
    coach.json("share", "receive", str(tmp_path / "1.clpack"))
    assert [r["text"] for r in coach.json("reflection", "list", "--client", CLIENT)] == ["Today"]
    older = _send(coachee, COACH, tmp_path / "2.clpack", "--since", "2020-01-01")
    assert older["counts"] == {"reflections": 2}


@pytest.mark.parametrize(
    "bad",
    [
        {"sessions": [{"uid": "a" * 32, "on": "2026-13-45", "minutes": 60}]},
        {"sessions": [{"uid": "a" * 32, "on": "2026-11-20", "minutes": 0}]},
        {"actions": [{"uid": "../etc", "text": "x", "created_on": "2026-11-20"}]},
        {"goals": [{"uid": "b" * 32, "title": "x", "created_on": "2026-11-20",
                    "themes": ["not-a-theme"]}]},
        {"actions": [{"uid": "c" * 32, "text": "two\nlines", "created_on": "2026-11-20"}]},
    ],
    ids=["impossible-date", "no-minutes", "bad-uid", "bad-theme", "two-lines"],
)  # fmt: skip
def test_a_signed_pack_with_impossible_content_is_refused(linked, tmp_path, bad):
    """Even a pack truly from the linked coach is checked before anything is filed."""
    from coachlog.core import share

    coach, coachee = linked
    (mine,) = coach.rows("SELECT public_key, secret_key FROM share_keys")
    (theirs,) = coachee.rows("SELECT public_key FROM share_keys")
    public, secret = bytes.fromhex(mine["public_key"]), bytes.fromhex(mine["secret_key"])
    recipient = bytes.fromhex(theirs["public_key"])
    payload = {
        "format": 1, "pack": "d" * 32, "seq": 1, "made_at": "2026-11-20T10:00:00+00:00",
        "role": "coach", "from": share.encode_key(public), "to": share.encode_key(recipient),
        **bad,
    }  # fmt: skip
    pack = tmp_path / "bad.clpack"
    pack.write_text(share._seal(payload, secret, recipient, public))
    _refused(coachee, pack, "altered")


def test_link_needs_exactly_one_of_client_and_coach(coach, coachee):
    coach.json("client", "add", CLIENT)
    key = coachee.key()
    both = coach.run("share", "link", "--client", CLIENT, "--coach", COACH, "--key", key)
    neither = coach.run("share", "link", "--key", key)
    assert (both.exit_code, neither.exit_code) == (2, 2)
    coach.json("share", "link", "--coach", COACH, "--key", key)
    again = coach.run(
        "share",
        "link",
        "--coach",
        COACH.upper(),
        "--key",
        Person(coach.cli, coach.path.parent / "x.db").key(),
    )
    assert again.exit_code == 1 and "already has a key linked" in again.stderr
    assert len(coach.json("share", "links")) == 1


def test_a_client_cannot_touch_another_clients_records(linked, tmp_path):
    """A coachee's pack that names another client's action or goal changes nothing there."""
    from coachlog.core import share

    coach, coachee = linked
    coach.json("client", "add", "Other Person")
    coach.json("session", "log", "--client", "Other Person", "--minutes", "30",
               "--action", "Theirs alone")  # fmt: skip
    goal = coach.json("goal", "add", "Their goal", "--client", "Other Person", "--score", "3")
    (action,) = coach.rows("SELECT uid FROM actions")
    (goal_uid,) = coach.rows("SELECT uid FROM goals WHERE id = ?", (goal["id"],))
    (mine,) = coachee.rows("SELECT public_key, secret_key FROM share_keys")
    (theirs,) = coach.rows("SELECT public_key FROM share_keys")
    public, secret = bytes.fromhex(mine["public_key"]), bytes.fromhex(mine["secret_key"])
    recipient = bytes.fromhex(theirs["public_key"])
    payload = {
        "format": 1, "pack": "e" * 32, "seq": 1, "made_at": "2026-11-20T10:00:00+00:00",
        "role": "coachee", "from": share.encode_key(public),
        "to": share.encode_key(recipient),
        "ticks": [{"uid": action["uid"], "done_on": "2026-11-21"}],
        "scores": [{"uid": "f" * 32, "goal": goal_uid["uid"], "score": 10,
                    "on": "2026-11-21"}],
    }  # fmt: skip
    pack = tmp_path / "sneaky.clpack"
    pack.write_text(share._seal(payload, secret, recipient, public))
    got = coach.json("share", "receive", str(pack))
    assert got["ignored"] == 2 and got["added"] == {} and got["updated"] == {}
    assert coach.rows("SELECT done_on FROM actions") == [{"done_on": None}]
    assert [g["latest"] for g in coach.json("goal", "list", "--client", "Other Person")] == [3]


def test_a_big_pack_lists_the_first_items_and_counts_the_rest(linked, tmp_path):
    coach, coachee = linked
    for n in range(20):
        coachee.json("reflect", "--text", f"Entry {n}")
    pack = tmp_path / "big.clpack"
    _send(coachee, COACH, pack)
    shown = coach.ok("share", "receive", str(pack))
    assert shown.stdout.count("+ Reflection") == 15
    assert "and 5 more" in shown.stdout
    assert "added 20 reflections" in shown.stderr


def test_in_a_terminal_a_long_pack_is_chosen_by_kind(linked, tmp_path, monkeypatch):
    from coachlog.cli import common, prompts

    coach, coachee = linked
    for n in range(45):
        coachee.json("reflect", "--text", f"Entry {n}")
    goal = coachee.json("goal", "add", "My own goal")  # not from the coach: never sent
    assert goal["client"] is None
    offered: list[str] = []

    class Person_(prompts.PrompterBase):
        def checkbox(self, message, options, *, checked=()):
            offered.extend(o.label for o in options)
            return list(checked)

        def confirm(self, message, *, default=True):
            return True

    monkeypatch.setattr(common, "interactive", lambda: True)
    with prompts.use_prompter(Person_()):
        sent = _send(coachee, COACH, tmp_path / "p.clpack")
    assert offered == ["45 reflections"]
    assert sent["counts"] == {"reflections": 45}


# ---------------------------------------------------------------- review 15


def _signed(sender: Person, recipient: Person, role: str, out: Path, **sections: Any) -> Path:
    """A pack truly from `sender` (its own key) holding `sections`, as a hostile copy would."""
    from coachlog.core import share

    (mine,) = sender.rows("SELECT public_key, secret_key FROM share_keys")
    (theirs,) = recipient.rows("SELECT public_key FROM share_keys")
    public, secret = bytes.fromhex(mine["public_key"]), bytes.fromhex(mine["secret_key"])
    to = bytes.fromhex(theirs["public_key"])
    payload = {
        "format": 1, "pack": "e" * 32, "seq": 10**13, "made_at": "2026-11-20T10:00:00+00:00",
        "role": role, "from": share.encode_key(public), "to": share.encode_key(to),
        **sections,
    }  # fmt: skip
    out.write_text(share._seal(payload, secret, to, public))
    return out


@pytest.mark.parametrize(
    "section",
    [
        {"sessions": [{"uid": "a" * 32, "on": "2099-01-01", "minutes": 60}]},
        {"actions": [{"uid": "c" * 32, "text": "x", "created_on": "2099-01-01"}]},
        {"actions": [{"uid": "c" * 32, "text": "x", "created_on": "2026-11-20",
                      "done_on": "2099-01-01"}]},
        {"goals": [{"uid": "b" * 32, "title": "x", "created_on": "2026-11-20",
                    "scores": [{"uid": "d" * 32, "score": 5, "on": "2099-01-01"}]}]},
    ],
    ids=["session", "action-made", "action-done", "goal-score"],
)  # fmt: skip
def test_a_pack_with_a_date_after_today_is_refused(linked, tmp_path, section):
    """Every other door refuses a date that has not happened yet (only due dates may be
    in the future); a pack is no different, and says so rather than 'altered'."""
    coach, coachee = linked
    pack = _signed(coach, coachee, "coach", tmp_path / "future.clpack", **section)
    _refused(coachee, pack, "after today")


def test_a_coachees_reflection_or_tick_dated_after_today_is_refused(linked, tmp_path):
    coach, coachee = linked
    reflection = {"uid": "f" * 32, "on": "2099-01-01", "text": "from the future"}
    pack = _signed(coachee, coach, "coachee", tmp_path / "r.clpack", reflections=[reflection])
    _refused(coach, pack, "after today")
    tick = _signed(coachee, coach, "coachee", tmp_path / "t.clpack",
                   ticks=[{"uid": "a" * 32, "done_on": "2099-01-01"}])  # fmt: skip
    _refused(coach, tick, "after today")


def test_a_pack_dated_tomorrow_is_received(linked, tmp_path):
    """The sender's computer may be a time zone ahead: one day after today is accepted."""
    import datetime as dt

    from coachlog import dates

    coach, coachee = linked
    tomorrow = (dates.today() + dt.timedelta(days=1)).isoformat()
    session = {"uid": "a" * 32, "on": tomorrow, "minutes": 60}
    pack = _signed(coach, coachee, "coach", tmp_path / "t.clpack", sessions=[session])
    assert coachee.json("share", "receive", str(pack))["added"] == {"sessions": 1}


@pytest.mark.parametrize("name", ["Dr \x1b]0;owned\x07Evil", "Alex\x1b[2JMorgan", "x" * 201])
def test_a_coachs_name_obeys_the_rules_of_every_other_name(coach, coachee, name):
    """Control characters and over-long names are refused here as in 'client add'."""
    result = coachee.run("share", "link", "--coach", name, "--key", coach.key())
    assert result.exit_code == 2, result.stderr
    assert result.stderr.startswith("Error: ") and "Traceback" not in result.stderr
    assert coachee.rows("SELECT * FROM share_links") == []


def test_in_a_terminal_a_taken_file_is_refused_before_anything_is_asked(
    linked, tmp_path, monkeypatch
):
    from coachlog.cli import common, prompts

    coach, coachee = linked
    _first_session(coach)
    pack = tmp_path / "p.clpack"
    pack.write_text("something else")
    asked: list[str] = []

    class Watch(prompts.PrompterBase):
        def checkbox(self, message, options, *, checked=()):
            asked.append(message)
            return list(checked)

        def confirm(self, message, *, default=True):
            asked.append(message)
            return True

    monkeypatch.setattr(common, "interactive", lambda: True)
    with prompts.use_prompter(Watch()):
        result = coach.run("share", "send", "--to", CLIENT, "-o", str(pack))
    assert result.exit_code == 1 and "already exists" in result.stderr
    assert asked == []  # told at once, not after ticking through every item
    assert pack.read_text() == "something else"


def test_links_show_the_whole_fingerprint_at_60_columns(coach, coachee):
    """The fingerprint is what two people read to each other: never cut to fit a name."""
    long_name = "Maximilian Alexander Bartholomew Fitzgerald-O'Neill Núñez Strauß"
    coach.json("client", "add", long_name)
    linked = coach.json("share", "link", "--client", long_name, "--key", coachee.key())
    shown = coach.run("share", "links", env={"COLUMNS": "60"})
    assert shown.exit_code == 0, shown.stderr
    assert linked["fingerprint"] in shown.stdout
    assert all(len(line) <= 60 for line in shown.stdout.splitlines())


def test_a_coach_is_found_by_name_ignoring_case_accents_and_apostrophes(coach, coachee):
    """As a CLIENT is: a UK keyboard has no ë, and O’Neill may come with a curly quote."""
    coachee.json("share", "link", "--coach", "Zoë O’Neill", "--key", coach.key())
    coachee.json("reflect", "--text", REFLECTION)
    for typed in ("zoe o'neill", "ZOË O’NEILL", "Zoe  O'Neill"):
        plan = coachee.run("share", "unlink", typed, "--json")
        assert plan.exit_code == 0, (typed, plan.stderr)
        coachee.json("share", "link", "--coach", "Zoë O’Neill", "--key", coach.key())
    other = Person(coach.cli, coach.path.parent / "other.db").key()
    again = coachee.run("share", "link", "--coach", "Zoe O'Neill", "--key", other)
    assert again.exit_code == 1 and "already has a key linked" in again.stderr
    assert len(coachee.json("share", "links")) == 1


@pytest.mark.parametrize("at", ["99:99", "24:00", "7:5"])
def test_a_reflection_at_an_impossible_time_is_refused(linked, tmp_path, at):
    """It was filed, and then the coach's own backup could not be restored."""
    coach, coachee = linked
    reflection = {"uid": "f" * 32, "on": "2026-11-20", "at": at, "text": "timed"}
    pack = _signed(coachee, coach, "coachee", tmp_path / "r.clpack", reflections=[reflection])
    _refused(coach, pack, "altered")


def test_a_coachs_backup_with_shared_reflections_restores(linked, cli, tmp_path):
    coach, coachee = linked
    reflection = {"uid": "f" * 32, "on": "2026-11-20", "at": "23:59", "text": "timed"}
    pack = _signed(coachee, coach, "coachee", tmp_path / "r.clpack", reflections=[reflection])
    coach.json("share", "receive", str(pack))
    backup = tmp_path / "b.json"
    coach.ok("export", "backup", "-o", str(backup))
    fresh = Person(cli, tmp_path / "fresh.db")
    fresh.ok("import", str(backup), "--from-other-journal")
    (restored,) = fresh.json("reflection", "list")
    assert restored["at"] == "23:59" and restored["shared_by"] == CLIENT


def test_a_coachee_can_read_the_notes_their_coach_sent(linked, tmp_path):
    """--notes was only visible in 'share sessions --json': the table left them out."""
    coach, coachee = linked
    _first_session(coach)
    pack = tmp_path / "p.clpack"
    _send(coach, CLIENT, pack, "--notes")
    coachee.json("share", "receive", str(pack))
    shown = coachee.run("share", "sessions", env={"COLUMNS": "60"})
    assert shown.exit_code == 0, shown.stderr
    flat = " ".join(shown.stdout.split())
    assert NOTE in flat and PRIVATE_NOTE not in flat
    assert all(len(line) <= 60 for line in shown.stdout.splitlines())


def test_a_coachee_who_restores_a_backup_keeps_sharing_with_their_coach(linked, cli, tmp_path):
    """The README's new-computer steps: restore, 'share key', link each other again.
    The actions and goals the coach sent must still be the coach's to update, and the
    coachee's ticks and scores on them must still go back."""
    coach, coachee = linked
    _first_session(coach)
    _send(coach, CLIENT, tmp_path / "1.clpack")
    coachee.json("share", "receive", str(tmp_path / "1.clpack"))
    backup = tmp_path / "coachee-backup.json"
    coachee.ok("export", "backup", "-o", str(backup))

    laptop = Person(cli, tmp_path / "new-laptop.db")
    laptop.ok("import", str(backup))
    laptop.json("share", "link", "--coach", COACH, "--key", coach.key())
    coach.json("share", "unlink", CLIENT)
    coach.json("share", "link", "--client", CLIENT, "--key", laptop.key())

    (action,) = [a for a in coach.json("action", "list") if a["text"] == ACTION]
    coach.json("action", "edit", str(action["id"]), "--due", "2027-01-15")
    _send(coach, CLIENT, tmp_path / "2.clpack")
    laptop.json("share", "receive", str(tmp_path / "2.clpack"))
    (mine,) = laptop.json("action", "list")
    assert mine["due"] == "2027-01-15"  # the coach's change arrived
    assert len(laptop.json("goal", "list")) == 1  # no second copy of the goal

    laptop.json("action", "done", str(mine["id"]))
    (goal,) = laptop.json("goal", "list")
    laptop.json("goal", "rate", str(goal["id"]), "7")
    back = _send(laptop, COACH, tmp_path / "3.clpack")
    assert back["counts"] == {"scores": 1, "ticks": 1}  # only their own score, and the tick
    coach.json("share", "receive", str(tmp_path / "3.clpack"))
    (done,) = [a for a in coach.json("action", "list") if a["text"] == ACTION]
    assert done["done_on"] is not None


def test_share_sessions_does_not_count_private_reflections_as_going(linked, tmp_path):
    """'share send passes them on' must not count what --private keeps back."""
    coach, coachee = linked
    _first_session(coach)
    _send(coach, CLIENT, tmp_path / "p.clpack")
    coachee.json("share", "receive", str(tmp_path / "p.clpack"))
    coachee.json("reflect", "--text", REFLECTION)
    coachee.json("reflect", "--text", PRIVATE, "--private")
    said = " ".join(coachee.ok("share", "sessions").stderr.split())
    assert "1 reflection to share" in said and "1 private" in said, said


def test_your_own_pack_received_by_mistake_says_so(linked, tmp_path):
    """Receiving the pack you just made (the wrong attachment) says what happened."""
    coach, coachee = linked
    _first_session(coach)
    pack = tmp_path / "to-sam.clpack"
    _send(coach, CLIENT, pack)
    _refused(coach, pack, "you made")
    result = coach.run("share", "receive", str(pack))
    assert CLIENT in result.stderr and "send it to them" in result.stderr.lower()


def test_in_a_terminal_a_backup_of_another_journal_asks_first(linked, tmp_path, monkeypatch):
    """The coachee's whole backup is not a way to share: 'no' imports nothing (130)."""
    from coachlog.cli import common, prompts

    coach, coachee = linked
    coachee.json("reflect", "--text", REFLECTION)
    backup = tmp_path / "coachee.json"
    coachee.ok("export", "backup", "-o", str(backup))
    answers: list[bool] = [False, True]
    asked: list[str] = []

    class Ask(prompts.PrompterBase):
        def confirm(self, message, *, default=True):
            asked.append(message)
            assert default is False  # Enter alone does not merge
            return answers.pop(0)

    monkeypatch.setattr(common, "interactive", lambda: True)
    before = coach.everything()
    with prompts.use_prompter(Ask()):
        declined = coach.run("import", str(backup))
        assert declined.exit_code == 130 and "coachlog share" in declined.stderr
        assert coach.everything() == before
        accepted = coach.run("import", str(backup))
    assert accepted.exit_code == 0, accepted.stderr
    assert len(asked) == 2


def test_a_coachee_who_unlinks_and_links_their_coach_again_keeps_sharing(linked, tmp_path):
    """Unlinking set the records' link to nothing: scores and ticks on what the coach
    had sent then never went back, though the same coach was linked again."""
    coach, coachee = linked
    _first_session(coach)
    _send(coach, CLIENT, tmp_path / "1.clpack")
    coachee.json("share", "receive", str(tmp_path / "1.clpack"))
    coachee.json("share", "unlink", COACH)
    coachee.json("share", "link", "--coach", COACH, "--key", coach.key())
    (goal,) = coachee.json("goal", "list")
    (action,) = coachee.json("action", "list")
    coachee.json("goal", "rate", str(goal["id"]), "8")
    coachee.json("action", "done", str(action["id"]))
    back = _send(coachee, COACH, tmp_path / "2.clpack")
    assert back["counts"] == {"scores": 1, "ticks": 1}


def test_a_new_coach_does_not_take_over_what_the_last_one_sent(linked, tmp_path):
    coach, coachee = linked
    _first_session(coach)
    _send(coach, CLIENT, tmp_path / "1.clpack")
    coachee.json("share", "receive", str(tmp_path / "1.clpack"))
    coachee.json("share", "unlink", COACH)
    other = Person(coach.cli, tmp_path / "other-coach.db")
    coachee.json("share", "link", "--coach", "Another Coach", "--key", other.key())
    (goal,) = coachee.json("goal", "list")
    coachee.json("goal", "rate", str(goal["id"]), "8")
    (action,) = coachee.json("action", "list")
    coachee.json("action", "done", str(action["id"]))
    sent = coachee.run("share", "send", "--to", "Another Coach", "-o", str(tmp_path / "x"))
    assert "Nothing new" in sent.stderr  # the first coach's goal and action stay out


def test_purge_removes_old_sessions_a_coach_shared(linked, tmp_path):
    """'db purge' is how notes are kept no longer than needed: the coach's session
    (and its notes, when sent) in a coachee's journal goes with the rest."""
    coach, coachee = linked
    _first_session(coach)
    _send(coach, CLIENT, tmp_path / "p.clpack", "--notes")
    coachee.json("share", "receive", str(tmp_path / "p.clpack"))
    report = coachee.json("db", "purge", "--before", "2026-11-21", "--yes")
    assert report["removed"]["shared_sessions"] == 1
    assert coachee.json("share", "sessions") == []
    assert NOTE.encode() not in coachee.path.read_bytes()


@pytest.mark.skipif(sys.platform == "win32", reason="SIGINT to a child process is POSIX")
def test_ctrl_c_during_receive_saves_nothing(linked, tmp_path):
    """Ctrl-C while a big pack is being filed: exit 130, none of it kept, and the
    same pack then receives whole."""
    import os
    import signal
    import subprocess
    import time

    coach, coachee = linked
    many = [
        {"uid": f"{n:032x}", "on": "2026-11-20", "text": f"reflection {n} " + "words " * 40}
        for n in range(20_000)
    ]
    pack = _signed(coachee, coach, "coachee", tmp_path / "big.clpack", reflections=many)
    before = coach.everything()
    env = {**os.environ, "COACHLOG_DB": str(coach.path), "COACHLOG_NO_INPUT": "1"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "coachlog", "share", "receive", str(pack)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    wal = Path(str(coach.path) + "-wal")
    deadline = time.monotonic() + 60
    while proc.poll() is None and time.monotonic() < deadline:
        if wal.exists() and wal.stat().st_size > 200_000:  # filing has begun
            proc.send_signal(signal.SIGINT)
            break
        time.sleep(0.005)
    _, err = proc.communicate(timeout=60)
    if proc.returncode == 0:
        pytest.skip("the receive finished before Ctrl-C could be sent")
    assert proc.returncode == 130, err
    assert "Traceback" not in err and err.startswith("Cancelled")
    assert coach.everything() == before
    got = coach.json("share", "receive", str(pack))
    assert got["added"] == {"reflections": 20_000}


def test_a_signed_pack_nested_too_deeply_is_refused_as_damaged(linked, tmp_path):
    """Only a linked partner can seal it, but it must still be one plain refusal."""
    from nacl.public import Box, PrivateKey, PublicKey

    from coachlog.core import share

    coach, coachee = linked
    (mine,) = coachee.rows("SELECT public_key, secret_key FROM share_keys")
    (theirs,) = coach.rows("SELECT public_key FROM share_keys")
    public, secret = bytes.fromhex(mine["public_key"]), bytes.fromhex(mine["secret_key"])
    to = bytes.fromhex(theirs["public_key"])
    plain = b'{"a":' + b"[" * 200_000 + b"]" * 200_000 + b"}"
    sealed = bytes(Box(PrivateKey(secret), PublicKey(to)).encrypt(plain))
    lines = [share.MAGIC, "format: 1", f"from: {share.encode_key(public)}",
             f"to: {share.encode_key(to)}", f"bytes: {len(sealed)}",
             *share._wrapped(sealed), share.END]  # fmt: skip
    pack = tmp_path / "deep.clpack"
    pack.write_text("\n".join(lines) + "\n")
    _refused(coach, pack, "altered")


@pytest.mark.parametrize("seq", [2**63, -1])
def test_a_pack_number_sqlite_cannot_hold_is_refused_as_damaged(linked, tmp_path, seq):
    """It was exit 2, 'A number is too large', unlike every other bad pack."""
    coach, coachee = linked
    reflection = {"uid": "f" * 32, "on": "2026-11-20", "text": "x"}
    pack = _signed(coachee, coach, "coachee", tmp_path / "s.clpack", seq=seq,
                   reflections=[reflection])  # fmt: skip
    _refused(coach, pack, "altered")


def test_a_coachees_backup_keeps_the_sessions_their_coach_shared(linked, cli, tmp_path):
    """The backup left `shared_sessions` out: a restored coachee's 'share sessions' was
    empty, and the coach's next pack only carries what is new, so they were gone."""
    coach, coachee = linked
    _first_session(coach)
    coach.json(
        "session", "log", "--client", CLIENT, "--on", "2026-11-27", "--minutes", "45",
        "--theme", "influence", "--card", "resilience",
    )  # fmt: skip
    _send(coach, CLIENT, tmp_path / "1.clpack", "--notes")
    coachee.json("share", "receive", str(tmp_path / "1.clpack"))
    columns = "uid, coach, on_date, minutes, themes, cards, notes"
    before = coachee.rows(f"SELECT {columns} FROM shared_sessions ORDER BY id")
    assert len(before) == 2 and before[0]["notes"] == NOTE
    listed = coachee.json("share", "sessions")
    backup = tmp_path / "coachee-backup.json"
    coachee.ok("export", "backup", "-o", str(backup))
    doc = json.loads(backup.read_text(encoding="utf-8"))
    assert doc["version"] == 5 and len(doc["shared_sessions"]) == 2
    assert PRIVATE_NOTE not in backup.read_text(encoding="utf-8")

    laptop = Person(cli, tmp_path / "new-laptop.db")
    first = laptop.json("import", str(backup))
    assert first["added"]["shared_sessions"] == 2
    assert laptop.json("share", "sessions") == listed
    assert laptop.rows(f"SELECT {columns} FROM shared_sessions ORDER BY id") == before
    again = laptop.json("import", str(backup))
    assert again["added"]["shared_sessions"] == 0 and again["skipped"]["shared_sessions"] == 2
    assert laptop.rows(f"SELECT {columns} FROM shared_sessions ORDER BY id") == before
    copy = tmp_path / "again.json"
    laptop.ok("export", "backup", "-o", str(copy))
    assert (
        json.loads(copy.read_text(encoding="utf-8"))["shared_sessions"] == doc["shared_sessions"]
    )

    # Linked again, the coach's later pack updates the sessions rather than adding copies.
    laptop.json("share", "link", "--coach", COACH, "--key", coach.key())
    coach.json("share", "unlink", CLIENT)
    coach.json("share", "link", "--client", CLIENT, "--key", laptop.key())
    (session,) = [s for s in coach.json("session", "list") if s["on"] == "2026-11-27"]
    coach.json("session", "edit", str(session["id"]), "--minutes", "50")
    _send(coach, CLIENT, tmp_path / "2.clpack", "--notes")
    got = laptop.json("share", "receive", str(tmp_path / "2.clpack"))
    assert got["added"].get("sessions", 0) == 0 and got["updated"]["sessions"] == 1
    after = laptop.rows(f"SELECT {columns}, link_id FROM shared_sessions ORDER BY id")
    assert [r["uid"] for r in after] == [r["uid"] for r in before]
    assert [r["minutes"] for r in after] == [60, 50]
    assert all(r["link_id"] is not None for r in after)  # the link took them back


def test_a_backup_refuses_a_shared_session_that_breaks_the_rules(linked, cli, tmp_path):
    coach, coachee = linked
    _first_session(coach)
    _send(coach, CLIENT, tmp_path / "1.clpack")
    coachee.json("share", "receive", str(tmp_path / "1.clpack"))
    backup = tmp_path / "b.json"
    coachee.ok("export", "backup", "-o", str(backup))
    doc = json.loads(backup.read_text(encoding="utf-8"))
    for n, (field, bad) in enumerate((
        ("minutes", 0), ("minutes", 1441), ("on_date", "2026-13-01"), ("notes", "x" * 1_000_001),
        ("coach", ""), ("coach", "A\x07B"), ("themes", ["not-a-theme"]), ("uid", "has space"),
    )):  # fmt: skip
        broken = json.loads(json.dumps(doc))
        broken["shared_sessions"][0][field] = bad
        path = tmp_path / "broken.json"
        path.write_text(json.dumps(broken), encoding="utf-8")
        fresh = Person(cli, tmp_path / f"fresh-{n}.db")
        result = fresh.run("import", str(path))
        assert result.exit_code == 2, (field, result.stdout)
        assert result.stderr.startswith("Error: ") and "Traceback" not in result.stderr
        assert "shared_sessions" in result.stderr, result.stderr
        if fresh.path.exists():  # nothing written: not the session, nor anything else
            for table in ("shared_sessions", "share_received", "actions", "goals"):
                assert fresh.rows(f"SELECT * FROM {table}") == [], (field, table)
