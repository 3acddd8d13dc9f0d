"""Shipped, read-only content and the loader for it: the six IES impact themes that
`progress` reports against, the NHS system-leadership behaviour deck (13 cards, each with
a self, organisation and system question), and the stages of the GROW, CLEAR and OSKAR
coaching models, and the made-up cast and phrases of `coachlog demo` (demo.toml). The
data lives in TOML files beside this module so that it can be read
and corrected without touching code; `parse_deck` also validates a user's own deck in the
same shape, turning every problem into one plain `InvalidInput` sentence.
"""

from __future__ import annotations

import functools
import re
import tomllib
import unicodedata
from dataclasses import dataclass
from importlib.resources import files
from typing import TYPE_CHECKING, Any, TypeVar

from coachlog.errors import InvalidInput
from coachlog.models import (
    CoachingModel,
    Deck,
    Mode,
    Perspective,
    Relationship,
    Theme,
    ThemeKey,
    deck_from_data,
)

# A user's deck file is checked by pydantic (imported by parse_deck); the shipped
# deck, checked by the tests, is read without it.
if TYPE_CHECKING:
    from pydantic import BaseModel

    from coachlog.models.validation import CardGroupIn, CardIn

__all__ = [
    "SHIPPED_DECK",
    "CoachingModelInfo",
    "DemoWords",
    "Stage",
    "coaching_models",
    "demo_words",
    "parse_deck",
    "shipped_deck",
    "slugify",
    "theme_descriptions",
    "theme_title",
    "themes",
]

SHIPPED_DECK = "nhs-system-leadership"

# The perspectives in the order the card's back shows them, for messages.
_PERSPECTIVES = [p.value for p in Perspective]


@dataclass(frozen=True)
class Stage:
    """One stage of a coaching model, with a question a coach might open it with."""

    key: str
    title: str
    prompt: str


@dataclass(frozen=True)
class CoachingModelInfo:
    """A coaching model a session can follow (`session log --model`)."""

    key: str
    title: str
    source: str
    stages: tuple[Stage, ...]


def _read(name: str) -> str:
    return files(__name__).joinpath(*name.split("/")).read_text(encoding="utf-8")


# ---------------------------------------------------------------- slugs


def slugify(title: str) -> str:
    """The key a title should have: lower-case ASCII words joined by '-'.

    '&' and punctuation are dropped ("Collaboration & co-creation" becomes
    "collaboration-co-creation"); apostrophes vanish rather than split a word
    ("People's voice" becomes "peoples-voice"); accents are folded ("Café" -> "cafe").
    """
    folded = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode("ascii")
    folded = re.sub(r"['\u2019]", "", folded.lower())
    return re.sub(r"[^a-z0-9]+", "-", folded).strip("-")


# ---------------------------------------------------------------- IES impact themes


@functools.lru_cache(maxsize=1)
def _themes_data() -> tuple[tuple[str, str, str], ...]:
    data = tomllib.loads(_read("themes.toml"))
    return tuple((t["key"], t["title"], t["description"]) for t in data["themes"])


def themes() -> list[Theme]:
    """The six IES impact themes, in the report's order."""
    # Fresh models on each call: callers may change what they get without touching the cache.
    return [Theme(key=ThemeKey(key), title=title) for key, title, _ in _themes_data()]


def theme_descriptions() -> dict[str, str]:
    """Each impact theme's one-sentence description, by key."""
    return {key: description for key, _, description in _themes_data()}


def theme_title(key: str) -> str:
    """The title of the impact theme `key`; InvalidInput if there is no such theme."""
    for theme_key, title, _ in _themes_data():
        if theme_key == key:
            return title
    known = ", ".join(theme_key for theme_key, _, _ in _themes_data())
    raise InvalidInput(f"'{key}' is not an impact theme; use one of: {known}.")


# ---------------------------------------------------------------- coaching models


@functools.lru_cache(maxsize=1)
def _coaching_models() -> tuple[CoachingModelInfo, ...]:
    data = tomllib.loads(_read("models.toml"))
    return tuple(
        CoachingModelInfo(
            key=m["key"],
            title=m["title"],
            source=m["source"],
            stages=tuple(Stage(s["key"], s["title"], s["prompt"]) for s in m["stages"]),
        )
        for m in data["models"]
    )


def coaching_models() -> dict[str, CoachingModelInfo]:
    """GROW, CLEAR and OSKAR by key (the values of `--model`), in that order."""
    return {model.key: model for model in _coaching_models()}


# ---------------------------------------------------------------- decks


@functools.lru_cache(maxsize=1)
def _shipped_data() -> dict[str, Any]:
    return tomllib.loads(_read(f"decks/{SHIPPED_DECK}.toml"))


