"""The journal's schema, as an append-only list of migrations.

Each migration is a function named `mNNN_what` registered with sqlite-utils'
`Migrations`; a database records the ones it has had in `_sqlite_migrations`, and
`PRAGMA user_version` holds their count so opening an up-to-date journal costs one
pragma read. Never edit a migration that has shipped: add the next one, and a
fixture database for the old version in tests/fixtures so the upgrade is tested.

Tables are STRICT, dates are ISO text (`YYYY-MM-DD`), booleans are 0/1 integers,
and every record about a client hangs off `clients` with ON DELETE CASCADE, so
erasing a person is one DELETE that foreign keys carry everywhere.
The full-text index `search_index` is kept in step by triggers, so no code path
can write a note and forget to index it.
"""

from __future__ import annotations

import re
from typing import Any

from sqlite_utils.migrations import Migrations

from coachlog.store.schema import SCHEMA_VERSION, SEARCH_KINDS

migrations = Migrations("coachlog")


def _run(db: Any, statements: list[str]) -> None:
    # Not executescript(): it would COMMIT the migration's transaction half way.
    for statement in statements:
        db.execute(statement)


def _search_triggers(table: str, kind: str, client: str, date: str, body: str) -> list[str]:
    code = SEARCH_KINDS[kind]

    def values(row: str) -> str:
        return (
            f"{row}.id * 4 + {code}, '{kind}', {row}.id, "
            + client.replace("ROW", row)
            + ", "
            + date.replace("ROW", row)
            + ", "
            + body.replace("ROW", row)
        )

    insert = "INSERT INTO search_index(rowid, kind, entry_id, client_id, on_date, body) VALUES"
    return [
        f"""CREATE TRIGGER {table}_search_insert AFTER INSERT ON {table} BEGIN
              {insert} ({values("new")});
            END""",
        f"""CREATE TRIGGER {table}_search_update AFTER UPDATE ON {table} BEGIN
              DELETE FROM search_index WHERE rowid = old.id * 4 + {code};
              {insert} ({values("new")});
            END""",
        f"""CREATE TRIGGER {table}_search_delete AFTER DELETE ON {table} BEGIN
              DELETE FROM search_index WHERE rowid = old.id * 4 + {code};
            END""",
    ]


def _link_table(owner: str, column: str, value: str) -> list[str]:
    """A many-to-many label table (themes, cards, tags) that dies with its owner."""
    table = f"{owner}_{value}s"
    return [
        f"""CREATE TABLE {table} (
              {column} INTEGER NOT NULL REFERENCES {owner}s(id) ON DELETE CASCADE,
              {value} TEXT NOT NULL,
              PRIMARY KEY ({column}, {value})
            ) STRICT, WITHOUT ROWID""",
        f"CREATE INDEX {table}_by_{value} ON {table}({value}, {column})",
    ]


