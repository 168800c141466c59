/* relay-markdown-view.c: a reply's Markdown as widgets, updated as the reply streams.
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "relay-markdown-view"

#include "config.h"

#include <json-glib/json-glib.h>
#include <string.h>

#include "relay-code-block.h"
#include "relay-markdown-view-private.h"

/* How streaming stays cheap
 *
 * The view keeps the Markdown source. Top-level blocks that end before `stable_offset`
 * are final: their widgets are never looked at again. Each update parses only the text
 * from `stable_offset` on (normally the last, still open block) and compares the result
 * with the nodes the tail's widgets were made from, so that only the widgets whose
 * block changed are touched: a growing paragraph gets new markup, a growing code block
 * gets the new lines inserted into its buffer.
 *
 * When the complete lines of the tail hold more than one block, all but the last are
 * final (CommonMark never reopens a block once a later line has closed it), and
 * `stable_offset` moves to the line where the last one starts. Md4c does not report
 * where a block starts, only where its text is; the start is the latest line, between
 * the end of the previous block's text and the start of this block's text, from which
 * the block parses the same on its own, also with a few telling lines after it. That
 * rules out closing fences, setext underlines and such, which parse differently alone,
 * and the fence of an empty code block, which looks the same open or closed.
 *
 * Link reference definitions are the one thing that reaches back to earlier blocks:
 * once one shows up, the whole reply is parsed on each update (still touching only the
 * widgets that changed).
 *
 * Appends are applied at most thirty times a second, see schedule_flush().
 */

#define MAX_CANDIDATES      64
#define CHUNK_SIZE          8
#define FLUSH_INTERVAL_MSEC 33

struct _RelayMarkdownView
{
  GtkWidget  parent_instance;

  GString   *source;
  gboolean   dirty;
  gsize      stable_offset;
  guint      n_frozen;
  /* Top-level block widgets, in order, and the boxes that hold them (see append_block). */
  GPtrArray *blocks;
  GPtrArray *chunks;
  gboolean   full_reparse;
  gsize      reference_scan_offset;
  gsize      freeze_attempt_end;
  guint      timeout_id;
  gint64     last_flush_usec;
  /* The scrolled window around the view, whose area is what gets drawn. */
  GtkWidget *scroller;

  RelayMessage *message;
  GSignalGroup *message_signals;

  gboolean   json_mode;
  GString   *json_shown;
  gsize      json_consumed;
  gsize      json_scanned;
  guint      json_depth;
  gboolean   json_in_string;
  gboolean   json_escape;
  gsize      json_attempt_len;
};

enum {
  PROP_0,
  PROP_JSON_MODE,
  PROP_MESSAGE,
  N_PROPS
};

enum {
  ACTIVATE_LINK,
  COPIED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (RelayMarkdownView, relay_markdown_view, GTK_TYPE_WIDGET)

/* Links */

static void
launch_uri_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!gtk_uri_launcher_launch_finish (GTK_URI_LAUNCHER (object), result, &error) &&
      !g_error_matches (error, GTK_DIALOG_ERROR, GTK_DIALOG_ERROR_DISMISSED))
    g_warning ("Could not open link: %s", error->message);
}

/* A label's link was activated, by a click or the keyboard: labels only ever hold web
 * and mail links (see the parser), checked once more here. */
void
_relay_markdown_view_activate_link (RelayMarkdownView *self,
                                    const char        *uri)
{
  gboolean handled = FALSE;

  if (!relay_markdown_uri_is_safe (uri))
    return;

  g_signal_emit (self, signals[ACTIVATE_LINK], 0, uri, &handled);
  if (!handled)
    {
      g_autoptr(GtkUriLauncher) launcher = gtk_uri_launcher_new (uri);
      GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

      gtk_uri_launcher_launch (launcher, GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                               NULL, launch_uri_cb, NULL);
    }
}

void
_relay_markdown_view_code_copied (RelayMarkdownView *self,
                                  const char        *code)
{
  g_signal_emit (self, signals[COPIED], 0, code);
}

/* Top-level blocks live in boxes of CHUNK_SIZE, block i in chunk i / CHUNK_SIZE: a frame
 * measures and allocates the view's few chunks and the last chunk's blocks, not every
 * block of a long reply (GTK skips chunks whose size did not change). */

