/* relay-chat-settings-editor.h: a page of controls for a conversation's request settings.
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "relay-chat-settings.h"

G_BEGIN_DECLS

#define RELAY_TYPE_CHAT_SETTINGS_EDITOR (relay_chat_settings_editor_get_type ())

G_DECLARE_FINAL_TYPE (RelayChatSettingsEditor, relay_chat_settings_editor, RELAY, CHAT_SETTINGS_EDITOR, AdwPreferencesPage)

GtkWidget         *relay_chat_settings_editor_new          (void);
RelayChatSettings *relay_chat_settings_editor_get_settings (RelayChatSettingsEditor *self);
void               relay_chat_settings_editor_set_settings (RelayChatSettingsEditor *self,
                                                            RelayChatSettings       *settings);
void               relay_chat_settings_editor_reset        (RelayChatSettingsEditor *self);

G_END_DECLS
