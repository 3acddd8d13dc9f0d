"""Checks on the shipped content: the six IES impact themes, the 13-card
system-leadership deck, the coaching models, and `parse_deck`'s handling of a user's
own deck file, which must fail with one readable sentence rather than a pydantic dump.
"""

from __future__ import annotations

import dataclasses
import re
import tomllib
from importlib.resources import files

import pytest

from coachlog import content
from coachlog.errors import InvalidInput
from coachlog.models import CardTheme, CoachingModel, Perspective, ThemeKey

EXPECTED_THEMES = [
    ("strategic", "A more objective and strategic approach"),
    ("prioritisation", "Better work prioritisation"),
    ("confidence", "Increased confidence"),
    ("influence", "Increased ability to influence key people"),
    ("team", "Better team management"),
    ("self-presentation", "Better self-presentation in job applications"),
]

EXPECTED_GROUPS = [
    ("being", "Being"),
    ("relating-communicating", "Relating & Communicating"),
    ("leading-visioning", "Leading & Visioning"),
    ("delivering", "Delivering"),
]

CONFIRMED = {
    "authenticity": "being",
    "mindset": "being",
    "resilience": "being",
    "relationships": "relating-communicating",
    "collaboration-co-creation": "relating-communicating",
}

# Openers that invite a yes or a no; coaching questions should be open.
CLOSED_OPENERS = {
    "do", "does", "did", "is", "are", "was", "were", "can", "could", "will", "would",
    "have", "has", "had", "should", "shall", "may", "might", "must",
}  # fmt: skip

# A small valid deck; the rejection tests below break it one way at a time.
GOOD_DECK = """
name = "my-deck"
title = "My deck"
source = "Written by me"

[[themes]]
key = "being"
title = "Being"

[[cards]]
key = "quiet-courage"
title = "Quiet courage"
theme = "being"
source = "me"
description = "Doing the right thing when nobody is watching."

[cards.questions]
self = "What would you do if you were not afraid?"
organisation = "How does your team make it safe to speak up?"
system = "Where across the system is a brave conversation overdue?"
"""


NEEDS_QUESTION = "deck.toml: card 'quiet-courage' needs a question for each perspective; missing: "


def shipped_deck_text() -> str:
    path = files("coachlog.content").joinpath("decks", f"{content.SHIPPED_DECK}.toml")
    return path.read_text(encoding="utf-8")


def sentences(text: str) -> int:
    return len(re.findall(r"[.!?](?:\s|$)", text))


# ---------------------------------------------------------------- IES impact themes


def test_six_themes_with_exact_keys_and_titles_in_order() -> None:
    assert [(t.key.value, t.title) for t in content.themes()] == EXPECTED_THEMES
    assert [t.key for t in content.themes()] == list(ThemeKey)


def test_theme_title_and_descriptions() -> None:
    for key, title in EXPECTED_THEMES:
        assert content.theme_title(key) == title
    assert content.theme_title(ThemeKey.team) == "Better team management"
    descriptions = content.theme_descriptions()
    assert list(descriptions) == [key for key, _ in EXPECTED_THEMES]
    for text in descriptions.values():
        assert text.strip() and sentences(text) == 1 and text.endswith(".")


def test_theme_title_of_unknown_key_names_the_choices() -> None:
    with pytest.raises(InvalidInput, match="'leadership' is not an impact theme.*strategic"):
        content.theme_title("leadership")


def test_themes_file_cites_the_ies_report() -> None:
    data = tomllib.loads(files("coachlog.content").joinpath("themes.toml").read_text("utf-8"))
    for name in ("Sinclair", "Fairhurst", "Carter", "Miller", "IES Report 455", "2008"):
        assert name in data["source"]
    assert "Evaluation of Coaching in the NHS" in data["source"]


def test_themes_cannot_be_changed_by_a_caller() -> None:
    # Records are frozen, so no caller can change what the next one is given.
    first = content.themes()
    with pytest.raises(dataclasses.FrozenInstanceError):
        first[0].title = "changed"  # type: ignore[misc]
    first.clear()
    assert content.themes()[0].title == EXPECTED_THEMES[0][1]


# ---------------------------------------------------------------- the shipped deck


def test_shipped_deck_shape() -> None:
    deck = content.shipped_deck()
    assert deck.name == content.SHIPPED_DECK == "nhs-system-leadership"
    assert deck.title == "System leadership behaviours"
    assert deck.builtin is True
    assert "North West Leadership Academy" in deck.source and "2017" in deck.source
    assert [(g.key, g.title) for g in deck.themes] == EXPECTED_GROUPS
    assert [g.key for g in deck.themes] == [t.value for t in CardTheme]
    assert len(deck.cards) == 13
    for group, _ in EXPECTED_GROUPS:
        assert 3 <= sum(card.theme == group for card in deck.cards) <= 4, group


