"""The shared name fold and terminal sanitiser (coachlog/text.py)."""

from __future__ import annotations

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from coachlog.text import counted, fold, for_terminal, has_unsafe, normalise_name


def test_fold_makes_spellings_of_one_name_equal() -> None:
    assert fold("Zoë") == fold("ZOE") == fold("zoe") == fold(unicodedata.normalize("NFD", "Zoë"))
    assert fold("Hans Strauß") == fold("HANS STRAUSS")
    assert fold("İlkay Gündoğan") == fold("ilkay gundogan") == fold("ILKAY GUNDOGAN")
    assert fold("O’Neill") == fold("O'Neill")
    assert fold("Sam\u200b Patel") == fold("Sam\u00a0Patel") == fold("Sam  Patel") == "sam patel"
    assert fold("Núñez") == "nunez"


def test_normalise_name_keeps_the_persons_spelling() -> None:
    assert normalise_name(unicodedata.normalize("NFD", " Renée  Léger ")) == "Renée Léger"
    assert normalise_name("Sam\u200bPatel") == "SamPatel"


def test_for_terminal_shows_controls_instead_of_sending_them() -> None:
    assert for_terminal("hi \x1b]0;pwned\x07 \x1b[2J") == "hi \\x1b]0;pwned\\x07 \\x1b[2J"
    assert for_terminal("a\u202eb\x9bc") == "a\\u202eb\\x9bc"
    assert for_terminal("line one\n\tline two") == "line one\n\tline two"
    assert for_terminal("Zoë Núñez 王小明") == "Zoë Núñez 王小明"


@given(st.text())
def test_nothing_unsafe_survives_for_terminal(text: str) -> None:
    shown = for_terminal(text)
    assert not has_unsafe(shown)
    assert "\x1b" not in shown


@given(st.text())
def test_fold_is_idempotent(text: str) -> None:
    assert fold(fold(text)) == fold(text)


@given(st.integers(min_value=0, max_value=10**7))
def test_every_count_says_one_or_many_the_same_way(n):
    # One rule for "1 session" / "3 sessions" / "1,200 sessions" everywhere a
    # message counts (three modules once had their own tables, and disagreed).
    said = counted(n, "session")
    assert said == f"{n:,} " + ("session" if n == 1 else "sessions")
    assert counted(n, "name on the redact list", "names on the redact list").endswith(
        "name on the redact list" if n == 1 else "names on the redact list"
    )
