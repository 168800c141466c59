/* test-stream-assembler.c: streamed replies fold into a RelayMessage as they arrive.
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "relay-error.h"
#include "relay-stream-assembler.h"

typedef struct
{
  GString *deltas;
  guint    n_deltas;
  guint    n_tool_changes;
} Watch;

static void
delta_cb (RelayMessage *message,
          const char   *text,
          guint         length,
          Watch        *watch)
{
  g_string_append_len (watch->deltas, text, length);
  watch->n_deltas++;
}

static void
tool_calls_changed_cb (RelayMessage *message,
                       Watch        *watch)
{
  watch->n_tool_changes++;
}

static char *
load_fixture (const char *name,
              gsize      *length)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "fixtures", name, NULL);
  g_autoptr(GError) error = NULL;
  char *contents = NULL;

  g_assert_true (g_file_get_contents (path, &contents, length, &error));
  g_assert_no_error (error);
  return contents;
}

/* Streams @data into a new message in pieces of @piece bytes (0: whole). */
static RelayMessage *
assemble (const char  *data,
          gsize        length,
          gsize        piece,
          Watch       *watch,
          GError     **error)
{
  g_autoptr(RelayMessage) message = relay_message_new (RELAY_ROLE_ASSISTANT, NULL);
  g_autoptr(RelayStreamAssembler) assembler = relay_stream_assembler_new (message);
  gsize offset = 0;

  relay_message_set_state (message, RELAY_MESSAGE_STATE_PENDING);
  if (watch != NULL)
    {
      g_signal_connect (message, "delta", G_CALLBACK (delta_cb), watch);
      g_signal_connect (message, "tool-calls-changed", G_CALLBACK (tool_calls_changed_cb), watch);
    }
  if (piece == 0)
    piece = MAX (length, 1);
  while (offset < length)
    {
      gsize n = MIN (piece, length - offset);

      if (!relay_stream_assembler_feed_bytes (assembler, data + offset, n, error))
        return g_steal_pointer (&message);
      offset += n;
    }
  relay_stream_assembler_finish (assembler, error);
  return g_steal_pointer (&message);
}

static void
test_assembler_recorded_text (void)
{
  gsize length;
  g_autofree char *data = load_fixture ("openai-text-usage.sse", &length);
  const char *expected = "I'm unable to provide real-time weather updates. To get the current "
                         "weather in San Francisco, I recommend checking a reliable weather "
                         "website or a weather app.";
  gsize pieces[] = { 0, 1, 2, 3, 4, 7, 64, 1460 };

  for (guint i = 0; i < G_N_ELEMENTS (pieces); i++)
    {
      Watch watch = { g_string_new (NULL), 0, 0 };
      g_autoptr(GError) error = NULL;
      g_autoptr(RelayMessage) message = assemble (data, length, pieces[i], &watch, &error);

      g_assert_no_error (error);
      g_assert_cmpstr (relay_message_get_content (message), ==, expected);
      /* Views see each piece once, and only the new text. */
      g_assert_cmpstr (watch.deltas->str, ==, expected);
      g_assert_cmpuint (watch.n_deltas, ==, 30);
      g_assert_cmpstr (relay_message_get_routed_model (message), ==, "gpt-4o-2024-08-06");
      g_assert_cmpint (relay_message_get_finish_reason (message), ==, RELAY_FINISH_REASON_STOP);
      /* Usage comes in a last chunk whose choices are empty. */
      g_assert_cmpint (relay_message_get_prompt_tokens (message), ==, 14);
      g_assert_cmpint (relay_message_get_completion_tokens (message), ==, 30);
      g_assert_cmpint (relay_message_get_total_tokens (message), ==, 44);
      g_assert_cmpint (relay_message_get_state (message), ==, RELAY_MESSAGE_STATE_STREAMING);
      g_assert_cmpuint (relay_message_get_tool_calls (message)->len, ==, 0);
      g_string_free (watch.deltas, TRUE);
    }
}

