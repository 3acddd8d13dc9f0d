"""Use-cases for the journal file itself: where it is, what is in it, whether it is
sound, and a consistent copy of it.

`db path` only resolves the path; `status`, `check` and `backup` open an existing
journal and never create one, so asking about a journal that is not there does not
leave an empty one behind. A backup is written to a temporary file beside the target,
made owner-only, and moved into place in one step, so a half-written copy never
carries the target's name.
"""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

from coachlog.errors import InvalidInput, Refused
from coachlog.store import driver
from coachlog.store import maintenance as store
from coachlog.store.db import Ask, Journal, open_journal, resolve_path
from coachlog.store.keys import key_file, write_private


@dataclass(frozen=True, kw_only=True)
class Status:
    path: str
    schema_version: int
    counts: dict[str, int]
    size_bytes: int
    owner_only: bool
    encrypted: bool = False
    # How this run unlocked it: "session" (COACHLOG_SESSION), "passphrase"
    # (COACHLOG_PASSPHRASE) or "prompt"; None for a plain journal.
    unlocked_by: str | None = None
    key_file: str | None = None


@dataclass(frozen=True, kw_only=True)
class Problem:
    check: str  # integrity | foreign-keys | search-index | summaries | pseudonyms | open
    message: str


@dataclass(frozen=True, kw_only=True)
class CheckReport:
    path: str
    ok: bool
    problems: list[Problem]
    repaired: bool = False


@dataclass(frozen=True, kw_only=True)
class BackupResult:
    path: str
    source: str
    size_bytes: int
    key_file: str | None = None  # an encrypted journal's copy needs this beside it


def journal_path(db: str | None) -> Path:
    """The journal file `--db`/$COACHLOG_DB/the default points at (not created)."""
    return resolve_path(db)


@contextmanager
def existing(db: str | None, ask: Ask | None = None) -> Iterator[Journal]:
    """Open the journal only if it is already there (NotFound otherwise), then close it.

    `ask` asks for an encrypted journal's passphrase (None: nobody to ask)."""
    j = open_journal(db, create=False, ask=ask)
    try:
        yield j
    except driver.DatabaseError as exc:
        if isinstance(exc, driver.OperationalError):  # busy, locked: the root says so
            raise
        raise Refused(
            f"The journal at {j.path} could not be read: it looks damaged.",
            hint="Run 'coachlog db check' to see what is wrong.",
        ) from None
    finally:
        j.close()


def _siblings(path: Path) -> list[Path]:
    """The journal file, the WAL and shared-memory files SQLite keeps beside it, and an
    encrypted journal's key file."""
    return [
        path,
        path.with_name(path.name + "-wal"),
        path.with_name(path.name + "-shm"),
        key_file(path),
    ]


def status(j: Journal) -> Status:
    files = [p for p in _siblings(j.path) if p.exists()]
    size = sum(p.stat().st_size for p in files if not p.name.endswith(("-shm", ".key")))
    owner_only = all(stat.S_IMODE(p.stat().st_mode) & 0o077 == 0 for p in files)
    return Status(
        path=str(j.path),
        schema_version=j.schema_version,
        counts=store.counts(j),
        size_bytes=size,
        owner_only=owner_only,
        encrypted=j.encrypted,
        unlocked_by=j.unlocked_by,
        key_file=str(key_file(j.path)) if j.encrypted else None,
    )


def check(db: str | None, *, repair: bool = False, ask: Ask | None = None) -> CheckReport:
    """Every integrity check SQLite offers, plus the search index against its entries.

    With `repair`, what coachlog can mend on its own is mended (a search index that
    is damaged or out of step is rebuilt, so are progress summaries out of step with
    the goal scores, and pseudonyms), and the checks are run again.
    """
    path = journal_path(db)
    try:
        with existing(db, ask) as j:
            problems = _problems(j)
            mendable = ("search-index", "summaries", "pseudonyms")
            if repair and any(p.check in mendable for p in problems):
                with j.write():
                    if any(p.check == "search-index" for p in problems):
                        store.rebuild_search_index(j)
                    if any(p.check == "summaries" for p in problems):
                        store.rebuild_summaries(j)
                    if any(p.check == "pseudonyms" for p in problems):
                        _repair_pseudonyms(j)
                return CheckReport(
                    path=str(path), ok=not (after := _problems(j)), problems=after, repaired=True
                )
    except Refused as exc:
        if "does not open it" in exc.message:  # an encrypted journal's first page
            message = (
                "its key does not open it: its first page is damaged, or its key file "
                "belongs to another journal"
            )
            return CheckReport(
                path=str(path), ok=False, problems=[Problem(check="integrity", message=message)]
            )
        if "damaged" not in exc.message:
            raise
        if driver.looks_encrypted(path) and key_file(path).exists():
            message = "the file is damaged: pages fail SQLCipher's authentication check"
            problems = [Problem(check="integrity", message=message)]
        elif _has_sqlite_header(path):
            message = "the file is damaged: SQLite cannot read its list of tables"
            problems = [Problem(check="integrity", message=message)]
        else:
            problems = [Problem(check="open", message="the file is not a SQLite database")]
    except driver.DatabaseError as exc:
        # A file damaged past what integrity_check can list fails the check itself.
        problems = [Problem(check="integrity", message=f"SQLite cannot read it all ({exc})")]
    return CheckReport(path=str(path), ok=not problems, problems=problems)


