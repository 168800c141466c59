/* relay-chat-session.h: sends one conversation's messages and streams the replies.
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "relay-client.h"
#include "relay-conversation.h"
#include "relay-model-catalog.h"

G_BEGIN_DECLS

#define RELAY_TYPE_CHAT_SESSION (relay_chat_session_get_type ())

G_DECLARE_FINAL_TYPE (RelayChatSession, relay_chat_session, RELAY, CHAT_SESSION, GObject)

RelayChatSession  *relay_chat_session_new                 (RelayConversation  *conversation,
                                                           RelayClient        *client,
                                                           RelayModelCatalog  *catalog);
RelayConversation *relay_chat_session_get_conversation    (RelayChatSession   *self);
gboolean           relay_chat_session_get_busy            (RelayChatSession   *self);
RelayMessage      *relay_chat_session_get_reply           (RelayChatSession   *self);
guint              relay_chat_session_get_retry_attempt   (RelayChatSession   *self);
gint64             relay_chat_session_get_retry_at        (RelayChatSession   *self);
const GError      *relay_chat_session_get_error           (RelayChatSession   *self);

void               relay_chat_session_send_async          (RelayChatSession   *self,
                                                           const char         *text,
                                                           GCancellable       *cancellable,
                                                           GAsyncReadyCallback callback,
                                                           gpointer            user_data);
gboolean           relay_chat_session_send_finish         (RelayChatSession   *self,
                                                           GAsyncResult       *result,
                                                           GError            **error);
void               relay_chat_session_stop                (RelayChatSession   *self);
gboolean           relay_chat_session_regenerate          (RelayChatSession   *self,
                                                           RelayMessage       *reply,
                                                           GError            **error);
void               relay_chat_session_edit_async          (RelayChatSession   *self,
                                                           RelayMessage       *message,
                                                           const char         *text,
                                                           GCancellable       *cancellable,
                                                           GAsyncReadyCallback callback,
                                                           gpointer            user_data);
gboolean           relay_chat_session_edit_finish         (RelayChatSession   *self,
                                                           GAsyncResult       *result,
                                                           GError            **error);

RelayChatRequest  *relay_chat_session_build_request       (RelayChatSession   *self,
                                                           RelayMessage       *reply);
double             relay_chat_session_compute_cost        (RelayModelCatalog  *catalog,
                                                           RelayMessage       *reply);

G_END_DECLS
