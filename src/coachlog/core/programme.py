"""The programme report: many coaches' anonymous outcome exports put together.

Files are read one at a time and only running sums are kept (per theme: counts,
sums and sums of squares of whole-number scores, which are exact), so 10,000
files cost no more memory than one. The same export given twice (the same
`export_id`, whatever the file is called) is counted once. A file that is not an
outcomes export, is damaged, or comes from a newer coachlog is refused, naming it,
before any figure is shown.

Per theme, on the engagements with both a before and an end score (`n`): the mean
before and end, the mean change with a 95% confidence interval (Student's t on
n - 1 degrees of freedom), and the share who improved (end above before). The
follow-up figures use the engagements with a before and a follow-up score.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Iterator
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any, TypedDict

from coachlog.errors import InvalidInput, NotFound, Refused
from coachlog.vocab import ThemeKey

FORMAT = "coachlog-outcomes"
VERSION = 1
THEMES = [t.value for t in ThemeKey]
STAGES = ("before", "end", "follow_up")

# Two-sided 95% critical values of Student's t for 1..30 degrees of freedom.
_T95 = (
    12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
    2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086,
    2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042,
)  # fmt: skip
_Z975 = 1.959963984540054


def t_critical(df: int) -> float:
    """The 97.5th percentile of Student's t with `df` degrees of freedom.

    From the table up to 30; beyond, the Cornish-Fisher expansion about the normal
    quantile (Abramowitz & Stegun 26.7.5), good to 4 decimals from 30 on.
    """
    if df < 1:
        raise ValueError("df must be at least 1")
    if df <= len(_T95):
        return _T95[df - 1]
    z = _Z975
    g1 = (z**3 + z) / 4
    g2 = (5 * z**5 + 16 * z**3 + 3 * z) / 96
    g3 = (3 * z**7 + 19 * z**5 + 17 * z**3 - 15 * z) / 384
    g4 = (79 * z**9 + 776 * z**7 + 1482 * z**5 - 1920 * z**3 - 945 * z) / 92160
    return z + g1 / df + g2 / df**2 + g3 / df**3 + g4 / df**4


class ThemeSummary(TypedDict):
    key: str
    n: int
    before: float | None
    end: float | None
    follow_up: float | None
    change_end: float | None
    change_end_ci: list[float] | None
    improved_share: float | None
    n_follow_up: int
    change_follow_up: float | None
    change_follow_up_ci: list[float] | None


class ProgrammeReport(TypedDict):
    files: int
    duplicates: list[str]
    engagements: int
    themes: list[ThemeSummary]


class _Sums:
    """Running sums for one theme and one pair of stages (before -> later)."""

    __slots__ = ("n", "first", "later", "diff", "diff2", "up")

    def __init__(self) -> None:
        self.n = self.first = self.later = self.diff = self.diff2 = self.up = 0

    def add(self, first: int, later: int) -> None:
        d = later - first
        self.n += 1
        self.first += first
        self.later += later
        self.diff += d
        self.diff2 += d * d
        self.up += d > 0

    def mean_change(self) -> float | None:
        return self.diff / self.n if self.n else None

    def ci(self) -> list[float] | None:
        if self.n < 2:
            return None
        # Integer sums, so the variance is exact until the last division.
        variance = (self.n * self.diff2 - self.diff * self.diff) / (self.n * (self.n - 1))
        half = t_critical(self.n - 1) * math.sqrt(max(variance, 0.0) / self.n)
        mean = self.diff / self.n
        return [half_away(mean - half, 2), half_away(mean + half, 2)]


def half_away(value: float, places: int) -> float:
    """Round as a calculator or a spreadsheet's ROUND() does, halves away from zero
    (6.625 -> 6.63), so a lead checking the report by hand gets the same figures;
    Python's round() halves to even (6.62). The decimal the float prints as is
    what is rounded."""
    step = Decimal(1).scaleb(-places)
    return float(Decimal(repr(value)).quantize(step, rounding=ROUND_HALF_UP))


def _r(value: float | None, places: int = 2) -> float | None:
    return None if value is None else half_away(value, places)


def expand(paths: Iterable[str]) -> Iterator[Path]:
    """Each FILE as given; a folder stands for the .json files in it, in name order."""
    for given in paths:
        path = Path(given).expanduser()
        if path.is_dir():
            yield from sorted(p for p in path.iterdir() if p.suffix == ".json" and p.is_file())
        elif not path.exists():
            raise NotFound(f"There is no file {path}.", hint="Check the path; nothing was read.")
        else:
            yield path


def _not_export(path: Path, why: str) -> InvalidInput:
    return InvalidInput(
        f"{path} is not a coachlog outcomes export: {why}.",
        hint="Give files made by 'coachlog export outcomes'; no report was made.",
    )


def _score(value: Any) -> bool:
    return value is None or (type(value) is int and 0 <= value <= 10)


# One coach's export is a few kB per engagement; this is far above any real one,
# and stops /dev/zero or a runaway file from filling memory.
EXPORT_MAX_BYTES = 256 * 2**20


def read_export(path: Path) -> tuple[str, list[dict[str, Any]]]:
    """(export id, engagements) of one export file, checked; refuses anything else."""
    try:
        with path.open("rb") as handle:
            data = handle.read(EXPORT_MAX_BYTES + 1)
        if len(data) > EXPORT_MAX_BYTES:
            raise _not_export(path, f"it is larger than {EXPORT_MAX_BYTES // 2**20} MB")
        doc = json.loads(data)
    except OSError as exc:
        raise InvalidInput(
            f"{path} cannot be read ({exc.strerror or type(exc).__name__})."
        ) from None
    except (ValueError, RecursionError):
        raise _not_export(path, "it is not valid JSON") from None
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise _not_export(path, "it does not say it is one")
    version = doc.get("version")
    if type(version) is not int or version < 1:
        raise _not_export(path, "it has no valid version")
    if version > VERSION:
        raise Refused(
            f"{path} is a version {version} outcomes export, newer than this coachlog reads "
            f"(version {VERSION}).",
            hint="Upgrade coachlog (pip install -U coachlog); no report was made.",
        )
    export_id = doc.get("export_id")
    records = doc.get("engagements")
    if not isinstance(export_id, str) or not export_id or not isinstance(records, list):
        raise _not_export(path, "it has no export_id or no engagements")
    for number, record in enumerate(records, start=1):
        if not isinstance(record, dict):
            raise _not_export(path, f"engagement {number} is not a record")
        for stage in STAGES:
            scores = record.get(stage)
            if scores is None:
                continue
            if not isinstance(scores, dict) or not all(_score(scores.get(k)) for k in THEMES):
                raise _not_export(path, f"engagement {number} has a score outside 0-10")
    return export_id, records


def report(paths: Iterable[str]) -> ProgrammeReport:
    """Merge the exports in `paths` (files or folders of them), streaming."""
    seen: set[str] = set()
    duplicates: list[str] = []
    engagements = 0
    end = {k: _Sums() for k in THEMES}
    follow = {k: _Sums() for k in THEMES}
    files = 0
    for path in expand(paths):
        export_id, records = read_export(path)
        if export_id in seen:
            duplicates.append(str(path))
            continue
        seen.add(export_id)
        files += 1
        engagements += len(records)
        for record in records:
            before = record.get("before") or {}
            after = record.get("end") or {}
            later = record.get("follow_up") or {}
            for key in THEMES:
                b = before.get(key)
                if b is None:
                    continue
                e = after.get(key)
                if e is not None:
                    end[key].add(b, e)
                f = later.get(key)
                if f is not None:
                    follow[key].add(b, f)
    if not files and not duplicates:
        raise InvalidInput("No outcome exports to read: the folders given hold no .json files.")
    themes = []
    for key in THEMES:
        pair, fu = end[key], follow[key]
        themes.append(
            ThemeSummary(
                key=key,
                n=pair.n,
                before=_r(pair.first / pair.n) if pair.n else None,
                end=_r(pair.later / pair.n) if pair.n else None,
                follow_up=_r(fu.later / fu.n) if fu.n else None,
                change_end=_r(pair.mean_change()),
                change_end_ci=pair.ci(),
                improved_share=_r(pair.up / pair.n, 3) if pair.n else None,
                n_follow_up=fu.n,
                change_follow_up=_r(fu.mean_change()),
                change_follow_up_ci=fu.ci(),
            )
        )
    return ProgrammeReport(
        files=files, duplicates=duplicates, engagements=engagements, themes=themes
    )