@migrations()
def m001_initial(db: Any) -> None:
    _run(
        db,
        [
            """CREATE TABLE clients (
                 id INTEGER PRIMARY KEY,
                 uid TEXT NOT NULL UNIQUE,
                 name TEXT NOT NULL UNIQUE COLLATE NOCASE,
                 relationship TEXT NOT NULL,
                 organisation TEXT,
                 email TEXT,
                 named_consent INTEGER NOT NULL DEFAULT 0 CHECK (named_consent IN (0, 1)),
                 archived INTEGER NOT NULL DEFAULT 0 CHECK (archived IN (0, 1)),
                 created_on TEXT NOT NULL
               ) STRICT""",
            """CREATE TABLE sessions (
                 id INTEGER PRIMARY KEY,
                 uid TEXT NOT NULL UNIQUE,
                 client_id INTEGER NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
                 on_date TEXT NOT NULL,
                 at_time TEXT,
                 minutes INTEGER NOT NULL CHECK (minutes BETWEEN 1 AND 1440),
                 mode TEXT NOT NULL,
                 format TEXT NOT NULL,
                 model TEXT,
                 notes TEXT,
                 private_notes TEXT,
                 pro_bono INTEGER NOT NULL DEFAULT 0 CHECK (pro_bono IN (0, 1)),
                 created_at TEXT NOT NULL,
                 updated_at TEXT NOT NULL
               ) STRICT""",
            "CREATE INDEX sessions_by_date ON sessions(on_date, id)",
            "CREATE INDEX sessions_by_client ON sessions(client_id, on_date, id)",
            *_link_table("session", "session_id", "theme"),
            *_link_table("session", "session_id", "card"),
            *_link_table("session", "session_id", "tag"),
            """CREATE TABLE goals (
                 id INTEGER PRIMARY KEY,
                 uid TEXT NOT NULL UNIQUE,
                 client_id INTEGER REFERENCES clients(id) ON DELETE CASCADE,
                 title TEXT NOT NULL,
                 due TEXT,
                 status TEXT NOT NULL DEFAULT 'open'
                   CHECK (status IN ('open', 'done', 'dropped')),
                 created_on TEXT NOT NULL,
                 closed_on TEXT
               ) STRICT""",
            "CREATE INDEX goals_by_client ON goals(client_id, status)",
            "CREATE INDEX goals_by_due ON goals(status, due)",
            *_link_table("goal", "goal_id", "theme"),
            *_link_table("goal", "goal_id", "tag"),
            """CREATE TABLE goal_scores (
                 id INTEGER PRIMARY KEY,
                 uid TEXT NOT NULL UNIQUE,
                 goal_id INTEGER NOT NULL REFERENCES goals(id) ON DELETE CASCADE,
                 score INTEGER NOT NULL CHECK (score BETWEEN 0 AND 10),
                 on_date TEXT NOT NULL,
                 note TEXT
               ) STRICT""",
            "CREATE INDEX goal_scores_by_goal ON goal_scores(goal_id, on_date, id)",
            "CREATE INDEX goal_scores_by_date ON goal_scores(on_date)",
            """CREATE TABLE actions (
                 id INTEGER PRIMARY KEY,
                 uid TEXT NOT NULL UNIQUE,
                 client_id INTEGER REFERENCES clients(id) ON DELETE CASCADE,
                 session_id INTEGER REFERENCES sessions(id) ON DELETE CASCADE,
                 text TEXT NOT NULL,
                 due TEXT,
                 done_on TEXT,
                 created_on TEXT NOT NULL
               ) STRICT""",
            "CREATE INDEX actions_by_client ON actions(client_id, done_on, due)",
            "CREATE INDEX actions_open ON actions(done_on, due)",
            "CREATE INDEX actions_by_session ON actions(session_id)",
            """CREATE TABLE reflections (
                 id INTEGER PRIMARY KEY,
                 uid TEXT NOT NULL UNIQUE,
                 client_id INTEGER REFERENCES clients(id) ON DELETE CASCADE,
                 goal_id INTEGER REFERENCES goals(id) ON DELETE SET NULL,
                 session_id INTEGER REFERENCES sessions(id) ON DELETE SET NULL,
                 on_date TEXT NOT NULL,
                 at_time TEXT,
                 title TEXT,
                 text TEXT NOT NULL,
                 card TEXT,
                 deck TEXT,
                 perspective TEXT,
                 question TEXT,
                 starred INTEGER NOT NULL DEFAULT 0 CHECK (starred IN (0, 1)),
                 created_at TEXT NOT NULL
               ) STRICT""",
            "CREATE INDEX reflections_by_date ON reflections(on_date, id)",
            "CREATE INDEX reflections_by_client ON reflections(client_id, on_date, id)",
            "CREATE INDEX reflections_by_card ON reflections(card, on_date)",
            "CREATE INDEX reflections_by_goal ON reflections(goal_id)",
            "CREATE INDEX reflections_by_session ON reflections(session_id)",
            *_link_table("reflection", "reflection_id", "theme"),
            *_link_table("reflection", "reflection_id", "tag"),
            """CREATE TABLE supervision (
                 id INTEGER PRIMARY KEY,
                 uid TEXT NOT NULL UNIQUE,
                 on_date TEXT NOT NULL,
                 minutes INTEGER NOT NULL CHECK (minutes BETWEEN 1 AND 1440),
                 supervisor TEXT,
                 format TEXT NOT NULL,
                 notes TEXT
               ) STRICT""",
            "CREATE INDEX supervision_by_date ON supervision(on_date)",
            """CREATE TABLE decks (
                 name TEXT PRIMARY KEY,
                 title TEXT NOT NULL,
                 data TEXT NOT NULL,
                 imported_on TEXT NOT NULL
               ) STRICT""",
            """CREATE VIRTUAL TABLE search_index USING fts5(
                 kind UNINDEXED, entry_id UNINDEXED, client_id UNINDEXED, on_date UNINDEXED,
                 body, tokenize = 'unicode61 remove_diacritics 2'
               )""",
            *_search_triggers(
                "sessions",
                "session",
                "ROW.client_id",
                "ROW.on_date",
                "coalesce(ROW.notes, '') || char(10) || coalesce(ROW.private_notes, '')",
            ),
            *_search_triggers(
                "reflections",
                "reflection",
                "ROW.client_id",
                "ROW.on_date",
                "coalesce(ROW.title, '') || char(10) || ROW.text",
            ),
            *_search_triggers("goals", "goal", "ROW.client_id", "ROW.created_on", "ROW.title"),
            *_search_triggers("actions", "action", "ROW.client_id", "ROW.created_on", "ROW.text"),
        ],
    )


