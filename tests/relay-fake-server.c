/* relay-fake-server.c: a RouteLLM server on 127.0.0.1 for tests and demonstrations.
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "relay-fake-server"

#include "config.h"

#include <stdio.h>
#include <string.h>

#include <gdk-pixbuf/gdk-pixbuf.h>

#include "relay-fake-server.h"

/**
 * RelayFakeServer:
 *
 * A `SoupServer` on 127.0.0.1 (a random port unless one is given) that runs in its own
 * thread with its own `GMainContext`, so that a test's main loop can block, stall or be
 * cancelled without the server stalling with it.
 *
 * It speaks the OpenAI-compatible protocol that RouteLLM speaks:
 *
 * - `POST /v1/chat/completions`: plain and streamed completions, tool calls, image
 *   generation (PNG images served at `/images/N.png`, or as `data:` URIs);
 * - `GET /v1/models` (OpenAI's list shape) and `GET /api/v0/listRouteLLMModels`
 *   (`{"success":true,"result":[…]}`), both with prices;
 * - every `/v1/` and `/api/` request must carry `Authorization: Bearer KEY` (or, for
 *   `/api/`, `apiKey: KEY`). KEY is the one given to relay_fake_server_set_key(), or
 *   when none was, any key that starts with `test-`. A wrong key gets a 401 with a JSON
 *   error body.
 *
 * A test queues scripted replies per path with relay_fake_server_queue_reply(); each
 * request takes the next one, and when none is queued the built-in behaviour answers.
 * Scripted replies are written on the raw connection byte by byte as scripted (status
 * line, headers, body steps with delays, then a proper end, a dropped connection or a
 * stall), which is what lets tests reproduce broken networks and proxies.
 *
 * Every request is recorded (method, path, headers, body, arrival time) for assertions.
 */

#define REPLY_PATH_CHAT "/v1/chat/completions"
#define ROUTED_MODEL    "claude-4-5-sonnet"
#define MAX_IMAGES      4

typedef struct
{
  guint   delay_ms;
  GBytes *data;
} Step;

struct _RelayFakeReply
{
  guint                status;   /* 0: drop the connection before sending anything */
  guint                delay_ms; /* before the status line */
  SoupMessageHeaders  *headers;
  GArray              *steps;
  char                *line_end;
  RelayFakeEnding      ending;
  gboolean             chunked;
};

typedef struct
{
  char   *content_type;
  GBytes *bytes;
} FakeFile;

struct _RelayFakeServer
{
  GObject       parent_instance;

  GThread      *thread;
  GMainContext *context;
  GMainLoop    *loop;
  guint         port;
  char         *origin;
  char         *base_url;

  /* Shared with the server thread; guarded by mutex. */
  GMutex        mutex;
  GCond         cond;
  gboolean      started;
  GError       *start_error;
  char         *key;
  guint         stream_delay_ms;
  gboolean      data_images;
  GHashTable   *queues;   /* path → GQueue of RelayFakeReply */
  GHashTable   *files;    /* path → FakeFile */
  GPtrArray    *requests; /* RelayFakeRequest */
  guint         next_image;

  /* Only touched in the server thread. */
  SoupServer   *soup;
  GPtrArray    *writers;
  guint         next_id;
};

G_DEFINE_FINAL_TYPE (RelayFakeServer, relay_fake_server, G_TYPE_OBJECT)

/* ---------------------------------------------------------------------------------- */
/* Scripted replies                                                                   */

static void
step_clear (gpointer data)
{
  Step *step = data;

  g_clear_pointer (&step->data, g_bytes_unref);
}

static RelayFakeReply *
reply_alloc (guint status)
{
  RelayFakeReply *reply = g_new0 (RelayFakeReply, 1);

  reply->status = status;
  reply->headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_RESPONSE);
  reply->steps = g_array_new (FALSE, TRUE, sizeof (Step));
  g_array_set_clear_func (reply->steps, step_clear);
  reply->line_end = g_strdup ("\n");
  reply->ending = RELAY_FAKE_END_CLOSE;
  return reply;
}

/**
 * relay_fake_reply_new:
 * @status: the HTTP status
 *
 * A reply with @status and no body yet; add the body with relay_fake_reply_add_data().
 * Its length is announced with Content-Length.
 */
RelayFakeReply *
relay_fake_reply_new (guint status)
{
  g_return_val_if_fail (status >= 100 && status < 600, NULL);

  return reply_alloc (status);
}

/**
 * relay_fake_reply_new_drop:
 *
 * A reply that closes the connection as soon as the request has been read, before a
 * single byte of an answer.
 */
RelayFakeReply *
relay_fake_reply_new_drop (void)
{
  RelayFakeReply *reply = reply_alloc (0);

  reply->ending = RELAY_FAKE_END_DROP;
  return reply;
}

RelayFakeReply *
relay_fake_reply_new_json (guint       status,
                           const char *json)
{
  RelayFakeReply *reply = relay_fake_reply_new (status);

  soup_message_headers_replace (reply->headers, "Content-Type", "application/json");
  relay_fake_reply_add_data (reply, 0, json, -1);
  return reply;
}

static const char *
error_type_for_status (guint status)
{
  switch (status)
    {
    case 400: return "invalid_request_error";
    case 401: return "authentication_error";
    case 403: return "permission_error";
    case 404: return "not_found_error";
    case 429: return "rate_limit_error";
    default: return status >= 500 ? "server_error" : "api_error";
    }
}

static char *
error_json (guint       status,
            const char *message)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "error");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "message");
  json_builder_add_string_value (builder, message);
  json_builder_set_member_name (builder, "type");
  json_builder_add_string_value (builder, error_type_for_status (status));
  json_builder_set_member_name (builder, "code");
  json_builder_add_string_value (builder, error_type_for_status (status));
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  return json_to_string (root, FALSE);
}

/**
 * relay_fake_reply_new_error:
 * @status: an error status
 * @kind: the kind of body
 * @message: the message in a JSON body
 *
 * An error reply as RouteLLM sends it (JSON), or as a proxy in front of it might (an
 * HTML page, or nothing at all).
 */
RelayFakeReply *
relay_fake_reply_new_error (guint              status,
                            RelayFakeBodyKind  kind,
                            const char        *message)
{
  RelayFakeReply *reply = relay_fake_reply_new (status);
  g_autofree char *body = NULL;

  switch (kind)
    {
    case RELAY_FAKE_BODY_JSON:
      body = error_json (status, message);
      soup_message_headers_replace (reply->headers, "Content-Type", "application/json");
      break;

    case RELAY_FAKE_BODY_HTML:
      body = g_strdup_printf ("<html>\r\n<head><title>%u %s</title></head>\r\n"
                              "<body>\r\n<center><h1>%u %s</h1></center>\r\n"
                              "<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n",
                              status, soup_status_get_phrase (status),
                              status, soup_status_get_phrase (status));
      soup_message_headers_replace (reply->headers, "Content-Type", "text/html");
      break;

    case RELAY_FAKE_BODY_EMPTY:
    default:
      break;
    }

  if (body != NULL)
    relay_fake_reply_add_data (reply, 0, body, -1);
  return reply;
}

/**
 * relay_fake_reply_new_stream:
 *
 * A 200 reply with a `text/event-stream` body sent in HTTP chunks, one per body step;
 * add events with relay_fake_reply_add_event().
 */
RelayFakeReply *
relay_fake_reply_new_stream (void)
{
  RelayFakeReply *reply = reply_alloc (200);

  reply->chunked = TRUE;
  soup_message_headers_replace (reply->headers, "Content-Type", "text/event-stream");
  soup_message_headers_replace (reply->headers, "Cache-Control", "no-cache");
  return reply;
}

/**
 * relay_fake_reply_new_text_stream:
 * @model: the model to name in each chunk, e.g. the routed model
 * @pieces: the text, one piece per chunk
 * @delay_ms: the pause before each chunk
 *
 * A complete stream as RouteLLM sends it: a role chunk, one chunk per piece, a chunk with
 * finish_reason "stop", a usage chunk with empty choices, then `[DONE]`.
 */
