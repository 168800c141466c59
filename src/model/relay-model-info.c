/* relay-model-info.c
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "relay-model-info"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "relay-enums.h"
#include "relay-error.h"
#include "relay-json-private.h"
#include "relay-model-info.h"
#include "relay-model-resources.h"

/**
 * RelayModelInfo:
 *
 * One model: its name and vendor, what it accepts (images, PDFs, tools, JSON mode), whether
 * it generates images and with which image_config members and values, and its prices.
 *
 * What Relay knows comes from two places. The capability table bundled as a resource
 * (`relay-model-capabilities.json`, from the API reference) says what each model takes;
 * the server's model list says which models exist, their prices and, when it carries
 * them, their capabilities. relay_model_info_merge() lays the server's data over the
 * bundled data: whatever the server states wins.
 *
 * A capability is known to be present, known to be absent, or unknown:
 * relay_model_info_get_known_capabilities() says which are known. Validation refuses
 * only what is known to be absent, so an unlisted new model is never blocked.
 */
struct _RelayModelInfo
{
  GObject                 parent_instance;

  char                   *id;
  char                   *display_name;
  char                   *vendor;
  char                   *description;
  char                  **aliases;
  RelayModelKind          kind;
  RelayModelCapabilities  capabilities;
  RelayModelCapabilities  known_capabilities;
  RelayPriceUnit          price_unit;
  double                  input_price;
  double                  output_price;
  RelayImageParams        image_params;
  char                  **aspect_ratios;
  char                  **image_sizes;
  char                  **resolutions;
  char                  **qualities;
  guint                   max_images;

  guint                   recommended : 1;
  guint                   kind_set : 1;
  guint                   recommended_set : 1;
  guint                   prices_set : 1;
  guint                   image_params_set : 1;
  guint                   max_images_set : 1;
};

enum {
  PROP_0,
  PROP_ID,
  PROP_DISPLAY_NAME,
  PROP_VENDOR,
  PROP_DESCRIPTION,
  PROP_KIND,
  PROP_RECOMMENDED,
  PROP_CAPABILITIES,
  PROP_PRICE_UNIT,
  PROP_INPUT_PRICE,
  PROP_OUTPUT_PRICE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (RelayModelInfo, relay_model_info, G_TYPE_OBJECT)

static void
relay_model_info_finalize (GObject *object)
{
  RelayModelInfo *self = RELAY_MODEL_INFO (object);

  g_free (self->id);
  g_free (self->display_name);
  g_free (self->vendor);
  g_free (self->description);
  g_strfreev (self->aliases);
  g_strfreev (self->aspect_ratios);
  g_strfreev (self->image_sizes);
  g_strfreev (self->resolutions);
  g_strfreev (self->qualities);

  G_OBJECT_CLASS (relay_model_info_parent_class)->finalize (object);
}

static void
relay_model_info_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  RelayModelInfo *self = RELAY_MODEL_INFO (object);

