/* relay-chat-session.c
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "relay-chat-session"

#include "config.h"

#include <glib/gi18n.h>

#include "relay-chat-request.h"
#include "relay-chat-session.h"
#include "relay-chat-settings.h"
#include "relay-error.h"

/**
 * RelayChatSession:
 *
 * What happens when the user sends: the message is stored first (so a failure can
 * never lose it), then the conversation so far and its settings become a request whose
 * reply streams into a new message. Also Stop, Regenerate, Retry and Edit and Resend.
 *
 * One reply at a time per conversation. #RelayChatSession:busy says one is on its way;
 * while the client waits to retry (429, 5xx, no connection, before the first byte)
 * #RelayChatSession:retry-attempt and #RelayChatSession:retry-at let a view count down.
 */
struct _RelayChatSession
{
  GObject            parent_instance;

  RelayConversation *conversation;
  RelayClient       *client;
  RelayModelCatalog *catalog;

  GCancellable      *cancellable;
  RelayMessage      *reply;
  GError            *error;
  gulong             retry_handler;
  guint              retry_attempt;
  gint64             retry_at;
};

enum {
  PROP_0,
  PROP_CONVERSATION,
  PROP_CLIENT,
  PROP_CATALOG,
  PROP_BUSY,
  PROP_REPLY,
  PROP_RETRY_ATTEMPT,
  PROP_RETRY_AT,
  N_PROPS
};

enum {
  REPLY_FINISHED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (RelayChatSession, relay_chat_session, G_TYPE_OBJECT)

RelayChatSession *
relay_chat_session_new (RelayConversation *conversation,
                        RelayClient       *client,
                        RelayModelCatalog *catalog)
{
  g_return_val_if_fail (RELAY_IS_CONVERSATION (conversation), NULL);
  g_return_val_if_fail (RELAY_IS_CLIENT (client), NULL);
  g_return_val_if_fail (!catalog || RELAY_IS_MODEL_CATALOG (catalog), NULL);

  return g_object_new (RELAY_TYPE_CHAT_SESSION,
                       "conversation", conversation,
                       "client", client,
                       "catalog", catalog,
                       NULL);
}

static void
relay_chat_session_set_retry (RelayChatSession *self,
                              guint             attempt,
                              gint64            at)
{
  g_object_freeze_notify (G_OBJECT (self));
  if (self->retry_attempt != attempt)
    {
      self->retry_attempt = attempt;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RETRY_ATTEMPT]);
    }
  if (self->retry_at != at)
    {
      self->retry_at = at;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RETRY_AT]);
    }
  g_object_thaw_notify (G_OBJECT (self));
}

static void
relay_chat_session_retry_scheduled_cb (RelayChatSession *self,
                                       RelayMessage     *message,
                                       guint             attempt,
                                       guint             max_attempts,
                                       double            delay,
                                       const GError     *error,
                                       RelayClient      *client)
{
  if (message == NULL || message != self->reply)
    return;

  relay_chat_session_set_retry (self, attempt,
                                g_get_monotonic_time () + (gint64) (delay * G_USEC_PER_SEC));
}

static void
relay_chat_session_set_reply (RelayChatSession *self,
                              RelayMessage     *reply)
{
  gboolean was_busy = self->reply != NULL;

  if (!g_set_object (&self->reply, reply))
    return;

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REPLY]);
  if (was_busy != (reply != NULL))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

/**
 * relay_chat_session_compute_cost:
 * @catalog: (nullable): where prices come from
 * @reply: a finished reply with its usage
 *
 * The price of @reply from the model that answered (the routed one for route-llm),
 * or the model asked for when the answering one has no known price.
 *
 * Returns: the cost in US dollars, or -1 when it cannot be known
 */
