"""store/columns.py names exactly the tables and columns a new journal gets.

Backups and bulk seeding copy whole rows by the column lists in store/columns.py.
A migration that adds, drops or renames a column, or adds a table, fails here
until columns.py is brought up to date, and so cannot leave a column out of
backups silently.
"""

from __future__ import annotations

from coachlog.store.columns import TABLES
from coachlog.store.schema import SCHEMA_VERSION

# Not rows that code copies: the search index and its FTS5 shadow tables and the
# progress summaries (all kept by triggers), sqlite-utils' record of migrations,
# SQLite's own (sqlite_sequence).
_NOT_LISTED = (
    "name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND name NOT LIKE 'search\\_index%' ESCAPE '\\' "
    "AND name NOT LIKE 'summary\\_%' ESCAPE '\\' AND name <> '_sqlite_migrations'"
)


def test_columns_match_the_tables_of_a_new_journal(cli_json, rows):
    cli_json("client", "add", "Ann Smith")  # the CLI creates the journal at the newest schema
    assert rows("PRAGMA user_version") == [{"user_version": SCHEMA_VERSION}]
    tables = [
        r["name"]
        for r in rows(f"SELECT name FROM sqlite_master WHERE type = 'table' AND {_NOT_LISTED}")
    ]
    real = {
        table: sorted(r["name"] for r in rows("SELECT name FROM pragma_table_info(?)", (table,)))
        for table in tables
    }
    # Compared as sets: the order in columns.py is the order rows travel in, which
    # need not be the table's own (a rebuilt table may put its columns differently).
    assert {table: sorted(columns) for table, columns in TABLES.items()} == real, (
        "store/columns.py is out of step with the schema: update it (and check what "
        "store/backup.py and store/bulk.py now copy)"
    )