RelayFakeReply *
relay_fake_reply_new_text_stream (const char         *model,
                                  const char * const *pieces,
                                  guint               delay_ms)
{
  RelayFakeReply *reply = relay_fake_reply_new_stream ();
  g_autofree char *role = relay_fake_chunk_role (model);
  g_autofree char *finish = relay_fake_chunk_finish (model, "stop");
  g_autofree char *usage = NULL;
  gsize length = 0;

  relay_fake_reply_add_event (reply, delay_ms, role);
  for (guint i = 0; pieces != NULL && pieces[i] != NULL; i++)
    {
      g_autofree char *chunk = relay_fake_chunk_text (model, pieces[i]);

      relay_fake_reply_add_event (reply, delay_ms, chunk);
      length += strlen (pieces[i]);
    }
  relay_fake_reply_add_event (reply, delay_ms, finish);
  usage = relay_fake_chunk_usage (model, 12, (gint64) (length / 4 + 1));
  relay_fake_reply_add_event (reply, 0, usage);
  relay_fake_reply_add_done (reply, 0);
  return reply;
}

void
relay_fake_reply_free (RelayFakeReply *reply)
{
  if (reply == NULL)
    return;

  soup_message_headers_unref (reply->headers);
  g_array_unref (reply->steps);
  g_free (reply->line_end);
  g_free (reply);
}

void
relay_fake_reply_set_header (RelayFakeReply *reply,
                             const char     *name,
                             const char     *value)
{
  soup_message_headers_replace (reply->headers, name, value);
}

void
relay_fake_reply_set_delay (RelayFakeReply *reply,
                            guint           delay_ms)
{
  reply->delay_ms = delay_ms;
}

/**
 * relay_fake_reply_set_line_end:
 * @line_end: "\n", "\r\n" or "\r"
 *
 * The line end that events added after this call use.
 */
void
relay_fake_reply_set_line_end (RelayFakeReply *reply,
                               const char     *line_end)
{
  g_free (reply->line_end);
  reply->line_end = g_strdup (line_end);
}

void
relay_fake_reply_set_ending (RelayFakeReply  *reply,
                             RelayFakeEnding  ending)
{
  reply->ending = ending;
}

/**
 * relay_fake_reply_add_data:
 * @delay_ms: the pause before these bytes are written
 * @data: the bytes
 * @length: their length, or -1
 *
 * Adds one write to the body; in a stream, one HTTP chunk.
 */
void
relay_fake_reply_add_data (RelayFakeReply *reply,
                           guint           delay_ms,
                           const char     *data,
                           gssize          length)
{
  Step step;

  if (length < 0)
    length = strlen (data);
  step.delay_ms = delay_ms;
  step.data = g_bytes_new (data, length);
  g_array_append_val (reply->steps, step);
}

/* One "data:" line per line of @data, as the event-stream format wants. */
void
relay_fake_reply_add_event (RelayFakeReply *reply,
                            guint           delay_ms,
                            const char     *data)
{
  g_auto(GStrv) lines = g_strsplit (data, "\n", -1);
  g_autoptr(GString) event = g_string_new (NULL);

  for (guint i = 0; lines[i] != NULL; i++)
    g_string_append_printf (event, "data: %s%s", lines[i], reply->line_end);
  g_string_append (event, reply->line_end);
  relay_fake_reply_add_data (reply, delay_ms, event->str, event->len);
}

void
relay_fake_reply_add_comment (RelayFakeReply *reply,
                              guint           delay_ms,
                              const char     *comment)
{
  g_autofree char *line = g_strdup_printf (": %s%s%s", comment, reply->line_end, reply->line_end);

  relay_fake_reply_add_data (reply, delay_ms, line, -1);
}

void
relay_fake_reply_add_done (RelayFakeReply *reply,
                           guint           delay_ms)
{
  relay_fake_reply_add_event (reply, delay_ms, "[DONE]");
}

/* ---------------------------------------------------------------------------------- */
/* Chunks                                                                             */

static void
begin_chunk (JsonBuilder *builder,
             const char  *model)
{
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, "chatcmpl-fake");
  json_builder_set_member_name (builder, "object");
  json_builder_add_string_value (builder, "chat.completion.chunk");
  json_builder_set_member_name (builder, "created");
  json_builder_add_int_value (builder, 1767225600);
  json_builder_set_member_name (builder, "model");
  json_builder_add_string_value (builder, model);
  json_builder_set_member_name (builder, "choices");
  json_builder_begin_array (builder);
}

static void
begin_choice (JsonBuilder *builder)
{
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "index");
  json_builder_add_int_value (builder, 0);
  json_builder_set_member_name (builder, "delta");
  json_builder_begin_object (builder);
}

static char *
end_chunk (JsonBuilder *builder,
           const char  *finish_reason)
{
  g_autoptr(JsonNode) root = NULL;

  json_builder_end_object (builder); /* delta */
  json_builder_set_member_name (builder, "finish_reason");
  if (finish_reason != NULL)
    json_builder_add_string_value (builder, finish_reason);
  else
    json_builder_add_null_value (builder);
  json_builder_end_object (builder); /* choice */
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  return json_to_string (root, FALSE);
}

char *
relay_fake_chunk_role (const char *model)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  begin_chunk (builder, model);
  begin_choice (builder);
  json_builder_set_member_name (builder, "role");
  json_builder_add_string_value (builder, "assistant");
  json_builder_set_member_name (builder, "content");
  json_builder_add_string_value (builder, "");
  return end_chunk (builder, NULL);
}

char *
relay_fake_chunk_text (const char *model,
                       const char *text)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  begin_chunk (builder, model);
  begin_choice (builder);
  json_builder_set_member_name (builder, "content");
  json_builder_add_string_value (builder, text);
  return end_chunk (builder, NULL);
}

/**
 * relay_fake_chunk_tool_call:
 * @index: the tool call's index
 * @id: (nullable): its id, which only the first piece carries
 * @name: (nullable): the function's name, likewise
 * @arguments: a piece of the arguments' JSON text
 */
char *
relay_fake_chunk_tool_call (const char *model,
                            guint       index,
                            const char *id,
                            const char *name,
                            const char *arguments)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  begin_chunk (builder, model);
  begin_choice (builder);
  json_builder_set_member_name (builder, "tool_calls");
  json_builder_begin_array (builder);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "index");
  json_builder_add_int_value (builder, index);
  if (id != NULL)
    {
      json_builder_set_member_name (builder, "id");
      json_builder_add_string_value (builder, id);
      json_builder_set_member_name (builder, "type");
      json_builder_add_string_value (builder, "function");
    }
  json_builder_set_member_name (builder, "function");
  json_builder_begin_object (builder);
  if (name != NULL)
    {
      json_builder_set_member_name (builder, "name");
      json_builder_add_string_value (builder, name);
    }
  json_builder_set_member_name (builder, "arguments");
  json_builder_add_string_value (builder, arguments != NULL ? arguments : "");
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  json_builder_end_array (builder);
  return end_chunk (builder, NULL);
}

char *
relay_fake_chunk_finish (const char *model,
                         const char *finish_reason)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  begin_chunk (builder, model);
  begin_choice (builder);
  return end_chunk (builder, finish_reason);
}

static void
add_usage (JsonBuilder *builder,
           gint64       prompt_tokens,
           gint64       completion_tokens)
{
  json_builder_set_member_name (builder, "usage");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "prompt_tokens");
  json_builder_add_int_value (builder, prompt_tokens);
  json_builder_set_member_name (builder, "completion_tokens");
  json_builder_add_int_value (builder, completion_tokens);
  json_builder_set_member_name (builder, "total_tokens");
  json_builder_add_int_value (builder, prompt_tokens + completion_tokens);
  json_builder_end_object (builder);
}

/* The final chunk of a stream asked for with stream_options.include_usage: empty
 * choices and the usage of the whole reply. */
char *
relay_fake_chunk_usage (const char *model,
                        gint64      prompt_tokens,
                        gint64      completion_tokens)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  begin_chunk (builder, model);
  json_builder_end_array (builder);
  add_usage (builder, prompt_tokens, completion_tokens);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  return json_to_string (root, FALSE);
}

