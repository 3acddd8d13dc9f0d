"""The one place that chooses the SQLite driver: `sqlite3` for a plain journal,
`sqlcipher3` (the `coachlog[encrypt]` extra) for an encrypted one.

The two drivers have the same API but separate exception classes (sqlcipher3's
are not subclasses of sqlite3's), so code anywhere catches database errors as
`driver.DatabaseError`, `driver.OperationalError` or `driver.IntegrityError`:
tuples that hold sqlite3's class and, once an encrypted journal has been opened,
sqlcipher3's too. Always spell them `driver.X` at the point of catching (never
`from driver import X`): an `except` looks the name up only when something is
raised, by which time the tuple holds every driver in use.

sqlcipher3 is imported only when an encrypted journal is opened or converted, so a
plain journal never pays for it, and a coachlog without the extra works as before.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from coachlog.errors import Refused

DatabaseError: tuple[type[Exception], ...] = (sqlite3.DatabaseError,)
OperationalError: tuple[type[Exception], ...] = (sqlite3.OperationalError,)
IntegrityError: tuple[type[Exception], ...] = (sqlite3.IntegrityError,)

# What every SQLite file starts with; an SQLCipher file starts with random salt.
SQLITE_HEADER = b"SQLite format 3\x00"

EXTRA_HINT = 'Install the extra first: pip install "coachlog[encrypt]".'

_cipher: Any = None

# SQLCipher's page settings for every encrypted journal coachlog makes and opens
# (recorded in the key file too). 16 KiB pages and HMAC-SHA256 instead of 4 KiB
# and HMAC-SHA512: a full scan of a 100k journal decrypts and authenticates
# 0.14 s of pages instead of 0.32-0.50 s (plain: 0.09 s), because the work per
# page is mostly fixed and SHA-256 has CPU instructions (SHA-NI, ARMv8) where
# SHA-512 has none. HMAC-SHA256 remains a sound page authenticator; AES-256 is
# unchanged. As SQLCipher's defaults for this process: set once on import, so a
# connection and an ATTACH ... KEY get them before the key is used.
CIPHER_SETTINGS = {"page_size": 16384, "hmac_algorithm": "HMAC_SHA256"}
ENCRYPTED_CACHE_KIB = -32768  # negative: KiB, SQLite's convention


def cipher() -> Any:
    """The sqlcipher3 DB-API module, imported on first use; Refused without the extra."""
    global _cipher, DatabaseError, OperationalError, IntegrityError
    if _cipher is None:
        try:
            from sqlcipher3 import dbapi2
        except ImportError:
            raise Refused(
                "Encrypted journals need SQLCipher, which this coachlog does not have.",
                hint=EXTRA_HINT,
            ) from None
        defaults = dbapi2.connect(":memory:")
        try:
            defaults.execute(f"PRAGMA cipher_default_page_size = {CIPHER_SETTINGS['page_size']}")
            defaults.execute(
                f"PRAGMA cipher_default_hmac_algorithm = {CIPHER_SETTINGS['hmac_algorithm']}"
            )
        finally:
            defaults.close()
        _cipher = dbapi2
        DatabaseError = (sqlite3.DatabaseError, dbapi2.DatabaseError)
        OperationalError = (sqlite3.OperationalError, dbapi2.OperationalError)
        IntegrityError = (sqlite3.IntegrityError, dbapi2.IntegrityError)
    return _cipher


def cipher_available() -> bool:
    try:
        cipher()
    except Refused:
        return False
    return True


def looks_encrypted(path: Path) -> bool:
    """A non-empty file that does not start with SQLite's header (SQLCipher encrypts it).

    A new (empty) file and any plain SQLite file are plain; what else it might be
    (a damaged file, someone else's data) is for opening it with the key to decide.
    """
    try:
        with open(path, "rb") as f:
            head = f.read(len(SQLITE_HEADER))
    except OSError:
        return False
    return bool(head) and head != SQLITE_HEADER


def key_pragma(key: bytes) -> str:
    """`PRAGMA key` for a raw 256-bit key: SQLCipher skips its own passphrase stretching."""
    if len(key) != 32:
        raise ValueError("a data key is 32 bytes")
    return f"PRAGMA key = \"x'{key.hex()}'\""


def connect(
    path: str | Path, *, key: bytes | None = None, timeout: float = 5.0, uri: bool = False
) -> sqlite3.Connection:
    """A connection in autocommit mode: plain sqlite3 without a key, sqlcipher3 with one.

    With a key, SQLCipher's own log (its "hmac check failed" lines on stderr for a
    wrong key) is silenced first, and the key is checked by reading the schema: a
    key that does not open the file raises a DatabaseError here, not later.
    """
    if key is None:
        return sqlite3.connect(str(path), timeout=timeout, isolation_level=None, uri=uri)
    module = cipher()
    conn: sqlite3.Connection = module.connect(
        str(path), timeout=timeout, isolation_level=None, uri=uri
    )
    try:
        conn.execute("PRAGMA cipher_log_level = NONE")
        conn.execute(key_pragma(key))
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        # A plain journal's pages, read again, come from the OS cache for nothing;
        # an encrypted one's would be decrypted again. Keep up to 32 MiB of them
        # decrypted in SQLite's cache instead (only as much as a command reads):
        # it brings `progress` on a 100k journal from about 1.1x to 1.0x.
        conn.execute(f"PRAGMA cache_size = {ENCRYPTED_CACHE_KIB}")
    except BaseException:
        conn.close()
        raise
    return conn


def attach_sql(alias: str, key: bytes | None) -> str:
    """ATTACH ... KEY for `sqlcipher_export`: a raw key, or '' for a plain file."""
    secret = f"\"x'{key.hex()}'\"" if key is not None else "''"
    return f"ATTACH DATABASE ? AS {alias} KEY {secret}"


def is_cipher_connection(conn: Any) -> bool:
    return _cipher is not None and isinstance(conn, _cipher.Connection)
