"""De-identifying free text before it leaves the journal: names to pseudonyms, identifiers removed.

Case material taken to supervision must not name the client, and notes name
people in every way people write: "Priya", "priya", "PRIYA", "Priya's", "Priya
Patel", "Zoe" for "Zoë", "STRAUSS" for "Strauß", "O’Neill" with a curly
apostrophe, a name split by a line break or hiding a zero-width space. Names are
matched on one folded form (`coachlog.text.fold`, applied character by
character so that every folded letter still knows where it stood in the
original), and the ORIGINAL span is replaced, so the rest of the text keeps its
own spelling. `Anonymiser` replaces:

1. identifiers, anyone's: e-mail addresses with "[e-mail]"; NHS numbers (ten
   digits, spaced 3-3-4 or not, with a valid check digit, or any ten digits
   right after "NHS") with "[NHS number]"; UK phone numbers (0... or +44...)
   with "[phone]"; UK postcodes with "[postcode]"; a date written as a date of
   birth ("DOB 1/2/1980", "born 3 March 1975") with "[date of birth]";
2. a client's full name or alias, in any case, with or without accents, and
   with any spacing between its words, with their pseudonym ("Client A");
3. each word of a client's name or alias (first name, surname, each half of a
   hyphenated name, the part after O'/D', the name without its apostrophe or
   hyphen ("ONeill", "MaryAnne"), runs of words such as "van der Berg") as
   whole words, with their pseudonym. A possessive keeps its ending:
   "Priya's" becomes "Client A's". A title just before a name goes with it:
   "Dr Nunez" becomes "Client A";
4. the people on the redact list (`coachlog redact add "Dr Patel"`), by the
   same rules, with "[person]".

Exceptions that keep prose readable:

- A name word that is also a common English word ("Will", "May", "Hope",
  "Grace", "Brown", "He", "Said", ... see COMMON_WORDS) is replaced only when written with a
  capital letter, so "she will try" is left alone (a capitalised "Will" at the
  start of a sentence is still replaced: when in doubt, coachlog removes too
  much rather than too little).
- Single letters ("Ann B"), name particles inside a name ("van", "de") and
  titles ("Dr") are matched only inside the full name. A particle that starts
  or ends a name is a name ("Ben Jones", "Al Green", "Van Le"), replaced when
  written with a capital, like the everyday words above.
- A coaching model's stage label at the start of a line ("Will (way forward):"
  in a GROW session) is never a name.

A word shared by two people's names is replaced with "[client]" (or "[person]"
if one of them is on the redact list), since either pseudonym could be wrong.
Names in scripts written without spaces (Chinese, Japanese, Thai) are found
inside runs of text; elsewhere only whole words ("Priya" is not found inside
"Priyanka"), where an underscore or a digit also ends a word
("Zoe_Smith_notes.docx", "zoesmith85") and a full name run together is one more
spelling of it ("@zoesmith", "ZoeSmith"), and so is a run of its words
("vanderberg" for "van der Berg", "OBriain" for "Ó Briain").
Spellings the journal does not know cannot be found: add them as aliases or to
the redact list.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from coachlog.text import fold

EMAIL_LABEL = "[e-mail]"
AMBIGUOUS_LABEL = "[client]"
PERSON_LABEL = "[person]"
NHS_LABEL = "[NHS number]"
PHONE_LABEL = "[phone]"
POSTCODE_LABEL = "[postcode]"
DOB_LABEL = "[date of birth]"

# Words that are given names or surnames and also everyday English words. For
# these only the capitalised form is taken as the name.
_COMMON = """
    amber angel april art august autumn baker bell best bill bishop black bob brook
    brown buck bud carol cash chance chase cherry chip clay cliff cook crystal dale dash
    dawn dean don dot drew dusty early earl ember faith fay fern field fisher ford fox
    frank gay gene glen gold good grace gray green grey guy hale hall happy hardy harmony
    hart hazel heather hill holly honey honor honour hope house hunter iris ivy jack jade
    jay joy june king lamb lance lane lily long lord love major march mark marsh mason
    max may melody mercy miles miller misty moss nick noble norm olive page pat patience
    pearl penny pierce poppy price queen rain ray reed rich river rob robin rock rod rose
    ruby rush rusty sage sandy sharp sky spring star sterling stone storm sue summer
    sunny ward wade white will winter wolf wood woods wren young
