/* relay-message.c
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "relay-message"

#include "config.h"

#include <string.h>

#include "relay-message.h"

/**
 * RelayMessage:
 *
 * One message of a conversation: its role and text, and for replies the model that
 * answered, what it cost and how far the reply got.
 *
 * Streaming appends to the text with relay_message_append_content(), which emits
 * #RelayMessage::delta with just the new piece and does not notify #RelayMessage:content,
 * so that views can follow a reply in proportion to the new text.
 */
struct _RelayMessage
{
  GObject            parent_instance;

  gint64             id;
  RelayRole          role;
  RelayMessageState  state;
  RelayFinishReason  finish_reason;
  GString           *content;
  char              *error_message;
  char              *model;
  char              *routed_model;
  char              *tool_call_id;
  GPtrArray         *tool_calls;
  gint64             prompt_tokens;
  gint64             completion_tokens;
  gint64             total_tokens;
  double             compute_points;
  gint64             created_at;
  gint64             first_token_usec;
  gint64             duration_usec;
  double             cost;
  guint              version_index;
  guint              n_versions;
  GPtrArray         *attachments;
};

enum {
  PROP_0,
  PROP_ID,
  PROP_ROLE,
  PROP_CONTENT,
  PROP_STATE,
  PROP_ERROR_MESSAGE,
  PROP_MODEL,
  PROP_ROUTED_MODEL,
  PROP_FINISH_REASON,
  PROP_PROMPT_TOKENS,
  PROP_COMPLETION_TOKENS,
  PROP_TOTAL_TOKENS,
  PROP_COMPUTE_POINTS,
  PROP_CREATED_AT,
  PROP_FIRST_TOKEN_USEC,
  PROP_DURATION_USEC,
  PROP_TOOL_CALL_ID,
  PROP_COST,
  PROP_VERSION_INDEX,
  PROP_N_VERSIONS,
  N_PROPS
};

enum {
  DELTA,
  TOOL_CALLS_CHANGED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* A marshaller of its own for ::delta, emitted for every streamed piece: the generic one
 * goes through libffi and cost more than the rest of the stream path per chunk. */
typedef void (*DeltaFunc) (gpointer    data1,
                           const char *text,
                           guint       length,
                           gpointer    data2);

static void
delta_marshal (GClosure     *closure,
               GValue       *return_value,
               guint         n_param_values,
               const GValue *param_values,
               gpointer      invocation_hint,
               gpointer      marshal_data)
{
  GCClosure *cclosure = (GCClosure *) closure;
  gpointer data1;
  gpointer data2;
  DeltaFunc callback;

  g_return_if_fail (n_param_values == 3);

  if (G_CCLOSURE_SWAP_DATA (closure))
    {
      data1 = closure->data;
      data2 = g_value_peek_pointer (param_values + 0);
    }
  else
    {
      data1 = g_value_peek_pointer (param_values + 0);
      data2 = closure->data;
    }
  callback = (DeltaFunc) (marshal_data ? marshal_data : cclosure->callback);
  callback (data1, g_value_get_string (param_values + 1), g_value_get_uint (param_values + 2), data2);
}

static void
delta_marshal_va (GClosure *closure,
                  GValue   *return_value,
                  gpointer  instance,
                  va_list   args,
                  gpointer  marshal_data,
                  int       n_params,
                  GType    *param_types)
{
  GCClosure *cclosure = (GCClosure *) closure;
  gpointer data1;
  gpointer data2;
  DeltaFunc callback;
  const char *text;
  guint length;
  va_list args_copy;

  va_copy (args_copy, args);
  text = va_arg (args_copy, const char *);
  length = va_arg (args_copy, guint);
  va_end (args_copy);

  if (G_CCLOSURE_SWAP_DATA (closure))
    {
      data1 = closure->data;
      data2 = instance;
    }
  else
    {
      data1 = instance;
      data2 = closure->data;
    }
  callback = (DeltaFunc) (marshal_data ? marshal_data : cclosure->callback);
  /* The text is emitted with G_SIGNAL_TYPE_STATIC_SCOPE: no copy is needed. */
  callback (data1, text, length, data2);
}

G_DEFINE_FINAL_TYPE (RelayMessage, relay_message, G_TYPE_OBJECT)

RelayMessage *
relay_message_new (RelayRole   role,
                   const char *content)
{
  return g_object_new (RELAY_TYPE_MESSAGE,
                       "role", role,
                       "content", content,
                       NULL);
}

static void
relay_message_finalize (GObject *object)
{
  RelayMessage *self = RELAY_MESSAGE (object);

  g_string_free (self->content, TRUE);
  g_free (self->error_message);
  g_free (self->model);
  g_free (self->routed_model);
  g_free (self->tool_call_id);
  g_ptr_array_unref (self->tool_calls);
  g_ptr_array_unref (self->attachments);

  G_OBJECT_CLASS (relay_message_parent_class)->finalize (object);
}

static void
relay_message_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  RelayMessage *self = RELAY_MESSAGE (object);

