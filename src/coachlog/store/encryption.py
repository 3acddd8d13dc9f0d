"""Turning a journal into an encrypted one and back, in place and safely.

Both directions work the same way: while the open journal holds the write lock (so
no other coachlog changes it meanwhile), SQLCipher's `sqlcipher_export` copies
every table, index, trigger and the search index into a new file beside the
journal (`<journal>.encrypting` / `.decrypting`). The copy is then opened on its
own and checked: SQLite's integrity check, the same number of rows in every
table, FTS5's own check of the search index, and the schema version. Only then
is it moved over the journal in one rename. The plain-text original (and any
-wal/-shm it left) is overwritten with zeros and deleted; on decrypt the key and
session files go.

A failure at any step before the rename leaves the journal exactly as it was and
removes the half-made copy.
"""

from __future__ import annotations

import os
import sys
from contextlib import suppress
from pathlib import Path
from typing import TYPE_CHECKING, Any

from coachlog.errors import Refused
from coachlog.store import driver, keys

if TYPE_CHECKING:
    from coachlog.store.db import Journal


def _wal_shm(path: Path) -> list[Path]:
    return [path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")]


def table_counts(conn: Any) -> dict[str, int]:
    """Rows in every table of the schema (the search index's own tables included)."""
    names = [
        name
        for (name,) in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "ORDER BY name"
        ).fetchall()
    ]
    return {
        name: int(conn.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0]) for name in names
    }


def _fresh(path: Path) -> None:
    """An empty owner-only file at `path` (an older half-made copy removed first)."""
    for stale in (path, *_wal_shm(path)):
        with suppress(FileNotFoundError):
            stale.unlink()
    fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    os.close(fd)


def _export(source: Any, target: Path, key: bytes | None, user_version: int) -> None:
    """Copy everything `source` (an sqlcipher3 connection) holds into `target`."""
    source.execute(driver.attach_sql("target", key), (str(target),))
    try:
        source.execute("SELECT sqlcipher_export('target')").fetchall()
        # sqlcipher_export copies tables, not the header's user_version (the schema version).
        source.execute(f"PRAGMA target.user_version = {int(user_version)}")
    finally:
        source.execute("DETACH DATABASE target")


def _verify(target: Path, key: bytes | None, expected: dict[str, int], version: int) -> None:
    """Open the copy on its own and check it is whole; Refused (copy kept out) if not."""
    conn = driver.connect(target, key=key)
    try:
        problems = [str(r[0]) for r in conn.execute("PRAGMA integrity_check").fetchall()]
        if problems != ["ok"]:
            raise _failed("its integrity check failed")
        if table_counts(conn) != expected:
            raise _failed("its row counts differ from the journal's")
        try:
            conn.execute("INSERT INTO search_index(search_index) VALUES ('integrity-check')")
        except driver.DatabaseError:
            raise _failed("its search index is damaged") from None
        if int(conn.execute("PRAGMA user_version").fetchone()[0]) != version:
            raise _failed("its schema version differs")
        conn.execute("PRAGMA journal_mode = WAL")
    finally:
        conn.close()


def _failed(why: str) -> Refused:
    return Refused(
        f"The converted copy did not check out ({why}), so the journal was left as it was.",
        hint="Run 'coachlog db check'; nothing was changed.",
    )


def _swap(j: Journal, new: Path, *, wipe_old: bool) -> None:
    """Close the journal, then put `new` in its place (the old contents zeroed if asked)."""
    path = j.path
    if j.conn.in_transaction:
        j.conn.execute("ROLLBACK")
    j.conn.close()
    # The last connection to close checkpoints and deletes -wal/-shm; any still
    # there (another process has the journal open) belong to the old file.
    for leftover in _wal_shm(path):
        if wipe_old:
            keys.wipe(leftover)
        else:
            with suppress(FileNotFoundError):
                leftover.unlink()
    # The old file is given a second name and wiped through it once the new one is
    # in place, rather than held open across the rename (Windows cannot replace a
    # file something holds open; there it is renamed aside instead).
    aside = path.with_name(path.name + ".wiping")
    with suppress(FileNotFoundError):
        aside.unlink()
    if sys.platform == "win32":
        os.replace(path, aside)
    else:
        os.link(path, aside)  # same file under a second name: the journal is never missing
    os.replace(new, path)
    if wipe_old:
        keys.wipe(aside)
    else:
        aside.unlink()
    if sys.platform != "win32":
        os.chmod(path, 0o600)


def _locked_snapshot(j: Journal) -> tuple[dict[str, int], int]:
    """Take the write lock on the journal and return what the copy must match."""
    j.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    j.conn.execute("BEGIN IMMEDIATE")
    return table_counts(j.conn), j.schema_version


def encrypt(j: Journal, passphrase: str) -> str:
    """Encrypt the (plain) open journal in place; returns the one-time recovery code.

    `j` is closed afterwards: open the journal again to use it.
    """
    module = driver.cipher()
    if j.encrypted:
        raise Refused(f"{j.path.name} is already encrypted.", hint="Nothing was changed.")
    data_key = keys.new_data_key()
    recovery = keys.new_recovery_code()
    temp = j.path.with_name(j.path.name + ".encrypting")
    try:
        expected, version = _locked_snapshot(j)
        _fresh(temp)
        source = module.connect(str(j.path), isolation_level=None, timeout=15)
        try:
            source.execute("PRAGMA cipher_log_level = NONE")
            _export(source, temp, data_key, version)
        finally:
            source.close()
        _verify(temp, data_key, expected, version)
        sealed = keys.KeyFile(
            passphrase=keys.seal(data_key, passphrase), recovery=keys.seal(data_key, recovery)
        )
        keys.write_key_file(j.path, sealed)
        keys.end_session(j.path)
        _swap(j, temp, wipe_old=True)
    except BaseException:
        for made in (temp, *_wal_shm(temp)):
            with suppress(FileNotFoundError):
                made.unlink()
        raise
    return recovery


def decrypt(j: Journal) -> None:
    """Turn the open encrypted journal back into a plain one in place (`j` is closed)."""
    if j.data_key is None:
        raise Refused(f"{j.path.name} is not encrypted.", hint="Nothing was changed.")
    module = driver.cipher()
    temp = j.path.with_name(j.path.name + ".decrypting")
    try:
        expected, version = _locked_snapshot(j)
        _fresh(temp)
        source = module.connect(str(j.path), isolation_level=None, timeout=15)
        try:
            source.execute("PRAGMA cipher_log_level = NONE")
            source.execute(driver.key_pragma(j.data_key))
            _export(source, temp, None, version)
        finally:
            source.close()
        # Checked with the plain driver: the journal must open without the extra.
        _verify(temp, None, expected, version)
        _swap(j, temp, wipe_old=False)
    except BaseException:
        for made in (temp, *_wal_shm(temp)):
            with suppress(FileNotFoundError):
                made.unlink()
        raise
    keys.wipe(keys.key_file(j.path))
    keys.end_session(j.path)


def change_passphrase(path: Path, data_key: bytes, new_passphrase: str) -> None:
    """Seal the same data key under a new passphrase; the journal is not touched."""
    current = keys.read_key_file(path)
    keys.write_key_file(
        path,
        keys.KeyFile(passphrase=keys.seal(data_key, new_passphrase), recovery=current.recovery),
    )


def recover_key(path: Path, code: str) -> bytes | None:
    """The data key from the recovery code (None if it is not this journal's)."""
    current = keys.read_key_file(path)
    return keys.unseal(current.recovery, keys.normalise_recovery_code(code))
