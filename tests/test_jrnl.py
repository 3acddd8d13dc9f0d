"""`coachlog import --from jrnl FILE`: a jrnl JSON export becomes reflections.

The fixture (tests/fixtures/jrnl_export.json) follows the shape jrnl's own JSON
exporter writes: {"tags": {...}, "entries": [{"title", "body", "date", "time",
"tags", "starred"}]}, one entry with an extra "uuid" key as newer jrnl adds.
"""

from __future__ import annotations

import json
from pathlib import Path

FIXTURE = Path(__file__).parent / "fixtures" / "jrnl_export.json"


def _by_date(reflections):
    return {r["on"]: r for r in reflections}


def test_jrnl_fixture_becomes_reflections(cli_json, rows):
    report = cli_json("import", "--from", "jrnl", str(FIXTURE))
    assert report == {
        "source": "jrnl",
        "added": {"reflections": 4},
        "skipped": {"reflections": 0},
    }
    found = _by_date(cli_json("reflection", "list"))
    assert sorted(found) == ["2024-01-08", "2024-01-09", "2024-01-12", "2024-01-14"]

    board = found["2024-01-08"]
    assert board["title"] == "Board meeting went better than I feared."
    assert board["text"].startswith("I spoke first on the staffing item")
    assert "\nThe chair thanked me afterwards." in board["text"]
    assert board["at"] == "18:30"
    assert board["starred"] is True
    # '@' dropped, the rest kept as jrnl wrote it; a theme-key tag also sets the theme.
    assert sorted(board["tags"]) == ["confidence", "work"]
    assert board["themes"] == ["confidence"]
    assert board["client"] is None and board["card"] is None

    # A title-only entry keeps the title as its text.
    quiet = found["2024-01-09"]
    assert quiet["title"] == "Quiet day." and quiet["text"] == "Quiet day."
    assert quiet["starred"] is False and quiet["tags"] == []

    # Tags keep their case; theme matching ignores it. '#' is a tag symbol too.
    assert sorted(found["2024-01-12"]["tags"]) == ["Team", "work"]
    assert found["2024-01-12"]["themes"] == ["team"]
    assert sorted(found["2024-01-14"]["tags"]) == ["confidence", "home", "work"]

    # The search index was kept in step by the schema's triggers.
    hits = cli_json("search", "staffing")
    assert [h["kind"] for h in hits] == ["reflection"]
    assert rows("SELECT count(*) AS n FROM reflection_tags") == [{"n": 7}]


def test_importing_the_same_jrnl_export_twice_adds_nothing(cli_json, rows):
    cli_json("import", "--from", "jrnl", str(FIXTURE))
    again = cli_json("import", "--from", "jrnl", str(FIXTURE))
    assert again["added"] == {"reflections": 0}
    assert again["skipped"] == {"reflections": 4}
    assert rows("SELECT count(*) AS n FROM reflections") == [{"n": 4}]


def test_identical_entries_in_one_export_are_both_kept(cli_json, tmp_path):
    entry = {
        "title": "Same.",
        "body": "Same body.",
        "date": "2024-02-01",
        "time": "09:00",
        "tags": [],
        "starred": False,
    }
    path = tmp_path / "twins.json"
    path.write_text(json.dumps({"tags": {}, "entries": [entry, entry]}))
    assert cli_json("import", "--from", "jrnl", str(path))["added"] == {"reflections": 2}
    assert cli_json("import", "--from", "jrnl", str(path))["added"] == {"reflections": 0}


def test_human_output_says_what_happened(cli):
    result = cli("import", "--from", "jrnl", str(FIXTURE))
    assert result.exit_code == 0
    assert result.stdout == ""
    assert "Imported 4 reflections." in result.stderr
    # Not a terminal here, so no progress bar was drawn.
    assert "Importing" not in result.stderr


def test_a_large_export_goes_in_in_one_transaction(cli_json, rows, tmp_path):
    entries = [
        {
            "title": f"Entry {n}.",
            "body": f"Body of entry {n} about @work and @team.",
            "date": f"2020-{1 + n % 12:02d}-{1 + n % 28:02d}",
            "time": f"{n % 24:02d}:{n % 60:02d}",
            "tags": ["@work", "@team"],
            "starred": n % 7 == 0,
        }
        for n in range(12_000)
    ]
    path = tmp_path / "big.json"
    path.write_text(json.dumps({"tags": {"@work": 12_000}, "entries": entries}))
    report = cli_json("import", "--from", "jrnl", str(path))
    assert report["added"] == {"reflections": 12_000}
    counts = rows(
        "SELECT (SELECT count(*) FROM reflections) AS r, "
        "(SELECT count(*) FROM reflection_tags) AS t, "
        "(SELECT count(*) FROM reflection_themes) AS th, "
        "(SELECT count(*) FROM search_index WHERE kind = 'reflection') AS s"
    )
    assert counts == [{"r": 12_000, "t": 24_000, "th": 12_000, "s": 12_000}]


