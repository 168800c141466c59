/* chat-view-test-util.h: what the chat view's test and benchmark share.
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>
#include <sqlite3.h>
#include <string.h>

#include "relay-conversation-view.h"
#include "relay-fake-server.h"
#include "relay-markdown-view.h"
#include "relay-message-row.h"
#include "relay-store-test-util.h"

#define CHAT_PATH "/v1/chat/completions"
#define CHAT_KEY  "test-key-0123456789"

/* Cuts @doc into pieces of 1 to @max_piece bytes as a model's tokens come, but never
 * inside a UTF-8 character: each piece travels as a JSON string. */
static inline GPtrArray *
chat_test_split (const char *doc,
                 guint32     seed,
                 guint       max_piece)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  GPtrArray *pieces = g_ptr_array_new_with_free_func (g_free);
  gsize length = strlen (doc);

  for (gsize pos = 0; pos < length;)
    {
      gsize end = MIN (pos + g_rand_int_range (rand, 1, max_piece + 1), length);

      while (end < length && ((guchar) doc[end] & 0xC0) == 0x80)
        end++;
      g_ptr_array_add (pieces, g_strndup (doc + pos, end - pos));
      pos = end;
    }
  return pieces;
}

/* A stream as RouteLLM sends it: the routed model in every chunk, @per_step text chunks
 * written together every @delay_ms, then usage and [DONE]. */
static inline RelayFakeReply *
chat_test_stream (const char *routed_model,
                  GPtrArray  *pieces,
                  guint       per_step,
                  guint       delay_ms,
                  gint64      prompt_tokens,
                  gint64      completion_tokens)
{
  RelayFakeReply *reply = relay_fake_reply_new_stream ();
  g_autofree char *role = relay_fake_chunk_role (routed_model);
  g_autofree char *finish = relay_fake_chunk_finish (routed_model, "stop");
  g_autofree char *usage = relay_fake_chunk_usage (routed_model, prompt_tokens, completion_tokens);
  g_autoptr(GString) batch = g_string_new (NULL);

  relay_fake_reply_add_event (reply, 0, role);
  for (guint i = 0; i < pieces->len; i++)
    {
      g_autofree char *chunk = relay_fake_chunk_text (routed_model, g_ptr_array_index (pieces, i));

      g_string_append_printf (batch, "data: %s\n\n", chunk);
      if ((i + 1) % per_step == 0 || i + 1 == pieces->len)
        {
          relay_fake_reply_add_data (reply, delay_ms, batch->str, batch->len);
          g_string_truncate (batch, 0);
        }
    }
  relay_fake_reply_add_event (reply, 0, finish);
  relay_fake_reply_add_event (reply, 0, usage);
  relay_fake_reply_add_done (reply, 0);
  return reply;
}

/* The row showing @message, once the list view has bound one to it. */
static inline RelayMessageRow *
chat_test_find_row (GtkWidget    *widget,
                    RelayMessage *message)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      RelayMessageRow *found;

      if (RELAY_IS_MESSAGE_ROW (child))
        {
          if (relay_message_row_get_message (RELAY_MESSAGE_ROW (child)) == message)
            return RELAY_MESSAGE_ROW (child);
          continue;
        }
      if ((found = chat_test_find_row (child, message)) != NULL)
        return found;
    }
  return NULL;
}

static inline guint
chat_test_count_rows (GtkWidget *widget)
{
  guint n = 0;

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    n += RELAY_IS_MESSAGE_ROW (child) ? 1 : chat_test_count_rows (child);
  return n;
}

/* A widget of a template by the id it has in the .ui file. */
static inline GtkWidget *
chat_test_find_by_id (GtkWidget  *widget,
                      const char *id)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (g_strcmp0 (gtk_buildable_get_buildable_id (GTK_BUILDABLE (child)), id) == 0)
        return child;
      if ((found = chat_test_find_by_id (child, id)) != NULL)
        return found;
    }
  return NULL;
}

static inline GtkAdjustment *
chat_test_vadjustment (RelayConversationView *view)
{
  GtkWidget *scroller = chat_test_find_by_id (GTK_WIDGET (view), "scroller");

  g_assert_nonnull (scroller);
  return gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scroller));
}

static inline gboolean
chat_test_at_end (RelayConversationView *view)
{
  GtkAdjustment *adjustment = chat_test_vadjustment (view);

  return gtk_adjustment_get_value (adjustment) + gtk_adjustment_get_page_size (adjustment) >=
         gtk_adjustment_get_upper (adjustment) - 1;
}

static inline gboolean
chat_test_count_tick_cb (GtkWidget     *widget,
                         GdkFrameClock *clock,
                         gpointer       data)
{
  (*(guint *) data)++;
  return G_SOURCE_CONTINUE;
}

/* Lets @n frames of @widget's window be laid out and drawn. */
static inline void
chat_test_wait_frames (GtkWidget *widget,
                       guint      n)
{
  guint frames = 0;
  guint id = gtk_widget_add_tick_callback (widget, chat_test_count_tick_cb, &frames, NULL);

  TEST_WAIT_UNTIL (frames > n);
  gtk_widget_remove_tick_callback (widget, id);
}

