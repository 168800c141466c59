/* relay-types.h: enums and forward declarations shared by the model layer.
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef enum
{
  RELAY_ROLE_SYSTEM,
  RELAY_ROLE_USER,
  RELAY_ROLE_ASSISTANT,
  RELAY_ROLE_TOOL,
} RelayRole;

/* Where a message is in its life. Only assistant messages pass through the
 * streaming states; user and system messages are born COMPLETE. */
typedef enum
{
  RELAY_MESSAGE_STATE_COMPLETE,     /* finished normally */
  RELAY_MESSAGE_STATE_PENDING,      /* request sent, no token yet */
  RELAY_MESSAGE_STATE_STREAMING,    /* tokens arriving */
  RELAY_MESSAGE_STATE_STOPPED,      /* the user stopped it; partial text kept */
  RELAY_MESSAGE_STATE_INTERRUPTED,  /* Relay quit or crashed while it streamed */
  RELAY_MESSAGE_STATE_FAILED,       /* the request failed; see error-message */
} RelayMessageState;

typedef enum
{
  RELAY_FINISH_REASON_NONE,
  RELAY_FINISH_REASON_STOP,
  RELAY_FINISH_REASON_LENGTH,
  RELAY_FINISH_REASON_CONTENT_FILTER,
  RELAY_FINISH_REASON_TOOL_CALLS,
  RELAY_FINISH_REASON_OTHER,
} RelayFinishReason;

/* The sidebar's groups of conversations, in the order they are shown. */
typedef enum
{
  RELAY_CONVERSATION_SECTION_PINNED,
  RELAY_CONVERSATION_SECTION_TODAY,
  RELAY_CONVERSATION_SECTION_YESTERDAY,
  RELAY_CONVERSATION_SECTION_PREVIOUS_7_DAYS,
  RELAY_CONVERSATION_SECTION_OLDER,
} RelayConversationSection;

const char        *relay_role_to_string           (RelayRole          role);
gboolean           relay_role_from_string         (const char        *str,
                                                   RelayRole         *role);
const char        *relay_finish_reason_to_string  (RelayFinishReason  reason);
RelayFinishReason  relay_finish_reason_from_string (const char       *str);
const char        *relay_message_state_to_string  (RelayMessageState  state);
gboolean           relay_message_state_from_string (const char       *str,
                                                   RelayMessageState *state);

G_END_DECLS
