"""Windows and macOS: no Unix-only call runs without a guard.

Windows has no `os.fchmod` before Python 3.13 and no `os.getuid` at all, and
cannot make a file owner-only with chmod. These tests take those calls away, as
Windows would, and check that writing an `-o` file and opening a journal still
work. `mypy --platform win32` (in .ci/run) checks the same statically.
"""

from __future__ import annotations

import os
import stat
import sys

import pytest


def test_o_file_is_written_without_fchmod(cli, cli_json, tmp_path, monkeypatch):
    monkeypatch.delattr(os, "fchmod", raising=False)
    cli_json("client", "add", "Ann Smith")
    target = tmp_path / "backup.json"
    result = cli("export", "backup", "-o", str(target))
    assert result.exit_code == 0, result.stderr
    assert target.read_text().startswith("{")
    if sys.platform != "win32":  # mkstemp still makes it owner-only where it can
        assert stat.S_IMODE(target.stat().st_mode) == 0o600


def test_journal_opens_on_a_platform_without_getuid(cli, cli_json, journal_path, monkeypatch):
    cli_json("client", "add", "Ann Smith")
    journal_path.chmod(0o644)  # as Windows reports every writable file
    monkeypatch.delattr(os, "getuid", raising=False)
    monkeypatch.setattr(sys, "platform", "win32")
    assert [c["name"] for c in cli_json("client", "list")] == ["Ann Smith"]


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")
def test_journal_readable_by_others_is_tightened_on_posix(cli_json, journal_path):
    cli_json("client", "add", "Ann Smith")
    journal_path.chmod(0o644)
    cli_json("client", "list")
    assert stat.S_IMODE(journal_path.stat().st_mode) == 0o600
