"""`coachlog export hours` (the accreditation log) and the anonymisation rules themselves.

The CSV is read back with Python's csv module, as a spreadsheet or a script
would read it. The anonymiser's rules (module docstring of core/anonymise.py)
are pinned down case by case, including names that are everyday words.
"""

from __future__ import annotations

import csv
import io
import json
import os
import stat

import pytest

from coachlog.core.anonymise import AMBIGUOUS_LABEL, EMAIL_LABEL, Anonymiser, Person


def _journal(cli_json) -> None:
    cli_json("client", "add", "Priya Patel")  # no named consent: Client A
    cli_json("client", "add", "Will Young", "--named-consent")  # Client B, named
    cli_json("client", "add", "=cmd|' /C calc'!A0", "--named-consent")  # a hostile name
    cli_json("session", "log", "--client", "1", "--on", "2024-01-10", "--minutes", "60")
    cli_json(
        "session",
        "log",
        "--client",
        "2",
        "--on",
        "2024-01-12",
        "--minutes",
        "90",
        "--format",
        "group",
        "--pro-bono",
    )
    cli_json(
        "session",
        "log",
        "--client",
        "1",
        "--on",
        "2024-02-01",
        "--at",
        "08:00",
        "--minutes",
        "45",
        "--format",
        "team",
    )
    cli_json("session", "log", "--client", "3", "--on", "2024-02-03", "--minutes", "30")
    cli_json("supervision", "log", "--minutes", "30", "--on", "2024-01-20")


def _csv(cli, *args: str) -> tuple[list[dict[str, str]], str]:
    """The CSV's rows as a spreadsheet reads them, and the totals summary (stderr)."""
    result = cli("export", "hours", *args)
    assert result.exit_code == 0, result.stderr
    return list(csv.DictReader(io.StringIO(result.stdout, newline=""))), result.stderr


def test_hours_csv_reads_back_with_the_csv_module(cli, cli_json):
    _journal(cli_json)
    cli_json("client", "add", "Mo Khan", "--relationship", "mentoring", "--named-consent")
    cli_json("session", "log", "--client", "Mo Khan", "--on", "2024-01-11", "--minutes", "40")
    entries, summary = _csv(cli)
    assert entries == [
        {
            "date": "2024-01-10",
            "client": "Client A",
            "relationship": "coaching",
            "minutes": "60",
            "hours": "1.00",
            "format": "individual",
            "payment": "paid",
        },
        {
            "date": "2024-01-11",
            "client": "Mo Khan",
            "relationship": "mentoring",
            "minutes": "40",
            "hours": "0.67",
            "format": "individual",
            "payment": "paid",
        },
        {
            "date": "2024-01-12",
            "client": "Will Young",
            "relationship": "coaching",
            "minutes": "90",
            "hours": "1.50",
            "format": "group",
            "payment": "pro bono",
        },
        {
            "date": "2024-02-01",
            "client": "Client A",
            "relationship": "coaching",
            "minutes": "45",
            "hours": "0.75",
            "format": "team",
            "payment": "paid",
        },
        # A name a spreadsheet would run as a formula is defused with a leading quote.
        {
            "date": "2024-02-03",
            "client": "'=cmd|' /C calc'!A0",
            "relationship": "coaching",
            "minutes": "30",
            "hours": "0.50",
            "format": "individual",
            "payment": "paid",
        },
    ]
    # Nothing but sessions in the data: every row has a date, so a column sums right.
    assert all(e["date"][:2] == "20" for e in entries)
    assert sum(int(e["minutes"]) for e in entries) == 265
    # The totals and the ratio go to stderr, apart from the data.
    summary = " ".join(summary.split())
    assert "Total coaching 265 min 4.42 h 5 sessions, 4 clients" in summary
    assert "Coaching relationships 225 min" in summary
    assert "Mentoring relationships 40 min 0.67 h 1 session" in summary
    assert "1 sessions" not in summary
    assert "Pro bono 90 min" in summary and "Supervision 30 min" in summary
    assert "Supervision ratio 1:8.8 (meets EMCC" in summary


def test_when_rounded_hours_do_not_sum_to_the_total_the_summary_says_so(cli, cli_json):
    """Three 50-minute sessions: each row says 0.83 h, a spreadsheet sums 2.49, but
    150 minutes are 2.50 h. The summary explains the difference instead of leaving
    a coach to think the log is wrong."""
    cli_json("client", "add", "Ann Smith")
    for day in ("2026-01-05", "2026-01-12", "2026-01-19"):
        cli_json("session", "log", "-c", "Ann Smith", "-m", "50", "--on", day)
    entries, summary = _csv(cli)
    assert round(sum(float(e["hours"]) for e in entries), 2) == 2.49
    summary = " ".join(summary.split())
    assert "Total coaching 150 min 2.50 h" in summary
    assert "hours column sums to 2.49" in summary and "minutes column" in summary
    # When they agree, nothing is said.
    cli_json("session", "log", "-c", "Ann Smith", "-m", "60", "--on", "2026-01-26")
    cli_json("session", "delete", "2", "--yes")
    cli_json("session", "delete", "3", "--yes")
    _, agreed = _csv(cli)  # 0.83 + 1.00 = 1.83, and 110 min is 1.83 h
    assert "sums to" not in agreed


