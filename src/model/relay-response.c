/* relay-response.c
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "relay-response"

#include "config.h"

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <glib/gi18n-lib.h>
#include <libsoup/soup.h>
#include <string.h>

#include "relay-error.h"
#include "relay-json-private.h"
#include "relay-response-private.h"

/* Non-streamed replies (`chat.completion`), the images in them, error bodies and
 * Retry-After. Everything here reads untrusted bytes: every JSON node is checked before
 * it is read, sizes are capped, and whatever is unexpected becomes a #GError. */

/* The longest server message Relay repeats to the user. */
#define MAX_MESSAGE_LENGTH 1000

/* Images ------------------------------------------------------------------------------- */

typedef struct
{
  int      width;
  int      height;
  gboolean too_large;
} CheckState;

static void
size_prepared_cb (GdkPixbufLoader *loader,
                  int              width,
                  int              height,
                  CheckState      *state)
{
  state->width = width;
  state->height = height;
  if (width <= 0 || height <= 0 || (gint64) width * height > RELAY_IMAGE_MAX_PIXELS)
    {
      state->too_large = TRUE;
      /* A size of zero makes the loaders give up before they allocate the canvas. */
      gdk_pixbuf_loader_set_size (loader, 0, 0);
    }
}

/**
 * relay_response_check_image:
 * @bytes: what claims to be an image
 * @max_size: the most bytes to accept, e.g. %RELAY_IMAGE_MAX_SIZE
 * @mime_type: (out) (optional) (transfer full): its type, as gdk-pixbuf recognised it
 * @width: (out) (optional): its width
 * @height: (out) (optional): its height
 * @error: where to say why it is not acceptable
 *
 * Decodes @bytes with gdk-pixbuf to make sure they are an image before anything shows
 * or stores them. Refuses more than @max_size bytes and more than
 * %RELAY_IMAGE_MAX_PIXELS pixels (checked from the header, before the pixels are
 * decoded). Blocks for as long as the decoding takes: call it in a thread for large
 * images.
 *
 * Returns: whether @bytes are a whole, readable image
 */
gboolean
relay_response_check_image (GBytes      *bytes,
                            gsize        max_size,
                            char       **mime_type,
                            int         *width,
                            int         *height,
                            GError     **error)
{
  g_autoptr(GdkPixbufLoader) loader = NULL;
  g_autoptr(GError) local_error = NULL;
  CheckState state = { 0, 0, FALSE };
  const guint8 *data;
  gsize size;
  gsize offset = 0;
  GdkPixbufFormat *format;
  g_auto(GStrv) mime_types = NULL;

  g_return_val_if_fail (bytes != NULL, FALSE);

  data = g_bytes_get_data (bytes, &size);
  if (size == 0)
    {
      g_set_error_literal (error, RELAY_ERROR, RELAY_ERROR_INVALID_RESPONSE, _("The image is empty"));
      return FALSE;
    }
  if (size > max_size)
    {
      g_set_error (error, RELAY_ERROR, RELAY_ERROR_TOO_LARGE,
                   _("The image is larger than %" G_GSIZE_FORMAT " MB"), max_size / (1024 * 1024));
      return FALSE;
    }

  loader = gdk_pixbuf_loader_new ();
  g_signal_connect (loader, "size-prepared", G_CALLBACK (size_prepared_cb), &state);

  /* Small writes, so that a header claiming a huge canvas stops the load early. */
  while (offset < size && !state.too_large)
    {
      gsize n = MIN (size - offset, 64 * 1024);

      if (!gdk_pixbuf_loader_write (loader, data + offset, n, &local_error))
        break;
      offset += n;
    }
  if (!gdk_pixbuf_loader_close (loader, local_error == NULL ? &local_error : NULL) &&
      local_error == NULL && !state.too_large)
    g_set_error_literal (&local_error, GDK_PIXBUF_ERROR, GDK_PIXBUF_ERROR_CORRUPT_IMAGE, "");

  if (state.too_large)
    {
      g_set_error (error, RELAY_ERROR, RELAY_ERROR_TOO_LARGE,
                   _("The image is too large (%d × %d pixels)"), state.width, state.height);
      return FALSE;
    }
  if (local_error != NULL || gdk_pixbuf_loader_get_pixbuf (loader) == NULL)
    {
      g_set_error (error, RELAY_ERROR, RELAY_ERROR_INVALID_RESPONSE,
                   _("The image cannot be read: %s"),
                   local_error != NULL && *local_error->message ? local_error->message
                                                                : _("it is damaged or of an unknown kind"));
      return FALSE;
    }

  format = gdk_pixbuf_loader_get_format (loader);
  mime_types = format != NULL ? gdk_pixbuf_format_get_mime_types (format) : NULL;
  if (mime_type != NULL)
    *mime_type = g_strdup (mime_types != NULL && mime_types[0] != NULL ? mime_types[0]
                                                                       : "application/octet-stream");
  if (width != NULL)
    *width = gdk_pixbuf_get_width (gdk_pixbuf_loader_get_pixbuf (loader));
  if (height != NULL)
    *height = gdk_pixbuf_get_height (gdk_pixbuf_loader_get_pixbuf (loader));
  return TRUE;
}