static void
append_block (RelayMarkdownView *self,
              GtkWidget         *widget)
{
  guint chunk_index = self->blocks->len / CHUNK_SIZE;
  GtkWidget *chunk;

  if (chunk_index == self->chunks->len)
    {
      chunk = gtk_box_new (GTK_ORIENTATION_VERTICAL, RELAY_MARKDOWN_BLOCK_SPACING);
      gtk_widget_insert_before (chunk, GTK_WIDGET (self), NULL);
      g_ptr_array_add (self->chunks, chunk);
    }
  chunk = g_ptr_array_index (self->chunks, chunk_index);

  /* Headings stand apart from what precedes them, but not at the top of the reply. */
  if (self->blocks->len > 0 && gtk_widget_has_css_class (widget, "markdown-heading"))
    gtk_widget_add_css_class (widget, "after-block");

  gtk_box_append (GTK_BOX (chunk), widget);
  g_ptr_array_add (self->blocks, widget);
}

static void
replace_block (RelayMarkdownView *self,
               guint              index,
               GtkWidget         *widget)
{
  GtkWidget *old = g_ptr_array_index (self->blocks, index);
  GtkWidget *chunk = gtk_widget_get_parent (old);

  if (index > 0 && gtk_widget_has_css_class (widget, "markdown-heading"))
    gtk_widget_add_css_class (widget, "after-block");

  gtk_box_insert_child_after (GTK_BOX (chunk), widget, gtk_widget_get_prev_sibling (old));
  gtk_box_remove (GTK_BOX (chunk), old);
  g_ptr_array_index (self->blocks, index) = widget;
}

static void
truncate_blocks (RelayMarkdownView *self,
                 guint              n_blocks)
{
  while (self->blocks->len > n_blocks)
    {
      GtkWidget *widget = g_ptr_array_steal_index (self->blocks, self->blocks->len - 1);
      GtkWidget *chunk = gtk_widget_get_parent (widget);

      gtk_box_remove (GTK_BOX (chunk), widget);
      if (gtk_widget_get_first_child (chunk) == NULL)
        {
          g_ptr_array_set_size (self->chunks, self->chunks->len - 1);
          gtk_widget_unparent (chunk);
        }
    }
}

static void
update_blocks (RelayMarkdownView *self,
               guint              first,
               GPtrArray         *nodes)
{
  for (guint i = 0; i < nodes->len; i++)
    {
      RelayMarkdownNode *node = g_ptr_array_index (nodes, i);
      guint index = first + i;

      if (index < self->blocks->len)
        {
          GtkWidget *widget = g_ptr_array_index (self->blocks, index);
          GtkWidget *updated = _relay_markdown_view_update_or_replace (self, widget, node);

          if (updated != widget)
            replace_block (self, index, updated);
        }
      else
        append_block (self, _relay_markdown_view_create_block (self, node));
    }

  truncate_blocks (self, first + nodes->len);
}

/* Where blocks start */

/* The start of the line that holds the byte before @pos. */
static gsize
line_start (const char *text,
            gsize       pos)
{
  while (pos > 0 && text[pos - 1] != '\n')
    pos--;
  return pos;
}

static gsize
next_line_start (const char *text,
                 gsize       pos,
                 gsize       length)
{
  const char *newline = pos < length ? memchr (text + pos, '\n', length - pos) : NULL;

  return newline ? (gsize) (newline - text) + 1 : length;
}

static gboolean
same_blocks (GPtrArray *a,
             guint      a_first,
             GPtrArray *b)
{
  if (a->len < a_first || a->len - a_first != b->len)
    return FALSE;
  for (guint i = 0; i < b->len; i++)
    if (!relay_markdown_node_equal (g_ptr_array_index (a, a_first + i), g_ptr_array_index (b, i)))
      return FALSE;
  return TRUE;
}

static GPtrArray *
parse_with (const char *text,
            gsize       length,
            const char *more)
{
  g_autoptr(GString) joined = g_string_new_len (text, length);

  g_string_append (joined, more);
  return relay_markdown_parse (joined->str, joined->len);
}

/* Lines that continue a block differently depending on how it began: plain text goes
 * into an open fence but after a closed one, a fence closes only a fence of its kind. */
