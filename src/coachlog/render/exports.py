"""Exports as text: the supervision pack as Markdown or HTML, the hours log as CSV or Markdown.

Plain dicts in (the shapes documented in core/exports.py), a string out, or for
the supervision pack the same text in parts (`pack_markdown_parts`, `pack_html_parts`,
`json_parts`: a pack's client and reflection lists may be iterators, rendered one
item at a time); nothing here reads the journal or decides what is shown, only how.
User text is always escaped for the target format: HTML through `html.escape`, Markdown by
backslash-escaping the characters CommonMark would read as markup, CSV through
the csv module (with a leading quote on cells a spreadsheet would run as a
formula). The HTML page is self-contained (inline CSS, no scripts, no fonts or
images to fetch), says so in a Content-Security-Policy that forbids loading or
running anything, and lays itself out for A4 paper when printed.
"""

from __future__ import annotations

import csv
import html
import io
import itertools
import json
import re
from collections.abc import Iterable, Iterator
from typing import Any

from coachlog.render.tables import period
from coachlog.text import json_safe

# ---------------------------------------------------------------- shared wording


def json_text(data: Any) -> str:
    return json_safe(json.dumps(data, ensure_ascii=False, indent=2)) + "\n"


def json_parts(document: dict[str, Any]) -> Iterator[str]:
    """`json_text(document)` in parts, a top-level value that is an iterator written as
    a list one item at a time (the same bytes: each value is dumped with the indent it
    has at its depth; JSON strings hold no raw newline, so re-indenting is safe)."""

    def dumped(value: Any, indent: str) -> str:
        return json.dumps(value, ensure_ascii=False, indent=2).replace("\n", "\n" + indent)

    yield "{"
    for n, (key, value) in enumerate(document.items()):
        head = ("," if n else "") + "\n  " + json.dumps(key, ensure_ascii=False) + ": "
        if not isinstance(value, Iterator):
            yield json_safe(head + dumped(value, "  "))
            continue
        yield head + "["
        sep = "\n    "
        for item in value:
            yield json_safe(sep + dumped(item, "    "))
            sep = ",\n    "
        yield "]" if sep == "\n    " else "\n  ]"
    yield "\n}\n"


def _hours(minutes: int) -> str:
    """Hours to at most two decimals, without trailing zeros: 1, 1.5, 3.25."""
    return f"{round(minutes / 60, 2):g}"


def _span(document: dict[str, Any]) -> str:
    return period(document.get("since"), document.get("until"))


def _privacy_line(pack: dict[str, Any]) -> str:
    if pack["anonymised"]:
        named = "Anonymised: clients appear under pseudonyms and their names and e-mail addresses "
        named += "are removed from the text"
    else:
        named = "NOT anonymised: clients are named"
    private = (
        "private notes INCLUDED" if pack["private_notes_included"] else "private notes left out"
    )
    return f"{named}; {private}."


def ratio_line(ratio: dict[str, Any]) -> str:
    if not ratio["coaching_minutes"] and not ratio["supervision_minutes"]:
        return "no coaching or supervision in this period"
    if not ratio["coaching_minutes"]:
        return "no coaching in this period to set it against"
    if ratio["ratio"] is None:
        return f"no supervision logged (EMCC asks at least {ratio['emcc_minimum']})"
    verdict = "meets" if ratio["meets_emcc"] else "below"
    line = f"{ratio['ratio']} ({verdict} EMCC's minimum of {ratio['emcc_minimum']})"
    if not ratio["meets_emcc"]:
        line += f"; {ratio['supervision_hours_needed']:g} h more supervision would meet it"
    return line


def _session_heading(s: dict[str, Any]) -> str:
    bits = [s["on"] + (f" {s['at']}" if s["at"] else ""), f"{s['minutes']} min", s["mode"]]
    bits.append(s["format"])
    if s["model"]:
        bits.append(s["model"].upper())
    return f"Session {s['number']}: " + ", ".join(bits)


