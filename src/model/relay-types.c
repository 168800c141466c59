/* relay-types.c
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "relay-types.h"

static const char *role_names[] = { "system", "user", "assistant", "tool" };
static const char *finish_names[] = { "", "stop", "length", "content_filter", "tool_calls", "other" };
static const char *state_names[] = { "complete", "pending", "streaming", "stopped", "interrupted", "failed" };

const char *
relay_role_to_string (RelayRole role)
{
  g_return_val_if_fail (role <= RELAY_ROLE_TOOL, "user");

  return role_names[role];
}

gboolean
relay_role_from_string (const char *str,
                        RelayRole  *role)
{
  for (guint i = 0; str != NULL && i < G_N_ELEMENTS (role_names); i++)
    {
      if (strcmp (str, role_names[i]) == 0)
        {
          *role = (RelayRole) i;
          return TRUE;
        }
    }
  return FALSE;
}

const char *
relay_finish_reason_to_string (RelayFinishReason reason)
{
  g_return_val_if_fail (reason <= RELAY_FINISH_REASON_OTHER, "");

  return finish_names[reason];
}

RelayFinishReason
relay_finish_reason_from_string (const char *str)
{
  if (str == NULL || *str == '\0')
    return RELAY_FINISH_REASON_NONE;
  for (guint i = 1; i < G_N_ELEMENTS (finish_names); i++)
    if (strcmp (str, finish_names[i]) == 0)
      return (RelayFinishReason) i;
  /* "function_call" is the legacy spelling of tool_calls. */
  if (strcmp (str, "function_call") == 0)
    return RELAY_FINISH_REASON_TOOL_CALLS;
  return RELAY_FINISH_REASON_OTHER;
}

const char *
relay_message_state_to_string (RelayMessageState state)
{
  g_return_val_if_fail (state <= RELAY_MESSAGE_STATE_FAILED, "complete");

  return state_names[state];
}

gboolean
relay_message_state_from_string (const char        *str,
                                 RelayMessageState *state)
{
  for (guint i = 0; str != NULL && i < G_N_ELEMENTS (state_names); i++)
    {
      if (strcmp (str, state_names[i]) == 0)
        {
          *state = (RelayMessageState) i;
          return TRUE;
        }
    }
  return FALSE;
}
