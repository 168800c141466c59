/* bench-sidebar.c: what the sidebar costs with a big history.
 *
 * 1,000 conversations over the last 90 days, 20 of them pinned. Times showing them
 * (sorted into sections, first frame drawn), redoing the sections (what a pin in place
 * or midnight costs), and a search over titles and messages until its results show.
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdio.h>

#include "relay-resources.h"
#include "relay-sidebar.h"
#include "relay-ui-test-util.h"

#define N_CONVERSATIONS 1000
#define RUNS            15

static void
generate (const char *path)
{
  g_autoptr(GString) sql = g_string_new ("BEGIN;");
  gint64 now = g_get_real_time ();
  sqlite3 *db = NULL;

  for (guint i = 1; i <= N_CONVERSATIONS; i++)
    {
      gint64 when = now - (gint64) i * 90 * G_TIME_SPAN_DAY / N_CONVERSATIONS;

      g_string_append_printf (sql,
                              "INSERT INTO conversations (id, created_at, updated_at, pinned, title)"
                              " VALUES (%u, %" G_GINT64_FORMAT ", %" G_GINT64_FORMAT ", %d, 'Chat %u');"
                              "INSERT INTO messages (conversation_id, role, created_at, content)"
                              " VALUES (%u, 'user', %" G_GINT64_FORMAT ", 'Question %u about %s');",
                              i, when, when, i % 50 == 0, i, i, when, i,
                              i % 100 == 0 ? "lighthouses" : "rivers");
    }
  g_string_append (sql, "COMMIT;");
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, sql->str, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double da = *(const double *) a, db = *(const double *) b;

  return da < db ? -1 : da > db;
}

static void
report (const char *what,
        GArray     *ms)
{
  g_array_sort (ms, compare_doubles);
  printf ("%-48s median %7.2f ms   min %7.2f ms   max %7.2f ms\n", what,
          g_array_index (ms, double, ms->len / 2), g_array_index (ms, double, 0),
          g_array_index (ms, double, ms->len - 1));
}

static const char *
visible_page (RelaySidebar *sidebar)
{
  GObject *stack = gtk_widget_get_template_child (GTK_WIDGET (sidebar), RELAY_TYPE_SIDEBAR, "stack");

  return gtk_stack_get_visible_child_name (GTK_STACK (stack));
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GArray) show = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) resection = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) search = g_array_new (FALSE, FALSE, sizeof (double));
  RelayStore *store;
  g_autoptr(RelayConversationList) list = NULL;
  g_autoptr(GAsyncResult) result = NULL;

  ui_test_init (&argc, &argv);

  dir = test_make_dir ();
  path = g_build_filename (dir, "relay.db", NULL);
  store = test_open_store (path);
  test_close_store (store);
  generate (path);
  store = test_open_store (path);
  list = relay_conversation_list_new (store);
  relay_conversation_list_load_all_async (list, NULL, test_result_cb, &result);
  g_assert_true (relay_conversation_list_load_all_finish (list, test_wait_result (&result), NULL));
  g_clear_object (&result);   /* it holds the list, which holds the store */
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, N_CONVERSATIONS);

  for (guint run = 0; run < RUNS; run++)
    {
      GtkWidget *window = ui_test_window_new (UI_TEST_FRAME + 360, 800);
      RelaySidebar *sidebar = RELAY_SIDEBAR (relay_sidebar_new ());
      RelayConversation *top;
      gint64 start;
      double ms;

      adw_window_set_content (ADW_WINDOW (window), GTK_WIDGET (sidebar));
      ui_test_present (window);

      /* Listing 1,000 chats in sections, to the first frame that shows them */
      start = g_get_monotonic_time ();
      relay_sidebar_set_conversations (sidebar, list);
      ui_test_wait_for_frames (window);
      ms = (g_get_monotonic_time () - start) / 1000.0;
      g_array_append_val (show, ms);

      /* Pinning the newest unpinned chat in place: every section computed again */
      top = g_list_model_get_item (G_LIST_MODEL (list), 20);
      start = g_get_monotonic_time ();
      relay_conversation_set_pinned (top, TRUE);
      relay_conversation_set_pinned (top, FALSE);
      ui_test_wait_for_frames (window);
      ms = (g_get_monotonic_time () - start) / 1000.0;
      g_array_append_val (resection, ms);
      g_object_unref (top);

      /* A search found in 10 messages, to the frame that shows the results */
      start = g_get_monotonic_time ();
      relay_sidebar_set_search_text (sidebar, "lighthouses");
      TEST_WAIT_UNTIL (g_list_model_get_n_items (G_LIST_MODEL (gtk_list_view_get_model (
        GTK_LIST_VIEW (gtk_widget_get_template_child (GTK_WIDGET (sidebar), RELAY_TYPE_SIDEBAR, "list_view"))))) == 10);
      g_assert_cmpstr (visible_page (sidebar), ==, "list");
      ui_test_wait_for_frames (window);
      ms = (g_get_monotonic_time () - start) / 1000.0;
      g_array_append_val (search, ms);

      gtk_window_destroy (GTK_WINDOW (window));
    }

  printf ("Sidebar with %u conversations, %u runs\n", N_CONVERSATIONS, RUNS);
  report ("show, sorted into sections, first frame", show);
  report ("sections redone (pin and unpin), next frame", resection);
  report ("search (150 ms typing pause included)", search);

  g_clear_object (&list);
  test_close_store (store);
  test_remove_tree (dir);
  return 0;
}
