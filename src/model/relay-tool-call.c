/* relay-tool-call.c
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "relay-tool-call.h"

G_DEFINE_BOXED_TYPE (RelayToolCall, relay_tool_call, relay_tool_call_ref, relay_tool_call_unref)

static void
relay_tool_call_finalize (RelayToolCall *self)
{
  g_free (self->id);
  g_free (self->type);
  g_free (self->name);
  g_string_free (self->arguments, TRUE);
}

RelayToolCall *
relay_tool_call_new (guint index)
{
  RelayToolCall *self = g_atomic_rc_box_new0 (RelayToolCall);

  self->index = index;
  self->arguments = g_string_new (NULL);
  return self;
}

RelayToolCall *
relay_tool_call_ref (RelayToolCall *self)
{
  return g_atomic_rc_box_acquire (self);
}

void
relay_tool_call_unref (RelayToolCall *self)
{
  g_atomic_rc_box_release_full (self, (GDestroyNotify) relay_tool_call_finalize);
}
