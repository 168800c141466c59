/* relay-store.c
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "relay-store"

#include "config.h"

#include "relay-conversation-private.h"
#include "relay-store-private.h"

/* Long queries are cut: no one types that much into a search field, and each word is a
 * term SQLite has to match. */
#define MAX_SEARCH_WORDS 16

/**
 * RelayStore:
 *
 * The history on disk: conversations and their messages in one SQLite database.
 *
 * relay_store_open_async() creates the database (and its directory) when it is missing,
 * upgrades an older schema, marks replies that were streaming when Relay last stopped as
 * interrupted, and only then hands the store back. Every operation after that is queued
 * to one worker thread that owns the database, runs in the order it was queued, and
 * reports back on the main context of the caller.
 *
 * Most callers do not use the message operations directly: #RelayConversation saves its
 * messages as they change.
 */
struct _RelayStore
{
  GObject           parent_instance;

  char             *path;
  RelayStoreWorker *worker;
  guint             schema_version;
  guint             n_recovered;
};

G_DEFINE_FINAL_TYPE (RelayStore, relay_store, G_TYPE_OBJECT)

G_DEFINE_QUARK (relay-store-error-quark, relay_store_error)

static void
relay_store_finalize (GObject *object)
{
  RelayStore *self = RELAY_STORE (object);

  /* Every queued job holds the store through its task, so by now the queue is empty
   * and stopping the worker does not wait on the disk. */
  g_clear_pointer (&self->worker, _relay_store_worker_stop);
  g_free (self->path);

  G_OBJECT_CLASS (relay_store_parent_class)->finalize (object);
}

static void
relay_store_class_init (RelayStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = relay_store_finalize;
}

static void
relay_store_init (RelayStore *self)
{
  self->worker = _relay_store_worker_new ();
}

RelayStoreWorker *
_relay_store_get_worker (RelayStore *self)
{
  return self->worker;
}

/* Row ids ----------------------------------------------------------------------- */

struct _RelayStoreRowId
{
  gint64 id;
};

static GQuark
row_id_quark (void)
{
  static GQuark quark;

  if (G_UNLIKELY (quark == 0))
    quark = g_quark_from_static_string ("relay-store-row-id");
  return quark;
}

RelayStoreRowId *
_relay_store_row_id_ref (RelayStoreRowId *row)
{
  return g_atomic_rc_box_acquire (row);
}

void
_relay_store_row_id_unref (RelayStoreRowId *row)
{
  g_atomic_rc_box_release (row);
}

gint64
_relay_store_row_id_get (RelayStoreRowId *row)
{
  return row->id;
}

void
_relay_store_row_id_set (RelayStoreRowId *row,
                         gint64           id)
{
  /* Written once by the worker; read later by the worker, or by the main thread after
   * the job's completion was dispatched there (through a locked queue, which orders the
   * accesses). */
  row->id = id;
}

/**
 * _relay_store_row_id_lookup:
 * @object: a conversation or message
 * @known_id: its id when it has one, else 0
 *
 * Returns: (transfer full) (nullable): the row of @object, or %NULL if it was never saved
 */
RelayStoreRowId *
_relay_store_row_id_lookup (gpointer object,
                            gint64   known_id)
{
  RelayStoreRowId *row = g_object_get_qdata (object, row_id_quark ());

  if (row != NULL)
    return _relay_store_row_id_ref (row);
  if (known_id > 0)
    return _relay_store_row_id_for (object, known_id);
  return NULL;
}

/* Returns (transfer full) the row of @object, attaching a new one when it has none. */
RelayStoreRowId *
_relay_store_row_id_for (gpointer object,
                         gint64   known_id)
{
  RelayStoreRowId *row = g_object_get_qdata (object, row_id_quark ());

  if (row == NULL)
    {
      row = g_atomic_rc_box_new0 (RelayStoreRowId);
      row->id = known_id;
      g_object_set_qdata_full (object, row_id_quark (), row,
                               (GDestroyNotify) _relay_store_row_id_unref);
    }
  return _relay_store_row_id_ref (row);
}

