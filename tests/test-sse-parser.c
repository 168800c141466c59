/* test-sse-parser.c: the event-stream parser follows the WHATWG rules however the bytes
 * are split.
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "relay-error.h"
#include "relay-sse-parser.h"

/* Each event is logged as "<event>|<id>|<data>\n", with "\n" in data written "\\n", so
 * that a whole stream's outcome is one string to compare. */
static void
log_escaped (GString    *log,
             const char *text,
             gsize       len)
{
  for (gsize i = 0; i < len; i++)
    {
      if (text[i] == '\n')
        g_string_append (log, "\\n");
      else if (text[i] == '\r')
        g_string_append (log, "\\r");
      else if (text[i] == '\0')
        g_string_append (log, "\\0");
      else
        g_string_append_c (log, text[i]);
    }
}

static gboolean
log_event_cb (const RelaySseEvent  *event,
              gpointer              user_data,
              GError              **error)
{
  GString *log = user_data;

  /* The data must be NUL-terminated at data_len for consumers that need a string. */
  g_assert_cmpint (event->data[event->data_len], ==, '\0');
  g_string_append_printf (log, "%s|%s|", event->event, event->id);
  log_escaped (log, event->data, event->data_len);
  g_string_append_c (log, '\n');
  return TRUE;
}

typedef struct
{
  const char *name;
  const char *input;
  gsize       input_len;   /* 0: strlen (input) */
  const char *expected;
  gint64      retry;       /* expected retry, -1 when none */
  gboolean    pending;     /* an unfinished event is left at the end */
} SseCase;

/* Feeds @input in the pieces that @cuts (sorted offsets) make and returns the log. */
static char *
run_cuts (const char  *input,
          gsize        len,
          const gsize *cuts,
          guint        n_cuts,
          gsize        max_size,
          gint64      *retry,
          gboolean    *pending,
          GError     **error)
{
  GString *log = g_string_new (NULL);
  g_autoptr(RelaySseParser) parser = relay_sse_parser_new (log_event_cb, log, NULL);
  gsize start = 0;

  if (max_size > 0)
    relay_sse_parser_set_max_size (parser, max_size);
  for (guint i = 0; i <= n_cuts; i++)
    {
      gsize end = i < n_cuts ? cuts[i] : len;

      if (!relay_sse_parser_feed (parser, input + start, end - start, error))
        break;
      start = end;
    }
  if (retry != NULL)
    *retry = relay_sse_parser_get_retry (parser);
  if (pending != NULL)
    *pending = relay_sse_parser_has_pending (parser);
  return g_string_free (log, FALSE);
}

static void
check_all_splits (const SseCase *c)
{
  gsize len = c->input_len ? c->input_len : strlen (c->input);
  g_autofree gsize *cuts = g_new0 (gsize, len + 2);
  guint runs = 0;

  /* Whole. */
  {
    gint64 retry;
    gboolean pending;
    g_autofree char *log = run_cuts (c->input, len, NULL, 0, 0, &retry, &pending, NULL);

    g_assert_cmpstr (log, ==, c->expected);
    g_assert_cmpint (retry, ==, c->retry);
    g_assert_cmpint (pending, ==, c->pending);
    runs++;
  }

  /* Every 2-way split. */
  for (gsize k = 0; k <= len; k++)
    {
      g_autofree char *log = NULL;

      cuts[0] = k;
      log = run_cuts (c->input, len, cuts, 1, 0, NULL, NULL, NULL);
      if (g_strcmp0 (log, c->expected) != 0)
        g_error ("%s: split at %" G_GSIZE_FORMAT ": got\n%s\nexpected\n%s", c->name, k, log, c->expected);
      runs++;
    }

  /* Every 3-way split of short inputs. */
  if (len <= 80)
    for (gsize i = 0; i <= len; i++)
      for (gsize j = i; j <= len; j++)
        {
          g_autofree char *log = NULL;

          cuts[0] = i;
          cuts[1] = j;
          log = run_cuts (c->input, len, cuts, 2, 0, NULL, NULL, NULL);
          if (g_strcmp0 (log, c->expected) != 0)
            g_error ("%s: split at %" G_GSIZE_FORMAT ", %" G_GSIZE_FORMAT ": got\n%s", c->name, i, j, log);
          runs++;
        }

  /* Pieces of 1, 2, 3 and 4 bytes. */
  for (gsize size = 1; size <= 4; size++)
    {
      g_autofree char *log = NULL;
      gint64 retry;
      gboolean pending;
      guint n = 0;

      for (gsize at = size; at < len; at += size)
        cuts[n++] = at;
      log = run_cuts (c->input, len, cuts, n, 0, &retry, &pending, NULL);
      if (g_strcmp0 (log, c->expected) != 0)
        g_error ("%s: pieces of %" G_GSIZE_FORMAT ": got\n%s", c->name, size, log);
      g_assert_cmpint (retry, ==, c->retry);
      g_assert_cmpint (pending, ==, c->pending);
      runs++;
    }

  g_test_message ("%s: %u feeds compared", c->name, runs);
}

