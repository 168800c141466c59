/* relay-chat-settings.c
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "relay-chat-settings"

#include "config.h"

#include <math.h>

#include <json-glib/json-glib.h>

#include "relay-chat-settings.h"

/* Stored settings come from our own database, but a damaged or hand-edited one must not
 * crash us: sizes are capped and each member's type is checked. */
#define MAX_STOP_SEQUENCES 16

/**
 * RelayChatSettings:
 *
 * The settings a conversation sends with each request: a system prompt and sampling
 * parameters. A parameter at its "unset" value (-1 for temperature and top-p, 0 for
 * max-tokens) is left out of the request so the model's default applies; the penalties
 * default to 0, which is also the API's default.
 *
 * Stored as JSON holding only what differs from the defaults.
 */
struct _RelayChatSettings
{
  GObject    parent_instance;

  char      *system_prompt;
  double     temperature;
  double     top_p;
  gint64     max_tokens;
  GStrv      stop;
  double     presence_penalty;
  double     frequency_penalty;
  gboolean   json_mode;
};

enum {
  PROP_0,
  PROP_SYSTEM_PROMPT,
  PROP_TEMPERATURE,
  PROP_TOP_P,
  PROP_MAX_TOKENS,
  PROP_STOP,
  PROP_PRESENCE_PENALTY,
  PROP_FREQUENCY_PENALTY,
  PROP_JSON_MODE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (RelayChatSettings, relay_chat_settings, G_TYPE_OBJECT)

static void
relay_chat_settings_finalize (GObject *object)
{
  RelayChatSettings *self = RELAY_CHAT_SETTINGS (object);

  g_free (self->system_prompt);
  g_strfreev (self->stop);

  G_OBJECT_CLASS (relay_chat_settings_parent_class)->finalize (object);
}

static void
relay_chat_settings_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  RelayChatSettings *self = RELAY_CHAT_SETTINGS (object);

