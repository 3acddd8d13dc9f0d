"""Shared fixtures: every test gets its own journal file and drives the real CLI.

`cli(...)` runs coachlog in-process through typer's CliRunner exactly as a user
types it (arguments as strings), against a real SQLite file in a temp folder.
`cli_json(...)` adds `--json`, checks the run succeeded and returns parsed stdout.
No test touches the user's own journal: COACHLOG_DB is pointed at tmp_path, and
COACHLOG_NO_INPUT keeps prompts away unless a test asks for them.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import typer.main
import typer.testing
from typer.testing import CliRunner

from coachlog.cli import app

# Typer rebuilds the whole click command tree on every CliRunner.invoke (about
# 100 ms here); the tree never changes between tests, so build it once.
_COMMAND = typer.main.get_command(app)
_build = typer.testing._get_command
typer.testing._get_command = lambda given: _COMMAND if given is app else _build(given)  # type: ignore[assignment]


@pytest.fixture(autouse=True)
def journal_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "journal" / "coachlog.db"
    monkeypatch.setenv("COACHLOG_DB", str(path))
    monkeypatch.setenv("COACHLOG_NO_INPUT", "1")
    monkeypatch.delenv("COACHLOG_DEBUG", raising=False)
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "100")
    # Platform data dir under tmp too, in case a test unsets COACHLOG_DB.
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    return path


class Runner:
    def __init__(self) -> None:
        self.runner = CliRunner()

    def __call__(self, *args: str, input: str | None = None, env: dict[str, str] | None = None):
        return self.runner.invoke(app, list(args), input=input, env=env, catch_exceptions=False)


@pytest.fixture
def cli() -> Runner:
    return Runner()


@pytest.fixture
def cli_json(cli: Runner) -> Callable[..., Any]:
    def run(*args: str, input: str | None = None) -> Any:
        result = cli(*args, "--json", input=input)
        assert result.exit_code == 0, f"exit {result.exit_code}: {result.stderr}"
        return json.loads(result.stdout)

    return run


@pytest.fixture
def rows(journal_path: Path) -> Callable[..., list[dict[str, Any]]]:
    """Read the journal file directly, as an independent check of what was stored."""

    def query(sql: str, params: tuple[Any, ...] = ()) -> list[dict[str, Any]]:
        conn = sqlite3.connect(journal_path)
        conn.row_factory = sqlite3.Row
        try:
            return [dict(r) for r in conn.execute(sql, params)]
        finally:
            conn.close()

    return query


@pytest.fixture
def say_at_prompt(monkeypatch: pytest.MonkeyPatch) -> Callable[[bool], list[str]]:
    """Pretend a person is at a terminal who answers every "are you sure?" with `answer`.

    Returns the list the questions asked are appended to, so a test can check them.
    """
    from coachlog.cli import common, prompts

    asked: list[str] = []

    class Answers(prompts.PrompterBase):
        def __init__(self, answer: bool) -> None:
            self.answer = answer

        def confirm(self, message: str, *, default: bool = True) -> bool:
            asked.append(message)
            return self.answer

    def set_answer(answer: bool) -> list[str]:
        monkeypatch.setattr(common, "interactive", lambda: True)
        monkeypatch.setattr(prompts, "_override", Answers(answer))
        return asked

    return set_answer


# The slow tier: tests that start real coachlog processes, kill them, race them or
# run long hypothesis searches. `python -m pytest -m "not slow"` is the fast tier a
# developer runs while working (under a minute); CI runs everything.
SLOW_MODULES = {"test_concurrency", "test_crash", "test_invariants", "test_startup"}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        module = item.module.__name__.rsplit(".", 1)[-1] if item.module else ""
        if module in SLOW_MODULES:
            item.add_marker(pytest.mark.slow)
