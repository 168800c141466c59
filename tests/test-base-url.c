/* test-base-url.c: the base URL a user types is corrected where that is safe, and refused
 * with a message that says how to fix it where it is not.
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "relay-client.h"
#include "relay-error.h"

typedef struct
{
  const char *input;
  const char *expected;
} Accepted;

static void
test_base_url_accepted (void)
{
  static const Accepted cases[] = {
    /* As documented */
    { "https://routellm.abacus.ai/v1", "https://routellm.abacus.ai/v1" },
    { "https://acme.abacus.ai/v1", "https://acme.abacus.ai/v1" },
    /* Blanks and trailing slashes from copying */
    { "  https://routellm.abacus.ai/v1/  \n", "https://routellm.abacus.ai/v1" },
    { "https://routellm.abacus.ai/v1///", "https://routellm.abacus.ai/v1" },
    /* An endpoint pasted instead of the base */
    { "https://routellm.abacus.ai/v1/chat/completions", "https://routellm.abacus.ai/v1" },
    { "https://routellm.abacus.ai/v1/chat/completions/", "https://routellm.abacus.ai/v1" },
    { "https://routellm.abacus.ai/v1/models", "https://routellm.abacus.ai/v1" },
    /* A bare host gets /v1, a host without a scheme gets https */
    { "https://routellm.abacus.ai", "https://routellm.abacus.ai/v1" },
    { "https://routellm.abacus.ai/", "https://routellm.abacus.ai/v1" },
    { "routellm.abacus.ai/v1", "https://routellm.abacus.ai/v1" },
    /* Case of scheme, host and the version segment */
    { "HTTPS://RouteLLM.Abacus.AI/V1", "https://routellm.abacus.ai/v1" },
    /* A proxy that keeps the API under a prefix, and a port */
    { "https://proxy.example.com:8443/routellm/v1", "https://proxy.example.com:8443/routellm/v1" },
    /* Plain http on this computer only */
    { "http://127.0.0.1:8080/v1", "http://127.0.0.1:8080/v1" },
    { "http://127.1.2.3:8080/v1", "http://127.1.2.3:8080/v1" },
    { "http://localhost:8080", "http://localhost:8080/v1" },
    { "http://LOCALHOST:8080/v1/chat/completions", "http://localhost:8080/v1" },
    { "http://[::1]:8080/v1", "http://[::1]:8080/v1" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *normalized = NULL;

      g_test_message ("%s", cases[i].input);
      g_assert_true (relay_client_check_base_url (cases[i].input, &normalized, &error));
      g_assert_no_error (error);
      g_assert_cmpstr (normalized, ==, cases[i].expected);

      /* Normalizing is idempotent. */
      {
        g_autofree char *again = NULL;

        g_assert_true (relay_client_check_base_url (normalized, &again, NULL));
        g_assert_cmpstr (again, ==, normalized);
      }
    }
}

typedef struct
{
  const char *input;
  const char *hint;  /* what the message must mention to say how to fix it */
} Refused;

static void
test_base_url_refused (void)
{
  static const Refused cases[] = {
    { "", "https://routellm.abacus.ai/v1" },
    { "   ", "https://routellm.abacus.ai/v1" },
    /* The key would cross the network in clear */
    { "http://routellm.abacus.ai/v1", "https://" },
    { "http://192.168.1.10:8080/v1", "https://" },
    { "http://localhost.evil.com/v1", "https://" },
    /* Not a web address */
    { "ftp://routellm.abacus.ai/v1", "https://" },
    { "https://", "https://routellm.abacus.ai/v1" },
    /* A path that is not the API's: guessing would send the key elsewhere */
    { "https://routellm.abacus.ai/api/v0", "/v1" },
    { "https://routellm.abacus.ai/v2", "/v1" },
    { "https://routellm.abacus.ai/v1/chat", "/v1" },
    /* Credentials, queries and fragments have no place there */
    { "https://user:secret@routellm.abacus.ai/v1", "API key" },
    { "https://routellm.abacus.ai/v1?key=abc", "?" },
    { "https://routellm.abacus.ai/v1#top", "#" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      char *normalized = (char *) "untouched";

      g_test_message ("%s", cases[i].input);
      g_assert_false (relay_client_check_base_url (cases[i].input, &normalized, &error));
      g_assert_error (error, RELAY_ERROR, RELAY_ERROR_INVALID_ARGUMENT);
      g_assert_cmpstr (normalized, ==, "untouched");
      g_assert_nonnull (strstr (error->message, cases[i].hint));
      /* The message never repeats a password typed into the URL. */
      g_assert_null (strstr (error->message, "secret@"));
    }
}

static void
count_notify_cb (GObject    *object,
                 GParamSpec *pspec,
                 guint      *count)
{
  (*count)++;
}

static void
test_base_url_client_property (void)
{
  g_autoptr(RelayClient) client = relay_client_new ();
  g_autoptr(GError) error = NULL;
  guint notified = 0;

  g_assert_cmpstr (relay_client_get_base_url (client), ==, RELAY_DEFAULT_BASE_URL);
  g_signal_connect (client, "notify::base-url", G_CALLBACK (count_notify_cb), &notified);

  g_assert_true (relay_client_set_base_url (client, "https://acme.abacus.ai/v1/chat/completions", &error));
  g_assert_no_error (error);
  g_assert_cmpstr (relay_client_get_base_url (client), ==, "https://acme.abacus.ai/v1");
  g_assert_cmpuint (notified, ==, 1);

  /* Setting the same URL in another spelling does not notify. */
  g_assert_true (relay_client_set_base_url (client, "https://ACME.abacus.ai/v1/", NULL));
  g_assert_cmpuint (notified, ==, 1);

  /* A refused URL leaves the client as it was. */
  g_assert_false (relay_client_set_base_url (client, "http://acme.abacus.ai/v1", &error));
  g_assert_error (error, RELAY_ERROR, RELAY_ERROR_INVALID_ARGUMENT);
  g_assert_cmpstr (relay_client_get_base_url (client), ==, "https://acme.abacus.ai/v1");
  g_assert_cmpuint (notified, ==, 1);

  g_assert_cmpstr (relay_client_get_user_agent (client), ==, "Relay/" PACKAGE_VERSION);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/base-url/accepted", test_base_url_accepted);
  g_test_add_func ("/base-url/refused", test_base_url_refused);
  g_test_add_func ("/base-url/client-property", test_base_url_client_property);

  return g_test_run ();
}