  switch (prop_id)
    {
    case PROP_ID: g_value_set_string (value, self->id); break;
    case PROP_DISPLAY_NAME: g_value_set_string (value, relay_model_info_get_display_name (self)); break;
    case PROP_VENDOR: g_value_set_string (value, self->vendor); break;
    case PROP_DESCRIPTION: g_value_set_string (value, self->description); break;
    case PROP_KIND: g_value_set_enum (value, self->kind); break;
    case PROP_RECOMMENDED: g_value_set_boolean (value, self->recommended); break;
    case PROP_CAPABILITIES: g_value_set_flags (value, self->capabilities); break;
    case PROP_PRICE_UNIT: g_value_set_enum (value, self->price_unit); break;
    case PROP_INPUT_PRICE: g_value_set_double (value, self->input_price); break;
    case PROP_OUTPUT_PRICE: g_value_set_double (value, self->output_price); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
relay_model_info_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  RelayModelInfo *self = RELAY_MODEL_INFO (object);

  switch (prop_id)
    {
    case PROP_ID: self->id = g_value_dup_string (value); break;
    case PROP_DISPLAY_NAME: relay_model_info_set_display_name (self, g_value_get_string (value)); break;
    case PROP_VENDOR: relay_model_info_set_vendor (self, g_value_get_string (value)); break;
    case PROP_DESCRIPTION: relay_model_info_set_description (self, g_value_get_string (value)); break;
    case PROP_KIND: relay_model_info_set_kind (self, g_value_get_enum (value)); break;
    case PROP_RECOMMENDED: relay_model_info_set_recommended (self, g_value_get_boolean (value)); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
relay_model_info_class_init (RelayModelInfoClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags rw = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;
  const GParamFlags ro = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  object_class->finalize = relay_model_info_finalize;
  object_class->get_property = relay_model_info_get_property;
  object_class->set_property = relay_model_info_set_property;

  properties[PROP_ID] =
    g_param_spec_string ("id", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DISPLAY_NAME] = g_param_spec_string ("display-name", NULL, NULL, NULL, rw);
  properties[PROP_VENDOR] = g_param_spec_string ("vendor", NULL, NULL, NULL, rw);
  properties[PROP_DESCRIPTION] = g_param_spec_string ("description", NULL, NULL, NULL, rw);
  properties[PROP_KIND] =
    g_param_spec_enum ("kind", NULL, NULL, RELAY_TYPE_MODEL_KIND, RELAY_MODEL_KIND_TEXT, rw);
  properties[PROP_RECOMMENDED] = g_param_spec_boolean ("recommended", NULL, NULL, FALSE, rw);
  properties[PROP_CAPABILITIES] =
    g_param_spec_flags ("capabilities", NULL, NULL, RELAY_TYPE_MODEL_CAPABILITIES,
                        RELAY_MODEL_CAPABILITY_NONE, ro);
  properties[PROP_PRICE_UNIT] =
    g_param_spec_enum ("price-unit", NULL, NULL, RELAY_TYPE_PRICE_UNIT,
                       RELAY_PRICE_UNIT_UNKNOWN, ro);
  properties[PROP_INPUT_PRICE] =
    g_param_spec_double ("input-price", NULL, NULL, -G_MAXDOUBLE, G_MAXDOUBLE, 0, ro);
  properties[PROP_OUTPUT_PRICE] =
    g_param_spec_double ("output-price", NULL, NULL, -G_MAXDOUBLE, G_MAXDOUBLE, 0, ro);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
relay_model_info_init (RelayModelInfo *self)
{
  self->input_price = NAN;
  self->output_price = NAN;
  self->max_images = 4;
}

/**
 * relay_model_info_new:
 * @id: the model's identifier, as sent in requests
 *
 * Returns: (transfer full): a model with nothing known about it but its name
 */
RelayModelInfo *
relay_model_info_new (const char *id)
{
  g_return_val_if_fail (id != NULL && *id != '\0', NULL);

  return g_object_new (RELAY_TYPE_MODEL_INFO, "id", id, NULL);
}

const char *
relay_model_info_get_id (RelayModelInfo *self)
{
  g_return_val_if_fail (RELAY_IS_MODEL_INFO (self), NULL);
  return self->id;
}

/**
 * relay_model_info_get_display_name:
 *
 * Returns: the name to show, which is the ID when nothing better is known
 */
const char *
relay_model_info_get_display_name (RelayModelInfo *self)
{
  g_return_val_if_fail (RELAY_IS_MODEL_INFO (self), NULL);
  return self->display_name != NULL ? self->display_name : self->id;
}

#define DEFINE_STRING(name, PROP)                                                \
void                                                                             \
relay_model_info_set_##name (RelayModelInfo *self,                               \
                             const char     *value)                              \
{                                                                                \
  g_return_if_fail (RELAY_IS_MODEL_INFO (self));                                 \
  if (value != NULL && *value == '\0')                                           \
    value = NULL;                                                                \
  if (g_set_str (&self->name, value))                                            \
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP]);                \
}

DEFINE_STRING (display_name, PROP_DISPLAY_NAME)
DEFINE_STRING (vendor, PROP_VENDOR)
DEFINE_STRING (description, PROP_DESCRIPTION)

/**
 * relay_model_info_get_vendor:
 *
 * Returns: (nullable): who makes the model ("OpenAI", "Black Forest Labs")
 */
const char *
relay_model_info_get_vendor (RelayModelInfo *self)
{
  g_return_val_if_fail (RELAY_IS_MODEL_INFO (self), NULL);
  return self->vendor;
}

const char *
relay_model_info_get_description (RelayModelInfo *self)
{
  g_return_val_if_fail (RELAY_IS_MODEL_INFO (self), NULL);
  return self->description;
}

RelayModelKind
relay_model_info_get_kind (RelayModelInfo *self)
{
  g_return_val_if_fail (RELAY_IS_MODEL_INFO (self), RELAY_MODEL_KIND_TEXT);
  return self->kind;
}

void
relay_model_info_set_kind (RelayModelInfo *self,
                           RelayModelKind  kind)
{
  g_return_if_fail (RELAY_IS_MODEL_INFO (self));

  self->kind_set = TRUE;
  if (self->kind != kind)
    {
      self->kind = kind;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_KIND]);
    }
}

/**
 * relay_model_info_get_recommended:
 *
 * Returns: whether this is the model to suggest first (route-llm)
 */
gboolean
relay_model_info_get_recommended (RelayModelInfo *self)
{
  g_return_val_if_fail (RELAY_IS_MODEL_INFO (self), FALSE);
  return self->recommended;
}

void
relay_model_info_set_recommended (RelayModelInfo *self,
                                  gboolean        recommended)
{
  g_return_if_fail (RELAY_IS_MODEL_INFO (self));

  self->recommended_set = TRUE;
  recommended = !!recommended;
  if (self->recommended != recommended)
    {
      self->recommended = recommended;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RECOMMENDED]);
    }
}

RelayModelCapabilities
relay_model_info_get_capabilities (RelayModelInfo *self)
{
  g_return_val_if_fail (RELAY_IS_MODEL_INFO (self), RELAY_MODEL_CAPABILITY_NONE);
  return self->capabilities;
}

/**
 * relay_model_info_get_known_capabilities:
 *
 * Returns: the capabilities whose presence or absence is known; the others may or may
 *   not be there
 */
RelayModelCapabilities
relay_model_info_get_known_capabilities (RelayModelInfo *self)
{
  g_return_val_if_fail (RELAY_IS_MODEL_INFO (self), RELAY_MODEL_CAPABILITY_NONE);
  return self->known_capabilities;
}

/**
 * relay_model_info_set_capabilities:
 * @capabilities: what the model has
 * @known: which capabilities this call states; the others keep what was known of them
 *
 * A capability in @capabilities is known to be present whatever @known says.
 */
