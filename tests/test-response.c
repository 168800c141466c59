/* test-response.c: non-streamed replies, generated images, error bodies and Retry-After.
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <string.h>
#include <sys/resource.h>

#include "relay-error.h"
#include "relay-response.h"

static char *
load_fixture (const char *name,
              gsize      *length)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "fixtures", name, NULL);
  g_autoptr(GError) error = NULL;
  char *contents = NULL;

  g_assert_true (g_file_get_contents (path, &contents, length, &error));
  g_assert_no_error (error);
  return contents;
}

static GBytes *
make_png (int width,
          int height)
{
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, width, height);
  g_autoptr(GError) error = NULL;
  gchar *buffer = NULL;
  gsize size = 0;

  gdk_pixbuf_fill (pixbuf, 0xe01b24ff);
  g_assert_true (gdk_pixbuf_save_to_buffer (pixbuf, &buffer, &size, "png", &error, NULL));
  g_assert_no_error (error);
  return g_bytes_new_take (buffer, size);
}

static char *
data_uri (const char *mime_type,
          GBytes     *bytes)
{
  g_autofree char *base64 = g_base64_encode (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));

  return g_strdup_printf ("data:%s;base64,%s", mime_type, base64);
}

static void
test_completion_recorded_text (void)
{
  gsize length;
  g_autofree char *body = load_fixture ("openai-completion-text.json", &length);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) images = NULL;
  g_autoptr(RelayMessage) message = relay_response_parse_completion (body, length, &images, &error);

  g_assert_no_error (error);
  g_assert_cmpint (relay_message_get_role (message), ==, RELAY_ROLE_ASSISTANT);
  g_assert_cmpint (relay_message_get_state (message), ==, RELAY_MESSAGE_STATE_COMPLETE);
  g_assert_true (g_str_has_prefix (relay_message_get_content (message), "I'm unable to provide real-time weather"));
  g_assert_true (g_str_has_suffix (relay_message_get_content (message), "or a local news station."));
  g_assert_cmpstr (relay_message_get_routed_model (message), ==, "gpt-4o-2024-08-06");
  g_assert_cmpint (relay_message_get_finish_reason (message), ==, RELAY_FINISH_REASON_STOP);
  g_assert_cmpint (relay_message_get_prompt_tokens (message), ==, 14);
  g_assert_cmpint (relay_message_get_completion_tokens (message), ==, 37);
  g_assert_cmpint (relay_message_get_total_tokens (message), ==, 51);
  g_assert_cmpuint (images->len, ==, 0);
}

static void
test_completion_recorded_tools (void)
{
  gsize length;
  g_autofree char *body = load_fixture ("openai-completion-tools.json", &length);
  g_autoptr(GError) error = NULL;
  g_autoptr(RelayMessage) message = relay_response_parse_completion (body, length, NULL, &error);
  GPtrArray *calls;
  RelayToolCall *call;

  g_assert_no_error (error);
  g_assert_cmpstr (relay_message_get_content (message), ==, "");
  g_assert_cmpint (relay_message_get_finish_reason (message), ==, RELAY_FINISH_REASON_TOOL_CALLS);
  calls = relay_message_get_tool_calls (message);
  g_assert_cmpuint (calls->len, ==, 2);
  call = g_ptr_array_index (calls, 0);
  g_assert_cmpstr (call->id, ==, "call_fdNz3vOBKYgOIpMdWotB9MjY");
  g_assert_cmpstr (call->name, ==, "GetWeatherArgs");
  g_assert_cmpstr (call->arguments->str, ==, "{\"city\": \"Edinburgh\", \"country\": \"GB\", \"units\": \"c\"}");
  call = g_ptr_array_index (calls, 1);
  g_assert_cmpstr (call->id, ==, "call_h1DWI1POMJLb0KwIyQHWXD4p");
  g_assert_cmpstr (call->name, ==, "get_stock_price");
  g_assert_cmpint (relay_message_get_total_tokens (message), ==, 209);
}

/* The reference's image response: images in message.images[], compute points as usage. */
static void
test_completion_images_documented (void)
{
  const char *body =
    "{\"created\":1677858242,\"model\":\"gemini-2.5-pro\",\"choices\":[{\"index\":0,\"message\":{"
    "\"role\":\"assistant\",\"content\":\"\",\"images\":["
    "{\"type\":\"image_url\",\"image_url\":{\"url\":\"https://example.com/generated-image-1.png\"}},"
    "{\"type\":\"image_url\",\"image_url\":{\"url\":\"https://example.com/generated-image-2.png\"}}]},"
    "\"finish_reason\":\"stop\"}],\"usage\":{\"compute_points_used\":150}}";
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) images = NULL;
  g_autoptr(RelayMessage) message = relay_response_parse_completion (body, strlen (body), &images, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (images->len, ==, 2);
  g_assert_cmpstr (relay_attachment_get_url (g_ptr_array_index (images, 0)), ==, "https://example.com/generated-image-1.png");
  g_assert_cmpstr (relay_attachment_get_url (g_ptr_array_index (images, 1)), ==, "https://example.com/generated-image-2.png");
  g_assert_cmpstr (relay_attachment_get_mime_type (g_ptr_array_index (images, 0)), ==, "image/png");
  g_assert_cmpint (relay_attachment_get_kind (g_ptr_array_index (images, 0)), ==, RELAY_ATTACHMENT_KIND_IMAGE);
  g_assert_cmpfloat (relay_message_get_compute_points (message), ==, 150);
  g_assert_cmpint (relay_message_get_total_tokens (message), ==, -1);
  g_assert_cmpstr (relay_message_get_routed_model (message), ==, "gemini-2.5-pro");
}