/* Opening ------------------------------------------------------------------------ */

/**
 * relay_store_dup_default_path:
 *
 * Returns: (transfer full): `$XDG_DATA_HOME/relay/relay.db`
 */
char *
relay_store_dup_default_path (void)
{
  return g_build_filename (g_get_user_data_dir (), "relay", "relay.db", NULL);
}

static gboolean
open_run (RelayStoreWorker  *worker,
          gpointer           data,
          GError           **error)
{
  RelayStore *self = data;

  return _relay_store_worker_open (worker, self->path, &self->schema_version,
                                   &self->n_recovered, error);
}

static void
open_complete (GTask    *task,
               gpointer  data)
{
  g_task_return_pointer (task, g_object_ref (data), g_object_unref);
}

/**
 * relay_store_open_async:
 * @path: (nullable): the database file, or %NULL for relay_store_dup_default_path()
 *
 * Opens the history, creating and upgrading it as needed.
 */
void
relay_store_open_async (const char          *path,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(RelayStore) self = g_object_new (RELAY_TYPE_STORE, NULL);
  GTask *task;

  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  self->path = path ? g_strdup (path) : relay_store_dup_default_path ();

  /* The task is not the store's own (no source object): it hands the store back, and a
   * failed open must drop the store with it. */
  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, relay_store_open_async);
  g_task_set_task_data (task, g_object_ref (self), g_object_unref);
  _relay_store_worker_push (self->worker, task, open_run, open_complete);
}

/**
 * relay_store_open_finish:
 *
 * Returns: (transfer full): the store, ready for use
 */
