"""The sample journal: a deterministic, realistic generator and `coachlog demo`.

The generator feeds both `coachlog demo` (a newcomer's first command) and the
benchmarks, so it is checked for what both rely on: the same seed gives the same
journal, the counts asked for are the counts made, and every record would pass
the same validation as one typed in by hand. `coachlog demo` is checked for the
promise it makes: a new journal in a new folder, never the user's own.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import stat
import tempfile
from pathlib import Path
from typing import Any

import pytest

from coachlog.content import shipped_deck
from coachlog.core import demo
from coachlog.errors import Refused
from coachlog.models import validation as models
from coachlog.store.db import open_journal
from coachlog.vocab import GoalStatus, ThemeKey

END = dt.date(2026, 3, 31)


@pytest.fixture(autouse=True)
def temp_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """mkdtemp() inside the test's tmp folder, so `coachlog demo` leaves nothing behind."""
    root = tmp_path / "systemp"
    root.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(root))
    return root


@pytest.fixture(scope="module")
def sample() -> demo.DemoJournal:
    return demo.generate(1, end=END)


def _query(path: Path | str, sql: str) -> list[tuple[Any, ...]]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


# ---------------------------------------------------------------- the generator


def test_same_seed_same_journal_and_another_seed_differs(sample: demo.DemoJournal) -> None:
    assert demo.generate(1, end=END) == sample
    other = demo.generate(2, end=END)
    assert other != sample
    assert [s.notes for s in other.sessions] != [s.notes for s in sample.sessions]


def test_default_sample_is_three_clients_over_six_months(sample: demo.DemoJournal) -> None:
    assert len(sample.clients) == 3
    assert len({c.name for c in sample.clients}) == 3
    first = min(s.on for s in sample.sessions)
    last = max(s.on for s in sample.sessions)
    assert sample.end == END and last <= END
    assert 150 <= (last - first).days <= 190
    for index in range(3):
        dates = [s.on for s in sample.sessions if s.client == index]
        assert 6 <= len(dates) <= 14
        gaps = [(b - a).days for a, b in zip(dates, dates[1:], strict=False)]
        assert all(12 <= gap <= 31 for gap in gaps), gaps  # two to four weeks, weekdays
    assert all(s.on.weekday() < 5 for s in sample.sessions)
    assert all(45 <= s.minutes <= 90 for s in sample.sessions)


def test_exact_counts_when_asked(tmp_path: Path) -> None:
    made = demo.generate(3, sessions=700, reflections=450, end=END)
    counts = made.counts()
    assert counts["sessions"] == 700
    assert counts["reflections"] == 450
    assert counts["clients"] > 10  # as many clients as it takes
    assert len({c.name for c in made.clients}) == counts["clients"]
    assert [s.on for s in made.sessions] == sorted(s.on for s in made.sessions)
    assert [r.on for r in made.reflections] == sorted(r.on for r in made.reflections)
    assert all(r.on <= END for r in made.reflections)
    empty = demo.generate(3, sessions=0, reflections=0, end=END)
    assert empty.counts()["sessions"] == 0 and empty.counts()["reflections"] == 0


def test_cards_themes_and_scores_are_valid(sample: demo.DemoJournal) -> None:
    deck = {card.key: card for card in shipped_deck().cards}
    big = demo.generate(5, sessions=400, reflections=400, end=END)
    for journal in (sample, big):
        for session in journal.sessions:
            assert set(session.cards) <= set(deck)
            assert session.themes and all(isinstance(t, ThemeKey) for t in session.themes)
        for reflection in journal.reflections:
            assert reflection.card in deck
            assert reflection.perspective is not None
            # The question stored is the card's question for that perspective.
            assert reflection.question == deck[reflection.card].questions[reflection.perspective]
        for goal in journal.goals:
            assert goal.scores, goal.title
            assert all(0 <= s.score <= 10 for s in goal.scores)
            assert [s.on for s in goal.scores] == sorted(s.on for s in goal.scores)
    used = {c for s in big.sessions for c in s.cards} | {r.card for r in big.reflections}
    assert used == set(deck)  # a big journal uses the whole deck


def test_scores_trend_upward_and_the_owner_has_goals(sample: demo.DemoJournal) -> None:
    changes = [g.scores[-1].score - g.scores[0].score for g in sample.goals]
    assert sum(changes) / len(changes) >= 1.5
    owner = [g for g in sample.goals if g.client is None]
    assert len(owner) == 2
    assert all(len(g.scores) >= 5 for g in owner)  # about monthly for six months
    assert {g.client for g in sample.goals} >= {0, 1, 2, None}