def test_shipped_cards_keys_are_unique_slugs_of_titles() -> None:
    keys = [card.key for card in content.shipped_deck().cards]
    assert len(set(keys)) == 13
    for card in content.shipped_deck().cards:
        assert card.key == content.slugify(card.title)
        assert card.deck == content.SHIPPED_DECK


def test_shipped_cards_sources() -> None:
    deck = content.shipped_deck()
    assert {card.source for card in deck.cards} == {"nwla", "coachlog"}
    nwla = {card.key: card.theme for card in deck.cards if card.source == "nwla"}
    assert nwla == CONFIRMED
    assert content.shipped_deck().cards[4].title == "Collaboration & co-creation"


def test_shipped_cards_text() -> None:
    for card in content.shipped_deck().cards:
        assert 2 <= sentences(card.description) <= 3, card.key
        assert set(card.questions) == set(Perspective), card.key
        for perspective, question in card.questions.items():
            where = f"{card.key}/{perspective.value}"
            assert question.strip() == question and question, where
            assert len(question) <= 160, where
            assert question.endswith("?") and sentences(question) == 1, where
            assert question.split()[0].lower() not in CLOSED_OPENERS, where
            # American spellings that slip in most easily.
            assert not re.search(r"\b(organiz|behavior|prioritiz|center)", question), where


def test_shipped_deck_is_a_fresh_copy_each_time() -> None:
    first = content.shipped_deck()
    with pytest.raises(dataclasses.FrozenInstanceError):
        first.cards[0].title = "changed"  # type: ignore[misc]
    first.cards[0].indicators.positive.clear()
    first.cards[0].questions.clear()
    first.cards.clear()
    assert content.shipped_deck().cards[0].indicators.positive
    assert content.shipped_deck().cards[0].questions
    assert content.shipped_deck().cards[0].title == "Authenticity"


def test_parse_deck_of_the_shipped_text_round_trips() -> None:
    parsed = content.parse_deck(shipped_deck_text(), origin="shipped")
    assert parsed.builtin is False
    # The shipped deck is read without validation; validated, it is the same deck.
    assert dataclasses.replace(parsed, builtin=True) == content.shipped_deck()


# ---------------------------------------------------------------- coaching models


def test_coaching_models_and_stages() -> None:
    models = content.coaching_models()
    assert list(models) == [m.value for m in CoachingModel]
    stages = {key: [(s.key, s.title) for s in m.stages] for key, m in models.items()}
    assert stages == {
        "grow": [
            ("goal", "Goal"),
            ("reality", "Reality"),
            ("options", "Options"),
            ("will", "Will (way forward)"),
        ],
        "clear": [
            ("contracting", "Contracting"),
            ("listening", "Listening"),
            ("exploring", "Exploring"),
            ("action", "Action"),
            ("review", "Review"),
        ],
        "oskar": [
            ("outcome", "Outcome"),
            ("scaling", "Scaling"),
            ("know-how", "Know-how"),
            ("affirm-action", "Affirm & action"),
            ("review", "Review"),
        ],
    }
    assert "Hawkins" in models["clear"].source
    assert "Jackson" in models["oskar"].source and "McKergow" in models["oskar"].source
    for model in models.values():
        assert model.title == model.key.upper()
        for stage in model.stages:
            assert stage.prompt.endswith("?") and len(stage.prompt) <= 160


def test_coaching_model_info_is_frozen() -> None:
    model = content.coaching_models()["grow"]
    with pytest.raises(AttributeError):
        model.title = "changed"  # type: ignore[misc]


# ---------------------------------------------------------------- slugify


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("Collaboration & co-creation", "collaboration-co-creation"),
        ("Relating & Communicating", "relating-communicating"),
        ("Authenticity", "authenticity"),
        ("  Learning, and   improvement! ", "learning-and-improvement"),
        ("People's voice", "peoples-voice"),
        ("Café culture", "cafe-culture"),
        ("Top 10 habits", "top-10-habits"),
    ],
)
def test_slugify(title: str, slug: str) -> None:
    assert content.slugify(title) == slug


# ---------------------------------------------------------------- parse_deck rejections


def test_good_deck_parses() -> None:
    deck = content.parse_deck(GOOD_DECK, origin="mine.toml")
    assert deck.name == "my-deck" and deck.builtin is False
    assert [c.key for c in deck.cards] == ["quiet-courage"]
    assert deck.cards[0].deck == "my-deck"


