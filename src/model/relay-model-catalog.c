/* relay-model-catalog.c
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "relay-model-catalog"

#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>

#include "relay-client-private.h"
#include "relay-model-catalog.h"

/**
 * RelayModelCatalog:
 *
 * The models the user can pick, as a #GListModel of #RelayModelInfo: the bundled
 * capability table laid under the server's model list, with `route-llm` first.
 *
 * So that the picker is full at start-up and offline, the server's list is kept in
 * `$XDG_CACHE_HOME/relay/models.json`, read synchronously when the catalog is made (a few
 * kilobytes), and refreshed in the background with relay_model_catalog_refresh_async().
 * Until a refresh succeeds, #RelayModelCatalog:is-offline is %TRUE and
 * #RelayModelCatalog:last-refreshed says how old the list shown is (%NULL when it is the
 * bundled table alone), so the UI can say that it shows a cached list.
 *
 * The cache belongs to one base URL: an enterprise workspace does not see the models
 * cached for the self-serve API.
 */

#define CACHE_VERSION  1
#define MAX_CACHE_SIZE (16 * 1024 * 1024)

struct _RelayModelCatalog
{
  GObject     parent_instance;

  GPtrArray  *items;
  GFile      *cache_file;
  char       *base_url;
  GDateTime  *last_refreshed;
  guint       refreshing;
  gboolean    is_offline;
};

enum {
  PROP_0,
  PROP_BASE_URL,
  PROP_CACHE_FILE,
  PROP_IS_OFFLINE,
  PROP_ITEM_TYPE,
  PROP_LAST_REFRESHED,
  PROP_N_ITEMS,
  PROP_REFRESHING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static GType
relay_model_catalog_get_item_type (GListModel *model)
{
  return RELAY_TYPE_MODEL_INFO;
}

static guint
relay_model_catalog_get_n_items (GListModel *model)
{
  return RELAY_MODEL_CATALOG (model)->items->len;
}

static gpointer
relay_model_catalog_get_item (GListModel *model,
                              guint       position)
{
  RelayModelCatalog *self = RELAY_MODEL_CATALOG (model);

  if (position >= self->items->len)
    return NULL;
  return g_object_ref (g_ptr_array_index (self->items, position));
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = relay_model_catalog_get_item_type;
  iface->get_n_items = relay_model_catalog_get_n_items;
  iface->get_item = relay_model_catalog_get_item;
}

G_DEFINE_FINAL_TYPE_WITH_CODE (RelayModelCatalog, relay_model_catalog, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

/* The router is the recommended choice: it leads the list whatever the server's order. */
static void
put_router_first (GPtrArray *models)
{
  for (guint i = 1; i < models->len; i++)
    {
      RelayModelInfo *info = g_ptr_array_index (models, i);

      if (g_ascii_strcasecmp (relay_model_info_get_id (info), "route-llm") == 0)
        {
          g_ptr_array_steal_index (models, i);
          g_ptr_array_insert (models, 0, info);
          return;
        }
    }
}

/* @server: (nullable) (element-type RelayModelInfo) */
static GPtrArray *
merge_with_bundled (GPtrArray *server)
{
  g_autoptr(GPtrArray) bundled = relay_model_info_get_bundled ();
  GPtrArray *merged = relay_model_info_merge_lists (bundled, server);

  put_router_first (merged);
  return merged;
}

static void
set_items (RelayModelCatalog *self,
           GPtrArray         *models)
{
  guint removed = self->items->len;

  g_ptr_array_unref (self->items);
  self->items = models;
  g_list_model_items_changed (G_LIST_MODEL (self), 0, removed, models->len);
  if (removed != models->len)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
}

static void
set_is_offline (RelayModelCatalog *self,
                gboolean           is_offline)
{
  if (self->is_offline == is_offline)
    return;
  self->is_offline = is_offline;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_IS_OFFLINE]);
}

static void
set_last_refreshed (RelayModelCatalog *self,
                    GDateTime         *when)
{
  if (self->last_refreshed == when ||
      (self->last_refreshed != NULL && when != NULL && g_date_time_equal (self->last_refreshed, when)))
    return;
  g_clear_pointer (&self->last_refreshed, g_date_time_unref);
  self->last_refreshed = when != NULL ? g_date_time_ref (when) : NULL;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_REFRESHED]);
}

/* ---------------------------------------------------------------------------------- */
/* The cache file: {"version":1,"base-url":…,"fetched-at":ISO 8601,"list":<the server's>} */