void
relay_model_info_set_capabilities (RelayModelInfo         *self,
                                   RelayModelCapabilities  capabilities,
                                   RelayModelCapabilities  known)
{
  RelayModelCapabilities old;

  g_return_if_fail (RELAY_IS_MODEL_INFO (self));

  known |= capabilities;
  old = self->capabilities;
  self->capabilities = (self->capabilities & ~known) | (capabilities & known);
  self->known_capabilities |= known;
  if (old != self->capabilities)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAPABILITIES]);
}

/**
 * relay_model_info_has_capability:
 *
 * Returns: whether @capability is known to be present
 */
gboolean
relay_model_info_has_capability (RelayModelInfo         *self,
                                 RelayModelCapabilities  capability)
{
  g_return_val_if_fail (RELAY_IS_MODEL_INFO (self), FALSE);
  return (self->capabilities & capability) == capability;
}

/**
 * relay_model_info_lacks_capability:
 *
 * Returns: whether @capability is known to be absent
 */
gboolean
relay_model_info_lacks_capability (RelayModelInfo         *self,
                                   RelayModelCapabilities  capability)
{
  g_return_val_if_fail (RELAY_IS_MODEL_INFO (self), FALSE);
  return (self->known_capabilities & capability) != 0 && (self->capabilities & capability) == 0;
}

RelayPriceUnit
relay_model_info_get_price_unit (RelayModelInfo *self)
{
  g_return_val_if_fail (RELAY_IS_MODEL_INFO (self), RELAY_PRICE_UNIT_UNKNOWN);
  return self->price_unit;
}

/**
 * relay_model_info_get_input_price:
 *
 * Returns: the price of an input token in the unit of
 *   relay_model_info_get_price_unit(), or NAN when there is none
 */
double
relay_model_info_get_input_price (RelayModelInfo *self)
{
  g_return_val_if_fail (RELAY_IS_MODEL_INFO (self), NAN);
  return self->input_price;
}

double
relay_model_info_get_output_price (RelayModelInfo *self)
{
  g_return_val_if_fail (RELAY_IS_MODEL_INFO (self), NAN);
  return self->output_price;
}

/**
 * relay_model_info_set_prices:
 * @input_price: the price of input tokens, NAN when unknown
 * @output_price: the price of output tokens, NAN when unknown
 * @unit: what the numbers are in
 */
void
relay_model_info_set_prices (RelayModelInfo *self,
                             double          input_price,
                             double          output_price,
                             RelayPriceUnit  unit)
{
  g_return_if_fail (RELAY_IS_MODEL_INFO (self));

  self->prices_set = TRUE;
  g_object_freeze_notify (G_OBJECT (self));
  if (self->price_unit != unit)
    {
      self->price_unit = unit;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PRICE_UNIT]);
    }
  if (memcmp (&self->input_price, &input_price, sizeof (double)) != 0)
    {
      self->input_price = input_price;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_INPUT_PRICE]);
    }
  if (memcmp (&self->output_price, &output_price, sizeof (double)) != 0)
    {
      self->output_price = output_price;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_OUTPUT_PRICE]);
    }
  g_object_thaw_notify (G_OBJECT (self));
}

/**
 * relay_model_info_get_prices_per_million:
 * @input: (out) (optional): USD per million input tokens, NAN when unknown
 * @output: (out) (optional): USD per million output tokens, NAN when unknown
 *
 * Returns: %FALSE when the unit of the prices is unknown: they must not be shown as
 *   dollars then
 */
gboolean
relay_model_info_get_prices_per_million (RelayModelInfo *self,
                                         double         *input,
                                         double         *output)
{
  double factor;

  g_return_val_if_fail (RELAY_IS_MODEL_INFO (self), FALSE);

  switch (self->price_unit)
    {
    case RELAY_PRICE_UNIT_USD_PER_TOKEN: factor = 1e6; break;
    case RELAY_PRICE_UNIT_USD_PER_MILLION_TOKENS: factor = 1; break;
    case RELAY_PRICE_UNIT_UNKNOWN:
    default:
      if (input != NULL)
        *input = NAN;
      if (output != NULL)
        *output = NAN;
      return FALSE;
    }
  if (input != NULL)
    *input = self->input_price * factor;
  if (output != NULL)
    *output = self->output_price * factor;
  return TRUE;
}

RelayImageParams
relay_model_info_get_image_params (RelayModelInfo *self)
{
  g_return_val_if_fail (RELAY_IS_MODEL_INFO (self), RELAY_IMAGE_PARAM_NONE);
  return self->image_params;
}

/**
 * relay_model_info_set_image_params:
 * @params: the image_config members the model takes
 */
void
relay_model_info_set_image_params (RelayModelInfo   *self,
                                   RelayImageParams  params)
{
  g_return_if_fail (RELAY_IS_MODEL_INFO (self));

  self->image_params = params;
  self->image_params_set = TRUE;
}

static void
set_strv (char               ***field,
          const char * const   *value)
{
  char **copy = value != NULL ? g_strdupv ((char **) value) : NULL;

  g_strfreev (*field);
  *field = copy;
}

/**
 * relay_model_info_get_aspect_ratios:
 *
 * Returns: (nullable) (array zero-terminated=1) (transfer none): the aspect ratios the model
 *   takes ("1:1", "16:9"), or %NULL when unknown
 */
