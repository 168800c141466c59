/* relay-sse-parser.c
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "relay-sse-parser"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "relay-error.h"
#include "relay-sse-parser.h"

/**
 * RelaySseParser:
 *
 * A push parser for `text/event-stream` as the WHATWG HTML standard defines it
 * ("Server-sent events", section "Interpreting an event stream"). Bytes go in with
 * relay_sse_parser_feed() in pieces of any size; each event is handed to the callback
 * when its closing blank line arrives.
 *
 * The parser does no I/O and needs no main loop. Each byte fed is looked at a bounded
 * number of times: lines that arrive whole are parsed in place, and only the unfinished
 * tail of a feed is copied aside. Lines and events larger than the maximum size (8 MiB
 * unless changed) fail with %RELAY_ERROR_TOO_LARGE instead of growing without bound.
 *
 * The `data: [DONE]` that ends an OpenAI stream is an ordinary event here; the consumer
 * recognises it.
 */
struct _RelaySseParser
{
  RelaySseEventFunc  func;
  gpointer           user_data;
  GDestroyNotify     destroy;

  GString           *line;        /* an unfinished line carried over from an earlier feed */
  GString           *data;        /* the data buffer, each line followed by "\n" */
  GString           *event_type;
  GString           *last_id;
  gint64             retry;
  guint64            n_events;
  gsize              max_size;

  guint              bom_matched; /* bytes of a leading BOM seen so far */
  guint              bom_done : 1;
  guint              skip_lf : 1; /* the last feed ended in CR: an LF next is its partner */
  guint              has_line : 1;
  guint              failed : 1;
};

static const guint8 bom[] = { 0xEF, 0xBB, 0xBF };

G_DEFINE_BOXED_TYPE (RelaySseParser, relay_sse_parser, relay_sse_parser_ref, relay_sse_parser_unref)

/**
 * relay_sse_parser_new:
 * @func: called for each event
 * @user_data: passed to @func
 * @destroy: (nullable): frees @user_data with the parser
 *
 * Returns: (transfer full): a new parser
 */
RelaySseParser *
relay_sse_parser_new (RelaySseEventFunc func,
                      gpointer          user_data,
                      GDestroyNotify    destroy)
{
  RelaySseParser *self;

  g_return_val_if_fail (func != NULL, NULL);

  self = g_rc_box_new0 (RelaySseParser);
  self->func = func;
  self->user_data = user_data;
  self->destroy = destroy;
  self->line = g_string_new (NULL);
  self->data = g_string_sized_new (256);
  self->event_type = g_string_new (NULL);
  self->last_id = g_string_new (NULL);
  self->retry = -1;
  self->max_size = RELAY_SSE_DEFAULT_MAX_SIZE;
  return self;
}

RelaySseParser *
relay_sse_parser_ref (RelaySseParser *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return g_rc_box_acquire (self);
}

static void
relay_sse_parser_free (RelaySseParser *self)
{
  if (self->destroy != NULL)
    self->destroy (self->user_data);
  g_string_free (self->line, TRUE);
  g_string_free (self->data, TRUE);
  g_string_free (self->event_type, TRUE);
  g_string_free (self->last_id, TRUE);
}

void
relay_sse_parser_unref (RelaySseParser *self)
{
  g_return_if_fail (self != NULL);
  g_rc_box_release_full (self, (GDestroyNotify) relay_sse_parser_free);
}

/**
 * relay_sse_parser_set_max_size:
 * @max_size: the largest line or event data, in bytes
 */
void
relay_sse_parser_set_max_size (RelaySseParser *self,
                               gsize           max_size)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (max_size > 0);

  self->max_size = max_size;
}

static gboolean
fail_too_large (RelaySseParser  *self,
                const char      *what,
                GError         **error)
{
  self->failed = TRUE;
  g_set_error (error, RELAY_ERROR, RELAY_ERROR_TOO_LARGE,
               /* Translators: %s is "line" or "event"; the number is in MiB */
               _("The server sent an event-stream %s larger than %" G_GSIZE_FORMAT " MiB"),
               what, self->max_size / (1024 * 1024));
  return FALSE;
}

static gboolean
dispatch (RelaySseParser  *self,
          GError         **error)
{
  RelaySseEvent event;
  gboolean ret;

  /* An event without data lines is not dispatched, but its type is forgotten. */
  if (self->data->len == 0)
    {
      g_string_truncate (self->event_type, 0);
      return TRUE;
    }

  /* The data buffer ends in "\n" (see process_field); the event does not. */
  g_string_truncate (self->data, self->data->len - 1);

  event.event = self->event_type->len > 0 ? self->event_type->str : "message";
  event.data = self->data->str;
  event.data_len = self->data->len;
  event.id = self->last_id->str;
  self->n_events++;

  ret = self->func (&event, self->user_data, error);

  g_string_truncate (self->data, 0);
  g_string_truncate (self->event_type, 0);

  if (!ret)
    {
      self->failed = TRUE;
      if (error != NULL && *error == NULL)
        g_set_error_literal (error, RELAY_ERROR, RELAY_ERROR_INVALID_RESPONSE,
                             _("The event stream was abandoned"));
    }
  return ret;
}