static RelayAttachment *
image_from_url (const char  *url,
                guint        number,
                GError     **error)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *claimed = NULL;
  g_autofree char *mime_type = NULL;
  g_autofree char *filename = NULL;
  RelayAttachmentKind kind;

  if (g_ascii_strncasecmp (url, "data:", 5) != 0)
    return relay_attachment_new_for_url (url, NULL, NULL, error);

  bytes = relay_attachment_decode_data_uri (url, RELAY_IMAGE_MAX_SIZE, &claimed, error);
  if (bytes == NULL)
    return NULL;
  if (!relay_response_check_image (bytes, RELAY_IMAGE_MAX_SIZE, &mime_type, NULL, NULL, error))
    return NULL;
  if (!relay_attachment_kind_for_mime_type (mime_type, &kind) || kind != RELAY_ATTACHMENT_KIND_IMAGE)
    {
      g_set_error (error, RELAY_ERROR, RELAY_ERROR_UNSUPPORTED,
                   _("The generated image is of a kind Relay does not keep (%s)"), mime_type);
      return NULL;
    }
  filename = g_strdup_printf ("image-%u.%s", number,
                              strchr (mime_type, '/') + 1);
  return relay_attachment_new_for_bytes (bytes, filename, mime_type, error);
}

/* One entry of message.images[] or message.content[]: {"type":"image_url",
 * "image_url":{"url":...}} or, as some servers write it, "image_url": "...". */
static const char *
image_entry_url (JsonNode *node)
{
  JsonObject *object = _relay_json_node_object (node);
  JsonObject *image_url;
  const char *type;

  if (object == NULL)
    return NULL;
  type = _relay_json_get_string (object, "type");
  if (type != NULL && strcmp (type, "image_url") != 0)
    return NULL;
  if ((image_url = _relay_json_get_object (object, "image_url")) != NULL)
    return _relay_json_get_string (image_url, "url");
  return _relay_json_get_string (object, "image_url");
}

static gboolean
collect_images (JsonArray  *array,
                GPtrArray  *images,
                GError    **error)
{
  guint n = array != NULL ? json_array_get_length (array) : 0;
  gboolean ok = TRUE;

  for (guint i = 0; i < n; i++)
    {
      const char *url = image_entry_url (json_array_get_element (array, i));
      g_autoptr(GError) local_error = NULL;
      RelayAttachment *image;

      if (url == NULL)
        continue;
      if ((image = image_from_url (url, images->len + 1, &local_error)) != NULL)
        {
          g_ptr_array_add (images, image);
          continue;
        }
      /* Keep the good images and report the first bad one. */
      if (ok)
        g_propagate_prefixed_error (error, g_steal_pointer (&local_error),
                                    _("Generated image %u: "), i + 1);
      ok = FALSE;
    }
  return ok;
}

