/* relay-store-messages.c: the store's message operations and conversation loading.
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "relay-store"

#include "config.h"

#include <json-glib/json-glib.h>

#include "relay-conversation-private.h"
#include "relay-store-private.h"

/* Caps on what a stored tool call may hold; the database is ours, but a damaged one must
 * not make us allocate without bound. */
#define MAX_TOOL_CALLS 128

/* A copy of a message taken on the main thread, for the worker to write. */
typedef struct
{
  RelayStoreRowId   *row;
  RelayStoreRowId   *conversation;
  RelayStoreRowId   *parent;
  RelayRole          role;
  RelayMessageState  state;
  RelayFinishReason  finish_reason;
  gint64             created_at;
  gint64             first_token_usec;
  gint64             duration_usec;
  gint64             prompt_tokens;
  gint64             completion_tokens;
  gint64             total_tokens;
  double             compute_points;
  double             cost;
  char              *model;
  char              *routed_model;
  char              *tool_call_id;
  char              *error_message;
  char              *content;
  char              *tool_calls;
} MessageData;

static void
message_data_free (MessageData *data)
{
  g_clear_pointer (&data->row, _relay_store_row_id_unref);
  g_clear_pointer (&data->conversation, _relay_store_row_id_unref);
  g_clear_pointer (&data->parent, _relay_store_row_id_unref);
  g_free (data->model);
  g_free (data->routed_model);
  g_free (data->tool_call_id);
  g_free (data->error_message);
  g_free (data->content);
  g_free (data->tool_calls);
  g_free (data);
}

static char *
tool_calls_to_json (RelayMessage *message)
{
  GPtrArray *calls = relay_message_get_tool_calls (message);
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) root = NULL;

  if (calls->len == 0)
    return NULL;

  builder = json_builder_new_immutable ();
  json_builder_begin_array (builder);
  for (guint i = 0; i < calls->len; i++)
    {
      RelayToolCall *call = g_ptr_array_index (calls, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "index");
      json_builder_add_int_value (builder, call->index);
      if (call->id != NULL)
        {
          json_builder_set_member_name (builder, "id");
          json_builder_add_string_value (builder, call->id);
        }
      json_builder_set_member_name (builder, "type");
      json_builder_add_string_value (builder, call->type ? call->type : "function");
      if (call->name != NULL)
        {
          json_builder_set_member_name (builder, "name");
          json_builder_add_string_value (builder, call->name);
        }
      json_builder_set_member_name (builder, "arguments");
      json_builder_add_string_value (builder, call->arguments->str);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  root = json_builder_get_root (builder);
  return json_to_string (root, FALSE);
}

static const char *
member_string (JsonObject *object,
               const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static void
tool_calls_from_json (RelayMessage *message,
                      const char   *json)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  JsonArray *array;
  JsonNode *root;

  if (!json_parser_load_from_data (parser, json, -1, NULL) ||
      !(root = json_parser_get_root (parser)) || !JSON_NODE_HOLDS_ARRAY (root))
    {
      g_warning ("Ignoring unreadable tool calls of message %" G_GINT64_FORMAT,
                 relay_message_get_id (message));
      return;
    }
  array = json_node_get_array (root);
  for (guint i = 0; i < json_array_get_length (array) && i < MAX_TOOL_CALLS; i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      RelayToolCall *call;
      JsonObject *object;
      const char *arguments;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        continue;
      object = json_node_get_object (element);
      call = relay_message_ensure_tool_call (message, i);
      g_set_str (&call->id, member_string (object, "id"));
      g_set_str (&call->type, member_string (object, "type"));
      g_set_str (&call->name, member_string (object, "name"));
      if ((arguments = member_string (object, "arguments")) != NULL)
        g_string_assign (call->arguments, arguments);
    }
}