def shipped_deck() -> Deck:
    """The NHS system-leadership behaviour deck that ships with coachlog.

    Built straight from its file, without validation: it is coachlog's own, and
    tests/test_content.py checks it reads the same through `parse_deck`. Each call
    builds new records, so no caller can change what the next one gets.
    """
    return deck_from_data(_shipped_data(), builtin=True)


def parse_deck(text: str, origin: str = "deck file") -> Deck:
    """Read a deck from TOML text, in the shape of the shipped deck file.

    Every problem, from a TOML syntax error to a card whose key is not the slug of
    its title, raises InvalidInput with one sentence that starts with `origin`. The
    first problem found is the one reported, so a user fixes them top to bottom.
    """
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InvalidInput(f"{origin}: not valid TOML, {_lower_first(str(exc))}.") from None
    try:
        return _build_deck(data)
    except _Problem as problem:
        raise InvalidInput(f"{origin}: {problem}.") from None


class _Problem(Exception):
    """A deck problem in words, before the origin is put in front of it."""


def _build_deck(data: dict[str, Any]) -> Deck:
    from coachlog.models.validation import CardGroupIn, CardIn, DeckIn

    raw_themes = _tables(data, "themes")
    raw_cards = _tables(data, "cards")
    if not raw_cards:
        raise _Problem("the deck has no cards; add at least one [[cards]] table")

    groups: list[CardGroupIn] = []
    for number, raw in enumerate(raw_themes, start=1):
        where = _name_of("theme", raw, number)
        group = _validate(CardGroupIn, raw, where)
        if any(g.key == group.key for g in groups):
            raise _Problem(f"theme key '{group.key}' is used more than once")
        groups.append(group)
    group_keys = [g.key for g in groups]

    cards: list[CardIn] = []
    for number, raw in enumerate(raw_cards, start=1):
        where = _name_of("card", raw, number)
        _check_questions(raw.get("questions"), where)
        # The deck a card belongs to is the deck it is in, whatever the file says.
        card = _validate(CardIn, {k: v for k, v in raw.items() if k != "deck"}, where)
        if card.key != slugify(card.title):
            raise _Problem(
                f"{where} should have the key '{slugify(card.title)}' to match its title "
                f"'{card.title}'"
            )
        if any(c.key == card.key for c in cards):
            raise _Problem(f"card key '{card.key}' is used more than once")
        if card.theme not in group_keys:
            raise _Problem(
                f"{where} has theme '{card.theme}', which is not one of the deck's themes "
                f"({', '.join(group_keys) or 'none defined'})"
            )
        cards.append(card)

    # `builtin` is coachlog's to set: a file cannot pass itself off as the shipped deck.
    top: dict[str, Any] = {k: data[k] for k in ("name", "title", "source") if k in data}
    checked = _validate(DeckIn, {**top, "themes": groups, "cards": cards}, "the deck")
    return deck_from_data(checked.model_dump())


def _tables(data: dict[str, Any], name: str) -> list[dict[str, Any]]:
    value = data.get(name)
    if value is None:
        raise _Problem(f"the deck has no {name}; add at least one [[{name}]] table")
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        raise _Problem(f"'{name}' must be a list of [[{name}]] tables")
    return value


def _name_of(kind: str, raw: dict[str, Any], number: int) -> str:
    """How an entry is named in messages: by its key when it has a usable one."""
    key = raw.get("key")
    if isinstance(key, str) and 0 < len(key) <= 80 and key.isprintable():
        return f"{kind} '{key}'"
    return f"{kind} {number}"


def _check_questions(questions: Any, where: str) -> None:
    # Checked by hand rather than left to pydantic so that the message can name the
    # missing perspectives the way the card's back lists them.
    if questions is None:
        raise _Problem(
            f"{where} needs a [cards.questions] table with {', '.join(_PERSPECTIVES)} questions"
        )
    if not isinstance(questions, dict):
        raise _Problem(
            f"the questions of {where} must be a table with one question per perspective"
        )
    unknown = [k for k in questions if k not in _PERSPECTIVES]
    if unknown:
        raise _Problem(
            f"{where} has a question for an unknown perspective '{unknown[0]}'; "
            f"use {', '.join(_PERSPECTIVES)}"
        )
    missing = [
        p
        for p in _PERSPECTIVES
        if not isinstance(questions.get(p), str) or not questions[p].strip()
    ]
    if missing:
        raise _Problem(
            f"{where} needs a question for each perspective; missing: {', '.join(missing)}"
        )


M = TypeVar("M", bound="BaseModel")