static const char *sentinels[] = { "z\n", "```\n", "~~~\n", "    z\n" };

/* Whether the blocks from @n_final on parse the same from @candidate as in the whole
 * tail, now and with each of the sentinel lines after them. An empty code block looks
 * the same whether a fence closed it or not; what comes next tells them apart. */
static gboolean
starts_block (const char *tail,
              gsize       complete,
              GPtrArray  *complete_blocks,
              guint       n_final,
              gsize       candidate,
              GPtrArray **expected)
{
  g_autoptr(GPtrArray) probe = relay_markdown_parse (tail + candidate, complete - candidate);

  if (!same_blocks (complete_blocks, n_final, probe))
    return FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (sentinels); i++)
    {
      g_autoptr(GPtrArray) with_sentinel = NULL;

      if (expected[i] == NULL)
        expected[i] = parse_with (tail, complete, sentinels[i]);
      with_sentinel = parse_with (tail + candidate, complete - candidate, sentinels[i]);
      if (!same_blocks (expected[i], n_final, with_sentinel))
        return FALSE;
    }
  return TRUE;
}

/* Moves `stable_offset` past the blocks that can no longer change, see the top. */
static void
freeze_finished_blocks (RelayMarkdownView *self,
                        GPtrArray         *shown)
{
  const char *tail = self->source->str + self->stable_offset;
  gsize tail_len = self->source->len - self->stable_offset;
  g_autoptr(GPtrArray) parsed = NULL;
  GPtrArray *expected[G_N_ELEMENTS (sentinels)] = { NULL, };
  GPtrArray *complete_blocks;
  RelayMarkdownNode *last;
  gsize complete, low = 0, candidate;
  guint n_final;

  complete = line_start (tail, tail_len);
  if (shown->len < 2 || complete == 0 || self->stable_offset + complete <= self->freeze_attempt_end)
    return;
  self->freeze_attempt_end = self->stable_offset + complete;

  if (complete == tail_len)
    complete_blocks = shown;
  else
    complete_blocks = parsed = relay_markdown_parse (tail, complete);
  if (complete_blocks->len < 2)
    return;

  n_final = complete_blocks->len - 1;
  for (guint i = 0; i < n_final; i++)
    if (!relay_markdown_node_equal (g_ptr_array_index (complete_blocks, i),
                                    g_ptr_array_index (shown, i)))
      return;

  for (guint i = n_final; i-- > 0;)
    {
      RelayMarkdownNode *node = g_ptr_array_index (complete_blocks, i);

      if (node->end_byte > 0)
        {
          low = next_line_start (tail, node->end_byte - 1, complete);
          break;
        }
    }

  last = g_ptr_array_index (complete_blocks, n_final);
  candidate = line_start (tail, last->first_byte >= 0 ? (gsize) last->first_byte : complete - 1);
  for (guint tries = 0; candidate >= low && tries < MAX_CANDIDATES; tries++)
    {
      if (starts_block (tail, complete, complete_blocks, n_final, candidate, expected))
        {
          self->n_frozen += n_final;
          self->stable_offset += candidate;
          break;
        }
      if (candidate == 0)
        break;
      candidate = line_start (tail, candidate - 1);
    }

  for (guint i = 0; i < G_N_ELEMENTS (sentinels); i++)
    g_clear_pointer (&expected[i], g_ptr_array_unref);
}

/* A line that may define a link reference: "[label]: destination", possibly inside
 * quotes and list items. Code that looks like one only costs some speed. */
static gboolean
line_may_define_reference (const char *line,
                           const char *end)
{
  const char *p = line;

  while (p < end)
    {
      if (*p == ' ' || *p == '\t' || *p == '>' || *p == '-' || *p == '*' || *p == '+')
        p++;
      else if (g_ascii_isdigit (*p))
        {
          while (p < end && g_ascii_isdigit (*p))
            p++;
          if (p < end && (*p == '.' || *p == ')'))
            p++;
        }
      else
        break;
    }
  if (p >= end || *p != '[')
    return FALSE;
  for (; p + 1 < end; p++)
    if (p[0] == ']' && p[1] == ':')
      return TRUE;
  return FALSE;
}

