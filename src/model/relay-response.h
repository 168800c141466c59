/* relay-response.h: non-streamed replies, generated images, error bodies and Retry-After.
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "relay-attachment.h"
#include "relay-message.h"

G_BEGIN_DECLS

/* The largest image Relay decodes, from a data: URI or a download. */
#define RELAY_IMAGE_MAX_SIZE   (20 * 1024 * 1024)
/* The most pixels it lets an image have (a small file may claim a huge canvas). */
#define RELAY_IMAGE_MAX_PIXELS (64 * 1024 * 1024)

RelayMessage *relay_response_parse_completion      (const char    *body,
                                                    gsize          length,
                                                    GPtrArray    **images,
                                                    GError       **error);
RelayMessage *relay_response_parse_completion_node (JsonNode      *root,
                                                    GPtrArray    **images,
                                                    GError       **error);

gboolean      relay_response_parse_images          (JsonObject    *message,
                                                    GPtrArray     *images,
                                                    GError       **error);

gboolean      relay_response_check_image           (GBytes        *bytes,
                                                    gsize          max_size,
                                                    char         **mime_type,
                                                    int           *width,
                                                    int           *height,
                                                    GError       **error);

GError       *relay_response_parse_error           (guint          status,
                                                    const char    *content_type,
                                                    const char    *body,
                                                    gsize          length);
GError       *relay_response_error_from_json       (JsonNode      *error_node,
                                                    guint          status);
gboolean      relay_response_parse_retry_after     (const char    *value,
                                                    GDateTime     *now,
                                                    gint64        *delay_usec);

G_END_DECLS
