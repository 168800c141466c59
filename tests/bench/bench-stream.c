/* bench-stream.c: how fast a long streamed reply goes through the wire path.
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Streams a ~10 MB event-stream body made of realistic chat.completion.chunk events
 * (10–40 byte text deltas), fed in network-sized reads, through the SSE parser, json-glib
 * and the assembler into a RelayMessage with a delta handler attached, as a view would
 * have. In the same run it times json-glib alone parsing the same chunk payloads, the
 * floor the whole path is measured against. It prints throughput (in CPU time),
 * allocations per chunk (malloc is interposed in this binary) and peak RSS after 1 MB
 * and 10 MB.
 *
 *   bench-stream [MEGABYTES]
 */

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "relay-stream-assembler.h"

/* Allocation counting: this binary's malloc family wraps glibc's, and every library
 * (GLib, json-glib) resolves malloc to it. */
extern void *__libc_malloc (size_t size);
extern void *__libc_calloc (size_t n, size_t size);
extern void *__libc_realloc (void *ptr, size_t size);
extern void  __libc_free (void *ptr);

static guint64 n_allocs;

void *
malloc (size_t size)
{
  __atomic_add_fetch (&n_allocs, 1, __ATOMIC_RELAXED);
  return __libc_malloc (size);
}

void *
calloc (size_t n,
        size_t size)
{
  __atomic_add_fetch (&n_allocs, 1, __ATOMIC_RELAXED);
  return __libc_calloc (n, size);
}

void *
realloc (void   *ptr,
         size_t  size)
{
  __atomic_add_fetch (&n_allocs, 1, __ATOMIC_RELAXED);
  return __libc_realloc (ptr, size);
}

void
free (void *ptr)
{
  __libc_free (ptr);
}

/* A deterministic generator, so that both measurements see the same bytes. */
static guint64 rng_state = 0x9e3779b97f4a7c15;

static guint32
rng (void)
{
  rng_state ^= rng_state << 13;
  rng_state ^= rng_state >> 7;
  rng_state ^= rng_state << 17;
  return (guint32) rng_state;
}

static const char *words[] = {
  "the", " stream", " of", " tokens", " arrives", " quickly", ",", " and", " each", " piece",
  " is", " small", ".", " Routing", " picks", " a", " model", " for", " every", " request",
  "\\n", "\\n- ", " \\\"quoted\\\"", " caf\\u00e9", " na\xc3\xafve", " \xe2\x80\x94", " code", "`",
  " 42", " ratio", " latency", " throughput", " (see", " below)", ":", " JSON",
};

/* Appends one chunk event with a 10–40 byte delta; returns the offset of its JSON. */
static gsize
append_chunk (GString *body,
              guint64  n)
{
  gsize start;
  guint target = 10 + rng () % 31;
  gsize before;

  g_string_append (body, "data: ");
  start = body->len;
  g_string_append_printf (body,
                          "{\"id\":\"chatcmpl-ABfw031mOJeYCSHe4yI2ZjOA6kMJL\",\"object\":\"chat.completion.chunk\","
                          "\"created\":%" G_GUINT64_FORMAT ",\"model\":\"gpt-4o-2024-08-06\","
                          "\"system_fingerprint\":\"fp_5050236cbd\",\"choices\":[{\"index\":0,"
                          "\"delta\":{\"content\":\"", 1727346168 + n / 50);
  before = body->len;
  while (body->len - before < target)
    g_string_append (body, words[rng () % G_N_ELEMENTS (words)]);
  g_string_append (body, "\"},\"logprobs\":null,\"finish_reason\":null}]}\n\n");
  return start;
}

typedef struct
{
  GString *body;      /* one block of the stream */
  GArray  *payloads;  /* (offset, length) of each chunk's JSON in body */
} Block;

typedef struct
{
  gsize offset;
  gsize length;
} Span;

static void
make_block (Block   *block,
            gsize    size,
            guint64 *n_chunks,
            gboolean last)
{
  g_string_truncate (block->body, 0);
  g_array_set_size (block->payloads, 0);
  while (block->body->len < size)
    {
      Span span;

      span.offset = append_chunk (block->body, (*n_chunks)++);
      span.length = block->body->len - 2 - span.offset;
      g_array_append_val (block->payloads, span);
    }
  if (last)
    {
      Span span;

      g_string_append (block->body, "data: ");
      span.offset = block->body->len;
      g_string_append (block->body,
                       "{\"id\":\"chatcmpl-ABfw031mOJeYCSHe4yI2ZjOA6kMJL\",\"object\":\"chat.completion.chunk\","
                       "\"created\":1727346168,\"model\":\"gpt-4o-2024-08-06\",\"choices\":[],"
                       "\"usage\":{\"prompt_tokens\":14,\"completion_tokens\":30,\"total_tokens\":44}}");
      span.length = block->body->len - span.offset;
      g_string_append (block->body, "\n\ndata: [DONE]\n\n");
      g_array_append_val (block->payloads, span);
    }
}

/* CPU time of this thread, in seconds: on a shared machine, wall time would also count
 * the time other processes take. */
static double
cpu_seconds (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

static gsize
peak_rss_kb (void)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL) ||
      (line = strstr (status, "VmHWM:")) == NULL)
    return 0;
  return strtoul (line + 6, NULL, 10);
}

static void
delta_cb (RelayMessage *message,
          const char   *text,
          guint         length,
          gsize        *shown)
{
  /* A view appends the piece; counting it stands in for that. */
  *shown += length;
}

