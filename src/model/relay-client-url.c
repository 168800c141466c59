/* relay-client-url.c: checking the base URL the user typed, before any request uses it.
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "relay-client"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>
#include <gio/gio.h>

#include "relay-client-private.h"
#include "relay-error.h"

/* Endpoints people paste by mistake in place of the base URL. The longest suffix is
 * tried first so that ".../v1/chat/completions" loses all of its tail. */
static const char * const endpoint_suffixes[] = {
  "/chat/completions",
  "/completions",
  "/models",
};

static gboolean
host_is_loopback (const char *host)
{
  g_autoptr(GInetAddress) address = NULL;

  if (g_ascii_strcasecmp (host, "localhost") == 0)
    return TRUE;

  address = g_inet_address_new_from_string (host);
  return address != NULL && g_inet_address_get_is_loopback (address);
}

static gboolean
strip_suffix (GString    *path,
              const char *suffix)
{
  gsize len = strlen (suffix);

  if (path->len < len || g_ascii_strcasecmp (path->str + path->len - len, suffix) != 0)
    return FALSE;
  g_string_truncate (path, path->len - len);
  return TRUE;
}

static void
strip_trailing_slashes (GString *path)
{
  while (path->len > 0 && path->str[path->len - 1] == '/')
    g_string_truncate (path, path->len - 1);
}

static gboolean
ends_with_version (GString *path)
{
  return path->len >= 3 && g_ascii_strcasecmp (path->str + path->len - 3, "/v1") == 0;
}

/* Brings the path to the form ".../v1": drops a pasted endpoint, and adds "/v1" to a bare
 * host. Any other path is refused, because guessing where the API lives under it would
 * send the key somewhere the user did not mean. */
static gboolean
normalize_path (GString     *path,
                const char  *example,
                GError     **error)
{
  strip_trailing_slashes (path);
  for (guint i = 0; i < G_N_ELEMENTS (endpoint_suffixes); i++)
    {
      if (strip_suffix (path, endpoint_suffixes[i]))
        {
          strip_trailing_slashes (path);
          break;
        }
    }

  if (path->len == 0)
    g_string_append (path, "/v1");

  if (!ends_with_version (path))
    {
      g_set_error (error, RELAY_ERROR, RELAY_ERROR_INVALID_ARGUMENT,
                   _("The base URL must end in “/v1”, as in %s"), example);
      return FALSE;
    }

  /* "/V1" works on no server we know of; keep the documented spelling. */
  path->str[path->len - 1] = '1';
  path->str[path->len - 2] = 'v';
  return TRUE;
}

/**
 * relay_client_check_base_url:
 * @url: the base URL as the user typed it
 * @normalized: (out) (optional): where to store the corrected URL
 * @error: return location for a #RELAY_ERROR_INVALID_ARGUMENT error
 *
 * Checks a RouteLLM base URL such as `https://routellm.abacus.ai/v1` or an enterprise
 * `https://<workspace>.abacus.ai/v1`, and brings it to a canonical form: surrounding
 * blanks and trailing slashes dropped, scheme and host in lower case, a pasted
 * `/chat/completions` or `/models` endpoint cut back to its base, `/v1` added to a bare
 * host and `https://` to an address typed without a scheme. Plain `http://` is taken only for loopback hosts (127.0.0.0/8, ::1, localhost),
 * since the key travels in every request. User names, passwords, queries and fragments are
 * refused.
 *
 * This is a pure function; the error message says how to fix the URL.
 *
 * Returns: %TRUE if @url is usable
 */
gboolean
relay_client_check_base_url (const char  *url,
                             char       **normalized,
                             GError     **error)
{
  static const char example[] = "https://routellm.abacus.ai/v1";
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GString) path = NULL;
  g_autofree char *trimmed = NULL;
  g_autofree char *scheme = NULL;
  g_autofree char *host = NULL;
  g_autofree char *result = NULL;
  gboolean is_https;

  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  trimmed = g_strstrip (g_strdup (url != NULL ? url : ""));
  if (trimmed[0] == '\0')
    {
      g_set_error (error, RELAY_ERROR, RELAY_ERROR_INVALID_ARGUMENT,
                   _("Enter a base URL, such as %s"), example);
      return FALSE;
    }

  /* "routellm.abacus.ai/v1" is what people copy from the page; TLS is implied. */
  if (strstr (trimmed, "://") == NULL)
    {
      g_autofree char *with_scheme = g_strconcat ("https://", trimmed, NULL);
      g_free (trimmed);
      trimmed = g_steal_pointer (&with_scheme);
    }

  uri = g_uri_parse (trimmed, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL || g_uri_get_host (uri) == NULL || g_uri_get_host (uri)[0] == '\0')
    {
      g_set_error (error, RELAY_ERROR, RELAY_ERROR_INVALID_ARGUMENT,
                   _("“%s” is not a web address; a base URL looks like %s"), trimmed, example);
      return FALSE;
    }

  scheme = g_ascii_strdown (g_uri_get_scheme (uri), -1);
  host = g_ascii_strdown (g_uri_get_host (uri), -1);
  is_https = g_str_equal (scheme, "https");

  if (!is_https && !g_str_equal (scheme, "http"))
    {
      g_set_error (error, RELAY_ERROR, RELAY_ERROR_INVALID_ARGUMENT,
                   _("The base URL must start with “https://”, as in %s"), example);
      return FALSE;
    }

  if (!is_https && !host_is_loopback (host))
    {
      g_set_error (error, RELAY_ERROR, RELAY_ERROR_INVALID_ARGUMENT,
                   _("The base URL must use “https://” so that the API key is encrypted; "
                     "plain “http://” is allowed only for this computer (localhost)"));
      return FALSE;
    }

  if (g_uri_get_userinfo (uri) != NULL)
    {
      g_set_error (error, RELAY_ERROR, RELAY_ERROR_INVALID_ARGUMENT,
                   _("The base URL must not contain a user name or password; "
                     "enter the API key in its own field"));
      return FALSE;
    }

  if (g_uri_get_query (uri) != NULL || g_uri_get_fragment (uri) != NULL)
    {
      g_set_error (error, RELAY_ERROR, RELAY_ERROR_INVALID_ARGUMENT,
                   _("The base URL must not contain “?” or “#”; it looks like %s"), example);
      return FALSE;
    }

  path = g_string_new (g_uri_get_path (uri));
  if (!normalize_path (path, example, error))
    return FALSE;

  result = g_uri_join (G_URI_FLAGS_NONE, scheme, NULL, host, g_uri_get_port (uri),
                       path->str, NULL, NULL);
  if (normalized != NULL)
    *normalized = g_steal_pointer (&result);
  return TRUE;
}

/* Whether @url is an http(s) URL on this computer, where plain http is acceptable. */
gboolean
_relay_client_url_is_loopback (const char *url)
{
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);

  return uri != NULL && g_uri_get_host (uri) != NULL && host_is_loopback (g_uri_get_host (uri));
}
