/* relay-message-row.h: one message of the chat, as the conversation view shows it.
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "relay-chat-session.h"
#include "relay-message.h"

G_BEGIN_DECLS

#define RELAY_TYPE_MESSAGE_ROW (relay_message_row_get_type ())

G_DECLARE_FINAL_TYPE (RelayMessageRow, relay_message_row, RELAY, MESSAGE_ROW, GtkWidget)

GtkWidget        *relay_message_row_new           (void);

RelayMessage     *relay_message_row_get_message   (RelayMessageRow  *self);
void              relay_message_row_set_message   (RelayMessageRow  *self,
                                                   RelayMessage     *message);
RelayChatSession *relay_message_row_get_session   (RelayMessageRow  *self);
void              relay_message_row_set_session   (RelayMessageRow  *self,
                                                   RelayChatSession *session);
gboolean          relay_message_row_get_json_mode (RelayMessageRow  *self);
void              relay_message_row_set_json_mode (RelayMessageRow  *self,
                                                   gboolean          json_mode);
gboolean          relay_message_row_get_editing   (RelayMessageRow  *self);

char             *relay_message_row_format_caption (RelayMessage    *message);
char             *relay_message_row_format_usage   (gint64           prompt_tokens,
                                                    gint64           completion_tokens,
                                                    gint64           total_tokens,
                                                    double           cost);

G_END_DECLS
