/* test-store.c: the history database: migrations, round trips, lazy listing, recovery,
 * search and deletion.
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "relay-store-private.h"
#include "relay-store-test-util.h"

typedef struct
{
  char *dir;
  char *path;
} Fixture;

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  fixture->dir = test_make_dir ();
  fixture->path = g_build_filename (fixture->dir, "nested", "relay", "relay.db", NULL);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  _relay_store_set_open_hook (NULL, NULL);
  test_remove_tree (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->path);
}

static char *
read_fixture_sql (const char *name)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "fixtures", name, NULL);
  g_autoptr(GError) error = NULL;
  char *sql = NULL;

  g_file_get_contents (path, &sql, NULL, &error);
  g_assert_no_error (error);
  return sql;
}

static void
exec_on_file (const char *path,
              const char *sql)
{
  g_autofree char *dir = g_path_get_dirname (path);
  char *message = NULL;
  sqlite3 *db = NULL;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("SQL failed: %s", message);
  sqlite3_close (db);
}

/* The schema, with whitespace dropped so that text written differently compares equal. */
static char *
dump_schema (const char *path)
{
  sqlite3 *db = test_open_reader (path);
  g_autoptr(GString) schema = g_string_new (NULL);
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT type, name, sql FROM sqlite_master "
                                           "WHERE sql IS NOT NULL ORDER BY type, name",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      for (const char *p = (const char *) sqlite3_column_text (stmt, 2); *p; p++)
        if (!g_ascii_isspace (*p))
          g_string_append_c (schema, *p);
      g_string_append_c (schema, '\n');
    }
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return g_string_free (g_steal_pointer (&schema), FALSE);
}

static GPtrArray *
list_conversations (RelayStore *store)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *conversations;

  relay_store_list_conversations_async (store, NULL, test_result_cb, &result);
  conversations = relay_store_list_conversations_finish (store, test_wait_result (&result), &error);
  g_assert_no_error (error);
  return conversations;
}

static GArray *
search (RelayStore *store,
        const char *query)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GArray *ids;

  relay_store_search_async (store, query, NULL, test_result_cb, &result);
  ids = relay_store_search_finish (store, test_wait_result (&result), &error);
  g_assert_no_error (error);
  return ids;
}

static void
test_store_creates_and_migrates_empty (Fixture       *fixture,
                                       gconstpointer  data)
{
  RelayStore *store;
  g_autofree char *journal = NULL;
  sqlite3 *db;

  g_assert_false (g_file_test (fixture->path, G_FILE_TEST_EXISTS));
  store = test_open_store (fixture->path);
  g_assert_cmpuint (relay_store_get_schema_version (store), ==, RELAY_STORE_SCHEMA_VERSION);
  g_assert_true (g_file_test (fixture->path, G_FILE_TEST_IS_REGULAR));

  db = test_open_reader (fixture->path);
  g_assert_cmpint (test_query_int (db, "PRAGMA user_version"), ==, RELAY_STORE_SCHEMA_VERSION);
  journal = test_query_text (db, "PRAGMA journal_mode");
  g_assert_cmpstr (journal, ==, "wal");
  g_assert_cmpint (test_query_int (db, "SELECT count(*) FROM sqlite_master WHERE name = 'messages_fts'"), ==, 1);
  sqlite3_close (db);

  test_close_store (store);

  /* Opening again changes nothing. */
  store = test_open_store (fixture->path);
  g_assert_cmpuint (relay_store_get_schema_version (store), ==, RELAY_STORE_SCHEMA_VERSION);
  test_close_store (store);
}

static void
test_store_default_path (void)
{
  g_autofree char *path = relay_store_dup_default_path ();
  g_autofree char *expected = g_build_filename (g_get_user_data_dir (), "relay", "relay.db", NULL);
  RelayStore *store;

  g_assert_cmpstr (path, ==, expected);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));

  store = test_open_store (NULL);
  g_assert_cmpstr (relay_store_get_path (store), ==, expected);
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
  test_close_store (store);
}