const char * const *
relay_model_info_get_aspect_ratios (RelayModelInfo *self)
{
  g_return_val_if_fail (RELAY_IS_MODEL_INFO (self), NULL);
  return (const char * const *) self->aspect_ratios;
}

void
relay_model_info_set_aspect_ratios (RelayModelInfo     *self,
                                    const char * const *ratios)
{
  g_return_if_fail (RELAY_IS_MODEL_INFO (self));
  set_strv (&self->aspect_ratios, ratios);
}

/**
 * relay_model_info_get_image_sizes:
 *
 * Returns: (nullable) (array zero-terminated=1) (transfer none): the image sizes the model
 *   takes ("1024x1024"), or %NULL when it takes any or none
 */
const char * const *
relay_model_info_get_image_sizes (RelayModelInfo *self)
{
  g_return_val_if_fail (RELAY_IS_MODEL_INFO (self), NULL);
  return (const char * const *) self->image_sizes;
}

void
relay_model_info_set_image_sizes (RelayModelInfo     *self,
                                  const char * const *sizes)
{
  g_return_if_fail (RELAY_IS_MODEL_INFO (self));
  set_strv (&self->image_sizes, sizes);
}

/**
 * relay_model_info_get_resolutions:
 *
 * Returns: (nullable) (array zero-terminated=1) (transfer none): the resolutions the model
 *   takes, or %NULL when unknown
 */
const char * const *
relay_model_info_get_resolutions (RelayModelInfo *self)
{
  g_return_val_if_fail (RELAY_IS_MODEL_INFO (self), NULL);
  return (const char * const *) self->resolutions;
}

void
relay_model_info_set_resolutions (RelayModelInfo     *self,
                                  const char * const *resolutions)
{
  g_return_if_fail (RELAY_IS_MODEL_INFO (self));
  set_strv (&self->resolutions, resolutions);
}

/**
 * relay_model_info_get_qualities:
 *
 * Returns: (nullable) (array zero-terminated=1) (transfer none): the qualities the model
 *   takes, or %NULL when unknown
 */
const char * const *
relay_model_info_get_qualities (RelayModelInfo *self)
{
  g_return_val_if_fail (RELAY_IS_MODEL_INFO (self), NULL);
  return (const char * const *) self->qualities;
}

void
relay_model_info_set_qualities (RelayModelInfo     *self,
                                const char * const *qualities)
{
  g_return_if_fail (RELAY_IS_MODEL_INFO (self));
  set_strv (&self->qualities, qualities);
}

/**
 * relay_model_info_get_max_images:
 *
 * Returns: the most images one request may ask for
 */
guint
relay_model_info_get_max_images (RelayModelInfo *self)
{
  g_return_val_if_fail (RELAY_IS_MODEL_INFO (self), 1);
  return self->max_images;
}

/**
 * relay_model_info_matches:
 *
 * Whether @id names this model, by its ID or one of its aliases ("dalle" for "dall-e").
 * IDs compare without regard to case: the reference itself spells them both ways.
 */
static gboolean
relay_model_info_matches (RelayModelInfo *self,
                          const char     *id)
{
  if (g_ascii_strcasecmp (self->id, id) == 0)
    return TRUE;
  for (guint i = 0; self->aliases != NULL && self->aliases[i] != NULL; i++)
    if (g_ascii_strcasecmp (self->aliases[i], id) == 0)
      return TRUE;
  return FALSE;
}

/**
 * relay_model_info_merge:
 * @other: what another source says about the same model
 *
 * Lays @other over @self: every field @other states replaces @self's, and the rest
 * stay. Used with the bundled data as @self and the server's as @other.
 */
void
relay_model_info_merge (RelayModelInfo *self,
                        RelayModelInfo *other)
{
  g_return_if_fail (RELAY_IS_MODEL_INFO (self));
  g_return_if_fail (RELAY_IS_MODEL_INFO (other));

  g_object_freeze_notify (G_OBJECT (self));
  if (other->display_name != NULL)
    relay_model_info_set_display_name (self, other->display_name);
  if (other->vendor != NULL)
    relay_model_info_set_vendor (self, other->vendor);
  if (other->description != NULL)
    relay_model_info_set_description (self, other->description);
  if (other->kind_set)
    relay_model_info_set_kind (self, other->kind);
  if (other->recommended_set)
    relay_model_info_set_recommended (self, other->recommended);
  if (other->known_capabilities != 0)
    relay_model_info_set_capabilities (self, other->capabilities, other->known_capabilities);
  if (other->prices_set)
    relay_model_info_set_prices (self, other->input_price, other->output_price, other->price_unit);
  if (other->image_params_set)
    relay_model_info_set_image_params (self, other->image_params);
  if (other->aliases != NULL)
    set_strv (&self->aliases, (const char * const *) other->aliases);
  if (other->aspect_ratios != NULL)
    set_strv (&self->aspect_ratios, (const char * const *) other->aspect_ratios);
  if (other->image_sizes != NULL)
    set_strv (&self->image_sizes, (const char * const *) other->image_sizes);
  if (other->resolutions != NULL)
    set_strv (&self->resolutions, (const char * const *) other->resolutions);
  if (other->qualities != NULL)
    set_strv (&self->qualities, (const char * const *) other->qualities);
  if (other->max_images_set)
    {
      self->max_images = other->max_images;
      self->max_images_set = TRUE;
    }
  g_object_thaw_notify (G_OBJECT (self));
}