def _labels(s: dict[str, Any], cards: dict[str, str]) -> list[tuple[str, str]]:
    found = []
    if s.get("themes"):
        found.append(("Themes", ", ".join(s["themes"])))
    if s.get("cards"):
        found.append(("Cards", ", ".join(cards.get(c, c) for c in s["cards"])))
    if s.get("tags"):
        found.append(("Tags", ", ".join(s["tags"])))
    return found


def _action_line(a: dict[str, Any]) -> tuple[bool, str]:
    when = []
    if a["due"]:
        when.append(f"due {a['due']}")
    if a["done_on"]:
        when.append(f"done {a['done_on']}")
    return bool(a["done_on"]), (f" ({', '.join(when)})" if when else "")


def _score(goal: dict[str, Any]) -> str:
    base, latest = goal["baseline"], goal["latest"]
    if base is None:
        return "not scored"
    if latest is None or latest == base:
        return f"{base}/10"
    return f"{base} → {latest}/10"


def _reflection_heading(r: dict[str, Any]) -> str:
    return (
        str(r["on"])
        + (f" {r['at']}" if r["at"] else "")
        + (f": {r['title']}" if r["title"] else "")
    )


def _prompt(r: dict[str, Any], cards: dict[str, str]) -> str | None:
    if not r["card"] and not r["question"]:
        return None
    card = (r.get("card_title") or cards.get(r["card"], r["card"])) if r["card"] else None
    where = f"{card} ({r['perspective']})" if card and r["perspective"] else card
    return " · ".join(x for x in (where, r["question"]) if x)


# ---------------------------------------------------------------- Markdown

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|#~])")
_MD_LINE_START = re.compile(r"^(\s*)([-+=]|\d+[.)])(?=\s|$)")


def md(text: str | None) -> str:
    """User text escaped so CommonMark shows it as typed (one paragraph per line)."""
    if not text:
        return ""
    lines = []
    for line in text.splitlines():
        line = _MD_SPECIAL.sub(r"\\\1", line)
        line = _MD_LINE_START.sub(
            lambda m: (
                m.group(1)
                + m.group(2)
                .replace(".", r"\.")
                .replace(")", r"\)")
                .replace("-", r"\-")
                .replace("+", r"\+")
                .replace("=", r"\=")
            ),
            line,
        )
        lines.append(line)
    return "\n".join(lines)


def _md_quote(text: str | None) -> list[str]:
    return ["> " + line if line else ">" for line in md(text).split("\n")]


def _md_table(header: Iterable[str], rows: Iterable[Iterable[Any]]) -> list[str]:
    head = list(header)
    out = ["| " + " | ".join(head) + " |", "|" + "|".join("---" for _ in head) + "|"]
    out += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return out


def _signed(value: int | None) -> str:
    if value is None:
        return "–"
    return f"+{value}" if value > 0 else str(value)


def _profile_rows(profile: dict[str, Any]) -> list[list[Any]]:
    marks = {k: " (strength)" for k in profile["strengths"]}
    marks.update({k: " (to develop)" for k in profile["develop"]})
    return [
        [
            c["title"] + marks.get(c["key"], ""),
            c["theme_title"],
            c["score"],
            _signed(c["change"]),
            _signed(c["change_since_first"]),
        ]
        for c in profile["cards"]
    ]


_PROFILE_HEADER = ["Behaviour", "Theme", "Now (0-10)", "Since previous", "Since first"]


def _profile_line(profile: dict[str, Any]) -> str:
    count = profile["assessments"]
    line = f"Self-assessment of {profile['on']}"
    if profile["first_on"]:
        line += f"; {count} assessments since {profile['first_on']}"
    return line + "."


def _md_profile(profile: dict[str, Any]) -> list[str]:
    rows = [[md(str(v)) for v in row] for row in _profile_rows(profile)]
    return [_profile_line(profile), "", *_md_table(_PROFILE_HEADER, rows)]


def _html_profile(profile: dict[str, Any]) -> str:
    return f"<p>{_e(_profile_line(profile))}</p>" + _html_table(
        _PROFILE_HEADER, _profile_rows(profile), numeric=(2, 3, 4)
    )


def pack_markdown(pack: dict[str, Any]) -> str:
    return "".join(pack_markdown_parts(pack))


