/* relay-store-schema.c: the database schema and its forward migrations.
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "relay-store"

#include "config.h"

#include "relay-store-private.h"

/* Each entry takes a database from user_version N to N + 1 and never changes once
 * released: a new need is a new entry. tests/fixtures/store-v1.sql is a database as
 * version 1 left it, which the migration tests upgrade.
 *
 * Times are microseconds since the epoch (g_get_real_time). In messages the small
 * columns come before content, so that reading usage or state does not walk a long
 * reply's overflow pages. */
static const char * const migrations[] = {
  /* 1: conversations and messages */
  "CREATE TABLE conversations ("
  "  id          INTEGER PRIMARY KEY,"
  "  created_at  INTEGER NOT NULL,"
  "  updated_at  INTEGER NOT NULL,"
  "  pinned      INTEGER NOT NULL DEFAULT 0,"
  "  deleted_at  INTEGER,"
  "  title       TEXT NOT NULL DEFAULT '',"
  "  model       TEXT,"
  "  settings    TEXT"
  ");"
  "CREATE INDEX conversations_listed ON conversations (pinned DESC, updated_at DESC)"
  "  WHERE deleted_at IS NULL;"
  "CREATE INDEX conversations_deleted ON conversations (deleted_at)"
  "  WHERE deleted_at IS NOT NULL;"
  "CREATE TABLE messages ("
  "  id                INTEGER PRIMARY KEY,"
  "  conversation_id   INTEGER NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,"
  "  parent_id         INTEGER,"
  "  active            INTEGER NOT NULL DEFAULT 1,"
  "  role              TEXT NOT NULL,"
  "  state             TEXT NOT NULL DEFAULT 'complete',"
  "  created_at        INTEGER NOT NULL,"
  "  first_token_usec  INTEGER NOT NULL DEFAULT -1,"
  "  duration_usec     INTEGER NOT NULL DEFAULT -1,"
  "  prompt_tokens     INTEGER NOT NULL DEFAULT -1,"
  "  completion_tokens INTEGER NOT NULL DEFAULT -1,"
  "  total_tokens      INTEGER NOT NULL DEFAULT -1,"
  "  compute_points    REAL NOT NULL DEFAULT -1,"
  "  cost              REAL NOT NULL DEFAULT -1,"
  "  finish_reason     TEXT,"
  "  model             TEXT,"
  "  routed_model      TEXT,"
  "  tool_call_id      TEXT,"
  "  error             TEXT,"
  "  content           TEXT NOT NULL DEFAULT '',"
  "  tool_calls        TEXT,"
  "  parts             TEXT"
  ");"
  "CREATE INDEX messages_by_conversation ON messages (conversation_id, id);"
  "CREATE INDEX messages_unfinished ON messages (state)"
  "  WHERE state IN ('pending', 'streaming');",

  /* 2: running totals per conversation, full-text search over titles and messages, and
   * a listing index that ends in the id, so that the sidebar can be read a page at a
   * time from where the last page ended */
  "DROP INDEX conversations_listed;"
  "CREATE INDEX conversations_by_order ON conversations (pinned DESC, updated_at DESC, id DESC)"
  "  WHERE deleted_at IS NULL;"
  "ALTER TABLE conversations ADD COLUMN prompt_tokens INTEGER NOT NULL DEFAULT 0;"
  "ALTER TABLE conversations ADD COLUMN completion_tokens INTEGER NOT NULL DEFAULT 0;"
  "ALTER TABLE conversations ADD COLUMN cost REAL NOT NULL DEFAULT -1;"
  "UPDATE conversations SET"
  "  prompt_tokens = (SELECT COALESCE (SUM (MAX (m.prompt_tokens, 0)), 0) FROM messages m"
  "                   WHERE m.conversation_id = conversations.id),"
  "  completion_tokens = (SELECT COALESCE (SUM (MAX (m.completion_tokens, 0)), 0) FROM messages m"
  "                       WHERE m.conversation_id = conversations.id),"
  "  cost = (SELECT COALESCE (SUM (m.cost), -1) FROM messages m"
  "          WHERE m.conversation_id = conversations.id AND m.cost >= 0);"
  "CREATE VIRTUAL TABLE messages_fts USING fts5 ("
  "  content, content = 'messages', content_rowid = 'id',"
  "  tokenize = 'unicode61 remove_diacritics 2');"
  "CREATE TRIGGER messages_fts_insert AFTER INSERT ON messages BEGIN"
  "  INSERT INTO messages_fts (rowid, content) VALUES (new.id, new.content);"
  "END;"
  "CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages BEGIN"
  "  INSERT INTO messages_fts (messages_fts, rowid, content) VALUES ('delete', old.id, old.content);"
  "END;"
  "CREATE TRIGGER messages_fts_update AFTER UPDATE OF content ON messages BEGIN"
  "  INSERT INTO messages_fts (messages_fts, rowid, content) VALUES ('delete', old.id, old.content);"
  "  INSERT INTO messages_fts (rowid, content) VALUES (new.id, new.content);"
  "END;"
  "INSERT INTO messages_fts (messages_fts) VALUES ('rebuild');"
  "CREATE VIRTUAL TABLE conversations_fts USING fts5 ("
  "  title, content = 'conversations', content_rowid = 'id',"
  "  tokenize = 'unicode61 remove_diacritics 2');"
  "CREATE TRIGGER conversations_fts_insert AFTER INSERT ON conversations BEGIN"
  "  INSERT INTO conversations_fts (rowid, title) VALUES (new.id, new.title);"
  "END;"
  "CREATE TRIGGER conversations_fts_delete AFTER DELETE ON conversations BEGIN"
  "  INSERT INTO conversations_fts (conversations_fts, rowid, title) VALUES ('delete', old.id, old.title);"
  "END;"
  "CREATE TRIGGER conversations_fts_update AFTER UPDATE OF title ON conversations BEGIN"
  "  INSERT INTO conversations_fts (conversations_fts, rowid, title) VALUES ('delete', old.id, old.title);"
  "  INSERT INTO conversations_fts (rowid, title) VALUES (new.id, new.title);"
  "END;"
  "INSERT INTO conversations_fts (conversations_fts) VALUES ('rebuild');",
};

