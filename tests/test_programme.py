"""The programme report: three coaches' exports merged, every figure recomputed by hand.

Each coach keeps their own journal (`--db`), records engagements with before, end
and follow-up check-ins, and exports them; the lead's report must give exactly the
means, changes, confidence intervals and shares worked out here from the inputs.
"""

from __future__ import annotations

import json
import math
import statistics
from pathlib import Path
from xml.etree import ElementTree

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coachlog.core.programme import t_critical

THEMES = ["strategic", "prioritisation", "confidence", "influence", "team", "self-presentation"]

# coach -> engagements: (before, end, follow-up or None), one score list per stage.
COACHES = {
    "a": [
        ([3, 4, 2, 5, 6, 1], [6, 6, 5, 5, 7, 3], [7, 6, 6, 4, 7, 4]),
        ([5, 5, 5, 5, 5, 5], [4, 7, 6, 5, 8, 5], None),
    ],
    "b": [
        ([2, 3, 4, 4, 3, 2], [5, 5, 6, 7, 4, 2], [6, 4, 6, 7, 5, 3]),
    ],
    "c": [
        ([6, 2, 3, 3, 4, 5], [8, 6, 7, 3, 4, 6], None),
        ([1, 6, 4, 2, 5, 3], [3, 6, 5, 6, 6, 4], [4, 7, 5, 6, 6, 5]),
        ([4, 4, 4, 4, 4, 4], [4, 4, 4, 4, 4, 4], None),
    ],
}


def _scores(values: list[int]) -> list[str]:
    out: list[str] = []
    for key, value in zip(THEMES, values, strict=True):
        out += [f"--{key}", str(value)]
    return out


def _run(cli, db: Path, *args: str) -> str:
    result = cli("--db", str(db), *args)
    assert result.exit_code == 0, result.stderr
    return result.stdout


@pytest.fixture
def exports(cli, tmp_path) -> list[Path]:
    files = []
    for coach, engagements in COACHES.items():
        db = tmp_path / f"{coach}.db"
        for n, (before, end, follow) in enumerate(engagements):
            name = f"Client {coach}{n}"
            _run(cli, db, "client", "add", name)
            _run(
                cli,
                db,
                "engagement",
                "start",
                name,
                "--sessions",
                "6",
                "--on",
                f"2025-0{n + 1}-01",
            )
            _run(cli, db, "outcome", "record", name, "--stage", "before", *_scores(before))
            _run(cli, db, "session", "log", "-c", name, "-m", "60", "--on", f"2025-0{n + 1}-09")
            _run(cli, db, "outcome", "record", name, "--stage", "end", *_scores(end))
            _run(cli, db, "engagement", "end", name, "--on", f"2025-0{n + 2}-01")
            if follow:
                _run(cli, db, "outcome", "record", name, "--stage", "follow-up", *_scores(follow))
        target = tmp_path / f"coach-{coach}.json"
        _run(cli, db, "export", "outcomes", "-o", str(target))
        files.append(target)
    return files


def _round(value: float, places: int = 2) -> float:
    """Rounding as by hand: halves away from zero."""
    scaled = abs(value) * 10**places
    whole = math.floor(scaled + 0.5 + 1e-9)
    return math.copysign(whole / 10**places, value)


def _by_hand(theme: int) -> dict:
    pairs = [(b[theme], e[theme]) for eng in COACHES.values() for b, e, _ in eng]
    follows = [(b[theme], f[theme]) for eng in COACHES.values() for b, _, f in eng if f]
    diffs = [e - b for b, e in pairs]
    n = len(diffs)
    mean = sum(diffs) / n
    half = t_critical(n - 1) * statistics.stdev(diffs) / math.sqrt(n)
    return {
        "n": n,
        "before": _round(sum(b for b, _ in pairs) / n, 2),
        "end": _round(sum(e for _, e in pairs) / n, 2),
        "follow_up": _round(sum(f for _, f in follows) / len(follows), 2),
        "change_end": _round(mean, 2),
        "change_end_ci": [_round(mean - half, 2), _round(mean + half, 2)],
        "improved_share": _round(sum(d > 0 for d in diffs) / n, 3),
        "n_follow_up": len(follows),
        "change_follow_up": _round(sum(f - b for b, f in follows) / len(follows), 2),
    }


