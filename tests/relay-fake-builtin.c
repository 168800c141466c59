/* relay-fake-builtin.c: what the fake server answers when no reply is scripted.
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "relay-fake-server"

#include "config.h"

#include <stdio.h>
#include <string.h>

#include <gdk-pixbuf/gdk-pixbuf.h>

#include "relay-fake-server-private.h"

/* ---------------------------------------------------------------------------------- */
/* Images                                                                             */

/**
 * relay_fake_make_png:
 * @seed: picks the colours, so that images differ
 *
 * Returns: (transfer full): a PNG of @width × @height with a diagonal gradient
 */
GBytes *
relay_fake_make_png (guint width,
                     guint height,
                     guint seed)
{
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, width, height);
  g_autoptr(GError) error = NULL;
  guint8 *pixels = gdk_pixbuf_get_pixels (pixbuf);
  int rowstride = gdk_pixbuf_get_rowstride (pixbuf);
  static const guint8 palette[][3] = {
    { 0x35, 0x84, 0xe4 }, { 0x2e, 0xc2, 0x7e }, { 0xf6, 0xd3, 0x2d },
    { 0xe0, 0x1b, 0x24 }, { 0x91, 0x41, 0xac }, { 0xff, 0x78, 0x00 },
  };
  const guint8 *a = palette[seed % G_N_ELEMENTS (palette)];
  const guint8 *b = palette[(seed + 2) % G_N_ELEMENTS (palette)];
  char *buffer = NULL;
  gsize size = 0;

  for (guint y = 0; y < height; y++)
    for (guint x = 0; x < width; x++)
      {
        guint8 *p = pixels + y * rowstride + x * 3;
        guint t = (x + y) * 255 / MAX (1, width + height - 2);

        for (guint c = 0; c < 3; c++)
          p[c] = (a[c] * (255 - t) + b[c] * t) / 255;
      }

  if (!gdk_pixbuf_save_to_buffer (pixbuf, &buffer, &size, "png", &error, NULL))
    g_error ("Could not encode a PNG: %s", error->message);
  return g_bytes_new_take (buffer, size);
}

/* ---------------------------------------------------------------------------------- */
/* The built-in behaviour                                                             */

typedef struct
{
  const char *id;
  const char *name;
  const char *owner;
  double      input;  /* USD per million tokens; negative: none */
  double      output;
  gboolean    image;
} FakeModel;

static const FakeModel fake_models[] = {
  { "route-llm", "RouteLLM", "abacus", 3.0, 15.0, FALSE },
  { "gpt-5.2", "GPT-5.2", "openai", 1.75, 14.0, FALSE },
  { "gpt-5.1", "GPT-5.1", "openai", 1.25, 10.0, FALSE },
  { "gpt-5-mini", "GPT-5 Mini", "openai", 0.25, 2.0, FALSE },
  { "gpt-4o", "GPT-4o", "openai", 2.5, 10.0, FALSE },
  { "o4-mini", "o4-mini", "openai", 1.1, 4.4, FALSE },
  { "claude-4-5-sonnet", "Claude Sonnet 4.5", "anthropic", 3.0, 15.0, FALSE },
  { "claude-4-5-haiku", "Claude Haiku 4.5", "anthropic", 1.0, 5.0, FALSE },
  { "claude-4-5-opus", "Claude Opus 4.5", "anthropic", 5.0, 25.0, FALSE },
  { "gemini-3-pro", "Gemini 3 Pro", "google", 2.0, 12.0, FALSE },
  { "gemini-3-flash", "Gemini 3 Flash", "google", 0.5, 3.0, FALSE },
  { "grok-4", "Grok 4", "xai", 3.0, 15.0, FALSE },
  { "deepseek-v3.2", "DeepSeek V3.2", "deepseek", 0.27, 0.4, FALSE },
  { "qwen-3-Max", "Qwen 3 Max", "qwen", 1.2, 6.0, FALSE },
  { "llama-4-Maverick-17B", "Llama 4 Maverick", "meta", 0.14, 0.59, FALSE },
  { "flux-2-pro", "FLUX-2 PRO", "black-forest-labs", -1, -1, TRUE },
  { "dall-e", "DALL-E", "openai", -1, -1, TRUE },
  { "seedream", "Seedream 4.5", "bytedance", -1, -1, TRUE },
  { "nano-banana-pro", "Nano Banana Pro", "google", -1, -1, TRUE },
};