double
relay_chat_session_compute_cost (RelayModelCatalog *catalog,
                                 RelayMessage      *reply)
{
  const char *ids[2];
  gint64 prompt_tokens = relay_message_get_prompt_tokens (reply);
  gint64 completion_tokens = relay_message_get_completion_tokens (reply);

  if (catalog == NULL || prompt_tokens < 0 || completion_tokens < 0)
    return -1;

  ids[0] = relay_message_get_routed_model (reply);
  ids[1] = relay_message_get_model (reply);
  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    {
      RelayModelInfo *info;
      double input, output;

      if (ids[i] == NULL || (info = relay_model_catalog_lookup (catalog, ids[i])) == NULL)
        continue;
      if (relay_model_info_get_prices_per_million (info, &input, &output))
        return (prompt_tokens * input + completion_tokens * output) / 1e6;
    }
  return -1;
}

static gboolean
relay_chat_session_worth_sending (RelayMessage *message)
{
  if (relay_message_get_role (message) != RELAY_ROLE_ASSISTANT)
    return TRUE;

  /* A reply that never got a word (failed, or cut off before its first token) says
   * nothing the model needs to see again. */
  return relay_message_get_content_length (message) > 0 ||
         relay_message_get_tool_calls (message)->len > 0;
}

/**
 * relay_chat_session_build_request:
 * @reply: the reply the request is for; messages from it on are left out
 *
 * The conversation up to @reply, with the chat's settings and model.
 *
 * Returns: (transfer full): the request
 */
RelayChatRequest *
relay_chat_session_build_request (RelayChatSession *self,
                                  RelayMessage     *reply)
{
  RelayChatSettings *settings = relay_conversation_get_settings (self->conversation);
  GListModel *messages = G_LIST_MODEL (self->conversation);
  const char *model = relay_message_get_model (reply);
  const char *system_prompt;
  RelayChatRequest *request;
  guint n = g_list_model_get_n_items (messages);

  if (model == NULL || *model == '\0')
    model = relay_conversation_get_model (self->conversation);
  request = relay_chat_request_new (model);

  system_prompt = settings ? relay_chat_settings_get_system_prompt (settings) : NULL;
  if (system_prompt != NULL && *system_prompt != '\0')
    {
      g_autoptr(RelayMessage) system = relay_message_new (RELAY_ROLE_SYSTEM, system_prompt);
      relay_chat_request_add_message (request, system);
    }

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(RelayMessage) message = g_list_model_get_item (messages, i);

      if (message == reply)
        break;
      if (relay_chat_session_worth_sending (message))
        relay_chat_request_add_message (request, message);
    }

  if (settings != NULL)
    {
      double temperature = relay_chat_settings_get_temperature (settings);
      double top_p = relay_chat_settings_get_top_p (settings);
      gint64 max_tokens = relay_chat_settings_get_max_tokens (settings);
      double presence = relay_chat_settings_get_presence_penalty (settings);
      double frequency = relay_chat_settings_get_frequency_penalty (settings);
      const char * const *stop = relay_chat_settings_get_stop (settings);

      if (temperature >= 0)
        relay_chat_request_set_temperature (request, temperature);
      if (top_p >= 0)
        relay_chat_request_set_top_p (request, top_p);
      if (max_tokens > 0)
        relay_chat_request_set_max_tokens (request, max_tokens);
      if (presence != 0)
        relay_chat_request_set_presence_penalty (request, presence);
      if (frequency != 0)
        relay_chat_request_set_frequency_penalty (request, frequency);
      if (stop != NULL && stop[0] != NULL)
        relay_chat_request_set_stop (request, stop);
      if (relay_chat_settings_get_json_mode (settings))
        relay_chat_request_set_response_format (request, RELAY_RESPONSE_FORMAT_JSON_OBJECT);
    }

  return request;
}

static void
relay_chat_session_finish_reply (RelayChatSession *self,
                                 RelayMessage     *reply,
                                 GError           *error)
{
  g_autoptr(RelayMessage) finished = g_object_ref (reply);

  if (error != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_clear_error (&self->error);
      self->error = g_error_copy (error);
    }

  relay_message_set_cost (reply, relay_chat_session_compute_cost (self->catalog, reply));
  relay_chat_session_set_retry (self, 0, 0);
  if (self->reply == reply)
    {
      g_clear_object (&self->cancellable);
      relay_chat_session_set_reply (self, NULL);
    }
  g_signal_emit (self, signals[REPLY_FINISHED], 0, finished);
}

