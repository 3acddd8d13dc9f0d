"""Hostile input and a hostile world: coachlog never crashes, never corrupts, never leaks.

Property tests (hypothesis, with a bounded budget) throw unicode of every
category, control characters, huge text, SQL and FTS metacharacters, Rich
markup, option look-alikes and odd dates at the commands that store text. For
every example: the exit code is 0, 1 or 2; a failure is one `Error:` line and
nothing on stdout, never a traceback or the "unexpected" catch-all; the journal
still passes SQLite's integrity check; and what was accepted reads back through
`--json` exactly as typed (one-line fields without their outer spaces).

Then privacy by default: files owner-only whatever the umask, no network use,
and no journal text in error output, even from a damaged file or a bug.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coachlog import dates
from coachlog.errors import InvalidInput
from coachlog.text import has_unsafe, normalise_name

SRC = Path(__file__).resolve().parents[1] / "src" / "coachlog"

BUDGET = settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,  # one journal per test, shared by its examples
        HealthCheck.too_slow,
        HealthCheck.large_base_example,
    ],
)

NASTY = [
    "'; DROP TABLE clients; --",
    '" OR 1=1 --',
    "Robert'); DELETE FROM sessions WHERE ('1'='1",
    "%",
    "_%\\'\"",
    "NULL",
    "[bold]x[/bold]",
    "[/bold]",
    "[/]",
    "[link=https://example.test]click[/link]",
    ":smile: :cross_mark:",
    "\x1b[31mred\x1b[0m",
    "\x1b]8;;https://example.test\x1b\\link\x1b]8;;\x1b\\",
    "line one\nline two",
    "tab\there",
    "\r\n",
    "\r",
    "café",
    "cafe\u0301",
    "\u202eevil\u202c",
    "zero\u200bwidth",
    "\ufeffbom",
    "👩\u200d⚕️🏥",
    "𝔘𝔫𝔦𝔠𝔬𝔡𝔢",
    "ＦＵＬＬ",
    "İstanbul ß",
    "عربى",
    "\x00",
    "a\x00b",
    "\x07bell",
    "\x7f",
    " ",
    "",
    "--json",
    "-x",
    "--",
    "NEAR(a b)",
    "a OR b NOT c",
    '"unterminated',
    "*",
    "^start",
    "body:word",
    "((",
    "x" * 100_000,
    "é" * 30_000,
    "z" * 1_000_001,  # one over the longest note coachlog takes
]

TEXT = st.one_of(
    st.sampled_from(NASTY),
    st.text(st.characters(exclude_categories=["Cs"]), max_size=300),
    st.builds(
        lambda a, b: a + b,
        st.sampled_from(NASTY[:40]),
        st.text(st.characters(exclude_categories=["Cs"]), max_size=40),
    ),
)
ODD_DATES = st.one_of(
    st.sampled_from(
        [
            "today",
            "yesterday",
            "TODAY",
            " 2024-01-01 ",
            "2024-02-29",
            "2023-02-29",
            "2024-13-01",
            "2024-00-10",
            "0001-01-01",
            "9999-12-31",
            "2024-1-1",
            "20240101",
            "01/02/2024",
            "",
            "tomorrow",
            "2024-01-01T10:00",
            "'; DROP TABLE goals; --",
            "２０２４-０１-０１",
        ]
    ),
    st.dates().map(dt.date.isoformat),
    st.text(max_size=12),
)


def _expected_date(value: str) -> dt.date | None:
    """The date `--on VALUE` means, or None if it must be refused (exit 2).

    A blank value may also be taken as "not given" (today); _date_ok allows that.
    """
    try:
        return dates.parse_date(value, "--on")
    except InvalidInput:
        return None


def _date_ok(value: str, code: int, stored: str | None = None) -> bool:
    """Was `--on VALUE` refused or stored as it should be?"""
    expected = _expected_date(value)
    if not value.strip():  # blank: refused, or the default (today)
        expected = dates.today()
    if expected is None:
        return code == 2
    return code != 0 or stored == expected.isoformat()


def _check_run(result) -> None:
    """The rules every run keeps, whatever it was given."""
    out = result.stdout + result.stderr
    assert "Traceback" not in out
    assert result.exit_code in (0, 1, 2), (result.exit_code, result.stderr[-500:])
    assert "Something unexpected" not in result.stderr, result.stderr
    # Nothing a terminal would obey reaches it (only --json keeps exact text).
    assert not has_unsafe(result.stderr), result.stderr[:500]
    if not result.stdout.lstrip().startswith(("{", "[")):
        assert not has_unsafe(result.stdout), result.stdout[:500]
    if result.exit_code:
        assert result.stderr.startswith("Error: "), result.stderr[:500]
        assert result.stdout == ""


def _sound(rows) -> None:
    assert rows("PRAGMA quick_check") == [{"quick_check": "ok"}]


def _ensure_client(cli) -> None:
    cli("client", "add", "Hostile Test Client")


# ---------------------------------------------------------------- property tests


@BUDGET
@given(name=TEXT, email=st.one_of(st.none(), TEXT), organisation=st.one_of(st.none(), TEXT))
def test_client_add(cli, rows, name, email, organisation):
    args = ["client", "add", "--json", "--", name]
    if email is not None:
        args[3:3] = [f"--email={email}"]
    if organisation is not None:
        args[3:3] = [f"--organisation={organisation}"]
    result = cli(*args)
    _check_run(result)
    if result.exit_code == 0:
        added = json.loads(result.stdout)
        shown = json.loads(cli("client", "show", str(added["id"]), "--json").stdout)
        assert shown["name"] == normalise_name(name)
        assert shown["organisation"] == (organisation.strip() if organisation else None) or (
            organisation is not None and not organisation.strip() and not shown["organisation"]
        )
        if email and email.strip():
            assert shown["email"] == email.strip()
    _sound(rows)


@BUDGET
@given(
    notes=TEXT,
    private=st.one_of(st.none(), TEXT),
    tag=st.one_of(st.none(), TEXT),
    minutes=st.one_of(st.integers(-5, 1500).map(str), st.sampled_from(["", "1e3", "½", "60 "])),
    on=st.one_of(st.none(), ODD_DATES),
)
def test_session_log(cli, rows, notes, private, tag, minutes, on):
    _ensure_client(cli)
    args = ["session", "log", "-c", "Hostile Test Client", "--json", f"--minutes={minutes}"]
    if notes != "-":  # '-' means "read the notes from stdin"
        args.append(f"--notes={notes}")
    if private is not None:
        args.append(f"--private-notes={private}")
    if tag is not None:
        args.append(f"--tag={tag}")
    if on is not None:
        args.append(f"--on={on}")
    result = cli(*args)
    _check_run(result)
    if on is not None:
        assert _date_ok(
            on,
            result.exit_code,
            json.loads(result.stdout)["on"] if result.exit_code == 0 else None,
        )
    if result.exit_code == 0:
        logged = json.loads(result.stdout)
        shown = json.loads(cli("session", "show", str(logged["id"]), "--json").stdout)
        if notes != "-":
            assert shown["notes"] == (notes or None)
        if private is not None:
            assert shown["private_notes"] == (private or None)
        if tag is not None:
            assert shown["tags"] == [tag.strip()]
        assert str(shown["minutes"]) == minutes.strip()
    _sound(rows)


@BUDGET
@given(
    title=TEXT,
    score=st.one_of(st.none(), st.sampled_from(["0", "10", "11", "-1", "x", "5.5"])),
    note=TEXT,
    on=ODD_DATES,
)
def test_goal_add_and_rate(cli, rows, title, score, note, on):
    args = ["goal", "add", "--json"]
    if score is not None:
        args.append(f"--score={score}")
    result = cli(*args, "--", title)
    _check_run(result)
    if result.exit_code:
        _sound(rows)
        return
    goal = json.loads(result.stdout)
    assert json.loads(cli("goal", "show", str(goal["id"]), "--json").stdout)["title"] == (
        title.strip()
    )
    rated = cli("goal", "rate", str(goal["id"]), "7", f"--note={note}", f"--on={on}", "--json")
    _check_run(rated)
    newest = None
    if rated.exit_code == 0:
        scores = json.loads(cli("goal", "show", str(goal["id"]), "--json").stdout)["scores"]
        newest = [s for s in scores if s["score"] == 7][-1]
        assert newest["note"] == (note or None)
    assert _date_ok(on, rated.exit_code, newest["on"] if newest else None)
    _sound(rows)


@BUDGET
@given(text=TEXT, tag=st.one_of(st.none(), TEXT), on=st.one_of(st.none(), ODD_DATES))
def test_reflect(cli, rows, text, tag, on):
    if text == "-":
        return  # '-' reads the text from stdin
    args = ["reflect", "--json", f"--text={text}"]
    if tag is not None:
        args.append(f"--tag={tag}")
    if on is not None:
        args.append(f"--on={on}")
    result = cli(*args)
    _check_run(result)
    if not text.strip():
        assert result.exit_code == 2  # nothing to save
    if result.exit_code == 0:
        saved = json.loads(result.stdout)
        shown = json.loads(cli("reflection", "show", str(saved["id"]), "--json").stdout)
        assert shown["text"] == text
        if tag is not None:
            assert shown["tags"] == [tag.strip()]
    if on is not None:
        assert _date_ok(on, result.exit_code, shown["on"] if result.exit_code == 0 else None)
    _sound(rows)


@BUDGET
@given(query=TEXT, since=st.one_of(st.none(), ODD_DATES))
def test_search(cli, rows, query, since):
    cli("reflect", "--text", "a reflection about delegation and [bold] markup")
    args = ["search", "--json", "--", query] if since is None else [
        "search", "--json", f"--since={since}", "--", query
    ]  # fmt: skip
    result = cli(*args)
    _check_run(result)
    if result.exit_code == 0:
        hits = json.loads(result.stdout)
        assert isinstance(hits, list)
        assert all({"kind", "id", "date", "snippet"} <= set(h) for h in hits)
    _sound(rows)


@pytest.mark.parametrize(
    "args",
    [
        ["client", "add", "Bad\udcffName"],
        ["reflect", "--text", "bad \udcff bytes"],
        ["goal", "add", "g\udcff"],
    ],
)
def test_bytes_that_are_not_utf8_are_a_usage_error(cli, args):
    """A shell passes bytes that are not UTF-8 to Python as lone surrogates."""
    result = cli(*args)
    assert result.exit_code == 2, result.stderr
    assert result.stderr.startswith("Error: ")


# ---------------------------------------------------------------- privacy by default


def _mode(path: Path) -> int:
    return path.stat().st_mode & 0o777


UMASK_SCRIPT = r"""
import os, sqlite3, sys
os.umask(0)  # the most careless setting: everything world-writable
from coachlog.cli import app
journal, copy, export = sys.argv[1:4]
assert app(["reflect", "--text", "private"], standalone_mode=False) == 0
keep = sqlite3.connect(journal)  # holds the -wal and -shm open to look at them
keep.execute("SELECT 1 FROM reflections").fetchone()
assert app(["reflect", "--text", "more"], standalone_mode=False) == 0
modes = {s: oct(os.stat(journal + s).st_mode & 0o777) for s in ("", "-wal", "-shm")}
assert app(["db", "backup", copy], standalone_mode=False) == 0
assert app(["export", "backup", "-o", export], standalone_mode=False) == 0
print(modes)
"""


def test_journal_folder_and_files_are_owner_only_whatever_the_umask(tmp_path: Path):
    journal = tmp_path / "fresh" / "coachlog.db"
    backup = tmp_path / "copy.db"
    export = tmp_path / "backup.json"
    script = UMASK_SCRIPT
    env = {**os.environ, "COACHLOG_DB": str(journal), "COACHLOG_NO_INPUT": "1"}
    done = subprocess.run(
        [sys.executable, "-c", script, str(journal), str(backup), str(export)],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "{'': '0o600', '-wal': '0o600', '-shm': '0o600'}"
    assert _mode(journal.parent) == 0o700
    assert _mode(journal) == 0o600
    assert _mode(backup) == 0o600
    assert _mode(export) == 0o600


def test_a_journal_others_can_read_is_made_owner_only(cli, journal_path):
    assert cli("reflect", "--text", "x").exit_code == 0
    journal_path.chmod(0o644)
    assert cli("reflection", "list").exit_code == 0
    assert _mode(journal_path) == 0o600


NETWORK_MODULES = (
    "socket",
    "ssl",
    "http",
    "urllib",
    "requests",
    "httpx",
    "aiohttp",
    "smtplib",
    "ftplib",
    "imaplib",
    "poplib",
    "xmlrpc",
    "webbrowser",
    "telnetlib",
    "asyncio",
)


def test_no_source_file_imports_a_network_module():
    pattern = re.compile(
        r"^\s*(?:import|from)\s+(" + "|".join(NETWORK_MODULES) + r")\b", re.MULTILINE
    )
    offenders = {
        str(path.relative_to(SRC)): pattern.findall(path.read_text())
        for path in SRC.rglob("*.py")
        if pattern.search(path.read_text())
    }
    assert offenders == {}


AUDIT = r"""
import sys
seen = []
def hook(event, args):
    if event.startswith(("socket.", "urllib.", "http.", "smtplib.", "ftplib.", "webbrowser.")):
        seen.append(event)