/**
 * relay_response_parse_images:
 * @message: a reply's `message` object (or a stream chunk's `delta`)
 * @images: (element-type RelayAttachment): where to add the images
 * @error: where to report the first image that could not be used
 *
 * Collects generated images from both places servers put them: `message.images[]`, as
 * the reference documents, and `image_url` parts of `message.content[]`, where its own
 * examples read them. `https://` URLs become URL attachments for the client to
 * download (and check with relay_response_check_image()); `data:image/...;base64,` URIs
 * are decoded and checked here.
 *
 * Returns: %FALSE when an image was unusable; the usable ones are added regardless
 */
gboolean
relay_response_parse_images (JsonObject  *message,
                             GPtrArray   *images,
                             GError     **error)
{
  gboolean ok;

  g_return_val_if_fail (message != NULL, FALSE);
  g_return_val_if_fail (images != NULL, FALSE);

  ok = collect_images (_relay_json_get_array (message, "images"), images, error);
  return collect_images (_relay_json_get_array (message, "content"), images,
                         ok ? error : NULL) && ok;
}

/* Completions -------------------------------------------------------------------------- */

static void
set_text_content (RelayMessage *message,
                  JsonObject   *object)
{
  JsonArray *parts;
  const char *text;

  if ((text = _relay_json_get_string (object, "content")) != NULL)
    relay_message_set_content (message, text);
  else if ((parts = _relay_json_get_array (object, "content")) != NULL)
    {
      g_autoptr(GString) joined = g_string_new (NULL);

      for (guint i = 0; i < json_array_get_length (parts); i++)
        {
          JsonObject *part = _relay_json_node_object (json_array_get_element (parts, i));

          if (g_strcmp0 (_relay_json_get_string (part, "type"), "text") == 0 &&
              (text = _relay_json_get_string (part, "text")) != NULL)
            g_string_append (joined, text);
        }
      relay_message_set_content (message, joined->str);
    }

  /* A refusal is the model's answer when it declines; show it as such. */
  if (relay_message_get_content_length (message) == 0 &&
      (text = _relay_json_get_string (object, "refusal")) != NULL)
    relay_message_set_content (message, text);
}

static void
set_tool_calls (RelayMessage *message,
                JsonObject   *object)
{
  JsonArray *calls = _relay_json_get_array (object, "tool_calls");
  guint n = calls != NULL ? json_array_get_length (calls) : 0;
  guint index = 0;

  for (guint i = 0; i < n; i++)
    {
      JsonObject *call_object = _relay_json_node_object (json_array_get_element (calls, i));
      JsonObject *function = _relay_json_get_object (call_object, "function");
      JsonNode *arguments;
      RelayToolCall *call;
      const char *str;

      if (function == NULL)
        continue;
      call = relay_message_ensure_tool_call (message, index++);
      g_set_str (&call->id, _relay_json_get_string (call_object, "id"));
      g_set_str (&call->type, (str = _relay_json_get_string (call_object, "type")) ? str : "function");
      g_set_str (&call->name, _relay_json_get_string (function, "name"));
      arguments = json_object_get_member (function, "arguments");
      g_string_truncate (call->arguments, 0);
      if ((str = _relay_json_node_string (arguments)) != NULL)
        g_string_append (call->arguments, str);
      else if (arguments != NULL && JSON_NODE_HOLDS_OBJECT (arguments))
        {
          /* Some servers send the arguments as an object instead of JSON text. */
          g_autofree char *text = json_to_string (arguments, FALSE);

          g_string_append (call->arguments, text);
        }
    }
  if (n > 0)
    relay_message_tool_calls_changed (message);
}

/* Usage: token counts, or compute points for images. Shared with the assembler. */
void
_relay_response_set_usage (RelayMessage *message,
                           JsonObject   *usage)
{
  gint64 prompt = -1;
  gint64 completion = -1;
  gint64 total = -1;
  double points;

  if (usage == NULL)
    return;
  if (!_relay_json_get_int (usage, "prompt_tokens", &prompt) || prompt < 0)
    prompt = -1;
  if (!_relay_json_get_int (usage, "completion_tokens", &completion) || completion < 0)
    completion = -1;
  if (!_relay_json_get_int (usage, "total_tokens", &total) || total < 0)
    total = -1;
  if (prompt >= 0 || completion >= 0 || total >= 0)
    relay_message_set_usage (message, prompt, completion, total);
  if (_relay_json_get_double (usage, "compute_points_used", &points) && points >= 0)
    relay_message_set_compute_points (message, points);
}