static void
scan_for_references (RelayMarkdownView *self)
{
  const char *text = self->source->str;
  gsize length = self->source->len;
  gsize pos = self->reference_scan_offset;

  while (pos < length && !self->full_reparse)
    {
      gsize next = next_line_start (text, pos, length);

      if (line_may_define_reference (text + pos, text + next))
        self->full_reparse = TRUE;
      /* The last line may not be complete yet: look at it again next time. */
      if (next == length && text[length - 1] != '\n')
        break;
      pos = next;
    }
  self->reference_scan_offset = pos;

  if (self->full_reparse)
    {
      self->stable_offset = 0;
      self->n_frozen = 0;
    }
}

/* JSON mode */

static RelayCodeBlock *
ensure_json_block (RelayMarkdownView *self)
{
  GtkWidget *block;

  if (self->blocks->len == 1 &&
      RELAY_IS_CODE_BLOCK (g_ptr_array_index (self->blocks, 0)))
    return g_ptr_array_index (self->blocks, 0);

  truncate_blocks (self, 0);
  block = _relay_markdown_view_create_code_block (self, "json");
  append_block (self, block);
  return RELAY_CODE_BLOCK (block);
}

/* Tracks nesting over the new bytes only, so that the whole text is parsed as JSON only
 * when it may be complete. */
static void
scan_json (RelayMarkdownView *self)
{
  for (gsize i = self->json_scanned; i < self->source->len; i++)
    {
      char c = self->source->str[i];

      if (self->json_in_string)
        {
          if (self->json_escape)
            self->json_escape = FALSE;
          else if (c == '\\')
            self->json_escape = TRUE;
          else if (c == '"')
            self->json_in_string = FALSE;
        }
      else if (c == '"')
        self->json_in_string = TRUE;
      else if (c == '{' || c == '[')
        self->json_depth++;
      else if ((c == '}' || c == ']') && self->json_depth > 0)
        self->json_depth--;
    }
  self->json_scanned = self->source->len;
}

static char *
pretty_json (const char *text,
             gsize       length)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(JsonGenerator) generator = NULL;
  JsonNode *root;

  if (!json_parser_load_from_data (parser, text, length, NULL) ||
      (root = json_parser_get_root (parser)) == NULL)
    return NULL;

  generator = json_generator_new ();
  json_generator_set_pretty (generator, TRUE);
  json_generator_set_indent (generator, 2);
  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, NULL);
}

/* Appends the bytes not yet shown, made valid UTF-8; an incomplete character at the
 * end waits for its remaining bytes. */
static void
consume_raw_json (RelayMarkdownView *self)
{
  const char *start = self->source->str + self->json_consumed;
  gsize length = self->source->len - self->json_consumed;
  const char *end = start + length;
  const char *p = start;

  while (p < end)
    {
      const char *valid_end;

      if (g_utf8_validate_len (p, end - p, &valid_end))
        {
          g_string_append_len (self->json_shown, p, end - p);
          p = end;
          break;
        }
      g_string_append_len (self->json_shown, p, valid_end - p);
      p = valid_end;
      if (g_utf8_get_char_validated (p, end - p) == (gunichar) -2)
        break;
      g_string_append (self->json_shown, "\xEF\xBF\xBD");
      p++;
    }
  self->json_consumed += p - start;
}

static void
flush_json (RelayMarkdownView *self)
{
  RelayCodeBlock *block = ensure_json_block (self);
  const char *last;

  consume_raw_json (self);
  scan_json (self);

  last = self->source->str + self->source->len;
  while (last > self->source->str && g_ascii_isspace (last[-1]))
    last--;
  if (self->json_depth == 0 && !self->json_in_string && last > self->source->str &&
      self->json_attempt_len != self->source->len &&
      strchr ("}]\"el0123456789", last[-1]) != NULL)
    {
      g_autofree char *pretty = NULL;

      self->json_attempt_len = self->source->len;
      if ((pretty = pretty_json (self->source->str, self->source->len)))
        {
          relay_code_block_set_code (block, pretty, -1);
          return;
        }
    }
  relay_code_block_set_code (block, self->json_shown->str, self->json_shown->len);
}

