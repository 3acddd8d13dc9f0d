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

An encrypted journal (`coachlog db encrypt`) is opened the same way, through
sqlcipher3 with its data key (store/keys.py); `unlock()` finds the key from
COACHLOG_SESSION, then COACHLOG_PASSPHRASE, then by asking through the `ask`
callback the CLI passes in a terminal. Nothing outside store/ knows which driver
an open journal uses (store/driver.py).
"""

from __future__ import annotations

import os
import sqlite3
import stat
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from coachlog.errors import InvalidInput, Refused
from coachlog.store import driver
from coachlog.store.schema import SCHEMA_VERSION

ENV_DB = "COACHLOG_DB"
ENV_PASSPHRASE = "COACHLOG_PASSPHRASE"
ENV_SESSION = "COACHLOG_SESSION"

# Asks the person for a passphrase (the CLI's hidden prompt); None: nobody to ask.
Ask = Callable[[str], str]
BUSY_TIMEOUT_MS = 15_000

# Every journal file this process has opened: exports refuse to write over
# any of them (or their -wal/-shm), --force or not.
OPENED: set[Path] = set()


def journal_files(path: Path) -> list[Path]:
    """The journal, the two files SQLite keeps beside it in WAL mode, and (for an
    encrypted journal) its key file and session file."""
    return [
        path,
        path.with_name(path.name + "-wal"),
        path.with_name(path.name + "-shm"),
        path.with_name(path.name + ".key"),
        path.with_name(path.name + ".session"),
    ]


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

    def __init__(
        self,
        conn: sqlite3.Connection,
        path: Path,
        *,
        data_key: bytes | None = None,
        unlocked_by: str | None = None,
    ) -> None:
        self.conn = conn
        self.path = path
        # The raw SQLCipher key of an encrypted journal (None for a plain one), and
        # how it was found: "session", "passphrase" or "prompt".
        self.data_key = data_key
        self.unlocked_by = unlocked_by
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

    @property
    def encrypted(self) -> bool:
        return self.data_key is not None


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


def unlock(path: Path, ask: Ask | None = None, *, use_session: bool = True) -> tuple[bytes, str]:
    """The data key of the encrypted journal at `path`, and how it was found.

    COACHLOG_SESSION (set by `eval "$(coachlog unlock)"`) first: it costs about a
    millisecond. Then COACHLOG_PASSPHRASE, then `ask` (a hidden prompt); each of
    those pays the scrypt stretching (about 0.4 s). A wrong passphrase is Refused
    (exit 1); no way to get one is InvalidInput (exit 2) naming COACHLOG_PASSPHRASE.
    """
    from coachlog.store import keys

    token = os.environ.get(ENV_SESSION, "") if use_session else ""
    stale = False
    if token:
        found = keys.session_key_from(path, token)
        if found is not None:
            return found, "session"
        stale = True
    key_file = keys.read_key_file(path)
    given = os.environ.get(ENV_PASSPHRASE, "")
    if given:
        found = keys.unseal(key_file.passphrase, given)
        if found is None:
            raise Refused(
                f"The passphrase in {ENV_PASSPHRASE} does not unlock {path.name}; nothing "
                "was changed.",
                hint="Check the passphrase; a lost one is replaced with the recovery code "
                "(coachlog db passphrase --recover).",
            )
        return found, "passphrase"
    if ask is None:
        why = (
            f"{ENV_SESSION} is locked or for another journal"
            if stale
            else "there is no terminal to ask for its passphrase"
        )
        raise InvalidInput(
            f"{path.name} is encrypted and {why}: set {ENV_PASSPHRASE}.",
            hint=f'Or run eval "$(coachlog unlock)" in a terminal first to set {ENV_SESSION}.',
        )
    found = keys.unseal(key_file.passphrase, ask(f"Passphrase for {path.name}"))
    if found is None:
        raise Refused(
            "That passphrase is wrong; nothing was changed.",
            hint="A lost passphrase is replaced with the recovery code "
            "(coachlog db passphrase --recover).",
        )
    return found, "prompt"


def connect_encrypted(path: Path, key: bytes, *, timeout: float = BUSY_TIMEOUT_MS / 1000) -> Any:
    """An SQLCipher connection, Refused (not a traceback) if the key does not open the file."""
    try:
        return driver.connect(path, key=key, timeout=timeout)
    except driver.DatabaseError as exc:
        if "not a database" not in str(exc):
            raise
        raise Refused(
            f"The key for {path.name} does not open it: the journal or its key file was "
            "replaced, or one of them is corrupt.",
            hint="Put back the journal and key file from the same 'db backup' copy; nothing "
            "was changed.",
        ) from None


def open_journal(
    path: str | os.PathLike[str] | None = None, *, create: bool = True, ask: Ask | None = None
) -> Journal:
    """Open (and on first use create) the journal at `path` or the resolved default.

    An encrypted journal is unlocked first (`unlock`): `ask` is how to ask a person
    for the passphrase, or None where nobody can be asked.
    """
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
        if driver.looks_encrypted(target) and _has_key_file(target):
            key, how = unlock(target, ask)
            conn = connect_encrypted(target, key)
            journal = Journal(conn, target, data_key=key, unlocked_by=how)
            _finish_wiping(target, conn)
        else:
            # isolation_level=None: the driver never opens a transaction on its own.
            # Otherwise a stray INSERT outside Journal.write() would silently begin
            # one, and the next write() would only add a savepoint and never commit.
            conn = driver.connect(target, timeout=BUSY_TIMEOUT_MS / 1000)
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
    except driver.DatabaseError as exc:
        if "file is not a database" in str(exc) or "malformed" in str(exc):
            raise Refused(
                f"{target} is not a coachlog journal (or it is damaged).",
                hint="Check the --db path; `coachlog db check` tests a journal's integrity. "
                f"An encrypted journal needs its key file {target.name}.key beside it.",
            ) from None
        raise
    OPENED.add(target.resolve())
    return journal


def _finish_wiping(path: Path, conn: Any) -> None:
    """Clean up after a `db encrypt` or `db decrypt` that was killed part-way.

    `<journal>.wiping` (the plain-text original, once encrypt has swapped) is wiped,
    unless it is a second name of the journal itself (decrypt links one just before
    its swap): then only that name goes. `<journal>.decrypting` and its -journal,
    -wal and -shm (a plain copy decrypt had not yet swapped in) are wiped too, but
    only while no other process holds the write lock (a decrypt running now holds
    it); the copy is renamed first, so a decrypt that was about to swap it in fails
    instead of swapping in a zeroed file.
    """
    from coachlog.store import keys

    aside = path.with_name(path.name + ".wiping")
    if aside.exists() and not aside.is_symlink():
        if os.path.samefile(aside, path):
            aside.unlink()
        else:
            keys.wipe(aside)
    plain = path.with_name(path.name + ".decrypting")
    companions = [Path(str(plain) + suffix) for suffix in ("-journal", "-wal", "-shm")]
    if not any(p.exists() for p in (plain, *companions)):
        return
    conn.execute("PRAGMA busy_timeout = 0")
    try:
        conn.execute("BEGIN IMMEDIATE")
    except driver.OperationalError:
        return  # a decrypt (or another writer) is at work; the next open cleans up
    finally:
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    try:
        for leftover in (plain, *companions):
            if not leftover.exists() or leftover.is_symlink():
                continue
            claimed = leftover.with_name(f"{leftover.name}.{os.getpid()}.wiping")
            try:
                os.replace(leftover, claimed)
            except OSError:
                continue
            if os.path.samefile(claimed, path):
                os.replace(claimed, leftover)  # never the journal itself
            else:
                keys.wipe(claimed)
    finally:
        conn.execute("ROLLBACK")


def _has_key_file(path: Path) -> bool:
    return path.with_name(path.name + ".key").exists()


def open_read_only(path: Path, *, timeout: float) -> Journal | None:
    """A read-only connection for a moment (shell completion): never creates, migrates,
    asks or waits. An encrypted journal opens only through COACHLOG_SESSION; otherwise
    there is nothing to read (None)."""
    uri = f"{path.resolve().as_uri()}?mode=ro"
    if driver.looks_encrypted(path) and _has_key_file(path):
        from coachlog.store import keys

        token = os.environ.get(ENV_SESSION, "")
        key = keys.session_key_from(path, token) if token else None
        if key is None or not driver.cipher_available():
            return None
        conn = driver.cipher().connect(uri, uri=True, timeout=timeout, isolation_level=None)
        try:
            conn.execute("PRAGMA cipher_log_level = NONE")
            conn.execute(driver.key_pragma(key))
        except BaseException:
            conn.close()
            raise
        return Journal(conn, path, data_key=key, unlocked_by="session")
    return Journal(driver.connect(uri, uri=True, timeout=timeout), path)
