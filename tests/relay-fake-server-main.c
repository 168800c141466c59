/* relay-fake-server-main.c: the fake RouteLLM server as a program of its own.
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "relay-fake-server"

#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include <glib-unix.h>

#include "relay-fake-server.h"

static gboolean
quit_cb (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_REMOVE;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(RelayFakeServer) server = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *key = NULL;
  int port = 8080;
  int delay = 25;
  gboolean data_images = FALSE;
  GOptionEntry entries[] = {
    { "port", 'p', 0, G_OPTION_ARG_INT, &port, "Port on 127.0.0.1 (0: any free port; default 8080)", "N" },
    { "key", 'k', 0, G_OPTION_ARG_STRING, &key, "The only API key to accept (default: any key starting with “test-”)", "KEY" },
    { "delay", 'd', 0, G_OPTION_ARG_INT, &delay, "Milliseconds between streamed chunks (default 25)", "MS" },
    { "data-images", 0, 0, G_OPTION_ARG_NONE, &data_images, "Return generated images as data: URIs instead of URLs", NULL },
    { NULL }
  };

  context = g_option_context_new (NULL);
  g_option_context_set_summary (context,
    "A RouteLLM-compatible server on 127.0.0.1 for trying Relay without an account.\n"
    "\n"
    "It answers POST /v1/chat/completions (plain and streamed Markdown replies,\n"
    "route-llm routed to claude-4-5-sonnet, a get_current_weather-style tool call when a\n"
    "prompt mentions “weather” and the request offers tools, PNG images for image models),\n"
    "GET /v1/models and GET /api/v0/listRouteLLMModels. Requests need\n"
    "“Authorization: Bearer KEY”; a wrong key gets 401.\n"
    "\n"
    "A prompt that starts with “!status N” is answered with HTTP status N (a JSON error;\n"
    "429 with Retry-After: 1); “!once N” fails like that the first time only.\n"
    "\n"
    "The first line it prints is “Listening on BASE-URL”.");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  if (port < 0 || port > 65535 || delay < 0)
    {
      g_printerr ("--port must be 0–65535 and --delay at least 0\n");
      return 2;
    }

  server = relay_fake_server_new_full ((guint) port, &error);
  if (server == NULL)
    {
      g_printerr ("Cannot listen on 127.0.0.1:%d: %s\n", port, error->message);
      return 1;
    }
  relay_fake_server_set_key (server, key);
  relay_fake_server_set_stream_delay (server, (guint) delay);
  relay_fake_server_set_data_images (server, data_images);

  printf ("Listening on %s\n", relay_fake_server_get_base_url (server));
  fflush (stdout);

  loop = g_main_loop_new (NULL, FALSE);
  g_unix_signal_add (SIGINT, quit_cb, loop);
  g_unix_signal_add (SIGTERM, quit_cb, loop);
  g_main_loop_run (loop);

  return 0;
}
