/* test-chat-request.c: request bodies say exactly what the reference asks for, and bad
 * requests are refused before they are sent.
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "relay-chat-request.h"
#include "relay-error.h"

static JsonNode *
parse (const char *json)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, json, -1, &error);
  g_assert_no_error (error);
  return json_node_copy (json_parser_get_root (parser));
}

/* Compares as JSON (member order and number spelling aside), printing both on failure. */
static void
assert_json (JsonNode   *actual,
             const char *expected_json)
{
  g_autoptr(JsonNode) expected = parse (expected_json);

  if (!json_node_equal (actual, expected))
    {
      g_autofree char *got = json_to_string (actual, TRUE);
      g_autofree char *want = json_to_string (expected, TRUE);

      g_error ("JSON differs:\ngot:\n%s\nexpected:\n%s", got, want);
    }
}

static void
assert_request (RelayChatRequest *request,
                const char       *expected_json)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = relay_chat_request_to_json (request, NULL, &error);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(JsonNode) reparsed = NULL;

  g_assert_no_error (error);
  assert_json (node, expected_json);

  /* The text form says the same. */
  bytes = relay_chat_request_to_bytes (request, NULL, &error);
  g_assert_no_error (error);
  reparsed = parse (g_bytes_get_data (bytes, NULL));
  assert_json (reparsed, expected_json);
}

static RelayChatRequest *
request_with_user (const char *model,
                   const char *text)
{
  RelayChatRequest *request = relay_chat_request_new (model);
  g_autoptr(RelayMessage) message = relay_message_new (RELAY_ROLE_USER, text);

  relay_chat_request_add_message (request, message);
  return request;
}

static void
test_request_minimal (void)
{
  g_autoptr(RelayChatRequest) request = request_with_user (NULL, "What is the meaning of life?");

  g_assert_cmpstr (relay_chat_request_get_model (request), ==, "route-llm");
  /* Nothing that was not set is sent. */
  assert_request (request,
                  "{\"model\":\"route-llm\",\"messages\":[{\"role\":\"user\","
                  "\"content\":\"What is the meaning of life?\"}]}");
}