static void
test_store_migrates_from_v1 (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autofree char *fixture_sql = read_fixture_sql ("store-v1.sql");
  g_autofree char *fresh_path = g_build_filename (fixture->dir, "fresh.db", NULL);
  g_autofree char *migrated_schema = NULL;
  g_autofree char *fresh_schema = NULL;
  g_autoptr(GPtrArray) conversations = NULL;
  g_autoptr(GArray) ids = NULL;
  RelayConversation *lisbon, *rust;
  RelayChatSettings *settings;
  RelayStore *store;
  RelayMessage *reply;
  GPtrArray *calls;

  exec_on_file (fixture->path, fixture_sql);

  store = test_open_store (fixture->path);
  g_assert_cmpuint (relay_store_get_schema_version (store), ==, 2);
  /* The reply that was streaming when that Relay stopped is now interrupted. */
  g_assert_cmpuint (relay_store_get_n_recovered (store), ==, 1);

  conversations = list_conversations (store);
  /* The conversation deleted (and never undone) is gone; pinned comes first. */
  g_assert_cmpuint (conversations->len, ==, 2);
  rust = g_ptr_array_index (conversations, 0);
  lisbon = g_ptr_array_index (conversations, 1);
  g_assert_cmpstr (relay_conversation_get_title (rust), ==, "Borrow checker questions");
  g_assert_true (relay_conversation_get_pinned (rust));
  g_assert_cmpstr (relay_conversation_get_title (lisbon), ==, "Lunch in Lisbon");
  g_assert_cmpint (relay_conversation_get_updated_at (lisbon), ==, 1767229200000000);

  /* Totals are new in version 2, computed from every version's usage. */
  g_assert_cmpint (relay_conversation_get_prompt_tokens (lisbon), ==, 24);
  g_assert_cmpint (relay_conversation_get_completion_tokens (lisbon), ==, 74);
  g_assert_cmpfloat_with_epsilon (relay_conversation_get_cost (lisbon), 0.004, 1e-9);
  g_assert_cmpfloat (relay_conversation_get_cost (rust), ==, -1);

  test_load (lisbon);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (lisbon)), ==, 2);
  reply = test_message_at (G_LIST_MODEL (lisbon), 1);
  g_assert_cmpstr (relay_message_get_content (reply), ==, "Time Out Market, then a walk along the Tagus.");
  g_assert_cmpstr (relay_message_get_routed_model (reply), ==, "claude-haiku-4");
  g_assert_cmpuint (relay_message_get_version_index (reply), ==, 1);
  g_assert_cmpuint (relay_message_get_n_versions (reply), ==, 2);
  settings = relay_conversation_get_settings (lisbon);
  g_assert_cmpstr (relay_chat_settings_get_system_prompt (settings), ==, "Answer briefly.");
  g_assert_cmpfloat (relay_chat_settings_get_temperature (settings), ==, 0.5);

  test_load (rust);
  reply = test_message_at (G_LIST_MODEL (rust), 1);
  g_assert_cmpint (relay_message_get_state (reply), ==, RELAY_MESSAGE_STATE_INTERRUPTED);
  g_assert_cmpstr (relay_message_get_content (reply), ==, "Because the reference is stored in a struct that");
  calls = relay_message_get_tool_calls (reply);
  g_assert_cmpuint (calls->len, ==, 1);
  g_assert_cmpstr (((RelayToolCall *) g_ptr_array_index (calls, 0))->name, ==, "run_rustc");
  g_assert_cmpstr (((RelayToolCall *) g_ptr_array_index (calls, 0))->arguments->str, ==, "{\"file\":\"main.rs\"}");

  /* The search index covers what was written before it existed. */
  ids = search (store, "custard");
  g_assert_cmpuint (ids->len, ==, 1);
  g_assert_cmpint (g_array_index (ids, gint64, 0), ==, 1);
  g_clear_pointer (&ids, g_array_unref);
  ids = search (store, "zanzibar");
  g_assert_cmpuint (ids->len, ==, 0);

  g_clear_pointer (&conversations, g_ptr_array_unref);
  test_close_store (store);

  /* An upgraded database has exactly the schema of a new one. */
  store = test_open_store (fresh_path);
  test_close_store (store);
  migrated_schema = dump_schema (fixture->path);
  fresh_schema = dump_schema (fresh_path);
  g_assert_cmpstr (migrated_schema, ==, fresh_schema);
}

