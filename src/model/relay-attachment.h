/* relay-attachment.h: a file given to the model with a user message, or an image it made.
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* The largest file Relay encodes into a request (OpenAI takes at most 32 MB per file). */
#define RELAY_ATTACHMENT_MAX_SIZE (32 * 1024 * 1024)

typedef enum
{
  RELAY_ATTACHMENT_KIND_IMAGE,  /* image/png, image/jpeg, image/webp, image/gif */
  RELAY_ATTACHMENT_KIND_PDF,    /* application/pdf */
} RelayAttachmentKind;

#define RELAY_TYPE_ATTACHMENT (relay_attachment_get_type ())

G_DECLARE_FINAL_TYPE (RelayAttachment, relay_attachment, RELAY, ATTACHMENT, GObject)

RelayAttachment     *relay_attachment_new_for_bytes       (GBytes               *bytes,
                                                           const char           *filename,
                                                           const char           *mime_type,
                                                           GError              **error);
RelayAttachment     *relay_attachment_new_for_file        (GFile                *file,
                                                           const char           *mime_type,
                                                           GError              **error);
RelayAttachment     *relay_attachment_new_for_url         (const char           *url,
                                                           const char           *filename,
                                                           const char           *mime_type,
                                                           GError              **error);
RelayAttachment     *relay_attachment_new_for_data_uri    (const char           *data_uri,
                                                           const char           *filename,
                                                           GError              **error);

const char          *relay_attachment_get_filename        (RelayAttachment      *self);
const char          *relay_attachment_get_mime_type       (RelayAttachment      *self);
RelayAttachmentKind  relay_attachment_get_kind            (RelayAttachment      *self);
const char          *relay_attachment_get_url             (RelayAttachment      *self);
GBytes              *relay_attachment_get_bytes           (RelayAttachment      *self);
GFile               *relay_attachment_get_file            (RelayAttachment      *self);

char                *relay_attachment_dup_request_url     (RelayAttachment      *self,
                                                           GCancellable         *cancellable,
                                                           GError              **error);
char                *relay_attachment_dup_data_uri        (RelayAttachment      *self,
                                                           GCancellable         *cancellable,
                                                           GError              **error);

gboolean             relay_attachment_kind_for_mime_type  (const char           *mime_type,
                                                           RelayAttachmentKind  *kind);
const char          *relay_attachment_sniff_mime_type     (const guint8         *data,
                                                           gsize                 length);
char                *relay_attachment_build_data_uri      (const char           *mime_type,
                                                           const guint8         *data,
                                                           gsize                 length);
GBytes              *relay_attachment_decode_data_uri     (const char           *data_uri,
                                                           gsize                 max_size,
                                                           char                **mime_type,
                                                           GError              **error);

G_END_DECLS