def _pseudonym_sql(n: str) -> str:
    """SQL for 'Client A', 'Client B', ... 'Client Z', 'Client AA', ... from the number `n`.

    Bijective base 26 (like spreadsheet columns) up to three letters (18,278 clients);
    beyond that the number itself, so a pseudonym is never empty or repeated.
    """
    m = f"(({n}) - 703)"
    return f"""'Client ' || CASE
        WHEN ({n}) <= 26 THEN char(64 + ({n}))
        WHEN ({n}) <= 702 THEN char(64 + (({n}) - 1) / 26) || char(65 + (({n}) - 1) % 26)
        WHEN ({n}) <= 18278 THEN char(65 + {m} / 676) || char(65 + ({m} / 26) % 26)
                                 || char(65 + {m} % 26)
        ELSE CAST(({n}) AS TEXT) END"""


@migrations()
def m002_pseudonyms(db: Any) -> None:
    """A stable pseudonym per client ("Client A") for anonymised exports.

    Assigned once, in the order clients were added, from a counter that never goes
    back: erasing a client never hands their letter to someone else, so "Client C"
    in last year's supervision pack and in this year's is the same person. The
    trigger fills it in for every new client whatever code inserts the row; an
    import that brings its own pseudonym keeps it (store/backup.py moves the
    counter past it).
    """
    _run(
        db,
        [
            "ALTER TABLE clients ADD COLUMN pseudonym TEXT",
            """CREATE TABLE counters (
                 name TEXT PRIMARY KEY,
                 value INTEGER NOT NULL
               ) STRICT""",
            "UPDATE clients SET pseudonym = "
            + _pseudonym_sql("(SELECT count(*) FROM clients AS c2 WHERE c2.id <= clients.id)"),
            "INSERT INTO counters (name, value) "
            "VALUES ('pseudonym', (SELECT count(*) FROM clients))",
            "CREATE UNIQUE INDEX clients_by_pseudonym ON clients(pseudonym)",
            f"""CREATE TRIGGER clients_pseudonym AFTER INSERT ON clients
                 WHEN new.pseudonym IS NULL BEGIN
                   UPDATE counters SET value = value + 1 WHERE name = 'pseudonym';
                   UPDATE clients SET pseudonym = (
                     SELECT {_pseudonym_sql("value")} FROM counters WHERE name = 'pseudonym'
                   ) WHERE id = new.id;
                 END""",
        ],
    )


@migrations()
def m003_card_usage_index(db: Any) -> None:
    """Count card uses per deck from an index alone.

    Card usage (`cards draw`, `prep`'s suggestion, `progress`' coverage) counts
    reflections by card for one deck; with only (card, on_date) indexed, SQLite
    read every reflection row to check its deck (280 ms at 100k reflections,
    against 9 ms from a covering index).
    """
    _run(db, ["CREATE INDEX reflections_by_card_deck ON reflections(card, deck, on_date)"])


# The tables whose rows are records a person or a script can name by id.
RECORD_TABLES = (
    "clients",
    "sessions",
    "goals",
    "goal_scores",
    "actions",
    "reflections",
    "supervision",
)


