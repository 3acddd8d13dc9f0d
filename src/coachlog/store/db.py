"""Where the journal lives and how it is opened: the one place a connection is made.

`open_journal()` resolves the path (`--db`, else `COACHLOG_DB`, else the platform
user-data folder), creates the file owner-only (folder 0700, file 0600) on first
use, turns on foreign keys, WAL, a busy timeout and secure delete on every
connection, and brings the schema up to date. A journal written by a newer
coachlog is refused rather than touched.

`Journal.write()` is the only way to change the journal: one `BEGIN IMMEDIATE`
transaction per command, so concurrent coachlog processes queue on the write lock
instead of failing half way, and a process killed mid-command leaves all or none
of its change.
"""

from __future__ import annotations

import os
import sqlite3
import stat
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from coachlog.errors import Refused
from coachlog.store.schema import SCHEMA_VERSION

ENV_DB = "COACHLOG_DB"
BUSY_TIMEOUT_MS = 15_000

# Every journal file this process has opened: exports refuse to write over
# any of them (or their -wal/-shm), --force or not.
OPENED: set[Path] = set()


def journal_files(path: Path) -> list[Path]:
    """The journal and the two files SQLite keeps beside it in WAL mode."""
    return [path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")]


def default_path() -> Path:
    from platformdirs import user_data_path

    return user_data_path("coachlog", appauthor=False) / "coachlog.db"


def resolve_path(explicit: str | os.PathLike[str] | None = None) -> Path:
    """The journal file in use: `--db`, else $COACHLOG_DB, else the user-data folder."""
    if explicit:
        return Path(explicit).expanduser()
    env = os.environ.get(ENV_DB)
    if env:
        return Path(env).expanduser()
    return default_path()


def _create_owner_only(path: Path) -> None:
    """Make the folders (each new one 0700, whatever the umask) and an owner-only file."""
    missing = []
    folder = path.parent
    while not folder.exists():
        missing.append(folder)
        folder = folder.parent
    for new in reversed(missing):
        # exist_ok: two coachlog processes started at once may both get here.
        new.mkdir(mode=0o700, exist_ok=True)
        # mkdir's mode is cut by the umask (and parents=True ignores it): set it.
        if sys.platform != "win32":
            new.chmod(0o700)
    fd = os.open(path, os.O_CREAT | os.O_WRONLY, 0o600)
    os.close(fd)


def _tighten(path: Path) -> None:
    """An existing journal readable by others is made owner-only again."""
    if sys.platform == "win32":
        return  # chmod cannot make a file owner-only there
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
        # Windows has no getuid and no owner-only modes (its st_mode is synthetic).
        if sys.platform != "win32" and mode & 0o077 and path.stat().st_uid == os.getuid():
            path.chmod(0o600)
    except OSError:
        pass


def check_ownership(path: Path) -> None:
    """Refuse a journal whose files another account made or can change.

    In a shared folder another user can create `j.db` (or its -wal/-shm) before
    coachlog does, or point a symlink at their own file, and then read every note
    written into it. A file owned by someone else, or one others may write, is
    refused; nothing is opened.
    """
    if sys.platform == "win32":
        return  # no POSIX owners or modes to check there
    me = os.getuid()
    if path.is_symlink():
        try:
            owner = path.stat().st_uid
        except OSError:
            owner = me  # a dangling link: the file is created by us below
        if owner != me:
            raise Refused(
                f"{path} is a link to a file another account owns, so it was not opened.",
                hint="Point --db at a journal file of your own (not a link to someone else's).",
            )
    for file in journal_files(path)[1:]:
        if file.is_symlink():
            # SQLite makes these itself, never as links: one planted beside the
            # journal would have SQLite write the log into whatever it points at.
            raise Refused(
                f"{file.name} is a link, not the file SQLite keeps beside the journal, so "
                "the journal was not opened.",
                hint=f"Remove the link if you did not make it: rm '{file}'.",
            )
    for file in journal_files(path):
        try:
            info = file.stat()
        except FileNotFoundError:
            continue
        except OSError:
            continue
        if info.st_uid != me:
            raise Refused(
                f"{file} belongs to another account (uid {info.st_uid}), so it was not "
                "opened: whoever made it could read what you write.",
                hint="Move your journal to a folder only you can write to, e.g. the "
                "default (unset COACHLOG_DB and --db).",
            )
        if stat.S_IMODE(info.st_mode) & 0o022:
            raise Refused(
                f"{file} can be changed by other accounts, so it was not opened.",
                hint=f"If it is yours, make it owner-only: chmod 600 '{file}'.",
            )


def _refuse_foreign(conn: sqlite3.Connection, path: Path) -> None:
    """A SQLite file with tables and no coachlog migration record is someone else's."""
    tables = {
        name
        for (name,) in conn.execute(
            "SELECT name FROM sqlite_master WHERE type IN ('table', 'view') "
            "AND name NOT LIKE 'sqlite_%'"
        )
    }
    if tables and "_sqlite_migrations" not in tables:
        raise Refused(
            f"{path} is a database of another program, not a coachlog journal; nothing "
            "was changed.",
            hint="Check the --db path or $COACHLOG_DB.",
        )


class Journal:
    """An open journal: its SQLite connection and the path it came from.

    sqlite-utils is loaded only when something asks for `.db` (the migrations
    do); everyday commands talk to the connection directly and skip its import.
    """

    def __init__(self, conn: sqlite3.Connection, path: Path) -> None:
        self.conn = conn
        self.path = path
        self._db: Any = None
        self._savepoints = 0
        # How many write transactions have committed this run: once one has, a
        # Ctrl-C or a closed pipe must not be reported as "nothing saved".
        self.commits = 0
        self._committing = False

    @property
    def db(self) -> Any:
        """The same connection as a sqlite-utils Database."""
        if self._db is None:
            from sqlite_utils import Database

            # execute_plugins=False: scanning for plugins costs 10-25 ms a run.
            self._db = Database(self.conn, execute_plugins=False, strict=True)
        return self._db

    # ------------------------------------------------------------ transactions

    @contextmanager
    def write(self) -> Iterator[Journal]:
        """One all-or-nothing write transaction, taking the write lock up front."""
        if self.conn.in_transaction:  # nested: a savepoint inside the outer write
            self._savepoints += 1
            name = f"coachlog_{self._savepoints}"
            self.conn.execute(f"SAVEPOINT {name}")
            try:
                yield self
            except BaseException:
                if self.conn.in_transaction:
                    self.conn.execute(f"ROLLBACK TO {name}")
                    self.conn.execute(f"RELEASE {name}")
                raise
            else:
                self.conn.execute(f"RELEASE {name}")
            return
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self
        except BaseException:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            raise
        else:
            # A Ctrl-C that arrives while COMMIT runs surfaces only once it has
            # returned, so it can look like a failed COMMIT: `saved` asks SQLite.
            self._committing = True
            self.conn.execute("COMMIT")
            self.commits += 1
            self._committing = False

    @property
    def saved(self) -> bool:
        """Whether this run has committed a change, even if an interrupt hid it."""
        return self.commits > 0 or (self._committing and not self.conn.in_transaction)

    # ------------------------------------------------------------ reading

    def rows(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> list[dict[str, Any]]:
        cursor = self.conn.execute(sql, params)
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

    def row(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> dict[str, Any] | None:
        cursor = self.conn.execute(sql, params)
        found = cursor.fetchone()
        if found is None:
            return None
        return dict(zip([d[0] for d in cursor.description], found, strict=True))

    def scalar(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> Any:
        found = self.conn.execute(sql, params).fetchone()
        return None if found is None else found[0]

    def execute(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> sqlite3.Cursor:
        return self.conn.execute(sql, params)

    def close(self) -> None:
        self.conn.close()

    @property
    def schema_version(self) -> int:
        return int(self.scalar("PRAGMA user_version"))


def _configure(conn: sqlite3.Connection) -> None:
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA foreign_keys = ON")
    # Deleted notes are overwritten with zeros, not left in free pages.
    conn.execute("PRAGMA secure_delete = ON")


def _migrate(journal: Journal) -> None:
    conn = journal.conn
    version = int(conn.execute("PRAGMA user_version").fetchone()[0])
    if version == SCHEMA_VERSION:
        return
    if version > SCHEMA_VERSION:
        raise Refused(
            f"This journal has schema version {version}, newer than this coachlog "
            f"understands ({SCHEMA_VERSION}).",
            hint="Upgrade coachlog (pip install -U coachlog) to open it; nothing was changed.",
        )
    # Only now, with work to do, load the migrations (and sqlite-utils with them).
    from coachlog.store.migrations import MIGRATION_NAMES, migrations

    db = journal.db
    applied = {m.name for m in migrations.applied(db)}
    unknown = applied - set(MIGRATION_NAMES)
    if unknown:
        raise Refused(
            "This journal was written by a newer coachlog (unknown migrations: "
            + ", ".join(sorted(unknown))
            + ").",
            hint="Upgrade coachlog to open it; nothing was changed.",
        )
    conn.execute("PRAGMA journal_mode = WAL")
    # Foreign keys off while migrating: a migration that rebuilds a table (m004)
    # drops the old one, and with foreign keys on DROP TABLE clients would delete
    # every session, goal and reflection by cascade. The pragma does nothing inside
    # a transaction, so it is switched here, and the references are checked by hand
    # before COMMIT instead.
    conn.execute("PRAGMA foreign_keys = OFF")
    try:
        # Take the write lock first so two processes opening a new journal at once
        # do not both try to create the tables.
        conn.execute("BEGIN IMMEDIATE")
        try:
            version = int(conn.execute("PRAGMA user_version").fetchone()[0])
            if version < SCHEMA_VERSION:
                migrations.apply(db)
                conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
                broken = {table for table, *_ in conn.execute("PRAGMA foreign_key_check")}
                if broken:
                    raise Refused(
                        "Upgrading this journal found records that point at records that do "
                        "not exist (in " + ", ".join(sorted(broken)) + "), so it was not "
                        "upgraded.",
                        hint="Nothing was changed. The coachlog that last opened it can list "
                        "them (`coachlog db check`); or restore a backup into a new journal.",
                    )
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
    finally:
        conn.execute("PRAGMA foreign_keys = ON")
    # ALTER TABLE ... RENAME (m004) leaves the temp schema open, and then temp_store
    # cannot change inside a transaction (store/backup.py sets it in the import's
    # write, so an import as a new journal's first command failed). Changing it
    # outside one closes the temp schema; changing it back leaves the connection
    # as if no migration had run.
    conn.execute("PRAGMA temp_store = MEMORY")
    conn.execute("PRAGMA temp_store = DEFAULT")


def open_journal(path: str | os.PathLike[str] | None = None, *, create: bool = True) -> Journal:
    """Open (and on first use create) the journal at `path` or the resolved default."""
    target = resolve_path(path)
    if target.exists() and target.is_dir():
        raise Refused(
            f"{target} is a folder, not a journal file.", hint="Pass a file path to --db."
        )
    if target.exists() and not target.is_file():
        raise Refused(
            f"{target} is not a regular file (a device, pipe or socket), so it is no journal.",
            hint="Pass the path of a journal file to --db.",
        )
    check_ownership(target)
    if not target.exists():
        if not create:
            from coachlog.errors import NotFound

            raise NotFound(
                f"There is no journal at {target} yet.",
                hint="Any command that records something creates it.",
            )
        _create_owner_only(target)
    try:
        # isolation_level=None: the driver never opens a transaction on its own.
        # Otherwise a stray INSERT outside Journal.write() would silently begin
        # one, and the next write() would only add a savepoint and never commit.
        conn = sqlite3.connect(str(target), timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
        journal = Journal(conn, target)
        try:
            _refuse_foreign(conn, target)
            _configure(conn)
            _migrate(journal)
        except BaseException:
            conn.close()  # a refused or damaged journal is left exactly as it was
            raise
        # Only a file now known to be a journal: another program's file keeps
        # its mode, like the rest of it.
        _tighten(target)
    except sqlite3.DatabaseError as exc:
        if "file is not a database" in str(exc) or "malformed" in str(exc):
            raise Refused(
                f"{target} is not a coachlog journal (or it is damaged).",
                hint="Check the --db path; `coachlog db check` tests a journal's integrity.",
            ) from None
        raise
    OPENED.add(target.resolve())
    return journal
