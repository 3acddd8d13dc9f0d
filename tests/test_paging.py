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