def _with_autoincrement(sql: str, table: str) -> str:
    """`table`'s own CREATE TABLE, renamed `<table>_new`, with its id key AUTOINCREMENT."""
    head = re.compile(rf'^\s*CREATE\s+TABLE\s+"?{table}"?\s*\(', re.IGNORECASE)
    key = re.compile(r"\bid\s+INTEGER\s+PRIMARY\s+KEY\b", re.IGNORECASE)
    if not head.match(sql) or len(key.findall(sql)) != 1 or "AUTOINCREMENT" in sql.upper():
        # A schema this migration was not written for: stop rather than guess.
        raise RuntimeError(f"m004: unexpected CREATE TABLE for {table}")
    sql = head.sub(f'CREATE TABLE "{table}_new" (', sql, count=1)
    return key.sub("id INTEGER PRIMARY KEY AUTOINCREMENT", sql, count=1)


@migrations()
def m004_never_reuse_ids(db: Any) -> None:
    """Ids are never handed out twice, even after the newest records are deleted.

    Without AUTOINCREMENT SQLite gives a new row max(id) + 1, so erasing client 5
    (the newest) and adding someone made the new person client 5: a script or a
    note that said "client 5" then reached a different person. With AUTOINCREMENT
    the highest id ever used is kept in `sqlite_sequence` and never handed out again.

    SQLite cannot add AUTOINCREMENT to a table, so each record table is rebuilt by
    the documented procedure (https://www.sqlite.org/lang_altertable.html#otheralter):
    its own CREATE TABLE with AUTOINCREMENT added (every constraint and STRICT kept),
    rows copied with their ids, old table dropped, new one renamed, and its indexes
    and triggers (search index, pseudonyms) re-created from their saved SQL. The
    search index is not touched, so its rowids (id * 4 + kind) stay right.

    Foreign keys must be off (store/db.py `_migrate` turns them off and checks them
    before committing): with them on, dropping `clients` would delete every
    session, goal and reflection through ON DELETE CASCADE.

    Ids deleted before this upgrade left no trace, so each sequence starts at the
    table's highest id. Clients, the records that name people, get a best-effort
    safeguard: their sequence starts at least at the pseudonym counter (m002),
    which counts every client ever added, so in the usual journal (clients added
    one by one, ids 1, 2, 3, ...) a client erased before the upgrade still keeps
    their id to themselves. It can only make new ids skip, never repeat.
    """
    conn = db.conn
    if conn.execute("PRAGMA foreign_keys").fetchone()[0]:
        rows = sum(conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in RECORD_TABLES)
        if rows:
            raise RuntimeError("m004 needs foreign keys off: dropping tables would cascade")
    for table in RECORD_TABLES:
        (sql,) = conn.execute(
            "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", (table,)
        ).fetchone()
        # Indexes before triggers, each in the order they were made. Indexes with
        # no SQL are UNIQUE constraints' own, which the CREATE TABLE re-creates.
        saved = [
            s
            for (s,) in conn.execute(
                "SELECT sql FROM sqlite_master WHERE tbl_name = ? AND sql IS NOT NULL "
                "AND type IN ('index', 'trigger') ORDER BY type = 'trigger', rowid",
                (table,),
            )
        ]
        _run(
            db,
            [
                _with_autoincrement(sql, table),
                f'INSERT INTO "{table}_new" SELECT * FROM "{table}"',
                f'DROP TABLE "{table}"',
                f'ALTER TABLE "{table}_new" RENAME TO "{table}"',
                *saved,
            ],
        )
    counted = conn.execute("SELECT value FROM counters WHERE name = 'pseudonym'").fetchone()
    used = conn.execute("SELECT seq FROM sqlite_sequence WHERE name = 'clients'").fetchone()
    if counted and counted[0] > (used[0] if used else 0):
        if used:
            conn.execute("UPDATE sqlite_sequence SET seq = ? WHERE name = 'clients'", counted)
        else:
            conn.execute("INSERT INTO sqlite_sequence (name, seq) VALUES ('clients', ?)", counted)


