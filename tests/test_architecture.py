"""The layering holds: cli -> core -> store -> models, as the README lays it out.

import-linter (run in .ci/run with the contracts in pyproject.toml) checks the
import graph; this test checks what an import graph cannot see: that core and
store never print or prompt, and that nothing imports click directly.
"""

from __future__ import annotations

import re
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src" / "coachlog"


def _python_files(*parts: str) -> list[Path]:
    return sorted((SRC.joinpath(*parts)).rglob("*.py"))


def test_core_and_store_never_print_or_prompt():
    offenders = []
    for path in _python_files("core") + _python_files("store"):
        text = path.read_text()
        if (
            re.search(r"(?<![\w.])(print|input)\(", text)
            or "sys.stdout" in text
            or "sys.stderr" in text
        ):
            offenders.append(str(path.relative_to(SRC)))
    assert offenders == []


def test_only_cli_imports_typer_and_only_prompts_import_questionary():
    for path in _python_files():
        rel = path.relative_to(SRC)
        text = path.read_text()
        if rel.parts[0] != "cli":
            assert not re.search(r"^\s*(import|from) typer", text, re.M), rel
        if rel != Path("cli/prompts.py"):
            assert not re.search(r"^\s*(import|from) questionary", text, re.M), rel


def test_only_store_imports_sqlite_utils():
    for path in _python_files():
        rel = path.relative_to(SRC)
        if rel.parts[0] != "store":
            assert not re.search(r"^\s*(import|from) sqlite_utils", path.read_text(), re.M), rel


def test_only_the_driver_module_knows_which_sqlite_driver():
    # store/driver.py picks sqlite3 or sqlcipher3 and holds the exception tuples
    # both are caught by; store/db.py names sqlite3 only in type annotations.
    for path in _python_files():
        rel = path.relative_to(SRC)
        text = path.read_text()
        if rel != Path("store/driver.py"):
            assert not re.search(r"^\s*(import|from) sqlcipher3", text, re.M), rel
            assert not re.search(r"except[^:]*sqlite3\.", text), rel
            assert "sqlite3.connect(" not in text, rel
        if rel.parts[0] != "store":
            assert not re.search(r"^\s*(import|from) sqlite3", text, re.M), rel


def test_no_direct_click_import():
    for path in _python_files():
        assert not re.search(r"^\s*(import|from) click\b", path.read_text(), re.M), path


def test_every_module_opens_with_a_docstring():
    for path in _python_files():
        text = path.read_text().lstrip()
        if path.name == "__init__.py" and not text:
            continue
        assert text.startswith('"""'), f"{path.relative_to(SRC)} has no module docstring"
