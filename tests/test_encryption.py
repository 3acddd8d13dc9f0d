"""Encrypted journals (`coachlog[encrypt]`): the notes unreadable without the passphrase.

Each test starts from a plain journal of its own (the module is `plain_only`: the
encrypted run of the suite starts every other test from an encrypted journal
instead) and turns encryption on as a person would, with COACHLOG_PASSPHRASE.
The decisive checks read the files as raw bytes, as anyone who copied them
could: the journal, its -wal and -shm (kept on disk by a second connection held
open, like a second coachlog window), a `db backup` copy, and, through a second
name for the original file made before `db encrypt`, the plain-text original.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from coachlog.store import driver, keys
from conftest import TEST_PASSPHRASE, connect

pytestmark = pytest.mark.plain_only

pytest.importorskip("sqlcipher3", reason="needs the coachlog[encrypt] extra")

WORD = "quillfeatherzebra"  # a distinctive word in every kind of note
PASS = TEST_PASSPHRASE  # conftest.connect opens journals with it


def populate(cli_json) -> None:
    cli_json("client", "add", "Ann Smith", "--email", "ann@nhs.example")
    cli_json(
        "session",
        "log",
        "-c",
        "Ann Smith",
        "-m",
        "45",
        "--on",
        "2026-03-01",
        "--notes",
        f"We talked about {WORD} plans",
        "--private-notes",
        f"private {WORD}",
        "--action",
        f"Write the {WORD} list",
    )
    cli_json("goal", "add", f"Lead the {WORD} project", "-c", "Ann Smith", "--score", "3")
    cli_json("reflect", "--random", "--text", f"My own {WORD} thoughts", "--on", "2026-03-02")
    cli_json("supervision", "log", "--minutes", "60", "--notes", f"Supervision on {WORD}")


def raw(journal: Path) -> dict[str, bytes]:
    found = {}
    for suffix in ("", "-wal", "-shm", ".key", ".session"):
        file = Path(str(journal) + suffix)
        if file.exists():
            found[file.name] = file.read_bytes()
    return found


def everything(journal: Path) -> dict[str, list[tuple]]:
    """Every row of every table (search index included), for before/after comparisons."""
    conn = connect(journal)
    try:
        names = [
            n
            for (n,) in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' "
                "AND name NOT LIKE 'sqlite_%' ORDER BY name"
            ).fetchall()
        ]
        return {
            n: sorted(conn.execute(f'SELECT * FROM "{n}"').fetchall(), key=repr) for n in names
        }
    finally:
        conn.close()


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def encrypted(cli, cli_json, journal_path, monkeypatch) -> dict:
    populate(cli_json)
    monkeypatch.setenv("COACHLOG_PASSPHRASE", PASS)
    return cli_json("db", "encrypt")


# ---------------------------------------------------------------- done means


def test_no_word_is_left_in_the_journal_its_logs_a_backup_or_the_original(
    cli, cli_json, journal_path, tmp_path, monkeypatch
):
    populate(cli_json)
    original = tmp_path / "second-name-of-the-original"
    os.link(journal_path, original)  # the same file: what `db encrypt` must wipe
    assert WORD.encode() in original.read_bytes()  # the check can fail
    monkeypatch.setenv("COACHLOG_PASSPHRASE", PASS)

    done = cli_json("db", "encrypt")

    assert set(done) == {"path", "key_file", "recovery_code"}
    assert WORD.encode() not in original.read_bytes()  # overwritten, not just unlinked
    # A second connection keeps the -wal and -shm on disk while commands write.
    keep = connect(journal_path)
    keep.execute("SELECT count(*) FROM clients").fetchone()
    try:
        cli_json("session", "log", "-c", "Ann Smith", "-m", "30", "--notes", f"new {WORD}")
        backup = tmp_path / "copy.db"
        copied = cli_json("db", "backup", str(backup))
        files = raw(journal_path)
        assert {"coachlog.db", "coachlog.db-wal", "coachlog.db-shm", "coachlog.db.key"} <= set(
            files
        )
        files.update(raw(backup))
        assert copied["key_file"] == str(backup) + ".key"
        for name, data in files.items():
            assert WORD.encode() not in data, name
            assert WORD.upper().encode() not in data, name
            assert b"Ann Smith" not in data, name
            assert not data.startswith(driver.SQLITE_HEADER), name
    finally:
        keep.close()
    # Everything works with the passphrase: search (FTS5), lists, the backup copy too.
    assert len(cli_json("search", WORD)) >= 6
    assert [s["notes"] for s in cli_json("session", "list")][0] == f"new {WORD}"
    assert cli_json("--db", str(backup), "search", WORD)
    assert cli("db", "check").exit_code == 0


def test_decrypt_gives_back_every_record(cli, cli_json, journal_path, monkeypatch):
    populate(cli_json)
    before = everything(journal_path)
    monkeypatch.setenv("COACHLOG_PASSPHRASE", PASS)
    cli_json("db", "encrypt")
    assert everything(journal_path) == before

    result = cli("db", "decrypt", "--yes")

    assert result.exit_code == 0, result.stderr
    assert journal_path.read_bytes().startswith(driver.SQLITE_HEADER)
    assert not keys.key_file(journal_path).exists()
    monkeypatch.delenv("COACHLOG_PASSPHRASE")
    conn = sqlite3.connect(journal_path)  # plain sqlite3 reads it again
    conn.close()
    assert everything(journal_path) == before
    assert len(cli_json("search", WORD)) == 5


def test_a_wrong_passphrase_is_one_error_line_exit_1_and_changes_nothing(
    cli, encrypted, journal_path, monkeypatch
):
    before = {name: hashlib.sha256(data).hexdigest() for name, data in raw(journal_path).items()}
    monkeypatch.setenv("COACHLOG_PASSPHRASE", "not the passphrase")
    for args in (("session", "list"), ("client", "add", "Bo"), ("db", "decrypt", "--yes")):
        result = cli(*args)
        assert result.exit_code == 1, args
        lines = result.stderr.splitlines()
        assert lines[0].startswith("Error: ") and "passphrase" in lines[0], lines
        assert not any(line.startswith("Error:") for line in lines[1:])
        assert "Traceback" not in result.stderr and result.stdout == ""
    after = {name: hashlib.sha256(data).hexdigest() for name, data in raw(journal_path).items()}
    assert after == before


def test_no_way_to_ask_is_exit_2_naming_the_variable(cli, encrypted, monkeypatch):
    monkeypatch.delenv("COACHLOG_PASSPHRASE")
    result = cli("session", "list")
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: ") and "COACHLOG_PASSPHRASE" in result.stderr


def test_in_a_terminal_the_passphrase_is_asked_hidden(cli, encrypted, monkeypatch):
    from coachlog.cli import common, prompts

    monkeypatch.delenv("COACHLOG_PASSPHRASE")
    asked: list[str] = []

    class Person(prompts.PrompterBase):
        def secret(self, message: str) -> str:
            asked.append(message)
            return PASS

    monkeypatch.setattr(common, "can_ask_secret", lambda: True)
    monkeypatch.setattr(prompts, "_override", Person())
    result = cli("client", "list", "--json")
    assert result.exit_code == 0, result.stderr
    assert asked == ["Passphrase for coachlog.db"]
    assert json.loads(result.stdout)[0]["name"] == "Ann Smith"


def test_sqlcipher_noise_never_reaches_stderr(encrypted, journal_path, tmp_path):
    # A key file from another journal hands SQLCipher a key that fails its HMAC
    # check, which it logs to stderr from C unless silenced: run it for real.
    other = tmp_path / "other" / "j.db"
    other.parent.mkdir()
    env = {**os.environ, "COACHLOG_DB": str(other), "COACHLOG_PASSPHRASE": PASS}
    subprocess.run([sys.executable, "-m", "coachlog", "client", "add", "X"], env=env, check=True)
    subprocess.run([sys.executable, "-m", "coachlog", "db", "encrypt"], env=env, check=True)
    shutil.copy(keys.key_file(other), keys.key_file(journal_path))
    env["COACHLOG_DB"] = str(journal_path)
    done = subprocess.run(
        [sys.executable, "-m", "coachlog", "session", "list"], env=env, capture_output=True
    )
    assert done.returncode == 1
    lines = done.stderr.decode().splitlines()
    assert lines[0].startswith("Error: The key for coachlog.db does not open it"), lines
    assert len(lines) == 2 and "hmac" not in done.stderr.decode().lower()


# ---------------------------------------------------------------- the commands


def test_encrypt_refuses_a_second_time_and_decrypt_a_plain_journal(cli, cli_json, encrypted):
    again = cli("db", "encrypt")
    assert again.exit_code == 2 and "already encrypted" in again.stderr
    assert cli("db", "decrypt", "--yes").exit_code == 0
    plain = cli("db", "decrypt", "--yes")
    assert plain.exit_code == 2 and "not encrypted" in plain.stderr


def test_encrypt_without_a_passphrase_or_a_terminal_is_exit_2(cli, cli_json, journal_path):
    populate(cli_json)
    before = digest(journal_path)
    result = cli("db", "encrypt")
    assert result.exit_code == 2 and "COACHLOG_PASSPHRASE" in result.stderr
    assert digest(journal_path) == before and not keys.key_file(journal_path).exists()


def test_a_short_passphrase_is_refused(cli, cli_json, journal_path, monkeypatch):
    populate(cli_json)
    monkeypatch.setenv("COACHLOG_PASSPHRASE", "short")
    result = cli("db", "encrypt")
    assert result.exit_code == 2 and "at least 8" in result.stderr
    assert not driver.looks_encrypted(journal_path)


def test_decrypt_in_a_script_needs_yes(cli, encrypted, journal_path):
    result = cli("db", "decrypt")
    assert result.exit_code == 1 and "--yes" in result.stderr
    assert driver.looks_encrypted(journal_path)


def test_the_commands_say_how_to_get_the_extra_without_it(cli, cli_json, monkeypatch):
    populate(cli_json)
    monkeypatch.setenv("COACHLOG_PASSPHRASE", PASS)
    monkeypatch.setitem(sys.modules, "sqlcipher3", None)  # as if not installed
    monkeypatch.setattr(driver, "_cipher", None)
    result = cli("db", "encrypt")
    assert result.exit_code == 1
    assert 'pip install "coachlog[encrypt]"' in result.stderr


def test_passphrase_changes_without_rewriting_the_journal(
    cli, cli_json, encrypted, journal_path, monkeypatch
):
    before = digest(journal_path)
    monkeypatch.setenv("COACHLOG_NEW_PASSPHRASE", "a whole new passphrase")
    assert cli("db", "passphrase").exit_code == 0
    assert digest(journal_path) == before
    assert cli("session", "list").exit_code == 1  # the old one no longer opens it
    monkeypatch.setenv("COACHLOG_PASSPHRASE", "a whole new passphrase")
    assert cli_json("client", "list")[0]["name"] == "Ann Smith"


def test_a_wrong_current_passphrase_changes_nothing(cli, encrypted, journal_path, monkeypatch):
    before = digest(keys.key_file(journal_path))
    monkeypatch.setenv("COACHLOG_PASSPHRASE", "not the passphrase")
    monkeypatch.setenv("COACHLOG_NEW_PASSPHRASE", "a whole new passphrase")
    result = cli("db", "passphrase")
    assert result.exit_code == 1 and "wrong" in result.stderr
    assert digest(keys.key_file(journal_path)) == before


def test_the_recovery_code_replaces_a_lost_passphrase(cli, cli_json, encrypted, monkeypatch):
    monkeypatch.delenv("COACHLOG_PASSPHRASE")
    monkeypatch.setenv("COACHLOG_NEW_PASSPHRASE", "remembered this time")
    monkeypatch.setenv("COACHLOG_RECOVERY_CODE", "AAAA-BBBB-CCCC-DDDD-EEEE-FFFF-GGGG-HHHH")
    wrong = cli("db", "passphrase", "--recover")
    assert wrong.exit_code == 1 and "recovery code" in wrong.stderr
    # Typed in lower case with spaces, as a person copying it from paper might.
    code = encrypted["recovery_code"].lower().replace("-", " ")
    monkeypatch.setenv("COACHLOG_RECOVERY_CODE", code)
    assert cli("db", "passphrase", "--recover").exit_code == 0
    monkeypatch.setenv("COACHLOG_PASSPHRASE", "remembered this time")
    assert cli_json("client", "list")[0]["name"] == "Ann Smith"


def test_unlock_prints_a_session_that_opens_without_asking_and_lock_ends_it(
    cli, cli_json, encrypted, journal_path, monkeypatch
):
    result = cli("unlock")
    assert result.exit_code == 0, result.stderr
    line = result.stdout.strip()
    assert line.startswith("export COACHLOG_SESSION=")
    token = line.split("=", 1)[1]
    monkeypatch.delenv("COACHLOG_PASSPHRASE")
    monkeypatch.setenv("COACHLOG_SESSION", token)
    assert cli_json("db", "status")["unlocked_by"] == "session"
    assert cli_json("client", "list")[0]["name"] == "Ann Smith"
    assert WORD.encode() not in keys.session_file(journal_path).read_bytes()
    assert token.encode() not in keys.session_file(journal_path).read_bytes()

    locked = cli("lock")
    assert locked.exit_code == 0 and locked.stdout.strip() == "unset COACHLOG_SESSION"
    assert not keys.session_file(journal_path).exists()
    after = cli("client", "list")
    assert after.exit_code == 2 and "COACHLOG_SESSION is locked" in after.stderr


def test_unlock_lines_for_other_shells(cli, encrypted):
    assert cli("unlock", "--shell", "powershell").stdout.startswith('$env:COACHLOG_SESSION = "')
    assert cli("unlock", "--shell", "fish").stdout.startswith("set -gx COACHLOG_SESSION ")
    assert cli("lock", "--shell", "cmd").stdout.strip() == "set COACHLOG_SESSION="


def test_unlock_of_a_plain_journal_is_refused(cli, cli_json):
    populate(cli_json)
    result = cli("unlock")
    assert result.exit_code == 1 and "not an encrypted journal" in result.stderr


def test_status_says_encrypted_and_how_it_unlocked(cli, cli_json, journal_path, monkeypatch):
    populate(cli_json)
    plain = cli_json("db", "status")
    assert (plain["encrypted"], plain["unlocked_by"], plain["key_file"]) == (False, None, None)
    monkeypatch.setenv("COACHLOG_PASSPHRASE", PASS)
    cli_json("db", "encrypt")
    status = cli_json("db", "status")
    assert status["encrypted"] is True
    assert status["unlocked_by"] == "passphrase"
    assert status["key_file"] == str(journal_path) + ".key"
    human = cli("db", "status").stdout
    assert "Encrypted" in human and "COACHLOG_PASSPHRASE" in human


def test_the_key_file_is_owner_only_and_holds_no_key_in_the_clear(encrypted, journal_path):
    key_file = keys.key_file(journal_path)
    if sys.platform != "win32":
        assert key_file.stat().st_mode & 0o777 == 0o600
    sealed = json.loads(key_file.read_text())
    assert sealed["passphrase"]["n"] == 2**17 and sealed["passphrase"]["r"] == 8
    key = keys.unseal(sealed["passphrase"], PASS)
    assert key is not None and len(key) == 32
    assert key.hex().encode() not in key_file.read_bytes()
    assert keys.unseal(sealed["passphrase"], "wrong") is None


def test_a_missing_key_file_is_named(cli, encrypted, journal_path):
    keys.key_file(journal_path).rename(journal_path.with_name("elsewhere"))
    result = cli("client", "list")
    assert result.exit_code == 1
    assert "coachlog.db.key" in result.stderr and "Traceback" not in result.stderr


def test_erase_and_purge_work_on_an_encrypted_journal(cli, cli_json, encrypted):
    assert cli("client", "erase", "Ann Smith", "--yes").exit_code == 0
    assert cli_json("search", WORD) != []  # the owner's own reflection and supervision stay
    purged = cli("db", "purge", "--before", "2026-03-03", "--yes")
    assert purged.exit_code == 0, purged.stderr
    assert [h["kind"] for h in cli_json("search", WORD)] == ["supervision"]
    assert cli("db", "check").exit_code == 0


def test_an_old_encrypted_journal_upgrades_on_open(cli, cli_json, tmp_path, monkeypatch):
    from coachlog.store import encryption
    from coachlog.store.db import Journal
    from coachlog.store.schema import SCHEMA_VERSION

    fixture = Path(__file__).parent / "fixtures" / "schema_v1.db"
    journal = tmp_path / "old" / "coachlog.db"
    journal.parent.mkdir(mode=0o700)
    shutil.copyfile(fixture, journal)
    journal.chmod(0o600)
    # Encrypted as it is, at schema version 1, without the migrations running.
    encryption.encrypt(Journal(sqlite3.connect(journal, isolation_level=None), journal), PASS)
    monkeypatch.setenv("COACHLOG_DB", str(journal))
    monkeypatch.setenv("COACHLOG_PASSPHRASE", PASS)

    clients = cli_json("client", "list", "--all")  # the first open upgrades

    assert [c["name"] for c in clients] == ["Priya Natarajan", "Zoë O'Brien"]
    assert cli_json("db", "status")["schema_version"] == SCHEMA_VERSION
    assert sorted((h["kind"], h["id"]) for h in cli_json("search", "rota")) == [
        ("action", 2),
        ("session", 2),
    ]
    assert cli("db", "check").exit_code == 0


# ---------------------------------------------------------------- export backup


def test_export_backup_of_an_encrypted_journal_warns_it_is_plain_text(cli, encrypted, tmp_path):
    out = tmp_path / "b.json"
    result = cli("export", "backup", "-o", str(out))
    assert result.exit_code == 0, result.stderr
    assert "Warning: this backup is plain text" in result.stderr
    assert "--encrypt" in result.stderr
    assert WORD.encode() in out.read_bytes()


def test_an_encrypted_export_needs_the_passphrase_to_import(
    cli, cli_json, encrypted, tmp_path, monkeypatch
):
    out = tmp_path / "b.json"
    result = cli("export", "backup", "--encrypt", "-o", str(out))
    assert result.exit_code == 0, result.stderr
    assert "plain text" not in result.stderr
    assert WORD.encode() not in out.read_bytes() and b"Ann Smith" not in out.read_bytes()
    # Into a new, plain journal elsewhere: the file asks for its own passphrase.
    other = tmp_path / "other.db"
    monkeypatch.setenv("COACHLOG_DB", str(other))
    monkeypatch.delenv("COACHLOG_PASSPHRASE")
    cli_json("client", "list")
    asked = cli("import", str(out))
    assert asked.exit_code == 2 and "COACHLOG_PASSPHRASE" in asked.stderr
    monkeypatch.setenv("COACHLOG_PASSPHRASE", "not the passphrase")
    wrong = cli("import", str(out))
    assert wrong.exit_code == 1 and "does not open" in wrong.stderr
    assert cli_json("client", "list") == []
    monkeypatch.setenv("COACHLOG_PASSPHRASE", PASS)
    assert cli("import", str(out)).exit_code == 0
    assert [c["name"] for c in cli_json("client", "list")] == ["Ann Smith"]
    assert len(cli_json("search", WORD)) == 5


def test_the_recovery_code_opens_an_encrypted_export_too(
    cli, cli_json, encrypted, tmp_path, monkeypatch
):
    out = tmp_path / "b.json"
    assert cli("export", "backup", "--encrypt", "-o", str(out)).exit_code == 0
    monkeypatch.setenv("COACHLOG_DB", str(tmp_path / "other.db"))
    monkeypatch.setenv("COACHLOG_PASSPHRASE", encrypted["recovery_code"])
    assert cli("import", str(out)).exit_code == 0
    assert [c["name"] for c in cli_json("client", "list")] == ["Ann Smith"]


def test_a_plain_journal_can_export_an_encrypted_backup_with_a_passphrase(
    cli, cli_json, tmp_path, monkeypatch
):
    populate(cli_json)
    out = tmp_path / "b.json"
    monkeypatch.setenv("COACHLOG_PASSPHRASE", "a passphrase for the file")
    assert cli("export", "backup", "--encrypt", "-o", str(out)).exit_code == 0
    assert WORD.encode() not in out.read_bytes()
    monkeypatch.setenv("COACHLOG_DB", str(tmp_path / "other.db"))
    assert cli("import", str(out)).exit_code == 0
    assert [c["name"] for c in cli_json("client", "list")] == ["Ann Smith"]


def test_an_unlocked_command_does_not_import_a_cipher_library(cli, encrypted, journal_path):
    # The session opens the data key with PyNaCl's SecretBox (about 14 ms): no
    # `cryptography` import (about 25 ms) on every command of an unlocked shell.
    token = cli("unlock").stdout.strip().split("=", 1)[1]
    probe = (
        "import json, sys\n"
        "sys.argv = ['coachlog', 'session', 'list', '--json']\n"
        "from coachlog.cli import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print(json.dumps(sorted(sys.modules)), file=sys.stderr)\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "COACHLOG_PASSPHRASE"}
    env["COACHLOG_SESSION"] = token
    done = subprocess.run(
        [sys.executable, "-c", probe], env=env, capture_output=True, text=True, check=True
    )
    assert json.loads(done.stdout)[0]["notes"] == f"We talked about {WORD} plans"
    loaded = set(json.loads(done.stderr.strip().splitlines()[-1]))
    assert "sqlcipher3" in loaded and "nacl.secret" in loaded
    assert not [m for m in loaded if m.startswith("cryptography")]


def test_two_different_new_passphrases_at_the_prompt_change_nothing(
    cli, cli_json, journal_path, monkeypatch
):
    from coachlog.cli import common, prompts

    populate(cli_json)
    answers = iter(["first passphrase", "second passphrase"])

    class Person(prompts.PrompterBase):
        def secret(self, message: str) -> str:
            return next(answers)

    monkeypatch.setattr(common, "can_ask_secret", lambda: True)
    monkeypatch.setattr(prompts, "_override", Person())
    result = cli("db", "encrypt")
    assert result.exit_code == 2 and "differ" in result.stderr
    assert not driver.looks_encrypted(journal_path)
    assert not keys.key_file(journal_path).exists()


def test_a_plain_original_left_by_a_killed_encrypt_is_wiped_on_next_open(
    cli, cli_json, encrypted, journal_path
):
    # As if `db encrypt` had been killed between the swap and the wipe.
    aside = journal_path.with_name(journal_path.name + ".wiping")
    aside.write_bytes(b"SQLite format 3\x00" + f"plain {WORD} notes".encode())
    assert cli_json("client", "list")[0]["name"] == "Ann Smith"
    assert not aside.exists()


def _run_at_a_terminal(
    journal: Path, *args: str, answer: str, columns: int = 0
) -> tuple[int, str, str]:
    """Run coachlog with stdin and stderr on a real pseudo-terminal and stdout captured,
    as `eval "$(coachlog unlock)"` does; type `answer` when the passphrase is asked."""
    pty = pytest.importorskip("pty")
    import select
    import time

    master, slave = pty.openpty()
    if columns:
        import fcntl
        import struct
        import termios

        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 30, columns, 0, 0))
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    env = {k: v for k, v in env.items() if not k.startswith("COACHLOG_")}
    env["COACHLOG_DB"] = str(journal)
    proc = subprocess.Popen(
        [sys.executable, "-m", "coachlog", *args],
        stdin=slave,
        stderr=slave,
        stdout=subprocess.PIPE,
        env=env,
    )
    os.close(slave)
    seen, sent = b"", False
    deadline = time.monotonic() + 30
    try:
        while time.monotonic() < deadline and proc.poll() is None:
            if select.select([master], [], [], 0.1)[0]:
                try:
                    seen += os.read(master, 4096)
                except OSError:
                    break
            if not sent and b"Passphrase" in seen:
                time.sleep(0.2)
                os.write(master, answer.encode() + b"\r")
                sent = True
        assert proc.stdout is not None
        out = proc.stdout.read().decode()
        return proc.wait(timeout=30), out, seen.decode(errors="replace")
    finally:
        if proc.poll() is None:
            proc.kill()
        os.close(master)


@pytest.mark.slow
@pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal")
def test_eval_unlock_asks_at_the_terminal_although_stdout_is_captured(encrypted, journal_path):
    """`eval "$(coachlog unlock)"`: stdout is a pipe, the person is at stdin and stderr."""
    code, out, screen = _run_at_a_terminal(journal_path, "unlock", answer=PASS)
    assert code == 0, screen
    assert out.startswith("export COACHLOG_SESSION=")
    assert "Passphrase for" in screen
    code, out, screen = _run_at_a_terminal(journal_path, "session", "list", "--json", answer=PASS)
    assert code == 0, screen
    assert WORD in out


def test_a_plain_copy_left_by_a_killed_decrypt_is_wiped_on_next_open(
    cli_json, encrypted, journal_path, tmp_path
):
    # As if `db decrypt` had been killed (kill -9, power cut) after writing its
    # plain copy beside the journal and before the swap: the copy holds every note.
    plain = journal_path.with_name(journal_path.name + ".decrypting")
    shutil.copyfile(Path(__file__).parent / "fixtures" / "schema_v6.db", plain)
    with open(plain, "ab") as f:
        f.write(f"plain {WORD} notes".encode())
    second_name = tmp_path / "second-name"  # how anyone who kept a handle would see it
    os.link(plain, second_name)
    leftovers = [Path(str(plain) + s) for s in ("-journal", "-wal", "-shm")]
    for leftover in leftovers:
        leftover.write_bytes(f"page of {WORD}".encode())
    assert cli_json("client", "list")[0]["name"] == "Ann Smith"
    assert not plain.exists()
    assert not any(p.exists() for p in leftovers)
    assert WORD.encode() not in second_name.read_bytes()


def test_a_second_name_of_the_encrypted_journal_itself_is_never_wiped(
    cli_json, encrypted, journal_path
):
    # `db decrypt` gives the encrypted journal a second name (`.wiping`) just before
    # the swap; killed or interrupted right there, that name is the journal itself.
    before = everything(journal_path)
    aside = journal_path.with_name(journal_path.name + ".wiping")
    os.link(journal_path, aside)
    assert cli_json("client", "list")[0]["name"] == "Ann Smith"
    assert not aside.exists()
    assert everything(journal_path) == before


@pytest.mark.parametrize(
    "damage",
    [
        {"salt": "!!not base64!!"},
        {"n": 3},
        {"n": 2**40},
        {"p": 10**6},
        {"sealed": "AAAA"},
        {"n": "lots"},
    ],
)
def test_an_edited_key_file_is_named_corrupt_not_an_unexpected_error(
    cli, encrypted, journal_path, damage
):
    key = keys.key_file(journal_path)
    body = json.loads(key.read_text())
    body["passphrase"].update(damage)
    key.write_text(json.dumps(body))
    before = digest(journal_path)
    result = cli("client", "list")
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: The key file")
    assert "corrupt" in result.stderr and "unexpected" not in result.stderr
    assert digest(journal_path) == before


def _data_key(journal: Path) -> bytes:
    found = keys.unseal(keys.read_key_file(journal).passphrase, PASS)
    assert found is not None
    return found


def _session_opens(cli, monkeypatch, token: str) -> int:
    monkeypatch.delenv("COACHLOG_PASSPHRASE", raising=False)
    monkeypatch.setenv("COACHLOG_SESSION", token)
    return cli("client", "list").exit_code


def test_the_session_file_is_a_secretbox_that_says_nothing_alone(
    cli, encrypted, journal_path, monkeypatch
):
    """Project rule: cryptography from a library made for it. The session is the data
    key in PyNaCl's SecretBox under the shell's key, not a hand-made XOR split."""
    import base64

    import nacl.secret

    token = cli("unlock").stdout.strip().split("=", 1)[1]
    body = json.loads(keys.session_file(journal_path).read_text())
    assert body["coachlog_session"] == 2 and set(body) == {"coachlog_session", "box"}
    shell_key = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
    box = base64.b64decode(body["box"])
    data_key = _data_key(journal_path)
    assert bytes(nacl.secret.SecretBox(shell_key).decrypt(box)) == data_key
    assert len(box) == 24 + 16 + 32  # nonce, Poly1305 tag, the sealed key
    assert data_key not in box and shell_key not in box
    assert keys.session_file(journal_path).stat().st_mode & 0o777 == 0o600 or os.name == "nt"
    assert _session_opens(cli, monkeypatch, token) == 0


def test_a_tampered_session_file_or_shell_key_opens_nothing(
    cli, encrypted, journal_path, monkeypatch
):
    token = cli("unlock").stdout.strip().split("=", 1)[1]
    session = keys.session_file(journal_path)
    body = json.loads(session.read_text())
    box = bytearray(base64_decode(body["box"]))
    box[-1] ^= 1
    tampered = dict(body, box=base64_encode(bytes(box)))
    session.write_text(json.dumps(tampered))
    assert _session_opens(cli, monkeypatch, token) == 2
    session.write_text(json.dumps(body))
    wrong = ("B" if token[0] == "A" else "A") + token[1:]
    assert _session_opens(cli, monkeypatch, wrong) == 2
    assert _session_opens(cli, monkeypatch, token) == 0


def test_an_old_xor_session_file_counts_as_locked(cli, encrypted, journal_path, monkeypatch):
    # coachlog before the SecretBox wrote format 1: the data key XOR the shell's share.
    token = cli("unlock").stdout.strip().split("=", 1)[1]
    old = {"coachlog_session": 1, "share": base64_encode(bytes(32)), "check": "0" * 16}
    keys.session_file(journal_path).write_text(json.dumps(old))
    result_code = _session_opens(cli, monkeypatch, token)
    assert result_code == 2
    monkeypatch.setenv("COACHLOG_PASSPHRASE", PASS)
    assert cli("client", "list").exit_code == 0  # the passphrase still opens it


def test_a_session_after_passphrase_change_and_after_lock(
    cli, encrypted, journal_path, monkeypatch
):
    token = cli("unlock").stdout.strip().split("=", 1)[1]
    monkeypatch.setenv("COACHLOG_NEW_PASSPHRASE", "an entirely new passphrase")
    assert cli("db", "passphrase").exit_code == 0
    assert _session_opens(cli, monkeypatch, token) == 0  # documented: stays unlocked
    assert cli("lock").exit_code == 0
    assert _session_opens(cli, monkeypatch, token) == 2
    monkeypatch.setenv("COACHLOG_PASSPHRASE", "an entirely new passphrase")
    monkeypatch.delenv("COACHLOG_SESSION")
    fresh = cli("unlock").stdout.strip().split("=", 1)[1]
    assert fresh != token
    assert _session_opens(cli, monkeypatch, token) == 2  # the old key opens nothing


def base64_decode(text: str) -> bytes:
    import base64

    return base64.b64decode(text)


def base64_encode(data: bytes) -> str:
    import base64

    return base64.b64encode(data).decode()


def test_the_recovery_code_says_what_to_do_with_it(cli, journal_path, monkeypatch):
    populate_cli = cli("client", "add", "Ann Smith")
    assert populate_cli.exit_code == 0
    monkeypatch.setenv("COACHLOG_PASSPHRASE", PASS)
    said = cli("db", "encrypt").stderr
    assert "Write it down" in said and "db passphrase --recover" in said
    assert "nobody can open the journal" in said


@pytest.mark.slow
@pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal")
def test_an_error_under_eval_unlock_fits_the_terminal_not_80_columns(encrypted, journal_path):
    code, out, screen = _run_at_a_terminal(
        journal_path, "unlock", answer="not the passphrase", columns=60
    )
    assert code == 1 and out == ""
    import re

    text = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", screen).replace("\r", "")
    lines = text[text.index("Error: ") :].splitlines()
    assert len(lines) > 2  # folded: the message is longer than 60 columns
    assert all(len(line) <= 60 for line in lines), lines


@pytest.mark.slow
@pytest.mark.parametrize("command", ["encrypt", "decrypt"])
def test_kill_9_in_the_middle_of_encrypt_or_decrypt_never_leaves_plain_text_beside(
    cli_json, journal_path, monkeypatch, command
):
    """A real `db encrypt`/`db decrypt` killed at several moments: the journal always
    opens with every record, and once it has been opened again no file beside it
    but a plain journal itself holds the notes."""
    import signal
    import time

    from coachlog.core import demo
    from coachlog.store.db import open_journal

    j = open_journal(journal_path)
    try:
        demo.write(j, demo.generate(3, sessions=4000, reflections=2000))
    finally:
        j.close()
    populate(cli_json)
    monkeypatch.setenv("COACHLOG_PASSPHRASE", PASS)
    total = len(cli_json("session", "list", "--limit", "0"))
    env = {k: v for k, v in os.environ.items() if not k.startswith("COACHLOG_")}
    env |= {"COACHLOG_DB": str(journal_path), "COACHLOG_PASSPHRASE": PASS}
    run = [sys.executable, "-m", "coachlog", "db", command, "--yes"]
    if command == "encrypt":
        run.remove("--yes")

    def back_to_the_start() -> None:
        if (command == "encrypt") == driver.looks_encrypted(journal_path):
            back = ["db", "decrypt", "--yes"] if command == "encrypt" else ["db", "encrypt"]
            subprocess.run(
                [sys.executable, "-m", "coachlog", *back], env=env, capture_output=True, check=True
            )

    back_to_the_start()
    start = time.monotonic()
    subprocess.run(run, env=env, capture_output=True, check=True)
    whole = time.monotonic() - start
    for fraction in (0.5, 0.7, 0.8, 0.9, 0.95):
        back_to_the_start()
        proc = subprocess.Popen(run, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(whole * fraction)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        assert len(cli_json("session", "list", "--limit", "0")) == total, fraction
        beside = [
            p
            for p in journal_path.parent.iterdir()
            if p.name.startswith(journal_path.name) and p != journal_path and p.is_file()
        ]
        leaking = [p.name for p in beside if WORD.encode() in p.read_bytes()]
        assert leaking == [], (fraction, leaking)
