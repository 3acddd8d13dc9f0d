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
    # The session's two key shares are put together with XOR: no cryptography
    # import (about 25 ms) on every command of an unlocked shell.
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
    assert "sqlcipher3" in loaded
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
