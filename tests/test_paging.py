"""A cut list says so, in `--json` too: a script reading `session list --json` got 20 of
its 25 sessions and no word that there were more (the table said so; the JSON did not).
The JSON stays only JSON; the note goes to stderr, as every message does."""

from __future__ import annotations

import json

import pytest

LISTS = [
    (["session", "list"], "newest"),
    (["action", "list"], "first"),
    (["goal", "list"], "first"),
    (["client", "list"], "first"),
    (["reflection", "list"], "newest"),
    (["search", "paging"], "best"),
]


@pytest.fixture
def full(cli_json):
    for n in range(3):
        cli_json("client", "add", f"Client Number {n}")
    for n in range(3):
        cli_json("session", "log", "-c", "1", "-m", "60", "--notes", f"paging {n}",
                 "--action", f"Do thing {n}")  # fmt: skip
        cli_json("goal", "add", f"Goal {n}")
        cli_json("reflect", "--text", f"paging thought {n}")


@pytest.mark.parametrize(("args", "word"), LISTS, ids=lambda a: " ".join(a) if a else "")
def test_a_cut_json_list_says_so_on_stderr(cli, full, args, word):
    cut = cli(*args, "--limit", "2", "--json")
    assert cut.exit_code == 0, cut.stderr
    assert len(json.loads(cut.stdout)) == 2
    assert cut.stderr.startswith("Showing the ") and word in cut.stderr and "2" in cut.stderr
    assert "--limit 0" in cut.stderr

    whole = cli(*args, "--limit", "0", "--json")
    assert len(json.loads(whole.stdout)) >= 3
    assert whole.stderr == ""
    exact = cli(*args, "--limit", str(len(json.loads(whole.stdout))), "--json")
    assert exact.stderr == ""  # nothing was cut


# Lists that grow with the years page like `session list` (issue 14): the newest 20
# unless --limit, 0 for all. Timelines keep their order (oldest first), showing the
# newest N of it.
GROWING = [
    (["engagement", "list"], "newest"),
    (["supervision", "list", "--since", "2000-01-01"], "newest"),
    (["outcome", "list"], "newest"),
    (["profile", "history", "--all"], "newest"),
]


@pytest.fixture
def years(cli_json):
    for n in range(3):
        cli_json("client", "add", f"Client Number {n}")
    for n in range(25):
        day = f"2024-{n // 28 + 1:02d}-{n % 28 + 1:02d}"
        client = str(n % 3 + 1)
        engagement = cli_json("engagement", "start", client, "--on", day)
        cli_json("engagement", "end", client, "--on", day)
        cli_json("outcome", "record", client, "--stage", "before", "--on", day,
                 "--confidence", "5", "--engagement", str(engagement["id"]))  # fmt: skip
        cli_json("supervision", "log", "--minutes", "60", "--on", day)
        cli_json("profile", "rate", "--client", client, "--on", day,
                 *[a for key in CARD_KEYS for a in ("--card", f"{key}=5")])  # fmt: skip


CARD_KEYS: list[str] = []


@pytest.fixture(autouse=True)
def _card_keys():
    from coachlog.content import shipped_deck

    CARD_KEYS[:] = [c.key for c in shipped_deck().cards]


@pytest.mark.parametrize(("args", "word"), GROWING, ids=lambda a: " ".join(a) if a else "")
def test_growing_lists_show_the_newest_20_unless_limit(cli, years, args, word):
    default = cli(*args, "--json")
    assert default.exit_code == 0, default.stderr
    shown = json.loads(default.stdout)
    assert len(shown) == 20
    assert default.stderr.startswith("Showing the 20 newest") and "--limit 0" in default.stderr

    whole = json.loads(cli(*args, "--limit", "0", "--json").stdout)
    assert len(whole) == 25
    # The newest 20 of the whole list, in the list's own order.
    ids = [row["id"] for row in whole]
    newest = sorted(ids, reverse=True)[:20]
    assert sorted(row["id"] for row in shown) == sorted(newest)
    assert [row["id"] for row in shown] == [i for i in ids if i in newest]

    table = cli(*args, "--limit", "2")
    assert table.exit_code == 0, table.stderr
    assert "Showing the 2 newest; --limit 0 shows them all." in table.stderr


HUGE = "99999999999999999999999"  # more than SQLite's 64-bit integers hold


@pytest.mark.parametrize(
    "args",
    [a for a, _ in LISTS] + [a for a, _ in GROWING],
    ids=lambda a: " ".join(a) if a else "",
)
def test_a_limit_beyond_any_journal_means_all_and_beyond_sqlite_is_refused(cli, full, args):
    # Some lists cut in SQL (LIMIT n + 1), some in Python: the largest number SQLite
    # stores means "all" in both (it overflowed LIMIT n + 1 in some), and a larger one
    # is the same usage error in every list, as any number beyond SQLite is.
    result = cli(*args, "--limit", "9223372036854775807", "--json")
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    assert json.loads(result.stdout) == json.loads(cli(*args, "--limit", "0", "--json").stdout)
    refused = cli(*args, "--limit", HUGE, "--json")
    assert refused.exit_code == 2, refused.stderr
    assert refused.stdout == ""
    assert refused.stderr.startswith("Error: A number is too large")