  switch (prop_id)
    {
    case PROP_SYSTEM_PROMPT: g_value_set_string (value, self->system_prompt); break;
    case PROP_TEMPERATURE: g_value_set_double (value, self->temperature); break;
    case PROP_TOP_P: g_value_set_double (value, self->top_p); break;
    case PROP_MAX_TOKENS: g_value_set_int64 (value, self->max_tokens); break;
    case PROP_STOP: g_value_set_boxed (value, self->stop); break;
    case PROP_PRESENCE_PENALTY: g_value_set_double (value, self->presence_penalty); break;
    case PROP_FREQUENCY_PENALTY: g_value_set_double (value, self->frequency_penalty); break;
    case PROP_JSON_MODE: g_value_set_boolean (value, self->json_mode); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
relay_chat_settings_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  RelayChatSettings *self = RELAY_CHAT_SETTINGS (object);

  switch (prop_id)
    {
    case PROP_SYSTEM_PROMPT:
      relay_chat_settings_set_system_prompt (self, g_value_get_string (value));
      break;
    case PROP_TEMPERATURE:
      relay_chat_settings_set_temperature (self, g_value_get_double (value));
      break;
    case PROP_TOP_P:
      relay_chat_settings_set_top_p (self, g_value_get_double (value));
      break;
    case PROP_MAX_TOKENS:
      relay_chat_settings_set_max_tokens (self, g_value_get_int64 (value));
      break;
    case PROP_STOP:
      relay_chat_settings_set_stop (self, g_value_get_boxed (value));
      break;
    case PROP_PRESENCE_PENALTY:
      relay_chat_settings_set_presence_penalty (self, g_value_get_double (value));
      break;
    case PROP_FREQUENCY_PENALTY:
      relay_chat_settings_set_frequency_penalty (self, g_value_get_double (value));
      break;
    case PROP_JSON_MODE:
      relay_chat_settings_set_json_mode (self, g_value_get_boolean (value));
      break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
relay_chat_settings_class_init (RelayChatSettingsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags rw = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = relay_chat_settings_finalize;
  object_class->get_property = relay_chat_settings_get_property;
  object_class->set_property = relay_chat_settings_set_property;

  properties[PROP_SYSTEM_PROMPT] = g_param_spec_string ("system-prompt", NULL, NULL, NULL, rw);
  properties[PROP_TEMPERATURE] = g_param_spec_double ("temperature", NULL, NULL, -1, 2, -1, rw);
  properties[PROP_TOP_P] = g_param_spec_double ("top-p", NULL, NULL, -1, 1, -1, rw);
  properties[PROP_MAX_TOKENS] = g_param_spec_int64 ("max-tokens", NULL, NULL, 0, G_MAXINT32, 0, rw);
  properties[PROP_STOP] = g_param_spec_boxed ("stop", NULL, NULL, G_TYPE_STRV, rw);
  properties[PROP_PRESENCE_PENALTY] =
    g_param_spec_double ("presence-penalty", NULL, NULL, -2, 2, 0, rw);
  properties[PROP_FREQUENCY_PENALTY] =
    g_param_spec_double ("frequency-penalty", NULL, NULL, -2, 2, 0, rw);
  properties[PROP_JSON_MODE] = g_param_spec_boolean ("json-mode", NULL, NULL, FALSE, rw);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
relay_chat_settings_init (RelayChatSettings *self)
{
  self->temperature = -1;
  self->top_p = -1;
}

RelayChatSettings *
relay_chat_settings_new (void)
{
  return g_object_new (RELAY_TYPE_CHAT_SETTINGS, NULL);
}

static gboolean
read_double (JsonObject *object,
             const char *member,
             double     *value)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;
  if (json_node_get_value_type (node) != G_TYPE_DOUBLE &&
      json_node_get_value_type (node) != G_TYPE_INT64)
    return FALSE;
  *value = json_node_get_double (node);
  return TRUE;
}

static void
read_stop (RelayChatSettings *self,
           JsonObject        *object)
{
  JsonNode *node = json_object_get_member (object, "stop");
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) stop = NULL;
  JsonArray *array;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return;
  array = json_node_get_array (node);
  for (guint i = 0, n = 0; i < json_array_get_length (array) && n < MAX_STOP_SEQUENCES; i++)
    {
      JsonNode *element = json_array_get_element (array, i);

      if (JSON_NODE_HOLDS_VALUE (element) && json_node_get_value_type (element) == G_TYPE_STRING)
        {
          g_strv_builder_add (builder, json_node_get_string (element));
          n++;
        }
    }
  stop = g_strv_builder_end (builder);
  relay_chat_settings_set_stop (self, (const char * const *) stop);
}

/**
 * relay_chat_settings_new_from_json:
 * @json: (nullable): what relay_chat_settings_to_json() made, or %NULL for the defaults
 *
 * Members that are missing or of the wrong type keep their defaults; values out of range
 * are clamped.
 *
 * Returns: (transfer full): the settings, or %NULL when @json is not a JSON object
 */
RelayChatSettings *
relay_chat_settings_new_from_json (const char  *json,
                                   GError     **error)
{
  g_autoptr(RelayChatSettings) self = relay_chat_settings_new ();
  g_autoptr(JsonParser) parser = NULL;
  JsonObject *object;
  JsonNode *root;
  JsonNode *node;
  double value;

  if (json == NULL || *json == '\0')
    return g_steal_pointer (&self);

  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, json, -1, error))
    return NULL;
  if (!(root = json_parser_get_root (parser)) || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error_literal (error, JSON_PARSER_ERROR, JSON_PARSER_ERROR_INVALID_DATA,
                           "Chat settings are not a JSON object");
      return NULL;
    }
  object = json_node_get_object (root);

