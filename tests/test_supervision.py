"""`coachlog supervision log|list` and `coachlog export supervision`: the supervision pack.

The pack is anonymised by default: clients appear as stable pseudonyms, and their
names (any case, possessives) and every e-mail address are taken out of every
free-text field; private notes stay out. `--names` / `--private` put them back
with a warning on stderr.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import stat
from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures"


# ---------------------------------------------------------------- supervision log / list


def test_log_and_list_supervision(cli, cli_json, rows):
    logged = cli_json(
        "supervision",
        "log",
        "--minutes",
        "90",
        "--on",
        "2024-02-01",
        "--supervisor",
        "Dr Jane Roe",
        "--format",
        "group",
        "--notes",
        "Parallel process.",
    )
    assert logged == {
        "id": 1,
        "on": "2024-02-01",
        "minutes": 90,
        "supervisor": "Dr Jane Roe",
        "format": "group",
        "notes": "Parallel process.",
    }
    plain = cli_json("supervision", "log", "--minutes", "60")
    assert plain["format"] == "one-to-one" and plain["supervisor"] is None
    assert len(cli_json("supervision", "list")) == 2
    assert [s["id"] for s in cli_json("supervision", "list", "--until", "2024-12-31")] == [1]
    assert rows("SELECT minutes FROM supervision ORDER BY id") == [
        {"minutes": 90},
        {"minutes": 60},
    ]


def test_supervision_list_is_an_array_and_shows_the_ratio(cli, cli_json):
    assert cli_json("supervision", "list") == []
    cli_json("client", "add", "Ann")
    for day in range(1, 8):  # 7 h of coaching
        cli_json("session", "log", "--client", "Ann", "--on", f"2024-01-0{day}", "--minutes", "60")
    cli_json("supervision", "log", "--minutes", "30", "--on", "2024-01-09")
    result = cli("supervision", "list")
    assert result.exit_code == 0
    assert "2024-01-09" in result.stdout
    assert "1:14" in result.stderr and "meets" in result.stderr


def test_supervision_notes_from_stdin(cli_json):
    logged = cli_json(
        "supervision", "log", "--minutes", "45", "--notes", "-", input="Line one\nLine two\n"
    )
    assert logged["notes"] == "Line one\nLine two"


def test_bad_supervision_input_is_exit_2_and_nothing_written(cli, rows, journal_path):
    for args in (
        ["supervision", "log"],
        ["supervision", "log", "--minutes", "0"],
        ["supervision", "log", "--minutes", "2000"],
        ["supervision", "log", "--minutes", "60", "--on", "01/31/2024"],
        ["supervision", "log", "--minutes", "60", "--format", "walk"],
        ["supervision", "list", "--since", "2024-02-01", "--until", "2024-01-01"],
    ):
        result = cli(*args)
        assert result.exit_code == 2, (args, result.stderr)
        assert result.stderr.startswith("Error: "), result.stderr
        assert "Traceback" not in result.stderr
    assert "--minutes" in cli("supervision", "log").stderr
    if journal_path.exists():
        assert rows("SELECT * FROM supervision") == []


# ---------------------------------------------------------------- the pack


def _journal(cli_json) -> None:
    cli_json(
        "client",
        "add",
        "Priya Patel",
        "--email",
        "Priya.Patel@nhs.net",
        "--organisation",
        "St Elsewhere Trust",
    )
    cli_json("client", "add", "Will", "-r", "mentoring")  # a name that is a common word
    cli_json("client", "add", "Zoë O'Brien")
    cli_json(
        "session",
        "log",
        "--client",
        "Priya Patel",
        "--on",
        "2024-03-01",
        "--minutes",
        "60",
        "--theme",
        "confidence",
        "--card",
        "resilience",
        "--tag",
        "priya-work",
        "--notes",
        "Priya Patel arrived late. PRIYA's manager wrote to priya.patel@nhs.net; "
        "priya said patel-ish things. She will ask Will. Priyanka is someone else.\n"
        "Zoe helped; ZOË O’BRIEN did too.",
        "--private-notes",
        "Private: Priya seemed low.",
        "--action",
        "Priya to email Will",
        "--action-due",
        "2024-03-15",
    )
    cli_json(
        "session",
        "log",
        "--client",
        "Will",
        "--on",
        "2024-03-05",
        "--minutes",
        "90",
        "--format",
        "group",
        "--notes",
        "Will said he will try. May is busy. will power.",
    )
    cli_json(
        "goal",
        "add",
        "Priya chairs the board",
        "--client",
        "1",
        "--score",
        "2",
        "--on",
        "2024-03-01",
    )
    cli_json(
        "reflect",
        "--card",
        "mindset",
        "--client",
        "1",
        "--text",
        "Working with Patel stirs my rescuer.",
        "--on",
        "2024-03-02",
    )
    cli_json(
        "reflect",
        "--card",
        "resilience",
        "--text",
        "My own practice; I mentioned Priya to no one.",
        "--on",
        "2024-03-03",
    )
    cli_json(
        "supervision",
        "log",
        "--minutes",
        "60",
        "--on",
        "2024-03-20",
        "--notes",
        "Talked about Priya Patel.",
    )


def _pack(cli, *args: str) -> tuple[dict, str]:
    result = cli("export", "supervision", "--format", "json", *args)
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout), result.stderr


def test_names_and_emails_are_removed_from_every_text_field(cli, cli_json):
    _journal(cli_json)
    pack, stderr = _pack(cli, "--question", "How do I work with Priya's anger?")
    assert stderr == ""
    text = json.dumps(pack, ensure_ascii=False)
    for leaked in (
        "Priya ",
        "Priya'",
        "PRIYA",
        "priya said",
        "Patel",
        "patel-ish",
        "@nhs.net",
        "O'Brien",
        "O’BRIEN",
        "Zoë",
        "St Elsewhere",
    ):
        assert leaked not in text, leaked

    # Zoë has no session in the period, so she has no section; her name is still removed.
    assert [client["pseudonym"] for client in pack["clients"]] == ["Client A", "Client B"]
    assert pack["clients"][0]["name"] is None
    notes = pack["clients"][0]["sessions"][0]["notes"]
    assert notes.startswith("Client A arrived late. Client A's manager wrote to [e-mail]; ")
    assert "Client A said Client A-ish things." in notes  # any case, whole words
    assert "She will ask Client B." in notes  # "will" the verb kept, "Will" the name not
    assert "Priyanka is someone else." in notes  # whole words only
    # An accent the text leaves out is still her name (issue 10).
    assert "Client C helped; Client C did too." in notes
    session = pack["clients"][0]["sessions"][0]
    assert session["private_notes"] is None
    assert session["tags"] == ["Client A-work"]
    assert session["actions"][0]["text"] == "Client A to email Client B"
    assert pack["clients"][0]["goals"][0]["title"] == "Client A chairs the board"
    assert (
        pack["clients"][0]["reflections"][0]["text"] == "Working with Client A stirs my rescuer."
    )
    assert pack["reflections"][0]["text"] == "My own practice; I mentioned Client A to no one."
    assert pack["supervision"]["sessions"][0]["notes"] == "Talked about Client A."
    assert pack["questions"] == ["How do I work with Client A's anger?"]

    will = pack["clients"][1]["sessions"][0]["notes"]
    assert will == "Client B said he will try. May is busy. will power."


def test_pack_totals(cli, cli_json):
    _journal(cli_json)
    pack, _ = _pack(cli, "--since", "2024-03-01", "--until", "2024-03-31")
    totals = pack["totals"]
    assert (totals["sessions"], totals["clients"], totals["minutes"]) == (2, 2, 150)
    assert totals["by_format"] == [
        {"format": "group", "sessions": 1, "minutes": 90},
        {"format": "one-to-one", "sessions": 1, "minutes": 60},
    ]
    assert {r["relationship"]: r["minutes"] for r in totals["by_relationship"]} == {
        "coaching": 60,
        "mentoring": 90,
    }
    assert [t["key"] for t in totals["themes"] if t["sessions"]] == ["confidence"]
    assert totals["cards"] == [{"key": "resilience", "title": "Resilience", "uses": 1}]
    ratio = pack["supervision"]["ratio"]
    assert ratio["ratio"] == "1:2.5" and ratio["meets_emcc"] is True
    assert pack["since"] == "2024-03-01" and pack["anonymised"] is True
    empty, _ = _pack(cli, "--since", "2025-01-01")
    assert empty["totals"]["sessions"] == 0 and empty["clients"] == []


def test_names_and_private_put_them_back_with_warnings(cli, cli_json):
    _journal(cli_json)
    pack, stderr = _pack(cli, "--names", "--private")
    assert "Warning: --names" in stderr and "Warning: --private" in stderr
    first = pack["clients"][0]
    assert first["name"] == "Priya Patel" and first["pseudonym"] == "Client A"
    assert first["sessions"][0]["notes"].startswith("Priya Patel arrived late.")
    assert first["sessions"][0]["private_notes"] == "Private: Priya seemed low."
    assert pack["anonymised"] is False and pack["private_notes_included"] is True
    # --private alone: private notes in, still anonymised.
    pack, stderr = _pack(cli, "--private")
    assert "--names" not in stderr and "Warning: --private" in stderr
    assert pack["clients"][0]["sessions"][0]["private_notes"] == "Private: Client A seemed low."


def test_pseudonyms_are_stable_across_exports_and_erasure(cli, cli_json):
    _journal(cli_json)
    cli_json("session", "log", "--client", "3", "--on", "2024-03-04", "--minutes", "30")
    before = {c["pseudonym"] for c in _pack(cli)[0]["clients"]}
    assert before == {"Client A", "Client B", "Client C"}
    assert cli("client", "erase", "Priya Patel", "--yes").exit_code == 0
    cli_json("client", "add", "Dan")
    cli_json("session", "log", "--client", "Dan", "--on", "2024-03-06", "--minutes", "30")
    pack, _ = _pack(cli)
    assert [c["pseudonym"] for c in pack["clients"]] == ["Client B", "Client C", "Client D"]


def test_client_filter(cli, cli_json):
    _journal(cli_json)
    pack, _ = _pack(cli, "--client", "will")
    assert pack["client"] == "Client B"
    assert [c["pseudonym"] for c in pack["clients"]] == ["Client B"]
    assert pack["reflections"] == []  # practice reflections may be about anyone
    assert pack["totals"]["sessions"] == 1
    result = cli("export", "supervision", "--client", "Nobody")
    assert result.exit_code == 1 and result.stderr.startswith("Error: ")


def test_markdown_pack(cli, cli_json):
    _journal(cli_json)
    cli_json(
        "session",
        "log",
        "--client",
        "1",
        "--on",
        "2024-03-08",
        "--minutes",
        "30",
        "--notes",
        "# not a heading\n- not a list\n[not](a link) <b>x</b>",
    )
    result = cli("export", "supervision")
    assert result.exit_code == 0
    md = result.stdout
    assert md.startswith("# Supervision pack\n")
    assert "## Clients" in md and "### Client A (coaching)" in md
    assert not re.search(r"Priya\b", md) and "Patel" not in md
    assert "> \\# not a heading" in md and "> \\- not a list" in md
    assert "\\[not\\](a link) \\<b\\>x\\</b\\>" in md
    assert "- [ ] Client A to email Client B (due 2024-03-15)" in md
    assert "## What I bring to supervision" in md


def test_html_pack_is_self_contained_and_escaped(cli, cli_json, tmp_path):
    _journal(cli_json)
    cli_json(
        "session",
        "log",
        "--client",
        "1",
        "--on",
        "2024-03-08",
        "--minutes",
        "30",
        "--notes",
        "<script>alert('x')</script> & more",
    )
    target = tmp_path / "pack.html"
    result = cli("export", "supervision", "-o", str(target))  # format from the extension
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    assert "Wrote the supervision pack" in result.stderr
    page = target.read_text()
    assert page.startswith("<!DOCTYPE html>")
    assert "<style>" in page and "@media print" in page
    assert "<script" not in page and "&lt;script&gt;" in page and "&amp; more" in page
    assert "http://" not in page and "https://" not in page and "src=" not in page
    assert not re.search(r"Priya\b", page) and "@nhs.net" not in page
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o600


def test_output_file_never_overwritten_without_force(cli, cli_json, tmp_path):
    cli_json("client", "add", "Ann")
    target = tmp_path / "pack.md"
    target.write_text("keep me")
    result = cli("export", "supervision", "-o", str(target))
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: ") and "--force" in result.stderr
    assert target.read_text() == "keep me"
    assert cli("export", "supervision", "-o", str(target), "--force").exit_code == 0
    assert target.read_text().startswith("# Supervision pack")
    missing = tmp_path / "no-such-folder" / "pack.md"
    result = cli("export", "supervision", "-o", str(missing))
    assert result.exit_code == 2 and "does not exist" in result.stderr
    assert cli("export", "supervision", "--format", "pdf").exit_code == 2


def test_upgrading_a_version_1_journal_gives_pseudonyms_in_id_order(
    cli, cli_json, tmp_path, monkeypatch
):
    old = tmp_path / "old.db"
    shutil.copy(FIXTURES / "schema_v1.db", old)
    monkeypatch.setenv("COACHLOG_DB", str(old))
    cli_json("client", "add", "New Person")
    pack, _ = _pack(cli)
    backup = json.loads(cli("export", "backup").stdout)
    assert [(c["name"], c["pseudonym"]) for c in backup["clients"]] == [
        ("Priya Natarajan", "Client A"),
        ("Zoë O'Brien", "Client B"),
        ("New Person", "Client C"),
    ]
    assert "Natarajan" not in json.dumps(pack, ensure_ascii=False)


def test_minutes_are_asked_for_in_a_terminal(cli_json, monkeypatch):
    from coachlog.cli import common
    from coachlog.cli.prompts import PrompterBase, use_prompter

    class Answers(PrompterBase):
        def __init__(self) -> None:
            self.asked: list[str] = []

        def text(self, message, *, default="", validate=None, instruction=None):
            self.asked.append(message)
            assert validate is None or validate("75") is None
            return "75"

    monkeypatch.setattr(common, "interactive", lambda: True)
    with use_prompter(Answers()) as prompter:
        logged = cli_json("supervision", "log", "--on", "2024-05-01")
    assert logged["minutes"] == 75
    assert prompter.asked == ["How many minutes of supervision?"]


def test_supervision_list_keeps_one_line_per_session(cli, cli_json):
    empty = cli("supervision", "list")
    assert empty.stderr.startswith("No supervision logged yet. Add some with:")
    notes = "Reviewed my hours log and the balance of internal and external clients."
    for day in ("2024-01-09", "2024-02-09"):
        cli_json(
            "supervision", "log", "--minutes", "90", "--on", day,
            "--supervisor", "Marcus Ogunleye", "--notes", notes,
        )  # fmt: skip
    narrow = cli("supervision", "list", env={"COLUMNS": "80"}).stdout.splitlines()
    assert max(len(line.rstrip()) for line in narrow) <= 80
    rows = [line for line in narrow if line.strip()][2:]  # under the header and rule
    assert len(rows) == 2 and all("Marcus Ogunleye   Reviewed my hours" in r for r in rows)
    wide = cli("supervision", "list", env={"COLUMNS": "160"}).stdout
    assert notes in wide
    dated = cli("supervision", "list", "--since", "2025-01-01")
    assert dated.stderr.startswith("No supervision logged in this period.")


def test_supervision_without_coaching_states_no_ratio_it_cannot_have(cli, cli_json):
    # 2.25 h of supervision and no coaching in the period read "1:0 (meets EMCC's
    # minimum of 1:35)": a ratio of nothing. It says there is no coaching to set the
    # supervision against; the JSON keeps its figures.
    cli_json("supervision", "log", "--minutes", "135", "--on", "2024-01-05")
    listed = cli("supervision", "list", "--since", "2024-01-01", "--until", "2024-12-31")
    assert listed.exit_code == 0, listed.stderr
    said = " ".join(listed.stderr.split())
    assert "1:0" not in said
    assert "Supervision 2.25 h, coaching 0 h: no coaching in this period to set it against" in said
