/* test-model-catalog.c: the model picker is full at start-up, offline too, and says when
 * what it shows is a cached list.
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "relay-error.h"
#include "relay-fake-server.h"
#include "relay-model-catalog.h"

typedef struct
{
  RelayFakeServer *server;
  RelayClient     *client;
  char            *directory;
  GFile           *cache;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  fixture->server = relay_fake_server_new ();
  fixture->client = relay_client_new ();
  g_assert_true (relay_client_set_base_url (fixture->client,
                                            relay_fake_server_get_base_url (fixture->server), NULL));
  relay_client_set_api_key (fixture->client, "test-catalog");
  relay_client_set_max_attempts (fixture->client, 1);
  fixture->directory = g_dir_make_tmp ("relay-catalog-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (fixture->directory, "relay", "models.json", NULL);
  fixture->cache = g_file_new_for_path (path);
}

static void
remove_tree (GFile *file)
{
  g_autoptr(GFileEnumerator) children = g_file_enumerate_children (file, G_FILE_ATTRIBUTE_STANDARD_NAME,
                                                                  G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS,
                                                                  NULL, NULL);
  GFile *child;

  while (children != NULL && g_file_enumerator_iterate (children, NULL, &child, NULL, NULL) && child != NULL)
    remove_tree (child);
  g_file_delete (file, NULL, NULL);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GFile) directory = g_file_new_for_path (fixture->directory);

  remove_tree (directory);
  g_clear_object (&fixture->cache);
  g_free (fixture->directory);
  g_assert_finalize_object (fixture->client);
  g_clear_object (&fixture->server);
}

static void
wait_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static gboolean
refresh (RelayModelCatalog  *catalog,
         RelayClient        *client,
         GError            **error)
{
  GAsyncResult *result = NULL;
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  gboolean ok;

  relay_model_catalog_refresh_async (catalog, client, NULL, wait_cb, &result);
  g_assert_true (relay_model_catalog_get_refreshing (catalog));
  while (result == NULL && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_nonnull (result);
  ok = relay_model_catalog_refresh_finish (catalog, result, error);
  g_object_unref (result);
  g_assert_false (relay_model_catalog_get_refreshing (catalog));
  return ok;
}

static char *
item_id (GListModel *model,
         guint       position)
{
  g_autoptr(RelayModelInfo) info = g_list_model_get_item (model, position);

  return g_strdup (relay_model_info_get_id (info));
}

static char *
ids (GListModel *model)
{
  GString *joined = g_string_new (NULL);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autofree char *id = item_id (model, i);

      g_string_append_printf (joined, "%s%s", i ? "," : "", id);
    }
  return g_string_free (joined, FALSE);
}

typedef struct
{
  guint removed;
  guint added;
  guint signals;
} Changes;

static void
items_changed_cb (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  Changes    *changes)
{
  g_assert_cmpuint (position, ==, 0);
  changes->removed += removed;
  changes->added += added;
  changes->signals++;
}

/* A first start, offline: the bundled table, route-llm first, nothing cached. */
static void
test_catalog_bundled (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(RelayModelCatalog) catalog = relay_model_catalog_new (fixture->cache, relay_client_get_base_url (fixture->client));
  GListModel *model = G_LIST_MODEL (catalog);
  g_autofree char *first = NULL;

  g_assert_cmpuint (g_list_model_get_item_type (model), ==, RELAY_TYPE_MODEL_INFO);
  g_assert_cmpuint (g_list_model_get_n_items (model), >=, 20);
  first = item_id (model, 0);
  g_assert_cmpstr (first, ==, "route-llm");
  g_assert_true (relay_model_catalog_get_is_offline (catalog));
  g_assert_null (relay_model_catalog_get_last_refreshed (catalog));
  g_assert_nonnull (relay_model_catalog_lookup (catalog, "flux-2-pro"));
  g_assert_null (g_list_model_get_item (model, g_list_model_get_n_items (model)));
}