/* Where the reference's examples read them: image_url parts of message.content[], here as
 * data: URIs that are decoded and checked. */
static void
test_completion_images_in_content (void)
{
  g_autoptr(GBytes) png = make_png (3, 2);
  g_autofree char *uri = data_uri ("image/png", png);
  g_autofree char *body = g_strdup_printf (
    "{\"model\":\"gpt-5.1\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":["
    "{\"type\":\"text\",\"text\":\"Here you are.\"},"
    "{\"type\":\"image_url\",\"image_url\":{\"url\":\"%s\"}},"
    "{\"type\":\"image_url\",\"image_url\":{\"url\":\"https://cdn.example.com/x\"}}]},"
    "\"finish_reason\":\"stop\"}]}", uri);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) images = NULL;
  g_autoptr(RelayMessage) message = relay_response_parse_completion (body, strlen (body), &images, &error);
  RelayAttachment *decoded;

  g_assert_no_error (error);
  g_assert_cmpstr (relay_message_get_content (message), ==, "Here you are.");
  g_assert_cmpuint (images->len, ==, 2);
  decoded = g_ptr_array_index (images, 0);
  g_assert_null (relay_attachment_get_url (decoded));
  g_assert_cmpstr (relay_attachment_get_mime_type (decoded), ==, "image/png");
  g_assert_cmpstr (relay_attachment_get_filename (decoded), ==, "image-1.png");
  g_assert_true (g_bytes_equal (relay_attachment_get_bytes (decoded), png));
  g_assert_cmpstr (relay_attachment_get_url (g_ptr_array_index (images, 1)), ==, "https://cdn.example.com/x");
}

static void
test_completion_bad_images (void)
{
  g_autoptr(GBytes) png = make_png (2, 2);
  g_autoptr(GBytes) junk = g_bytes_new_static ("\x89PNG\r\n\x1a\nthis is no image at all", 31);
  g_autofree char *good = data_uri ("image/png", png);
  g_autofree char *bad = data_uri ("image/png", junk);
  g_autofree char *both = g_strdup_printf (
    "{\"choices\":[{\"message\":{\"content\":null,\"images\":["
    "{\"type\":\"image_url\",\"image_url\":{\"url\":\"%s\"}},"
    "{\"type\":\"image_url\",\"image_url\":{\"url\":\"%s\"}},"
    "{\"type\":\"image_url\",\"image_url\":{\"url\":\"data:image/png;base64,!!!!\"}},"
    "{\"type\":\"image_url\",\"image_url\":{\"url\":\"http://tracker.example.com/a.png\"}}]}}]}",
    bad, good);
  g_autofree char *only_bad = g_strdup_printf (
    "{\"choices\":[{\"message\":{\"images\":[{\"type\":\"image_url\",\"image_url\":{\"url\":\"%s\"}}]}}]}", bad);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) images = NULL;
  g_autoptr(RelayMessage) message = relay_response_parse_completion (both, strlen (both), &images, &error);
  g_autoptr(RelayMessage) none = NULL;

  /* The good image is kept; the damaged, malformed and plain-HTTP ones are not. */
  g_assert_no_error (error);
  g_assert_cmpuint (images->len, ==, 1);
  g_assert_true (g_bytes_equal (relay_attachment_get_bytes (g_ptr_array_index (images, 0)), png));

  none = relay_response_parse_completion (only_bad, strlen (only_bad), NULL, &error);
  g_assert_null (none);
  g_assert_error (error, RELAY_ERROR, RELAY_ERROR_INVALID_RESPONSE);
  g_assert_nonnull (strstr (error->message, "Generated image 1"));
}

