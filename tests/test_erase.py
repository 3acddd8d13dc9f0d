"""`client erase`: the person and everything about them go, down to the bytes on disk.

The decisive check reads coachlog.db, coachlog.db-wal and coachlog.db-shm as raw
bytes and looks for the person's name, e-mail and words from their notes. It is
made with another connection holding the journal open, as a second coachlog
window would: then SQLite does not delete the write-ahead log on close, and the
old page images in it are exactly what a careless erase leaves behind. Each
byte test first checks the words *are* on disk before the erase, so it can fail.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

NAME = "Philippa Quennell-Drax"
EMAIL = "pqdrax@nhs.example"
# Distinctive words from her notes, goal, score note, action and reflections.
SECRETS = [
    "zebrafinch",
    "marmalade",
    "quokkaquest",
    "wombatnote",
    "narwhalaction",
    "platypusreflect",
    "ocelotfollowup",
]
# Every trace to look for (each also in lowercase, as the search index keeps words).
# Her alias and every spelling of her name that other records use for her.
ALIAS = "Pippa"
MENTIONS = [
    f"Bob and {ALIAS} spoke; PHILIPPA QUENNELL-DRAX agreed",
    "philippa's idea, Quennell\nDrax, and drax alone",
    f"Mail {EMAIL.upper()} and ask P\u200bhilippa",
]
TRACES = [NAME, EMAIL, *SECRETS, "Quennell", "pqdrax", ALIAS, "Philippa", "Drax"]


def raw_bytes(journal: Path) -> dict[str, bytes]:
    """The database files as bytes, by suffix (missing files read as empty)."""
    found = {}
    for suffix in ("", "-wal", "-shm"):
        file = Path(str(journal) + suffix)
        found[suffix or "db"] = file.read_bytes() if file.exists() else b""
    return found


def traces_on_disk(journal: Path) -> dict[str, list[str]]:
    files = raw_bytes(journal)
    return {
        name: [t for t in TRACES if t.encode() in data or t.lower().encode() in data]
        for name, data in files.items()
        if any(t.encode() in data or t.lower().encode() in data for t in TRACES)
    }


@pytest.fixture
def other_window(journal_path: Path) -> Iterator[sqlite3.Connection]:
    """An idle connection kept open across the test, like a second coachlog."""
    conn: sqlite3.Connection | None = None

    def opener() -> sqlite3.Connection:
        nonlocal conn
        conn = sqlite3.connect(journal_path)
        conn.execute("SELECT count(*) FROM clients").fetchone()  # opens the -wal/-shm
        return conn

    yield opener  # type: ignore[misc]
    if conn is not None:
        conn.close()


def populate(cli_json) -> dict[str, int]:
    """Philippa with one of everything, Bob with a little, and the owner's own entries."""
    cli_json("client", "add", NAME, "--email", EMAIL, "--organisation", "NHS Borders")
    cli_json("client", "add", "Bob Keeper", "--email", "bob@nhs.example")
    s1 = cli_json(
        "session", "log", "-c", NAME, "-m", "60", "--on", "2024-03-01",
        "--theme", "team", "--card", "resilience", "--tag", "rota",
        "--notes", "Talked about zebrafinch rota", "--private-notes", "marmalade worries",
        "--action", "narwhalaction draft", "--action-due", "2024-03-10",
    )  # fmt: skip
    cli_json("session", "log", "-c", NAME, "-m", "30", "--on", "2024-04-01", "--notes", "again")
    goal = cli_json("goal", "add", "quokkaquest delegation", "-c", NAME, "--score", "3",
                    "--theme", "prioritisation", "--tag", "deleg")  # fmt: skip
    cli_json("goal", "rate", str(goal["id"]), "6", "--note", "wombatnote better")
    cli_json("action", "add", "Send article", "-c", NAME)
    cli_json("reflect", "--text", "platypusreflect went well", "-c", NAME, "--tag", "t1")
    # The owner's reflection on her session, without naming her as its client.
    cli_json("reflect", "--text", "ocelotfollowup thoughts", "--session", str(s1["id"]))
    # Bob's and the owner's records, which must all stay.
    cli_json("session", "log", "-c", "Bob Keeper", "-m", "45", "--notes", "bobsessionword")
    cli_json("goal", "add", "Bob goal", "-c", "Bob Keeper", "--score", "5")
    cli_json("reflect", "--text", "ownerreflectionword", "--theme", "confidence")
    cli_json("action", "add", "Owner action")
    return {"client": 1}


