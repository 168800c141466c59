/* relay-tool-call.h: one function call requested by the model.
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define RELAY_TYPE_TOOL_CALL (relay_tool_call_get_type ())

/* A boxed, reference-counted record. While a stream is assembled, `arguments`
 * grows piece by piece; `index` is the position the stream gave it. */
typedef struct
{
  guint    index;
  char    *id;         /* "call_abc123"; NULL until the stream names it */
  char    *type;       /* "function" */
  char    *name;
  GString *arguments;  /* JSON text, as the model wrote it */
} RelayToolCall;

GType          relay_tool_call_get_type (void) G_GNUC_CONST;
RelayToolCall *relay_tool_call_new      (guint          index);
RelayToolCall *relay_tool_call_ref      (RelayToolCall *self);
void           relay_tool_call_unref    (RelayToolCall *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RelayToolCall, relay_tool_call_unref)

G_END_DECLS
