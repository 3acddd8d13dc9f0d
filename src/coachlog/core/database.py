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
import sqlite3
import stat
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from pydantic import BaseModel

from coachlog.errors import InvalidInput, Refused
from coachlog.store import maintenance as store
from coachlog.store.db import Journal, open_journal, resolve_path


class Status(BaseModel):
    path: str
    schema_version: int
    counts: dict[str, int]
    size_bytes: int
    owner_only: bool


class Problem(BaseModel):
    check: str  # integrity | foreign-keys | search-index | open
    message: str


class CheckReport(BaseModel):
    path: str
    ok: bool
    problems: list[Problem]
    repaired: bool = False


class BackupResult(BaseModel):
    path: str
    source: str
    size_bytes: int


def journal_path(db: str | None) -> Path:
    """The journal file `--db`/$COACHLOG_DB/the default points at (not created)."""
    return resolve_path(db)


@contextmanager
def existing(db: str | None) -> Iterator[Journal]:
    """Open the journal only if it is already there (NotFound otherwise), then close it."""
    j = open_journal(db, create=False)
    try:
        yield j
    except sqlite3.DatabaseError as exc:
        if isinstance(exc, sqlite3.OperationalError):  # busy, locked: the root says so
            raise
        raise Refused(
            f"The journal at {j.path} could not be read: it looks damaged.",
            hint="Run 'coachlog db check' to see what is wrong.",
        ) from None
    finally:
        j.close()


def _siblings(path: Path) -> list[Path]:
    """The journal file and the WAL and shared-memory files SQLite keeps beside it."""
    return [path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")]


def status(j: Journal) -> Status:
    files = [p for p in _siblings(j.path) if p.exists()]
    size = sum(p.stat().st_size for p in files if not p.name.endswith("-shm"))
    owner_only = all(stat.S_IMODE(p.stat().st_mode) & 0o077 == 0 for p in files)
    return Status(
        path=str(j.path),
        schema_version=j.schema_version,
        counts=store.counts(j),
        size_bytes=size,
        owner_only=owner_only,
    )


def check(db: str | None, *, repair: bool = False) -> CheckReport:
    """Every integrity check SQLite offers, plus the search index against its entries.

    With `repair`, a search index that is damaged or out of step is rebuilt (the only
    problem coachlog can mend on its own) and the checks are run again.
    """
    path = journal_path(db)
    try:
        with existing(db) as j:
            problems = _problems(j)
            if repair and any(p.check == "search-index" for p in problems):
                with j.write():
                    store.rebuild_search_index(j)
                return CheckReport(
                    path=str(path), ok=not (after := _problems(j)), problems=after, repaired=True
                )
    except Refused as exc:
        if "damaged" not in exc.message:
            raise
        if _has_sqlite_header(path):
            message = "the file is damaged: SQLite cannot read its list of tables"
            problems = [Problem(check="integrity", message=message)]
        else:
            problems = [Problem(check="open", message="the file is not a SQLite database")]
    except sqlite3.DatabaseError as exc:
        # A file damaged past what integrity_check can list fails the check itself.
        problems = [Problem(check="integrity", message=f"SQLite cannot read it all ({exc})")]
    return CheckReport(path=str(path), ok=not problems, problems=problems)


def _has_sqlite_header(path: Path) -> bool:
    try:
        with open(path, "rb") as f:
            return f.read(16) == b"SQLite format 3\x00"
    except OSError:
        return False


def _problems(j: Journal) -> list[Problem]:
    problems = [Problem(check="integrity", message=m) for m in store.integrity_problems(j)]
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
    from coachlog.core.files import sweep_stale_temps

    sweep_stale_temps(file)
    fd, temp_name = tempfile.mkstemp(prefix=f".{file.name}.", suffix=".tmp", dir=file.parent)
    os.close(fd)  # mkstemp made it 0600; SQLite opens it by name.
    temp = Path(temp_name)
    try:
        store.backup_to(j, temp)
        os.chmod(temp, 0o600)
        with open(temp, "rb") as copy:
            os.fsync(copy.fileno())
        os.replace(temp, file)
    except BaseException:
        with suppress(OSError):
            temp.unlink()
        raise
    return BackupResult(path=str(file), source=str(j.path), size_bytes=file.stat().st_size)


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False
