"""Share packs: what a coach and a coachee pass each other, encrypted, with no server.

Each journal has one sharing key pair (made on first use; the secret half never
leaves the journal). A coach links a client's public key to that client, a
coachee links their coach's key under the coach's name. `send` writes one pack
for one partner: coach -> coachee, the sessions (date, length, themes, cards;
notes only when asked), the actions agreed and the goals set or rated in
sessions; coachee -> coach, reflections that are not private, scores on the goals
that came from the coach and the actions ticked done. Only what is new or has
changed since the last pack to that partner goes, unless `since` asks for more.

A pack is PyNaCl's public-key `Box` (X25519, XSalsa20-Poly1305): only the
recipient can read it, and it opens only with the sender's public key, so a
pack that opens is from that key and unaltered (docs/share-pack.md has the file
format). `receive` checks everything before it writes anything, then files the
pack in one transaction: records keep the sender's uids, so the same pack twice
adds nothing and a later pack updates what an earlier one brought. Nothing from a
pack is ever filed as the journal owner's own words in a coach's journal: it
goes under the linked client and is marked as shared.

PyNaCl is imported inside the functions that need it (about 14 ms), so no other
command pays for it.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import json
import time
from dataclasses import dataclass, field
from typing import Annotated, Any, Literal, TypedDict

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, TypeAdapter, ValidationError

from coachlog import dates
from coachlog.errors import Conflict, InvalidInput, NotFound, Refused
from coachlog.models import NAME_MAX, ThemeKey
from coachlog.models.validation import CardKey, LongText, Minutes, Name, Score, Title
from coachlog.store import share as store
from coachlog.store.base import new_uid, now_iso
from coachlog.store.db import Journal
from coachlog.text import fold, normalise_name

FORMAT = 1
MAGIC = "coachlog share pack"
END = "end of pack"
KEY_PREFIX = "clk1"
_KEY_BYTES = 32
_CHECK_BYTES = 2
# No pack of a coaching relationship comes near this; a bigger file is not one.
MAX_PACK_BYTES = 64 * 1024 * 1024
_LINE = 64

# ---------------------------------------------------------------- keys


def _b32(data: bytes) -> str:
    return base64.b32encode(data).decode("ascii").rstrip("=").lower()


def encode_key(public: bytes) -> str:
    """The key as people copy it: 'clk1' and base32 of the key and a 2-byte check."""
    check = hashlib.blake2b(public, digest_size=_CHECK_BYTES, person=b"coachlog-key").digest()
    return KEY_PREFIX + _b32(public + check)


def decode_key(text: str, flag: str = "--key") -> bytes:
    """The 32 key bytes of a key as typed (spaces and case do not matter); exit 2 if not one."""
    cleaned = "".join(text.split()).lower()
    bad = InvalidInput(
        f"{flag} is not a coachlog sharing key (one starts '{KEY_PREFIX}' and is 59 "
        "characters long).",
        hint="Copy it again from 'coachlog share key' in the other person's journal.",
    )
    if not cleaned.startswith(KEY_PREFIX):
        raise bad
    body = cleaned[len(KEY_PREFIX) :].upper()
    try:
        raw = base64.b32decode(body + "=" * (-len(body) % 8))
    except (binascii.Error, ValueError):
        raise bad from None
    if len(raw) != _KEY_BYTES + _CHECK_BYTES:
        raise bad
    public, check = raw[:_KEY_BYTES], raw[_KEY_BYTES:]
    expected = hashlib.blake2b(public, digest_size=_CHECK_BYTES, person=b"coachlog-key").digest()
    if check != expected:
        raise InvalidInput(
            f"{flag} has a typing mistake in it: its last characters do not match the rest.",
            hint="Copy it again from 'coachlog share key' in the other person's journal.",
        )
    return public


def fingerprint(public: bytes) -> str:
    """Sixteen letters and digits in four groups, short enough to read out on a call."""
    digest = hashlib.blake2b(public, digest_size=10, person=b"coachlog-fp").digest()
    text = base64.b32encode(digest).decode("ascii")
    return "-".join(text[i : i + 4] for i in range(0, 16, 4))


class KeyInfo(TypedDict):
    key: str
    fingerprint: str


def _my_keys(j: Journal, *, create: bool) -> tuple[bytes, bytes] | None:
    found = store.keys(j)
    if found is None:
        if not create:
            return None
        from nacl.public import PrivateKey

        secret = PrivateKey.generate()
        with j.write():
            store.save_keys(j, bytes(secret.public_key).hex(), bytes(secret).hex())
        found = store.keys(j)
        assert found is not None
    return bytes.fromhex(found[0]), bytes.fromhex(found[1])


def my_key(j: Journal) -> KeyInfo:
    """This journal's public sharing key and its fingerprint (made on first use)."""
    made = _my_keys(j, create=True)
    assert made is not None
    return KeyInfo(key=encode_key(made[0]), fingerprint=fingerprint(made[0]))


# ---------------------------------------------------------------- links


