"""Whole-journal backup and restore: a versioned JSON document, keyed by stable uids.

`export_backup` writes everything a journal holds (clients with their
pseudonyms and aliases, the redact list, sessions with their themes, cards and
tags, goals with every score, actions, reflections, supervision and imported
decks) as one JSON document:

    {"format": "coachlog-backup", "version": 5, "pseudonyms_assigned": N,
     "clients": [...], "sessions": [...], "goals": [{..., "scores": [...]}],
     "actions": [...], "reflections": [...], "supervision": [...], "decks": [...],
     "engagements": [...], "outcomes": [...], "assessments": [...], "redactions": [...],
     "shared_sessions": [...]}

Version 2 added `engagements` and `outcomes` (an outcome names its engagement's
uid); version 3 added `assessments` (behaviour profiles: whose, which deck, the
day, and `"scores": {"card-key": 0-10, ...}`); version 4 each client's `aliases`
and the `redactions` list (the other names the anonymiser hides, so that a
restored journal hides them too); version 5 `shared_sessions`, a coachee's list of
the sessions their coach sent in share packs (uid, coach, date, minutes, themes,
cards, the notes sent with --notes), restored as sent by a coach with no link, like
`from_coach` records, so that linking the same coach again hands them back and the
coach's next pack updates them. Older backups, which lack them, still import.

Each record carries its `uid`; a record that points at another names that
record's uid (`"client": "<uid>"`), never a journal-local id. Field names are
the journal's column names; dates are `YYYY-MM-DD`; flags are true/false. A
backup holds names and private notes in full: keep it as safe as the journal.

`import_backup` reads such a document back, all or nothing, in one transaction.
It merges by uid: a record whose uid the journal already has is skipped (the
journal's copy is kept, never overwritten), so importing the same backup twice
adds nothing the second time, and a backup restored into an empty journal
exports again byte for byte the same. A new client whose name matches a
different client already in the journal is refused rather than merged, since
coachlog cannot tell whether they are the same person. A file that is not valid
JSON, is cut short, is not a coachlog backup, or comes from a newer coachlog is
refused with one sentence and nothing is written.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable, Sequence
from typing import Annotated, Any, Literal, TypedDict

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, ValidationError

from coachlog.errors import Conflict, InvalidInput, Refused
from coachlog.models import (
    MINUTES_MAX,
    NAME_MAX,
    TEXT_MAX,
    CoachingModel,
    GoalStatus,
    Mode,
    OutcomeStage,
    Perspective,
    Relationship,
    SessionFormat,
    ThemeKey,
)
from coachlog.models.validation import DeckIn, Name
from coachlog.store import backup as store
from coachlog.store import redactions as redaction_store
from coachlog.store.db import Journal
from coachlog.text import fold, json_safe, normalise_name

FORMAT = "coachlog-backup"
VERSION = 5
SECTIONS = ("clients", "sessions", "goals", "actions", "reflections", "supervision", "decks")

# Columns stored as 0/1 that a backup shows as true/false.
_FLAGS = {"named_consent", "archived", "pro_bono", "starred", "private"}
# Foreign-key columns and the backup field (holding the other record's uid) for each,
# in the order an import checks them (which names the first missing one).
_REFS = {
    "client_id": "client",
    "goal_id": "goal",
    "session_id": "session",
    "engagement_id": "engagement",
}


class ImportReport(TypedDict):
    """What an import did (the JSON `import --json` prints)."""

    source: str  # "coachlog-backup" or "jrnl"
    added: dict[str, int]
    skipped: dict[str, int]


# ---------------------------------------------------------------- reading out


def _record(row: dict[str, Any], uid_of: dict[str, dict[int, str]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for column, value in row.items():
        if column in _REFS:
            out[_REFS[column]] = uid_of[column][value] if value is not None else None
        elif column in _FLAGS:
            out[column] = bool(value)
        else:
            out[column] = value
    return out


def backup_document(j: Journal) -> dict[str, Any]:
    """The whole journal as a backup document (a dict ready for json.dumps)."""
    tables = {t: store.read_table(j, t) for t in store.COLUMNS}
    uid_of = {
        "client_id": {r["id"]: r["uid"] for r in tables["clients"]},
        "session_id": {r["id"]: r["uid"] for r in tables["sessions"]},
        "goal_id": {r["id"]: r["uid"] for r in tables["goals"]},
        "engagement_id": {r["id"]: r["uid"] for r in tables["engagements"]},
    }

    def with_labels(table: str, owner: str, kinds: tuple[str, ...]) -> list[dict[str, Any]]:
        rows = tables[table]
        ids = [r["id"] for r in rows]
        labels = {kind: store.read_labels(j, owner, kind, ids) for kind in kinds}
        out = []
        for row in rows:
            record = _record(row, uid_of)
            for kind in kinds:
                record[kind] = labels[kind].get(row["id"], [])
            out.append(record)
        return out

    assessment_scores = store.read_assessment_scores(j)
    scores: dict[int, list[dict[str, Any]]] = {}
    from_coach = store.from_coach_uids(j)
    for row in tables["goal_scores"]:
        record = _record(row, uid_of)
        del record["goal"]
        if record["uid"] in from_coach["score"]:
            record["from_coach"] = True
        scores.setdefault(row["goal_id"], []).append(record)
    goals = with_labels("goals", "goal", ("themes", "tags"))
    for goal, row in zip(goals, tables["goals"], strict=True):
        goal["scores"] = scores.get(row["id"], [])
        if goal["uid"] in from_coach["goal"]:
            goal["from_coach"] = True  # sent by the coach in a share pack (a coachee's journal)
    actions = [_record(r, uid_of) for r in tables["actions"]]
    for action in actions:
        if action["uid"] in from_coach["action"]:
            action["from_coach"] = True

    reflections = with_labels("reflections", "reflection", ("themes", "tags"))
    shared = store.shared_reflection_uids(j)
    for reflection in reflections:
        if reflection["uid"] in shared:
            reflection["shared"] = True  # a client's words from a share pack, not the owner's

    aliases = redaction_store.aliases(j)
    clients = []
    for row in tables["clients"]:
        client = _record(row, uid_of)
        client["aliases"] = aliases.get(row["id"], [])
        clients.append(client)
    return {
        "format": FORMAT,
        "version": VERSION,
        "pseudonyms_assigned": store.pseudonym_counter(j),
        "ids_used": {t: n for t, n in store.ids_used(j).items() if t in _ID_TABLES and n},
        "clients": clients,
        "sessions": with_labels("sessions", "session", ("themes", "cards", "tags")),
        "goals": goals,
        "actions": actions,
        "reflections": reflections,
        "supervision": [_record(r, uid_of) for r in tables["supervision"]],
        "decks": store.read_decks(j),
        "engagements": [_record(r, uid_of) for r in tables["engagements"]],
        "outcomes": [_record(r, uid_of) for r in tables["outcomes"]],
        "assessments": [
            {**_record(r, uid_of), "scores": assessment_scores.get(r["id"], {})}
            for r in tables["assessments"]
        ],
        "redactions": [
            {"name": r["name"], "added_on": r["added_on"]} for r in redaction_store.redactions(j)
        ],
        "shared_sessions": [
            {**r, "themes": json.loads(r["themes"]), "cards": json.loads(r["cards"])}
            for r in tables["shared_sessions"]
        ],
    }


def export_backup(j: Journal, *, encrypt: bool = False, passphrase: str | None = None) -> str:
    """The backup document as JSON text (UTF-8, indented, ending in a newline).

    With `encrypt`, the text is sealed (AES-256-GCM) so that only a passphrase opens
    it: an encrypted journal's own data key and passphrase (and recovery code), or
    for a plain journal a new key sealed under `passphrase`.
    """
    with j.write():  # the journal's identity is made the first time it is needed
        document = {"journal": store.journal_id(j, create=True), **backup_document(j)}
    text = json_safe(json.dumps(document, ensure_ascii=False, indent=2)) + "\n"
    if not encrypt:
        return text
    from coachlog.store import keys

    if j.data_key is not None:
        sealed = keys.read_key_file(j.path)
        entries = {"passphrase": sealed.passphrase, "recovery": sealed.recovery}
        return keys.seal_document(text, j.data_key, entries)
    if not passphrase:
        raise InvalidInput("An encrypted backup of a plain journal needs a passphrase.")
    data_key = keys.new_data_key()
    return keys.seal_document(text, data_key, {"passphrase": keys.seal(data_key, passphrase)})


def is_encrypted_backup(text: str) -> bool:
    """Is `text` an encrypted backup (`export backup --encrypt`)?"""
    from coachlog.store import keys

    if keys.SEALED_FORMAT not in text[:200]:
        return False
    try:
        return keys.is_sealed_document(json.loads(text))
    except (json.JSONDecodeError, RecursionError):
        return False


def open_encrypted_backup(text: str, secret: str, origin: str = "The file") -> str:
    """The backup inside an encrypted one; Refused (nothing imported) for a wrong secret."""
    from coachlog.store import keys

    found = keys.open_document(json.loads(text), secret)
    if found is None:
        raise Refused(
            f"That passphrase does not open {origin.lower()}; nothing was imported.",
            hint="It is the passphrase the journal had when the backup was exported "
            "(or its recovery code).",
        )
    return found


# ---------------------------------------------------------------- validating what comes in


def _iso_date(value: str) -> str:
    try:
        if len(value) != 10:
            raise ValueError
        dt.date.fromisoformat(value)
    except ValueError:
        raise ValueError("must be a date written YYYY-MM-DD") from None
    return value


def _no_nul(value: str) -> str:
    if "\x00" in value:
        raise ValueError("contains a NUL character")
    return value


def _one_line(value: str) -> str:
    # The rule the flags apply to one-line fields (models._single_line), without
    # trimming, so a backup restores exactly what was exported.
    if _CONTROL.search(value):
        raise ValueError("must be one line of plain text, without control characters")
    return _no_nul(value)


def _normalised(value: Any) -> Any:
    return normalise_name(value) if isinstance(value, str) else value


def _has_letter(value: str) -> str:
    if not any(ch.isalnum() for ch in value):
        raise ValueError("needs at least one letter or digit")
    return value


_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
# The highest pseudonym number coachlog hands out from a backup: far beyond any
# real practice, far below what SQLite's integers hold.
PSEUDONYM_MAX = 10**9

DateText = Annotated[str, AfterValidator(_iso_date)]
TimeText = Annotated[str, Field(pattern=r"^([01]\d|2[0-3]):[0-5]\d$")]
Uid = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.:-]+$")]
Text = Annotated[str, AfterValidator(_no_nul), Field(max_length=TEXT_MAX)]
Line = Annotated[str, AfterValidator(_one_line), Field(max_length=NAME_MAX * 5)]
Stamp = Annotated[str, Field(min_length=1, max_length=40)]
Minutes = Annotated[int, Field(ge=1, le=MINUTES_MAX)]
Label = Annotated[str, AfterValidator(_no_nul), Field(min_length=1, max_length=NAME_MAX)]


# Tables whose ids a backup carries, so a restore gives every record its own id back.
_ID_TABLES = (
    "clients",
    "sessions",
    "goals",
    "goal_scores",
    "actions",
    "reflections",
    "supervision",
    "engagements",
    "outcomes",
    "assessments",
    "shared_sessions",
)
RecordId = Annotated[int, Field(ge=1, le=2**63 - 1)]


class _Rec(BaseModel):
    model_config = ConfigDict(extra="forbid")


class _IdRec(_Rec):
    id: RecordId | None = None  # absent in backups made before ids were kept


class BackupClient(_IdRec):
    uid: Uid
    # The same rules as `client add`, after the same normalising (NFC, spaces).
    name: Annotated[Name, BeforeValidator(_normalised)]
    pseudonym: Annotated[str, Field(pattern=r"^Client (?:[A-Z]{1,3}|[1-9][0-9]{0,8})$")] | None = (
        None
    )
    relationship: Relationship
    organisation: Line | None = None
    email: Line | None = None
    named_consent: bool = False
    archived: bool = False
    created_on: DateText
    # Other names they go by (from version 3), by a client name's rules.
    aliases: list[Annotated[Name, BeforeValidator(_normalised), AfterValidator(_has_letter)]] = []


class BackupSession(_IdRec):
    uid: Uid
    client: Uid
    on_date: DateText
    at_time: TimeText | None = None
    minutes: Minutes
    mode: Mode
    format: SessionFormat
    model: CoachingModel | None = None
    notes: Text | None = None
    private_notes: Text | None = None
    pro_bono: bool = False
    created_at: Stamp
    updated_at: Stamp
    themes: list[ThemeKey] = []
    cards: list[Label] = []
    tags: list[Label] = []


class BackupScore(_IdRec):
    uid: Uid
    score: Annotated[int, Field(ge=0, le=10)]
    on_date: DateText
    note: Text | None = None
    from_coach: bool = False  # sent by the coach in a share pack (m009)


class BackupGoal(_IdRec):
    uid: Uid
    client: Uid | None = None
    title: Line
    due: DateText | None = None
    status: GoalStatus = GoalStatus.open
    created_on: DateText
    closed_on: DateText | None = None
    themes: list[ThemeKey] = []
    tags: list[Label] = []
    scores: list[BackupScore] = []
    from_coach: bool = False  # sent by the coach in a share pack (m009)


class BackupAction(_IdRec):
    uid: Uid
    client: Uid | None = None
    session: Uid | None = None
    text: Line
    due: DateText | None = None
    done_on: DateText | None = None
    created_on: DateText
    from_coach: bool = False  # sent by the coach in a share pack (m009)


class BackupReflection(_IdRec):
    uid: Uid
    client: Uid | None = None
    goal: Uid | None = None
    session: Uid | None = None
    on_date: DateText
    at_time: TimeText | None = None
    title: Line | None = None
    text: Text
    card: Label | None = None
    deck: Label | None = None
    perspective: Perspective | None = None
    question: Text | None = None
    starred: bool = False
    created_at: Stamp
    private: bool = False  # kept out of share packs (m009); older backups have none
    shared: bool = False  # a client's words received in a share pack (m009)
    themes: list[ThemeKey] = []
    tags: list[Label] = []


class BackupSupervision(_IdRec):
    uid: Uid
    on_date: DateText
    minutes: Minutes
    supervisor: Line | None = None
    format: SessionFormat
    notes: Text | None = None


class BackupDeck(_Rec):
    name: Label
    title: Line
    data: Text
    imported_on: DateText


Score = Annotated[int, Field(ge=0, le=10)]


class BackupEngagement(_IdRec):
    uid: Uid
    client: Uid | None = None
    started_on: DateText
    ended_on: DateText | None = None
    sessions_contracted: Annotated[int, Field(ge=1, le=1000)] | None = None
    sponsor: Line | None = None
    created_at: Stamp


class BackupOutcome(_IdRec):
    uid: Uid
    engagement: Uid
    stage: OutcomeStage
    on_date: DateText
    strategic: Score | None = None
    prioritisation: Score | None = None
    confidence: Score | None = None
    influence: Score | None = None
    team: Score | None = None
    self_presentation: Score | None = None
    created_at: Stamp


class BackupAssessment(_IdRec):
    uid: Uid
    client: Uid | None = None
    deck: Label
    on_date: DateText
    created_at: Stamp
    scores: Annotated[dict[Label, Score], Field(min_length=1, max_length=1000)]


class BackupSharedSession(_IdRec):
    """A session a coach sent a coachee (m009), by the rules a share pack's session obeys."""

    uid: Uid
    coach: Annotated[Name, BeforeValidator(_normalised)]
    on_date: DateText
    minutes: Minutes
    themes: list[ThemeKey] = []
    cards: list[Label] = []
    notes: Text | None = None
    received_at: Stamp


