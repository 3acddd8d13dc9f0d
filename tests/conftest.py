"""Shared fixtures: every test gets its own journal file and drives the real CLI.

`cli(...)` runs coachlog in-process through typer's CliRunner exactly as a user
types it (arguments as strings), against a real SQLite file in a temp folder.
`cli_json(...)` adds `--json`, checks the run succeeded and returns parsed stdout.
No test touches the user's own journal: COACHLOG_DB is pointed at tmp_path, and
COACHLOG_NO_INPUT keeps prompts away unless a test asks for them.

COACHLOG_TEST_ENCRYPTED=1 runs the whole suite against an encrypted journal: each
test starts from a copy of one encrypted, unlocked journal (made once per run, so
the passphrase is stretched once), with COACHLOG_SESSION set as `coachlog unlock`
would. `connect(path)` opens a journal file for a direct check with whichever
driver and key it needs. Tests that are about plain files only are marked
`plain_only` and skipped in that run.
"""

from __future__ import annotations

import json
import os
import shutil
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


ENCRYPTED = os.environ.get("COACHLOG_TEST_ENCRYPTED", "") not in ("", "0")
TEST_PASSPHRASE = "correct horse battery staple"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "plain_only: about plain journal files; skipped with COACHLOG_TEST_ENCRYPTED"
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    skip = pytest.mark.skip(reason="about plain journals (COACHLOG_TEST_ENCRYPTED is set)")
    for item in items:
        module = item.module.__name__.rsplit(".", 1)[-1] if item.module else ""
        if module in SLOW_MODULES:
            item.add_marker(pytest.mark.slow)
        if ENCRYPTED and "plain_only" in item.keywords:
            item.add_marker(skip)


def connect(path: Path | str, **options: Any) -> Any:
    """A connection to a journal file for checking it directly: sqlite3 for a plain
    one; sqlcipher3 with the data key (from COACHLOG_SESSION, else the test
    passphrase) for an encrypted one."""
    from coachlog.store import driver, keys

    path = Path(path)
    if not (driver.looks_encrypted(path) and keys.key_file(path).exists()):
        return sqlite3.connect(path, **options)
    token = os.environ.get("COACHLOG_SESSION", "")
    key = keys.session_key_from(path, token) if token else None
    if key is None:
        key = keys.unseal(keys.read_key_file(path).passphrase, TEST_PASSPHRASE)
    assert key is not None
    conn = driver.cipher().connect(str(path), **options)
    conn.execute("PRAGMA cipher_log_level = NONE")
    conn.execute(driver.key_pragma(key))
    return conn


def dump(path: Path | str) -> list[str]:
    """Every schema entry and row of a journal as text (sqlcipher3 has no iterdump)."""
    conn = connect(path)
    try:
        found = [
            repr(r)
            for r in conn.execute("SELECT type, name, sql FROM sqlite_master ORDER BY name")
        ]
        tables = [
            n
            for (n,) in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
            ).fetchall()
        ]
        for table in tables:
            found += [f"{table}: {r!r}" for r in conn.execute(f'SELECT * FROM "{table}"')]
        return found
    finally:
        conn.close()


@pytest.fixture(scope="session")
def encrypted_template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """One encrypted, unlocked journal (and its session key) that each test copies."""
    from coachlog.store import encryption, keys
    from coachlog.store.db import open_journal

    path = tmp_path_factory.mktemp("template") / "coachlog.db"
    j = open_journal(path)
    encryption.encrypt(j, TEST_PASSPHRASE)
    j.close()
    key = keys.unseal(keys.read_key_file(path).passphrase, TEST_PASSPHRASE)
    assert key is not None
    return path, keys.start_session(path, key)


@pytest.fixture(scope="session")
def plain_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One empty, fully migrated plain journal that each test copies.

    Creating a journal runs every migration (about 70 ms); copying the file costs
    about a millisecond, over a thousand tests. Tests about creating a journal (its
    folder, its permissions, the first run) are marked `plain_only` and still start
    from no file at all.
    """
    from coachlog.store.db import open_journal

    path = tmp_path_factory.mktemp("plain-template") / "coachlog.db"
    open_journal(path).close()
    return path


@pytest.fixture(autouse=True)
def journal_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest
) -> Path:
    path = tmp_path / "journal" / "coachlog.db"
    monkeypatch.delenv("COACHLOG_SESSION", raising=False)
    monkeypatch.delenv("COACHLOG_PASSPHRASE", raising=False)
    if ENCRYPTED and "plain_only" not in request.keywords:
        template, session = request.getfixturevalue("encrypted_template")
        path.parent.mkdir(mode=0o700)
        for suffix in ("", ".key", ".session"):
            shutil.copy(str(template) + suffix, str(path) + suffix)
            os.chmod(str(path) + suffix, 0o600)
        monkeypatch.setenv("COACHLOG_SESSION", session)
        # For copies (`db backup`) the session does not cover; costs nothing otherwise.
        monkeypatch.setenv("COACHLOG_PASSPHRASE", TEST_PASSPHRASE)
    elif not ENCRYPTED and "plain_only" not in request.keywords:
        path.parent.mkdir(mode=0o700)
        shutil.copy(request.getfixturevalue("plain_template"), path)
        os.chmod(path, 0o600)
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
        conn = connect(journal_path)
        try:
            cursor = conn.execute(sql, params)
            names = [d[0] for d in cursor.description]
            return [dict(zip(names, r, strict=True)) for r in cursor.fetchall()]
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