static const FakeModel *
find_model (const char *id)
{
  for (guint i = 0; i < G_N_ELEMENTS (fake_models); i++)
    if (g_strcmp0 (fake_models[i].id, id) == 0)
      return &fake_models[i];
  return NULL;
}

static RelayFakeReply *
builtin_models (gboolean route_llm_shape)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *json = NULL;

  json_builder_begin_object (builder);
  if (route_llm_shape)
    {
      json_builder_set_member_name (builder, "success");
      json_builder_add_boolean_value (builder, TRUE);
      json_builder_set_member_name (builder, "result");
    }
  else
    {
      json_builder_set_member_name (builder, "object");
      json_builder_add_string_value (builder, "list");
      json_builder_set_member_name (builder, "data");
    }
  json_builder_begin_array (builder);
  for (guint i = 0; i < G_N_ELEMENTS (fake_models); i++)
    {
      const FakeModel *model = &fake_models[i];

      json_builder_begin_object (builder);
      if (route_llm_shape)
        {
          g_autofree char *platform_id = g_strdup_printf ("%08x", g_str_hash (model->id));

          /* Here "name" is what requests say and "id" is the platform's own key. */
          json_builder_set_member_name (builder, "name");
          json_builder_add_string_value (builder, model->id);
          json_builder_set_member_name (builder, "id");
          json_builder_add_string_value (builder, platform_id);
          if (model->input >= 0)
            {
              /* The unit of these rates is undocumented; a client must not guess it. */
              json_builder_set_member_name (builder, "input_token_rate");
              json_builder_add_double_value (builder, model->input);
              json_builder_set_member_name (builder, "output_token_rate");
              json_builder_add_double_value (builder, model->output);
            }
        }
      else
        {
          json_builder_set_member_name (builder, "id");
          json_builder_add_string_value (builder, model->id);
          json_builder_set_member_name (builder, "object");
          json_builder_add_string_value (builder, "model");
          json_builder_set_member_name (builder, "created");
          json_builder_add_int_value (builder, 1767225600);
          json_builder_set_member_name (builder, "owned_by");
          json_builder_add_string_value (builder, model->owner);
          json_builder_set_member_name (builder, "name");
          json_builder_add_string_value (builder, model->name);
          if (model->input >= 0)
            {
              /* USD per token, as public client code reports for this endpoint. */
              json_builder_set_member_name (builder, "pricing");
              json_builder_begin_object (builder);
              json_builder_set_member_name (builder, "input");
              json_builder_add_double_value (builder, model->input / 1e6);
              json_builder_set_member_name (builder, "output");
              json_builder_add_double_value (builder, model->output / 1e6);
              json_builder_end_object (builder);
            }
        }
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  json = json_to_string (root, FALSE);
  return relay_fake_reply_new_json (200, json);
}

typedef struct
{
  const char *model;     /* as requested */
  const char *answering; /* the routed model */
  gboolean    stream;
  gboolean    include_usage;
  char       *prompt;    /* the last user message's text */
  char       *tool_result;
  const char *tool_name;
  JsonObject *image_config;
  gboolean    image;
  gint64      prompt_tokens;
} ChatRequest;

static void
chat_request_clear (ChatRequest *chat)
{
  g_free (chat->prompt);
  g_free (chat->tool_result);
}

static char *
content_text (JsonNode *content)
{
  GString *text = g_string_new (NULL);

  if (content != NULL && JSON_NODE_HOLDS_VALUE (content) &&
      json_node_get_value_type (content) == G_TYPE_STRING)
    {
      g_string_append (text, json_node_get_string (content));
    }
  else if (content != NULL && JSON_NODE_HOLDS_ARRAY (content))
    {
      JsonArray *parts = json_node_get_array (content);

      for (guint i = 0; i < json_array_get_length (parts); i++)
        {
          JsonNode *part = json_array_get_element (parts, i);
          JsonObject *object = JSON_NODE_HOLDS_OBJECT (part) ? json_node_get_object (part) : NULL;

          if (object != NULL &&
              g_strcmp0 (json_object_get_string_member_with_default (object, "type", ""), "text") == 0)
            g_string_append (text, json_object_get_string_member_with_default (object, "text", ""));
        }
    }
  return g_string_free (text, FALSE);
}

