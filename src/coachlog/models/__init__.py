"""The journal's records: plain, frozen dataclasses for everything the store returns.

Reading the journal builds these records and nothing more: no validation, no
pydantic, so a read command (`session list`, `goal list`, ...) starts without
importing it (`tests/test_startup.py` checks). What a person types, a deck file
and an imported backup are checked by the pydantic models in
`coachlog.models.validation`, imported only on those paths.

The records' field names are the JSON contract in docs/contract.md (`to_json`
prints them in the order declared here), so rename nothing without a CHANGELOG
entry. `from_row` builds a record from a database row, converting SQLite's text
dates, 0/1 flags and enum values to the declared types and ignoring extra columns.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import types
import typing
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import Enum
from typing import Any, TypeVar

from coachlog.vocab import (
    CardTheme,
    CoachingModel,
    GoalStatus,
    Mode,
    OutcomeStage,
    Perspective,
    Relationship,
    SessionFormat,
    ThemeKey,
)

__all__ = [
    "CardTheme",
    "CoachingModel",
    "GoalStatus",
    "Mode",
    "OutcomeStage",
    "Perspective",
    "Relationship",
    "SessionFormat",
    "ThemeKey",
]

# ---------------------------------------------------------------- limits

NAME_MAX = 200
TITLE_MAX = 500
TAG_MAX = 50
TEXT_MAX = 1_000_000  # a million characters: a long note, never a pasted database
MINUTES_MAX = 24 * 60

# A record field that is for the terminal only, never printed by --json.
NOT_JSON = {"json": False}

# Every record is frozen (a read is a snapshot: change it with dataclasses.replace),
# keyword-only (rows are dicts) and slotted (small and quick to build in bulk).


# ---------------------------------------------------------------- records (what --json prints)


@dataclass(frozen=True, slots=True, kw_only=True)
class Theme:
    key: ThemeKey
    title: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Client:
    id: int
    name: str
    relationship: Relationship
    organisation: str | None
    email: str | None
    named_consent: bool
    archived: bool
    created_on: dt.date
    # "Client A": how anonymised exports name them, the same letter in every export.
    pseudonym: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Action:
    id: int
    text: str
    due: dt.date | None
    done_on: dt.date | None
    client_id: int | None
    client: str | None
    session_id: int | None
    created_on: dt.date


@dataclass(frozen=True, slots=True, kw_only=True)
class EngagementRef:
    """Where a session falls in its engagement: session `number` of `of` contracted."""

    id: int
    number: int
    of: int | None


@dataclass(frozen=True, slots=True, kw_only=True)
class Session:
    id: int
    client_id: int
    client: str
    number: int  # the nth session with this client, by date
    on: dt.date
    at: str | None
    minutes: int
    mode: Mode
    format: SessionFormat
    model: CoachingModel | None
    themes: list[ThemeKey]
    cards: list[str]
    tags: list[str]
    notes: str | None
    private_notes: str | None
    pro_bono: bool
    actions: list[Action] = field(default_factory=list)
    engagement: EngagementRef | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Engagement:
    """A contract of coaching with a client (or, client None, the owner's own)."""

    id: int
    client_id: int | None
    client: str | None
    started_on: dt.date
    ended_on: dt.date | None
    sessions_contracted: int | None
    sponsor: str | None
    sessions_held: int
    follow_up_due: dt.date | None  # six months after the end


@dataclass(frozen=True, slots=True, kw_only=True)
class Outcome:
    """One outcome check-in: the coachee's 0-10 self-ratings on the six themes."""

    id: int
    engagement_id: int
    client_id: int | None
    client: str | None
    stage: OutcomeStage
    on: dt.date
    scores: dict[str, int | None]  # theme key -> score, None where not rated


@dataclass(frozen=True, slots=True, kw_only=True)
class GoalScore:
    id: int
    goal_id: int
    score: int
    on: dt.date
    note: str | None


@dataclass(frozen=True, slots=True, kw_only=True)
class Goal:
    id: int
    title: str
    client_id: int | None
    client: str | None
    themes: list[ThemeKey]
    tags: list[str]
    due: dt.date | None
    status: GoalStatus
    created_on: dt.date
    closed_on: dt.date | None
    baseline: int | None
    latest: int | None
    scores: list[GoalScore] = field(default_factory=list)


@dataclass(frozen=True, slots=True, kw_only=True)
class Reflection:
    id: int
    on: dt.date
    at: str | None
    title: str | None
    text: str
    card: str | None
    deck: str | None
    perspective: Perspective | None
    question: str | None
    themes: list[ThemeKey]
    tags: list[str]
    client_id: int | None
    client: str | None
    goal_id: int | None
    session_id: int | None
    starred: bool
    private: bool = False  # kept out of share packs (`reflect --private`)
    # The client who shared it in a pack (a coach's journal), else None: their words,
    # not the journal owner's.
    shared_by: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Supervision:
    id: int
    on: dt.date
    minutes: int
    supervisor: str | None
    format: SessionFormat
    notes: str | None


@dataclass(frozen=True, slots=True, kw_only=True)
class SearchHit:
    """A search hit; `text` and `highlights` are for the terminal, not the JSON."""

    kind: str  # session | reflection | goal | action
    id: int
    date: dt.date | None
    client: str | None
    snippet: str  # the words around the match, the match between marks
    text: str = field(default="", metadata=NOT_JSON)  # the snippet without its marks
    highlights: list[tuple[int, int]] = field(default_factory=list, metadata=NOT_JSON)


# ---------------------------------------------------------------- behaviour cards


@dataclass(frozen=True, slots=True, kw_only=True)
class Indicators:
    """What a behaviour looks like in practice: when someone enables it, and obstructs it."""

    positive: list[str] = field(default_factory=list)
    negative: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True, kw_only=True)
