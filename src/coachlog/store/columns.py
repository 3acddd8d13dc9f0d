"""The columns of every journal table, written down once for the code that copies whole rows.

Backups (store/backup.py) and bulk seeding (store/bulk.py) read and write every
column of a table by name, so they need the list of columns the schema has after
the newest migration. Both take it from `TABLES` rather than keeping copies that
drift when a migration adds a column; tests/test_columns.py compares `TABLES`
with the tables a new journal really gets, so such a migration fails the tests
until this file says what the column is.

The order within each table is the order rows travel in (the fields of a backup
record, the values of a bulk tuple), not necessarily the table's own: a client's
`pseudonym`, added last by m002, comes right after `name`. Changing an order
changes the backup format and every bulk caller, so add a new column at the end.
Left out: the search index and the progress summaries (store/summaries.py), both kept
by triggers, and sqlite-utils' own bookkeeping.
"""

from __future__ import annotations

# table -> its columns, after the newest migration (see store/migrations.py).
TABLES: dict[str, tuple[str, ...]] = {
    "clients": (
        "id",
        "uid",
        "name",
        "pseudonym",
        "relationship",
        "organisation",
        "email",
        "named_consent",
        "archived",
        "created_on",
    ),
    "sessions": (
        "id",
        "uid",
        "client_id",
        "on_date",
        "at_time",
        "minutes",
        "mode",
        "format",
        "model",
        "notes",
        "private_notes",
        "pro_bono",
        "created_at",
        "updated_at",
    ),
    "session_themes": ("session_id", "theme"),
    "session_cards": ("session_id", "card"),
    "session_tags": ("session_id", "tag"),
    "goals": ("id", "uid", "client_id", "title", "due", "status", "created_on", "closed_on"),
    "goal_themes": ("goal_id", "theme"),
    "goal_tags": ("goal_id", "tag"),
    "goal_scores": ("id", "uid", "goal_id", "score", "on_date", "note"),
    "actions": ("id", "uid", "client_id", "session_id", "text", "due", "done_on", "created_on"),
    "reflections": (
        "id",
        "uid",
        "client_id",
        "goal_id",
        "session_id",
        "on_date",
        "at_time",
        "title",
        "text",
        "card",
        "deck",
        "perspective",
        "question",
        "starred",
        "created_at",
        "private",
    ),
    "reflection_themes": ("reflection_id", "theme"),
    "reflection_tags": ("reflection_id", "tag"),
    "supervision": ("id", "uid", "on_date", "minutes", "supervisor", "format", "notes"),
    "decks": ("name", "title", "data", "imported_on"),
    "counters": ("name", "value"),
    "engagements": (
        "id",
        "uid",
        "client_id",
        "started_on",
        "ended_on",
        "sessions_contracted",
        "sponsor",
        "created_at",
    ),
    "outcomes": (
        "id",
        "uid",
        "engagement_id",
        "stage",
        "on_date",
        "strategic",
        "prioritisation",
        "confidence",
        "influence",
        "team",
        "self_presentation",
        "created_at",
    ),
    "assessments": ("id", "uid", "client_id", "deck", "on_date", "created_at"),
    "assessment_scores": ("assessment_id", "card", "score"),
    "card_draws": ("deck", "card"),
    "client_aliases": ("id", "client_id", "alias"),
    "redactions": ("id", "name", "added_on"),
    # Sharing (m009): a journal's key and partners belong to that journal and travel
    # in no backup (a restored journal makes a new key and links again).
    "share_keys": ("id", "public_key", "secret_key", "created_at"),
    "share_links": (
        "id",
        "role",
        "client_id",
        "name",
        "public_key",
        "linked_at",
        "packs_sent",
        "last_sent_at",
        "last_received_at",
    ),
    "share_sent": ("link_id", "kind", "uid", "digest"),
    "share_received": ("kind", "uid", "link_id", "client_id", "seq", "received_at"),
    "share_packs": ("uid", "link_id", "seq", "received_at"),
    "shared_sessions": (
        "id",
        "uid",
        "link_id",
        "coach",
        "on_date",
        "minutes",
        "themes",
        "cards",
        "notes",
        "received_at",
    ),
}