static void
relay_chat_session_stream_cb (GObject      *object,
                              GAsyncResult *result,
                              gpointer      user_data)
{
  g_autoptr(RelayChatSession) self = user_data;
  g_autoptr(GError) error = NULL;

  relay_client_stream_finish (RELAY_CLIENT (object), result, &error);
  if (self->reply != NULL)
    relay_chat_session_finish_reply (self, self->reply, error);
}

static void
relay_chat_session_start_reply (RelayChatSession *self,
                                RelayMessage     *reply)
{
  g_autoptr(RelayChatRequest) request = NULL;
  g_autoptr(GError) error = NULL;
  RelayModelInfo *info = NULL;

  g_clear_error (&self->error);
  relay_chat_session_set_reply (self, reply);

  request = relay_chat_session_build_request (self, reply);
  if (self->catalog != NULL)
    info = relay_model_catalog_lookup (self->catalog, relay_chat_request_get_model (request));

  /* Settings the model cannot take are refused here, with a reason, not by a 400. */
  if (!relay_chat_request_validate (request, info, &error))
    {
      relay_message_set_error_message (reply, error->message);
      relay_message_set_state (reply, RELAY_MESSAGE_STATE_FAILED);
      relay_chat_session_finish_reply (self, reply, error);
      return;
    }

  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  relay_client_stream_async (self->client, request, reply, self->cancellable,
                             relay_chat_session_stream_cb, g_object_ref (self));
}

static void
relay_chat_session_append_cb (GObject      *object,
                              GAsyncResult *result,
                              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  RelayChatSession *self = g_task_get_source_object (task);
  g_autoptr(RelayMessage) reply = NULL;
  g_autoptr(GError) error = NULL;

  if (!relay_conversation_append_finish (RELAY_CONVERSATION (object), result, &error))
    {
      /* Not stored, so not sent: the words stay where the user wrote them. */
      relay_chat_session_set_reply (self, NULL);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_task_return_boolean (task, TRUE);

  reply = relay_conversation_begin_reply (self->conversation,
                                          relay_conversation_get_model (self->conversation));
  relay_chat_session_start_reply (self, reply);
}

/**
 * relay_chat_session_send_async:
 * @text: what the user wrote
 *
 * Stores @text as the user's message, then asks for a reply. Completes as soon as the
 * message is safely stored (the reply then streams into #RelayChatSession:reply); fails,
 * with nothing sent, when it could not be stored or a reply is already on its way.
 */
void
relay_chat_session_send_async (RelayChatSession    *self,
                               const char          *text,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(RelayMessage) message = NULL;

  g_return_if_fail (RELAY_IS_CHAT_SESSION (self));
  g_return_if_fail (text != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, relay_chat_session_send_async);

  if (self->reply != NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_BUSY,
                               _("Wait for the reply to finish, or stop it, before sending"));
      return;
    }

  message = relay_message_new (RELAY_ROLE_USER, text);
  relay_conversation_append_async (self->conversation, message, cancellable,
                                   relay_chat_session_append_cb, g_steal_pointer (&task));
}

