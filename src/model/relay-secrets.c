/* relay-secrets.c
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "relay-secrets"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>
#include <libsecret/secret.h>

#include "relay-secrets.h"

/**
 * RelaySecrets:
 *
 * Keeps the RouteLLM API key in the Secret Service (GNOME Keyring, KWallet, or the secret
 * portal inside Flatpak) through libsecret: never in GSettings, a file or a log.
 *
 * One key is kept per base URL, so that a self-serve account and an enterprise workspace
 * each keep their own. Callers pass the normalized base URL (#RelayClient:base-url).
 * #RelaySecrets::changed tells holders of a cached key that it was stored or cleared.
 */
struct _RelaySecrets
{
  GObject parent_instance;
};

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (RelaySecrets, relay_secrets, G_TYPE_OBJECT)

static const SecretSchema *
relay_secrets_get_schema (void)
{
  static const SecretSchema schema = {
    RELAY_SECRETS_SCHEMA_NAME, SECRET_SCHEMA_NONE,
    {
      { RELAY_SECRETS_ATTRIBUTE, SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    }
  };

  return &schema;
}

static void
relay_secrets_class_init (RelaySecretsClass *klass)
{
  /**
   * RelaySecrets::changed:
   * @base_url: the base URL whose key was stored or cleared
   */
  signals[CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
relay_secrets_init (RelaySecrets *self)
{
}

RelaySecrets *
relay_secrets_new (void)
{
  return g_object_new (RELAY_TYPE_SECRETS, NULL);
}

/**
 * relay_secrets_free_key:
 * @api_key: (nullable): a key
 *
 * Overwrites the key's bytes before freeing them, so it does not linger in freed memory.
 */
void
relay_secrets_free_key (char *api_key)
{
  if (api_key == NULL)
    return;

  /* A volatile pointer keeps the compiler from dropping the stores before free(). */
  for (volatile char *p = api_key; *p != '\0'; p++)
    *p = '\0';
  g_free (api_key);
}

/* A libsecret error says what failed in its own words; never with the secret in it. */
static GError *
keyring_error (GError     *error,
               const char *what)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return g_error_copy (error);
  return g_error_new (error->domain, error->code, "%s: %s", what, error->message);
}

static void
lookup_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  char *secret;

  secret = secret_password_lookup_finish (result, &error);
  if (error != NULL)
    {
      g_task_return_error (task, keyring_error (error, _("Could not read the API key from the keyring")));
      return;
    }

  /* libsecret's buffer is freed with its own wiping free function; hand over a copy. */
  g_task_return_pointer (task, g_strdup (secret), (GDestroyNotify) relay_secrets_free_key);
  secret_password_free (secret);
}

/**
 * relay_secrets_lookup_async:
 * @base_url: the base URL the key is for
 *
 * Looks up the key stored for @base_url.
 */
void
relay_secrets_lookup_async (RelaySecrets        *self,
                            const char          *base_url,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (RELAY_IS_SECRETS (self));
  g_return_if_fail (base_url != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, relay_secrets_lookup_async);
  secret_password_lookup (relay_secrets_get_schema (), cancellable, lookup_cb,
                          g_steal_pointer (&task),
                          RELAY_SECRETS_ATTRIBUTE, base_url,
                          NULL);
}

/**
 * relay_secrets_lookup_finish:
 *
 * Returns: (transfer full) (nullable): the key, to be freed with relay_secrets_free_key();
 *   %NULL without an error when none is stored
 */
char *
relay_secrets_lookup_finish (RelaySecrets  *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (RELAY_IS_SECRETS (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
store_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  const char *base_url = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (!secret_password_store_finish (result, &error))
    {
      g_task_return_error (task, keyring_error (error, _("Could not save the API key in the keyring")));
      return;
    }

  g_signal_emit (g_task_get_source_object (task), signals[CHANGED], 0, base_url);
  g_task_return_boolean (task, TRUE);
}

/**
 * relay_secrets_store_async:
 * @base_url: the base URL the key is for
 * @api_key: the key
 *
 * Stores @api_key for @base_url in the default collection, replacing any key it had.
 */
void
relay_secrets_store_async (RelaySecrets        *self,
                           const char          *base_url,
                           const char          *api_key,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *label = NULL;

  g_return_if_fail (RELAY_IS_SECRETS (self));
  g_return_if_fail (base_url != NULL);
  g_return_if_fail (api_key != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, relay_secrets_store_async);
  g_task_set_task_data (task, g_strdup (base_url), g_free);

  /* TRANSLATORS: the name of the API key in the keyring; %s is the base URL */
  label = g_strdup_printf (_("RouteLLM API key for %s"), base_url);
  secret_password_store (relay_secrets_get_schema (), SECRET_COLLECTION_DEFAULT, label, api_key,
                         cancellable, store_cb, g_steal_pointer (&task),
                         RELAY_SECRETS_ATTRIBUTE, base_url,
                         NULL);
}

gboolean
relay_secrets_store_finish (RelaySecrets  *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (RELAY_IS_SECRETS (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
clear_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  const char *base_url = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  /* FALSE without an error: there was nothing to clear, which is what was wanted. */
  if (!secret_password_clear_finish (result, &error) && error != NULL)
    {
      g_task_return_error (task, keyring_error (error, _("Could not remove the API key from the keyring")));
      return;
    }

  g_signal_emit (g_task_get_source_object (task), signals[CHANGED], 0, base_url);
  g_task_return_boolean (task, TRUE);
}

/**
 * relay_secrets_clear_async:
 * @base_url: the base URL whose key to forget
 *
 * Removes the key stored for @base_url; succeeds when there was none.
 */
void
relay_secrets_clear_async (RelaySecrets        *self,
                           const char          *base_url,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (RELAY_IS_SECRETS (self));
  g_return_if_fail (base_url != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, relay_secrets_clear_async);
  g_task_set_task_data (task, g_strdup (base_url), g_free);

  secret_password_clear (relay_secrets_get_schema (), cancellable, clear_cb, g_steal_pointer (&task),
                         RELAY_SECRETS_ATTRIBUTE, base_url,
                         NULL);
}

gboolean
relay_secrets_clear_finish (RelaySecrets  *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (RELAY_IS_SECRETS (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