static void
begin_completion (JsonBuilder *builder,
                  const char  *model)
{
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, "chatcmpl-fake");
  json_builder_set_member_name (builder, "object");
  json_builder_add_string_value (builder, "chat.completion");
  json_builder_set_member_name (builder, "created");
  json_builder_add_int_value (builder, 1767225600);
  json_builder_set_member_name (builder, "model");
  json_builder_add_string_value (builder, model);
  json_builder_set_member_name (builder, "choices");
  json_builder_begin_array (builder);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "index");
  json_builder_add_int_value (builder, 0);
  json_builder_set_member_name (builder, "message");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "role");
  json_builder_add_string_value (builder, "assistant");
}

static void
end_completion (JsonBuilder *builder,
                const char  *finish_reason)
{
  json_builder_end_object (builder); /* message */
  json_builder_set_member_name (builder, "finish_reason");
  json_builder_add_string_value (builder, finish_reason);
  json_builder_end_object (builder); /* choice */
  json_builder_end_array (builder);
}

/**
 * relay_fake_completion_json:
 * @content: the reply's text
 *
 * A whole non-streamed chat.completion with usage.
 */
char *
relay_fake_completion_json (const char *model,
                            const char *content,
                            const char *finish_reason)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  begin_completion (builder, model);
  json_builder_set_member_name (builder, "content");
  json_builder_add_string_value (builder, content);
  end_completion (builder, finish_reason != NULL ? finish_reason : "stop");
  add_usage (builder, 12, (gint64) strlen (content) / 4 + 1);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  return json_to_string (root, FALSE);
}

static void
add_image_parts (JsonBuilder        *builder,
                 const char * const *urls)
{
  json_builder_begin_array (builder);
  for (guint i = 0; urls[i] != NULL; i++)
    {
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "type");
      json_builder_add_string_value (builder, "image_url");
      json_builder_set_member_name (builder, "image_url");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "url");
      json_builder_add_string_value (builder, urls[i]);
      json_builder_end_object (builder);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
}

/**
 * relay_fake_image_completion_json:
 * @urls: the images' URLs (https, http on loopback, or data:)
 * @in_content: put them in `message.content[]`, as the reference's Python examples read
 *   them, rather than in the documented `message.images[]`
 *
 * A generated-images answer, with usage in compute points.
 */
char *
relay_fake_image_completion_json (const char         *model,
                                  const char * const *urls,
                                  gboolean            in_content)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  begin_completion (builder, model);
  json_builder_set_member_name (builder, "content");
  if (in_content)
    {
      add_image_parts (builder, urls);
    }
  else
    {
      json_builder_add_string_value (builder, "");
      json_builder_set_member_name (builder, "images");
      add_image_parts (builder, urls);
    }
  end_completion (builder, "stop");
  json_builder_set_member_name (builder, "usage");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "compute_points_used");
  json_builder_add_int_value (builder, 150 * g_strv_length ((char **) urls));
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  return json_to_string (root, FALSE);
}

/* ---------------------------------------------------------------------------------- */
/* Recorded requests                                                                  */

void
relay_fake_request_free (RelayFakeRequest *request)
{
  if (request == NULL)
    return;

  g_free (request->method);
  g_free (request->path);
  g_free (request->query);
  g_clear_pointer (&request->headers, soup_message_headers_unref);
  g_clear_pointer (&request->body, g_bytes_unref);
  g_clear_pointer (&request->json, json_node_unref);
  g_free (request);
}

const char *
relay_fake_request_get_header (RelayFakeRequest *request,
                               const char       *name)
{
  return soup_message_headers_get_one (request->headers, name);
}

/**
 * relay_fake_request_get_object:
 *
 * Returns: (transfer none) (nullable): the JSON body's object, if the body was one
 */
JsonObject *
relay_fake_request_get_object (RelayFakeRequest *request)
{
  if (request->json == NULL || !JSON_NODE_HOLDS_OBJECT (request->json))
    return NULL;
  return json_node_get_object (request->json);
}

static RelayFakeRequest *
request_copy (RelayFakeRequest *request)
{
  RelayFakeRequest *copy = g_new0 (RelayFakeRequest, 1);
  SoupMessageHeadersIter iter;
  const char *name, *value;

  copy->method = g_strdup (request->method);
  copy->path = g_strdup (request->path);
  copy->query = g_strdup (request->query);
  copy->headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_REQUEST);
  soup_message_headers_iter_init (&iter, request->headers);
  while (soup_message_headers_iter_next (&iter, &name, &value))
    soup_message_headers_append (copy->headers, name, value);
  copy->body = g_bytes_ref (request->body);
  copy->json = request->json != NULL ? json_node_copy (request->json) : NULL;
  copy->received_usec = request->received_usec;
  return copy;
}

static RelayFakeRequest *
request_new_from_message (SoupServerMessage *msg)
{
  RelayFakeRequest *request = g_new0 (RelayFakeRequest, 1);
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  g_autoptr(GBytes) flat = soup_message_body_flatten (body);
  const char *content_type;
  SoupMessageHeadersIter iter;
  const char *name, *value;
  GUri *uri = soup_server_message_get_uri (msg);

  request->received_usec = g_get_monotonic_time ();
  request->method = g_strdup (soup_server_message_get_method (msg));
  request->path = g_strdup (g_uri_get_path (uri));
  request->query = g_strdup (g_uri_get_query (uri));
  request->headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_REQUEST);
  soup_message_headers_iter_init (&iter, soup_server_message_get_request_headers (msg));
  while (soup_message_headers_iter_next (&iter, &name, &value))
    soup_message_headers_append (request->headers, name, value);
  request->body = g_bytes_ref (flat);

  content_type = soup_message_headers_get_content_type (request->headers, NULL);
  if (content_type != NULL && g_str_has_suffix (content_type, "json") && g_bytes_get_size (flat) > 0)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();

      if (json_parser_load_from_data (parser, g_bytes_get_data (flat, NULL),
                                      g_bytes_get_size (flat), NULL))
        request->json = json_node_ref (json_parser_get_root (parser));
    }
  return request;
}

/* ---------------------------------------------------------------------------------- */
/* Images                                                                             */

/**
 * relay_fake_make_png:
 * @seed: picks the colours, so that images differ
 *
 * Returns: (transfer full): a PNG of @width × @height with a diagonal gradient
 */
GBytes *
relay_fake_make_png (guint width,
                     guint height,
                     guint seed)
{
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, width, height);
  g_autoptr(GError) error = NULL;
  guint8 *pixels = gdk_pixbuf_get_pixels (pixbuf);
  int rowstride = gdk_pixbuf_get_rowstride (pixbuf);
  static const guint8 palette[][3] = {
    { 0x35, 0x84, 0xe4 }, { 0x2e, 0xc2, 0x7e }, { 0xf6, 0xd3, 0x2d },
    { 0xe0, 0x1b, 0x24 }, { 0x91, 0x41, 0xac }, { 0xff, 0x78, 0x00 },
  };
  const guint8 *a = palette[seed % G_N_ELEMENTS (palette)];
  const guint8 *b = palette[(seed + 2) % G_N_ELEMENTS (palette)];
  char *buffer = NULL;
  gsize size = 0;

  for (guint y = 0; y < height; y++)
    for (guint x = 0; x < width; x++)
      {
        guint8 *p = pixels + y * rowstride + x * 3;
        guint t = (x + y) * 255 / MAX (1, width + height - 2);

        for (guint c = 0; c < 3; c++)
          p[c] = (a[c] * (255 - t) + b[c] * t) / 255;
      }

  if (!gdk_pixbuf_save_to_buffer (pixbuf, &buffer, &size, "png", &error, NULL))
    g_error ("Could not encode a PNG: %s", error->message);
  return g_bytes_new_take (buffer, size);
}

static void
fake_file_free (gpointer data)
{
  FakeFile *file = data;

  g_free (file->content_type);
  g_bytes_unref (file->bytes);
  g_free (file);
}

/* ---------------------------------------------------------------------------------- */
/* Writing a reply on the stolen connection                                           */

typedef struct
{
  RelayFakeServer *server;
  GIOStream       *stream;
  GCancellable    *cancellable;
  RelayFakeReply  *reply;
  guint            next_step;
  GBytes          *pending;
  GSource         *timer;
  gboolean         stopped;
} Writer;

static void writer_next (Writer *writer);

