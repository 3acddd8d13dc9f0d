"""Importing a jrnl journal: each entry of a `jrnl --format json` export becomes a reflection.

jrnl's JSON export is `{"tags": {"@work": 2, ...}, "entries": [{"title", "body",
"date": "YYYY-MM-DD", "time": "HH:MM", "tags": ["@work"], "starred": false}, ...]}`
(newer jrnl versions may add keys such as "uuid", "creator" or "location"; they are
ignored). An entry becomes a reflection of the journal's owner with:

- title and text: jrnl's title and body. An entry with a title but no body keeps
  the title as its text too (a reflection needs text); a title longer than a
  coachlog title (500 characters), or holding a line break, tab or other control
  character, is moved to the start of the text.
- date and time: jrnl's date and time.
- starred: jrnl's star.
- tags: jrnl's tags without their leading tag symbol ("@work" and "#work" both
  become "work"), otherwise as jrnl wrote them. A tag that is an IES theme key
  ("confidence", "team", ...; any case) also tags the reflection with that theme.

Importing the same export again adds nothing: each entry's uid is derived from
its date, time, title and body (and, for identical entries, how many came
before it), so an entry already in the journal is recognised and skipped.
Everything goes in with `executemany` in one transaction: all or nothing, and
100,000 entries in seconds. `progress(done, total)` is called between batches.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections import Counter
from collections.abc import Callable
from typing import Any

from coachlog.core.backup import ImportReport, load_json
from coachlog.errors import InvalidInput
from coachlog.models import TAG_MAX, TEXT_MAX, TITLE_MAX
from coachlog.store import backup as store
from coachlog.store.base import now_iso
from coachlog.store.db import Journal
from coachlog.vocab import ThemeKey

# What a one-line field refuses (models._single_line, and the backup's import).
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")

TAG_SYMBOLS = "@#"
BATCH = 5000
_THEMES = {t.value for t in ThemeKey}


def _problem(origin: str, number: int, what: str) -> InvalidInput:
    return InvalidInput(
        f"{origin}: entry {number} {what}.",
        hint="Nothing was imported. Export again with 'jrnl --format json' and retry.",
    )


def _text(entry: dict[str, Any], key: str, origin: str, number: int) -> str:
    value = entry.get(key, "")
    if value is None:
        return ""
    if not isinstance(value, str):
        raise _problem(origin, number, f"has a {key} that is not text")
    if "\x00" in value:
        raise _problem(origin, number, f"has a NUL character in its {key}")
    return value


def _entry(entry: Any, origin: str, number: int) -> dict[str, Any]:
    """One jrnl entry checked and turned into reflection fields (no ids yet)."""
    if not isinstance(entry, dict):
        raise _problem(origin, number, "is not an object")
    title = _text(entry, "title", origin, number).strip()
    body = _text(entry, "body", origin, number).strip("\n")
    # A title is one line of plain text, as everywhere (a backup refuses any
    # other): one that is not goes to the start of the text instead.
    if _CONTROL.search(title) or len(title) > TITLE_MAX:
        body = (title + "\n" + body).strip("\n")
        title = ""
    text = body if body.strip() else title
    if not text.strip():
        raise _problem(origin, number, "has neither a title nor a body")
    if len(text) > TEXT_MAX:
        raise _problem(origin, number, f"is longer than {TEXT_MAX:,} characters")
    date = entry.get("date")
    try:
        if not isinstance(date, str) or len(date) != 10:
            raise ValueError
        dt.date.fromisoformat(date)
    except ValueError:
        raise _problem(origin, number, "has no date in the form YYYY-MM-DD") from None
    time = entry.get("time")
    if time in (None, ""):
        time = None
    elif not (
        isinstance(time, str)
        and len(time) == 5
        and time[2] == ":"
        and time[:2].isdigit()
        and time[3:].isdigit()
        and int(time[:2]) < 24
        and int(time[3:]) < 60
    ):
        raise _problem(origin, number, "has a time that is not HH:MM")
    starred = entry.get("starred", False)
    if not isinstance(starred, bool):
        raise _problem(origin, number, "has a 'starred' that is not true or false")
    raw_tags = entry.get("tags", [])
    if raw_tags is None:
        raw_tags = []
    if not isinstance(raw_tags, list) or not all(isinstance(t, str) for t in raw_tags):
        raise _problem(origin, number, "has tags that are not a list of text")
    tags: list[str] = []
    for raw in raw_tags:
        tag = raw.strip().lstrip(TAG_SYMBOLS)
        if not tag:
            continue
        if len(tag) > TAG_MAX or not tag.isprintable():
            raise _problem(
                origin, number, f"has a tag longer than {TAG_MAX} characters or not printable"
            )
        if tag not in tags:
            tags.append(tag)
    themes = sorted({t.lower() for t in tags if t.lower() in _THEMES})
    return {
        "on_date": date,
        "at_time": time,
        "title": title or None,
        "text": text,
        "starred": int(starred),
        "tags": tags,
        "themes": themes,
    }


def _uid(fields: dict[str, Any], seen: Counter[str]) -> str:
    """A uid that is the same every time the same entry is imported."""
    key = "\x1f".join(
        [fields["on_date"], fields["at_time"] or "", fields["title"] or "", fields["text"]]
    )
    seen[key] += 1
    digest = hashlib.sha256(f"jrnl\x1f{key}\x1f{seen[key]}".encode()).hexdigest()
    return digest[:32]


def parse_jrnl(text: str, origin: str = "The file") -> list[dict[str, Any]]:
    """Every entry of a jrnl JSON export as reflection fields, each with its uid."""
    doc = load_json(text, origin)
    if not isinstance(doc, dict) or not isinstance(doc.get("entries"), list):
        hint = "Export it with 'jrnl --format json --file FILE'; nothing was imported."
        if isinstance(doc, dict) and doc.get("format") == "coachlog-backup":
            hint = "It is a coachlog backup: import it without --from."
        raise InvalidInput(f"{origin} is not a jrnl JSON export (no list of entries).", hint=hint)
    seen: Counter[str] = Counter()
    entries = []
    for number, raw in enumerate(doc["entries"], start=1):
        fields = _entry(raw, origin, number)
        fields["uid"] = _uid(fields, seen)
        entries.append(fields)
    return entries


def import_jrnl(
    j: Journal,
    text: str,
    origin: str = "The file",
    progress: Callable[[int, int], None] | None = None,
) -> ImportReport:
    """Add a jrnl export's entries as reflections, skipping ones already imported."""
    entries = parse_jrnl(text, origin)
    total = len(entries)
    stamp = now_iso()
    added = 0
    with j.write():
        known = store.uids(j, "reflections")
        fresh = [e for e in entries if e["uid"] not in known]
        next_id = store.next_id(j, "reflections")
        if progress:
            progress(total - len(fresh), total)
        for start in range(0, len(fresh), BATCH):
            batch = fresh[start : start + BATCH]
            rows = []
            tags: list[tuple[int, str]] = []
            themes: list[tuple[int, str]] = []
            for entry in batch:
                rows.append(
                    {
                        **entry,
                        "id": next_id,
                        "client_id": None,
                        "goal_id": None,
                        "session_id": None,
                        "card": None,
                        "deck": None,
                        "perspective": None,
                        "question": None,
                        "created_at": stamp,
                        "private": 0,
                    }
                )
                tags += [(next_id, t) for t in entry["tags"]]
                themes += [(next_id, t) for t in entry["themes"]]
                next_id += 1
            store.insert_rows(j, "reflections", rows)
            store.insert_labels(j, "reflection", "tags", tags)
            store.insert_labels(j, "reflection", "themes", themes)
            added += len(batch)
            if progress:
                progress(total - len(fresh) + added, total)
    return ImportReport(
        source="jrnl", added={"reflections": added}, skipped={"reflections": total - added}
    )