static MessageData *
message_data_new (RelayMessage *message,
                  gboolean      full)
{
  MessageData *data = g_new0 (MessageData, 1);

  data->row = _relay_store_row_id_lookup (message, relay_message_get_id (message));
  data->state = relay_message_get_state (message);
  data->content = g_strdup (relay_message_get_content (message));
  data->routed_model = g_strdup (relay_message_get_routed_model (message));
  data->first_token_usec = relay_message_get_first_token_usec (message);
  if (!full)
    return data;

  data->role = relay_message_get_role (message);
  data->finish_reason = relay_message_get_finish_reason (message);
  data->created_at = relay_message_get_created_at (message);
  data->duration_usec = relay_message_get_duration_usec (message);
  data->prompt_tokens = relay_message_get_prompt_tokens (message);
  data->completion_tokens = relay_message_get_completion_tokens (message);
  data->total_tokens = relay_message_get_total_tokens (message);
  data->compute_points = relay_message_get_compute_points (message);
  data->cost = relay_message_get_cost (message);
  data->model = g_strdup (relay_message_get_model (message));
  data->tool_call_id = g_strdup (relay_message_get_tool_call_id (message));
  data->error_message = g_strdup (relay_message_get_error_message (message));
  data->tool_calls = tool_calls_to_json (message);
  return data;
}

static gint64
require_row (MessageData  *data,
             GError      **error)
{
  gint64 id = data->row ? _relay_store_row_id_get (data->row) : 0;

  if (id == 0)
    g_set_error_literal (error, RELAY_STORE_ERROR, RELAY_STORE_ERROR_NOT_FOUND,
                         "The message was never saved");
  return id;
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

/* Binds the columns that insert and update share, as ?1 to ?16. */
static void
bind_message (sqlite3_stmt *stmt,
              MessageData  *data)
{
  const char *finish = relay_finish_reason_to_string (data->finish_reason);

  bind_text (stmt, 1, relay_role_to_string (data->role));
  bind_text (stmt, 2, relay_message_state_to_string (data->state));
  sqlite3_bind_int64 (stmt, 3, data->created_at);
  sqlite3_bind_int64 (stmt, 4, data->first_token_usec);
  sqlite3_bind_int64 (stmt, 5, data->duration_usec);
  sqlite3_bind_int64 (stmt, 6, data->prompt_tokens);
  sqlite3_bind_int64 (stmt, 7, data->completion_tokens);
  sqlite3_bind_int64 (stmt, 8, data->total_tokens);
  sqlite3_bind_double (stmt, 9, data->compute_points);
  sqlite3_bind_double (stmt, 10, data->cost);
  bind_text (stmt, 11, *finish ? finish : NULL);
  bind_text (stmt, 12, data->model);
  bind_text (stmt, 13, data->routed_model);
  bind_text (stmt, 14, data->tool_call_id);
  bind_text (stmt, 15, data->error_message);
  bind_text (stmt, 16, data->content ? data->content : "");
  bind_text (stmt, 17, data->tool_calls);
}

static gboolean
insert_rows (RelayStoreWorker  *worker,
             MessageData       *data,
             GError           **error)
{
  static const char insert_sql[] =
    "INSERT INTO messages (role, state, created_at, first_token_usec, duration_usec,"
    "    prompt_tokens, completion_tokens, total_tokens, compute_points, cost, finish_reason,"
    "    model, routed_model, tool_call_id, error, content, tool_calls,"
    "    conversation_id, parent_id, active)"
    "  VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17,"
    "          ?18, ?19, 1)";
  /* A new message is the version shown among its siblings (a regenerated reply, an
   * edited prompt); for an ordinary message there are none and this changes nothing. */
  static const char siblings_sql[] =
    "UPDATE messages SET active = 0"
    "  WHERE conversation_id = ?1 AND parent_id IS ?2 AND id != ?3 AND active";
  gint64 conversation_id = _relay_store_row_id_get (data->conversation);
  gint64 parent_id = data->parent ? _relay_store_row_id_get (data->parent) : 0;
  sqlite3 *db = _relay_store_worker_get_db (worker);
  sqlite3_stmt *stmt;
  gint64 id;

  if (conversation_id == 0 || (data->parent != NULL && parent_id == 0))
    {
      g_set_error_literal (error, RELAY_STORE_ERROR, RELAY_STORE_ERROR_NOT_FOUND,
                           "The message's conversation or the message it follows was never saved");
      return FALSE;
    }
  if (!(stmt = _relay_store_worker_prepare (worker, insert_sql, error)))
    return FALSE;
  bind_message (stmt, data);
  sqlite3_bind_int64 (stmt, 18, conversation_id);
  if (parent_id > 0)
    sqlite3_bind_int64 (stmt, 19, parent_id);
  else
    sqlite3_bind_null (stmt, 19);
  if (!_relay_store_worker_step_done (worker, stmt, error))
    return FALSE;
  id = sqlite3_last_insert_rowid (db);

  if (!(stmt = _relay_store_worker_prepare (worker, siblings_sql, error)))
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, conversation_id);
  if (parent_id > 0)
    sqlite3_bind_int64 (stmt, 2, parent_id);
  else
    sqlite3_bind_null (stmt, 2);
  sqlite3_bind_int64 (stmt, 3, id);
  if (!_relay_store_worker_step_done (worker, stmt, error))
    return FALSE;

  _relay_store_row_id_set (data->row, id);
  return TRUE;
}

