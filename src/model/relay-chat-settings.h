/* relay-chat-settings.h: one conversation's request settings.
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define RELAY_TYPE_CHAT_SETTINGS (relay_chat_settings_get_type ())

G_DECLARE_FINAL_TYPE (RelayChatSettings, relay_chat_settings, RELAY, CHAT_SETTINGS, GObject)

RelayChatSettings  *relay_chat_settings_new                   (void);
RelayChatSettings  *relay_chat_settings_new_from_json         (const char         *json,
                                                               GError            **error);
char               *relay_chat_settings_to_json               (RelayChatSettings  *self);
gboolean            relay_chat_settings_is_default            (RelayChatSettings  *self);
void                relay_chat_settings_assign                (RelayChatSettings  *self,
                                                               RelayChatSettings  *other);

const char         *relay_chat_settings_get_system_prompt     (RelayChatSettings  *self);
void                relay_chat_settings_set_system_prompt     (RelayChatSettings  *self,
                                                               const char         *system_prompt);
double              relay_chat_settings_get_temperature       (RelayChatSettings  *self);
void                relay_chat_settings_set_temperature       (RelayChatSettings  *self,
                                                               double              temperature);
double              relay_chat_settings_get_top_p             (RelayChatSettings  *self);
void                relay_chat_settings_set_top_p             (RelayChatSettings  *self,
                                                               double              top_p);
gint64              relay_chat_settings_get_max_tokens        (RelayChatSettings  *self);
void                relay_chat_settings_set_max_tokens        (RelayChatSettings  *self,
                                                               gint64              max_tokens);
const char * const *relay_chat_settings_get_stop              (RelayChatSettings  *self);
void                relay_chat_settings_set_stop              (RelayChatSettings  *self,
                                                               const char * const *stop);
double              relay_chat_settings_get_presence_penalty  (RelayChatSettings  *self);
void                relay_chat_settings_set_presence_penalty  (RelayChatSettings  *self,
                                                               double              penalty);
double              relay_chat_settings_get_frequency_penalty (RelayChatSettings  *self);
void                relay_chat_settings_set_frequency_penalty (RelayChatSettings  *self,
                                                               double              penalty);
gboolean            relay_chat_settings_get_json_mode         (RelayChatSettings  *self);
void                relay_chat_settings_set_json_mode         (RelayChatSettings  *self,
                                                               gboolean            json_mode);

G_END_DECLS
