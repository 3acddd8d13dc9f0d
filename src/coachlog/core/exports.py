"""Use-cases for exports that leave the journal: the supervision pack and the hours log.

Both are built here as plain JSON-ready dicts (their shapes are below and in the
README); render/exports.py turns them into Markdown, HTML or CSV, and the CLI
prints them or hands them to `core.files.write_file`, which writes atomically and never
replaces a file unless asked. A year of a large practice makes a pack of tens of
megabytes, so `export supervision` takes it from `supervision_pack_stream()`: the
same dict with its clients and the coach's reflections as iterators, read and
scrubbed a batch at a time, which the renderer turns into parts that
`core.files.write_stream` writes as they come.

Anonymised by default. In a supervision pack each client appears under their
stable pseudonym ("Client A", fixed when the client was added and never reused),
every free-text field (notes, actions, goals, reflections, tags, supervision
notes, the coach's questions) goes through `core.anonymise.Anonymiser`, built
by `anonymiser()` from every client in the journal with their aliases (a note
about one client may name another), the redact list, and the coaching models'
stage titles (so "Will (way forward):" in a GROW session stays a label), and
private notes are left out. `names=True` shows names and leaves text as it
is; `private=True` adds private notes. In the hours log a client is named only
if they gave named consent (`client add --named-consent`).

Supervision pack (version 1):
    {"kind": "coachlog-supervision-pack", "version": 1, "generated_on": D,
     "since": D|null, "until": D|null, "client": "Client A"|null,
     "anonymised": bool, "private_notes_included": bool,
     "totals": {"sessions", "clients", "minutes", "hours",
                "by_format": [{"format", "sessions", "minutes"}],
                "by_relationship": [{"relationship", "sessions", "minutes"}],
                "themes": [{"key", "title", "sessions"}], "cards": [{"key", "title", "uses"}]},
     "supervision": {"sessions": [{"on", "minutes", "supervisor", "format", "notes"}],
                     "ratio": {...core.supervision.Ratio}},
     "clients": [{"pseudonym", "name": str|null, "relationship",
                  "sessions": [{"number", "on", "at", "minutes", "mode", "format", "model",
                                "themes", "cards", "tags", "notes", "private_notes",
                                "actions": [{"text", "due", "done_on"}]}],
                  "goals": [{"title", "status", "themes", "baseline", "latest"}],
                  "reflections": [REFLECTION],
                  "profile": PROFILE}],  # only with profile=True (--profile)
     "reflections": [REFLECTION],   # the coach's own, on their practice
     "profile": PROFILE,            # the coach's own; only with --profile, no --client
     "questions": [str]}            # what the coach brings to supervision
    PROFILE = null | {"on", "assessments", "deck", "previous_on", "first_on",
                      "cards": [{"key", "title", "theme_title", "score", "previous",
                                 "first", "change", "change_since_first"}],
                      "strengths": [key], "develop": [key]}
    (a profile holds scores and the deck's own titles only: nothing a person wrote)
    REFLECTION = {"on", "at", "title", "text", "card", "card_title", "perspective", "question",
                  "themes", "tags"}

Hours log (version 1):
    {"kind": "coachlog-hours-log", "version": 1, "generated_on": D, "since", "until",
     "entries": [{"date", "client", "relationship", "minutes", "hours",
                  "format": "individual"|"group"|"team", "payment": "paid"|"pro bono"}],
     "totals": {"sessions", "clients", "minutes", "hours", "individual_minutes",
                "group_minutes", "team_minutes", "paid_minutes", "pro_bono_minutes",
                "by_relationship": [{"relationship", "sessions", "minutes"}]},
     "supervision": {...core.supervision.Ratio}}
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterator
from typing import Any

from coachlog import content, dates
from coachlog.core import supervision
from coachlog.core.anonymise import Anonymiser, Person
from coachlog.models import to_json
from coachlog.store import exports as store
from coachlog.store import supervision as supervision_store
from coachlog.store.db import Journal

PACK_VERSION = 1
HOURS_VERSION = 1

# How accreditation logs (ICF, EMCC) name the session formats.
HOURS_FORMAT = {"one-to-one": "individual", "group": "group", "team": "team"}


def pseudonym_order(label: str) -> tuple[int, str]:
    """Sort key for 'Client A' < 'Client B' < ... < 'Client Z' < 'Client AA'."""
    letters = label.removeprefix("Client ")
    return (len(letters), letters)


def _label(row: dict[str, Any]) -> str:
    # Every client has a pseudonym since m002; the fallback is for a hand-edited journal.
    return str(row.get("pseudonym") or f"Client #{row['id']}")


def _card_titles(j: Journal) -> dict[str, str]:
    from coachlog.core.cards import all_decks

    titles: dict[str, str] = {}
    for deck in reversed(all_decks(j)):  # the shipped deck's titles win
        titles.update({card.key: card.title for card in deck.cards})
    return titles


def anonymiser(j: Journal, everyone: list[dict[str, Any]], labels: dict[int, str]) -> Anonymiser:
    """The one anonymiser every export uses: every client (with aliases) and the redact list."""
    from coachlog.store import redactions

    aliases = redactions.aliases(j)
    people = [
        Person(c["name"], labels[c["id"]], tuple(aliases.get(c["id"], ()))) for c in everyone
    ]
    others = [r["name"] for r in redactions.redactions(j)]
    stages = {
        key: [stage.title for stage in info.stages]
        for key, info in content.coaching_models().items()
    }
    return Anonymiser(people, others=others, stages=stages)


# Clients are read, scrubbed and handed on in batches of about this many sessions and
# reflections (and at most CLIENT_BATCH clients): one batch is all a pack holds at once.
BATCH_ROWS = 400
CLIENT_BATCH = 200


def supervision_pack(
    j: Journal,
    *,
    since: str | dt.date | None = None,
    until: str | dt.date | None = None,
    client: str | None = None,
    names: bool = False,
    private: bool = False,
    questions: list[str] | None = None,
    profile: bool = False,
) -> dict[str, Any]:
    """The supervision pack for a period (shape in the module docstring)."""
    pack = supervision_pack_stream(
        j,
        since=since,
        until=until,
        client=client,
        names=names,
        private=private,
        questions=questions,
        profile=profile,
    )
    pack["clients"] = list(pack["clients"])
    pack["reflections"] = list(pack["reflections"])
    return pack


def supervision_pack_stream(
    j: Journal,
    *,
    since: str | dt.date | None = None,
    until: str | dt.date | None = None,
    client: str | None = None,
    names: bool = False,
    private: bool = False,
    questions: list[str] | None = None,
    profile: bool = False,
) -> dict[str, Any]:
    """`supervision_pack()` with its two long lists, "clients" and "reflections", as iterators.

    Everything else (the totals, from SQL aggregates, the supervision, the
    questions) is there at once, and a bad --client or period is refused here. The
    clients come in pseudonym order, read and scrubbed a batch (`BATCH_ROWS`) at a time,
    and the coach's reflections a few hundred at a time, so a renderer writing
    each part as it comes never holds more than one batch. Take them in order,
    once each, while `j` is open.
    """
    start, end = supervision.window(since, until)
    only = None
    if client is not None:
        from coachlog.core.clients import resolve

        only = resolve(j, client)
    only_id = only.id if only else None
    everyone = store.clients(j)
    rows = {c["id"]: c for c in everyone}
    labels = {c["id"]: _label(c) for c in everyone}
    scrub: Callable[..., str | None]
    if names:

        def scrub(text: str | None, model: str | None = None) -> str | None:
            return text
    else:
        scrub = anonymiser(j, everyone, labels)
    del everyone

    def scrub_all(values: list[str]) -> list[str]:
        return [scrub(v) or "" for v in values]

    def scrub_key(key: str) -> str:
        # A deck of one's own may be made for one client ("calm-with-priya"): a name
        # in a card's or deck's key goes too, as the slug of what scrub makes of it.
        shown = scrub(key) or key
        return key if shown == key else content.slugify(shown)

    titles: dict[str, str] = {}

    def card_title(key: str | None) -> str | None:
        if key is None:
            return None
        if not titles:
            titles.update(_card_titles(j))
        return titles.get(key, key)

    def reflection(r: dict[str, Any]) -> dict[str, Any]:
        return {
            "on": r["on_date"],
            "at": r["at_time"],
            "title": scrub(r["title"]),
            "text": scrub(r["text"]),
            "card": scrub_key(r["card"]) if r["card"] else r["card"],
            "card_title": scrub(card_title(r["card"])),
            "perspective": r["perspective"],
            "question": scrub(r["question"]),
            "themes": r["themes"],
            "tags": scrub_all(r["tags"]),
        }

    def session(s: dict[str, Any], actions: list[dict[str, Any]]) -> dict[str, Any]:
        return {
            "number": s["number"],
            "on": s["on_date"],
            "at": s["at_time"],
            "minutes": s["minutes"],
            "mode": s["mode"],
            "format": s["format"],
            "model": s["model"],
            "themes": s["themes"],
            "cards": [scrub_key(c) for c in s["cards"]],
            "tags": scrub_all(s["tags"]),
            "notes": scrub(s["notes"], s["model"]),
            "private_notes": scrub(s["private_notes"], s["model"]) if private else None,
            "actions": [
                {"text": scrub(a["text"]), "due": a["due"], "done_on": a["done_on"]}
                for a in actions
            ],
        }

    # A client has a section for a session or a reflection in the period (and the one
    # client a --client pack is for, even without either), in pseudonym order.
    shown = store.pack_clients(j, start, end, only_id)
    if only is not None:
        shown.setdefault(only.id, 0)
    order = sorted(
        (cid for cid in shown if cid in rows), key=lambda c: (pseudonym_order(labels[c]), c)
    )

    def batches() -> Iterator[list[int]]:
        batch: list[int] = []
        size = 0
        for cid in order:
            if batch and (size + shown[cid] > BATCH_ROWS or len(batch) == CLIENT_BATCH):
                yield batch
                batch, size = [], 0
            batch.append(cid)
            size += shown[cid]
        if batch:
            yield batch

    def clients() -> Iterator[dict[str, Any]]:
        for batch in batches():
            by_client = {
                cid: {
                    "pseudonym": labels[cid],
                    "name": rows[cid]["name"] if names else None,
                    "relationship": rows[cid]["relationship"],
                    "sessions": [],
                    "goals": [],
                    "reflections": [],
                }
                for cid in batch
            }
            found = store.sessions(j, start, end, only_id, client_ids=batch)
            actions = store.actions_for_sessions(j, [s["id"] for s in found])
            for s in found:
                by_client[s["client_id"]]["sessions"].append(session(s, actions.get(s["id"], [])))
            del found, actions
            for r in store.reflections(j, start, end, only_id, client_ids=batch):
                by_client[r["client_id"]]["reflections"].append(reflection(r))
            for g in store.goals(j, batch, start, end):
                by_client[g["client_id"]]["goals"].append(
                    {
                        "title": scrub(g["title"]),
                        "status": g["status"],
                        "themes": g["themes"],
                        "baseline": g["baseline"],
                        "latest": g["latest"],
                    }
                )
            for cid in batch:
                entry = by_client.pop(cid)
                if profile:
                    entry["profile"] = _pack_profile(j, cid, end, scrub, scrub_key)
                yield entry

    def own_reflections() -> Iterator[dict[str, Any]]:
        if only is not None:
            return  # practice reflections may be about anyone: not in one client's pack
        for batch in store.reflection_batches(j, start, end, owner_only=True):
            yield from (reflection(r) for r in batch)

    supervised = supervision_store.in_window(j, start, end)
    pack = {
        "kind": "coachlog-supervision-pack",
        "version": PACK_VERSION,
        "generated_on": dates.today().isoformat(),
        "since": start.isoformat() if start else None,
        "until": end.isoformat() if end else None,
        "client": (only.name if names else labels[only.id]) if only else None,
        "anonymised": not names,
        "private_notes_included": private,
        "totals": _totals(j, start, end, only_id, scrub, scrub_key),
        "supervision": {
            "sessions": [
                {
                    "on": s.on.isoformat(),
                    "minutes": s.minutes,
                    "supervisor": scrub(s.supervisor),
                    "format": s.format.value,
                    "notes": scrub(s.notes),
                }
                for s in supervised
            ],
            # Over the whole practice in the period, even when the pack is for one client.
            "ratio": supervision.ratio(j, start, end),
        },
        "clients": clients(),
        "reflections": own_reflections(),
        "questions": [scrub(q) or "" for q in questions or [] if q.strip()],
    }
    if profile and only is None:
        pack["profile"] = _pack_profile(j, None, end, scrub, scrub_key)
    return pack


def _pack_profile(
    j: Journal,
    client_id: int | None,
    until: dt.date | None,
    scrub: Callable[..., str | None],
    scrub_key: Callable[[str], str],
) -> dict[str, Any] | None:
    """A person's latest behaviour profile up to `until`: scores and card titles, no names.

    A pack covers a period, so an assessment made after it is left out. The deck's
    titles are the coach's own words, and pass the anonymiser like any other.
    """
    from coachlog.core.profile import profile_for

    found = profile_for(j, client_id, None, None, until=until)
    if not found.assessments:
        return None
    data = to_json(found)
    keep = ("score", "previous", "first", "change", "change_since_first")
    return {
        "on": data["on"],
        "assessments": data["assessments"],
        "deck": scrub_key(data["deck"]),
        "previous_on": data["previous_on"],
        "first_on": data["first_on"],
        "cards": [
            {
                "key": scrub_key(c["key"]),
                "title": scrub(c["title"]) or "",
                "theme_title": scrub(c["theme_title"]) or "",
                **{k: c[k] for k in keep},
            }
            for c in data["cards"]
        ],
        "strengths": [scrub_key(k) for k in data["strengths"]],
        "develop": [scrub_key(k) for k in data["develop"]],
    }


def _totals(
    j: Journal,
    start: dt.date | None,
    end: dt.date | None,
    client_id: int | None,
    scrub: Callable[..., str | None],
    scrub_key: Callable[[str], str],
) -> dict[str, Any]:
    groups, clients = store.session_totals(j, start, end, client_id)

    def grouped(key: str) -> list[dict[str, Any]]:
        count: Counter[str] = Counter()
        minutes: Counter[str] = Counter()
        for g in groups:
            count[g[key]] += g["sessions"]
            minutes[g[key]] += g["minutes"]
        return [
            {key: value, "sessions": count[value], "minutes": minutes[value]}
            for value in sorted(count)
        ]

    theme_count = store.session_label_counts(j, "themes", start, end, client_id)
    card_count = store.session_label_counts(j, "cards", start, end, client_id)
    titles = _card_titles(j) if card_count else {}
    total = sum(g["minutes"] for g in groups)
    return {
        "sessions": sum(g["sessions"] for g in groups),
        "clients": clients,
        "minutes": total,
        "hours": supervision.hours(total),
        "by_format": grouped("format"),
        "by_relationship": grouped("relationship"),
        "themes": [
            {"key": t.key.value, "title": t.title, "sessions": theme_count.get(t.key.value, 0)}
            for t in content.themes()
        ],
        "cards": [
            {"key": scrub_key(key), "title": scrub(titles.get(key, key)) or "", "uses": uses}
            for key, uses in sorted(card_count.items(), key=lambda kv: (-kv[1], kv[0]))
        ],
    }


def hours_log(
    j: Journal, *, since: str | dt.date | None = None, until: str | dt.date | None = None
) -> dict[str, Any]:
    """The coaching-hours log for accreditation (shape in the module docstring)."""
    start, end = supervision.window(since, until)
    sessions = store.sessions(j, start, end)
    entries = [
        {
            "date": s["on_date"],
            "client": s["client"]
            if s["named_consent"]
            else _label({"id": s["client_id"], "pseudonym": s["pseudonym"]}),
            "relationship": s["relationship"],
            "minutes": s["minutes"],
            "hours": supervision.hours(s["minutes"]),
            "format": HOURS_FORMAT.get(s["format"], s["format"]),
            "payment": "pro bono" if s["pro_bono"] else "paid",
        }
        for s in sessions
    ]
    total = sum(e["minutes"] for e in entries)

    def minutes_where(key: str, value: str) -> int:
        return sum(e["minutes"] for e in entries if e[key] == value)

    return {
        "kind": "coachlog-hours-log",
        "version": HOURS_VERSION,
        "generated_on": dates.today().isoformat(),
        "since": start.isoformat() if start else None,
        "until": end.isoformat() if end else None,
        "entries": entries,
        "totals": {
            "sessions": len(entries),
            "clients": len({s["client_id"] for s in sessions}),
            "minutes": total,
            "hours": supervision.hours(total),
            "individual_minutes": minutes_where("format", "individual"),
            "group_minutes": minutes_where("format", "group"),
            "team_minutes": minutes_where("format", "team"),
            "paid_minutes": minutes_where("payment", "paid"),
            "pro_bono_minutes": minutes_where("payment", "pro bono"),
            "by_relationship": _by_relationship(entries),
        },
        "supervision": supervision.ratio(j, start, end),
    }


def _by_relationship(entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Sessions and minutes per relationship (coaching, mentoring, ...), most minutes first."""
    sessions: Counter[str] = Counter(e["relationship"] for e in entries)
    minutes: Counter[str] = Counter()
    for e in entries:
        minutes[e["relationship"]] += e["minutes"]
    return [
        {"relationship": rel, "sessions": sessions[rel], "minutes": minutes[rel]}
        for rel in sorted(minutes, key=lambda r: (-minutes[r], r))
    ]


# ---------------------------------------------------------------- writing files
