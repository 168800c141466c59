/* relay-chat-request.c
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "relay-chat-request"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "relay-chat-request.h"
#include "relay-error.h"

/**
 * RelayChatRequest:
 *
 * Everything a `POST /chat/completions` body can say, per the RouteLLM reference: the
 * model (`route-llm` unless set), the messages, sampling parameters, streaming, stop
 * sequences, JSON mode, tools and image generation. Optional fields that are not set
 * are left out of the JSON, so the server's defaults apply.
 *
 * Messages are #RelayMessage objects. A user message with attachments is sent as a list
 * of parts: its text, then `image_url` parts for images and `file` parts for PDFs. An
 * attachment that is a URL is sent as that URL; one in memory or on disk is sent as a
 * `data:` URI, for PDFs too (`data:application/pdf;base64,...`): the reference says only
 * "base64-encoded content", and the data URI is the form OpenAI's own API takes, so it
 * is the form most likely to be understood whichever model the router picks.
 * Attachments of assistant messages (generated images) are not sent back.
 *
 * relay_chat_request_validate() refuses, before anything is sent, values out of the
 * reference's ranges and what the chosen model is known not to take.
 */
struct _RelayChatRequest
{
  GObject              parent_instance;

  char                *model;
  GPtrArray           *messages;
  gint64               max_tokens;
  double               temperature;
  double               top_p;
  double               presence_penalty;
  double               frequency_penalty;
  char               **stop;
  RelayResponseFormat  response_format;
  GPtrArray           *tools;          /* JsonNode: {"type":"function","function":{...}} */
  RelayToolChoice      tool_choice;
  char                *tool_choice_name;
  RelayModality        modality;
  guint                num_images;
  char                *aspect_ratio;
  char                *image_size;
  char                *resolution;
  char                *quality;
  guint                stream : 1;
  guint                include_usage : 1;
};

enum {
  PROP_0,
  PROP_MODEL,
  PROP_STREAM,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (RelayChatRequest, relay_chat_request, G_TYPE_OBJECT)

static void
relay_chat_request_finalize (GObject *object)
{
  RelayChatRequest *self = RELAY_CHAT_REQUEST (object);

  g_free (self->model);
  g_ptr_array_unref (self->messages);
  g_strfreev (self->stop);
  g_ptr_array_unref (self->tools);
  g_free (self->tool_choice_name);
  g_free (self->aspect_ratio);
  g_free (self->image_size);
  g_free (self->resolution);
  g_free (self->quality);

  G_OBJECT_CLASS (relay_chat_request_parent_class)->finalize (object);
}

static void
relay_chat_request_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  RelayChatRequest *self = RELAY_CHAT_REQUEST (object);

  switch (prop_id)
    {
    case PROP_MODEL: g_value_set_string (value, self->model); break;
    case PROP_STREAM: g_value_set_boolean (value, self->stream); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
relay_chat_request_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  RelayChatRequest *self = RELAY_CHAT_REQUEST (object);

  switch (prop_id)
    {
    case PROP_MODEL: relay_chat_request_set_model (self, g_value_get_string (value)); break;
    case PROP_STREAM: relay_chat_request_set_stream (self, g_value_get_boolean (value)); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
relay_chat_request_class_init (RelayChatRequestClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags rw = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = relay_chat_request_finalize;
  object_class->get_property = relay_chat_request_get_property;
  object_class->set_property = relay_chat_request_set_property;

  properties[PROP_MODEL] = g_param_spec_string ("model", NULL, NULL, RELAY_DEFAULT_MODEL, rw);
  properties[PROP_STREAM] = g_param_spec_boolean ("stream", NULL, NULL, FALSE, rw);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
relay_chat_request_init (RelayChatRequest *self)
{
  self->model = g_strdup (RELAY_DEFAULT_MODEL);
  self->messages = g_ptr_array_new_with_free_func (g_object_unref);
  self->tools = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
  self->temperature = NAN;
  self->top_p = NAN;
  self->presence_penalty = NAN;
  self->frequency_penalty = NAN;
}

/**
 * relay_chat_request_new:
 * @model: (nullable): the model ID; %NULL for route-llm
 *
 * Returns: (transfer full): an empty request
 */
RelayChatRequest *
relay_chat_request_new (const char *model)
{
  RelayChatRequest *self = g_object_new (RELAY_TYPE_CHAT_REQUEST, NULL);

  if (model != NULL)
    relay_chat_request_set_model (self, model);
  return self;
}

const char *
relay_chat_request_get_model (RelayChatRequest *self)
{
  g_return_val_if_fail (RELAY_IS_CHAT_REQUEST (self), NULL);
  return self->model;
}

/**
 * relay_chat_request_set_model:
 * @model: (nullable): a model ID; %NULL for route-llm
 */
void
relay_chat_request_set_model (RelayChatRequest *self,
                              const char       *model)
{
  g_return_if_fail (RELAY_IS_CHAT_REQUEST (self));

  if (g_set_str (&self->model, model != NULL ? model : RELAY_DEFAULT_MODEL))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODEL]);
}

/**
 * relay_chat_request_add_message:
 * @message: the next message of the conversation
 *
 * The message is referenced, not copied: it is read when the JSON is built.
 */
void
relay_chat_request_add_message (RelayChatRequest *self,
                                RelayMessage     *message)
{
  g_return_if_fail (RELAY_IS_CHAT_REQUEST (self));
  g_return_if_fail (RELAY_IS_MESSAGE (message));

  g_ptr_array_add (self->messages, g_object_ref (message));
}

/**
 * relay_chat_request_get_messages:
 *
 * Returns: (transfer none) (element-type RelayMessage): the messages
 */
GPtrArray *
relay_chat_request_get_messages (RelayChatRequest *self)
{
  g_return_val_if_fail (RELAY_IS_CHAT_REQUEST (self), NULL);
  return self->messages;
}

gint64
relay_chat_request_get_max_tokens (RelayChatRequest *self)
{
  g_return_val_if_fail (RELAY_IS_CHAT_REQUEST (self), 0);
  return self->max_tokens;
}

/**
 * relay_chat_request_set_max_tokens:
 * @max_tokens: the most tokens to generate; 0 to leave it to the model
 */
void
relay_chat_request_set_max_tokens (RelayChatRequest *self,
                                   gint64            max_tokens)
{
  g_return_if_fail (RELAY_IS_CHAT_REQUEST (self));
  self->max_tokens = max_tokens;
}

#define DEFINE_DOUBLE(name)                                                      \
double                                                                           \
relay_chat_request_get_##name (RelayChatRequest *self)                           \
{                                                                                \
  g_return_val_if_fail (RELAY_IS_CHAT_REQUEST (self), NAN);                      \
  return self->name;                                                             \
}                                                                                \
                                                                                 \
void                                                                             \
relay_chat_request_set_##name (RelayChatRequest *self,                           \
                               double            value)                          \
{                                                                                \
  g_return_if_fail (RELAY_IS_CHAT_REQUEST (self));                               \
  self->name = value;                                                            \
}

/* Each takes NAN to unset. */
DEFINE_DOUBLE (temperature)
DEFINE_DOUBLE (top_p)
DEFINE_DOUBLE (presence_penalty)
DEFINE_DOUBLE (frequency_penalty)

gboolean
relay_chat_request_get_stream (RelayChatRequest *self)
{
  g_return_val_if_fail (RELAY_IS_CHAT_REQUEST (self), FALSE);
  return self->stream;
}

void
relay_chat_request_set_stream (RelayChatRequest *self,
                               gboolean          stream)
{
  g_return_if_fail (RELAY_IS_CHAT_REQUEST (self));

  stream = !!stream;
  if (self->stream != stream)
    {
      self->stream = stream;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STREAM]);
    }
}