/* Refreshing shows the server's list, and the next start shows it at once from the cache. */
static void
test_catalog_refresh_and_cache (Fixture       *fixture,
                                gconstpointer  data)
{
  g_autoptr(RelayModelCatalog) catalog = relay_model_catalog_new (fixture->cache, relay_client_get_base_url (fixture->client));
  g_autoptr(RelayModelCatalog) next_start = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) before = g_date_time_new_now_utc ();
  g_autofree char *server_ids = NULL;
  g_autofree char *cached_ids = NULL;
  g_autofree char *contents = NULL;
  Changes changes = { 0 };
  guint bundled = g_list_model_get_n_items (G_LIST_MODEL (catalog));
  RelayModelInfo *info;
  double input, output;
  GDateTime *refreshed;

  g_signal_connect (catalog, "items-changed", G_CALLBACK (items_changed_cb), &changes);
  g_assert_true (refresh (catalog, fixture->client, &error));
  g_assert_no_error (error);

  g_assert_cmpuint (changes.signals, ==, 1);
  g_assert_cmpuint (changes.removed, ==, bundled);
  g_assert_cmpuint (changes.added, ==, 19);
  g_assert_false (relay_model_catalog_get_is_offline (catalog));
  refreshed = relay_model_catalog_get_last_refreshed (catalog);
  g_assert_nonnull (refreshed);
  g_assert_cmpint (g_date_time_difference (refreshed, before), >=, 0);
  g_assert_cmpint (g_date_time_difference (refreshed, before), <, 10 * G_USEC_PER_SEC);

  /* The server's prices laid over the bundled capabilities. */
  info = relay_model_catalog_lookup (catalog, "claude-4-5-sonnet");
  g_assert_nonnull (info);
  g_assert_true (relay_model_info_get_prices_per_million (info, &input, &output));
  g_assert_cmpfloat_with_epsilon (input, 3.0, 1e-9);
  g_assert_true (relay_model_info_has_capability (info, RELAY_MODEL_CAPABILITY_IMAGE_INPUT));
  info = relay_model_catalog_lookup (catalog, "flux-2-pro");
  g_assert_true (relay_model_info_has_capability (info, RELAY_MODEL_CAPABILITY_IMAGE_GENERATION));
  server_ids = ids (G_LIST_MODEL (catalog));
  g_assert_true (g_str_has_prefix (server_ids, "route-llm,gpt-5.2,"));

  /* On disk as JSON, for this base URL. */
  g_assert_true (g_file_load_contents (fixture->cache, NULL, &contents, NULL, NULL, &error));
  g_assert_nonnull (strstr (contents, relay_client_get_base_url (fixture->client)));
  g_assert_nonnull (strstr (contents, "llama-4-Maverick-17B"));
  g_assert_null (strstr (contents, "test-catalog"));

  /* The next start, before any network: the cached list, marked as such. */
  next_start = relay_model_catalog_new (fixture->cache, relay_client_get_base_url (fixture->client));
  cached_ids = ids (G_LIST_MODEL (next_start));
  g_assert_cmpstr (cached_ids, ==, server_ids);
  g_assert_true (relay_model_catalog_get_is_offline (next_start));
  g_assert_nonnull (relay_model_catalog_get_last_refreshed (next_start));
  g_assert_cmpint (g_date_time_difference (relay_model_catalog_get_last_refreshed (next_start), refreshed),
                   >, -G_USEC_PER_SEC);
  info = relay_model_catalog_lookup (next_start, "gpt-5.1");
  g_assert_true (relay_model_info_get_prices_per_million (info, &input, &output));
  g_assert_cmpfloat_with_epsilon (output, 10.0, 1e-9);
}

/* A failed refresh keeps what is shown. */
static void
test_catalog_refresh_fails (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(RelayModelCatalog) catalog = relay_model_catalog_new (fixture->cache, relay_client_get_base_url (fixture->client));
  g_autoptr(GError) error = NULL;
  g_autofree char *before = ids (G_LIST_MODEL (catalog));
  g_autofree char *after = NULL;
  Changes changes = { 0 };

  g_signal_connect (catalog, "items-changed", G_CALLBACK (items_changed_cb), &changes);
  relay_fake_server_queue_reply (fixture->server, "/v1/models",
                                 relay_fake_reply_new_error (500, RELAY_FAKE_BODY_JSON, "Down for maintenance"));
  g_assert_false (refresh (catalog, fixture->client, &error));
  g_assert_error (error, RELAY_ERROR, RELAY_ERROR_SERVER);

  after = ids (G_LIST_MODEL (catalog));
  g_assert_cmpstr (after, ==, before);
  g_assert_cmpuint (changes.signals, ==, 0);
  g_assert_true (relay_model_catalog_get_is_offline (catalog));
  g_assert_false (g_file_query_exists (fixture->cache, NULL));
}