def pack_markdown_parts(pack: dict[str, Any]) -> Iterator[str]:
    """The Markdown pack in parts whose concatenation is the whole document.

    "clients" and "reflections" may be iterators (`core.exports.supervision_pack_stream`):
    each client, and each few hundred reflections, is rendered as it comes.
    """
    blocks = (block for block in _md_blocks(pack) if block)
    last = next(blocks)
    sep = ""
    for block in blocks:
        yield sep + "\n".join(last)
        sep, last = "\n", block
    # The last block is "What I bring to supervision", never blank: stripping the
    # end of the whole document strips only its end.
    yield sep + "\n".join(last).rstrip() + "\n"


def _md_blocks(pack: dict[str, Any]) -> Iterator[list[str]]:
    """The document's lines, a block at a time (joined with newlines between them)."""
    totals = pack["totals"]
    cards = {c["key"]: c["title"] for c in totals["cards"]}
    ratio = pack["supervision"]["ratio"]
    who = f" for {md(pack['client'])}" if pack["client"] else ""
    out = [
        f"# Supervision pack{who}",
        "",
        f"Period: {_span(pack)}. Prepared {pack['generated_on']} with coachlog.",
        "",
        f"*{md(_privacy_line(pack))}*",
        "",
        "## Summary",
        "",
        *_md_table(
            ["", ""],
            [
                ["Coaching sessions", totals["sessions"]],
                ["Clients", totals["clients"]],
                ["Coaching hours", _hours(totals["minutes"])],
                ["Supervision hours", _hours(ratio["supervision_minutes"])],
                ["Supervision ratio", md(ratio_line(ratio))],
            ],
        ),
        "",
    ]
    if totals["by_format"]:
        out += [
            "### By format",
            "",
            *_md_table(
                ["Format", "Sessions", "Hours"],
                [[f["format"], f["sessions"], _hours(f["minutes"])] for f in totals["by_format"]],
            ),
            "",
            "### By relationship",
            "",
            *_md_table(
                ["Relationship", "Sessions", "Hours"],
                [
                    [r["relationship"], r["sessions"], _hours(r["minutes"])]
                    for r in totals["by_relationship"]
                ],
            ),
            "",
        ]
    out += [
        "### Impact themes",
        "",
        *_md_table(
            ["Theme", "Sessions"], [[md(t["title"]), t["sessions"]] for t in totals["themes"]]
        ),
        "",
    ]
    if totals["cards"]:
        out += [
            "### Behaviour cards used",
            "",
            *_md_table(["Card", "Uses"], [[md(c["title"]), c["uses"]] for c in totals["cards"]]),
            "",
        ]
    out += ["## Clients", ""]
    yield out
    clients = 0
    for client in pack["clients"]:
        clients += 1
        yield _md_client(client, cards)
    if not clients:
        yield ["No client sessions in this period.", ""]
    out = []
    if pack.get("profile"):
        out += ["## My behaviour profile", "", *_md_profile(pack["profile"]), ""]
    reflections = _peek(pack["reflections"])
    if reflections is not None:
        out += ["## Reflections on my practice", ""]
        yield out
        for batch in _batches(reflections):
            yield _md_reflections(batch, cards, level="###")
        out = []
    supervised = pack["supervision"]["sessions"]
    if supervised:
        out += ["## Supervision in this period", ""]
        for s in supervised:
            who = f" with {md(s['supervisor'])}" if s["supervisor"] else ""
            out.append(f"- {s['on']}, {s['minutes']} min{who} ({s['format']})")
            if s["notes"]:
                out += ["", *["  " + line for line in _md_quote(s["notes"])], ""]
        out.append("")
    yield out
    out = ["## What I bring to supervision", ""]
    if pack["questions"]:
        out += [f"{n}. {md(q)}" for n, q in enumerate(pack["questions"], start=1)]
    else:
        out += ["1. ", "2. ", "3. "]
    yield out