gboolean
relay_chat_request_get_include_usage (RelayChatRequest *self)
{
  g_return_val_if_fail (RELAY_IS_CHAT_REQUEST (self), FALSE);
  return self->include_usage;
}

/**
 * relay_chat_request_set_include_usage:
 * @include_usage: whether a streamed reply should end with a usage chunk
 *
 * Sent as `stream_options.include_usage`, only when streaming.
 */
void
relay_chat_request_set_include_usage (RelayChatRequest *self,
                                      gboolean          include_usage)
{
  g_return_if_fail (RELAY_IS_CHAT_REQUEST (self));
  self->include_usage = !!include_usage;
}

/**
 * relay_chat_request_get_stop:
 *
 * Returns: (nullable) (array zero-terminated=1) (transfer none): the stop sequences
 */
const char * const *
relay_chat_request_get_stop (RelayChatRequest *self)
{
  g_return_val_if_fail (RELAY_IS_CHAT_REQUEST (self), NULL);
  return (const char * const *) self->stop;
}

/**
 * relay_chat_request_set_stop:
 * @stop: (nullable) (array zero-terminated=1): up to four sequences; %NULL or empty to unset
 *
 * One sequence is sent as a string, several as an array.
 */
void
relay_chat_request_set_stop (RelayChatRequest   *self,
                             const char * const *stop)
{
  g_return_if_fail (RELAY_IS_CHAT_REQUEST (self));

  g_strfreev (self->stop);
  self->stop = (stop != NULL && stop[0] != NULL) ? g_strdupv ((char **) stop) : NULL;
}

RelayResponseFormat
relay_chat_request_get_response_format (RelayChatRequest *self)
{
  g_return_val_if_fail (RELAY_IS_CHAT_REQUEST (self), RELAY_RESPONSE_FORMAT_DEFAULT);
  return self->response_format;
}

void
relay_chat_request_set_response_format (RelayChatRequest    *self,
                                        RelayResponseFormat  format)
{
  g_return_if_fail (RELAY_IS_CHAT_REQUEST (self));
  g_return_if_fail (format <= RELAY_RESPONSE_FORMAT_JSON_OBJECT);
  self->response_format = format;
}

/**
 * relay_chat_request_add_tool:
 * @name: the function's name
 * @description: (nullable): what it does, for the model
 * @parameters: (nullable): a JSON Schema object for its arguments; copied
 */
void
relay_chat_request_add_tool (RelayChatRequest *self,
                             const char       *name,
                             const char       *description,
                             JsonNode         *parameters)
{
  JsonObject *tool;
  JsonObject *function;

  g_return_if_fail (RELAY_IS_CHAT_REQUEST (self));
  g_return_if_fail (name != NULL);

  function = json_object_new ();
  json_object_set_string_member (function, "name", name);
  if (description != NULL)
    json_object_set_string_member (function, "description", description);
  if (parameters != NULL)
    json_object_set_member (function, "parameters", json_node_copy (parameters));

  tool = json_object_new ();
  json_object_set_string_member (tool, "type", "function");
  json_object_set_object_member (tool, "function", function);
  g_ptr_array_add (self->tools, json_node_init_object (json_node_alloc (), tool));
  json_object_unref (tool);
}

/**
 * relay_chat_request_add_tool_json:
 * @parameters_json: (nullable): the JSON Schema of the arguments, as text
 *
 * Returns: %FALSE when @parameters_json is not a JSON object
 */
