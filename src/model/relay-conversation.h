/* relay-conversation.h: one conversation, a list of messages that saves itself.
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "relay-chat-settings.h"
#include "relay-message.h"
#include "relay-store.h"
#include "relay-types.h"

G_BEGIN_DECLS

#define RELAY_TYPE_CONVERSATION (relay_conversation_get_type ())

G_DECLARE_FINAL_TYPE (RelayConversation, relay_conversation, RELAY, CONVERSATION, GObject)

RelayConversation        *relay_conversation_new                (RelayStore           *store);

RelayStore               *relay_conversation_get_store          (RelayConversation    *self);
gint64                    relay_conversation_get_id             (RelayConversation    *self);
const char               *relay_conversation_get_title          (RelayConversation    *self);
void                      relay_conversation_set_title          (RelayConversation    *self,
                                                                 const char           *title);
gboolean                  relay_conversation_get_pinned         (RelayConversation    *self);
void                      relay_conversation_set_pinned         (RelayConversation    *self,
                                                                 gboolean              pinned);
const char               *relay_conversation_get_model          (RelayConversation    *self);
void                      relay_conversation_set_model          (RelayConversation    *self,
                                                                 const char           *model);
RelayChatSettings        *relay_conversation_get_settings       (RelayConversation    *self);
gint64                    relay_conversation_get_created_at     (RelayConversation    *self);
gint64                    relay_conversation_get_updated_at     (RelayConversation    *self);
gint64                    relay_conversation_get_prompt_tokens  (RelayConversation    *self);
gint64                    relay_conversation_get_completion_tokens (RelayConversation *self);
double                    relay_conversation_get_cost           (RelayConversation    *self);
gboolean                  relay_conversation_get_loaded         (RelayConversation    *self);

void                      relay_conversation_load_async         (RelayConversation    *self,
                                                                 GCancellable         *cancellable,
                                                                 GAsyncReadyCallback   callback,
                                                                 gpointer              user_data);
gboolean                  relay_conversation_load_finish        (RelayConversation    *self,
                                                                 GAsyncResult         *result,
                                                                 GError              **error);

void                      relay_conversation_append_async       (RelayConversation    *self,
                                                                 RelayMessage         *message,
                                                                 GCancellable         *cancellable,
                                                                 GAsyncReadyCallback   callback,
                                                                 gpointer              user_data);
gboolean                  relay_conversation_append_finish      (RelayConversation    *self,
                                                                 GAsyncResult         *result,
                                                                 GError              **error);
RelayMessage             *relay_conversation_begin_reply        (RelayConversation    *self,
                                                                 const char           *model);
RelayMessage             *relay_conversation_regenerate         (RelayConversation    *self,
                                                                 RelayMessage         *reply,
                                                                 const char           *model);
void                      relay_conversation_edit_async         (RelayConversation    *self,
                                                                 RelayMessage         *message,
                                                                 const char           *content,
                                                                 GCancellable         *cancellable,
                                                                 GAsyncReadyCallback   callback,
                                                                 gpointer              user_data);
RelayMessage             *relay_conversation_edit_finish        (RelayConversation    *self,
                                                                 GAsyncResult         *result,
                                                                 GError              **error);
void                      relay_conversation_select_version     (RelayConversation    *self,
                                                                 RelayMessage         *message,
                                                                 guint                 version_index);
void                      relay_conversation_delete_message     (RelayConversation    *self,
                                                                 RelayMessage         *message);

char                     *relay_conversation_export_markdown    (RelayConversation    *self);
char                     *relay_conversation_export_json        (RelayConversation    *self);

RelayConversationSection  relay_conversation_get_age_section    (RelayConversation    *self,
                                                                 GDateTime            *now);
RelayConversationSection  relay_conversation_section_for        (gboolean              pinned,
                                                                 gint64                updated_at,
                                                                 GDateTime            *now);
char                     *relay_conversation_make_title         (const char           *text);

G_END_DECLS
