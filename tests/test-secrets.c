/* test-secrets.c: the API key goes to the Secret Service, per base URL, and nowhere else.
 *
 * Runs against the gnome-keyring of the test session (build-aux/relay-session).
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "relay-secrets.h"

typedef struct
{
  GAsyncResult *result;
} Wait;

static void
wait_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  Wait *wait = user_data;

  wait->result = g_object_ref (result);
}

static GAsyncResult *
wait_for (Wait *wait)
{
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

  while (wait->result == NULL && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_nonnull (wait->result);
  return wait->result;
}

static char *
lookup (RelaySecrets  *secrets,
        const char    *base_url,
        GError       **error)
{
  Wait wait = { NULL };
  char *key;

  relay_secrets_lookup_async (secrets, base_url, NULL, wait_cb, &wait);
  key = relay_secrets_lookup_finish (secrets, wait_for (&wait), error);
  g_object_unref (wait.result);
  return key;
}

static gboolean
store (RelaySecrets  *secrets,
       const char    *base_url,
       const char    *key,
       GError       **error)
{
  Wait wait = { NULL };
  gboolean ok;

  relay_secrets_store_async (secrets, base_url, key, NULL, wait_cb, &wait);
  ok = relay_secrets_store_finish (secrets, wait_for (&wait), error);
  g_object_unref (wait.result);
  return ok;
}

static gboolean
clear (RelaySecrets  *secrets,
       const char    *base_url,
       GError       **error)
{
  Wait wait = { NULL };
  gboolean ok;

  relay_secrets_clear_async (secrets, base_url, NULL, wait_cb, &wait);
  ok = relay_secrets_clear_finish (secrets, wait_for (&wait), error);
  g_object_unref (wait.result);
  return ok;
}

static void
count_changed_cb (RelaySecrets *secrets,
                  const char   *base_url,
                  GPtrArray    *changes)
{
  g_ptr_array_add (changes, g_strdup (base_url));
}

/* The key must not be written in clear to any file of the session's home. */
static gboolean
directory_contains (GFile      *directory,
                    const char *needle)
{
  g_autoptr(GFileEnumerator) children = NULL;
  GFileInfo *info;
  GFile *child;

  children = g_file_enumerate_children (directory, G_FILE_ATTRIBUTE_STANDARD_NAME ","
                                        G_FILE_ATTRIBUTE_STANDARD_TYPE,
                                        G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, NULL, NULL);
  while (children != NULL && g_file_enumerator_iterate (children, &info, &child, NULL, NULL) && info != NULL)
    {
      g_autofree char *contents = NULL;
      gsize length = 0;

      if (g_file_info_get_file_type (info) == G_FILE_TYPE_DIRECTORY)
        {
          if (directory_contains (child, needle))
            return TRUE;
        }
      else if (g_file_info_get_file_type (info) == G_FILE_TYPE_REGULAR &&
               g_file_load_contents (child, NULL, &contents, &length, NULL, NULL) &&
               memmem (contents, length, needle, strlen (needle)) != NULL)
        {
          g_test_message ("found in %s", g_file_peek_path (child));
          return TRUE;
        }
    }
  return FALSE;
}

static gboolean
have_secret_service (void)
{
  g_autoptr(GDBusConnection) bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, NULL);
  g_autoptr(GVariant) reply = NULL;

  if (bus == NULL)
    return FALSE;
  reply = g_dbus_connection_call_sync (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "StartServiceByName",
                                       g_variant_new ("(su)", "org.freedesktop.secrets", 0),
                                       NULL, G_DBUS_CALL_FLAGS_NONE, 10000, NULL, NULL);
  if (reply == NULL)
    reply = g_dbus_connection_call_sync (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                         "org.freedesktop.DBus", "GetNameOwner",
                                         g_variant_new ("(s)", "org.freedesktop.secrets"),
                                         NULL, G_DBUS_CALL_FLAGS_NONE, 10000, NULL, NULL);
  return reply != NULL;
}

static void
test_secrets_store_lookup_clear (void)
{
  g_autoptr(RelaySecrets) secrets = relay_secrets_new ();
  g_autoptr(GPtrArray) changes = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  g_autofree char *base_url = NULL;
  g_autofree char *other_url = NULL;
  g_autofree char *key = NULL;
  g_autofree char *secret = NULL;
  g_autoptr(GFile) home = g_file_new_for_path (g_get_home_dir ());

  if (!have_secret_service ())
    {
      g_test_skip ("no Secret Service on the session bus; run under build-aux/relay-session");
      return;
    }

  base_url = g_strdup_printf ("https://test-%u.abacus.ai/v1", g_random_int ());
  other_url = g_strdup_printf ("https://other-%u.abacus.ai/v1", g_random_int ());
  secret = g_strdup_printf ("test-secret-%08x%08x", g_random_int (), g_random_int ());
  g_signal_connect (secrets, "changed", G_CALLBACK (count_changed_cb), changes);

  /* Nothing stored yet: no key and no error. */
  key = lookup (secrets, base_url, &error);
  g_assert_no_error (error);
  g_assert_null (key);

  g_assert_true (store (secrets, base_url, secret, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (changes->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (changes, 0), ==, base_url);

  key = lookup (secrets, base_url, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (key, ==, secret);
  g_clear_pointer (&key, relay_secrets_free_key);

  /* Keys are per base URL: an enterprise workspace keeps its own. */
  key = lookup (secrets, other_url, &error);
  g_assert_no_error (error);
  g_assert_null (key);

  /* Storing again replaces the key rather than adding a second one. */
  g_assert_true (store (secrets, base_url, "test-replacement", &error));
  g_assert_no_error (error);
  key = lookup (secrets, base_url, &error);
  g_assert_cmpstr (key, ==, "test-replacement");
  g_clear_pointer (&key, relay_secrets_free_key);

  g_assert_false (directory_contains (home, secret));
  g_assert_false (directory_contains (home, "test-replacement"));

  g_assert_true (clear (secrets, base_url, &error));
  g_assert_no_error (error);
  key = lookup (secrets, base_url, &error);
  g_assert_no_error (error);
  g_assert_null (key);

  /* Clearing what is not there is not an error. */
  g_assert_true (clear (secrets, base_url, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (changes->len, ==, 4);
}

static void
test_secrets_cancelled (void)
{
  g_autoptr(RelaySecrets) secrets = relay_secrets_new ();
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  Wait wait = { NULL };
  char *key;

  if (!have_secret_service ())
    {
      g_test_skip ("no Secret Service on the session bus");
      return;
    }

  g_cancellable_cancel (cancellable);
  relay_secrets_lookup_async (secrets, "https://routellm.abacus.ai/v1", cancellable, wait_cb, &wait);
  key = relay_secrets_lookup_finish (secrets, wait_for (&wait), &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (key);
  g_object_unref (wait.result);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/secrets/store-lookup-clear", test_secrets_store_lookup_clear);
  g_test_add_func ("/secrets/cancelled", test_secrets_cancelled);

  return g_test_run ();
}