gboolean
relay_chat_request_add_tool_json (RelayChatRequest  *self,
                                  const char        *name,
                                  const char        *description,
                                  const char        *parameters_json,
                                  GError           **error)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) local_error = NULL;
  JsonNode *root = NULL;

  g_return_val_if_fail (RELAY_IS_CHAT_REQUEST (self), FALSE);
  g_return_val_if_fail (name != NULL, FALSE);

  if (parameters_json != NULL)
    {
      parser = json_parser_new ();
      if (!json_parser_load_from_data (parser, parameters_json, -1, &local_error))
        {
          g_set_error (error, RELAY_ERROR, RELAY_ERROR_INVALID_ARGUMENT,
                       _("The parameters of the tool “%s” are not valid JSON: %s"),
                       name, local_error->message);
          return FALSE;
        }
      root = json_parser_get_root (parser);
      if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
        {
          g_set_error (error, RELAY_ERROR, RELAY_ERROR_INVALID_ARGUMENT,
                       _("The parameters of the tool “%s” must be a JSON Schema object"), name);
          return FALSE;
        }
    }
  relay_chat_request_add_tool (self, name, description, root);
  return TRUE;
}

guint
relay_chat_request_get_n_tools (RelayChatRequest *self)
{
  g_return_val_if_fail (RELAY_IS_CHAT_REQUEST (self), 0);
  return self->tools->len;
}

static const char *
tool_name (JsonNode *tool)
{
  JsonObject *function = json_object_get_object_member (json_node_get_object (tool), "function");

  return json_object_get_string_member (function, "name");
}

RelayToolChoice
relay_chat_request_get_tool_choice (RelayChatRequest *self)
{
  g_return_val_if_fail (RELAY_IS_CHAT_REQUEST (self), RELAY_TOOL_CHOICE_DEFAULT);
  return self->tool_choice;
}

const char *
relay_chat_request_get_tool_choice_name (RelayChatRequest *self)
{
  g_return_val_if_fail (RELAY_IS_CHAT_REQUEST (self), NULL);
  return self->tool_choice_name;
}

/**
 * relay_chat_request_set_tool_choice:
 * @choice: whether and how the model may call tools
 * @function_name: (nullable): the function to force, with %RELAY_TOOL_CHOICE_FUNCTION
 */
void
relay_chat_request_set_tool_choice (RelayChatRequest *self,
                                    RelayToolChoice   choice,
                                    const char       *function_name)
{
  g_return_if_fail (RELAY_IS_CHAT_REQUEST (self));
  g_return_if_fail (choice <= RELAY_TOOL_CHOICE_FUNCTION);
  g_return_if_fail (choice != RELAY_TOOL_CHOICE_FUNCTION || function_name != NULL);

  self->tool_choice = choice;
  g_set_str (&self->tool_choice_name, choice == RELAY_TOOL_CHOICE_FUNCTION ? function_name : NULL);
}

RelayModality
relay_chat_request_get_modality (RelayChatRequest *self)
{
  g_return_val_if_fail (RELAY_IS_CHAT_REQUEST (self), RELAY_MODALITY_DEFAULT);
  return self->modality;
}

void
relay_chat_request_set_modality (RelayChatRequest *self,
                                 RelayModality     modality)
{
  g_return_if_fail (RELAY_IS_CHAT_REQUEST (self));
  g_return_if_fail (modality <= RELAY_MODALITY_IMAGE);
  self->modality = modality;
}

guint
relay_chat_request_get_num_images (RelayChatRequest *self)
{
  g_return_val_if_fail (RELAY_IS_CHAT_REQUEST (self), 0);
  return self->num_images;
}

/**
 * relay_chat_request_set_num_images:
 * @num_images: how many images to generate, 1 to 4; 0 to leave it to the model
 */
void
relay_chat_request_set_num_images (RelayChatRequest *self,
                                   guint             num_images)
{
  g_return_if_fail (RELAY_IS_CHAT_REQUEST (self));
  self->num_images = num_images;
}

#define DEFINE_STRING(name)                                                      \
const char *                                                                     \
relay_chat_request_get_##name (RelayChatRequest *self)                           \
{                                                                                \
  g_return_val_if_fail (RELAY_IS_CHAT_REQUEST (self), NULL);                     \
  return self->name;                                                             \
}                                                                                \
                                                                                 \
void                                                                             \
relay_chat_request_set_##name (RelayChatRequest *self,                           \
                               const char       *value)                          \
{                                                                                \
  g_return_if_fail (RELAY_IS_CHAT_REQUEST (self));                               \
  g_set_str (&self->name, (value != NULL && *value != '\0') ? value : NULL);     \
}

/* Each takes NULL or "" to unset. */
DEFINE_STRING (aspect_ratio)
DEFINE_STRING (image_size)
DEFINE_STRING (resolution)
DEFINE_STRING (quality)

/* Validation --------------------------------------------------------------------------- */

static gboolean
refuse (GError     **error,
        RelayError   code,
        const char  *format,
        ...) G_GNUC_PRINTF (3, 4);

static gboolean
refuse (GError     **error,
        RelayError   code,
        const char  *format,
        ...)
{
  va_list args;

  va_start (args, format);
  if (error != NULL)
    *error = g_error_new_valist (RELAY_ERROR, code, format, args);
  va_end (args);
  return FALSE;
}

static gboolean
check_range (const char  *field,
             double       value,
             double       min,
             double       max,
             GError     **error)
{
  if (isnan (value) || (value >= min && value <= max))
    return TRUE;
  return refuse (error, RELAY_ERROR_BAD_REQUEST,
                 /* Translators: "temperature must be between 0 and 2 (it is 2.5)" */
                 _("%s must be between %g and %g (it is %g)"), field, min, max, value);
}

static gboolean
tool_name_is_valid (const char *name)
{
  gsize len = strlen (name);

  if (len == 0 || len > 64)
    return FALSE;
  for (gsize i = 0; i < len; i++)
    if (!g_ascii_isalnum (name[i]) && name[i] != '_' && name[i] != '-')
      return FALSE;
  return TRUE;
}

