/* bench-chat-view.c: what the chat view costs the user's machine.
 *
 * Prints the time to open a 10,000-message conversation in RelayConversationView (read
 * from a real store, then laid out and drawn), the CPU time of the main thread and of
 * the whole process to stream a 3,000-delta Markdown reply at 500 deltas a second through
 * the whole stack (the fake server on loopback, the client, the conversation and its
 * store, the row and its Markdown view, drawn every frame), and the resident memory after
 * each. The fake server runs in a thread of this process: the process figure includes it.
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* RUSAGE_THREAD */
#define _GNU_SOURCE

#include "config.h"

#include <stdio.h>
#include <sys/resource.h>
#include <unistd.h>

#include "chat-view-test-util.h"
#include "markdown-generator.h"

typedef struct
{
  double thread_cpu;
  double process_cpu;
  gint64 wall;
} Clocks;

static double
seconds (const struct timeval *tv)
{
  return tv->tv_sec + tv->tv_usec / 1e6;
}

static Clocks
clocks_now (void)
{
  struct rusage thread, process;
  Clocks now;

  getrusage (RUSAGE_THREAD, &thread);
  getrusage (RUSAGE_SELF, &process);
  now.thread_cpu = seconds (&thread.ru_utime) + seconds (&thread.ru_stime);
  now.process_cpu = seconds (&process.ru_utime) + seconds (&process.ru_stime);
  now.wall = g_get_monotonic_time ();
  return now;
}

static double
resident_mb (void)
{
  g_autofree char *statm = NULL;
  unsigned long size = 0, resident = 0;

  if (!g_file_get_contents ("/proc/self/statm", &statm, NULL, NULL) ||
      sscanf (statm, "%lu %lu", &size, &resident) != 2)
    return -1;
  return resident * (double) sysconf (_SC_PAGESIZE) / (1024 * 1024);
}

static void
after_paint_cb (GdkFrameClock *clock,
                gint64        *painted_at)
{
  if (*painted_at == 0)
    *painted_at = g_get_monotonic_time ();
}

static void
bench_open (GtkWindow             *window,
            RelayConversationView *view,
            const char            *dir)
{
  g_autofree char *path = g_build_filename (dir, "long.db", NULL);
  g_autoptr(RelayConversationList) list = NULL;
  g_autoptr(RelayConversation) conversation = NULL;
  GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (view));
  RelayStore *store;
  gint64 start, loaded, painted_at = 0;
  gulong handler;

  chat_test_write_long_chat (path, 10000);
  store = test_open_store (path);
  list = test_load_list (store);
  conversation = g_object_ref (relay_conversation_list_lookup (list, 1));

  start = g_get_monotonic_time ();
  test_load (conversation);
  loaded = g_get_monotonic_time ();
  handler = g_signal_connect (clock, "after-paint", G_CALLBACK (after_paint_cb), &painted_at);
  relay_conversation_view_set_conversation (view, conversation);
  TEST_WAIT_UNTIL (painted_at != 0 && chat_test_count_rows (GTK_WIDGET (view)) > 0);
  g_signal_handler_disconnect (clock, handler);

  printf ("open a 10,000-message conversation: %.0f ms to read it from the store, "
          "%.0f ms more to the first frame of the view (%u rows made)\n",
          (loaded - start) / 1000.0, (painted_at - loaded) / 1000.0,
          chat_test_count_rows (GTK_WIDGET (view)));
  chat_test_wait_frames (GTK_WIDGET (view), 3);
  printf ("  resident memory after opening it: %.1f MB\n", resident_mb ());

  relay_conversation_view_set_conversation (view, NULL);
  chat_test_wait_frames (GTK_WIDGET (view), 2);
  g_clear_object (&conversation);
  g_clear_object (&list);
  test_close_store (store);
}

static void
count_frame_cb (GdkFrameClock *clock, guint *frames)
{
  (*frames)++;
}

/* With @hidden, nothing is drawn: what the stack costs without the drawing, which the
 * test session does in software (cairo, no GPU). */