def mention_her_everywhere(cli_json) -> None:
    """Her alias, and mentions of her in records that are not about her."""
    # Mentions of her in records that are not about her: every spelling, her alias.
    cli_json("client", "edit", NAME, "--alias", ALIAS)
    cli_json("session", "log", "-c", "Bob Keeper", "-m", "30", "--notes", MENTIONS[0],
             "--private-notes", MENTIONS[1], "--tag", "pippa")  # fmt: skip
    cli_json("reflect", "--text", MENTIONS[2])
    cli_json("supervision", "log", "--minutes", "60", "--notes", f"I rescue {ALIAS}")
    cli_json("action", "add", "Call philippa back")


def test_erase_removes_every_record_and_reports_counts(cli_json, rows):
    populate(cli_json)
    report = cli_json("client", "erase", NAME, "--yes")
    assert report["client_id"] == 1
    assert report["removed"] == {
        "clients": 1,
        "sessions": 2,
        "actions": 2,  # the one agreed in session 1 and the stand-alone one
        "goals": 1,
        "goal_scores": 2,
        "reflections": 2,  # hers, and the owner's reflection on her session
        "engagements": 0,
        "outcomes": 0,
        "assessments": 0,
        "labels": 6,  # session theme, card, tag; goal theme, tag; reflection tag
        "share_links": 0,
        "search_entries": 7,  # 2 sessions + 2 actions + 1 goal + 2 reflections
    }
    assert report["still_mentioned"] == {}
    assert report["scrubbed"] is True

    assert [c["name"] for c in cli_json("client", "list", "--all")] == ["Bob Keeper"]
    for table in ("sessions", "goals", "actions", "reflections"):
        assert rows(f"SELECT * FROM {table} WHERE client_id = 1") == []
    assert rows("SELECT * FROM goal_scores WHERE goal_id = ?", (1,)) == []
    assert rows("SELECT * FROM search_index WHERE client_id = 1") == []
    # Nothing dangling: every link row points at a record that exists.
    assert rows("PRAGMA foreign_key_check") == []
    assert rows("PRAGMA integrity_check") == [{"integrity_check": "ok"}]
    # Bob's and the owner's records are untouched.
    assert len(cli_json("session", "list")) == 1
    assert [g["title"] for g in cli_json("goal", "list", "--status", "all")] == ["Bob goal"]
    assert [r["text"] for r in cli_json("reflection", "list")] == ["ownerreflectionword"]
    assert [a["text"] for a in cli_json("action", "list")] == ["Owner action"]
    assert len(cli_json("search", "bobsessionword")) == 1
    assert cli_json("search", "zebrafinch") == []


@pytest.mark.plain_only  # reads plain bytes; an encrypted journal has none (test_encryption)
def test_no_byte_of_her_is_left_in_the_files(cli_json, journal_path, other_window):
    populate(cli_json)
    mention_her_everywhere(cli_json)
    other_window()  # from here on the -wal file is not deleted when coachlog closes
    cli_json("client", "edit", NAME, "--organisation", "NHS Fife")  # more old page images
    before = traces_on_disk(journal_path)
    assert set(before.get("db", []) + before.get("-wal", [])) == set(TRACES)

    cli_json("client", "erase", NAME, "--yes")

    assert traces_on_disk(journal_path) == {}
    assert raw_bytes(journal_path)["-wal"] == b""  # truncated, not just rewound
    assert b"bobsessionword" in raw_bytes(journal_path)["db"]  # the rest is still there


@pytest.mark.plain_only  # reads plain bytes; an encrypted journal has none (test_encryption)
def test_no_byte_left_in_plain_use_either(cli_json, journal_path):
    populate(cli_json)
    mention_her_everywhere(cli_json)
    assert traces_on_disk(journal_path)  # the words are on disk ...
    report = cli_json("client", "erase", "1", "--yes")  # (by id this time)
    assert traces_on_disk(journal_path) == {}  # ... and then they are not
    assert report["mentions_erased"] == {
        "sessions": 1, "reflections": 1, "actions": 1, "supervision": 1
    }  # fmt: skip
    mentioned = cli_json("session", "show", "4")
    assert mentioned["notes"] == "Bob and [erased] spoke; [erased] agreed"
    assert mentioned["private_notes"] == "[erased]'s idea, [erased], and [erased] alone"
    assert mentioned["tags"] == ["[erased]"]
    assert [r["text"] for r in cli_json("reflection", "list")][
        0
    ] == "Mail [erased] and ask [erased]"
    assert cli_json("search", "erased")  # the replacements are indexed like any edit