static void
test_assembler_done_and_ids (void)
{
  gsize length;
  g_autofree char *data = load_fixture ("openai-text-usage.sse", &length);
  g_autoptr(RelayMessage) message = relay_message_new (RELAY_ROLE_ASSISTANT, NULL);
  g_autoptr(RelayStreamAssembler) assembler = relay_stream_assembler_new (message);
  g_autoptr(GError) error = NULL;

  g_assert_false (relay_stream_assembler_is_done (assembler));
  g_assert_false (relay_stream_assembler_has_received (assembler));
  relay_stream_assembler_set_start_time (assembler, g_get_monotonic_time ());
  g_assert_true (relay_stream_assembler_feed_bytes (assembler, data, length, &error));
  g_assert_no_error (error);
  g_assert_true (relay_stream_assembler_is_done (assembler));
  g_assert_true (relay_stream_assembler_has_received (assembler));
  g_assert_cmpuint (relay_stream_assembler_get_n_chunks (assembler), ==, 33);
  g_assert_cmpstr (relay_stream_assembler_get_completion_id (assembler), ==,
                   "chatcmpl-ABfw031mOJeYCSHe4yI2ZjOA6kMJL");
  g_assert_cmpint (relay_message_get_first_token_usec (message), >=, 0);
  g_assert_true (relay_stream_assembler_finish (assembler, &error));
  g_assert_no_error (error);
}

static void
assert_tool_call (RelayToolCall *call,
                  const char    *id,
                  const char    *name,
                  const char    *arguments)
{
  g_autoptr(JsonParser) parser = json_parser_new ();

  g_assert_cmpstr (call->id, ==, id);
  g_assert_cmpstr (call->name, ==, name);
  g_assert_cmpstr (call->type, ==, "function");
  g_assert_cmpstr (call->arguments->str, ==, arguments);
  /* Joined, the pieces are whole JSON again. */
  g_assert_true (json_parser_load_from_data (parser, call->arguments->str, -1, NULL));
}

static void
test_assembler_recorded_parallel_tools (void)
{
  gsize length;
  g_autofree char *data = load_fixture ("openai-parallel-tools.sse", &length);

  for (gsize piece = 0; piece <= 5; piece++)
    {
      Watch watch = { g_string_new (NULL), 0, 0 };
      g_autoptr(GError) error = NULL;
      g_autoptr(RelayMessage) message = assemble (data, length, piece, &watch, &error);
      GPtrArray *calls = relay_message_get_tool_calls (message);

      g_assert_no_error (error);
      g_assert_cmpuint (calls->len, ==, 2);
      assert_tool_call (g_ptr_array_index (calls, 0), "call_JMW1whyEaYG438VE1OIflxA2",
                        "GetWeatherArgs", "{\"city\": \"Edinburgh\", \"country\": \"GB\", \"units\": \"c\"}");
      assert_tool_call (g_ptr_array_index (calls, 1), "call_DNYTawLBoN8fj3KN6qU9N1Ou",
                        "get_stock_price", "{\"ticker\": \"AAPL\", \"exchange\": \"NASDAQ\"}");
      g_assert_cmpint (relay_message_get_finish_reason (message), ==, RELAY_FINISH_REASON_TOOL_CALLS);
      g_assert_cmpstr (relay_message_get_content (message), ==, "");
      g_assert_cmpuint (watch.n_deltas, ==, 0);
      g_assert_cmpuint (watch.n_tool_changes, ==, 22);
      g_assert_cmpint (relay_message_get_total_tokens (message), ==, 209);
      g_string_free (watch.deltas, TRUE);
    }
}

/* Several calls interleaved, the second one starting first, with ids only in the first
 * piece of each. */
static const char interleaved[] =
  "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"model\":\"claude-4-5-sonnet\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"tool_calls\":[{\"index\":1,\"id\":\"call_b\",\"type\":\"function\",\"function\":{\"name\":\"get_time\",\"arguments\":\"\"}}]}}]}\n\n"
  "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"model\":\"claude-4-5-sonnet\",\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"id\":\"call_a\",\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"arguments\":\"{\\\"ci\"}}]}}]}\n\n"
  "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":1,\"function\":{\"arguments\":\"{\\\"tz\\\":\"}},{\"index\":0,\"function\":{\"arguments\":\"ty\\\":\\\"Oslo\"}}]}}]}\n\n"
  "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"\\\"}\"}}]}}]}\n\n"
  "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":1,\"function\":{\"arguments\":\"\\\"CET\\\"}\"}}]}}]}\n\n"
  "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"tool_calls\"}]}\n\n"
  "data: [DONE]\n\n";