def _md_client(client: dict[str, Any], cards: dict[str, str]) -> list[str]:
    title = md(client["name"] or client["pseudonym"])
    out = [f"### {title} ({client['relationship']})", ""]
    for s in client["sessions"]:
        out += [f"#### {_session_heading(s)}", ""]
        labels = _labels(s, cards)
        if labels:
            out += [" · ".join(f"{k}: {md(v)}" for k, v in labels), ""]
        if s["notes"]:
            out += [*_md_quote(s["notes"]), ""]
        if s["private_notes"]:
            out += ["Private notes:", "", *_md_quote(s["private_notes"]), ""]
        if s["actions"]:
            out.append("Actions agreed:")
            out.append("")
            for a in s["actions"]:
                done, when = _action_line(a)
                out.append(f"- [{'x' if done else ' '}] {md(a['text'])}{when}")
            out.append("")
    if client["goals"]:
        out += [
            "#### Goals",
            "",
            *_md_table(
                ["Goal", "Status", "Score"],
                [[md(g["title"]), g["status"], _score(g)] for g in client["goals"]],
            ),
            "",
        ]
    if client.get("profile"):
        out += ["#### Behaviour profile", "", *_md_profile(client["profile"]), ""]
    if client["reflections"]:
        out += ["#### Reflections", ""]
        out += _md_reflections(client["reflections"], cards)
    return out


def _peek(items: Iterable[Any]) -> Iterator[Any] | None:
    """`items` as an iterator, or None if there are none (without losing the first)."""
    found = iter(items)
    for first in found:
        return itertools.chain([first], found)
    return None


def _batches(items: Iterable[Any], size: int = 200) -> Iterator[list[Any]]:
    found = iter(items)
    while batch := list(itertools.islice(found, size)):
        yield batch


def _md_reflections(
    reflections: list[dict[str, Any]], cards: dict[str, str], level: str = "#####"
) -> list[str]:
    out: list[str] = []
    for r in reflections:
        out += [f"{level} {md(_reflection_heading(r))}", ""]
        prompt = _prompt(r, cards)
        if prompt:
            out += [f"*{md(prompt)}*", ""]
        out += [*_md_quote(r["text"]), ""]
    return out


# ---------------------------------------------------------------- HTML

_CSS = """
:root { --ink: #1d2329; --muted: #5b6670; --rule: #d5dbe0; --accent: #005eb8; }
* { box-sizing: border-box; }
body { font: 15px/1.5 -apple-system, "Segoe UI", Roboto, Arial, sans-serif; color: var(--ink);
       max-width: 52rem; margin: 2rem auto; padding: 0 1.5rem; }
h1 { font-size: 1.7rem; margin: 0 0 .25rem; color: var(--accent); }
h2 { font-size: 1.3rem; margin: 2rem 0 .5rem; padding-bottom: .2rem;
     border-bottom: 2px solid var(--accent); }
h3 { font-size: 1.1rem; margin: 1.5rem 0 .4rem; }
h4 { font-size: 1rem; margin: 1rem 0 .3rem; }
.meta { color: var(--muted); margin: 0; }
.privacy { margin: .75rem 0 0; padding: .5rem .75rem; border-left: 4px solid var(--accent);
           background: #eef4fa; }
.privacy.named { border-color: #b00020; background: #fdecee; }
table { border-collapse: collapse; margin: .5rem 0 1rem; min-width: 50%; }
th, td { text-align: left; padding: .25rem .75rem .25rem 0; border-bottom: 1px solid var(--rule);
         vertical-align: top; }
th { font-weight: 600; }
td.num, th.num { text-align: right; padding-right: 1rem; }
.grid { display: flex; flex-wrap: wrap; gap: 0 2.5rem; }
h5 { font-size: .95rem; margin: .75rem 0 .2rem; }
.session, .reflection { margin: 0 0 1rem; break-inside: avoid; page-break-inside: avoid; }
.labels { color: var(--muted); margin: .1rem 0 .3rem; }
.text { white-space: pre-wrap; margin: .3rem 0; padding: .4rem .75rem; background: #f6f8f9;
        border-radius: 3px; }
.private { border-left: 3px solid #b00020; }
.prompt { font-style: italic; color: var(--muted); margin: .2rem 0; }
ul.actions { margin: .3rem 0; padding-left: .25rem; list-style: none; }
ul.actions li.done { color: var(--muted); }
ol.questions li { min-height: 4.5rem; margin-bottom: .5rem;
                  border-bottom: 1px dotted var(--rule); }
footer { margin-top: 2.5rem; color: var(--muted); font-size: .85rem; }
@page { size: A4; margin: 16mm 14mm; }
@media print {
  body { margin: 0; max-width: none; font-size: 10.5pt; padding: 0; }
  h2 { break-after: avoid; page-break-after: avoid; }
  h3, h4 { break-after: avoid; page-break-after: avoid; }
  .text { background: none; border: 1px solid var(--rule); }
  a { color: inherit; text-decoration: none; }
}
"""