static const SseCase cases[] = {
  { "lf", "data: hello\n\ndata: world\n\n", 0,
    "message||hello\nmessage||world\n", -1, FALSE },
  { "crlf", "data: a\r\n\r\ndata: b\r\n\r\n", 0,
    "message||a\nmessage||b\n", -1, FALSE },
  { "cr", "data: a\r\rdata: b\r\r", 0,
    "message||a\nmessage||b\n", -1, FALSE },
  { "mixed-line-ends", "data: a\r\ndata: b\rdata: c\n\r\ndata: d\r\r\n\n", 0,
    /* "\r\r\n\n" is CR, CRLF, LF: the blank line after d, then another (no event). */
    "message||a\\nb\\nc\nmessage||d\n", -1, FALSE },
  { "comments", ": keep-alive\n\n: OPENROUTER PROCESSING\r\ndata: x\n: between\ndata: y\n\n", 0,
    "message||x\\ny\n", -1, FALSE },
  { "multi-line-data", "data: line1\ndata: line2\ndata:\ndata: line4\n\n", 0,
    "message||line1\\nline2\\n\\nline4\n", -1, FALSE },
  { "event-names", "event: error\ndata: {}\n\ndata: y\n\nevent: delta\nevent: last\ndata: z\n\n", 0,
    "error||{}\nmessage||y\nlast||z\n", -1, FALSE },
  { "event-without-data", "event: ping\n\ndata: z\n\n", 0,
    "message||z\n", -1, FALSE },
  { "ids", "id: 42\ndata: a\n\ndata: b\n\nid\ndata: c\n\nid: 7\n\ndata: d\n\n", 0,
    "message|42|a\nmessage|42|b\nmessage||c\nmessage|7|d\n", -1, FALSE },
  { "id-with-nul", "id: 1\ndata: a\n\nid: x\0y\ndata: b\n\n", 32,
    "message|1|a\nmessage|1|b\n", -1, FALSE },
  { "retry", "retry: 3000\ndata: a\n\nretry: 12x\nretry:\ndata: b\n\n", 0,
    "message||a\nmessage||b\n", 3000, FALSE },
  { "bom", "\xEF\xBB\xBF" "data: bom\n\n", 0,
    "message||bom\n", -1, FALSE },
  { "only-one-bom", "\xEF\xBB\xBF\xEF\xBB\xBF" "data: x\n\ndata: y\n\n", 0,
    /* The second BOM is part of the first field's name, which is then unknown. */
    "message||y\n", -1, FALSE },
  { "bom-prefix-is-data", "\xEF\xBB" "data: x\n\ndata: y\n\n", 0,
    "message||y\n", -1, FALSE },
  { "field-without-colon", "data\n\ndata\ndata\n\n", 0,
    "message||\nmessage||\\n\n", -1, FALSE },
  { "one-space-stripped", "data:no space\n\ndata:  two spaces\n\ndata: \n\n", 0,
    "message||no space\nmessage|| two spaces\nmessage||\n", -1, FALSE },
  { "colon-in-value", "data: {\"a\":\"b: c\"}\n\n", 0,
    "message||{\"a\":\"b: c\"}\n", -1, FALSE },
  { "done-passes-through", "data: {\"x\":1}\n\ndata: [DONE]\n\n", 0,
    "message||{\"x\":1}\nmessage||[DONE]\n", -1, FALSE },
  { "unknown-fields", "foo: bar\nDATA: no\ndata : no\ndata: x\n\n", 0,
    "message||x\n", -1, FALSE },
  { "unfinished-event", "data: x\n\ndata: y\n", 0,
    "message||x\n", -1, TRUE },
  { "unfinished-line", "data: x\n\ndata: y", 0,
    "message||x\n", -1, TRUE },
  { "empty", "", 0, "", -1, FALSE },
  { "blank-lines-only", "\n\r\n\r\n", 0, "", -1, FALSE },
  { "utf8", "data: h\xC3\xA9llo \xF0\x9F\x91\x8B\n\n", 0,
    "message||h\xC3\xA9llo \xF0\x9F\x91\x8B\n", -1, FALSE },
};

