"""Behaviour profiles: a person's own 0-10 rating of every behaviour in a deck, and
how it has moved.

The behaviour cards exist to help a leader see where their strengths lie and where
more development is needed. `rate` stores one self-assessment (an `Assessment`):
a whole-number score from 0 to 10 for every card of one deck, on one day, for the
journal's owner or a client. `profile` takes the person's latest assessment of a
deck and compares every card with the assessment before it (`previous`) and with
the first one (`first`).

Strengths and development areas, three of each, are chosen by these rules (they
are what `tie_break` says, and what README documents):

- a strength is one of the highest scores, and only a card that scores above the
  lowest score of the assessment (when every card scores the same, nothing stands
  out and both lists are empty);
- a development area is one of the lowest scores among the cards that are not
  strengths, and only a card that scores below the highest score;
- equal scores are ordered by the change since the previous assessment (for
  strengths the bigger rise first, for development areas the bigger fall first;
  no previous assessment counts as no change), then by the deck's own order.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from coachlog import content, dates
from coachlog.core import cards as cards_core
from coachlog.errors import InvalidInput, NotFound
from coachlog.models import Assessment, Deck, Profile, ProfileCard
from coachlog.store import profile as store
from coachlog.store.db import Journal

TOP = 3
SCALE = "0 = not at all like me, 10 = exactly like me"
TIE_BREAK = (
    "Equal scores: for strengths the bigger rise since the previous assessment comes "
    "first, for areas to develop the bigger fall; then the deck's order."
)
_HISTORY_HINT = "'coachlog profile history' lists assessments with their ids."


def who(j: Journal, client: str | int | None, me: bool) -> tuple[int | None, str]:
    """(client id, or None for the owner; how to name them). Neither flag means you."""
    if client is not None and me:
        raise InvalidInput("Give --client or --me, not both.")
    if client is None:
        return None, "you"
    from coachlog.core.clients import resolve

    found = resolve(j, client)
    return found.id, found.name


# ---------------------------------------------------------------- scores as typed


def parse_card_scores(values: Iterable[str]) -> dict[str, int]:
    """`--card KEY=N` flags to {typed key: score}; a bad one is a usage error."""
    out: dict[str, int] = {}
    for value in values:
        key, sep, number = value.partition("=")
        if not sep or not key.strip():
            raise InvalidInput(
                f"--card '{_clip(value)}' is not KEY=N.", hint="For example: --card resilience=6"
            )
        text = number.strip()
        # Length first: int() raises ValueError past 4300 digits.
        if not (text.isascii() and text.isdigit()) or len(text) > 9 or not 0 <= int(text) <= 10:
            raise InvalidInput(
                f"--card {_clip(key.strip())}: the score must be a whole number from 0 to 10, "
                f"not '{_clip(text)}'."
            )
        if key.strip() in out:
            raise InvalidInput(f"--card {_clip(key.strip())} is given twice; give each card once.")
        out[key.strip()] = int(text)
    return out


def _clip(typed: str, limit: int = 40) -> str:
    """What was typed, cut short for an error message."""
    return typed if len(typed) <= limit else typed[: limit - 1] + "…"


def _by_card(deck: Deck, scores: dict[str, int], *, complete: bool) -> dict[str, int]:
    """Typed keys (or titles) to the deck's card keys, in the deck's order.

    With `complete`, every card of the deck must be there, and the error names each
    one missing.
    """
    keys = [c.key for c in deck.cards]
    found: dict[str, int] = {}
    for typed, score in scores.items():
        key = content.slugify(typed)
        if key not in keys:
            raise InvalidInput(
                f"--card {_clip(typed)}: there is no card '{_clip(typed)}' in the deck "
                f"'{deck.name}'.",
                hint="'coachlog cards list' shows every card's key.",
            )
        if key in found:
            raise InvalidInput(f"--card {key} is given twice; give each card once.")
        if not 0 <= score <= 10:
            raise InvalidInput(f"--card {key}: the score must be from 0 to 10, not {score}.")
        found[key] = score
    if complete:
        missing = [k for k in keys if k not in found]
        if missing:
            raise InvalidInput(
                f"Missing a score for {len(missing)} of the {len(keys)} cards: "
                + ", ".join(missing)
                + ". Give each as --card KEY=N (0-10)."
            )
    return {k: found[k] for k in keys if k in found}


def check_scores(deck: Deck, scores: dict[str, int]) -> dict[str, int]:
    """The scores given so far, by the deck's card keys; a card not in the deck is refused.

    For a terminal, before asking for the rest, so a typo is reported at once.
    """
    return _by_card(deck, scores, complete=False)


# ---------------------------------------------------------------- writing


def rate(
    j: Journal,
    client: str | int | None = None,
    *,
    me: bool = False,
    scores: dict[str, int],
    on: str | dt.date | None = None,
    deck: str | None = None,
) -> Assessment:
    """Store one self-assessment: a 0-10 score for every card of the deck."""
    day = dates.happened(dates.parse_date(on, "--on") if on is not None else dates.today(), "--on")
    chosen = cards_core.get_deck(j, deck)
    checked = _by_card(chosen, scores, complete=True)
    with j.write():
        client_id, _ = who(j, client, me)
        new_id = store.insert(j, client_id, chosen.name, day.isoformat(), checked)
        return get(j, new_id)


def get(j: Journal, assessment_id: int) -> Assessment:
    found = store.by_id(j, assessment_id)
    if found is None:
        raise NotFound(f"No assessment {assessment_id}.", hint=_HISTORY_HINT)
    return found


def edit(
    j: Journal,
    assessment_id: int,
    *,
    scores: dict[str, int] | None = None,
    on: str | dt.date | None = None,
) -> Assessment:
    """Correct some scores (only the cards given) and/or the date of an assessment."""
    if not scores and on is None:
        raise InvalidInput(
            "Nothing to change: give --card KEY=N or --on DATE.",
            hint="For example: coachlog profile edit 3 --card resilience=6",
        )
    day = dates.happened(dates.parse_date(on, "--on"), "--on") if on is not None else None
    with j.write():
        found = get(j, assessment_id)
        if scores:
            deck = cards_core.get_deck(j, found.deck)
            store.set_scores(j, assessment_id, _by_card(deck, scores, complete=False))
        if day is not None:
            store.set_date(j, assessment_id, day.isoformat())
        return get(j, assessment_id)


def delete(j: Journal, assessment_id: int) -> Assessment:
    with j.write():
        found = get(j, assessment_id)
        store.delete(j, assessment_id)
        return found


def history(
    j: Journal, client: str | int | None = None, *, me: bool = False, everyone: bool = False
) -> list[Assessment]:
    """A person's assessments (or everyone's), oldest first."""
    if everyone:
        return store.find(j, everyone=True)
    client_id, _ = who(j, client, me)
    return store.find(j, client_id=client_id)


# ---------------------------------------------------------------- the profile


def _minus(a: int | None, b: int | None) -> int | None:
    return None if a is None or b is None else a - b


def _choose(cards: Sequence[ProfileCard]) -> tuple[list[str], list[str]]:
    """(strengths, develop) by the rules in the module docstring."""
    if not cards:
        return [], []
    order = {c.key: i for i, c in enumerate(cards)}
    low = min(c.score for c in cards)
    high = max(c.score for c in cards)
    strong = sorted(
        (c for c in cards if c.score > low),
        key=lambda c: (-c.score, -(c.change or 0), order[c.key]),
    )[:TOP]
    taken = {c.key for c in strong}
    weak = sorted(
        (c for c in cards if c.score < high and c.key not in taken),
        key=lambda c: (c.score, c.change or 0, order[c.key]),
    )[:TOP]
    return [c.key for c in strong], [c.key for c in weak]


def build(
    deck: Deck | None, deck_name: str, client: str | None, found: list[Assessment]
) -> Profile:
    """The profile of `found` (one person's assessments of one deck, oldest first)."""
    if not found:
        return Profile(
            client=client,
            deck=deck_name,
            assessments=0,
            id=None,
            on=None,
            previous_on=None,
            first_on=None,
            cards=[],
            strengths=[],
            develop=[],
            tie_break=TIE_BREAK,
        )
    latest = found[-1]
    previous = found[-2] if len(found) > 1 else None
    first = found[0] if len(found) > 1 else None
    known = {c.key: c for c in deck.cards} if deck is not None else {}
    groups = {g.key: g.title for g in deck.themes} if deck is not None else {}
    # The deck's order, then any card the deck no longer has (a replaced deck).
    keys = [k for k in known if k in latest.scores]
    keys += [k for k in latest.scores if k not in known]
    rows = []
    for key in keys:
        score = latest.scores[key]
        before = previous.scores.get(key) if previous else None
        start = first.scores.get(key) if first else None
        card = known.get(key)
        theme = card.theme if card else ""
        rows.append(
            ProfileCard(
                key=key,
                title=card.title if card else key,
                theme=theme,
                theme_title=groups.get(theme, theme or "Other"),
                score=score,
                previous=before,
                first=start,
                change=_minus(score, before),
                change_since_first=_minus(score, start),
            )
        )
    strengths, develop = _choose(rows)
    return Profile(
        client=client,
        deck=deck_name,
        assessments=len(found),
        id=latest.id,
        on=latest.on,
        previous_on=previous.on if previous else None,
        first_on=first.on if first else None,
        cards=rows,
        strengths=strengths,
        develop=develop,
        tie_break=TIE_BREAK,
    )


def _deck_or_none(j: Journal, name: str) -> Deck | None:
    try:
        return cards_core.get_deck(j, name)
    except NotFound:
        return None


def profile_for(
    j: Journal,
    client_id: int | None,
    client: str | None,
    deck: str | None,
    *,
    until: dt.date | None = None,
) -> Profile:
    """The profile of one person (by id) on `deck`, else on the deck they rated last.

    With `until` (a supervision pack's period), assessments after that day are left out.
    """
    day = until.isoformat() if until is not None else None
    if deck is not None:
        chosen = cards_core.get_deck(j, deck)
        name = chosen.name
    else:
        name = store.latest_deck(j, client_id, until=day) or content.SHIPPED_DECK
    found = store.find(j, client_id=client_id, deck=name, until=day)
    return build(_deck_or_none(j, name), name, client, found)


def profile(
    j: Journal, client: str | int | None = None, *, me: bool = False, deck: str | None = None
) -> Profile:
    client_id, name = who(j, client, me)
    return profile_for(j, client_id, None if client_id is None else name, deck)


def develop_areas(j: Journal, client_id: int | None, deck: str | None = None) -> list[str]:
    """The person's cards to develop on `deck` (the shipped one by default); [] if none."""
    name = deck or content.SHIPPED_DECK
    if deck is not None:
        name = cards_core.get_deck(j, deck).name
    found = store.find(j, client_id=client_id, deck=name)
    if not found:
        return []
    return build(_deck_or_none(j, name), name, None, found).develop


def ties_decided(profile: Profile) -> bool:
    """Whether equal scores decided who is in the strengths or develop list."""
    chosen = {"strengths": set(profile.strengths), "develop": set(profile.develop)}
    for keys in chosen.values():
        if not keys:
            continue
        inside = {c.score for c in profile.cards if c.key in keys}
        outside = [
            c
            for c in profile.cards
            if c.key not in chosen["strengths"] | chosen["develop"] and c.score in inside
        ]
        if outside:
            return True
    return False