class BackupRedaction(_Rec):
    name: Annotated[Name, BeforeValidator(_normalised), AfterValidator(_has_letter)]
    added_on: DateText


class Backup(_Rec):
    format: Literal["coachlog-backup"]
    version: int
    journal: Annotated[int, Field(ge=1, le=2**63 - 1)] | None = None  # the journal it came from
    pseudonyms_assigned: Annotated[int, Field(ge=0, le=PSEUDONYM_MAX)] = 0
    ids_used: dict[
        Literal["clients", "sessions", "goals", "goal_scores", "actions", "reflections"]
        | Literal["supervision", "engagements", "outcomes", "assessments", "shared_sessions"],
        Annotated[int, Field(ge=0, le=2**63 - 1)],
    ] = {}
    clients: list[BackupClient]
    sessions: list[BackupSession]
    goals: list[BackupGoal]
    actions: list[BackupAction]
    reflections: list[BackupReflection]
    supervision: list[BackupSupervision]
    decks: list[BackupDeck]
    engagements: list[BackupEngagement] = []  # from version 2
    outcomes: list[BackupOutcome] = []
    assessments: list[BackupAssessment] = []  # from version 3
    redactions: list[BackupRedaction] = []  # from version 4
    shared_sessions: list[BackupSharedSession] = []  # from version 5