  switch (prop_id)
    {
    case PROP_ID: g_value_set_int64 (value, self->id); break;
    case PROP_ROLE: g_value_set_enum (value, self->role); break;
    case PROP_CONTENT: g_value_set_string (value, self->content->str); break;
    case PROP_STATE: g_value_set_enum (value, self->state); break;
    case PROP_ERROR_MESSAGE: g_value_set_string (value, self->error_message); break;
    case PROP_MODEL: g_value_set_string (value, self->model); break;
    case PROP_ROUTED_MODEL: g_value_set_string (value, self->routed_model); break;
    case PROP_FINISH_REASON: g_value_set_enum (value, self->finish_reason); break;
    case PROP_PROMPT_TOKENS: g_value_set_int64 (value, self->prompt_tokens); break;
    case PROP_COMPLETION_TOKENS: g_value_set_int64 (value, self->completion_tokens); break;
    case PROP_TOTAL_TOKENS: g_value_set_int64 (value, self->total_tokens); break;
    case PROP_COMPUTE_POINTS: g_value_set_double (value, self->compute_points); break;
    case PROP_CREATED_AT: g_value_set_int64 (value, self->created_at); break;
    case PROP_FIRST_TOKEN_USEC: g_value_set_int64 (value, self->first_token_usec); break;
    case PROP_DURATION_USEC: g_value_set_int64 (value, self->duration_usec); break;
    case PROP_TOOL_CALL_ID: g_value_set_string (value, self->tool_call_id); break;
    case PROP_COST: g_value_set_double (value, self->cost); break;
    case PROP_VERSION_INDEX: g_value_set_uint (value, self->version_index); break;
    case PROP_N_VERSIONS: g_value_set_uint (value, self->n_versions); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
relay_message_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  RelayMessage *self = RELAY_MESSAGE (object);

  switch (prop_id)
    {
    case PROP_ID: relay_message_set_id (self, g_value_get_int64 (value)); break;
    case PROP_ROLE: self->role = g_value_get_enum (value); break;
    case PROP_CONTENT: relay_message_set_content (self, g_value_get_string (value)); break;
    case PROP_STATE: relay_message_set_state (self, g_value_get_enum (value)); break;
    case PROP_ERROR_MESSAGE: relay_message_set_error_message (self, g_value_get_string (value)); break;
    case PROP_MODEL: relay_message_set_model (self, g_value_get_string (value)); break;
    case PROP_ROUTED_MODEL: relay_message_set_routed_model (self, g_value_get_string (value)); break;
    case PROP_FINISH_REASON: relay_message_set_finish_reason (self, g_value_get_enum (value)); break;
    case PROP_COMPUTE_POINTS: relay_message_set_compute_points (self, g_value_get_double (value)); break;
    case PROP_CREATED_AT: relay_message_set_created_at (self, g_value_get_int64 (value)); break;
    case PROP_FIRST_TOKEN_USEC: relay_message_set_first_token_usec (self, g_value_get_int64 (value)); break;
    case PROP_DURATION_USEC: relay_message_set_duration_usec (self, g_value_get_int64 (value)); break;
    case PROP_TOOL_CALL_ID: relay_message_set_tool_call_id (self, g_value_get_string (value)); break;
    case PROP_COST: relay_message_set_cost (self, g_value_get_double (value)); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
relay_message_class_init (RelayMessageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags rw = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;
  const GParamFlags ro = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  object_class->finalize = relay_message_finalize;
  object_class->get_property = relay_message_get_property;
  object_class->set_property = relay_message_set_property;

  properties[PROP_ID] = g_param_spec_int64 ("id", NULL, NULL, 0, G_MAXINT64, 0, rw);
  properties[PROP_ROLE] =
    g_param_spec_enum ("role", NULL, NULL, RELAY_TYPE_ROLE, RELAY_ROLE_USER,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CONTENT] = g_param_spec_string ("content", NULL, NULL, NULL, rw);
  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, RELAY_TYPE_MESSAGE_STATE,
                       RELAY_MESSAGE_STATE_COMPLETE, rw);
  properties[PROP_ERROR_MESSAGE] = g_param_spec_string ("error-message", NULL, NULL, NULL, rw);
  properties[PROP_MODEL] = g_param_spec_string ("model", NULL, NULL, NULL, rw);
  properties[PROP_ROUTED_MODEL] = g_param_spec_string ("routed-model", NULL, NULL, NULL, rw);
  properties[PROP_FINISH_REASON] =
    g_param_spec_enum ("finish-reason", NULL, NULL, RELAY_TYPE_FINISH_REASON,
                       RELAY_FINISH_REASON_NONE, rw);
  properties[PROP_PROMPT_TOKENS] = g_param_spec_int64 ("prompt-tokens", NULL, NULL, -1, G_MAXINT64, -1, ro);
  properties[PROP_COMPLETION_TOKENS] = g_param_spec_int64 ("completion-tokens", NULL, NULL, -1, G_MAXINT64, -1, ro);
  properties[PROP_TOTAL_TOKENS] = g_param_spec_int64 ("total-tokens", NULL, NULL, -1, G_MAXINT64, -1, ro);
  properties[PROP_COMPUTE_POINTS] = g_param_spec_double ("compute-points", NULL, NULL, -1, G_MAXDOUBLE, -1, rw);
  properties[PROP_CREATED_AT] = g_param_spec_int64 ("created-at", NULL, NULL, 0, G_MAXINT64, 0, rw);
  properties[PROP_FIRST_TOKEN_USEC] = g_param_spec_int64 ("first-token-usec", NULL, NULL, -1, G_MAXINT64, -1, rw);
  properties[PROP_DURATION_USEC] = g_param_spec_int64 ("duration-usec", NULL, NULL, -1, G_MAXINT64, -1, rw);
  properties[PROP_TOOL_CALL_ID] = g_param_spec_string ("tool-call-id", NULL, NULL, NULL, rw);
  /* What the reply cost, in the account's currency, or -1 when the price is unknown. */
  properties[PROP_COST] = g_param_spec_double ("cost", NULL, NULL, -1, G_MAXDOUBLE, -1, rw);
  /* A regenerated reply (or an edited prompt) is a new version beside the earlier ones;
   * the conversation keeps these two up to date so that a row can show "2/3". */
  properties[PROP_VERSION_INDEX] = g_param_spec_uint ("version-index", NULL, NULL, 0, G_MAXUINT, 0, ro);
  properties[PROP_N_VERSIONS] = g_param_spec_uint ("n-versions", NULL, NULL, 1, G_MAXUINT, 1, ro);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * RelayMessage::delta:
   * @text: the new text, NUL-terminated
   * @length: its length in bytes
   *
   * Text was appended to the message; #RelayMessage:content is not notified for it.
   */
  signals[DELTA] =
    g_signal_new ("delta", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  delta_marshal, G_TYPE_NONE, 2, G_TYPE_STRING | G_SIGNAL_TYPE_STATIC_SCOPE,
                  G_TYPE_UINT);
  g_signal_set_va_marshaller (signals[DELTA], G_TYPE_FROM_CLASS (klass), delta_marshal_va);

  /**
   * RelayMessage::tool-calls-changed:
   *
   * A tool call was added or its arguments grew.
   */
  signals[TOOL_CALLS_CHANGED] =
    g_signal_new ("tool-calls-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
relay_message_init (RelayMessage *self)
{
  self->content = g_string_new (NULL);
  self->tool_calls = g_ptr_array_new_with_free_func ((GDestroyNotify) relay_tool_call_unref);
  self->attachments = g_ptr_array_new_with_free_func (g_object_unref);
  self->prompt_tokens = -1;
  self->completion_tokens = -1;
  self->total_tokens = -1;
  self->compute_points = -1;
  self->first_token_usec = -1;
  self->duration_usec = -1;
  self->created_at = g_get_real_time ();
  self->cost = -1;
  self->n_versions = 1;
}

gint64
relay_message_get_id (RelayMessage *self)
{
  g_return_val_if_fail (RELAY_IS_MESSAGE (self), 0);
  return self->id;
}

void
relay_message_set_id (RelayMessage *self,
                      gint64        id)
{
  g_return_if_fail (RELAY_IS_MESSAGE (self));

  if (self->id != id)
    {
      self->id = id;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ID]);
    }
}

RelayRole
relay_message_get_role (RelayMessage *self)
{
  g_return_val_if_fail (RELAY_IS_MESSAGE (self), RELAY_ROLE_USER);
  return self->role;
}

const char *
relay_message_get_content (RelayMessage *self)
{
  g_return_val_if_fail (RELAY_IS_MESSAGE (self), NULL);
  return self->content->str;
}

gsize
relay_message_get_content_length (RelayMessage *self)
{
  g_return_val_if_fail (RELAY_IS_MESSAGE (self), 0);
  return self->content->len;
}

void
relay_message_set_content (RelayMessage *self,
                           const char   *content)
{
  g_return_if_fail (RELAY_IS_MESSAGE (self));

  if (g_strcmp0 (self->content->str, content ? content : "") == 0)
    return;
  g_string_assign (self->content, content ? content : "");
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONTENT]);
}