static void
test_store_refuses_newer_schema (Fixture       *fixture,
                                 gconstpointer  data)
{
  g_autofree char *fixture_sql = read_fixture_sql ("store-v1.sql");
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(RelayStore) store = NULL;
  sqlite3 *db;

  exec_on_file (fixture->path, fixture_sql);
  exec_on_file (fixture->path, "PRAGMA user_version = 99");

  relay_store_open_async (fixture->path, NULL, test_result_cb, &result);
  store = relay_store_open_finish (test_wait_result (&result), &error);
  g_assert_error (error, RELAY_STORE_ERROR, RELAY_STORE_ERROR_NEWER_SCHEMA);
  g_assert_null (store);

  /* Left as it was: not recovered, not purged. */
  db = test_open_reader (fixture->path);
  g_assert_cmpint (test_query_int (db, "PRAGMA user_version"), ==, 99);
  g_assert_cmpint (test_query_int (db, "SELECT count(*) FROM messages WHERE state = 'streaming'"), ==, 1);
  g_assert_cmpint (test_query_int (db, "SELECT count(*) FROM conversations"), ==, 3);
  sqlite3_close (db);
}

static void
test_store_round_trip (Fixture       *fixture,
                       gconstpointer  data)
{
  RelayStore *store = test_open_store (fixture->path);
  g_autoptr(RelayConversation) conversation = relay_conversation_new (store);
  g_autoptr(RelayMessage) question = relay_message_new (RELAY_ROLE_USER, "What is 2 + 2?\nShow your work.");
  g_autoptr(RelayMessage) answer = relay_message_new (RELAY_ROLE_ASSISTANT, "4, because ✓ ünïcode");
  g_autoptr(RelayMessage) tool = relay_message_new (RELAY_ROLE_TOOL, "{\"result\": 4}");
  g_autoptr(RelayConversationList) list = NULL;
  RelayConversation *reloaded;
  RelayToolCall *call;
  RelayMessage *m;
  gint64 id;

  relay_conversation_set_model (conversation, "route-llm");
  test_append (conversation, question);
  relay_message_set_model (answer, "route-llm");
  relay_message_set_routed_model (answer, "gpt-4o");
  relay_message_set_finish_reason (answer, RELAY_FINISH_REASON_TOOL_CALLS);
  relay_message_set_usage (answer, 11, 22, 33);
  relay_message_set_compute_points (answer, 7);
  relay_message_set_cost (answer, 0.25);
  relay_message_set_first_token_usec (answer, 1234);
  relay_message_set_duration_usec (answer, 56789);
  relay_message_set_created_at (answer, 1700000000123456);
  call = relay_message_ensure_tool_call (answer, 0);
  call->id = g_strdup ("call_9");
  call->type = g_strdup ("function");
  call->name = g_strdup ("add");
  g_string_assign (call->arguments, "{\"a\":2,\"b\":2}");
  test_append (conversation, answer);
  relay_message_set_tool_call_id (tool, "call_9");
  test_append (conversation, tool);

  m = relay_conversation_begin_reply (conversation, "route-llm");
  relay_message_append_content (m, "Done", -1);
  relay_message_set_state (m, RELAY_MESSAGE_STATE_FAILED);
  relay_message_set_error_message (m, "The server closed the connection");
  g_object_unref (m);

  id = relay_conversation_get_id (conversation);
  test_flush (store);
  g_assert_cmpint (relay_conversation_get_id (conversation), >, 0);
  g_assert_cmpint (relay_message_get_id (question), >, 0);
  g_assert_cmpint (relay_message_get_id (answer), >, relay_message_get_id (question));
  id = relay_conversation_get_id (conversation);
  g_clear_object (&conversation);
  test_close_store (store);

  store = test_open_store (fixture->path);
  list = test_load_list (store);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 1);
  reloaded = relay_conversation_list_lookup (list, id);
  g_assert_nonnull (reloaded);
  g_assert_false (relay_conversation_get_loaded (reloaded));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (reloaded)), ==, 0);
  g_assert_cmpstr (relay_conversation_get_title (reloaded), ==, "What is 2 + 2?");
  g_assert_cmpstr (relay_conversation_get_model (reloaded), ==, "route-llm");
  g_assert_cmpint (relay_conversation_get_prompt_tokens (reloaded), ==, 11);
  g_assert_cmpint (relay_conversation_get_completion_tokens (reloaded), ==, 22);
  g_assert_cmpfloat (relay_conversation_get_cost (reloaded), ==, 0.25);

  test_load (reloaded);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (reloaded)), ==, 4);

  m = test_message_at (G_LIST_MODEL (reloaded), 0);
  g_assert_cmpint (relay_message_get_role (m), ==, RELAY_ROLE_USER);
  g_assert_cmpstr (relay_message_get_content (m), ==, "What is 2 + 2?\nShow your work.");

  m = test_message_at (G_LIST_MODEL (reloaded), 1);
  g_assert_cmpint (relay_message_get_role (m), ==, RELAY_ROLE_ASSISTANT);
  g_assert_cmpstr (relay_message_get_content (m), ==, "4, because ✓ ünïcode");
  g_assert_cmpstr (relay_message_get_model (m), ==, "route-llm");
  g_assert_cmpstr (relay_message_get_routed_model (m), ==, "gpt-4o");
  g_assert_cmpint (relay_message_get_finish_reason (m), ==, RELAY_FINISH_REASON_TOOL_CALLS);
  g_assert_cmpint (relay_message_get_prompt_tokens (m), ==, 11);
  g_assert_cmpint (relay_message_get_completion_tokens (m), ==, 22);
  g_assert_cmpint (relay_message_get_total_tokens (m), ==, 33);
  g_assert_cmpfloat (relay_message_get_compute_points (m), ==, 7);
  g_assert_cmpfloat (relay_message_get_cost (m), ==, 0.25);
  g_assert_cmpint (relay_message_get_first_token_usec (m), ==, 1234);
  g_assert_cmpint (relay_message_get_duration_usec (m), ==, 56789);
  g_assert_cmpint (relay_message_get_created_at (m), ==, 1700000000123456);
  g_assert_cmpint (relay_message_get_state (m), ==, RELAY_MESSAGE_STATE_COMPLETE);
  g_assert_cmpuint (relay_message_get_tool_calls (m)->len, ==, 1);
  call = g_ptr_array_index (relay_message_get_tool_calls (m), 0);
  g_assert_cmpstr (call->id, ==, "call_9");
  g_assert_cmpstr (call->type, ==, "function");
  g_assert_cmpstr (call->name, ==, "add");
  g_assert_cmpstr (call->arguments->str, ==, "{\"a\":2,\"b\":2}");

  m = test_message_at (G_LIST_MODEL (reloaded), 2);
  g_assert_cmpint (relay_message_get_role (m), ==, RELAY_ROLE_TOOL);
  g_assert_cmpstr (relay_message_get_tool_call_id (m), ==, "call_9");

  m = test_message_at (G_LIST_MODEL (reloaded), 3);
  g_assert_cmpint (relay_message_get_state (m), ==, RELAY_MESSAGE_STATE_FAILED);
  g_assert_cmpstr (relay_message_get_error_message (m), ==, "The server closed the connection");
  g_assert_cmpstr (relay_message_get_content (m), ==, "Done");

  g_clear_object (&list);
  test_close_store (store);
}

