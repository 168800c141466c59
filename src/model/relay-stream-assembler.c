/* relay-stream-assembler.c
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "relay-stream-assembler"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "relay-error.h"
#include "relay-json-private.h"
#include "relay-response-private.h"
#include "relay-stream-assembler.h"

/**
 * RelayStreamAssembler:
 *
 * Folds a streamed chat completion into a #RelayMessage as it arrives. Body bytes go in
 * with relay_stream_assembler_feed_bytes(); an internal #RelaySseParser splits them into
 * events, each event's data is parsed as a `chat.completion.chunk`, and the chunk is
 * applied to the message:
 *
 * - `delta.content` (and `delta.refusal`, when the model declines) is appended with
 *   relay_message_append_content(), which emits #RelayMessage::delta with only the new
 *   text;
 * - `delta.tool_calls[]` pieces are assembled by `index`: the `id`, `type` and function
 *   `name` come from the first piece that has them, `arguments` are joined in order,
 *   and several calls may be interleaved;
 * - the chunk's `model` (the model route-llm picked) is set as the routed model from the
 *   first chunk that carries one;
 * - `finish_reason`, and `usage` from the final chunk, even when its `choices` is empty;
 * - images in `delta.images[]` or `delta.content[]` parts are collected;
 * - an error — `{"error":{...}}` as a chunk, or an `event: error` — fails the feed with a
 *   #GError; `data: [DONE]` marks the end.
 *
 * Each chunk costs in proportion to its own size. Members of the wrong type are ignored.
 * The assembler leaves the message's final state to its caller.
 */
struct _RelayStreamAssembler
{
  GObject          parent_instance;

  RelayMessage    *message;
  RelaySseParser  *parser;
  JsonParser      *json;
  GPtrArray       *images;
  char            *completion_id;
  gint64           start_time;
  guint64          n_chunks;

  guint            done : 1;
  guint            model_seen : 1;
  guint            received : 1;
  guint            failed : 1;
};