static void
test_assembler_interleaved_tools (void)
{
  for (gsize piece = 0; piece <= 4; piece++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(RelayMessage) message = assemble (interleaved, strlen (interleaved), piece, NULL, &error);
      GPtrArray *calls = relay_message_get_tool_calls (message);

      g_assert_no_error (error);
      g_assert_cmpuint (calls->len, ==, 2);
      g_assert_cmpuint (((RelayToolCall *) g_ptr_array_index (calls, 0))->index, ==, 0);
      assert_tool_call (g_ptr_array_index (calls, 0), "call_a", "get_weather", "{\"city\":\"Oslo\"}");
      assert_tool_call (g_ptr_array_index (calls, 1), "call_b", "get_time", "{\"tz\":\"CET\"}");
      g_assert_cmpstr (relay_message_get_routed_model (message), ==, "claude-4-5-sonnet");
      g_assert_cmpint (relay_message_get_finish_reason (message), ==, RELAY_FINISH_REASON_TOOL_CALLS);
    }
}

static void
test_assembler_recorded_length_and_refusal (void)
{
  gsize length;
  g_autofree char *length_data = load_fixture ("openai-length.sse", &length);
  g_autoptr(GError) error = NULL;
  g_autoptr(RelayMessage) cut = assemble (length_data, length, 3, NULL, &error);
  g_autofree char *refusal_data = NULL;
  g_autoptr(RelayMessage) refused = NULL;

  g_assert_no_error (error);
  g_assert_cmpstr (relay_message_get_content (cut), ==, "{\"");
  g_assert_cmpint (relay_message_get_finish_reason (cut), ==, RELAY_FINISH_REASON_LENGTH);
  g_assert_cmpint (relay_message_get_total_tokens (cut), ==, 80);

  refusal_data = load_fixture ("openai-refusal.sse", &length);
  refused = assemble (refusal_data, length, 2, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (relay_message_get_content (refused), ==, "I'm sorry, I can't assist with that request.");
  g_assert_cmpint (relay_message_get_finish_reason (refused), ==, RELAY_FINISH_REASON_STOP);
}

static void
test_assembler_finish_reasons (void)
{
  static const struct { const char *reason; RelayFinishReason expected; } reasons[] = {
    { "stop", RELAY_FINISH_REASON_STOP },
    { "length", RELAY_FINISH_REASON_LENGTH },
    { "content_filter", RELAY_FINISH_REASON_CONTENT_FILTER },
    { "tool_calls", RELAY_FINISH_REASON_TOOL_CALLS },
    { "function_call", RELAY_FINISH_REASON_TOOL_CALLS },
    { "something_new", RELAY_FINISH_REASON_OTHER },
  };

  for (guint i = 0; i < G_N_ELEMENTS (reasons); i++)
    {
      g_autofree char *stream = g_strdup_printf (
        "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hi\"},\"finish_reason\":null}]}\n\n"
        "data: {\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"%s\"}]}\n\n"
        "data: [DONE]\n\n", reasons[i].reason);
      g_autoptr(GError) error = NULL;
      g_autoptr(RelayMessage) message = assemble (stream, strlen (stream), 0, NULL, &error);

      g_assert_no_error (error);
      g_assert_cmpint (relay_message_get_finish_reason (message), ==, reasons[i].expected);
    }
}

static void
count_notify_cb (GObject    *object,
                 GParamSpec *pspec,
                 guint      *count)
{
  (*count)++;
}

static void
test_assembler_routed_model_first_chunk (void)
{
  const char *stream =
    "data: {\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\"}}]}\n\n"
    "data: {\"model\":\"gemini-3-flash\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"A\"}}]}\n\n"
    "data: {\"model\":\"route-llm\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"B\"}}]}\n\n"
    "data: [DONE]\n\n";
  g_autoptr(GError) error = NULL;
  g_autoptr(RelayMessage) message = relay_message_new (RELAY_ROLE_ASSISTANT, NULL);
  g_autoptr(RelayStreamAssembler) assembler = relay_stream_assembler_new (message);
  guint notifies = 0;

  relay_message_set_model (message, "route-llm");
  g_signal_connect (message, "notify::routed-model", G_CALLBACK (count_notify_cb), &notifies);
  g_assert_true (relay_stream_assembler_feed_bytes (assembler, stream, strlen (stream), &error));
  g_assert_no_error (error);
  g_assert_cmpstr (relay_message_get_routed_model (message), ==, "gemini-3-flash");
  g_assert_cmpstr (relay_message_get_model (message), ==, "route-llm");
  g_assert_cmpuint (notifies, ==, 1);
  g_assert_cmpstr (relay_message_get_content (message), ==, "AB");
}

static void
test_assembler_error_chunk (void)
{
  const char *stream =
    "data: {\"model\":\"gpt-5.2\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Half an ans\"}}]}\n\n"
    ": the upstream provider went away\n"
    "data: {\"error\":{\"message\":\"Upstream provider overloaded\",\"type\":\"server_error\",\"code\":\"server_error\"}}\n\n"
    "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"never\"}}]}\n\n";
  g_autoptr(GError) error = NULL;
  g_autoptr(RelayMessage) message = assemble (stream, strlen (stream), 5, NULL, &error);

  g_assert_error (error, RELAY_ERROR, RELAY_ERROR_SERVER);
  g_assert_cmpstr (error->message, ==, "Upstream provider overloaded");
  /* What arrived before the error stays. */
  g_assert_cmpstr (relay_message_get_content (message), ==, "Half an ans");
}

static void
test_assembler_error_event (void)
{
  const char *json_stream =
    "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hel\"}}]}\n\n"
    "event: error\n"
    "data: {\"error\":{\"message\":\"Too many requests, slow down\",\"code\":\"rate_limit_exceeded\"}}\n\n";
  const char *text_stream =
    "event: error\r\ndata: The model crashed\r\n\r\n";
  const char *numeric_stream =
    "event: error\ndata: {\"error\":{\"message\":\"No credits left\",\"code\":402}}\n\n";
  g_autoptr(GError) error = NULL;
  g_autoptr(RelayMessage) first = assemble (json_stream, strlen (json_stream), 1, NULL, &error);
  g_autoptr(RelayMessage) second = NULL;
  g_autoptr(RelayMessage) third = NULL;

  g_assert_error (error, RELAY_ERROR, RELAY_ERROR_RATE_LIMITED);
  g_assert_cmpstr (error->message, ==, "Too many requests, slow down");
  g_assert_cmpstr (relay_message_get_content (first), ==, "Hel");
  g_clear_error (&error);

  second = assemble (text_stream, strlen (text_stream), 0, NULL, &error);
  g_assert_error (error, RELAY_ERROR, RELAY_ERROR_SERVER);
  g_assert_cmpstr (error->message, ==, "The model crashed");
  g_clear_error (&error);

  third = assemble (numeric_stream, strlen (numeric_stream), 0, NULL, &error);
  g_assert_error (error, RELAY_ERROR, RELAY_ERROR_QUOTA);
  g_assert_cmpstr (error->message, ==, "No credits left");
}

static void
test_assembler_cut_short (void)
{
  const char *cut = "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hel\"}}]}\n\ndata: {\"cho";
  const char *no_done = "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hi\"},\"finish_reason\":\"stop\"}]}\n\n";
  g_autoptr(GError) error = NULL;
  g_autoptr(RelayMessage) first = assemble (cut, strlen (cut), 0, NULL, &error);
  g_autoptr(RelayMessage) second = NULL;
  g_autoptr(RelayMessage) third = NULL;

  g_assert_error (error, RELAY_ERROR, RELAY_ERROR_NETWORK);
  g_assert_cmpstr (relay_message_get_content (first), ==, "Hel");
  g_clear_error (&error);

  /* A finish reason without [DONE] is a whole reply. */
  second = assemble (no_done, strlen (no_done), 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (relay_message_get_content (second), ==, "Hi");

  third = assemble (": only a comment\n\n", 18, 0, NULL, &error);
  g_assert_error (error, RELAY_ERROR, RELAY_ERROR_INVALID_RESPONSE);
}

/* Wrong types are ignored, never read as something else, and never crash. */
static void
test_assembler_junk (void)
{
  const char *stream =
    "data: {\"choices\":\"x\",\"model\":5,\"usage\":[1],\"id\":{}}\n\n"
    "data: {\"choices\":[null,3,\"s\",{\"index\":\"0\",\"delta\":[]}]}\n\n"
    "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":5,\"tool_calls\":{\"a\":1}}}]}\n\n"
    "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":null,\"tool_calls\":[null,1,{\"index\":-1},{\"index\":\"x\",\"function\":[]},{\"index\":99999}]}}]}\n\n"
    "data: {\"choices\":[{\"index\":1,\"delta\":{\"content\":\"other choice\"}}]}\n\n"
    "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"ok\"},\"finish_reason\":7}]}\n\n"
    "data: {\"usage\":{\"prompt_tokens\":\"12\",\"completion_tokens\":-4,\"total_tokens\":1e400}}\n\n"
    "data: \n\n"
    "data: [DONE]\n\n";
  g_autoptr(GError) error = NULL;
  g_autoptr(RelayMessage) message = assemble (stream, strlen (stream), 0, NULL, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (relay_message_get_content (message), ==, "ok");
  g_assert_null (relay_message_get_routed_model (message));
  g_assert_cmpint (relay_message_get_finish_reason (message), ==, RELAY_FINISH_REASON_NONE);
  g_assert_cmpint (relay_message_get_prompt_tokens (message), ==, -1);
  /* The entry without an index started a call; the impossible ones did not. */
  g_assert_cmpuint (relay_message_get_tool_calls (message)->len, <=, 1);
}

static void
test_assembler_not_json (void)
{
  const char *garbage = "data: <html>oops</html>\n\n";
  const char *array = "data: [1,2]\n\n";
  const char *trailing = "data: 0{\"choices\":[]}\n\n";
  g_autoptr(GError) error = NULL;
  g_autoptr(RelayMessage) first = assemble (garbage, strlen (garbage), 0, NULL, &error);
  g_autoptr(RelayMessage) second = NULL;

  g_assert_error (error, RELAY_ERROR, RELAY_ERROR_INVALID_RESPONSE);
  g_clear_error (&error);
  second = assemble (array, strlen (array), 0, NULL, &error);
  g_assert_error (error, RELAY_ERROR, RELAY_ERROR_INVALID_RESPONSE);
  g_clear_error (&error);
  g_clear_object (&second);
  second = assemble (trailing, strlen (trailing), 0, NULL, &error);
  g_assert_error (error, RELAY_ERROR, RELAY_ERROR_INVALID_RESPONSE);
}

static void
test_assembler_compute_points_and_images (void)
{
  const char *stream =
    "data: {\"model\":\"flux-2-pro\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\",\"images\":[{\"type\":\"image_url\",\"image_url\":{\"url\":\"https://cdn.example.com/a.png\"}}]}}]}\n\n"
    "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":[{\"type\":\"image_url\",\"image_url\":{\"url\":\"https://cdn.example.com/b.webp\"}}]},\"finish_reason\":\"stop\"}],\"usage\":{\"compute_points_used\":150}}\n\n"
    "data: [DONE]\n\n";
  g_autoptr(RelayMessage) message = relay_message_new (RELAY_ROLE_ASSISTANT, NULL);
  g_autoptr(RelayStreamAssembler) assembler = relay_stream_assembler_new (message);
  g_autoptr(GError) error = NULL;
  GPtrArray *images;

  g_assert_true (relay_stream_assembler_feed_bytes (assembler, stream, strlen (stream), &error));
  g_assert_true (relay_stream_assembler_finish (assembler, &error));
  g_assert_no_error (error);
  images = relay_stream_assembler_get_images (assembler);
  g_assert_cmpuint (images->len, ==, 2);
  g_assert_cmpstr (relay_attachment_get_url (g_ptr_array_index (images, 0)), ==, "https://cdn.example.com/a.png");
  g_assert_cmpstr (relay_attachment_get_mime_type (g_ptr_array_index (images, 1)), ==, "image/webp");
  g_assert_cmpfloat (relay_message_get_compute_points (message), ==, 150);
  g_assert_true (relay_stream_assembler_has_received (assembler));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/stream-assembler/recorded-text", test_assembler_recorded_text);
  g_test_add_func ("/stream-assembler/done-and-ids", test_assembler_done_and_ids);
  g_test_add_func ("/stream-assembler/recorded-parallel-tools", test_assembler_recorded_parallel_tools);
  g_test_add_func ("/stream-assembler/interleaved-tools", test_assembler_interleaved_tools);
  g_test_add_func ("/stream-assembler/recorded-length-and-refusal", test_assembler_recorded_length_and_refusal);
  g_test_add_func ("/stream-assembler/finish-reasons", test_assembler_finish_reasons);
  g_test_add_func ("/stream-assembler/routed-model-first-chunk", test_assembler_routed_model_first_chunk);
  g_test_add_func ("/stream-assembler/error-chunk", test_assembler_error_chunk);
  g_test_add_func ("/stream-assembler/error-event", test_assembler_error_event);
  g_test_add_func ("/stream-assembler/cut-short", test_assembler_cut_short);
  g_test_add_func ("/stream-assembler/junk", test_assembler_junk);
  g_test_add_func ("/stream-assembler/not-json", test_assembler_not_json);
  g_test_add_func ("/stream-assembler/compute-points-and-images", test_assembler_compute_points_and_images);

  return g_test_run ();
}
