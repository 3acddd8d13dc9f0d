"""Reflections for people to read: the card prompt, the `reflection list` table, one entry.

The question is printed exactly as it was stored with the entry, and every piece of
the user's own writing goes in as `rich.text.Text`, so `[/bold]` in a journal
entry prints as typed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Group, RenderableType
from rich.text import Text

from coachlog.models import Perspective, Reflection

if TYPE_CHECKING:
    from coachlog.models import Card

from coachlog.render.tables import fit_columns, key_values, one_line, table

# Widest text per column so that `reflection list` fits 80 columns with ids up to 9999
# (a Rich table row is the text widths + 3 per column gap + 2 at the edges).
REFLECTION_WIDTHS = {"whose": 11, "card": 15, "reflection": 26}


def card_prompt(card: Card, perspective: Perspective, question: str) -> RenderableType:
    """'Resilience (self)' in bold, then the question on the next line."""
    head = Text(card.title, style="bold")
    head.append(f"  ({perspective.value} perspective)", style="dim")
    return Group(head, Text(question))


def reflections_table(found: list[Reflection], width: int = 80) -> RenderableType:
    """One line per reflection. The widths above fit 80 columns; a wider terminal
    first shows whole card keys (the longest is 25), then gives the rest to the text."""
    extra = max(0, width - 80)
    w = dict(REFLECTION_WIDTHS)
    w["card"] += min(extra, 25 - w["card"])
    w["reflection"] += extra - (w["card"] - REFLECTION_WIDTHS["card"])
    t = table("id", "date", "whose", "card", "reflection")
    fit_columns(t, **w)
    for r in found:
        t.add_row(
            str(r.id),
            r.on.isoformat(),
            # A reflection a client shared in a pack is their words: "from <client>".
            one_line(f"from {r.shared_by}" if r.shared_by else r.client, w["whose"])
            if r.client
            else Text("me", style="dim"),
            one_line(r.card, w["card"]),
            one_line(r.title or r.text, w["reflection"]),
        )
    return t


def reflection_detail(r: Reflection, card_title: str | None = None) -> RenderableType:
    """The entry's details, the question it answered, then the whole text."""
    card = None
    if r.card:
        card = f"{card_title or r.card} ({r.perspective.value if r.perspective else 'self'})"
    head = key_values(
        [
            ("Reflection", f"{r.id}, {r.on.isoformat()}" + (f" {r.at}" if r.at else "")),
            ("Title", r.title),
            ("Whose", r.client or "me"),
            ("Card", card),
            ("Deck", r.deck if r.deck and r.deck != "nhs-system-leadership" else None),
            ("Themes", [t.value for t in r.themes]),
            ("Tags", r.tags),
            ("Goal", r.goal_id),
            ("Session", r.session_id),
        ]
    )
    parts: list[RenderableType] = [head, Text("")]
    if r.question:
        parts += [Text(r.question, style="italic"), Text("")]
    parts.append(Text(r.text))
    return Group(*parts)
