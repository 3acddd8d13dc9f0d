"""`coachlog search`: finds every kind of entry, ranks and filters, stays in step with
edits and deletes, and never lets a user's query break FTS5.
"""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st


@pytest.fixture
def journal(cli_json):
    """Two clients and one entry of each kind mentioning delegation."""
    cli_json("client", "add", "Ann Smith")
    cli_json("client", "add", "Bob Jones")
    cli_json(
        "session", "log", "-c", "Ann Smith", "--minutes", "60", "--on", "2026-02-01",
        "--notes", "Talked about delegation.\n\nAnn wants to delegate the [/bold] rota.",
        "--private-notes", "Seemed tired.",
    )  # fmt: skip
    cli_json("goal", "add", "Delegate the rota", "-c", "Bob Jones", "--on", "2026-03-01")
    cli_json("action", "add", "Write a delegation plan", "-c", "Ann Smith")
    cli_json("reflect", "--text", "My own delegation habits", "--on", "2026-04-01")
    return cli_json


def _kinds(hits):
    return sorted((h["kind"], h["id"]) for h in hits)


def test_finds_every_kind_with_a_marked_snippet(journal):
    hits = journal("search", "delegation")
    assert _kinds(hits) == [("action", 1), ("reflection", 1), ("session", 1)]
    for hit in hits:
        assert set(hit) == {"kind", "id", "date", "client", "snippet"}
        assert "«delegation»" in hit["snippet"]
    session = next(h for h in hits if h["kind"] == "session")
    assert session["client"] == "Ann Smith"
    assert session["date"] == "2026-02-01"
    # Line breaks in notes become spaces; markup-like text is kept as typed.
    assert "\n" not in session["snippet"]
    assert "[/bold]" in session["snippet"]
    reflection = next(h for h in hits if h["kind"] == "reflection")
    assert reflection["client"] is None


def test_every_word_must_match_and_a_star_matches_a_prefix(journal):
    assert _kinds(journal("search", "delegate rota")) == [("goal", 1), ("session", 1)]
    # Words may also come as separate arguments, unquoted.
    assert _kinds(journal("search", "delegate", "rota")) == [("goal", 1), ("session", 1)]
    assert _kinds(journal("search", "deleg*")) == [
        ("action", 1),
        ("goal", 1),
        ("reflection", 1),
        ("session", 1),
    ]
    assert journal("search", "deleg") == []
    # Case and accents do not matter.
    assert _kinds(journal("search", "DÉLÉGATION")) == _kinds(journal("search", "delegation"))


def test_private_notes_are_searchable(journal):
    assert _kinds(journal("search", "tired")) == [("session", 1)]


def test_client_since_and_limit_filter(journal, cli):
    assert _kinds(journal("search", "deleg*", "--client", "Bob Jones")) == [("goal", 1)]
    assert _kinds(journal("search", "deleg*", "-c", "1")) == [("action", 1), ("session", 1)]
    since = journal("search", "deleg*", "--since", "2026-03-01")
    assert all(h["date"] >= "2026-03-01" for h in since)
    assert ("session", 1) not in _kinds(since)
    assert len(journal("search", "deleg*", "--limit", "2")) == 2


def test_limit_0_finds_every_hit_like_the_lists(cli, cli_json):
    # Issue 14: search takes --limit 0 for all hits, as session list does.
    for n in range(23):
        cli_json("reflect", "--text", f"Quokka moment number {n}")
    assert len(cli_json("search", "quokka")) == 20
    assert len(cli_json("search", "quokka", "--limit", "0")) == 23
    table = cli("search", "quokka")
    assert "Showing the 20 best; --limit 0 shows them all." in table.stderr
    assert "--limit" not in cli("search", "quokka", "-n", "23").stderr


def test_best_match_first(cli_json):
    cli_json("reflect", "--text", "rota " + "other words here " * 20, "--on", "2026-05-01")
    cli_json("reflect", "--text", "rota rota rota", "--on", "2026-01-01")
    hits = cli_json("search", "rota")
    assert [h["id"] for h in hits] == [2, 1]


def test_index_follows_edits_and_deletes(journal):
    journal("session", "edit", "1", "--notes", "Now about boundaries.")
    assert ("session", 1) not in _kinds(journal("search", "delegation"))
    assert _kinds(journal("search", "boundaries")) == [("session", 1)]
    journal("session", "delete", "1", "--yes")
    assert journal("search", "boundaries") == []


def test_human_output_shows_hits_and_text_verbatim(journal, cli):
    result = cli("search", "rota")
    assert result.exit_code == 0
    assert "[/bold]" in result.stdout
    assert "Ann Smith" in result.stdout
    empty = cli("search", "zebra")
    assert empty.exit_code == 0
    assert empty.stdout == ""
    assert "Nothing found" in empty.stderr
    assert "try fewer words,\nor end one with * to match its start" in empty.stderr