def _e(text: Any) -> str:
    return html.escape(str(text), quote=True)


def _html_table(header: list[str], rows: Iterable[list[Any]], numeric: Iterable[int] = ()) -> str:
    nums = set(numeric)

    def cell(tag: str, i: int, value: Any) -> str:
        cls = ' class="num"' if i in nums else ""
        return f"<{tag}{cls}>{_e(value)}</{tag}>"

    head = "".join(cell("th", i, h) for i, h in enumerate(header))
    thead = f"<thead><tr>{head}</tr></thead>" if any(header) else ""
    body = "".join(
        "<tr>" + "".join(cell("td", i, v) for i, v in enumerate(row)) + "</tr>" for row in rows
    )
    return f"<table>{thead}<tbody>{body}</tbody></table>"


def _html_text(text: str | None, extra: str = "") -> str:
    if not text:
        return ""
    return f'<div class="text{extra}">{_e(text)}</div>'


def _html_reflections(reflections: list[dict[str, Any]], cards: dict[str, str], tag: str) -> str:
    parts = []
    for r in reflections:
        prompt = _prompt(r, cards)
        parts.append(
            '<div class="reflection">'
            f"<{tag}>{_e(_reflection_heading(r))}</{tag}>"
            + (f'<p class="prompt">{_e(prompt)}</p>' if prompt else "")
            + _html_text(r["text"])
            + "</div>"
        )
    return "".join(parts)


def pack_html(pack: dict[str, Any]) -> str:
    return "".join(pack_html_parts(pack))


def pack_html_parts(pack: dict[str, Any]) -> Iterator[str]:
    """The HTML page in parts whose concatenation is the whole page (see pack_markdown_parts)."""
    who = f" for {pack['client']}" if pack["client"] else ""
    title = f"Supervision pack{who}"
    yield (
        "<!DOCTYPE html>\n"
        '<html lang="en-GB"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<meta name="robots" content="noindex">'
        f"<title>{_e(title)}</title><style>{_CSS}</style></head>\n<body>\n"
    )
    sep = ""
    for piece in _html_body(pack, title):
        yield sep + piece
        sep = "\n"
    yield "\n</body></html>\n"