enum {
  PROP_0,
  PROP_MESSAGE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (RelayStreamAssembler, relay_stream_assembler, G_TYPE_OBJECT)

static gboolean
sse_event_cb (const RelaySseEvent  *event,
              gpointer              user_data,
              GError              **error)
{
  return relay_stream_assembler_feed_event (user_data, event, error);
}

static void
relay_stream_assembler_dispose (GObject *object)
{
  RelayStreamAssembler *self = RELAY_STREAM_ASSEMBLER (object);

  g_clear_object (&self->message);
  g_clear_object (&self->json);

  G_OBJECT_CLASS (relay_stream_assembler_parent_class)->dispose (object);
}

static void
relay_stream_assembler_finalize (GObject *object)
{
  RelayStreamAssembler *self = RELAY_STREAM_ASSEMBLER (object);

  g_clear_pointer (&self->parser, relay_sse_parser_unref);
  g_ptr_array_unref (self->images);
  g_free (self->completion_id);

  G_OBJECT_CLASS (relay_stream_assembler_parent_class)->finalize (object);
}

static void
relay_stream_assembler_get_property (GObject    *object,
                                     guint       prop_id,
                                     GValue     *value,
                                     GParamSpec *pspec)
{
  RelayStreamAssembler *self = RELAY_STREAM_ASSEMBLER (object);

  switch (prop_id)
    {
    case PROP_MESSAGE: g_value_set_object (value, self->message); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
relay_stream_assembler_set_property (GObject      *object,
                                     guint         prop_id,
                                     const GValue *value,
                                     GParamSpec   *pspec)
{
  RelayStreamAssembler *self = RELAY_STREAM_ASSEMBLER (object);

  switch (prop_id)
    {
    case PROP_MESSAGE: self->message = g_value_dup_object (value); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
relay_stream_assembler_class_init (RelayStreamAssemblerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = relay_stream_assembler_dispose;
  object_class->finalize = relay_stream_assembler_finalize;
  object_class->get_property = relay_stream_assembler_get_property;
  object_class->set_property = relay_stream_assembler_set_property;

  properties[PROP_MESSAGE] =
    g_param_spec_object ("message", NULL, NULL, RELAY_TYPE_MESSAGE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
relay_stream_assembler_init (RelayStreamAssembler *self)
{
  /* The parser holds no reference back: the assembler outlives every feed it makes. */
  self->parser = relay_sse_parser_new (sse_event_cb, self, NULL);
  /* Not an immutable parser: json-glib 1.10 aborts in json_parser_get_root() after an
   * immutable parse of "0{...}", which it takes for 0 (found by fuzz-response). */
  self->json = json_parser_new ();
  self->images = g_ptr_array_new_with_free_func (g_object_unref);
  self->start_time = -1;
}

/**
 * relay_stream_assembler_new:
 * @message: the assistant message to fill
 *
 * Returns: (transfer full): a new assembler
 */
RelayStreamAssembler *
relay_stream_assembler_new (RelayMessage *message)
{
  g_return_val_if_fail (RELAY_IS_MESSAGE (message), NULL);

  return g_object_new (RELAY_TYPE_STREAM_ASSEMBLER, "message", message, NULL);
}

/**
 * relay_stream_assembler_get_message:
 *
 * Returns: (transfer none): the message being filled
 */
RelayMessage *
relay_stream_assembler_get_message (RelayStreamAssembler *self)
{
  g_return_val_if_fail (RELAY_IS_STREAM_ASSEMBLER (self), NULL);
  return self->message;
}

/**
 * relay_stream_assembler_set_start_time:
 * @monotonic_usec: g_get_monotonic_time() when the request was sent
 *
 * With a start time, the first text or tool call sets the message's
 * #RelayMessage:first-token-usec.
 */
void
relay_stream_assembler_set_start_time (RelayStreamAssembler *self,
                                       gint64                monotonic_usec)
{
  g_return_if_fail (RELAY_IS_STREAM_ASSEMBLER (self));
  self->start_time = monotonic_usec;
}

static void
first_token (RelayStreamAssembler *self)
{
  if (self->received)
    return;
  self->received = TRUE;
  if (relay_message_get_state (self->message) == RELAY_MESSAGE_STATE_PENDING)
    relay_message_set_state (self->message, RELAY_MESSAGE_STATE_STREAMING);
  if (self->start_time >= 0 && relay_message_get_first_token_usec (self->message) < 0)
    relay_message_set_first_token_usec (self->message, g_get_monotonic_time () - self->start_time);
}

static gboolean
apply_tool_calls (RelayStreamAssembler *self,
                  JsonArray            *calls)
{
  guint n = json_array_get_length (calls);
  gboolean changed = FALSE;

  for (guint i = 0; i < n; i++)
    {
      JsonObject *piece = _relay_json_node_object (json_array_get_element (calls, i));
      JsonObject *function;
      RelayToolCall *call;
      const char *str;
      gint64 index;

      if (piece == NULL)
        continue;
      /* Servers that leave out the index send one call per chunk, in order; a piece with
       * an ID then starts a new call and one without continues the last. */
      if (!_relay_json_get_int (piece, "index", &index))
        {
          GPtrArray *existing = relay_message_get_tool_calls (self->message);

          index = existing->len;
          if (existing->len > 0 && _relay_json_get_string (piece, "id") == NULL)
            index = ((RelayToolCall *) g_ptr_array_index (existing, existing->len - 1))->index;
        }
      if (index < 0 || index > 1024)
        continue;

      call = relay_message_ensure_tool_call (self->message, (guint) index);
      if (call->id == NULL && (str = _relay_json_get_string (piece, "id")) != NULL && *str)
        call->id = g_strdup (str);
      if (call->type == NULL && (str = _relay_json_get_string (piece, "type")) != NULL && *str)
        call->type = g_strdup (str);
      if ((function = _relay_json_get_object (piece, "function")) != NULL)
        {
          if (call->name == NULL && (str = _relay_json_get_string (function, "name")) != NULL && *str)
            call->name = g_strdup (str);
          if ((str = _relay_json_get_string (function, "arguments")) != NULL)
            g_string_append (call->arguments, str);
        }
      changed = TRUE;
    }
  return changed;
}

static void
apply_content_parts (RelayStreamAssembler *self,
                     JsonArray            *parts)
{
  guint n = json_array_get_length (parts);

  for (guint i = 0; i < n; i++)
    {
      JsonObject *part = _relay_json_node_object (json_array_get_element (parts, i));
      const char *text;

      if (g_strcmp0 (_relay_json_get_string (part, "type"), "text") == 0 &&
          (text = _relay_json_get_string (part, "text")) != NULL && *text != '\0')
        {
          first_token (self);
          relay_message_append_content (self->message, text, -1);
        }
    }
}

static void
apply_choice (RelayStreamAssembler *self,
              JsonObject           *choice)
{
  JsonObject *delta = _relay_json_get_object (choice, "delta");
  JsonArray *array;
  const char *str;

  if (delta != NULL)
    {
      JsonNode *content = json_object_get_member (delta, "content");

      if ((str = _relay_json_node_string (content)) != NULL && *str != '\0')
        {
          first_token (self);
          relay_message_append_content (self->message, str, -1);
        }
      else if (content != NULL && JSON_NODE_HOLDS_ARRAY (content))
        apply_content_parts (self, json_node_get_array (content));

      /* A refusal streams like text, and is the model's whole answer. */
      if ((str = _relay_json_get_string (delta, "refusal")) != NULL && *str != '\0')
        {
          first_token (self);
          relay_message_append_content (self->message, str, -1);
        }

      if ((array = _relay_json_get_array (delta, "tool_calls")) != NULL &&
          apply_tool_calls (self, array))
        {
          first_token (self);
          relay_message_tool_calls_changed (self->message);
        }

      if (json_object_has_member (delta, "images") ||
          (content != NULL && JSON_NODE_HOLDS_ARRAY (content)))
        {
          g_autoptr(GError) error = NULL;
          guint before = self->images->len;

          if (!relay_response_parse_images (delta, self->images, &error))
            g_debug ("Left out a streamed image: %s", error->message);
          if (self->images->len > before)
            first_token (self);
        }
    }

  if ((str = _relay_json_get_string (choice, "finish_reason")) != NULL && *str != '\0')
    relay_message_set_finish_reason (self->message, relay_finish_reason_from_string (str));
}

/**
 * relay_stream_assembler_feed_chunk:
 * @chunk: a parsed `chat.completion.chunk`
 * @error: where to report an error the chunk carries
 *
 * Returns: %FALSE when the chunk is an error object, or not an object at all
 */
gboolean
relay_stream_assembler_feed_chunk (RelayStreamAssembler  *self,
                                   JsonNode              *chunk,
                                   GError               **error)
{
  JsonObject *object;
  JsonNode *error_node;
  JsonArray *choices;
  const char *str;

  g_return_val_if_fail (RELAY_IS_STREAM_ASSEMBLER (self), FALSE);

  if ((object = _relay_json_node_object (chunk)) == NULL)
    {
      g_set_error_literal (error, RELAY_ERROR, RELAY_ERROR_INVALID_RESPONSE,
                           _("The server streamed something other than a JSON object"));
      return FALSE;
    }
  self->n_chunks++;

  if ((error_node = json_object_get_member (object, "error")) != NULL &&
      !JSON_NODE_HOLDS_NULL (error_node))
    {
      self->failed = TRUE;
      g_propagate_error (error, relay_response_error_from_json (chunk, 0));
      return FALSE;
    }

  if (self->completion_id == NULL && (str = _relay_json_get_string (object, "id")) != NULL)
    self->completion_id = g_strdup (str);
  if (!self->model_seen && (str = _relay_json_get_string (object, "model")) != NULL && *str)
    {
      self->model_seen = TRUE;
      relay_message_set_routed_model (self->message, str);
    }

  /* Only the first choice is shown: Relay never asks for n > 1. */
  if ((choices = _relay_json_get_array (object, "choices")) != NULL)
    {
      guint n = json_array_get_length (choices);

      for (guint i = 0; i < n; i++)
        {
          JsonObject *choice = _relay_json_node_object (json_array_get_element (choices, i));
          gint64 index = 0;

          if (choice != NULL && (!_relay_json_get_int (choice, "index", &index) || index == 0))
            {
              apply_choice (self, choice);
              break;
            }
        }
    }

  _relay_response_set_usage (self->message, _relay_json_get_object (object, "usage"));
  return TRUE;
}

/**
 * relay_stream_assembler_feed_data:
 * @data: (array length=length): one event's data: a chunk as JSON text, or `[DONE]`
 *
 * Returns: %FALSE when the data is not JSON or carries an error
 */
gboolean
relay_stream_assembler_feed_data (RelayStreamAssembler  *self,
                                  const char            *data,
                                  gsize                  length,
                                  GError               **error)
{
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (RELAY_IS_STREAM_ASSEMBLER (self), FALSE);
  g_return_val_if_fail (data != NULL || length == 0, FALSE);

  if (length == 6 && memcmp (data, "[DONE]", 6) == 0)
    {
      self->done = TRUE;
      return TRUE;
    }
  /* Blank data is a keep-alive some servers send. */
  while (length > 0 && g_ascii_isspace (*data))
    data++, length--;
  if (length == 0)
    return TRUE;

  if (!json_parser_load_from_data (self->json, data, length, &local_error))
    {
      self->failed = TRUE;
      g_set_error (error, RELAY_ERROR, RELAY_ERROR_INVALID_RESPONSE,
                   _("The server streamed a chunk that is not valid JSON: %s"),
                   local_error->message);
      return FALSE;
    }
  return relay_stream_assembler_feed_chunk (self, json_parser_get_root (self->json), error);
}

/**
 * relay_stream_assembler_feed_event:
 * @event: an event from a #RelaySseParser
 *
 * An `error` event fails with the error its data describes; other named events that
 * are not chunks are ignored.
 */
gboolean
relay_stream_assembler_feed_event (RelayStreamAssembler  *self,
                                   const RelaySseEvent   *event,
                                   GError               **error)
{
  g_return_val_if_fail (RELAY_IS_STREAM_ASSEMBLER (self), FALSE);
  g_return_val_if_fail (event != NULL, FALSE);

  if (strcmp (event->event, "error") == 0)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      JsonNode *root = NULL;

      self->failed = TRUE;
      if (json_parser_load_from_data (parser, event->data, event->data_len, NULL))
        root = json_parser_get_root (parser);
      if (root != NULL)
        g_propagate_error (error, relay_response_error_from_json (root, 0));
      else
        {
          g_autoptr(JsonNode) text = json_node_init_string (json_node_alloc (), NULL);
          g_autofree char *valid = g_utf8_make_valid (event->data, event->data_len);

          json_node_set_string (text, valid);
          g_propagate_error (error, relay_response_error_from_json (text, 0));
        }
      return FALSE;
    }
  if (strcmp (event->event, "message") != 0)
    return TRUE;

  return relay_stream_assembler_feed_data (self, event->data, event->data_len, error);
}

/**
 * relay_stream_assembler_feed_bytes:
 * @data: (array length=length): the next bytes of the response body
 *
 * Returns: %FALSE when the stream failed; the #GError says why
 */
gboolean
relay_stream_assembler_feed_bytes (RelayStreamAssembler  *self,
                                   const char            *data,
                                   gsize                  length,
                                   GError               **error)
{
  g_return_val_if_fail (RELAY_IS_STREAM_ASSEMBLER (self), FALSE);

  return relay_sse_parser_feed (self->parser, data, length, error);
}

/**
 * relay_stream_assembler_finish:
 * @error: where to report a stream cut short
 *
 * Call at the end of the body. A stream that ended without `[DONE]` and without a
 * finish reason was cut short.
 *
 * Returns: whether the reply arrived whole
 */
gboolean
relay_stream_assembler_finish (RelayStreamAssembler  *self,
                               GError               **error)
{
  g_return_val_if_fail (RELAY_IS_STREAM_ASSEMBLER (self), FALSE);

  if (!relay_sse_parser_finish (self->parser, error))
    return FALSE;
  if (self->done || relay_message_get_finish_reason (self->message) != RELAY_FINISH_REASON_NONE)
    return TRUE;
  if (self->n_chunks == 0)
    g_set_error_literal (error, RELAY_ERROR, RELAY_ERROR_INVALID_RESPONSE,
                         _("The server ended the stream without sending anything"));
  else
    g_set_error_literal (error, RELAY_ERROR, RELAY_ERROR_NETWORK,
                         _("The connection closed before the reply was complete"));
  return FALSE;
}

/**
 * relay_stream_assembler_is_done:
 *
 * Returns: whether `[DONE]` arrived
 */
gboolean
relay_stream_assembler_is_done (RelayStreamAssembler *self)
{
  g_return_val_if_fail (RELAY_IS_STREAM_ASSEMBLER (self), FALSE);
  return self->done;
}

/**
 * relay_stream_assembler_has_received:
 *
 * Returns: whether any text, tool call or image arrived; a request must not be retried
 *   after that
 */
gboolean
relay_stream_assembler_has_received (RelayStreamAssembler *self)
{
  g_return_val_if_fail (RELAY_IS_STREAM_ASSEMBLER (self), FALSE);
  return self->received;
}

/**
 * relay_stream_assembler_get_completion_id:
 *
 * Returns: (nullable): the completion's `id`
 */
const char *
relay_stream_assembler_get_completion_id (RelayStreamAssembler *self)
{
  g_return_val_if_fail (RELAY_IS_STREAM_ASSEMBLER (self), NULL);
  return self->completion_id;
}

guint64
relay_stream_assembler_get_n_chunks (RelayStreamAssembler *self)
{
  g_return_val_if_fail (RELAY_IS_STREAM_ASSEMBLER (self), 0);
  return self->n_chunks;
}

/**
 * relay_stream_assembler_get_images:
 *
 * Returns: (transfer none) (element-type RelayAttachment): images the stream carried
 */
GPtrArray *
relay_stream_assembler_get_images (RelayStreamAssembler *self)
{
  g_return_val_if_fail (RELAY_IS_STREAM_ASSEMBLER (self), NULL);
  return self->images;
}