/**
 * relay_response_parse_completion_node:
 * @root: a parsed `chat.completion` body
 * @images: (out) (optional) (transfer full) (element-type RelayAttachment): the generated images
 * @error: where to report a body that is not a completion, or carries an error
 *
 * Reads the first choice into a new complete assistant message: its text (from a string
 * or text parts), tool calls, finish reason, the model that answered (set as the routed
 * model) and usage (tokens, or compute points for images). Images that cannot be used
 * are left out; the parse fails for them only when nothing else came back.
 *
 * Returns: (transfer full) (nullable): the message
 */
RelayMessage *
relay_response_parse_completion_node (JsonNode   *root,
                                      GPtrArray **images,
                                      GError    **error)
{
  g_autoptr(RelayMessage) message = NULL;
  g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) image_error = NULL;
  JsonObject *object = _relay_json_node_object (root);
  JsonObject *choice = NULL;
  JsonObject *message_object;
  JsonArray *choices;
  const char *str;

  if (object == NULL)
    {
      g_set_error_literal (error, RELAY_ERROR, RELAY_ERROR_INVALID_RESPONSE,
                           _("The server’s answer is not a JSON object"));
      return NULL;
    }
  if (json_object_has_member (object, "error") &&
      !JSON_NODE_HOLDS_NULL (json_object_get_member (object, "error")))
    {
      g_propagate_error (error, relay_response_error_from_json (root, 0));
      return NULL;
    }

  choices = _relay_json_get_array (object, "choices");
  for (guint i = 0; choices != NULL && i < json_array_get_length (choices) && choice == NULL; i++)
    {
      JsonObject *candidate = _relay_json_node_object (json_array_get_element (choices, i));
      gint64 index = 0;

      if (candidate != NULL && (!_relay_json_get_int (candidate, "index", &index) || index == 0))
        choice = candidate;
    }
  message_object = _relay_json_get_object (choice, "message");
  if (message_object == NULL)
    {
      g_set_error_literal (error, RELAY_ERROR, RELAY_ERROR_INVALID_RESPONSE,
                           _("The server’s answer has no message in it"));
      return NULL;
    }

  message = relay_message_new (RELAY_ROLE_ASSISTANT, NULL);
  set_text_content (message, message_object);
  set_tool_calls (message, message_object);
  relay_response_parse_images (message_object, found, &image_error);
  if ((str = _relay_json_get_string (choice, "finish_reason")) != NULL)
    relay_message_set_finish_reason (message, relay_finish_reason_from_string (str));
  if ((str = _relay_json_get_string (object, "model")) != NULL && *str != '\0')
    relay_message_set_routed_model (message, str);
  _relay_response_set_usage (message, _relay_json_get_object (object, "usage"));

  if (image_error != NULL && found->len == 0 &&
      relay_message_get_content_length (message) == 0)
    {
      g_propagate_error (error, g_steal_pointer (&image_error));
      return NULL;
    }
  if (image_error != NULL)
    g_debug ("Left out an image: %s", image_error->message);

  if (images != NULL)
    *images = g_steal_pointer (&found);
  return g_steal_pointer (&message);
}

/**
 * relay_response_parse_completion:
 * @body: (array length=length): the body of a `chat.completion` response
 *
 * Like relay_response_parse_completion_node(), from the body's bytes.
 *
 * Returns: (transfer full) (nullable): the message
 */
RelayMessage *
relay_response_parse_completion (const char  *body,
                                 gsize        length,
                                 GPtrArray  **images,
                                 GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (body != NULL || length == 0, NULL);

  if (length == 0 || !json_parser_load_from_data (parser, body, length, &local_error))
    {
      g_set_error (error, RELAY_ERROR, RELAY_ERROR_INVALID_RESPONSE,
                   _("The server’s answer is not valid JSON: %s"),
                   local_error != NULL ? local_error->message : _("it is empty"));
      return NULL;
    }
  return relay_response_parse_completion_node (json_parser_get_root (parser), images, error);
}