/* Listing must not read messages ------------------------------------------------------- */

typedef struct
{
  gint watching;
  gint content_reads;      /* statements prepared that read messages.content */
  gint message_rows;       /* rows produced by statements over messages */
  gint statements;
} ReadLog;

static ReadLog read_log;

static int
authorizer_cb (void       *data,
               int         action,
               const char *arg1,
               const char *arg2,
               const char *db_name,
               const char *trigger)
{
  if (g_atomic_int_get (&read_log.watching) && action == SQLITE_READ &&
      g_strcmp0 (arg1, "messages") == 0 && g_strcmp0 (arg2, "content") == 0)
    g_atomic_int_inc (&read_log.content_reads);
  return SQLITE_OK;
}

static int
trace_cb (unsigned  type,
          void     *data,
          void     *p,
          void     *x)
{
  const char *sql;

  if (!g_atomic_int_get (&read_log.watching))
    return 0;
  if (type == SQLITE_TRACE_STMT)
    g_atomic_int_inc (&read_log.statements);
  else if (type == SQLITE_TRACE_ROW && (sql = sqlite3_sql (p)) != NULL &&
           strstr (sql, "messages") != NULL)
    g_atomic_int_inc (&read_log.message_rows);
  return 0;
}

static void
watch_reads_hook (sqlite3  *db,
                  gpointer  data)
{
  sqlite3_set_authorizer (db, authorizer_cb, NULL);
  sqlite3_trace_v2 (db, SQLITE_TRACE_STMT | SQLITE_TRACE_ROW, trace_cb, NULL);
}