sys.addaudithook(hook)
from coachlog.cli import app
runs = [
    ["client", "add", "Net Test", "--email", "net@example.test"],
    ["session", "log", "-c", "Net Test", "-m", "30", "--notes", "n", "--card", "resilience"],
    ["goal", "add", "G", "-c", "Net Test", "--score", "3"], ["goal", "rate", "1", "5"],
    ["reflect", "--random", "--text", "r"], ["search", "n"], ["progress", "--json"],
    ["prep", "Net Test"], ["cards", "draw"], ["export", "supervision"],
    ["export", "hours"], ["export", "backup"], ["db", "status"], ["db", "check"],
    ["client", "erase", "Net Test", "--yes"], ["db", "purge", "--before", "2000-01-01", "--yes"],
]
for args in runs:
    code = app(args, standalone_mode=False)
    assert code == 0, (args, code)
print(sorted(set(seen)))
"""


def test_no_command_touches_the_network(tmp_path: Path):
    env = {**os.environ, "COACHLOG_DB": str(tmp_path / "j.db"), "COACHLOG_NO_INPUT": "1"}
    done = subprocess.run(
        [sys.executable, "-c", AUDIT], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip().splitlines()[-1] == "[]"


SECRET = "confidential-burnout-detail"


def test_a_file_that_is_not_a_journal_gets_one_plain_error(cli, journal_path):
    journal_path.parent.mkdir(parents=True, exist_ok=True)
    journal_path.write_bytes(b"not a database at all, " + SECRET.encode() * 100)
    for args in (["reflection", "list"], ["reflect", "--text", "x"], ["client", "erase", "1"]):
        result = cli(*args)
        assert result.exit_code == 1
        assert result.stderr.startswith("Error: ")
        assert "Traceback" not in result.stderr
        assert SECRET not in result.stderr + result.stdout


def test_a_damaged_journal_never_prints_its_text_in_an_error(cli, cli_json, journal_path):
    cli_json("client", "add", "Dana")
    for i in range(40):
        cli_json("session", "log", "-c", "Dana", "-m", "30", "--notes", f"{SECRET} {i} " * 50)
    data = bytearray(journal_path.read_bytes())
    page = 4096
    for start in range(3 * page, len(data) - page, 5 * page):  # scribble over every 5th page
        data[start + 8 : start + 200] = b"\xff" * 192
    journal_path.write_bytes(bytes(data))
    for args in (
        ["session", "list", "--json"],
        ["search", "confidential"],
        ["session", "log", "-c", "Dana", "-m", "5", "--notes", "new"],
        ["client", "erase", "Dana", "--yes"],
        ["db", "purge", "--before", "2000-01-01", "--yes"],
        ["db", "check"],
    ):
        result = cli(*args)
        assert "Traceback" not in result.stderr, args
        assert SECRET not in result.stderr, args
        assert result.exit_code in (0, 1, 2), args
        if result.exit_code:
            assert result.stderr.startswith("Error: "), (args, result.stderr)


def test_an_unexpected_error_does_not_print_its_message(cli, cli_json, monkeypatch):
    """A bug whose message quotes journal text shows only its type, unless debugging."""
    from coachlog.core import reflections

    def broken(*args, **kwargs):
        raise ValueError(f"could not handle {kwargs.get('text')}")

    monkeypatch.setattr(reflections, "record", broken)
    result = cli("reflect", "--text", SECRET)
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: Something unexpected went wrong (ValueError)")
    assert "COACHLOG_DEBUG=1" in result.stderr
    assert SECRET not in result.stderr + result.stdout
    assert "Traceback" not in result.stderr

    monkeypatch.setenv("COACHLOG_DEBUG", "1")
    with pytest.raises(ValueError, match=SECRET):  # the developer does get the details
        cli("reflect", "--text", SECRET)


def test_a_folder_as_journal_is_refused(cli, tmp_path):
    result = cli("--db", str(tmp_path), "reflection", "list")
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: ")
    assert "folder" in result.stderr


def test_the_journal_never_mentions_private_notes_in_errors(cli, cli_json):
    cli_json("client", "add", "Eve")
    cli_json("session", "log", "-c", "Eve", "-m", "30", "--private-notes", SECRET)
    for args in (
        ["session", "show", "99"],
        ["session", "edit", "1", "--minutes", "0"],
        ["goal", "rate", "1", "11"],
        ["client", "add", "Eve"],
        ["client", "erase", "Eve"],
    ):
        result = cli(*args)
        assert result.exit_code in (1, 2), args
        assert SECRET not in result.stderr, args