/* Errors ------------------------------------------------------------------------------- */

static RelayError
code_for_status (guint status)
{
  switch (status)
    {
    case 400: case 422: return RELAY_ERROR_BAD_REQUEST;
    case 401: return RELAY_ERROR_UNAUTHORIZED;
    case 402: return RELAY_ERROR_QUOTA;
    case 403: return RELAY_ERROR_FORBIDDEN;
    case 404: return RELAY_ERROR_NOT_FOUND;
    case 408: return RELAY_ERROR_TIMEOUT;
    case 413: return RELAY_ERROR_TOO_LARGE;
    case 429: return RELAY_ERROR_RATE_LIMITED;
    default:
      if (status >= 500 && status < 600)
        return RELAY_ERROR_SERVER;
      if (status >= 400 && status < 500)
        return RELAY_ERROR_BAD_REQUEST;
      return RELAY_ERROR_INVALID_RESPONSE;
    }
}

/* The error `code` and `type` strings OpenAI-compatible servers use, for errors that
 * arrive without an HTTP status (in a stream) or whose status says too little. */
static gboolean
code_for_name (const char *name,
               RelayError *code)
{
  static const struct { const char *name; RelayError code; } names[] = {
    { "invalid_api_key", RELAY_ERROR_UNAUTHORIZED },
    { "authentication_error", RELAY_ERROR_UNAUTHORIZED },
    { "unauthorized", RELAY_ERROR_UNAUTHORIZED },
    { "permission_error", RELAY_ERROR_FORBIDDEN },
    { "permission_denied", RELAY_ERROR_FORBIDDEN },
    { "model_not_found", RELAY_ERROR_NOT_FOUND },
    { "not_found_error", RELAY_ERROR_NOT_FOUND },
    { "insufficient_quota", RELAY_ERROR_QUOTA },
    { "billing_error", RELAY_ERROR_QUOTA },
    { "rate_limit_exceeded", RELAY_ERROR_RATE_LIMITED },
    { "rate_limit_error", RELAY_ERROR_RATE_LIMITED },
    { "context_length_exceeded", RELAY_ERROR_BAD_REQUEST },
    { "invalid_request_error", RELAY_ERROR_BAD_REQUEST },
    { "ValidationError", RELAY_ERROR_BAD_REQUEST },
    { "request_too_large", RELAY_ERROR_TOO_LARGE },
    { "timeout", RELAY_ERROR_TIMEOUT },
    { "server_error", RELAY_ERROR_SERVER },
    { "internal_error", RELAY_ERROR_SERVER },
    { "api_error", RELAY_ERROR_SERVER },
    { "overloaded_error", RELAY_ERROR_SERVER },
  };

  for (guint i = 0; name != NULL && i < G_N_ELEMENTS (names); i++)
    if (g_ascii_strcasecmp (name, names[i].name) == 0)
      {
        *code = names[i].code;
        return TRUE;
      }
  return FALSE;
}

static const char *
generic_message (RelayError code,
                 guint      status)
{
  switch (code)
    {
    case RELAY_ERROR_UNAUTHORIZED: return _("The API key was not accepted");
    case RELAY_ERROR_FORBIDDEN: return _("The API key may not do this");
    case RELAY_ERROR_NOT_FOUND: return _("Not found: check the base URL and the model");
    case RELAY_ERROR_BAD_REQUEST: return _("The server refused the request");
    case RELAY_ERROR_RATE_LIMITED: return _("Too many requests: wait a moment and try again");
    case RELAY_ERROR_QUOTA: return _("The account has run out of credits");
    case RELAY_ERROR_TOO_LARGE: return _("The request is too large for the server");
    case RELAY_ERROR_TIMEOUT: return _("The server took too long to answer");
    case RELAY_ERROR_SERVER: return _("The server had an error");
    case RELAY_ERROR_NETWORK:
    case RELAY_ERROR_INVALID_RESPONSE:
    case RELAY_ERROR_CANCELLED:
    case RELAY_ERROR_INVALID_ARGUMENT:
    case RELAY_ERROR_UNSUPPORTED:
    default:
      return status != 0 ? _("The server answered with an error") : _("The stream reported an error");
    }
}