def test_matched_words_are_highlighted_in_the_terminal():
    from coachlog.core.search import _unmark
    from coachlog.render.cards import MATCH_STYLE, highlighted

    text, spans = _unmark("Talked  about \x02delegation\x03 [/bold]\n and \x02rota\x03")
    assert text == "Talked about delegation [/bold] and rota"
    rendered = highlighted(text, spans)
    assert [text[s.start : s.end] for s in rendered.spans if s.style == MATCH_STYLE] == [
        "delegation",
        "rota",
    ]


AWKWARD = [
    '"',
    '""',
    "AND",
    "OR NOT",
    "a:b",
    "body:rota",
    "(",
    ")",
    "NEAR(rota",
    "*",
    "rota*  *",
    "^rota",
    "rota + delegation",
    "'",
    '"rota',
    "{kind}: x",
    "-",
    "\\",
    "🙂",
    "rota)",
]


def test_any_query_is_safe(journal, cli):
    # One journal for all of them: setting one up costs more than the searches.
    for query in AWKWARD:
        result = cli("search", "--json", "--", query)
        assert result.exit_code == 0, (query, result.stderr)
        assert isinstance(json.loads(result.stdout), list), query


def test_fts_syntax_words_are_just_words(journal):
    journal("reflect", "--text", "Tea AND biscuits NEAR the door: a:b")
    assert _kinds(journal("search", "AND")) == [("reflection", 2)]
    assert _kinds(journal("search", "NEAR door:")) == [("reflection", 2)]
    assert _kinds(journal("search", "a:b")) == [("reflection", 2)]
    assert _kinds(journal("search", '"rota"')) == [("goal", 1), ("session", 1)]


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(query=st.text(min_size=1, max_size=30).filter(lambda q: q.strip() and "\x00" not in q))
def test_no_query_escapes_as_an_error(cli, query):
    result = cli("search", "--json", "--", query)
    assert result.exit_code == 0, (query, result.stderr)
    assert isinstance(json.loads(result.stdout), list)


@pytest.mark.parametrize(
    "args, code",
    [
        (["search", ""], 2),
        (["search", "   "], 2),
        (["search"], 2),
        (["search", "x", "--limit", "-1"], 2),
        (["search", "x", "--since", "2026-02-30"], 2),
        (["search", "x", "--client", "Nobody"], 1),
    ],
)
def test_bad_search_input(cli, args, code):
    result = cli(*args)
    assert result.exit_code == code
    assert result.stderr.startswith("Error: ")
    assert "Traceback" not in result.stderr
    assert result.stdout == ""


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    entries=st.lists(
        st.tuples(
            st.sampled_from(["otter", "otter otter", "otter and a long tail of words", "other"]),
            st.integers(min_value=1, max_value=28),
        ),
        min_size=8,
        max_size=30,
    ),
    limit=st.integers(min_value=0, max_value=10),
)
def test_an_unfiltered_search_lists_the_same_hits_as_a_filtered_one(
    cli, cli_json, journal_path, entries, limit
):
    # With no --client or --since, search ranks every match from the index first
    # and reads dates and snippets only for the best `limit` and their ties. It
    # must list exactly what the plain ordered query lists (`--since` long ago
    # matches everything and takes that query): equal ranks broken by newest first,
    # at every page size, with many ties.
    from conftest import connect

    conn = connect(journal_path)
    conn.execute("DELETE FROM reflections")
    conn.commit()
    conn.close()
    for text, day in entries:
        cli_json("reflect", "--text", text, "--on", f"2026-02-{day:02d}")
    fast = cli_json("search", "otter", "--limit", str(limit))
    ordered = cli_json("search", "otter", "--since", "1900-01-01", "--limit", str(limit))
    assert fast == ordered
    matching = sum(1 for text, _ in entries if "otter" in text)
    assert len(fast) == (matching if limit == 0 else min(limit, matching))


def test_every_page_size_lists_the_best_hits_with_ties_broken_newest_first(cli_json):
    # The same rule as above, at every page size over one journal full of ties:
    # four texts, so four ranks, each shared by several entries on different days.
    texts = ["otter", "otter otter", "otter and a long tail of words", "an otter, an otter"]
    for n in range(24):
        cli_json("reflect", "--text", texts[n % 4], "--on", f"2026-03-{n + 1:02d}")
    everything = cli_json("search", "otter", "--limit", "0")
    assert len(everything) == 24
    assert everything == cli_json("search", "otter", "--since", "1900-01-01", "--limit", "0")
    for limit in range(1, 26):
        assert cli_json("search", "otter", "--limit", str(limit)) == everything[:limit], limit
