"""The errors coachlog's own layers raise, and the exit code each one means.

Core and store raise these; the CLI turns them into one `Error:` line on stderr
and the documented exit code (docs/contract.md: 1 domain error, 2 usage error). Messages
are written for the person at the keyboard and never carry journal text beyond
the identifier they typed, so nothing sensitive leaks into terminal scrollback.
"""

from __future__ import annotations


class CoachlogError(Exception):
    """Base class: a problem the user can act on. Exit code 1 unless overridden."""

    exit_code = 1

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


class NotFound(CoachlogError):
    """A client, session, goal, card ... named by the user does not exist."""


class Conflict(CoachlogError):
    """The change would clash with what is stored (a duplicate name, a closed goal)."""


class Refused(CoachlogError):
    """coachlog will not do this as asked (an unconfirmed erase, a newer database)."""


class InvalidInput(CoachlogError):
    """A value given on the command line or in a prompt is not acceptable: exit 2."""

    exit_code = 2


class Cancelled(CoachlogError):
    """The user stopped at a prompt (Ctrl-C, Esc): nothing was saved."""

    exit_code = 130

    def __init__(self, message: str = "Cancelled, nothing saved.") -> None:
        super().__init__(message)
