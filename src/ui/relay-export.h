/* relay-export.h: saving a conversation to a file the user picks.
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "relay-conversation.h"

G_BEGIN_DECLS

typedef enum
{
  RELAY_EXPORT_FORMAT_MARKDOWN,
  RELAY_EXPORT_FORMAT_JSON,
} RelayExportFormat;

char     *relay_export_suggest_filename  (RelayConversation    *conversation,
                                          RelayExportFormat     format);
void      relay_export_to_file_async     (RelayConversation    *conversation,
                                          RelayExportFormat     format,
                                          GFile                *file,
                                          GCancellable         *cancellable,
                                          GAsyncReadyCallback   callback,
                                          gpointer              user_data);
gboolean  relay_export_to_file_finish    (GAsyncResult         *result,
                                          GError              **error);
void      relay_export_with_dialog       (GtkWidget            *parent,
                                          RelayConversation    *conversation,
                                          RelayExportFormat     format);

G_END_DECLS