def test_a_realistic_mix_of_actions_notes_and_reflections(sample: demo.DemoJournal) -> None:
    actions = [a for s in sample.sessions for a in s.actions]
    assert any(a.done_on for a in actions)
    assert any(a.done_on is None and a.due and a.due < END for a in actions)  # overdue
    assert any(a.done_on is None and a.due and a.due >= END for a in actions)  # still to do
    assert all(a.done_on is None or a.done_on <= END for a in actions)
    assert any(s.private_notes for s in sample.sessions)
    assert any(not s.private_notes for s in sample.sessions)
    assert any(r.client is None for r in sample.reflections)  # the coach's own
    assert any(r.client is not None for r in sample.reflections)  # shared by a client
    assert sample.supervision
    # Notes are a few sentences that speak of the client, their goals and behaviours.
    first_names = {c.name.split()[0] for c in sample.clients}
    assert all(s.notes.count(". ") >= 1 for s in sample.sessions)
    named = [s for s in sample.sessions if any(n in s.notes for n in first_names)]
    assert len(named) >= len(sample.sessions) * 0.6
    assert any("card" in s.notes for s in sample.sessions)


def test_every_record_passes_the_input_models(sample: demo.DemoJournal) -> None:
    """What the demo writes in bulk obeys the rules a typed-in record would."""
    big = demo.generate(9, sessions=300, reflections=300, end=END)
    for journal in (sample, big):
        for c in journal.clients:
            models.validate(
                models.ClientIn,
                name=c.name,
                relationship=c.relationship,
                organisation=c.organisation,
                email=c.email,
                named_consent=c.named_consent,
            )
        for s in journal.sessions:
            models.validate(
                models.SessionIn,
                client_id=s.client + 1,
                on=s.on,
                at=s.at,
                minutes=s.minutes,
                mode=s.mode,
                format=s.format,
                model=s.model,
                themes=list(s.themes),
                cards=list(s.cards),
                tags=list(s.tags),
                notes=s.notes,
                private_notes=s.private_notes,
                pro_bono=s.pro_bono,
            )
            for a in s.actions:
                models.validate(models.ActionIn, text=a.text, due=a.due, client_id=s.client + 1)
        for g in journal.goals:
            models.validate(
                models.GoalIn,
                title=g.title,
                themes=list(g.themes),
                tags=list(g.tags),
                due=g.due,
                score=g.scores[0].score,
                on=g.created_on,
            )
            assert g.status in (GoalStatus.open, GoalStatus.done, GoalStatus.dropped)
            for score in g.scores:
                models.validate(
                    models.ScoreIn, goal_id=1, score=score.score, on=score.on, note=score.note
                )
        for r in journal.reflections:
            models.validate(
                models.ReflectionIn,
                text=r.text,
                on=r.on,
                at=r.at,
                title=r.title,
                card=r.card,
                perspective=r.perspective,
                question=r.question,
                themes=list(r.themes),
                tags=list(r.tags),
                starred=r.starred,
            )
        for v in journal.supervision:
            models.validate(
                models.SupervisionIn,
                on=v.on,
                minutes=v.minutes,
                supervisor=v.supervisor,
                format=v.format,
                notes=v.notes,
            )


# ---------------------------------------------------------------- writing


def test_write_stores_everything_and_indexes_it(tmp_path: Path) -> None:
    made = demo.generate(4, sessions=250, reflections=200, end=END)
    path = tmp_path / "bulk.db"
    j = open_journal(path)
    try:
        counts = demo.write(j, made)
    finally:
        j.close()
    assert counts == made.counts()
    for table, expected in counts.items():
        assert _query(path, f"SELECT count(*) FROM {table}") == [(expected,)], table
    # Links point where they should: a session's client, an action's session.
    first = made.sessions[0]
    client = "SELECT c.name FROM sessions s JOIN clients c ON c.id = s.client_id WHERE s.id = 1"
    assert _query(path, client) == [(made.clients[first.client].name,)]
    themes = _query(path, "SELECT theme FROM session_themes WHERE session_id = 1 ORDER BY theme")
    assert themes == sorted((t.value,) for t in first.themes)
    assert _query(path, "SELECT count(*) FROM actions WHERE session_id = 1") == [
        (len(first.actions),)
    ]
    # The schema's triggers indexed every session, reflection, goal, action and
    # supervision record.
    total = counts["sessions"] + counts["reflections"] + counts["goals"] + counts["actions"]
    total += counts["supervision"]
    assert _query(path, "SELECT count(*) FROM search_index") == [(total,)]
    hits = _query(path, "SELECT count(*) FROM search_index WHERE search_index MATCH 'resilience'")
    assert hits[0][0] > 0
    assert _query(path, "PRAGMA foreign_key_check") == []
    assert _query(path, "PRAGMA integrity_check") == [("ok",)]


def test_write_refuses_a_journal_that_has_entries(tmp_path: Path) -> None:
    path = tmp_path / "full.db"
    j = open_journal(path)
    try:
        demo.write(j, demo.generate(1, end=END))
        with pytest.raises(Refused):
            demo.write(j, demo.generate(2, end=END))
    finally:
        j.close()
    assert _query(path, "SELECT count(*) FROM clients") == [(3,)]


