"""Every listing, report and group help fits 60 and 80 columns without splitting a
word or number across lines: long text is cut with "…" instead.

Each command runs on the demo journal at 200 columns (nothing needs wrapping) and at
60 and 80. At the narrow width no line may be longer than the width, and every word
(run of letters and digits) must be one the wide output has, or the start of one
cut with "…": a word broken across lines ("matro" / "n") shows up as pieces the
wide output never had.
"""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

COMMANDS = [
    [],
    ["client", "list"],
    ["client", "show", "1"],
    ["session", "list"],
    ["session", "show", "1"],
    ["action", "list"],
    ["goal", "list"],
    ["goal", "show", "1"],
    ["reflection", "list"],
    ["reflection", "show", "1"],
    ["progress"],
    ["progress", "--client", "1"],
    ["prep", "1"],
    ["supervision", "list"],
    ["search", "board"],
    ["themes"],
    ["cards", "list"],
    ["cards", "show", "authenticity"],
    ["cards", "decks"],
    ["db", "status"],
]
GROUPS = ["client", "session", "action", "goal", "reflection", "supervision", "export"]
WORD = re.compile(r"\w+")


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Path:
    from typer.testing import CliRunner

    from coachlog.cli import app

    folder = tmp_path_factory.mktemp("demo") / "journal"
    result = CliRunner().invoke(app, ["demo", "--keep", str(folder)], env={"NO_COLOR": "1"})
    assert result.exit_code == 0, result.stderr
    path = folder / "coachlog.db"
    long = "Book 1:1 with matron to agree the rota change before the ward merger in spring"
    added = CliRunner().invoke(app, ["--db", str(path), "action", "add", long, "-c", "1"])
    assert added.exit_code == 0, added.stderr
    return path


def _run(cli, demo: Path, args: list[str], width: int) -> str:
    result = cli("--db", str(demo), *args, env={"COLUMNS": str(width), "NO_COLOR": "1"})
    assert result.exit_code == 0, (args, result.stderr)
    return result.stdout


def _vocabulary() -> set[str]:
    """Words a narrow screen may show that a wide one need not: the short theme
    names, and any card of the deck (the overview suggests one afresh each run)."""
    from coachlog.content import shipped_deck
    from coachlog.models import to_json
    from coachlog.render.progress import THEME_LABELS

    deck = json.dumps(to_json(shipped_deck()))
    return set(WORD.findall(" ".join(THEME_LABELS.values()) + deck))


def _check(narrow: str, wide: str, width: int, what: str) -> None:
    words = set(WORD.findall(wide)) | _vocabulary()
    lines = narrow.splitlines()
    for n, line in enumerate(lines):
        assert len(line) <= width, f"{what} at {width}: {line!r} is {len(line)} long"
        if n + 1 < len(lines) and lines[n + 1].strip().startswith("─"):
            assert "…" not in line, f"{what} at {width}: a header cut in {line!r}"
        for found in WORD.finditer(line):
            # A word may be cut with "…"; a number never (5.0 is not "5…").
            cut = line[found.end() : found.end() + 1] == "…"
            if cut:
                ok = not found.group().isdigit() and any(
                    w.startswith(found.group()) for w in words
                )
            else:
                ok = found.group() in words
            assert ok, f"{what} at {width}: {found.group()!r} split in {line!r}"


@pytest.mark.parametrize("width", [60, 80])
@pytest.mark.parametrize("args", COMMANDS, ids=lambda a: " ".join(a) or "overview")
def test_listings_and_reports_fit_without_splitting_words(cli, demo, args, width):
    wide = _run(cli, demo, args, 200)
    _check(_run(cli, demo, args, width), wide, width, " ".join(args) or "overview")