def add_card(key: str, title: str, theme: str = "being") -> str:
    return GOOD_DECK + (
        f'\n[[cards]]\nkey = "{key}"\ntitle = "{title}"\ntheme = "{theme}"\nsource = "me"\n'
        'description = "Another."\n[cards.questions]\nself = "What?"\n'
        'organisation = "How?"\nsystem = "Who?"\n'
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            GOOD_DECK.replace('title = "My deck"', 'title = "My deck'),
            "deck.toml: not valid TOML, ",
            id="invalid-toml",
        ),
        pytest.param(
            GOOD_DECK.replace(
                'system = "Where across the system is a brave conversation overdue?"', ""
            ),
            NEEDS_QUESTION + "system.",
            id="missing-question",
        ),
        pytest.param(
            GOOD_DECK.replace('self = "What would you do if you were not afraid?"', 'self = "  "'),
            NEEDS_QUESTION + "self.",
            id="blank-question",
        ),
        pytest.param(
            GOOD_DECK + 'team = "How?"\n',
            "deck.toml: card 'quiet-courage' has a question for an unknown perspective 'team'; "
            "use self, organisation, system.",
            id="unknown-perspective",
        ),
        pytest.param(
            add_card("quiet-courage", "Quiet courage"),
            "deck.toml: card key 'quiet-courage' is used more than once.",
            id="duplicate-key",
        ),
        pytest.param(
            add_card("doing", "Doing", theme="delivering"),
            "deck.toml: card 'doing' has theme 'delivering', which is not one of the deck's "
            "themes (being).",
            id="unknown-theme",
        ),
        pytest.param(
            GOOD_DECK.replace('key = "quiet-courage"', 'key = "courage"'),
            "deck.toml: card 'courage' should have the key 'quiet-courage' to match its title "
            "'Quiet courage'.",
            id="key-not-slug-of-title",
        ),
        pytest.param(
            GOOD_DECK.replace('key = "quiet-courage"', 'key = "Quiet Courage"'),
            "deck.toml: the key of card 'Quiet Courage', 'Quiet Courage', is not a valid key "
            "(lower-case letters and digits, words joined by '-').",
            id="key-not-a-slug",
        ),
        pytest.param(
            GOOD_DECK.replace(
                'description = "Doing the right thing when nobody is watching."', ""
            ),
            "deck.toml: card 'quiet-courage' needs a description.",
            id="missing-description",
        ),
        pytest.param(
            GOOD_DECK.replace('title = "Quiet courage"', "title = 3"),
            "deck.toml: the title of card 'quiet-courage' must be text, not 3.",
            id="title-not-text",
        ),
        pytest.param(
            GOOD_DECK.replace('name = "my-deck"', ""),
            "deck.toml: the deck needs a name.",
            id="missing-deck-name",
        ),
        pytest.param(
            GOOD_DECK.replace('name = "my-deck"', 'name = "My Deck"'),
            "deck.toml: the name of the deck, 'My Deck', is not a valid key",
            id="deck-name-not-a-key",
        ),
        pytest.param(
            GOOD_DECK.split("[[cards]]")[0],
            "deck.toml: the deck has no cards; add at least one [[cards]] table.",
            id="no-cards",
        ),
        pytest.param(
            'cards = "none"\n' + GOOD_DECK.split("[[themes]]")[0] + "[[themes]]\nkey='b'",
            "deck.toml: 'cards' must be a list of [[cards]] tables.",
            id="cards-not-tables",
        ),
        pytest.param(
            GOOD_DECK + '\n[[themes]]\nkey = "being"\ntitle = "Being again"\n',
            "deck.toml: theme key 'being' is used more than once.",
            id="duplicate-theme",
        ),
    ],
)
def test_parse_deck_rejects_bad_input_in_one_sentence(text: str, expected: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        content.parse_deck(text, origin="deck.toml")
    message = caught.value.message
    assert message.startswith(expected)
    assert "\n" not in message and message.endswith(".")
    assert "validation error" not in message.lower() and "pydantic" not in message.lower()


def test_parse_deck_names_a_card_without_a_key_by_position() -> None:
    text = GOOD_DECK.replace('key = "quiet-courage"', "")
    with pytest.raises(InvalidInput, match=r"^my\.toml: card 1 needs a key\.$"):
        content.parse_deck(text, origin="my.toml")


def test_parse_deck_ignores_builtin_and_deck_fields_from_the_file() -> None:
    text = "builtin = true\n" + GOOD_DECK.replace(
        'source = "me"', 'source = "me"\ndeck = "nhs-system-leadership"'
    )
    deck = content.parse_deck(text)
    assert deck.builtin is False
    assert deck.cards[0].deck == "my-deck"


def test_parse_deck_default_origin() -> None:
    with pytest.raises(InvalidInput, match=r"^deck file: "):
        content.parse_deck("not = [toml")


def test_the_demo_words_fit_the_shipped_content() -> None:
    # demo.toml is data now: a card key or theme it names must exist, or the demo
    # would tag sessions with cards no deck has.
    words = content.demo_words()
    assert set(words.card_angles) == {card.key for card in content.shipped_deck().cards}
    assert set(words.goals) == set(words.related) == set(words.focus) == set(ThemeKey)
    assert all(len(goals) >= 2 for goals in words.goals.values())
    assert len(set(words.first_names)) == len(words.first_names) >= 40
    assert words.personas and all(len(p[0].split()) == 2 for p in words.personas)
    assert None in words.models and words.relationships.count(words.relationships[0]) > 1