static void
test_store_listing_reads_no_messages (Fixture       *fixture,
                                      gconstpointer  data)
{
  RelayStore *store = test_open_store (fixture->path);
  g_autoptr(RelayConversationList) list = NULL;
  RelayConversation *conversation;

  for (guint i = 0; i < 5; i++)
    {
      g_autoptr(RelayConversation) c = relay_conversation_new (store);

      for (guint j = 0; j < 4; j++)
        {
          g_autofree char *text = g_strdup_printf ("message %u of conversation %u", j, i);
          g_autoptr(RelayMessage) message = relay_message_new (j % 2 ? RELAY_ROLE_ASSISTANT : RELAY_ROLE_USER, text);

          test_append (c, message);
        }
    }
  test_close_store (store);

  /* What start-up does, watched statement by statement. */
  _relay_store_set_open_hook (watch_reads_hook, NULL);
  g_atomic_int_set (&read_log.watching, TRUE);
  store = test_open_store (fixture->path);
  list = test_load_list (store);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 5);
  test_flush (store);
  g_assert_cmpint (g_atomic_int_get (&read_log.statements), >, 0);
  g_assert_cmpint (g_atomic_int_get (&read_log.content_reads), ==, 0);
  g_assert_cmpint (g_atomic_int_get (&read_log.message_rows), ==, 0);

  /* The watch does see a conversation load its messages. */
  conversation = g_list_model_get_item (G_LIST_MODEL (list), 0);
  test_load (conversation);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (conversation)), ==, 4);
  g_assert_cmpint (g_atomic_int_get (&read_log.content_reads), >, 0);
  g_assert_cmpint (g_atomic_int_get (&read_log.message_rows), ==, 4);
  g_object_unref (conversation);

  g_atomic_int_set (&read_log.watching, FALSE);
  g_clear_object (&list);
  test_close_store (store);
}

/* Recovery, search, deletion ------------------------------------------------------------- */

static void
test_store_recovers_unfinished_replies (Fixture       *fixture,
                                        gconstpointer  data)
{
  RelayStore *crashed = test_open_store (fixture->path);
  RelayConversation *conversation = relay_conversation_new (crashed);
  g_autoptr(RelayMessage) question = relay_message_new (RELAY_ROLE_USER, "Tell me a story");
  g_autoptr(RelayMessage) reply = NULL;
  g_autoptr(GPtrArray) conversations = NULL;
  RelayConversation *reloaded;
  RelayStore *store;
  sqlite3 *db;

  test_append (conversation, question);
  reply = relay_conversation_begin_reply (conversation, "route-llm");
  relay_message_append_content (reply, "Once upon", -1);
  test_flush (crashed);

  /* As a crash leaves it: the reply never finished. The first store stays open, as a
   * dead process's would have no say in what happens next. */
  db = test_open_reader (fixture->path);
  g_assert_cmpint (test_query_int (db, "SELECT count(*) FROM messages WHERE state IN ('pending', 'streaming')"), ==, 1);
  sqlite3_close (db);

  store = test_open_store (fixture->path);
  g_assert_cmpuint (relay_store_get_n_recovered (store), ==, 1);
  conversations = list_conversations (store);
  g_assert_cmpuint (conversations->len, ==, 1);
  reloaded = g_ptr_array_index (conversations, 0);
  test_load (reloaded);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (reloaded)), ==, 2);
  g_assert_cmpstr (relay_message_get_content (test_message_at (G_LIST_MODEL (reloaded), 0)), ==,
                   "Tell me a story");
  g_assert_cmpint (relay_message_get_state (test_message_at (G_LIST_MODEL (reloaded), 1)), ==,
                   RELAY_MESSAGE_STATE_INTERRUPTED);
  g_clear_pointer (&conversations, g_ptr_array_unref);
  test_close_store (store);

  /* A conversation dropped while its reply streams (Relay quitting) saves the reply as
   * interrupted itself. */
  g_assert_finalize_object (conversation);
  g_assert_cmpint (relay_message_get_state (reply), ==, RELAY_MESSAGE_STATE_INTERRUPTED);
  test_close_store (crashed);
  store = test_open_store (fixture->path);
  g_assert_cmpuint (relay_store_get_n_recovered (store), ==, 0);
  test_close_store (store);
}