def _validate(model: type[M], data: dict[str, Any], where: str) -> M:
    from pydantic import ValidationError

    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise _Problem(_describe(exc.errors()[0], where)) from None


def _describe(error: Any, where: str) -> str:
    """Pydantic's first error as words about `where` (a card, a theme, the deck)."""
    loc = error["loc"]
    message = _lower_first(str(error["msg"]).removeprefix("Value error, "))
    if not loc:
        return message
    field = str(loc[0])
    is_ = "is"
    if field == "indicators" and len(loc) > 1:
        # ("indicators", "positive", 1): say which list, and which line of it.
        field, is_ = f"{loc[1]} indicators", "are"
        if len(loc) > 2 and isinstance(loc[2], int):
            field, is_ = f"{loc[1]} indicator {loc[2] + 1}", "is"
    kind = error["type"]
    if kind == "missing":
        return f"{where} needs a {field}"
    if kind == "string_type":
        return f"the {field} of {where} must be text, not {_short(error['input'])}"
    if kind == "string_pattern_mismatch":
        return (
            f"the {field} of {where}, {_short(error['input'])}, is not a valid key "
            "(lower-case letters and digits, words joined by '-')"
        )
    if kind == "too_long" and not isinstance(error.get("input"), str):  # a list
        limit = error.get("ctx", {}).get("max_length")
        return f"the {field} of {where} {is_} too many (at most {limit})"
    if kind in ("string_too_long", "too_long"):
        limit = error.get("ctx", {}).get("max_length")
        return f"the {field} of {where} {is_} too long (at most {limit} characters)"
    if kind == "value_error":
        return f"the {field} of {where} {message}"
    return f"the {field} of {where} {is_} not valid ({message})"


def _short(value: Any) -> str:
    # Quote what the user wrote, but never echo a whole pasted paragraph back.
    text = repr(value) if not isinstance(value, str) else f"'{value}'"
    return text if len(text) <= 60 else text[:57] + "...'"


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


# ---------------------------------------------------------------- the demo's words


@dataclass(frozen=True)
class DemoWords:
    """The made-up world `coachlog demo` draws from (demo.toml), in the file's order."""

    owner: str
    personas: tuple[tuple[str, str, str, Relationship], ...]
    first_names: tuple[str, ...]
    surnames: tuple[str, ...]
    roles: tuple[str, ...]
    organisations: tuple[str, ...]
    relationships: tuple[Relationship, ...]  # weighted: a value repeated as often as drawn
    modes: tuple[Mode, ...]
    models: tuple[CoachingModel | None, ...]
    minutes: tuple[int, ...]
    times: tuple[str, ...]
    goals: dict[ThemeKey, tuple[str, ...]]
    related: dict[ThemeKey, tuple[ThemeKey, ...]]
    focus: dict[ThemeKey, str]
    owner_goals: tuple[tuple[str, tuple[ThemeKey, ...]], ...]
    card_angles: dict[str, str]
    phrases: dict[str, tuple[str, ...]]  # situations, moods, ... (see demo.toml)


def _weighted(pairs: list[list[Any]]) -> tuple[str, ...]:
    return tuple(value for value, times in pairs for _ in range(times))


@functools.lru_cache(maxsize=1)
def demo_words() -> DemoWords:
    """The demo's cast and phrases, read once from demo.toml."""
    data = tomllib.loads(_read("demo.toml"))
    pools, weights = data["pools"], data["weights"]
    return DemoWords(
        owner=data["owner"],
        personas=tuple(
            (p["name"], p["role"], p["organisation"], Relationship(p["relationship"]))
            for p in data["personas"]
        ),
        first_names=tuple(pools["first_names"]),
        surnames=tuple(pools["surnames"]),
        roles=tuple(pools["roles"]),
        organisations=tuple(pools["organisations"]),
        relationships=tuple(Relationship(v) for v in _weighted(weights["relationships"])),
        modes=tuple(Mode(v) for v in _weighted(weights["modes"])),
        models=tuple(CoachingModel(v) if v else None for v in _weighted(weights["models"])),
        minutes=tuple(pools["minutes"]),
        times=tuple(pools["times"]),
        goals={ThemeKey(k): tuple(v) for k, v in data["goals"].items()},
        related={ThemeKey(k): tuple(ThemeKey(t) for t in v) for k, v in data["related"].items()},
        focus={ThemeKey(k): v for k, v in data["focus"].items()},
        owner_goals=tuple(
            (g["title"], tuple(ThemeKey(t) for t in g["themes"])) for g in data["owner_goals"]
        ),
        card_angles=dict(data["card_angles"]),
        phrases={k: tuple(v) for k, v in data["phrases"].items()},
    )