/* A server's text made fit to show: valid UTF-8, one paragraph, not too long. */
static char *
clean_message (const char *text,
               gssize      length)
{
  g_autofree char *valid = g_utf8_make_valid (text, length);
  g_autoptr(GString) cleaned = NULL;
  char *stripped = g_strstrip (valid);

  if (*stripped == '\0')
    return NULL;
  if (g_utf8_strlen (stripped, -1) > MAX_MESSAGE_LENGTH)
    {
      char *cut = g_utf8_offset_to_pointer (stripped, MAX_MESSAGE_LENGTH);

      cleaned = g_string_new_len (stripped, cut - stripped);
      g_string_append (cleaned, "…");
    }
  else
    cleaned = g_string_new (stripped);
  for (gsize i = 0; i < cleaned->len; i++)
    if ((guchar) cleaned->str[i] < 0x20 && cleaned->str[i] != '\n')
      cleaned->str[i] = ' ';
  return g_string_free (g_steal_pointer (&cleaned), FALSE);
}

/**
 * relay_response_error_from_json:
 * @error_node: an error body (`{"error":{"message","type","code"}}`), its inner object,
 *   or a bare string
 * @status: the HTTP status, or 0 for an error that came in a stream
 *
 * Maps a JSON error to a #RelayError. The HTTP status decides the code, refined by the
 * error's `code` and `type` (a 429 with `insufficient_quota` is %RELAY_ERROR_QUOTA, a
 * 400 or 404 with `model_not_found` is %RELAY_ERROR_NOT_FOUND). The message is the
 * server's when it gave one.
 *
 * Returns: (transfer full): the error
 */
GError *
relay_response_error_from_json (JsonNode *error_node,
                                guint     status)
{
  JsonObject *object = _relay_json_node_object (error_node);
  JsonObject *inner;
  g_autofree char *message = NULL;
  const char *text = NULL;
  const char *code_name;
  const char *type_name;
  RelayError code = status != 0 ? code_for_status (status) : RELAY_ERROR_SERVER;
  RelayError named;
  gint64 numeric;

  if (object != NULL && (inner = _relay_json_get_object (object, "error")) != NULL)
    object = inner;
  else if (object != NULL && _relay_json_get_string (object, "error") != NULL)
    text = _relay_json_get_string (object, "error");
  else if (object == NULL)
    text = _relay_json_node_string (error_node);

  if (object != NULL)
    {
      if (text == NULL)
        text = _relay_json_get_string (object, "message");
      if (text == NULL)
        text = _relay_json_get_string (object, "detail");

      code_name = _relay_json_get_string (object, "code");
      type_name = _relay_json_get_string (object, "type");
      if (code_for_name (code_name, &named) || code_for_name (type_name, &named))
        {
          /* The name refines the status, but never turns a server error into the user's. */
          if (status == 0 || named == RELAY_ERROR_QUOTA || named == RELAY_ERROR_NOT_FOUND ||
              code == RELAY_ERROR_BAD_REQUEST || code == RELAY_ERROR_INVALID_RESPONSE)
            code = named;
        }
      else if (status == 0 && _relay_json_get_int (object, "code", &numeric) &&
               numeric >= 400 && numeric < 600)
        code = code_for_status ((guint) numeric);
    }

  if (text != NULL)
    message = clean_message (text, -1);
  if (message == NULL && status != 0)
    return g_error_new (RELAY_ERROR, code, "%s (HTTP %u)", generic_message (code, status), status);
  if (message == NULL)
    return g_error_new_literal (RELAY_ERROR, code, generic_message (code, status));
  return g_error_new_literal (RELAY_ERROR, code, message);
}

