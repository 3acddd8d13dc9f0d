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
100,000 entries in seconds. `progress(done, None)` is called between batches
(how many entries there are is known only at the end).

The export is read as a stream of text chunks, never whole: `stream_entries`
walks the top-level object and the "entries" list itself and hands each entry
to `json.JSONDecoder.raw_decode`, so memory holds one chunk, one batch of
entries and a digest per entry, not the file (100,000 entries: a 66 MB file
took 519 MB read whole). Its errors are the ones `backup.load_json` gives for
the whole text, at the same line and column: the walk does what json's own
scanner does, position for position.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from coachlog.core.backup import ImportReport
from coachlog.errors import InvalidInput
from coachlog.models import TAG_MAX, TEXT_MAX, TITLE_MAX
from coachlog.store import backup as store
from coachlog.store.base import now_iso
from coachlog.store.db import Journal
from coachlog.vocab import ThemeKey

# What a one-line field refuses (models._single_line, and the backup's import).
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")

TAG_SYMBOLS = "@#"
# Entries held at once: 5,000 of ~450 characters made a 100,000-entry import
# peak at 82 MB, 2,000 at 69 MB, and took no longer.
BATCH = 2000
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


def _uid(fields: dict[str, Any], seen: Counter[bytes]) -> str:
    """A uid that is the same every time the same entry is imported."""
    key = "\x1f".join(
        [fields["on_date"], fields["at_time"] or "", fields["title"] or "", fields["text"]]
    )
    # Counted by a digest of the text, not the text: 100,000 entries' texts
    # would all stay in memory otherwise.
    counted = hashlib.sha256(key.encode()).digest()[:16]
    seen[counted] += 1
    digest = hashlib.sha256(f"jrnl\x1f{key}\x1f{seen[counted]}".encode()).hexdigest()
    return digest[:32]


# ---------------------------------------------------------------- the streamed parse

_NOT_JSON_SPACE = re.compile(r"[^ \t\n\r]")  # json's whitespace is these four only
_SOLID = re.compile(r"\S")  # str.strip()'s whitespace, which load_json's rules use
# json's scanner can stop this far short of a value's end when the text ends in
# the middle of it ("-Infinit", a "\u00e" escape, "1.e"): an error this near the
# end of the buffer may only mean the buffer ends there.
_MARGIN = 16


def _comma_then_close_fails_at_comma() -> bool:
    """Python 3.13 reports "[1,]" at the comma, earlier versions at the bracket."""
    try:
        json.loads("[1,]")
    except json.JSONDecodeError as exc:
        return exc.pos == 2
    return False  # pragma: no cover


_TRAILING_AT_COMMA = _comma_then_close_fails_at_comma()