static void
test_store_search (Fixture       *fixture,
                   gconstpointer  data)
{
  RelayStore *store = test_open_store (fixture->path);
  const char *texts[][2] = {
    { "Planning a trip to Zürich", "Which museums open on Mondays?" },
    { "Sourdough", "My starter smells like acetone, is it dead?" },
    { "Quarterly report", "Summarise the revenue table for Q3" },
  };
  gint64 ids[G_N_ELEMENTS (texts)];
  g_autoptr(GArray) found = NULL;
  RelayConversation *conversations[G_N_ELEMENTS (texts)];
  const char *awkward[] = {
    "\"", "\"\"", "AND", "OR NOT", "(", "*", "NEAR(a b)", "col:umn", "a\"b*", "''", "%", "_", NULL
  };

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      g_autoptr(RelayMessage) message = relay_message_new (RELAY_ROLE_USER, texts[i][1]);

      conversations[i] = relay_conversation_new (store);
      relay_conversation_set_title (conversations[i], texts[i][0]);
      test_append (conversations[i], message);
    }
  test_flush (store);
  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    ids[i] = relay_conversation_get_id (conversations[i]);

#define ASSERT_FINDS(query, ...)                                                   \
  G_STMT_START {                                                                   \
    gint64 expected[] = { __VA_ARGS__ };                                           \
    g_autoptr(GArray) got = search (store, query);                                 \
    g_assert_cmpuint (got->len, ==, G_N_ELEMENTS (expected) - 1);                  \
    for (guint k = 0; k + 1 < G_N_ELEMENTS (expected); k++)                        \
      {                                                                            \
        gboolean seen = FALSE;                                                     \
        for (guint l = 0; l < got->len; l++)                                       \
          seen |= g_array_index (got, gint64, l) == expected[k];                   \
        g_assert_true (seen);                                                      \
      }                                                                            \
  } G_STMT_END

  /* Titles, message text, prefixes, case and accents. */
  ASSERT_FINDS ("zurich", ids[0], 0);
  ASSERT_FINDS ("ZÜRICH trip", ids[0], 0);
  ASSERT_FINDS ("museum", ids[0], 0);
  ASSERT_FINDS ("acetone", ids[1], 0);
  ASSERT_FINDS ("sour", ids[1], 0);
  ASSERT_FINDS ("revenue q3", ids[2], 0);
  ASSERT_FINDS ("revenue mondays", 0);
  ASSERT_FINDS ("  ", 0);
  ASSERT_FINDS ("s", ids[1], ids[2], 0);

  /* What the user types is never read as query syntax, and never fails. */
  for (guint i = 0; awkward[i] != NULL; i++)
    {
      g_clear_pointer (&found, g_array_unref);
      found = search (store, awkward[i]);
    }

  /* A renamed conversation is found by its new title only. */
  relay_conversation_set_title (conversations[2], "Board meeting");
  test_flush (store);
  ASSERT_FINDS ("quarterly", 0);
  ASSERT_FINDS ("board", ids[2], 0);

  /* A deleted conversation is not found. */
  {
    g_autoptr(GAsyncResult) result = NULL;
    g_autoptr(GError) error = NULL;

    relay_store_delete_conversation_async (store, conversations[1], NULL, test_result_cb, &result);
    g_assert_true (relay_store_delete_conversation_finish (store, test_wait_result (&result), &error));
    g_assert_no_error (error);
  }
  ASSERT_FINDS ("acetone", 0);
#undef ASSERT_FINDS

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    g_object_unref (conversations[i]);
  test_close_store (store);
}