/**
 * relay_message_append_content:
 * @text: new text
 * @length: its length, or -1 when NUL-terminated
 *
 * Appends streamed text. A pending message becomes a streaming one.
 */
void
relay_message_append_content (RelayMessage *self,
                              const char   *text,
                              gssize        length)
{
  gsize start;

  g_return_if_fail (RELAY_IS_MESSAGE (self));
  g_return_if_fail (text != NULL || length == 0);

  if (length < 0)
    length = strlen (text);
  if (length == 0)
    return;

  start = self->content->len;
  g_string_append_len (self->content, text, length);
  if (self->state == RELAY_MESSAGE_STATE_PENDING)
    relay_message_set_state (self, RELAY_MESSAGE_STATE_STREAMING);
  g_signal_emit (self, signals[DELTA], 0, self->content->str + start, (guint) length);
}

RelayMessageState
relay_message_get_state (RelayMessage *self)
{
  g_return_val_if_fail (RELAY_IS_MESSAGE (self), RELAY_MESSAGE_STATE_COMPLETE);
  return self->state;
}

void
relay_message_set_state (RelayMessage      *self,
                         RelayMessageState  state)
{
  g_return_if_fail (RELAY_IS_MESSAGE (self));

  if (self->state != state)
    {
      self->state = state;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
    }
}