class _Text:
    """A sliding window over the text's chunks.

    `buf[pos:]` is what is left to parse; what was parsed is let go, keeping only
    what an error message needs: newlines before the window (json's line and
    column) and the first and last characters that are not whitespace (whether
    the file was cut short).
    """

    def __init__(self, chunks: Iterable[str], origin: str) -> None:
        self._chunks = iter(chunks)
        self.origin = origin
        self.buf = ""
        self.pos = 0
        self.eof = False
        self._base = 0  # index in the whole text of buf[0]
        self._lines = 0  # newlines before buf
        self._last_newline = -1  # index in the whole text of the last one before buf
        self._first_solid = ""
        self._solid_end = 0  # len(text.rstrip()) so far
        self._last_solid = ""
        self._decode = json.JSONDecoder().raw_decode
        self.mark: int | None = None  # kept in the window while set (a comma to blame)

    def _note(self, piece: str, at: int) -> None:
        if not self._first_solid and (m := _SOLID.search(piece)):
            self._first_solid = m.group()
        if n := len(piece.rstrip()):
            self._solid_end, self._last_solid = at + n, piece[n - 1]

    def _let_go(self) -> None:
        cut = self.pos if self.mark is None else min(self.pos, self.mark)
        if not cut:
            return
        gone = self.buf[:cut]
        self._note(gone, self._base)
        self._lines += gone.count("\n")
        if (newline := gone.rfind("\n")) >= 0:
            self._last_newline = self._base + newline
        self.buf = self.buf[cut:]
        self._base += cut
        self.pos -= cut
        if self.mark is not None:
            self.mark -= cut

    def more(self, at_least: int = 1) -> bool:
        """Read on until `at_least` more characters are in the window; False at the end."""
        self._let_go()
        pieces, wanted = [self.buf], len(self.buf) + at_least
        have = len(self.buf)
        for chunk in self._chunks:
            pieces.append(chunk)
            have += len(chunk)
            if have >= wanted:
                break
        else:
            self.eof = True
        grew = have > len(self.buf)
        self.buf = "".join(pieces)
        return grew

    def peek(self) -> str:
        """The next character that is not json whitespace (pos moves to it); '' at the end."""
        while True:
            if m := _NOT_JSON_SPACE.search(self.buf, self.pos):
                self.pos = m.start()
                return self.buf[self.pos]
            self.pos = len(self.buf)
            if self.eof or not self.more():
                return ""

    def value(self) -> Any:
        """The JSON value at pos, decoded whole, pos moved past it."""
        while True:
            try:
                value, end = self._decode(self.buf, self.pos)
            except json.JSONDecodeError as exc:
                short = exc.msg.startswith("Unterminated") or exc.pos >= len(self.buf) - _MARGIN
                if self.eof or not short:
                    raise self.fail(exc.pos) from None
            except RecursionError:
                self._drain()
                raise InvalidInput(
                    f"{self.origin} is nested too deeply to be a coachlog file."
                ) from None
            else:
                # A number near the end of the window may go on ("1" of "1.5e3").
                if end <= len(self.buf) - _MARGIN or self.eof:
                    self.pos = end
                    return value
            self.more(at_least=max(len(self.buf) - self.pos, 1))

    def _drain(self) -> None:
        """Read the rest (the reader refuses a file too large or not UTF-8 first, as before)."""
        at = self._base
        self._note(self.buf, at)
        at += len(self.buf)
        for chunk in self._chunks:
            self._note(chunk, at)
            at += len(chunk)
        self.eof = True

    def fail(self, pos: int) -> InvalidInput:
        """load_json's sentence for a JSON error at buf[pos]."""
        where = self._base + pos
        line = self._lines + self.buf.count("\n", 0, pos) + 1
        newline = self.buf.rfind("\n", 0, pos)
        column = where - (self._base + newline if newline >= 0 else self._last_newline)
        self._drain()
        if not self._first_solid:
            why = "it is empty"
        elif self._first_solid in "{[" and (
            where >= self._solid_end or self._last_solid not in "}]"
        ):
            why = "it ends too soon (cut short or truncated?)"
        else:
            why = "it is not valid JSON"
        return InvalidInput(
            f"{self.origin} cannot be read: {why}, at line {line}, column {column}.",
            hint="Nothing was imported. Check it is the whole file, as it was exported.",
        )

    def items(self, close: str) -> Iterator[str | None]:
        """Walk an object ('}') or array (']') whose opening is just read, as json does.

        Yields each key of an object, or None for each element of an array, with
        pos at its value: the caller reads or skips the value before asking on.
        """
        c = self.peek()
        if c == close:
            self.pos += 1
            return
        while True:
            key = None
            if close == "}":
                if c != '"':
                    raise self.fail(self.pos)
                key = self.value()
                if self.peek() != ":":
                    raise self.fail(self.pos)
                self.pos += 1
                self.peek()
            yield key
            c = self.peek()
            if c == close:
                self.pos += 1
                return
            if c != ",":
                raise self.fail(self.pos)
            self.mark = self.pos
            self.pos += 1
            c = self.peek()
            comma, self.mark = self.mark, None
            if c == close and _TRAILING_AT_COMMA:
                raise self.fail(comma)

    def skip(self, depth: int = 0) -> None:
        """Read past the value at pos, walking the outer levels so no big one is held."""
        c = self.buf[self.pos : self.pos + 1]
        if c and c in "{[" and depth < 2:
            self.pos += 1
            for _ in self.items("}" if c == "{" else "]"):
                self.skip(depth + 1)
        else:
            self.value()


