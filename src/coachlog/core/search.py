"""Full-text search over session notes, reflections, goals and actions.

Whatever a person types is made safe before it reaches FTS5: the query is split on
spaces, each word is quoted as an FTS5 string (inner quotes doubled) so that `AND`,
`"`, `(`, `col:word` and the like are just words, and the words are ANDed. A word ending
in `*` matches as a prefix (`resil*`). Words made only of punctuation are dropped, as
the index never holds them.

In `--json`, a hit's `snippet` is plain text with each matched word wrapped in « and ».
"""

from __future__ import annotations

import datetime as dt

from coachlog import dates
from coachlog.errors import InvalidInput
from coachlog.models import SearchHit
from coachlog.store import search as store
from coachlog.store.db import Journal

DEFAULT_LIMIT = 20
OPEN_MARK = "«"
CLOSE_MARK = "»"


def match_expression(query: str) -> str | None:
    """The FTS5 MATCH expression for a user's query, or None if it has no words."""
    terms = []
    for word in query.split():
        prefix = word.endswith("*")
        stem = word.rstrip("*")
        if not any(ch.isalnum() for ch in stem):
            continue
        quoted = '"' + stem.replace('"', '""') + '"'
        terms.append(quoted + ("*" if prefix else ""))
    return " AND ".join(terms) or None


def search(
    j: Journal,
    query: str,
    *,
    client: str | None = None,
    since: str | dt.date | None = None,
    limit: int | None = DEFAULT_LIMIT,
) -> list[SearchHit]:
    """Entries matching every word of `query`, best match first (then newest);
    at most `limit` of them, every one when `limit` is None."""
    if not query.strip():
        raise InvalidInput(
            "Give some words to search for.", hint="For example: coachlog search delegation"
        )
    if limit is not None and limit < 1:
        raise InvalidInput(f"--limit must be 1 or more (0 on the command line: all), not {limit}.")
    client_id = None
    if client is not None:
        from coachlog.core.clients import resolve

        client_id = resolve(j, client).id
    start = dates.parse_date(since, "--since") if since is not None else None
    match = match_expression(query)
    if match is None:
        return []
    return [
        _hit(row)
        for row in store.search(
            j, match, client_id=client_id, since=start, limit=-1 if limit is None else limit
        )
    ]


def _hit(row: dict[str, object]) -> SearchHit:
    text, spans = _unmark(str(row["snippet"] or ""))
    pieces: list[str] = []
    position = 0
    for start, end in spans:
        pieces += [text[position:start], OPEN_MARK, text[start:end], CLOSE_MARK]
        position = end
    pieces.append(text[position:])
    on_date = row["on_date"]
    return SearchHit(
        kind=str(row["kind"]),
        id=int(str(row["id"])),
        date=dt.date.fromisoformat(on_date) if isinstance(on_date, str) and on_date else None,
        client=str(row["client"]) if row["client"] is not None else None,
        snippet="".join(pieces),
        text=text,
        highlights=spans,
    )


def _unmark(snippet: str) -> tuple[str, list[tuple[int, int]]]:
    """Snippet text with runs of whitespace made single spaces, and where the matches are."""
    out: list[str] = []
    spans: list[tuple[int, int]] = []
    start = 0
    for ch in snippet:
        if ch == store.MATCH_START:
            start = len(out)
        elif ch == store.MATCH_END:
            spans.append((start, len(out)))
        elif ch.isspace():
            if out and out[-1] != " ":
                out.append(" ")
        else:
            out.append(ch)
    text = "".join(out)
    stripped = text.rstrip()
    return stripped, [(s, min(e, len(stripped))) for s, e in spans if s < len(stripped)]
