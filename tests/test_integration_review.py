"""Found following the README as a new coach after the share/encryption/profile merges.

Each test drives the real CLI on a temp journal, as a user would.
"""

from __future__ import annotations

import json

CARDS = (
    "authenticity mindset resilience relationships collaboration-co-creation compassion "
    "inclusion shared-purpose systems-thinking enabling-others outcome-focus "
    "learning-improvement shared-accountability"
).split()


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