static gboolean
validate_tools (RelayChatRequest  *self,
                RelayModelInfo    *info,
                GError           **error)
{
  g_autoptr(GHashTable) names = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < self->tools->len; i++)
    {
      const char *name = tool_name (g_ptr_array_index (self->tools, i));

      if (!tool_name_is_valid (name))
        return refuse (error, RELAY_ERROR_BAD_REQUEST,
                       _("tools[%u].function.name “%s” is not a valid function name: use up to "
                         "64 letters, digits, underscores and dashes"), i, name);
      if (!g_hash_table_add (names, (gpointer) name))
        return refuse (error, RELAY_ERROR_BAD_REQUEST,
                       _("tools: the function name “%s” is given twice"), name);
    }

  if (self->tool_choice == RELAY_TOOL_CHOICE_FUNCTION &&
      !g_hash_table_contains (names, self->tool_choice_name))
    {
      if (self->tools->len == 0)
        return refuse (error, RELAY_ERROR_BAD_REQUEST,
                       _("tool_choice names the function “%s”, but the request has no tools"),
                       self->tool_choice_name);
      return refuse (error, RELAY_ERROR_BAD_REQUEST,
                     _("tool_choice names the function “%s”, which is not among the tools"),
                     self->tool_choice_name);
    }

  if (info != NULL && self->tools->len > 0 &&
      relay_model_info_lacks_capability (info, RELAY_MODEL_CAPABILITY_TOOLS))
    return refuse (error, RELAY_ERROR_UNSUPPORTED,
                   _("tools: %s does not take tools; choose a model that can call functions"),
                   relay_model_info_get_display_name (info));
  return TRUE;
}

static gboolean
validate_messages (RelayChatRequest  *self,
                   RelayModelInfo    *info,
                   GError           **error)
{
  if (self->messages->len == 0)
    return refuse (error, RELAY_ERROR_BAD_REQUEST, _("messages must hold at least one message"));

  for (guint i = 0; i < self->messages->len; i++)
    {
      RelayMessage *message = g_ptr_array_index (self->messages, i);
      GPtrArray *attachments = relay_message_get_attachments (message);
      RelayRole role = relay_message_get_role (message);

      if (role == RELAY_ROLE_TOOL && relay_message_get_tool_call_id (message) == NULL)
        return refuse (error, RELAY_ERROR_BAD_REQUEST,
                       _("messages[%u]: a tool result needs the tool_call_id of its call"), i);
      if (role != RELAY_ROLE_USER || info == NULL)
        continue;

      for (guint j = 0; j < attachments->len; j++)
        {
          RelayAttachment *attachment = g_ptr_array_index (attachments, j);
          gboolean pdf = relay_attachment_get_kind (attachment) == RELAY_ATTACHMENT_KIND_PDF;
          RelayModelCapabilities needed = pdf ? RELAY_MODEL_CAPABILITY_PDF_INPUT
                                              : RELAY_MODEL_CAPABILITY_IMAGE_INPUT;

          if (relay_model_info_lacks_capability (info, needed))
            return refuse (error, RELAY_ERROR_UNSUPPORTED,
                           pdf ? _("messages[%u]: %s does not read PDF files; remove “%s” or "
                                   "choose a model that reads PDFs")
                               : _("messages[%u]: %s does not see images; remove “%s” or "
                                   "choose a model with vision"),
                           i, relay_model_info_get_display_name (info),
                           relay_attachment_get_filename (attachment) != NULL
                             ? relay_attachment_get_filename (attachment) : "");
        }
    }
  return TRUE;
}

static char *
join_values (const char * const *values)
{
  return g_strjoinv (", ", (char **) values);
}

static gboolean
validate_image_param (RelayChatRequest    *self,
                      RelayModelInfo      *info,
                      const char          *field,
                      const char          *value,
                      RelayImageParams     param,
                      const char * const  *allowed,
                      GError             **error)
{
  if (value == NULL)
    return TRUE;
  if (self->modality != RELAY_MODALITY_IMAGE)
    return refuse (error, RELAY_ERROR_BAD_REQUEST,
                   _("image_config.%s is set, but the request does not ask for images "
                     "(modalities [\"image\"])"), field);
  if (info == NULL)
    return TRUE;

  if ((relay_model_info_get_image_params (info) & param) == 0 &&
      relay_model_info_get_image_params (info) != RELAY_IMAGE_PARAM_NONE)
    {
      g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
      g_auto(GStrv) names = NULL;
      g_autofree char *list = NULL;
      static const char *param_names[] = { "num_images", "aspect_ratio", "image_size",
                                           "resolution", "quality" };

      for (guint i = 0; i < G_N_ELEMENTS (param_names); i++)
        if (relay_model_info_get_image_params (info) & (1 << i))
          g_strv_builder_add (builder, param_names[i]);
      names = g_strv_builder_end (builder);
      list = join_values ((const char * const *) names);
      return refuse (error, RELAY_ERROR_UNSUPPORTED,
                     _("image_config.%s is not taken by %s, which takes only: %s"),
                     field, relay_model_info_get_id (info), list);
    }

  if (allowed != NULL && !g_strv_contains (allowed, value))
    {
      g_autofree char *list = join_values (allowed);

      return refuse (error, RELAY_ERROR_UNSUPPORTED,
                     _("image_config.%s “%s” is not one %s takes: %s"),
                     field, value, relay_model_info_get_id (info), list);
    }
  return TRUE;
}