G_STATIC_ASSERT (G_N_ELEMENTS (migrations) == RELAY_STORE_SCHEMA_VERSION);

const char *
_relay_store_get_migration (guint version)
{
  g_return_val_if_fail (version >= 1 && version <= G_N_ELEMENTS (migrations), NULL);

  return migrations[version - 1];
}

static gboolean
read_user_version (sqlite3  *db,
                   guint    *version,
                   GError  **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc;

  if (sqlite3_prepare_v2 (db, "PRAGMA user_version", -1, &stmt, NULL) != SQLITE_OK)
    return _relay_store_set_error (db, error);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    *version = (guint) MAX (sqlite3_column_int (stmt, 0), 0);
  sqlite3_finalize (stmt);
  if (rc != SQLITE_ROW)
    return _relay_store_set_error (db, error);
  return TRUE;
}

static gboolean
apply_migration (sqlite3  *db,
                 guint     to_version,
                 GError  **error)
{
  g_autofree char *set_version = g_strdup_printf ("PRAGMA user_version = %u", to_version);

  /* The migration and the version that records it commit together, so a crash in the
   * middle leaves the database as it was and the next start tries again. */
  if (sqlite3_exec (db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
    return _relay_store_set_error (db, error);
  if (sqlite3_exec (db, migrations[to_version - 1], NULL, NULL, NULL) != SQLITE_OK ||
      sqlite3_exec (db, set_version, NULL, NULL, NULL) != SQLITE_OK ||
      sqlite3_exec (db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
    {
      g_autoptr(GError) local_error = NULL;

      _relay_store_set_error (db, &local_error);
      sqlite3_exec (db, "ROLLBACK", NULL, NULL, NULL);
      g_set_error (error, RELAY_STORE_ERROR, RELAY_STORE_ERROR_FAILED,
                   "Could not upgrade the database to version %u: %s",
                   to_version, local_error->message);
      return FALSE;
    }
  g_debug ("Upgraded the database to version %u", to_version);
  return TRUE;
}

/**
 * _relay_store_migrate:
 * @version: (out): the schema version the database ends at
 *
 * Runs every migration the database has not had yet. A database from a newer Relay is
 * left untouched: its schema may mean things this version would get wrong.
 */
gboolean
_relay_store_migrate (sqlite3  *db,
                      guint    *version,
                      GError  **error)
{
  guint current = 0;

  if (!read_user_version (db, &current, error))
    return FALSE;
  if (current > G_N_ELEMENTS (migrations))
    {
      g_set_error (error, RELAY_STORE_ERROR, RELAY_STORE_ERROR_NEWER_SCHEMA,
                   "The history was saved by a newer version of Relay (schema %u; this "
                   "version knows up to %u)", current, (guint) G_N_ELEMENTS (migrations));
      return FALSE;
    }
  for (guint v = current + 1; v <= G_N_ELEMENTS (migrations); v++)
    if (!apply_migration (db, v, error))
      return FALSE;

  *version = G_N_ELEMENTS (migrations);
  return TRUE;
}