/**
 * relay_model_info_copy:
 *
 * Returns: (transfer full): a new model with everything @self knows
 */
RelayModelInfo *
relay_model_info_copy (RelayModelInfo *self)
{
  RelayModelInfo *copy;

  g_return_val_if_fail (RELAY_IS_MODEL_INFO (self), NULL);

  copy = relay_model_info_new (self->id);
  relay_model_info_merge (copy, self);
  return copy;
}

/* Parsing ------------------------------------------------------------------------------ */

static const struct {
  const char             *name;
  RelayModelCapabilities  capability;
} capability_names[] = {
  { "image-input", RELAY_MODEL_CAPABILITY_IMAGE_INPUT },
  { "image_input", RELAY_MODEL_CAPABILITY_IMAGE_INPUT },
  { "vision", RELAY_MODEL_CAPABILITY_IMAGE_INPUT },
  { "pdf-input", RELAY_MODEL_CAPABILITY_PDF_INPUT },
  { "pdf_input", RELAY_MODEL_CAPABILITY_PDF_INPUT },
  { "pdf", RELAY_MODEL_CAPABILITY_PDF_INPUT },
  { "file_input", RELAY_MODEL_CAPABILITY_PDF_INPUT },
  { "tools", RELAY_MODEL_CAPABILITY_TOOLS },
  { "tool_calling", RELAY_MODEL_CAPABILITY_TOOLS },
  { "function_calling", RELAY_MODEL_CAPABILITY_TOOLS },
  { "json-mode", RELAY_MODEL_CAPABILITY_JSON_MODE },
  { "json_mode", RELAY_MODEL_CAPABILITY_JSON_MODE },
  { "response_format", RELAY_MODEL_CAPABILITY_JSON_MODE },
  { "image-generation", RELAY_MODEL_CAPABILITY_IMAGE_GENERATION },
  { "image_generation", RELAY_MODEL_CAPABILITY_IMAGE_GENERATION },
};

static RelayModelCapabilities
capability_for_name (const char *name)
{
  for (guint i = 0; name != NULL && i < G_N_ELEMENTS (capability_names); i++)
    if (g_ascii_strcasecmp (name, capability_names[i].name) == 0)
      return capability_names[i].capability;
  return RELAY_MODEL_CAPABILITY_NONE;
}

static const struct {
  const char       *name;
  RelayImageParams  param;
} image_param_names[] = {
  { "num_images", RELAY_IMAGE_PARAM_NUM_IMAGES },
  { "aspect_ratio", RELAY_IMAGE_PARAM_ASPECT_RATIO },
  { "image_size", RELAY_IMAGE_PARAM_IMAGE_SIZE },
  { "resolution", RELAY_IMAGE_PARAM_RESOLUTION },
  { "quality", RELAY_IMAGE_PARAM_QUALITY },
};

static RelayModelCapabilities
capabilities_from_array (JsonArray *array)
{
  RelayModelCapabilities caps = 0;
  guint n = json_array_get_length (array);

  for (guint i = 0; i < n; i++)
    caps |= capability_for_name (_relay_json_node_string (json_array_get_element (array, i)));
  return caps;
}

/* The shapes a server might state capabilities in: a list of names, an object of
 * booleans, modality lists (OpenRouter style) or supported parameters. */
static void
parse_capabilities (RelayModelInfo *self,
                    JsonObject     *object)
{
  RelayModelCapabilities caps = 0;
  RelayModelCapabilities known = 0;
  JsonObject *caps_object;
  JsonArray *array;
  JsonObject *architecture;

  if ((array = _relay_json_get_array (object, "capabilities")) != NULL)
    caps |= capabilities_from_array (array);
  if ((array = _relay_json_get_array (object, "lacks")) != NULL)
    known |= capabilities_from_array (array);

  if ((caps_object = _relay_json_get_object (object, "capabilities")) != NULL)
    {
      for (guint i = 0; i < G_N_ELEMENTS (capability_names); i++)
        {
          gboolean value;

          if (_relay_json_get_boolean (caps_object, capability_names[i].name, &value))
            {
              known |= capability_names[i].capability;
              if (value)
                caps |= capability_names[i].capability;
            }
        }
    }

  architecture = _relay_json_get_object (object, "architecture");
  if ((array = _relay_json_get_array (object, "input_modalities")) != NULL ||
      (array = _relay_json_get_array (architecture, "input_modalities")) != NULL)
    {
      g_auto(GStrv) names = NULL;

      known |= RELAY_MODEL_CAPABILITY_IMAGE_INPUT | RELAY_MODEL_CAPABILITY_PDF_INPUT;
      names = _relay_json_get_strv (object, "input_modalities");
      if (names == NULL)
        names = _relay_json_get_strv (architecture, "input_modalities");
      if (g_strv_contains ((const char * const *) names, "image"))
        caps |= RELAY_MODEL_CAPABILITY_IMAGE_INPUT;
      if (g_strv_contains ((const char * const *) names, "file"))
        caps |= RELAY_MODEL_CAPABILITY_PDF_INPUT;
    }
  if ((array = _relay_json_get_array (object, "output_modalities")) != NULL ||
      (array = _relay_json_get_array (architecture, "output_modalities")) != NULL)
    {
      known |= RELAY_MODEL_CAPABILITY_IMAGE_GENERATION;
      for (guint i = 0; i < json_array_get_length (array); i++)
        if (g_strcmp0 (_relay_json_node_string (json_array_get_element (array, i)), "image") == 0)
          caps |= RELAY_MODEL_CAPABILITY_IMAGE_GENERATION;
    }
  if ((array = _relay_json_get_array (object, "supported_parameters")) != NULL)
    {
      known |= RELAY_MODEL_CAPABILITY_TOOLS | RELAY_MODEL_CAPABILITY_JSON_MODE;
      caps |= capabilities_from_array (array) &
              (RELAY_MODEL_CAPABILITY_TOOLS | RELAY_MODEL_CAPABILITY_JSON_MODE);
    }

  if ((caps | known) != 0)
    relay_model_info_set_capabilities (self, caps, known);
}

