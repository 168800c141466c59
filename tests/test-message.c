/* test-message.c: RelayMessage keeps a reply's text, state and usage as it streams.
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "relay-message.h"

typedef struct
{
  GString *seen;
  guint    deltas;
  guint    content_notifies;
} DeltaLog;

static void
on_delta (RelayMessage *message,
          const char   *text,
          guint         length,
          DeltaLog     *log)
{
  g_assert_cmpuint (strlen (text), ==, length);
  g_string_append_len (log->seen, text, length);
  log->deltas++;
}

static void
on_content_notify (RelayMessage *message,
                   GParamSpec   *pspec,
                   DeltaLog     *log)
{
  log->content_notifies++;
}

static void
test_message_streams_deltas (void)
{
  g_autoptr(RelayMessage) message = relay_message_new (RELAY_ROLE_ASSISTANT, NULL);
  DeltaLog log = { g_string_new (NULL), 0, 0 };

  relay_message_set_state (message, RELAY_MESSAGE_STATE_PENDING);
  g_signal_connect (message, "delta", G_CALLBACK (on_delta), &log);
  g_signal_connect (message, "notify::content", G_CALLBACK (on_content_notify), &log);

  relay_message_append_content (message, "Hello", -1);
  g_assert_cmpint (relay_message_get_state (message), ==, RELAY_MESSAGE_STATE_STREAMING);
  relay_message_append_content (message, ", world!xyz", 8);
  relay_message_append_content (message, "", 0);

  g_assert_cmpstr (relay_message_get_content (message), ==, "Hello, world!");
  g_assert_cmpuint (relay_message_get_content_length (message), ==, 13);
  g_assert_cmpstr (log.seen->str, ==, "Hello, world!");
  g_assert_cmpuint (log.deltas, ==, 2);
  /* Streaming must not make views re-read the whole text. */
  g_assert_cmpuint (log.content_notifies, ==, 0);

  relay_message_set_content (message, "Replaced");
  g_assert_cmpuint (log.content_notifies, ==, 1);
  g_string_free (log.seen, TRUE);
}

static void
test_message_usage (void)
{
  g_autoptr(RelayMessage) message = relay_message_new (RELAY_ROLE_ASSISTANT, "x");

  g_assert_cmpint (relay_message_get_total_tokens (message), ==, -1);
  relay_message_set_usage (message, 10, 20, -1);
  g_assert_cmpint (relay_message_get_prompt_tokens (message), ==, 10);
  g_assert_cmpint (relay_message_get_completion_tokens (message), ==, 20);
  g_assert_cmpint (relay_message_get_total_tokens (message), ==, 30);
}

static void
test_message_tool_calls_by_index (void)
{
  g_autoptr(RelayMessage) message = relay_message_new (RELAY_ROLE_ASSISTANT, NULL);
  RelayToolCall *second = relay_message_ensure_tool_call (message, 1);
  RelayToolCall *first = relay_message_ensure_tool_call (message, 0);
  GPtrArray *calls = relay_message_get_tool_calls (message);

  g_string_append (first->arguments, "{\"a\":");
  g_string_append (relay_message_ensure_tool_call (message, 0)->arguments, "1}");
  g_assert_cmpuint (calls->len, ==, 2);
  g_assert_true (g_ptr_array_index (calls, 0) == first);
  g_assert_true (g_ptr_array_index (calls, 1) == second);
  g_assert_cmpstr (first->arguments->str, ==, "{\"a\":1}");
}

static void
test_enum_strings (void)
{
  RelayRole role;
  RelayMessageState state;

  g_assert_true (relay_role_from_string ("tool", &role));
  g_assert_cmpint (role, ==, RELAY_ROLE_TOOL);
  g_assert_false (relay_role_from_string ("robot", &role));
  g_assert_cmpstr (relay_role_to_string (RELAY_ROLE_ASSISTANT), ==, "assistant");
  g_assert_cmpint (relay_finish_reason_from_string ("tool_calls"), ==, RELAY_FINISH_REASON_TOOL_CALLS);
  g_assert_cmpint (relay_finish_reason_from_string ("weird"), ==, RELAY_FINISH_REASON_OTHER);
  g_assert_cmpint (relay_finish_reason_from_string (NULL), ==, RELAY_FINISH_REASON_NONE);
  g_assert_true (relay_message_state_from_string ("interrupted", &state));
  g_assert_cmpint (state, ==, RELAY_MESSAGE_STATE_INTERRUPTED);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/message/streams-deltas", test_message_streams_deltas);
  g_test_add_func ("/message/usage", test_message_usage);
  g_test_add_func ("/message/tool-calls-by-index", test_message_tool_calls_by_index);
  g_test_add_func ("/types/enum-strings", test_enum_strings);

  return g_test_run ();
}
