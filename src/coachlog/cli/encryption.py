"""Encrypted journals from the command line: `db encrypt`, `db decrypt`, `db passphrase`,
and the top-level `unlock` and `lock`.

Secrets are found here and nowhere else: COACHLOG_PASSPHRASE (and, for a change of
passphrase, COACHLOG_NEW_PASSPHRASE; for recovery, COACHLOG_RECOVERY_CODE) in
scripts, a hidden prompt in a terminal, and a usage error (exit 2) naming the
variable when there is neither. A new passphrase typed at a prompt is asked twice.
"""

from __future__ import annotations

import os
import sys
from enum import StrEnum
from typing import Annotated

import typer

from coachlog.cli import common
from coachlog.cli.options import JsonFlag
from coachlog.errors import InvalidInput

ENV_PASSPHRASE = "COACHLOG_PASSPHRASE"
ENV_NEW_PASSPHRASE = "COACHLOG_NEW_PASSPHRASE"
ENV_RECOVERY = "COACHLOG_RECOVERY_CODE"

YesFlag = Annotated[
    bool, typer.Option("--yes", "-y", help="Go ahead without asking (needed in scripts).")
]


class Shell(StrEnum):
    sh = "sh"
    fish = "fish"
    powershell = "powershell"
    cmd = "cmd"


def _default_shell() -> Shell:
    return Shell.powershell if sys.platform == "win32" else Shell.sh


ShellOpt = Annotated[
    Shell | None,
    typer.Option(
        "--shell",
        help="Print the line for this shell (default: sh, or powershell on Windows).",
        show_default=False,
    ),
]


def secret(env: str, question: str, *, twice: bool = False, what: str = "passphrase") -> str:
    """A secret from `env`, else asked (hidden) in a terminal, else exit 2 naming `env`."""
    given = os.environ.get(env, "")
    if given:
        return given
    if not common.can_ask_secret():
        raise InvalidInput(
            f"No {what} given and no terminal to ask in: set {env}.",
            hint="Nothing was changed.",
        )
    from coachlog.cli.prompts import get_prompter

    prompter = get_prompter()
    first = prompter.secret(question)
    if twice and prompter.secret("The same again, to be sure") != first:
        raise InvalidInput(f"The two {what}s differ; nothing was changed.")
    return first


def encrypt(json_: JsonFlag = False) -> None:
    """Encrypt the journal in place with a passphrase (needs coachlog[encrypt]).

    The new file is written beside the journal and checked (integrity, row
    counts, search index) before it replaces it; the plain-text original and
    its -wal/-shm are overwritten and deleted. The passphrase comes from
    COACHLOG_PASSPHRASE or is asked twice. A one-time recovery code is shown:
    write it down and keep it away from this computer. Older copies (db backup
    files, exports) stay as they were: plain text.

    Example: coachlog db encrypt
    """
    from coachlog.core import encryption

    encryption.require_extra()
    if encryption.is_encrypted(common.STATE.db):
        raise InvalidInput("The journal is already encrypted; nothing was changed.")
    passphrase = secret(ENV_PASSPHRASE, "New passphrase for the journal", twice=True)
    done = encryption.encrypt(common.STATE.db, passphrase)
    if json_:
        common.print_json(done)
    common.say(
        f"Encrypted {done.path}. Its key file {done.key_file} must stay beside it "
        "('db backup' copies both)."
    )
    common.say(
        "Recovery code, shown only now (it replaces a lost passphrase; keep it apart "
        "from this computer):"
    )
    common.say("  " + done.recovery_code)
    common.warn(
        "earlier 'db backup' copies and 'export backup' files are still plain text: "
        "delete them or keep them somewhere safe."
    )


def decrypt(yes: YesFlag = False, json_: JsonFlag = False) -> None:
    """Turn encryption off: the journal becomes a plain SQLite file again.

    Checked before it replaces the encrypted one; the key file is deleted.
    Anyone who gets the file can then read every note.

    Example: coachlog db decrypt --yes
    """
    from coachlog.core import encryption

    encryption.require_extra()
    if not encryption.is_encrypted(common.STATE.db):
        raise InvalidInput("The journal is not encrypted; nothing was changed.")
    common.confirm(
        "Decrypt the journal? Anyone who gets the file can then read every note.",
        yes=yes,
        refusal="Decrypting needs --yes in a script; nothing was changed.",
        hint="Run 'coachlog db decrypt --yes'.",
    )
    done = encryption.decrypt(common.STATE.db, common.passphrase_asker())
    if json_:
        common.print_json(done)
    else:
        common.say(f"Decrypted {done.path}: it is a plain journal again.")


