"""`coachlog cards ...` and `coachlog themes` (being built)."""

from __future__ import annotations

import typer

app = typer.Typer(no_args_is_help=True)


def register_themes(root: typer.Typer) -> None:
    pass