static gboolean
name_is (const char *field,
         gsize       field_len,
         const char *name,
         gsize       name_len)
{
  return field_len == name_len && memcmp (field, name, name_len) == 0;
}

static gboolean
process_field (RelaySseParser  *self,
               const char      *line,
               gsize            len,
               GError         **error)
{
  const char *colon = memchr (line, ':', len);
  const char *value;
  gsize field_len;
  gsize value_len;

  if (colon != NULL)
    {
      field_len = colon - line;
      value = colon + 1;
      value_len = len - field_len - 1;
      if (value_len > 0 && *value == ' ')
        {
          value++;
          value_len--;
        }
    }
  else
    {
      /* A field name alone: its value is the empty string. */
      field_len = len;
      value = "";
      value_len = 0;
    }

  if (name_is (line, field_len, "data", 4))
    {
      if (self->data->len + value_len + 1 > self->max_size)
        return fail_too_large (self, "event", error);
      g_string_append_len (self->data, value, value_len);
      g_string_append_c (self->data, '\n');
    }
  else if (name_is (line, field_len, "event", 5))
    {
      g_string_truncate (self->event_type, 0);
      g_string_append_len (self->event_type, value, value_len);
    }
  else if (name_is (line, field_len, "id", 2))
    {
      /* An ID with U+0000 in it is ignored, as the standard says. */
      if (memchr (value, '\0', value_len) == NULL)
        {
          g_string_truncate (self->last_id, 0);
          g_string_append_len (self->last_id, value, value_len);
        }
    }
  else if (name_is (line, field_len, "retry", 5))
    {
      gint64 retry = 0;
      gsize i;

      for (i = 0; i < value_len && g_ascii_isdigit (value[i]); i++)
        {
          if (retry > (G_MAXINT64 - 9) / 10)
            break;
          retry = retry * 10 + (value[i] - '0');
        }
      if (value_len > 0 && i == value_len)
        self->retry = retry;
    }
  /* Any other field is ignored. */

  return TRUE;
}

static gboolean
process_line (RelaySseParser  *self,
              const char      *line,
              gsize            len,
              GError         **error)
{
  if (len == 0)
    return dispatch (self, error);
  if (line[0] == ':')
    return TRUE;  /* a comment: keep-alives look like this */
  return process_field (self, line, len, error);
}

/* Splits @data into lines, parsing whole lines where they lie. */
static gboolean
feed_lines (RelaySseParser  *self,
            const char      *data,
            gsize            length,
            GError         **error)
{
  const char *p = data;
  const char *end = data + length;
  /* The next CR and LF at or after p, found once each and reused until p passes them, so
   * that a stream using only one kind of line end is not rescanned for the other. */
  const char *next_cr = NULL;
  const char *next_lf = NULL;
  gboolean cr_known = FALSE;
  gboolean lf_known = FALSE;

  if (self->skip_lf && p < end)
    {
      if (*p == '\n')
        p++;
      self->skip_lf = FALSE;
    }

  while (p < end)
    {
      const char *eol;

      if (!lf_known || (next_lf != NULL && next_lf < p))
        {
          next_lf = memchr (p, '\n', end - p);
          lf_known = TRUE;
        }
      if (!cr_known || (next_cr != NULL && next_cr < p))
        {
          /* Only CRs before the next LF matter for this line. */
          next_cr = memchr (p, '\r', (next_lf != NULL ? next_lf : end) - p);
          cr_known = next_cr != NULL || next_lf == NULL;
        }

      if (next_cr != NULL && (next_lf == NULL || next_cr < next_lf))
        eol = next_cr;
      else
        eol = next_lf;

      if (eol == NULL)
        {
          /* An unfinished line: keep it for the next feed. */
          if (self->line->len + (end - p) > self->max_size)
            return fail_too_large (self, "line", error);
          g_string_append_len (self->line, p, end - p);
          self->has_line = TRUE;
          return TRUE;
        }

      if (self->has_line)
        {
          gboolean ok;

          if (self->line->len + (eol - p) > self->max_size)
            return fail_too_large (self, "line", error);
          g_string_append_len (self->line, p, eol - p);
          ok = process_line (self, self->line->str, self->line->len, error);
          g_string_truncate (self->line, 0);
          self->has_line = FALSE;
          if (!ok)
            return FALSE;
        }
      else
        {
          if ((gsize) (eol - p) > self->max_size)
            return fail_too_large (self, "line", error);
          if (!process_line (self, p, eol - p, error))
            return FALSE;
        }

      p = eol + 1;
      if (*eol == '\r')
        {
          if (p == end)
            self->skip_lf = TRUE;
          else if (*p == '\n')
            p++;
          /* The CR is used up; look for the next one past this line. */
          cr_known = FALSE;
        }
    }

  return TRUE;
}

