/* relay-client.c
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "relay-client"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "relay-client-private.h"
#include "relay-error.h"

/**
 * RelayClient:
 *
 * Talks to RouteLLM (or any OpenAI-compatible server) over libsoup: the model list, plain
 * chat completions with their generated images, and streamed completions folded into a
 * #RelayMessage as the bytes arrive.
 *
 * The base URL is checked with relay_client_check_base_url(). The API key is given with
 * relay_client_set_api_key() or, when none is, looked up in #RelayClient:secrets for the
 * base URL. It is sent only in the `Authorization` header to the base URL's server (never
 * to image hosts, never across a redirect), and never logged or put in an error message.
 *
 * Failures come back as #RelayError codes with a readable message. A request is retried,
 * with exponential backoff and jitter, after a 429, a 5xx or a failed connection, but only
 * while no part of an answer has arrived: a retry after that would bill twice and repeat
 * text. `Retry-After` is honoured. Each wait is announced with #RelayClient::retry-scheduled
 * so that a view can count down. Cancelling through the #GCancellable ends a call with
 * %G_IO_ERROR_CANCELLED, which callers ignore quietly.
 */

enum {
  PROP_0,
  PROP_BASE_URL,
  PROP_SECRETS,
  PROP_MAX_ATTEMPTS,
  PROP_RETRY_DELAY,
  PROP_MAX_RETRY_DELAY,
  PROP_CONNECT_TIMEOUT,
  PROP_IDLE_TIMEOUT,
  PROP_RESPONSE_TIMEOUT,
  PROP_USER_AGENT,
  N_PROPS
};

enum {
  RETRY_SCHEDULED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (RelayClient, relay_client, G_TYPE_OBJECT)

RelayClient *
relay_client_new (void)
{
  return g_object_new (RELAY_TYPE_CLIENT, NULL);
}

static void
forget_cached_key (RelayClient *self)
{
  g_clear_pointer (&self->cached_key, relay_secrets_free_key);
}

static void
secrets_changed_cb (RelayClient  *self,
                    const char   *base_url,
                    RelaySecrets *secrets)
{
  if (g_strcmp0 (base_url, self->base_url) == 0)
    forget_cached_key (self);
}

static void
relay_client_dispose (GObject *object)
{
  RelayClient *self = RELAY_CLIENT (object);

  if (self->session != NULL)
    soup_session_abort (self->session);
  g_clear_object (&self->session);
  if (self->secrets != NULL)
    g_signal_handlers_disconnect_by_func (self->secrets, secrets_changed_cb, self);
  g_clear_object (&self->secrets);

  G_OBJECT_CLASS (relay_client_parent_class)->dispose (object);
}

static void
relay_client_finalize (GObject *object)
{
  RelayClient *self = RELAY_CLIENT (object);

  g_free (self->base_url);
  g_clear_error (&self->base_url_error);
  g_clear_pointer (&self->api_key, relay_secrets_free_key);
  forget_cached_key (self);
  g_free (self->user_agent);

  G_OBJECT_CLASS (relay_client_parent_class)->finalize (object);
}

static void
relay_client_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  RelayClient *self = RELAY_CLIENT (object);

  switch (prop_id)
    {
    case PROP_BASE_URL: g_value_set_string (value, self->base_url); break;
    case PROP_SECRETS: g_value_set_object (value, self->secrets); break;
    case PROP_MAX_ATTEMPTS: g_value_set_uint (value, self->max_attempts); break;
    case PROP_RETRY_DELAY: g_value_set_double (value, self->retry_delay); break;
    case PROP_MAX_RETRY_DELAY: g_value_set_double (value, self->max_retry_delay); break;
    case PROP_CONNECT_TIMEOUT: g_value_set_double (value, self->connect_timeout); break;
    case PROP_IDLE_TIMEOUT: g_value_set_double (value, self->idle_timeout); break;
    case PROP_RESPONSE_TIMEOUT: g_value_set_double (value, self->response_timeout); break;
    case PROP_USER_AGENT: g_value_set_string (value, self->user_agent); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

/* A property cannot fail, so an unusable base URL is kept as given and every call then
 * fails with the reason; relay_client_set_base_url() reports it at once instead. */
static void
set_base_url_property (RelayClient *self,
                       const char  *base_url)
{
  g_autoptr(GError) error = NULL;

  if (!relay_client_set_base_url (self, base_url, &error))
    {
      g_clear_error (&self->base_url_error);
      self->base_url_error = g_steal_pointer (&error);
      if (g_set_str (&self->base_url, base_url))
        {
          forget_cached_key (self);
          g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BASE_URL]);
        }
    }
}