# ---------------------------------------------------------------- coachlog demo


@pytest.mark.plain_only  # no journal before the test: the encrypted run starts from one
def test_demo_json_makes_a_new_journal_away_from_the_users(
    cli: Any, journal_path: Path, temp_root: Path
) -> None:
    result = cli("demo", "--json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    path = Path(data["path"])
    assert path.exists() and path.name == "coachlog.db"
    assert path.parent.parent == temp_root.resolve()  # a NEW folder in the temp dir
    assert path != journal_path and not journal_path.exists()  # COACHLOG_DB untouched
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    counts = data["counts"]
    assert all(counts[k] > 0 for k in ("clients", "sessions", "goals", "reflections"))
    assert _query(path, "SELECT count(*) FROM clients") == [(3,)]
    assert _query(path, "SELECT count(*) FROM sessions") == [(counts["sessions"],)]
    [(first, last)] = _query(path, "SELECT min(on_date), max(on_date) FROM sessions")
    days = (dt.date.fromisoformat(last) - dt.date.fromisoformat(first)).days
    assert 150 <= days <= 190  # about six months
    # The real commands read it like any journal.
    listed = cli("--db", str(path), "client", "list", "--json")
    assert listed.exit_code == 0, listed.stderr
    assert len(json.loads(listed.stdout)) == 3


def test_each_demo_run_gets_its_own_folder(cli: Any) -> None:
    paths = {json.loads(cli("demo", "--json").stdout)["path"] for _ in range(2)}
    assert len(paths) == 2


def test_demo_human_output_says_where_and_what_to_try(cli: Any) -> None:
    result = cli("demo", env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.stderr
    text = result.stdout
    path = text.split("new folder:")[1].split()[0]
    assert Path(path).exists()
    assert "NOT your journal" in text
    for name in ("Priya Shah", "Tom Evans", "Aisha Begum"):
        assert name in text
    assert "Try next" in text
    assert f"coachlog --db {path} session list" in text
    assert f"coachlog --db {path} search resilience" in text
    # Tables fit 80 columns (only the copy-paste commands may run longer).
    for line in text.splitlines():
        if "coachlog --db" not in line and "rm -r" not in line and path not in line:
            assert len(line.rstrip()) <= 80, line


@pytest.mark.plain_only  # no journal before the test: the encrypted run starts from one
def test_demo_keep_puts_it_where_asked_and_never_over_a_journal(
    cli: Any, tmp_path: Path, journal_path: Path
) -> None:
    keep = tmp_path / "my demo"
    result = cli("demo", "--keep", str(keep), "--json")
    assert result.exit_code == 0, result.stderr
    assert Path(json.loads(result.stdout)["path"]) == (keep / "coachlog.db").resolve()

    again = cli("demo", "--keep", str(keep))
    assert again.exit_code == 1
    assert again.stderr.startswith("Error: ") and "Traceback" not in again.stderr
    assert _query(keep / "coachlog.db", "SELECT count(*) FROM clients") == [(3,)]

    a_file = tmp_path / "notes.txt"
    a_file.write_text("mine")
    bad = cli("demo", "--keep", str(a_file))
    assert bad.exit_code == 2 and bad.stderr.startswith("Error: ")
    assert a_file.read_text() == "mine"

    # The folder of the journal in use (here $COACHLOG_DB's) is never a target.
    own = cli("demo", "--keep", str(journal_path.parent))
    assert own.exit_code == 1 and own.stderr.startswith("Error: ")
    assert not journal_path.exists()


def test_demo_commands_to_try_run_as_printed_after_the_quick_start(tmp_path: Path) -> None:
    """The Quick start puts coachlog in .venv/bin, not on PATH: the commands the demo
    prints must be the way it was started, or a newcomer's first copy-paste fails
    with "coachlog: command not found"."""
    import os
    import subprocess
    import sys

    script = Path(sys.executable).parent / ("coachlog.exe" if os.name == "nt" else "coachlog")
    if not script.exists():
        pytest.skip("no coachlog script next to this Python")
    env = {
        **os.environ,
        "PATH": os.pathsep.join(["/usr/bin", "/bin"]),
        "COLUMNS": "80",
        "HOME": str(tmp_path),
    }
    env.pop("COACHLOG_DB", None)
    out = subprocess.run(
        [str(script), "demo"], env=env, capture_output=True, text=True, check=True, cwd=tmp_path
    ).stdout
    tries = [line.strip() for line in out.splitlines() if "--db" in line]
    assert tries and all(line.startswith(f"{script} --db ") for line in tries), tries
    listed = subprocess.run(
        tries[0], shell=True, env=env, capture_output=True, text=True, cwd=tmp_path
    )
    assert listed.returncode == 0, listed.stderr
    assert "Priya Shah" in listed.stdout