def test_hours_period_and_json(cli, cli_json):
    _journal(cli_json)
    entries, _ = _csv(cli, "--since", "2024-02-01", "--until", "2024-02-01")
    assert [e["date"] for e in entries] == ["2024-02-01"]
    entries, _ = _csv(cli, "--since", "2024-01", "--until", "2024-01")
    assert [e["date"] for e in entries] == ["2024-01-10", "2024-01-12"]
    entries, _ = _csv(cli, "--since", "2024-02-01", "--until", "2024-02-01")
    assert [e["date"] for e in entries] == ["2024-02-01"]
    result = cli("export", "hours", "--format", "json", "--until", "2024-01-31")
    log = json.loads(result.stdout)
    assert log["kind"] == "coachlog-hours-log" and log["until"] == "2024-01-31"
    assert log["totals"]["minutes"] == 150 and log["totals"]["pro_bono_minutes"] == 90
    ratio = log["supervision"]
    assert ratio["supervision_minutes"] == 30 and ratio["coaching_minutes"] == 150
    assert ratio["ratio"] == "1:5" and ratio["meets_emcc"] is True


def test_ratio_below_emcc_says_how_much_more(cli, cli_json):
    cli_json("client", "add", "Ann")
    for month in range(1, 13):
        cli_json(
            "session", "log", "--client", "Ann", "--on", f"2023-{month:02d}-01", "--minutes", "300"
        )  # 60 h
    log = json.loads(cli("export", "hours", "--format", "json").stdout)
    ratio = log["supervision"]
    assert ratio["ratio"] is None and ratio["meets_emcc"] is False
    assert ratio["supervision_hours_needed"] == pytest.approx(1.72)  # 60/35 rounded up
    cli_json("supervision", "log", "--minutes", "60", "--on", "2023-06-01")
    ratio = json.loads(cli("export", "hours", "--format", "json").stdout)["supervision"]
    assert ratio["ratio"] == "1:60" and ratio["meets_emcc"] is False
    assert ratio["supervision_hours_needed"] == pytest.approx(0.72)
    _, summary = _csv(cli)
    assert "below EMCC's minimum of 1:35" in " ".join(summary.split())


def test_hours_markdown_and_file(cli, cli_json, tmp_path):
    _journal(cli_json)
    target = tmp_path / "hours.md"
    result = cli("export", "hours", "-o", str(target))  # md from the extension
    assert result.exit_code == 0 and result.stdout == ""
    text = target.read_text()
    assert text.startswith("# Coaching hours log")
    assert "| 2024-01-12 | Will Young | coaching | 90 | 1.50 | group | pro bono |" in text
    assert "| Supervision ratio |" in text  # the md document carries its own totals
    assert "Priya" not in text
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o600
    again = cli("export", "hours", "-o", str(target))
    assert again.exit_code == 1 and target.read_text() == text


def test_empty_journal_exports_are_not_errors(cli):
    result = cli("export", "hours")
    assert result.exit_code == 0
    assert result.stdout.splitlines() == ["date,client,relationship,minutes,hours,format,payment"]
    assert cli("export", "supervision").exit_code == 0
    assert cli("export", "hours", "--since", "2024-13-01").exit_code == 2


# ---------------------------------------------------------------- the anonymiser's rules


@pytest.fixture
def scrub() -> Anonymiser:
    return Anonymiser(
        [
            Person("Priya Patel", "Client A"),
            Person("Will Young", "Client B"),
            Person("May", "Client C"),
            Person("Priya Shah", "Client D"),
            Person("Mary-Anne van der Berg", "Client E"),
            Person("Ann B", "Client F"),
        ]
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Full names in any case and spacing; words of the name in any case.
        ("Met Priya Patel.", "Met Client A."),
        ("PRIYA PATEL and priya\n patel", "Client A and Client A"),
        ("patel said", "Client A said"),
        # Possessives keep their ending, with either apostrophe.
        ("Patel's plan and PATEL’S view", "Client A's plan and Client A’S view"),
        # E-mail addresses go whole, anyone's, and the full stop stays.
        ("Mail priya.patel@nhs.net.", f"Mail {EMAIL_LABEL}."),
        ("(a.n.other+x@example.co.uk)", f"({EMAIL_LABEL})"),
        # Whole words only.
        ("Priyanka and Patelson", "Priyanka and Patelson"),
        # A name that is a common word: only the capitalised form is the name.
        ("She will try; Will will not.", "She will try; Client B will not."),
        ("WILL YOUNG, young people, Young said", "Client B, young people, Client B said"),
        ("In May, may I?", "In Client C, may I?"),
        # A first name two clients share cannot be given either pseudonym.
        ("Priya came", f"{AMBIGUOUS_LABEL} came"),
        ("Priya Shah came", "Client D came"),
        # Hyphenated names and particles.
        ("Mary-Anne, Anne and mary", "Client E, Client E and Client E"),
        ("the van is van der Berg's", "the van is Client E's"),
        # A single letter is matched only inside the full name.
        ("Plan B with Ann B and ann", "Plan B with Client F and Client F"),
        ("", ""),
    ],
)
def test_anonymiser_rules(scrub, text, expected):
    assert scrub(text) == expected


def test_anonymiser_leaves_none_and_empty_alone():
    nobody = Anonymiser([])
    assert nobody(None) is None
    assert nobody("Call me on x@y.org") == f"Call me on {EMAIL_LABEL}"