static void
bench_stream (GtkWindow             *window,
              RelayConversationView *view,
              const char            *dir,
              guint                  per_second,
              gboolean               hidden)
{
  g_autofree char *name = g_strdup_printf ("stream-%u-%d.db", per_second, hidden);
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GString) doc = markdown_generator_document (per_second, 15000);
  g_autoptr(GPtrArray) pieces = chat_test_split (doc->str, 42, 8);
  g_autoptr(RelayFakeServer) server = relay_fake_server_new ();
  g_autoptr(RelayClient) client = relay_client_new ();
  g_autoptr(RelayConversation) conversation = NULL;
  g_autoptr(RelayChatSession) session = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  RelayStore *store = test_open_store (path);
  GdkFrameClock *clock;
  gulong frame_handler;
  guint frames = 0;
  Clocks before, after;

  g_assert_true (relay_client_set_base_url (client, relay_fake_server_get_base_url (server),
                                            &error));
  relay_client_set_api_key (client, CHAT_KEY);
  conversation = relay_conversation_new (store);
  relay_conversation_set_model (conversation, "route-llm");
  session = relay_chat_session_new (conversation, client, NULL);
  relay_conversation_view_set_session (view, session);
  relay_conversation_view_set_conversation (view, conversation);
  relay_fake_server_queue_reply (server, CHAT_PATH,
                                 chat_test_stream ("claude-4-5-sonnet", pieces,
                                                   MAX (1, per_second / 500), 2, 1204, 3100));
  chat_test_wait_frames (GTK_WIDGET (view), 2);

  clock = gtk_widget_get_frame_clock (GTK_WIDGET (view));
  frame_handler = g_signal_connect (clock, "after-paint", G_CALLBACK (count_frame_cb), &frames);
  if (hidden)
    gtk_widget_set_visible (GTK_WIDGET (window), FALSE);
  before = clocks_now ();
  relay_chat_session_send_async (session, "Write a long reply with code", NULL,
                                 test_result_cb, &result);
  g_assert_true (relay_chat_session_send_finish (session, test_wait_result (&result), &error));
  TEST_WAIT_UNTIL (!relay_chat_session_get_busy (session));
  if (!hidden)
    chat_test_wait_frames (GTK_WIDGET (view), 2);
  after = clocks_now ();
  g_signal_handler_disconnect (clock, frame_handler);
  gtk_widget_set_visible (GTK_WIDGET (window), TRUE);
  TEST_WAIT_UNTIL (gtk_widget_get_mapped (GTK_WIDGET (view)));

  printf ("stream %u deltas (%.0f KB of Markdown) at %u a second%s: %.2f s, %u frames drawn; "
          "CPU: main thread %.3f s, process %.3f s (with the fake server's thread)\n",
          pieces->len, doc->len / 1024.0, per_second, hidden ? ", window hidden" : "",
          (after.wall - before.wall) / 1e6, frames,
          after.thread_cpu - before.thread_cpu, after.process_cpu - before.process_cpu);
  printf ("  resident memory after the reply: %.1f MB\n", resident_mb ());

  relay_conversation_view_set_conversation (view, NULL);
  relay_conversation_view_set_session (view, NULL);
  chat_test_wait_frames (GTK_WIDGET (view), 2);
  /* The send's result holds the session, which holds the conversation. */
  g_clear_object (&result);
  g_clear_object (&session);
  test_flush (store);
  {
    RelayConversation *weak = conversation;

    g_object_add_weak_pointer (G_OBJECT (weak), (gpointer *) &weak);
    g_clear_object (&conversation);
    TEST_WAIT_UNTIL (weak == NULL);
  }
  test_close_store (store);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *dir = NULL;
  RelayConversationView *view;
  GtkWidget *toasts;
  GtkWindow *window;

  gtk_init ();
  adw_init ();
  chat_test_load_styles ();

  dir = test_make_dir ();
  window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (window, 900, 800);
  toasts = adw_toast_overlay_new ();
  view = RELAY_CONVERSATION_VIEW (relay_conversation_view_new ());
  adw_toast_overlay_set_child (ADW_TOAST_OVERLAY (toasts), GTK_WIDGET (view));
  gtk_window_set_child (window, toasts);
  gtk_window_present (window);
  TEST_WAIT_UNTIL (gtk_widget_get_mapped (GTK_WIDGET (view)));
  chat_test_wait_frames (GTK_WIDGET (view), 3);
  printf ("resident memory with an empty chat view: %.1f MB\n", resident_mb ());

  bench_open (window, view, dir);
  bench_stream (window, view, dir, 500, FALSE);
  bench_stream (window, view, dir, 500, TRUE);
  bench_stream (window, view, dir, 5000, FALSE);

  gtk_window_destroy (window);
  test_remove_tree (dir);
  return 0;
}
