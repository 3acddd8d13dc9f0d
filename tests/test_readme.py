"""The README's Quick start is what CI runs: its second line appears verbatim in
.ci/run, and its first line is the one .ci/run runs in a clean copy."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _quick_start_lines() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```sh\n(.*?)\n```", section, flags=re.S)


def test_quick_start_is_two_lines_that_need_only_python3():
    first, second = _quick_start_lines()
    assert "\n" not in first and "\n" not in second
    # No bare `python` (Debian/Ubuntu have none) and no pip outside a venv (PEP 668).
    assert first.startswith("python3 -m venv .venv && ")
    for line in (first, second):
        for command in line.split("&&"):
            word = command.split()[0]
            assert word == "python3" or word.startswith(".venv/bin/"), command


def test_ci_runs_the_second_line_verbatim_and_the_first_from_the_readme():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    _, second = _quick_start_lines()
    assert second in ci.splitlines()
    assert "```sh" in ci  # the first line is read from README.md, not copied


def test_every_code_block_is_closed_on_a_line_of_its_own():
    """A closing fence with text after it ("``` `goal list` ...") closes nothing:
    the rest of the README, headings and all, would render as one code block."""
    inside = False
    for number, line in enumerate(
        (ROOT / "README.md").read_text(encoding="utf-8").splitlines(), 1
    ):
        if not line.startswith("```"):
            continue
        if inside:
            assert line == "```", f"README.md line {number}: {line!r} does not close the block"
        else:
            assert re.fullmatch(r"```[a-z]*", line), f"README.md line {number}: {line!r}"
        inside = not inside
    assert not inside, "README.md ends inside a code block"
