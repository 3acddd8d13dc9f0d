"""The fixed words of the journal, as enums with no heavy imports.

These are the choices a flag accepts (`--mode video`, `--theme confidence`), so the
CLI needs them to build `--help`; keeping them apart from the pydantic models means
`coachlog --help` never pays for importing pydantic.
"""

from __future__ import annotations

from enum import StrEnum


class ClientName(str):
    """A CLIENT reference to look up by name even though it is all digits.

    A bare number is always a client id (so `erase 2` never means someone called
    "2"); the CLI's `--by-name` wraps the text in this to reach such a client.
    """


class Relationship(StrEnum):
    """Forms of support from NHS Scotland's coaching and mentoring pack."""

    coaching = "coaching"
    mentoring = "mentoring"
    peer = "peer"
    line_manager = "line-manager"
    team = "team"


class Mode(StrEnum):
    in_person = "in-person"
    video = "video"
    phone = "phone"


class SessionFormat(StrEnum):
    one_to_one = "one-to-one"
    group = "group"
    team = "team"


class CoachingModel(StrEnum):
    grow = "grow"
    clear = "clear"
    oskar = "oskar"


class Perspective(StrEnum):
    """The three question prompts on the back of each behaviour card."""

    self_ = "self"
    organisation = "organisation"
    system = "system"


class GoalStatus(StrEnum):
    open = "open"
    done = "done"
    dropped = "dropped"


class ThemeKey(StrEnum):
    """The six IES impact themes (Sinclair et al. 2008), the axes of `progress`."""

    strategic = "strategic"
    prioritisation = "prioritisation"
    confidence = "confidence"
    influence = "influence"
    team = "team"
    self_presentation = "self-presentation"


class CardTheme(StrEnum):
    """The four theme groups of the system-leadership behaviour deck."""

    being = "being"
    relating_communicating = "relating-communicating"
    leading_visioning = "leading-visioning"
    delivering = "delivering"


class OutcomeStage(StrEnum):
    """When an outcome check-in was taken: before coaching, at its end, six months on."""

    before = "before"
    end = "end"
    follow_up = "follow-up"