static GFile *
default_cache_file (void)
{
  return g_file_new_build_filename (g_get_user_cache_dir (), "relay", "models.json", NULL);
}

static gboolean
unusable_cache (GError     **error,
                const char  *why)
{
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, why);
  return FALSE;
}

static gboolean
read_cache (RelayModelCatalog  *self,
            GPtrArray         **models,
            GDateTime         **fetched_at,
            GError            **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autofree char *contents = NULL;
  JsonObject *root;
  JsonNode *node;
  JsonNode *list;
  const char *when;
  gsize length = 0;

  if (!g_file_load_contents (self->cache_file, NULL, &contents, &length, NULL, error))
    return FALSE;
  if (length > MAX_CACHE_SIZE)
    return unusable_cache (error, "too large");
  if (!json_parser_load_from_data (parser, contents, length, error))
    return FALSE;

  node = json_parser_get_root (parser);
  root = node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
  if (root == NULL || json_object_get_int_member_with_default (root, "version", 0) != CACHE_VERSION)
    return unusable_cache (error, "not a version 1 cache");
  if (g_strcmp0 (json_object_get_string_member_with_default (root, "base-url", NULL), self->base_url) != 0)
    return unusable_cache (error, "for another base URL");

  when = json_object_get_string_member_with_default (root, "fetched-at", NULL);
  list = json_object_get_member (root, "list");
  if (when == NULL || (*fetched_at = g_date_time_new_from_iso8601 (when, NULL)) == NULL || list == NULL)
    return unusable_cache (error, "incomplete");

  *models = relay_model_info_parse_list (list, error);
  if (*models == NULL)
    g_clear_pointer (fetched_at, g_date_time_unref);
  return *models != NULL;
}

static void
load_cache (RelayModelCatalog *self)
{
  g_autoptr(GPtrArray) models = NULL;
  g_autoptr(GDateTime) fetched_at = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *when = NULL;

  if (!read_cache (self, &models, &fetched_at, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
        g_debug ("Not using the cached model list %s: %s", g_file_peek_path (self->cache_file), error->message);
      return;
    }
  if (models->len == 0)
    return;

  when = g_date_time_format_iso8601 (fetched_at);
  g_debug ("%u models from the cache, fetched %s", models->len, when);
  set_items (self, merge_with_bundled (models));
  set_last_refreshed (self, fetched_at);
}

static GBytes *
build_cache (const char  *base_url,
             GDateTime   *fetched_at,
             GBytes      *body,
             GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *when = g_date_time_format_iso8601 (fetched_at);
  gsize length = 0;
  char *text;

  if (!json_parser_load_from_data (parser, g_bytes_get_data (body, NULL), g_bytes_get_size (body), error))
    return NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "version");
  json_builder_add_int_value (builder, CACHE_VERSION);
  json_builder_set_member_name (builder, "base-url");
  json_builder_add_string_value (builder, base_url);
  json_builder_set_member_name (builder, "fetched-at");
  json_builder_add_string_value (builder, when);
  json_builder_set_member_name (builder, "list");
  json_builder_add_value (builder, json_node_ref (json_parser_get_root (parser)));
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  text = json_to_string (root, FALSE);
  length = strlen (text);
  return g_bytes_new_take (text, length);
}

/* ---------------------------------------------------------------------------------- */

static void
relay_model_catalog_finalize (GObject *object)
{
  RelayModelCatalog *self = RELAY_MODEL_CATALOG (object);

  g_ptr_array_unref (self->items);
  g_clear_object (&self->cache_file);
  g_free (self->base_url);
  g_clear_pointer (&self->last_refreshed, g_date_time_unref);

  G_OBJECT_CLASS (relay_model_catalog_parent_class)->finalize (object);
}

