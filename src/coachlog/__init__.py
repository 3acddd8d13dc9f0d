"""coachlog: a local-first command-line coaching journal.

Coaches log sessions with their clients, coachees journal between sessions from
behaviour-card questions, both track goals on a 0-10 scale, and progress is read
against the six impact themes of the IES evaluation of coaching in the NHS.
Everything lives in one SQLite file owned by the user.
"""

__version__ = "0.1.0"
