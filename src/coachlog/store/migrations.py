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


MIGRATION_NAMES = [m.name for m in migrations._migrations]
# A database at the newest migration has PRAGMA user_version = SCHEMA_VERSION.
assert len(MIGRATION_NAMES) == SCHEMA_VERSION, "bump store/schema.py SCHEMA_VERSION"
__all__ = ["MIGRATION_NAMES", "SCHEMA_VERSION", "SEARCH_KINDS", "migrations"]
