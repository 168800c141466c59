/* test-client.c: RelayClient against the fake RouteLLM server, as a user would meet it:
 * replies that stream, routed models, stopped replies, every kind of failure, retries that
 * must and must not happen, stalls, generated images and model lists.
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "relay-client.h"
#include "relay-error.h"
#include "relay-fake-server.h"

#define CHAT "/v1/chat/completions"
#define KEY  "test-key-0123456789"

typedef struct
{
  RelayFakeServer *server;
  RelayClient     *client;
  GPtrArray       *retries;  /* RetryRecord */
} Fixture;

typedef struct
{
  guint  attempt;
  guint  max_attempts;
  double delay;
  GError *error;
  gint64 at_usec;
} RetryRecord;

static void
retry_record_free (gpointer data)
{
  RetryRecord *record = data;

  g_clear_error (&record->error);
  g_free (record);
}

static void
retry_scheduled_cb (RelayClient  *client,
                    RelayMessage *message,
                    guint         attempt,
                    guint         max_attempts,
                    double        delay,
                    GError       *error,
                    Fixture      *fixture)
{
  RetryRecord *record = g_new0 (RetryRecord, 1);

  record->attempt = attempt;
  record->max_attempts = max_attempts;
  record->delay = delay;
  record->error = g_error_copy (error);
  record->at_usec = g_get_monotonic_time ();
  g_ptr_array_add (fixture->retries, record);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->server = relay_fake_server_new ();
  fixture->client = relay_client_new ();
  fixture->retries = g_ptr_array_new_with_free_func (retry_record_free);
  g_assert_true (relay_client_set_base_url (fixture->client,
                                            relay_fake_server_get_base_url (fixture->server), &error));
  g_assert_no_error (error);
  relay_client_set_api_key (fixture->client, KEY);
  relay_client_set_retry_delay (fixture->client, 0.02);
  relay_client_set_connect_timeout (fixture->client, 5);
  relay_client_set_idle_timeout (fixture->client, 5);
  relay_client_set_response_timeout (fixture->client, 5);
  g_signal_connect (fixture->client, "retry-scheduled", G_CALLBACK (retry_scheduled_cb), fixture);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_assert_finalize_object (fixture->client);
  g_clear_object (&fixture->server);
  g_ptr_array_unref (fixture->retries);
}

/* ---------------------------------------------------------------------------------- */

typedef struct
{
  GAsyncResult *result;
} Wait;

static void
wait_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  Wait *wait = user_data;

  g_assert_null (wait->result);
  wait->result = g_object_ref (result);
}

static GAsyncResult *
wait_for (Wait *wait)
{
  gint64 deadline = g_get_monotonic_time () + 15 * G_USEC_PER_SEC;

  while (wait->result == NULL && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_nonnull (wait->result);
  return wait->result;
}

static gboolean
set_flag_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Keeps the main context turning for @seconds, to see that nothing more happens. */
static void
iterate_for (double seconds)
{
  gboolean done = FALSE;

  g_timeout_add ((guint) (seconds * 1000), set_flag_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

static RelayChatRequest *
chat_request (const char *model,
              const char *prompt)
{
  RelayChatRequest *request = relay_chat_request_new (model);
  g_autoptr(RelayMessage) user = relay_message_new (RELAY_ROLE_USER, prompt);

  relay_chat_request_add_message (request, user);
  return request;
}

static RelayMessage *
complete (Fixture           *fixture,
          RelayChatRequest  *request,
          GError           **error)
{
  Wait wait = { NULL };
  RelayMessage *message;

  relay_client_complete_async (fixture->client, request, NULL, wait_cb, &wait);
  message = relay_client_complete_finish (fixture->client, wait_for (&wait), error);
  g_object_unref (wait.result);
  return message;
}

static gboolean
stream (Fixture           *fixture,
        RelayChatRequest  *request,
        RelayMessage      *message,
        GCancellable      *cancellable,
        GError           **error)
{
  Wait wait = { NULL };
  gboolean ok;

  relay_client_stream_async (fixture->client, request, message, cancellable, wait_cb, &wait);
  ok = relay_client_stream_finish (fixture->client, wait_for (&wait), error);
  g_object_unref (wait.result);
  return ok;
}

static GPtrArray *
list_models (Fixture  *fixture,
             GError  **error)
{
  Wait wait = { NULL };
  GPtrArray *models;

  relay_client_list_models_async (fixture->client, NULL, wait_cb, &wait);
  models = relay_client_list_models_finish (fixture->client, wait_for (&wait), error);
  g_object_unref (wait.result);
  return models;
}

typedef struct
{
  GString *text;
  GArray  *times;        /* gint64, one per delta */
  char    *routed_model; /* as it was when the first delta arrived */
  gint64   cancel_after; /* cancel once this many deltas arrived; 0: never */
  GCancellable *cancellable;
  guint    after_cancel;
} DeltaLog;

static void
delta_cb (RelayMessage *message,
          const char   *text,
          guint         length,
          DeltaLog     *log)
{
  gint64 now = g_get_monotonic_time ();

  if (log->cancellable != NULL && g_cancellable_is_cancelled (log->cancellable))
    log->after_cancel++;
  if (log->times->len == 0)
    log->routed_model = g_strdup (relay_message_get_routed_model (message));
  g_string_append_len (log->text, text, length);
  g_array_append_val (log->times, now);
  if (log->cancel_after > 0 && log->times->len == (guint) log->cancel_after)
    g_cancellable_cancel (log->cancellable);
}

static void
delta_log_init (DeltaLog     *log,
                RelayMessage *message)
{
  memset (log, 0, sizeof *log);
  log->text = g_string_new (NULL);
  log->times = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_signal_connect (message, "delta", G_CALLBACK (delta_cb), log);
}

static void
delta_log_clear (DeltaLog *log)
{
  g_string_free (log->text, TRUE);
  g_array_unref (log->times);
  g_free (log->routed_model);
  g_clear_object (&log->cancellable);
}

static gint64
delta_time (DeltaLog *log,
            guint     i)
{
  return g_array_index (log->times, gint64, i);
}

/* ---------------------------------------------------------------------------------- */
/* Plain completions                                                                  */

static void
test_complete_plain (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(RelayChatRequest) request = chat_request ("route-llm", "What is the meaning of life?");
  g_autoptr(RelayMessage) message = NULL;
  g_autoptr(RelayFakeRequest) seen = NULL;
  g_autoptr(GError) error = NULL;

  message = complete (fixture, request, &error);
  g_assert_no_error (error);
  g_assert_nonnull (message);

  g_assert_cmpint (relay_message_get_role (message), ==, RELAY_ROLE_ASSISTANT);
  g_assert_cmpint (relay_message_get_state (message), ==, RELAY_MESSAGE_STATE_COMPLETE);
  g_assert_nonnull (strstr (relay_message_get_content (message), "*What is the meaning of life?*"));
  g_assert_cmpstr (relay_message_get_model (message), ==, "route-llm");
  g_assert_cmpstr (relay_message_get_routed_model (message), ==, "claude-4-5-sonnet");
  g_assert_cmpint (relay_message_get_finish_reason (message), ==, RELAY_FINISH_REASON_STOP);
  g_assert_cmpint (relay_message_get_prompt_tokens (message), >, 0);
  g_assert_cmpint (relay_message_get_total_tokens (message), ==,
                   relay_message_get_prompt_tokens (message) + relay_message_get_completion_tokens (message));
  g_assert_cmpint (relay_message_get_duration_usec (message), >, 0);

  g_assert_cmpuint (relay_fake_server_get_n_requests (fixture->server), ==, 1);
  seen = relay_fake_server_dup_request (fixture->server, 0);
  g_assert_cmpstr (seen->method, ==, "POST");
  g_assert_cmpstr (seen->path, ==, CHAT);
  g_assert_cmpstr (relay_fake_request_get_header (seen, "Authorization"), ==, "Bearer " KEY);
  g_assert_cmpstr (relay_fake_request_get_header (seen, "User-Agent"), ==, "Relay/" PACKAGE_VERSION);
  g_assert_cmpstr (relay_fake_request_get_header (seen, "Accept"), ==, "application/json");
  g_assert_true (g_str_has_prefix (relay_fake_request_get_header (seen, "Content-Type"), "application/json"));
}

static void
assert_members (JsonObject         *object,
                const char * const *expected)
{
  g_autoptr(GList) members = json_object_get_members (object);
  g_autoptr(GString) seen = g_string_new (NULL);
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  g_autofree char *joined_expected = g_strjoinv (",", (char **) expected);

  for (GList *l = members; l != NULL; l = l->next)
    g_ptr_array_add (names, l->data);
  g_ptr_array_sort_values (names, (GCompareFunc) strcmp);
  for (guint i = 0; i < names->len; i++)
    g_string_append_printf (seen, "%s%s", i ? "," : "", (char *) g_ptr_array_index (names, i));
  g_assert_cmpstr (seen->str, ==, joined_expected);
}

/* The server sees exactly the fields the request set, with their values. */
static void
test_request_body (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(RelayChatRequest) request = relay_chat_request_new ("gpt-5.1");
  g_autoptr(RelayMessage) system = relay_message_new (RELAY_ROLE_SYSTEM, "Be brief.");
  g_autoptr(RelayMessage) user = relay_message_new (RELAY_ROLE_USER, "Hello");
  g_autoptr(RelayMessage) message = NULL;
  g_autoptr(RelayMessage) streamed = relay_message_new (RELAY_ROLE_ASSISTANT, NULL);
  g_autoptr(RelayFakeRequest) seen = NULL;
  g_autoptr(GError) error = NULL;
  static const char * const plain_fields[] = { "max_tokens", "messages", "model", "temperature", NULL };
  static const char * const stream_fields[] = { "max_tokens", "messages", "model", "stream",
                                                "stream_options", "temperature", NULL };
  JsonObject *body;
  JsonArray *messages;

  relay_chat_request_add_message (request, system);
  relay_chat_request_add_message (request, user);
  relay_chat_request_set_temperature (request, 0.25);
  relay_chat_request_set_max_tokens (request, 42);

  message = complete (fixture, request, &error);
  g_assert_no_error (error);

  seen = relay_fake_server_dup_last_request (fixture->server, CHAT);
  body = relay_fake_request_get_object (seen);
  g_assert_nonnull (body);
  assert_members (body, plain_fields);
  g_assert_cmpstr (json_object_get_string_member (body, "model"), ==, "gpt-5.1");
  g_assert_cmpfloat (json_object_get_double_member (body, "temperature"), ==, 0.25);
  g_assert_cmpint (json_object_get_int_member (body, "max_tokens"), ==, 42);
  messages = json_object_get_array_member (body, "messages");
  g_assert_cmpuint (json_array_get_length (messages), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (messages, 0), "role"), ==, "system");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (messages, 0), "content"), ==, "Be brief.");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (messages, 1), "role"), ==, "user");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (messages, 1), "content"), ==, "Hello");

  /* Streaming adds stream and asks for usage in the last chunk, and nothing else. */
  g_assert_true (stream (fixture, request, streamed, NULL, &error));
  g_assert_no_error (error);
  g_clear_pointer (&seen, relay_fake_request_free);
  seen = relay_fake_server_dup_last_request (fixture->server, CHAT);
  body = relay_fake_request_get_object (seen);
  assert_members (body, stream_fields);
  g_assert_true (json_object_get_boolean_member (body, "stream"));
  g_assert_true (json_object_get_boolean_member (json_object_get_object_member (body, "stream_options"),
                                                 "include_usage"));
  g_assert_cmpstr (relay_fake_request_get_header (seen, "Accept"), ==, "text/event-stream");
}

