/* relay-sse-parser.h: a push parser for text/event-stream (WHATWG HTML, "Server-sent events").
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* The longest line and the largest event the parser keeps before it gives up. */
#define RELAY_SSE_DEFAULT_MAX_SIZE (8 * 1024 * 1024)

/* One dispatched event. Every pointer is borrowed for the duration of the callback. */
typedef struct
{
  const char *event;     /* the event type: "message" unless an event: field named it */
  const char *data;      /* the data lines joined with "\n", NUL-terminated */
  gsize       data_len;
  const char *id;        /* the last event ID so far, "" when none */
} RelaySseEvent;

/* Return FALSE (with @error set) to stop: relay_sse_parser_feed() then returns that error. */
typedef gboolean (*RelaySseEventFunc) (const RelaySseEvent  *event,
                                       gpointer              user_data,
                                       GError              **error);

typedef struct _RelaySseParser RelaySseParser;

#define RELAY_TYPE_SSE_PARSER (relay_sse_parser_get_type ())

GType           relay_sse_parser_get_type          (void) G_GNUC_CONST;
RelaySseParser *relay_sse_parser_new               (RelaySseEventFunc   func,
                                                    gpointer            user_data,
                                                    GDestroyNotify      destroy);
RelaySseParser *relay_sse_parser_ref               (RelaySseParser     *self);
void            relay_sse_parser_unref             (RelaySseParser     *self);

void            relay_sse_parser_set_max_size      (RelaySseParser     *self,
                                                    gsize               max_size);
gboolean        relay_sse_parser_feed              (RelaySseParser     *self,
                                                    const char         *data,
                                                    gsize               length,
                                                    GError            **error);
gboolean        relay_sse_parser_finish            (RelaySseParser     *self,
                                                    GError            **error);
void            relay_sse_parser_reset             (RelaySseParser     *self);

const char     *relay_sse_parser_get_last_event_id (RelaySseParser     *self);
gint64          relay_sse_parser_get_retry         (RelaySseParser     *self);
gboolean        relay_sse_parser_has_pending       (RelaySseParser     *self);
guint64         relay_sse_parser_get_n_events      (RelaySseParser     *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RelaySseParser, relay_sse_parser_unref)

G_END_DECLS