static void
writer_clear (gpointer data)
{
  Writer *writer = data;

  g_object_unref (writer->stream);
  g_object_unref (writer->cancellable);
  relay_fake_reply_free (writer->reply);
  g_clear_pointer (&writer->pending, g_bytes_unref);
}

static void
writer_unref (gpointer data)
{
  g_rc_box_release_full (data, writer_clear);
}

/* Stops writing; a pending write finishes cancelled and drops its reference. */
static void
writer_stop (Writer *writer)
{
  if (writer->stopped)
    return;

  writer->stopped = TRUE;
  g_cancellable_cancel (writer->cancellable);
  if (writer->timer != NULL)
    {
      g_source_destroy (writer->timer);
      g_clear_pointer (&writer->timer, g_source_unref);
    }
  g_io_stream_close (writer->stream, NULL, NULL);
}

static void
writer_finish (Writer *writer)
{
  writer_stop (writer);
  g_ptr_array_remove_fast (writer->server->writers, writer);
}

static void
writer_wrote_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Writer *writer = user_data;
  g_autoptr(GError) error = NULL;

  g_clear_pointer (&writer->pending, g_bytes_unref);
  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (object), result, NULL, &error))
    {
      /* The client went away (a cancelled request), or the server is stopping. */
      g_debug ("Client gone: %s", error->message);
      if (!writer->stopped)
        writer_finish (writer);
    }
  else if (!writer->stopped)
    {
      writer_next (writer);
    }
  writer_unref (writer);
}

static void
writer_write (Writer *writer,
              GBytes *bytes)
{
  GOutputStream *out = g_io_stream_get_output_stream (writer->stream);

  writer->pending = bytes;
  g_output_stream_write_all_async (out, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
                                   G_PRIORITY_DEFAULT, writer->cancellable, writer_wrote_cb,
                                   g_rc_box_acquire (writer));
}

static GBytes *
writer_head (Writer *writer)
{
  RelayFakeReply *reply = writer->reply;
  GString *head = g_string_new (NULL);
  SoupMessageHeadersIter iter;
  const char *name, *value;

  g_string_append_printf (head, "HTTP/1.1 %u %s\r\n", reply->status,
                          soup_status_get_phrase (reply->status));
  soup_message_headers_iter_init (&iter, reply->headers);
  while (soup_message_headers_iter_next (&iter, &name, &value))
    g_string_append_printf (head, "%s: %s\r\n", name, value);
  g_string_append (head, "Server: relay-fake-server\r\nConnection: close\r\n");
  if (reply->chunked)
    {
      g_string_append (head, "Transfer-Encoding: chunked\r\n");
    }
  else
    {
      gsize total = 0;

      for (guint i = 0; i < reply->steps->len; i++)
        total += g_bytes_get_size (g_array_index (reply->steps, Step, i).data);
      g_string_append_printf (head, "Content-Length: %" G_GSIZE_FORMAT "\r\n", total);
    }
  g_string_append (head, "\r\n");
  return g_string_free_to_bytes (head);
}

static GBytes *
writer_frame (Writer *writer,
              GBytes *data)
{
  GString *frame;

  if (!writer->reply->chunked)
    return g_bytes_ref (data);

  frame = g_string_new (NULL);
  g_string_append_printf (frame, "%" G_GSIZE_MODIFIER "x\r\n", g_bytes_get_size (data));
  g_string_append_len (frame, g_bytes_get_data (data, NULL), g_bytes_get_size (data));
  g_string_append (frame, "\r\n");
  return g_string_free_to_bytes (frame);
}

static gboolean
writer_timer_cb (gpointer user_data)
{
  Writer *writer = user_data;
  Step *step = &g_array_index (writer->reply->steps, Step, writer->next_step - 1);

  g_clear_pointer (&writer->timer, g_source_unref);
  writer_write (writer, writer_frame (writer, step->data));
  return G_SOURCE_REMOVE;
}

static void
writer_end (Writer *writer)
{
  switch (writer->reply->ending)
    {
    case RELAY_FAKE_END_STALL:
      /* Stay in the list: the connection is closed when the server stops. */
      return;

    case RELAY_FAKE_END_CLOSE:
      if (writer->reply->chunked && writer->next_step <= writer->reply->steps->len)
        {
          writer->next_step = writer->reply->steps->len + 1;
          writer_write (writer, g_bytes_new_static ("0\r\n\r\n", 5));
          return;
        }
      break;

    case RELAY_FAKE_END_DROP:
    default:
      break;
    }

  /* Closing a TCP connection without a final chunk is what a crashed proxy does. */
  writer_finish (writer);
}

static void
writer_next (Writer *writer)
{
  Step *step;

  if (writer->next_step >= writer->reply->steps->len)
    {
      writer_end (writer);
      return;
    }

  step = &g_array_index (writer->reply->steps, Step, writer->next_step++);
  if (step->delay_ms == 0)
    {
      writer_write (writer, writer_frame (writer, step->data));
      return;
    }

  writer->timer = g_timeout_source_new (step->delay_ms);
  g_source_set_callback (writer->timer, writer_timer_cb, writer, NULL);
  g_source_attach (writer->timer, writer->server->context);
}

static gboolean
writer_start_cb (gpointer user_data)
{
  Writer *writer = user_data;

  g_clear_pointer (&writer->timer, g_source_unref);
  if (writer->reply->status == 0)
    {
      writer_finish (writer);
      return G_SOURCE_REMOVE;
    }
  writer_write (writer, writer_head (writer));
  return G_SOURCE_REMOVE;
}

typedef struct
{
  RelayFakeServer   *server;
  SoupServerMessage *msg;
  RelayFakeReply    *reply;
} Handoff;

/* Runs after the handler has returned, when SoupServer no longer uses the message. */
static gboolean
steal_cb (gpointer user_data)
{
  Handoff *handoff = user_data;
  Writer *writer;
  GIOStream *stream;

  stream = soup_server_message_steal_connection (handoff->msg);
  g_object_unref (handoff->msg);
  if (stream == NULL)
    {
      relay_fake_reply_free (handoff->reply);
      g_free (handoff);
      return G_SOURCE_REMOVE;
    }

  writer = g_rc_box_new0 (Writer);
  writer->server = handoff->server;
  writer->stream = stream;
  writer->cancellable = g_cancellable_new ();
  writer->reply = handoff->reply;
  g_ptr_array_add (handoff->server->writers, writer);
  g_free (handoff);

  writer->timer = g_timeout_source_new (writer->reply->delay_ms);
  g_source_set_callback (writer->timer, writer_start_cb, writer, NULL);
  g_source_attach (writer->timer, writer->server->context);
  return G_SOURCE_REMOVE;
}

static void
serve_reply (RelayFakeServer   *self,
             SoupServerMessage *msg,
             RelayFakeReply    *reply)
{
  Handoff *handoff = g_new0 (Handoff, 1);
  g_autoptr(GSource) idle = g_idle_source_new ();

  handoff->server = self;
  handoff->msg = g_object_ref (msg);
  handoff->reply = reply;
  soup_server_message_pause (msg);
  g_source_set_callback (idle, steal_cb, handoff, NULL);
  g_source_attach (idle, self->context);
}

/* ---------------------------------------------------------------------------------- */
/* The built-in behaviour                                                             */

typedef struct
{
  const char *id;
  const char *name;
  const char *owner;
  double      input;  /* USD per million tokens; negative: none */
  double      output;
  gboolean    image;
} FakeModel;