def load_json(text: str, origin: str) -> Any:
    """Parse JSON text, refusing a broken or cut-short file with one sentence (exit 2)."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        body = text.strip()
        # A JSON file cut short starts as JSON should but fails at its end, or
        # inside a string it never closes, so it does not end with } or ].
        cut = body.startswith(("{", "[")) and (
            exc.pos >= len(text.rstrip()) or not body.endswith(("}", "]"))
        )
        if not body:
            why = "it is empty"
        elif cut:
            why = "it ends too soon (cut short or truncated?)"
        else:
            why = "it is not valid JSON"
        raise InvalidInput(
            f"{origin} cannot be read: {why}, at line {exc.lineno}, column {exc.colno}.",
            hint="Nothing was imported. Check it is the whole file, as it was exported.",
        ) from None
    except RecursionError:
        raise InvalidInput(f"{origin} is nested too deeply to be a coachlog file.") from None


def _where(loc: tuple[int | str, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _record_named(doc: dict[str, Any], loc: tuple[int | str, ...]) -> str:
    """' (uid ...)' for the record an error is in, so the person can find it."""
    if len(loc) >= 2 and isinstance(loc[0], str) and isinstance(loc[1], int):
        section = doc.get(loc[0])
        if isinstance(section, list) and loc[1] < len(section):
            record = section[loc[1]]
            if isinstance(record, dict) and isinstance(record.get("uid"), str):
                return f" (uid {record['uid'][:64]})"
    return ""


def parse_backup(text: str, origin: str = "The file") -> Backup:
    """Check a backup document's shape and every value in it; InvalidInput at the first problem."""
    doc = load_json(text, origin)
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        hint = "Give a file made by 'coachlog export backup'; nothing was imported."
        if isinstance(doc, dict) and isinstance(doc.get("entries"), list):
            hint = "It looks like a jrnl export: use 'coachlog import --from jrnl FILE'."
        elif isinstance(doc, dict) and str(doc.get("kind", "")).startswith("coachlog-"):
            hint = "It is a coachlog export for reading, not a backup; use 'export backup'."
        raise InvalidInput(f"{origin} is not a coachlog backup.", hint=hint)
    version = doc.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise InvalidInput(f"{origin} has no valid backup version; it is not a coachlog backup.")
    if version > VERSION:
        raise Refused(
            f"{origin} is a version {version} backup, newer than this coachlog reads "
            f"(version {VERSION}).",
            hint="Upgrade coachlog (pip install -U coachlog) and import again; nothing was "
            "imported.",
        )
    missing = [s for s in SECTIONS if s not in doc]
    if missing:
        raise InvalidInput(
            f"{origin} is not a complete coachlog backup: it has no {', '.join(missing)}.",
            hint="Nothing was imported.",
        )
    try:
        backup = Backup.model_validate(doc)
    except ValidationError as exc:
        first = exc.errors()[0]
        message = str(first["msg"]).removeprefix("Value error, ")
        message = message[:1].lower() + message[1:]
        raise InvalidInput(
            f"{origin} is not a valid coachlog backup: {_where(first['loc'])}"
            f"{_record_named(doc, first['loc'])} {message}.",
            hint="Nothing was imported.",
        ) from None
    for deck in backup.decks:
        try:
            DeckIn.model_validate_json(deck.data)
        except ValueError:
            raise InvalidInput(
                f"{origin} is not a valid coachlog backup: the deck '{deck.name}' cannot be read.",
                hint="Nothing was imported.",
            ) from None
    return backup