static gboolean
validate_images (RelayChatRequest  *self,
                 RelayModelInfo    *info,
                 GError           **error)
{
  guint max_images = info != NULL ? relay_model_info_get_max_images (info) : RELAY_MAX_IMAGES;
  RelayModelKind kind = info != NULL ? relay_model_info_get_kind (info) : RELAY_MODEL_KIND_TEXT;

  if (self->modality == RELAY_MODALITY_IMAGE && info != NULL &&
      relay_model_info_lacks_capability (info, RELAY_MODEL_CAPABILITY_IMAGE_GENERATION))
    return refuse (error, RELAY_ERROR_UNSUPPORTED,
                   _("modalities: %s does not generate images; choose an image model"),
                   relay_model_info_get_display_name (info));
  if (self->modality != RELAY_MODALITY_IMAGE && kind == RELAY_MODEL_KIND_IMAGE)
    return refuse (error, RELAY_ERROR_UNSUPPORTED,
                   _("modalities: %s only generates images; ask for modalities [\"image\"]"),
                   relay_model_info_get_display_name (info));

  if (self->num_images != 0)
    {
      if (self->modality != RELAY_MODALITY_IMAGE)
        return refuse (error, RELAY_ERROR_BAD_REQUEST,
                       _("image_config.num_images is set, but the request does not ask for "
                         "images (modalities [\"image\"])"));
      if (self->num_images > max_images)
        return refuse (error, RELAY_ERROR_BAD_REQUEST,
                       _("image_config.num_images must be between 1 and %u (it is %u)"),
                       max_images, self->num_images);
    }

  return validate_image_param (self, info, "aspect_ratio", self->aspect_ratio,
                               RELAY_IMAGE_PARAM_ASPECT_RATIO,
                               info ? relay_model_info_get_aspect_ratios (info) : NULL, error) &&
         validate_image_param (self, info, "image_size", self->image_size,
                               RELAY_IMAGE_PARAM_IMAGE_SIZE,
                               info ? relay_model_info_get_image_sizes (info) : NULL, error) &&
         validate_image_param (self, info, "resolution", self->resolution,
                               RELAY_IMAGE_PARAM_RESOLUTION,
                               info ? relay_model_info_get_resolutions (info) : NULL, error) &&
         validate_image_param (self, info, "quality", self->quality,
                               RELAY_IMAGE_PARAM_QUALITY,
                               info ? relay_model_info_get_qualities (info) : NULL, error);
}

/**
 * relay_chat_request_validate:
 * @model_info: (nullable): what is known of the request's model; %NULL to check only
 *   what holds for every model
 * @error: where to say what is wrong, naming the field and what it may be
 *
 * Refuses values outside the reference's ranges (temperature 0–2, top_p 0–1, penalties
 * −2–2, at most 4 stop sequences, 1–4 images), inconsistent tool settings, and what
 * @model_info knows the model not to take: images or PDFs for a model without them,
 * tools, JSON mode, image generation, and image_config members or values (an aspect
 * ratio it does not list, quality on a model without it). What is unknown is let through.
 *
 * Returns: %TRUE when the request may be sent; otherwise %FALSE with a
 *   %RELAY_ERROR_BAD_REQUEST or %RELAY_ERROR_UNSUPPORTED error
 */
gboolean
relay_chat_request_validate (RelayChatRequest  *self,
                             RelayModelInfo    *model_info,
                             GError           **error)
{
  g_return_val_if_fail (RELAY_IS_CHAT_REQUEST (self), FALSE);
  g_return_val_if_fail (model_info == NULL || RELAY_IS_MODEL_INFO (model_info), FALSE);

  if (self->model == NULL || *self->model == '\0')
    return refuse (error, RELAY_ERROR_BAD_REQUEST, _("model must name a model"));
  if (!validate_messages (self, model_info, error))
    return FALSE;

  if (self->max_tokens < 0)
    return refuse (error, RELAY_ERROR_BAD_REQUEST,
                   _("max_tokens must be at least 1 (it is %" G_GINT64_FORMAT ")"),
                   self->max_tokens);
  if (!check_range ("temperature", self->temperature, 0, 2, error) ||
      !check_range ("top_p", self->top_p, 0, 1, error) ||
      !check_range ("presence_penalty", self->presence_penalty, -2, 2, error) ||
      !check_range ("frequency_penalty", self->frequency_penalty, -2, 2, error))
    return FALSE;

  if (self->stop != NULL)
    {
      guint n = g_strv_length (self->stop);

      if (n > RELAY_MAX_STOP_SEQUENCES)
        return refuse (error, RELAY_ERROR_BAD_REQUEST,
                       _("stop takes at most %d sequences (there are %u)"),
                       RELAY_MAX_STOP_SEQUENCES, n);
      for (guint i = 0; i < n; i++)
        if (self->stop[i][0] == '\0')
          return refuse (error, RELAY_ERROR_BAD_REQUEST, _("stop[%u] is empty"), i);
    }

  if (self->response_format == RELAY_RESPONSE_FORMAT_JSON_OBJECT && model_info != NULL &&
      relay_model_info_lacks_capability (model_info, RELAY_MODEL_CAPABILITY_JSON_MODE))
    return refuse (error, RELAY_ERROR_UNSUPPORTED,
                   _("response_format: %s has no JSON mode"),
                   relay_model_info_get_display_name (model_info));

  return validate_tools (self, model_info, error) &&
         validate_images (self, model_info, error);
}

/* JSON --------------------------------------------------------------------------------- */

/* A part whose URL is a data: URI still to be made from a file or bytes. The body is
 * built with a placeholder there, and the URI made later in whichever thread serialises
 * the request: relay_chat_request_to_json() sets it into the tree, while the byte forms
 * splice it into the generated text, which spares json-glib escaping (and copying)
 * tens of megabytes of base64 that need no escaping. */
typedef struct
{
  JsonObject      *object;
  const char      *member;
  RelayAttachment *attachment;
} Pending;

typedef struct
{
  GArray *items;            /* Pending */
  char    nonce[33];        /* makes the placeholders impossible to write in a message */
} PendingList;

static void
pending_clear (Pending *pending)
{
  json_object_unref (pending->object);
  g_object_unref (pending->attachment);
}

static PendingList *
pending_list_new (void)
{
  PendingList *list = g_new0 (PendingList, 1);

  list->items = g_array_new (FALSE, FALSE, sizeof (Pending));
  g_array_set_clear_func (list->items, (GDestroyNotify) pending_clear);
  g_snprintf (list->nonce, sizeof list->nonce, "%08x%08x%08x%08x",
              g_random_int (), g_random_int (), g_random_int (), g_random_int ());
  return list;
}