def _has_sqlite_header(path: Path) -> bool:
    try:
        with open(path, "rb") as f:
            return f.read(16) == b"SQLite format 3\x00"
    except OSError:
        return False


def _pseudonym_label(number: int) -> str:
    """'Client A' for 1 ... 'Client ZZZ' for 18278, then 'Client 18279' (as m002 gives)."""
    if number > 18278:
        return f"Client {number}"
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return f"Client {letters}"


def _pseudonym_problems(j: Journal) -> list[Problem]:
    """A counter beyond what coachlog gives (or SQLite stores), or pseudonyms it never gives.

    A crafted backup once set the counter to 2^63-1, after which every client add
    failed; `--repair` sets it back just past the highest pseudonym in use.
    """
    from coachlog.core.backup import PSEUDONYM_MAX, pseudonym_number

    counter, clients = store.pseudonym_state(j)
    problems = []
    if not 0 <= counter <= PSEUDONYM_MAX:
        problems.append(
            Problem(
                check="pseudonyms", message=f"the pseudonym counter is out of range ({counter})"
            )
        )
    bad = [i for i, p in clients if not 0 < pseudonym_number(p) <= PSEUDONYM_MAX]
    if bad:
        problems.append(
            Problem(
                check="pseudonyms",
                message=f"{len(bad)} client(s) have a pseudonym coachlog does not give "
                f"(id {', '.join(map(str, bad[:5]))})",
            )
        )
    return problems


def _repair_pseudonyms(j: Journal) -> None:
    from coachlog.core.backup import PSEUDONYM_MAX, pseudonym_number

    counter, clients = store.pseudonym_state(j)
    good = [pseudonym_number(p) for _, p in clients if 0 < pseudonym_number(p) <= PSEUDONYM_MAX]
    highest = max(good, default=0)
    for client_id, pseudonym in clients:
        if not 0 < pseudonym_number(pseudonym) <= PSEUDONYM_MAX:
            highest += 1
            store.set_pseudonym(j, client_id, _pseudonym_label(highest))
    store.set_pseudonym_counter(j, highest)


def _problems(j: Journal) -> list[Problem]:
    problems = [Problem(check="integrity", message=m) for m in store.integrity_problems(j)]
    problems += _pseudonym_problems(j)
    for bad in store.foreign_key_problems(j):
        problems.append(
            Problem(
                check="foreign-keys",
                message=(
                    f"{bad['table']} row {bad['rowid']} points at a missing {bad['parent']} row"
                ),
            )
        )
    fts = store.search_index_problem(j)
    if fts is not None:
        problems.append(
            Problem(check="search-index", message=f"the search index is damaged ({fts})")
        )
    else:
        stray = store.search_out_of_step(j)
        if stray:
            problems.append(
                Problem(
                    check="search-index",
                    message=f"the search index is out of step with {stray} entries",
                )
            )
    stale = store.summaries_out_of_step(j)
    if stale:
        problems.append(
            Problem(
                check="summaries",
                message="the progress summaries are out of step with the goal scores ("
                + ", ".join(stale)
                + ")",
            )
        )
    return problems


def backup(j: Journal, target: str | os.PathLike[str], *, force: bool = False) -> BackupResult:
    """A consistent, owner-only copy of the open journal at `target`."""
    file = Path(target).expanduser()
    journal_files = {p.resolve() for p in _siblings(j.path)}
    if file.resolve() in journal_files or (file.exists() and _same_file(file, j.path)):
        raise Refused(
            "That is the journal itself; a backup must go to another file.",
            hint="Give a path in another folder, e.g. ~/coachlog-backup.db.",
        )
    from coachlog.core.files import refuse_special, sweep_stale_temps

    refuse_special(file, hint="Give the name of an ordinary file for the backup.")
    if file.is_dir():
        raise InvalidInput(f"'{file}' is a folder.", hint="Give a file name for the backup.")
    if not file.parent.is_dir():
        raise InvalidInput(
            f"The folder '{file.parent}' does not exist.", hint="Create it first, or pick another."
        )
    if file.exists() and not force:
        raise Refused(
            f"'{file}' already exists.", hint="Add --force to overwrite it, or pick another name."
        )
    sweep_stale_temps(file)
    fd, temp_name = tempfile.mkstemp(prefix=f".{file.name}.", suffix=".tmp", dir=file.parent)
    os.close(fd)  # mkstemp made it 0600; SQLite opens it by name.
    temp = Path(temp_name)
    try:
        store.backup_to(j, temp)
        os.chmod(temp, 0o600)
        with open(temp, "rb") as copy:
            os.fsync(copy.fileno())
        if j.encrypted:
            # The copy is encrypted with the same data key, so it needs the same key
            # file beside it: written first, so the copy never appears without one.
            write_private(key_file(file), key_file(j.path).read_bytes())
        os.replace(temp, file)
    except BaseException:
        with suppress(OSError):
            temp.unlink()
        raise
    return BackupResult(
        path=str(file),
        source=str(j.path),
        size_bytes=file.stat().st_size,
        key_file=str(key_file(file)) if j.encrypted else None,
    )


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False
