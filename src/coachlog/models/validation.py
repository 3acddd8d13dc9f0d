"""Validation for everything that comes in: what a person types, a deck file, a backup.

Everything a user types passes through one of the `...In` models before it reaches
the database, so the same rules (a name of 1-200 characters, a score from 0 to 10,
a real calendar date) hold whether the value came from a flag, a prompt or an
imported file. Decks (`DeckIn`, `CardIn`) are validated here too, as they are read
from TOML files a person may write; what is read back is a plain `models.Deck`.

This is the only module of `models` that imports pydantic (about 100 ms of start-up),
so it is imported only on the paths that validate; reading the journal builds the
plain records of `coachlog.models` instead.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any, TypeVar

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from coachlog.errors import InvalidInput
from coachlog.models import MINUTES_MAX, NAME_MAX, TAG_MAX, TEXT_MAX, TITLE_MAX
from coachlog.vocab import (
    CoachingModel,
    Mode,
    Perspective,
    Relationship,
    SessionFormat,
    ThemeKey,
)

# ---------------------------------------------------------------- limits and text rules

EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def _utf8(value: str) -> str:
    # Bytes the terminal could not decode reach Python as lone surrogates, which
    # SQLite cannot store; refuse them here as bad input rather than fail later.
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("contains bytes that are not UTF-8 text") from None
    return value


def _no_nul(value: str) -> str:
    # SQLite and FTS5 cut text at NUL; refusing it keeps "stored verbatim" true.
    if "\x00" in value:
        raise ValueError("contains a NUL character, which cannot be stored")
    return _utf8(value)


def _single_line(value: str) -> str:
    value = _utf8(value).strip()
    if _CONTROL_RE.search(value) or "\n" in value or "\t" in value:
        raise ValueError("must be one line of plain text, without control characters")
    return value


def _nonempty(value: str) -> str:
    if not value.strip():
        raise ValueError("must not be empty")
    return value


Name = Annotated[
    str,
    AfterValidator(_single_line),
    AfterValidator(_nonempty),
    Field(max_length=NAME_MAX),
]
ShortText = Annotated[str, AfterValidator(_single_line), Field(max_length=NAME_MAX)]
Title = Annotated[
    str, AfterValidator(_single_line), AfterValidator(_nonempty), Field(max_length=TITLE_MAX)
]
LongText = Annotated[str, AfterValidator(_no_nul), Field(max_length=TEXT_MAX)]
Tag = Annotated[
    str, AfterValidator(_single_line), AfterValidator(_nonempty), Field(max_length=TAG_MAX)
]
Score = Annotated[int, Field(ge=0, le=10)]
Minutes = Annotated[int, Field(ge=1, le=MINUTES_MAX)]
CardKey = Annotated[str, Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", max_length=80)]


def _dedupe(values: list[Any]) -> list[Any]:
    """Keep the first of each repeated value, in the order given."""
    seen: list[Any] = []
    for value in values:
        if value not in seen:
            seen.append(value)
    return seen


ThemeList = Annotated[list[ThemeKey], AfterValidator(_dedupe)]
CardList = Annotated[list[CardKey], AfterValidator(_dedupe)]
TagList = Annotated[list[Tag], AfterValidator(_dedupe)]


class _In(BaseModel):
    """Base for validated input: strict about unknown fields and whitespace."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=False, defer_build=True)


# ---------------------------------------------------------------- inputs


class ClientIn(_In):
    name: Name
    relationship: Relationship = Relationship.coaching
    organisation: ShortText | None = None
    email: ShortText | None = None
    named_consent: bool = False

    @field_validator("email")
    @classmethod
    def _email(cls, value: str | None) -> str | None:
        if value is None or value == "":
            return None
        if not EMAIL_RE.match(value):
            raise ValueError(f"'{value}' is not an e-mail address")
        return value

    @field_validator("organisation")
    @classmethod
    def _blank_is_none(cls, value: str | None) -> str | None:
        return value or None


class SessionIn(_In):
    client_id: int
    on: dt.date
    at: str | None = None
    minutes: Minutes
    mode: Mode = Mode.in_person
    format: SessionFormat = SessionFormat.one_to_one
    model: CoachingModel | None = None
    themes: ThemeList = []
    cards: CardList = []
    tags: TagList = []
    notes: LongText | None = None
    private_notes: LongText | None = None
    pro_bono: bool = False


class ActionIn(_In):
    text: Title
    due: dt.date | None = None
    client_id: int | None = None
    session_id: int | None = None


class GoalIn(_In):
    title: Title
    client_id: int | None = None
    themes: ThemeList = []
    tags: TagList = []
    due: dt.date | None = None
    score: Score | None = None
    on: dt.date | None = None


class ScoreIn(_In):
    goal_id: int
    score: Score
    on: dt.date
    note: LongText | None = None


