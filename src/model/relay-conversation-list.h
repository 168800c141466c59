/* relay-conversation-list.h: every conversation, for the sidebar.
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "relay-conversation.h"
#include "relay-store.h"

G_BEGIN_DECLS

#define RELAY_TYPE_CONVERSATION_LIST (relay_conversation_list_get_type ())

G_DECLARE_FINAL_TYPE (RelayConversationList, relay_conversation_list, RELAY, CONVERSATION_LIST, GObject)

RelayConversationList *relay_conversation_list_new           (RelayStore             *store);
RelayStore            *relay_conversation_list_get_store     (RelayConversationList  *self);
gboolean               relay_conversation_list_get_loaded    (RelayConversationList  *self);
gboolean               relay_conversation_list_get_complete  (RelayConversationList  *self);

void                   relay_conversation_list_load_async    (RelayConversationList  *self,
                                                              GCancellable           *cancellable,
                                                              GAsyncReadyCallback     callback,
                                                              gpointer                user_data);
gboolean               relay_conversation_list_load_finish   (RelayConversationList  *self,
                                                              GAsyncResult           *result,
                                                              GError                **error);
void                   relay_conversation_list_load_all_async (RelayConversationList *self,
                                                              GCancellable           *cancellable,
                                                              GAsyncReadyCallback     callback,
                                                              gpointer                user_data);
gboolean               relay_conversation_list_load_all_finish (RelayConversationList *self,
                                                              GAsyncResult           *result,
                                                              GError                **error);

RelayConversation     *relay_conversation_list_create        (RelayConversationList  *self);
RelayConversation     *relay_conversation_list_lookup        (RelayConversationList  *self,
                                                              gint64                  id);
void                   relay_conversation_list_delete        (RelayConversationList  *self,
                                                              RelayConversation      *conversation);
void                   relay_conversation_list_undo_delete   (RelayConversationList  *self,
                                                              RelayConversation      *conversation);
void                   relay_conversation_list_purge_deleted (RelayConversationList  *self);

void                   relay_conversation_list_search_async  (RelayConversationList  *self,
                                                              const char             *query,
                                                              GCancellable           *cancellable,
                                                              GAsyncReadyCallback     callback,
                                                              gpointer                user_data);
GListModel            *relay_conversation_list_search_finish (RelayConversationList  *self,
                                                              GAsyncResult           *result,
                                                              GError                **error);

G_END_DECLS