static void
pending_list_free (PendingList *list)
{
  g_array_unref (list->items);
  g_free (list);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PendingList, pending_list_free)

#define PLACEHOLDER_PREFIX "relay-pending-"

static void
add_attachment_url (JsonObject      *object,
                    const char      *member,
                    RelayAttachment *attachment,
                    PendingList     *pending)
{
  const char *url = relay_attachment_get_url (attachment);

  if (url != NULL)
    json_object_set_string_member (object, member, url);
  else
    {
      Pending p = { json_object_ref (object), member, g_object_ref (attachment) };
      g_autofree char *placeholder = g_strdup_printf (PLACEHOLDER_PREFIX "%s-%u",
                                                      pending->nonce, pending->items->len);

      json_object_set_string_member (object, member, placeholder);
      g_array_append_val (pending->items, p);
    }
}

static JsonNode *
attachment_part (RelayAttachment *attachment,
                 PendingList     *pending)
{
  g_autoptr(JsonObject) part = json_object_new ();
  JsonObject *inner = json_object_new ();

  if (relay_attachment_get_kind (attachment) == RELAY_ATTACHMENT_KIND_PDF)
    {
      const char *filename = relay_attachment_get_filename (attachment);

      json_object_set_string_member (part, "type", "file");
      json_object_set_string_member (inner, "filename", filename != NULL ? filename : "document.pdf");
      add_attachment_url (inner, "file_data", attachment, pending);
      json_object_set_object_member (part, "file", inner);
    }
  else
    {
      json_object_set_string_member (part, "type", "image_url");
      add_attachment_url (inner, "url", attachment, pending);
      json_object_set_object_member (part, "image_url", inner);
    }
  return json_node_init_object (json_node_alloc (), part);
}

static JsonNode *
content_parts (RelayMessage *message,
               PendingList  *pending)
{
  GPtrArray *attachments = relay_message_get_attachments (message);
  JsonArray *parts = json_array_sized_new (attachments->len + 1);
  JsonNode *node;

  if (relay_message_get_content_length (message) > 0)
    {
      JsonObject *text = json_object_new ();

      json_object_set_string_member (text, "type", "text");
      json_object_set_string_member (text, "text", relay_message_get_content (message));
      json_array_add_object_element (parts, text);
    }
  for (guint i = 0; i < attachments->len; i++)
    json_array_add_element (parts, attachment_part (g_ptr_array_index (attachments, i), pending));

  node = json_node_init_array (json_node_alloc (), parts);
  json_array_unref (parts);
  return node;
}

static JsonArray *
tool_calls_to_json (GPtrArray *calls)
{
  JsonArray *array = json_array_sized_new (calls->len);

  for (guint i = 0; i < calls->len; i++)
    {
      RelayToolCall *call = g_ptr_array_index (calls, i);
      JsonObject *object = json_object_new ();
      JsonObject *function = json_object_new ();

      if (call->id != NULL)
        json_object_set_string_member (object, "id", call->id);
      json_object_set_string_member (object, "type", call->type != NULL ? call->type : "function");
      json_object_set_string_member (function, "name", call->name != NULL ? call->name : "");
      /* The API wants the arguments as JSON text; "{}" when the model gave none. */
      json_object_set_string_member (function, "arguments",
                                     call->arguments->len > 0 ? call->arguments->str : "{}");
      json_object_set_object_member (object, "function", function);
      json_array_add_object_element (array, object);
    }
  return array;
}

static JsonNode *
message_to_json (RelayMessage *message,
                 PendingList  *pending)
{
  g_autoptr(JsonObject) object = json_object_new ();
  RelayRole role = relay_message_get_role (message);
  GPtrArray *calls = relay_message_get_tool_calls (message);
  gboolean has_calls = role == RELAY_ROLE_ASSISTANT && calls->len > 0;

  json_object_set_string_member (object, "role", relay_role_to_string (role));

  if (role == RELAY_ROLE_USER && relay_message_get_attachments (message)->len > 0)
    json_object_set_member (object, "content", content_parts (message, pending));
  else if (has_calls && relay_message_get_content_length (message) == 0)
    json_object_set_null_member (object, "content");
  else
    json_object_set_string_member (object, "content", relay_message_get_content (message));

  if (has_calls)
    json_object_set_array_member (object, "tool_calls", tool_calls_to_json (calls));
  if (role == RELAY_ROLE_TOOL && relay_message_get_tool_call_id (message) != NULL)
    json_object_set_string_member (object, "tool_call_id", relay_message_get_tool_call_id (message));

  return json_node_init_object (json_node_alloc (), object);
}

static void
set_double (JsonObject *object,
            const char *member,
            double      value)
{
  if (!isnan (value))
    json_object_set_double_member (object, member, value);
}

static JsonNode *
tool_choice_to_json (RelayChatRequest *self)
{
  g_autoptr(JsonObject) object = NULL;
  JsonObject *function;

  switch (self->tool_choice)
    {
    case RELAY_TOOL_CHOICE_NONE:
      return json_node_init_string (json_node_alloc (), "none");
    case RELAY_TOOL_CHOICE_AUTO:
      return json_node_init_string (json_node_alloc (), "auto");
    case RELAY_TOOL_CHOICE_FUNCTION:
      function = json_object_new ();
      json_object_set_string_member (function, "name", self->tool_choice_name);
      object = json_object_new ();
      json_object_set_string_member (object, "type", "function");
      json_object_set_object_member (object, "function", function);
      return json_node_init_object (json_node_alloc (), object);
    case RELAY_TOOL_CHOICE_DEFAULT:
    default:
      return NULL;
    }
}