ZOE_FORMS = ["Zoë", "Zoe\u0308", "ZOË", "Zoe", "zoe", "ZOE", "Smith"]


@pytest.mark.plain_only  # reads plain bytes; an encrypted journal has none (test_encryption)
def test_the_reproduction_leaves_no_zoe_in_the_pack_or_the_files(cli, cli_json, journal_path):
    cli_json("client", "add", "Zoë Smith", "--email", "zoe.smith@nhs.example")
    cli_json("client", "add", "Will Young")
    cli_json("session", "log", "-c", "Zoë Smith", "-m", "60", "--notes", "Zoë's first")
    cli_json("session", "log", "-c", "Will Young", "-m", "60",
             "--notes", "Will said Zoe (ZOË) helped; Ms Smith too")  # fmt: skip
    cli_json("supervision", "log", "--minutes", "60", "--notes", "Noticed I rescue Zoë…")
    cli_json("reflect", "--text", "Zoe\u0308 reminded me… zoe.smith@nhs.example")
    on_disk = b"".join(raw_bytes(journal_path).values())
    assert all(f.encode() in on_disk for f in ("Zoë", "Zoe", "ZOË"))

    cli_json("client", "erase", "Zoë Smith", "--yes")

    for fmt in ("md", "html", "json"):
        pack = cli("export", "supervision", "--format", fmt).stdout
        assert "erased" in pack
        for form in ZOE_FORMS:
            assert form not in pack, (fmt, form)
    on_disk = b"".join(raw_bytes(journal_path).values())
    for form in ZOE_FORMS + ["zoe.smith", "smith"]:
        assert form.encode() not in on_disk, form


def test_mentions_elsewhere_are_replaced_and_reported(cli, cli_json):
    populate(cli_json)
    cli_json("reflect", "--text", f"Supervision idea: ask {NAME.split()[0]} Quennell-Drax first")
    cli_json("reflect", "--text", f"Mail {EMAIL.upper()} the slides")
    cli_json("reflect", "--text", "Philippas and quennelldrax are other words")
    report = cli_json("client", "erase", NAME, "--yes")
    assert report["mentions_erased"] == {"reflections": 3}
    assert report["still_mentioned"] == {}
    texts = sorted(r["text"] for r in cli_json("reflection", "list"))
    assert texts == [
        "Mail [erased] the slides",
        # Her surname without its hyphen is still her; "Philippas" is another word.
        "Philippas and [erased] are other words",
        "Supervision idea: ask [erased] first",
        "ownerreflectionword",
    ]

    cli_json("client", "add", "Bob Two")
    cli_json("reflect", "--text", "Bob Two said hi")
    result = cli("client", "erase", "Bob Two", "--yes")
    assert result.exit_code == 0
    assert "Erased client" in result.stderr
    assert "with [erased] in 1 reflection" in result.stderr


def test_a_word_another_client_shares_is_kept_and_their_full_name_stays_whole(cli, cli_json):
    cli_json("client", "add", "Zoë Smith")
    cli_json("client", "add", "Zoë Brown")
    cli_json("session", "log", "-c", "Zoë Brown", "-m", "30",
             "--notes", "Zoë Brown met Zoe Smith; Smith and Zoë were late")  # fmt: skip
    report = cli_json("client", "erase", "Zoë Smith", "--yes")
    assert report["mentions_erased"] == {"sessions": 1}
    assert report["still_mentioned"] == {"sessions": 1}
    notes = cli_json("session", "list")[0]["notes"]
    assert notes == "Zoë Brown met [erased]; [erased] and Zoë were late"
    result = cli("client", "erase", "Zoë Brown", "--yes")
    assert result.exit_code == 0


