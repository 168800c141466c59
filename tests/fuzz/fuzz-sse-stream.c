/* fuzz-sse-stream.c: libFuzzer target for the event-stream parser and the stream assembler.
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The input is a response body. It is parsed twice, whole and in pieces whose sizes the
 * first byte chooses, and both parses must dispatch the same events: a difference means
 * the parser depends on where the network split the bytes. The body also goes through
 * the stream assembler, as the client feeds it.
 */

#include "config.h"

#include <stdint.h>
#include <string.h>

#include "relay-stream-assembler.h"

int LLVMFuzzerInitialize (int    *argc,
                          char ***argv);
int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

/* Small limits, so that the fuzzer reaches them. */
#define MAX_SIZE 4096

static gboolean
log_event_cb (const RelaySseEvent  *event,
              gpointer              user_data,
              GError              **error)
{
  GString *log = user_data;

  if (event->data[event->data_len] != '\0')
    g_error ("event data is not NUL-terminated");
  if (event->data_len > MAX_SIZE)
    g_error ("event larger than the limit: %" G_GSIZE_FORMAT, event->data_len);
  g_string_append_printf (log, "%s|%s|%" G_GSIZE_FORMAT "|", event->event, event->id, event->data_len);
  g_string_append_len (log, event->data, event->data_len);
  g_string_append_c (log, '\n');
  return TRUE;
}

static char *
parse_in_pieces (const char *body,
                 gsize       length,
                 guint       piece,
                 gboolean   *ok)
{
  GString *log = g_string_new (NULL);
  RelaySseParser *parser = relay_sse_parser_new (log_event_cb, log, NULL);
  gsize offset = 0;

  relay_sse_parser_set_max_size (parser, MAX_SIZE);
  *ok = TRUE;
  while (offset < length && *ok)
    {
      gsize n = MIN (piece, length - offset);

      *ok = relay_sse_parser_feed (parser, body + offset, n, NULL);
      offset += n;
    }
  if (*ok)
    {
      g_string_append_printf (log, "retry=%" G_GINT64_FORMAT " pending=%d",
                              relay_sse_parser_get_retry (parser),
                              relay_sse_parser_has_pending (parser));
      relay_sse_parser_finish (parser, NULL);
    }
  relay_sse_parser_unref (parser);
  return g_string_free (log, FALSE);
}

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  /* A critical is a read of the wrong type: as bad as a crash. */
  g_log_set_always_fatal (G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  const char *body;
  gsize length;
  guint piece;
  gboolean whole_ok;
  gboolean split_ok;
  char *whole;
  char *split;

  if (size < 1)
    return 0;
  piece = data[0] % 17 + 1;
  body = (const char *) data + 1;
  length = size - 1;

  whole = parse_in_pieces (body, length, MAX (length, 1), &whole_ok);
  split = parse_in_pieces (body, length, piece, &split_ok);
  /* A too-large line may be noticed at a different event; only whole successes compare. */
  if (whole_ok && split_ok && strcmp (whole, split) != 0)
    g_error ("pieces of %u gave other events than the whole body:\n%s\n---\n%s", piece, whole, split);
  g_free (whole);
  g_free (split);

  {
    RelayMessage *message = relay_message_new (RELAY_ROLE_ASSISTANT, NULL);
    RelayStreamAssembler *assembler = relay_stream_assembler_new (message);
    gsize offset = 0;
    gboolean ok = TRUE;

    while (offset < length && ok)
      {
        gsize n = MIN (piece * 7, length - offset);

        ok = relay_stream_assembler_feed_bytes (assembler, body + offset, n, NULL);
        offset += n;
      }
    if (ok)
      relay_stream_assembler_finish (assembler, NULL);
    if (!g_utf8_validate (relay_message_get_content (message), -1, NULL) &&
        g_utf8_validate (body, length, NULL))
      g_error ("valid input made invalid text");

    g_object_unref (assembler);
    g_object_unref (message);
  }

  return 0;
}