/* ---------------------------------------------------------------------------------- */
/* Streams                                                                            */

static const char * const pieces[] = {
  "The ", "quick ", "brown ", "fox ", "jumps ", "over ", "the ", "lazy ", "dog", ".", NULL
};

static void
test_stream_progressive (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(RelayChatRequest) request = chat_request ("route-llm", "Tell me about foxes");
  g_autoptr(RelayMessage) message = relay_message_new (RELAY_ROLE_ASSISTANT, NULL);
  g_autoptr(GError) error = NULL;
  DeltaLog log;
  gint64 start, end;

  relay_fake_server_queue_reply (fixture->server, CHAT,
                                 relay_fake_reply_new_text_stream ("claude-4-5-sonnet", pieces, 40));
  delta_log_init (&log, message);

  start = g_get_monotonic_time ();
  g_assert_true (stream (fixture, request, message, NULL, &error));
  end = g_get_monotonic_time ();
  g_assert_no_error (error);

  /* Each piece arrives as its own delta, spread over the reply, not all at the end. */
  g_assert_cmpuint (log.times->len, ==, g_strv_length ((char **) pieces));
  g_assert_cmpstr (log.text->str, ==, "The quick brown fox jumps over the lazy dog.");
  g_assert_cmpint (delta_time (&log, log.times->len - 1) - delta_time (&log, 0), >=, 8 * 40 * 1000 * 8 / 10);
  g_assert_cmpint (end - delta_time (&log, 0), >=, 8 * 40 * 1000 * 8 / 10);
  {
    guint spaced = 0;

    /* Most deltas came apart from the one before; a loaded machine may bunch a few. */
    for (guint i = 1; i < log.times->len; i++)
      if (delta_time (&log, i) - delta_time (&log, i - 1) >= 10 * 1000)
        spaced++;
    g_assert_cmpuint (spaced, >=, 6);
  }
  g_test_message ("first delta after %" G_GINT64_FORMAT " ms, whole reply %" G_GINT64_FORMAT " ms",
                  (delta_time (&log, 0) - start) / 1000, (end - start) / 1000);

  g_assert_cmpstr (relay_message_get_content (message), ==, log.text->str);
  g_assert_cmpint (relay_message_get_state (message), ==, RELAY_MESSAGE_STATE_COMPLETE);
  g_assert_cmpint (relay_message_get_finish_reason (message), ==, RELAY_FINISH_REASON_STOP);
  g_assert_cmpint (relay_message_get_completion_tokens (message), >, 0);
  g_assert_cmpint (relay_message_get_first_token_usec (message), >, 0);
  g_assert_cmpint (relay_message_get_first_token_usec (message), <, relay_message_get_duration_usec (message));
  g_assert_cmpint (relay_message_get_duration_usec (message), <=, end - start);
  delta_log_clear (&log);
}

