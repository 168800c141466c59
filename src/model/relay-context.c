/* relay-context.c
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "relay-context"

#include "config.h"

#include <glib/gi18n.h>

#include "relay-context.h"
#include "relay-error.h"

/**
 * RelayContext:
 *
 * Everything Relay knows, in one place: the client that talks to RouteLLM, the key in
 * the Secret Service, the conversation history in SQLite, the model catalog, whether
 * the network is there, and one #RelayChatSession per conversation that has sent
 * something, so a reply keeps streaming while the user looks at another chat.
 */
struct _RelayContext
{
  GObject                parent_instance;

  char                  *base_url;
  RelayClient           *client;
  RelaySecrets          *secrets;
  RelayStore            *store;
  RelayConversationList *conversations;
  RelayModelCatalog     *catalog;
  GNetworkMonitor       *monitor;
  GHashTable            *sessions;
  GCancellable          *cancellable;

  guint                  has_key : 1;
  guint                  loaded : 1;
  guint                  online : 1;
};

enum {
  PROP_0,
  PROP_BASE_URL,
  PROP_HAS_KEY,
  PROP_LOADED,
  PROP_ONLINE,
  PROP_CATALOG,
  PROP_CONVERSATIONS,
  PROP_BUSY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (RelayContext, relay_context, G_TYPE_OBJECT)

static GFile *
relay_context_dup_catalog_cache (void)
{
  return g_file_new_build_filename (g_get_user_cache_dir (), "relay", "models.json", NULL);
}

static void
relay_context_set_flag (RelayContext *self,
                        guint         prop,
                        gboolean      value)
{
  gboolean old;

  value = !!value;
  switch (prop)
    {
    case PROP_HAS_KEY: old = self->has_key; self->has_key = value; break;
    case PROP_LOADED: old = self->loaded; self->loaded = value; break;
    case PROP_ONLINE: old = self->online; self->online = value; break;
    default: g_assert_not_reached ();
    }
  if (old != value)
    g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

static void
relay_context_network_changed_cb (RelayContext    *self,
                                  GParamSpec      *pspec,
                                  GNetworkMonitor *monitor)
{
  gboolean online = g_network_monitor_get_network_available (monitor);

  relay_context_set_flag (self, PROP_ONLINE, online);
  if (online && self->has_key)
    relay_context_refresh_models (self);
}

/**
 * relay_context_new:
 * @base_url: (nullable): the RouteLLM base URL, or %NULL for the self-serve one
 */
RelayContext *
relay_context_new (const char *base_url)
{
  return g_object_new (RELAY_TYPE_CONTEXT,
                       "base-url", base_url,
                       NULL);
}

static void
relay_context_constructed (GObject *object)
{
  RelayContext *self = RELAY_CONTEXT (object);
  g_autoptr(GFile) cache = relay_context_dup_catalog_cache ();
  g_autoptr(GError) error = NULL;

  G_OBJECT_CLASS (relay_context_parent_class)->constructed (object);

  self->secrets = relay_secrets_new ();
  self->client = relay_client_new ();
  relay_client_set_secrets (self->client, self->secrets);
  if (self->base_url == NULL || !relay_client_set_base_url (self->client, self->base_url, &error))
    {
      if (error != NULL)
        g_warning ("Ignoring the stored base URL: %s", error->message);
      g_set_str (&self->base_url, relay_client_get_base_url (self->client));
    }
  else
    g_set_str (&self->base_url, relay_client_get_base_url (self->client));

  self->catalog = relay_model_catalog_new (cache, self->base_url);

  self->monitor = g_object_ref (g_network_monitor_get_default ());
  self->online = g_network_monitor_get_network_available (self->monitor);
  g_signal_connect_object (self->monitor, "notify::network-available",
                           G_CALLBACK (relay_context_network_changed_cb), self,
                           G_CONNECT_SWAPPED);
}

static void
relay_context_dispose (GObject *object)
{
  RelayContext *self = RELAY_CONTEXT (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_pointer (&self->sessions, g_hash_table_unref);
  g_clear_object (&self->conversations);
  g_clear_object (&self->store);
  g_clear_object (&self->catalog);
  g_clear_object (&self->client);
  g_clear_object (&self->secrets);
  g_clear_object (&self->monitor);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (relay_context_parent_class)->dispose (object);
}

static void
relay_context_finalize (GObject *object)
{
  RelayContext *self = RELAY_CONTEXT (object);

  g_free (self->base_url);

  G_OBJECT_CLASS (relay_context_parent_class)->finalize (object);
}

static void
relay_context_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  RelayContext *self = RELAY_CONTEXT (object);

  switch (prop_id)
    {
    case PROP_BASE_URL: g_value_set_string (value, self->base_url); break;
    case PROP_HAS_KEY: g_value_set_boolean (value, self->has_key); break;
    case PROP_LOADED: g_value_set_boolean (value, self->loaded); break;
    case PROP_ONLINE: g_value_set_boolean (value, self->online); break;
    case PROP_CATALOG: g_value_set_object (value, self->catalog); break;
    case PROP_CONVERSATIONS: g_value_set_object (value, self->conversations); break;
    case PROP_BUSY: g_value_set_boolean (value, relay_context_get_busy (self)); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
relay_context_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  RelayContext *self = RELAY_CONTEXT (object);

  switch (prop_id)
    {
    case PROP_BASE_URL: self->base_url = g_value_dup_string (value); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
relay_context_class_init (RelayContextClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags ro = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  object_class->constructed = relay_context_constructed;
  object_class->dispose = relay_context_dispose;
  object_class->finalize = relay_context_finalize;
  object_class->get_property = relay_context_get_property;
  object_class->set_property = relay_context_set_property;

  properties[PROP_BASE_URL] =
    g_param_spec_string ("base-url", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_HAS_KEY] = g_param_spec_boolean ("has-key", NULL, NULL, FALSE, ro);
  properties[PROP_LOADED] = g_param_spec_boolean ("loaded", NULL, NULL, FALSE, ro);
  properties[PROP_ONLINE] = g_param_spec_boolean ("online", NULL, NULL, TRUE, ro);
  properties[PROP_CATALOG] =
    g_param_spec_object ("catalog", NULL, NULL, RELAY_TYPE_MODEL_CATALOG, ro);
  properties[PROP_CONVERSATIONS] =
    g_param_spec_object ("conversations", NULL, NULL, RELAY_TYPE_CONVERSATION_LIST, ro);
  properties[PROP_BUSY] = g_param_spec_boolean ("busy", NULL, NULL, FALSE, ro);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
relay_context_init (RelayContext *self)
{
  self->cancellable = g_cancellable_new ();
  self->sessions = g_hash_table_new_full (NULL, NULL, g_object_unref, g_object_unref);
  self->online = TRUE;
}

/* Loading: the store, the list of conversations, then whether there is a key. */

static void
relay_context_lookup_key_cb (GObject      *object,
                             GAsyncResult *result,
                             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  RelayContext *self = g_task_get_source_object (task);
  g_autoptr(RelaySecretsKey) key = NULL;
  g_autoptr(GError) error = NULL;

  key = relay_secrets_lookup_finish (RELAY_SECRETS (object), result, &error);
  if (error != NULL)
    g_message ("Could not read the API key from the Secret Service: %s", error->message);

  relay_context_set_flag (self, PROP_HAS_KEY, key != NULL);
  relay_context_set_flag (self, PROP_LOADED, TRUE);
  g_task_return_boolean (task, TRUE);

  if (self->has_key && self->online)
    relay_context_refresh_models (self);
}

static void
relay_context_list_loaded_cb (GObject      *object,
                              GAsyncResult *result,
                              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  RelayContext *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;

  if (!relay_conversation_list_load_finish (RELAY_CONVERSATION_LIST (object), result, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  relay_secrets_lookup_async (self->secrets, self->base_url, g_task_get_cancellable (task),
                              relay_context_lookup_key_cb, g_object_ref (task));
}

static void
relay_context_store_opened_cb (GObject      *object,
                               GAsyncResult *result,
                               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  RelayContext *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;

  if (!(self->store = relay_store_open_finish (result, &error)))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  self->conversations = relay_conversation_list_new (self->store);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONVERSATIONS]);
  relay_conversation_list_load_async (self->conversations, g_task_get_cancellable (task),
                                      relay_context_list_loaded_cb, g_object_ref (task));
}

/**
 * relay_context_load_async:
 * @store_path: (nullable): the database, or %NULL for the one in the user's data folder
 *
 * Opens the history (running its migrations), lists the conversations (not their
 * messages) and looks up the key.
 */
void
relay_context_load_async (RelayContext        *self,
                          const char          *store_path,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (RELAY_IS_CONTEXT (self));
  g_return_if_fail (self->store == NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, relay_context_load_async);
  relay_store_open_async (store_path, cancellable, relay_context_store_opened_cb,
                          g_steal_pointer (&task));
}

gboolean
relay_context_load_finish (RelayContext  *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Setting the key: it is tried first, and stored only when RouteLLM accepts it. */

typedef struct
{
  char        *api_key;
  char        *base_url;
  RelayClient *probe;
} SetKey;

static void
set_key_free (SetKey *data)
{
  g_clear_pointer (&data->api_key, relay_secrets_free_key);
  g_free (data->base_url);
  g_clear_object (&data->probe);
  g_free (data);
}

static void
relay_context_use_base_url (RelayContext *self,
                            const char   *base_url)
{
  g_autoptr(GFile) cache = NULL;

  if (g_strcmp0 (self->base_url, base_url) == 0)
    return;

  relay_client_set_base_url (self->client, base_url, NULL);
  g_set_str (&self->base_url, base_url);

  /* Another server has other models. */
  cache = relay_context_dup_catalog_cache ();
  g_clear_object (&self->catalog);
  self->catalog = relay_model_catalog_new (cache, base_url);
  g_hash_table_remove_all (self->sessions);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BASE_URL]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CATALOG]);
}

static void
relay_context_key_stored_cb (GObject      *object,
                             GAsyncResult *result,
                             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  RelayContext *self = g_task_get_source_object (task);
  SetKey *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (!relay_secrets_store_finish (RELAY_SECRETS (object), result, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  relay_context_use_base_url (self, data->base_url);
  relay_client_set_api_key (self->client, NULL);
  relay_context_set_flag (self, PROP_HAS_KEY, TRUE);
  relay_context_refresh_models (self);
  g_task_return_boolean (task, TRUE);
}

static void
relay_context_key_checked_cb (GObject      *object,
                              GAsyncResult *result,
                              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  RelayContext *self = g_task_get_source_object (task);
  SetKey *data = g_task_get_task_data (task);
  g_autoptr(GPtrArray) models = NULL;
  g_autoptr(GError) error = NULL;

  if (!(models = relay_client_list_models_finish (RELAY_CLIENT (object), result, &error)))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  relay_secrets_store_async (self->secrets, data->base_url, data->api_key,
                             g_task_get_cancellable (task),
                             relay_context_key_stored_cb, g_object_ref (task));
}

/**
 * relay_context_set_key_async:
 * @api_key: the RouteLLM API key
 * @base_url: the base URL it belongs to
 *
 * Checks @api_key by listing the models at @base_url, then stores it in the Secret
 * Service. Fails with the reason (#RELAY_ERROR_UNAUTHORIZED, #RELAY_ERROR_NETWORK, a
 * base URL that is not one, …) and changes nothing when RouteLLM does not accept it.
 */
void
relay_context_set_key_async (RelayContext        *self,
                             const char          *api_key,
                             const char          *base_url,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *normalized = NULL;
  SetKey *data;

  g_return_if_fail (RELAY_IS_CONTEXT (self));
  g_return_if_fail (api_key != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, relay_context_set_key_async);

  if (!relay_client_check_base_url (base_url ? base_url : self->base_url, &normalized, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  data = g_new0 (SetKey, 1);
  data->api_key = g_strdup (api_key);
  data->base_url = g_steal_pointer (&normalized);
  data->probe = relay_client_new ();
  relay_client_set_base_url (data->probe, data->base_url, NULL);
  relay_client_set_api_key (data->probe, api_key);
  relay_client_set_max_attempts (data->probe, 1);
  g_task_set_task_data (task, data, (GDestroyNotify) set_key_free);

  relay_client_list_models_async (data->probe, cancellable,
                                  relay_context_key_checked_cb, g_steal_pointer (&task));
}

gboolean
relay_context_set_key_finish (RelayContext  *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
relay_context_key_cleared_cb (GObject      *object,
                              GAsyncResult *result,
                              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  RelayContext *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;

  if (!relay_secrets_clear_finish (RELAY_SECRETS (object), result, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  relay_client_set_api_key (self->client, NULL);
  relay_context_set_flag (self, PROP_HAS_KEY, FALSE);
  g_task_return_boolean (task, TRUE);
}

/**
 * relay_context_remove_key_async:
 *
 * Removes the key from the Secret Service. The history stays.
 */
void
relay_context_remove_key_async (RelayContext        *self,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (RELAY_IS_CONTEXT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, relay_context_remove_key_async);
  relay_secrets_clear_async (self->secrets, self->base_url, cancellable,
                             relay_context_key_cleared_cb, g_steal_pointer (&task));
}

gboolean
relay_context_remove_key_finish (RelayContext  *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
relay_context_refreshed_cb (GObject      *object,
                            GAsyncResult *result,
                            gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  /* A failed refresh leaves the saved list in place; the catalog says it is offline. */
  if (!relay_model_catalog_refresh_finish (RELAY_MODEL_CATALOG (object), result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_debug ("Could not refresh the model list: %s", error->message);
}

/**
 * relay_context_refresh_models:
 *
 * Refreshes the model catalog in the background.
 */
void
relay_context_refresh_models (RelayContext *self)
{
  g_return_if_fail (RELAY_IS_CONTEXT (self));

  if (relay_model_catalog_get_refreshing (self->catalog))
    return;

  relay_model_catalog_refresh_async (self->catalog, self->client, self->cancellable,
                                     relay_context_refreshed_cb, NULL);
}

static void
relay_context_session_busy_cb (RelayContext *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

/**
 * relay_context_get_session:
 *
 * Returns: (transfer none): the session that sends @conversation's messages
 */
RelayChatSession *
relay_context_get_session (RelayContext      *self,
                           RelayConversation *conversation)
{
  RelayChatSession *session;

  g_return_val_if_fail (RELAY_IS_CONTEXT (self), NULL);
  g_return_val_if_fail (RELAY_IS_CONVERSATION (conversation), NULL);

  if ((session = g_hash_table_lookup (self->sessions, conversation)))
    return session;

  session = relay_chat_session_new (conversation, self->client, self->catalog);
  g_signal_connect_object (session, "notify::busy",
                           G_CALLBACK (relay_context_session_busy_cb), self,
                           G_CONNECT_SWAPPED);
  g_hash_table_insert (self->sessions, g_object_ref (conversation), session);
  return session;
}

/**
 * relay_context_get_busy:
 *
 * Returns: whether any conversation has a reply on its way
 */
gboolean
relay_context_get_busy (RelayContext *self)
{
  GHashTableIter iter;
  gpointer value;

  g_return_val_if_fail (RELAY_IS_CONTEXT (self), FALSE);

  g_hash_table_iter_init (&iter, self->sessions);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    if (relay_chat_session_get_busy (value))
      return TRUE;
  return FALSE;
}

/**
 * relay_context_stop_all:
 *
 * Stops every reply being written, keeping their text (Relay is closing).
 */
void
relay_context_stop_all (RelayContext *self)
{
  GHashTableIter iter;
  gpointer value;

  g_return_if_fail (RELAY_IS_CONTEXT (self));

  g_hash_table_iter_init (&iter, self->sessions);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    relay_chat_session_stop (value);
}

static void
relay_context_flushed_cb (GObject      *object,
                          GAsyncResult *result,
                          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (!relay_store_flush_finish (RELAY_STORE (object), result, &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

/**
 * relay_context_flush_async:
 *
 * Completes once everything queued for the history is written.
 */
void
relay_context_flush_async (RelayContext        *self,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (RELAY_IS_CONTEXT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, relay_context_flush_async);
  if (self->store == NULL)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }
  relay_store_flush_async (self->store, cancellable, relay_context_flushed_cb,
                           g_steal_pointer (&task));
}

gboolean
relay_context_flush_finish (RelayContext  *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

RelayClient *
relay_context_get_client (RelayContext *self)
{
  g_return_val_if_fail (RELAY_IS_CONTEXT (self), NULL);
  return self->client;
}

RelaySecrets *
relay_context_get_secrets (RelayContext *self)
{
  g_return_val_if_fail (RELAY_IS_CONTEXT (self), NULL);
  return self->secrets;
}

RelayStore *
relay_context_get_store (RelayContext *self)
{
  g_return_val_if_fail (RELAY_IS_CONTEXT (self), NULL);
  return self->store;
}

RelayConversationList *
relay_context_get_conversations (RelayContext *self)
{
  g_return_val_if_fail (RELAY_IS_CONTEXT (self), NULL);
  return self->conversations;
}

RelayModelCatalog *
relay_context_get_catalog (RelayContext *self)
{
  g_return_val_if_fail (RELAY_IS_CONTEXT (self), NULL);
  return self->catalog;
}

const char *
relay_context_get_base_url (RelayContext *self)
{
  g_return_val_if_fail (RELAY_IS_CONTEXT (self), NULL);
  return self->base_url;
}

gboolean
relay_context_get_has_key (RelayContext *self)
{
  g_return_val_if_fail (RELAY_IS_CONTEXT (self), FALSE);
  return self->has_key;
}

gboolean
relay_context_get_loaded (RelayContext *self)
{
  g_return_val_if_fail (RELAY_IS_CONTEXT (self), FALSE);
  return self->loaded;
}

gboolean
relay_context_get_online (RelayContext *self)
{
  g_return_val_if_fail (RELAY_IS_CONTEXT (self), FALSE);
  return self->online;
}