static void
relay_client_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  RelayClient *self = RELAY_CLIENT (object);

  switch (prop_id)
    {
    case PROP_BASE_URL: set_base_url_property (self, g_value_get_string (value)); break;
    case PROP_SECRETS: relay_client_set_secrets (self, g_value_get_object (value)); break;
    case PROP_MAX_ATTEMPTS: relay_client_set_max_attempts (self, g_value_get_uint (value)); break;
    case PROP_RETRY_DELAY: relay_client_set_retry_delay (self, g_value_get_double (value)); break;
    case PROP_MAX_RETRY_DELAY: relay_client_set_max_retry_delay (self, g_value_get_double (value)); break;
    case PROP_CONNECT_TIMEOUT: relay_client_set_connect_timeout (self, g_value_get_double (value)); break;
    case PROP_IDLE_TIMEOUT: relay_client_set_idle_timeout (self, g_value_get_double (value)); break;
    case PROP_RESPONSE_TIMEOUT: relay_client_set_response_timeout (self, g_value_get_double (value)); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
relay_client_class_init (RelayClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags rw = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = relay_client_dispose;
  object_class->finalize = relay_client_finalize;
  object_class->get_property = relay_client_get_property;
  object_class->set_property = relay_client_set_property;

  properties[PROP_BASE_URL] =
    g_param_spec_string ("base-url", NULL, NULL, RELAY_DEFAULT_BASE_URL, rw);
  properties[PROP_SECRETS] =
    g_param_spec_object ("secrets", NULL, NULL, RELAY_TYPE_SECRETS, rw);
  /* How many times a request is sent at most, the first time included. */
  properties[PROP_MAX_ATTEMPTS] =
    g_param_spec_uint ("max-attempts", NULL, NULL, 1, 10, 3, rw);
  /* The first backoff in seconds; it doubles with each retry, with jitter. */
  properties[PROP_RETRY_DELAY] =
    g_param_spec_double ("retry-delay", NULL, NULL, 0, 600, 1.0, rw);
  /* The longest wait before a retry; a longer Retry-After ends the call instead. */
  properties[PROP_MAX_RETRY_DELAY] =
    g_param_spec_double ("max-retry-delay", NULL, NULL, 0, 3600, 60.0, rw);
  /* Seconds to connect and send the request, without progress; 0 for no limit. */
  properties[PROP_CONNECT_TIMEOUT] =
    g_param_spec_double ("connect-timeout", NULL, NULL, 0, 3600, 15.0, rw);
  /* Seconds a stream may go without a byte (and wait for its headers); 0 for no limit. */
  properties[PROP_IDLE_TIMEOUT] =
    g_param_spec_double ("idle-timeout", NULL, NULL, 0, 3600, 60.0, rw);
  /* Seconds a plain completion may take to start answering; 0 for no limit. */
  properties[PROP_RESPONSE_TIMEOUT] =
    g_param_spec_double ("response-timeout", NULL, NULL, 0, 86400, 300.0, rw);
  properties[PROP_USER_AGENT] =
    g_param_spec_string ("user-agent", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * RelayClient::retry-scheduled:
   * @message: (nullable): the message being streamed, if the call is a stream
   * @attempt: the number of the attempt that will be made (2 for the first retry)
   * @max_attempts: the most attempts there will be
   * @delay: seconds until that attempt
   * @error: why the last attempt failed
   *
   * A request failed before any part of an answer arrived and will be sent again after
   * @delay seconds, unless it is cancelled meanwhile.
   */
  signals[RETRY_SCHEDULED] =
    g_signal_new ("retry-scheduled", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 5,
                  RELAY_TYPE_MESSAGE, G_TYPE_UINT, G_TYPE_UINT, G_TYPE_DOUBLE, G_TYPE_ERROR);
}

static void
relay_client_init (RelayClient *self)
{
  self->base_url = g_strdup (RELAY_DEFAULT_BASE_URL);
  self->max_attempts = 3;
  self->retry_delay = 1.0;
  self->max_retry_delay = 60.0;
  self->connect_timeout = 15.0;
  self->idle_timeout = 60.0;
  self->response_timeout = 300.0;
  self->user_agent = g_strdup ("Relay/" PACKAGE_VERSION);

  /* Timeouts are the client's own, per phase and in milliseconds, so libsoup's single
   * socket timeout is turned off; it would also cut a long non-streamed answer short. */
  self->session = soup_session_new_with_options ("user-agent", self->user_agent,
                                                 "timeout", 0,
                                                 NULL);
}

const char *
relay_client_get_base_url (RelayClient *self)
{
  g_return_val_if_fail (RELAY_IS_CLIENT (self), NULL);
  return self->base_url;
}

/**
 * relay_client_set_base_url:
 * @base_url: (nullable): the base URL, or %NULL for %RELAY_DEFAULT_BASE_URL
 *
 * Checks @base_url with relay_client_check_base_url() and uses its normalized form.
 *
 * Returns: %FALSE, leaving the base URL as it was, if @base_url is not usable
 */
gboolean
relay_client_set_base_url (RelayClient  *self,
                           const char   *base_url,
                           GError      **error)
{
  g_autofree char *normalized = NULL;

  g_return_val_if_fail (RELAY_IS_CLIENT (self), FALSE);

  if (!relay_client_check_base_url (base_url != NULL ? base_url : RELAY_DEFAULT_BASE_URL,
                                    &normalized, error))
    return FALSE;

  g_clear_error (&self->base_url_error);
  if (g_set_str (&self->base_url, normalized))
    {
      forget_cached_key (self);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BASE_URL]);
    }
  return TRUE;
}