static void
add_image_generation (RelayChatRequest *self,
                      JsonObject       *root)
{
  JsonArray *modalities = json_array_new ();
  JsonObject *config;

  json_array_add_string_element (modalities,
                                 self->modality == RELAY_MODALITY_IMAGE ? "image" : "text");
  json_object_set_array_member (root, "modalities", modalities);
  if (self->modality != RELAY_MODALITY_IMAGE)
    return;

  /* The reference calls image_config required with modalities ["image"]: it is sent even
   * when every member is left to the model. */
  config = json_object_new ();
  if (self->num_images != 0)
    json_object_set_int_member (config, "num_images", self->num_images);
  if (self->aspect_ratio != NULL)
    json_object_set_string_member (config, "aspect_ratio", self->aspect_ratio);
  if (self->image_size != NULL)
    json_object_set_string_member (config, "image_size", self->image_size);
  if (self->resolution != NULL)
    json_object_set_string_member (config, "resolution", self->resolution);
  if (self->quality != NULL)
    json_object_set_string_member (config, "quality", self->quality);
  json_object_set_object_member (root, "image_config", config);
}

/* Builds the body, leaving data: URIs to make in @pending. Reads the messages, so it
 * runs in the thread that owns them. */
static JsonNode *
build_json (RelayChatRequest *self,
            PendingList      *pending)
{
  JsonObject *root = json_object_new ();
  JsonArray *messages = json_array_sized_new (self->messages->len);
  JsonNode *node;

  json_object_set_string_member (root, "model", self->model);
  for (guint i = 0; i < self->messages->len; i++)
    json_array_add_element (messages, message_to_json (g_ptr_array_index (self->messages, i), pending));
  json_object_set_array_member (root, "messages", messages);

  if (self->max_tokens > 0)
    json_object_set_int_member (root, "max_tokens", self->max_tokens);
  set_double (root, "temperature", self->temperature);
  set_double (root, "top_p", self->top_p);
  set_double (root, "presence_penalty", self->presence_penalty);
  set_double (root, "frequency_penalty", self->frequency_penalty);

  if (self->stream)
    {
      json_object_set_boolean_member (root, "stream", TRUE);
      if (self->include_usage)
        {
          JsonObject *options = json_object_new ();

          json_object_set_boolean_member (options, "include_usage", TRUE);
          json_object_set_object_member (root, "stream_options", options);
        }
    }

  if (self->stop != NULL && self->stop[1] == NULL)
    json_object_set_string_member (root, "stop", self->stop[0]);
  else if (self->stop != NULL)
    {
      JsonArray *stop = json_array_new ();

      for (guint i = 0; self->stop[i] != NULL; i++)
        json_array_add_string_element (stop, self->stop[i]);
      json_object_set_array_member (root, "stop", stop);
    }

  if (self->response_format != RELAY_RESPONSE_FORMAT_DEFAULT)
    {
      JsonObject *format = json_object_new ();

      json_object_set_string_member (format, "type",
                                     self->response_format == RELAY_RESPONSE_FORMAT_JSON_OBJECT
                                       ? "json_object" : "text");
      json_object_set_object_member (root, "response_format", format);
    }

  if (self->tools->len > 0)
    {
      JsonArray *tools = json_array_sized_new (self->tools->len);

      for (guint i = 0; i < self->tools->len; i++)
        json_array_add_element (tools, json_node_copy (g_ptr_array_index (self->tools, i)));
      json_object_set_array_member (root, "tools", tools);
    }
  if ((node = tool_choice_to_json (self)) != NULL)
    json_object_set_member (root, "tool_choice", node);

  if (self->modality != RELAY_MODALITY_DEFAULT)
    add_image_generation (self, root);

  node = json_node_init_object (json_node_alloc (), root);
  json_object_unref (root);
  return node;
}

/* Makes the data: URIs, in the order of the placeholders. */
static GPtrArray *
make_uris (PendingList   *pending,
           GCancellable  *cancellable,
           GError       **error)
{
  g_autoptr(GPtrArray) uris = g_ptr_array_new_full (pending->items->len, g_free);

  for (guint i = 0; i < pending->items->len; i++)
    {
      Pending *p = &g_array_index (pending->items, Pending, i);
      char *uri;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return NULL;
      if (!(uri = relay_attachment_dup_data_uri (p->attachment, cancellable, error)))
        return NULL;
      g_ptr_array_add (uris, uri);
    }
  return g_steal_pointer (&uris);
}

static gboolean
resolve_into_tree (PendingList   *pending,
                   GCancellable  *cancellable,
                   GError       **error)
{
  g_autoptr(GPtrArray) uris = make_uris (pending, cancellable, error);

  if (uris == NULL)
    return FALSE;
  for (guint i = 0; i < pending->items->len; i++)
    {
      Pending *p = &g_array_index (pending->items, Pending, i);

      json_object_set_string_member (p->object, p->member, g_ptr_array_index (uris, i));
    }
  return TRUE;
}

static char *
node_to_string (JsonNode *root,
                gsize    *length)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();

  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, length);
}

/* Generates the text of @root with each placeholder replaced by its data: URI. Neither
 * placeholders nor URIs (a MIME type and base64) have anything JSON escapes. */