static void
reset_json (RelayMarkdownView *self)
{
  g_string_truncate (self->json_shown, 0);
  self->json_consumed = 0;
  self->json_scanned = 0;
  self->json_depth = 0;
  self->json_in_string = FALSE;
  self->json_escape = FALSE;
  self->json_attempt_len = G_MAXSIZE;
}

/* Applying the text */

static void
cancel_scheduled_flush (RelayMarkdownView *self)
{
  g_clear_handle_id (&self->timeout_id, g_source_remove);
}

/**
 * relay_markdown_view_flush:
 * @self: a #RelayMarkdownView
 *
 * Shows the text appended so far now rather than at the next update.
 */
void
relay_markdown_view_flush (RelayMarkdownView *self)
{
  g_autoptr(GPtrArray) nodes = NULL;
  guint first;

  g_return_if_fail (RELAY_IS_MARKDOWN_VIEW (self));

  cancel_scheduled_flush (self);
  if (!self->dirty)
    return;
  self->dirty = FALSE;
  self->last_flush_usec = g_get_monotonic_time ();

  if (self->json_mode)
    {
      flush_json (self);
      return;
    }

  scan_for_references (self);
  first = self->n_frozen;
  nodes = relay_markdown_parse (self->source->str + self->stable_offset,
                                self->source->len - self->stable_offset);
  update_blocks (self, first, nodes);
  if (!self->full_reparse)
    freeze_finished_blocks (self, nodes);
}

static gboolean
flush_timeout_cb (gpointer data)
{
  RelayMarkdownView *self = data;

  self->timeout_id = 0;
  relay_markdown_view_flush (self);
  return G_SOURCE_REMOVE;
}

/* Appended text shows at most FLUSH_INTERVAL_MSEC apart: text streams as smoothly at
 * thirty updates a second as at sixty, and each update costs a layout and a frame. The
 * first piece after a pause shows at once, before the next frame is drawn. */
static void
schedule_flush (RelayMarkdownView *self)
{
  gint64 wait_usec;

  self->dirty = TRUE;
  if (self->timeout_id != 0)
    return;

  wait_usec = self->last_flush_usec + FLUSH_INTERVAL_MSEC * 1000 - g_get_monotonic_time ();
  self->timeout_id = g_timeout_add_full (G_PRIORITY_HIGH_IDLE + 10,
                                         wait_usec > 0 ? (guint) (wait_usec / 1000) : 0,
                                         flush_timeout_cb, self, NULL);
}

static void
restart (RelayMarkdownView *self)
{
  self->stable_offset = 0;
  self->n_frozen = 0;
  self->full_reparse = FALSE;
  self->reference_scan_offset = 0;
  self->freeze_attempt_end = 0;
  reset_json (self);
  self->dirty = TRUE;
}

/* Public API */

GtkWidget *
relay_markdown_view_new (void)
{
  return g_object_new (RELAY_TYPE_MARKDOWN_VIEW, NULL);
}

/**
 * relay_markdown_view_get_text:
 * @self: a #RelayMarkdownView
 *
 * Returns: the Markdown source, including text appended but not shown yet
 */
const char *
relay_markdown_view_get_text (RelayMarkdownView *self)
{
  g_return_val_if_fail (RELAY_IS_MARKDOWN_VIEW (self), NULL);

  return self->source->str;
}

/**
 * relay_markdown_view_set_text:
 * @self: a #RelayMarkdownView
 * @text: (nullable): Markdown
 *
 * Shows @text. Widgets of blocks that stay the same are kept; when @text only extends
 * the text shown, this is an append.
 */
void
relay_markdown_view_set_text (RelayMarkdownView *self,
                              const char        *text)
{
  gsize length;

  g_return_if_fail (RELAY_IS_MARKDOWN_VIEW (self));

  if (text == NULL)
    text = "";
  length = strlen (text);

  if (length >= self->source->len && memcmp (text, self->source->str, self->source->len) == 0)
    {
      if (length > self->source->len)
        relay_markdown_view_append (self, text + self->source->len,
                                    length - self->source->len);
    }
  else
    {
      g_string_assign (self->source, text);
      restart (self);
    }
  relay_markdown_view_flush (self);
}