static void
test_sse_case (gconstpointer data)
{
  check_all_splits (data);
}

/* A CR ending one feed and the LF starting the next are one line end, not two. */
static void
test_sse_cr_lf_across_feeds (void)
{
  g_autoptr(GString) log = g_string_new (NULL);
  g_autoptr(RelaySseParser) parser = relay_sse_parser_new (log_event_cb, log, NULL);

  g_assert_true (relay_sse_parser_feed (parser, "data: a\r", 8, NULL));
  g_assert_true (relay_sse_parser_feed (parser, "\ndata: b\r", 9, NULL));
  g_assert_cmpstr (log->str, ==, "");
  /* An LF here would be the CRLF's; this CR is a blank line. */
  g_assert_true (relay_sse_parser_feed (parser, "\r", 1, NULL));
  g_assert_cmpstr (log->str, ==, "message||a\\nb\n");
  g_assert_true (relay_sse_parser_feed (parser, "\n", 1, NULL));
  g_assert_true (relay_sse_parser_feed (parser, "\n", 1, NULL));
  g_assert_cmpstr (log->str, ==, "message||a\\nb\n");
  g_assert_false (relay_sse_parser_has_pending (parser));
}

static void
test_sse_line_too_long (void)
{
  g_autoptr(GString) input = g_string_new ("data: ok\n\ndata: ");
  gsize sizes[] = { 0, 1, 3, 7, 1000 };

  for (guint i = 0; i < 100; i++)
    g_string_append_c (input, 'x');
  g_string_append (input, "\n\n");

  for (guint s = 0; s < G_N_ELEMENTS (sizes); s++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree gsize *cuts = g_new0 (gsize, input->len);
      g_autofree char *log = NULL;
      guint n = 0;

      for (gsize at = sizes[s]; sizes[s] > 0 && at < input->len; at += sizes[s])
        cuts[n++] = at;
      log = run_cuts (input->str, input->len, cuts, n, 64, NULL, NULL, &error);
      g_assert_error (error, RELAY_ERROR, RELAY_ERROR_TOO_LARGE);
      g_assert_cmpstr (log, ==, "message||ok\n");
    }
}

static void
test_sse_event_too_large (void)
{
  g_autoptr(GString) input = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *log = NULL;

  /* Many short data lines: no line is too long, but the event is. */
  for (guint i = 0; i < 40; i++)
    g_string_append (input, "data: 0123456789\n");
  g_string_append (input, "\n");
  log = run_cuts (input->str, input->len, NULL, 0, 256, NULL, NULL, &error);
  g_assert_error (error, RELAY_ERROR, RELAY_ERROR_TOO_LARGE);
  g_assert_cmpstr (log, ==, "");
}

