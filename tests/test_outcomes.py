"""Outcome check-ins: recording, correcting, the progress outcomes table, and the
anonymous export that must carry nothing that identifies anyone.

The new-user story from the issue runs first: a coach contracts six sessions,
records a before and an end check-in, and sees the change in `progress`.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from coachlog.cli import common
from coachlog.cli.prompts import PrompterBase, use_prompter

THEMES = ["strategic", "prioritisation", "confidence", "influence", "team", "self-presentation"]


def _scores(values: list[int]) -> list[str]:
    out: list[str] = []
    for key, value in zip(THEMES, values, strict=True):
        out += [f"--{key}", str(value)]
    return out


@pytest.fixture
def ann(cli_json):
    cli_json("client", "add", "Ann Smith")
    return cli_json("engagement", "start", "Ann Smith", "--sessions", "6", "--on", "2026-01-05")


def test_a_coach_runs_six_sessions_and_sees_the_change_in_progress(cli, cli_json, ann):
    cli_json(
        "outcome",
        "record",
        "Ann Smith",
        "--stage",
        "before",
        "--on",
        "2026-01-05",
        *_scores([4, 5, 3, 4, 6, 5]),
    )
    for day in ("01-06", "01-20", "02-03", "02-17", "03-03", "03-17"):
        cli_json("session", "log", "-c", "Ann Smith", "-m", "60", "--on", f"2026-{day}")
    cli_json(
        "outcome",
        "record",
        "Ann Smith",
        "--stage",
        "end",
        "--on",
        "2026-03-17",
        *_scores([6, 7, 7, 5, 6, 5]),
    )
    ended = cli_json("engagement", "end", "Ann Smith", "--on", "2026-03-17")
    assert ended["sessions_held"] == 6

    report = cli_json("progress", "--client", "Ann Smith")
    by_key = {row["key"]: row for row in report["outcomes"]}
    assert [r["key"] for r in report["outcomes"]] == THEMES
    assert by_key["confidence"] == {
        "key": "confidence",
        "before": 3,
        "end": 7,
        "follow_up": None,
        "change_end": 4,
        "change_follow_up": None,
    }
    assert by_key["team"]["change_end"] == 0
    text = cli("progress", "--client", "Ann Smith").stdout
    assert "Outcome check-ins" in text and "+4" in text
    # At 60 columns the headers stay whole, and the summary speaks of the
    # check-ins rather than saying nothing was recorded.
    narrow = cli("progress", "--client", "Ann Smith", env={"COLUMNS": "60"}).stdout
    assert "Δ follow" in narrow and "…" not in narrow.split("Outcome check-ins")[1][:400]
    assert "Nothing recorded" not in narrow
    assert "Confidence (+4" in " ".join(narrow.split("What stands out")[1].split())


def test_progress_without_outcomes_has_nulls_and_no_table(cli, cli_json, ann):
    report = cli_json("progress", "--client", "Ann Smith")
    assert all(r["before"] is None and r["change_end"] is None for r in report["outcomes"])
    assert "Outcome check-ins" not in cli("progress", "--client", "Ann Smith").stdout
    assert cli_json("progress")["outcomes"] == []


def test_a_stage_is_recorded_once_and_can_be_corrected(cli, cli_json, rows, ann):
    first = cli_json("outcome", "record", "1", "--stage", "before", *_scores([1, 1, 1, 1, 1, 1]))
    again = cli("outcome", "record", "1", "--stage", "before", *_scores([2, 2, 2, 2, 2, 2]))
    assert again.exit_code == 1 and f"outcome delete {first['id']} --yes" in again.stderr
    refused = cli("outcome", "delete", str(first["id"]))
    assert refused.exit_code == 1 and "--yes" in refused.stderr
    assert cli("outcome", "delete", str(first["id"]), "--yes").exit_code == 0
    assert rows("SELECT * FROM outcomes") == []
    fixed = cli_json("outcome", "record", "1", "--stage", "before", *_scores([2, 2, 2, 2, 2, 2]))
    assert cli_json("outcome", "list", "Ann Smith") == [fixed]
    assert fixed["scores"]["self-presentation"] == 2


def test_bad_values_are_usage_errors_and_follow_up_needs_an_ended_engagement(cli, ann):
    assert cli("outcome", "record", "1", "--stage", "before", "--team", "11").exit_code == 2
    assert cli("outcome", "record", "1", "--stage", "later", "--team", "1").exit_code == 2
    none = cli("outcome", "record", "1", "--stage", "before")
    assert none.exit_code == 2 and "at least one theme" in none.stderr
    nostage = cli("outcome", "record", "1", "--team", "3")
    assert nostage.exit_code == 2 and "--stage" in nostage.stderr
    follow = cli("outcome", "record", "1", "--stage", "follow-up", "--team", "3")
    assert follow.exit_code == 1 and "still open" in follow.stderr


def test_check_in_and_end_dates_make_sense(cli, cli_json, rows, ann):
    """A check-in is something that happened (never after today), a follow-up comes
    after the end, and an engagement does not end in the future."""
    import datetime as dt

    tomorrow = (dt.date.today() + dt.timedelta(days=1)).isoformat()
    future = cli("outcome", "record", "1", "--stage", "before", "--team", "3", "--on", tomorrow)
    assert future.exit_code == 2 and future.stderr.startswith("Error: ")
    assert "after today" in future.stderr

    ends_later = cli("engagement", "end", "Ann Smith", "--on", "in 3 days")
    assert ends_later.exit_code == 2 and "after today" in ends_later.stderr
    assert rows("SELECT ended_on FROM engagements") == [{"ended_on": None}]

    cli_json("engagement", "end", "Ann Smith", "--on", "2026-03-01")
    early = cli(
        "outcome", "record", "1", "--stage", "follow-up", "--team", "3", "--on", "2026-02-01"
    )
    assert early.exit_code == 2 and "before engagement 1 ended" in early.stderr
    assert rows("SELECT * FROM outcomes") == []
    on_time = cli_json(
        "outcome", "record", "1", "--stage", "follow-up", "--team", "3", "--on", "2026-09-01"
    )
    assert on_time["on"] == "2026-09-01"


def test_no_engagement_means_start_one_first(cli, cli_json):
    cli_json("client", "add", "Ben")
    result = cli("outcome", "record", "Ben", "--stage", "before", "--team", "3")
    assert result.exit_code == 1 and "engagement start" in result.stderr


def test_a_coachee_records_their_own_with_me(cli_json):
    cli_json("engagement", "start", "--me", "--on", "2026-01-01")
    mine = cli_json("outcome", "record", "--me", "--stage", "before", *_scores([5] * 6))
    assert mine["client"] is None
    assert cli_json("progress", "--me")["outcomes"][0]["before"] == 5


class Answers(PrompterBase):
    """Answers each question in turn, recording what was asked."""

    def __init__(self, answers: list[Any]) -> None:
        self.answers, self.asked = list(answers), []

    def text(self, message: str, *, default: str = "", validate=None, instruction=None) -> str:
        self.asked.append(message)
        answer = str(self.answers.pop(0))
        if validate is not None:
            assert validate(answer) is None, answer
        return answer

    def select(self, message, options, *, default=None):
        self.asked.append(message)
        wanted = self.answers.pop(0)
        return next(o.value for o in options if o.value == wanted)


def test_in_a_terminal_each_theme_not_given_is_one_plain_question(cli_json, ann, monkeypatch):
    monkeypatch.setattr(common, "interactive", lambda: True)
    prompter = Answers(["before", "4", "5", "", "6", "7"])
    with use_prompter(prompter):
        found = cli_json("outcome", "record", "Ann Smith", "--strategic", "3")
    assert prompter.asked[0] == "Which check-in is this?"
    assert len(prompter.asked) == 6  # the stage, then the five themes not given
    assert "confident" in prompter.asked[2] and "team" in prompter.asked[4]
    assert found["stage"] == "before"
    assert found["scores"] == {
        "strategic": 3,
        "prioritisation": 4,
        "confidence": 5,
        "influence": None,
        "team": 6,
        "self-presentation": 7,
    }


def test_outcome_list_fits_60_columns(cli, cli_json, ann):
    cli_json("outcome", "record", "1", "--stage", "before", *_scores([10] * 6))
    out = cli("outcome", "list", env={"COLUMNS": "60"}).stdout
    assert out and all(len(line) <= 60 for line in out.splitlines())
    # ...and the client is still readable there (not "An…").
    assert "Ann Smith" in out, out


@pytest.mark.parametrize("width", ["40", "60", "80"])
def test_the_outcome_legend_wraps_between_its_pairs(cli, cli_json, ann, width):
    # "In" at the end of one line and "influence" on the next reads as nonsense.
    cli_json("outcome", "record", "1", "--stage", "before", *_scores([5] * 6))
    out = cli("outcome", "list", env={"COLUMNS": width}).stdout
    for pair in ("St strategic", "Pr prioritisation", "Co confidence", "In influence",
                 "Te team", "SP self-presentation"):  # fmt: skip
        assert pair in out, (width, out)


# ---------------------------------------------------------------- the anonymous export

NOTES = "Discussed the board paper with Dr Quentin Wolfe about the Harrogate merger budget"


def _journal_with_secrets(cli_json) -> list[str]:
    names = ["Ann Smith", "Zoë Okafor-Brown", "Priya Raman"]
    for n, name in enumerate(names):
        cli_json(
            "client",
            "add",
            name,
            "--email",
            f"p{n}@trust.nhs.uk",
            "--organisation",
            "Leeds Teaching Hospitals",
        )
        cli_json(
            "engagement",
            "start",
            name,
            "--sessions",
            "6",
            "--sponsor",
            "Director Hazel Whitmore",
            "--on",
            f"2025-0{n + 1}-1{n + 3}",
        )
        cli_json(
            "outcome",
            "record",
            name,
            "--stage",
            "before",
            "--on",
            f"2025-0{n + 1}-1{n + 4}",
            *_scores([3, 4, 5, 6, 2, 1]),
        )
        cli_json(
            "session",
            "log",
            "-c",
            name,
            "-m",
            "50",
            "--on",
            f"2025-0{n + 2}-2{n + 1}",
            "--notes",
            NOTES,
            "--private-notes",
            "Confidential worry about Fenwick",
            "--action",
            "Call Ophelia",
            "--tag",
            "Gladstone",
        )
        cli_json("goal", "add", "Chair the Kestrel committee", "--client", name, "--score", "3")
        cli_json("engagement", "end", name, "--on", f"2025-0{n + 3}-1{n + 5}")
        cli_json(
            "outcome",
            "record",
            name,
            "--stage",
            "end",
            "--on",
            f"2025-0{n + 3}-1{n + 5}",
            *_scores([6, 6, 6, 6, 6, 6]),
        )
    return names


def test_the_export_holds_no_name_note_word_exact_date_or_id(cli, cli_json, rows):
    names = _journal_with_secrets(cli_json)
    text = cli("export", "outcomes").stdout
    doc = json.loads(text)
    assert doc["format"] == "coachlog-outcomes" and doc["version"] == 1
    assert len(doc["engagements"]) == 3

    words = set()
    for name in names:
        words.update(name.replace("-", " ").split())
    for row in rows("SELECT notes, private_notes FROM sessions"):
        words.update(re.findall(r"[A-Za-z]{4,}", row["notes"] + " " + row["private_notes"]))
    words.update(["Ophelia", "Gladstone", "Kestrel", "Hazel", "Whitmore", "Leeds", "trust.nhs"])
    found = [w for w in words if w.casefold() in text.casefold()]
    assert found == []
    dates = set()
    for table, column in (
        ("sessions", "on_date"),
        ("engagements", "started_on"),
        ("engagements", "ended_on"),
        ("outcomes", "on_date"),
        ("clients", "created_on"),
        ("goals", "created_on"),
    ):
        dates.update(r[column] for r in rows(f"SELECT {column} FROM {table}") if r[column])
    assert dates and [d for d in dates if d in text] == []
    uids = [
        r["uid"]
        for t in ("clients", "engagements", "outcomes", "sessions")
        for r in rows(f"SELECT uid FROM {t}")
    ]
    assert [u for u in uids if u in text] == []
    record = doc["engagements"][0]
    assert set(record) == {
        "relationship",
        "sessions_held",
        "sessions_contracted",
        "start_month",
        "end_month",
        "before",
        "end",
        "follow_up",
    }
    assert re.fullmatch(r"\d{4}-\d{2}", record["start_month"])


def test_the_export_is_written_owner_only_and_since_filters(cli, cli_json, tmp_path):
    _journal_with_secrets(cli_json)
    target = tmp_path / "out.json"
    result = cli("export", "outcomes", "--since", "2025-02-01", "-o", str(target))
    assert result.exit_code == 0 and "2 engagements" in result.stderr
    assert target.stat().st_mode & 0o777 == 0o600
    assert len(json.loads(target.read_text())["engagements"]) == 2
    assert cli("export", "outcomes", "-o", str(target)).exit_code == 1  # never overwritten
