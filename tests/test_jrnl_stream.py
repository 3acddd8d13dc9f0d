"""`coachlog import --from jrnl` reads the export as a stream, in bounded memory.

The parser (`coachlog.core.jrnl.stream_entries`) must give exactly the entries
`json.loads` gives for a valid export, whatever the key order, whitespace and
escapes, wherever the chunks happen to split it; and for a broken file exactly
the sentence `load_json` says for the whole text (empty, cut short, not valid
JSON at line and column, not a jrnl export). The slow test checks the point of
it all: peak memory of an import grows far less than the file does.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

MEASURE = """
import resource, subprocess, sys
done = subprocess.run([sys.executable, "-m", "coachlog", "import", "--from", "jrnl", sys.argv[1]])
print(done.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
"""


def _export(path: Path, count: int, body_chars: int) -> Path:
    entries = (
        {
            "title": f"Entry {n}.",
            "body": (f"Body {n} é ✓ " * (body_chars // 10 + 1))[:body_chars],
            "date": f"2021-{1 + n % 12:02d}-{1 + n % 28:02d}",
            "time": f"{n % 24:02d}:{n % 60:02d}",
            "tags": ["@work"],
            "starred": False,
        }
        for n in range(count)
    )
    with path.open("w", encoding="utf-8") as out:
        out.write('{"tags": {"@work": %d}, "entries": [\n' % count)
        for n, entry in enumerate(entries):
            out.write(("," if n else "") + json.dumps(entry, indent=2) + "\n")
        out.write("]}\n")
    return path


def _peak_kb(path: Path, journal: Path) -> int:
    """Peak RSS (KiB) of one `coachlog import --from jrnl` in a fresh process tree."""
    env = {**os.environ, "COACHLOG_DB": str(journal), "COACHLOG_NO_INPUT": "1"}
    done = subprocess.run(
        [sys.executable, "-c", MEASURE, str(path)],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=600,
    )
    code, peak = done.stdout.split()
    assert code == "0", done.stderr
    return int(peak)


@pytest.mark.slow
@pytest.mark.skipif(sys.platform == "win32", reason="resource.getrusage is POSIX only")
def test_a_large_export_is_imported_in_memory_far_smaller_than_the_file(tmp_path):
    tiny = _peak_kb(_export(tmp_path / "tiny.json", 10, 1000), tmp_path / "tiny.db")
    big_file = _export(tmp_path / "big.json", 20_000, 2000)
    big = _peak_kb(big_file, tmp_path / "big.db")
    file_kb = big_file.stat().st_size // 1024
    # Reading it whole grew the peak by several times the file (a 40 MB file took
    # ~300 MB); streamed, only a batch of entries is held at once.
    assert big - tiny < file_kb // 2, (tiny, big, file_kb)