def _html_body(pack: dict[str, Any], title: str) -> Iterator[str]:
    """The body's parts, to be joined with newlines."""
    totals = pack["totals"]
    cards = {c["key"]: c["title"] for c in totals["cards"]}
    ratio = pack["supervision"]["ratio"]
    named = "" if pack["anonymised"] else " named"
    body = [
        f"<header><h1>{_e(title)}</h1>",
        f'<p class="meta">Period: {_e(_span(pack))}. Prepared {_e(pack["generated_on"])} '
        "with coachlog.</p>",
        f'<p class="privacy{named}">{_e(_privacy_line(pack))}</p></header>',
        "<h2>Summary</h2>",
        _html_table(
            ["", ""],
            [
                ["Coaching sessions", totals["sessions"]],
                ["Clients", totals["clients"]],
                ["Coaching hours", _hours(totals["minutes"])],
                ["Supervision hours", _hours(ratio["supervision_minutes"])],
                ["Supervision ratio", ratio_line(ratio)],
            ],
        ),
        '<div class="grid">',
    ]
    if totals["by_format"]:
        body.append(
            "<div><h3>By format</h3>"
            + _html_table(
                ["Format", "Sessions", "Hours"],
                [[f["format"], f["sessions"], _hours(f["minutes"])] for f in totals["by_format"]],
                numeric=(1, 2),
            )
            + "</div><div><h3>By relationship</h3>"
            + _html_table(
                ["Relationship", "Sessions", "Hours"],
                [
                    [r["relationship"], r["sessions"], _hours(r["minutes"])]
                    for r in totals["by_relationship"]
                ],
                numeric=(1, 2),
            )
            + "</div>"
        )
    body.append(
        "<div><h3>Impact themes</h3>"
        + _html_table(
            ["Theme", "Sessions"],
            [[t["title"], t["sessions"]] for t in totals["themes"]],
            numeric=(1,),
        )
        + "</div>"
    )
    if totals["cards"]:
        body.append(
            "<div><h3>Behaviour cards used</h3>"
            + _html_table(
                ["Card", "Uses"], [[c["title"], c["uses"]] for c in totals["cards"]], numeric=(1,)
            )
            + "</div>"
        )
    body.append("</div><h2>Clients</h2>")
    yield "\n".join(body)
    clients = 0
    for client in pack["clients"]:
        clients += 1
        yield "\n".join(_html_client(client, cards))
    if not clients:
        yield "<p>No client sessions in this period.</p>"
    if pack.get("profile"):
        yield "<h2>My behaviour profile</h2>" + _html_profile(pack["profile"])
    reflections = _peek(pack["reflections"])
    if reflections is not None:
        yield "<h2>Reflections on my practice</h2>"
        # One part of the body, however many reflections: the batches join with nothing.
        yield "".join(_html_reflections(batch, cards, "h3") for batch in _batches(reflections))
    supervised = pack["supervision"]["sessions"]
    if supervised:
        yield "<h2>Supervision in this period</h2>"
        for s in supervised:
            who = f" with {s['supervisor']}" if s["supervisor"] else ""
            yield (
                f'<div class="session"><h4>{_e(s["on"])}, {s["minutes"]} min{_e(who)} '
                f"({_e(s['format'])})</h4>" + _html_text(s["notes"]) + "</div>"
            )
    yield '<h2>What I bring to supervision</h2><ol class="questions">'
    questions = pack["questions"] or ["", "", ""]
    yield "".join(f"<li>{_e(q)}</li>" for q in questions)
    yield (
        "</ol><footer>Made with coachlog. Keep this document as securely as the notes "
        "it came from.</footer>"
    )


def _html_client(client: dict[str, Any], cards: dict[str, str]) -> list[str]:
    body = [
        f'<section class="client"><h3>{_e(client["name"] or client["pseudonym"])} '
        f'<span class="meta">({_e(client["relationship"])})</span></h3>'
    ]
    for s in client["sessions"]:
        labels = _labels(s, cards)
        body.append(
            f'<div class="session"><h4>{_e(_session_heading(s))}</h4>'
            + (
                '<p class="labels">' + " · ".join(f"{_e(k)}: {_e(v)}" for k, v in labels) + "</p>"
                if labels
                else ""
            )
            + _html_text(s["notes"])
            + (
                '<p class="labels">Private notes:</p>' + _html_text(s["private_notes"], " private")
                if s["private_notes"]
                else ""
            )
        )
        if s["actions"]:
            items = []
            for a in s["actions"]:
                done, when = _action_line(a)
                mark = "☑" if done else "☐"
                cls = ' class="done"' if done else ""
                items.append(f"<li{cls}>{mark} {_e(a['text'])}{_e(when)}</li>")
            body.append(
                '<p class="labels">Actions agreed:</p><ul class="actions">'
                + "".join(items)
                + "</ul>"
            )
        body.append("</div>")
    if client["goals"]:
        body.append(
            "<h4>Goals</h4>"
            + _html_table(
                ["Goal", "Status", "Score"],
                [[g["title"], g["status"], _score(g)] for g in client["goals"]],
            )
        )
    if client.get("profile"):
        body.append("<h4>Behaviour profile</h4>" + _html_profile(client["profile"]))
    if client["reflections"]:
        body.append("<h4>Reflections</h4>")
        body.append(_html_reflections(client["reflections"], cards, "h5"))
    body.append("</section>")
    return body


# Whatever text the pack holds, the page may load nothing and run nothing: only
# its own inline styles are allowed. The policy comes first in <head>, before any
# user text, so no note can get in ahead of it.
CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src 'none'; script-src 'none'; "
    "object-src 'none'; base-uri 'none'; form-action 'none'; frame-src 'none'"
)