/**
 * relay_markdown_view_append:
 * @self: a #RelayMarkdownView
 * @text: more Markdown, a piece of any size (even part of a UTF-8 character)
 * @length: its length in bytes, or -1 when it is nul-terminated
 *
 * Adds @text to the end. It is shown at the next update (within 33 ms), which re-parses
 * only the blocks that may still change, normally the last one.
 */
void
relay_markdown_view_append (RelayMarkdownView *self,
                            const char        *text,
                            gssize             length)
{
  g_return_if_fail (RELAY_IS_MARKDOWN_VIEW (self));
  g_return_if_fail (text != NULL || length == 0);

  if (length < 0)
    length = strlen (text);
  if (length == 0)
    return;

  g_string_append_len (self->source, text, length);
  schedule_flush (self);
}

gboolean
relay_markdown_view_get_json_mode (RelayMarkdownView *self)
{
  g_return_val_if_fail (RELAY_IS_MARKDOWN_VIEW (self), FALSE);

  return self->json_mode;
}

/**
 * relay_markdown_view_set_json_mode:
 * @self: a #RelayMarkdownView
 * @json_mode: whether the text is JSON rather than Markdown
 *
 * In JSON mode the whole text is one JSON code block, pretty-printed once it parses.
 */
void
relay_markdown_view_set_json_mode (RelayMarkdownView *self,
                                   gboolean           json_mode)
{
  g_return_if_fail (RELAY_IS_MARKDOWN_VIEW (self));

  json_mode = !!json_mode;
  if (self->json_mode == json_mode)
    return;

  self->json_mode = json_mode;
  truncate_blocks (self, 0);
  restart (self);
  relay_markdown_view_flush (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_JSON_MODE]);
}

/* Following a message */

static void
message_delta_cb (RelayMarkdownView *self,
                  const char        *text,
                  guint              length,
                  RelayMessage      *message)
{
  relay_markdown_view_append (self, text, length);
}

static void
message_notify_content_cb (RelayMarkdownView *self,
                           GParamSpec        *pspec,
                           RelayMessage      *message)
{
  relay_markdown_view_set_text (self, relay_message_get_content (message));
}

/**
 * relay_markdown_view_get_message:
 * @self: a #RelayMarkdownView
 *
 * Returns: (transfer none) (nullable): the message the view follows
 */
RelayMessage *
relay_markdown_view_get_message (RelayMarkdownView *self)
{
  g_return_val_if_fail (RELAY_IS_MARKDOWN_VIEW (self), NULL);

  return self->message;
}

/**
 * relay_markdown_view_set_message:
 * @self: a #RelayMarkdownView
 * @message: (nullable): a message
 *
 * Shows @message's content and follows it: its #RelayMessage::delta signals are
 * appended, and a new #RelayMessage:content replaces the text (keeping the widgets of
 * blocks that stay the same).
 */
void
relay_markdown_view_set_message (RelayMarkdownView *self,
                                 RelayMessage      *message)
{
  g_return_if_fail (RELAY_IS_MARKDOWN_VIEW (self));
  g_return_if_fail (message == NULL || RELAY_IS_MESSAGE (message));

  if (!g_set_object (&self->message, message))
    return;

  g_signal_group_set_target (self->message_signals, message);
  relay_markdown_view_set_text (self, message ? relay_message_get_content (message) : "");
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MESSAGE]);
}

guint
relay_markdown_view_get_n_blocks (RelayMarkdownView *self)
{
  g_return_val_if_fail (RELAY_IS_MARKDOWN_VIEW (self), 0);

  relay_markdown_view_flush (self);
  return self->blocks->len;
}

/**
 * relay_markdown_view_get_block:
 * @self: a #RelayMarkdownView
 * @index: a top-level block's position
 *
 * Returns: (transfer none) (nullable): the widget showing the block
 */
GtkWidget *
relay_markdown_view_get_block (RelayMarkdownView *self,
                               guint              index)
{
  g_return_val_if_fail (RELAY_IS_MARKDOWN_VIEW (self), NULL);

  relay_markdown_view_flush (self);
  return index < self->blocks->len ? g_ptr_array_index (self->blocks, index) : NULL;
}

