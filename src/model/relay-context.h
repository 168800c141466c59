/* relay-context.h: the root of the model layer.
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "relay-chat-session.h"
#include "relay-client.h"
#include "relay-conversation-list.h"
#include "relay-model-catalog.h"
#include "relay-secrets.h"
#include "relay-store.h"

G_BEGIN_DECLS

#define RELAY_TYPE_CONTEXT (relay_context_get_type ())

G_DECLARE_FINAL_TYPE (RelayContext, relay_context, RELAY, CONTEXT, GObject)

RelayContext          *relay_context_new                (const char           *base_url);
RelayClient           *relay_context_get_client         (RelayContext         *self);
RelaySecrets          *relay_context_get_secrets        (RelayContext         *self);
RelayStore            *relay_context_get_store          (RelayContext         *self);
RelayConversationList *relay_context_get_conversations  (RelayContext         *self);
RelayModelCatalog     *relay_context_get_catalog        (RelayContext         *self);
const char            *relay_context_get_base_url       (RelayContext         *self);
gboolean               relay_context_get_has_key        (RelayContext         *self);
gboolean               relay_context_get_loaded         (RelayContext         *self);
gboolean               relay_context_get_online         (RelayContext         *self);
RelayChatSession      *relay_context_get_session        (RelayContext         *self,
                                                         RelayConversation    *conversation);
gboolean               relay_context_get_busy           (RelayContext         *self);
void                   relay_context_stop_all           (RelayContext         *self);

void                   relay_context_load_async         (RelayContext         *self,
                                                         const char           *store_path,
                                                         GCancellable         *cancellable,
                                                         GAsyncReadyCallback   callback,
                                                         gpointer              user_data);
gboolean               relay_context_load_finish        (RelayContext         *self,
                                                         GAsyncResult         *result,
                                                         GError              **error);
void                   relay_context_set_key_async      (RelayContext         *self,
                                                         const char           *api_key,
                                                         const char           *base_url,
                                                         GCancellable         *cancellable,
                                                         GAsyncReadyCallback   callback,
                                                         gpointer              user_data);
gboolean               relay_context_set_key_finish     (RelayContext         *self,
                                                         GAsyncResult         *result,
                                                         GError              **error);
void                   relay_context_remove_key_async   (RelayContext         *self,
                                                         GCancellable         *cancellable,
                                                         GAsyncReadyCallback   callback,
                                                         gpointer              user_data);
gboolean               relay_context_remove_key_finish  (RelayContext         *self,
                                                         GAsyncResult         *result,
                                                         GError              **error);
void                   relay_context_refresh_models     (RelayContext         *self);
void                   relay_context_flush_async        (RelayContext         *self,
                                                         GCancellable         *cancellable,
                                                         GAsyncReadyCallback   callback,
                                                         gpointer              user_data);
gboolean               relay_context_flush_finish       (RelayContext         *self,
                                                         GAsyncResult         *result,
                                                         GError              **error);

G_END_DECLS