  node = json_object_get_member (object, "system_prompt");
  if (node != NULL && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    relay_chat_settings_set_system_prompt (self, json_node_get_string (node));
  if (read_double (object, "temperature", &value))
    relay_chat_settings_set_temperature (self, value);
  if (read_double (object, "top_p", &value))
    relay_chat_settings_set_top_p (self, value);
  if (read_double (object, "max_tokens", &value))
    relay_chat_settings_set_max_tokens (self, (gint64) CLAMP (value, 0, G_MAXINT32));
  if (read_double (object, "presence_penalty", &value))
    relay_chat_settings_set_presence_penalty (self, value);
  if (read_double (object, "frequency_penalty", &value))
    relay_chat_settings_set_frequency_penalty (self, value);
  node = json_object_get_member (object, "json_mode");
  if (node != NULL && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_BOOLEAN)
    relay_chat_settings_set_json_mode (self, json_node_get_boolean (node));
  read_stop (self, object);

  return g_steal_pointer (&self);
}

/**
 * relay_chat_settings_to_json:
 *
 * Returns: (transfer full): a JSON object with the settings that differ from the defaults
 */
char *
relay_chat_settings_to_json (RelayChatSettings *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();
  g_autoptr(JsonNode) root = NULL;

  g_return_val_if_fail (RELAY_IS_CHAT_SETTINGS (self), NULL);

  json_builder_begin_object (builder);
  if (self->system_prompt != NULL && *self->system_prompt != '\0')
    {
      json_builder_set_member_name (builder, "system_prompt");
      json_builder_add_string_value (builder, self->system_prompt);
    }
#define ADD_DOUBLE(name, unset)                            \
  if (self->name != unset)                                 \
    {                                                      \
      json_builder_set_member_name (builder, #name);       \
      json_builder_add_double_value (builder, self->name); \
    }
  ADD_DOUBLE (temperature, -1)
  ADD_DOUBLE (top_p, -1)
  ADD_DOUBLE (presence_penalty, 0)
  ADD_DOUBLE (frequency_penalty, 0)
#undef ADD_DOUBLE
  if (self->max_tokens > 0)
    {
      json_builder_set_member_name (builder, "max_tokens");
      json_builder_add_int_value (builder, self->max_tokens);
    }
  if (self->stop != NULL && self->stop[0] != NULL)
    {
      json_builder_set_member_name (builder, "stop");
      json_builder_begin_array (builder);
      for (guint i = 0; self->stop[i] != NULL; i++)
        json_builder_add_string_value (builder, self->stop[i]);
      json_builder_end_array (builder);
    }
  if (self->json_mode)
    {
      json_builder_set_member_name (builder, "json_mode");
      json_builder_add_boolean_value (builder, TRUE);
    }
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  return json_to_string (root, FALSE);
}

gboolean
relay_chat_settings_is_default (RelayChatSettings *self)
{
  g_return_val_if_fail (RELAY_IS_CHAT_SETTINGS (self), TRUE);

  return (self->system_prompt == NULL || *self->system_prompt == '\0') &&
         self->temperature == -1 && self->top_p == -1 && self->max_tokens == 0 &&
         (self->stop == NULL || self->stop[0] == NULL) &&
         self->presence_penalty == 0 && self->frequency_penalty == 0 && !self->json_mode;
}

const char *
relay_chat_settings_get_system_prompt (RelayChatSettings *self)
{
  g_return_val_if_fail (RELAY_IS_CHAT_SETTINGS (self), NULL);
  return self->system_prompt;
}

void
relay_chat_settings_set_system_prompt (RelayChatSettings *self,
                                       const char        *system_prompt)
{
  g_return_if_fail (RELAY_IS_CHAT_SETTINGS (self));

  if (g_set_str (&self->system_prompt, system_prompt))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SYSTEM_PROMPT]);
}

static void
set_double (RelayChatSettings *self,
            double            *field,
            double             value,
            guint              prop)
{
  GParamSpecDouble *pspec = G_PARAM_SPEC_DOUBLE (properties[prop]);

  if (isnan (value))
    value = pspec->default_value;
  value = CLAMP (value, pspec->minimum, pspec->maximum);
  if (*field != value)
    {
      *field = value;
      g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
    }
}

#define DEFINE_DOUBLE(name, PROP)                                           \
double                                                                      \
relay_chat_settings_get_##name (RelayChatSettings *self)                    \
{                                                                           \
  g_return_val_if_fail (RELAY_IS_CHAT_SETTINGS (self), 0);                  \
  return self->name;                                                        \
}                                                                           \
                                                                            \