class ReflectionIn(_In):
    text: LongText
    on: dt.date
    at: str | None = None
    title: Title | None = None
    card: CardKey | None = None
    deck: str | None = None
    perspective: Perspective | None = None
    question: LongText | None = None
    themes: ThemeList = []
    tags: TagList = []
    client_id: int | None = None
    goal_id: int | None = None
    session_id: int | None = None
    starred: bool = False
    private: bool = False  # never goes in a share pack

    @field_validator("text")
    @classmethod
    def _text_nonempty(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("is empty: nothing to save")
        return value


class SupervisionIn(_In):
    on: dt.date
    minutes: Minutes
    supervisor: ShortText | None = None
    format: SessionFormat = SessionFormat.one_to_one
    notes: LongText | None = None


# ---------------------------------------------------------------- decks (validated from TOML)


class Record(BaseModel):
    model_config = ConfigDict(from_attributes=True, defer_build=True)


Indicator = Annotated[str, AfterValidator(_nonempty), Field(max_length=400)]


class IndicatorsIn(Record):
    """The rules for a card's indicators in a deck file (the record: models.Indicators)."""

    model_config = ConfigDict(extra="forbid")

    positive: Annotated[list[Indicator], Field(max_length=20)] = []
    negative: Annotated[list[Indicator], Field(max_length=20)] = []


class CardIn(Record):
    """The rules for one card in a deck file or a backup (the record: models.Card)."""

    key: CardKey
    title: Title
    theme: CardKey
    description: Annotated[str, AfterValidator(_nonempty), Field(max_length=4000)]
    source: Annotated[str, AfterValidator(_nonempty), Field(max_length=200)]
    questions: dict[Perspective, Annotated[str, AfterValidator(_nonempty)]]
    # Optional in a deck file; always present (maybe empty lists) in --json.
    indicators: IndicatorsIn = Field(default_factory=IndicatorsIn)
    deck: str = "nhs-system-leadership"

    @field_validator("questions")
    @classmethod
    def _three_perspectives(cls, value: dict[Perspective, str]) -> dict[Perspective, str]:
        missing = [p.value for p in Perspective if p not in value]
        if missing:
            raise ValueError(
                "needs a question for each perspective; missing: " + ", ".join(missing)
            )
        return value


class CardGroupIn(Record):
    """The rules for a deck's theme group (the record: models.CardGroup)."""

    key: CardKey
    title: Title


class DeckIn(Record):
    """The rules for a whole deck file or a backup's deck (the record: models.Deck)."""

    name: CardKey
    title: Title
    source: str
    themes: list[CardGroupIn]
    cards: list[CardIn]
    builtin: bool = False

    @model_validator(mode="after")
    def _consistent(self) -> DeckIn:
        group_keys = [g.key for g in self.themes]
        if len(set(group_keys)) != len(group_keys):
            raise ValueError("theme keys must be unique")
        card_keys = [c.key for c in self.cards]
        if len(set(card_keys)) != len(card_keys):
            raise ValueError("card keys must be unique")
        if not self.cards:
            raise ValueError("a deck needs at least one card")
        for card in self.cards:
            if card.theme not in group_keys:
                raise ValueError(
                    f"card '{card.key}' has theme '{card.theme}', not one of the deck's themes"
                )
        return self


# ---------------------------------------------------------------- validation entry point

M = TypeVar("M", bound=BaseModel)

# How a model field is named to the user: the flag they typed.
FIELD_LABELS = {
    "name": "NAME",
    "client_id": "--client",
    "on": "--on",
    "at": "--at",
    "minutes": "--minutes",
    "mode": "--mode",
    "format": "--format",
    "model": "--model",
    "themes": "--theme",
    "cards": "--card",
    "tags": "--tag",
    "notes": "--notes",
    "private_notes": "--private-notes",
    "email": "--email",
    "organisation": "--organisation",
    "relationship": "--relationship",
    "score": "SCORE",
    "due": "--due",
    "title": "TITLE",
    "text": "--text",
    "perspective": "--perspective",
    "supervisor": "--supervisor",
}


def validate(model: type[M], /, **data: Any) -> M:
    """Build `model` from `data`, turning pydantic's errors into one InvalidInput line."""
    try:
        return model(**data)
    except ValidationError as exc:
        first = exc.errors()[0]
        field = str(first["loc"][0]) if first["loc"] else ""
        label = FIELD_LABELS.get(field, field)
        message = str(first["msg"]).removeprefix("Value error, ")
        if first["type"] in ("string_too_long", "too_long"):
            limit = first.get("ctx", {}).get("max_length")
            message = f"is too long (at most {limit} characters)"
        elif first["type"] in ("greater_than_equal", "less_than_equal"):
            if field == "score":
                message = f"must be a whole number from 0 to 10, not {first['input']}"
            elif field == "minutes":
                message = f"must be from 1 to {MINUTES_MAX}, not {first['input']}"
        elif first["type"] == "enum":
            expected = first.get("ctx", {}).get("expected", "")
            message = f"'{first['input']}' is not one of {expected}"
        elif first["type"] == "string_pattern_mismatch":
            message = f"'{first['input']}' is not a valid key (lower-case words joined by '-')"
        raise InvalidInput(f"{label} {message}.".replace("..", ".")) from None
