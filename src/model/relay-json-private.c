/* relay-json-private.c
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "relay-json"

#include "config.h"

#include <math.h>

#include "relay-json-private.h"

/* Each accessor answers NULL or FALSE for a member that is missing, null or of another
 * type than the one asked for, so that a server's surprise never reaches a
 * json-glib critical. */

static JsonNode *
get_member (JsonObject *object,
            const char *member)
{
  if (object == NULL)
    return NULL;
  return json_object_get_member (object, member);
}

JsonObject *
_relay_json_node_object (JsonNode *node)
{
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;
  return json_node_get_object (node);
}

const char *
_relay_json_node_string (JsonNode *node)
{
  if (node == NULL || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

JsonObject *
_relay_json_get_object (JsonObject *object,
                        const char *member)
{
  return _relay_json_node_object (get_member (object, member));
}

JsonArray *
_relay_json_get_array (JsonObject *object,
                       const char *member)
{
  JsonNode *node = get_member (object, member);

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return NULL;
  return json_node_get_array (node);
}

const char *
_relay_json_get_string (JsonObject *object,
                        const char *member)
{
  return _relay_json_node_string (get_member (object, member));
}

gboolean
_relay_json_get_int (JsonObject *object,
                     const char *member,
                     gint64     *value)
{
  JsonNode *node = get_member (object, member);
  GType type;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;
  type = json_node_get_value_type (node);
  if (type == G_TYPE_INT64)
    {
      *value = json_node_get_int (node);
      return TRUE;
    }
  if (type == G_TYPE_DOUBLE)
    {
      double d = json_node_get_double (node);

      /* 12.0 is a fair way to write 12; 1e300 is not a count. */
      if (!isfinite (d) || d != floor (d) || d < (double) G_MININT64 || d >= (double) G_MAXINT64)
        return FALSE;
      *value = (gint64) d;
      return TRUE;
    }
  return FALSE;
}

gboolean
_relay_json_get_double (JsonObject *object,
                        const char *member,
                        double     *value)
{
  JsonNode *node = get_member (object, member);
  GType type;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;
  type = json_node_get_value_type (node);
  if (type == G_TYPE_INT64)
    *value = (double) json_node_get_int (node);
  else if (type == G_TYPE_DOUBLE)
    *value = json_node_get_double (node);
  else if (type == G_TYPE_STRING)
    {
      /* Prices come as strings in some model lists ("0.000003"). */
      const char *str = json_node_get_string (node);
      char *end = NULL;
      double d;

      if (str == NULL || *str == '\0')
        return FALSE;
      d = g_ascii_strtod (str, &end);
      if (end == str || *end != '\0')
        return FALSE;
      *value = d;
    }
  else
    return FALSE;
  return isfinite (*value);
}

gboolean
_relay_json_get_boolean (JsonObject *object,
                         const char *member,
                         gboolean   *value)
{
  JsonNode *node = get_member (object, member);

  if (node == NULL || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    return FALSE;
  *value = json_node_get_boolean (node);
  return TRUE;
}

/* An array of strings; other elements are skipped. NULL when the member is not an array. */
char **
_relay_json_get_strv (JsonObject *object,
                      const char *member)
{
  JsonArray *array = _relay_json_get_array (object, member);
  g_autoptr(GStrvBuilder) builder = NULL;
  guint n;

  if (array == NULL)
    return NULL;
  builder = g_strv_builder_new ();
  n = json_array_get_length (array);
  for (guint i = 0; i < n; i++)
    {
      const char *str = _relay_json_node_string (json_array_get_element (array, i));

      if (str != NULL && *str != '\0')
        g_strv_builder_add (builder, str);
    }
  return g_strv_builder_end (builder);
}