def _help(group: str, width: int) -> str:
    # In a real process: typer's CliRunner forces help to 80 columns.
    env = {**os.environ, "COLUMNS": str(width), "NO_COLOR": "1"}
    code = "from coachlog.cli import main; main()"
    done = subprocess.run(
        [sys.executable, "-c", code, group, "--help"], env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.mark.parametrize("width", [60, 80])
@pytest.mark.parametrize("group", GROUPS)
def test_group_help_summaries_end_at_a_sentence(group, width):
    text = _help(group, width)
    commands = text.split("Commands:", 1)[1]
    assert "..." not in commands, text
    _check(text, _help(group, 200), width, f"{group} --help")


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_messages_fold_at_spaces_in_a_terminal_and_stay_one_line_in_a_pipe(monkeypatch):
    from coachlog import dates
    from coachlog.cli import common

    hint = f"Use one of: {dates.forms('start')}."
    assert common.wrap(hint) == hint  # captured: one line that scripts can match
    monkeypatch.setenv("COLUMNS", "60")
    monkeypatch.setattr(sys, "stderr", _Terminal())
    folded = common.wrap(hint)
    assert max(len(line) for line in folded.splitlines()) <= 60
    assert " ".join(folded.split()) == hint  # every word whole, none lost
    common.print_error("--since 'March' is not a date.", hint)
    shown = sys.stderr.getvalue()
    assert all(len(line) <= 60 for line in shown.splitlines()) and "2026-12-1," in shown


def test_a_long_journal_path_wraps_at_its_separators_not_inside_a_name(cli, tmp_path):
    # CI found this: a temp folder a few characters longer than a laptop's split
    # "coachlog.db" across two lines of `db status` at 60 columns.
    folder = tmp_path / "NHS Trust shared drive" / "Coaching and mentoring" / "journals" / "2026"
    db = folder / "coachlog.db"
    assert cli("--db", str(db), "client", "add", "Zoë Smith").exit_code == 0
    result = cli("--db", str(db), "db", "status", env={"COLUMNS": "60", "NO_COLOR": "1"})
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert all(len(line) <= 60 for line in lines), lines
    records = next(n for n, line in enumerate(lines) if line.startswith("Schema version"))
    path_lines = [line[len("Journal") :].strip() for line in lines[:records]]
    assert all(part.endswith("/") for part in path_lines[:-1]), path_lines
    assert "".join(path_lines) == str(db), path_lines


@pytest.mark.parametrize("width", [60, 80])
def test_each_overview_item_stays_on_its_own_line(cli, demo, width):
    # An action or goal is one line: date, text cut with "…", whose, and its #id. At 60
    # columns the text was cut to 20 characters whatever the client's name took, so
    # "(Aisha / Begum)" and "#20" wrapped onto a line of their own.
    lines = _run(cli, demo, [], width).splitlines()
    dated = [line for line in lines if re.search(r"^\s*(\w+( \w+)?)?\s+\d{4}-\d\d-\d\d  \S", line)]
    items = [line for line in dated if "Last session" not in line]
    assert len(items) >= 5
    for line in items:
        assert re.search(r"#\d+$", line.rstrip()), f"at {width}: {line!r} lost its id"
    for line in lines:
        assert not re.fullmatch(r"\s*(#\d+|\w+\)|\d+/10\s+#\d+)\s*", line), line


_ALL_HELP = """
import sys
import typer.main
from coachlog.cli import app
from coachlog.cli import main

def walk(command, path):
    names = getattr(command, "list_commands", lambda ctx: [])(None)
    if not names:
        yield path
    for name in names:
        yield from walk(command.get_command(None, name), [*path, name])

for path in walk(typer.main.get_command(app), []):
    print("=== " + " ".join(path), flush=True)
    sys.argv = ["coachlog", *path, "--help"]
    try:
        main()
    except SystemExit:
        pass
    sys.stdout.flush()
"""


def test_every_command_help_fits_60_columns():
    # Choices printed as a metavar (<strategic|prioritisation|...|self-presentation>)
    # ran past the edge; click does not wrap them.
    env = {**os.environ, "COLUMNS": "60", "NO_COLOR": "1"}
    done = subprocess.run(
        [sys.executable, "-c", _ALL_HELP], env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    command = ""
    too_long = []
    for line in done.stdout.splitlines():
        if line.startswith("=== "):
            command = line[4:]
        elif len(line) > 60:
            too_long.append(f"{command}: {line}")
    assert done.stdout.count("=== ") > 60
    assert too_long == []