static void
relay_model_catalog_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  RelayModelCatalog *self = RELAY_MODEL_CATALOG (object);

  switch (prop_id)
    {
    case PROP_BASE_URL: g_value_set_string (value, self->base_url); break;
    case PROP_CACHE_FILE: g_value_set_object (value, self->cache_file); break;
    case PROP_IS_OFFLINE: g_value_set_boolean (value, self->is_offline); break;
    case PROP_ITEM_TYPE: g_value_set_gtype (value, RELAY_TYPE_MODEL_INFO); break;
    case PROP_LAST_REFRESHED: g_value_set_boxed (value, self->last_refreshed); break;
    case PROP_N_ITEMS: g_value_set_uint (value, self->items->len); break;
    case PROP_REFRESHING: g_value_set_boolean (value, self->refreshing > 0); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
relay_model_catalog_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  RelayModelCatalog *self = RELAY_MODEL_CATALOG (object);

  switch (prop_id)
    {
    case PROP_BASE_URL: self->base_url = g_value_dup_string (value); break;
    case PROP_CACHE_FILE: self->cache_file = g_value_dup_object (value); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
relay_model_catalog_constructed (GObject *object)
{
  RelayModelCatalog *self = RELAY_MODEL_CATALOG (object);

  G_OBJECT_CLASS (relay_model_catalog_parent_class)->constructed (object);

  if (self->cache_file == NULL)
    self->cache_file = default_cache_file ();
  if (self->base_url == NULL)
    self->base_url = g_strdup (RELAY_DEFAULT_BASE_URL);

  load_cache (self);
}

static void
relay_model_catalog_class_init (RelayModelCatalogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;
  GParamFlags construct = G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS;

  object_class->constructed = relay_model_catalog_constructed;
  object_class->finalize = relay_model_catalog_finalize;
  object_class->get_property = relay_model_catalog_get_property;
  object_class->set_property = relay_model_catalog_set_property;

  /* The base URL whose models are listed; a refresh through a client for another
   * base URL moves the catalog to it. */
  properties[PROP_BASE_URL] =
    g_param_spec_string ("base-url", NULL, NULL, NULL, construct | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_CACHE_FILE] =
    g_param_spec_object ("cache-file", NULL, NULL, G_TYPE_FILE, construct);
  /* TRUE until a refresh succeeds: the list shown is the cached or bundled one. */
  properties[PROP_IS_OFFLINE] =
    g_param_spec_boolean ("is-offline", NULL, NULL, TRUE, ro);
  properties[PROP_ITEM_TYPE] =
    g_param_spec_gtype ("item-type", NULL, NULL, RELAY_TYPE_MODEL_INFO, ro);
  /* When the server's list shown was fetched; NULL while only the bundled table is. */
  properties[PROP_LAST_REFRESHED] =
    g_param_spec_boxed ("last-refreshed", NULL, NULL, G_TYPE_DATE_TIME, ro);
  properties[PROP_N_ITEMS] =
    g_param_spec_uint ("n-items", NULL, NULL, 0, G_MAXUINT, 0, ro);
  properties[PROP_REFRESHING] =
    g_param_spec_boolean ("refreshing", NULL, NULL, FALSE, ro);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
relay_model_catalog_init (RelayModelCatalog *self)
{
  self->is_offline = TRUE;
  self->items = merge_with_bundled (NULL);
}

/**
 * relay_model_catalog_new:
 * @cache_file: (nullable): where to keep the list, or %NULL for
 *   `$XDG_CACHE_HOME/relay/models.json`
 * @base_url: (nullable): the base URL whose list to show, or %NULL for the default
 *
 * Makes the catalog, filled at once from the cache (when it holds a list for @base_url)
 * or else from the bundled table.
 */
RelayModelCatalog *
relay_model_catalog_new (GFile      *cache_file,
                         const char *base_url)
{
  g_return_val_if_fail (cache_file == NULL || G_IS_FILE (cache_file), NULL);

  return g_object_new (RELAY_TYPE_MODEL_CATALOG,
                       "cache-file", cache_file,
                       "base-url", base_url,
                       NULL);
}

GFile *
relay_model_catalog_get_cache_file (RelayModelCatalog *self)
{
  g_return_val_if_fail (RELAY_IS_MODEL_CATALOG (self), NULL);
  return self->cache_file;
}

gboolean
relay_model_catalog_get_is_offline (RelayModelCatalog *self)
{
  g_return_val_if_fail (RELAY_IS_MODEL_CATALOG (self), TRUE);
  return self->is_offline;
}

/**
 * relay_model_catalog_get_last_refreshed:
 *
 * Returns: (transfer none) (nullable): when the list shown came from the server
 */
GDateTime *
relay_model_catalog_get_last_refreshed (RelayModelCatalog *self)
{
  g_return_val_if_fail (RELAY_IS_MODEL_CATALOG (self), NULL);
  return self->last_refreshed;
}

gboolean
relay_model_catalog_get_refreshing (RelayModelCatalog *self)
{
  g_return_val_if_fail (RELAY_IS_MODEL_CATALOG (self), FALSE);
  return self->refreshing > 0;
}

/**
 * relay_model_catalog_lookup:
 * @id: a model ID, or an alias the bundled table knows ("dalle" for "dall-e")
 *
 * Returns: (transfer none) (nullable): the model
 */
RelayModelInfo *
relay_model_catalog_lookup (RelayModelCatalog *self,
                            const char        *id)
{
  g_autoptr(RelayModelInfo) known = NULL;

  g_return_val_if_fail (RELAY_IS_MODEL_CATALOG (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  for (guint i = 0; i < self->items->len; i++)
    if (g_ascii_strcasecmp (relay_model_info_get_id (g_ptr_array_index (self->items, i)), id) == 0)
      return g_ptr_array_index (self->items, i);

  known = relay_model_info_lookup_bundled (id);
  if (known != NULL && g_ascii_strcasecmp (relay_model_info_get_id (known), id) != 0)
    return relay_model_catalog_lookup (self, relay_model_info_get_id (known));
  return NULL;
}

/* ---------------------------------------------------------------------------------- */
/* Refreshing                                                                         */

static void
refresh_done (RelayModelCatalog *self)
{
  self->refreshing--;
  if (self->refreshing == 0)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REFRESHING]);
}

static void
cache_written_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  /* The list is shown either way; without a cache the next start is merely slower. */
  if (!g_file_replace_contents_finish (G_FILE (object), result, NULL, &error))
    g_warning ("Could not cache the model list in %s: %s", g_file_peek_path (G_FILE (object)), error->message);

  refresh_done (g_task_get_source_object (task));
  g_task_return_boolean (task, TRUE);
}

static void
write_cache (RelayModelCatalog *self,
             GTask             *task,
             GBytes            *body)
{
  g_autoptr(GFile) directory = g_file_get_parent (self->cache_file);
  g_autoptr(GBytes) contents = NULL;
  g_autoptr(GError) error = NULL;

  contents = build_cache (self->base_url, self->last_refreshed, body, &error);
  if (contents == NULL ||
      (!g_file_make_directory_with_parents (directory, NULL, &error) &&
       !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_EXISTS)))
    {
      g_warning ("Could not cache the model list in %s: %s", g_file_peek_path (self->cache_file), error->message);
      refresh_done (self);
      g_task_return_boolean (task, TRUE);
      return;
    }

  g_file_replace_contents_bytes_async (self->cache_file, contents, NULL, FALSE,
                                       G_FILE_CREATE_PRIVATE | G_FILE_CREATE_REPLACE_DESTINATION,
                                       g_task_get_cancellable (task), cache_written_cb, g_object_ref (task));
}

static void
list_models_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  RelayModelCatalog *self = g_task_get_source_object (task);
  const char *base_url = g_task_get_task_data (task);
  g_autoptr(GPtrArray) models = NULL;
  g_autoptr(GDateTime) now = NULL;
  g_autoptr(GError) error = NULL;
  GBytes *body;

  models = relay_client_list_models_finish (RELAY_CLIENT (object), result, &error);
  if (models == NULL)
    {
      refresh_done (self);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (g_set_str (&self->base_url, base_url))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BASE_URL]);

  g_debug ("%u models from %s", models->len, base_url);
  now = g_date_time_new_now_utc ();
  set_items (self, merge_with_bundled (models));
  set_last_refreshed (self, now);
  set_is_offline (self, FALSE);

  body = _relay_client_list_models_get_body (result);
  if (body == NULL || models->len == 0)
    {
      refresh_done (self);
      g_task_return_boolean (task, TRUE);
      return;
    }
  write_cache (self, task, body);
}

/**
 * relay_model_catalog_refresh_async:
 * @client: the client to ask, whose base URL the list will then be for
 *
 * Fetches the server's model list, shows it (over the bundled table) and caches it. On
 * failure the list shown stays as it was.
 */
void
relay_model_catalog_refresh_async (RelayModelCatalog   *self,
                                   RelayClient         *client,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (RELAY_IS_MODEL_CATALOG (self));
  g_return_if_fail (RELAY_IS_CLIENT (client));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, relay_model_catalog_refresh_async);
  g_task_set_task_data (task, g_strdup (relay_client_get_base_url (client)), g_free);

  if (self->refreshing++ == 0)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REFRESHING]);
  relay_client_list_models_async (client, cancellable, list_models_cb, g_steal_pointer (&task));
}

gboolean
relay_model_catalog_refresh_finish (RelayModelCatalog  *self,
                                    GAsyncResult       *result,
                                    GError            **error)
{
  g_return_val_if_fail (RELAY_IS_MODEL_CATALOG (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
