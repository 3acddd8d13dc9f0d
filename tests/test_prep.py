"""`coachlog prep CLIENT`: the one-screen brief before the next session.

"Since the last session" includes the session's own day (a reflection written
that evening is news at the next session); the suggested card is the one this
client has used least, ties going to the card least used in the whole journal,
then to the deck's order.
"""

from __future__ import annotations

import datetime as dt

import pytest

LONG_NOTES = (
    "We went over the [bold] rota again and what saying no to the extra clinic would cost. "
    "She wants to try it with the deputy first, then take it to the director next month "
    "if it holds up. Worth coming back to."
)


@pytest.fixture
def journal(cli_json):
    cli_json("client", "add", "Asha Patel")
    cli_json("client", "add", "Cara Jones")
    s1 = cli_json(
        "session", "log", "--client", "Asha Patel", "--minutes", "60", "--on", "2024-01-10",
        "--theme", "confidence", "--card", "mindset", "--notes", "First meeting.",
        "--action", "Ask for the rota", "--action-due", "2024-01-20",
    )  # fmt: skip
    s2 = cli_json(
        "session", "log", "--client", "Asha Patel", "--minutes", "45", "--on", "2024-02-15",
        "--theme", "team", "--theme", "confidence", "--card", "resilience", "--card", "mindset",
        "--notes", LONG_NOTES,
        "--action", "Draft the proposal", "--action-due", "2024-02-20",
        "--action", "Think about the offer", "--action-due", "",
    )  # fmt: skip
    cli_json("action", "done", str(s1["actions"][0]["id"]), "--on", "2024-01-19")
    future = (dt.date.today() + dt.timedelta(days=30)).isoformat()
    cli_json("action", "add", "Send the paper", "--client", "Asha Patel", "--due", future)
    g1 = cli_json(
        "goal", "add", "Speak up", "--client", "Asha Patel", "--theme", "confidence",
        "--score", "2", "--on", "2024-01-10",
    )  # fmt: skip
    cli_json("goal", "rate", str(g1["id"]), "4", "--on", "2024-01-25")
    cli_json("goal", "rate", str(g1["id"]), "6", "--on", "2024-02-15", "--note", "in session")
    cli_json("goal", "rate", str(g1["id"]), "7", "--on", "2024-02-28")
    g2 = cli_json(
        "goal", "add", "Delegate", "--client", "Asha Patel", "--theme", "team",
        "--score", "5", "--on", "2024-01-10",
    )  # fmt: skip
    g3 = cli_json("goal", "add", "Finished one", "--client", "Asha Patel", "--score", "3",
                  "--on", "2024-01-10")  # fmt: skip
    cli_json("goal", "done", str(g3["id"]))
    cli_json("reflect", "--client", "Asha Patel", "--text", "Before the session.",
             "--on", "2024-02-14")  # fmt: skip
    cli_json("reflect", "--client", "Asha Patel", "--text", "That evening.", "--card",
             "compassion", "--perspective", "self", "--on", "2024-02-15")  # fmt: skip
    cli_json("reflect", "--client", "Asha Patel", "--text", "A week on.",
             "--on", "2024-02-22")  # fmt: skip
    cli_json("reflect", "--text", "The owner's own.", "--card", "authenticity",
             "--perspective", "self", "--on", "2024-02-20")  # fmt: skip
    return {"s2": s2, "g1": g1["id"], "g2": g2["id"], "g3": g3["id"]}


def test_prep_brief(journal, cli_json):
    brief = cli_json("prep", "Asha Patel")
    assert (brief["client"], brief["client_id"], brief["sessions"]) == ("Asha Patel", 1, 2)
    assert brief["since"] == "2024-02-15"
    last = brief["last_session"]
    assert (last["id"], last["on"], last["number"], last["minutes"]) == (
        journal["s2"]["id"],
        "2024-02-15",
        2,
        45,
    )
    assert last["themes"] == ["confidence", "team"]
    assert last["cards"] == ["mindset", "resilience"]
    assert last["notes"].startswith("We went over the [bold] rota")
    assert last["notes"].endswith("…") and len(last["notes"]) <= 160
    assert "Worth coming back" not in last["notes"]

    # open actions: overdue first, then by due date, undated last
    assert [(a["text"], a["overdue"]) for a in brief["actions"]] == [
        ("Draft the proposal", True),
        ("Send the paper", False),
        ("Think about the offer", False),
    ]
    assert brief["overdue"] == 1

    goals = {g["id"]: g for g in brief["goals"]}
    assert list(goals) == [journal["g1"], journal["g2"]]  # the done goal had no new score
    speak = goals[journal["g1"]]
    assert (speak["baseline"], speak["before"], speak["latest"]) == (2, 4, 7)
    assert speak["themes"] == ["confidence"]
    assert speak["scores_since"] == [
        {"on": "2024-02-15", "score": 6, "note": "in session"},
        {"on": "2024-02-28", "score": 7, "note": None},
    ]
    delegate = goals[journal["g2"]]
    assert (delegate["before"], delegate["latest"], delegate["scores_since"]) == (5, 5, [])

    # the client's reflections from the session's day on, newest first
    assert [(r["on"], r["title"], r["text"]) for r in brief["reflections"]] == [
        ("2024-02-22", None, "A week on."),
        ("2024-02-15", None, "That evening."),
    ]
    assert brief["reflections"][1]["card"] == "compassion"

    # Asha used mindset, resilience and compassion; authenticity (the owner's) and
    # relationships she has not, and relationships is the least used overall
    assert brief["suggested_card"]["key"] == "relationships"
    assert brief["suggested_card"]["uses"] == 0
    assert brief["suggested_card"]["question"]


