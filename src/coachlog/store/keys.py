"""An encrypted journal's data key: made, wrapped, kept beside the journal, unwrapped.

The journal is encrypted by SQLCipher under a random 256-bit *data key*, given to
it as a raw key, so opening costs about a millisecond. The data key never rests
on disk in the clear. `<journal>.key` (owner-only JSON, written atomically) holds
it twice, each time sealed with AES-256-GCM (the `cryptography` library):

- under a key stretched from the passphrase with scrypt, N=2^17, r=8, p=1 (the
  OWASP Password Storage Cheat Sheet's minimum for scrypt: 128 MiB, about 0.4 s);
- under a key stretched the same way from the one-time *recovery code* shown when
  encryption is turned on (160 random bits, in groups of four letters and digits).

Changing the passphrase re-seals the first copy only; the journal is not rewritten.
A wrong passphrase fails GCM's authentication check, so it is told apart from a
damaged file without touching the journal.

`coachlog unlock` seals the data key with PyNaCl's SecretBox (XSalsa20-Poly1305)
under a new random key: the box in `<journal>.session` (0600), the key printed for
the shell to hold (COACHLOG_SESSION). `coachlog lock` deletes the file, after which
the shell's key opens nothing.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import secrets
import sys
import tempfile
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from coachlog.errors import Refused
from coachlog.store.driver import CIPHER_SETTINGS

KEY_FORMAT = 1
# OWASP Password Storage Cheat Sheet (2024/2025): scrypt N=2^17, r=8, p=1.
SCRYPT = {"n": 2**17, "r": 8, "p": 1}
_SCRYPT_MAXMEM = 256 * 1024 * 1024  # 128 * r * n = 128 MiB needed; Python's default is 32 MiB
_AAD = b"coachlog data key v1"
# Crockford's base32 alphabet: no I, L, O or U to misread.
_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
RECOVERY_BYTES = 20


def key_file(journal: Path) -> Path:
    return journal.with_name(journal.name + ".key")


def session_file(journal: Path) -> Path:
    return journal.with_name(journal.name + ".session")


def new_data_key() -> bytes:
    return secrets.token_bytes(32)


def new_recovery_code() -> str:
    """20 random bytes as 32 Crockford base32 characters in eight groups of four."""
    number = int.from_bytes(secrets.token_bytes(RECOVERY_BYTES), "big")
    chars = "".join(_ALPHABET[(number >> (5 * i)) & 31] for i in range(32))
    return "-".join(chars[i : i + 4] for i in range(0, 32, 4))


def normalise_recovery_code(code: str) -> str:
    """The code as typed (any case, spaces or dashes, O for 0, I/L for 1) in canonical form."""
    text = code.strip().upper().replace(" ", "").replace("-", "")
    text = text.translate(str.maketrans("OIL", "011"))
    return "-".join(text[i : i + 4] for i in range(0, len(text), 4))


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"), validate=True)


def _aead(key: bytes) -> Any:
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    return AESGCM(key)


def stretch(secret: str, salt: bytes, params: dict[str, int] | None = None) -> bytes:
    """A 256-bit key from a passphrase or recovery code (scrypt)."""
    p = params or SCRYPT
    return hashlib.scrypt(
        secret.encode("utf-8"),
        salt=salt,
        n=p["n"],
        r=p["r"],
        p=p["p"],
        maxmem=_SCRYPT_MAXMEM,
        dklen=32,
    )


def seal(data_key: bytes, secret: str) -> dict[str, Any]:
    salt = secrets.token_bytes(16)
    nonce = secrets.token_bytes(12)
    wrapped = _aead(stretch(secret, salt)).encrypt(nonce, data_key, _AAD)
    return {
        "kdf": "scrypt",
        **SCRYPT,
        "salt": _b64(salt),
        "nonce": _b64(nonce),
        "sealed": _b64(wrapped),
    }


def unseal(entry: dict[str, Any], secret: str) -> bytes | None:
    """The data key, or None if `secret` is not the one it was sealed with."""
    from cryptography.exceptions import InvalidTag

    params = {"n": int(entry["n"]), "r": int(entry["r"]), "p": int(entry["p"])}
    try:
        wrapping = stretch(secret, _unb64(entry["salt"]), params)
        return bytes(
            _aead(wrapping).decrypt(_unb64(entry["nonce"]), _unb64(entry["sealed"]), _AAD)
        )
    except InvalidTag:
        return None


def check_entry(entry: dict[str, Any]) -> None:
    """ValueError unless `entry` is a sealed key `unseal` can try: scrypt parameters
    in a sane range (so an edited file cannot make opening take hours or fail deep in
    hashlib) and base64 salt, nonce and sealed key of the right sizes."""
    n, r, p = int(entry["n"]), int(entry["r"]), int(entry["p"])
    if entry.get("kdf") != "scrypt" or n < 2**14 or n > 2**20 or n & (n - 1):
        raise ValueError("scrypt cost out of range")
    if not (1 <= r <= 32 and 1 <= p <= 16 and 128 * r * n <= _SCRYPT_MAXMEM):
        raise ValueError("scrypt parameters out of range")
    if len(_unb64(entry["salt"])) < 16 or len(_unb64(entry["nonce"])) != 12:
        raise ValueError("salt or nonce of the wrong size")
    if len(_unb64(entry["sealed"])) != 32 + 16:
        raise ValueError("sealed key of the wrong size")


@dataclass
class KeyFile:
    """What `<journal>.key` holds: the data key sealed by passphrase and by recovery code."""

    passphrase: dict[str, Any]
    recovery: dict[str, Any]

    def to_json(self) -> str:
        return json.dumps(
            {
                "coachlog_key": KEY_FORMAT,
                "cipher": {"sqlcipher": 4, "key": "raw", **CIPHER_SETTINGS},
                "passphrase": self.passphrase,
                "recovery": self.recovery,
            },
            indent=2,
        )


def read_key_file(journal: Path) -> KeyFile:
    path = key_file(journal)
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        if raw.get("coachlog_key") != KEY_FORMAT:
            raise ValueError("unknown key file version")
        found = KeyFile(passphrase=dict(raw["passphrase"]), recovery=dict(raw["recovery"]))
        check_entry(found.passphrase)
        check_entry(found.recovery)
        return found
    except FileNotFoundError:
        raise Refused(
            f"{journal} is encrypted, but its key file {path.name} is not beside it.",
            hint=f"Put {path.name} back next to the journal ('db backup' writes one beside "
            "each copy); without it the journal cannot be opened. Nothing was changed.",
        ) from None
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        raise Refused(
            f"The key file {path} is corrupt or not coachlog's.",
            hint="Put back the key file of a 'db backup' copy of this journal (it opens "
            "with the passphrase of its time, or the recovery code). Nothing was changed.",
        ) from None


def write_private(path: Path, data: bytes) -> None:
    """Write `data` to `path` owner-only and atomically (temp file, fsync, rename)."""
    fd, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    temp = Path(temp_name)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        if sys.platform != "win32":
            os.chmod(temp, 0o600)
        os.replace(temp, path)
    except BaseException:
        with suppress(OSError):
            temp.unlink()
        raise


def write_key_file(journal: Path, keys: KeyFile, *, at: Path | None = None) -> Path:
    target = at or key_file(journal)
    write_private(target, keys.to_json().encode("utf-8"))
    return target


def wipe(path: Path) -> None:
    """Overwrite a file with zeros, flush it to disk, and delete it (if it is there).

    On SSDs and copy-on-write file systems the old blocks may survive an overwrite;
    the README says so. It is still the best a program can do from user space.
    """
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        return
    with suppress(OSError), open(path, "r+b") as f:
        block = b"\0" * 65536
        left = size
        while left > 0:
            f.write(block[: min(left, len(block))])
            left -= len(block)
        f.flush()
        os.fsync(f.fileno())
    with suppress(FileNotFoundError):
        path.unlink()


# ---------------------------------------------------------------- sessions


SESSION_FORMAT = 2  # 1 was a hand-made XOR split of the data key; now a SecretBox


def start_session(journal: Path, data_key: bytes) -> str:
    """Seal the data key under a new random session key; the shell holds that key.

    The session file holds the data key encrypted and authenticated with PyNaCl's
    `SecretBox` (XSalsa20-Poly1305) under a random 256-bit key that exists only in
    the shell's COACHLOG_SESSION: the file alone, or the shell's key alone, says
    nothing about the data key, and a stale or tampered pair fails Poly1305's check.
    PyNaCl is imported only here and in `session_key_from` (about 14 ms).
    """
    import nacl.secret

    secret_key = secrets.token_bytes(nacl.secret.SecretBox.KEY_SIZE)
    # encrypt() draws a random 24-byte nonce and puts it in front of the box.
    sealed = nacl.secret.SecretBox(secret_key).encrypt(data_key)
    body = {"coachlog_session": SESSION_FORMAT, "box": _b64(bytes(sealed))}
    write_private(session_file(journal), json.dumps(body).encode("utf-8"))
    return base64.urlsafe_b64encode(secret_key).decode("ascii").rstrip("=")


def session_key_from(journal: Path, token: str) -> bytes | None:
    """The data key from the session file and the shell's key, or None (locked, stale,
    another journal's, an older coachlog's session, or tampered with)."""
    try:
        body = json.loads(session_file(journal).read_text(encoding="utf-8"))
        if body.get("coachlog_session") != SESSION_FORMAT:
            return None
        text = token.strip()
        secret_key = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
        sealed = _unb64(body["box"])
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None
    import nacl.exceptions
    import nacl.secret

    if len(secret_key) != nacl.secret.SecretBox.KEY_SIZE:
        return None
    try:
        key = bytes(nacl.secret.SecretBox(secret_key).decrypt(sealed))
    except (nacl.exceptions.CryptoError, ValueError, TypeError):
        return None
    return key if len(key) == 32 else None


def end_session(journal: Path) -> bool:
    """Forget the session (delete its file); True if there was one."""
    path = session_file(journal)
    existed = path.exists()
    wipe(path)
    return existed


# ---------------------------------------------------------------- encrypted exports

SEALED_FORMAT = "coachlog-encrypted-backup"
_DOCUMENT_AAD = b"coachlog encrypted backup v1"


def seal_document(text: str, data_key: bytes, sealed_keys: dict[str, dict[str, Any]]) -> str:
    """`text` encrypted (AES-256-GCM) under `data_key`, with that key sealed as given.

    `sealed_keys` are entries made by `seal` (the journal's own passphrase and
    recovery entries, for an encrypted journal), so the file opens with the same
    passphrase the journal had when it was written.
    """
    nonce = secrets.token_bytes(12)
    body = _aead(data_key).encrypt(nonce, text.encode("utf-8"), _DOCUMENT_AAD)
    envelope = {
        "format": SEALED_FORMAT,
        "version": 1,
        "cipher": "AES-256-GCM",
        **sealed_keys,
        "nonce": _b64(nonce),
        "ciphertext": _b64(body),
    }
    return json.dumps(envelope, indent=2) + "\n"


def is_sealed_document(value: Any) -> bool:
    return isinstance(value, dict) and value.get("format") == SEALED_FORMAT


def open_document(envelope: dict[str, Any], secret: str) -> str | None:
    """The text of an encrypted backup, or None if `secret` opens none of its keys."""
    from cryptography.exceptions import InvalidTag

    for entry, given in (
        ("passphrase", secret),
        ("recovery", normalise_recovery_code(secret)),
    ):
        if entry not in envelope:
            continue
        data_key = unseal(envelope[entry], given)
        if data_key is None:
            continue
        try:
            body = _aead(data_key).decrypt(
                _unb64(envelope["nonce"]), _unb64(envelope["ciphertext"]), _DOCUMENT_AAD
            )
        except (InvalidTag, KeyError, ValueError):
            return None
        return bytes(body).decode("utf-8")
    return None
