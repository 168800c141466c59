/* relay-store-test-util.h: helpers the store and conversation tests share.
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib/gstdio.h>
#include <sqlite3.h>

#include "relay-conversation.h"
#include "relay-conversation-list.h"
#include "relay-store.h"

/* Long enough for a slow machine under valgrind; a test that needs it has failed. */
#define TEST_DEADLINE_SECONDS 30

static inline gboolean
test_wake_cb (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

#define TEST_WAIT_UNTIL(cond)                                                      \
  G_STMT_START {                                                                   \
    gint64 _deadline = g_get_monotonic_time () + TEST_DEADLINE_SECONDS * G_USEC_PER_SEC; \
    guint _wake = g_timeout_add (20, test_wake_cb, NULL);                           \
    while (!(cond))                                                                \
      {                                                                            \
        if (g_get_monotonic_time () > _deadline)                                   \
          g_error ("Timed out waiting for %s", #cond);                             \
        g_main_context_iteration (NULL, TRUE);                                     \
      }                                                                            \
    g_source_remove (_wake);                                                       \
  } G_STMT_END

static inline void
test_result_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

/* Waits for an async operation started with test_result_cb and &result. */
static inline GAsyncResult *
test_wait_result (GAsyncResult **result)
{
  TEST_WAIT_UNTIL (*result != NULL);
  return *result;
}

static inline RelayStore *
test_open_store (const char *path)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  RelayStore *store;

  relay_store_open_async (path, NULL, test_result_cb, &result);
  store = relay_store_open_finish (test_wait_result (&result), &error);
  g_assert_no_error (error);
  g_assert_nonnull (store);
  return store;
}

/* Waits until everything queued so far is on disk. */
static inline void
test_flush (RelayStore *store)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  /* Conversations save on idle: let those run before the flush is queued. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  relay_store_flush_async (store, NULL, test_result_cb, &result);
  g_assert_true (relay_store_flush_finish (store, test_wait_result (&result), &error));
  g_assert_no_error (error);
}

/* Drops a store and waits for its worker to finish. */
static inline void
test_close_store (RelayStore *store)
{
  test_flush (store);
  /* Completions of jobs queued before the flush may still be on their way here. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_finalize_object (store);
}

static inline void
test_load (RelayConversation *conversation)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  relay_conversation_load_async (conversation, NULL, test_result_cb, &result);
  g_assert_true (relay_conversation_load_finish (conversation, test_wait_result (&result), &error));
  g_assert_no_error (error);
  g_assert_true (relay_conversation_get_loaded (conversation));
}

static inline void
test_append (RelayConversation *conversation,
             RelayMessage      *message)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  relay_conversation_append_async (conversation, message, NULL, test_result_cb, &result);
  g_assert_true (relay_conversation_append_finish (conversation, test_wait_result (&result), &error));
  g_assert_no_error (error);
}

static inline RelayConversationList *
test_load_list (RelayStore *store)
{
  RelayConversationList *list = relay_conversation_list_new (store);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  relay_conversation_list_load_async (list, NULL, test_result_cb, &result);
  g_assert_true (relay_conversation_list_load_finish (list, test_wait_result (&result), &error));
  g_assert_no_error (error);
  return list;
}

static inline RelayMessage *
test_message_at (GListModel *model,
                 guint       position)
{
  RelayMessage *message = g_list_model_get_item (model, position);

  g_assert_nonnull (message);
  g_object_unref (message);   /* the model keeps it alive */
  return message;
}

/* A fresh directory standing in for $XDG_DATA_HOME, removed by test_remove_tree(). */
static inline char *
test_make_dir (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("relay-store-test-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

static inline void
test_remove_tree (const char *path)
{
  GDir *dir;
  const char *name;

  if (!g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      g_remove (path);
      return;
    }
  dir = g_dir_open (path, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      test_remove_tree (child);
    }
  if (dir != NULL)
    g_dir_close (dir);
  g_rmdir (path);
}

/* A second connection, as another process would see the file. */
static inline sqlite3 *
test_open_reader (const char *path)
{
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);
  return db;
}

/* Runs a query returning one value, as text (NULL when there is no row). */
static inline char *
test_query_text (sqlite3    *db,
                 const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  char *text = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_type (stmt, 0) != SQLITE_NULL)
    text = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  return text;
}

static inline gint64
test_query_int (sqlite3    *db,
                const char *sql)
{
  g_autofree char *text = test_query_text (db, sql);

  return text ? g_ascii_strtoll (text, NULL, 10) : -1;
}