gboolean
relay_chat_session_send_finish (RelayChatSession  *self,
                                GAsyncResult      *result,
                                GError           **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * relay_chat_session_stop:
 *
 * Stops the reply being written. The text so far stays, marked as stopped.
 */
void
relay_chat_session_stop (RelayChatSession *self)
{
  g_return_if_fail (RELAY_IS_CHAT_SESSION (self));

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
}

/**
 * relay_chat_session_regenerate:
 * @reply: a reply in the conversation
 *
 * Asks again, with the conversation's current model, for a new version of @reply.
 * The earlier version stays, one step back in the reply's versions. Retry for a failed
 * or interrupted reply is the same thing.
 */
gboolean
relay_chat_session_regenerate (RelayChatSession  *self,
                               RelayMessage      *reply,
                               GError           **error)
{
  g_autoptr(RelayMessage) version = NULL;

  g_return_val_if_fail (RELAY_IS_CHAT_SESSION (self), FALSE);
  g_return_val_if_fail (RELAY_IS_MESSAGE (reply), FALSE);

  if (self->reply != NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_BUSY,
                           _("Wait for the reply to finish, or stop it, before asking again"));
      return FALSE;
    }

  version = relay_conversation_regenerate (self->conversation, reply,
                                           relay_conversation_get_model (self->conversation));
  if (version == NULL)
    {
      g_set_error_literal (error, RELAY_ERROR, RELAY_ERROR_INVALID_ARGUMENT,
                           _("This reply is no longer part of the conversation"));
      return FALSE;
    }

  relay_chat_session_start_reply (self, version);
  return TRUE;
}

static void
relay_chat_session_edit_cb (GObject      *object,
                            GAsyncResult *result,
                            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  RelayChatSession *self = g_task_get_source_object (task);
  g_autoptr(RelayMessage) edited = NULL;
  g_autoptr(RelayMessage) reply = NULL;
  g_autoptr(GError) error = NULL;

  if (!(edited = relay_conversation_edit_finish (RELAY_CONVERSATION (object), result, &error)))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_task_return_boolean (task, TRUE);

  reply = relay_conversation_begin_reply (self->conversation,
                                          relay_conversation_get_model (self->conversation));
  relay_chat_session_start_reply (self, reply);
}

/**
 * relay_chat_session_edit_async:
 * @message: a user message in the conversation
 * @text: its new text
 *
 * Edit and resend: @text becomes a new version of @message (the original stays as an
 * earlier version, with the replies that followed it) and is answered afresh.
 */
void
relay_chat_session_edit_async (RelayChatSession    *self,
                               RelayMessage        *message,
                               const char          *text,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (RELAY_IS_CHAT_SESSION (self));
  g_return_if_fail (RELAY_IS_MESSAGE (message));
  g_return_if_fail (text != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, relay_chat_session_edit_async);

  if (self->reply != NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_BUSY,
                               _("Wait for the reply to finish, or stop it, before editing"));
      return;
    }

  relay_conversation_edit_async (self->conversation, message, text, cancellable,
                                 relay_chat_session_edit_cb, g_steal_pointer (&task));
}

