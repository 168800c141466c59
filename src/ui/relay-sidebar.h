/* relay-sidebar.h: the list of conversations in the sidebar.
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "relay-conversation-list.h"

G_BEGIN_DECLS

#define RELAY_TYPE_SIDEBAR (relay_sidebar_get_type ())

G_DECLARE_FINAL_TYPE (RelaySidebar, relay_sidebar, RELAY, SIDEBAR, GtkWidget)

GtkWidget             *relay_sidebar_new                   (void);
RelayConversationList *relay_sidebar_get_conversations     (RelaySidebar          *self);
void                   relay_sidebar_set_conversations     (RelaySidebar          *self,
                                                            RelayConversationList *conversations);
RelayConversation     *relay_sidebar_get_selected          (RelaySidebar          *self);
void                   relay_sidebar_set_selected          (RelaySidebar          *self,
                                                            RelayConversation     *conversation);
const char            *relay_sidebar_get_search_text       (RelaySidebar          *self);
void                   relay_sidebar_set_search_text       (RelaySidebar          *self,
                                                            const char            *search_text);
void                   relay_sidebar_rename_conversation   (RelaySidebar          *self,
                                                            RelayConversation     *conversation);
void                   relay_sidebar_delete_conversation   (RelaySidebar          *self,
                                                            RelayConversation     *conversation);

G_END_DECLS
