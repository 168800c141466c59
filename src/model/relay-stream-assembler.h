/* relay-stream-assembler.h: folds a streamed chat completion into a RelayMessage.
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "relay-message.h"
#include "relay-sse-parser.h"

G_BEGIN_DECLS

#define RELAY_TYPE_STREAM_ASSEMBLER (relay_stream_assembler_get_type ())

G_DECLARE_FINAL_TYPE (RelayStreamAssembler, relay_stream_assembler, RELAY, STREAM_ASSEMBLER, GObject)

RelayStreamAssembler *relay_stream_assembler_new              (RelayMessage          *message);

RelayMessage         *relay_stream_assembler_get_message      (RelayStreamAssembler  *self);

/* The whole path: raw body bytes in, message updated. */
gboolean              relay_stream_assembler_feed_bytes       (RelayStreamAssembler  *self,
                                                               const char            *data,
                                                               gsize                  length,
                                                               GError               **error);
gboolean              relay_stream_assembler_finish           (RelayStreamAssembler  *self,
                                                               GError               **error);

/* Pieces of the path, for callers that run their own SSE parser or JSON. */
gboolean              relay_stream_assembler_feed_event       (RelayStreamAssembler  *self,
                                                               const RelaySseEvent   *event,
                                                               GError               **error);
gboolean              relay_stream_assembler_feed_data        (RelayStreamAssembler  *self,
                                                               const char            *data,
                                                               gsize                  length,
                                                               GError               **error);
gboolean              relay_stream_assembler_feed_chunk       (RelayStreamAssembler  *self,
                                                               JsonNode              *chunk,
                                                               GError               **error);

void                  relay_stream_assembler_set_start_time   (RelayStreamAssembler  *self,
                                                               gint64                 monotonic_usec);
gboolean              relay_stream_assembler_is_done          (RelayStreamAssembler  *self);
gboolean              relay_stream_assembler_has_received     (RelayStreamAssembler  *self);
const char           *relay_stream_assembler_get_completion_id (RelayStreamAssembler *self);
guint64               relay_stream_assembler_get_n_chunks     (RelayStreamAssembler  *self);
GPtrArray            *relay_stream_assembler_get_images       (RelayStreamAssembler  *self);

G_END_DECLS