/* The router leads even when the server lists it last. */
static void
test_catalog_router_first (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(RelayModelCatalog) catalog = relay_model_catalog_new (fixture->cache, relay_client_get_base_url (fixture->client));
  g_autoptr(GError) error = NULL;
  g_autofree char *listed = NULL;

  relay_fake_server_queue_reply (fixture->server, "/v1/models", relay_fake_reply_new_json (200,
    "{\"object\":\"list\",\"data\":[{\"id\":\"gpt-5.1\"},{\"id\":\"seedream\"},{\"id\":\"route-llm\"}]}"));
  g_assert_true (refresh (catalog, fixture->client, &error));
  listed = ids (G_LIST_MODEL (catalog));
  g_assert_cmpstr (listed, ==, "route-llm,gpt-5.1,seedream");
}

/* A damaged cache, or one for another base URL, is not used. */
static void
test_catalog_unusable_cache (Fixture       *fixture,
                             gconstpointer  data)
{
  static const char * const contents[] = {
    "",
    "not json",
    "{\"version\":1}",
    "{\"version\":2,\"base-url\":\"BASE\",\"fetched-at\":\"2026-01-01T00:00:00Z\",\"list\":{\"data\":[{\"id\":\"x\"}]}}",
    "{\"version\":1,\"base-url\":\"https://other.abacus.ai/v1\",\"fetched-at\":\"2026-01-01T00:00:00Z\",\"list\":{\"data\":[{\"id\":\"x\"}]}}",
    "{\"version\":1,\"base-url\":\"BASE\",\"fetched-at\":\"yesterday\",\"list\":{\"data\":[{\"id\":\"x\"}]}}",
    "{\"version\":1,\"base-url\":\"BASE\",\"fetched-at\":\"2026-01-01T00:00:00Z\",\"list\":{\"data\":7}}",
  };
  g_autoptr(GFile) directory = g_file_get_parent (fixture->cache);
  const char *base_url = relay_client_get_base_url (fixture->client);

  g_assert_true (g_file_make_directory_with_parents (directory, NULL, NULL));
  for (guint i = 0; i < G_N_ELEMENTS (contents); i++)
    {
      g_autoptr(RelayModelCatalog) catalog = NULL;
      g_autoptr(GString) text = g_string_new (contents[i]);
      g_autofree char *first = NULL;
      g_autoptr(GError) error = NULL;

      g_string_replace (text, "BASE", base_url, 0);
      g_assert_true (g_file_replace_contents (fixture->cache, text->str, text->len, NULL, FALSE,
                                              G_FILE_CREATE_NONE, NULL, NULL, &error));
      catalog = relay_model_catalog_new (fixture->cache, base_url);
      g_assert_null (relay_model_catalog_lookup (catalog, "x"));
      g_assert_null (relay_model_catalog_get_last_refreshed (catalog));
      first = item_id (G_LIST_MODEL (catalog), 0);
      g_assert_cmpstr (first, ==, "route-llm");
    }

  /* The good one, for comparison, is used. */
  {
    g_autoptr(RelayModelCatalog) catalog = NULL;
    g_autofree char *text = g_strdup_printf ("{\"version\":1,\"base-url\":\"%s\",\"fetched-at\":\"2026-01-01T00:00:00Z\","
                                             "\"list\":{\"data\":[{\"id\":\"x\"}]}}", base_url);

    g_assert_true (g_file_replace_contents (fixture->cache, text, strlen (text), NULL, FALSE,
                                            G_FILE_CREATE_NONE, NULL, NULL, NULL));
    catalog = relay_model_catalog_new (fixture->cache, base_url);
    g_assert_nonnull (relay_model_catalog_lookup (catalog, "x"));
    g_assert_nonnull (relay_model_catalog_get_last_refreshed (catalog));
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/model-catalog/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("bundled", test_catalog_bundled);
  ADD ("refresh-and-cache", test_catalog_refresh_and_cache);
  ADD ("refresh-fails", test_catalog_refresh_fails);
  ADD ("router-first", test_catalog_router_first);
  ADD ("unusable-cache", test_catalog_unusable_cache);

#undef ADD

  return g_test_run ();
}