static const FakeModel fake_models[] = {
  { "route-llm", "RouteLLM", "abacus", 3.0, 15.0, FALSE },
  { "gpt-5.2", "GPT-5.2", "openai", 1.75, 14.0, FALSE },
  { "gpt-5.1", "GPT-5.1", "openai", 1.25, 10.0, FALSE },
  { "gpt-5-mini", "GPT-5 Mini", "openai", 0.25, 2.0, FALSE },
  { "gpt-4o", "GPT-4o", "openai", 2.5, 10.0, FALSE },
  { "o4-mini", "o4-mini", "openai", 1.1, 4.4, FALSE },
  { "claude-4-5-sonnet", "Claude Sonnet 4.5", "anthropic", 3.0, 15.0, FALSE },
  { "claude-4-5-haiku", "Claude Haiku 4.5", "anthropic", 1.0, 5.0, FALSE },
  { "claude-4-5-opus", "Claude Opus 4.5", "anthropic", 5.0, 25.0, FALSE },
  { "gemini-3-pro", "Gemini 3 Pro", "google", 2.0, 12.0, FALSE },
  { "gemini-3-flash", "Gemini 3 Flash", "google", 0.5, 3.0, FALSE },
  { "grok-4", "Grok 4", "xai", 3.0, 15.0, FALSE },
  { "deepseek-v3.2", "DeepSeek V3.2", "deepseek", 0.27, 0.4, FALSE },
  { "qwen-3-Max", "Qwen 3 Max", "qwen", 1.2, 6.0, FALSE },
  { "llama-4-Maverick-17B", "Llama 4 Maverick", "meta", 0.14, 0.59, FALSE },
  { "flux-2-pro", "FLUX-2 PRO", "black-forest-labs", -1, -1, TRUE },
  { "dall-e", "DALL-E", "openai", -1, -1, TRUE },
  { "seedream", "Seedream 4.5", "bytedance", -1, -1, TRUE },
  { "nano-banana-pro", "Nano Banana Pro", "google", -1, -1, TRUE },
};

static const FakeModel *
find_model (const char *id)
{
  for (guint i = 0; i < G_N_ELEMENTS (fake_models); i++)
    if (g_strcmp0 (fake_models[i].id, id) == 0)
      return &fake_models[i];
  return NULL;
}

static RelayFakeReply *
builtin_models (gboolean route_llm_shape)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *json = NULL;

  json_builder_begin_object (builder);
  if (route_llm_shape)
    {
      json_builder_set_member_name (builder, "success");
      json_builder_add_boolean_value (builder, TRUE);
      json_builder_set_member_name (builder, "result");
    }
  else
    {
      json_builder_set_member_name (builder, "object");
      json_builder_add_string_value (builder, "list");
      json_builder_set_member_name (builder, "data");
    }
  json_builder_begin_array (builder);
  for (guint i = 0; i < G_N_ELEMENTS (fake_models); i++)
    {
      const FakeModel *model = &fake_models[i];

      json_builder_begin_object (builder);
      if (route_llm_shape)
        {
          g_autofree char *platform_id = g_strdup_printf ("%08x", g_str_hash (model->id));

          /* Here "name" is what requests say and "id" is the platform's own key. */
          json_builder_set_member_name (builder, "name");
          json_builder_add_string_value (builder, model->id);
          json_builder_set_member_name (builder, "id");
          json_builder_add_string_value (builder, platform_id);
          if (model->input >= 0)
            {
              /* The unit of these rates is undocumented; a client must not guess it. */
              json_builder_set_member_name (builder, "input_token_rate");
              json_builder_add_double_value (builder, model->input);
              json_builder_set_member_name (builder, "output_token_rate");
              json_builder_add_double_value (builder, model->output);
            }
        }
      else
        {
          json_builder_set_member_name (builder, "id");
          json_builder_add_string_value (builder, model->id);
          json_builder_set_member_name (builder, "object");
          json_builder_add_string_value (builder, "model");
          json_builder_set_member_name (builder, "created");
          json_builder_add_int_value (builder, 1767225600);
          json_builder_set_member_name (builder, "owned_by");
          json_builder_add_string_value (builder, model->owner);
          json_builder_set_member_name (builder, "name");
          json_builder_add_string_value (builder, model->name);
          if (model->input >= 0)
            {
              /* USD per token, as public client code reports for this endpoint. */
              json_builder_set_member_name (builder, "pricing");
              json_builder_begin_object (builder);
              json_builder_set_member_name (builder, "input");
              json_builder_add_double_value (builder, model->input / 1e6);
              json_builder_set_member_name (builder, "output");
              json_builder_add_double_value (builder, model->output / 1e6);
              json_builder_end_object (builder);
            }
        }
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  json = json_to_string (root, FALSE);
  return relay_fake_reply_new_json (200, json);
}

typedef struct
{
  const char *model;     /* as requested */
  const char *answering; /* the routed model */
  gboolean    stream;
  gboolean    include_usage;
  char       *prompt;    /* the last user message's text */
  char       *tool_result;
  const char *tool_name;
  JsonObject *image_config;
  gboolean    image;
  gint64      prompt_tokens;
} ChatRequest;

static void
chat_request_clear (ChatRequest *chat)
{
  g_free (chat->prompt);
  g_free (chat->tool_result);
}

static char *
content_text (JsonNode *content)
{
  GString *text = g_string_new (NULL);

  if (content != NULL && JSON_NODE_HOLDS_VALUE (content) &&
      json_node_get_value_type (content) == G_TYPE_STRING)
    {
      g_string_append (text, json_node_get_string (content));
    }
  else if (content != NULL && JSON_NODE_HOLDS_ARRAY (content))
    {
      JsonArray *parts = json_node_get_array (content);

      for (guint i = 0; i < json_array_get_length (parts); i++)
        {
          JsonNode *part = json_array_get_element (parts, i);
          JsonObject *object = JSON_NODE_HOLDS_OBJECT (part) ? json_node_get_object (part) : NULL;

          if (object != NULL &&
              g_strcmp0 (json_object_get_string_member_with_default (object, "type", ""), "text") == 0)
            g_string_append (text, json_object_get_string_member_with_default (object, "text", ""));
        }
    }
  return g_string_free (text, FALSE);
}

/* Checks the request the way the API does; returns an error reply when it is wrong. */
static RelayFakeReply *
chat_request_parse (ChatRequest      *chat,
                    RelayFakeRequest *request)
{
  JsonObject *root = relay_fake_request_get_object (request);
  JsonNode *node;
  JsonArray *messages;
  gsize total = 0;

  if (root == NULL)
    return relay_fake_reply_new_error (400, RELAY_FAKE_BODY_JSON, "The request body is not a JSON object.");

  node = json_object_get_member (root, "messages");
  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node) ||
      json_array_get_length (json_node_get_array (node)) == 0)
    return relay_fake_reply_new_error (400, RELAY_FAKE_BODY_JSON,
                                       "The 'messages' parameter is missing, empty, or not a list.");
  messages = json_node_get_array (node);

  node = json_object_get_member (root, "model");
  chat->model = node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
                json_node_get_value_type (node) == G_TYPE_STRING ? json_node_get_string (node) : "route-llm";
  if (find_model (chat->model) == NULL)
    {
      g_autofree char *message = g_strdup_printf ("Invalid model name: %s", chat->model);
      return relay_fake_reply_new_error (400, RELAY_FAKE_BODY_JSON, message);
    }
  chat->answering = g_str_equal (chat->model, "route-llm") ? ROUTED_MODEL : chat->model;
  chat->image = find_model (chat->model)->image;

  for (guint i = 0; i < json_array_get_length (messages); i++)
    {
      JsonNode *element = json_array_get_element (messages, i);
      JsonObject *message = JSON_NODE_HOLDS_OBJECT (element) ? json_node_get_object (element) : NULL;
      const char *role;
      g_autofree char *text = NULL;

      if (message == NULL || !json_object_has_member (message, "role"))
        return relay_fake_reply_new_error (400, RELAY_FAKE_BODY_JSON,
                                           "Each message needs a role and content.");
      role = json_object_get_string_member_with_default (message, "role", "");
      text = content_text (json_object_get_member (message, "content"));
      total += strlen (text);
      g_clear_pointer (&chat->tool_result, g_free);
      if (g_str_equal (role, "user"))
        g_set_str (&chat->prompt, text);
      else if (g_str_equal (role, "tool"))
        chat->tool_result = g_steal_pointer (&text);
    }
  chat->prompt_tokens = (gint64) total / 4 + 1;
  if (chat->prompt == NULL)
    chat->prompt = g_strdup ("");

  chat->stream = json_object_get_boolean_member_with_default (root, "stream", FALSE);
  node = json_object_get_member (root, "stream_options");
  if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
    chat->include_usage = json_object_get_boolean_member_with_default (json_node_get_object (node),
                                                                      "include_usage", FALSE);

  node = json_object_get_member (root, "modalities");
  if (node != NULL && JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *modalities = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (modalities); i++)
        {
          JsonNode *modality = json_array_get_element (modalities, i);

          if (JSON_NODE_HOLDS_VALUE (modality) &&
              g_strcmp0 (json_node_get_string (modality), "image") == 0)
            chat->image = TRUE;
        }
    }
  node = json_object_get_member (root, "image_config");
  if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
    chat->image_config = json_node_get_object (node);

  node = json_object_get_member (root, "tools");
  if (node != NULL && JSON_NODE_HOLDS_ARRAY (node) && json_array_get_length (json_node_get_array (node)) > 0)
    {
      JsonNode *tool = json_array_get_element (json_node_get_array (node), 0);
      JsonObject *function = NULL;

      if (JSON_NODE_HOLDS_OBJECT (tool))
        {
          JsonNode *fn = json_object_get_member (json_node_get_object (tool), "function");

          if (fn != NULL && JSON_NODE_HOLDS_OBJECT (fn))
            function = json_node_get_object (fn);
        }
      if (function != NULL)
        chat->tool_name = json_object_get_string_member_with_default (function, "name", NULL);
    }
  return NULL;
}