/* Replaces *field with value unless value is NULL (the list was absent). */
static void
take_strv (char ***field,
           char  **value)
{
  if (value == NULL)
    return;
  g_strfreev (*field);
  *field = value;
}

static void
parse_image_options (RelayModelInfo *self,
                     JsonObject     *object)
{
  JsonObject *image = _relay_json_get_object (object, "image");
  JsonArray *params;
  gint64 max_images;

  if (image == NULL)
    image = _relay_json_get_object (object, "image_config");
  if (image == NULL)
    return;

  if ((params = _relay_json_get_array (image, "params")) != NULL)
    {
      RelayImageParams flags = 0;

      for (guint i = 0; i < json_array_get_length (params); i++)
        {
          const char *name = _relay_json_node_string (json_array_get_element (params, i));

          for (guint j = 0; name != NULL && j < G_N_ELEMENTS (image_param_names); j++)
            if (strcmp (name, image_param_names[j].name) == 0)
              flags |= image_param_names[j].param;
        }
      relay_model_info_set_image_params (self, flags);
    }

  take_strv (&self->aspect_ratios, _relay_json_get_strv (image, "aspect_ratios"));
  take_strv (&self->image_sizes, _relay_json_get_strv (image, "image_sizes"));
  take_strv (&self->resolutions, _relay_json_get_strv (image, "resolutions"));
  take_strv (&self->qualities, _relay_json_get_strv (image, "qualities"));
  if (_relay_json_get_int (image, "max_images", &max_images) && max_images >= 1 && max_images <= 16)
    {
      self->max_images = (guint) max_images;
      self->max_images_set = TRUE;
    }
}

static gboolean
kind_from_string (const char     *str,
                  RelayModelKind *kind)
{
  if (g_strcmp0 (str, "text") == 0)
    *kind = RELAY_MODEL_KIND_TEXT;
  else if (g_strcmp0 (str, "image") == 0)
    *kind = RELAY_MODEL_KIND_IMAGE;
  else if (g_strcmp0 (str, "router") == 0)
    *kind = RELAY_MODEL_KIND_ROUTER;
  else
    return FALSE;
  return TRUE;
}

/* Prices, in every way a list has been seen to carry them. OpenAI-style lists give USD
 * per token; listRouteLLMModels' *_token_rate has no documented unit. */
static void
parse_prices (RelayModelInfo *self,
              JsonObject     *object)
{
  JsonObject *pricing = _relay_json_get_object (object, "pricing");
  double input = NAN;
  double output = NAN;
  gboolean have_input;
  gboolean have_output;
  RelayPriceUnit unit = RELAY_PRICE_UNIT_UNKNOWN;
  const char *unit_name;

  if (pricing != NULL)
    {
      have_input = _relay_json_get_double (pricing, "prompt", &input) ||
                   _relay_json_get_double (pricing, "input", &input);
      have_output = _relay_json_get_double (pricing, "completion", &output) ||
                    _relay_json_get_double (pricing, "output", &output);
      unit = RELAY_PRICE_UNIT_USD_PER_TOKEN;
      unit_name = _relay_json_get_string (pricing, "unit");
    }
  else
    {
      have_input = _relay_json_get_double (object, "input_token_rate", &input);
      have_output = _relay_json_get_double (object, "output_token_rate", &output);
      unit_name = _relay_json_get_string (object, "token_rate_unit");
    }

  /* A stated unit wins over what the shape suggests. */
  if (unit_name != NULL)
    {
      if (g_str_equal (unit_name, "usd_per_token"))
        unit = RELAY_PRICE_UNIT_USD_PER_TOKEN;
      else if (g_str_equal (unit_name, "usd_per_million_tokens"))
        unit = RELAY_PRICE_UNIT_USD_PER_MILLION_TOKENS;
      else
        unit = RELAY_PRICE_UNIT_UNKNOWN;
    }

  if (!have_input && !have_output)
    return;
  /* Negative prices are how some lists say "varies"; they are not prices. */
  if (!have_input || input < 0)
    input = NAN;
  if (!have_output || output < 0)
    output = NAN;
  relay_model_info_set_prices (self, input, output, unit);
}

typedef enum
{
  SHAPE_OPENAI,    /* {"object":"list","data":[{"id":...}]} */
  SHAPE_ROUTELLM,  /* {"success":true,"result":[{"name","id",...}]} */
  SHAPE_BUNDLED,   /* relay-model-capabilities.json */
} ListShape;

