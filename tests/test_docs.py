"""The contract lives in docs/, and nothing in the repository points outside it.

docs/commands.md is written from the commands themselves; this fails when a
command or flag changed without `python -m coachlog.cli.reference > docs/commands.md`.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_the_command_reference_is_current():
    from coachlog.cli.reference import markdown

    committed = (ROOT / "docs" / "commands.md").read_text(encoding="utf-8")
    assert committed == markdown(), (
        "docs/commands.md is out of date: run "
        "'python -m coachlog.cli.reference > docs/commands.md'"
    )


def test_every_command_is_in_the_reference():
    import typer.main

    from coachlog.cli import COMMANDS, app

    text = (ROOT / "docs" / "commands.md").read_text(encoding="utf-8")
    root = typer.main.get_command(app)
    ctx = root.context_class(root, info_name="coachlog")
    for name in COMMANDS:
        assert f"## coachlog {name}\n" in text
        group = root.get_command(ctx, name)
        for sub in getattr(group, "commands", {}):
            assert f"### coachlog {name} {sub}\n" in text


def test_nothing_in_the_repository_points_outside_it():
    tracked = subprocess.run(
        ["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    outside = ("../shared", "DESIGN.md", "STYLE.md", "DOMAIN.md")
    found = []
    for name in tracked:
        path = ROOT / name
        if name == "tests/test_docs.py" or path.suffix not in (".py", ".md", ".toml", ""):
            continue
        if not path.is_file():
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        found += [f"{name}: {word}" for word in outside if word in text]
    assert not found, found