/* Checks the request the way the API does; returns an error reply when it is wrong. */
static RelayFakeReply *
chat_request_parse (ChatRequest      *chat,
                    RelayFakeRequest *request)
{
  JsonObject *root = relay_fake_request_get_object (request);
  JsonNode *node;
  JsonArray *messages;
  gsize total = 0;

  if (root == NULL)
    return relay_fake_reply_new_error (400, RELAY_FAKE_BODY_JSON, "The request body is not a JSON object.");

  node = json_object_get_member (root, "messages");
  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node) ||
      json_array_get_length (json_node_get_array (node)) == 0)
    return relay_fake_reply_new_error (400, RELAY_FAKE_BODY_JSON,
                                       "The 'messages' parameter is missing, empty, or not a list.");
  messages = json_node_get_array (node);

  node = json_object_get_member (root, "model");
  chat->model = node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
                json_node_get_value_type (node) == G_TYPE_STRING ? json_node_get_string (node) : "route-llm";
  if (find_model (chat->model) == NULL)
    {
      g_autofree char *message = g_strdup_printf ("Invalid model name: %s", chat->model);
      return relay_fake_reply_new_error (400, RELAY_FAKE_BODY_JSON, message);
    }
  chat->answering = g_str_equal (chat->model, "route-llm") ? ROUTED_MODEL : chat->model;
  chat->image = find_model (chat->model)->image;

  for (guint i = 0; i < json_array_get_length (messages); i++)
    {
      JsonNode *element = json_array_get_element (messages, i);
      JsonObject *message = JSON_NODE_HOLDS_OBJECT (element) ? json_node_get_object (element) : NULL;
      const char *role;
      g_autofree char *text = NULL;

      if (message == NULL || !json_object_has_member (message, "role"))
        return relay_fake_reply_new_error (400, RELAY_FAKE_BODY_JSON,
                                           "Each message needs a role and content.");
      role = json_object_get_string_member_with_default (message, "role", "");
      text = content_text (json_object_get_member (message, "content"));
      total += strlen (text);
      g_clear_pointer (&chat->tool_result, g_free);
      if (g_str_equal (role, "user"))
        g_set_str (&chat->prompt, text);
      else if (g_str_equal (role, "tool"))
        chat->tool_result = g_steal_pointer (&text);
    }
  chat->prompt_tokens = (gint64) total / 4 + 1;
  if (chat->prompt == NULL)
    chat->prompt = g_strdup ("");

  chat->stream = json_object_get_boolean_member_with_default (root, "stream", FALSE);
  node = json_object_get_member (root, "stream_options");
  if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
    chat->include_usage = json_object_get_boolean_member_with_default (json_node_get_object (node),
                                                                      "include_usage", FALSE);

  node = json_object_get_member (root, "modalities");
  if (node != NULL && JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *modalities = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (modalities); i++)
        {
          JsonNode *modality = json_array_get_element (modalities, i);

          if (JSON_NODE_HOLDS_VALUE (modality) &&
              g_strcmp0 (json_node_get_string (modality), "image") == 0)
            chat->image = TRUE;
        }
    }
  node = json_object_get_member (root, "image_config");
  if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
    chat->image_config = json_node_get_object (node);

  node = json_object_get_member (root, "tools");
  if (node != NULL && JSON_NODE_HOLDS_ARRAY (node) && json_array_get_length (json_node_get_array (node)) > 0)
    {
      JsonNode *tool = json_array_get_element (json_node_get_array (node), 0);
      JsonObject *function = NULL;

      if (JSON_NODE_HOLDS_OBJECT (tool))
        {
          JsonNode *fn = json_object_get_member (json_node_get_object (tool), "function");

          if (fn != NULL && JSON_NODE_HOLDS_OBJECT (fn))
            function = json_node_get_object (fn);
        }
      if (function != NULL)
        chat->tool_name = json_object_get_string_member_with_default (function, "name", NULL);
    }
  return NULL;
}