"""
# Names from everywhere that are also everyday English words, among them short
# Chinese, Korean, Vietnamese and Turkish names ("He", "So", "Do", "Can") and
# names such as "Said", "Gift" or "Comfort": in lower case these are the word.
_COMMON_WORLD = """
    an ash ball bang banks bean berry birch bird bliss blessing bond bridge bright bull
    burns bush can candy charity church comfort crane cross day do east fair fan fang
    favour fish free friend gift go goodness ha hand happiness hay he heath ho hood
    hunt innocent justice keen knight lake little lo lovely ma man memory moon moor
    north no oak ok on park peach plum pool pope power precious prince princess
    promise rice rowan said salt sang savage short small so son south story street
    strong sugar sun swan sweet tan tang to trust wall waters wells west willow wise
"""
COMMON_WORDS = frozenset(_COMMON.split()) | frozenset(_COMMON_WORLD.split())

# Parts of a name that are not names on their own.
_PARTICLES = "al bin bint da de del della den der di du el ibn la le st van von ben ap mac"
PARTICLES = frozenset(_PARTICLES.split())
# Particles that are no everyday English word, so a first name in lower case too.
_NOT_WORDS = frozenset({"ben", "ibn", "bint"})
# Titles: taken along with a name that follows them, never a name alone.
_TITLES = "dr mr mrs ms mx miss prof professor sir dame rev revd cllr"
TITLES = frozenset(_TITLES.split())
_TITLE_BEFORE = re.compile(rf"(?<!\w)(?:{'|'.join(sorted(TITLES, key=len, reverse=True))})\.? +$")


@dataclass(frozen=True)
class Person:
    """Someone the anonymiser replaces: their name, what stands in for it, other spellings."""

    name: str
    label: str
    aliases: tuple[str, ...] = ()
    # Matched whole and never split into words (e-mail addresses, for erasure).
    literals: tuple[str, ...] = field(default=())


# ---------------------------------------------------------------- folding with a map back


def _fold_char(ch: str, cache: dict[str, str] = {}) -> str:  # noqa: B006 - a cache on purpose
    piece = cache.get(ch)
    if piece is None:
        piece = " " if ch.isspace() or ch == "_" else fold(ch)
        cache[ch] = piece
    return piece


@dataclass
class _Folded:
    """`text` folded, with where each folded character came from in the original."""

    text: str
    start: list[int] | None  # None: folding kept every position (plain ASCII)
    end: list[int] | None

    def span(self, a: int, b: int) -> tuple[int, int]:
        if self.start is None or self.end is None:
            return a, b
        return self.start[a], self.end[b - 1]

    def origin(self, a: int) -> int:
        return a if self.start is None else self.start[a]


# What fold() does to ASCII besides lower case: white space to spaces, ` to '.
# An underscore separates words too, as in file names and user names
# ("Zoe_Smith_notes.docx").
_ASCII_SPACE = str.maketrans("\t\n\r\x0b\x0c\x1c\x1d\x1e\x1f`_", " " * 9 + "' ")


def _fold_mapped(original: str) -> _Folded:
    if original.isascii():
        # The common case, and a fast one: one character in, one out, as fold()
        # would make it (ASCII has no accents or invisible characters).
        return _Folded(original.lower().translate(_ASCII_SPACE), None, None)
    chars: list[str] = []
    start: list[int] = []
    end: list[int] = []
    for i, ch in enumerate(original):
        piece = _fold_char(ch)
        if not piece:
            # An accent or a zero-width character: it belongs to the folded
            # character before it, so a replacement takes it too.
            if end:
                end[-1] = i + 1
            continue
        for c in piece:
            chars.append(c)
            start.append(i)
            end.append(i + 1)
    return _Folded("".join(chars), start, end)


def _folded(text: str) -> str:
    return " ".join(_fold_mapped(text).text.split())


# Scripts written without spaces between words: their names are found inside runs.
_SPACELESS = ("CJK", "HIRAGANA", "KATAKANA", "THAI", "LAO", "KHMER", "MYANMAR", "TIBETAN")


def _spaceless(token: str) -> bool:
    return any(ch.isalpha() and unicodedata.name(ch, "").startswith(_SPACELESS) for ch in token)


# ---------------------------------------------------------------- the words of a name


_LABEL_WORD = re.compile(r"\[[\w -]+\](?:['\u2019]s)?[.,;:]?$")


def _words(name: str) -> list[str]:
    """The parts of a name that stand for the person alone: 'Mary-Anne van Berg' ->
    ['Mary-Anne van', 'van Berg', 'Mary-Anne', 'Mary', 'Anne', 'Berg']."""
    found: list[str] = []
    words = [w for w in name.split() if _folded(w).strip(".") not in TITLES]
    # Runs of two or more words ("van der Berg", "Anna Maria"), unless all particles.
    for size in range(len(words) - 1, 1, -1):
        for start in range(len(words) - size + 1):
            run = words[start : start + size]
            if any(_folded(w) not in PARTICLES and len(w) > 1 for w in run):
                found.append(" ".join(run))
    for index, part in enumerate(words):
        # A particle joins the words around it ("Ludwig van Beethoven"); first or
        # last in a name it is a name itself ("Ben Jones", "Al Green", "Van Le").
        edge = index in (0, len(words) - 1)
        if _LABEL_WORD.match(part):
            continue  # "[erased]", "[person]": coachlog's own markers, never a name
        part = part.strip('.,;:()[]{}"')
        pieces = [part]
        folded = _folded(part)
        if "-" in folded:
            pieces += re.split(r"[-\u2010-\u2015\u2212]", part)
        for piece in list(pieces):
            # O'Neill, D'Souza: the part after the apostrophe is written alone too,
            # and the whole without it ("ONeill", "Oneill"), as systems that drop
            # apostrophes and hyphens write it ("OBrien-Nunez", "MaryAnne").
            split = re.split(r"['\u2019\u2018]", piece, maxsplit=1)
            if len(split) == 2 and len(split[0]) <= 2 and sum(c.isalpha() for c in split[1]) >= 3:
                pieces.append(split[1])
        for piece in list(pieces):
            joined = re.sub(r"['\u2019\u2018\-\u2010-\u2015\u2212]", "", piece)
            if joined != piece and sum(c.isalpha() for c in joined) >= 4:
                pieces.append(joined)
        whole = part
        for piece in pieces:
            letters = sum(ch.isalnum() for ch in piece)
            key = _folded(piece)
            particle = key in PARTICLES and not (edge and piece == whole)
            if letters >= 2 and not particle and key not in TITLES and piece not in found:
                found.append(piece)
    return found


# ---------------------------------------------------------------- identifiers

_EMAIL = re.compile(r"[\w.%+-]+@[\w-]+(?:\.[\w-]+)+")
_NHS = re.compile(r"(?<![0-9])([0-9]{3})([ -]?)([0-9]{3})\2([0-9]{4})(?![0-9])")
_NHS_CUE = re.compile(r"\bnhs\b[^0-9\n]{0,20}$", re.IGNORECASE)
_PHONE = re.compile(
    r"(?<![\w+])(?P<lead>\+44[\s-]?(?:\(0\)[\s-]?)?|\(?0)(?:[0-9][\s\-)]{0,2}){8,11}[0-9](?![0-9])"
)
_INWARD = r"[0-9][ABD-HJLNP-UW-Z]{2}"
_POSTCODE = re.compile(
    rf"(?<![\w])(?:(?i:[A-Z]{{1,2}}[0-9][A-Z0-9]?\s+(?![0-9](?-i:st|nd|rd|th)\b){_INWARD})"
    rf"|(?i:[A-Z]{{1,2}}[0-9][A-Z0-9]?{_INWARD}))(?!\w)"
)
_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_DAY = r"[0-9]{1,2}(?:st|nd|rd|th)?"
_DATE = (
    rf"(?:[0-9]{{1,2}}[/.\-][0-9]{{1,2}}[/.\-][0-9]{{2,4}}|[0-9]{{4}}-[0-9]{{2}}-[0-9]{{2}}"
    rf"|{_DAY}\s+(?:of\s+)?{_MONTH},?\s+[0-9]{{4}}|{_MONTH}\s+{_DAY},?\s+[0-9]{{4}}"
    rf"|(?<=in )[0-9]{{4}})"
)
_DOB = re.compile(
    rf"(?i)(?<!\w)(?:d\.?o\.?b\.?|date\s+of\s+birth|born(?:\s+on|\s+in)?|birthday)"
    rf"\s*[:\-]?\s*(?P<date>{_DATE})(?![0-9])"
)


def nhs_number_valid(digits: str) -> bool:
    """The NHS number check: weights 10..2 on the first nine digits, mod 11."""
    if len(digits) != 10 or not digits.isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1), strict=True))
    check = 11 - total % 11
    if check == 11:
        check = 0
    return check != 10 and check == int(digits[9])


def _identifiers(text: str) -> Iterable[tuple[int, int, str]]:
    for m in _EMAIL.finditer(text):
        yield m.start(), m.end(), EMAIL_LABEL
    for m in _NHS.finditer(text):
        digits = m.group(1) + m.group(3) + m.group(4)
        if nhs_number_valid(digits) or _NHS_CUE.search(text, 0, m.start()):
            yield m.start(), m.end(), NHS_LABEL
    for m in _PHONE.finditer(text):
        digits = re.sub(r"[^0-9]", "", m.group())
        if m.group("lead").startswith("+"):
            national = re.sub(r"[^0-9]", "", m.group()[m.end("lead") - m.start() :])
            ok = len(national) in (9, 10) and national[0] != "0"
        else:
            ok = len(digits) in (10, 11) and digits[1] != "0"
        if ok:
            yield m.start(), m.end(), PHONE_LABEL
    for m in _POSTCODE.finditer(text):
        yield m.start(), m.end(), POSTCODE_LABEL
    for m in _DOB.finditer(text):
        yield m.start("date"), m.end("date"), DOB_LABEL


# ---------------------------------------------------------------- the anonymiser

_WORD = re.compile(r"\w+")
_LEADING_LETTERS = re.compile(r"[^\W\d_]+")


@dataclass(frozen=True)
class _Candidate:
    size: int
    pattern: re.Pattern[str]
    label: str
    capital_only: bool


def _token_pattern(token: str) -> re.Pattern[str]:
    """`token` (folded) where a space or a hyphen may be either, as a whole word.

    Digits after a name that ends in a letter do not make it another word
    ("@zoesmith85", "ZoeSmith2026.pdf"); after one that ends in a digit they do
    ("Team 7" is not in "Team 77").
    """
    parts = [re.escape(p) for p in re.split(r"[ -]", token)]
    end = r"(?!\w)" if token[-1:].isdigit() else r"(?![^\W\d])"
    return re.compile("(?: +|-)".join(parts) + end)


class Anonymiser:
    """Replaces people's names and identifiers in free text (see module doc)."""

    def __init__(
        self,
        people: Iterable[Person],
        *,
        others: Iterable[str] = (),
        identifiers: bool = True,
        stages: Mapping[str, Sequence[str]] | None = None,
    ) -> None:
        full: dict[str, str] = {}
        parts: dict[str, set[str]] = defaultdict(set)
        literal: set[str] = set()
        everyone = [*people, *(Person(name, PERSON_LABEL) for name in others)]
        for person in everyone:
            for name in (person.name, *person.aliases):
                key = _folded(name)
                if not key:
                    continue
                full.setdefault(key, person.label)
                # The whole name run together, as in handles and file names
                # ("@zoesmith", "#ZoeSmith", "PriyaPatel-2026.pdf"). Filed as a
                # word, so that "Jo Anne" run together does not claim "Joanne"
                # from a client of that name: a word two people share is neither's.
                joined = re.sub(r"[ '\-]", "", key)
                if " " in key and joined != key and len(joined) >= 6:
                    parts[joined].add(person.label)
                for word in _words(name):
                    word_key = _folded(word)
                    parts[word_key].add(person.label)
                    # A run of words written as one too: "van der Berg" as
                    # "vanderberg" or "@VanDerBerg", "Ó Briain" as "OBriain".
                    run = re.sub(r"[ '\-]", "", word_key)
                    if " " in word_key and len(run) >= 6:
                        parts[run].add(person.label)
            for value in person.literals:
                key = _folded(value)
                if key:
                    full.setdefault(key, person.label)
                    literal.add(key)
        labels: dict[str, str] = {}
        for token in {*full, *parts}:
            if token in full:
                labels[token] = full[token]
            else:
                found = parts[token]
                if len(found) == 1:
                    labels[token] = next(iter(found))
                elif PERSON_LABEL in found:
                    labels[token] = PERSON_LABEL
                else:
                    labels[token] = AMBIGUOUS_LABEL
        # Each token is tried only where a word that could start it stands: tokens
        # are filed under their first word, longest first, so a scan costs one
        # dictionary lookup per word of text however many people there are.
        candidates: dict[str, list[_Candidate]] = defaultdict(list)
        self._spaceless: list[tuple[str, str]] = []
        for token, label in labels.items():
            if _spaceless(token) and token not in literal:
                self._spaceless.append((token, label))
                continue
            first = _WORD.match(token)
            if first is None:
                continue
            candidates[first.group()].append(
                # Everyday words and particles ("van", "bin") only with a capital.
                _Candidate(
                    len(token),
                    _token_pattern(token),
                    label,
                    token in COMMON_WORDS or (token in PARTICLES and token not in _NOT_WORDS),
                )
            )
        for found_list in candidates.values():
            found_list.sort(key=lambda c: -c.size)  # "priya patel" before "priya"
        self._spaceless.sort(key=lambda item: -len(item[0]))
        self._candidates = dict(candidates)
        self._identifiers = identifiers
        self._stages = {
            key: [_folded(t) for t in titles] for key, titles in (stages or {}).items()
        }

    def _labels_kept(self, text: str, model: str | None) -> list[tuple[int, int]]:
        """Spans of stage labels ("Will (way forward)") opening lines of a model's notes."""
        titles = self._stages.get(model or "", [])
        if not titles:
            return []
        kept = []
        for line in re.finditer(r"(?m)^[ \t]*(?P<label>[^:\n]{1,60}):", text):
            if _folded(line.group("label")) in titles:
                kept.append((line.start("label"), line.end("label")))
        return kept

    def _names(self, text: str) -> Iterable[tuple[int, int, str]]:
        folded = _fold_mapped(text)
        f = folded.text
        pos = 0
        while True:
            word = _WORD.search(f, pos)
            if word is None:
                break
            a = word.start()
            found_here = self._candidates.get(word.group())
            if found_here is None:
                # "zoesmith85": the letters before the digits may be a name.
                letters = _LEADING_LETTERS.match(word.group())
                if letters is not None:
                    found_here = self._candidates.get(letters.group())
            for candidate in found_here or ():
                found = candidate.pattern.match(f, a)
                if found is None:
                    continue
                s, e = folded.span(a, found.end())
                if candidate.capital_only and not text[s].isupper():
                    continue
                title = _TITLE_BEFORE.search(f, max(0, a - 12), a)
                if title:
                    s = folded.origin(title.start())
                yield s, e, candidate.label
                pos = found.end()
                break
            else:
                pos = word.end()
        for token, label in self._spaceless:
            at = f.find(token)
            while at != -1:
                s, e = folded.span(at, at + len(token))
                yield s, e, label
                at = f.find(token, at + len(token))

    def spans(self, text: str, model: str | None = None) -> list[tuple[int, int, str]]:
        """What `text()` replaces: (start, end, label), in order, never overlapping."""
        found = list(self._identifiers_in(text)) + list(self._names(text))
        kept = self._labels_kept(text, model)
        found = [
            (s, e, label) for s, e, label in found if not any(s < ke and ks < e for ks, ke in kept)
        ]
        found.sort(key=lambda item: (item[0], -(item[1] - item[0])))
        chosen: list[tuple[int, int, str]] = []
        for s, e, label in found:
            if chosen and s < chosen[-1][1]:
                continue
            chosen.append((s, e, label))
        return chosen

    def _identifiers_in(self, text: str) -> Iterable[tuple[int, int, str]]:
        return _identifiers(text) if self._identifiers else ()

    def text(self, text: str, model: str | None = None) -> str:
        """`text` with identifiers and people's names replaced."""
        out: list[str] = []
        done = 0
        for s, e, label in self.spans(text, model):
            out += [text[done:s], label]
            done = e
        out.append(text[done:])
        return "".join(out)

    def __call__(self, text: str | None, model: str | None = None) -> str | None:
        """`text` with names and identifiers replaced; None and "" stay as they are."""
        if not text:
            return text
        return self.text(text, model)