/**
 * relay_sse_parser_feed:
 * @data: (array length=length): bytes of the stream
 * @length: how many
 *
 * Parses the next bytes of the stream, calling the callback for each event they finish.
 *
 * Returns: %FALSE when a line or an event is too large or the callback failed; the
 *   parser then refuses further input
 */
gboolean
relay_sse_parser_feed (RelaySseParser  *self,
                       const char      *data,
                       gsize            length,
                       GError         **error)
{
  g_autoptr(RelaySseParser) hold = NULL;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (data != NULL || length == 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (self->failed)
    {
      g_set_error_literal (error, RELAY_ERROR, RELAY_ERROR_INVALID_RESPONSE,
                           _("The event stream was abandoned after an error"));
      return FALSE;
    }

  /* A leading BOM is dropped; it may be split across feeds like anything else. */
  while (!self->bom_done && length > 0)
    {
      if ((guint8) *data == bom[self->bom_matched])
        {
          data++;
          length--;
          if (++self->bom_matched == G_N_ELEMENTS (bom))
            self->bom_done = TRUE;
        }
      else
        {
          guint matched = self->bom_matched;

          self->bom_done = TRUE;
          /* What looked like the start of a BOM was the start of a line. */
          if (matched > 0 && !feed_lines (self, (const char *) bom, matched, error))
            return FALSE;
        }
    }

  if (length == 0)
    return TRUE;

  /* The callback may drop the last other reference. */
  hold = relay_sse_parser_ref (self);
  return feed_lines (self, data, length, error);
}

/**
 * relay_sse_parser_finish:
 *
 * Ends the stream. As the standard says, an event whose closing blank line never came
 * is discarded, not dispatched; relay_sse_parser_has_pending() tells beforehand whether
 * there is one.
 *
 * Returns: %FALSE if the parser had failed
 */
gboolean
relay_sse_parser_finish (RelaySseParser  *self,
                         GError         **error)
{
  g_return_val_if_fail (self != NULL, FALSE);

  if (self->failed)
    {
      g_set_error_literal (error, RELAY_ERROR, RELAY_ERROR_INVALID_RESPONSE,
                           _("The event stream was abandoned after an error"));
      return FALSE;
    }

  g_string_truncate (self->line, 0);
  g_string_truncate (self->data, 0);
  g_string_truncate (self->event_type, 0);
  self->has_line = FALSE;
  self->skip_lf = FALSE;
  return TRUE;
}

/**
 * relay_sse_parser_reset:
 *
 * Forgets everything but the callback and the maximum size, as for a new stream.
 */
void
relay_sse_parser_reset (RelaySseParser *self)
{
  g_return_if_fail (self != NULL);

  g_string_truncate (self->line, 0);
  g_string_truncate (self->data, 0);
  g_string_truncate (self->event_type, 0);
  g_string_truncate (self->last_id, 0);
  self->retry = -1;
  self->n_events = 0;
  self->bom_matched = 0;
  self->bom_done = FALSE;
  self->skip_lf = FALSE;
  self->has_line = FALSE;
  self->failed = FALSE;
}

/**
 * relay_sse_parser_get_last_event_id:
 *
 * Returns: the last `id:` seen, "" when none; a reconnection sends it as Last-Event-ID
 */
const char *
relay_sse_parser_get_last_event_id (RelaySseParser *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->last_id->str;
}

/**
 * relay_sse_parser_get_retry:
 *
 * Returns: the reconnection time the server asked for with `retry:`, in milliseconds,
 *   or -1
 */
gint64
relay_sse_parser_get_retry (RelaySseParser *self)
{
  g_return_val_if_fail (self != NULL, -1);
  return self->retry;
}

/**
 * relay_sse_parser_has_pending:
 *
 * Returns: whether part of a line or an undispatched event is buffered, which at the
 *   end of the body means the stream was cut short
 */
gboolean
relay_sse_parser_has_pending (RelaySseParser *self)
{
  g_return_val_if_fail (self != NULL, FALSE);
  return self->has_line || self->data->len > 0;
}

guint64
relay_sse_parser_get_n_events (RelaySseParser *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->n_events;
}