@migrations()
def m005_aliases_redactions(db: Any) -> None:
    """Other spellings of clients, people to redact, and supervision notes in search.

    `client_aliases` holds the other names a client goes by ("Zo"), which the
    anonymiser and erasure treat like the name itself; they go with the client
    (ON DELETE CASCADE). `redactions` lists people who are not clients but must
    not be named in an export ("Dr Patel"). Supervision notes join the search
    index under rowids -id (the id * 4 + kind scheme has no room left), so
    every free text the journal holds can be found and edited.
    """
    insert = "INSERT INTO search_index(rowid, kind, entry_id, client_id, on_date, body) VALUES"
    body = "coalesce({r}.supervisor, '') || char(10) || coalesce({r}.notes, '')"
    _run(
        db,
        [
            """CREATE TABLE client_aliases (
                 id INTEGER PRIMARY KEY AUTOINCREMENT,
                 client_id INTEGER NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
                 alias TEXT NOT NULL,
                 UNIQUE (client_id, alias)
               ) STRICT""",
            """CREATE TABLE redactions (
                 id INTEGER PRIMARY KEY AUTOINCREMENT,
                 name TEXT NOT NULL UNIQUE COLLATE NOCASE,
                 added_on TEXT NOT NULL
               ) STRICT""",
            f"""CREATE TRIGGER supervision_search_insert AFTER INSERT ON supervision BEGIN
                  {insert} (-new.id, 'supervision', new.id, NULL, new.on_date,
                            {body.format(r="new")});
                END""",
            f"""CREATE TRIGGER supervision_search_update AFTER UPDATE ON supervision BEGIN
                  DELETE FROM search_index WHERE rowid = -old.id;
                  {insert} (-new.id, 'supervision', new.id, NULL, new.on_date,
                            {body.format(r="new")});
                END""",
            """CREATE TRIGGER supervision_search_delete AFTER DELETE ON supervision BEGIN
                  DELETE FROM search_index WHERE rowid = -old.id;
                END""",
            f"""{insert.replace(" VALUES", "")}
                SELECT -id, 'supervision', id, NULL, on_date, {body.format(r="supervision")}
                  FROM supervision""",
        ],
    )


@migrations()
def m008_engagements_outcomes(db: Any) -> None:
    """Coaching engagements (six sessions contracted, a sponsor) and outcome check-ins.

    An engagement is a client's (or, with no client, the owner's own) contract of
    coaching from `started_on` to `ended_on`; at most one per person is open at a
    time (the partial unique index). Sessions are not linked to it by a column:
    a session with the client dated inside the engagement counts against it, so
    editing or deleting a session renumbers the rest with no bookkeeping.
    An outcome is the coachee's 0-10 self-rating on the six IES themes at one
    stage (before, end, follow-up) of one engagement; one per stage. Both die
    with their client, and outcomes with their engagement.
    """
    _run(
        db,
        [
            """CREATE TABLE engagements (
                 id INTEGER PRIMARY KEY AUTOINCREMENT,
                 uid TEXT NOT NULL UNIQUE,
                 client_id INTEGER REFERENCES clients(id) ON DELETE CASCADE,
                 started_on TEXT NOT NULL,
                 ended_on TEXT CHECK (ended_on IS NULL OR ended_on >= started_on),
                 sessions_contracted INTEGER
                   CHECK (sessions_contracted IS NULL OR sessions_contracted BETWEEN 1 AND 1000),
                 sponsor TEXT,
                 created_at TEXT NOT NULL
               ) STRICT""",
            "CREATE INDEX engagements_by_client ON engagements(client_id, started_on)",
            "CREATE UNIQUE INDEX engagements_one_open ON engagements(coalesce(client_id, 0)) "
            "WHERE ended_on IS NULL",
            """CREATE TABLE outcomes (
                 id INTEGER PRIMARY KEY AUTOINCREMENT,
                 uid TEXT NOT NULL UNIQUE,
                 engagement_id INTEGER NOT NULL REFERENCES engagements(id) ON DELETE CASCADE,
                 stage TEXT NOT NULL CHECK (stage IN ('before', 'end', 'follow-up')),
                 on_date TEXT NOT NULL,
                 strategic INTEGER CHECK (strategic BETWEEN 0 AND 10),
                 prioritisation INTEGER CHECK (prioritisation BETWEEN 0 AND 10),
                 confidence INTEGER CHECK (confidence BETWEEN 0 AND 10),
                 influence INTEGER CHECK (influence BETWEEN 0 AND 10),
                 team INTEGER CHECK (team BETWEEN 0 AND 10),
                 self_presentation INTEGER CHECK (self_presentation BETWEEN 0 AND 10),
                 created_at TEXT NOT NULL
               ) STRICT""",
            "CREATE UNIQUE INDEX outcomes_one_per_stage ON outcomes(engagement_id, stage)",
        ],
    )


