"""The text rules every layer shares: how names compare, what a terminal may be sent, counts.

Names arrive in every form people and programs produce: "Zoë" composed or
decomposed, "ZOË", "Zoe" typed on a keyboard without accents, "Strauß" and
"STRAUSS", "İlkay", "O’Neill" with a curly apostrophe, a zero-width space pasted
from a web page, a no-break space between first name and surname. `fold()` turns
each of these into one comparable form, so that duplicate checks, client lookup,
search, erasure and the anonymiser all agree on who is meant. It is for comparing
only: stored text always keeps the person's own spelling (`normalise_name()` gives
the form a name is stored in).

Stored notes may also hold bytes that a terminal obeys: ESC sequences that set the
window title, clear the screen or make a link, C1 controls, bidi overrides that
reverse what follows. `for_terminal()` makes every such character visible
(`\\x1b`, `\\u202e`) instead of sending it. Only display passes through it; `--json`
and exports to files keep the exact text.

`counted(3, "session")` is how every message says how many: "1 session", "3
sessions", "1,200 sessions", one rule instead of a plural table per module.

This module imports only the standard library, so every layer may use it.
"""

from __future__ import annotations

import re
import unicodedata

# Characters that take no room and carry no letter: they hide a name from a
# plain comparison ("Sam\u200bPatel") and are dropped when folding.
_INVISIBLE = dict.fromkeys(
    map(ord, "\u00ad\u180e\u200b\u200c\u200d\u2060\u2061\u2062\u2063\u2064\ufeff"), None
)
# Apostrophes and dashes people (and word processors) use interchangeably.
_APOSTROPHES = "\u2018\u2019\u201b\u02bc\u02b9\u0060\u00b4\u2032\uff07"
_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"
_UNIFY = str.maketrans({**dict.fromkeys(_APOSTROPHES, "'"), **dict.fromkeys(_DASHES, "-")})
# Letters Unicode gives no decomposition, written without their stroke or
# ligature on an English keyboard: Łukasz as Lukasz, Bjørn as Bjorn, Đorđe as
# Dorde, Æsa as Aesa, Þór as Thor.
_PLAIN = str.maketrans(
    {
        "ł": "l",
        "ø": "o",
        "đ": "d",
        "ð": "d",
        "æ": "ae",
        "œ": "oe",
        "þ": "th",
        "ı": "i",
        "ħ": "h",
        "ŧ": "t",
    }
)


def fold(text: str) -> str:
    """The form two spellings of one name share: compare these, never store them.

    NFKC, invisible characters dropped, apostrophes and dashes unified, full case
    folding (ß -> ss, İ -> i̇), accents removed after NFD, letters with a stroke
    or a ligature written plainly (ł -> l, ø -> o, æ -> ae), every run of white space
    (no-break spaces included) one ordinary space, ends trimmed.
    """
    text = unicodedata.normalize("NFKC", text).translate(_INVISIBLE).translate(_UNIFY)
    text = text.casefold()
    decomposed = unicodedata.normalize("NFD", text)
    text = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).translate(_PLAIN)
    return " ".join(text.split())


def normalise_name(text: str) -> str:
    """The form a name is stored in: NFC, invisible characters dropped, spaces single."""
    text = unicodedata.normalize("NFC", text).translate(_INVISIBLE)
    return " ".join(text.split())


# What a terminal must never receive raw: C0 controls other than tab and
# newline, DEL, C1 controls, and the bidi embedding/override/isolate marks.
_BIDI = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
_UNSAFE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f" + _BIDI + "\u2028\u2029]"  # noqa: RUF001
)


def _visible(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def for_terminal(text: str) -> str:
    """`text` with every character a terminal would obey shown as an escape instead."""
    if text.isprintable():
        return text
    return _UNSAFE.sub(_visible, text)


def _json_escape(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


def json_safe(document: str) -> str:
    """JSON text with every character a terminal would obey written as a \\u escape.

    `json.dumps(..., ensure_ascii=False)` escapes C0 controls itself but leaves
    DEL, C1 controls and bidi overrides raw, and JSON is often read in a terminal.
    Such characters can only stand inside JSON strings, where `\\uXXXX` means
    exactly the same text, so the data is unchanged.
    """
    if document.isprintable() or not _UNSAFE.search(document):
        return document
    return _UNSAFE.sub(_json_escape, document)


def has_unsafe(text: str) -> bool:
    """Whether `text` holds a character `for_terminal()` would have to make visible."""
    return _UNSAFE.search(text) is not None


def counted(n: int, one: str, many: str | None = None) -> str:
    """`n` and the word for it: "1 session", "0 sessions", "1,200 outcome check-ins".

    `many` is the plural when it is not `one` + "s" ("supervision sessions" for
    "supervision session" works by the rule; "names on the redact list" does not).
    """
    return f"{n:,} {one if n == 1 else (many or one + 's')}"