static void
test_request_history_and_sampling (void)
{
  g_autoptr(RelayChatRequest) request = relay_chat_request_new (NULL);
  const char *roles_and_text[][2] = {
    { "system", "You are a helpful assistant." },
    { "user", "My name is Alice." },
    { "assistant", "Nice to meet you, Alice! How can I help you today?" },
    { "user", "What's my name?" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (roles_and_text); i++)
    {
      RelayRole role;
      g_autoptr(RelayMessage) message = NULL;

      g_assert_true (relay_role_from_string (roles_and_text[i][0], &role));
      message = relay_message_new (role, roles_and_text[i][1]);
      relay_chat_request_add_message (request, message);
    }
  relay_chat_request_set_temperature (request, 0.7);
  relay_chat_request_set_max_tokens (request, 150);
  relay_chat_request_set_top_p (request, 0.9);
  relay_chat_request_set_presence_penalty (request, -0.5);
  relay_chat_request_set_frequency_penalty (request, 1.5);

  assert_request (request,
                  "{\"model\":\"route-llm\",\"messages\":["
                  "{\"role\":\"system\",\"content\":\"You are a helpful assistant.\"},"
                  "{\"role\":\"user\",\"content\":\"My name is Alice.\"},"
                  "{\"role\":\"assistant\",\"content\":\"Nice to meet you, Alice! How can I help you today?\"},"
                  "{\"role\":\"user\",\"content\":\"What's my name?\"}],"
                  "\"temperature\":0.7,\"max_tokens\":150,\"top_p\":0.9,"
                  "\"presence_penalty\":-0.5,\"frequency_penalty\":1.5}");

  /* NAN and 0 unset them again. */
  relay_chat_request_set_temperature (request, NAN);
  relay_chat_request_set_top_p (request, NAN);
  relay_chat_request_set_presence_penalty (request, NAN);
  relay_chat_request_set_frequency_penalty (request, NAN);
  relay_chat_request_set_max_tokens (request, 0);
  {
    g_autoptr(JsonNode) node = relay_chat_request_to_json (request, NULL, NULL);
    JsonObject *object = json_node_get_object (node);

    g_assert_cmpuint (json_object_get_size (object), ==, 2);
  }
}

static void
test_request_stream_and_stop (void)
{
  g_autoptr(RelayChatRequest) request = request_with_user ("gpt-5.1", "Count");
  const char *one[] = { "END", NULL };
  const char *two[] = { "Human:", "AI:", NULL };

  relay_chat_request_set_stream (request, TRUE);
  assert_request (request,
                  "{\"model\":\"gpt-5.1\",\"messages\":[{\"role\":\"user\",\"content\":\"Count\"}],"
                  "\"stream\":true}");

  relay_chat_request_set_include_usage (request, TRUE);
  relay_chat_request_set_stop (request, one);
  assert_request (request,
                  "{\"model\":\"gpt-5.1\",\"messages\":[{\"role\":\"user\",\"content\":\"Count\"}],"
                  "\"stream\":true,\"stream_options\":{\"include_usage\":true},\"stop\":\"END\"}");

  relay_chat_request_set_stop (request, two);
  relay_chat_request_set_stream (request, FALSE);
  /* include_usage means nothing without streaming, so it is not sent. */
  assert_request (request,
                  "{\"model\":\"gpt-5.1\",\"messages\":[{\"role\":\"user\",\"content\":\"Count\"}],"
                  "\"stop\":[\"Human:\",\"AI:\"]}");
}

static void
test_request_json_mode (void)
{
  g_autoptr(RelayChatRequest) request = request_with_user (NULL, "Return a JSON object");

  relay_chat_request_set_response_format (request, RELAY_RESPONSE_FORMAT_JSON_OBJECT);
  assert_request (request,
                  "{\"model\":\"route-llm\",\"messages\":[{\"role\":\"user\",\"content\":\"Return a JSON object\"}],"
                  "\"response_format\":{\"type\":\"json_object\"}}");
  relay_chat_request_set_response_format (request, RELAY_RESPONSE_FORMAT_TEXT);
  assert_request (request,
                  "{\"model\":\"route-llm\",\"messages\":[{\"role\":\"user\",\"content\":\"Return a JSON object\"}],"
                  "\"response_format\":{\"type\":\"text\"}}");
}

#define WEATHER_SCHEMA \
  "{\"type\":\"object\",\"properties\":{\"location\":{\"type\":\"string\"}," \
  "\"unit\":{\"type\":\"string\",\"enum\":[\"celsius\",\"fahrenheit\"]}},\"required\":[\"location\"]}"

#define WEATHER_TOOL \
  "{\"type\":\"function\",\"function\":{\"name\":\"get_current_weather\"," \
  "\"description\":\"Get the current weather in a given location\",\"parameters\":" WEATHER_SCHEMA "}}"

static void
test_request_tools (void)
{
  g_autoptr(RelayChatRequest) request = request_with_user (NULL, "What's the weather in Boston?");
  g_autoptr(GError) error = NULL;

  g_assert_true (relay_chat_request_add_tool_json (request, "get_current_weather",
                                                   "Get the current weather in a given location",
                                                   WEATHER_SCHEMA, &error));
  g_assert_no_error (error);
  relay_chat_request_add_tool (request, "get_time", NULL, NULL);
  relay_chat_request_set_tool_choice (request, RELAY_TOOL_CHOICE_AUTO, NULL);
  g_assert_cmpuint (relay_chat_request_get_n_tools (request), ==, 2);

  assert_request (request,
                  "{\"model\":\"route-llm\",\"messages\":[{\"role\":\"user\",\"content\":\"What's the weather in Boston?\"}],"
                  "\"tools\":[" WEATHER_TOOL ",{\"type\":\"function\",\"function\":{\"name\":\"get_time\"}}],"
                  "\"tool_choice\":\"auto\"}");

  relay_chat_request_set_tool_choice (request, RELAY_TOOL_CHOICE_FUNCTION, "get_current_weather");
  {
    g_autoptr(JsonNode) node = relay_chat_request_to_json (request, NULL, NULL);
    JsonNode *choice = json_object_get_member (json_node_get_object (node), "tool_choice");

    assert_json (choice, "{\"type\":\"function\",\"function\":{\"name\":\"get_current_weather\"}}");
  }
  relay_chat_request_set_tool_choice (request, RELAY_TOOL_CHOICE_NONE, NULL);
  {
    g_autoptr(JsonNode) node = relay_chat_request_to_json (request, NULL, NULL);

    g_assert_cmpstr (json_object_get_string_member (json_node_get_object (node), "tool_choice"), ==, "none");
  }

  g_assert_false (relay_chat_request_add_tool_json (request, "broken", NULL, "{\"type\":", &error));
  g_assert_error (error, RELAY_ERROR, RELAY_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_false (relay_chat_request_add_tool_json (request, "broken", NULL, "[1]", &error));
  g_assert_error (error, RELAY_ERROR, RELAY_ERROR_INVALID_ARGUMENT);
  g_assert_cmpuint (relay_chat_request_get_n_tools (request), ==, 2);
}

/* The reference's follow-up request after a tool call, field for field. */
static void
test_request_tool_history (void)
{
  g_autoptr(RelayChatRequest) request = request_with_user (NULL, "What's the weather in Boston?");
  g_autoptr(RelayMessage) assistant = relay_message_new (RELAY_ROLE_ASSISTANT, NULL);
  g_autoptr(RelayMessage) tool = relay_message_new (RELAY_ROLE_TOOL,
                                                    "{\"temperature\": 72, \"unit\": \"fahrenheit\", \"conditions\": \"Sunny\"}");
  RelayToolCall *call = relay_message_ensure_tool_call (assistant, 0);

  call->id = g_strdup ("call_abc123");
  call->type = g_strdup ("function");
  call->name = g_strdup ("get_current_weather");
  g_string_assign (call->arguments, "{\"location\": \"Boston, MA\", \"unit\": \"fahrenheit\"}");
  relay_message_set_tool_call_id (tool, "call_abc123");
  relay_chat_request_add_message (request, assistant);
  relay_chat_request_add_message (request, tool);
  relay_chat_request_add_tool_json (request, "get_current_weather",
                                    "Get the current weather in a given location",
                                    WEATHER_SCHEMA, NULL);

  assert_request (request,
                  "{\"model\":\"route-llm\",\"messages\":["
                  "{\"role\":\"user\",\"content\":\"What's the weather in Boston?\"},"
                  "{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"id\":\"call_abc123\","
                  "\"type\":\"function\",\"function\":{\"name\":\"get_current_weather\","
                  "\"arguments\":\"{\\\"location\\\": \\\"Boston, MA\\\", \\\"unit\\\": \\\"fahrenheit\\\"}\"}}]},"
                  "{\"role\":\"tool\",\"tool_call_id\":\"call_abc123\","
                  "\"content\":\"{\\\"temperature\\\": 72, \\\"unit\\\": \\\"fahrenheit\\\", \\\"conditions\\\": \\\"Sunny\\\"}\"}],"
                  "\"tools\":[" WEATHER_TOOL "]}");

  /* An assistant message with text beside its calls keeps the text, and empty
   * arguments are sent as an empty object. */
  relay_message_set_content (assistant, "Let me look.");
  g_string_truncate (call->arguments, 0);
  {
    g_autoptr(JsonNode) node = relay_chat_request_to_json (request, NULL, NULL);
    JsonArray *messages = json_object_get_array_member (json_node_get_object (node), "messages");

    assert_json (json_array_get_element (messages, 1),
                 "{\"role\":\"assistant\",\"content\":\"Let me look.\",\"tool_calls\":[{\"id\":\"call_abc123\","
                 "\"type\":\"function\",\"function\":{\"name\":\"get_current_weather\",\"arguments\":\"{}\"}}]}");
  }
}

static GBytes *
make_png (int width,
          int height)
{
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, TRUE, 8, width, height);
  g_autoptr(GError) error = NULL;
  gchar *buffer = NULL;
  gsize size = 0;

  gdk_pixbuf_fill (pixbuf, 0x3584e4ff);
  g_assert_true (gdk_pixbuf_save_to_buffer (pixbuf, &buffer, &size, "png", &error, NULL));
  g_assert_no_error (error);
  return g_bytes_new_take (buffer, size);
}

static void
assert_data_uri (const char *uri,
                 const char *mime_type,
                 GBytes     *bytes)
{
  g_autofree char *prefix = g_strdup_printf ("data:%s;base64,", mime_type);
  g_autofree guchar *decoded = NULL;
  gsize length;

  g_assert_true (g_str_has_prefix (uri, prefix));
  decoded = g_base64_decode (uri + strlen (prefix), &length);
  g_assert_cmpmem (decoded, length, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
}

static void
test_request_images (void)
{
  g_autoptr(RelayChatRequest) request = relay_chat_request_new (NULL);
  g_autoptr(RelayMessage) message = relay_message_new (RELAY_ROLE_USER, "Describe the images");
  g_autoptr(GBytes) png = make_png (4, 3);
  g_autoptr(GError) error = NULL;
  g_autoptr(RelayAttachment) remote = relay_attachment_new_for_url ("https://example.com/image.jpg", NULL, NULL, &error);
  g_autoptr(RelayAttachment) local = relay_attachment_new_for_bytes (png, "dot.png", NULL, &error);
  g_autoptr(JsonNode) node = NULL;
  JsonArray *parts;
  const char *url;

  g_assert_no_error (error);
  relay_message_add_attachment (message, remote);
  relay_message_add_attachment (message, local);
  relay_chat_request_add_message (request, message);
  g_assert_true (relay_chat_request_needs_io (request));

  node = relay_chat_request_to_json (request, NULL, &error);
  g_assert_no_error (error);
  parts = json_object_get_array_member (json_array_get_object_element (
    json_object_get_array_member (json_node_get_object (node), "messages"), 0), "content");
  g_assert_cmpuint (json_array_get_length (parts), ==, 3);
  assert_json (json_array_get_element (parts, 0), "{\"type\":\"text\",\"text\":\"Describe the images\"}");
  assert_json (json_array_get_element (parts, 1),
               "{\"type\":\"image_url\",\"image_url\":{\"url\":\"https://example.com/image.jpg\"}}");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (parts, 2), "type"), ==, "image_url");
  url = json_object_get_string_member (json_object_get_object_member (json_array_get_object_element (parts, 2),
                                                                      "image_url"), "url");
  assert_data_uri (url, "image/png", png);

  /* An image with no text goes alone. */
  relay_message_set_content (message, NULL);
  {
    g_autoptr(JsonNode) bare = relay_chat_request_to_json (request, NULL, NULL);

    parts = json_object_get_array_member (json_array_get_object_element (
      json_object_get_array_member (json_node_get_object (bare), "messages"), 0), "content");
    g_assert_cmpuint (json_array_get_length (parts), ==, 2);
  }
}