def _refused(cli, rows, journal_path, path, code=2):
    result = cli("import", "--from", "jrnl", str(path))
    assert result.exit_code == code, result.stderr
    assert result.stderr.startswith("Error: "), result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout == ""
    if journal_path.exists():
        assert rows("SELECT count(*) AS n FROM reflections") == [{"n": 0}]
    return result.stderr


def test_truncated_jrnl_export_is_refused_and_nothing_written(cli, rows, journal_path, tmp_path):
    text = FIXTURE.read_text()
    path = tmp_path / "cut.json"
    path.write_text(text[: len(text) // 2])
    assert "cut short" in _refused(cli, rows, journal_path, path)


def test_a_file_cut_inside_a_character_is_cut_short_not_foreign(cli, rows, journal_path, tmp_path):
    # An export cut in the middle of "é" ends with half a UTF-8 character: that is a
    # file cut short (as any other cut), not a file in some other encoding.
    doc = json.loads(FIXTURE.read_text())
    doc["entries"][0]["body"] = "Café " * 50
    data = json.dumps(doc, ensure_ascii=False).encode("utf-8")
    cut_at = data.index("é".encode()) + 1  # between the two bytes of the first é
    for source in ("jrnl", "coachlog"):
        path = tmp_path / f"cut-{source}.json"
        path.write_bytes(data[:cut_at])
        args = ["import", str(path)] + (["--from", "jrnl"] if source == "jrnl" else [])
        result = cli(*args)
        assert result.exit_code == 2, (source, result.stderr)
        assert "cut short" in result.stderr and "not UTF-8" not in result.stderr, source
        assert rows("SELECT count(*) AS n FROM reflections") == [{"n": 0}]


def test_bad_entry_refuses_the_whole_import(cli, rows, journal_path, tmp_path):
    doc = json.loads(FIXTURE.read_text())
    doc["entries"][3]["date"] = "14/01/2024"
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(doc))
    message = _refused(cli, rows, journal_path, path)
    assert "entry 4" in message and "YYYY-MM-DD" in message
    # The first three entries were fine, but all-or-nothing means none went in.


def test_other_bad_entries(cli, rows, journal_path, tmp_path):
    base = {
        "title": "t.",
        "body": "b",
        "date": "2024-01-01",
        "time": "10:00",
        "tags": [],
        "starred": False,
    }
    for change, words in (
        ({"time": "25:00"}, "HH:MM"),
        ({"title": "", "body": "  "}, "neither a title nor a body"),
        ({"tags": "@work"}, "tags"),
        ({"starred": "yes"}, "starred"),
        ({"tags": ["@" + "x" * 60]}, "tag"),
    ):
        path = tmp_path / "entry.json"
        path.write_text(json.dumps({"tags": {}, "entries": [base, {**base, **change}]}))
        assert words in _refused(cli, rows, journal_path, path), change


def test_foreign_files_are_refused(cli, rows, journal_path, tmp_path):
    backup = tmp_path / "backup.json"
    backup.write_text(cli("export", "backup").stdout)
    assert "coachlog backup" in _refused(cli, rows, journal_path, backup)
    other = tmp_path / "other.json"
    other.write_text('{"hello": "world"}')
    assert "not a jrnl JSON export" in _refused(cli, rows, journal_path, other)
    binary = tmp_path / "photo.jpg"
    binary.write_bytes(b"\xff\xd8\xff\xe0" + bytes(range(256)))
    assert "not UTF-8" in _refused(cli, rows, journal_path, binary)
    assert "no file" in _refused(cli, rows, journal_path, tmp_path / "missing.json", code=1)


def test_a_title_with_control_characters_goes_into_the_text_so_the_backup_restores(
    cli, cli_json, tmp_path, monkeypatch
):
    # A jrnl title holding ESC was stored as the reflection's title, which the
    # backup's one-line rule refuses: the journal's own backup would not
    # import (found in second review).
    source = tmp_path / "jrnl.json"
    entry = {"date": "2026-01-02", "time": "09:00", "title": "Ti\x1b[2Jtle",
             "body": "body", "tags": [], "starred": False}  # fmt: skip
    source.write_text(json.dumps({"tags": {}, "entries": [entry]}))
    cli_json("import", "--from", "jrnl", str(source))
    [reflection] = cli_json("reflection", "list")
    assert reflection["title"] is None and reflection["text"] == "Ti\x1b[2Jtle\nbody"
    backup = tmp_path / "backup.json"
    assert cli("export", "backup", "-o", str(backup)).exit_code == 0
    monkeypatch.setenv("COACHLOG_DB", str(tmp_path / "restored.db"))
    cli_json("import", str(backup))
    assert cli_json("reflection", "list")[0]["text"] == "Ti\x1b[2Jtle\nbody"