#define DEFINE_STRING_PROPERTY(name, PROP)                                       \
const char *                                                                     \
relay_message_get_##name (RelayMessage *self)                                    \
{                                                                                \
  g_return_val_if_fail (RELAY_IS_MESSAGE (self), NULL);                          \
  return self->name;                                                             \
}                                                                                \
                                                                                 \
void                                                                             \
relay_message_set_##name (RelayMessage *self,                                    \
                          const char   *value)                                   \
{                                                                                \
  g_return_if_fail (RELAY_IS_MESSAGE (self));                                    \
  if (g_set_str (&self->name, value))                                            \
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP]);                \
}

DEFINE_STRING_PROPERTY (error_message, PROP_ERROR_MESSAGE)
DEFINE_STRING_PROPERTY (model, PROP_MODEL)
DEFINE_STRING_PROPERTY (routed_model, PROP_ROUTED_MODEL)
DEFINE_STRING_PROPERTY (tool_call_id, PROP_TOOL_CALL_ID)

#define DEFINE_INT64_PROPERTY(name, PROP)                                        \
gint64                                                                           \
relay_message_get_##name (RelayMessage *self)                                    \
{                                                                                \
  g_return_val_if_fail (RELAY_IS_MESSAGE (self), -1);                            \
  return self->name;                                                             \
}                                                                                \
                                                                                 \