void                                                                        \
relay_chat_settings_set_##name (RelayChatSettings *self,                    \
                                double             value)                   \
{                                                                           \
  g_return_if_fail (RELAY_IS_CHAT_SETTINGS (self));                         \
  set_double (self, &self->name, value, PROP);                              \
}

DEFINE_DOUBLE (temperature, PROP_TEMPERATURE)
DEFINE_DOUBLE (top_p, PROP_TOP_P)
DEFINE_DOUBLE (presence_penalty, PROP_PRESENCE_PENALTY)
DEFINE_DOUBLE (frequency_penalty, PROP_FREQUENCY_PENALTY)

gint64
relay_chat_settings_get_max_tokens (RelayChatSettings *self)
{
  g_return_val_if_fail (RELAY_IS_CHAT_SETTINGS (self), 0);
  return self->max_tokens;
}

void
relay_chat_settings_set_max_tokens (RelayChatSettings *self,
                                    gint64             max_tokens)
{
  g_return_if_fail (RELAY_IS_CHAT_SETTINGS (self));

  max_tokens = CLAMP (max_tokens, 0, G_MAXINT32);
  if (self->max_tokens != max_tokens)
    {
      self->max_tokens = max_tokens;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MAX_TOKENS]);
    }
}

/**
 * relay_chat_settings_get_stop:
 *
 * Returns: (transfer none) (nullable): the stop sequences
 */
const char * const *
relay_chat_settings_get_stop (RelayChatSettings *self)
{
  g_return_val_if_fail (RELAY_IS_CHAT_SETTINGS (self), NULL);
  return (const char * const *) self->stop;
}

void
relay_chat_settings_set_stop (RelayChatSettings  *self,
                              const char * const *stop)
{
  g_return_if_fail (RELAY_IS_CHAT_SETTINGS (self));

  if (stop != NULL && stop[0] == NULL)
    stop = NULL;
  if (self->stop == NULL && stop == NULL)
    return;
  if (self->stop != NULL && stop != NULL && g_strv_equal ((const char * const *) self->stop, stop))
    return;
  g_strfreev (self->stop);
  self->stop = g_strdupv ((char **) stop);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STOP]);
}

gboolean
relay_chat_settings_get_json_mode (RelayChatSettings *self)
{
  g_return_val_if_fail (RELAY_IS_CHAT_SETTINGS (self), FALSE);
  return self->json_mode;
}

void
relay_chat_settings_set_json_mode (RelayChatSettings *self,
                                   gboolean           json_mode)
{
  g_return_if_fail (RELAY_IS_CHAT_SETTINGS (self));

  json_mode = !!json_mode;
  if (self->json_mode != json_mode)
    {
      self->json_mode = json_mode;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_JSON_MODE]);
    }
}

/**
 * relay_chat_settings_assign:
 * @other: the settings to copy
 *
 * Makes @self hold what @other holds (a new chat taking the defaults from Preferences).
 */
void
relay_chat_settings_assign (RelayChatSettings *self,
                            RelayChatSettings *other)
{
  g_autofree GParamSpec **pspecs = NULL;
  guint n_pspecs;

  g_return_if_fail (RELAY_IS_CHAT_SETTINGS (self));
  g_return_if_fail (RELAY_IS_CHAT_SETTINGS (other));

  pspecs = g_object_class_list_properties (G_OBJECT_GET_CLASS (other), &n_pspecs);
  g_object_freeze_notify (G_OBJECT (self));
  for (guint i = 0; i < n_pspecs; i++)
    {
      g_auto(GValue) value = G_VALUE_INIT;

      if ((pspecs[i]->flags & G_PARAM_READWRITE) != G_PARAM_READWRITE)
        continue;
      g_value_init (&value, pspecs[i]->value_type);
      g_object_get_property (G_OBJECT (other), pspecs[i]->name, &value);
      g_object_set_property (G_OBJECT (self), pspecs[i]->name, &value);
    }
  g_object_thaw_notify (G_OBJECT (self));
}