@migrations()
def m010_profile(db: Any) -> None:
    """Behaviour profiles: a person's 0-10 self-assessment on every card of a deck.

    An assessment is one sitting: whose it is (a client, or NULL for the journal's
    owner), which deck was rated and on what day; `assessment_scores` holds one
    0-10 score per card of that deck (by card key, in the deck's order as rated).
    Both die with their client, and scores with their assessment.
    `card_draws` remembers the card `cards draw` showed last for each deck, so the
    next draw never shows it again straight away; it is a convenience, not a
    record, and backups leave it out.
    """
    _run(
        db,
        [
            """CREATE TABLE assessments (
                 id INTEGER PRIMARY KEY AUTOINCREMENT,
                 uid TEXT NOT NULL UNIQUE,
                 client_id INTEGER REFERENCES clients(id) ON DELETE CASCADE,
                 deck TEXT NOT NULL,
                 on_date TEXT NOT NULL,
                 created_at TEXT NOT NULL
               ) STRICT""",
            "CREATE INDEX assessments_by_person ON assessments(client_id, deck, on_date, id)",
            """CREATE TABLE assessment_scores (
                 assessment_id INTEGER NOT NULL REFERENCES assessments(id) ON DELETE CASCADE,
                 card TEXT NOT NULL,
                 score INTEGER NOT NULL CHECK (score BETWEEN 0 AND 10),
                 PRIMARY KEY (assessment_id, card)
               ) STRICT""",
            """CREATE TABLE card_draws (
                 deck TEXT PRIMARY KEY,
                 card TEXT NOT NULL
               ) STRICT""",
        ],
    )


@migrations()
def m009_share(db: Any) -> None:
    """Share packs between a coach and a coachee (docs/share-pack.md), and private reflections.

    `share_keys` holds this journal's one sharing key pair (made on first use; the
    secret half never leaves the journal). `share_links` are the partners whose
    packs are accepted: a client (dies with the client, so `client erase` takes the
    key too) or, in a coachee's journal, a coach by name. `share_sent` remembers
    what went in a pack to whom and a digest of it, so the next pack carries only
    what is new or changed; `share_received` remembers where a received record
    came from (by uid), so a later pack updates it and it is never sent back as
    this journal's own; `share_packs` lists the packs received, so the same pack
    twice adds nothing. `shared_sessions` is a coachee's list of sessions with
    their coach. `reflections.private` keeps a reflection out of every pack.
    """
    _run(
        db,
        [
            "ALTER TABLE reflections ADD COLUMN private INTEGER NOT NULL DEFAULT 0 "
            "CHECK (private IN (0, 1))",
            """CREATE TABLE share_keys (
                 id INTEGER PRIMARY KEY CHECK (id = 1),
                 public_key TEXT NOT NULL,
                 secret_key TEXT NOT NULL,
                 created_at TEXT NOT NULL
               ) STRICT""",
            """CREATE TABLE share_links (
                 id INTEGER PRIMARY KEY AUTOINCREMENT,
                 role TEXT NOT NULL CHECK (role IN ('client', 'coach')),
                 client_id INTEGER UNIQUE REFERENCES clients(id) ON DELETE CASCADE,
                 name TEXT UNIQUE COLLATE NOCASE,
                 public_key TEXT NOT NULL UNIQUE,
                 linked_at TEXT NOT NULL,
                 packs_sent INTEGER NOT NULL DEFAULT 0,
                 last_sent_at TEXT,
                 last_received_at TEXT,
                 CHECK ((role = 'client') = (client_id IS NOT NULL)),
                 CHECK ((role = 'coach') = (name IS NOT NULL))
               ) STRICT""",
            """CREATE TABLE share_sent (
                 link_id INTEGER NOT NULL REFERENCES share_links(id) ON DELETE CASCADE,
                 kind TEXT NOT NULL,
                 uid TEXT NOT NULL,
                 digest TEXT NOT NULL,
                 PRIMARY KEY (link_id, kind, uid)
               ) STRICT, WITHOUT ROWID""",
            """CREATE TABLE share_received (
                 kind TEXT NOT NULL,
                 uid TEXT NOT NULL,
                 link_id INTEGER REFERENCES share_links(id) ON DELETE SET NULL,
                 client_id INTEGER REFERENCES clients(id) ON DELETE CASCADE,
                 seq INTEGER NOT NULL,
                 received_at TEXT NOT NULL,
                 PRIMARY KEY (kind, uid)
               ) STRICT, WITHOUT ROWID""",
            "CREATE INDEX share_received_by_link ON share_received(link_id, kind)",
            """CREATE TABLE share_packs (
                 uid TEXT PRIMARY KEY,
                 link_id INTEGER REFERENCES share_links(id) ON DELETE CASCADE,
                 seq INTEGER NOT NULL,
                 received_at TEXT NOT NULL
               ) STRICT, WITHOUT ROWID""",
            """CREATE TABLE shared_sessions (
                 id INTEGER PRIMARY KEY AUTOINCREMENT,
                 uid TEXT NOT NULL UNIQUE,
                 link_id INTEGER REFERENCES share_links(id) ON DELETE SET NULL,
                 coach TEXT NOT NULL,
                 on_date TEXT NOT NULL,
                 minutes INTEGER NOT NULL CHECK (minutes BETWEEN 1 AND 1440),
                 themes TEXT NOT NULL DEFAULT '[]',
                 cards TEXT NOT NULL DEFAULT '[]',
                 notes TEXT,
                 received_at TEXT NOT NULL
               ) STRICT""",
            "CREATE INDEX shared_sessions_by_date ON shared_sessions(on_date, id)",
        ],
    )