void                                                                             \
relay_message_set_##name (RelayMessage *self,                                    \
                          gint64        value)                                   \
{                                                                                \
  g_return_if_fail (RELAY_IS_MESSAGE (self));                                    \
  if (self->name != value)                                                       \
    {                                                                            \
      self->name = value;                                                        \
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP]);              \
    }                                                                            \
}

DEFINE_INT64_PROPERTY (created_at, PROP_CREATED_AT)
DEFINE_INT64_PROPERTY (first_token_usec, PROP_FIRST_TOKEN_USEC)
DEFINE_INT64_PROPERTY (duration_usec, PROP_DURATION_USEC)

RelayFinishReason
relay_message_get_finish_reason (RelayMessage *self)
{
  g_return_val_if_fail (RELAY_IS_MESSAGE (self), RELAY_FINISH_REASON_NONE);
  return self->finish_reason;
}

void
relay_message_set_finish_reason (RelayMessage      *self,
                                 RelayFinishReason  reason)
{
  g_return_if_fail (RELAY_IS_MESSAGE (self));

  if (self->finish_reason != reason)
    {
      self->finish_reason = reason;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FINISH_REASON]);
    }
}

gint64
relay_message_get_prompt_tokens (RelayMessage *self)
{
  g_return_val_if_fail (RELAY_IS_MESSAGE (self), -1);
  return self->prompt_tokens;
}

gint64
relay_message_get_completion_tokens (RelayMessage *self)
{
  g_return_val_if_fail (RELAY_IS_MESSAGE (self), -1);
  return self->completion_tokens;
}

gint64
relay_message_get_total_tokens (RelayMessage *self)
{
  g_return_val_if_fail (RELAY_IS_MESSAGE (self), -1);
  return self->total_tokens;
}

/**
 * relay_message_set_usage:
 *
 * Sets the token counts; -1 means unknown. A total of -1 is derived from the other two
 * when both are known.
 */
void
relay_message_set_usage (RelayMessage *self,
                         gint64        prompt_tokens,
                         gint64        completion_tokens,
                         gint64        total_tokens)
{
  g_return_if_fail (RELAY_IS_MESSAGE (self));

  /* Counts come from the server: a sum past G_MAXINT64 stays unknown, not negative. */
  if (total_tokens < 0 && prompt_tokens >= 0 && completion_tokens >= 0 &&
      prompt_tokens <= G_MAXINT64 - completion_tokens)
    total_tokens = prompt_tokens + completion_tokens;

  g_object_freeze_notify (G_OBJECT (self));
  if (self->prompt_tokens != prompt_tokens)
    {
      self->prompt_tokens = prompt_tokens;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROMPT_TOKENS]);
    }
  if (self->completion_tokens != completion_tokens)
    {
      self->completion_tokens = completion_tokens;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COMPLETION_TOKENS]);
    }
  if (self->total_tokens != total_tokens)
    {
      self->total_tokens = total_tokens;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TOTAL_TOKENS]);
    }
  g_object_thaw_notify (G_OBJECT (self));
}

double
relay_message_get_compute_points (RelayMessage *self)
{
  g_return_val_if_fail (RELAY_IS_MESSAGE (self), -1);
  return self->compute_points;
}

