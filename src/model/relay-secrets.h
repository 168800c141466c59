/* relay-secrets.h: the API key, kept in the Secret Service.
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* The Secret Service schema: one secret per base URL, in its attribute "base-url". */
#define RELAY_SECRETS_SCHEMA_NAME  "io.github.relay_llm.Relay"
#define RELAY_SECRETS_ATTRIBUTE    "base-url"

#define RELAY_TYPE_SECRETS (relay_secrets_get_type ())

G_DECLARE_FINAL_TYPE (RelaySecrets, relay_secrets, RELAY, SECRETS, GObject)

RelaySecrets *relay_secrets_new           (void);

void          relay_secrets_lookup_async  (RelaySecrets         *self,
                                           const char           *base_url,
                                           GCancellable         *cancellable,
                                           GAsyncReadyCallback   callback,
                                           gpointer              user_data);
char         *relay_secrets_lookup_finish (RelaySecrets         *self,
                                           GAsyncResult         *result,
                                           GError              **error);
void          relay_secrets_store_async   (RelaySecrets         *self,
                                           const char           *base_url,
                                           const char           *api_key,
                                           GCancellable         *cancellable,
                                           GAsyncReadyCallback   callback,
                                           gpointer              user_data);
gboolean      relay_secrets_store_finish  (RelaySecrets         *self,
                                           GAsyncResult         *result,
                                           GError              **error);
void          relay_secrets_clear_async   (RelaySecrets         *self,
                                           const char           *base_url,
                                           GCancellable         *cancellable,
                                           GAsyncReadyCallback   callback,
                                           gpointer              user_data);
gboolean      relay_secrets_clear_finish  (RelaySecrets         *self,
                                           GAsyncResult         *result,
                                           GError              **error);

/* A key from relay_secrets_lookup_finish(), wiped from memory when freed. */
typedef char RelaySecretsKey;

void          relay_secrets_free_key      (char                 *api_key);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RelaySecretsKey, relay_secrets_free_key)

G_END_DECLS
