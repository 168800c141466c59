/* relay-conversation-private.h: what the store and the list use of a conversation.
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "relay-conversation.h"

G_BEGIN_DECLS

typedef struct
{
  gint64      id;
  const char *title;
  const char *model;
  gint64      created_at;
  gint64      updated_at;
  gboolean    pinned;
  gint64      prompt_tokens;
  gint64      completion_tokens;
  double      cost;
} RelayConversationRow;

RelayConversation *_relay_conversation_new_from_row      (RelayStore                 *store,
                                                          const RelayConversationRow *row);
char              *_relay_conversation_dup_settings_json (RelayConversation          *self);
void               _relay_conversation_set_id            (RelayConversation          *self,
                                                          gint64                      id);

/* The list that shows a conversation is told when it should move or join the list,
 * through a plain pointer rather than signal handlers: a handler per conversation was
 * most of what listing a thousand of them at start-up cost. */
void               _relay_conversation_set_list          (RelayConversation          *self,
                                                          gpointer                    list);
gpointer           _relay_conversation_get_list          (RelayConversation          *self);
void               _relay_conversation_list_changed      (gpointer                    list,
                                                          RelayConversation          *conversation);

G_END_DECLS