RelayStore *
relay_store_open_finish (GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

const char *
relay_store_get_path (RelayStore *self)
{
  g_return_val_if_fail (RELAY_IS_STORE (self), NULL);
  return self->path;
}

guint
relay_store_get_schema_version (RelayStore *self)
{
  g_return_val_if_fail (RELAY_IS_STORE (self), 0);
  return self->schema_version;
}

/**
 * relay_store_get_n_recovered:
 *
 * Returns: how many replies the last open found unfinished and marked interrupted
 */
guint
relay_store_get_n_recovered (RelayStore *self)
{
  g_return_val_if_fail (RELAY_IS_STORE (self), 0);
  return self->n_recovered;
}

static GTask *
new_task (RelayStore          *self,
          gpointer             source_tag,
          gpointer             data,
          GDestroyNotify       data_free,
          GCancellable        *cancellable,
          GAsyncReadyCallback  callback,
          gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  if (data != NULL)
    g_task_set_task_data (task, data, data_free);
  return task;
}

static gboolean
finish_boolean (RelayStore    *self,
                GAsyncResult  *result,
                gpointer       source_tag,
                GError       **error)
{
  g_return_val_if_fail (RELAY_IS_STORE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * relay_store_flush_async:
 *
 * Completes once everything queued before it has reached the disk.
 */
void
relay_store_flush_async (RelayStore          *self,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_return_if_fail (RELAY_IS_STORE (self));

  _relay_store_worker_push (self->worker,
                            new_task (self, relay_store_flush_async, NULL, NULL,
                                      cancellable, callback, user_data),
                            NULL, NULL);
}

gboolean
relay_store_flush_finish (RelayStore    *self,
                          GAsyncResult  *result,
                          GError       **error)
{
  return finish_boolean (self, result, relay_store_flush_async, error);
}

/* Listing ------------------------------------------------------------------------ */

typedef struct
{
  GArray               *rows;      /* RelayConversationRow, its strings in @strings */
  GStringChunk         *strings;
  RelayStoreListCursor  after;
  gboolean              has_after;
  guint                 limit;     /* 0 for no limit */
} ListData;

typedef struct
{
  GPtrArray            *conversations;
  RelayStoreListCursor  last;
} ListResult;

static void
list_data_free (ListData *data)
{
  g_array_unref (data->rows);
  g_string_chunk_free (data->strings);
  g_free (data);
}

static void
list_result_free (ListResult *result)
{
  g_ptr_array_unref (result->conversations);
  g_free (result);
}

static const char *
column_text (GStringChunk *strings,
             sqlite3_stmt *stmt,
             int           column)
{
  const char *text = (const char *) sqlite3_column_text (stmt, column);

  return text ? g_string_chunk_insert (strings, text) : NULL;
}

/* Start-up reads this and nothing else: metadata only, no message is touched, and in
 * pages that the index serves in order, each starting where the last one ended. */
static gboolean
list_run (RelayStoreWorker  *worker,
          gpointer           task_data,
          GError           **error)
{
  static const char first_sql[] =
    "SELECT id, title, model, created_at, updated_at, pinned, prompt_tokens,"
    "       completion_tokens, cost"
    "  FROM conversations WHERE deleted_at IS NULL"
    "  ORDER BY pinned DESC, updated_at DESC, id DESC LIMIT ?4";
  static const char next_sql[] =
    "SELECT id, title, model, created_at, updated_at, pinned, prompt_tokens,"
    "       completion_tokens, cost"
    "  FROM conversations WHERE deleted_at IS NULL"
    "    AND (pinned, updated_at, id) < (?1, ?2, ?3)"
    "  ORDER BY pinned DESC, updated_at DESC, id DESC LIMIT ?4";
  ListData *data = task_data;
  sqlite3_stmt *stmt;
  int rc;

  if (!(stmt = _relay_store_worker_prepare (worker, data->has_after ? next_sql : first_sql, error)))
    return FALSE;
  if (data->has_after)
    {
      sqlite3_bind_int (stmt, 1, data->after.pinned);
      sqlite3_bind_int64 (stmt, 2, data->after.updated_at);
      sqlite3_bind_int64 (stmt, 3, data->after.id);
    }
  sqlite3_bind_int64 (stmt, 4, data->limit > 0 ? (gint64) data->limit : -1);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      RelayConversationRow row = {
        .id = sqlite3_column_int64 (stmt, 0),
        .title = column_text (data->strings, stmt, 1),
        .model = column_text (data->strings, stmt, 2),
        .created_at = sqlite3_column_int64 (stmt, 3),
        .updated_at = sqlite3_column_int64 (stmt, 4),
        .pinned = sqlite3_column_int (stmt, 5) != 0,
        .prompt_tokens = sqlite3_column_int64 (stmt, 6),
        .completion_tokens = sqlite3_column_int64 (stmt, 7),
        .cost = sqlite3_column_double (stmt, 8),
      };
      g_array_append_val (data->rows, row);
    }
  if (rc != SQLITE_DONE)
    {
      _relay_store_set_error (_relay_store_worker_get_db (worker), error);
      sqlite3_reset (stmt);
      return FALSE;
    }
  sqlite3_reset (stmt);
  return TRUE;
}

static void
list_complete (GTask    *task,
               gpointer  task_data)
{
  ListData *data = task_data;
  RelayStore *self = g_task_get_source_object (task);
  ListResult *result = g_new0 (ListResult, 1);

  result->conversations = g_ptr_array_new_full (data->rows->len, g_object_unref);
  for (guint i = 0; i < data->rows->len; i++)
    {
      RelayConversationRow *row = &g_array_index (data->rows, RelayConversationRow, i);

      g_ptr_array_add (result->conversations, _relay_conversation_new_from_row (self, row));
      result->last.pinned = row->pinned;
      result->last.updated_at = row->updated_at;
      result->last.id = row->id;
    }
  g_task_return_pointer (task, result, (GDestroyNotify) list_result_free);
}

/**
 * _relay_store_list_page_async:
 * @after: (nullable): where the previous page ended, or %NULL for the first page
 * @limit: the most conversations to list, or 0 for all
 *
 * Lists conversations in the order relay_store_list_conversations_async() does.
 */
void
_relay_store_list_page_async (RelayStore                 *self,
                              const RelayStoreListCursor *after,
                              guint                       limit,
                              GCancellable               *cancellable,
                              GAsyncReadyCallback         callback,
                              gpointer                    user_data)
{
  ListData *data;

  g_return_if_fail (RELAY_IS_STORE (self));

  data = g_new0 (ListData, 1);
  data->rows = g_array_new (FALSE, FALSE, sizeof (RelayConversationRow));
  data->strings = g_string_chunk_new (4096);
  data->limit = limit;
  if (after != NULL)
    {
      data->after = *after;
      data->has_after = TRUE;
    }
  _relay_store_worker_push (self->worker,
                            new_task (self, _relay_store_list_page_async,
                                      data, (GDestroyNotify) list_data_free,
                                      cancellable, callback, user_data),
                            list_run, list_complete);
}

GPtrArray *
_relay_store_list_page_finish (RelayStore            *self,
                               GAsyncResult          *result,
                               RelayStoreListCursor  *last,
                               GError               **error)
{
  ListResult *list;
  GPtrArray *conversations;

  g_return_val_if_fail (RELAY_IS_STORE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  if (!(list = g_task_propagate_pointer (G_TASK (result), error)))
    return NULL;
  if (last != NULL)
    *last = list->last;
  conversations = g_ptr_array_ref (list->conversations);
  list_result_free (list);
  return conversations;
}

/**
 * relay_store_list_conversations_async:
 *
 * Lists the conversations that are not deleted, pinned first, then the most recently
 * updated first. Messages are not read: each conversation loads them when opened.
 */
void
relay_store_list_conversations_async (RelayStore          *self,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  _relay_store_list_page_async (self, NULL, 0, cancellable, callback, user_data);
}

/**
 * relay_store_list_conversations_finish:
 *
 * Returns: (transfer full) (element-type RelayConversation): the conversations, not loaded
 */
GPtrArray *
relay_store_list_conversations_finish (RelayStore    *self,
                                       GAsyncResult  *result,
                                       GError       **error)
{
  return _relay_store_list_page_finish (self, result, NULL, error);
}

/* Saving a conversation ------------------------------------------------------------ */

typedef struct
{
  RelayStoreRowId *row;
  gboolean         insert;
  char            *title;
  char            *model;
  char            *settings_json;   /* NULL leaves the stored settings as they are */
  gint64           created_at;
  gint64           updated_at;
  gboolean         pinned;
  gint64           prompt_tokens;
  gint64           completion_tokens;
  double           cost;
} ConversationData;

static void
conversation_data_free (ConversationData *data)
{
  g_clear_pointer (&data->row, _relay_store_row_id_unref);
  g_free (data->title);
  g_free (data->model);
  g_free (data->settings_json);
  g_free (data);
}

static void
bind_text (sqlite3_stmt *stmt,
           int           column,
           const char   *text)
{
  if (text != NULL)
    sqlite3_bind_text (stmt, column, text, -1, SQLITE_STATIC);
  else
    sqlite3_bind_null (stmt, column);
}

static gboolean
save_conversation_run (RelayStoreWorker  *worker,
                       gpointer           task_data,
                       GError           **error)
{
  static const char insert_sql[] =
    "INSERT INTO conversations (title, model, settings, created_at, updated_at, pinned,"
    "                           prompt_tokens, completion_tokens, cost)"
    "  VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)";
  static const char update_sql[] =
    "UPDATE conversations SET title = ?1, model = ?2, settings = COALESCE (?3, settings),"
    "    created_at = ?4, updated_at = ?5, pinned = ?6, prompt_tokens = ?7,"
    "    completion_tokens = ?8, cost = ?9"
    "  WHERE id = ?10";
  ConversationData *data = task_data;
  gint64 id = _relay_store_row_id_get (data->row);
  sqlite3_stmt *stmt;

  if (!data->insert && id == 0)
    {
      g_set_error_literal (error, RELAY_STORE_ERROR, RELAY_STORE_ERROR_NOT_FOUND,
                           "The conversation was never saved");
      return FALSE;
    }
  if (!(stmt = _relay_store_worker_prepare (worker, data->insert ? insert_sql : update_sql, error)))
    return FALSE;
  bind_text (stmt, 1, data->title ? data->title : "");
  bind_text (stmt, 2, data->model);
  bind_text (stmt, 3, data->settings_json);
  sqlite3_bind_int64 (stmt, 4, data->created_at);
  sqlite3_bind_int64 (stmt, 5, data->updated_at);
  sqlite3_bind_int (stmt, 6, data->pinned);
  sqlite3_bind_int64 (stmt, 7, data->prompt_tokens);
  sqlite3_bind_int64 (stmt, 8, data->completion_tokens);
  sqlite3_bind_double (stmt, 9, data->cost);
  if (!data->insert)
    sqlite3_bind_int64 (stmt, 10, id);
  if (!_relay_store_worker_step_done (worker, stmt, error))
    return FALSE;
  if (data->insert)
    _relay_store_row_id_set (data->row,
                             sqlite3_last_insert_rowid (_relay_store_worker_get_db (worker)));
  return TRUE;
}

static void
save_conversation_complete (GTask    *task,
                            gpointer  task_data)
{
  ConversationData *data = task_data;
  RelayConversation *conversation = g_object_get_data (G_OBJECT (task), "conversation");

  if (data->insert)
    _relay_conversation_set_id (conversation, _relay_store_row_id_get (data->row));
  g_task_return_boolean (task, TRUE);
}

/**
 * relay_store_save_conversation_async:
 *
 * Writes the conversation's title, model, settings, pinned flag, times and totals:
 * inserted the first time, updated after that. Messages may be inserted into it right
 * away, before this completes.
 */
void
relay_store_save_conversation_async (RelayStore          *self,
                                     RelayConversation   *conversation,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  ConversationData *data;
  GTask *task;
  gint64 id;

  g_return_if_fail (RELAY_IS_STORE (self));
  g_return_if_fail (RELAY_IS_CONVERSATION (conversation));

  id = relay_conversation_get_id (conversation);
  data = g_new0 (ConversationData, 1);
  data->row = _relay_store_row_id_lookup (conversation, id);
  data->insert = data->row == NULL;
  if (data->insert)
    data->row = _relay_store_row_id_for (conversation, 0);
  data->title = g_strdup (relay_conversation_get_title (conversation));
  data->model = g_strdup (relay_conversation_get_model (conversation));
  data->settings_json = _relay_conversation_dup_settings_json (conversation);
  data->created_at = relay_conversation_get_created_at (conversation);
  data->updated_at = relay_conversation_get_updated_at (conversation);
  data->pinned = relay_conversation_get_pinned (conversation);
  data->prompt_tokens = relay_conversation_get_prompt_tokens (conversation);
  data->completion_tokens = relay_conversation_get_completion_tokens (conversation);
  data->cost = relay_conversation_get_cost (conversation);

  task = new_task (self, relay_store_save_conversation_async,
                   data, (GDestroyNotify) conversation_data_free,
                   cancellable, callback, user_data);
  g_object_set_data_full (G_OBJECT (task), "conversation", g_object_ref (conversation),
                          g_object_unref);
  _relay_store_worker_push (self->worker, task, save_conversation_run, save_conversation_complete);
}

gboolean
relay_store_save_conversation_finish (RelayStore    *self,
                                      GAsyncResult  *result,
                                      GError       **error)
{
  return finish_boolean (self, result, relay_store_save_conversation_async, error);
}

/* Deleting, restoring and purging -------------------------------------------------- */

typedef struct
{
  RelayStoreRowId *row;
  gint64           deleted_at;   /* 0 restores */
} DeleteData;

static void
delete_data_free (DeleteData *data)
{
  g_clear_pointer (&data->row, _relay_store_row_id_unref);
  g_free (data);
}

static gboolean
mark_deleted_run (RelayStoreWorker  *worker,
                  gpointer           task_data,
                  GError           **error)
{
  static const char sql[] = "UPDATE conversations SET deleted_at = ?1 WHERE id = ?2";
  DeleteData *data = task_data;
  sqlite3_stmt *stmt;

  if (!(stmt = _relay_store_worker_prepare (worker, sql, error)))
    return FALSE;
  if (data->deleted_at > 0)
    sqlite3_bind_int64 (stmt, 1, data->deleted_at);
  else
    sqlite3_bind_null (stmt, 1);
  sqlite3_bind_int64 (stmt, 2, _relay_store_row_id_get (data->row));
  return _relay_store_worker_step_done (worker, stmt, error);
}

static void
push_mark_deleted (RelayStore          *self,
                   RelayConversation   *conversation,
                   gint64               deleted_at,
                   gpointer             source_tag,
                   GCancellable        *cancellable,
                   GAsyncReadyCallback  callback,
                   gpointer             user_data)
{
  DeleteData *data = g_new0 (DeleteData, 1);
  GTask *task;

  data->row = _relay_store_row_id_lookup (conversation, relay_conversation_get_id (conversation));
  data->deleted_at = deleted_at;
  task = new_task (self, source_tag, data, (GDestroyNotify) delete_data_free,
                   cancellable, callback, user_data);
  if (data->row == NULL)
    {
      /* Never saved, so there is nothing on disk to delete or bring back. */
      g_task_return_boolean (task, TRUE);
      g_object_unref (task);
      return;
    }
  _relay_store_worker_push (self->worker, task, mark_deleted_run, NULL);
}

/**
 * relay_store_delete_conversation_async:
 *
 * Deletes a conversation so that it no longer lists or matches a search, but keeps it
 * until relay_store_purge_deleted_async() or the next open, so that
 * relay_store_restore_conversation_async() can undo the deletion.
 */
void
relay_store_delete_conversation_async (RelayStore          *self,
                                       RelayConversation   *conversation,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  g_return_if_fail (RELAY_IS_STORE (self));
  g_return_if_fail (RELAY_IS_CONVERSATION (conversation));

  push_mark_deleted (self, conversation, g_get_real_time (), relay_store_delete_conversation_async,
                     cancellable, callback, user_data);
}

gboolean
relay_store_delete_conversation_finish (RelayStore    *self,
                                        GAsyncResult  *result,
                                        GError       **error)
{
  return finish_boolean (self, result, relay_store_delete_conversation_async, error);
}

void
relay_store_restore_conversation_async (RelayStore          *self,
                                        RelayConversation   *conversation,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data)
{
  g_return_if_fail (RELAY_IS_STORE (self));
  g_return_if_fail (RELAY_IS_CONVERSATION (conversation));

  push_mark_deleted (self, conversation, 0, relay_store_restore_conversation_async,
                     cancellable, callback, user_data);
}

gboolean
relay_store_restore_conversation_finish (RelayStore    *self,
                                         GAsyncResult  *result,
                                         GError       **error)
{
  return finish_boolean (self, result, relay_store_restore_conversation_async, error);
}

static gboolean
purge_run (RelayStoreWorker  *worker,
           gpointer           task_data,
           GError           **error)
{
  /* The messages go with their conversation (ON DELETE CASCADE), and the search index
   * with the messages (triggers). */
  return _relay_store_worker_exec (worker, "DELETE FROM conversations WHERE deleted_at IS NOT NULL",
                                   error);
}

/**
 * relay_store_purge_deleted_async:
 *
 * Removes deleted conversations for good: their Undo has expired.
 */
void
relay_store_purge_deleted_async (RelayStore          *self,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_return_if_fail (RELAY_IS_STORE (self));

  _relay_store_worker_push (self->worker,
                            new_task (self, relay_store_purge_deleted_async, NULL, NULL,
                                      cancellable, callback, user_data),
                            purge_run, NULL);
}

gboolean
relay_store_purge_deleted_finish (RelayStore    *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  return finish_boolean (self, result, relay_store_purge_deleted_async, error);
}

/* Search --------------------------------------------------------------------------- */

typedef struct
{
  char   *match;   /* an FTS5 query */
  GArray *ids;
} SearchData;

static void
search_data_free (SearchData *data)
{
  g_free (data->match);
  g_clear_pointer (&data->ids, g_array_unref);
  g_free (data);
}

/* Turns what the user typed into an FTS5 query: every word must appear, each as a
 * prefix ("rela" finds "Relay"), and nothing the user types is read as FTS5 syntax. */
static char *
build_match (const char *query)
{
  g_auto(GStrv) words = g_strsplit_set (query, " \t\n\r", -1);
  g_autoptr(GString) match = g_string_new (NULL);
  guint n = 0;

  for (guint i = 0; words[i] != NULL && n < MAX_SEARCH_WORDS; i++)
    {
      g_autofree char *escaped = NULL;
      g_auto(GStrv) quotes = NULL;

      if (*words[i] == '\0')
        continue;
      quotes = g_strsplit (words[i], "\"", -1);
      escaped = g_strjoinv ("\"\"", quotes);
      if (n++ > 0)
        g_string_append_c (match, ' ');
      g_string_append_printf (match, "\"%s\"*", escaped);
    }
  return n > 0 ? g_string_free (g_steal_pointer (&match), FALSE) : NULL;
}

static gboolean
search_run (RelayStoreWorker  *worker,
            gpointer           task_data,
            GError           **error)
{
  static const char sql[] =
    "SELECT id FROM conversations"
    "  WHERE deleted_at IS NULL"
    "    AND (id IN (SELECT rowid FROM conversations_fts WHERE conversations_fts MATCH ?1)"
    "         OR id IN (SELECT m.conversation_id FROM messages_fts f"
    "                     JOIN messages m ON m.id = f.rowid"
    "                     WHERE messages_fts MATCH ?1))"
    "  ORDER BY pinned DESC, updated_at DESC";
  SearchData *data = task_data;
  sqlite3_stmt *stmt;
  int rc;

  if (!(stmt = _relay_store_worker_prepare (worker, sql, error)))
    return FALSE;
  sqlite3_bind_text (stmt, 1, data->match, -1, SQLITE_STATIC);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);

      g_array_append_val (data->ids, id);
    }
  if (rc != SQLITE_DONE)
    {
      _relay_store_set_error (_relay_store_worker_get_db (worker), error);
      sqlite3_reset (stmt);
      return FALSE;
    }
  sqlite3_reset (stmt);
  return TRUE;
}

static void
search_complete (GTask    *task,
                 gpointer  task_data)
{
  SearchData *data = task_data;

  g_task_return_pointer (task, g_steal_pointer (&data->ids), (GDestroyNotify) g_array_unref);
}

/**
 * relay_store_search_async:
 * @query: words to look for, as typed
 *
 * Finds the conversations whose title, or one of whose messages, contains every word
 * of @query (as a word or the start of one, ignoring case and accents).
 */
void
relay_store_search_async (RelayStore          *self,
                          const char          *query,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  SearchData *data;
  GTask *task;

  g_return_if_fail (RELAY_IS_STORE (self));
  g_return_if_fail (query != NULL);

  data = g_new0 (SearchData, 1);
  data->match = build_match (query);
  data->ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  task = new_task (self, relay_store_search_async, data, (GDestroyNotify) search_data_free,
                   cancellable, callback, user_data);
  if (data->match == NULL)
    {
      search_complete (task, data);
      g_object_unref (task);
      return;
    }
  _relay_store_worker_push (self->worker, task, search_run, search_complete);
}

/**
 * relay_store_search_finish:
 *
 * Returns: (transfer full) (element-type gint64): ids of the matching conversations, pinned
 *   first, then the most recently updated first
 */
GArray *
relay_store_search_finish (RelayStore    *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (RELAY_IS_STORE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