static gboolean
insert_run (RelayStoreWorker  *worker,
            gpointer           task_data,
            GError           **error)
{
  if (!_relay_store_worker_begin (worker, error))
    return FALSE;
  if (!insert_rows (worker, task_data, error))
    {
      _relay_store_worker_rollback (worker);
      return FALSE;
    }
  return _relay_store_worker_commit (worker, error);
}

static void
insert_complete (GTask    *task,
                 gpointer  task_data)
{
  MessageData *data = task_data;
  RelayMessage *message = g_object_get_data (G_OBJECT (task), "message");
  gint64 id = _relay_store_row_id_get (data->row);

  relay_message_set_id (message, id);
  g_task_return_int (task, id);
}

/**
 * relay_store_insert_message_async:
 * @conversation: the conversation, saved or with its save queued
 * @parent: (nullable): the message @message follows, or %NULL for the first one
 * @message: a message not saved yet
 *
 * Inserts @message as the version shown among the messages that follow @parent. When
 * this completes the message is on disk and has its id. Updates of the message may be
 * queued before that.
 */
void
relay_store_insert_message_async (RelayStore          *self,
                                  RelayConversation   *conversation,
                                  RelayMessage        *parent,
                                  RelayMessage        *message,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  MessageData *data;

  g_return_if_fail (RELAY_IS_STORE (self));
  g_return_if_fail (RELAY_IS_CONVERSATION (conversation));
  g_return_if_fail (!parent || RELAY_IS_MESSAGE (parent));
  g_return_if_fail (RELAY_IS_MESSAGE (message));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, relay_store_insert_message_async);
  if (relay_message_get_id (message) != 0)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_EXISTS,
                               "The message is already saved");
      return;
    }

  data = message_data_new (message, TRUE);
  g_clear_pointer (&data->row, _relay_store_row_id_unref);
  data->row = _relay_store_row_id_for (message, 0);
  data->conversation = _relay_store_row_id_for (conversation,
                                                relay_conversation_get_id (conversation));
  if (parent != NULL)
    data->parent = _relay_store_row_id_for (parent, relay_message_get_id (parent));
  g_task_set_task_data (task, data, (GDestroyNotify) message_data_free);
  g_object_set_data_full (G_OBJECT (task), "message", g_object_ref (message), g_object_unref);
  _relay_store_worker_push (_relay_store_get_worker (self), g_steal_pointer (&task),
                            insert_run, insert_complete);
}

/**
 * relay_store_insert_message_finish:
 *
 * Returns: the new message's id, or 0 on error
 */
gint64
relay_store_insert_message_finish (RelayStore    *self,
                                   GAsyncResult  *result,
                                   GError       **error)
{
  gssize id;

  g_return_val_if_fail (RELAY_IS_STORE (self), 0);
  g_return_val_if_fail (g_task_is_valid (result, self), 0);

  id = g_task_propagate_int (G_TASK (result), error);
  return MAX (id, 0);
}

static gboolean
update_run (RelayStoreWorker  *worker,
            gpointer           task_data,
            GError           **error)
{
  static const char sql[] =
    "UPDATE messages SET role = ?1, state = ?2, created_at = ?3, first_token_usec = ?4,"
    "    duration_usec = ?5, prompt_tokens = ?6, completion_tokens = ?7, total_tokens = ?8,"
    "    compute_points = ?9, cost = ?10, finish_reason = ?11, model = ?12, routed_model = ?13,"
    "    tool_call_id = ?14, error = ?15, content = ?16, tool_calls = ?17"
    "  WHERE id = ?18";
  MessageData *data = task_data;
  sqlite3_stmt *stmt;
  gint64 id;

  if ((id = require_row (data, error)) == 0 ||
      !(stmt = _relay_store_worker_prepare (worker, sql, error)))
    return FALSE;
  bind_message (stmt, data);
  sqlite3_bind_int64 (stmt, 18, id);
  return _relay_store_worker_step_done (worker, stmt, error);
}