def test_three_coaches_merge_into_figures_recomputed_by_hand(cli, exports):
    result = cli("programme", "report", *map(str, exports), "--json")
    assert result.exit_code == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["files"] == 3 and report["engagements"] == 6
    assert [t["key"] for t in report["themes"]] == THEMES
    for index, theme in enumerate(report["themes"]):
        expected = _by_hand(index)
        got = {k: theme[k] for k in expected}
        assert got == expected, THEMES[index]
    # one figure spelled out: strategic changes 3,-1,3,2,2,0 -> mean 1.5, 4 of 6 improved
    assert report["themes"][0]["change_end"] == 1.5
    assert report["themes"][0]["improved_share"] == 0.667


def test_the_same_export_twice_is_counted_once(cli, exports, tmp_path):
    copy = tmp_path / "copy-of-a.json"
    copy.write_bytes(exports[0].read_bytes())
    result = cli("programme", "report", *map(str, exports), str(copy), str(exports[0]), "--json")
    assert result.exit_code == 0
    report = json.loads(result.stdout)
    assert report["files"] == 3 and report["engagements"] == 6
    assert "counted once" in result.stderr and len(report["duplicates"]) == 2


def test_a_folder_stands_for_its_exports(cli, exports):
    result = cli("programme", "report", str(exports[0].parent), "--json")
    assert json.loads(result.stdout)["engagements"] == 6


@pytest.mark.parametrize(
    ("content", "code", "words"),
    [
        ("not json", 2, "not a coachlog outcomes export"),
        ('{"format": "coachlog-backup", "version": 1}', 2, "not a coachlog outcomes export"),
        (
            '{"format": "coachlog-outcomes", "version": 2, "export_id": "x", "engagements": []}',
            1,
            "version 2",
        ),
        (
            '{"format": "coachlog-outcomes", "version": 1, "export_id": "x", '
            '"engagements": [{"before": {"team": 11}}]}',
            2,
            "outside 0-10",
        ),
    ],
)
def test_files_that_are_not_exports_are_refused_by_name(
    cli, exports, tmp_path, content, code, words
):
    bad = tmp_path / "strange-file.json"
    bad.write_text(content)
    result = cli("programme", "report", str(exports[0]), str(bad))
    assert result.exit_code == code
    assert result.stderr.startswith("Error: ") and "strange-file.json" in result.stderr
    assert words in result.stderr and result.stdout == ""


def test_a_missing_file_is_named(cli, tmp_path):
    result = cli("programme", "report", str(tmp_path / "nope.json"))
    assert result.exit_code == 1 and "nope.json" in result.stderr


def test_markdown_html_and_svg_reports(cli, exports, tmp_path):
    md = cli("programme", "report", *map(str, exports), "--format", "md").stdout
    assert "| Strategic approach | 6 |" in md and "95% CI" in md
    svg = cli("programme", "report", *map(str, exports), "--format", "svg").stdout
    ElementTree.fromstring(svg)
    assert "confidence interval" in svg
    page = tmp_path / "report.html"
    result = cli("programme", "report", *map(str, exports), "-o", str(page))
    assert result.exit_code == 0 and page.read_text().startswith("<!DOCTYPE html>")
    assert "<svg" in page.read_text()
    text = cli("programme", "report", *map(str, exports), env={"COLUMNS": "60"}).stdout
    assert "Strategic" in text and all(len(line) <= 60 for line in text.splitlines())
    # The key below the table wraps between its entries, never inside one.
    for key in ("n: with before and end ratings", "Chg: mean end - before", "Up: share improved"):
        assert key in text, text


def test_t_critical_values_match_published_tables():
    # df: two-sided 95% value from standard tables (e.g. NIST/SEMATECH e-Handbook).
    published = {1: 12.706, 5: 2.571, 10: 2.228, 30: 2.042, 40: 2.021, 60: 2.000, 120: 1.980}
    for df, value in published.items():
        assert t_critical(df) == pytest.approx(value, abs=6e-4), df
    assert t_critical(10**6) == pytest.approx(1.95996, abs=1e-4)