typedef struct
{
  double   whole_sec;
  double   json_sec;
  guint64  whole_allocs;
  guint64  json_allocs;
  guint64  chunks;
  guint64  wire_bytes;
  gsize    text_bytes;
  gsize    rss_1mb_kb;
  gsize    rss_end_kb;
} Result;

static void
run (gsize   total,
     Result *result)
{
  g_autoptr(RelayMessage) message = relay_message_new (RELAY_ROLE_ASSISTANT, NULL);
  g_autoptr(RelayStreamAssembler) assembler = relay_stream_assembler_new (message);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  const gsize block_size = 256 * 1024;
  Block block = { g_string_sized_new (block_size + 4096), g_array_new (FALSE, FALSE, sizeof (Span)) };
  gsize shown = 0;
  guint64 n_chunks = 0;
  gboolean rss_1mb_taken = FALSE;

  memset (result, 0, sizeof *result);
  rng_state = 0x9e3779b97f4a7c15;
  relay_message_set_state (message, RELAY_MESSAGE_STATE_PENDING);
  g_signal_connect (message, "delta", G_CALLBACK (delta_cb), &shown);

  while (result->wire_bytes < total)
    {
      gboolean last = result->wire_bytes + block_size >= total;
      double start;
      guint64 allocs;
      gsize offset = 0;

      make_block (&block, block_size, &n_chunks, last);

      /* json-glib alone, on the same payloads. */
      allocs = n_allocs;
      start = cpu_seconds ();
      for (guint i = 0; i < block.payloads->len; i++)
        {
          Span *span = &g_array_index (block.payloads, Span, i);

          if (!json_parser_load_from_data (parser, block.body->str + span->offset, span->length, &error))
            g_error ("%s", error->message);
        }
      result->json_sec += cpu_seconds () - start;
      result->json_allocs += n_allocs - allocs;

      /* The whole path, in reads of 256 B to 8 KiB as a socket gives them. */
      allocs = n_allocs;
      start = cpu_seconds ();
      while (offset < block.body->len)
        {
          /* Not inside MIN(), which would draw twice. */
          gsize want = 256 + rng () % (8192 - 256);
          gsize n = MIN (want, block.body->len - offset);

          if (!relay_stream_assembler_feed_bytes (assembler, block.body->str + offset, n, &error))
            g_error ("%s", error->message);
          offset += n;
        }
      result->whole_sec += cpu_seconds () - start;
      result->whole_allocs += n_allocs - allocs;

      result->chunks += block.payloads->len;
      result->wire_bytes += block.body->len;
      if (!rss_1mb_taken && result->wire_bytes >= 1024 * 1024)
        {
          result->rss_1mb_kb = peak_rss_kb ();
          rss_1mb_taken = TRUE;
        }
    }

  if (!relay_stream_assembler_finish (assembler, &error))
    g_error ("%s", error->message);
  g_assert (relay_stream_assembler_is_done (assembler));
  g_assert (shown == relay_message_get_content_length (message));
  g_assert (relay_message_get_total_tokens (message) == 44);
  result->text_bytes = relay_message_get_content_length (message);
  result->rss_end_kb = peak_rss_kb ();

  g_string_free (block.body, TRUE);
  g_array_unref (block.payloads);
}

int
main (int   argc,
      char *argv[])
{
  gsize megabytes = argc > 1 ? strtoul (argv[1], NULL, 10) : 10;
  Result best = { 0 };
  Result result;
  Result memory;
  double mb;
  double ratio;

  if (megabytes == 0)
    megabytes = 10;

  /* The first run measures memory, before any other run has raised the peak; then the
   * best of three runs is kept for speed: the machine is shared. */
  run (megabytes * 1024 * 1024, &memory);
  for (guint i = 0; i < 3; i++)
    {
      run (megabytes * 1024 * 1024, &result);
      if (i == 0 || result.whole_sec < best.whole_sec)
        {
          double json_sec = i == 0 ? result.json_sec : MIN (best.json_sec, result.json_sec);

          best = result;
          best.json_sec = json_sec;
        }
      else
        best.json_sec = MIN (best.json_sec, result.json_sec);
    }

  mb = best.wire_bytes / (1024.0 * 1024.0);
  ratio = best.whole_sec / best.json_sec;
  printf ("bench-stream: %.1f MB of event stream, %" G_GUINT64_FORMAT " chunks, %.2f MB of text\n",
          mb, best.chunks, best.text_bytes / (1024.0 * 1024.0));
  printf ("  whole path (SSE + JSON + assembler + delta): %7.1f MB/s  %9.0f chunks/s  %5.1f allocs/chunk\n",
          mb / best.whole_sec, best.chunks / best.whole_sec, (double) best.whole_allocs / best.chunks);
  printf ("  json-glib alone on the same payloads:        %7.1f MB/s  %9.0f chunks/s  %5.1f allocs/chunk\n",
          mb / best.json_sec, best.chunks / best.json_sec, (double) best.json_allocs / best.chunks);
  printf ("  whole path / json-glib: %.3fx (target: 1.25x or less, %s)\n", ratio,
          ratio <= 1.25 ? "met" : "NOT met");
  printf ("  peak RSS: %zu KiB after 1 MB, %zu KiB after %.0f MB; the reply text itself grew by %zu KiB\n",
          memory.rss_1mb_kb, memory.rss_end_kb, mb,
          (memory.text_bytes - memory.text_bytes * (1024 * 1024) / memory.wire_bytes) / 1024);

  return 0;
}