/* What a fresh view shows for @text rendered whole. */
static inline char *
chat_test_render_whole (const char *text,
                        gboolean    json_mode)
{
  RelayMarkdownView *view = RELAY_MARKDOWN_VIEW (g_object_ref_sink (relay_markdown_view_new ()));
  char *shown;

  relay_markdown_view_set_json_mode (view, json_mode);
  relay_markdown_view_set_text (view, text);
  shown = relay_markdown_view_dup_shown_text (view);
  g_object_unref (view);
  return shown;
}

static inline RelayMarkdownView *
chat_test_row_markdown (RelayMessageRow *row)
{
  GtkWidget *view = chat_test_find_by_id (GTK_WIDGET (row), "markdown_view");

  g_assert_true (RELAY_IS_MARKDOWN_VIEW (view));
  return RELAY_MARKDOWN_VIEW (view);
}

static inline const char *
chat_test_label_text (RelayMessageRow *row,
                      const char      *id)
{
  GtkWidget *label = chat_test_find_by_id (GTK_WIDGET (row), id);

  g_assert_true (GTK_IS_LABEL (label));
  return gtk_label_get_text (GTK_LABEL (label));
}

static inline gboolean
chat_test_shows (RelayMessageRow *row,
                 const char      *id)
{
  GtkWidget *widget = chat_test_find_by_id (GTK_WIDGET (row), id);

  /* Some parts are only made once a row needs them. */
  return widget != NULL && gtk_widget_is_visible (widget);
}

static const char *chat_test_words[] = {
  "route", "model", "reply", "token", "stream", "window", "widget", "list", "render",
  "the", "a", "of", "and", "to", "in", "with", "text", "fast", "cost", "chat",
};

/* A store at @path holding one conversation (id 1) of @n_messages messages, written
 * straight to SQLite in one transaction: a fixture, not what is measured. Every tenth
 * reply has a code block. */
static inline void
chat_test_write_long_chat (const char *path,
                           guint       n_messages)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);
  g_autoptr(GString) text = g_string_new (NULL);
  sqlite3_stmt *stmt = NULL;
  gint64 now = g_get_real_time ();
  sqlite3 *db = NULL;

  test_close_store (test_open_store (path));
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db,
    "PRAGMA synchronous = OFF; BEGIN;"
    "INSERT INTO conversations (id, created_at, updated_at, title, model, settings,"
    "                           prompt_tokens, completion_tokens, cost)"
    "  VALUES (1, 0, 1, 'A long chat', 'route-llm', '{}', 0, 0, -1)",
    NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db,
    "INSERT INTO messages (id, conversation_id, parent_id, active, role, state, created_at,"
    "                      prompt_tokens, completion_tokens, total_tokens, cost, model,"
    "                      routed_model, duration_usec, content)"
    "  VALUES (?1, 1, ?2, 1, ?3, 'complete', ?4, ?5, ?6, ?7, ?8, 'route-llm', ?9, ?10, ?11)",
    -1, &stmt, NULL), ==, SQLITE_OK);

  for (guint m = 0; m < n_messages; m++)
    {
      gboolean user = m % 2 == 0;
      guint n_words = user ? g_rand_int_range (rand, 5, 30) : g_rand_int_range (rand, 30, 120);

      g_string_truncate (text, 0);
      for (guint w = 0; w < n_words; w++)
        {
          guint word = g_rand_int_range (rand, 0, G_N_ELEMENTS (chat_test_words));

          g_string_append_printf (text, "%s%s", w ? " " : "", chat_test_words[word]);
        }
      if (!user && m % 20 == 1)
        g_string_append (text, "\n\n```c\nint\nmain (void)\n{\n  return 0;\n}\n```\n");

      sqlite3_bind_int64 (stmt, 1, m + 1);
      if (m > 0)
        sqlite3_bind_int64 (stmt, 2, m);
      else
        sqlite3_bind_null (stmt, 2);
      sqlite3_bind_text (stmt, 3, user ? "user" : "assistant", -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 4, now - (gint64) (n_messages - m) * G_USEC_PER_SEC);
      sqlite3_bind_int64 (stmt, 5, user ? -1 : 40);
      sqlite3_bind_int64 (stmt, 6, user ? -1 : 120);
      sqlite3_bind_int64 (stmt, 7, user ? -1 : 160);
      sqlite3_bind_double (stmt, 8, user ? -1 : 0.0002);
      if (user)
        sqlite3_bind_null (stmt, 9);
      else
        sqlite3_bind_text (stmt, 9, "gpt-5-mini", -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 10, user ? -1 : 1500000);
      sqlite3_bind_text (stmt, 11, text->str, text->len, SQLITE_TRANSIENT);
      g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
      sqlite3_reset (stmt);
      sqlite3_clear_bindings (stmt);
    }
  sqlite3_finalize (stmt);
  g_assert_cmpint (sqlite3_exec (db, "COMMIT; PRAGMA wal_checkpoint(TRUNCATE)", NULL, NULL, NULL),
                   ==, SQLITE_OK);
  sqlite3_close (db);
}

static inline void
chat_test_load_styles (void)
{
  static gboolean loaded;
  GtkCssProvider *provider;

  if (loaded)
    return;
  loaded = TRUE;
  provider = gtk_css_provider_new ();
  gtk_css_provider_load_from_resource (provider, "/io/github/relay_llm/Relay/style.css");
  gtk_style_context_add_provider_for_display (gdk_display_get_default (),
                                              GTK_STYLE_PROVIDER (provider),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  g_object_unref (provider);
}