static void
test_request_pdf (void)
{
  g_autoptr(RelayChatRequest) request = relay_chat_request_new ("gpt-5.1");
  g_autoptr(RelayMessage) message = relay_message_new (RELAY_ROLE_USER, "What are the main points in this document?");
  static const char pdf_data[] = "%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n";
  g_autoptr(GBytes) pdf = g_bytes_new_static (pdf_data, sizeof pdf_data - 1);
  g_autoptr(GError) error = NULL;
  g_autoptr(RelayAttachment) remote = relay_attachment_new_for_url ("https://bitcoin.org/bitcoin.pdf", "document.pdf", NULL, &error);
  g_autoptr(RelayAttachment) local = relay_attachment_new_for_bytes (pdf, "notes.pdf", NULL, &error);
  g_autoptr(JsonNode) node = NULL;
  JsonObject *file;

  g_assert_no_error (error);
  g_assert_cmpint (relay_attachment_get_kind (remote), ==, RELAY_ATTACHMENT_KIND_PDF);
  g_assert_cmpint (relay_attachment_get_kind (local), ==, RELAY_ATTACHMENT_KIND_PDF);
  relay_message_add_attachment (message, remote);
  relay_chat_request_add_message (request, message);

  /* The reference's PDF example, exactly. */
  assert_request (request,
                  "{\"model\":\"gpt-5.1\",\"messages\":[{\"role\":\"user\",\"content\":["
                  "{\"type\":\"text\",\"text\":\"What are the main points in this document?\"},"
                  "{\"type\":\"file\",\"file\":{\"filename\":\"document.pdf\",\"file_data\":\"https://bitcoin.org/bitcoin.pdf\"}}]}]}");

  /* A local PDF goes as a data: URI. */
  relay_message_add_attachment (message, local);
  node = relay_chat_request_to_json (request, NULL, &error);
  g_assert_no_error (error);
  file = json_object_get_object_member (json_array_get_object_element (json_object_get_array_member (
    json_array_get_object_element (json_object_get_array_member (json_node_get_object (node), "messages"), 0),
    "content"), 2), "file");
  g_assert_cmpstr (json_object_get_string_member (file, "filename"), ==, "notes.pdf");
  assert_data_uri (json_object_get_string_member (file, "file_data"), "application/pdf", pdf);
}