static void
push_message_job (RelayStore          *self,
                  RelayMessage        *message,
                  gboolean             full,
                  gpointer             source_tag,
                  RelayStoreRunFunc    run,
                  GCancellable        *cancellable,
                  GAsyncReadyCallback  callback,
                  gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, message_data_new (message, full), (GDestroyNotify) message_data_free);
  _relay_store_worker_push (_relay_store_get_worker (self), task, run, NULL);
}

/**
 * relay_store_update_message_async:
 *
 * Writes everything about a saved message (or one whose insert is queued).
 */
void
relay_store_update_message_async (RelayStore          *self,
                                  RelayMessage        *message,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_return_if_fail (RELAY_IS_STORE (self));
  g_return_if_fail (RELAY_IS_MESSAGE (message));

  push_message_job (self, message, TRUE, relay_store_update_message_async, update_run,
                    cancellable, callback, user_data);
}

gboolean
relay_store_update_message_finish (RelayStore    *self,
                                   GAsyncResult  *result,
                                   GError       **error)
{
  g_return_val_if_fail (RELAY_IS_STORE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static gboolean
checkpoint_run (RelayStoreWorker  *worker,
                gpointer           task_data,
                GError           **error)
{
  static const char sql[] =
    "UPDATE messages SET content = ?1, state = ?2, routed_model = ?3, first_token_usec = ?4"
    "  WHERE id = ?5";
  MessageData *data = task_data;
  sqlite3_stmt *stmt;
  gint64 id;

  if ((id = require_row (data, error)) == 0 ||
      !(stmt = _relay_store_worker_prepare (worker, sql, error)))
    return FALSE;
  bind_text (stmt, 1, data->content);
  bind_text (stmt, 2, relay_message_state_to_string (data->state));
  bind_text (stmt, 3, data->routed_model);
  sqlite3_bind_int64 (stmt, 4, data->first_token_usec);
  sqlite3_bind_int64 (stmt, 5, id);
  return _relay_store_worker_step_done (worker, stmt, error);
}

/**
 * relay_store_checkpoint_message_async:
 *
 * Writes the text and state of a reply that is still streaming, and nothing else, so
 * that a crash loses only what arrived after this.
 */
void
relay_store_checkpoint_message_async (RelayStore          *self,
                                      RelayMessage        *message,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  g_return_if_fail (RELAY_IS_STORE (self));
  g_return_if_fail (RELAY_IS_MESSAGE (message));

  push_message_job (self, message, FALSE, relay_store_checkpoint_message_async, checkpoint_run,
                    cancellable, callback, user_data);
}

gboolean
relay_store_checkpoint_message_finish (RelayStore    *self,
                                       GAsyncResult  *result,
                                       GError       **error)
{
  g_return_val_if_fail (RELAY_IS_STORE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static gboolean
select_run (RelayStoreWorker  *worker,
            gpointer           task_data,
            GError           **error)
{
  static const char sql[] =
    "UPDATE messages SET active = (id = ?1)"
    "  WHERE conversation_id = (SELECT conversation_id FROM messages WHERE id = ?1)"
    "    AND parent_id IS (SELECT parent_id FROM messages WHERE id = ?1)";
  MessageData *data = task_data;
  sqlite3_stmt *stmt;
  gint64 id;

  if ((id = require_row (data, error)) == 0 ||
      !(stmt = _relay_store_worker_prepare (worker, sql, error)))
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  return _relay_store_worker_step_done (worker, stmt, error);
}

/**
 * relay_store_select_message_async:
 *
 * Makes @message the version shown among its siblings, so that the conversation reopens
 * with it.
 */
void
relay_store_select_message_async (RelayStore          *self,
                                  RelayMessage        *message,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_return_if_fail (RELAY_IS_STORE (self));
  g_return_if_fail (RELAY_IS_MESSAGE (message));

  push_message_job (self, message, FALSE, relay_store_select_message_async, select_run,
                    cancellable, callback, user_data);
}

gboolean
relay_store_select_message_finish (RelayStore    *self,
                                   GAsyncResult  *result,
                                   GError       **error)
{
  g_return_val_if_fail (RELAY_IS_STORE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static gboolean
delete_rows (RelayStoreWorker  *worker,
             gint64             id,
             GError           **error)
{
  static const char find_sql[] =
    "SELECT conversation_id, parent_id, active FROM messages WHERE id = ?1";
  /* The messages that followed the deleted one now follow its parent. If it was not the
   * version shown, neither are they. */
  static const char reparent_sql[] =
    "UPDATE messages SET parent_id = ?2, active = CASE WHEN ?3 THEN active ELSE 0 END"
    "  WHERE conversation_id = ?4 AND parent_id = ?1";
  static const char delete_sql[] = "DELETE FROM messages WHERE id = ?1";
  sqlite3_stmt *stmt;
  gint64 conversation_id, parent_id;
  gboolean active;

  if (!(stmt = _relay_store_worker_prepare (worker, find_sql, error)))
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      sqlite3_reset (stmt);
      g_set_error_literal (error, RELAY_STORE_ERROR, RELAY_STORE_ERROR_NOT_FOUND,
                           "The message is not in the database");
      return FALSE;
    }
  conversation_id = sqlite3_column_int64 (stmt, 0);
  parent_id = sqlite3_column_int64 (stmt, 1);
  active = sqlite3_column_int (stmt, 2) != 0;
  sqlite3_reset (stmt);

  if (!(stmt = _relay_store_worker_prepare (worker, reparent_sql, error)))
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  if (parent_id > 0)
    sqlite3_bind_int64 (stmt, 2, parent_id);
  else
    sqlite3_bind_null (stmt, 2);
  sqlite3_bind_int (stmt, 3, active);
  sqlite3_bind_int64 (stmt, 4, conversation_id);
  if (!_relay_store_worker_step_done (worker, stmt, error))
    return FALSE;

  if (!(stmt = _relay_store_worker_prepare (worker, delete_sql, error)))
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  return _relay_store_worker_step_done (worker, stmt, error);
}

static gboolean
delete_run (RelayStoreWorker  *worker,
            gpointer           task_data,
            GError           **error)
{
  gint64 id;

  if ((id = require_row (task_data, error)) == 0 ||
      !_relay_store_worker_begin (worker, error))
    return FALSE;
  if (!delete_rows (worker, id, error))
    {
      _relay_store_worker_rollback (worker);
      return FALSE;
    }
  return _relay_store_worker_commit (worker, error);
}

/**
 * relay_store_delete_message_async:
 *
 * Deletes one message. Those that followed it follow its parent instead.
 */
void
relay_store_delete_message_async (RelayStore          *self,
                                  RelayMessage        *message,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_return_if_fail (RELAY_IS_STORE (self));
  g_return_if_fail (RELAY_IS_MESSAGE (message));

  push_message_job (self, message, FALSE, relay_store_delete_message_async, delete_run,
                    cancellable, callback, user_data);
}

gboolean
relay_store_delete_message_finish (RelayStore    *self,
                                   GAsyncResult  *result,
                                   GError       **error)
{
  g_return_val_if_fail (RELAY_IS_STORE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Loading ---------------------------------------------------------------------------- */

typedef struct
{
  RelayStoreRowId  *conversation;
  RelayStoreLoaded *loaded;
} LoadData;

static void
message_row_clear (RelayStoreMessageRow *row)
{
  g_clear_object (&row->message);
}

void
_relay_store_loaded_free (RelayStoreLoaded *loaded)
{
  g_array_unref (loaded->rows);
  g_free (loaded->settings_json);
  g_free (loaded);
}

static void
load_data_free (LoadData *data)
{
  g_clear_pointer (&data->conversation, _relay_store_row_id_unref);
  g_clear_pointer (&data->loaded, _relay_store_loaded_free);
  g_free (data);
}

static const char *
column_text (sqlite3_stmt *stmt,
             int           column)
{
  return (const char *) sqlite3_column_text (stmt, column);
}

/* Messages are made here, on the worker: nothing else holds them yet, and a long
 * conversation's thousands of objects are not built on the main thread. */
static RelayMessage *
message_from_row (sqlite3_stmt *stmt)
{
  RelayMessageState state = RELAY_MESSAGE_STATE_COMPLETE;
  RelayRole role = RELAY_ROLE_USER;
  RelayMessage *message;
  const char *text;
  gint64 prompt, completion, total;
  double number;

  /* Setters for values still at their defaults are skipped: a long conversation has
   * many messages, and most of their fields are empty. */
  relay_role_from_string (column_text (stmt, 3), &role);
  relay_message_state_from_string (column_text (stmt, 4), &state);
  message = relay_message_new (role, column_text (stmt, 19));
  relay_message_set_id (message, sqlite3_column_int64 (stmt, 0));
  if (state != RELAY_MESSAGE_STATE_COMPLETE)
    relay_message_set_state (message, state);
  relay_message_set_created_at (message, sqlite3_column_int64 (stmt, 5));
  if (sqlite3_column_int64 (stmt, 6) >= 0)
    relay_message_set_first_token_usec (message, sqlite3_column_int64 (stmt, 6));
  if (sqlite3_column_int64 (stmt, 7) >= 0)
    relay_message_set_duration_usec (message, sqlite3_column_int64 (stmt, 7));
  prompt = sqlite3_column_int64 (stmt, 8);
  completion = sqlite3_column_int64 (stmt, 9);
  total = sqlite3_column_int64 (stmt, 10);
  if (prompt >= 0 || completion >= 0 || total >= 0)
    relay_message_set_usage (message, prompt, completion, total);
  if ((number = sqlite3_column_double (stmt, 11)) >= 0)
    relay_message_set_compute_points (message, number);
  if ((number = sqlite3_column_double (stmt, 12)) >= 0)
    relay_message_set_cost (message, number);
  if ((text = column_text (stmt, 13)) != NULL)
    relay_message_set_finish_reason (message, relay_finish_reason_from_string (text));
  if ((text = column_text (stmt, 14)) != NULL)
    relay_message_set_model (message, text);
  if ((text = column_text (stmt, 15)) != NULL)
    relay_message_set_routed_model (message, text);
  if ((text = column_text (stmt, 16)) != NULL)
    relay_message_set_tool_call_id (message, text);
  if ((text = column_text (stmt, 17)) != NULL)
    relay_message_set_error_message (message, text);
  if ((text = column_text (stmt, 18)) != NULL)
    tool_calls_from_json (message, text);
  return message;
}

static gboolean
load_run (RelayStoreWorker  *worker,
          gpointer           task_data,
          GError           **error)
{
  static const char settings_sql[] = "SELECT settings FROM conversations WHERE id = ?1";
  static const char messages_sql[] =
    "SELECT id, parent_id, active, role, state, created_at, first_token_usec, duration_usec,"
    "       prompt_tokens, completion_tokens, total_tokens, compute_points, cost,"
    "       finish_reason, model, routed_model, tool_call_id, error, tool_calls, content"
    "  FROM messages WHERE conversation_id = ?1 ORDER BY id";
  LoadData *data = task_data;
  gint64 id = _relay_store_row_id_get (data->conversation);
  sqlite3_stmt *stmt;
  int rc;

  if (!(stmt = _relay_store_worker_prepare (worker, settings_sql, error)))
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      sqlite3_reset (stmt);
      g_set_error_literal (error, RELAY_STORE_ERROR, RELAY_STORE_ERROR_NOT_FOUND,
                           "The conversation is not in the database");
      return FALSE;
    }
  data->loaded->settings_json = g_strdup (column_text (stmt, 0));
  sqlite3_reset (stmt);

  if (!(stmt = _relay_store_worker_prepare (worker, messages_sql, error)))
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      RelayStoreMessageRow row = {
        .message = message_from_row (stmt),
        .id = sqlite3_column_int64 (stmt, 0),
        .parent_id = sqlite3_column_int64 (stmt, 1),
        .active = sqlite3_column_int (stmt, 2) != 0,
      };
      g_array_append_val (data->loaded->rows, row);
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
load_complete (GTask    *task,
               gpointer  task_data)
{
  LoadData *data = task_data;

  g_task_return_pointer (task, g_steal_pointer (&data->loaded),
                         (GDestroyNotify) _relay_store_loaded_free);
}

void
_relay_store_load_async (RelayStore          *self,
                         RelayConversation   *conversation,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  LoadData *data = g_new0 (LoadData, 1);
  GTask *task;

  data->conversation = _relay_store_row_id_for (conversation,
                                                relay_conversation_get_id (conversation));
  data->loaded = g_new0 (RelayStoreLoaded, 1);
  data->loaded->rows = g_array_new (FALSE, FALSE, sizeof (RelayStoreMessageRow));
  g_array_set_clear_func (data->loaded->rows, (GDestroyNotify) message_row_clear);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, _relay_store_load_async);
  g_task_set_task_data (task, data, (GDestroyNotify) load_data_free);
  _relay_store_worker_push (_relay_store_get_worker (self), task, load_run, load_complete);
}

RelayStoreLoaded *
_relay_store_load_finish (RelayStore    *self,
                          GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
