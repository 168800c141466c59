/* relay-attachment.c
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "relay-attachment"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "relay-attachment.h"
#include "relay-enums.h"
#include "relay-error.h"

/**
 * RelayAttachment:
 *
 * A file that goes to the model with a user message (an image or a PDF), or an image a
 * model generated. It is one of three things: bytes in memory, a local #GFile read when
 * the request is built, or a URL the server fetches itself (`https://`; `http://` only
 * on the loopback interface, where the test server lives).
 *
 * An attachment never changes after it is made, so it may be read from any thread:
 * relay_attachment_dup_data_uri() reads and encodes a file, which for a large PDF is
 * worth doing off the main thread.
 */
struct _RelayAttachment
{
  GObject              parent_instance;

  char                *filename;
  char                *mime_type;
  char                *url;
  GBytes              *bytes;
  GFile               *file;
  RelayAttachmentKind  kind;
};

enum {
  PROP_0,
  PROP_FILENAME,
  PROP_MIME_TYPE,
  PROP_KIND,
  PROP_URL,
  PROP_BYTES,
  PROP_FILE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (RelayAttachment, relay_attachment, G_TYPE_OBJECT)

static const struct {
  const char          *mime_type;
  const char          *extension;
  RelayAttachmentKind  kind;
} known_types[] = {
  { "image/png", "png", RELAY_ATTACHMENT_KIND_IMAGE },
  { "image/jpeg", "jpg", RELAY_ATTACHMENT_KIND_IMAGE },
  { "image/jpeg", "jpeg", RELAY_ATTACHMENT_KIND_IMAGE },
  { "image/webp", "webp", RELAY_ATTACHMENT_KIND_IMAGE },
  { "image/gif", "gif", RELAY_ATTACHMENT_KIND_IMAGE },
  { "application/pdf", "pdf", RELAY_ATTACHMENT_KIND_PDF },
};

static void
relay_attachment_finalize (GObject *object)
{
  RelayAttachment *self = RELAY_ATTACHMENT (object);

  g_free (self->filename);
  g_free (self->mime_type);
  g_free (self->url);
  g_clear_pointer (&self->bytes, g_bytes_unref);
  g_clear_object (&self->file);

  G_OBJECT_CLASS (relay_attachment_parent_class)->finalize (object);
}

static void
relay_attachment_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  RelayAttachment *self = RELAY_ATTACHMENT (object);