def test_the_question_shows_how_many_mentions_will_change(cli, cli_json, rows, monkeypatch):
    populate(cli_json)
    cli_json("supervision", "log", "--minutes", "60", "--notes", "Noticed I rescue Philippa")
    monkeypatch.setattr("coachlog.cli.common.interactive", lambda: True)
    result = cli("client", "erase", NAME, input="n\n")
    assert result.exit_code == 130  # "no" at any confirmation is a cancel (issue 12)
    assert "replaces their name with [erased] in 1 supervision record more" in result.stderr
    assert rows("SELECT notes FROM supervision") == [{"notes": "Noticed I rescue Philippa"}]


def test_without_yes_a_script_is_refused_and_nothing_changes(cli, cli_json, rows):
    populate(cli_json)
    before = rows("SELECT count(*) AS n FROM sessions")
    result = cli("client", "erase", NAME)
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: Erasing client 1 removes 1 client, 2 sessions")
    assert "--yes" in result.stderr
    assert NAME not in result.stderr  # counts only, never journal text
    assert result.stdout == ""
    assert rows("SELECT count(*) AS n FROM sessions") == before
    assert len(rows("SELECT * FROM clients")) == 2


@pytest.mark.parametrize(("answer", "code", "left"), [(True, 0, 1), (False, 130, 2)])
def test_in_a_terminal_it_asks(cli, cli_json, rows, say_at_prompt, answer, code, left):
    populate(cli_json)
    asked = say_at_prompt(answer)
    result = cli("client", "erase", NAME)
    assert asked == ["This cannot be undone. Go ahead?"]
    assert result.exit_code == code, result.stderr
    assert "Erasing client 1 removes" in result.stderr
    assert len(rows("SELECT * FROM clients")) == left
    if code:
        assert "nothing saved" in result.stderr
        assert len(rows("SELECT * FROM sessions")) == 3


def test_unknown_client_is_exit_1_and_nothing_changes(cli, cli_json, rows):
    cli_json("client", "add", "Ann")
    for ref, yes in (("Nobody", ["--yes"]), ("99", ["--yes"]), ("Nobody", [])):
        result = cli("client", "erase", ref, *yes)
        assert result.exit_code == 1
        assert result.stderr.startswith(f"Error: No client '{ref}'")
        assert "Traceback" not in result.stderr
    assert len(rows("SELECT * FROM clients")) == 1


def test_a_bare_client_and_the_human_message(cli, cli_json, rows):
    cli_json("client", "add", "Solo Person")
    result = cli("client", "erase", "solo person", "--yes")
    assert result.exit_code == 0
    assert result.stdout == ""
    assert result.stderr.strip() == "Erased client 1: removed 1 client."
    assert rows("SELECT * FROM clients") == []


def test_erased_client_name_can_be_used_again(cli_json):
    cli_json("client", "add", NAME)
    cli_json("client", "erase", NAME, "--yes")
    assert cli_json("client", "add", NAME)["name"] == NAME  # the name is free again
    assert [c["name"] for c in cli_json("client", "list")] == [NAME]


@pytest.mark.plain_only  # reads plain bytes; an encrypted journal has none (test_encryption)
def test_the_redact_list_forgets_her_too(cli, cli_json, journal_path, rows):
    # The redact list is text the coach typed about people: after an erase it
    # must not keep her name (found in review).
    cli_json("client", "add", "Zoë Smith")
    cli_json("client", "add", "Priya Patel")
    cli_json("redact", "add", "Zoe Smith")
    cli_json("redact", "add", "Zoë's mum Ruth")
    cli_json("session", "log", "-c", "Priya Patel", "-m", "30", "--notes", "Ruth phoned")

    report = cli_json("client", "erase", "Zoë Smith", "--yes")

    assert report["mentions_erased"] == {"redactions": 2}
    # One entry named only her and goes; the other keeps hiding Ruth.
    assert [r["name"] for r in rows("SELECT name FROM redactions")] == ["[erased]'s mum Ruth"]
    on_disk = b"".join(raw_bytes(journal_path).values())
    for form in ZOE_FORMS:
        assert form.encode() not in on_disk, form
    # What is left of a redaction still hides the other person, and the
    # "[erased]" marker itself is never taken for a name.
    pack = cli("export", "supervision").stdout
    assert "Ruth" not in pack, pack
    assert "\\[person\\] phoned" in pack
    cli_json("reflect", "--text", "[erased] was mentioned")
    assert "\\[erased\\] was mentioned" in cli("export", "supervision").stdout