def test_prep_for_a_client_with_nothing_recorded(journal, cli_json):
    brief = cli_json("prep", "cara jones")
    assert brief["client"] == "Cara Jones"
    assert (brief["last_session"], brief["since"], brief["sessions"]) == (None, None, 0)
    assert (brief["actions"], brief["overdue"], brief["goals"], brief["reflections"]) == (
        [],
        0,
        [],
        [],
    )
    # nothing used by Cara; of those, never used anywhere in the journal, in deck order
    assert brief["suggested_card"]["key"] == "relationships"


def test_prep_before_any_session_counts_everything_as_new(cli_json):
    cli_json("client", "add", "Dan")
    goal = cli_json(
        "goal", "add", "Start", "--client", "Dan", "--score", "3", "--on", "2024-01-01"
    )
    cli_json("goal", "rate", str(goal["id"]), "5", "--on", "2024-01-09")
    cli_json("reflect", "--client", "Dan", "--text", "Ready.", "--on", "2024-01-05")
    brief = cli_json("prep", "Dan")
    assert brief["last_session"] is None
    (only,) = brief["goals"]
    assert (only["baseline"], only["before"], only["latest"]) == (3, None, 5)
    assert [s["score"] for s in only["scores_since"]] == [3, 5]
    assert [r["text"] for r in brief["reflections"]] == ["Ready."]
    assert brief["suggested_card"]["key"] == "authenticity"


def test_prep_human_output_fits_one_screen(journal, cli, cli_json):
    for n in range(12):
        cli_json("action", "add", f"Extra action {n}", "--client", "Asha Patel")
    result = cli("prep", "Asha Patel", env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert max(len(line.rstrip()) for line in lines) <= 80
    assert len(lines) <= 30
    text = result.stdout
    assert "Before your next session with Asha Patel" in text
    assert "Last session  Thu 15 Feb 2024, 45 min (their session no. 2)  #2\n" in text
    assert "themes: Confidence, Team management  cards: mindset, resilience" in text
    assert "[bold] rota" in text  # user text verbatim, never markup
    assert "Open actions  15, 1 overdue" in text
    flat = " ".join(text.split())
    assert "! Draft the proposal due 2024-02-20 (overdue) #2" in flat
    assert '… and 9 more: coachlog action list --client "Asha Patel" --open' in text
    assert "· Speak up 4 → 7/10 (6, 7) #1" in flat
    assert "· [compassion] That evening. 2024-02-15" in flat
    assert "Try a card  Relationships (not explored yet)" in text


def test_prep_bad_input(cli):
    missing = cli("prep", "Nobody")
    assert missing.exit_code == 1
    assert missing.stderr.startswith("Error: No client 'Nobody'")
    assert "Traceback" not in missing.stderr and missing.stdout == ""
    assert cli("prep").exit_code == 2


def test_prep_does_not_show_the_clients_session_count_as_an_id(cli, cli_json):
    cli_json("client", "add", "Ben Cole")
    cli_json("client", "add", "Dan")
    for day in ("2024-01-01", "2024-01-02", "2024-01-03"):
        cli_json("session", "log", "--client", "Ben Cole", "--minutes", "30", "--on", day)
    first = cli_json("session", "log", "--client", "Dan", "--minutes", "40", "--on", "2024-01-04")
    text = cli("prep", "Dan", env={"COLUMNS": "80"}).stdout
    # "#N" means an id that `session show N` opens; Dan's first session is not #1
    assert f"Last session  Thu 4 Jan 2024, 40 min (their session no. 1)  #{first['id']}" in text
    assert "#1 " not in text
