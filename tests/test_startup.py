"""Start-up stays cheap: `coachlog --help` must not import the heavy libraries.

Measured in a fresh interpreter (a subprocess), because the test process itself
has long since imported everything. This is a check of what is loaded, not a
timing: timings belong to benchmarks/.
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys

HEAVY = ("questionary", "prompt_toolkit", "pydantic", "sqlite_utils")

PROBE = """
import json, sys
sys.argv = ["coachlog", *{args!r}]
from coachlog.cli import main
try:
    main()
except SystemExit:
    pass
print(json.dumps(sorted(m for m in sys.modules)), file=sys.stderr)
"""


def _modules_loaded(*args: str) -> set[str]:
    done = subprocess.run(
        [sys.executable, "-c", PROBE.format(args=list(args))],
        capture_output=True,
        text=True,
        check=True,
    )
    return set(json.loads(done.stderr.strip().splitlines()[-1]))


def test_help_imports_no_heavy_module():
    loaded = _modules_loaded("--help")
    assert not [m for m in HEAVY if m in loaded]


def test_group_help_imports_no_heavy_module():
    for group in ("session", "client", "goal", "reflect", "cards", "db"):
        loaded = _modules_loaded(group, "--help")
        assert not [m for m in HEAVY if m in loaded], group


def test_version_prints_and_imports_nothing_heavy():
    done = subprocess.run(
        [sys.executable, "-m", "coachlog", "--version"], capture_output=True, text=True
    )
    assert done.returncode == 0
    assert done.stdout.startswith("coachlog ")
    assert not [m for m in HEAVY if m in _modules_loaded("--version")]


def test_everyday_commands_skip_sqlite_utils_and_prompts(tmp_path, monkeypatch):
    # The first run creates and migrates the journal (sqlite-utils' Migrations);
    # after that, reading and writing talk to sqlite3 directly.
    journal = tmp_path / "j.db"
    monkeypatch.setenv("COACHLOG_DB", str(journal))
    monkeypatch.setenv("COACHLOG_NO_INPUT", "1")
    assert "sqlite_utils" in _modules_loaded("client", "add", "Ann")
    for args in (
        ("session", "log", "-c", "Ann", "-m", "30"),
        ("session", "list"),
        ("reflection", "list", "--json"),
        ("search", "Ann"),
    ):
        loaded = _modules_loaded(*args)
        assert not [m for m in ("sqlite_utils", "questionary", "prompt_toolkit") if m in loaded], (
            args
        )


def test_only_the_share_commands_that_need_it_load_the_crypto_library(tmp_path, monkeypatch):
    # PyNaCl costs about 14 ms to import: share key/send/receive pay it, nothing else does.
    monkeypatch.setenv("COACHLOG_DB", str(tmp_path / "j.db"))
    monkeypatch.setenv("COACHLOG_NO_INPUT", "1")
    for args in (("share", "--help"), ("share", "send", "--help"), ("share", "receive", "--help")):
        loaded = _modules_loaded(*args)
        assert not [m for m in (*HEAVY, "nacl") if m in loaded], args
    for args in (
        ("client", "add", "Ann"),
        ("session", "log", "-c", "Ann", "-m", "30"),
        ("reflect", "--text", "A thought"),
        ("share", "links"),
        ("share", "sessions"),
    ):
        assert "nacl" not in _modules_loaded(*args), args
    assert "nacl" in _modules_loaded("share", "key")


CIPHER = ("sqlcipher3", "cryptography")


def test_a_plain_journal_never_loads_sqlcipher_or_cryptography(tmp_path, monkeypatch):
    # Only an encrypted journal pays for the coachlog[encrypt] extra's imports.
    journal = tmp_path / "j.db"
    monkeypatch.setenv("COACHLOG_DB", str(journal))
    monkeypatch.setenv("COACHLOG_NO_INPUT", "1")
    monkeypatch.delenv("COACHLOG_SESSION", raising=False)
    monkeypatch.delenv("COACHLOG_PASSPHRASE", raising=False)
    for args in (
        ("--help",),
        ("client", "add", "Ann"),
        ("session", "log", "-c", "Ann", "-m", "30"),
        ("session", "list"),
        ("search", "Ann"),
        ("db", "status"),
        ("db", "backup", str(tmp_path / "copy.db")),
    ):
        loaded = _modules_loaded(*args)
        assert not [m for m in CIPHER if m in loaded], args


READS = (
    ("session", "list"),
    ("session", "list", "--json"),
    ("session", "show", "1"),
    ("client", "list"),
    ("client", "show", "Ann"),
    ("action", "list"),
    ("goal", "list"),
    ("goal", "show", "1"),
    ("reflection", "list"),
    ("reflection", "show", "1"),
    ("search", "quokka"),
    ("supervision", "list"),
    (),  # the bare overview, with its suggested card
    ("prep", "Ann"),
    ("progress",),
    ("cards", "list"),
    ("cards", "show", "mindset"),
    ("cards", "draw"),
    ("engagement", "list"),
    ("outcome", "list"),
    ("profile", "history"),
    ("export", "hours"),
    ("db", "status"),
)


def test_reading_the_journal_loads_no_pydantic(tmp_path, monkeypatch):
    # Reading builds plain records (coachlog.models); pydantic (about 100 ms of
    # start-up) is for validating what is typed or imported, so only writes pay it.
    monkeypatch.setenv("COACHLOG_DB", str(tmp_path / "j.db"))
    monkeypatch.setenv("COACHLOG_NO_INPUT", "1")
    for args in (
        ("client", "add", "Ann"),
        ("session", "log", "-c", "Ann", "-m", "30", "--notes", "A quokka", "--action", "Call"),
        ("goal", "add", "Speak up", "--client", "Ann", "--score", "3"),
        ("reflect", "--text", "A quokka thought", "--client", "Ann"),
        ("supervision", "log", "--minutes", "60"),
    ):
        assert "pydantic" in _modules_loaded(*args), args  # writes validate
    for args in READS:
        loaded = _modules_loaded(*args)
        assert "pydantic" not in loaded, args
        assert "coachlog.models" in loaded, args  # it did read records
    # ... and the records it read are the ones written, in the JSON contract's shape.
    listed = subprocess.run(
        [sys.executable, "-m", "coachlog", "session", "list", "--json"],
        capture_output=True,
        text=True,
        check=True,
    )
    (session,) = json.loads(listed.stdout)
    assert session["client"] == "Ann" and session["minutes"] == 30
    assert session["actions"][0]["text"] == "Call"
    assert session["on"] == dt.date.today().isoformat()