/**
 * relay_markdown_view_get_block_kind:
 * @self: a #RelayMarkdownView
 * @index: a top-level block's position
 *
 * Returns: (nullable): "paragraph", "heading", "code", "quote", "list", "rule" or "table"
 */
const char *
relay_markdown_view_get_block_kind (RelayMarkdownView *self,
                                    guint              index)
{
  GtkWidget *block = relay_markdown_view_get_block (self, index);

  if (block == NULL)
    return NULL;
  if (_relay_markdown_view_widget_get_node (block) == NULL)
    return "code";
  return _relay_markdown_view_kind_name (_relay_markdown_view_widget_get_node (block)->kind);
}

/**
 * relay_markdown_view_dup_shown_text:
 * @self: a #RelayMarkdownView
 *
 * What the view shows as text, block by block: labels without their markup, code as
 * it is, list items after their markers, table cells apart by tabs; blocks apart by an
 * empty line. Text appended so far is shown first.
 *
 * Returns: (transfer full): the text
 */
char *
relay_markdown_view_dup_shown_text (RelayMarkdownView *self)
{
  GString *out = g_string_new (NULL);

  g_return_val_if_fail (RELAY_IS_MARKDOWN_VIEW (self), NULL);

  relay_markdown_view_flush (self);
  for (guint i = 0; i < self->blocks->len; i++)
    {
      if (i > 0)
        g_string_append (out, "\n\n");
      _relay_markdown_view_append_shown_text (out, g_ptr_array_index (self->blocks, i));
    }
  return g_string_free (out, FALSE);
}

/* Drawing only what shows
 *
 * A long reply is one widget, so nothing culls its blocks: every frame of a streaming
 * reply would draw all of its text again (a renderer without culling, like cairo's,
 * pays for every glyph run even where the clip hides it). Like GtkTextView, the view
 * only snapshots the chunks that intersect the scrolled window around it, and draws
 * again when that scrolls. */

#define CULL_MARGIN 64

static void
scroller_value_changed_cb (RelayMarkdownView *self)
{
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
watch_scroller (RelayMarkdownView *self,
                GtkWidget         *scroller)
{
  if (self->scroller != NULL)
    {
      GtkScrolledWindow *old = GTK_SCROLLED_WINDOW (self->scroller);

      g_signal_handlers_disconnect_by_func (gtk_scrolled_window_get_vadjustment (old),
                                            scroller_value_changed_cb, self);
      g_signal_handlers_disconnect_by_func (gtk_scrolled_window_get_hadjustment (old),
                                            scroller_value_changed_cb, self);
    }
  g_set_weak_pointer (&self->scroller, scroller);
  if (scroller != NULL)
    {
      g_signal_connect_object (gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scroller)),
                               "value-changed", G_CALLBACK (scroller_value_changed_cb), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (gtk_scrolled_window_get_hadjustment (GTK_SCROLLED_WINDOW (scroller)),
                               "value-changed", G_CALLBACK (scroller_value_changed_cb), self,
                               G_CONNECT_SWAPPED);
    }
}

static void
relay_markdown_view_snapshot (GtkWidget   *widget,
                              GtkSnapshot *snapshot)
{
  RelayMarkdownView *self = RELAY_MARKDOWN_VIEW (widget);
  graphene_rect_t visible;
  gboolean cull;

  cull = self->scroller != NULL && gtk_widget_compute_bounds (self->scroller, widget, &visible);
  if (cull)
    graphene_rect_inset (&visible, -CULL_MARGIN, -CULL_MARGIN);

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      graphene_rect_t bounds;

      if (cull && gtk_widget_compute_bounds (child, widget, &bounds) &&
          !graphene_rect_intersection (&bounds, &visible, NULL))
        continue;
      gtk_widget_snapshot_child (widget, child, snapshot);
    }
}

/* GObject */

static void
relay_markdown_view_map (GtkWidget *widget)
{
  RelayMarkdownView *self = RELAY_MARKDOWN_VIEW (widget);

  GTK_WIDGET_CLASS (relay_markdown_view_parent_class)->map (widget);

  watch_scroller (self, gtk_widget_get_ancestor (widget, GTK_TYPE_SCROLLED_WINDOW));
}

