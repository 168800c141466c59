/* relay-conversation-view.h: the messages of a conversation, following the latest.
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "relay-chat-session.h"
#include "relay-conversation.h"

G_BEGIN_DECLS

#define RELAY_TYPE_CONVERSATION_VIEW (relay_conversation_view_get_type ())

G_DECLARE_FINAL_TYPE (RelayConversationView, relay_conversation_view,
                      RELAY, CONVERSATION_VIEW, GtkWidget)

GtkWidget         *relay_conversation_view_new                (void);

RelayConversation *relay_conversation_view_get_conversation   (RelayConversationView *self);
void               relay_conversation_view_set_conversation   (RelayConversationView *self,
                                                               RelayConversation     *conversation);
RelayChatSession  *relay_conversation_view_get_session        (RelayConversationView *self);
void               relay_conversation_view_set_session        (RelayConversationView *self,
                                                               RelayChatSession      *session);
gboolean           relay_conversation_view_get_json_mode      (RelayConversationView *self);
gboolean           relay_conversation_view_get_follows_latest (RelayConversationView *self);
void               relay_conversation_view_scroll_to_latest   (RelayConversationView *self);

G_END_DECLS
