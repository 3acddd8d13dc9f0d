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
import stat
import sys
import tempfile
import time
from collections.abc import Iterable
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
    target = check_target(path, force=force)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    return _write_atomic(target, [payload], force=force)


def write_stream(
    path: str | os.PathLike[str], parts: Iterable[str], *, force: bool = False
) -> Path:
    """`write_file` for a document made as it is written: each part of `parts` goes to
    the temporary file as it comes (UTF-8), so the whole text is never in memory.

    The same rules: the target is checked before the first part is asked for, and
    takes its name only once the last is on disk; if making a part fails, the
    temporary file goes and the target is untouched.
    """
    target = check_target(path, force=force)
    return _write_atomic(target, (part.encode("utf-8") for part in parts), force=force)


def _write_atomic(target: Path, chunks: Iterable[bytes], *, force: bool) -> Path:
    folder = target.parent
    sweep_stale_temps(target)
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
            for chunk in chunks:
                handle.write(chunk)
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


def refuse_special(target: Path, *, hint: str) -> None:
    """Refuse a target that is a device, a pipe or a socket (or a link to one).

    The file is written beside it and renamed over it, which would put a plain
    file in place of `/dev/stdout` or a FIFO (as root even in /dev), and report
    success for `/dev/full`.
    """
    try:
        mode = target.stat().st_mode
    except OSError:
        return  # not there (or a dangling link): an ordinary new file
    if not stat.S_ISREG(mode) and not stat.S_ISDIR(mode):
        raise InvalidInput(
            f"{target} is not a regular file (a device, pipe or socket); nothing was written.",
            hint=hint,
        )


def check_target(path: str | os.PathLike[str], *, force: bool = False) -> Path:
    """The file `write_file` would write, refused now if it could not be: the journal,
    a folder, a missing folder, or a file that exists without `force`. A command that
    asks questions first calls this before asking, so nobody answers for nothing."""
    target = Path(path).expanduser()
    refuse_journal(target)
    refuse_special(target, hint="Use -o - to write to standard output and pipe it on.")
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
    return target


def refuse_journal(target: Path) -> None:
    """Refuse to write over an open journal or its -wal/-shm, --force or not."""
    from coachlog.store.db import OPENED, journal_files

    for journal in OPENED:
        for file in journal_files(journal):
            same = target.resolve() == file.resolve()
            if not same and target.exists() and file.exists():
                with contextlib.suppress(OSError):
                    same = os.path.samefile(target, file)
            if same:
                raise Refused(
                    f"{target} is part of your journal; nothing was written.",
                    hint="Choose another -o file (--force never replaces the journal).",
                )


# A temporary file older than this is left over from a run that was killed.
STALE_SECONDS = 300


def sweep_stale_temps(target: Path) -> None:
    """Remove temporary copies of `target` that a killed run left behind.

    Each write makes `.NAME.XXXX.tmp` beside the target and renames it; a kill -9
    in between leaves it (a full copy of what was being written). The next write
    to the same name removes any such file of ours older than a few minutes.
    """
    now = time.time()
    for temp in target.parent.glob(f".{target.name}.*.tmp"):
        with contextlib.suppress(OSError):
            info = temp.stat()
            mine = sys.platform == "win32" or info.st_uid == os.getuid()
            if mine and now - info.st_mtime > STALE_SECONDS:
                temp.unlink()
