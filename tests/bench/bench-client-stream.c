/* bench-client-stream.c: how fast a streamed reply reaches a RelayMessage through the
 * whole client (libsoup, the SSE parser, the assembler) from the fake server on loopback.
 *
 * Prints the time to the first delta, the throughput, and the cost per kilobyte for a
 * short and a long reply: the two should match, since the work per read is proportional
 * to the bytes read and not to the length of the reply so far.
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "relay-client.h"
#include "relay-fake-server.h"

typedef struct
{
  gint64 start;
  gint64 first_delta;
  guint  deltas;
  gboolean done;
} Run;

static void
delta_cb (RelayMessage *message,
          const char   *text,
          guint         length,
          Run          *run)
{
  if (run->deltas++ == 0)
    run->first_delta = g_get_monotonic_time ();
}

static void
done_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  Run *run = user_data;
  g_autoptr(GError) error = NULL;

  if (!relay_client_stream_finish (RELAY_CLIENT (object), result, &error))
    g_error ("stream failed: %s", error->message);
  run->done = TRUE;
}

/* Streams @n_pieces pieces of @piece; returns the whole time in µs. */
static gint64
stream_once (RelayFakeServer *server,
             RelayClient     *client,
             const char      *piece,
             guint            n_pieces,
             gint64          *first_delta_usec)
{
  g_autoptr(GPtrArray) pieces = g_ptr_array_new ();
  g_autoptr(RelayChatRequest) request = relay_chat_request_new ("route-llm");
  g_autoptr(RelayMessage) user = relay_message_new (RELAY_ROLE_USER, "Benchmark");
  g_autoptr(RelayMessage) reply = relay_message_new (RELAY_ROLE_ASSISTANT, NULL);
  Run run = { 0 };

  for (guint i = 0; i < n_pieces; i++)
    g_ptr_array_add (pieces, (gpointer) piece);
  g_ptr_array_add (pieces, NULL);
  relay_fake_server_queue_reply (server, "/v1/chat/completions",
                                 relay_fake_reply_new_text_stream ("claude-4-5-sonnet",
                                                                   (const char * const *) pieces->pdata, 0));
  relay_chat_request_add_message (request, user);
  g_signal_connect (reply, "delta", G_CALLBACK (delta_cb), &run);

  run.start = g_get_monotonic_time ();
  relay_client_stream_async (client, request, reply, NULL, done_cb, &run);
  while (!run.done)
    g_main_context_iteration (NULL, TRUE);

  if (relay_message_get_content_length (reply) != strlen (piece) * n_pieces)
    g_error ("lost text: %" G_GSIZE_FORMAT " bytes", relay_message_get_content_length (reply));
  if (first_delta_usec != NULL)
    *first_delta_usec = run.first_delta - run.start;
  return g_get_monotonic_time () - run.start;
}

static int
compare_int64 (gconstpointer a,
               gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return (x > y) - (x < y);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(RelayFakeServer) server = relay_fake_server_new ();
  g_autoptr(RelayClient) client = relay_client_new ();
  g_autoptr(GArray) firsts = g_array_new (FALSE, FALSE, sizeof (gint64));
  const char *piece = "token ";  /* a typical streamed delta: one short word */
  const guint runs = 30;
  g_autofree char *chunk = relay_fake_chunk_text ("claude-4-5-sonnet", piece);
  gsize event_size = strlen ("data: \n\n") + strlen (chunk);
  gint64 small, large;
  guint small_n = 1000, large_n = 20000;

  relay_client_set_base_url (client, relay_fake_server_get_base_url (server), NULL);
  relay_client_set_api_key (client, "test-bench");

  /* Warm up: the first request pays for the proxy resolver and the connection. */
  stream_once (server, client, piece, 10, NULL);

  for (guint i = 0; i < runs; i++)
    {
      gint64 first;

      stream_once (server, client, piece, 10, &first);
      g_array_append_val (firsts, first);
    }
  g_array_sort (firsts, compare_int64);
  printf ("time to first delta over loopback: median %.2f ms, p90 %.2f ms (%u runs)\n",
          g_array_index (firsts, gint64, runs / 2) / 1000.0,
          g_array_index (firsts, gint64, runs * 9 / 10) / 1000.0, runs);

  small = stream_once (server, client, piece, small_n, NULL);
  large = stream_once (server, client, piece, large_n, NULL);
  printf ("%u deltas (%.0f KB of text): %.1f ms, %.2f µs per delta\n",
          small_n, small_n * 6 / 1024.0, small / 1000.0, (double) small / small_n);
  printf ("%u deltas (%.0f KB of text): %.1f ms, %.2f µs per delta, %.1f MB/s of SSE\n",
          large_n, large_n * 6 / 1024.0, large / 1000.0, (double) large / large_n,
          large_n * (double) event_size / large);
  printf ("cost per delta, long reply / short reply: %.2f (1.0 means linear)\n",
          ((double) large / large_n) / ((double) small / small_n));
  return EXIT_SUCCESS;
}
