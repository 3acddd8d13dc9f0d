"""Found following the README as a new coach after the share/encryption/profile merges.

Each test drives the real CLI on a temp journal, as a user would.
"""

from __future__ import annotations

import json

CARDS = [
    "authenticity",
    "mindset",
    "resilience",
    "relationships",
    "collaboration-co-creation",
    "compassion",
    "inclusion",
    "shared-purpose",
    "systems-thinking",
    "enabling-others",
    "outcome-focus",
    "learning-improvement",
    "shared-accountability",
]


def _one_of_everything(cli) -> None:
    assert cli("client", "add", "Sam Lee").exit_code == 0
    assert cli("session", "log", "-c", "Sam Lee", "-m", "60").exit_code == 0
    rate = ["profile", "rate", "-c", "Sam Lee"]
    for key in CARDS:
        rate += ["--card", f"{key}=5"]
    assert cli(*rate).exit_code == 0


def test_one_session_in_an_export_is_one_session_not_1_sessions(cli, tmp_path):
    _one_of_everything(cli)
    sup = cli("export", "supervision", "-o", str(tmp_path / "pack.html"))
    assert sup.exit_code == 0, sup.stderr
    assert "(1 session, 1 client)" in sup.stderr
    hours = cli("export", "hours", "-o", str(tmp_path / "hours.csv"))
    assert hours.exit_code == 0, hours.stderr
    assert "(1 session, 1 h)" in hours.stderr


def test_importing_one_assessment_says_1_behaviour_assessment(cli, tmp_path):
    _one_of_everything(cli)
    backup = tmp_path / "backup.json"
    assert cli("export", "backup", "-o", str(backup)).exit_code == 0
    assert json.loads(backup.read_text())["assessments"]
    other = tmp_path / "other" / "j.db"
    result = cli("--db", str(other), "import", str(backup))
    assert result.exit_code == 0, result.stderr
    assert "1 behaviour assessment." in result.stderr
    assert "1 assessments" not in result.stderr


def test_eval_unlock_asks_in_the_terminal_though_stdout_is_captured(
    cli, cli_json, journal_path, monkeypatch
):
    # README: eval "$(coachlog unlock)" "asks once". The shell captures stdout, so
    # stdout is a pipe while stdin and stderr are the terminal; coachlog said there was
    # "no terminal to ask" and the documented way to unlock never worked.
    import os
    import pty
    import select
    import subprocess
    import sys
    import time

    import pytest

    pytest.importorskip("sqlcipher3", reason="needs the coachlog[encrypt] extra")
    if sys.platform == "win32":
        pytest.skip("needs a pty")
    assert cli("client", "add", "Ann Smith").exit_code == 0
    from conftest import TEST_PASSPHRASE

    monkeypatch.setenv("COACHLOG_PASSPHRASE", TEST_PASSPHRASE)
    if not cli_json("db", "status")["encrypted"]:
        assert cli("db", "encrypt").exit_code == 0
    phrase = os.environ["COACHLOG_PASSPHRASE"]
    env = {k: v for k, v in os.environ.items() if k not in ("COACHLOG_PASSPHRASE",)}
    env.pop("COACHLOG_NO_INPUT", None)
    env.pop("COACHLOG_SESSION", None)
    master, slave = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-m", "coachlog", "unlock"],
        stdin=slave,
        stderr=slave,
        stdout=subprocess.PIPE,
        env=env,
    )
    os.close(slave)
    screen = b""
    deadline = time.monotonic() + 30
    while b"assphrase" not in screen and time.monotonic() < deadline:
        if proc.poll() is not None:
            break
        ready, _, _ = select.select([master], [], [], 0.2)
        if ready:
            try:
                screen += os.read(master, 4096)
            except OSError:
                break
    assert b"assphrase for" in screen, screen.decode(errors="replace")
    os.write(master, phrase.encode() + b"\r")
    out, _ = proc.communicate(timeout=60)
    os.close(master)
    assert proc.returncode == 0, screen.decode(errors="replace")
    line = out.decode().strip()
    assert line.startswith("export COACHLOG_SESSION=")


KEY = "clk1e7phn2hwsrpful36u4zqbrcec6iflrrdslyp5nocq27tjilu3fphxwa"


def test_erase_says_the_client_sharing_link_goes_too(cli, cli_json):
    # The README says erase removes the client's sharing key; the "are you sure?" and
    # the report listed everything else and left the link out.
    _one_of_everything(cli)
    assert cli("share", "link", "--client", "Sam Lee", "--key", KEY).exit_code == 0
    asked = cli("client", "erase", "Sam Lee")
    assert asked.exit_code == 1 and "1 sharing link" in asked.stderr
    report = cli_json("client", "erase", "Sam Lee", "--yes")
    assert report["removed"]["share_links"] == 1
    assert cli_json("share", "links") == []


def test_choosing_what_goes_in_a_pack_counts_one_item_as_one_item(cli, monkeypatch, tmp_path):
    from coachlog.cli import common, prompts

    _one_of_everything(cli)
    assert cli("share", "link", "--client", "Sam Lee", "--key", KEY).exit_code == 0
    asked: list[str] = []

    class Person(prompts.PrompterBase):
        def checkbox(self, message, options, *, checked=None):  # type: ignore[no-untyped-def]
            return list(checked or [])

        def confirm(self, message: str, *, default: bool = True) -> bool:
            asked.append(message)
            return True

    monkeypatch.setattr(common, "interactive", lambda: True)
    monkeypatch.setattr(prompts, "_override", Person())
    result = cli("share", "send", "--to", "Sam Lee", "-o", str(tmp_path / "p.clpack"))
    assert result.exit_code == 0, result.stderr
    assert "will hold 1 item." in result.stderr
    assert asked == ["Write the pack with 1 item?"]


def test_db_status_counts_engagements_outcomes_and_profiles(cli, cli_json):
    # A coach checking a restored journal saw every kind but the ones merged last.
    _one_of_everything(cli)
    assert cli("engagement", "start", "Sam Lee", "--sessions", "6").exit_code == 0
    record = ["outcome", "record", "Sam Lee", "--stage", "before", "--confidence", "4"]
    assert cli(*record).exit_code == 0
    counts = cli_json("db", "status")["counts"]
    assert (counts["engagements"], counts["outcomes"], counts["assessments"]) == (1, 1, 1)
    human = cli("db", "status")
    assert "1 engagements" in human.stdout and "1 assessments" in human.stdout
