/* test-store-crash.c: kill -9 in the middle of a streaming reply loses at most about a
 * second of it, never the user's message, and the reply reopens as interrupted.
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <signal.h>
#include <string.h>

#include "relay-store-test-util.h"

#define QUESTION "Tell me a very long story about a lighthouse keeper.\nTake your time."
#define STREAM_SECONDS 2.5

typedef struct
{
  GDataInputStream *input;
  gboolean          committed;
  gboolean          eof;
  gint64            first_delta;   /* when the first length arrived */
  GArray           *times;         /* gint64: when each length arrived here */
  GArray           *lengths;       /* gsize: reply length the helper reported */
} HelperLog;

static void read_next (HelperLog *log);

static void
line_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      data)
{
  HelperLog *log = data;
  g_autofree char *line = g_data_input_stream_read_line_finish (log->input, result, NULL, NULL);
  gint64 now = g_get_monotonic_time ();

  if (line == NULL)
    {
      log->eof = TRUE;
      return;
    }
  if (strcmp (line, "committed") == 0)
    log->committed = TRUE;
  else
    {
      gsize length = g_ascii_strtoull (line, NULL, 10);

      if (log->times->len == 0)
        log->first_delta = now;
      g_array_append_val (log->times, now);
      g_array_append_val (log->lengths, length);
    }
  read_next (log);
}

static void
read_next (HelperLog *log)
{
  g_data_input_stream_read_line_async (log->input, G_PRIORITY_DEFAULT, NULL, line_cb, log);
}

static char *
expected_reply (gsize length)
{
  GString *text = g_string_new (NULL);

  for (guint i = 0; text->len < length; i++)
    g_string_append_printf (text, "w%05u ", i);
  return g_string_free (text, FALSE);
}

static void
test_crash_mid_stream (void)
{
  g_autofree char *dir = test_make_dir ();
  g_autofree char *path = g_build_filename (dir, "relay", "relay.db", NULL);
  g_autofree char *helper = g_test_build_filename (G_TEST_BUILT, "store-crash-helper", NULL);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(RelayConversationList) list = NULL;
  g_autoptr(RelayConversation) conversation = NULL;
  g_autofree char *expected = NULL;
  HelperLog log = { 0 };
  gsize safe_length = 0, killed_length;
  RelayMessage *question, *reply;
  RelayStore *store;
  gint64 kill_time;

  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error, helper, path, NULL);
  g_assert_no_error (error);
  log.input = g_data_input_stream_new (g_subprocess_get_stdout_pipe (process));
  log.times = g_array_new (FALSE, FALSE, sizeof (gint64));
  log.lengths = g_array_new (FALSE, FALSE, sizeof (gsize));
  read_next (&log);

  TEST_WAIT_UNTIL (log.committed || log.eof);
  g_assert_true (log.committed);
  TEST_WAIT_UNTIL (log.eof || (log.times->len > 0 &&
                               g_get_monotonic_time () - log.first_delta >= STREAM_SECONDS * G_USEC_PER_SEC));
  g_assert_false (log.eof);

  kill_time = g_get_monotonic_time ();
  g_subprocess_force_exit (process);
  g_assert_true (g_subprocess_wait (process, NULL, &error));
  g_assert_true (g_subprocess_get_if_signaled (process));
  g_assert_cmpint (g_subprocess_get_term_sig (process), ==, SIGKILL);
  TEST_WAIT_UNTIL (log.eof);

  /* What the helper had streamed a second before it died must have been saved. Lengths
   * are timed as they arrived here, after the helper wrote them, which only makes the
   * bar lower than the truth. */
  for (guint i = 0; i < log.times->len; i++)
    if (g_array_index (log.times, gint64, i) <= kill_time - G_USEC_PER_SEC)
      safe_length = g_array_index (log.lengths, gsize, i);
  killed_length = g_array_index (log.lengths, gsize, log.lengths->len - 1);
  g_test_message ("streamed %" G_GSIZE_FORMAT " bytes; %" G_GSIZE_FORMAT " were out a second before the kill",
                  killed_length, safe_length);
  g_assert_cmpuint (safe_length, >, 0);

  store = test_open_store (path);
  g_assert_cmpuint (relay_store_get_n_recovered (store), ==, 1);
  list = test_load_list (store);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 1);
  conversation = g_list_model_get_item (G_LIST_MODEL (list), 0);
  test_load (conversation);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (conversation)), ==, 2);

  question = test_message_at (G_LIST_MODEL (conversation), 0);
  g_assert_cmpint (relay_message_get_role (question), ==, RELAY_ROLE_USER);
  g_assert_cmpstr (relay_message_get_content (question), ==, QUESTION);
  g_assert_cmpint (relay_message_get_state (question), ==, RELAY_MESSAGE_STATE_COMPLETE);

  reply = test_message_at (G_LIST_MODEL (conversation), 1);
  g_test_message ("the reply reopened with %" G_GSIZE_FORMAT " bytes",
                  relay_message_get_content_length (reply));
  g_assert_cmpint (relay_message_get_role (reply), ==, RELAY_ROLE_ASSISTANT);
  g_assert_cmpint (relay_message_get_state (reply), ==, RELAY_MESSAGE_STATE_INTERRUPTED);
  g_assert_cmpstr (relay_message_get_routed_model (reply), ==, "gpt-4o-mini");
  g_assert_cmpuint (relay_message_get_content_length (reply), >=, safe_length);
  g_assert_cmpuint (relay_message_get_content_length (reply), <=, killed_length);
  expected = expected_reply (killed_length);
  g_assert_true (g_str_has_prefix (expected, relay_message_get_content (reply)));

  /* Retry: a new version beside the partial one, which stays. */
  {
    g_autoptr(RelayMessage) retry = relay_conversation_regenerate (conversation, reply, "route-llm");

    g_assert_cmpuint (relay_message_get_n_versions (retry), ==, 2);
    relay_message_append_content (retry, "A complete story.", -1);
    relay_message_set_state (retry, RELAY_MESSAGE_STATE_COMPLETE);
  }

  g_clear_object (&conversation);
  g_clear_object (&list);
  test_close_store (store);
  g_object_unref (log.input);
  g_array_unref (log.times);
  g_array_unref (log.lengths);
  test_remove_tree (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/store/crash/kill-mid-stream", test_crash_mid_stream);

  return g_test_run ();
}