/* The routed model is known from the first chunk, before any text. */
static void
test_stream_routed_model_first (Fixture       *fixture,
                                gconstpointer  data)
{
  g_autoptr(RelayChatRequest) request = chat_request ("route-llm", "Hi");
  g_autoptr(RelayMessage) message = relay_message_new (RELAY_ROLE_ASSISTANT, NULL);
  g_autoptr(GError) error = NULL;
  DeltaLog log;

  relay_fake_server_queue_reply (fixture->server, CHAT,
                                 relay_fake_reply_new_text_stream ("gemini-3-flash", pieces, 5));
  delta_log_init (&log, message);

  g_assert_true (stream (fixture, request, message, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (log.routed_model, ==, "gemini-3-flash");
  g_assert_cmpstr (relay_message_get_routed_model (message), ==, "gemini-3-flash");
  g_assert_cmpstr (relay_message_get_model (message), ==, "route-llm");
  delta_log_clear (&log);
}

/* Stop: the text so far stays, nothing more arrives, the call ends as cancelled. */
static void
test_stream_cancel (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(RelayChatRequest) request = chat_request ("route-llm", "Hi");
  g_autoptr(RelayMessage) message = relay_message_new (RELAY_ROLE_ASSISTANT, NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *kept = NULL;
  DeltaLog log;

  relay_fake_server_queue_reply (fixture->server, CHAT,
                                 relay_fake_reply_new_text_stream ("claude-4-5-sonnet", pieces, 30));
  delta_log_init (&log, message);
  log.cancellable = g_cancellable_new ();
  log.cancel_after = 3;

  g_assert_false (stream (fixture, request, message, log.cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpstr (relay_message_get_content (message), ==, "The quick brown ");
  g_assert_cmpint (relay_message_get_state (message), ==, RELAY_MESSAGE_STATE_STOPPED);

  kept = g_strdup (relay_message_get_content (message));
  iterate_for (0.3);
  g_assert_cmpuint (log.after_cancel, ==, 0);
  g_assert_cmpstr (relay_message_get_content (message), ==, kept);
  g_assert_cmpuint (fixture->retries->len, ==, 0);
  delta_log_clear (&log);
}

/* A Stop between two events that arrived in one read: the second never shows. */
static void
test_stream_cancel_within_read (Fixture       *fixture,
                                gconstpointer  data)
{
  g_autoptr(RelayChatRequest) request = chat_request ("route-llm", "Hi");
  g_autoptr(RelayMessage) message = relay_message_new (RELAY_ROLE_ASSISTANT, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) burst = g_string_new (NULL);
  RelayFakeReply *reply = relay_fake_reply_new_stream ();
  DeltaLog log;

  for (guint i = 0; pieces[i] != NULL; i++)
    {
      g_autofree char *chunk = relay_fake_chunk_text ("claude-4-5-sonnet", pieces[i]);
      g_string_append_printf (burst, "data: %s\n\n", chunk);
    }
  relay_fake_reply_add_data (reply, 0, burst->str, burst->len);
  relay_fake_reply_add_done (reply, 0);
  relay_fake_server_queue_reply (fixture->server, CHAT, reply);
  delta_log_init (&log, message);
  log.cancellable = g_cancellable_new ();
  log.cancel_after = 2;

  g_assert_false (stream (fixture, request, message, log.cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpstr (relay_message_get_content (message), ==, "The quick ");
  g_assert_cmpuint (log.after_cancel, ==, 0);
  g_assert_cmpint (relay_message_get_state (message), ==, RELAY_MESSAGE_STATE_STOPPED);
  delta_log_clear (&log);
}

/* Stopped before it was sent: nothing goes out. */
static void
test_cancel_before_sending (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(RelayChatRequest) request = chat_request ("route-llm", "Hi");
  g_autoptr(RelayMessage) message = relay_message_new (RELAY_ROLE_ASSISTANT, NULL);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  Wait wait = { NULL };

  relay_client_stream_async (fixture->client, request, message, cancellable, wait_cb, &wait);
  g_cancellable_cancel (cancellable);
  g_assert_false (relay_client_stream_finish (fixture->client, wait_for (&wait), &error));
  g_object_unref (wait.result);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (relay_message_get_state (message), ==, RELAY_MESSAGE_STATE_STOPPED);
  iterate_for (0.1);
  g_assert_cmpuint (relay_fake_server_get_n_requests (fixture->server), ==, 0);
}

/* Comment keep-alives, CRLF line ends, chunks split anywhere: the text is the same. */
static void
test_stream_framing (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(RelayChatRequest) request = chat_request ("route-llm", "Hi");
  g_autoptr(RelayMessage) message = relay_message_new (RELAY_ROLE_ASSISTANT, NULL);
  g_autoptr(GError) error = NULL;
  RelayFakeReply *reply = relay_fake_reply_new_stream ();
  g_autofree char *role = relay_fake_chunk_role ("claude-4-5-sonnet");
  g_autofree char *one = relay_fake_chunk_text ("claude-4-5-sonnet", "Hello, ");
  g_autofree char *two = relay_fake_chunk_text ("claude-4-5-sonnet", "wörld!");
  g_autofree char *finish = relay_fake_chunk_finish ("claude-4-5-sonnet", "length");
  g_autofree char *raw = NULL;

  relay_fake_reply_set_line_end (reply, "\r\n");
  relay_fake_reply_add_comment (reply, 0, "keep-alive");
  relay_fake_reply_add_event (reply, 10, role);
  relay_fake_reply_add_comment (reply, 10, "keep-alive");
  /* One event cut in three writes, in the middle of a UTF-8 character. */
  raw = g_strdup_printf ("data: %s\r\n\r\n", two);
  relay_fake_reply_add_event (reply, 0, one);
  relay_fake_reply_add_data (reply, 10, raw, 10);
  relay_fake_reply_add_data (reply, 10, raw + 10, strstr (raw, "ö") - raw - 10 + 1);
  relay_fake_reply_add_data (reply, 10, strstr (raw, "ö") + 1, -1);
  relay_fake_reply_add_event (reply, 0, finish);
  relay_fake_reply_add_done (reply, 0);
  relay_fake_server_queue_reply (fixture->server, CHAT, reply);

  g_assert_true (stream (fixture, request, message, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (relay_message_get_content (message), ==, "Hello, wörld!");
  g_assert_cmpint (relay_message_get_finish_reason (message), ==, RELAY_FINISH_REASON_LENGTH);
}

/* Two tool calls at once, their arguments cut across chunks. */
static void
test_stream_parallel_tool_calls (Fixture       *fixture,
                                 gconstpointer  data)
{
  g_autoptr(RelayChatRequest) request = chat_request ("route-llm", "Weather in Boston and Paris?");
  g_autoptr(RelayMessage) message = relay_message_new (RELAY_ROLE_ASSISTANT, NULL);
  g_autoptr(GError) error = NULL;
  RelayFakeReply *reply = relay_fake_reply_new_stream ();
  const char *model = "gpt-5.2";
  struct { guint index; const char *id; const char *name; const char *args; } parts[] = {
    { 0, "call_a", "get_weather", "" },
    { 0, NULL, NULL, "{\"city\": \"Bo" },
    { 1, "call_b", "get_weather", "{\"ci" },
    { 0, NULL, NULL, "ston\"}" },
    { 1, NULL, NULL, "ty\": \"Paris\"}" },
  };
  g_autofree char *finish = relay_fake_chunk_finish (model, "tool_calls");
  g_autofree char *usage = relay_fake_chunk_usage (model, 30, 20);
  RelayToolCall *call;
  GPtrArray *calls;

  relay_chat_request_add_tool_json (request, "get_weather", "Weather in a city",
                                    "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}}}",
                                    &error);
  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (parts); i++)
    {
      g_autofree char *chunk = relay_fake_chunk_tool_call (model, parts[i].index, parts[i].id,
                                                           parts[i].name, parts[i].args);
      relay_fake_reply_add_event (reply, 5, chunk);
    }
  relay_fake_reply_add_event (reply, 0, finish);
  relay_fake_reply_add_event (reply, 0, usage);
  relay_fake_reply_add_done (reply, 0);
  relay_fake_server_queue_reply (fixture->server, CHAT, reply);

  g_assert_true (stream (fixture, request, message, NULL, &error));
  g_assert_no_error (error);
  calls = relay_message_get_tool_calls (message);
  g_assert_cmpuint (calls->len, ==, 2);
  call = g_ptr_array_index (calls, 0);
  g_assert_cmpstr (call->id, ==, "call_a");
  g_assert_cmpstr (call->name, ==, "get_weather");
  g_assert_cmpstr (call->arguments->str, ==, "{\"city\": \"Boston\"}");
  call = g_ptr_array_index (calls, 1);
  g_assert_cmpstr (call->id, ==, "call_b");
  g_assert_cmpstr (call->arguments->str, ==, "{\"city\": \"Paris\"}");
  g_assert_cmpint (relay_message_get_finish_reason (message), ==, RELAY_FINISH_REASON_TOOL_CALLS);
  g_assert_cmpint (relay_message_get_total_tokens (message), ==, 50);
}

/* An error event in the middle of a stream fails it, keeping the text, without a retry. */
static void
test_stream_error_event (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(RelayChatRequest) request = chat_request ("route-llm", "Hi");
  g_autoptr(RelayMessage) message = relay_message_new (RELAY_ROLE_ASSISTANT, NULL);
  g_autoptr(GError) error = NULL;
  RelayFakeReply *reply = relay_fake_reply_new_stream ();
  g_autofree char *one = relay_fake_chunk_text ("claude-4-5-sonnet", "Partial ");
  const char *failure = "event: error\ndata: {\"error\":{\"message\":\"The upstream model is overloaded\","
                        "\"type\":\"server_error\",\"code\":\"overloaded\"}}\n\n";

  relay_fake_reply_add_event (reply, 0, one);
  relay_fake_reply_add_data (reply, 10, failure, -1);
  relay_fake_server_queue_reply (fixture->server, CHAT, reply);

  g_assert_false (stream (fixture, request, message, NULL, &error));
  g_assert_error (error, RELAY_ERROR, RELAY_ERROR_SERVER);
  g_assert_nonnull (strstr (error->message, "overloaded"));
  g_assert_cmpstr (relay_message_get_content (message), ==, "Partial ");
  g_assert_cmpint (relay_message_get_state (message), ==, RELAY_MESSAGE_STATE_FAILED);
  g_assert_cmpstr (relay_message_get_error_message (message), ==, error->message);
  g_assert_cmpuint (relay_fake_server_count_requests (fixture->server, CHAT), ==, 1);
}

/* ---------------------------------------------------------------------------------- */
/* Errors                                                                             */

typedef struct
{
  guint      status;
  RelayError code;
} StatusCase;

static void
test_error_statuses (Fixture       *fixture,
                     gconstpointer  data)
{
  static const StatusCase cases[] = {
    { 400, RELAY_ERROR_BAD_REQUEST },
    { 401, RELAY_ERROR_UNAUTHORIZED },
    { 403, RELAY_ERROR_FORBIDDEN },
    { 404, RELAY_ERROR_NOT_FOUND },
    { 429, RELAY_ERROR_RATE_LIMITED },
    { 500, RELAY_ERROR_SERVER },
    { 502, RELAY_ERROR_SERVER },
  };
  static const RelayFakeBodyKind kinds[] = {
    RELAY_FAKE_BODY_JSON, RELAY_FAKE_BODY_HTML, RELAY_FAKE_BODY_EMPTY,
  };

  /* One attempt, so that each status is seen as it is. */
  relay_client_set_max_attempts (fixture->client, 1);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    for (guint k = 0; k < G_N_ELEMENTS (kinds); k++)
      for (guint streamed = 0; streamed < 2; streamed++)
        {
          g_autoptr(RelayChatRequest) request = chat_request ("route-llm", "Hi");
          g_autoptr(RelayMessage) message = relay_message_new (RELAY_ROLE_ASSISTANT, NULL);
          g_autoptr(RelayMessage) answer = NULL;
          g_autoptr(GError) error = NULL;
          g_autofree char *text = g_strdup_printf ("Scripted failure %u", cases[i].status);

          relay_fake_server_queue_reply (fixture->server, CHAT,
                                         relay_fake_reply_new_error (cases[i].status, kinds[k], text));
          if (streamed)
            g_assert_false (stream (fixture, request, message, NULL, &error));
          else
            answer = complete (fixture, request, &error);

          g_test_message ("%u/%d/%s: %s", cases[i].status, kinds[k], streamed ? "stream" : "plain",
                          error != NULL ? error->message : "(no error)");
          g_assert_null (answer);
          g_assert_error (error, RELAY_ERROR, (int) cases[i].code);
          /* Readable: something to say, and no markup of a proxy's page. */
          g_assert_cmpuint (strlen (error->message), >, 10);
          g_assert_null (strstr (error->message, "<"));
          if (kinds[k] == RELAY_FAKE_BODY_JSON)
            g_assert_nonnull (strstr (error->message, text));
          if (streamed)
            {
              g_assert_cmpint (relay_message_get_state (message), ==, RELAY_MESSAGE_STATE_FAILED);
              g_assert_cmpstr (relay_message_get_error_message (message), ==, error->message);
            }
        }

  g_assert_cmpuint (relay_fake_server_get_n_requests (fixture->server), ==,
                    G_N_ELEMENTS (cases) * G_N_ELEMENTS (kinds) * 2);
  g_assert_cmpuint (fixture->retries->len, ==, 0);
}

static void
test_error_wrong_key (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(RelayChatRequest) request = chat_request ("route-llm", "Hi");
  g_autoptr(RelayMessage) message = NULL;
  g_autoptr(GError) error = NULL;

  relay_client_set_api_key (fixture->client, "wrong-key");
  message = complete (fixture, request, &error);
  g_assert_error (error, RELAY_ERROR, RELAY_ERROR_UNAUTHORIZED);
  g_assert_nonnull (strstr (error->message, "Invalid API key"));
  /* A refused key is not retried. */
  g_assert_cmpuint (relay_fake_server_get_n_requests (fixture->server), ==, 1);
}

static void
test_error_no_key (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(RelayChatRequest) request = chat_request ("route-llm", "Hi");
  g_autoptr(RelayMessage) message = NULL;
  g_autoptr(GError) error = NULL;

  relay_client_set_api_key (fixture->client, NULL);
  message = complete (fixture, request, &error);
  g_assert_error (error, RELAY_ERROR, RELAY_ERROR_UNAUTHORIZED);
  g_assert_nonnull (strstr (error->message, "API key"));
  g_assert_cmpuint (relay_fake_server_get_n_requests (fixture->server), ==, 0);
}

static void
secrets_done_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (g_task_get_source_tag (G_TASK (result)) == relay_secrets_store_async)
    g_assert_true (relay_secrets_store_finish (RELAY_SECRETS (object), result, &error));
  else
    g_assert_true (relay_secrets_clear_finish (RELAY_SECRETS (object), result, &error));
  g_assert_no_error (error);
  *(gboolean *) user_data = TRUE;
}

static gboolean
session_has_keyring (void)
{
  g_autoptr(GDBusConnection) bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, NULL);
  g_autoptr(GVariant) reply = NULL;

  if (bus != NULL)
    reply = g_dbus_connection_call_sync (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                         "org.freedesktop.DBus", "StartServiceByName",
                                         g_variant_new ("(su)", "org.freedesktop.secrets", 0),
                                         NULL, G_DBUS_CALL_FLAGS_NONE, 10000, NULL, NULL);
  return reply != NULL;
}

/* The key Relay stored in the keyring for the base URL, and forgotten once cleared. */
static void
test_key_from_keyring (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(RelaySecrets) secrets = relay_secrets_new ();
  g_autoptr(RelayFakeRequest) seen = NULL;
  g_autoptr(GError) error = NULL;
  const char *base_url = relay_client_get_base_url (fixture->client);
  gboolean done = FALSE;

  if (!session_has_keyring ())
    {
      g_test_skip ("no Secret Service on the session bus");
      return;
    }

  relay_client_set_api_key (fixture->client, NULL);
  relay_client_set_secrets (fixture->client, secrets);
  relay_secrets_store_async (secrets, base_url, "test-from-the-keyring", NULL, secrets_done_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);

  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(RelayChatRequest) request = chat_request ("route-llm", "Hi");
      g_autoptr(RelayMessage) message = complete (fixture, request, &error);

      g_assert_no_error (error);
      g_assert_nonnull (message);
    }
  seen = relay_fake_server_dup_last_request (fixture->server, CHAT);
  g_assert_cmpstr (relay_fake_request_get_header (seen, "Authorization"), ==, "Bearer test-from-the-keyring");

  done = FALSE;
  relay_secrets_clear_async (secrets, base_url, NULL, secrets_done_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
  {
    g_autoptr(RelayChatRequest) request = chat_request ("route-llm", "Hi");
    g_autoptr(RelayMessage) message = complete (fixture, request, &error);

    g_assert_error (error, RELAY_ERROR, RELAY_ERROR_UNAUTHORIZED);
    g_assert_cmpuint (relay_fake_server_count_requests (fixture->server, CHAT), ==, 2);
  }
}

/* Checked before sending: a clear error rather than the server's 400. */
static void
test_error_invalid_request (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(RelayChatRequest) request = chat_request ("route-llm", "Hi");
  g_autoptr(RelayMessage) message = relay_message_new (RELAY_ROLE_ASSISTANT, NULL);
  g_autoptr(GError) error = NULL;

  relay_chat_request_set_temperature (request, 5);
  g_assert_false (stream (fixture, request, message, NULL, &error));
  g_assert_error (error, RELAY_ERROR, RELAY_ERROR_BAD_REQUEST);
  g_assert_nonnull (strstr (error->message, "temperature"));
  g_assert_cmpint (relay_message_get_state (message), ==, RELAY_MESSAGE_STATE_FAILED);
  g_assert_cmpuint (relay_fake_server_get_n_requests (fixture->server), ==, 0);
}

static void
test_error_unusable_base_url (Fixture       *fixture,
                              gconstpointer  data)
{
  g_autoptr(GPtrArray) models = NULL;
  g_autoptr(GError) error = NULL;

  g_object_set (fixture->client, "base-url", "http://example.com/v1", NULL);
  g_assert_cmpstr (relay_client_get_base_url (fixture->client), ==, "http://example.com/v1");
  models = list_models (fixture, &error);
  g_assert_error (error, RELAY_ERROR, RELAY_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "https://"));
  g_assert_null (models);
}

/* ---------------------------------------------------------------------------------- */
/* Retries                                                                            */

static void
test_retry_after (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(RelayChatRequest) request = chat_request ("route-llm", "Hi");
  g_autoptr(RelayMessage) message = relay_message_new (RELAY_ROLE_ASSISTANT, NULL);
  g_autoptr(RelayFakeRequest) first = NULL;
  g_autoptr(RelayFakeRequest) second = NULL;
  g_autoptr(GError) error = NULL;
  RelayFakeReply *reply = relay_fake_reply_new_error (429, RELAY_FAKE_BODY_JSON, "Rate limit exceeded");
  RetryRecord *record;
  double waited;

  /* A first backoff far longer than Retry-After shows which one was honoured. */
  relay_client_set_retry_delay (fixture->client, 30);
  relay_fake_reply_set_header (reply, "Retry-After", "1");
  relay_fake_server_queue_reply (fixture->server, CHAT, reply);
  relay_fake_server_queue_reply (fixture->server, CHAT,
                                 relay_fake_reply_new_text_stream ("claude-4-5-sonnet", pieces, 0));

  g_assert_true (stream (fixture, request, message, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (relay_message_get_content (message), ==, "The quick brown fox jumps over the lazy dog.");

  g_assert_cmpuint (relay_fake_server_count_requests (fixture->server, CHAT), ==, 2);
  g_assert_cmpuint (fixture->retries->len, ==, 1);
  record = g_ptr_array_index (fixture->retries, 0);
  g_assert_cmpuint (record->attempt, ==, 2);
  g_assert_cmpuint (record->max_attempts, ==, 3);
  g_assert_cmpfloat (record->delay, >=, 1.0);
  g_assert_cmpfloat (record->delay, <=, 1.1);
  g_assert_error (record->error, RELAY_ERROR, RELAY_ERROR_RATE_LIMITED);

  first = relay_fake_server_dup_request (fixture->server, 0);
  second = relay_fake_server_dup_request (fixture->server, 1);
  waited = (second->received_usec - first->received_usec) / (double) G_USEC_PER_SEC;
  g_test_message ("Retry-After: 1 → waited %.3f s", waited);
  g_assert_cmpfloat (waited, >=, 1.0);
  g_assert_cmpfloat (waited, <, 1.6);
  /* The same request, byte for byte. */
  g_assert_true (g_bytes_equal (first->body, second->body));
}

static void
test_retry_server_errors (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(RelayChatRequest) request = chat_request ("route-llm", "Hi");
  g_autoptr(RelayMessage) message = NULL;
  g_autoptr(GError) error = NULL;
  RetryRecord *record;

  relay_fake_server_queue_reply (fixture->server, CHAT,
                                 relay_fake_reply_new_error (503, RELAY_FAKE_BODY_HTML, NULL));
  relay_fake_server_queue_reply (fixture->server, CHAT,
                                 relay_fake_reply_new_error (503, RELAY_FAKE_BODY_EMPTY, NULL));

  message = complete (fixture, request, &error);
  g_assert_no_error (error);
  g_assert_cmpint (relay_message_get_state (message), ==, RELAY_MESSAGE_STATE_COMPLETE);
  g_assert_cmpuint (relay_fake_server_count_requests (fixture->server, CHAT), ==, 3);
  g_assert_cmpuint (fixture->retries->len, ==, 2);
  record = g_ptr_array_index (fixture->retries, 0);
  g_assert_cmpuint (record->attempt, ==, 2);
  g_assert_error (record->error, RELAY_ERROR, RELAY_ERROR_SERVER);
  /* Backoff with jitter: between half and all of the base delay, then doubling. */
  g_assert_cmpfloat (record->delay, >=, 0.01);
  g_assert_cmpfloat (record->delay, <=, 0.02);
  record = g_ptr_array_index (fixture->retries, 1);
  g_assert_cmpuint (record->attempt, ==, 3);
  g_assert_cmpfloat (record->delay, >=, 0.02);
  g_assert_cmpfloat (record->delay, <=, 0.04);
}

static void
test_retry_gives_up (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(RelayChatRequest) request = chat_request ("route-llm", "Hi");
  g_autoptr(RelayMessage) message = NULL;
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < 4; i++)
    relay_fake_server_queue_reply (fixture->server, CHAT,
                                   relay_fake_reply_new_error (500, RELAY_FAKE_BODY_JSON, "Internal error"));

  message = complete (fixture, request, &error);
  g_assert_error (error, RELAY_ERROR, RELAY_ERROR_SERVER);
  g_assert_cmpuint (relay_fake_server_count_requests (fixture->server, CHAT), ==, 3);
  g_assert_cmpuint (fixture->retries->len, ==, 2);
}

/* A Retry-After longer than the client will wait ends the call at once. */
static void
test_retry_after_too_long (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(RelayChatRequest) request = chat_request ("route-llm", "Hi");
  g_autoptr(RelayMessage) message = NULL;
  g_autoptr(GError) error = NULL;
  RelayFakeReply *reply = relay_fake_reply_new_error (429, RELAY_FAKE_BODY_JSON, "Slow down");

  relay_fake_reply_set_header (reply, "Retry-After", "3600");
  relay_fake_server_queue_reply (fixture->server, CHAT, reply);

  message = complete (fixture, request, &error);
  g_assert_error (error, RELAY_ERROR, RELAY_ERROR_RATE_LIMITED);
  g_assert_cmpuint (relay_fake_server_count_requests (fixture->server, CHAT), ==, 1);
  g_assert_cmpuint (fixture->retries->len, ==, 0);
}

/* Cancelling during the wait before a retry ends the call without another request. */
static void
test_retry_cancel_while_waiting (Fixture       *fixture,
                                 gconstpointer  data)
{
  g_autoptr(RelayChatRequest) request = chat_request ("route-llm", "Hi");
  g_autoptr(RelayMessage) message = relay_message_new (RELAY_ROLE_ASSISTANT, NULL);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  Wait wait = { NULL };
  gboolean scheduled = FALSE;

  relay_client_set_retry_delay (fixture->client, 10);
  relay_fake_server_queue_reply (fixture->server, CHAT,
                                 relay_fake_reply_new_error (502, RELAY_FAKE_BODY_HTML, NULL));
  relay_client_stream_async (fixture->client, request, message, cancellable, wait_cb, &wait);
  while (fixture->retries->len == 0 && wait.result == NULL)
    g_main_context_iteration (NULL, TRUE);
  scheduled = fixture->retries->len == 1;
  g_assert_true (scheduled);
  g_cancellable_cancel (cancellable);

  g_assert_false (relay_client_stream_finish (fixture->client, wait_for (&wait), &error));
  g_object_unref (wait.result);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (relay_message_get_state (message), ==, RELAY_MESSAGE_STATE_STOPPED);
  g_assert_cmpuint (relay_fake_server_count_requests (fixture->server, CHAT), ==, 1);
}

/* After the first byte, never again: it would bill twice and repeat the text. */
static void
test_no_retry_after_first_byte (Fixture       *fixture,
                                gconstpointer  data)
{
  g_autoptr(RelayChatRequest) request = chat_request ("route-llm", "Hi");
  g_autoptr(RelayMessage) message = relay_message_new (RELAY_ROLE_ASSISTANT, NULL);
  g_autoptr(GError) error = NULL;
  RelayFakeReply *reply = relay_fake_reply_new_stream ();
  g_autofree char *role = relay_fake_chunk_role ("claude-4-5-sonnet");
  g_autofree char *one = relay_fake_chunk_text ("claude-4-5-sonnet", "Half ");
  g_autofree char *two = relay_fake_chunk_text ("claude-4-5-sonnet", "a reply");

  relay_fake_reply_add_event (reply, 0, role);
  relay_fake_reply_add_event (reply, 10, one);
  relay_fake_reply_add_event (reply, 10, two);
  relay_fake_reply_set_ending (reply, RELAY_FAKE_END_DROP);
  relay_fake_server_queue_reply (fixture->server, CHAT, reply);

  g_assert_false (stream (fixture, request, message, NULL, &error));
  g_assert_error (error, RELAY_ERROR, RELAY_ERROR_NETWORK);
  g_assert_cmpstr (relay_message_get_content (message), ==, "Half a reply");
  g_assert_cmpint (relay_message_get_state (message), ==, RELAY_MESSAGE_STATE_FAILED);
  g_assert_cmpuint (relay_fake_server_count_requests (fixture->server, CHAT), ==, 1);
  g_assert_cmpuint (fixture->retries->len, ==, 0);
}

static void
test_retry_dropped_before_first_byte (Fixture       *fixture,
                                      gconstpointer  data)
{
  g_autoptr(RelayChatRequest) request = chat_request ("route-llm", "Hi");
  g_autoptr(RelayMessage) message = relay_message_new (RELAY_ROLE_ASSISTANT, NULL);
  g_autoptr(GError) error = NULL;
  RetryRecord *record;

  relay_fake_server_queue_reply (fixture->server, CHAT, relay_fake_reply_new_drop ());
  relay_fake_server_queue_reply (fixture->server, CHAT,
                                 relay_fake_reply_new_text_stream ("claude-4-5-sonnet", pieces, 0));

  g_assert_true (stream (fixture, request, message, NULL, &error));
  g_assert_no_error (error);
  /* Once, not twice: the dropped attempt left no text behind. */
  g_assert_cmpstr (relay_message_get_content (message), ==, "The quick brown fox jumps over the lazy dog.");
  g_assert_cmpuint (relay_fake_server_count_requests (fixture->server, CHAT), ==, 2);
  g_assert_cmpuint (fixture->retries->len, ==, 1);
  record = g_ptr_array_index (fixture->retries, 0);
  g_assert_error (record->error, RELAY_ERROR, RELAY_ERROR_NETWORK);
}

static guint
closed_port (void)
{
  g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                            G_SOCKET_PROTOCOL_TCP, NULL);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;

  g_assert_true (g_socket_bind (socket, address, FALSE, NULL));
  bound = g_socket_get_local_address (socket, NULL);
  /* Bound but not listening: connections are refused. */
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}

static void
test_connection_refused (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(GPtrArray) models = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = g_strdup_printf ("http://127.0.0.1:%u/v1", closed_port ());

  g_assert_true (relay_client_set_base_url (fixture->client, url, NULL));
  models = list_models (fixture, &error);
  g_assert_error (error, RELAY_ERROR, RELAY_ERROR_NETWORK);
  g_assert_nonnull (strstr (error->message, "127.0.0.1"));
  g_assert_cmpuint (fixture->retries->len, ==, 2);
}

/* ---------------------------------------------------------------------------------- */
/* Timeouts                                                                           */

static void
test_stall_mid_stream (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(RelayChatRequest) request = chat_request ("route-llm", "Hi");
  g_autoptr(RelayMessage) message = relay_message_new (RELAY_ROLE_ASSISTANT, NULL);
  g_autoptr(GError) error = NULL;
  RelayFakeReply *reply = relay_fake_reply_new_stream ();
  g_autofree char *one = relay_fake_chunk_text ("claude-4-5-sonnet", "Then silence");
  gint64 start, elapsed;

  relay_client_set_idle_timeout (fixture->client, 0.3);
  relay_fake_reply_add_event (reply, 0, one);
  relay_fake_reply_add_comment (reply, 200, "keep-alive");
  relay_fake_reply_set_ending (reply, RELAY_FAKE_END_STALL);
  relay_fake_server_queue_reply (fixture->server, CHAT, reply);

  start = g_get_monotonic_time ();
  g_assert_false (stream (fixture, request, message, NULL, &error));
  elapsed = g_get_monotonic_time () - start;
  g_assert_error (error, RELAY_ERROR, RELAY_ERROR_TIMEOUT);
  g_assert_cmpstr (relay_message_get_content (message), ==, "Then silence");
  g_assert_cmpint (relay_message_get_state (message), ==, RELAY_MESSAGE_STATE_FAILED);
  /* The keep-alive reset the clock: 0.2 s, then 0.3 s of silence. */
  g_assert_cmpint (elapsed, >=, 500 * 1000);
  g_assert_cmpint (elapsed, <, 1500 * 1000);
  g_assert_cmpuint (relay_fake_server_count_requests (fixture->server, CHAT), ==, 1);
}

static void
test_stall_before_headers (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(RelayChatRequest) request = chat_request ("route-llm", "Hi");
  g_autoptr(RelayMessage) message = relay_message_new (RELAY_ROLE_ASSISTANT, NULL);
  g_autoptr(GError) error = NULL;
  RelayFakeReply *reply = relay_fake_reply_new_text_stream ("claude-4-5-sonnet", pieces, 0);
  gint64 start, elapsed;

  relay_client_set_idle_timeout (fixture->client, 0.3);
  relay_fake_reply_set_delay (reply, 3000);
  relay_fake_server_queue_reply (fixture->server, CHAT, reply);

  start = g_get_monotonic_time ();
  g_assert_false (stream (fixture, request, message, NULL, &error));
  elapsed = g_get_monotonic_time () - start;
  g_assert_error (error, RELAY_ERROR, RELAY_ERROR_TIMEOUT);
  g_assert_cmpint (elapsed, <, 1500 * 1000);
  /* The server may be working on it: waiting longer is the user's call, not a retry's. */
  g_assert_cmpuint (relay_fake_server_count_requests (fixture->server, CHAT), ==, 1);
  g_assert_cmpuint (fixture->retries->len, ==, 0);
}

/* The connect timeout covers connecting and sending only: a slow answer is not a slow
 * connection, for a GET as for a POST. */
static void
test_slow_answer_is_not_connect_timeout (Fixture       *fixture,
                                         gconstpointer  data)
{
  g_autoptr(RelayChatRequest) request = chat_request ("route-llm", "Hi");
  g_autoptr(RelayMessage) message = NULL;
  g_autoptr(GPtrArray) models = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *json = relay_fake_completion_json ("claude-4-5-sonnet", "Slow but sure", "stop");
  RelayFakeReply *reply = relay_fake_reply_new_json (200, "{\"object\":\"list\",\"data\":[{\"id\":\"gpt-5.1\"}]}");

  relay_client_set_connect_timeout (fixture->client, 0.2);
  relay_fake_reply_set_delay (reply, 600);
  relay_fake_server_queue_reply (fixture->server, "/v1/models", reply);
  models = list_models (fixture, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (models->len, ==, 1);

  reply = relay_fake_reply_new_json (200, json);
  relay_fake_reply_set_delay (reply, 600);
  relay_fake_server_queue_reply (fixture->server, CHAT, reply);
  message = complete (fixture, request, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (relay_message_get_content (message), ==, "Slow but sure");
  g_assert_cmpuint (fixture->retries->len, ==, 0);
}

/* A plain completion may think for longer than a stream may stay silent. */
static void
test_response_timeout (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(RelayChatRequest) request = chat_request ("route-llm", "Hi");
  g_autoptr(RelayMessage) message = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *json = relay_fake_completion_json ("claude-4-5-sonnet", "Late", "stop");
  RelayFakeReply *reply = relay_fake_reply_new_json (200, json);
  gint64 start = g_get_monotonic_time ();

  relay_client_set_idle_timeout (fixture->client, 0.1);
  relay_client_set_response_timeout (fixture->client, 0.4);
  relay_fake_reply_set_delay (reply, 3000);
  relay_fake_server_queue_reply (fixture->server, CHAT, reply);
  message = complete (fixture, request, &error);
  g_assert_error (error, RELAY_ERROR, RELAY_ERROR_TIMEOUT);
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 400 * 1000);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 1500 * 1000);
  g_assert_cmpuint (relay_fake_server_count_requests (fixture->server, CHAT), ==, 1);
}

/* ---------------------------------------------------------------------------------- */
/* Generated images                                                                   */

static RelayChatRequest *
image_request (guint count)
{
  RelayChatRequest *request = chat_request ("flux-2-pro", "A lighthouse at dusk");

  relay_chat_request_set_modality (request, RELAY_MODALITY_IMAGE);
  relay_chat_request_set_num_images (request, count);
  relay_chat_request_set_aspect_ratio (request, "16:9");
  return request;
}

static void
assert_png_attachments (RelayMessage *message,
                        guint         count)
{
  GPtrArray *attachments = relay_message_get_attachments (message);

  g_assert_cmpuint (attachments->len, ==, count);
  for (guint i = 0; i < count; i++)
    {
      RelayAttachment *attachment = g_ptr_array_index (attachments, i);
      GBytes *bytes = relay_attachment_get_bytes (attachment);

      g_assert_cmpstr (relay_attachment_get_mime_type (attachment), ==, "image/png");
      g_assert_nonnull (bytes);
      g_assert_cmpmem (g_bytes_get_data (bytes, NULL), 8, "\x89PNG\r\n\x1a\n", 8);
    }
}

static void
test_images_by_url (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(RelayChatRequest) request = image_request (2);
  g_autoptr(RelayMessage) message = NULL;
  g_autoptr(GError) error = NULL;
  guint fetched = 0;

  message = complete (fixture, request, &error);
  g_assert_no_error (error);
  assert_png_attachments (message, 2);
  g_assert_cmpfloat (relay_message_get_compute_points (message), ==, 300);

  for (guint i = 0; i < relay_fake_server_get_n_requests (fixture->server); i++)
    {
      g_autoptr(RelayFakeRequest) seen = relay_fake_server_dup_request (fixture->server, i);

      if (!g_str_has_prefix (seen->path, "/images/"))
        continue;
      fetched++;
      /* Image hosts are not the API: they never get the key. */
      g_assert_null (relay_fake_request_get_header (seen, "Authorization"));
      g_assert_null (relay_fake_request_get_header (seen, "apiKey"));
    }
  g_assert_cmpuint (fetched, ==, 2);
}

static void
test_images_by_data_uri (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(RelayChatRequest) request = image_request (3);
  g_autoptr(RelayMessage) message = NULL;
  g_autoptr(GError) error = NULL;

  relay_fake_server_set_data_images (fixture->server, TRUE);
  message = complete (fixture, request, &error);
  g_assert_no_error (error);
  assert_png_attachments (message, 3);
  g_assert_cmpuint (relay_fake_server_get_n_requests (fixture->server), ==, 1);
}

/* Images in message.content[], where the reference's own examples read them. */
static void
test_images_in_content (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(RelayChatRequest) request = image_request (1);
  g_autoptr(RelayMessage) message = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) png = relay_fake_make_png (32, 16, 1);
  g_autofree char *url = g_strconcat (relay_fake_server_get_origin (fixture->server), "/cdn/a.png", NULL);
  const char *urls[] = { url, NULL };
  g_autofree char *json = relay_fake_image_completion_json ("flux-2-pro", urls, TRUE);

  relay_fake_server_add_file (fixture->server, "/cdn/a.png", "image/png", png);
  relay_fake_server_queue_reply (fixture->server, CHAT, relay_fake_reply_new_json (200, json));
  message = complete (fixture, request, &error);
  g_assert_no_error (error);
  assert_png_attachments (message, 1);
}

static void
test_images_refused (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(GBytes) garbage = g_bytes_new_static ("\x89PNG\r\n\x1a\nnot really", 18);
  g_autoptr(GBytes) html = g_bytes_new_static ("<html>sign in</html>", 20);
  g_autoptr(GBytes) png = relay_fake_make_png (8, 8, 2);
  g_autofree char *bad = g_strconcat (relay_fake_server_get_origin (fixture->server), "/cdn/bad.png", NULL);
  g_autofree char *page = g_strconcat (relay_fake_server_get_origin (fixture->server), "/cdn/page.png", NULL);
  g_autofree char *good = g_strconcat (relay_fake_server_get_origin (fixture->server), "/cdn/good.png", NULL);
  const char *bad_only[] = { bad, NULL };
  const char *page_only[] = { page, NULL };
  const char *mixed[] = { bad, good, NULL };
  const char *data_uri[] = { "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAAB", NULL };
  const char * const *cases[] = { bad_only, page_only, data_uri };

  relay_fake_server_add_file (fixture->server, "/cdn/bad.png", "image/png", garbage);
  relay_fake_server_add_file (fixture->server, "/cdn/page.png", "text/html", html);
  relay_fake_server_add_file (fixture->server, "/cdn/good.png", "image/png", png);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(RelayChatRequest) request = image_request (1);
      g_autoptr(RelayMessage) message = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *json = relay_fake_image_completion_json ("flux-2-pro", cases[i], FALSE);

      relay_fake_server_queue_reply (fixture->server, CHAT, relay_fake_reply_new_json (200, json));
      message = complete (fixture, request, &error);
      g_test_message ("case %u: %s", i, error != NULL ? error->message : "(accepted)");
      g_assert_null (message);
      g_assert_error (error, RELAY_ERROR, RELAY_ERROR_INVALID_RESPONSE);
      g_assert_nonnull (strstr (error->message, "image"));
    }

  /* A bad image among good ones is left out; the good ones are kept. */
  {
    g_autoptr(RelayChatRequest) request = image_request (2);
    g_autoptr(RelayMessage) message = NULL;
    g_autoptr(GError) error = NULL;
    g_autofree char *json = relay_fake_image_completion_json ("flux-2-pro", mixed, FALSE);

    relay_fake_server_queue_reply (fixture->server, CHAT, relay_fake_reply_new_json (200, json));
    message = complete (fixture, request, &error);
    g_assert_no_error (error);
    assert_png_attachments (message, 1);
  }
}

/* ---------------------------------------------------------------------------------- */
/* Model lists                                                                        */

static RelayModelInfo *
find_model (GPtrArray  *models,
            const char *id)
{
  for (guint i = 0; i < models->len; i++)
    if (g_strcmp0 (relay_model_info_get_id (g_ptr_array_index (models, i)), id) == 0)
      return g_ptr_array_index (models, i);
  return NULL;
}

static void
test_models_openai_shape (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(GPtrArray) models = NULL;
  g_autoptr(RelayFakeRequest) seen = NULL;
  g_autoptr(GError) error = NULL;
  RelayModelInfo *info;
  double input = 0, output = 0;

  models = list_models (fixture, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (models->len, >=, 15);
  g_assert_cmpstr (relay_model_info_get_id (g_ptr_array_index (models, 0)), ==, "route-llm");
  info = find_model (models, "gpt-5.1");
  g_assert_nonnull (info);
  /* USD per token on the wire, per million tokens for people. */
  g_assert_true (relay_model_info_get_prices_per_million (info, &input, &output));
  g_assert_cmpfloat_with_epsilon (input, 1.25, 1e-9);
  g_assert_cmpfloat_with_epsilon (output, 10.0, 1e-9);

  seen = relay_fake_server_dup_request (fixture->server, 0);
  g_assert_cmpstr (seen->method, ==, "GET");
  g_assert_cmpstr (seen->path, ==, "/v1/models");
  g_assert_cmpstr (relay_fake_request_get_header (seen, "Authorization"), ==, "Bearer " KEY);
}

static void
test_models_routellm_shape (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(GPtrArray) models = NULL;
  g_autoptr(GError) error = NULL;
  RelayModelInfo *info;

  relay_fake_server_queue_reply (fixture->server, "/v1/models", relay_fake_reply_new_json (200,
    "{\"success\":true,\"result\":[{\"name\":\"route-llm\",\"id\":\"a1b2\",\"input_token_rate\":3,"
    "\"output_token_rate\":15},{\"name\":\"claude-4-5-sonnet\",\"id\":\"c3d4\"}]}"));

  models = list_models (fixture, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (models->len, ==, 2);
  /* In this shape "name" is the model requests name, not the platform's "id". */
  info = find_model (models, "claude-4-5-sonnet");
  g_assert_nonnull (info);
  g_assert_null (find_model (models, "c3d4"));
  /* The unit of these rates is undocumented: they must not pass for known prices. */
  info = find_model (models, "route-llm");
  g_assert_false (relay_model_info_get_prices_per_million (info, NULL, NULL));
}

static void
test_models_fallback (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GPtrArray) models = NULL;
  g_autoptr(RelayFakeRequest) seen = NULL;
  g_autoptr(GError) error = NULL;

  relay_fake_server_queue_reply (fixture->server, "/v1/models",
                                 relay_fake_reply_new_error (404, RELAY_FAKE_BODY_HTML, NULL));
  models = list_models (fixture, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (models->len, >=, 15);
  g_assert_nonnull (find_model (models, "claude-4-5-sonnet"));

  g_assert_cmpuint (relay_fake_server_get_n_requests (fixture->server), ==, 2);
  seen = relay_fake_server_dup_request (fixture->server, 1);
  g_assert_cmpstr (seen->path, ==, "/api/v0/listRouteLLMModels");
  g_assert_cmpstr (relay_fake_request_get_header (seen, "apiKey"), ==, KEY);
}

static void
test_models_invalid (Fixture       *fixture,
                     gconstpointer  data)
{
  static const char * const bodies[] = {
    "", "{\"data\": 3}", "{\"object\":\"list\",\"data\":[", "<html></html>",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bodies); i++)
    {
      g_autoptr(GPtrArray) models = NULL;
      g_autoptr(GError) error = NULL;

      relay_fake_server_queue_reply (fixture->server, "/v1/models", relay_fake_reply_new_json (200, bodies[i]));
      models = list_models (fixture, &error);
      g_test_message ("%s → %s", bodies[i], error != NULL ? error->message : "(accepted)");
      g_assert_error (error, RELAY_ERROR, RELAY_ERROR_INVALID_RESPONSE);
      g_assert_null (models);
    }
}

/* ---------------------------------------------------------------------------------- */
/* The key stays secret                                                               */

static GString *captured_log;
static gboolean capturing;

static GLogWriterOutput
capture_writer (GLogLevelFlags   log_level,
                const GLogField *fields,
                gsize            n_fields,
                gpointer         user_data)
{
  if (!capturing)
    return g_log_writer_default (log_level, fields, n_fields, user_data);

  for (gsize i = 0; i < n_fields; i++)
    {
      if (fields[i].length < 0)
        g_string_append (captured_log, fields[i].value);
      else
        g_string_append_len (captured_log, fields[i].value, fields[i].length);
      g_string_append_c (captured_log, ' ');
    }
  g_string_append_c (captured_log, '\n');
  /* Let failures through, so that a failing assertion says why. */
  if (log_level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING))
    return g_log_writer_default (log_level, fields, n_fields, user_data);
  return G_LOG_WRITER_HANDLED;
}

static void
test_key_never_logged (void)
{
  const char *secret = "test-SECRET-never-print-me-42";

  if (g_test_subprocess ())
    {
      g_autoptr(RelayFakeServer) server = relay_fake_server_new ();
      g_autoptr(RelayClient) client = relay_client_new ();
      g_autoptr(GString) errors = g_string_new (NULL);
      g_autofree char *echo = g_strdup_printf ("Invalid API key: %s", secret);
      Fixture fixture = { server, client, g_ptr_array_new_with_free_func (retry_record_free) };

      /* Everything anyone could log, at every level, while the key is refused. */
      g_setenv ("G_MESSAGES_DEBUG", "all", TRUE);
      g_log_set_debug_enabled (TRUE);
      captured_log = g_string_new (NULL);
      capturing = TRUE;
      g_log_set_writer_func (capture_writer, NULL, NULL);

      relay_fake_server_set_key (server, "test-the-right-one");
      relay_client_set_base_url (client, relay_fake_server_get_base_url (server), NULL);
      relay_client_set_api_key (client, secret);
      relay_client_set_retry_delay (client, 0.01);

      /* A refused key, one the server quotes back, retries, a stream and a model list. */
      relay_fake_server_queue_reply (server, CHAT, relay_fake_reply_new_error (503, RELAY_FAKE_BODY_EMPTY, NULL));
      for (guint i = 0; i < 3; i++)
        {
          g_autoptr(RelayChatRequest) request = chat_request ("route-llm", "Hi");
          g_autoptr(RelayMessage) message = relay_message_new (RELAY_ROLE_ASSISTANT, NULL);
          g_autoptr(RelayMessage) answer = NULL;
          g_autoptr(GPtrArray) models = NULL;
          g_autoptr(GError) error = NULL;

          if (i == 1)
            relay_fake_server_queue_reply (server, CHAT, relay_fake_reply_new_error (401, RELAY_FAKE_BODY_JSON, echo));
          if (i == 2)
            {
              models = list_models (&fixture, &error);
            }
          else if (i == 1)
            {
              g_assert_false (stream (&fixture, request, message, NULL, &error));
              g_string_append (errors, relay_message_get_error_message (message));
            }
          else
            {
              answer = complete (&fixture, request, &error);
            }
          g_assert_error (error, RELAY_ERROR, RELAY_ERROR_UNAUTHORIZED);
          g_string_append_printf (errors, "%s\n", error->message);
        }

      capturing = FALSE;
      g_assert_nonnull (strstr (captured_log->str, "POST"));
      g_assert_nonnull (strstr (captured_log->str, "401"));
      g_assert_null (strstr (captured_log->str, secret));
      g_assert_null (strstr (captured_log->str, "Bearer"));
      g_assert_null (strstr (errors->str, secret));
      g_assert_nonnull (strstr (errors->str, "Invalid API key"));
      g_printerr ("captured %" G_GSIZE_FORMAT " bytes of log\n", captured_log->len);
      g_ptr_array_unref (fixture.retries);
      return;
    }

  g_test_trap_subprocess (NULL, 20 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stderr_unmatched ("*never-print-me*");
  g_test_trap_assert_stdout_unmatched ("*never-print-me*");
}

/* ---------------------------------------------------------------------------------- */

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/client/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("complete/plain", test_complete_plain);
  ADD ("complete/request-body", test_request_body);
  ADD ("stream/progressive", test_stream_progressive);
  ADD ("stream/routed-model-first", test_stream_routed_model_first);
  ADD ("stream/cancel", test_stream_cancel);
  ADD ("stream/cancel-within-read", test_stream_cancel_within_read);
  ADD ("stream/cancel-before-sending", test_cancel_before_sending);
  ADD ("stream/framing", test_stream_framing);
  ADD ("stream/parallel-tool-calls", test_stream_parallel_tool_calls);
  ADD ("stream/error-event", test_stream_error_event);
  ADD ("errors/statuses", test_error_statuses);
  ADD ("errors/wrong-key", test_error_wrong_key);
  ADD ("errors/no-key", test_error_no_key);
  ADD ("errors/invalid-request", test_error_invalid_request);
  ADD ("key-from-keyring", test_key_from_keyring);
  ADD ("errors/unusable-base-url", test_error_unusable_base_url);
  ADD ("retry/retry-after", test_retry_after);
  ADD ("retry/server-errors", test_retry_server_errors);
  ADD ("retry/gives-up", test_retry_gives_up);
  ADD ("retry/retry-after-too-long", test_retry_after_too_long);
  ADD ("retry/cancel-while-waiting", test_retry_cancel_while_waiting);
  ADD ("retry/not-after-first-byte", test_no_retry_after_first_byte);
  ADD ("retry/dropped-before-first-byte", test_retry_dropped_before_first_byte);
  ADD ("retry/connection-refused", test_connection_refused);
  ADD ("timeout/stall-mid-stream", test_stall_mid_stream);
  ADD ("timeout/stall-before-headers", test_stall_before_headers);
  ADD ("timeout/slow-answer-is-not-connect-timeout", test_slow_answer_is_not_connect_timeout);
  ADD ("timeout/response-timeout", test_response_timeout);
  ADD ("images/by-url", test_images_by_url);
  ADD ("images/by-data-uri", test_images_by_data_uri);
  ADD ("images/in-content", test_images_in_content);
  ADD ("images/refused", test_images_refused);
  ADD ("models/openai-shape", test_models_openai_shape);
  ADD ("models/routellm-shape", test_models_routellm_shape);
  ADD ("models/fallback", test_models_fallback);
  ADD ("models/invalid", test_models_invalid);
  g_test_add_func ("/client/key-never-logged", test_key_never_logged);

#undef ADD

  return g_test_run ();
}