def stream_entries(chunks: Iterable[str], origin: str = "The file") -> Iterator[Any]:
    """Each element of a jrnl export's "entries" list, as json.loads would give it.

    The text comes in chunks of any size (a str is one chunk). The whole text is
    read even after the last entry, so a file broken anywhere is refused with
    load_json's sentence, and one with no list of entries as not a jrnl export.
    """
    text = _Text([chunks] if isinstance(chunks, str) else chunks, origin)
    text.more()
    if text.buf.startswith("\ufeff"):  # a second BOM: json.loads refuses it at 0
        raise text.fail(0)
    is_object = text.peek() == "{"
    keys = 0  # how many "entries" keys
    listed = False  # and whether the first one's value is a list
    fmt: Any = None
    if is_object:
        text.pos += 1
        for key in text.items("}"):
            if key == "entries":
                keys += 1
            if key == "entries" and keys == 1 and text.peek() == "[":
                listed = True
                text.pos += 1
                for _ in text.items("]"):
                    yield text.value()
            elif key == "format":
                fmt = text.value()
            else:
                text.skip()
    else:
        text.skip()
    if text.peek():
        raise text.fail(text.pos)  # json's "Extra data"
    hint = "Export it with 'jrnl --format json --file FILE'; nothing was imported."
    if keys > 1:
        # json.loads would keep the last one: too late, the first is read.
        raise InvalidInput(f"{origin} has more than one list of entries.", hint=hint)
    if not listed:
        if is_object and fmt == "coachlog-backup":
            hint = "It is a coachlog backup: import it without --from."
        raise InvalidInput(f"{origin} is not a jrnl JSON export (no list of entries).", hint=hint)


def parse_jrnl(text: str | Iterable[str], origin: str = "The file") -> list[dict[str, Any]]:
    """Every entry of a jrnl JSON export as reflection fields, each with its uid."""
    seen: Counter[bytes] = Counter()
    entries = []
    for number, raw in enumerate(stream_entries(text, origin), start=1):
        fields = _entry(raw, origin, number)
        fields["uid"] = _uid(fields, seen)
        entries.append(fields)
    return entries


def _insert(j: Journal, batch: list[dict[str, Any]], next_id: int, stamp: str) -> int:
    """Insert a batch of new entries from id `next_id`; the next free id after them."""
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
    return next_id


def import_jrnl(
    j: Journal,
    text: str | Iterable[str],
    origin: str = "The file",
    progress: Callable[[int, int | None], None] | None = None,
) -> ImportReport:
    """Add a jrnl export's entries as reflections, skipping ones already imported.

    `text` is the export, whole or as chunks read on demand. Entries are checked
    and inserted a batch at a time inside one write transaction: a bad entry, or
    a file broken after it, anywhere rolls all of it back.
    """
    stamp = now_iso()
    seen: Counter[bytes] = Counter()
    total = added = 0
    batch: list[dict[str, Any]] = []
    problem: InvalidInput | None = None
    with j.write():
        known = store.uids(j, "reflections")
        next_id = store.next_id(j, "reflections")
        for number, raw in enumerate(stream_entries(text, origin), start=1):
            if problem is not None:
                continue  # read on: a file broken further on says so, as it did
            try:
                fields = _entry(raw, origin, number)
            except InvalidInput as exc:
                problem, batch = exc, []
                continue
            fields["uid"] = _uid(fields, seen)
            total += 1
            if fields["uid"] not in known:
                batch.append(fields)
            if len(batch) == BATCH:
                next_id = _insert(j, batch, next_id, stamp)
                added += len(batch)
                batch = []
            if progress and total % BATCH == 0:
                progress(total, None)
        if problem is not None:
            raise problem
        if batch:
            _insert(j, batch, next_id, stamp)
            added += len(batch)
        if progress:
            progress(total, None)
    return ImportReport(
        source="jrnl", added={"reflections": added}, skipped={"reflections": total - added}
    )
