"""Outcome check-ins on the six IES themes, the outcomes table of `progress`, and the
anonymous outcomes export.

A check-in is the coachee's own 0-10 rating of each theme at one stage of an
engagement: `before` coaching, at its `end`, and at the `follow-up` six months
after the end (the design of the NHS evaluations the themes come from). Either
person may record it. It belongs to the person's open engagement, else their most
recent one (or the one `--engagement` names); one check-in per stage.

`export` writes one anonymous record per engagement (docs/outcomes-export.md):
the relationship type, sessions held and contracted, the months it started and
ended, and the scores. Nothing else leaves: no names, notes, exact dates, sponsor
or journal ids, and the records are sorted by their content, not by when they were
added, so their order says nothing about the journal either.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from typing import Any, TypedDict

from coachlog import dates
from coachlog.core import engagements
from coachlog.errors import Conflict, InvalidInput, NotFound, Refused
from coachlog.models import Engagement, Outcome
from coachlog.store import engagements as store
from coachlog.store.db import Journal
from coachlog.text import json_safe
from coachlog.vocab import OutcomeStage, ThemeKey

THEMES = [t.value for t in ThemeKey]
EXPORT_FORMAT = "coachlog-outcomes"
EXPORT_VERSION = 1

# One question per theme, in the coachee's own words (0 = not at all, 10 = fully).
QUESTIONS = {
    "strategic": "How well do you step back and take an objective, strategic view of your work?",
    "prioritisation": "How well do you decide what matters most and prioritise your work?",
    "confidence": "How confident do you feel in your role?",
    "influence": "How well can you influence the people who matter to your work?",
    "team": "How well do you lead and manage your team?",
    "self-presentation": "How well do you present yourself, e.g. in job applications "
    "and interviews?",
}
SCALE = "0 = not at all, 10 = as well as you could wish"


def _stage(value: OutcomeStage | str | None) -> OutcomeStage:
    try:
        return OutcomeStage(str(value).strip().lower())
    except ValueError:
        raise InvalidInput(f"--stage '{value}' is not one of: before, end, follow-up.") from None


def _scores(scores: dict[str, int | None]) -> dict[str, int | None]:
    out: dict[str, int | None] = {}
    for key in THEMES:
        value = scores.get(key)
        if value is not None and not 0 <= value <= 10:
            raise InvalidInput(f"--{key} must be a whole number from 0 to 10, not {value}.")
        out[key] = value
    unknown = set(scores) - set(THEMES)
    if unknown:
        raise TypeError(f"unknown themes: {sorted(unknown)}")
    if all(v is None for v in out.values()):
        raise InvalidInput(
            "Give a score for at least one theme, e.g. --confidence 6.",
            hint="'coachlog outcome record --help' lists the six theme flags.",
        )
    return out


def target_engagement(
    j: Journal, client: str | int | None, me: bool, engagement_id: int | None
) -> Engagement:
    """The engagement a check-in belongs to: the one named, else open, else latest."""
    if engagement_id is not None:
        found = engagements.get(j, engagement_id)
        if client is not None or me:
            client_id, name = engagements.who(j, client, me)
            if found.client_id != client_id:
                raise Conflict(f"Engagement {engagement_id} is not {name}'s.")
        return found
    return engagements.latest(j, None if client is None else str(client), me=me)


def record(
    j: Journal,
    client: str | int | None = None,
    *,
    me: bool = False,
    stage: OutcomeStage | str | None,
    scores: dict[str, int | None],
    on: str | dt.date | None = None,
    engagement: int | None = None,
) -> Outcome:
    """Store one check-in; refused if that stage is already recorded for the engagement."""
    chosen = _stage(stage)
    checked = _scores(scores)
    day = dates.happened(dates.parse_date(on, "--on"), "--on") if on else dates.today()
    with j.write():
        target = target_engagement(j, client, me, engagement)
        if chosen is OutcomeStage.follow_up and target.ended_on is None:
            raise Refused(
                "The follow-up is for after an engagement has ended; this one is still open.",
                hint="End it first with 'coachlog engagement end', or record --stage end.",
            )
        if chosen is not OutcomeStage.before:
            # The end check-in cannot precede the start, nor the follow-up the end.
            if chosen is OutcomeStage.end:
                limit, event = target.started_on, "started"
            else:
                limit, event = target.ended_on or target.started_on, "ended"
            dates.not_before(
                day,
                limit,
                "--on",
                f"engagement {target.id} {event}",
                hint=f"Check the date, or correct the engagement: coachlog engagement edit "
                f"{target.id}",
            )
        existing = store.outcome_for_stage(j, target.id, chosen.value)
        if existing is not None:
            raise Conflict(
                f"Engagement {target.id} already has a '{chosen.value}' check-in "
                f"(outcome {existing}).",
                hint=f"To correct it: coachlog outcome delete {existing} --yes, then record "
                "it again.",
            )
        outcome_id = store.insert_outcome(j, target.id, chosen.value, day.isoformat(), checked)
        found = store.outcome_by_id(j, outcome_id)
        assert found is not None
        return found


def list_outcomes(j: Journal, client: str | None = None, *, me: bool = False) -> list[Outcome]:
    if client is None and not me:
        return store.find_outcomes(j)
    client_id, _ = engagements.who(j, client, me)
    return store.find_outcomes(j, client_id=client_id, scope="one")


def get(j: Journal, outcome_id: int) -> Outcome:
    found = store.outcome_by_id(j, outcome_id)
    if found is None:
        raise NotFound(
            f"No outcome check-in {outcome_id}.",
            hint="'coachlog outcome list' shows check-ins with their ids.",
        )
    return found


def delete(j: Journal, outcome_id: int) -> Outcome:
    with j.write():
        found = get(j, outcome_id)
        store.delete_outcome(j, outcome_id)
        return found


# ---------------------------------------------------------------- progress' outcomes table


class OutcomeRow(TypedDict):
    key: str
    before: int | None
    end: int | None
    follow_up: int | None
    change_end: int | None
    change_follow_up: int | None


def _minus(a: int | None, b: int | None) -> int | None:
    return None if a is None or b is None else a - b


def outcomes_table(j: Journal, client_id: int | None) -> tuple[int | None, list[OutcomeRow]]:
    """(engagement id, rows) for the person's latest engagement that has check-ins."""
    found = store.find_outcomes(j, client_id=client_id, scope="one")
    if not found:
        return None, [
            OutcomeRow(
                key=k,
                before=None,
                end=None,
                follow_up=None,
                change_end=None,
                change_follow_up=None,
            )
            for k in THEMES
        ]
    engagement_id = found[-1].engagement_id
    stages = {o.stage.value: o.scores for o in found if o.engagement_id == engagement_id}
    rows = []
    for key in THEMES:
        before = stages.get("before", {}).get(key)
        end = stages.get("end", {}).get(key)
        follow = stages.get("follow-up", {}).get(key)
        rows.append(
            OutcomeRow(
                key=key,
                before=before,
                end=end,
                follow_up=follow,
                change_end=_minus(end, before),
                change_follow_up=_minus(follow, before),
            )
        )
    return engagement_id, rows