/**
 * relay_client_set_api_key:
 * @api_key: (nullable): the key, or %NULL to use #RelayClient:secrets
 *
 * Gives the key directly, as tests and relay-cli do; the client keeps its own copy.
 */
void
relay_client_set_api_key (RelayClient *self,
                          const char  *api_key)
{
  g_return_if_fail (RELAY_IS_CLIENT (self));

  g_clear_pointer (&self->api_key, relay_secrets_free_key);
  if (api_key != NULL && api_key[0] != '\0')
    self->api_key = g_strdup (api_key);
}

RelaySecrets *
relay_client_get_secrets (RelayClient *self)
{
  g_return_val_if_fail (RELAY_IS_CLIENT (self), NULL);
  return self->secrets;
}

void
relay_client_set_secrets (RelayClient  *self,
                          RelaySecrets *secrets)
{
  g_return_if_fail (RELAY_IS_CLIENT (self));
  g_return_if_fail (secrets == NULL || RELAY_IS_SECRETS (secrets));

  if (self->secrets == secrets)
    return;

  if (self->secrets != NULL)
    g_signal_handlers_disconnect_by_func (self->secrets, secrets_changed_cb, self);
  forget_cached_key (self);
  g_set_object (&self->secrets, secrets);
  if (secrets != NULL)
    g_signal_connect_object (secrets, "changed", G_CALLBACK (secrets_changed_cb), self,
                             G_CONNECT_SWAPPED);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SECRETS]);
}