static char *
builtin_markdown (ChatRequest *chat)
{
  g_autofree char *prompt = g_utf8_substring (chat->prompt, 0, MIN (g_utf8_strlen (chat->prompt, -1), 80));

  if (chat->tool_result != NULL)
    return g_strdup_printf ("The tool answered `%s`.\n\nSo: it is **72 °F and sunny** in Boston, MA. "
                            "A fine day for a walk along the Charles.", chat->tool_result);

  return g_strdup_printf ("## A reply from the test server\n\n"
                          "You wrote: *%s*\n\n"
                          "This answer comes from `relay-fake-server`, which speaks the RouteLLM "
                          "protocol without an account:\n\n"
                          "- replies **stream** a few words at a time;\n"
                          "- `route-llm` is routed to `%s`;\n"
                          "- ask about the *weather* with tools to get a tool call.\n\n"
                          "```c\n"
                          "#include <stdio.h>\n\n"
                          "int\nmain (void)\n{\n  printf (\"Hello from Relay\\n\");\n  return 0;\n}\n"
                          "```\n\n"
                          "That is all there is to it.",
                          prompt, ROUTED_MODEL);
}

/* Splits text into pieces of a word or so, the way tokens arrive. */
static GPtrArray *
split_pieces (const char *text)
{
  GPtrArray *pieces = g_ptr_array_new_with_free_func (g_free);
  const char *start = text;
  const char *p = text;

  while (*p != '\0')
    {
      gboolean boundary = (*p == ' ' || *p == '\n');

      p = g_utf8_next_char (p);
      if (boundary || p - start >= 12)
        {
          g_ptr_array_add (pieces, g_strndup (start, p - start));
          start = p;
        }
    }
  if (p > start)
    g_ptr_array_add (pieces, g_strndup (start, p - start));
  g_ptr_array_add (pieces, NULL);
  return pieces;
}

static RelayFakeReply *
builtin_text (RelayFakeServer *self,
              ChatRequest     *chat)
{
  g_autofree char *text = builtin_markdown (chat);
  gint64 completion_tokens = (gint64) strlen (text) / 4 + 1;
  g_autoptr(GPtrArray) pieces = NULL;
  g_autofree char *role = NULL;
  g_autofree char *finish = NULL;
  RelayFakeReply *reply;
  guint delay;

  if (!chat->stream)
    {
      g_autofree char *json = relay_fake_completion_json (chat->answering, text, "stop");
      return relay_fake_reply_new_json (200, json);
    }

  g_mutex_lock (&self->mutex);
  delay = self->stream_delay_ms;
  g_mutex_unlock (&self->mutex);

  reply = relay_fake_reply_new_stream ();
  role = relay_fake_chunk_role (chat->answering);
  relay_fake_reply_add_event (reply, delay, role);
  pieces = split_pieces (text);
  for (guint i = 0; g_ptr_array_index (pieces, i) != NULL; i++)
    {
      g_autofree char *chunk = relay_fake_chunk_text (chat->answering, g_ptr_array_index (pieces, i));
      relay_fake_reply_add_event (reply, delay, chunk);
    }
  finish = relay_fake_chunk_finish (chat->answering, "stop");
  relay_fake_reply_add_event (reply, delay, finish);
  if (chat->include_usage)
    {
      g_autofree char *usage = relay_fake_chunk_usage (chat->answering, chat->prompt_tokens, completion_tokens);
      relay_fake_reply_add_event (reply, 0, usage);
    }
  relay_fake_reply_add_done (reply, 0);
  return reply;
}

