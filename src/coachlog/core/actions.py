"""Use-cases for actions: the next steps agreed in a session or set for oneself.

An action belongs to a client (agreed with them, often in a session) or to the
journal's owner (no client). It is open until marked done; an open action whose
due date has passed is overdue. `pair_actions` is the one rule for matching
`--action TEXT` flags with `--action-due DATE` flags, shared by `session log`
and `session edit`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING

from coachlog import dates
from coachlog.errors import Conflict, InvalidInput, NotFound
from coachlog.models import Action
from coachlog.store import actions as store
from coachlog.store.db import Journal

# Validation (pydantic) is imported by the functions that write, so that reading
# the journal (`session list`, ...) starts without it.
if TYPE_CHECKING:
    from coachlog.models.validation import ActionIn


def pair_actions(texts: Sequence[str], dues: Sequence[str]) -> list[tuple[str, str | None]]:
    """Match the n-th `--action` with the n-th `--action-due`: none, or one for each.

    Options reach coachlog as two lists with their order on the line lost, so
    `--action A --action B --action-due D` cannot tell whether D is A's or B's.
    Rather than guess, a count that does not match is refused; "" means no due date.
    """
    if dues and len(dues) != len(texts):
        raise InvalidInput(
            f"{len(dues)} --action-due {'was' if len(dues) == 1 else 'were'} given for "
            f"{len(texts)} --action: the first "
            "--action-due goes with the first --action, and so on, so give one for each.",
            hint='Use --action-due "" for an action with no due date, or add a due date '
            "later with 'coachlog action edit ID --due DATE'.",
        )
    return [(text, (dues[i] or None) if dues else None) for i, text in enumerate(texts)]


def validate_action(
    text: str,
    due: str | dt.date | None,
    *,
    client_id: int | None = None,
    session_id: int | None = None,
    text_flag: str = "TEXT",
    due_flag: str = "--due",
) -> ActionIn:
    """Check one action's text and due date before anything is written."""
    from coachlog.models.validation import ActionIn, validate

    parsed = dates.parse_date(due, due_flag) if due else None
    try:
        return validate(
            ActionIn, text=text, due=parsed, client_id=client_id, session_id=session_id
        )
    except InvalidInput as exc:
        # models.validate names the field `--text`; say the flag the user typed.
        if exc.message.startswith("--text "):
            raise InvalidInput(text_flag + exc.message[len("--text") :], exc.hint) from None
        raise


def get(j: Journal, action_id: int) -> Action:
    found = store.by_id(j, action_id)
    if found is None:
        raise NotFound(
            f"No action {action_id}.",
            hint="'coachlog action list' shows actions with their ids.",
        )
    return found


def add(
    j: Journal,
    text: str,
    client: str | None = None,
    due: str | dt.date | None = None,
    session_id: int | None = None,
) -> Action:
    """Record one action; one agreed in a session belongs to that session's client."""
    from coachlog.core import clients

    data = validate_action(text, due, session_id=session_id)
    with j.write():
        client_id = clients.resolve(j, client).id if client is not None else None
        if session_id is not None:
            from coachlog.core import sessions

            session = sessions.get(j, session_id)
            if client_id is not None and client_id != session.client_id:
                raise InvalidInput(
                    f"Session {session_id} is with {session.client}, not that client.",
                    hint="Leave out --client: the action belongs to the session's client.",
                )
            client_id = session.client_id
        data = data.model_copy(update={"client_id": client_id})
        action_id = store.insert(j, data, dates.today().isoformat())
        return get(j, action_id)


def list_actions(
    j: Journal,
    client: str | None = None,
    open_only: bool = False,
    overdue_only: bool = False,
    limit: int | None = None,
) -> list[Action]:
    """Actions, open ones first by due date; overdue = not done and due before today.

    At most `limit` of them when given."""
    from coachlog.core import clients

    client_id = clients.resolve(j, client).id if client is not None else None
    return store.find(
        j,
        client_id=client_id,
        open_only=open_only,
        overdue_before=dates.today().isoformat() if overdue_only else None,
        limit=limit,
    )


def is_overdue(action: Action, today: dt.date | None = None) -> bool:
    return (
        action.done_on is None and action.due is not None and action.due < (today or dates.today())
    )


def mark_done(j: Journal, action_id: int, on: str | dt.date | None = None) -> Action:
    """Mark an action done (today unless `on` says when); a done action is a Conflict."""
    done_on = dates.parse_date(on, "--on") if on is not None else dates.today()
    dates.happened(done_on, "--on")
    with j.write():
        action = get(j, action_id)
        dates.not_before(
            done_on,
            action.created_on,
            "--on",
            f"the day action {action_id} was agreed",
            hint="An action cannot be done before it was agreed; check the date.",
        )
        if action.done_on is not None:
            raise Conflict(
                f"Action {action_id} was already marked done on {action.done_on.isoformat()}.",
                hint="'coachlog action list --open' shows the actions still to do.",
            )
        store.set_done(j, action_id, done_on.isoformat())
        return get(j, action_id)


def edit(
    j: Journal,
    action_id: int,
    *,
    text: str | None = None,
    due: str | dt.date | None = None,
    client: str | None = None,
) -> Action:
    """Change what is given of one action and nothing else; `due=""` clears its due date.

    An action agreed in a session stays that session's client's: move the session
    (`session edit S --client`) to move its actions. `client=""` makes an action
    outside a session your own.
    """
    from coachlog.core import clients

    if text is None and due is None and client is None:
        raise InvalidInput("Nothing to change.", hint="Give --text, --due or --client.")
    with j.write():
        current = get(j, action_id)
        new_due: str | dt.date | None = current.due if due is None else (due or None)
        data = validate_action(current.text if text is None else text, new_due, text_flag="--text")
        client_id = current.client_id
        if client is not None:
            client_id = clients.resolve(j, client).id if client else None
            if current.session_id is not None and client_id != current.client_id:
                raise InvalidInput(
                    f"Action {action_id} was agreed in session {current.session_id}, "
                    "so it is that session's client's.",
                    hint=f"Move the session instead: coachlog session edit "
                    f"{current.session_id} --client CLIENT",
                )
        store.update(
            j, action_id, data.text, data.due.isoformat() if data.due else None, client_id
        )
        return get(j, action_id)


def undo(j: Journal, action_id: int) -> Action:
    """Put a done action back to open (its done date is cleared)."""
    with j.write():
        action = get(j, action_id)
        if action.done_on is None:
            raise Conflict(
                f"Action {action_id} is open already.",
                hint="'coachlog action done ID' marks it done.",
            )
        store.set_done(j, action_id, None)
        return get(j, action_id)


def delete(j: Journal, action_id: int) -> Action:
    """Delete one action; returns what was deleted."""
    with j.write():
        action = get(j, action_id)
        store.delete(j, [action_id])
        return action
