"""The bare `coachlog` overview (being built)."""

from __future__ import annotations


def show_overview() -> None:
    pass
