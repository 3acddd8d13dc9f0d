"""Use-cases for coaching sessions: log, read back, list, edit and delete.

Every value is checked (dates, times, minutes, themes, cards, action texts)
before the one write transaction starts or inside it, so a bad value leaves the
journal exactly as it was. The CLI collects values (from flags now, from prompts
later) and calls these functions; nothing here prints or asks.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from coachlog import dates
from coachlog.core import actions as action_core
from coachlog.core import clients
from coachlog.errors import InvalidInput, NotFound
from coachlog.models import Session, as_dict
from coachlog.store import actions as action_store
from coachlog.store import sessions as store
from coachlog.store.db import Journal
from coachlog.vocab import CoachingModel, Mode, SessionFormat, ThemeKey

# Validation (pydantic) is imported by the functions that write, so that reading
# the journal (`session list`, ...) starts without it.
if TYPE_CHECKING:
    from coachlog.models.validation import ActionIn, SessionIn

# The fields `edit` accepts: every `session log` value.
EDITABLE = (
    "client",
    "on",
    "at",
    "minutes",
    "mode",
    "format",
    "model",
    "themes",
    "cards",
    "tags",
    "notes",
    "private_notes",
    "actions",
    "remove_actions",
    "pro_bono",
)


def get(j: Journal, session_id: int) -> Session:
    """One session with its labels and actions, or NotFound."""
    found = store.by_id(j, session_id)
    if found is None:
        raise NotFound(
            f"No session {session_id}.",
            hint="'coachlog session list' shows sessions with their ids.",
        )
    return found


def _card_keys(j: Journal, cards: Iterable[str]) -> list[str]:
    """Each card as its canonical key; an unknown card is NotFound (from core.cards)."""
    wanted = [c for c in cards if c is not None]
    if not wanted:
        return []
    from coachlog.core.cards import find_card

    keys: list[str] = []
    for card in wanted:
        key = find_card(j, card).key
        if key not in keys:
            keys.append(key)
    return keys


def _text_or_none(value: str | None) -> str | None:
    # An empty --notes "" means "no notes", so an edit can clear them.
    return value if value else None


def _validate_session(**fields: Any) -> SessionIn:
    from coachlog.models.validation import SessionIn, validate

    if isinstance(fields.get("model"), str):
        # Flags and prompts may give "GROW"; the enum is lower-case.
        fields["model"] = fields["model"].strip().lower()
    return validate(SessionIn, **fields)


def _validate_pending(
    pairs: Sequence[tuple[str, str | dt.date | None]],
) -> list[ActionIn]:
    return [
        action_core.validate_action(text, due, text_flag="--action", due_flag="--action-due")
        for text, due in pairs
    ]


def log(
    j: Journal,
    *,
    client: str | int | None,
    minutes: int | None,
    on: str | dt.date | None = None,
    at: str | None = None,
    mode: Mode | str | None = Mode.in_person,
    format: SessionFormat | str | None = SessionFormat.one_to_one,
    model: CoachingModel | str | None = None,
    themes: Iterable[ThemeKey | str] = (),
    cards: Iterable[str] = (),
    tags: Iterable[str] = (),
    notes: str | None = None,
    private_notes: str | None = None,
    actions: Sequence[tuple[str, str | dt.date | None]] = (),
    pro_bono: bool = False,
) -> Session:
    """Record a session and the actions agreed in it, in one transaction.

    `on` defaults to today, `mode` (None too) to in-person, `format` to one-to-one.
    """
    if client is None or minutes is None:
        missing = [f for f, v in (("--client", client), ("--minutes", minutes)) if v is None]
        raise InvalidInput(f"Missing {' and '.join(missing)} (required).")
    on_date = dates.happened(dates.parse_date(on, "--on"), "--on") if on else dates.today()
    # client_id 0 is a placeholder: every other field is checked before the write starts.
    data = _validate_session(
        client_id=0,
        on=on_date,
        at=dates.parse_time(at, "--at") if at else None,
        minutes=minutes,
        mode=mode or Mode.in_person,
        format=format or SessionFormat.one_to_one,
        model=model or None,
        themes=list(themes),
        cards=[],  # looked up in the decks below, inside the transaction
        tags=list(tags),
        notes=_text_or_none(notes),
        private_notes=_text_or_none(private_notes),
        pro_bono=pro_bono,
    )
    pending = _validate_pending(actions)
    with j.write():
        who = clients.resolve(j, client)
        data = data.model_copy(update={"client_id": who.id, "cards": _card_keys(j, cards)})
        session_id = store.insert(j, data)
        for action in pending:
            action_store.insert(
                j,
                action.model_copy(update={"client_id": who.id, "session_id": session_id}),
                on_date.isoformat(),
            )
        return get(j, session_id)


def list_sessions(
    j: Journal,
    *,
    client: str | None = None,
    since: str | dt.date | None = None,
    until: str | dt.date | None = None,
    theme: ThemeKey | str | None = None,
    card: str | None = None,
    limit: int | None = None,
) -> list[Session]:
    """Sessions matching every filter, newest first; `limit` None or 0 means all."""
    if limit is not None and limit < 0:
        raise InvalidInput(f"--limit must be 0 (no limit) or more, not {limit}.")
    theme_key: str | None = None
    if theme is not None:
        try:
            theme_key = ThemeKey(str(theme).strip().lower()).value
        except ValueError:
            raise InvalidInput(
                f"--theme '{theme}' is not an IES impact theme.",
                hint="'coachlog themes' lists the six theme keys.",
            ) from None
    return store.find(
        j,
        client_id=clients.resolve(j, client).id if client is not None else None,
        since=dates.parse_date(since, "--since").isoformat() if since else None,
        until=dates.parse_date(until, "--until").isoformat() if until else None,
        theme=theme_key,
        card=_card_keys(j, [card])[0] if card else None,
        limit=limit or None,
    )


def edit(j: Journal, session_id: int, **changes: Any) -> Session:
    """Change the given fields; None means "leave as it is".

    Lists given (themes, cards, tags) replace the stored list. `actions` are
    added to the session's actions; `remove_actions` (ids) deletes those, which
    must be this session's. No other action is touched: change one with
    `actions.edit`. An empty `notes`, `private_notes` or `at` clears it. Moving
    a session to another client moves its actions too.
    """
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise TypeError(f"edit() got unknown fields: {sorted(unknown)}")
    given = {k: v for k, v in changes.items() if v is not None}
    if not given:
        raise InvalidInput(
            "Nothing to change.",
            hint="Give at least one of the `session log` flags, e.g. --notes or --minutes.",
        )
    from coachlog.models.validation import SessionIn

    pending = _validate_pending(given["actions"]) if "actions" in given else None
    with j.write():
        current = get(j, session_id)
        merged = {
            k: v
            for k, v in as_dict(current).items()
            if k in SessionIn.model_fields and k != "client_id"
        }
        merged["client_id"] = current.client_id
        for key, value in given.items():
            if key == "client":
                merged["client_id"] = clients.resolve(j, value).id
            elif key == "on":
                merged["on"] = dates.happened(dates.parse_date(value, "--on"), "--on")
            elif key == "at":
                merged["at"] = dates.parse_time(value, "--at") if value else None
            elif key in ("notes", "private_notes"):
                merged[key] = _text_or_none(value)
            elif key == "cards":
                merged["cards"] = _card_keys(j, value)
            elif key in ("themes", "tags"):
                merged[key] = list(value)
            elif key not in ("actions", "remove_actions"):
                merged[key] = value
        data = _validate_session(**merged)
        agreed_here = _actions_moving_with(current, data.on)
        store.update(j, session_id, data)
        if agreed_here:
            action_store.set_agreed(j, agreed_here, data.on.isoformat())
        if data.client_id != current.client_id:
            action_store.move_session_actions(j, session_id, data.client_id)
        if "remove_actions" in given:
            action_store.delete(j, removable_actions(current, given["remove_actions"]))
        for action in pending or ():
            action_store.insert(
                j,
                action.model_copy(update={"client_id": data.client_id, "session_id": session_id}),
                data.on.isoformat(),
            )
        return get(j, session_id)


def _actions_moving_with(current: Session, new_day: dt.date) -> list[int]:
    """Actions agreed on the session's day move with it when it is re-dated.

    Refused (nothing written) if one of them was done before the new day: an
    action is never done before it was agreed. Actions added to the session
    later (`action add --session`) keep the day they were added.
    """
    if new_day == current.on:
        return []
    moving = [a for a in current.actions if a.created_on == current.on]
    for action in moving:
        if action.done_on is not None and action.done_on < new_day:
            raise InvalidInput(
                f"--on {new_day.isoformat()}: action {action.id} of session {current.id} "
                f"was done on {action.done_on.isoformat()}, before that day, and an action "
                "is never done before the session it was agreed in.",
                hint=f"Check the date, or correct the action first: coachlog action undo "
                f"{action.id}",
            )
    return [a.id for a in moving]


def removable_actions(session: Session, action_ids: Iterable[int]) -> list[int]:
    """The ids of `--remove-action`, each checked to be one of this session's actions."""
    own = {a.id for a in session.actions}
    wanted = list(dict.fromkeys(action_ids))
    strangers = [i for i in wanted if i not in own]
    if strangers:
        listed = ", ".join(str(a.id) for a in session.actions) or "none"
        raise InvalidInput(
            f"--remove-action {strangers[0]} is not an action of session {session.id} "
            f"(its actions: {listed}).",
            hint=f"'coachlog session show {session.id}' lists its actions with their ids.",
        )
    return wanted


def delete(j: Journal, session_id: int) -> Session:
    """Delete a session with its actions and labels; returns what was deleted."""
    with j.write():
        session = get(j, session_id)
        store.delete(j, session_id)
        return session