# ---------------------------------------------------------------- the anonymous export


def _month(iso: str | None) -> str | None:
    return iso[:7] if iso else None


def export_document(j: Journal, since: str | dt.date | None = None) -> dict[str, Any]:
    """The anonymous outcomes export (see the module docstring and docs/outcomes-export.md)."""
    lo = dates.parse_date(since, "--since").isoformat() if since else None
    records = []
    for row in store.export_rows(j, lo):
        records.append(
            {
                "relationship": row["relationship"],
                "sessions_held": row["sessions_held"],
                "sessions_contracted": row["sessions_contracted"],
                "start_month": _month(row["started_on"]),
                "end_month": _month(row["ended_on"]),
                "before": row["outcomes"].get("before"),
                "end": row["outcomes"].get("end"),
                "follow_up": row["outcomes"].get("follow-up"),
            }
        )
    # Content order, never journal order: the order must not hint at ids or dates.
    records.sort(key=lambda r: json.dumps(r, sort_keys=True))
    return {
        "format": EXPORT_FORMAT,
        "version": EXPORT_VERSION,
        # Random for each export, kept nowhere: it joins to nothing, it only lets a
        # programme report count one export once however many copies it is given.
        "export_id": uuid.uuid4().hex,
        "themes": THEMES,
        "engagements": records,
    }


def export_text(j: Journal, since: str | dt.date | None = None) -> tuple[str, int]:
    doc = export_document(j, since)
    return json_safe(json.dumps(doc, ensure_ascii=False, indent=1)) + "\n", len(doc["engagements"])