static void
relay_markdown_view_unmap (GtkWidget *widget)
{
  RelayMarkdownView *self = RELAY_MARKDOWN_VIEW (widget);

  watch_scroller (self, NULL);

  GTK_WIDGET_CLASS (relay_markdown_view_parent_class)->unmap (widget);
}

static void
relay_markdown_view_dispose (GObject *object)
{
  RelayMarkdownView *self = RELAY_MARKDOWN_VIEW (object);
  GtkWidget *child;

  cancel_scheduled_flush (self);
  watch_scroller (self, NULL);
  g_signal_group_set_target (self->message_signals, NULL);
  g_clear_object (&self->message_signals);
  g_clear_object (&self->message);
  g_ptr_array_set_size (self->blocks, 0);
  g_ptr_array_set_size (self->chunks, 0);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))))
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (relay_markdown_view_parent_class)->dispose (object);
}

static void
relay_markdown_view_finalize (GObject *object)
{
  RelayMarkdownView *self = RELAY_MARKDOWN_VIEW (object);

  g_string_free (self->source, TRUE);
  g_string_free (self->json_shown, TRUE);
  g_ptr_array_unref (self->blocks);
  g_ptr_array_unref (self->chunks);

  G_OBJECT_CLASS (relay_markdown_view_parent_class)->finalize (object);
}

static void
relay_markdown_view_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  RelayMarkdownView *self = RELAY_MARKDOWN_VIEW (object);

  switch (prop_id)
    {
    case PROP_JSON_MODE:
      g_value_set_boolean (value, self->json_mode);
      break;
    case PROP_MESSAGE:
      g_value_set_object (value, self->message);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
relay_markdown_view_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  RelayMarkdownView *self = RELAY_MARKDOWN_VIEW (object);

  switch (prop_id)
    {
    case PROP_JSON_MODE:
      relay_markdown_view_set_json_mode (self, g_value_get_boolean (value));
      break;
    case PROP_MESSAGE:
      relay_markdown_view_set_message (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
relay_markdown_view_class_init (RelayMarkdownViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = relay_markdown_view_dispose;
  object_class->finalize = relay_markdown_view_finalize;
  object_class->get_property = relay_markdown_view_get_property;
  object_class->set_property = relay_markdown_view_set_property;

  widget_class->map = relay_markdown_view_map;
  widget_class->unmap = relay_markdown_view_unmap;
  widget_class->snapshot = relay_markdown_view_snapshot;

  properties[PROP_JSON_MODE] =
    g_param_spec_boolean ("json-mode", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_MESSAGE] =
    g_param_spec_object ("message", NULL, NULL, RELAY_TYPE_MESSAGE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * RelayMarkdownView::activate-link:
   * @self: the view
   * @uri: an http, https or mailto URI the user activated
   *
   * Return %TRUE to handle the link; otherwise it opens in the default application.
   */
  signals[ACTIVATE_LINK] =
    g_signal_new ("activate-link", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  g_signal_accumulator_true_handled, NULL, NULL,
                  G_TYPE_BOOLEAN, 1, G_TYPE_STRING);

  /**
   * RelayMarkdownView::copied:
   * @self: the view
   * @code: the code a code block's Copy button put on the clipboard
   */
  signals[COPIED] =
    g_signal_new ("copied", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "markdownview");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
relay_markdown_view_init (RelayMarkdownView *self)
{
  GtkLayoutManager *layout = gtk_widget_get_layout_manager (GTK_WIDGET (self));

  gtk_orientable_set_orientation (GTK_ORIENTABLE (layout), GTK_ORIENTATION_VERTICAL);
  gtk_box_layout_set_spacing (GTK_BOX_LAYOUT (layout), RELAY_MARKDOWN_BLOCK_SPACING);

  self->source = g_string_new (NULL);
  self->json_shown = g_string_new (NULL);
  self->blocks = g_ptr_array_new ();
  self->chunks = g_ptr_array_new ();
  self->json_attempt_len = G_MAXSIZE;

  self->message_signals = g_signal_group_new (RELAY_TYPE_MESSAGE);
  g_signal_group_connect_object (self->message_signals, "delta",
                                 G_CALLBACK (message_delta_cb), self, G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->message_signals, "notify::content",
                                 G_CALLBACK (message_notify_content_cb), self, G_CONNECT_SWAPPED);
}