  switch (prop_id)
    {
    case PROP_FILENAME: g_value_set_string (value, self->filename); break;
    case PROP_MIME_TYPE: g_value_set_string (value, self->mime_type); break;
    case PROP_KIND: g_value_set_enum (value, self->kind); break;
    case PROP_URL: g_value_set_string (value, self->url); break;
    case PROP_BYTES: g_value_set_boxed (value, self->bytes); break;
    case PROP_FILE: g_value_set_object (value, self->file); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
relay_attachment_class_init (RelayAttachmentClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags ro = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  object_class->finalize = relay_attachment_finalize;
  object_class->get_property = relay_attachment_get_property;

  properties[PROP_FILENAME] = g_param_spec_string ("filename", NULL, NULL, NULL, ro);
  properties[PROP_MIME_TYPE] = g_param_spec_string ("mime-type", NULL, NULL, NULL, ro);
  properties[PROP_KIND] = g_param_spec_enum ("kind", NULL, NULL, RELAY_TYPE_ATTACHMENT_KIND,
                                             RELAY_ATTACHMENT_KIND_IMAGE, ro);
  properties[PROP_URL] = g_param_spec_string ("url", NULL, NULL, NULL, ro);
  properties[PROP_BYTES] = g_param_spec_boxed ("bytes", NULL, NULL, G_TYPE_BYTES, ro);
  properties[PROP_FILE] = g_param_spec_object ("file", NULL, NULL, G_TYPE_FILE, ro);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
relay_attachment_init (RelayAttachment *self)
{
}

/**
 * relay_attachment_kind_for_mime_type:
 * @mime_type: (nullable): a MIME type
 * @kind: (out) (optional): where to store its kind
 *
 * Returns: whether the API takes files of @mime_type
 */
gboolean
relay_attachment_kind_for_mime_type (const char          *mime_type,
                                     RelayAttachmentKind *kind)
{
  for (guint i = 0; mime_type != NULL && i < G_N_ELEMENTS (known_types); i++)
    {
      if (g_ascii_strcasecmp (mime_type, known_types[i].mime_type) == 0)
        {
          if (kind != NULL)
            *kind = known_types[i].kind;
          return TRUE;
        }
    }
  return FALSE;
}

static const char *
mime_type_for_name (const char *name)
{
  const char *dot;

  if (name == NULL || (dot = strrchr (name, '.')) == NULL)
    return NULL;
  for (guint i = 0; i < G_N_ELEMENTS (known_types); i++)
    if (g_ascii_strcasecmp (dot + 1, known_types[i].extension) == 0)
      return known_types[i].mime_type;
  return NULL;
}

/**
 * relay_attachment_sniff_mime_type:
 * @data: (array length=length): the start of a file
 * @length: how many bytes of it
 *
 * Recognises the file types the API takes by their first bytes.
 *
 * Returns: (nullable): a MIME type, or %NULL when the data is none of them
 */
const char *
relay_attachment_sniff_mime_type (const guint8 *data,
                                  gsize         length)
{
  if (data == NULL)
    return NULL;
  if (length >= 8 && memcmp (data, "\x89PNG\r\n\x1a\n", 8) == 0)
    return "image/png";
  if (length >= 3 && memcmp (data, "\xff\xd8\xff", 3) == 0)
    return "image/jpeg";
  if (length >= 6 && (memcmp (data, "GIF87a", 6) == 0 || memcmp (data, "GIF89a", 6) == 0))
    return "image/gif";
  if (length >= 12 && memcmp (data, "RIFF", 4) == 0 && memcmp (data + 8, "WEBP", 4) == 0)
    return "image/webp";
  if (length >= 5 && memcmp (data, "%PDF-", 5) == 0)
    return "application/pdf";
  return NULL;
}

static gboolean
check_supported (const char           *mime_type,
                 const char           *filename,
                 RelayAttachmentKind  *kind,
                 GError              **error)
{
  if (relay_attachment_kind_for_mime_type (mime_type, kind))
    return TRUE;
  if (filename != NULL)
    g_set_error (error, RELAY_ERROR, RELAY_ERROR_UNSUPPORTED,
                 _("“%s” is not an image (PNG, JPEG, WebP or GIF) or a PDF"), filename);
  else
    g_set_error_literal (error, RELAY_ERROR, RELAY_ERROR_UNSUPPORTED,
                         _("The file is not an image (PNG, JPEG, WebP or GIF) or a PDF"));
  return FALSE;
}

static gboolean
check_size (gsize        size,
            const char  *filename,
            GError     **error)
{
  if (size <= RELAY_ATTACHMENT_MAX_SIZE)
    return TRUE;
  if (filename != NULL)
    g_set_error (error, RELAY_ERROR, RELAY_ERROR_TOO_LARGE,
                 _("“%s” is larger than %d MB, the most a request can carry"),
                 filename, RELAY_ATTACHMENT_MAX_SIZE / (1024 * 1024));
  else
    g_set_error (error, RELAY_ERROR, RELAY_ERROR_TOO_LARGE,
                 _("The file is larger than %d MB, the most a request can carry"),
                 RELAY_ATTACHMENT_MAX_SIZE / (1024 * 1024));
  return FALSE;
}

/**
 * relay_attachment_new_for_bytes:
 * @bytes: the file's contents
 * @filename: (nullable): its name, as shown and as sent with PDFs
 * @mime_type: (nullable): its type; %NULL to recognise it from @bytes
 * @error: where to report an unsupported type or a file too large
 *
 * When @bytes start like a known type, that type wins over @mime_type: a PNG saved as
 * "photo.jpg" is sent as a PNG.
 *
 * Returns: (transfer full) (nullable): the attachment
 */
RelayAttachment *
relay_attachment_new_for_bytes (GBytes      *bytes,
                                const char  *filename,
                                const char  *mime_type,
                                GError     **error)
{
  RelayAttachment *self;
  RelayAttachmentKind kind;
  const char *sniffed;
  gsize size;
  const guint8 *data;

  g_return_val_if_fail (bytes != NULL, NULL);

  data = g_bytes_get_data (bytes, &size);
  if (!check_size (size, filename, error))
    return NULL;
  sniffed = relay_attachment_sniff_mime_type (data, size);
  if (sniffed != NULL)
    mime_type = sniffed;
  if (!check_supported (mime_type, filename, &kind, error))
    return NULL;

  self = g_object_new (RELAY_TYPE_ATTACHMENT, NULL);
  self->bytes = g_bytes_ref (bytes);
  self->filename = g_strdup (filename);
  self->mime_type = g_ascii_strdown (mime_type, -1);
  self->kind = kind;
  return self;
}

/**
 * relay_attachment_new_for_file:
 * @file: a local file
 * @mime_type: (nullable): its type; %NULL to go by its name
 * @error: where to report an unsupported type
 *
 * Nothing is read yet: relay_attachment_dup_data_uri() reads the file.
 *
 * Returns: (transfer full) (nullable): the attachment
 */
RelayAttachment *
relay_attachment_new_for_file (GFile       *file,
                               const char  *mime_type,
                               GError     **error)
{
  RelayAttachment *self;
  RelayAttachmentKind kind;
  g_autofree char *basename = NULL;

  g_return_val_if_fail (G_IS_FILE (file), NULL);

  basename = g_file_get_basename (file);
  if (mime_type == NULL)
    mime_type = mime_type_for_name (basename);
  if (!check_supported (mime_type, basename, &kind, error))
    return NULL;

  self = g_object_new (RELAY_TYPE_ATTACHMENT, NULL);
  self->file = g_object_ref (file);
  self->filename = g_steal_pointer (&basename);
  self->mime_type = g_ascii_strdown (mime_type, -1);
  self->kind = kind;
  return self;
}

static gboolean
url_is_acceptable (const char *url)
{
  g_autoptr(GUri) uri = NULL;
  const char *scheme;
  const char *host;

  uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL || (host = g_uri_get_host (uri)) == NULL || *host == '\0')
    return FALSE;
  scheme = g_uri_get_scheme (uri);
  if (g_ascii_strcasecmp (scheme, "https") == 0)
    return TRUE;
  /* Plain HTTP only where nobody can listen in: the local test server. */
  return g_ascii_strcasecmp (scheme, "http") == 0 &&
         (g_ascii_strcasecmp (host, "localhost") == 0 ||
          strcmp (host, "127.0.0.1") == 0 ||
          strcmp (host, "::1") == 0);
}

static char *
filename_for_url (const char *url)
{
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  const char *path;
  const char *slash;

  if (uri == NULL || (path = g_uri_get_path (uri)) == NULL)
    return NULL;
  slash = strrchr (path, '/');
  path = slash != NULL ? slash + 1 : path;
  if (*path == '\0')
    return NULL;
  return g_uri_unescape_string (path, "/");
}

/**
 * relay_attachment_new_for_url:
 * @url: an `https://` URL (or a `data:` URI, see relay_attachment_new_for_data_uri())
 * @filename: (nullable): the name to show; %NULL to take it from the URL
 * @mime_type: (nullable): the type; %NULL to go by the URL's extension
 * @error: where to report an unacceptable URL
 *
 * The server fetches the URL itself. Without a type, the attachment is an image of
 * unknown type unless the URL ends in ".pdf".
 *
 * Returns: (transfer full) (nullable): the attachment
 */
RelayAttachment *
relay_attachment_new_for_url (const char  *url,
                              const char  *filename,
                              const char  *mime_type,
                              GError     **error)
{
  RelayAttachment *self;
  g_autofree char *name = NULL;
  RelayAttachmentKind kind = RELAY_ATTACHMENT_KIND_IMAGE;

  g_return_val_if_fail (url != NULL, NULL);

  if (g_ascii_strncasecmp (url, "data:", 5) == 0)
    return relay_attachment_new_for_data_uri (url, filename, error);

  if (!url_is_acceptable (url))
    {
      g_set_error (error, RELAY_ERROR, RELAY_ERROR_INVALID_ARGUMENT,
                   _("Only https:// addresses can be sent to the server"));
      return NULL;
    }

  name = filename != NULL ? g_strdup (filename) : filename_for_url (url);
  if (mime_type == NULL)
    mime_type = mime_type_for_name (name);
  if (mime_type != NULL && !check_supported (mime_type, name, &kind, error))
    return NULL;

  self = g_object_new (RELAY_TYPE_ATTACHMENT, NULL);
  self->url = g_strdup (url);
  self->filename = g_steal_pointer (&name);
  self->mime_type = mime_type != NULL ? g_ascii_strdown (mime_type, -1) : NULL;
  self->kind = kind;
  return self;
}

/**
 * relay_attachment_new_for_data_uri:
 * @data_uri: a `data:<type>;base64,<data>` URI
 * @filename: (nullable): the name to show
 * @error: where to report a malformed URI or an unsupported type
 *
 * Returns: (transfer full) (nullable): an attachment holding the decoded bytes
 */
RelayAttachment *
relay_attachment_new_for_data_uri (const char  *data_uri,
                                   const char  *filename,
                                   GError     **error)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *mime_type = NULL;

  g_return_val_if_fail (data_uri != NULL, NULL);

  bytes = relay_attachment_decode_data_uri (data_uri, RELAY_ATTACHMENT_MAX_SIZE, &mime_type, error);
  if (bytes == NULL)
    return NULL;
  return relay_attachment_new_for_bytes (bytes, filename, mime_type, error);
}

const char *
relay_attachment_get_filename (RelayAttachment *self)
{
  g_return_val_if_fail (RELAY_IS_ATTACHMENT (self), NULL);
  return self->filename;
}

/**
 * relay_attachment_get_mime_type:
 *
 * Returns: (nullable): the MIME type; %NULL only for a URL whose type is unknown
 */
const char *
relay_attachment_get_mime_type (RelayAttachment *self)
{
  g_return_val_if_fail (RELAY_IS_ATTACHMENT (self), NULL);
  return self->mime_type;
}

RelayAttachmentKind
relay_attachment_get_kind (RelayAttachment *self)
{
  g_return_val_if_fail (RELAY_IS_ATTACHMENT (self), RELAY_ATTACHMENT_KIND_IMAGE);
  return self->kind;
}

/**
 * relay_attachment_get_url:
 *
 * Returns: (nullable): the URL the server fetches, or %NULL for a local file or bytes
 */
const char *
relay_attachment_get_url (RelayAttachment *self)
{
  g_return_val_if_fail (RELAY_IS_ATTACHMENT (self), NULL);
  return self->url;
}

/**
 * relay_attachment_get_bytes:
 *
 * Returns: (nullable) (transfer none): the contents, when they are in memory
 */
GBytes *
relay_attachment_get_bytes (RelayAttachment *self)
{
  g_return_val_if_fail (RELAY_IS_ATTACHMENT (self), NULL);
  return self->bytes;
}

/**
 * relay_attachment_get_file:
 *
 * Returns: (nullable) (transfer none): the local file, when the attachment is one
 */
GFile *
relay_attachment_get_file (RelayAttachment *self)
{
  g_return_val_if_fail (RELAY_IS_ATTACHMENT (self), NULL);
  return self->file;
}

/**
 * relay_attachment_build_data_uri:
 * @mime_type: the type to name in the URI
 * @data: (array length=length): the bytes
 * @length: how many
 *
 * Encodes into one allocation of the final size, which for a 30 MB PDF saves a copy
 * of 40 MB of base64.
 *
 * Returns: (transfer full): `data:<mime_type>;base64,<data>`
 */
char *
relay_attachment_build_data_uri (const char   *mime_type,
                                 const guint8 *data,
                                 gsize         length)
{
  gsize prefix_len;
  gsize out;
  char *uri;
  int state = 0;
  int save = 0;

  g_return_val_if_fail (mime_type != NULL, NULL);
  g_return_val_if_fail (data != NULL || length == 0, NULL);

  prefix_len = strlen ("data:") + strlen (mime_type) + strlen (";base64,");
  /* g_base64_encode_step() needs (len / 3 + 1) * 4 bytes, _close() up to 4 more. */
  uri = g_malloc (prefix_len + (length / 3 + 1) * 4 + 4 + 1);
  out = g_snprintf (uri, prefix_len + 1, "data:%s;base64,", mime_type);
  if (length > 0)
    out += g_base64_encode_step (data, length, FALSE, uri + out, &state, &save);
  out += g_base64_encode_close (FALSE, uri + out, &state, &save);
  uri[out] = '\0';
  return uri;
}

static GBytes *
load_file (RelayAttachment  *self,
           GCancellable     *cancellable,
           GError          **error)
{
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(GError) local_error = NULL;
  char *contents = NULL;
  gsize length = 0;

  /* Refuse a huge file before reading any of it. */
  info = g_file_query_info (self->file, G_FILE_ATTRIBUTE_STANDARD_SIZE, G_FILE_QUERY_INFO_NONE,
                            cancellable, &local_error);
  if (info == NULL)
    goto failed;
  if (!check_size (g_file_info_get_size (info), self->filename, error))
    return NULL;
  if (!g_file_load_contents (self->file, cancellable, &contents, &length, NULL, &local_error))
    goto failed;
  if (!check_size (length, self->filename, error))
    {
      g_free (contents);
      return NULL;
    }
  return g_bytes_new_take (contents, length);

failed:
  if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_propagate_error (error, g_steal_pointer (&local_error));
  else
    g_set_error (error, G_IO_ERROR, local_error->code,
                 _("Could not read “%s”: %s"), self->filename, local_error->message);
  return NULL;
}

/**
 * relay_attachment_dup_data_uri:
 * @cancellable: (nullable): a #GCancellable
 * @error: where to report a file that cannot be read
 *
 * Encodes the contents as a `data:` URI, reading the file first when the attachment is
 * one. This blocks: call it in a thread for files.
 *
 * Returns: (transfer full) (nullable): the URI
 */
char *
relay_attachment_dup_data_uri (RelayAttachment  *self,
                               GCancellable     *cancellable,
                               GError          **error)
{
  g_autoptr(GBytes) loaded = NULL;
  GBytes *bytes;
  const guint8 *data;
  const char *mime_type;
  gsize length;

  g_return_val_if_fail (RELAY_IS_ATTACHMENT (self), NULL);

  if (self->bytes != NULL)
    bytes = self->bytes;
  else if (self->file != NULL)
    {
      if (!(bytes = loaded = load_file (self, cancellable, error)))
        return NULL;
    }
  else
    {
      g_set_error (error, RELAY_ERROR, RELAY_ERROR_INVALID_ARGUMENT,
                   _("“%s” is on the web, not on this computer"), self->filename);
      return NULL;
    }

  data = g_bytes_get_data (bytes, &length);
  /* The file may have changed since it was chosen; say what it is now. */
  mime_type = relay_attachment_sniff_mime_type (data, length);
  if (mime_type == NULL)
    mime_type = self->mime_type;
  return relay_attachment_build_data_uri (mime_type, data, length);
}

/**
 * relay_attachment_dup_request_url:
 *
 * What the request names the attachment by: its URL, or its contents as a `data:` URI.
 * Blocks when the attachment is a local file.
 *
 * Returns: (transfer full) (nullable): the URL
 */
char *
relay_attachment_dup_request_url (RelayAttachment  *self,
                                  GCancellable     *cancellable,
                                  GError          **error)
{
  g_return_val_if_fail (RELAY_IS_ATTACHMENT (self), NULL);

  if (self->url != NULL)
    return g_strdup (self->url);
  return relay_attachment_dup_data_uri (self, cancellable, error);
}

static inline gboolean
is_base64_char (guchar c)
{
  return g_ascii_isalnum (c) || c == '+' || c == '/';
}

/**
 * relay_attachment_decode_data_uri:
 * @data_uri: a `data:<type>;base64,<data>` URI
 * @max_size: the most bytes to decode
 * @mime_type: (out) (optional) (transfer full): the type it names, in lower case
 * @error: where to report a malformed URI or one too large
 *
 * Only base64 URIs are accepted: nothing else carries binary files.
 *
 * Returns: (transfer full) (nullable): the decoded bytes
 */
GBytes *
relay_attachment_decode_data_uri (const char  *data_uri,
                                  gsize        max_size,
                                  char       **mime_type,
                                  GError     **error)
{
  const char *comma;
  const char *payload;
  const char *header;
  gsize payload_len;
  gsize header_len;
  gsize pad = 0;
  guchar *decoded;
  gsize decoded_len;
  int state = 0;
  guint save = 0;

  g_return_val_if_fail (data_uri != NULL, NULL);

  if (g_ascii_strncasecmp (data_uri, "data:", 5) != 0 || (comma = strchr (data_uri, ',')) == NULL)
    goto malformed;
  header = data_uri + 5;
  header_len = comma - header;
  if (header_len < 7 || g_ascii_strncasecmp (comma - 7, ";base64", 7) != 0)
    goto malformed;

  payload = comma + 1;
  payload_len = strlen (payload);
  if (payload_len % 4 != 0)
    goto malformed;
  if (payload_len / 4 * 3 > max_size + 2)
    {
      g_set_error (error, RELAY_ERROR, RELAY_ERROR_TOO_LARGE,
                   _("The embedded file is larger than %" G_GSIZE_FORMAT " MB"),
                   max_size / (1024 * 1024));
      return NULL;
    }
  /* g_base64_decode() skips what is not base64; a corrupt URI must fail instead. */
  while (pad < 2 && pad < payload_len && payload[payload_len - 1 - pad] == '=')
    pad++;
  for (gsize i = 0; i < payload_len - pad; i++)
    if (!is_base64_char (payload[i]))
      goto malformed;

  decoded = g_malloc (payload_len / 4 * 3 + 3);
  decoded_len = g_base64_decode_step (payload, payload_len, decoded, &state, &save);
  if (decoded_len > max_size)
    {
      g_free (decoded);
      g_set_error (error, RELAY_ERROR, RELAY_ERROR_TOO_LARGE,
                   _("The embedded file is larger than %" G_GSIZE_FORMAT " MB"),
                   max_size / (1024 * 1024));
      return NULL;
    }

  if (mime_type != NULL)
    {
      const char *semicolon = memchr (header, ';', header_len);

      *mime_type = g_ascii_strdown (header, semicolon - header);
      g_strstrip (*mime_type);
    }
  return g_bytes_new_take (decoded, decoded_len);

malformed:
  g_set_error_literal (error, RELAY_ERROR, RELAY_ERROR_INVALID_RESPONSE,
                       _("The embedded file is not a valid base64 data: URI"));
  return NULL;
}