def passphrase(
    recover: Annotated[
        bool,
        typer.Option(
            "--recover",
            help=f"Lost the passphrase: give the recovery code instead (or set {ENV_RECOVERY}).",
        ),
    ] = False,
    json_: JsonFlag = False,
) -> None:
    """Change the journal's passphrase (the journal itself is not rewritten).

    The current one comes from COACHLOG_PASSPHRASE or is asked; the new one
    from COACHLOG_NEW_PASSPHRASE or is asked twice. An unlocked session stays
    unlocked.

    Example: coachlog db passphrase --recover
    """
    from coachlog.core import encryption

    encryption.require_extra()
    if recover:
        code = secret(ENV_RECOVERY, "Recovery code", what="recovery code")
        new = secret(ENV_NEW_PASSPHRASE, "New passphrase", twice=True)
        done = encryption.recover(common.STATE.db, code, new)
    else:
        if not encryption.is_encrypted(common.STATE.db):
            raise InvalidInput(
                "The journal is not encrypted; nothing was changed.",
                hint="Turn encryption on with 'coachlog db encrypt'.",
            )
        current = secret(ENV_PASSPHRASE, "Current passphrase")
        new = secret(ENV_NEW_PASSPHRASE, "New passphrase", twice=True)
        done = encryption.change_passphrase(common.STATE.db, current, new)
    if json_:
        common.print_json(done)
    else:
        common.say(f"Passphrase changed for {done.path}.")


def unlock(shell: ShellOpt = None, json_: JsonFlag = False) -> None:
    """Unlock an encrypted journal once: print a session key for the shell to keep.

    The passphrase is asked (or read from COACHLOG_PASSPHRASE) once.
    Commands in that shell then open the journal in about a millisecond,
    without asking. 'coachlog lock' ends the session: the key then opens
    nothing. Anyone who can read that shell's environment can use the
    session until then.

    Example: eval "$(coachlog unlock)"
    """
    from coachlog.core import encryption

    done = encryption.start_session(common.STATE.db, common.passphrase_asker())
    if json_:
        common.print_json(done)
        return
    which = shell or _default_shell()
    line = {
        Shell.sh: f"export COACHLOG_SESSION={done.session}",
        Shell.fish: f"set -gx COACHLOG_SESSION {done.session}",
        Shell.powershell: f'$env:COACHLOG_SESSION = "{done.session}"',
        Shell.cmd: f"set COACHLOG_SESSION={done.session}",
    }[which]
    sys.stdout.write(line + "\n")
    sys.stdout.flush()
    if sys.stdout.isatty():
        common.say('Run it as eval "$(coachlog unlock)" so your shell keeps the key.')


def lock(shell: ShellOpt = None) -> None:
    """End the unlocked session of an encrypted journal: its key opens nothing now.

    Prints the line that clears COACHLOG_SESSION from your shell.

    Example: eval "$(coachlog lock)"
    """
    from coachlog.core import encryption

    ended = encryption.end_session(common.STATE.db)
    which = shell or _default_shell()
    line = {
        Shell.sh: "unset COACHLOG_SESSION",
        Shell.fish: "set -e COACHLOG_SESSION",
        Shell.powershell: "Remove-Item Env:COACHLOG_SESSION -ErrorAction SilentlyContinue",
        Shell.cmd: "set COACHLOG_SESSION=",
    }[which]
    sys.stdout.write(line + "\n")
    sys.stdout.flush()
    common.say("Locked." if ended else "There was no unlocked session.")


def register_unlock(root: typer.Typer) -> None:
    root.command("unlock")(unlock)


def register_lock(root: typer.Typer) -> None:
    root.command("lock")(lock)


def register_db(app: typer.Typer) -> None:
    app.command("encrypt")(encrypt)
    app.command("decrypt")(decrypt)
    app.command("passphrase")(passphrase)