static gboolean
looks_like_html (const char *content_type,
                 const char *body,
                 gsize       length)
{
  gsize i = 0;

  if (content_type != NULL && g_ascii_strncasecmp (content_type, "text/html", 9) == 0)
    return TRUE;
  while (i < length && g_ascii_isspace (body[i]))
    i++;
  return i < length && body[i] == '<';
}

static gboolean
is_blank (const char *body,
          gsize       length)
{
  for (gsize i = 0; i < length; i++)
    if (!g_ascii_isspace (body[i]))
      return FALSE;
  return TRUE;
}

/**
 * relay_response_parse_error:
 * @status: the HTTP status
 * @content_type: (nullable): the Content-Type of the body
 * @body: (array length=length) (nullable): the body
 * @length: its length
 *
 * Makes a #GError of a failed response, whatever its body: an OpenAI-style error object,
 * another JSON shape (`{"detail":...}`, `{"success":false,"error":...}`), an HTML page
 * from a proxy, short plain text, or nothing at all.
 *
 * Returns: (transfer full): the error
 */
GError *
relay_response_parse_error (guint       status,
                            const char *content_type,
                            const char *body,
                            gsize       length)
{
  RelayError code = code_for_status (status);

  if (body == NULL || is_blank (body, length))
    return g_error_new (RELAY_ERROR, code, _("%s (HTTP %u, with an empty answer)"),
                        generic_message (code, status), status);

  if (looks_like_html (content_type, body, length))
    return g_error_new (RELAY_ERROR, code, _("The server answered with an HTML page (HTTP %u)"),
                        status);

  {
    g_autoptr(JsonParser) parser = json_parser_new ();

    if (json_parser_load_from_data (parser, body, length, NULL) &&
        json_parser_get_root (parser) != NULL &&
        (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)) ||
         JSON_NODE_HOLDS_VALUE (json_parser_get_root (parser))))
      return relay_response_error_from_json (json_parser_get_root (parser), status);
  }

  /* A line of text from a proxy is worth repeating; a wall of it is not. */
  if (length <= 200 && memchr (body, '\n', length) == NULL && memchr (body, '\0', length) == NULL)
    {
      g_autofree char *text = clean_message (body, length);

      if (text != NULL)
        return g_error_new (RELAY_ERROR, code, "%s (HTTP %u)", text, status);
    }
  return g_error_new (RELAY_ERROR, code, "%s (HTTP %u)", generic_message (code, status), status);
}

/**
 * relay_response_parse_retry_after:
 * @value: (nullable): a Retry-After header: seconds, or an HTTP date
 * @now: (nullable): the current time, for dates; %NULL for the clock's
 * @delay_usec: (out): how long to wait, in microseconds; 0 for a date in the past
 *
 * Delays are capped at a day: a server asking for more has made a mistake.
 *
 * Returns: whether @value could be read
 */
gboolean
relay_response_parse_retry_after (const char *value,
                                  GDateTime  *now,
                                  gint64     *delay_usec)
{
  g_autoptr(GDateTime) when = NULL;
  g_autoptr(GDateTime) local_now = NULL;
  const gint64 max_delay = (gint64) G_USEC_PER_SEC * 60 * 60 * 24;
  gint64 seconds = 0;
  const char *p;

  g_return_val_if_fail (delay_usec != NULL, FALSE);

  if (value == NULL)
    return FALSE;
  while (g_ascii_isspace (*value))
    value++;
  if (*value == '\0')
    return FALSE;

  for (p = value; g_ascii_isdigit (*p); p++)
    seconds = MIN (seconds * 10 + (*p - '0'), (gint64) 60 * 60 * 24);
  while (g_ascii_isspace (*p))
    p++;
  if (p != value && *p == '\0')
    {
      *delay_usec = MIN (seconds * G_USEC_PER_SEC, max_delay);
      return TRUE;
    }

  if (!(when = soup_date_time_new_from_http_string (value)))
    return FALSE;
  if (now == NULL)
    now = local_now = g_date_time_new_now_utc ();
  *delay_usec = CLAMP (g_date_time_difference (when, now), 0, max_delay);
  return TRUE;
}