static GBytes *
serialize (JsonNode      *root,
           PendingList   *pending,
           GCancellable  *cancellable,
           GError       **error)
{
  g_autoptr(GPtrArray) uris = NULL;
  g_autofree char *text = NULL;
  g_autofree char *prefix = NULL;
  GString *body;
  gsize length = 0;
  gsize total;
  gsize prefix_len;
  const char *p;
  const char *mark;

  if (!(uris = make_uris (pending, cancellable, error)))
    return NULL;
  text = node_to_string (root, &length);
  if (uris->len == 0)
    return g_bytes_new_take (g_steal_pointer (&text), length);

  total = length;
  for (guint i = 0; i < uris->len; i++)
    total += strlen (g_ptr_array_index (uris, i));
  body = g_string_sized_new (total + 1);

  prefix = g_strconcat (PLACEHOLDER_PREFIX, pending->nonce, "-", NULL);
  prefix_len = strlen (prefix);
  p = text;
  while ((mark = strstr (p, prefix)) != NULL)
    {
      char *end = NULL;
      guint64 index = g_ascii_strtoull (mark + prefix_len, &end, 10);

      g_assert (index < uris->len);
      g_string_append_len (body, p, mark - p);
      g_string_append (body, g_ptr_array_index (uris, index));
      /* Free each URI once it is copied, to keep only one copy of a big file alive. */
      g_clear_pointer (&g_ptr_array_index (uris, index), g_free);
      p = end;
    }
  g_string_append (body, p);
  return g_string_free_to_bytes (body);
}

/**
 * relay_chat_request_needs_io:
 *
 * Returns: whether building the JSON reads local files or encodes attachments, which is
 *   worth doing off the main thread with relay_chat_request_to_bytes_async()
 */
gboolean
relay_chat_request_needs_io (RelayChatRequest *self)
{
  g_return_val_if_fail (RELAY_IS_CHAT_REQUEST (self), FALSE);

  for (guint i = 0; i < self->messages->len; i++)
    {
      RelayMessage *message = g_ptr_array_index (self->messages, i);
      GPtrArray *attachments = relay_message_get_attachments (message);

      if (relay_message_get_role (message) != RELAY_ROLE_USER)
        continue;
      for (guint j = 0; j < attachments->len; j++)
        if (relay_attachment_get_url (g_ptr_array_index (attachments, j)) == NULL)
          return TRUE;
    }
  return FALSE;
}

/**
 * relay_chat_request_to_json:
 * @cancellable: (nullable): stops the reading of attachments
 * @error: where to report an attachment that could not be read
 *
 * Builds the request body. This blocks while it reads and encodes local attachments
 * (see relay_chat_request_needs_io()).
 *
 * Returns: (transfer full) (nullable): the body
 */
JsonNode *
relay_chat_request_to_json (RelayChatRequest  *self,
                            GCancellable      *cancellable,
                            GError           **error)
{
  g_autoptr(PendingList) pending = pending_list_new ();
  g_autoptr(JsonNode) root = NULL;

  g_return_val_if_fail (RELAY_IS_CHAT_REQUEST (self), NULL);

  root = build_json (self, pending);
  if (!resolve_into_tree (pending, cancellable, error))
    return NULL;
  return g_steal_pointer (&root);
}

/**
 * relay_chat_request_to_bytes:
 * @cancellable: (nullable): stops the reading of attachments
 * @error: where to report an attachment that could not be read
 *
 * The body as compact JSON text, ready for soup_message_set_request_body_from_bytes().
 * Blocks while it reads and encodes local attachments.
 *
 * Returns: (transfer full) (nullable): the body
 */
GBytes *
relay_chat_request_to_bytes (RelayChatRequest  *self,
                             GCancellable      *cancellable,
                             GError           **error)
{
  g_autoptr(PendingList) pending = pending_list_new ();
  g_autoptr(JsonNode) root = NULL;

  g_return_val_if_fail (RELAY_IS_CHAT_REQUEST (self), NULL);

  root = build_json (self, pending);
  return serialize (root, pending, cancellable, error);
}

/**
 * relay_chat_request_to_string:
 * @length: (out) (optional): the length of the result
 *
 * Like relay_chat_request_to_bytes(), as a string.
 *
 * Returns: (transfer full) (nullable): the body
 */
char *
relay_chat_request_to_string (RelayChatRequest  *self,
                              gsize             *length,
                              GCancellable      *cancellable,
                              GError           **error)
{
  g_autoptr(GBytes) bytes = NULL;
  gsize size;
  char *str;

  g_return_val_if_fail (RELAY_IS_CHAT_REQUEST (self), NULL);

  if (!(bytes = relay_chat_request_to_bytes (self, cancellable, error)))
    return NULL;
  /* g_string_free_to_bytes() and json-glib both NUL-terminate past the end. */
  str = g_bytes_unref_to_data (g_steal_pointer (&bytes), &size);
  if (length != NULL)
    *length = size;
  return str;
}

typedef struct
{
  JsonNode    *root;
  PendingList *pending;
} SerializeData;

static void
serialize_data_free (SerializeData *data)
{
  json_node_unref (data->root);
  pending_list_free (data->pending);
  g_free (data);
}

static void
serialize_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  SerializeData *data = task_data;
  GError *error = NULL;
  GBytes *body;

  if (!(body = serialize (data->root, data->pending, cancellable, &error)))
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, body, (GDestroyNotify) g_bytes_unref);
}

/**
 * relay_chat_request_to_bytes_async:
 *
 * Builds the body in a worker thread: the messages are read now, in the calling thread,
 * and the files are read, encoded and the JSON written in the worker. The request and
 * its messages may change as soon as this returns.
 */
void
relay_chat_request_to_bytes_async (RelayChatRequest    *self,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  SerializeData *data;

  g_return_if_fail (RELAY_IS_CHAT_REQUEST (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, relay_chat_request_to_bytes_async);

  data = g_new0 (SerializeData, 1);
  data->pending = pending_list_new ();
  data->root = build_json (self, data->pending);
  g_task_set_task_data (task, data, (GDestroyNotify) serialize_data_free);
  g_task_run_in_thread (task, serialize_thread);
}

/**
 * relay_chat_request_to_bytes_finish:
 *
 * Returns: (transfer full) (nullable): the body
 */
GBytes *
relay_chat_request_to_bytes_finish (RelayChatRequest  *self,
                                    GAsyncResult      *result,
                                    GError           **error)
{
  g_return_val_if_fail (RELAY_IS_CHAT_REQUEST (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