/* One entry of any of the three lists. Returns NULL for an entry without a usable ID. */
static RelayModelInfo *
parse_entry (JsonNode  *node,
             ListShape  shape)
{
  JsonObject *object = _relay_json_node_object (node);
  g_autoptr(RelayModelInfo) self = NULL;
  const char *id = NULL;
  const char *name;
  const char *str;
  gboolean recommended;
  RelayModelKind kind;
  char **aliases;

  if (object == NULL)
    return NULL;

  name = _relay_json_get_string (object, "name");
  /* listRouteLLMModels' "name" is what requests must say (its "id" is the platform's
   * own); elsewhere "id" is the model and "name" a label. */
  if (shape == SHAPE_ROUTELLM && name != NULL && *name != '\0')
    {
      id = name;
      name = NULL;
    }
  else if ((id = _relay_json_get_string (object, "id")) == NULL || *id == '\0')
    {
      id = name;
      name = NULL;
    }
  if (id == NULL || *id == '\0' || strlen (id) > 256 || !g_utf8_validate (id, -1, NULL))
    return NULL;

  self = relay_model_info_new (id);
  if ((str = _relay_json_get_string (object, "display_name")) != NULL ||
      (str = _relay_json_get_string (object, "displayName")) != NULL)
    relay_model_info_set_display_name (self, str);
  else if (name != NULL && g_strcmp0 (name, id) != 0)
    relay_model_info_set_display_name (self, name);
  if ((str = _relay_json_get_string (object, "vendor")) != NULL ||
      (str = _relay_json_get_string (object, "provider")) != NULL ||
      (shape != SHAPE_BUNDLED && (str = _relay_json_get_string (object, "owned_by")) != NULL))
    relay_model_info_set_vendor (self, str);
  if ((str = _relay_json_get_string (object, "description")) != NULL)
    relay_model_info_set_description (self, str);
  if (kind_from_string (_relay_json_get_string (object, "kind"), &kind))
    relay_model_info_set_kind (self, kind);
  if (_relay_json_get_boolean (object, "recommended", &recommended))
    relay_model_info_set_recommended (self, recommended);
  if ((aliases = _relay_json_get_strv (object, "aliases")) != NULL)
    self->aliases = aliases;

  parse_capabilities (self, object);
  parse_image_options (self, object);
  parse_prices (self, object);

  return g_steal_pointer (&self);
}

static GPtrArray *
parse_entries (JsonArray *array,
               ListShape  shape)
{
  GPtrArray *models = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  guint n = json_array_get_length (array);

  for (guint i = 0; i < n; i++)
    {
      RelayModelInfo *info = parse_entry (json_array_get_element (array, i), shape);

      if (info == NULL)
        continue;
      /* The first entry for an ID wins; a list naming a model twice is a server's slip.
       * (g_hash_table_add() would replace the stored key with the duplicate's.) */
      if (g_hash_table_contains (seen, info->id))
        {
          g_object_unref (info);
          continue;
        }
      g_hash_table_add (seen, info->id);
      g_ptr_array_add (models, info);
    }
  return models;
}

/**
 * relay_model_info_parse_list:
 * @root: a model list as the server sent it
 * @error: where to report a list in neither known shape
 *
 * Reads either shape of model list: OpenAI's `{"object":"list","data":[{"id":...}]}` or
 * listRouteLLMModels' `{"success":true,"result":[{"name","id","input_token_rate",...}]}`
 * (a bare array of entries is taken too). Entries without an ID are skipped, unknown
 * members ignored, members of the wrong type treated as absent.
 *
 * Returns: (transfer full) (element-type RelayModelInfo): the models, in the server's order
 */
GPtrArray *
relay_model_info_parse_list (JsonNode  *root,
                             GError   **error)
{
  JsonObject *object;
  JsonArray *array = NULL;
  gboolean success;

  ListShape shape = SHAPE_OPENAI;

  if (root != NULL && JSON_NODE_HOLDS_ARRAY (root))
    return parse_entries (json_node_get_array (root), SHAPE_OPENAI);

  object = _relay_json_node_object (root);
  if (object != NULL && _relay_json_get_boolean (object, "success", &success) && !success)
    {
      const char *message = _relay_json_get_string (object, "error");

      g_set_error (error, RELAY_ERROR, RELAY_ERROR_INVALID_RESPONSE,
                   _("The server could not list its models: %s"),
                   message != NULL ? message : _("no reason given"));
      return NULL;
    }
  if (object != NULL)
    {
      array = _relay_json_get_array (object, "data");
      if (array == NULL)
        {
          shape = SHAPE_ROUTELLM;
          array = _relay_json_get_array (object, "result");
        }
      if (array == NULL)
        {
          /* {"result": {"models": [...]}} */
          JsonObject *result = _relay_json_get_object (object, "result");

          array = _relay_json_get_array (result, "models");
        }
    }
  if (array == NULL)
    {
      g_set_error_literal (error, RELAY_ERROR, RELAY_ERROR_INVALID_RESPONSE,
                           _("The server’s model list is not in a known form"));
      return NULL;
    }
  return parse_entries (array, shape);
}

/**
 * relay_model_info_parse_list_data:
 * @data: (array length=length): the body of a model list response
 * @length: its length, or -1 when NUL-terminated
 *
 * Returns: (transfer full) (element-type RelayModelInfo) (nullable): the models
 */
