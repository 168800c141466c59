/* relay-client.h: talks to RouteLLM over HTTPS.
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "relay-chat-request.h"
#include "relay-message.h"
#include "relay-model-info.h"
#include "relay-secrets.h"

G_BEGIN_DECLS

#define RELAY_DEFAULT_BASE_URL "https://routellm.abacus.ai/v1"

#define RELAY_TYPE_CLIENT (relay_client_get_type ())

G_DECLARE_FINAL_TYPE (RelayClient, relay_client, RELAY, CLIENT, GObject)

RelayClient  *relay_client_new                  (void);

gboolean      relay_client_check_base_url       (const char           *url,
                                                 char                **normalized,
                                                 GError              **error);

const char   *relay_client_get_base_url         (RelayClient          *self);
gboolean      relay_client_set_base_url         (RelayClient          *self,
                                                 const char           *base_url,
                                                 GError              **error);
void          relay_client_set_api_key          (RelayClient          *self,
                                                 const char           *api_key);
RelaySecrets *relay_client_get_secrets          (RelayClient          *self);
void          relay_client_set_secrets          (RelayClient          *self,
                                                 RelaySecrets         *secrets);
guint         relay_client_get_max_attempts     (RelayClient          *self);
void          relay_client_set_max_attempts     (RelayClient          *self,
                                                 guint                 max_attempts);
double        relay_client_get_retry_delay      (RelayClient          *self);
void          relay_client_set_retry_delay      (RelayClient          *self,
                                                 double                seconds);
double        relay_client_get_max_retry_delay  (RelayClient          *self);
void          relay_client_set_max_retry_delay  (RelayClient          *self,
                                                 double                seconds);
double        relay_client_get_connect_timeout  (RelayClient          *self);
void          relay_client_set_connect_timeout  (RelayClient          *self,
                                                 double                seconds);
double        relay_client_get_idle_timeout     (RelayClient          *self);
void          relay_client_set_idle_timeout     (RelayClient          *self,
                                                 double                seconds);
double        relay_client_get_response_timeout (RelayClient          *self);
void          relay_client_set_response_timeout (RelayClient          *self,
                                                 double                seconds);
const char   *relay_client_get_user_agent       (RelayClient          *self);

void          relay_client_list_models_async    (RelayClient          *self,
                                                 GCancellable         *cancellable,
                                                 GAsyncReadyCallback   callback,
                                                 gpointer              user_data);
GPtrArray    *relay_client_list_models_finish   (RelayClient          *self,
                                                 GAsyncResult         *result,
                                                 GError              **error);

void          relay_client_complete_async       (RelayClient          *self,
                                                 RelayChatRequest     *request,
                                                 GCancellable         *cancellable,
                                                 GAsyncReadyCallback   callback,
                                                 gpointer              user_data);
RelayMessage *relay_client_complete_finish      (RelayClient          *self,
                                                 GAsyncResult         *result,
                                                 GError              **error);

void          relay_client_stream_async         (RelayClient          *self,
                                                 RelayChatRequest     *request,
                                                 RelayMessage         *message,
                                                 GCancellable         *cancellable,
                                                 GAsyncReadyCallback   callback,
                                                 gpointer              user_data);
gboolean      relay_client_stream_finish        (RelayClient          *self,
                                                 GAsyncResult         *result,
                                                 GError              **error);

G_END_DECLS
