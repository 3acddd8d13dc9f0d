"""Writing the files coachlog makes (exports, pictures, packs): atomic and owner-only.

One writer for every `-o FILE`, so each behaves the same: the text goes to a
temporary file beside the target, is flushed to disk, is readable by the owner
only (0600, where the platform has such modes: not Windows), and only then
takes the target's name; an existing file is never
replaced without `force`; a missing folder or a folder given as the file is a bad
`-o` value (exit 2).
"""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
from pathlib import Path

from coachlog.errors import InvalidInput, Refused


def write_file(path: str | os.PathLike[str], data: str | bytes, *, force: bool = False) -> Path:
    """Write `data` to `path` atomically, readable by the owner only (0600).

    The text goes to a temporary file beside the target, is flushed to disk, and
    only then takes the target's name, so a crash or Ctrl-C never leaves half a
    file. Without `force` an existing file is never replaced: the final step is a
    hard link, which fails if the name is taken, even if another program
    created the file a moment ago.
    """
    target = Path(path).expanduser()
    if target.is_dir():
        raise InvalidInput(f"{target} is a folder.", hint="Give a file name after -o.")
    folder = target.parent
    if not folder.is_dir():
        raise InvalidInput(
            f"The folder {folder} does not exist.", hint="Create it first, or choose another -o."
        )
    if target.exists() and not force:
        raise Refused(
            f"{target} already exists; nothing was written.",
            hint="Add --force to replace it, or choose another -o file.",
        )
    payload = data.encode("utf-8") if isinstance(data, str) else data
    try:
        fd, temp = tempfile.mkstemp(dir=folder, prefix=f".{target.name}.", suffix=".tmp")
    except OSError as exc:
        raise Refused(
            f"Cannot write in {folder} ({exc.strerror or type(exc).__name__}).",
            hint="Choose a folder you can write to.",
        ) from None
    try:
        # mkstemp already makes the file 0600 on POSIX; this says so explicitly.
        # Windows has no fchmod before 3.13 and no owner-only mode bits at all:
        # there the file gets the folder's access rules (a user profile is private).
        fchmod = getattr(os, "fchmod", None)
        if fchmod is not None and sys.platform != "win32":
            fchmod(fd, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        if force:
            os.replace(temp, target)
        else:
            try:
                os.link(temp, target)
            except FileExistsError:
                raise Refused(
                    f"{target} already exists; nothing was written.",
                    hint="Add --force to replace it, or choose another -o file.",
                ) from None
            except OSError:
                # A file system without hard links: the check above has to do.
                os.replace(temp, target)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp)
    return target