class LinkInfo(TypedDict):
    name: str
    role: Literal["client", "coach"]  # what they are to the owner of this journal
    client_id: int | None
    key: str
    fingerprint: str
    linked_at: str
    packs_sent: int
    last_sent_at: str | None
    last_received_at: str | None


def _info(row: dict[str, Any]) -> LinkInfo:
    public = bytes.fromhex(row["public_key"])
    return LinkInfo(
        name=row["name"],
        role=row["role"],
        client_id=row["client_id"],
        key=encode_key(public),
        fingerprint=fingerprint(public),
        linked_at=row["linked_at"],
        packs_sent=row["packs_sent"],
        last_sent_at=row["last_sent_at"],
        last_received_at=row["last_received_at"],
    )


def link(j: Journal, key: str, *, client: str | None = None, coach: str | None = None) -> LinkInfo:
    """Link a partner's key: a client's (`client`) or, for a coachee, their coach's (`coach`)."""
    if (client is None) == (coach is None):
        raise InvalidInput("Give either --client CLIENT or --coach NAME, not both or neither.")
    public = decode_key(key)
    mine = _my_keys(j, create=False)
    if mine is not None and mine[0] == public:
        raise Refused(
            "That is this journal's own sharing key; nothing was linked.",
            hint="Link the key the other person's 'coachlog share key' shows.",
        )
    from coachlog.core.clients import resolve

    with j.write():
        existing = store.link_by_key(j, public.hex())
        if client is not None:
            found = resolve(j, client)
            if existing is not None:
                if existing["client_id"] == found.id:
                    return _info(existing)
                raise Conflict(
                    f"That key is already linked to {existing['name']}; nothing was linked.",
                    hint="Each person has their own key: check you copied the right one.",
                )
            current = store.link_by_client(j, found.id)
            if current is not None:
                raise Conflict(
                    f"{found.name} already has a sharing key linked; nothing was changed.",
                    hint=f"If they have a new one, run 'coachlog share unlink \"{found.name}\"' "
                    "first, then link the new key.",
                )
            link_id = store.add_link(j, "client", public.hex(), client_id=found.id, name=None)
        else:
            assert coach is not None
            name = _coach_name(coach)
            if existing is not None:
                if existing["role"] == "coach" and fold(existing["name"]) == fold(name):
                    return _info(existing)
                raise Conflict(
                    f"That key is already linked to {existing['name']}; nothing was linked.",
                    hint="Each person has their own key: check you copied the right one.",
                )
            if _coach_link(j, name) is not None:
                raise Conflict(
                    f"A coach called {name} already has a key linked; nothing was changed.",
                    hint=f"If they have a new one, run 'coachlog share unlink \"{name}\"' "
                    "first, then link the new key.",
                )
            link_id = store.add_link(j, "coach", public.hex(), client_id=None, name=name)
            _adopt(j, link_id, name)
        row = next(r for r in store.links(j) if r["id"] == link_id)
        return _info(row)


def _adopt(j: Journal, link_id: int, name: str) -> None:
    """A coach linked again (after 'share unlink', or a restore whose keys stayed
    behind) takes back what they had sent, so the coachee's ticks and scores on it go
    to them again. Only when it can only be theirs: no other coach is linked and every
    orphaned session is under this name (a new coach never takes the last one's)."""
    names = store.orphan_coach_names(j)
    if names is None or len(store.coach_links(j)) != 1:
        return
    if all(fold(n) == fold(name) for n in names):
        store.adopt_orphans(j, link_id)


def _coach_name(text: str) -> str:
    """A coach's name as typed, by the rules of every other name (one line of plain
    text, no control characters, at most NAME_MAX characters), in NFC with single spaces."""
    name = normalise_name(text)
    try:
        return TypeAdapter(Name).validate_python(name)
    except ValidationError:
        raise InvalidInput(
            f"--coach needs your coach's name: one line of plain text, without control "
            f"characters, at most {NAME_MAX} characters."
        ) from None


def links(j: Journal) -> list[LinkInfo]:
    return [_info(r) for r in store.links(j)]


def _coach_link(j: Journal, name: str) -> dict[str, Any] | None:
    """The coach linked under `name`, compared as client names are (text.fold): case,
    accents, apostrophes and spacing do not matter, so "Zoe" finds "Zoë"."""
    wanted = fold(name)
    return next((r for r in store.coach_links(j) if fold(r["name"]) == wanted), None)


def _partner(j: Journal, name: str) -> dict[str, Any]:
    """The link for `name`: a coach linked by that name, else the client of that name or id."""
    text = normalise_name(name)
    found = _coach_link(j, text)
    if found is not None:
        return found
    from coachlog.core.clients import resolve

    try:
        client = resolve(j, text)
    except NotFound:
        raise NotFound(
            f"No one called '{text}' is linked for sharing.",
            hint="'coachlog share links' lists who is; link someone with 'coachlog share link'.",
        ) from None
    found = store.link_by_client(j, client.id)
    if found is None:
        raise NotFound(
            f"{client.name} has no sharing key linked yet.",
            hint=f"Ask them for theirs ('coachlog share key'), then run 'coachlog share link "
            f'--client "{client.name}" --key KEY\'.',
        )
    return found


