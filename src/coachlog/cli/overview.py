"""The bare `coachlog`: a short overview of the journal, or a welcome when it is empty.

It must never fail on an empty or new journal and must stay quick, because it is
what people type most; the figures come from core/overview.py in a few small queries.
"""

from __future__ import annotations

from coachlog.cli import common


def show_overview() -> None:
    from coachlog.core.overview import overview
    from coachlog.render.progress import overview_view

    console = common.out()
    console.print(overview_view(overview(common.journal()), console.width))
