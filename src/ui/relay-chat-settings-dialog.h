/* relay-chat-settings-dialog.h: one conversation's settings, in a dialog.
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "relay-conversation.h"

G_BEGIN_DECLS

#define RELAY_TYPE_CHAT_SETTINGS_DIALOG (relay_chat_settings_dialog_get_type ())

G_DECLARE_FINAL_TYPE (RelayChatSettingsDialog, relay_chat_settings_dialog, RELAY, CHAT_SETTINGS_DIALOG, AdwPreferencesDialog)

AdwDialog         *relay_chat_settings_dialog_new              (RelayConversation       *conversation);
RelayConversation *relay_chat_settings_dialog_get_conversation (RelayChatSettingsDialog *self);

G_END_DECLS