class Card:
    """One behaviour card: its front (title, description) and back (three questions).

    `theme` is the card's group inside its deck (`being`, ... for the shipped deck);
    elsewhere in coachlog "theme" means an IES impact theme.
    """

    key: str
    title: str
    theme: str
    description: str
    source: str
    questions: dict[Perspective, str]
    # Optional in a deck file; always present (maybe empty lists) in --json.
    indicators: Indicators = field(default_factory=Indicators)
    deck: str = "nhs-system-leadership"


@dataclass(frozen=True, slots=True, kw_only=True)
class CardGroup:
    """A deck's theme group (for the shipped deck: Being, Relating & Communicating, ...)."""

    key: str
    title: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Deck:
    """A whole deck: the shipped one or a user's own (validated when it was imported)."""

    name: str
    title: str
    source: str
    themes: list[CardGroup]
    cards: list[Card]
    builtin: bool = False


def deck_from_data(data: Mapping[str, Any], *, builtin: bool = False) -> Deck:
    """A deck from data already checked: the shipped file, or a stored import's JSON.

    Each card belongs to the deck it is in, whatever its data says. A user's own
    file is checked first by `content.parse_deck`; this only builds the records.
    """
    name = data["name"]
    return Deck(
        name=name,
        title=data["title"],
        source=data["source"],
        themes=[from_row(CardGroup, t) for t in data["themes"]],
        cards=[from_row(Card, {**c, "deck": name}) for c in data["cards"]],
        builtin=builtin,
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class Drawn:
    """A card drawn to reflect on, with the perspective and question to answer."""

    card: Card
    perspective: Perspective
    question: str


@dataclass(frozen=True, slots=True, kw_only=True)
class DeckInfo:
    """One line of `cards decks`."""

    name: str
    title: str
    source: str
    themes: int
    cards: int
    builtin: bool
    imported_on: dt.date | None


# ---------------------------------------------------------------- behaviour profiles


@dataclass(frozen=True, slots=True, kw_only=True)
class Assessment:
    """One self-assessment: a 0-10 score for every card of a deck, on one day."""

    id: int
    client_id: int | None
    client: str | None  # None: the journal's owner
    deck: str
    on: dt.date
    scores: dict[str, int]  # card key -> 0-10, in the deck's order as rated


@dataclass(frozen=True, slots=True, kw_only=True)
class ProfileCard:
    """One behaviour in a profile: its latest score and how it moved."""

    key: str
    title: str
    theme: str  # the card's group in its deck
    theme_title: str
    score: int
    previous: int | None  # in the assessment before the latest; None if none or not rated
    first: int | None  # in the first assessment, when there are at least two
    change: int | None  # score - previous
    change_since_first: int | None  # score - first


@dataclass(frozen=True, slots=True, kw_only=True)
class Profile:
    """The latest assessment of one person on one deck, compared with earlier ones."""

    client: str | None
    deck: str
    assessments: int
    id: int | None
    on: dt.date | None
    previous_on: dt.date | None
    first_on: dt.date | None
    cards: list[ProfileCard]
    strengths: list[str]
    develop: list[str]
    tie_break: str


# ---------------------------------------------------------------- rows in, JSON out

R = TypeVar("R")
_Convert = Callable[[Any], Any]


def _same(value: Any) -> Any:
    return value


def _converter(hint: Any) -> _Convert:
    """How to turn a stored value into `hint`'s type (None stays None)."""
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        inner = [a for a in typing.get_args(hint) if a is not type(None)]
        convert = _converter(inner[0]) if len(inner) == 1 else _same
        return lambda v: None if v is None else convert(v)
    if origin is list:
        (item,) = typing.get_args(hint)
        each = _converter(item)
        # Always a new list: a record never shares a list with the data it came from.
        return list if each is _same else (lambda v: [each(x) for x in v])
    if origin is dict:
        key_type, value_type = typing.get_args(hint)
        key, value = _converter(key_type), _converter(value_type)
        return lambda v: {key(k): value(x) for k, x in v.items()}
    if hint is dt.date:
        return lambda v: v if isinstance(v, dt.date) else dt.date.fromisoformat(v)
    if hint is bool:
        return bool
    if isinstance(hint, type) and issubclass(hint, Enum):
        return hint
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        return lambda v: v if isinstance(v, hint) else from_row(hint, v)
    return _same


_CONVERTERS: dict[type[Any], tuple[tuple[str, _Convert], ...]] = {}


def _converters(cls: type[Any]) -> tuple[tuple[str, _Convert], ...]:
    found = _CONVERTERS.get(cls)
    if found is None:
        hints = typing.get_type_hints(cls)
        found = tuple((f.name, _converter(hints[f.name])) for f in dataclasses.fields(cls))
        _CONVERTERS[cls] = found
    return found


def from_row(cls: type[R], row: Mapping[str, Any]) -> R:
    """Build the record `cls` from a row: stored text and flags become dates, enums, bools.

    Columns the record does not have are ignored; a field missing from the row
    takes its default (or raises TypeError, a bug in the query).
    """
    return cls(**{name: convert(row[name]) for name, convert in _converters(cls) if name in row})


def to_json(value: Any) -> Any:
    """`value` in JSON types: records become objects (fields in order), dates ISO text."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {
            f.name: to_json(getattr(value, f.name))
            for f in dataclasses.fields(value)
            if f.metadata.get("json", True)
        }
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return [to_json(v) for v in value]
    if isinstance(value, dict):
        return {to_json(k) if isinstance(k, Enum) else k: to_json(v) for k, v in value.items()}
    if hasattr(value, "model_dump"):  # a pydantic model (coachlog.models.validation)
        return value.model_dump(mode="json")
    return value


def as_dict(value: Any) -> dict[str, Any]:
    """A record's fields as a dict, one level deep (nested records stay records)."""
    return {f.name: getattr(value, f.name) for f in dataclasses.fields(value)}