/* A local file is read when the body is made, in the text form and in a thread. */
typedef struct
{
  GBytes  *body;
  GError  *error;
  gboolean done;
} AsyncResult;

static void
to_bytes_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  AsyncResult *state = user_data;

  state->body = relay_chat_request_to_bytes_finish (RELAY_CHAT_REQUEST (object), result, &state->error);
  state->done = TRUE;
}

static void
test_request_file_attachment (void)
{
  g_autoptr(GBytes) png = make_png (64, 64);
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("relay-test-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "photo.png", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(RelayAttachment) attachment = NULL;
  g_autoptr(RelayChatRequest) request = relay_chat_request_new (NULL);
  g_autoptr(RelayMessage) message = relay_message_new (RELAY_ROLE_USER, "What colour is this? \"placeholder\"");
  g_autoptr(GBytes) body = NULL;
  g_autoptr(JsonNode) parsed = NULL;
  AsyncResult state = { NULL, NULL, FALSE };
  JsonArray *parts;
  gint64 deadline;

  g_assert_true (g_file_set_contents (path, g_bytes_get_data (png, NULL), g_bytes_get_size (png), &error));
  attachment = relay_attachment_new_for_file (file, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (relay_attachment_get_mime_type (attachment), ==, "image/png");
  g_assert_cmpstr (relay_attachment_get_filename (attachment), ==, "photo.png");
  relay_message_add_attachment (message, attachment);
  relay_message_add_attachment (message, attachment);
  relay_chat_request_add_message (request, message);

  body = relay_chat_request_to_bytes (request, NULL, &error);
  g_assert_no_error (error);
  parsed = parse (g_bytes_get_data (body, NULL));
  parts = json_object_get_array_member (json_array_get_object_element (
    json_object_get_array_member (json_node_get_object (parsed), "messages"), 0), "content");
  g_assert_cmpuint (json_array_get_length (parts), ==, 3);
  for (guint i = 1; i < 3; i++)
    assert_data_uri (json_object_get_string_member (json_object_get_object_member (
                       json_array_get_object_element (parts, i), "image_url"), "url"),
                     "image/png", png);

  relay_chat_request_to_bytes_async (request, NULL, to_bytes_cb, &state);
  deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  while (!state.done && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (state.done);
  g_assert_no_error (state.error);
  g_assert_true (g_bytes_equal (state.body, body));
  g_bytes_unref (state.body);

  /* A file that went away is reported, naming it. */
  g_assert_cmpint (g_unlink (path), ==, 0);
  g_assert_null (relay_chat_request_to_bytes (request, NULL, &error));
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "photo.png"));
  g_rmdir (dir);
}

static void
test_request_image_generation (void)
{
  g_autoptr(RelayChatRequest) request = request_with_user ("flux-2-pro",
                                                           "A futuristic cityscape at night with neon lights and flying cars");

  relay_chat_request_set_modality (request, RELAY_MODALITY_IMAGE);
  /* The reference calls image_config required with images: it is sent, empty. */
  assert_request (request,
                  "{\"model\":\"flux-2-pro\",\"messages\":[{\"role\":\"user\",\"content\":"
                  "\"A futuristic cityscape at night with neon lights and flying cars\"}],"
                  "\"modalities\":[\"image\"],\"image_config\":{}}");

  relay_chat_request_set_num_images (request, 3);
  relay_chat_request_set_aspect_ratio (request, "1:1");
  assert_request (request,
                  "{\"model\":\"flux-2-pro\",\"messages\":[{\"role\":\"user\",\"content\":"
                  "\"A futuristic cityscape at night with neon lights and flying cars\"}],"
                  "\"modalities\":[\"image\"],\"image_config\":{\"num_images\":3,\"aspect_ratio\":\"1:1\"}}");

  relay_chat_request_set_model (request, "gemini-2.5-pro");
  relay_chat_request_set_num_images (request, 1);
  relay_chat_request_set_aspect_ratio (request, "2:3");
  relay_chat_request_set_image_size (request, "1024x1536");
  relay_chat_request_set_resolution (request, "2K");
  relay_chat_request_set_quality (request, "high");
  {
    g_autoptr(JsonNode) node = relay_chat_request_to_json (request, NULL, NULL);

    assert_json (json_object_get_member (json_node_get_object (node), "image_config"),
                 "{\"num_images\":1,\"aspect_ratio\":\"2:3\",\"image_size\":\"1024x1536\","
                 "\"resolution\":\"2K\",\"quality\":\"high\"}");
  }

  relay_chat_request_set_modality (request, RELAY_MODALITY_TEXT);
  {
    g_autoptr(JsonNode) node = relay_chat_request_to_json (request, NULL, NULL);
    JsonObject *object = json_node_get_object (node);

    assert_json (json_object_get_member (object, "modalities"), "[\"text\"]");
    g_assert_false (json_object_has_member (object, "image_config"));
  }
}

/* Validation ----------------------------------------------------------------------------- */

static void
assert_refused (RelayChatRequest *request,
                RelayModelInfo   *info,
                RelayError        code,
                const char       *message_part,
                ...)
{
  g_autoptr(GError) error = NULL;
  va_list args;
  const char *part;

  g_assert_false (relay_chat_request_validate (request, info, &error));
  g_assert_error (error, RELAY_ERROR, code);
  va_start (args, message_part);
  for (part = message_part; part != NULL; part = va_arg (args, const char *))
    if (strstr (error->message, part) == NULL)
      g_error ("“%s” does not say “%s”", error->message, part);
  va_end (args);
}

static void
assert_accepted (RelayChatRequest *request,
                 RelayModelInfo   *info)
{
  g_autoptr(GError) error = NULL;

  if (!relay_chat_request_validate (request, info, &error))
    g_error ("refused: %s", error->message);
}

static void
test_validate_ranges (void)
{
  g_autoptr(RelayChatRequest) request = request_with_user (NULL, "Hi");
  g_autoptr(RelayChatRequest) empty = relay_chat_request_new (NULL);
  const char *five[] = { "a", "b", "c", "d", "e", NULL };
  const char *blank[] = { "a", "", NULL };
  const char *four[] = { "a", "b", "c", "d", NULL };

  assert_accepted (request, NULL);
  assert_refused (empty, NULL, RELAY_ERROR_BAD_REQUEST, "messages", NULL);

  relay_chat_request_set_temperature (request, 2.5);
  assert_refused (request, NULL, RELAY_ERROR_BAD_REQUEST, "temperature", "between 0 and 2", "2.5", NULL);
  relay_chat_request_set_temperature (request, 2);
  assert_accepted (request, NULL);
  relay_chat_request_set_temperature (request, -0.1);
  assert_refused (request, NULL, RELAY_ERROR_BAD_REQUEST, "temperature", NULL);
  relay_chat_request_set_temperature (request, INFINITY);
  assert_refused (request, NULL, RELAY_ERROR_BAD_REQUEST, "temperature", NULL);
  relay_chat_request_set_temperature (request, 0);

  relay_chat_request_set_top_p (request, 1.5);
  assert_refused (request, NULL, RELAY_ERROR_BAD_REQUEST, "top_p", "between 0 and 1", NULL);
  relay_chat_request_set_top_p (request, 1);

  relay_chat_request_set_presence_penalty (request, -3);
  assert_refused (request, NULL, RELAY_ERROR_BAD_REQUEST, "presence_penalty", "between -2 and 2", NULL);
  relay_chat_request_set_presence_penalty (request, -2);
  relay_chat_request_set_frequency_penalty (request, 2.1);
  assert_refused (request, NULL, RELAY_ERROR_BAD_REQUEST, "frequency_penalty", NULL);
  relay_chat_request_set_frequency_penalty (request, 2);
  assert_accepted (request, NULL);

  relay_chat_request_set_max_tokens (request, -5);
  assert_refused (request, NULL, RELAY_ERROR_BAD_REQUEST, "max_tokens", NULL);
  relay_chat_request_set_max_tokens (request, 1);

  relay_chat_request_set_stop (request, five);
  assert_refused (request, NULL, RELAY_ERROR_BAD_REQUEST, "stop", "at most 4", NULL);
  relay_chat_request_set_stop (request, blank);
  assert_refused (request, NULL, RELAY_ERROR_BAD_REQUEST, "stop[1]", NULL);
  relay_chat_request_set_stop (request, four);
  assert_accepted (request, NULL);

  relay_chat_request_set_model (request, "");
  assert_refused (request, NULL, RELAY_ERROR_BAD_REQUEST, "model", NULL);
}

static void
test_validate_tools (void)
{
  g_autoptr(RelayChatRequest) request = request_with_user (NULL, "Weather?");
  g_autoptr(RelayModelInfo) no_tools = relay_model_info_new ("plain-model");
  g_autoptr(RelayModelInfo) unknown = relay_model_info_new ("new-model");
  g_autoptr(RelayMessage) orphan = relay_message_new (RELAY_ROLE_TOOL, "72F");

  relay_model_info_set_capabilities (no_tools, RELAY_MODEL_CAPABILITY_NONE, RELAY_MODEL_CAPABILITY_TOOLS);

  relay_chat_request_set_tool_choice (request, RELAY_TOOL_CHOICE_FUNCTION, "get_weather");
  assert_refused (request, NULL, RELAY_ERROR_BAD_REQUEST, "tool_choice", "get_weather", "no tools", NULL);
  relay_chat_request_add_tool (request, "get_time", NULL, NULL);
  assert_refused (request, NULL, RELAY_ERROR_BAD_REQUEST, "tool_choice", "not among the tools", NULL);
  relay_chat_request_add_tool (request, "get_weather", "Weather", NULL);
  assert_accepted (request, NULL);
  /* Unknown capabilities are let through; known absent ones are not. */
  assert_accepted (request, unknown);
  assert_refused (request, no_tools, RELAY_ERROR_UNSUPPORTED, "tools", "plain-model", NULL);

  relay_chat_request_add_tool (request, "get weather!", NULL, NULL);
  assert_refused (request, NULL, RELAY_ERROR_BAD_REQUEST, "tools[2].function.name", "get weather!", NULL);

  {
    g_autoptr(RelayChatRequest) twice = request_with_user (NULL, "x");

    relay_chat_request_add_tool (twice, "a", NULL, NULL);
    relay_chat_request_add_tool (twice, "a", NULL, NULL);
    assert_refused (twice, NULL, RELAY_ERROR_BAD_REQUEST, "twice", NULL);
    relay_chat_request_add_message (twice, orphan);
  }
  {
    g_autoptr(RelayChatRequest) history = request_with_user (NULL, "x");

    relay_chat_request_add_message (history, orphan);
    assert_refused (history, NULL, RELAY_ERROR_BAD_REQUEST, "messages[1]", "tool_call_id", NULL);
    relay_message_set_tool_call_id (orphan, "call_1");
    assert_accepted (history, NULL);
  }
}

static void
test_validate_json_mode (void)
{
  g_autoptr(RelayChatRequest) request = request_with_user (NULL, "JSON please");
  g_autoptr(RelayModelInfo) no_json = relay_model_info_new ("old-model");
  g_autoptr(RelayModelInfo) route = relay_model_info_lookup_bundled ("route-llm");

  relay_model_info_set_capabilities (no_json, RELAY_MODEL_CAPABILITY_TOOLS, RELAY_MODEL_CAPABILITY_JSON_MODE);
  relay_chat_request_set_response_format (request, RELAY_RESPONSE_FORMAT_JSON_OBJECT);
  assert_refused (request, no_json, RELAY_ERROR_UNSUPPORTED, "response_format", "old-model", "JSON mode", NULL);
  assert_accepted (request, route);
}

static void
test_validate_attachments (void)
{
  g_autoptr(RelayChatRequest) request = relay_chat_request_new ("deepseek-R1");
  g_autoptr(RelayMessage) message = relay_message_new (RELAY_ROLE_USER, "Look");
  g_autoptr(RelayMessage) reply = relay_message_new (RELAY_ROLE_ASSISTANT, "Here is your picture");
  g_autoptr(RelayAttachment) image = relay_attachment_new_for_url ("https://example.com/cat.png", NULL, NULL, NULL);
  g_autoptr(RelayAttachment) pdf = relay_attachment_new_for_url ("https://example.com/paper.pdf", NULL, NULL, NULL);
  g_autoptr(RelayModelInfo) deepseek = relay_model_info_lookup_bundled ("deepseek-R1");
  g_autoptr(RelayModelInfo) llama = relay_model_info_lookup_bundled ("llama-3.1-70B");
  g_autoptr(RelayModelInfo) claude = relay_model_info_lookup_bundled ("claude-4-5-sonnet");
  g_autoptr(RelayModelInfo) grok = relay_model_info_lookup_bundled ("grok-4");

  g_assert_nonnull (deepseek);
  relay_chat_request_add_message (request, message);
  relay_message_add_attachment (message, image);
  assert_refused (request, deepseek, RELAY_ERROR_UNSUPPORTED, "messages[0]", "DeepSeek R1", "images", "cat.png", NULL);
  assert_accepted (request, claude);
  assert_accepted (request, NULL);

  /* Generated images on earlier replies are not sent, so they do not count. */
  {
    g_autoptr(RelayChatRequest) history = relay_chat_request_new ("deepseek-R1");
    g_autoptr(RelayMessage) question = relay_message_new (RELAY_ROLE_USER, "And now?");

    relay_message_add_attachment (reply, image);
    relay_chat_request_add_message (history, reply);
    relay_chat_request_add_message (history, question);
    assert_accepted (history, deepseek);
  }

  g_ptr_array_set_size (relay_message_get_attachments (message), 0);
  relay_message_add_attachment (message, pdf);
  assert_refused (request, llama, RELAY_ERROR_UNSUPPORTED, "PDF", "paper.pdf", NULL);
  assert_accepted (request, claude);
  /* Nothing is known of Grok 4 and PDFs: let the server decide. */
  assert_accepted (request, grok);
}

static void
test_validate_image_generation (void)
{
  g_autoptr(RelayChatRequest) request = request_with_user ("flux-2-pro", "A lighthouse");
  g_autoptr(RelayModelInfo) flux = relay_model_info_lookup_bundled ("flux-2-pro");
  g_autoptr(RelayModelInfo) recraft = relay_model_info_lookup_bundled ("recraft");
  g_autoptr(RelayModelInfo) gpt = relay_model_info_lookup_bundled ("gpt-5.1");
  g_autoptr(RelayModelInfo) gemini = relay_model_info_lookup_bundled ("gemini-2.5-pro");
  g_autoptr(RelayModelInfo) claude = relay_model_info_lookup_bundled ("claude-4-5-sonnet");
  g_autoptr(RelayModelInfo) dalle = relay_model_info_lookup_bundled ("dalle");
  g_autoptr(RelayModelInfo) unknown = relay_model_info_new ("brand-new-model");

  g_assert_nonnull (flux);
  g_assert_nonnull (dalle);
  g_assert_cmpstr (relay_model_info_get_id (dalle), ==, "dall-e");

  /* An image model asked for text. */
  assert_refused (request, flux, RELAY_ERROR_UNSUPPORTED, "modalities", "FLUX-2 PRO", "only generates images", NULL);

  relay_chat_request_set_modality (request, RELAY_MODALITY_IMAGE);
  relay_chat_request_set_num_images (request, 4);
  relay_chat_request_set_aspect_ratio (request, "16:9");
  assert_accepted (request, flux);

  relay_chat_request_set_num_images (request, 5);
  assert_refused (request, flux, RELAY_ERROR_BAD_REQUEST, "image_config.num_images", "between 1 and 4", NULL);
  assert_refused (request, NULL, RELAY_ERROR_BAD_REQUEST, "image_config.num_images", NULL);
  relay_chat_request_set_num_images (request, 1);

  relay_chat_request_set_aspect_ratio (request, "2:3");
  assert_refused (request, flux, RELAY_ERROR_UNSUPPORTED, "image_config.aspect_ratio", "“2:3”", "flux-2-pro",
                  "1:1, 3:4, 4:3, 16:9, 9:16", NULL);
  relay_chat_request_set_aspect_ratio (request, "1:1");

  relay_chat_request_set_quality (request, "high");
  assert_refused (request, flux, RELAY_ERROR_UNSUPPORTED, "image_config.quality", "flux-2-pro",
                  "num_images, aspect_ratio", NULL);
  assert_accepted (request, gpt);
  assert_accepted (request, dalle);
  relay_chat_request_set_quality (request, NULL);

  relay_chat_request_set_aspect_ratio (request, "16:9");
  assert_refused (request, gpt, RELAY_ERROR_UNSUPPORTED, "aspect_ratio", "1:1, 2:3, 3:2", NULL);
  assert_accepted (request, gemini);

  /* Recraft takes sizes, not ratios. */
  assert_refused (request, recraft, RELAY_ERROR_UNSUPPORTED, "image_config.aspect_ratio", "recraft", NULL);
  relay_chat_request_set_aspect_ratio (request, NULL);
  relay_chat_request_set_image_size (request, "999x999");
  assert_refused (request, recraft, RELAY_ERROR_UNSUPPORTED, "image_config.image_size", "999x999",
                  "1024x1024, 1024x2048, 2048x1024, 1024x1365, 1365x1024", NULL);
  relay_chat_request_set_image_size (request, "1365x1024");
  assert_accepted (request, recraft);
  relay_chat_request_set_resolution (request, "4K");
  assert_refused (request, recraft, RELAY_ERROR_UNSUPPORTED, "image_config.resolution", NULL);
  relay_chat_request_set_resolution (request, NULL);

  assert_refused (request, claude, RELAY_ERROR_UNSUPPORTED, "modalities", "Claude 4.5 Sonnet", "does not generate images", NULL);
  /* Of a model nothing is known about, nothing is refused. */
  assert_accepted (request, unknown);

  /* image_config without asking for images. */
  relay_chat_request_set_modality (request, RELAY_MODALITY_DEFAULT);
  relay_chat_request_set_num_images (request, 0);
  assert_refused (request, NULL, RELAY_ERROR_BAD_REQUEST, "image_config.image_size", "modalities", NULL);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/chat-request/minimal", test_request_minimal);
  g_test_add_func ("/chat-request/history-and-sampling", test_request_history_and_sampling);
  g_test_add_func ("/chat-request/stream-and-stop", test_request_stream_and_stop);
  g_test_add_func ("/chat-request/json-mode", test_request_json_mode);
  g_test_add_func ("/chat-request/tools", test_request_tools);
  g_test_add_func ("/chat-request/tool-history", test_request_tool_history);
  g_test_add_func ("/chat-request/images", test_request_images);
  g_test_add_func ("/chat-request/pdf", test_request_pdf);
  g_test_add_func ("/chat-request/file-attachment", test_request_file_attachment);
  g_test_add_func ("/chat-request/image-generation", test_request_image_generation);
  g_test_add_func ("/chat-request/validate/ranges", test_validate_ranges);
  g_test_add_func ("/chat-request/validate/tools", test_validate_tools);
  g_test_add_func ("/chat-request/validate/json-mode", test_validate_json_mode);
  g_test_add_func ("/chat-request/validate/attachments", test_validate_attachments);
  g_test_add_func ("/chat-request/validate/image-generation", test_validate_image_generation);

  return g_test_run ();
}