static RelayFakeReply *
builtin_tool_call (RelayFakeServer *self,
                   ChatRequest     *chat)
{
  static const char * const arguments[] = { "{\"loca", "tion\": \"Bost", "on, MA\", \"unit\"", ": \"fahrenheit\"}", NULL };
  g_autofree char *id = g_strdup_printf ("call_%08x", g_str_hash (chat->prompt));
  RelayFakeReply *reply;
  g_autofree char *role = NULL;
  g_autofree char *finish = NULL;

  if (!chat->stream)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;
      g_autofree char *json = NULL;
      g_autofree char *joined = g_strjoinv ("", (char **) arguments);

      _relay_fake_begin_completion (builder, chat->answering);
      json_builder_set_member_name (builder, "content");
      json_builder_add_null_value (builder);
      json_builder_set_member_name (builder, "tool_calls");
      json_builder_begin_array (builder);
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "id");
      json_builder_add_string_value (builder, id);
      json_builder_set_member_name (builder, "type");
      json_builder_add_string_value (builder, "function");
      json_builder_set_member_name (builder, "function");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "name");
      json_builder_add_string_value (builder, chat->tool_name);
      json_builder_set_member_name (builder, "arguments");
      json_builder_add_string_value (builder, joined);
      json_builder_end_object (builder);
      json_builder_end_object (builder);
      json_builder_end_array (builder);
      _relay_fake_end_completion (builder, "tool_calls");
      _relay_fake_add_usage (builder, chat->prompt_tokens, 25);
      json_builder_end_object (builder);
      root = json_builder_get_root (builder);
      json = json_to_string (root, FALSE);
      return relay_fake_reply_new_json (200, json);
    }

  reply = relay_fake_reply_new_stream ();
  role = relay_fake_chunk_role (chat->answering);
  relay_fake_reply_add_event (reply, 0, role);
  for (guint i = 0; arguments[i] != NULL; i++)
    {
      g_autofree char *chunk = relay_fake_chunk_tool_call (chat->answering, 0,
                                                           i == 0 ? id : NULL,
                                                           i == 0 ? chat->tool_name : NULL,
                                                           arguments[i]);
      relay_fake_reply_add_event (reply, 0, chunk);
    }
  finish = relay_fake_chunk_finish (chat->answering, "tool_calls");
  relay_fake_reply_add_event (reply, 0, finish);
  if (chat->include_usage)
    {
      g_autofree char *usage = relay_fake_chunk_usage (chat->answering, chat->prompt_tokens, 25);
      relay_fake_reply_add_event (reply, 0, usage);
    }
  relay_fake_reply_add_done (reply, 0);
  return reply;
}

static void
image_size_for (ChatRequest *chat,
                guint       *width,
                guint       *height)
{
  const char *ratio = NULL;
  guint w = 1, h = 1;

  if (chat->image_config != NULL)
    ratio = json_object_get_string_member_with_default (chat->image_config, "aspect_ratio", NULL);
  if (ratio == NULL || sscanf (ratio, "%u:%u", &w, &h) != 2 || w == 0 || h == 0 || w > 64 || h > 64)
    w = h = 1;

  *width = w >= h ? 256 : 256 * w / h;
  *height = h >= w ? 256 : 256 * h / w;
}

static RelayFakeReply *
builtin_images (RelayFakeServer *self,
                ChatRequest     *chat)
{
  g_autoptr(GStrvBuilder) urls = g_strv_builder_new ();
  g_auto(GStrv) list = NULL;
  g_autofree char *json = NULL;
  gint64 count = 1;
  guint width, height;
  gboolean data_images;

  if (chat->image_config != NULL)
    count = json_object_get_int_member_with_default (chat->image_config, "num_images", 1);
  if (count < 1 || count > MAX_IMAGES)
    return relay_fake_reply_new_error (400, RELAY_FAKE_BODY_JSON, "num_images must be between 1 and 4.");
  image_size_for (chat, &width, &height);

  g_mutex_lock (&self->mutex);
  data_images = self->data_images;
  for (gint64 i = 0; i < count; i++)
    {
      guint n = ++self->next_image;
      g_autoptr(GBytes) png = relay_fake_make_png (width, height, n);

      if (data_images)
        {
          g_autofree char *base64 = g_base64_encode (g_bytes_get_data (png, NULL), g_bytes_get_size (png));
          g_strv_builder_take (urls, g_strconcat ("data:image/png;base64,", base64, NULL));
        }
      else
        {
          FakeFile *file = g_new0 (FakeFile, 1);
          g_autofree char *path = g_strdup_printf ("/images/%u.png", n);

          file->content_type = g_strdup ("image/png");
          file->bytes = g_steal_pointer (&png);
          g_hash_table_replace (self->files, g_strdup (path), file);
          g_strv_builder_take (urls, g_strconcat (self->origin, path, NULL));
        }
    }
  g_mutex_unlock (&self->mutex);

  list = g_strv_builder_end (urls);
  if (!chat->stream)
    {
      json = relay_fake_image_completion_json (chat->model, (const char * const *) list, FALSE);
      return relay_fake_reply_new_json (200, json);
    }
  else
    {
      /* Images in one chunk's delta, for clients that stream everything. */
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      RelayFakeReply *reply = relay_fake_reply_new_stream ();

      _relay_fake_begin_chunk (builder, chat->model);
      _relay_fake_begin_choice (builder);
      json_builder_set_member_name (builder, "role");
      json_builder_add_string_value (builder, "assistant");
      json_builder_set_member_name (builder, "images");
      _relay_fake_add_image_parts (builder, (const char * const *) list);
      json = _relay_fake_end_chunk (builder, "stop");
      relay_fake_reply_add_event (reply, 0, json);
      relay_fake_reply_add_done (reply, 0);
      return reply;
    }
}

