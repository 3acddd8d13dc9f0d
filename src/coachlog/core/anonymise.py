"""De-identifying free text before it leaves the journal: names to pseudonyms, e-mails removed.

Case material taken to supervision must not name the client, and notes name
people in every way people write: "Priya", "priya", "PRIYA", "Priya's", "Priya
Patel", "priya.patel@nhs.net". `Anonymiser` replaces, in one left-to-right pass:

1. every e-mail address (anyone's, not only clients') with "[e-mail]";
2. a client's full name, in any case and with any spacing between its words,
   with their pseudonym ("Client A");
3. each word of a client's name (first name, surname, each half of a
   hyphenated name, and runs of words such as "van der Berg") as whole words,
   in any case, with their pseudonym. A possessive keeps its ending: "Priya's"
   becomes "Client A's".

Two exceptions keep ordinary prose readable:

- A name word that is also a common English word ("Will", "May", "Hope",
  "Grace", "Brown", ... see COMMON_WORDS) is replaced only when written with a
  capital letter ("Will", "WILL"), so "she will try" is left alone. A capitalised
  "Will" at the start of a sentence is still replaced: when in doubt, coachlog
  removes too much rather than too little.
- Single letters ("Ann B") and name particles ("van", "de", "al") are matched
  only inside the full name.

A word shared by two clients' names (two clients called Priya) is replaced with
"[client]", since either pseudonym could be wrong. Replacements are whole words
only: "Priya" is not found inside "Priyanka". Spellings the journal does not
know (a nickname, "Zoe" for "Zoë") cannot be found: the export's warning says so.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

EMAIL_LABEL = "[e-mail]"
AMBIGUOUS_LABEL = "[client]"

# An e-mail address: the domain never ends in a dot, so a sentence's full stop stays.
_EMAIL = r"[\w.%+-]+@[\w-]+(?:\.[\w-]+)+"
# One scan finds e-mail addresses and the start of every word; a word that could
# begin a client's name is then checked against that name's own pattern.
_SCAN = re.compile(rf"(?P<email>{_EMAIL})|\w+")
_FIRST_WORD = re.compile(r"\w+")

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
COMMON_WORDS = frozenset(_COMMON.split())

# Parts of a name that are not names on their own.
_PARTICLES = "al bin bint da de del della den der di du el ibn la le st van von ben ap mac"
PARTICLES = frozenset(_PARTICLES.split())


@dataclass(frozen=True)
class Person:
    """A client as the anonymiser needs them: their name and pseudonym."""

    name: str
    label: str


def _fold(text: str) -> str:
    return " ".join(text.split()).casefold()


def _words(name: str) -> list[str]:
    """The parts of a name that stand for the person alone: 'Mary-Anne van Berg' ->
    ['Mary-Anne van', 'van Berg', 'Mary-Anne', 'Mary', 'Anne', 'Berg']."""
    found: list[str] = []
    words = name.split()
    # Runs of two or more words ("van der Berg", "Anna Maria"), unless all particles.
    for size in range(len(words) - 1, 1, -1):
        for start in range(len(words) - size + 1):
            run = words[start : start + size]
            if any(w.casefold() not in PARTICLES and len(w) > 1 for w in run):
                found.append(" ".join(run))
    for part in words:
        part = part.strip('.,;:()[]{}"')
        pieces = [part, *part.split("-")] if "-" in part else [part]
        for piece in pieces:
            letters = sum(ch.isalnum() for ch in piece)
            if letters >= 2 and piece.casefold() not in PARTICLES and piece not in found:
                found.append(piece)
    return found


def _pattern(token: str) -> str:
    """A regex for `token` that lets words be split by any whitespace and accepts ’ for '."""
    words = [re.escape(w).replace("'", "['\u2019]") for w in token.split()]
    return r"\s+".join(words)


class Anonymiser:
    """Replaces clients' names and every e-mail address in free text (see module doc)."""

    def __init__(self, people: Iterable[Person]) -> None:
        full: dict[str, str] = {}
        parts: dict[str, set[str]] = defaultdict(set)
        shown: dict[str, set[str]] = defaultdict(set)  # folded token -> spellings as typed
        for person in people:
            name = " ".join(person.name.split())
            if not name:
                continue
            full[_fold(name)] = person.label
            shown[_fold(name)].add(name)
            for word in _words(name):
                parts[_fold(word)].add(person.label)
                shown[_fold(word)].add(word)
        self._labels: dict[str, str] = {}
        for token in shown:
            if token in full:
                self._labels[token] = full[token]
            else:
                labels = parts[token]
                self._labels[token] = next(iter(labels)) if len(labels) == 1 else AMBIGUOUS_LABEL
        # Each name token is tried only where a word that could start it stands:
        # candidates are filed under their first word, casefolded, longest first,
        # so a scan costs one dictionary lookup per word of text, however many
        # clients the journal has.
        candidates: dict[str, list[tuple[int, re.Pattern[str], str]]] = defaultdict(list)
        for token, spellings in shown.items():
            label = self._labels[token]
            if token in COMMON_WORDS:
                # Case-sensitive: only forms that start with a capital letter.
                forms = {form for s in spellings for form in (s, s.capitalize(), s.upper())}
                patterns = [
                    (form, re.compile(_pattern(form) + r"(?!\w)"))
                    for form in sorted(forms)
                    if form[:1].isupper()
                ]
            else:
                patterns = [(token, re.compile(_pattern(token) + r"(?!\w)", re.IGNORECASE))]
            for form, pattern in patterns:
                first = _FIRST_WORD.match(form)
                if first:
                    candidates[first.group().casefold()].append((len(form), pattern, label))
        for found in candidates.values():
            found.sort(key=lambda item: -item[0])  # "Priya Patel" before "Priya"
        self._candidates = dict(candidates)

    def text(self, text: str) -> str:
        """`text` with e-mail addresses and clients' names replaced."""
        out: list[str] = []
        done = 0  # text[:done] is already in `out`
        pos = 0
        while True:
            found = _SCAN.search(text, pos)
            if found is None:
                break
            start = found.start()
            if found.group("email") is not None:
                out += [text[done:start], EMAIL_LABEL]
                done = pos = found.end()
                continue
            replaced = False
            for _, pattern, label in self._candidates.get(found.group().casefold(), ()):
                name = pattern.match(text, start)
                if name:
                    out += [text[done:start], label]
                    done = pos = name.end()
                    replaced = True
                    break
            if not replaced:
                pos = found.end()
        out.append(text[done:])
        return "".join(out)

    def __call__(self, text: str | None) -> str | None:
        """`text` with names and e-mails replaced; None and "" stay as they are."""
        if not text:
            return text
        return self.text(text)