static void
test_sse_refuses_after_error (void)
{
  g_autoptr(GString) log = g_string_new (NULL);
  g_autoptr(RelaySseParser) parser = relay_sse_parser_new (log_event_cb, log, NULL);
  g_autoptr(GError) error = NULL;

  relay_sse_parser_set_max_size (parser, 8);
  g_assert_false (relay_sse_parser_feed (parser, "data: 123456789", 15, &error));
  g_assert_error (error, RELAY_ERROR, RELAY_ERROR_TOO_LARGE);
  g_clear_error (&error);
  g_assert_false (relay_sse_parser_feed (parser, "\n\n", 2, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);

  relay_sse_parser_reset (parser);
  g_assert_true (relay_sse_parser_feed (parser, "data: 1\n\n", 9, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (log->str, ==, "message||1\n");
}

typedef struct
{
  guint    seen;
  guint    stop_at;
} StopLog;

static gboolean
stop_cb (const RelaySseEvent  *event,
         gpointer              user_data,
         GError              **error)
{
  StopLog *log = user_data;

  if (++log->seen == log->stop_at)
    {
      g_set_error_literal (error, RELAY_ERROR, RELAY_ERROR_SERVER, "stop here");
      return FALSE;
    }
  return TRUE;
}

static void
test_sse_callback_stops (void)
{
  StopLog log = { 0, 2 };
  g_autoptr(RelaySseParser) parser = relay_sse_parser_new (stop_cb, &log, NULL);
  g_autoptr(GError) error = NULL;
  const char *input = "data: 1\n\ndata: 2\n\ndata: 3\n\n";

  g_assert_false (relay_sse_parser_feed (parser, input, strlen (input), &error));
  g_assert_error (error, RELAY_ERROR, RELAY_ERROR_SERVER);
  g_assert_cmpstr (error->message, ==, "stop here");
  g_assert_cmpuint (log.seen, ==, 2);
  g_assert_cmpuint (relay_sse_parser_get_n_events (parser), ==, 2);
}

static void
test_sse_finish_discards_partial (void)
{
  g_autoptr(GString) log = g_string_new (NULL);
  g_autoptr(RelaySseParser) parser = relay_sse_parser_new (log_event_cb, log, NULL);

  g_assert_true (relay_sse_parser_feed (parser, "id: 5\ndata: partial\n", 21, NULL));
  g_assert_true (relay_sse_parser_has_pending (parser));
  g_assert_true (relay_sse_parser_finish (parser, NULL));
  g_assert_false (relay_sse_parser_has_pending (parser));
  g_assert_cmpstr (log->str, ==, "");
  g_assert_cmpstr (relay_sse_parser_get_last_event_id (parser), ==, "5");
}

/* A recorded OpenAI stream: 33 chunk events and [DONE]. */
static void
test_sse_recorded_stream (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "fixtures", "openai-text-usage.sse", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  gsize length;
  SseCase c = { "openai-text-usage", NULL, 0, NULL, -1, FALSE };
  g_autoptr(GString) log = g_string_new (NULL);
  g_autoptr(RelaySseParser) parser = relay_sse_parser_new (log_event_cb, log, NULL);
  g_auto(GStrv) lines = NULL;

  g_assert_true (g_file_get_contents (path, &contents, &length, &error));
  g_assert_no_error (error);
  g_assert_true (relay_sse_parser_feed (parser, contents, length, &error));
  g_assert_no_error (error);
  lines = g_strsplit (log->str, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 35);
  g_assert_true (g_str_has_prefix (lines[0], "message||{\"id\":\"chatcmpl-ABfw031mOJeYCSHe4yI2ZjOA6kMJL\""));
  g_assert_cmpstr (lines[33], ==, "message||[DONE]");

  /* The same bytes with CRLF line ends, split every way, give the same events. */
  {
    g_autoptr(GString) crlf = g_string_new (NULL);

    for (gsize i = 0; i < length; i++)
      {
        if (contents[i] == '\n')
          g_string_append_c (crlf, '\r');
        g_string_append_c (crlf, contents[i]);
      }
    c.input = crlf->str;
    c.input_len = crlf->len;
    c.expected = log->str;
    check_all_splits (&c);
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/sse-parser/case/%s", cases[i].name);

      g_test_add_data_func (path, &cases[i], test_sse_case);
    }
  g_test_add_func ("/sse-parser/cr-lf-across-feeds", test_sse_cr_lf_across_feeds);
  g_test_add_func ("/sse-parser/line-too-long", test_sse_line_too_long);
  g_test_add_func ("/sse-parser/event-too-large", test_sse_event_too_large);
  g_test_add_func ("/sse-parser/refuses-after-error", test_sse_refuses_after_error);
  g_test_add_func ("/sse-parser/callback-stops", test_sse_callback_stops);
  g_test_add_func ("/sse-parser/finish-discards-partial", test_sse_finish_discards_partial);
  g_test_add_func ("/sse-parser/recorded-stream", test_sse_recorded_stream);

  return g_test_run ();
}