void
relay_message_set_compute_points (RelayMessage *self,
                                  double        compute_points)
{
  g_return_if_fail (RELAY_IS_MESSAGE (self));

  if (self->compute_points != compute_points)
    {
      self->compute_points = compute_points;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COMPUTE_POINTS]);
    }
}

/**
 * relay_message_get_tool_calls:
 *
 * Returns: (transfer none) (element-type RelayToolCall): the tool calls, by index
 */
GPtrArray *
relay_message_get_tool_calls (RelayMessage *self)
{
  g_return_val_if_fail (RELAY_IS_MESSAGE (self), NULL);
  return self->tool_calls;
}

/**
 * relay_message_ensure_tool_call:
 * @index: the tool call's index in the stream
 *
 * Finds the tool call with @index, adding it (in index order) when there is none.
 * Callers that change it call relay_message_tool_calls_changed().
 *
 * Returns: (transfer none): the tool call
 */
RelayToolCall *
relay_message_ensure_tool_call (RelayMessage *self,
                                guint         index)
{
  RelayToolCall *call;
  guint pos;

  g_return_val_if_fail (RELAY_IS_MESSAGE (self), NULL);

  /* Streams send calls in index order, so the last one is almost always the match. */
  for (pos = self->tool_calls->len; pos > 0; pos--)
    {
      call = g_ptr_array_index (self->tool_calls, pos - 1);
      if (call->index == index)
        return call;
      if (call->index < index)
        break;
    }

  call = relay_tool_call_new (index);
  g_ptr_array_insert (self->tool_calls, pos, call);
  return call;
}

void
relay_message_tool_calls_changed (RelayMessage *self)
{
  g_return_if_fail (RELAY_IS_MESSAGE (self));

  g_signal_emit (self, signals[TOOL_CALLS_CHANGED], 0);
}

double
relay_message_get_cost (RelayMessage *self)
{
  g_return_val_if_fail (RELAY_IS_MESSAGE (self), -1);
  return self->cost;
}

void
relay_message_set_cost (RelayMessage *self,
                        double        cost)
{
  g_return_if_fail (RELAY_IS_MESSAGE (self));

  if (self->cost != cost)
    {
      self->cost = cost;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COST]);
    }
}

guint
relay_message_get_version_index (RelayMessage *self)
{
  g_return_val_if_fail (RELAY_IS_MESSAGE (self), 0);
  return self->version_index;
}

guint
relay_message_get_n_versions (RelayMessage *self)
{
  g_return_val_if_fail (RELAY_IS_MESSAGE (self), 1);
  return self->n_versions;
}

/**
 * relay_message_set_version:
 * @version_index: this message's place among its versions, from 0
 * @n_versions: how many versions there are, at least 1
 *
 * Called by the conversation that holds the message; views only read these.
 */
void
relay_message_set_version (RelayMessage *self,
                           guint         version_index,
                           guint         n_versions)
{
  g_return_if_fail (RELAY_IS_MESSAGE (self));
  g_return_if_fail (n_versions > 0 && version_index < n_versions);

  g_object_freeze_notify (G_OBJECT (self));
  if (self->version_index != version_index)
    {
      self->version_index = version_index;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VERSION_INDEX]);
    }
  if (self->n_versions != n_versions)
    {
      self->n_versions = n_versions;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_VERSIONS]);
    }
  g_object_thaw_notify (G_OBJECT (self));
}

/**
 * relay_message_get_attachments:
 *
 * The files a user message carries, or the images a reply generated.
 *
 * Returns: (transfer none) (element-type RelayAttachment): the attachments, in order
 */
GPtrArray *
relay_message_get_attachments (RelayMessage *self)
{
  g_return_val_if_fail (RELAY_IS_MESSAGE (self), NULL);
  return self->attachments;
}

void
relay_message_add_attachment (RelayMessage    *self,
                              RelayAttachment *attachment)
{
  g_return_if_fail (RELAY_IS_MESSAGE (self));
  g_return_if_fail (RELAY_IS_ATTACHMENT (attachment));

  g_ptr_array_add (self->attachments, g_object_ref (attachment));
}