# ---------------------------------------------------------------- writing in

_PSEUDONYM = re.compile(r"^Client (?:([A-Z]{1,3})|(\d+))$")


def pseudonym_number(label: str | None) -> int:
    """'Client A' -> 1, 'Client AA' -> 27, 'Client 20000' -> 20000; anything else 0."""
    found = _PSEUDONYM.match(label or "")
    if not found:
        return 0
    if found.group(2):
        return int(found.group(2))
    number = 0
    for letter in found.group(1):
        number = number * 26 + (ord(letter) - 64)
    return number


def _unique(records: list[Any], key: Callable[[Any], str], what: str, origin: str) -> None:
    seen: set[str] = set()
    for record in records:
        value = key(record)
        if value in seen:
            raise InvalidInput(
                f"{origin} is not a valid coachlog backup: two {what} share the id '{value}'.",
                hint="Nothing was imported.",
            )
        seen.add(value)


class OtherJournal(Refused):
    """The backup came from a different journal (someone else's): ask before merging it."""


def import_backup(
    j: Journal, text: str, origin: str = "The file", *, from_other_journal: bool = False
) -> ImportReport:
    """Merge a backup into the journal by uid, all or nothing (see the module docstring).

    A backup of a different journal (its `journal` id is not this one's) is refused
    with OtherJournal unless `from_other_journal`: merging a coachee's whole journal
    into a coach's is rarely meant. Restoring into a journal that has never held a
    record is not merging: the journal takes the backup's identity.
    """
    backup = parse_backup(text, origin)
    mine = store.journal_id(j)
    fresh = store.is_empty(j)
    if (
        backup.journal is not None
        and not fresh
        and backup.journal != mine
        and not from_other_journal
    ):
        raise OtherJournal(
            f"{origin} is a backup of a different journal, not of this one; nothing was imported.",
            hint="To pass records to someone, use 'coachlog share'. To merge the whole "
            "journal anyway, add --from-other-journal.",
        )
    scores = [s for g in backup.goals for s in g.scores]
    for records, what in (
        (backup.clients, "clients"),
        (backup.sessions, "sessions"),
        (backup.goals, "goals"),
        (scores, "goal scores"),
        (backup.actions, "actions"),
        (backup.reflections, "reflections"),
        (backup.supervision, "supervision sessions"),
        (backup.engagements, "engagements"),
        (backup.outcomes, "outcome check-ins"),
        (backup.assessments, "assessments"),
        (backup.shared_sessions, "shared sessions"),
    ):
        _unique(records, lambda r: r.uid, what, origin)
        _unique([r for r in records if r.id is not None], lambda r: str(r.id), what, origin)
    _unique(backup.decks, lambda d: d.name, "decks", origin)
    names: dict[str, str] = {}
    for client in backup.clients:
        folded = fold(client.name)
        if folded in names:
            raise InvalidInput(
                f"{origin} is not a valid coachlog backup: two clients are called "
                f"'{client.name}' (uid {client.uid}), ignoring case, accents and spacing.",
                hint="Nothing was imported.",
            )
        names[folded] = client.uid
    called = dict(names)  # names and aliases, folded -> the client's uid
    for client in backup.clients:
        for alias in client.aliases:
            if called.setdefault(fold(alias), client.uid) != client.uid:
                raise InvalidInput(
                    f"{origin} is not a valid coachlog backup: client uid {client.uid} has "
                    f"an alias '{alias}' that another client is called too.",
                    hint="Nothing was imported.",
                )
    for client in backup.clients:
        if client.pseudonym is not None and fold(client.pseudonym) in names:
            raise InvalidInput(
                f"{origin} is not a valid coachlog backup: client uid {client.uid} has a "
                "pseudonym that is another client's name.",
                hint="Nothing was imported.",
            )

    added: dict[str, int] = {}
    skipped: dict[str, int] = {}

    def count(section: str, new: int, total: int) -> None:
        added[section] = new
        skipped[section] = total - new

    def missing_ref(what: str, uid: str, kind: str) -> InvalidInput:
        return InvalidInput(
            f"{origin} is not a valid coachlog backup: {what} '{uid}' refers to a {kind} "
            "that is neither in the file nor in this journal.",
            hint="Nothing was imported.",
        )

    # uid -> id of every record of a kind, in the journal or added from the file so far.
    ids: dict[str, dict[str, int]] = {}
    used: dict[str, int] = {str(table): n for table, n in backup.ids_used.items()}

    def _restoring(table: str, new: Sequence[Any]) -> bool:
        """Records keep the ids they had when the table has never held a record.

        Restoring into an empty journal gives everyone their own id back (session 3
        stays session 3 after session 2 was deleted); merging into a table that has
        records keeps the journal's ids and gives newcomers the next free ones.
        """
        return store.next_id(j, table) == 1 and all(r.id is not None for r in new)

    def add(table: str, kind: str, records: Sequence[Any], labels: tuple[str, ...] = ()) -> None:
        """Add the records (of `kind`, to `table`) whose uid the journal does not have.

        Each gets the next id, and its themes, cards or tags (`labels`). The uids it
        names become ids; naming a record that is neither in the file nor in the
        journal refuses the whole import.
        """
        known = ids[kind] = store.uids(j, table)
        next_id = store.next_id(j, table)
        restore = _restoring(table, [r for r in records if r.uid not in known])
        rows = []
        pairs: dict[str, list[tuple[int, str]]] = {label: [] for label in labels}
        for record in records:
            if record.uid in known:
                continue
            data = record.model_dump(mode="json")
            row_id = record.id if restore else next_id
            row = {**data, "id": row_id}
            for column, field in _REFS.items():
                if field not in data:
                    continue
                uid = data[field]
                if uid is not None and uid not in ids[field]:
                    raise missing_ref(kind, record.uid, field)
                row[column] = None if uid is None else ids[field][uid]
            for flag in _FLAGS.intersection(data):
                row[flag] = int(data[flag])
            rows.append(row)
            for label in labels:
                pairs[label] += [(row_id, v) for v in data[label]]
            known[record.uid] = row_id
            next_id += 1
        store.insert_rows(j, table, rows)
        store.raise_id_sequence(j, table, used.get(table, 0))
        for label, found in pairs.items():
            store.insert_labels(j, kind, label, found)
        count(table, len(rows), len(records))

    with j.write():
        if fresh and backup.journal is not None:
            store.set_journal_id(j, backup.journal)  # a restore: the same journal again
        # ------------------------------------------------ clients
        client_ids = ids["client"] = store.uids(j, "clients")
        existing_names = {fold(name): uid for name, uid in store.client_names(j).items()}
        taken = store.taken_pseudonyms(j)
        new_clients = [c for c in backup.clients if c.uid not in client_ids]
        for client in new_clients:
            if client.pseudonym is not None and fold(client.pseudonym) in existing_names:
                client.pseudonym = None  # a journal client's name: given a fresh one
            owner = existing_names.get(fold(client.name))
            if owner is not None:
                raise Conflict(
                    f"The backup's client '{client.name}' has the same name as a different "
                    "client in this journal; nothing was imported.",
                    hint="Rename one of them ('coachlog client edit CLIENT --name ...') and "
                    "import again.",
                )
        # Raise the pseudonym counter past every pseudonym coming in first, so the
        # ones the journal hands out for clashing clients cannot collide with them.
        highest = max(
            [backup.pseudonyms_assigned, *(pseudonym_number(c.pseudonym) for c in new_clients)]
        )
        store.raise_pseudonym_counter(j, highest)
        next_id = store.next_id(j, "clients")
        restore = _restoring("clients", new_clients)
        rows = []
        for client in new_clients:
            pseudonym = client.pseudonym
            if pseudonym is None or pseudonym in taken:
                pseudonym = None  # the journal's trigger gives them the next free one
            else:
                taken.add(pseudonym)
            rows.append(
                {
                    **client.model_dump(mode="json", exclude={"aliases"}),
                    "id": client.id if restore and client.id else next_id,
                    "pseudonym": pseudonym,
                    "named_consent": int(client.named_consent),
                    "archived": int(client.archived),
                }
            )
            client_ids[client.uid] = rows[-1]["id"]
            next_id += 1
        store.insert_rows(j, "clients", rows)
        store.raise_id_sequence(j, "clients", used.get("clients", 0))
        count("clients", len(rows), len(backup.clients))
        for client in new_clients:
            known = {fold(client.name)}
            for alias in client.aliases:
                if fold(alias) in existing_names:
                    raise Conflict(
                        f"The backup's client '{client.name}' has an alias '{alias}' that "
                        "is the name of a client in this journal; nothing was imported.",
                        hint="Drop the alias in the file, or rename the journal's client.",
                    )
                if fold(alias) not in known:
                    known.add(fold(alias))
                    redaction_store.add_alias(j, client_ids[client.uid], alias)

        # ------------------------------------------------ the other records
        add("sessions", "session", backup.sessions, ("themes", "cards", "tags"))
        add("goals", "goal", backup.goals, ("themes", "tags"))
        # Scores merge by uid too: a check-in added in another copy of the
        # journal joins a goal this journal already has.
        score_uids = store.uids(j, "goal_scores")
        next_score = store.next_id(j, "goal_scores")
        new_scores = [
            (goal, s) for goal in backup.goals for s in goal.scores if s.uid not in score_uids
        ]
        restore_scores = _restoring("goal_scores", [s for _, s in new_scores])
        score_rows = [
            {**s.model_dump(mode="json"), "goal_id": ids["goal"][goal.uid]}
            for goal, s in new_scores
        ]
        for offset, (row, (_, score)) in enumerate(zip(score_rows, new_scores, strict=True)):
            row["id"] = score.id if restore_scores and score.id else next_score + offset
        store.insert_rows(j, "goal_scores", score_rows)
        store.raise_id_sequence(j, "goal_scores", used.get("goal_scores", 0))
        count("goal_scores", len(score_rows), len(scores))
        add("actions", "action", backup.actions)
        add("reflections", "reflection", backup.reflections, ("themes", "tags"))
        from coachlog.store.base import now_iso

        store.mark_shared_reflections(
            j, [r.uid for r in backup.reflections if r.shared], now_iso()
        )
        stamp = now_iso()
        store.mark_from_coach(j, "goal", [g.uid for g in backup.goals if g.from_coach], stamp)
        store.mark_from_coach(
            j, "score", [s.uid for g in backup.goals for s in g.scores if s.from_coach], stamp
        )
        store.mark_from_coach(j, "action", [a.uid for a in backup.actions if a.from_coach], stamp)
        # A coachee's sessions from their coach: no link (the keys stay behind), and
        # marked as the coach's like the records above, for the same coach to take back.
        had_shared = store.uids(j, "shared_sessions")
        new_shared = [s for s in backup.shared_sessions if s.uid not in had_shared]
        restore_shared = _restoring("shared_sessions", new_shared)
        next_shared = store.next_id(j, "shared_sessions")
        shared_rows = []
        for offset, session in enumerate(new_shared):
            data = session.model_dump(mode="json")
            shared_rows.append(
                {
                    **data,
                    "id": session.id if restore_shared and session.id else next_shared + offset,
                    "themes": json.dumps(data["themes"]),
                    "cards": json.dumps(data["cards"]),
                }
            )
        store.insert_rows(j, "shared_sessions", shared_rows)
        store.raise_id_sequence(j, "shared_sessions", used.get("shared_sessions", 0))
        store.mark_shared_sessions(j, [s.uid for s in new_shared], stamp)
        count("shared_sessions", len(shared_rows), len(backup.shared_sessions))
        add("supervision", "supervision", backup.supervision)
        add("engagements", "engagement", backup.engagements)
        add("outcomes", "outcome", backup.outcomes)
        had = store.uids(j, "assessments")
        add("assessments", "assessment", backup.assessments)
        store.insert_assessment_scores(
            j,
            [
                (ids["assessment"][a.uid], card, score)
                for a in backup.assessments
                if a.uid not in had
                for card, score in a.scores.items()
            ],
        )

        decks = store.deck_names(j)
        new_decks = [d.model_dump() for d in backup.decks if d.name not in decks]
        store.insert_decks(j, new_decks)
        count("decks", len(new_decks), len(backup.decks))

        # The redact list merges by name, compared as `redact add` compares them.
        listed = {fold(r["name"]) for r in redaction_store.redactions(j)}
        new_redactions = 0
        for redaction in backup.redactions:
            if fold(redaction.name) not in listed:
                listed.add(fold(redaction.name))
                redaction_store.add_redaction(j, redaction.name, redaction.added_on)
                new_redactions += 1
        count("redactions", new_redactions, len(backup.redactions))

    return ImportReport(source=FORMAT, added=added, skipped=skipped)