@migrations()
def m011_card_perspective_index(db: Any) -> None:
    """A covering index for the card counts the overview and the card draw make.

    "Which card and perspective has this person used, and when" read every row of
    `reflections` (100k reflections: 0.16 s plain, 0.7 s encrypted, where every page
    read is also decrypted); with this index it reads only the index (8 ms).
    """
    _run(
        db,
        [
            "CREATE INDEX reflections_by_card_perspective "
            "ON reflections(card, perspective, client_id, on_date)",
        ],
    )


@migrations()
def m012_session_minutes_index(db: Any) -> None:
    """A covering index for the overview's supervision balance.

    The EMCC ratio sums the minutes of every session, and of those since the last
    supervision. Both read the `sessions` table itself, every note with it (100k
    sessions: 60 ms plain, 190 ms encrypted, where each page read is decrypted);
    from this index, a few pages (9 ms and 10 ms).
    """
    _run(db, ["CREATE INDEX sessions_minutes_by_date ON sessions(on_date, minutes)"])


@migrations()
def m013_progress_summaries(db: Any) -> None:
    """Running aggregates for `progress` of the whole journal (store/summaries.py).

    With no client and no period, `progress` read every goal score in the journal
    for its baselines, latest scores and trend lines (100k sessions: 112k scores,
    about 0.7 s). Three small tables kept by triggers hold those answers, so it
    reads a few hundred rows instead. They hold ids, months, theme keys and scores
    only: no text, so nothing of an erased client stays in them.
    """
    from coachlog.store import summaries

    _run(
        db,
        [
            """CREATE TABLE summary_goal_ends (
                 goal_id INTEGER PRIMARY KEY,
                 first_score INTEGER NOT NULL,
                 last_score INTEGER NOT NULL
               ) STRICT""",
            """CREATE TABLE summary_goal_months (
                 goal_id INTEGER NOT NULL,
                 month TEXT NOT NULL,
                 score INTEGER NOT NULL,
                 PRIMARY KEY (goal_id, month)
               ) STRICT, WITHOUT ROWID""",
            """CREATE TABLE summary_theme_months (
                 theme TEXT NOT NULL,
                 month TEXT NOT NULL,
                 delta INTEGER NOT NULL,
                 added INTEGER NOT NULL,
                 goals INTEGER NOT NULL,
                 PRIMARY KEY (theme, month)
               ) STRICT, WITHOUT ROWID""",
        ],
    )
    summaries.rebuild(db.conn)
    _run(db, summaries.trigger_sql())


MIGRATION_NAMES = [m.name for m in migrations._migrations]
# A database at the newest migration has PRAGMA user_version = SCHEMA_VERSION.
assert len(MIGRATION_NAMES) == SCHEMA_VERSION, "bump store/schema.py SCHEMA_VERSION"
__all__ = ["MIGRATION_NAMES", "SCHEMA_VERSION", "SEARCH_KINDS", "migrations"]