static char *
builtin_markdown (ChatRequest *chat)
{
  g_autofree char *prompt = g_utf8_substring (chat->prompt, 0, MIN (g_utf8_strlen (chat->prompt, -1), 80));

  if (chat->tool_result != NULL)
    return g_strdup_printf ("The tool answered `%s`.\n\nSo: it is **72 °F and sunny** in Boston, MA. "
                            "A fine day for a walk along the Charles.", chat->tool_result);

  return g_strdup_printf ("## A reply from the test server\n\n"
                          "You wrote: *%s*\n\n"
                          "This answer comes from `relay-fake-server`, which speaks the RouteLLM "
                          "protocol without an account:\n\n"
                          "- replies **stream** a few words at a time;\n"
                          "- `route-llm` is routed to `%s`;\n"
                          "- ask about the *weather* with tools to get a tool call.\n\n"
                          "```c\n"
                          "#include <stdio.h>\n\n"
                          "int\nmain (void)\n{\n  printf (\"Hello from Relay\\n\");\n  return 0;\n}\n"
                          "```\n\n"
                          "That is all there is to it.",
                          prompt, ROUTED_MODEL);
}

/* Splits text into pieces of a word or so, the way tokens arrive. */
static GPtrArray *
split_pieces (const char *text)
{
  GPtrArray *pieces = g_ptr_array_new_with_free_func (g_free);
  const char *start = text;
  const char *p = text;

  while (*p != '\0')
    {
      gboolean boundary = (*p == ' ' || *p == '\n');

      p = g_utf8_next_char (p);
      if (boundary || p - start >= 12)
        {
          g_ptr_array_add (pieces, g_strndup (start, p - start));
          start = p;
        }
    }
  if (p > start)
    g_ptr_array_add (pieces, g_strndup (start, p - start));
  g_ptr_array_add (pieces, NULL);
  return pieces;
}

static RelayFakeReply *
builtin_text (RelayFakeServer *self,
              ChatRequest     *chat)
{
  g_autofree char *text = builtin_markdown (chat);
  gint64 completion_tokens = (gint64) strlen (text) / 4 + 1;
  g_autoptr(GPtrArray) pieces = NULL;
  g_autofree char *role = NULL;
  g_autofree char *finish = NULL;
  RelayFakeReply *reply;
  guint delay;

  if (!chat->stream)
    {
      g_autofree char *json = relay_fake_completion_json (chat->answering, text, "stop");
      return relay_fake_reply_new_json (200, json);
    }

  g_mutex_lock (&self->mutex);
  delay = self->stream_delay_ms;
  g_mutex_unlock (&self->mutex);

  reply = relay_fake_reply_new_stream ();
  role = relay_fake_chunk_role (chat->answering);
  relay_fake_reply_add_event (reply, delay, role);
  pieces = split_pieces (text);
  for (guint i = 0; g_ptr_array_index (pieces, i) != NULL; i++)
    {
      g_autofree char *chunk = relay_fake_chunk_text (chat->answering, g_ptr_array_index (pieces, i));
      relay_fake_reply_add_event (reply, delay, chunk);
    }
  finish = relay_fake_chunk_finish (chat->answering, "stop");
  relay_fake_reply_add_event (reply, delay, finish);
  if (chat->include_usage)
    {
      g_autofree char *usage = relay_fake_chunk_usage (chat->answering, chat->prompt_tokens, completion_tokens);
      relay_fake_reply_add_event (reply, 0, usage);
    }
  relay_fake_reply_add_done (reply, 0);
  return reply;
}

static RelayFakeReply *
builtin_tool_call (RelayFakeServer *self,
                   ChatRequest     *chat)
{
  static const char * const arguments[] = { "{\"loca", "tion\": \"Bost", "on, MA\", \"unit\"", ": \"fahrenheit\"}", NULL };
  g_autofree char *id = g_strdup_printf ("call_%08x", g_str_hash (chat->prompt));
  RelayFakeReply *reply;
  g_autofree char *role = NULL;
  g_autofree char *finish = NULL;

  if (!chat->stream)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;
      g_autofree char *json = NULL;
      g_autofree char *joined = g_strjoinv ("", (char **) arguments);

      begin_completion (builder, chat->answering);
      json_builder_set_member_name (builder, "content");
      json_builder_add_null_value (builder);
      json_builder_set_member_name (builder, "tool_calls");
      json_builder_begin_array (builder);
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "id");
      json_builder_add_string_value (builder, id);
      json_builder_set_member_name (builder, "type");
      json_builder_add_string_value (builder, "function");
      json_builder_set_member_name (builder, "function");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "name");
      json_builder_add_string_value (builder, chat->tool_name);
      json_builder_set_member_name (builder, "arguments");
      json_builder_add_string_value (builder, joined);
      json_builder_end_object (builder);
      json_builder_end_object (builder);
      json_builder_end_array (builder);
      end_completion (builder, "tool_calls");
      add_usage (builder, chat->prompt_tokens, 25);
      json_builder_end_object (builder);
      root = json_builder_get_root (builder);
      json = json_to_string (root, FALSE);
      return relay_fake_reply_new_json (200, json);
    }

  reply = relay_fake_reply_new_stream ();
  role = relay_fake_chunk_role (chat->answering);
  relay_fake_reply_add_event (reply, 0, role);
  for (guint i = 0; arguments[i] != NULL; i++)
    {
      g_autofree char *chunk = relay_fake_chunk_tool_call (chat->answering, 0,
                                                           i == 0 ? id : NULL,
                                                           i == 0 ? chat->tool_name : NULL,
                                                           arguments[i]);
      relay_fake_reply_add_event (reply, 0, chunk);
    }
  finish = relay_fake_chunk_finish (chat->answering, "tool_calls");
  relay_fake_reply_add_event (reply, 0, finish);
  if (chat->include_usage)
    {
      g_autofree char *usage = relay_fake_chunk_usage (chat->answering, chat->prompt_tokens, 25);
      relay_fake_reply_add_event (reply, 0, usage);
    }
  relay_fake_reply_add_done (reply, 0);
  return reply;
}

static void
image_size_for (ChatRequest *chat,
                guint       *width,
                guint       *height)
{
  const char *ratio = NULL;
  guint w = 1, h = 1;

  if (chat->image_config != NULL)
    ratio = json_object_get_string_member_with_default (chat->image_config, "aspect_ratio", NULL);
  if (ratio == NULL || sscanf (ratio, "%u:%u", &w, &h) != 2 || w == 0 || h == 0 || w > 64 || h > 64)
    w = h = 1;

  *width = w >= h ? 256 : 256 * w / h;
  *height = h >= w ? 256 : 256 * h / w;
}