static gboolean
mentions_weather (const char *prompt)
{
  g_autofree char *lower = g_utf8_strdown (prompt, -1);

  return strstr (lower, "weather") != NULL;
}

/* Prompts that ask for a failure, so that errors can be tried by hand and in end-to-end
 * tests: "!status N …" is answered with HTTP status N every time; "!once N …" the first
 * time only, and normally after that. A 429 carries "Retry-After: 1". */
static RelayFakeReply *
builtin_failure (RelayFakeServer *self,
                 const char      *prompt)
{
  RelayFakeReply *reply;
  gboolean once = g_str_has_prefix (prompt, "!once ");
  guint64 status;
  char *end = NULL;

  if (!once && !g_str_has_prefix (prompt, "!status "))
    return NULL;

  status = g_ascii_strtoull (prompt + (once ? 6 : 8), &end, 10);
  if (status < 400 || status > 599)
    return NULL;

  if (once)
    {
      gboolean first;

      g_mutex_lock (&self->mutex);
      if (self->failed_once == NULL)
        self->failed_once = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      first = g_hash_table_add (self->failed_once, g_strdup (prompt));
      g_mutex_unlock (&self->mutex);
      if (!first)
        return NULL;
    }

  reply = relay_fake_reply_new_error ((guint) status, RELAY_FAKE_BODY_JSON,
                                      status == 429 ? "Rate limit exceeded; slow down."
                                                    : "The test server was asked to fail.");
  if (status == 429)
    soup_message_headers_replace (reply->headers, "Retry-After", "1");
  return reply;
}

static RelayFakeReply *
builtin_chat (RelayFakeServer  *self,
              RelayFakeRequest *request)
{
  ChatRequest chat = { 0 };
  RelayFakeReply *reply;

  if ((reply = chat_request_parse (&chat, request)) != NULL)
    {
      chat_request_clear (&chat);
      return reply;
    }

  if (chat.prompt != NULL && (reply = builtin_failure (self, chat.prompt)) != NULL)
    ;
  else if (chat.image)
    reply = builtin_images (self, &chat);
  else if (chat.tool_name != NULL && chat.tool_result == NULL && mentions_weather (chat.prompt))
    reply = builtin_tool_call (self, &chat);
  else
    reply = builtin_text (self, &chat);

  chat_request_clear (&chat);
  return reply;
}

/**
 * _relay_fake_builtin_reply:
 *
 * The answer to a request with an accepted key when no reply is scripted for its path.
 */
RelayFakeReply *
_relay_fake_builtin_reply (RelayFakeServer  *self,
                           RelayFakeRequest *request)
{
  if (g_str_equal (request->path, REPLY_PATH_CHAT) && g_str_equal (request->method, "POST"))
    return builtin_chat (self, request);
  if (g_str_equal (request->path, "/v1/models") && g_str_equal (request->method, "GET"))
    return builtin_models (FALSE);
  if (g_str_equal (request->path, "/api/v0/listRouteLLMModels") && g_str_equal (request->method, "GET"))
    return builtin_models (TRUE);

  return relay_fake_reply_new_error (404, RELAY_FAKE_BODY_JSON, "Unknown endpoint.");
}
