"""The supervision pack written as it is made: the same bytes, a fraction of the memory.

`export supervision` reads and renders one batch of clients at a time and writes
each part straight to the file (or stdout), so a year of a large practice never sits
in memory three times over (rows, scrubbed copies, the rendered text). What it
writes must be byte for byte what rendering the whole pack gives:

- pinned against packs made before streaming (tests/fixtures/packs/, made by
  coachlog 0.1.0 at f1a68ff from the journal `_journal` builds; regenerate with
  COACHLOG_REGENERATE_PACKS=1 only when a change to the pack is meant);
- the file, stdout and `render.pack_*(core.supervision_pack(...))` agree, for
  journals the demo generator makes (hypothesis picks the seed and the options);
- (slow) the export's peak memory grows far less than its output does.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coachlog.store.db import open_journal

PACKS = Path(__file__).parent / "fixtures" / "packs"
END = dt.date(2025, 6, 30)
TODAY = dt.date(2025, 7, 1)
FORMATS = ("md", "html", "json")

# name -> (CLI flags, supervision_pack() keywords)
OPTIONS: dict[str, tuple[list[str], dict[str, Any]]] = {
    "default": ([], {}),
    "profile": (
        ["--profile", "-q", "How do I stay with Priya's anger?", "-q", "  "],
        {"profile": True, "questions": ["How do I stay with Priya's anger?", "  "]},
    ),
    "names-private": (["--names", "--private"], {"names": True, "private": True}),
    "client": (
        ["--client", "Priya Patel", "--profile", "--private"],
        {"client": "Priya Patel", "profile": True, "private": True},
    ),
    "period": (
        ["--since", "2025-01-01", "--until", "2025-03-31"],
        {"since": "2025-01-01", "until": "2025-03-31"},
    ),
}


def _seed(path: Path, seed: int, clients: int, months: int = 8) -> None:
    from coachlog.core import demo

    j = open_journal(path)
    try:
        demo.write(j, demo.generate(seed, clients=clients, months=months, end=END))
    finally:
        j.close()


CARDS = ["authenticity", "mindset", "resilience", "relationships", "collaboration-co-creation",
         "compassion", "inclusion", "shared-purpose", "systems-thinking", "enabling-others",
         "outcome-focus", "learning-improvement", "shared-accountability"]  # fmt: skip


def _rate(cli_json, *extra: str) -> None:
    flags = []
    for n, key in enumerate(CARDS):
        flags += ["--card", f"{key}={(n * 3 + len(extra)) % 11}"]
    cli_json("profile", "rate", *extra, *flags)


def _journal(cli_json, journal_path: Path) -> None:
    """A demo practice plus what the demo never makes: aliases, a redact list, hostile
    text, private notes, profiles, a client known only from a reflection."""
    _seed(journal_path, seed=11, clients=3, months=4)
    cli_json("client", "add", "Priya Patel", "--email", "priya@nhs.net")
    cli_json("client", "edit", "Priya Patel", "--alias", "Pri")
    cli_json("client", "add", "Zoë O'Brien", "-r", "mentoring")
    cli_json("redact", "add", "Dr Jane Roe")
    for day, notes in (
        ("2025-02-03", "Pri said Dr Jane Roe # is *fine*\n- really [x](y) <b>\x1b[31mred"),
        ("2025-03-04", "Priya: \u202eevil\u202c & <script>alert(1)</script> 1. Zoë | too"),
        ("2025-05-05", ""),
    ):
        cli_json("session", "log", "-c", "Priya Patel", "--on", day, "-m", "50",
                 "--notes", notes, "--private-notes", "Private: Priya was low.",
                 "--tag", "priya-work", "--card", "resilience", "--theme", "confidence",
                 "--action", "Priya to call Zoë", "--action-due", "2025-06-01")  # fmt: skip
    # Zoë appears only through a reflection about her: she still has a section.
    cli_json("reflect", "-c", "Zoë O'Brien", "--on", "2025-04-01", "--card", "mindset",
             "--text", "Zoë (Pri's friend) tests me.\n> quoted")  # fmt: skip
    cli_json("goal", "add", "Priya leads the board", "-c", "Priya Patel", "--score", "3",
             "--on", "2025-02-03")  # fmt: skip
    cli_json("supervision", "log", "-m", "90", "--on", "2025-03-10",
             "--supervisor", "Dr Jane Roe", "--notes", "Talked about Priya.")  # fmt: skip
    _rate(cli_json)
    _rate(cli_json, "-c", "Priya Patel")


def _today(monkeypatch) -> None:
    from coachlog import dates

    monkeypatch.setattr(dates, "today", lambda: TODAY)


def _export(cli, tmp_path: Path, fmt: str, flags: list[str]) -> tuple[bytes, bytes, str]:
    """The pack written to a file, the pack on stdout, and what was said on stderr."""
    target = tmp_path / f"pack-{len(list(tmp_path.iterdir()))}.{fmt}"
    written = cli("export", "supervision", "-o", str(target), *flags)
    assert written.exit_code == 0, written.stderr
    printed = cli("export", "supervision", "--format", fmt, *flags)
    assert printed.exit_code == 0, printed.stderr
    return target.read_bytes(), printed.stdout_bytes, written.stderr


def _whole(journal_path: Path, fmt: str, options: dict[str, Any]) -> str:
    from coachlog.core import exports
    from coachlog.render import exports as render

    j = open_journal(journal_path, create=False)
    try:
        pack = exports.supervision_pack(j, **options)
    finally:
        j.close()
    if fmt == "md":
        return render.pack_markdown(pack)
    if fmt == "html":
        return render.pack_html(pack)
    return render.json_text(pack)


def _same_everywhere(cli, tmp_path: Path, journal_path: Path, name: str) -> dict[str, bytes]:
    from coachlog.text import for_terminal

    flags, options = OPTIONS[name]
    found = {}
    for fmt in FORMATS:
        in_file, on_stdout, _ = _export(cli, tmp_path, fmt, flags)
        whole = _whole(journal_path, fmt, options)
        assert in_file == whole.encode(), (name, fmt)
        shown = whole if fmt == "json" else for_terminal(whole)
        assert on_stdout == shown.encode(), (name, fmt)
        found[fmt] = in_file
    return found


@pytest.mark.parametrize("name", list(OPTIONS))
def test_the_streamed_pack_is_the_pack_made_before_streaming(
    cli, cli_json, journal_path, tmp_path, monkeypatch, name
):
    _today(monkeypatch)
    _journal(cli_json, journal_path)
    out = tmp_path / "out"
    out.mkdir()
    made = _same_everywhere(cli, out, journal_path, name)
    for fmt, data in made.items():
        pinned = PACKS / f"{name}.{fmt}"
        if os.environ.get("COACHLOG_REGENERATE_PACKS"):
            pinned.parent.mkdir(parents=True, exist_ok=True)
            pinned.write_bytes(data)
        assert data == pinned.read_bytes(), (name, fmt)
    pack = json.loads(made["json"])
    seen = [c["pseudonym"] for c in pack["clients"]]
    if name in ("default", "profile", "names-private"):
        assert len(seen) == 5 and seen[-1] == "Client E"  # Zoë, from her reflection only


@settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    seed=st.integers(0, 10_000),
    clients=st.integers(1, 7),
    name=st.sampled_from(sorted(OPTIONS)),
)
def test_file_stdout_and_the_whole_pack_agree(cli, seed, clients, name):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "j" / "coachlog.db"
        path.parent.mkdir()
        _seed(path, seed, clients, months=7)
        flags, options = OPTIONS[name]
        if name == "client":  # a client the demo made: the first one by pseudonym
            flags = [flags[0], "1", *flags[2:]]
            options = {**options, "client": "1"}
        out = Path(tmp) / "out"
        out.mkdir()
        os.environ["COACHLOG_DB"] = str(path)  # the fixture's monkeypatch restores it
        from coachlog.text import for_terminal

        for fmt in FORMATS:
            in_file, on_stdout, stderr = _export(cli, out, fmt, flags)
            whole = _whole(path, fmt, options)
            assert in_file == whole.encode(), (seed, clients, name, fmt)
            assert on_stdout == (whole if fmt == "json" else for_terminal(whole)).encode()
            totals = json.loads(_whole(path, "json", options))["totals"]
            assert f"({totals['sessions']} session" in stderr


def test_a_failed_write_leaves_no_file_and_no_temp(cli, cli_json, tmp_path, monkeypatch):
    from coachlog.render import exports as render

    cli_json("client", "add", "Ann")
    cli_json("session", "log", "-c", "Ann", "-m", "60", "--notes", "First.")
    cli_json("session", "log", "-c", "Ann", "-m", "60", "--notes", "Second.")

    def broken(*args: Any, **kwargs: Any) -> Any:
        yield "# Supervision pack\n"
        raise OSError("disk went away")

    monkeypatch.setattr(render, "pack_markdown_parts", broken)
    folder = tmp_path / "out"
    folder.mkdir()
    result = cli("export", "supervision", "-o", str(folder / "pack.md"))
    assert result.exit_code == 1 and "nothing was saved" in result.stderr
    assert list(folder.iterdir()) == []  # neither the pack nor its temporary file


# ---------------------------------------------------------------- memory (slow)


def _peak_kib(args: list[str], env: dict[str, str]) -> int:
    """Peak RSS of one coachlog process, read in a parent that runs nothing else."""
    probe = (
        "import resource, subprocess, sys\n"
        "done = subprocess.run(sys.argv[1:], stdin=subprocess.DEVNULL)\n"
        "assert done.returncode == 0, done.returncode\n"
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
    )
    found = subprocess.run(
        [sys.executable, "-c", probe, *args], env=env, capture_output=True, text=True, check=True
    )
    kib = int(found.stdout.split()[-1])
    return kib // 1024 if sys.platform == "darwin" else kib  # bytes on macOS


@pytest.mark.slow
@pytest.mark.plain_only
@pytest.mark.parametrize("fmt", ["md", "json"])
def test_export_memory_grows_far_less_than_its_output(tmp_path, fmt):
    from coachlog.core import demo

    coachlog = [sys.executable, "-m", "coachlog"]
    sizes = {}
    # The same 60 clients (so the same anonymiser) over half a year and over ten.
    for months in (6, 120):
        path = tmp_path / f"j{months}" / "coachlog.db"
        path.parent.mkdir()
        j = open_journal(path)
        try:
            demo.write(j, demo.generate(3, clients=60, months=months, end=END))
        finally:
            j.close()
        target = tmp_path / f"pack{months}.{fmt}"
        env = {**os.environ, "COACHLOG_DB": str(path), "COACHLOG_NO_INPUT": "1"}
        peak = _peak_kib([*coachlog, "export", "supervision", "-o", str(target)], env)
        sizes[months] = (peak * 1024, target.stat().st_size)
    (small_rss, small_out), (big_rss, big_out) = sizes[6], sizes[120]
    assert big_out - small_out > 3_000_000, sizes  # the big pack is several MB more
    # Built whole (before streaming), RSS grew about seven times as much as the
    # output (rows, scrubbed copies, the text); written as it is made, it grows by
    # one batch of clients and SQLite's page cache: 0.6x the output for Markdown,
    # 0.4x for JSON here.
    assert big_rss - small_rss < (big_out - small_out) * 0.8, sizes
