"""Use-cases for encrypted journals: turn encryption on and off, change or recover the
passphrase, and start and end an unlocked session.

Secrets come in as plain arguments: the CLI finds them (COACHLOG_PASSPHRASE, or a
hidden prompt) and core never asks. The SQLCipher work and the key file are
store's (store/encryption.py, store/keys.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from coachlog.errors import InvalidInput, Refused
from coachlog.store import driver, keys
from coachlog.store import encryption as store
from coachlog.store.db import Ask, connect_encrypted, open_journal, resolve_path, unlock

MIN_PASSPHRASE = 8


@dataclass(frozen=True, kw_only=True)
class Encrypted:
    path: str
    key_file: str
    recovery_code: str


@dataclass(frozen=True, kw_only=True)
class Decrypted:
    path: str


@dataclass(frozen=True, kw_only=True)
class PassphraseChanged:
    path: str
    key_file: str


@dataclass(frozen=True, kw_only=True)
class Session:
    path: str
    session: str


def is_encrypted(db: str | None) -> bool:
    path = resolve_path(db)
    return path.is_file() and driver.looks_encrypted(path) and keys.key_file(path).exists()


def require_extra() -> None:
    """Refused (saying how to get it) when the `coachlog[encrypt]` extra is missing."""
    driver.cipher()
    try:
        import cryptography  # noqa: F401
    except ImportError:
        raise Refused(
            "Encrypted journals need the cryptography library, which is missing.",
            hint=driver.EXTRA_HINT,
        ) from None


def check_new_passphrase(passphrase: str) -> None:
    if len(passphrase) < MIN_PASSPHRASE:
        raise InvalidInput(
            f"A passphrase needs at least {MIN_PASSPHRASE} characters; nothing was changed.",
            hint="Several unrelated words make a passphrase that is long and easy to type.",
        )


def encrypt(db: str | None, passphrase: str) -> Encrypted:
    """Encrypt the existing journal in place; the result carries the one-time recovery code."""
    require_extra()
    check_new_passphrase(passphrase)
    j = open_journal(db, create=False)
    try:
        code = store.encrypt(j, passphrase)
    finally:
        j.close()
    return Encrypted(path=str(j.path), key_file=str(keys.key_file(j.path)), recovery_code=code)


def decrypt(db: str | None, ask: Ask | None) -> Decrypted:
    require_extra()
    j = open_journal(db, create=False, ask=ask)
    try:
        store.decrypt(j)
    finally:
        j.close()
    return Decrypted(path=str(j.path))


def _encrypted_path(db: str | None) -> Path:
    path = resolve_path(db)
    if not is_encrypted(db):
        raise Refused(
            f"{path} is not an encrypted journal.",
            hint="Turn encryption on first: coachlog db encrypt.",
        )
    return path


def change_passphrase(db: str | None, current: str, new: str) -> PassphraseChanged:
    """Seal the data key under `new`, having checked `current` opens it."""
    require_extra()
    path = _encrypted_path(db)
    key = keys.unseal(keys.read_key_file(path).passphrase, current)
    if key is None:
        raise Refused(
            "That passphrase is wrong; nothing was changed.",
            hint="A lost passphrase is replaced with the recovery code: "
            "coachlog db passphrase --recover.",
        )
    check_new_passphrase(new)
    store.change_passphrase(path, key, new)
    return PassphraseChanged(path=str(path), key_file=str(keys.key_file(path)))


def recover(db: str | None, code: str, new: str) -> PassphraseChanged:
    """A new passphrase from the recovery code (the lost-passphrase path)."""
    require_extra()
    path = _encrypted_path(db)
    key = store.recover_key(path, code)
    if key is None:
        raise Refused(
            "That recovery code is not this journal's; nothing was changed.",
            hint="It is the code shown when encryption was turned on (eight groups of four).",
        )
    check_new_passphrase(new)
    connect_encrypted(path, key).close()  # the key must open this journal itself
    store.change_passphrase(path, key, new)
    return PassphraseChanged(path=str(path), key_file=str(keys.key_file(path)))


def start_session(db: str | None, ask: Ask | None) -> Session:
    """Unlock with the passphrase once and return a session key for the shell to hold."""
    require_extra()
    path = _encrypted_path(db)
    key, _ = unlock(path, ask, use_session=False)
    connect_encrypted(path, key).close()
    return Session(path=str(path), session=keys.start_session(path, key))


def end_session(db: str | None) -> bool:
    """Forget the session (its file beside the journal); True if there was one."""
    return keys.end_session(resolve_path(db))