def unlink(j: Journal, name: str) -> LinkInfo:
    """Remove a partner's key: their packs are refused from now on. Records stay."""
    with j.write():
        found = _partner(j, name)
        store.delete_link(j, found["id"])
    return _info(found)


# ---------------------------------------------------------------- sending


@dataclass
class Item:
    """One record that can go in a pack: its kind, uid, a line to show, and its data."""

    kind: str  # session | action | goal | reflection | score | tick
    uid: str
    label: str
    data: dict[str, Any]
    digest: str = ""

    def __post_init__(self) -> None:
        encoded = json.dumps(self.data, sort_keys=True, ensure_ascii=False).encode("utf-8")
        self.digest = hashlib.sha256(encoded).hexdigest()


@dataclass
class SendPlan:
    link: dict[str, Any]
    items: list[Item] = field(default_factory=list)

    @property
    def to(self) -> str:
        return str(self.link["name"])


# Pack sections in the order they are shown, per kind.
SECTIONS = {
    "session": "sessions",
    "action": "actions",
    "goal": "goals",
    "reflection": "reflections",
    "score": "scores",
    "tick": "ticks",
}


def _short(text: str | None, limit: int = 30) -> str:
    flat = " ".join((text or "").split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def _coach_items(j: Journal, client_id: int, notes: bool, since: str | None) -> list[Item]:
    items: list[Item] = []
    sessions = store.client_sessions(j, client_id)
    session_days = {s["on"] for s in sessions}
    for s in sessions:
        if since is not None and s["on"] < since:
            continue
        data = {
            "uid": s["uid"],
            "on": s["on"],
            "minutes": s["minutes"],
            "themes": s["themes"],
            "cards": s["cards"],
        }
        if notes and s["notes"]:
            data["notes"] = s["notes"]
        items.append(Item("session", s["uid"], f"Session {s['on']}, {s['minutes']} min", data))
    received_scores = store.received_uids_any(j, "score")
    for a in store.client_actions(j, client_id):
        if since is not None and max(a["created_on"], a["session_on"] or "") < since:
            continue
        items.append(_action_item(a))
    for g in store.client_goals(j, client_id):
        scores = [s for s in g["scores"] if s["uid"] not in received_scores]
        in_session = g["created_on"] in session_days or any(
            s["on"] in session_days for s in scores
        )
        if not in_session:
            continue
        latest = max([g["created_on"], *(s["on"] for s in scores)])
        if since is not None and latest < since:
            continue
        data = {
            "uid": g["uid"],
            "title": g["title"],
            "themes": g["themes"],
            "due": g["due"],
            "status": g["status"],
            "created_on": g["created_on"],
            "scores": scores,
        }
        items.append(Item("goal", g["uid"], f"Goal: {_short(g['title'])}", data))
    return items


def _action_item(a: dict[str, Any]) -> Item:
    data = {
        "uid": a["uid"],
        "text": a["text"],
        "due": a["due"],
        "done_on": a["done_on"],
        "created_on": a["created_on"],
        "session": a["session"],
    }
    when = f" (done {a['done_on']})" if a["done_on"] else f" (due {a['due']})" if a["due"] else ""
    return Item("action", a["uid"], f"Action: {_short(a['text'])}{when}", data)


def _coachee_items(j: Journal, link_id: int, since: str | None, linked_on: str) -> list[Item]:
    items: list[Item] = []
    goals_from_coach = store.received_uids(j, "goal", link_id)
    # A journal may hold years of entries (a jrnl import): without --since, only
    # reflections from the day the coach was linked go, never the whole history.
    start = since if since is not None else linked_on
    for r in store.own_reflections(j, start):
        data = {**r, "goal": r["goal"] if r["goal"] in goals_from_coach else None}
        label = f"Reflection {r['on']}: {_short(r['title'] or r['text'])}"
        items.append(Item("reflection", r["uid"], label, data))
    for s in store.scores_on_received_goals(j, link_id):
        if since is not None and s["on"] < since:
            continue
        title = s.pop("goal_title")
        label = f"Score {s['score']}/10 on {_short(title, 30)} ({s['on']})"
        items.append(Item("score", s["uid"], label, s))
    for a in store.received_actions(j, link_id):
        if a["done_on"] is None or (since is not None and a["done_on"] < since):
            continue
        data = {"uid": a["uid"], "done_on": a["done_on"]}
        items.append(Item("tick", a["uid"], f"Done: {_short(a['text'])}", data))
    return items


def plan_send(
    j: Journal, to: str | None, *, since: str | None = None, notes: bool = False
) -> SendPlan:
    """What a pack for `to` would hold: everything new or changed since the last pack
    to them, or with `since`, everything dated from that day (sent before or not)."""
    if to is None:
        every = store.links(j)
        if len(every) != 1:
            raise InvalidInput(
                "Missing --to: say who the pack is for.",
                hint="'coachlog share links' lists the people you can send to.",
            )
        partner = every[0]
    else:
        partner = _partner(j, to)
    day = dates.parse_date(since, "--since").isoformat() if since is not None else None
    if partner["role"] == "client":
        items = _coach_items(j, partner["client_id"], notes, day)
    else:
        if notes:
            raise InvalidInput("--notes is for a coach's pack to a client.")
        items = _coachee_items(j, partner["id"], day, partner["linked_at"][:10])
    if day is None:
        sent = store.sent_digests(j, partner["id"])
        items = [i for i in items if sent.get((i.kind, i.uid)) != i.digest]
    return SendPlan(link=partner, items=items)


class SendReport(TypedDict):
    to: str
    file: str | None
    pack: str | None
    counts: dict[str, int]
    uids: dict[str, list[str]]


def _counts(items: list[Item]) -> tuple[dict[str, int], dict[str, list[str]]]:
    uids: dict[str, list[str]] = {}
    for item in items:
        uids.setdefault(SECTIONS[item.kind], []).append(item.uid)
    return {k: len(v) for k, v in uids.items()}, uids


def default_file_name(plan: SendPlan) -> str:
    return f"coachlog-pack-{dates.today().isoformat()}.clpack"


def send(j: Journal, plan: SendPlan, path: str, *, force: bool = False) -> SendReport:
    """Write the pack for `plan.items` to `path` and remember what went, all or nothing."""
    from coachlog.core.files import write_file

    counts, uids = _counts(plan.items)
    if not plan.items:
        return SendReport(to=plan.to, file=None, pack=None, counts={}, uids={})
    made = _my_keys(j, create=True)
    assert made is not None
    public, secret = made
    recipient = bytes.fromhex(plan.link["public_key"])
    pack_uid = new_uid()
    with j.write():
        seq = store.next_pack_seq(j, int(time.time() * 1000))
        payload: dict[str, Any] = {
            "format": FORMAT,
            "pack": pack_uid,
            "seq": seq,
            "made_at": now_iso(),
            "role": "coach" if plan.link["role"] == "client" else "coachee",
            "from": encode_key(public),
            "to": encode_key(recipient),
        }
        for section in SECTIONS.values():
            payload[section] = []
        for item in plan.items:
            payload[SECTIONS[item.kind]].append(item.data)
        text = _seal(payload, secret, recipient, public)
        written = write_file(path, text, force=force)
        store.note_sent(j, plan.link["id"], [(i.kind, i.uid, i.digest) for i in plan.items])
    return SendReport(to=plan.to, file=str(written), pack=pack_uid, counts=counts, uids=uids)


def _seal(payload: dict[str, Any], secret: bytes, recipient: bytes, public: bytes) -> str:
    from nacl.public import Box, PrivateKey, PublicKey

    plain = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    sealed = bytes(Box(PrivateKey(secret), PublicKey(recipient)).encrypt(plain))
    lines = [
        MAGIC,
        f"format: {FORMAT}",
        f"from: {encode_key(public)}",
        f"to: {encode_key(recipient)}",
        f"bytes: {len(sealed)}",
        *_wrapped(sealed),
        END,
    ]
    return "\n".join(lines) + "\n"


def _wrapped(sealed: bytes) -> list[str]:
    """The sealed box as base64 lines of 64 characters."""
    body = base64.b64encode(sealed).decode("ascii")
    return [body[i : i + _LINE] for i in range(0, len(body), _LINE)]


# ---------------------------------------------------------------- reading a pack


class PackRefused(Refused):
    """A pack that is not received: not a pack, cut short, altered, not for us, ..."""


def _refusal(kind: str, origin: str, detail: str = "") -> PackRefused:
    messages = {
        "not-a-pack": (
            f"{origin} is not a coachlog share pack; nothing was received.",
            "Check you picked the right file: packs are made by 'coachlog share send'.",
        ),
        "cut-short": (
            f"{origin} is cut short: the end of the pack is missing; nothing was received.",
            "Ask the sender to send the pack again, as an attachment.",
        ),
        "newer": (
            f"{origin} was made by a newer coachlog (pack format {detail}); nothing was received.",
            "Update coachlog, then receive the pack again.",
        ),
        "not-for-us": (
            f"{origin} is not for this journal: it was made for another sharing key; "
            "nothing was received.",
            "Check the sender linked the key 'coachlog share key' shows here, and sends "
            "a new pack.",
        ),
        "unlinked": (
            f"{origin} is from a sharing key not linked to this journal (fingerprint "
            f"{detail}); nothing was received.",
            "If you know the sender, check the fingerprint with them, then run "
            "'coachlog share link'.",
        ),
        "altered": (
            f"{origin} has been altered or damaged since it was made; nothing was received.",
            "Do not use it: ask the sender for a new pack.",
        ),
    }
    message, hint = messages[kind]
    refused = PackRefused(message, hint=hint)
    refused.kind = kind  # type: ignore[attr-defined]
    return refused


@dataclass
class Envelope:
    version: int
    sender: bytes
    recipient: bytes
    sealed: bytes


def read_envelope(data: bytes, origin: str) -> Envelope:
    """The pack's outer lines, checked in the order that gives the truest message."""
    magic = MAGIC.encode("ascii")
    starts = data.startswith(magic + b"\n") or data.startswith(magic + b"\r\n")
    if len(data) > MAX_PACK_BYTES or not starts:
        raise _refusal("not-a-pack", origin)
    try:
        text = data.decode("ascii")
    except UnicodeDecodeError:
        raise _refusal("altered", origin) from None
    lines = text.replace("\r\n", "\n").split("\n")
    version_line = lines[1] if len(lines) > 1 else ""
    if version_line.startswith("format: ") and version_line[8:].isdigit():
        version = int(version_line[8:])
        if version > FORMAT:
            raise _refusal("newer", origin, str(version))
    if END not in lines:
        raise _refusal("cut-short", origin)
    end = lines.index(END)
    if any(line for line in lines[end + 1 :]) or end < 6:
        raise _refusal("altered", origin)
    header = {}
    for line, name in zip(lines[1:5], ("format", "from", "to", "bytes"), strict=True):
        key, sep, value = line.partition(": ")
        if key != name or not sep:
            raise _refusal("altered", origin)
        header[name] = value
    if header["format"] != str(FORMAT) or not header["bytes"].isdigit():
        raise _refusal("altered", origin)
    try:
        sender = decode_key(header["from"])
        recipient = decode_key(header["to"])
    except InvalidInput:
        raise _refusal("altered", origin) from None
    # Every byte counts: keys as coachlog writes them (not merely in a form that
    # decodes the same, like another case), base64 exactly as it re-encodes.
    if header["from"] != encode_key(sender) or header["to"] != encode_key(recipient):
        raise _refusal("altered", origin)
    body = lines[5:end]
    try:
        sealed = base64.b64decode("".join(body), validate=True)
    except (binascii.Error, ValueError):
        raise _refusal("altered", origin) from None
    expected = int(header["bytes"])
    if len(sealed) < expected:
        raise _refusal("cut-short", origin)
    if len(sealed) != expected or body != _wrapped(sealed):
        raise _refusal("altered", origin)
    return Envelope(version=FORMAT, sender=sender, recipient=recipient, sealed=sealed)


# What a pack may hold, checked before anything is filed. Unknown fields are
# ignored, so a pack of the same format from a later coachlog still reads.
class _P(BaseModel):
    model_config = ConfigDict(extra="ignore")


def _real_day(value: str) -> str:
    dt.date.fromisoformat(value)  # ValueError for 2026-13-45: the pack is refused
    return value


Uid = Annotated[str, Field(pattern=r"^[0-9a-f]{32}$")]
Day = Annotated[str, Field(pattern=r"^\d{4}-\d{2}-\d{2}$"), AfterValidator(_real_day)]


class PackSession(_P):
    uid: Uid
    on: Day
    minutes: Minutes
    themes: list[ThemeKey] = []
    cards: list[CardKey] = []
    notes: LongText | None = None


class PackAction(_P):
    uid: Uid
    text: Title
    due: Day | None = None
    done_on: Day | None = None
    created_on: Day
    session: str | None = None


class PackScore(_P):
    uid: Uid
    score: Score
    on: Day


class PackGoal(_P):
    uid: Uid
    title: Title
    themes: list[ThemeKey] = []
    due: Day | None = None
    status: Literal["open", "done", "dropped"] = "open"
    created_on: Day
    scores: list[PackScore] = []


class PackReflection(_P):
    uid: Uid
    on: Day
    # The same rule as every other door (and a backup's): else the coach's backup,
    # holding the shared reflection, could not be restored.
    at: str | None = Field(default=None, pattern=r"^([01]\d|2[0-3]):[0-5]\d$")
    title: Title | None = None
    text: LongText
    card: CardKey | None = None
    deck: CardKey | None = None
    perspective: Literal["self", "organisation", "system"] | None = None
    question: LongText | None = None
    themes: list[ThemeKey] = []
    goal: str | None = None


class PackGoalScore(PackScore):
    goal: Uid


class PackTick(_P):
    uid: Uid
    done_on: Day


class Pack(_P):
    format: int
    pack: Uid
    # What SQLite's INTEGER holds; a sender's numbers only grow from 0.
    seq: Annotated[int, Field(ge=0, le=2**63 - 1)]
    made_at: str
    role: Literal["coach", "coachee"]
    sender: str = Field(alias="from")
    recipient: str = Field(alias="to")
    sessions: list[PackSession] = []
    actions: list[PackAction] = []
    goals: list[PackGoal] = []
    reflections: list[PackReflection] = []
    scores: list[PackGoalScore] = []
    ticks: list[PackTick] = []


def _latest_happened(pack: Pack) -> str | None:
    """The latest date of something that has happened (not a due date) in the pack.

    Every other door refuses such a date after today; a pack obeys the same rule.
    """
    days: list[str] = [s.on for s in pack.sessions]
    for a in pack.actions:
        days.append(a.created_on)
        if a.done_on is not None:
            days.append(a.done_on)
    for g in pack.goals:
        days.append(g.created_on)
        days.extend(sc.on for sc in g.scores)
    days.extend(r.on for r in pack.reflections)
    days.extend(sc.on for sc in pack.scores)
    days.extend(t.done_on for t in pack.ticks)
    return max(days, default=None)


def open_pack(j: Journal, data: bytes, origin: str) -> tuple[Pack, dict[str, Any]]:
    """Check a pack all the way (for us, from a linked partner, unaltered) and read it."""
    envelope = read_envelope(data, origin)
    mine = _my_keys(j, create=False)
    if mine is not None and envelope.sender == mine[0]:
        # The pack this journal made (the wrong attachment, or one sent back).
        them = store.link_by_key(j, envelope.recipient.hex())
        whom = f" for {them['name']}" if them is not None else ""
        raise Refused(
            f"{origin} is a pack you made{whom}; nothing was received.",
            hint="Send it to them: only they can open it. Packs for you come from them.",
        )
    if mine is None or envelope.recipient != mine[0]:
        raise _refusal("not-for-us", origin)
    partner = store.link_by_key(j, envelope.sender.hex())
    if partner is None:
        raise _refusal("unlinked", origin, fingerprint(envelope.sender))
    from nacl.exceptions import CryptoError
    from nacl.public import Box, PrivateKey, PublicKey

    try:
        plain = Box(PrivateKey(mine[1]), PublicKey(envelope.sender)).decrypt(envelope.sealed)
        pack = Pack.model_validate(json.loads(plain.decode("utf-8")))
    except (CryptoError, UnicodeDecodeError, ValueError, ValidationError, RecursionError):
        raise _refusal("altered", origin) from None
    expected_role = "coachee" if partner["role"] == "client" else "coach"
    if (
        pack.format != envelope.version
        or decode_key(pack.sender) != envelope.sender
        or decode_key(pack.recipient) != envelope.recipient
    ):
        raise _refusal("altered", origin)
    latest = _latest_happened(pack)
    limit = dates.today() + dt.timedelta(days=1)  # the sender may be a time zone ahead
    if latest is not None and dt.date.fromisoformat(latest) > limit:
        raise Refused(
            f"{origin} holds a date after today ({latest}); nothing was received.",
            hint="Only due dates may be in the future: ask the sender to check the date on "
            "their computer and the dates they entered, then send a new pack.",
        )
    if pack.role != expected_role:
        raise Refused(
            f"{origin} is from {partner['name']} as a {pack.role}, but you linked them as "
            f"your {partner['role']}; nothing was received.",
            hint="Check who linked whom with 'coachlog share links' on both sides.",
        )
    return pack, partner


# ---------------------------------------------------------------- receiving


class ReceiveReport(TypedDict):
    pack: str
    source: str
    role: str  # what the sender is to you: client or coach
    made_at: str
    already_received: bool
    added: dict[str, int]
    updated: dict[str, int]
    unchanged: int
    ignored: int
    items: list[dict[str, str]]  # kind, uid, what it is


class _Filing:
    """Counts and the list of what a receive did, as it goes."""

    def __init__(self) -> None:
        self.added: dict[str, int] = {}
        self.updated: dict[str, int] = {}
        self.unchanged = 0
        self.ignored = 0
        self.items: list[dict[str, str]] = []

    def note(self, outcome: str, section: str, uid: str, label: str) -> None:
        if outcome == "added":
            self.added[section] = self.added.get(section, 0) + 1
        elif outcome == "updated":
            self.updated[section] = self.updated.get(section, 0) + 1
        elif outcome == "unchanged":
            self.unchanged += 1
        else:
            self.ignored += 1
        if outcome in ("added", "updated"):
            self.items.append({"kind": section, "uid": uid, "what": label, "outcome": outcome})


def _file_score(
    j: Journal,
    f: _Filing,
    uid: str,
    values: dict[str, Any],
    goal_id: int,
    source: tuple[dict[str, Any], int, int | None, int],
    label: str,
) -> None:
    """File one received goal score (either direction): add it, update it if it is
    the partner's and changed, else leave it; `source` is (partner, link id, client
    id or None, pack seq)."""
    partner, link_id, client_id, seq = source
    state = _theirs(j, "score", uid, partner, seq)
    if state == "new":
        store.insert(j, "score", {**values, "uid": uid, "goal_id": goal_id})
        store.mark_received(j, "score", uid, link_id, client_id, seq)
        f.note("added", "scores", uid, label)
    elif state == "theirs":
        row = store.find(j, "score", uid)
        assert row is not None
        if row["goal_id"] == goal_id and _changed(row, values):
            store.update(j, "score", row["id"], values)
            f.note("updated", "scores", uid, label)
        else:
            f.note("unchanged", "scores", uid, label)
        store.mark_received(j, "score", uid, link_id, client_id, seq)
    else:
        f.note("unchanged", "scores", uid, label)


def _theirs(j: Journal, kind: str, uid: str, partner: dict[str, Any], seq: int) -> str:
    """Whether a record with this uid may be written by this partner's pack.

    'new' (not here), 'mine' (made here or by someone else: never touched),
    'stale' (a later pack already set it) or 'theirs'.
    """
    row = store.find(j, kind, uid)
    came = store.origin(j, kind, uid)
    if row is None:
        return "new"
    if came is None:
        return "mine"
    same = came["link_id"] == partner["id"] or came["link_id"] is None
    if not same:
        return "mine"
    return "stale" if came["seq"] > seq else "theirs"


def _changed(row: dict[str, Any], values: dict[str, Any]) -> bool:
    return any(row.get(k) != v for k, v in values.items())


def receive(j: Journal, data: bytes, origin: str) -> ReceiveReport:
    """Check a pack and file what it holds, all or nothing (see the module docstring)."""
    pack, partner = open_pack(j, data, origin)
    filing = _Filing()
    already = False
    with j.write():
        if store.pack_seen(j, pack.pack):
            already = True
        else:
            if partner["role"] == "client":
                _file_from_coachee(j, pack, partner, filing)
            else:
                _file_from_coach(j, pack, partner, filing)
            store.note_pack(j, pack.pack, partner["id"], pack.seq)
    return ReceiveReport(
        pack=pack.pack,
        source=partner["name"],
        role=partner["role"],
        made_at=pack.made_at,
        already_received=already,
        added=filing.added,
        updated=filing.updated,
        unchanged=filing.unchanged,
        ignored=filing.ignored,
        items=filing.items,
    )


def _file_from_coachee(j: Journal, pack: Pack, partner: dict[str, Any], f: _Filing) -> None:
    client_id = partner["client_id"]
    link_id = partner["id"]
    for r in pack.reflections:
        label = f"Reflection {r.on}: {_short(r.title or r.text)}"
        goal_id = store.goal_of_client(j, r.goal, client_id) if r.goal else None
        values = {
            "on_date": r.on,
            "at_time": r.at,
            "title": r.title,
            "text": r.text,
            "card": r.card,
            "deck": r.deck,
            "perspective": r.perspective,
            "question": r.question,
            "goal_id": goal_id,
        }
        themes = sorted({t.value for t in r.themes})
        state = _theirs(j, "reflection", r.uid, partner, pack.seq)
        if state == "new":
            row_id = store.insert(
                j,
                "reflection",
                {**values, "uid": r.uid, "client_id": client_id, "created_at": now_iso()},
            )
            store.set_themes(j, "reflection", row_id, themes)
            store.mark_received(j, "reflection", r.uid, link_id, client_id, pack.seq)
            f.note("added", "reflections", r.uid, label)
        elif state == "theirs":
            row = store.find(j, "reflection", r.uid)
            assert row is not None
            if row["client_id"] != client_id:
                f.note("ignored", "reflections", r.uid, label)
                continue
            old_themes = sorted(store.labels(j, "reflection", row["id"])["themes"])
            if _changed(row, values) or old_themes != themes:
                store.update(j, "reflection", row["id"], values)
                store.set_themes(j, "reflection", row["id"], themes)
                f.note("updated", "reflections", r.uid, label)
            else:
                f.note("unchanged", "reflections", r.uid, label)
            store.mark_received(j, "reflection", r.uid, link_id, client_id, pack.seq)
        else:
            f.note("unchanged" if state == "stale" else "ignored", "reflections", r.uid, label)
    for s in pack.scores:
        label = f"Score {s.score}/10 ({s.on})"
        goal_id = store.goal_of_client(j, s.goal, client_id)
        if goal_id is None:  # not a goal of theirs in this journal: never touch another's
            f.note("ignored", "scores", s.uid, label)
            continue
        values = {"score": s.score, "on_date": s.on}
        source = (partner, link_id, client_id, pack.seq)
        _file_score(j, f, s.uid, values, goal_id, source, label)
    for t in pack.ticks:
        row = store.find(j, "action", t.uid)
        if row is None or row["client_id"] != client_id:
            f.note("ignored", "ticks", t.uid, "")
            continue
        label = f"Done: {_short(row['text'])}"
        if row["done_on"] is None:
            store.update(j, "action", row["id"], {"done_on": t.done_on})
            f.note("updated", "ticks", t.uid, label)
            # They know it is done (they said so): the next pack to them need not
            # carry the action back only because of their own tick.
            for a in store.client_actions(j, client_id):
                if a["uid"] == t.uid:
                    store.update_sent(j, link_id, _action_item(a))
        else:
            f.note("unchanged", "ticks", t.uid, label)


def _file_from_coach(j: Journal, pack: Pack, partner: dict[str, Any], f: _Filing) -> None:
    link_id = partner["id"]
    for s in pack.sessions:
        label = f"Session {s.on}, {s.minutes} min"
        values = {
            "on_date": s.on,
            "minutes": s.minutes,
            "themes": json.dumps(sorted({t.value for t in s.themes})),
            "cards": json.dumps(sorted(set(s.cards))),
            "notes": s.notes,
            "coach": partner["name"],
        }
        state = _theirs(j, "session", s.uid, partner, pack.seq)
        if state == "new":
            store.insert(
                j,
                "session",
                {**values, "uid": s.uid, "link_id": link_id, "received_at": now_iso()},
            )
            f.note("added", "sessions", s.uid, label)
        elif state == "theirs":
            row = store.find(j, "session", s.uid)
            assert row is not None
            if _changed(row, values):
                store.update(j, "session", row["id"], {**values, "link_id": link_id})
                f.note("updated", "sessions", s.uid, label)
            else:
                f.note("unchanged", "sessions", s.uid, label)
        else:
            f.note("unchanged", "sessions", s.uid, label)
        if state in ("new", "theirs"):
            store.mark_received(j, "session", s.uid, link_id, None, pack.seq)
    for a in pack.actions:
        due = f" (due {a.due})" if a.due else ""
        label = f"Action: {_short(a.text)}{due}"
        values = {"text": a.text, "due": a.due}
        state = _theirs(j, "action", a.uid, partner, pack.seq)
        if state == "new":
            store.insert(
                j,
                "action",
                {**values, "uid": a.uid, "done_on": a.done_on, "created_on": a.created_on},
            )
            store.mark_received(j, "action", a.uid, link_id, None, pack.seq)
            f.note("added", "actions", a.uid, label)
        elif state == "theirs":
            row = store.find(j, "action", a.uid)
            assert row is not None
            if row["client_id"] is not None:
                f.note("ignored", "actions", a.uid, label)
                continue
            change = dict(values)
            # A tick made here is never undone by a pack written before the coach heard.
            if row["done_on"] is None and a.done_on is not None:
                change["done_on"] = a.done_on
            if _changed(row, change):
                store.update(j, "action", row["id"], change)
                f.note("updated", "actions", a.uid, label)
            else:
                f.note("unchanged", "actions", a.uid, label)
            store.mark_received(j, "action", a.uid, link_id, None, pack.seq)
        else:
            f.note("unchanged", "actions", a.uid, label)
    for g in pack.goals:
        label = f"Goal: {_short(g.title)}"
        values = {"title": g.title, "due": g.due, "status": g.status}
        themes = sorted({t.value for t in g.themes})
        state = _theirs(j, "goal", g.uid, partner, pack.seq)
        goal_id: int | None = None
        if state == "new":
            goal_id = store.insert(
                j,
                "goal",
                {
                    **values,
                    "uid": g.uid,
                    "created_on": g.created_on,
                    "closed_on": None if g.status == "open" else dates.today().isoformat(),
                },
            )
            store.set_themes(j, "goal", goal_id, themes)
            store.mark_received(j, "goal", g.uid, link_id, None, pack.seq)
            f.note("added", "goals", g.uid, label)
        elif state == "theirs":
            row = store.find(j, "goal", g.uid)
            assert row is not None
            if row["client_id"] is not None:
                f.note("ignored", "goals", g.uid, label)
                continue
            goal_id = int(row["id"])
            old_themes = sorted(store.labels(j, "goal", goal_id)["themes"])
            if _changed(row, values) or old_themes != themes:
                change = dict(values)
                if row["status"] != g.status:
                    change["closed_on"] = None if g.status == "open" else dates.today().isoformat()
                store.update(j, "goal", goal_id, change)
                store.set_themes(j, "goal", goal_id, themes)
                f.note("updated", "goals", g.uid, label)
            else:
                f.note("unchanged", "goals", g.uid, label)
            store.mark_received(j, "goal", g.uid, link_id, None, pack.seq)
        else:
            f.note("unchanged", "goals", g.uid, label)
        if goal_id is None:
            continue
        for sc in g.scores:
            score_values = {"score": sc.score, "on_date": sc.on}
            score_label = f"Score {sc.score}/10 on {_short(g.title, 30)} ({sc.on})"
            source = (partner, link_id, None, pack.seq)
            _file_score(j, f, sc.uid, score_values, goal_id, source, score_label)


# ---------------------------------------------------------------- a coachee's sessions


class SharedSession(TypedDict):
    id: int
    coach: str
    on: str
    minutes: int
    themes: list[str]
    cards: list[str]
    notes: str | None


def shared_sessions(j: Journal) -> list[SharedSession]:
    """The sessions your coach has shared with you, newest first."""
    return [
        SharedSession(
            id=r["id"],
            coach=r["coach"],
            on=r["on"],
            minutes=r["minutes"],
            themes=json.loads(r["themes"]),
            cards=json.loads(r["cards"]),
            notes=r["notes"],
        )
        for r in store.shared_sessions(j)
    ]