# ---------------------------------------------------------------- hours log

HOURS_COLUMNS = ["date", "client", "relationship", "minutes", "hours", "format", "payment"]


def _cell(value: Any) -> Any:
    # A spreadsheet runs a cell starting with = + - @ as a formula: quote it.
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def _sessions(n: int) -> str:
    return f"{n} session" + ("" if n == 1 else "s")


def _rounding_note(log: dict[str, Any]) -> str | None:
    """Each row's hours are rounded to 2 decimals, so their sum can miss the total."""
    column = sum(round(e["hours"] + 1e-9, 2) for e in log["entries"])
    minutes = log["totals"]["minutes"]
    if f"{column:.2f}" == f"{minutes / 60:.2f}":
        return None
    return (
        f"The hours column sums to {column:.2f} because each row is rounded; the "
        f"minutes column adds up exactly ({minutes} min = {minutes / 60:.2f} h)."
    )


def _hours_totals(log: dict[str, Any]) -> list[tuple[str, int | None, str]]:
    t = log["totals"]
    ratio = log["supervision"]
    rows: list[tuple[str, int | None, str]] = [
        (
            "Total coaching",
            t["minutes"],
            f"{_sessions(t['sessions'])}, {t['clients']} client"
            + ("" if t["clients"] == 1 else "s"),
        ),
    ]
    for r in t.get("by_relationship", []):
        label = f"{r['relationship'].capitalize()} relationships"
        rows.append((label, r["minutes"], _sessions(r["sessions"])))
    rows += [
        ("Individual", t["individual_minutes"], ""),
        ("Group", t["group_minutes"], ""),
        ("Team", t["team_minutes"], ""),
        ("Paid", t["paid_minutes"], ""),
        ("Pro bono", t["pro_bono_minutes"], ""),
        ("Supervision", ratio["supervision_minutes"], ""),
        ("Supervision ratio", None, ratio_line(ratio)),
    ]
    return rows


def hours_csv(log: dict[str, Any]) -> str:
    """One row per session and nothing else, so every column sums right in a spreadsheet.

    The totals and the supervision ratio are in `hours_summary` (printed on stderr)
    and in the Markdown log, never among the data rows.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HOURS_COLUMNS)
    for e in log["entries"]:
        writer.writerow([_cell(e[c]) if c != "hours" else f"{e[c]:.2f}" for c in HOURS_COLUMNS])
    return buffer.getvalue()


def hours_summary(log: dict[str, Any]) -> list[str]:
    """The totals as short lines for the terminal: label, minutes, hours, note."""
    lines = ["Totals (kept out of the CSV so its columns add up):"]
    for label, minutes, note in _hours_totals(log):
        amount = "" if minutes is None else f"{minutes} min {minutes / 60:.2f} h"
        lines.append(" ".join(bit for bit in (label, amount, note) if bit))
    rounding = _rounding_note(log)
    if rounding:
        lines.append(rounding)
    return lines


def hours_markdown(log: dict[str, Any]) -> str:
    out = [
        "# Coaching hours log",
        "",
        f"Period: {_span(log)}. Prepared {log['generated_on']} with coachlog. "
        "Clients who have not agreed to be named appear under a pseudonym.",
        "",
    ]
    if log["entries"]:
        out += _md_table(
            ["Date", "Client", "Relationship", "Minutes", "Hours", "Format", "Payment"],
            [
                [
                    e["date"],
                    md(e["client"]),
                    e["relationship"],
                    e["minutes"],
                    f"{e['hours']:.2f}",
                    e["format"],
                    e["payment"],
                ]
                for e in log["entries"]
            ],
        )
    else:
        out.append("No coaching sessions in this period.")
    out += ["", "## Totals", ""]
    out += _md_table(
        ["", "Minutes", "Hours", ""],
        [
            [label, "" if m is None else m, "" if m is None else f"{m / 60:.2f}", md(note)]
            for label, m, note in _hours_totals(log)
        ],
    )
    return "\n".join(out) + "\n"