static void
test_store_delete_restore_purge (Fixture       *fixture,
                                 gconstpointer  data)
{
  RelayStore *store = test_open_store (fixture->path);
  g_autoptr(RelayConversation) conversation = relay_conversation_new (store);
  g_autoptr(RelayMessage) message = relay_message_new (RELAY_ROLE_USER, "Keep this safe");
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) conversations = NULL;
  g_autoptr(GError) error = NULL;
  sqlite3 *db;

  test_append (conversation, message);
  relay_store_delete_conversation_async (store, conversation, NULL, test_result_cb, &result);
  g_assert_true (relay_store_delete_conversation_finish (store, test_wait_result (&result), &error));
  g_clear_object (&result);
  conversations = list_conversations (store);
  g_assert_cmpuint (conversations->len, ==, 0);
  g_clear_pointer (&conversations, g_ptr_array_unref);

  relay_store_restore_conversation_async (store, conversation, NULL, test_result_cb, &result);
  g_assert_true (relay_store_restore_conversation_finish (store, test_wait_result (&result), &error));
  g_clear_object (&result);
  conversations = list_conversations (store);
  g_assert_cmpuint (conversations->len, ==, 1);
  g_clear_pointer (&conversations, g_ptr_array_unref);

  relay_store_delete_conversation_async (store, conversation, NULL, test_result_cb, &result);
  g_assert_true (relay_store_delete_conversation_finish (store, test_wait_result (&result), &error));
  g_clear_object (&result);
  relay_store_purge_deleted_async (store, NULL, test_result_cb, &result);
  g_assert_true (relay_store_purge_deleted_finish (store, test_wait_result (&result), &error));
  g_assert_no_error (error);

  /* Gone from disk, with its messages and their place in the search index. */
  db = test_open_reader (fixture->path);
  g_assert_cmpint (test_query_int (db, "SELECT count(*) FROM conversations"), ==, 0);
  g_assert_cmpint (test_query_int (db, "SELECT count(*) FROM messages"), ==, 0);
  g_assert_cmpint (test_query_int (db, "SELECT count(*) FROM messages_fts WHERE messages_fts MATCH 'safe'"), ==, 0);
  sqlite3_close (db);

  g_clear_object (&result);
  g_clear_object (&conversation);
  test_close_store (store);
}

static void
test_store_cancelled_before_running (Fixture       *fixture,
                                     gconstpointer  data)
{
  RelayStore *store = test_open_store (fixture->path);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) conversations = NULL;
  g_autoptr(GError) error = NULL;

  g_cancellable_cancel (cancellable);
  relay_store_list_conversations_async (store, cancellable, test_result_cb, &result);
  conversations = relay_store_list_conversations_finish (store, test_wait_result (&result), &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (conversations);
  g_clear_object (&result);
  test_close_store (store);
}

static void
test_store_unsaved_message_errors (Fixture       *fixture,
                                   gconstpointer  data)
{
  RelayStore *store = test_open_store (fixture->path);
  g_autoptr(RelayMessage) message = relay_message_new (RELAY_ROLE_USER, "never inserted");
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  relay_store_update_message_async (store, message, NULL, test_result_cb, &result);
  g_assert_false (relay_store_update_message_finish (store, test_wait_result (&result), &error));
  g_assert_error (error, RELAY_STORE_ERROR, RELAY_STORE_ERROR_NOT_FOUND);
  g_clear_object (&result);
  test_close_store (store);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *data_home = test_make_dir ();
  int status;

  /* Before anything asks GLib for it, so the default path lands in a scratch place. */
  g_setenv ("XDG_DATA_HOME", data_home, TRUE);
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/store/migrate/empty", test_store_creates_and_migrates_empty);
  ADD ("/store/migrate/from-v1", test_store_migrates_from_v1);
  ADD ("/store/migrate/refuses-newer", test_store_refuses_newer_schema);
  ADD ("/store/round-trip", test_store_round_trip);
  ADD ("/store/listing-reads-no-messages", test_store_listing_reads_no_messages);
  ADD ("/store/recovers-unfinished-replies", test_store_recovers_unfinished_replies);
  ADD ("/store/search", test_store_search);
  ADD ("/store/delete-restore-purge", test_store_delete_restore_purge);
  ADD ("/store/cancelled-before-running", test_store_cancelled_before_running);
  ADD ("/store/unsaved-message-errors", test_store_unsaved_message_errors);
#undef ADD
  g_test_add_func ("/store/default-path", test_store_default_path);

  status = g_test_run ();
  test_remove_tree (data_home);
  return status;
}