@settings(max_examples=60, deadline=None)
@given(st.integers(min_value=31, max_value=100_000))
def test_t_critical_falls_towards_the_normal_value(df):
    assert 1.959963 < t_critical(df) < 2.042
    assert t_critical(df) <= t_critical(df - 1)


_score = st.one_of(st.none(), st.integers(min_value=0, max_value=10))
_stage = st.one_of(st.none(), st.fixed_dictionaries({k: _score for k in THEMES}))
_records = st.lists(
    st.fixed_dictionaries({"before": _stage, "end": _stage, "follow_up": _stage}), max_size=12
)


@settings(max_examples=40, deadline=None)
@given(_records, st.integers(min_value=1, max_value=4))
def test_splitting_the_same_engagements_across_files_gives_the_same_report(records, parts):
    import tempfile

    from coachlog.core.programme import report

    with tempfile.TemporaryDirectory() as folder:
        whole = Path(folder) / "whole.json"
        whole.write_text(json.dumps(_doc("w", records)))
        pieces = []
        for n in range(parts):
            piece = Path(folder) / f"piece{n}.json"
            piece.write_text(json.dumps(_doc(f"p{n}", records[n::parts])))
            pieces.append(str(piece))
        one, many = report([str(whole)]), report(pieces)
    assert one["themes"] == many["themes"] and one["engagements"] == len(records)
    for theme in one["themes"]:
        if theme["change_end_ci"] is not None:
            low, high = theme["change_end_ci"]
            assert low - 0.01 <= theme["change_end"] <= high + 0.01


def _doc(export_id: str, records: list) -> dict:
    return {
        "format": "coachlog-outcomes",
        "version": 1,
        "export_id": export_id,
        "engagements": records,
    }


def _export_file(path: Path, ends: list[int], before: int = 5) -> Path:
    """An outcome export as docs/outcomes-export.md describes it, every theme alike."""
    path.write_text(
        json.dumps(
            {
                "format": "coachlog-outcomes",
                "version": 1,
                "export_id": path.stem.ljust(32, "0")[:32],
                "themes": THEMES,
                "engagements": [
                    {
                        "relationship": "coaching",
                        "sessions_held": 6,
                        "sessions_contracted": 6,
                        "start_month": "2026-01",
                        "end_month": "2026-03",
                        "before": dict.fromkeys(THEMES, before),
                        "end": dict.fromkeys(THEMES, end),
                        "follow_up": None,
                    }
                    for end in ends
                ],
            }
        )
    )
    return path


def test_halves_round_away_from_zero_as_a_spreadsheet_does(cli, tmp_path):
    """A lead checks the report with a calculator or ROUND(): 6.625 is 6.63 and,
    in the terminal's one decimal, 6.25 is 6.3 (Python's round() gives 6.62, 6.2)."""
    eighths = _export_file(tmp_path / "a.json", [6, 6, 6, 7, 7, 7, 7, 7])  # 53/8
    report = json.loads(cli("programme", "report", str(eighths), "--json").stdout)
    assert report["themes"][0]["end"] == 6.63
    assert report["themes"][0]["change_end"] == 1.63

    quarters = _export_file(tmp_path / "b.json", [6, 6, 6, 7])  # 25/4 = 6.25
    shown = cli("programme", "report", str(quarters), env={"COLUMNS": "60"}).stdout
    row = next(line for line in shown.splitlines() if line.startswith("Strategic"))
    assert row.split()[3] == "6.3", row


def test_one_export_of_one_engagement_is_not_plural(cli, tmp_path):
    one = _export_file(tmp_path / "one.json", [6])
    text = cli("programme", "report", str(one)).stdout
    assert "1 engagement, 1 export" in text and "1 exports" not in text
    md = cli("programme", "report", str(one), "--format", "md").stdout
    assert "1 engagement from 1 export." in md
    svg = cli("programme", "report", str(one), "--format", "svg").stdout
    assert "1 engagement from 1 export " in svg
    wrote = cli("programme", "report", str(one), "-o", str(tmp_path / "r.md"))
    assert "(1 engagement)" in wrote.stderr
