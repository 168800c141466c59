/* relay-client-private.h: what the files of RelayClient share.
 *
 * relay-client.c holds the object and its settings, relay-client-call.c the requests
 * (attempts, retries, timeouts, reading), relay-client-url.c the base URL check.
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <libsoup/soup.h>

#include "relay-client.h"

G_BEGIN_DECLS

struct _RelayClient
{
  GObject       parent_instance;

  SoupSession  *session;
  char         *base_url;        /* normalized, or as given when unusable */
  GError       *base_url_error;  /* why base_url cannot be used, or NULL */
  char         *api_key;         /* given directly */
  char         *cached_key;      /* looked up in secrets for base_url */
  RelaySecrets *secrets;
  char         *user_agent;
  guint         max_attempts;
  double        retry_delay;
  double        max_retry_delay;
  double        connect_timeout;
  double        idle_timeout;
  double        response_timeout;
};

void      _relay_client_get_key_async        (RelayClient         *self,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
char     *_relay_client_get_key_finish       (RelayClient         *self,
                                              GAsyncResult        *result,
                                              GError             **error);
gboolean  _relay_client_check_usable         (RelayClient         *self,
                                              GError             **error);
void      _relay_client_emit_retry_scheduled (RelayClient         *self,
                                              RelayMessage        *message,
                                              guint                attempt,
                                              double               delay,
                                              const GError        *error);
gboolean  _relay_client_url_is_loopback      (const char          *url);
GBytes   *_relay_client_list_models_get_body (GAsyncResult        *result);

G_END_DECLS
