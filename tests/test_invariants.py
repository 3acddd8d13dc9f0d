"""Random sequences of writes, edits, undos, deletes, purges and restores keep the promises.

A hypothesis state machine drives the real CLI on a fresh journal per example and,
after every step, checks three things against the stored rows:

- ids are never reused: a new record's id is above every id its table ever had;
- nothing changed that the step did not name (a failed step changes nothing at all);
- `progress --json` figures equal a plain recomputation from the stored rows.

A backup-and-restore step exports the journal, imports it into a fresh one and
checks every row came back with its id, then carries on in the restored journal,
so ids the old journal used are checked never to be handed out again.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import tempfile
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule
from typer.testing import CliRunner

from coachlog.cli import app

TABLES = (
    "sessions",
    "actions",
    "goals",
    "goal_scores",
    "reflections",
    "supervision",
    "engagements",
    "outcomes",
)
THEMES = ("confidence", "influence", "team")
TODAY = dt.date.today()

days_ago = st.integers(min_value=0, max_value=40)
ids = st.integers(min_value=1, max_value=8)
score = st.integers(min_value=0, max_value=10)


def _day(n: int) -> str:
    return (TODAY - dt.timedelta(days=n)).isoformat()


def _mean(values: list[int]) -> float:
    return float(
        (Decimal(sum(values)) / Decimal(len(values))).quantize(Decimal("0.1"), ROUND_HALF_UP)
    )


class Journal(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.folder = tempfile.TemporaryDirectory(prefix="coachlog-inv-")
        self.db = str(Path(self.folder.name) / "j.db")
        self.runner = CliRunner()
        self.ever: dict[str, int] = dict.fromkeys(TABLES, 0)
        self.before: dict[str, dict[int, dict[str, Any]]] = {}
        self.restores = 0

    def teardown(self) -> None:
        self.folder.cleanup()

    # ------------------------------------------------------------ plumbing

    def run(self, *args: str, input: str | None = None) -> Any:
        return self.runner.invoke(
            app, ["--db", self.db, *args], input=input, catch_exceptions=False
        )

    def snapshot(self) -> dict[str, dict[int, dict[str, Any]]]:
        conn = sqlite3.connect(self.db)
        conn.row_factory = sqlite3.Row
        try:
            return {
                t: {r["id"]: dict(r) for r in conn.execute(f"SELECT * FROM {t}")} for t in TABLES
            }
        finally:
            conn.close()

    def step(
        self,
        *args: str,
        may_change: set[tuple[str, int]] = frozenset(),  # type: ignore[assignment]
        may_add: set[str] = frozenset(),  # type: ignore[assignment]
        input: str | None = None,
    ) -> None:
        """Run one command and check it touched only what it named."""
        before = self.snapshot()
        result = self.run(*args, input=input)
        assert result.exit_code in (0, 1, 2), (args, result.exit_code, result.stderr)
        assert "Traceback" not in result.stderr
        after = self.snapshot()
        if result.exit_code != 0:
            assert after == before, f"{args} failed ({result.stderr.strip()}) but changed rows"
            return
        for table in TABLES:
            for row_id, row in before[table].items():
                if (table, row_id) not in may_change:
                    assert after[table].get(row_id) == row, f"{args} changed {table} {row_id}"
            new = set(after[table]) - set(before[table])
            if new:
                assert table in may_add, f"{args} added to {table}"
                assert min(new) > self.ever[table], f"{args} reused an id in {table}: {new}"
        for table in TABLES:
            self.ever[table] = max([self.ever[table], *after[table]])

    def pick(self, data: st.DataObject, table: str, session_id: int | None = None) -> int:
        """An id that exists (of that session's actions, if given), or the one after."""
        rows = self.snapshot()[table]
        existing = sorted(
            i for i, r in rows.items() if session_id is None or r["session_id"] == session_id
        )
        if existing:
            return data.draw(st.sampled_from([*existing, max(existing) + 1]))
        return data.draw(ids)

    def actions_of(self, session_id: int) -> set[tuple[str, int]]:
        return {
            ("actions", a["id"])
            for a in self.snapshot()["actions"].values()
            if a["session_id"] == session_id
        }

    # ------------------------------------------------------------ steps

    @initialize()
    def client(self) -> None:
        assert self.run("client", "add", "Ann").exit_code == 0

    @rule(on=days_ago, n=st.integers(0, 2), theme=st.sampled_from(THEMES))
    def log_session(self, on: int, n: int, theme: str) -> None:
        acts: list[str] = []
        for i in range(n):
            acts += ["--action", f"act {i}", "--action-due", _day(on - 5)]
        self.step(
            "session", "log", "-c", "Ann", "-m", "45", "--on", _day(on), "--theme", theme,
            *acts, may_add={"sessions", "actions"},
        )  # fmt: skip

    @rule(text=st.sampled_from(["added", "another"]), data=st.data())
    def session_add_action(self, data: st.DataObject, text: str) -> None:
        sid = self.pick(data, "sessions")
        self.step(
            "session", "edit", str(sid), "--action", text,
            may_change={("sessions", sid)}, may_add={"actions"},
        )  # fmt: skip

    @rule(data=st.data())
    def session_remove_action(self, data: st.DataObject) -> None:
        sid = self.pick(data, "sessions")
        aid = self.pick(data, "actions", session_id=sid)
        self.step(
            "session", "edit", str(sid), "--remove-action", str(aid), "--yes",
            may_change={("sessions", sid), ("actions", aid)},
        )  # fmt: skip

    @rule(minutes=st.integers(1, 90), data=st.data())
    def session_edit(self, data: st.DataObject, minutes: int) -> None:
        sid = self.pick(data, "sessions")
        self.step("session", "edit", str(sid), "-m", str(minutes), may_change={("sessions", sid)})

    @rule(on=days_ago, data=st.data())
    def session_edit_on(self, data: st.DataObject, on: int) -> None:
        # The day its actions were agreed moves with the session, and nothing else.
        sid = self.pick(data, "sessions")
        self.step(
            "session", "edit", str(sid), "--on", _day(on),
            may_change={("sessions", sid)} | self.actions_of(sid),
        )  # fmt: skip
        after = self.snapshot()
        if sid in after["sessions"]:
            for a in after["actions"].values():
                if a["session_id"] == sid and a["done_on"] is not None:
                    assert a["done_on"] >= after["sessions"][sid]["on_date"] or (
                        a["created_on"] != after["sessions"][sid]["on_date"]
                    ), a

    @rule(data=st.data())
    def session_delete(self, data: st.DataObject) -> None:
        sid = self.pick(data, "sessions")
        self.step(
            "session", "delete", str(sid), "--yes",
            may_change={("sessions", sid)} | self.actions_of(sid),
        )  # fmt: skip

    @rule(due=days_ago)
    def action_add(self, due: int) -> None:
        self.step("action", "add", "own", "--due", _day(due - 10), may_add={"actions"})

    @rule(on=st.integers(0, 2), data=st.data())
    def action_done(self, data: st.DataObject, on: int) -> None:
        aid = self.pick(data, "actions")
        self.step("action", "done", str(aid), "--on", _day(on), may_change={("actions", aid)})

    @rule(data=st.data())
    def action_undo(self, data: st.DataObject) -> None:
        aid = self.pick(data, "actions")
        self.step("action", "undo", str(aid), may_change={("actions", aid)})

    @rule(due=days_ago, data=st.data())
    def action_edit(self, data: st.DataObject, due: int) -> None:
        aid = self.pick(data, "actions")
        self.step(
            "action", "edit", str(aid), "--text", "changed", "--due", _day(due),
            may_change={("actions", aid)},
        )  # fmt: skip

    @rule(data=st.data())
    def action_delete(self, data: st.DataObject) -> None:
        aid = self.pick(data, "actions")
        self.step("action", "delete", str(aid), "--yes", may_change={("actions", aid)})

    @rule(on=days_ago, first=score, theme=st.sampled_from(THEMES))
    def goal_add(self, on: int, first: int, theme: str) -> None:
        self.step(
            "goal", "add", "g", "-c", "Ann", "--theme", theme, "--score", str(first),
            "--on", _day(on), may_add={"goals", "goal_scores"},
        )  # fmt: skip

    @rule(value=score, on=days_ago, data=st.data())
    def goal_rate(self, data: st.DataObject, value: int, on: int) -> None:
        gid = self.pick(data, "goals")
        self.step("goal", "rate", str(gid), str(value), "--on", _day(on), may_add={"goal_scores"})

    @rule(on=days_ago, data=st.data())
    def goal_edit_on(self, data: st.DataObject, on: int) -> None:
        gid = self.pick(data, "goals")
        self.step("goal", "edit", str(gid), "--on", _day(on), may_change={("goals", gid)})

    @rule(status=st.sampled_from(["done", "drop", "reopen"]), data=st.data())
    def goal_status(self, data: st.DataObject, status: str) -> None:
        gid = self.pick(data, "goals")
        self.step("goal", status, str(gid), may_change={("goals", gid)})

    @rule(value=score, on=days_ago, data=st.data())
    def score_edit(self, data: st.DataObject, value: int, on: int) -> None:
        scid = self.pick(data, "goal_scores")
        self.step(
            "goal", "score", "edit", str(scid), "--score", str(value), "--on", _day(on),
            may_change={("goal_scores", scid)},
        )  # fmt: skip

    @rule(data=st.data())
    def score_delete(self, data: st.DataObject) -> None:
        scid = self.pick(data, "goal_scores")
        self.step(
            "goal", "score", "delete", str(scid), "--yes", may_change={("goal_scores", scid)}
        )

    @rule(on=days_ago)
    def reflect(self, on: int) -> None:
        self.step("reflect", "--random", "--text", "r", "--on", _day(on), may_add={"reflections"})

    @rule(data=st.data())
    def reflection_edit(self, data: st.DataObject) -> None:
        rid = self.pick(data, "reflections")
        self.step(
            "reflection", "edit", str(rid), "--text", "fixed", may_change={("reflections", rid)}
        )

    @rule(data=st.data())
    def reflection_delete(self, data: st.DataObject) -> None:
        rid = self.pick(data, "reflections")
        self.step("reflection", "delete", str(rid), "--yes", may_change={("reflections", rid)})

    @rule(on=days_ago)
    def supervision(self, on: int) -> None:
        self.step("supervision", "log", "-m", "60", "--on", _day(on), may_add={"supervision"})

    @rule(data=st.data())
    def supervision_delete(self, data: st.DataObject) -> None:
        sid = self.pick(data, "supervision")
        self.step("supervision", "delete", str(sid), "--yes", may_change={("supervision", sid)})

    @rule(on=days_ago, sessions=st.integers(1, 8))
    def engagement_start(self, on: int, sessions: int) -> None:
        self.step(
            "engagement", "start", "Ann", "--on", _day(on), "--sessions", str(sessions),
            may_add={"engagements"},
        )  # fmt: skip

    @rule(on=days_ago)
    def engagement_end(self, on: int) -> None:
        open_ = [i for i, e in self.snapshot()["engagements"].items() if e["ended_on"] is None]
        self.step(
            "engagement", "end", "Ann", "--on", _day(on),
            may_change={("engagements", i) for i in open_},
        )  # fmt: skip

    @rule(
        field=st.sampled_from(["--on", "--ended", "--sessions", "--sponsor"]),
        on=days_ago,
        data=st.data(),
    )
    def engagement_edit(self, data: st.DataObject, field: str, on: int) -> None:
        eid = self.pick(data, "engagements")
        value = {"--sessions": str(on % 9 + 1), "--sponsor": "HR"}.get(field, _day(on))
        before = self.snapshot()["engagements"].get(eid)
        self.step("engagement", "edit", str(eid), field, value, may_change={("engagements", eid)})
        after = self.snapshot()["engagements"].get(eid)
        if before is not None and after is not None:
            column = {
                "--on": "started_on",
                "--ended": "ended_on",
                "--sessions": "sessions_contracted",
                "--sponsor": "sponsor",
            }[field]
            assert {k: v for k, v in after.items() if k != column} == {
                k: v for k, v in before.items() if k != column
            }

    @rule(data=st.data())
    def engagement_reopen(self, data: st.DataObject) -> None:
        eid = self.pick(data, "engagements")
        self.step("engagement", "reopen", str(eid), may_change={("engagements", eid)})

    @rule(data=st.data())
    def engagement_delete(self, data: st.DataObject) -> None:
        eid = self.pick(data, "engagements")
        its = {
            ("outcomes", i)
            for i, o in self.snapshot()["outcomes"].items()
            if o["engagement_id"] == eid
        }
        self.step(
            "engagement", "delete", str(eid), "--yes", may_change={("engagements", eid)} | its
        )

    @rule(stage=st.sampled_from(["before", "end", "follow-up"]), on=days_ago, value=score)
    def outcome_record(self, stage: str, on: int, value: int) -> None:
        self.step(
            "outcome", "record", "Ann", "--stage", stage, "--on", _day(on),
            "--team", str(value), may_add={"outcomes"},
        )  # fmt: skip

    @rule(data=st.data())
    def outcome_delete(self, data: st.DataObject) -> None:
        oid = self.pick(data, "outcomes")
        self.step("outcome", "delete", str(oid), "--yes", may_change={("outcomes", oid)})

    @rule()
    def backup_and_restore(self) -> None:
        """Export a backup, restore it into a fresh journal: every row and id comes back.

        The machine then carries on in the restored journal, so every later step
        checks that no id the old journal used is handed out again.
        """
        if not Path(self.db).exists():
            return
        before = self.snapshot()
        backup = str(Path(self.folder.name) / f"backup-{self.restores}.json")
        assert self.run("export", "backup", "-o", backup).exit_code == 0
        self.restores += 1
        fresh = str(Path(self.folder.name) / f"restored-{self.restores}.db")
        result = self.runner.invoke(app, ["--db", fresh, "import", backup], catch_exceptions=False)
        assert result.exit_code == 0, result.stderr
        self.db = fresh
        assert self.snapshot() == before

    @rule(before=days_ago, keep=st.booleans())
    def purge(self, before: int, keep: bool) -> None:
        day = _day(before)
        rows = self.snapshot()
        old_sessions = {i for i, s in rows["sessions"].items() if s["on_date"] < day}
        named = {("sessions", i) for i in old_sessions}
        named |= {
            ("actions", i) for i, a in rows["actions"].items() if a["session_id"] in old_sessions
        }
        named |= {("reflections", i) for i, r in rows["reflections"].items() if r["on_date"] < day}
        named |= {("goal_scores", i) for i, s in rows["goal_scores"].items() if s["on_date"] < day}
        self.step(
            "db", "purge", "--before", day, "--keep-open" if keep else "--purge-open", "--yes",
            may_change=named,
        )  # fmt: skip
        if keep:
            after = self.snapshot()["actions"]
            for table, i in named:
                if table == "actions" and rows["actions"][i]["done_on"] is None:
                    assert i in after and after[i]["session_id"] is None

    # ------------------------------------------------------------ invariants

    @invariant()
    def progress_matches_the_rows(self) -> None:
        if not Path(self.db).exists():
            return
        result = self.run("progress", "--json")
        assert result.exit_code == 0, result.stderr
        report = json.loads(result.stdout)
        rows = self.snapshot()
        conn = sqlite3.connect(self.db)
        try:
            themes = conn.execute("SELECT goal_id, theme FROM goal_themes").fetchall()
        finally:
            conn.close()
        for theme in report["themes"]:
            firsts, lasts = [], []
            for goal_id, key in themes:
                goal = rows["goals"][goal_id]
                if key != theme["key"] or goal["status"] == "dropped":
                    continue
                scores = sorted(
                    (s["on_date"], s["id"], s["score"])
                    for s in rows["goal_scores"].values()
                    if s["goal_id"] == goal_id
                )
                if scores:
                    firsts.append(scores[0][2])
                    lasts.append(scores[-1][2])
            if firsts:
                assert theme["baseline"] == pytest.approx(_mean(firsts)), theme
                assert theme["latest"] == pytest.approx(_mean(lasts)), theme
            else:
                assert theme["baseline"] is None and theme["latest"] is None, theme
        actions = list(rows["actions"].values())
        today = TODAY.isoformat()
        assert report["actions"]["agreed"] == len(actions)
        assert report["actions"]["done"] == sum(a["done_on"] is not None for a in actions)
        assert report["actions"]["overdue"] == sum(
            a["done_on"] is None and a["due"] is not None and a["due"] < today for a in actions
        )


Journal.TestCase.settings = settings(
    max_examples=15,
    stateful_step_count=20,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
test_random_sequences_keep_the_promises = Journal.TestCase
