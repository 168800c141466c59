/* relay-fake-reply.c: scripted replies of the fake server, and the JSON they carry.
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "relay-fake-server"

#include "config.h"

#include <string.h>

#include "relay-fake-server-private.h"

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

void
_relay_fake_begin_chunk (JsonBuilder *builder,
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

void
_relay_fake_begin_choice (JsonBuilder *builder)
{
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "index");
  json_builder_add_int_value (builder, 0);
  json_builder_set_member_name (builder, "delta");
  json_builder_begin_object (builder);
}

char *
_relay_fake_end_chunk (JsonBuilder *builder,
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

  _relay_fake_begin_chunk (builder, model);
  _relay_fake_begin_choice (builder);
  json_builder_set_member_name (builder, "role");
  json_builder_add_string_value (builder, "assistant");
  json_builder_set_member_name (builder, "content");
  json_builder_add_string_value (builder, "");
  return _relay_fake_end_chunk (builder, NULL);
}

char *
relay_fake_chunk_text (const char *model,
                       const char *text)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  _relay_fake_begin_chunk (builder, model);
  _relay_fake_begin_choice (builder);
  json_builder_set_member_name (builder, "content");
  json_builder_add_string_value (builder, text);
  return _relay_fake_end_chunk (builder, NULL);
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

  _relay_fake_begin_chunk (builder, model);
  _relay_fake_begin_choice (builder);
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
  return _relay_fake_end_chunk (builder, NULL);
}

char *
relay_fake_chunk_finish (const char *model,
                         const char *finish_reason)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  _relay_fake_begin_chunk (builder, model);
  _relay_fake_begin_choice (builder);
  return _relay_fake_end_chunk (builder, finish_reason);
}

void
_relay_fake_add_usage (JsonBuilder *builder,
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

  _relay_fake_begin_chunk (builder, model);
  json_builder_end_array (builder);
  _relay_fake_add_usage (builder, prompt_tokens, completion_tokens);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  return json_to_string (root, FALSE);
}

void
_relay_fake_begin_completion (JsonBuilder *builder,
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

void
_relay_fake_end_completion (JsonBuilder *builder,
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

  _relay_fake_begin_completion (builder, model);
  json_builder_set_member_name (builder, "content");
  json_builder_add_string_value (builder, content);
  _relay_fake_end_completion (builder, finish_reason != NULL ? finish_reason : "stop");
  _relay_fake_add_usage (builder, 12, (gint64) strlen (content) / 4 + 1);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  return json_to_string (root, FALSE);
}

void
_relay_fake_add_image_parts (JsonBuilder        *builder,
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

  _relay_fake_begin_completion (builder, model);
  json_builder_set_member_name (builder, "content");
  if (in_content)
    {
      _relay_fake_add_image_parts (builder, urls);
    }
  else
    {
      json_builder_add_string_value (builder, "");
      json_builder_set_member_name (builder, "images");
      _relay_fake_add_image_parts (builder, urls);
    }
  _relay_fake_end_completion (builder, "stop");
  json_builder_set_member_name (builder, "usage");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "compute_points_used");
  json_builder_add_int_value (builder, 150 * g_strv_length ((char **) urls));
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  return json_to_string (root, FALSE);
}
