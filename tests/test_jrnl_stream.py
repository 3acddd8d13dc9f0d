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
from hypothesis import given, settings
from hypothesis import strategies as st

from coachlog.core.backup import load_json
from coachlog.core.jrnl import stream_entries
from coachlog.errors import InvalidInput

MEASURE = """
import resource, subprocess, sys
done = subprocess.run([sys.executable, "-m", "coachlog", "import", "--from", "jrnl", sys.argv[1]])
print(done.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
"""


def _export(path: Path, count: int, body_chars: int) -> Path:
    entries = (
        {
            "title": f"Entry {n}.",
            "body": (f"Body {n} café " * (body_chars // 10 + 1))[:body_chars],
            "date": f"2021-{1 + n % 12:02d}-{1 + n % 28:02d}",
            "time": f"{n % 24:02d}:{n % 60:02d}",
            "tags": ["@work"],
            "starred": False,
        }
        for n in range(count)
    )
    with path.open("w", encoding="utf-8") as out:
        out.write(f'{{"tags": {{"@work": {count}}}, "entries": [\n')
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
    big_file = _export(tmp_path / "big.json", 30_000, 1500)
    big = _peak_kb(big_file, tmp_path / "big.db")
    file_kb = big_file.stat().st_size // 1024
    # Reading it whole grew the peak by about four times the file (a 68 MB file:
    # +266 MB); streamed, only a chunk and a batch of entries are held at once.
    assert big - tiny < file_kb // 2, (tiny, big, file_kb)


def _chunked(text: str, size: int) -> list[str]:
    return [text[i : i + size] for i in range(0, len(text), size)]


def _streamed(text: str, size: int) -> list | str:
    """The entries stream_entries gives for `text` read `size` characters at a time,
    or its error as "message | hint"."""
    try:
        return list(stream_entries(_chunked(text, size), "The file"))
    except InvalidInput as exc:
        return f"{exc.message} | {exc.hint}"


def _whole(text: str) -> list | str:
    """What reading `text` whole gave: load_json, then the old check for entries."""
    try:
        doc = load_json(text, "The file")
    except InvalidInput as exc:
        return f"{exc.message} | {exc.hint}"
    if not isinstance(doc, dict) or not isinstance(doc.get("entries"), list):
        hint = "Export it with 'jrnl --format json --file FILE'; nothing was imported."
        if isinstance(doc, dict) and doc.get("format") == "coachlog-backup":
            hint = "It is a coachlog backup: import it without --from."
        return f"The file is not a jrnl JSON export (no list of entries). | {hint}"
    return doc["entries"]


_scalar = st.none() | st.booleans() | st.integers(-(10**6), 10**6) | st.text(max_size=12)
_json = st.recursive(
    _scalar,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=8,
)
_entry = st.fixed_dictionaries(
    {"title": st.text(max_size=20), "body": st.text(max_size=40), "date": st.just("2024-01-02")},
    optional={
        "tags": st.lists(st.text(max_size=6), max_size=3),
        "starred": st.booleans(),
        "x": _json,
    },
)


@st.composite
def _exports(draw):
    """A jrnl-like export as text: keys in any order, any spacing and escaping."""
    members = {"entries": draw(st.lists(_entry, max_size=5))}
    members |= draw(
        st.dictionaries(st.sampled_from(["tags", "version", "uuid"]), _json, max_size=2)
    )
    order = draw(st.permutations(list(members)))
    doc = {key: members[key] for key in order}
    indent = draw(st.sampled_from([None, 0, 1, 2, "\t"]))
    text = json.dumps(doc, indent=indent, ensure_ascii=draw(st.booleans()))
    pad = draw(st.sampled_from(["", " ", "\n", "\r\n\t "]))
    return pad + text + pad


@settings(max_examples=300, deadline=None)
@given(text=_exports(), size=st.integers(1, 40))
def test_streamed_entries_are_what_json_loads_gives(text, size):
    assert _streamed(text, size) == json.loads(text)["entries"]


@settings(max_examples=600, deadline=None)
@given(
    text=_exports(),
    size=st.integers(1, 40),
    cut=st.integers(0, 10**6),
    junk=st.sampled_from(["", ",", "]", "}", "x", '"', "\\", "\u00a0", "1", "\n", "{", "[", "-"]),
    keep=st.booleans(),
)
def test_a_broken_export_gets_the_sentence_reading_it_whole_gave(text, size, cut, junk, keep):
    # Cut it short, or put a stray character in, anywhere.
    at = cut % (len(text) + 1)
    broken = text[:at] + junk + (text[at:] if keep else "")
    assert _streamed(broken, size) == _whole(broken)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   \n ",
        "\u00a0",
        "\ufeff{}",
        "[]",
        "[1, 2",
        '"entries"',
        "{}",
        '{"entries": {}}',
        '{"entries": [], "x": 1,}',
        '{"entries": [1,]}',
        '{"entries": [1] "x": 2}',
        '{"entries": [1]} []',
        '{"format": "coachlog-backup", "reflections": [{"uid": "a"}]}',
        '{"entries": [{"body": "\\ud83d\\ude00 caf\\u00e9"}], "tags": {"@a": 1}}',
        '{"entries": [-Infinity, 1e5, 1.5E-3, NaN, true, false, null]}',
        '{"entries": [{"a": [[[[[[[[1]]]]]]]]}]}',
        '{\n  "entries": [\n    {"body": "line\\nbreak"},\n    {"body": "unterminated\n',
    ],
)
@pytest.mark.parametrize("size", [1, 2, 3, 7, 1000])
def test_edge_cases_match_reading_whole(text, size):
    assert _streamed(text, size) == _whole(text)


def test_a_second_list_of_entries_is_refused(tmp_path):
    text = '{"entries": [{"body": "a"}], "entries": [{"body": "b"}]}'
    assert "more than one list of entries" in _streamed(text, 5)


def test_stdin_with_a_bom_is_streamed(cli_json, tmp_path):
    entry = {"title": "T.", "body": "b é", "date": "2024-02-01", "time": "09:00"}
    data = "\ufeff" + json.dumps({"entries": [entry]}, ensure_ascii=False)
    report = cli_json("import", "--from", "jrnl", "-", input=data.encode())
    assert report["added"] == {"reflections": 1}
    assert cli_json("reflection", "list")[0]["text"] == "b é"


def test_a_bad_entry_late_in_a_big_export_writes_nothing(cli, rows, tmp_path):
    entries = [
        {"title": f"E{n}.", "body": f"body {n}", "date": "2024-01-01", "time": "10:00"}
        for n in range(9_000)
    ]
    entries[8_500]["date"] = "01/01/2024"
    path = tmp_path / "late.json"
    path.write_text(json.dumps({"tags": {}, "entries": entries}))
    result = cli("import", "--from", "jrnl", str(path))
    assert result.exit_code == 2 and "entry 8501" in result.stderr
    assert rows("SELECT count(*) AS n FROM reflections") == [{"n": 0}]
