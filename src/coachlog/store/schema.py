"""Facts about the schema that everyday commands need without loading the migrations.

Importing `store.migrations` pulls in sqlite-utils (about 50 ms); opening an
up-to-date journal only needs to compare `PRAGMA user_version` with
`SCHEMA_VERSION`, so the number lives here. `store.migrations` asserts on import
that it matches the migrations it holds, and tests import it, so the two cannot
drift apart unnoticed.
"""

from __future__ import annotations

# The number of migrations in store/migrations.py: bump it with every new one.
SCHEMA_VERSION = 11

# search_index rowids are id * 4 + kind, so each entry can be replaced or
# deleted by rowid (an indexed lookup) instead of scanning the index.
SEARCH_KINDS = {"session": 0, "reflection": 1, "goal": 2, "action": 3}
