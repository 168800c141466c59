/* relay-message.h: one message of a conversation.
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

#include "relay-enums.h"
#include "relay-tool-call.h"
#include "relay-types.h"

G_BEGIN_DECLS

#define RELAY_TYPE_MESSAGE (relay_message_get_type ())

G_DECLARE_FINAL_TYPE (RelayMessage, relay_message, RELAY, MESSAGE, GObject)

RelayMessage      *relay_message_new                   (RelayRole          role,
                                                        const char        *content);

gint64             relay_message_get_id                (RelayMessage      *self);
void               relay_message_set_id                (RelayMessage      *self,
                                                        gint64             id);
RelayRole          relay_message_get_role              (RelayMessage      *self);

const char        *relay_message_get_content           (RelayMessage      *self);
gsize              relay_message_get_content_length    (RelayMessage      *self);
void               relay_message_set_content           (RelayMessage      *self,
                                                        const char        *content);
void               relay_message_append_content        (RelayMessage      *self,
                                                        const char        *text,
                                                        gssize             length);

RelayMessageState  relay_message_get_state             (RelayMessage      *self);
void               relay_message_set_state             (RelayMessage      *self,
                                                        RelayMessageState  state);
const char        *relay_message_get_error_message     (RelayMessage      *self);
void               relay_message_set_error_message     (RelayMessage      *self,
                                                        const char        *error_message);

const char        *relay_message_get_model             (RelayMessage      *self);
void               relay_message_set_model             (RelayMessage      *self,
                                                        const char        *model);
const char        *relay_message_get_routed_model      (RelayMessage      *self);
void               relay_message_set_routed_model      (RelayMessage      *self,
                                                        const char        *routed_model);
RelayFinishReason  relay_message_get_finish_reason     (RelayMessage      *self);
void               relay_message_set_finish_reason     (RelayMessage      *self,
                                                        RelayFinishReason  reason);

gint64             relay_message_get_prompt_tokens     (RelayMessage      *self);
gint64             relay_message_get_completion_tokens (RelayMessage      *self);
gint64             relay_message_get_total_tokens      (RelayMessage      *self);
void               relay_message_set_usage             (RelayMessage      *self,
                                                        gint64             prompt_tokens,
                                                        gint64             completion_tokens,
                                                        gint64             total_tokens);
double             relay_message_get_compute_points    (RelayMessage      *self);
void               relay_message_set_compute_points    (RelayMessage      *self,
                                                        double             compute_points);

gint64             relay_message_get_created_at        (RelayMessage      *self);
void               relay_message_set_created_at        (RelayMessage      *self,
                                                        gint64             created_at);
gint64             relay_message_get_first_token_usec  (RelayMessage      *self);
void               relay_message_set_first_token_usec  (RelayMessage      *self,
                                                        gint64             usec);
gint64             relay_message_get_duration_usec     (RelayMessage      *self);
void               relay_message_set_duration_usec     (RelayMessage      *self,
                                                        gint64             usec);

const char        *relay_message_get_tool_call_id      (RelayMessage      *self);
void               relay_message_set_tool_call_id      (RelayMessage      *self,
                                                        const char        *tool_call_id);
GPtrArray         *relay_message_get_tool_calls        (RelayMessage      *self);
RelayToolCall     *relay_message_ensure_tool_call      (RelayMessage      *self,
                                                        guint              index);
void               relay_message_tool_calls_changed    (RelayMessage      *self);

double             relay_message_get_cost              (RelayMessage      *self);
void               relay_message_set_cost              (RelayMessage      *self,
                                                        double             cost);
guint              relay_message_get_version_index     (RelayMessage      *self);
guint              relay_message_get_n_versions        (RelayMessage      *self);
void               relay_message_set_version           (RelayMessage      *self,
                                                        guint              version_index,
                                                        guint              n_versions);

G_END_DECLS