GPtrArray *
relay_model_info_parse_list_data (const char  *data,
                                  gssize       length,
                                  GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (data != NULL, NULL);

  if (!json_parser_load_from_data (parser, data, length, &local_error))
    {
      g_set_error (error, RELAY_ERROR, RELAY_ERROR_INVALID_RESPONSE,
                   _("The server’s model list is not valid JSON: %s"), local_error->message);
      return NULL;
    }
  return relay_model_info_parse_list (json_parser_get_root (parser), error);
}

/**
 * relay_model_info_parse_capabilities:
 * @root: a capability table in the bundled format
 *
 * The bundled format is `{"models":[{"id", "name", "vendor", "kind", "recommended",
 * "aliases", "capabilities": [names], "lacks": [names], "image": {"params",
 * "aspect_ratios", "image_sizes", "resolutions", "qualities", "max_images"}}]}`.
 * Capabilities in neither list stay unknown.
 *
 * Returns: (transfer full) (element-type RelayModelInfo) (nullable): the models
 */
GPtrArray *
relay_model_info_parse_capabilities (JsonNode  *root,
                                     GError   **error)
{
  JsonArray *array = _relay_json_get_array (_relay_json_node_object (root), "models");

  if (array == NULL)
    {
      g_set_error_literal (error, RELAY_ERROR, RELAY_ERROR_INVALID_RESPONSE,
                           _("The capability table has no models"));
      return NULL;
    }
  return parse_entries (array, SHAPE_BUNDLED);
}

static GPtrArray *
load_bundled (void)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  GPtrArray *models;
  gsize size;
  const char *data;

  bytes = g_resource_lookup_data (relay_model_get_resource (), RELAY_MODEL_CAPABILITIES_RESOURCE,
                                  G_RESOURCE_LOOKUP_FLAGS_NONE, &error);
  if (bytes != NULL)
    {
      data = g_bytes_get_data (bytes, &size);
      if (json_parser_load_from_data (parser, data, size, &error))
        models = relay_model_info_parse_capabilities (json_parser_get_root (parser), &error);
      else
        models = NULL;
    }
  else
    models = NULL;

  if (models == NULL)
    {
      /* The table is part of the program: this is a build error, not a user's. */
      g_critical ("Could not load the bundled model capabilities: %s", error->message);
      models = g_ptr_array_new_with_free_func (g_object_unref);
    }
  return models;
}

static GPtrArray *
bundled_models (void)
{
  static GPtrArray *models;

  if (g_once_init_enter_pointer (&models))
    g_once_init_leave_pointer (&models, load_bundled ());
  return models;
}

/**
 * relay_model_info_get_bundled:
 *
 * The models of the bundled capability table, in its order (route-llm first).
 *
 * Returns: (transfer full) (element-type RelayModelInfo): new copies, free to change
 */
GPtrArray *
relay_model_info_get_bundled (void)
{
  GPtrArray *table = bundled_models ();
  GPtrArray *copies = g_ptr_array_new_full (table->len, g_object_unref);

  for (guint i = 0; i < table->len; i++)
    g_ptr_array_add (copies, relay_model_info_copy (g_ptr_array_index (table, i)));
  return copies;
}

/**
 * relay_model_info_lookup_bundled:
 * @id: a model ID or alias
 *
 * Returns: (transfer full) (nullable): a copy of what the bundled table says of @id
 */
RelayModelInfo *
relay_model_info_lookup_bundled (const char *id)
{
  GPtrArray *table = bundled_models ();

  g_return_val_if_fail (id != NULL, NULL);

  for (guint i = 0; i < table->len; i++)
    if (relay_model_info_matches (g_ptr_array_index (table, i), id))
      return relay_model_info_copy (g_ptr_array_index (table, i));
  return NULL;
}

/**
 * relay_model_info_merge_lists:
 * @bundled: (element-type RelayModelInfo): what Relay knows (relay_model_info_get_bundled())
 * @server: (nullable) (element-type RelayModelInfo): what the server listed
 *
 * The server says which models exist: the result has its models in its order, each
 * laid over the bundled entry of the same ID or alias. Without a server list (%NULL or
 * empty, as when it could not be fetched) the bundled models stand in.
 *
 * Returns: (transfer full) (element-type RelayModelInfo): new models
 */
GPtrArray *
relay_model_info_merge_lists (GPtrArray *bundled,
                              GPtrArray *server)
{
  GPtrArray *merged;

  g_return_val_if_fail (bundled != NULL, NULL);

  if (server == NULL || server->len == 0)
    {
      merged = g_ptr_array_new_full (bundled->len, g_object_unref);
      for (guint i = 0; i < bundled->len; i++)
        g_ptr_array_add (merged, relay_model_info_copy (g_ptr_array_index (bundled, i)));
      return merged;
    }

  merged = g_ptr_array_new_full (server->len, g_object_unref);
  for (guint i = 0; i < server->len; i++)
    {
      RelayModelInfo *listed = g_ptr_array_index (server, i);
      RelayModelInfo *model = NULL;

      for (guint j = 0; j < bundled->len && model == NULL; j++)
        {
          RelayModelInfo *known = g_ptr_array_index (bundled, j);

          if (relay_model_info_matches (known, listed->id))
            {
              /* Keep the server's spelling of the ID: it is what requests must name. */
              model = relay_model_info_new (listed->id);
              relay_model_info_merge (model, known);
            }
        }
      if (model == NULL)
        model = relay_model_info_new (listed->id);
      relay_model_info_merge (model, listed);
      g_ptr_array_add (merged, model);
    }
  return merged;
}