static guint32
crc32 (const guint8 *data,
       gsize         length)
{
  guint32 crc = 0xffffffff;

  for (gsize i = 0; i < length; i++)
    {
      crc ^= data[i];
      for (int k = 0; k < 8; k++)
        crc = (crc >> 1) ^ (0xedb88320 & -(crc & 1));
    }
  return ~crc;
}

/* A small PNG whose header claims a canvas of width × height. */
static GBytes *
png_claiming (guint32 width,
              guint32 height)
{
  g_autoptr(GBytes) png = make_png (1, 1);
  gsize size;
  const guint8 *original = g_bytes_get_data (png, &size);
  guint8 *data = g_memdup2 (original, size);
  guint32 be;

  /* Signature (8), IHDR length (4) and type (4), then width and height. */
  g_assert_cmpmem (data + 12, 4, "IHDR", 4);
  be = GUINT32_TO_BE (width);
  memcpy (data + 16, &be, 4);
  be = GUINT32_TO_BE (height);
  memcpy (data + 20, &be, 4);
  be = GUINT32_TO_BE (crc32 (data + 12, 4 + 13));
  memcpy (data + 29, &be, 4);
  return g_bytes_new_take (data, size);
}

static void
test_check_image (void)
{
  g_autoptr(GBytes) png = make_png (7, 5);
  g_autoptr(GBytes) truncated = g_bytes_new_from_bytes (png, 0, g_bytes_get_size (png) / 2);
  g_autoptr(GBytes) text = g_bytes_new_static ("hello", 5);
  g_autoptr(GBytes) empty = g_bytes_new_static ("", 0);
  g_autoptr(GBytes) huge = png_claiming (30000, 30000);
  g_autoptr(GError) error = NULL;
  g_autofree char *mime_type = NULL;
  int width = 0;
  int height = 0;
  struct rusage before;
  struct rusage after;

  g_assert_true (relay_response_check_image (png, RELAY_IMAGE_MAX_SIZE, &mime_type, &width, &height, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (mime_type, ==, "image/png");
  g_assert_cmpint (width, ==, 7);
  g_assert_cmpint (height, ==, 5);

  g_assert_false (relay_response_check_image (truncated, RELAY_IMAGE_MAX_SIZE, NULL, NULL, NULL, &error));
  g_assert_error (error, RELAY_ERROR, RELAY_ERROR_INVALID_RESPONSE);
  g_clear_error (&error);
  g_assert_false (relay_response_check_image (text, RELAY_IMAGE_MAX_SIZE, NULL, NULL, NULL, &error));
  g_assert_error (error, RELAY_ERROR, RELAY_ERROR_INVALID_RESPONSE);
  g_clear_error (&error);
  g_assert_false (relay_response_check_image (empty, RELAY_IMAGE_MAX_SIZE, NULL, NULL, NULL, &error));
  g_assert_error (error, RELAY_ERROR, RELAY_ERROR_INVALID_RESPONSE);
  g_clear_error (&error);
  g_assert_false (relay_response_check_image (png, 16, NULL, NULL, NULL, &error));
  g_assert_error (error, RELAY_ERROR, RELAY_ERROR_TOO_LARGE);
  g_clear_error (&error);
  /* 900 million pixels claimed by a file of a few dozen bytes: refused before the
   * canvas (2.7 GB) is allocated, which MALLOC_PERTURB_ in the test environment would
   * make resident. */
  getrusage (RUSAGE_SELF, &before);
  g_assert_false (relay_response_check_image (huge, RELAY_IMAGE_MAX_SIZE, NULL, NULL, NULL, &error));
  getrusage (RUSAGE_SELF, &after);
  g_assert_error (error, RELAY_ERROR, RELAY_ERROR_TOO_LARGE);
  g_assert_nonnull (strstr (error->message, "30000"));
  g_assert_cmpint (after.ru_maxrss - before.ru_maxrss, <, 100 * 1024);
}

static void
test_completion_malformed (void)
{
  static const struct { const char *body; RelayError code; } cases[] = {
    { "", RELAY_ERROR_INVALID_RESPONSE },
    { "not json", RELAY_ERROR_INVALID_RESPONSE },
    { "[]", RELAY_ERROR_INVALID_RESPONSE },
    { "{}", RELAY_ERROR_INVALID_RESPONSE },
    { "{\"choices\":[]}", RELAY_ERROR_INVALID_RESPONSE },
    /* json-glib reads this as 0; an immutable parser then aborted (found by fuzzing). */
    { "0{\"id\": \"chatcmpl-1\", \"choices\": []}", RELAY_ERROR_INVALID_RESPONSE },
    { "{\"choices\":\"many\"}", RELAY_ERROR_INVALID_RESPONSE },
    { "{\"choices\":[{\"index\":1,\"message\":{\"content\":\"x\"}}]}", RELAY_ERROR_INVALID_RESPONSE },
    { "{\"choices\":[{\"message\":[]}]}", RELAY_ERROR_INVALID_RESPONSE },
    /* An error object with HTTP 200. */
    { "{\"error\":{\"message\":\"Model is overloaded\",\"type\":\"server_error\"}}", RELAY_ERROR_SERVER },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(RelayMessage) message = relay_response_parse_completion (cases[i].body, strlen (cases[i].body), NULL, &error);

      g_assert_null (message);
      g_assert_error (error, RELAY_ERROR, cases[i].code);
    }
}

static void
test_completion_junk_members (void)
{
  const char *body =
    "{\"model\":7,\"usage\":{\"prompt_tokens\":\"a\",\"completion_tokens\":3.5,\"total_tokens\":9,"
    "\"compute_points_used\":\"lots\"},\"error\":null,\"choices\":[7,{\"index\":0,\"finish_reason\":[],"
    "\"message\":{\"content\":[1,{\"type\":\"text\",\"text\":5},{\"type\":\"text\",\"text\":\"ok\"}],"
    "\"tool_calls\":[1,{\"function\":\"x\"},{\"id\":3,\"function\":{\"name\":\"f\",\"arguments\":{\"a\":1}}}],"
    "\"images\":{\"url\":\"https://x.example.com/a.png\"}}}]}";
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) images = NULL;
  g_autoptr(RelayMessage) message = relay_response_parse_completion (body, strlen (body), &images, &error);
  RelayToolCall *call;

  g_assert_no_error (error);
  g_assert_cmpstr (relay_message_get_content (message), ==, "ok");
  g_assert_null (relay_message_get_routed_model (message));
  g_assert_cmpint (relay_message_get_finish_reason (message), ==, RELAY_FINISH_REASON_NONE);
  g_assert_cmpint (relay_message_get_prompt_tokens (message), ==, -1);
  g_assert_cmpint (relay_message_get_completion_tokens (message), ==, -1);
  g_assert_cmpint (relay_message_get_total_tokens (message), ==, 9);
  g_assert_cmpfloat (relay_message_get_compute_points (message), <, 0);
  g_assert_cmpuint (images->len, ==, 0);
  g_assert_cmpuint (relay_message_get_tool_calls (message)->len, ==, 1);
  call = g_ptr_array_index (relay_message_get_tool_calls (message), 0);
  g_assert_null (call->id);
  g_assert_cmpstr (call->name, ==, "f");
  /* Arguments sent as an object become JSON text. */
  g_assert_cmpstr (call->arguments->str, ==, "{\"a\":1}");
}

static void
test_completion_refusal (void)
{
  const char *body = "{\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":null,"
                     "\"refusal\":\"I can't help with that.\"},\"finish_reason\":\"stop\"}]}";
  g_autoptr(RelayMessage) message = relay_response_parse_completion (body, strlen (body), NULL, NULL);

  g_assert_cmpstr (relay_message_get_content (message), ==, "I can't help with that.");
}

typedef struct
{
  guint       status;
  const char *content_type;
  const char *body;
  RelayError  code;
  const char *message;   /* exact, or NULL */
  const char *contains;  /* a part, or NULL */
} ErrorCase;

static void
test_error_bodies (void)
{
  g_autofree char *long_message = NULL;
  g_autofree char *long_body = NULL;
  const ErrorCase cases[] = {
    { 400, "application/json",
      "{\"error\":{\"message\":\"The 'messages' parameter is missing, empty, or not a list.\",\"type\":\"ValidationError\",\"code\":\"invalid_request_error\"}}",
      RELAY_ERROR_BAD_REQUEST, "The 'messages' parameter is missing, empty, or not a list.", NULL },
    { 422, "application/json", "{\"detail\":\"Unprocessable entity\"}", RELAY_ERROR_BAD_REQUEST, "Unprocessable entity", NULL },
    { 401, "application/json", "{\"error\":{\"message\":\"Invalid API key\",\"type\":\"authentication_error\"}}",
      RELAY_ERROR_UNAUTHORIZED, "Invalid API key", NULL },
    { 401, NULL, "{\"success\":false,\"error\":\"Invalid API key provided\"}", RELAY_ERROR_UNAUTHORIZED,
      "Invalid API key provided", NULL },
    { 403, "application/json", "{\"error\":{\"message\":\"Not allowed\"}}", RELAY_ERROR_FORBIDDEN, "Not allowed", NULL },
    { 404, "application/json", "{\"error\":{\"message\":\"Model gpt-9 does not exist\",\"code\":\"model_not_found\"}}",
      RELAY_ERROR_NOT_FOUND, "Model gpt-9 does not exist", NULL },
    { 400, "application/json", "{\"error\":{\"message\":\"Invalid model name\",\"code\":\"model_not_found\"}}",
      RELAY_ERROR_NOT_FOUND, "Invalid model name", NULL },
    { 429, "application/json", "{\"error\":{\"message\":\"Rate limit exceeded\",\"type\":\"rate_limit_error\"}}",
      RELAY_ERROR_RATE_LIMITED, "Rate limit exceeded", NULL },
    { 429, "application/json", "{\"error\":{\"message\":\"You exceeded your current quota\",\"code\":\"insufficient_quota\"}}",
      RELAY_ERROR_QUOTA, "You exceeded your current quota", NULL },
    { 500, "application/json", "{\"error\":{\"message\":\"Internal error\",\"type\":\"invalid_request_error\"}}",
      RELAY_ERROR_SERVER, "Internal error", NULL },
    { 500, "application/json", "{\"error\":{}}", RELAY_ERROR_SERVER, "The server had an error (HTTP 500)", NULL },
    { 502, "text/html", "<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>",
      RELAY_ERROR_SERVER, "The server answered with an HTML page (HTTP 502)", NULL },
    { 503, NULL, "  <!DOCTYPE html><html>down</html>", RELAY_ERROR_SERVER,
      "The server answered with an HTML page (HTTP 503)", NULL },
    { 504, "application/json", "", RELAY_ERROR_SERVER, NULL, "HTTP 504, with an empty answer" },
    { 401, NULL, " \r\n", RELAY_ERROR_UNAUTHORIZED, NULL, "HTTP 401" },
    { 503, "text/plain", "upstream connect error or disconnect/reset before headers",
      RELAY_ERROR_SERVER, "upstream connect error or disconnect/reset before headers (HTTP 503)", NULL },
    { 418, "application/json", "{\"error\":\"I'm a teapot\"}", RELAY_ERROR_BAD_REQUEST, "I'm a teapot", NULL },
    { 413, NULL, "{\"error\":{\"message\":\"Request too large\"}}", RELAY_ERROR_TOO_LARGE, "Request too large", NULL },
    { 402, NULL, "{\"error\":{\"message\":\"Out of credits\"}}", RELAY_ERROR_QUOTA, "Out of credits", NULL },
    { 400, NULL, "{\"error\":{\"message\":\"bad \xff\xfe bytes\\u0007\"}}", RELAY_ERROR_BAD_REQUEST, NULL, "bad " },
    { 500, NULL, "\"just a string\"", RELAY_ERROR_SERVER, "just a string", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const ErrorCase *c = &cases[i];
      g_autoptr(GError) error = relay_response_parse_error (c->status, c->content_type, c->body, strlen (c->body));

      g_assert_error (error, RELAY_ERROR, c->code);
      g_assert_true (g_utf8_validate (error->message, -1, NULL));
      if (c->message != NULL)
        g_assert_cmpstr (error->message, ==, c->message);
      if (c->contains != NULL && strstr (error->message, c->contains) == NULL)
        g_error ("case %u: “%s” does not say “%s”", i, error->message, c->contains);
    }

  /* A long message is cut, not repeated whole. */
  long_message = g_strnfill (5000, 'a');
  long_body = g_strdup_printf ("{\"error\":{\"message\":\"%s\"}}", long_message);
  {
    g_autoptr(GError) error = relay_response_parse_error (400, NULL, long_body, strlen (long_body));

    g_assert_cmpuint (g_utf8_strlen (error->message, -1), <=, 1001);
  }
  /* A wall of text is not repeated at all. */
  {
    g_autoptr(GError) error = relay_response_parse_error (500, "text/plain", long_message, 5000);

    g_assert_cmpstr (error->message, ==, "The server had an error (HTTP 500)");
  }
  /* NULL body. */
  {
    g_autoptr(GError) error = relay_response_parse_error (429, NULL, NULL, 0);

    g_assert_error (error, RELAY_ERROR, RELAY_ERROR_RATE_LIMITED);
  }
}

static void
test_retry_after (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_utc (2026, 3, 1, 12, 0, 0);
  gint64 delay = -1;

  g_assert_true (relay_response_parse_retry_after ("120", now, &delay));
  g_assert_cmpint (delay, ==, 120 * G_USEC_PER_SEC);
  g_assert_true (relay_response_parse_retry_after (" 5 ", now, &delay));
  g_assert_cmpint (delay, ==, 5 * G_USEC_PER_SEC);
  g_assert_true (relay_response_parse_retry_after ("0", now, &delay));
  g_assert_cmpint (delay, ==, 0);
  g_assert_true (relay_response_parse_retry_after ("Sun, 01 Mar 2026 12:00:30 GMT", now, &delay));
  g_assert_cmpint (delay, ==, 30 * G_USEC_PER_SEC);
  g_assert_true (relay_response_parse_retry_after ("Sun, 01 Mar 2026 11:00:00 GMT", now, &delay));
  g_assert_cmpint (delay, ==, 0);
  /* A day at most. */
  g_assert_true (relay_response_parse_retry_after ("99999999999999999999999", now, &delay));
  g_assert_cmpint (delay, ==, (gint64) 24 * 60 * 60 * G_USEC_PER_SEC);
  g_assert_true (relay_response_parse_retry_after ("Fri, 01 Mar 2030 12:00:00 GMT", now, &delay));
  g_assert_cmpint (delay, ==, (gint64) 24 * 60 * 60 * G_USEC_PER_SEC);

  g_assert_false (relay_response_parse_retry_after (NULL, now, &delay));
  g_assert_false (relay_response_parse_retry_after ("", now, &delay));
  g_assert_false (relay_response_parse_retry_after ("-5", now, &delay));
  g_assert_false (relay_response_parse_retry_after ("1.5", now, &delay));
  g_assert_false (relay_response_parse_retry_after ("soon", now, &delay));
  /* Without a given time, the clock's. */
  g_assert_true (relay_response_parse_retry_after ("Thu, 01 Jan 1970 00:00:00 GMT", NULL, &delay));
  g_assert_cmpint (delay, ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/response/completion/recorded-text", test_completion_recorded_text);
  g_test_add_func ("/response/completion/recorded-tools", test_completion_recorded_tools);
  g_test_add_func ("/response/completion/images-documented", test_completion_images_documented);
  g_test_add_func ("/response/completion/images-in-content", test_completion_images_in_content);
  g_test_add_func ("/response/completion/bad-images", test_completion_bad_images);
  g_test_add_func ("/response/completion/malformed", test_completion_malformed);
  g_test_add_func ("/response/completion/junk-members", test_completion_junk_members);
  g_test_add_func ("/response/completion/refusal", test_completion_refusal);
  g_test_add_func ("/response/check-image", test_check_image);
  g_test_add_func ("/response/error-bodies", test_error_bodies);
  g_test_add_func ("/response/retry-after", test_retry_after);

  return g_test_run ();
}