def test_a_stage_label_in_another_clients_session_survives_the_erase(cli_json):
    # Exports never take "Will (way forward):" in a GROW session for Will Young;
    # erase did, and wrote "[erased] (way forward):" into Zoë's notes (review).
    cli_json("client", "add", "Zoë Smith")
    cli_json("client", "add", "Will Young")
    notes = "Goal: calmer rotas\nWill (way forward): a joint huddle with Will Young."
    cli_json("session", "log", "-c", "Zoë Smith", "-m", "60", "--model", "grow",
             "--notes", notes, "--private-notes", "Will (way forward): ask Will")  # fmt: skip
    report = cli_json("client", "erase", "Will Young", "--yes")
    assert report["mentions_erased"] == {"sessions": 1}
    session = cli_json("session", "show", "1")
    assert (
        session["notes"] == "Goal: calmer rotas\nWill (way forward): a joint huddle with [erased]."
    )
    assert session["private_notes"] == "Will (way forward): ask [erased]"


def test_a_name_run_together_that_is_another_clients_word_is_kept(cli_json):
    # "Jo Anne" run together is "Joanne": erasing Jo Anne must not erase the
    # first name of Joanne Smith, another client (found in review).
    cli_json("client", "add", "Jo Anne")
    cli_json("client", "add", "Joanne Smith")
    cli_json("session", "log", "-c", "Joanne Smith", "-m", "30",
             "--notes", "Joanne was calm; JoAnne's file")  # fmt: skip
    report = cli_json("client", "erase", "Jo Anne", "--yes")
    assert report["still_mentioned"] == {"sessions": 1}
    assert cli_json("session", "list")[0]["notes"] == "Joanne was calm; JoAnne's file"


def test_a_particle_surname_run_together_is_erased_too(cli, cli_json, journal_path):
    # "van der Berg" written as one word ("vanderberg", "VanDerBerg", as in
    # handles and file names) and "Ó Briain" as "OBriain" kept the surname in
    # other clients' notes, on disk and in the pack (found in second review).
    cli_json("client", "add", "Pieter van der Berg")
    cli_json("client", "add", "Siân Ó Briain")
    cli_json("client", "add", "Ann Lee")
    cli_json("session", "log", "-c", "Ann Lee", "-m", "30",
             "--notes", "Saw vanderberg_notes.docx, @VanDerBerg and OBriain")  # fmt: skip
    pack = cli("export", "supervision").stdout
    assert "vanderberg" not in pack.lower() and "obriain" not in pack.lower()
    cli_json("client", "erase", "Pieter van der Berg", "--yes")
    cli_json("client", "erase", "Siân Ó Briain", "--yes")
    notes = cli_json("session", "list")[0]["notes"]
    assert notes == "Saw [erased]_notes.docx, @[erased] and [erased]"
    on_disk = b"".join(raw_bytes(journal_path).values()).lower()
    assert b"vanderberg" not in on_disk and b"obriain" not in on_disk


@pytest.mark.parametrize(
    ("name", "notes", "after"),
    [
        # Chinese, Vietnamese, Korean and Arabic names that are everyday English
        # words: erase rewrote every "he", "do", "so", "said" in the whole journal,
        # for good (found in second review).
        ("He Wei", "He Wei phoned; he said he can wait.", "[erased] phoned; he said he can wait."),
        ("Rose Said", "Rose Said: she said so.", "[erased]: she said so."),
        ("Do Minh", "Do Minh wants to do it.", "[erased] wants to do it."),
        ("So Yeon Park", "So Yeon Park, so we park it.", "[erased], so we park it."),
        ("Can Demir", "Can Demir: we can.", "[erased]: we can."),
        ("Gift Moyo", "Gift Moyo brought a gift.", "[erased] brought a gift."),
    ],
)
def test_a_name_that_is_an_everyday_word_leaves_that_word_in_other_notes(
    cli_json, name, notes, after
):
    cli_json("client", "add", name)
    cli_json("client", "add", "Ann Lee")
    cli_json("session", "log", "-c", "Ann Lee", "-m", "30", "--notes", notes)
    cli_json("client", "erase", name, "--yes")
    assert cli_json("session", "list")[0]["notes"] == after