static RelayFakeReply *
builtin_images (RelayFakeServer *self,
                ChatRequest     *chat)
{
  g_autoptr(GStrvBuilder) urls = g_strv_builder_new ();
  g_auto(GStrv) list = NULL;
  g_autofree char *json = NULL;
  gint64 count = 1;
  guint width, height;
  gboolean data_images;

  if (chat->image_config != NULL)
    count = json_object_get_int_member_with_default (chat->image_config, "num_images", 1);
  if (count < 1 || count > MAX_IMAGES)
    return relay_fake_reply_new_error (400, RELAY_FAKE_BODY_JSON, "num_images must be between 1 and 4.");
  image_size_for (chat, &width, &height);

  g_mutex_lock (&self->mutex);
  data_images = self->data_images;
  for (gint64 i = 0; i < count; i++)
    {
      guint n = ++self->next_image;
      g_autoptr(GBytes) png = relay_fake_make_png (width, height, n);

      if (data_images)
        {
          g_autofree char *base64 = g_base64_encode (g_bytes_get_data (png, NULL), g_bytes_get_size (png));
          g_strv_builder_take (urls, g_strconcat ("data:image/png;base64,", base64, NULL));
        }
      else
        {
          FakeFile *file = g_new0 (FakeFile, 1);
          g_autofree char *path = g_strdup_printf ("/images/%u.png", n);

          file->content_type = g_strdup ("image/png");
          file->bytes = g_steal_pointer (&png);
          g_hash_table_replace (self->files, g_strdup (path), file);
          g_strv_builder_take (urls, g_strconcat (self->origin, path, NULL));
        }
    }
  g_mutex_unlock (&self->mutex);

  list = g_strv_builder_end (urls);
  if (!chat->stream)
    {
      json = relay_fake_image_completion_json (chat->model, (const char * const *) list, FALSE);
      return relay_fake_reply_new_json (200, json);
    }
  else
    {
      /* Images in one chunk's delta, for clients that stream everything. */
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      RelayFakeReply *reply = relay_fake_reply_new_stream ();

      begin_chunk (builder, chat->model);
      begin_choice (builder);
      json_builder_set_member_name (builder, "role");
      json_builder_add_string_value (builder, "assistant");
      json_builder_set_member_name (builder, "images");
      add_image_parts (builder, (const char * const *) list);
      json = end_chunk (builder, "stop");
      relay_fake_reply_add_event (reply, 0, json);
      relay_fake_reply_add_done (reply, 0);
      return reply;
    }
}

static gboolean
mentions_weather (const char *prompt)
{
  g_autofree char *lower = g_utf8_strdown (prompt, -1);

  return strstr (lower, "weather") != NULL;
}

static RelayFakeReply *
builtin_chat (RelayFakeServer  *self,
              RelayFakeRequest *request)
{
  ChatRequest chat = { 0 };
  RelayFakeReply *reply;

  if ((reply = chat_request_parse (&chat, request)) != NULL)
    {
      chat_request_clear (&chat);
      return reply;
    }

  if (chat.image)
    reply = builtin_images (self, &chat);
  else if (chat.tool_name != NULL && chat.tool_result == NULL && mentions_weather (chat.prompt))
    reply = builtin_tool_call (self, &chat);
  else
    reply = builtin_text (self, &chat);

  chat_request_clear (&chat);
  return reply;
}

/* ---------------------------------------------------------------------------------- */
/* Dispatch                                                                           */

static gboolean
key_is_accepted (RelayFakeServer  *self,
                 RelayFakeRequest *request)
{
  const char *authorization = relay_fake_request_get_header (request, "Authorization");
  const char *api_key = relay_fake_request_get_header (request, "apiKey");
  const char *key = NULL;
  gboolean accepted;

  if (authorization != NULL && g_str_has_prefix (authorization, "Bearer "))
    key = authorization + strlen ("Bearer ");
  else if (api_key != NULL && g_str_has_prefix (request->path, "/api/"))
    key = api_key;
  if (key == NULL)
    return FALSE;

  g_mutex_lock (&self->mutex);
  accepted = self->key != NULL ? g_str_equal (key, self->key) : g_str_has_prefix (key, "test-");
  g_mutex_unlock (&self->mutex);
  return accepted;
}

static RelayFakeReply *
reply_for_file (RelayFakeServer *self,
                const char      *path)
{
  RelayFakeReply *reply = NULL;
  FakeFile *file;

  g_mutex_lock (&self->mutex);
  file = g_hash_table_lookup (self->files, path);
  if (file != NULL)
    {
      reply = relay_fake_reply_new (200);
      if (file->content_type != NULL)
        relay_fake_reply_set_header (reply, "Content-Type", file->content_type);
      relay_fake_reply_add_data (reply, 0, g_bytes_get_data (file->bytes, NULL),
                                 g_bytes_get_size (file->bytes));
    }
  g_mutex_unlock (&self->mutex);
  return reply;
}

static RelayFakeReply *
reply_for_request (RelayFakeServer  *self,
                   RelayFakeRequest *request)
{
  RelayFakeReply *reply;
  GQueue *queue;

  if ((reply = reply_for_file (self, request->path)) != NULL)
    return reply;

  if (!g_str_has_prefix (request->path, "/v1/") && !g_str_has_prefix (request->path, "/api/"))
    return relay_fake_reply_new_error (404, RELAY_FAKE_BODY_HTML, NULL);

  if (!key_is_accepted (self, request))
    return relay_fake_reply_new_error (401, RELAY_FAKE_BODY_JSON,
                                       "Invalid API key. Find your key on the RouteLLM API page.");

  g_mutex_lock (&self->mutex);
  queue = g_hash_table_lookup (self->queues, request->path);
  reply = queue != NULL ? g_queue_pop_head (queue) : NULL;
  g_mutex_unlock (&self->mutex);
  if (reply != NULL)
    return reply;

  if (g_str_equal (request->path, REPLY_PATH_CHAT) && g_str_equal (request->method, "POST"))
    return builtin_chat (self, request);
  if (g_str_equal (request->path, "/v1/models") && g_str_equal (request->method, "GET"))
    return builtin_models (FALSE);
  if (g_str_equal (request->path, "/api/v0/listRouteLLMModels") && g_str_equal (request->method, "GET"))
    return builtin_models (TRUE);

  return relay_fake_reply_new_error (404, RELAY_FAKE_BODY_JSON, "Unknown endpoint.");
}

static void
handle_request_cb (SoupServer        *soup,
                   SoupServerMessage *msg,
                   const char        *path,
                   GHashTable        *query,
                   gpointer           user_data)
{
  RelayFakeServer *self = user_data;
  RelayFakeRequest *request = request_new_from_message (msg);
  RelayFakeReply *reply;

  reply = reply_for_request (self, request);

  g_mutex_lock (&self->mutex);
  g_ptr_array_add (self->requests, request);
  g_mutex_unlock (&self->mutex);

  g_debug ("%s %s → %u", request->method, request->path, reply->status);
  serve_reply (self, msg, reply);
}

/* ---------------------------------------------------------------------------------- */
/* The server thread                                                                  */

static gboolean
listen_on (RelayFakeServer  *self,
           guint             port,
           GError          **error)
{
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, port);
  GSList *uris;

  if (!soup_server_listen (self->soup, address, 0, error))
    return FALSE;

  uris = soup_server_get_uris (self->soup);
  g_assert (uris != NULL);
  self->port = g_uri_get_port (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  self->origin = g_strdup_printf ("http://127.0.0.1:%u", self->port);
  self->base_url = g_strdup_printf ("%s/v1", self->origin);
  return TRUE;
}

static gpointer
server_thread (gpointer data)
{
  RelayFakeServer *self = data;
  g_autoptr(GError) error = NULL;
  guint port = self->port;

  g_main_context_push_thread_default (self->context);

  self->soup = soup_server_new ("server-header", "relay-fake-server", NULL);
  soup_server_add_handler (self->soup, NULL, handle_request_cb, self, NULL);
  self->writers = g_ptr_array_new_with_free_func (writer_unref);

  if (!listen_on (self, port, &error))
    {
      g_mutex_lock (&self->mutex);
      self->start_error = g_steal_pointer (&error);
      self->started = TRUE;
      g_cond_signal (&self->cond);
      g_mutex_unlock (&self->mutex);
    }
  else
    {
      g_mutex_lock (&self->mutex);
      self->started = TRUE;
      g_cond_signal (&self->cond);
      g_mutex_unlock (&self->mutex);

      g_main_loop_run (self->loop);
    }

  for (guint i = 0; i < self->writers->len; i++)
    writer_stop (g_ptr_array_index (self->writers, i));
  g_clear_pointer (&self->writers, g_ptr_array_unref);
  soup_server_disconnect (self->soup);
  g_clear_object (&self->soup);
  /* Let closed connections finish their callbacks before the context goes. */
  while (g_main_context_iteration (self->context, FALSE))
    ;
  g_main_context_pop_thread_default (self->context);
  return NULL;
}