#define DEFINE_NUMBER_PROPERTY(type, name, PROP)                                  \
  type                                                                            \
  relay_client_get_##name (RelayClient *self)                                     \
  {                                                                               \
    g_return_val_if_fail (RELAY_IS_CLIENT (self), 0);                             \
    return self->name;                                                            \
  }                                                                               \
                                                                                  \
  void                                                                            \
  relay_client_set_##name (RelayClient *self,                                     \
                           type         value)                                    \
  {                                                                               \
    g_return_if_fail (RELAY_IS_CLIENT (self));                                    \
                                                                                  \
    if (self->name != value)                                                      \
      {                                                                           \
        self->name = value;                                                       \
        g_object_notify_by_pspec (G_OBJECT (self), properties[PROP]);             \
      }                                                                           \
  }

DEFINE_NUMBER_PROPERTY (guint, max_attempts, PROP_MAX_ATTEMPTS)
DEFINE_NUMBER_PROPERTY (double, retry_delay, PROP_RETRY_DELAY)
DEFINE_NUMBER_PROPERTY (double, max_retry_delay, PROP_MAX_RETRY_DELAY)
DEFINE_NUMBER_PROPERTY (double, connect_timeout, PROP_CONNECT_TIMEOUT)
DEFINE_NUMBER_PROPERTY (double, idle_timeout, PROP_IDLE_TIMEOUT)
DEFINE_NUMBER_PROPERTY (double, response_timeout, PROP_RESPONSE_TIMEOUT)

#undef DEFINE_NUMBER_PROPERTY

/* "Relay/VERSION", sent with every request. */
const char *
relay_client_get_user_agent (RelayClient *self)
{
  g_return_val_if_fail (RELAY_IS_CLIENT (self), NULL);
  return self->user_agent;
}

void
_relay_client_emit_retry_scheduled (RelayClient  *self,
                                    RelayMessage *message,
                                    guint         attempt,
                                    double        delay,
                                    const GError *error)
{
  g_signal_emit (self, signals[RETRY_SCHEDULED], 0, message, attempt, self->max_attempts,
                 delay, error);
}

/* ---------------------------------------------------------------------------------- */
/* Finding the key                                                                    */

static void
key_lookup_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  RelayClient *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;
  char *key;

  key = relay_secrets_lookup_finish (RELAY_SECRETS (object), result, &error);
  if (error != NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (key == NULL || key[0] == '\0')
    {
      relay_secrets_free_key (key);
      g_task_return_new_error (task, RELAY_ERROR, RELAY_ERROR_UNAUTHORIZED,
                               _("No API key is set for %s; add it in Preferences"),
                               self->base_url);
      return;
    }

  /* The base URL may have changed while the keyring answered. */
  if (g_strcmp0 (g_task_get_task_data (task), self->base_url) == 0)
    {
      forget_cached_key (self);
      self->cached_key = g_strdup (key);
    }
  g_task_return_pointer (task, key, (GDestroyNotify) relay_secrets_free_key);
}

/* Finds the key: the one given, the cached one, or the keyring's. */
void
_relay_client_get_key_async (RelayClient         *self,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, _relay_client_get_key_async);

  if (self->api_key != NULL)
    g_task_return_pointer (task, g_strdup (self->api_key), (GDestroyNotify) relay_secrets_free_key);
  else if (self->cached_key != NULL)
    g_task_return_pointer (task, g_strdup (self->cached_key), (GDestroyNotify) relay_secrets_free_key);
  else if (self->secrets == NULL)
    g_task_return_new_error (task, RELAY_ERROR, RELAY_ERROR_UNAUTHORIZED,
                             _("No API key is set; add it in Preferences"));
  else
    {
      g_task_set_task_data (task, g_strdup (self->base_url), g_free);
      relay_secrets_lookup_async (self->secrets, self->base_url, cancellable, key_lookup_cb,
                                  g_steal_pointer (&task));
    }
}

char *
_relay_client_get_key_finish (RelayClient   *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* The base URL, or why it cannot be used. */
gboolean
_relay_client_check_usable (RelayClient  *self,
                            GError      **error)
{
  if (self->base_url_error != NULL)
    {
      g_propagate_error (error, g_error_copy (self->base_url_error));
      return FALSE;
    }
  return TRUE;
}
