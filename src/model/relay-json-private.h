/* relay-json-private.h: reading untrusted JSON one checked node at a time.
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

JsonObject  *_relay_json_get_object  (JsonObject *object,
                                      const char *member);
JsonArray   *_relay_json_get_array   (JsonObject *object,
                                      const char *member);
const char  *_relay_json_get_string  (JsonObject *object,
                                      const char *member);
gboolean     _relay_json_get_int     (JsonObject *object,
                                      const char *member,
                                      gint64     *value);
gboolean     _relay_json_get_double  (JsonObject *object,
                                      const char *member,
                                      double     *value);
gboolean     _relay_json_get_boolean (JsonObject *object,
                                      const char *member,
                                      gboolean   *value);
JsonObject  *_relay_json_node_object (JsonNode   *node);
const char  *_relay_json_node_string (JsonNode   *node);
char       **_relay_json_get_strv    (JsonObject *object,
                                      const char *member);

G_END_DECLS