static gboolean
quit_cb (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_REMOVE;
}

static void
relay_fake_server_dispose (GObject *object)
{
  RelayFakeServer *self = RELAY_FAKE_SERVER (object);

  if (self->thread != NULL)
    {
      /* A source rather than g_main_loop_quit(): the loop may not be running yet, and
       * a quit before g_main_loop_run() would be forgotten. */
      g_autoptr(GSource) quit = g_idle_source_new ();

      g_source_set_callback (quit, quit_cb, self->loop, NULL);
      g_source_attach (quit, self->context);
      g_thread_join (g_steal_pointer (&self->thread));
    }

  G_OBJECT_CLASS (relay_fake_server_parent_class)->dispose (object);
}

static void
relay_fake_server_finalize (GObject *object)
{
  RelayFakeServer *self = RELAY_FAKE_SERVER (object);

  g_main_loop_unref (self->loop);
  g_main_context_unref (self->context);
  g_free (self->origin);
  g_free (self->base_url);
  g_free (self->key);
  g_clear_error (&self->start_error);
  g_hash_table_unref (self->queues);
  g_hash_table_unref (self->files);
  g_ptr_array_unref (self->requests);
  g_mutex_clear (&self->mutex);
  g_cond_clear (&self->cond);

  G_OBJECT_CLASS (relay_fake_server_parent_class)->finalize (object);
}

static void
relay_fake_server_class_init (RelayFakeServerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = relay_fake_server_dispose;
  object_class->finalize = relay_fake_server_finalize;
}

static void
free_queue (gpointer data)
{
  g_queue_free_full (data, (GDestroyNotify) relay_fake_reply_free);
}

static void
relay_fake_server_init (RelayFakeServer *self)
{
  g_mutex_init (&self->mutex);
  g_cond_init (&self->cond);
  self->context = g_main_context_new ();
  self->loop = g_main_loop_new (self->context, FALSE);
  self->queues = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, free_queue);
  self->files = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, fake_file_free);
  self->requests = g_ptr_array_new_with_free_func ((GDestroyNotify) relay_fake_request_free);
}

/**
 * relay_fake_server_new_full:
 * @port: the port to listen on, or 0 for a free one
 *
 * Starts a server on 127.0.0.1:@port in a thread of its own.
 */
RelayFakeServer *
relay_fake_server_new_full (guint    port,
                            GError **error)
{
  g_autoptr(RelayFakeServer) self = g_object_new (RELAY_TYPE_FAKE_SERVER, NULL);

  self->port = port;
  self->thread = g_thread_new ("relay-fake-server", server_thread, self);

  g_mutex_lock (&self->mutex);
  while (!self->started)
    g_cond_wait (&self->cond, &self->mutex);
  g_mutex_unlock (&self->mutex);

  if (self->start_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&self->start_error));
      return NULL;
    }
  return g_steal_pointer (&self);
}

/* Starts a server on a free port; aborts the test if it cannot. */
RelayFakeServer *
relay_fake_server_new (void)
{
  g_autoptr(GError) error = NULL;
  RelayFakeServer *self = relay_fake_server_new_full (0, &error);

  g_assert_no_error (error);
  return self;
}

/* "http://127.0.0.1:PORT/v1", the base URL a client is given. */
const char *
relay_fake_server_get_base_url (RelayFakeServer *self)
{
  return self->base_url;
}

/* "http://127.0.0.1:PORT" */
const char *
relay_fake_server_get_origin (RelayFakeServer *self)
{
  return self->origin;
}

guint
relay_fake_server_get_port (RelayFakeServer *self)
{
  return self->port;
}

/**
 * relay_fake_server_set_key:
 * @key: (nullable): the only key to accept, or %NULL for any key starting with `test-`
 */
void
relay_fake_server_set_key (RelayFakeServer *self,
                           const char      *key)
{
  g_mutex_lock (&self->mutex);
  g_set_str (&self->key, key);
  g_mutex_unlock (&self->mutex);
}

/* The pause between chunks of built-in streamed replies (0 by default). */
void
relay_fake_server_set_stream_delay (RelayFakeServer *self,
                                    guint            delay_ms)
{
  g_mutex_lock (&self->mutex);
  self->stream_delay_ms = delay_ms;
  g_mutex_unlock (&self->mutex);
}

/* Whether built-in image generation answers with data: URIs rather than URLs. */
void
relay_fake_server_set_data_images (RelayFakeServer *self,
                                   gboolean         data_images)
{
  g_mutex_lock (&self->mutex);
  self->data_images = data_images;
  g_mutex_unlock (&self->mutex);
}

/**
 * relay_fake_server_queue_reply:
 * @path: the request path it answers, such as "/v1/chat/completions"
 * @reply: (transfer full): the reply
 *
 * The next request for @path with an accepted key gets @reply instead of the built-in
 * answer. Replies for one path are used in the order they were queued.
 */
void
relay_fake_server_queue_reply (RelayFakeServer *self,
                               const char      *path,
                               RelayFakeReply  *reply)
{
  GQueue *queue;

  g_mutex_lock (&self->mutex);
  queue = g_hash_table_lookup (self->queues, path);
  if (queue == NULL)
    {
      queue = g_queue_new ();
      g_hash_table_insert (self->queues, g_strdup (path), queue);
    }
  g_queue_push_tail (queue, reply);
  g_mutex_unlock (&self->mutex);
}

/* Serves @bytes at @path to anyone, without a key, as image hosts do. */
void
relay_fake_server_add_file (RelayFakeServer *self,
                            const char      *path,
                            const char      *content_type,
                            GBytes          *bytes)
{
  FakeFile *file = g_new0 (FakeFile, 1);

  file->content_type = g_strdup (content_type);
  file->bytes = g_bytes_ref (bytes);
  g_mutex_lock (&self->mutex);
  g_hash_table_replace (self->files, g_strdup (path), file);
  g_mutex_unlock (&self->mutex);
}

guint
relay_fake_server_get_n_requests (RelayFakeServer *self)
{
  guint n;

  g_mutex_lock (&self->mutex);
  n = self->requests->len;
  g_mutex_unlock (&self->mutex);
  return n;
}

/* How many requests for @path arrived. */
guint
relay_fake_server_count_requests (RelayFakeServer *self,
                                  const char      *path)
{
  guint n = 0;

  g_mutex_lock (&self->mutex);
  for (guint i = 0; i < self->requests->len; i++)
    {
      RelayFakeRequest *request = g_ptr_array_index (self->requests, i);

      if (g_str_equal (request->path, path))
        n++;
    }
  g_mutex_unlock (&self->mutex);
  return n;
}

/**
 * relay_fake_server_dup_request:
 *
 * Returns: (transfer full) (nullable): a copy of the @index-th request received
 */
RelayFakeRequest *
relay_fake_server_dup_request (RelayFakeServer *self,
                               guint            index)
{
  RelayFakeRequest *copy = NULL;

  g_mutex_lock (&self->mutex);
  if (index < self->requests->len)
    copy = request_copy (g_ptr_array_index (self->requests, index));
  g_mutex_unlock (&self->mutex);
  return copy;
}

/**
 * relay_fake_server_dup_last_request:
 * @path: (nullable): only requests for this path
 *
 * Returns: (transfer full) (nullable): a copy of the latest request
 */
RelayFakeRequest *
relay_fake_server_dup_last_request (RelayFakeServer *self,
                                    const char      *path)
{
  RelayFakeRequest *copy = NULL;

  g_mutex_lock (&self->mutex);
  for (guint i = self->requests->len; i > 0 && copy == NULL; i--)
    {
      RelayFakeRequest *request = g_ptr_array_index (self->requests, i - 1);

      if (path == NULL || g_str_equal (request->path, path))
        copy = request_copy (request);
    }
  g_mutex_unlock (&self->mutex);
  return copy;
}

void
relay_fake_server_clear_requests (RelayFakeServer *self)
{
  g_mutex_lock (&self->mutex);
  g_ptr_array_set_size (self->requests, 0);
  g_mutex_unlock (&self->mutex);
}