gboolean
relay_chat_session_edit_finish (RelayChatSession  *self,
                                GAsyncResult      *result,
                                GError           **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

RelayConversation *
relay_chat_session_get_conversation (RelayChatSession *self)
{
  g_return_val_if_fail (RELAY_IS_CHAT_SESSION (self), NULL);

  return self->conversation;
}

gboolean
relay_chat_session_get_busy (RelayChatSession *self)
{
  g_return_val_if_fail (RELAY_IS_CHAT_SESSION (self), FALSE);

  return self->reply != NULL;
}

/**
 * relay_chat_session_get_reply:
 *
 * Returns: (transfer none) (nullable): the reply being written, if any
 */
RelayMessage *
relay_chat_session_get_reply (RelayChatSession *self)
{
  g_return_val_if_fail (RELAY_IS_CHAT_SESSION (self), NULL);

  return self->reply;
}

guint
relay_chat_session_get_retry_attempt (RelayChatSession *self)
{
  g_return_val_if_fail (RELAY_IS_CHAT_SESSION (self), 0);

  return self->retry_attempt;
}

/**
 * relay_chat_session_get_retry_at:
 *
 * Returns: when the next attempt goes out, in g_get_monotonic_time() microseconds,
 *   or 0 when no retry is waiting
 */
gint64
relay_chat_session_get_retry_at (RelayChatSession *self)
{
  g_return_val_if_fail (RELAY_IS_CHAT_SESSION (self), 0);

  return self->retry_at;
}

/**
 * relay_chat_session_get_error:
 *
 * Returns: (nullable): why the last reply failed, if it did
 */
const GError *
relay_chat_session_get_error (RelayChatSession *self)
{
  g_return_val_if_fail (RELAY_IS_CHAT_SESSION (self), NULL);

  return self->error;
}

static void
relay_chat_session_constructed (GObject *object)
{
  RelayChatSession *self = RELAY_CHAT_SESSION (object);

  G_OBJECT_CLASS (relay_chat_session_parent_class)->constructed (object);

  self->retry_handler =
    g_signal_connect_object (self->client, "retry-scheduled",
                             G_CALLBACK (relay_chat_session_retry_scheduled_cb), self,
                             G_CONNECT_SWAPPED);
}

static void
relay_chat_session_dispose (GObject *object)
{
  RelayChatSession *self = RELAY_CHAT_SESSION (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_signal_handler (&self->retry_handler, self->client);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->reply);
  g_clear_object (&self->catalog);
  g_clear_object (&self->client);
  g_clear_object (&self->conversation);

  G_OBJECT_CLASS (relay_chat_session_parent_class)->dispose (object);
}

static void
relay_chat_session_finalize (GObject *object)
{
  RelayChatSession *self = RELAY_CHAT_SESSION (object);

  g_clear_error (&self->error);

  G_OBJECT_CLASS (relay_chat_session_parent_class)->finalize (object);
}

static void
relay_chat_session_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  RelayChatSession *self = RELAY_CHAT_SESSION (object);

  switch (prop_id)
    {
    case PROP_CONVERSATION: g_value_set_object (value, self->conversation); break;
    case PROP_CLIENT: g_value_set_object (value, self->client); break;
    case PROP_CATALOG: g_value_set_object (value, self->catalog); break;
    case PROP_BUSY: g_value_set_boolean (value, self->reply != NULL); break;
    case PROP_REPLY: g_value_set_object (value, self->reply); break;
    case PROP_RETRY_ATTEMPT: g_value_set_uint (value, self->retry_attempt); break;
    case PROP_RETRY_AT: g_value_set_int64 (value, self->retry_at); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
relay_chat_session_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  RelayChatSession *self = RELAY_CHAT_SESSION (object);

  switch (prop_id)
    {
    case PROP_CONVERSATION: self->conversation = g_value_dup_object (value); break;
    case PROP_CLIENT: self->client = g_value_dup_object (value); break;
    case PROP_CATALOG: self->catalog = g_value_dup_object (value); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
relay_chat_session_class_init (RelayChatSessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags construct = G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS;
  const GParamFlags ro = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  object_class->constructed = relay_chat_session_constructed;
  object_class->dispose = relay_chat_session_dispose;
  object_class->finalize = relay_chat_session_finalize;
  object_class->get_property = relay_chat_session_get_property;
  object_class->set_property = relay_chat_session_set_property;

  properties[PROP_CONVERSATION] =
    g_param_spec_object ("conversation", NULL, NULL, RELAY_TYPE_CONVERSATION, construct);
  properties[PROP_CLIENT] =
    g_param_spec_object ("client", NULL, NULL, RELAY_TYPE_CLIENT, construct);
  properties[PROP_CATALOG] =
    g_param_spec_object ("catalog", NULL, NULL, RELAY_TYPE_MODEL_CATALOG, construct);
  properties[PROP_BUSY] = g_param_spec_boolean ("busy", NULL, NULL, FALSE, ro);
  properties[PROP_REPLY] = g_param_spec_object ("reply", NULL, NULL, RELAY_TYPE_MESSAGE, ro);
  properties[PROP_RETRY_ATTEMPT] = g_param_spec_uint ("retry-attempt", NULL, NULL, 0, G_MAXUINT, 0, ro);
  properties[PROP_RETRY_AT] = g_param_spec_int64 ("retry-at", NULL, NULL, 0, G_MAXINT64, 0, ro);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * RelayChatSession::reply-finished:
   * @reply: the reply, complete, stopped or failed
   */
  signals[REPLY_FINISHED] =
    g_signal_new ("reply-finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, RELAY_TYPE_MESSAGE);
}

static void
relay_chat_session_init (RelayChatSession *self)
{
}
