/* relay-markdown-parser.c: Markdown (md4c) to a tree of blocks with Pango markup.
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "relay-markdown-parser"

#include "config.h"

#include <md4c.h>
#include <string.h>

#include "relay-markdown-parser.h"

/* GitHub's dialect, but raw HTML is never interpreted: a reply that contains "<b>" shows
 * "<b>". Everything from the network reaches Pango only escaped. */
#define PARSER_FLAGS (MD_DIALECT_GITHUB | MD_FLAG_NOHTML)

/* Inline code: a neutral grey at low alpha reads on light, dark and high-contrast
 * backgrounds alike (Pango takes no CSS colour names). */
#define CODE_SPAN_OPEN "<span font_family=\"monospace\" background=\"#808080\" bgalpha=\"20%\">"

typedef struct
{
  const char        *source;
  gsize              source_len;
  GPtrArray         *blocks;       /* top-level nodes */
  GPtrArray         *stack;        /* open nodes, innermost last (borrowed) */
  RelayMarkdownNode *top;          /* the top-level block being parsed */
  RelayMarkdownNode *text_node;    /* the node receiving inline text, if any */
  gboolean           implicit;     /* text_node was opened for text directly in an item */
  GString           *buffer;       /* text_node's markup or code so far */
  GArray            *span_links;   /* per open link or image span: whether it opened <a> */
  GArray            *span_starts;  /* per open image span: buffer length when it opened */
  guint              open_links;
  gboolean           in_thead;
} ParseState;

RelayMarkdownNode *
relay_markdown_node_ref (RelayMarkdownNode *node)
{
  return g_atomic_rc_box_acquire (node);
}

static void
node_clear (gpointer data)
{
  RelayMarkdownNode *node = data;

  g_free (node->text);
  g_free (node->lang);
  g_clear_pointer (&node->children, g_ptr_array_unref);
}

void
relay_markdown_node_unref (RelayMarkdownNode *node)
{
  g_atomic_rc_box_release_full (node, node_clear);
}

static RelayMarkdownNode *
node_new (RelayMarkdownKind kind)
{
  RelayMarkdownNode *node = g_atomic_rc_box_new0 (RelayMarkdownNode);

  node->kind = kind;
  node->first_byte = -1;
  node->end_byte = -1;
  return node;
}

static GPtrArray *
node_children (RelayMarkdownNode *node)
{
  if (node->children == NULL)
    node->children = g_ptr_array_new_with_free_func ((GDestroyNotify) relay_markdown_node_unref);
  return node->children;
}

gboolean
relay_markdown_node_equal (const RelayMarkdownNode *a,
                           const RelayMarkdownNode *b)
{
  guint n_a, n_b;

  if (a == b)
    return TRUE;
  if (a->kind != b->kind || a->flags != b->flags || a->align != b->align ||
      a->level != b->level || a->width != b->width ||
      g_strcmp0 (a->text, b->text) != 0 || g_strcmp0 (a->lang, b->lang) != 0)
    return FALSE;

  n_a = a->children ? a->children->len : 0;
  n_b = b->children ? b->children->len : 0;
  if (n_a != n_b)
    return FALSE;
  for (guint i = 0; i < n_a; i++)
    if (!relay_markdown_node_equal (g_ptr_array_index (a->children, i),
                                    g_ptr_array_index (b->children, i)))
      return FALSE;
  return TRUE;
}

gboolean
relay_markdown_uri_is_safe (const char *uri)
{
  g_autofree char *scheme = NULL;

  if (uri == NULL)
    return FALSE;
  scheme = g_uri_parse_scheme (uri);
  return scheme != NULL &&
         (g_ascii_strcasecmp (scheme, "http") == 0 ||
          g_ascii_strcasecmp (scheme, "https") == 0 ||
          g_ascii_strcasecmp (scheme, "mailto") == 0);
}

/* Escaping and validation */

static void
append_unichar (GString  *out,
                gunichar  c)
{
  char utf8[6];

  g_string_append_len (out, utf8, g_unichar_to_utf8 (c, utf8));
}

/* Appends @text escaped for Pango markup (or, with @escape FALSE, only made valid):
 * invalid UTF-8 and control characters become U+FFFD so that the markup always parses. */
static void
append_text (GString    *out,
             const char *text,
             gsize       len,
             gboolean    escape)
{
  const char *p = text;
  const char *end = text + len;

  while (p < end)
    {
      const char *run = p;
      guchar c;

      while (p < end && (c = (guchar) *p) >= 0x20 && c < 0x7f &&
             (!escape || (c != '&' && c != '<' && c != '>' && c != '"' && c != '\'')))
        p++;
      g_string_append_len (out, run, p - run);
      if (p >= end)
        break;

      c = (guchar) *p;
      if (c == '&')
        g_string_append (out, "&amp;"), p++;
      else if (c == '<')
        g_string_append (out, "&lt;"), p++;
      else if (c == '>')
        g_string_append (out, "&gt;"), p++;
      else if (c == '"')
        g_string_append (out, "&quot;"), p++;
      else if (c == '\'')
        g_string_append (out, "&#39;"), p++;
      else if (c == '\n' || c == '\t')
        g_string_append_c (out, c), p++;
      else if (c < 0x80)
        append_unichar (out, 0xFFFD), p++;
      else
        {
          gunichar u = g_utf8_get_char_validated (p, end - p);

          if (u == (gunichar) -1 || u == (gunichar) -2)
            {
              append_unichar (out, 0xFFFD);
              p++;
            }
          else
            {
              const char *next = g_utf8_next_char (p);

              g_string_append_len (out, p, next - p);
              p = next;
            }
        }
    }
}

static const struct { const char *name; gunichar c; } entities[] = {
  { "amp", '&' }, { "lt", '<' }, { "gt", '>' }, { "quot", '"' }, { "apos", '\'' },
  { "nbsp", 0xA0 }, { "copy", 0xA9 }, { "reg", 0xAE }, { "trade", 0x2122 },
  { "hellip", 0x2026 }, { "mdash", 0x2014 }, { "ndash", 0x2013 }, { "laquo", 0xAB },
  { "raquo", 0xBB }, { "ldquo", 0x201C }, { "rdquo", 0x201D }, { "lsquo", 0x2018 },
  { "rsquo", 0x2019 }, { "times", 0xD7 }, { "divide", 0xF7 }, { "deg", 0xB0 },
  { "plusmn", 0xB1 }, { "middot", 0xB7 }, { "bull", 0x2022 }, { "larr", 0x2190 },
  { "rarr", 0x2192 }, { "uarr", 0x2191 }, { "darr", 0x2193 }, { "harr", 0x2194 },
  { "euro", 0x20AC }, { "pound", 0xA3 }, { "yen", 0xA5 }, { "cent", 0xA2 },
  { "sect", 0xA7 }, { "para", 0xB6 }, { "le", 0x2264 }, { "ge", 0x2265 },
  { "ne", 0x2260 }, { "check", 0x2713 },
};

/* md4c hands entities over verbatim ("&copy;", "&#169;", "&#xA9;"). Unknown names stay
 * as written; code points that are not characters become U+FFFD. */
static void
append_entity (GString    *out,
               const char *text,
               gsize       len,
               gboolean    escape)
{
  gunichar c = 0;

  if (len >= 4 && text[0] == '&' && text[1] == '#' && text[len - 1] == ';')
    {
      gboolean hex = text[2] == 'x' || text[2] == 'X';
      guint64 value = 0;

      for (gsize i = hex ? 3 : 2; i < len - 1 && value <= 0x10FFFF; i++)
        value = value * (hex ? 16 : 10) +
                (hex ? g_ascii_xdigit_value (text[i]) : g_ascii_digit_value (text[i]));
      c = value > 0 && value <= 0x10FFFF && g_unichar_validate ((gunichar) value)
            ? (gunichar) value : 0xFFFD;
    }
  else if (len >= 3 && text[0] == '&' && text[len - 1] == ';')
    {
      for (guint i = 0; i < G_N_ELEMENTS (entities); i++)
        if (strlen (entities[i].name) == len - 2 &&
            memcmp (entities[i].name, text + 1, len - 2) == 0)
          c = entities[i].c;
    }

  if (c == 0)
    append_text (out, text, len, escape);
  else if (escape && (c == '&' || c == '<' || c == '>' || c == '"' || c == '\''))
    append_text (out, (const char[]) { (char) c }, 1, TRUE);
  else
    append_unichar (out, c);
}

static char *
attribute_to_string (const MD_ATTRIBUTE *attr)
{
  GString *out = g_string_new (NULL);

  if (attr->size == 0 || attr->substr_offsets == NULL || attr->substr_types == NULL)
    return g_string_free (out, FALSE);
  for (guint i = 0; attr->substr_offsets[i] < attr->size; i++)
    {
      const char *piece = attr->text + attr->substr_offsets[i];
      gsize len = attr->substr_offsets[i + 1] - attr->substr_offsets[i];

      switch (attr->substr_types[i])
        {
        case MD_TEXT_ENTITY:
          append_entity (out, piece, len, FALSE);
          break;
        case MD_TEXT_NULLCHAR:
          append_unichar (out, 0xFFFD);
          break;
        case MD_TEXT_NORMAL:
        case MD_TEXT_BR:
        case MD_TEXT_SOFTBR:
        case MD_TEXT_CODE:
        case MD_TEXT_HTML:
        case MD_TEXT_LATEXMATH:
        default:
          append_text (out, piece, len, FALSE);
          break;
        }
    }
  return g_string_free (out, FALSE);
}

/* Where the source is */

static void
note_source (ParseState *state,
             const char *text,
             gsize       len)
{
  gssize first, end;

  if (state->top == NULL || text == NULL || len == 0 ||
      text < state->source || text >= state->source + state->source_len)
    return;

  first = text - state->source;
  end = MIN (first + (gssize) len, (gssize) state->source_len);
  if (state->top->first_byte < 0 || first < state->top->first_byte)
    state->top->first_byte = first;
  if (end > state->top->end_byte)
    state->top->end_byte = end;
}

/* Nodes */

static RelayMarkdownNode *
current (ParseState *state)
{
  return state->stack->len ? g_ptr_array_index (state->stack, state->stack->len - 1) : NULL;
}

static void
finish_text (ParseState *state)
{
  RelayMarkdownNode *node = state->text_node;

  if (node == NULL)
    return;

  if (node->kind == RELAY_MARKDOWN_CODE)
    {
      /* Every code line ends in a newline; the last one would show as an empty line. */
      if (state->buffer->len > 0 && state->buffer->str[state->buffer->len - 1] == '\n')
        g_string_truncate (state->buffer, state->buffer->len - 1);
    }
  node->text = g_strndup (state->buffer->str, state->buffer->len);
  g_string_truncate (state->buffer, 0);
  state->text_node = NULL;

  if (state->implicit)
    {
      state->implicit = FALSE;
      g_ptr_array_set_size (state->stack, state->stack->len - 1);
    }
}

static RelayMarkdownNode *
push_node (ParseState        *state,
           RelayMarkdownKind  kind)
{
  RelayMarkdownNode *parent = current (state);
  RelayMarkdownNode *node = node_new (kind);

  if (parent != NULL)
    g_ptr_array_add (node_children (parent), node);
  else
    {
      g_ptr_array_add (state->blocks, node);
      state->top = node;
    }
  g_ptr_array_add (state->stack, node);
  return node;
}

static guint
list_depth (ParseState *state)
{
  guint depth = 0;

  for (guint i = 0; i < state->stack->len; i++)
    if (((RelayMarkdownNode *) g_ptr_array_index (state->stack, i))->kind == RELAY_MARKDOWN_LIST)
      depth++;
  return depth;
}

/* Tight list items carry their text without a paragraph; give it one. */
static void
ensure_text_node (ParseState *state)
{
  RelayMarkdownNode *node;

  if (state->text_node != NULL)
    return;

  node = push_node (state, RELAY_MARKDOWN_PARAGRAPH);
  state->text_node = node;
  state->implicit = TRUE;
}

static void
begin_item (ParseState         *state,
            MD_BLOCK_LI_DETAIL *detail)
{
  static const char *bullets[] = { "•", "◦", "▪" };
  RelayMarkdownNode *list = current (state);
  RelayMarkdownNode *item;
  guint index = list->children ? list->children->len : 0;
  guint depth = list->level;

  item = push_node (state, RELAY_MARKDOWN_ITEM);
  item->level = depth;
  if (detail->is_task)
    {
      item->flags |= RELAY_MARKDOWN_TASK;
      item->text = g_strdup (detail->task_mark == ' ' ? "☐" : "☑");
    }
  else if (list->flags & RELAY_MARKDOWN_ORDERED)
    item->text = g_strdup_printf ("%u%c", list->width + index, list->lang ? list->lang[0] : '.');
  else
    item->text = g_strdup (bullets[MIN (depth, G_N_ELEMENTS (bullets) - 1)]);
}

/* Every item of a list gets the width of the widest marker, known once the list ends. */
static void
end_list (RelayMarkdownNode *list)
{
  guint width = 1;

  if (list->children == NULL)
    return;
  for (guint i = 0; i < list->children->len; i++)
    {
      RelayMarkdownNode *item = g_ptr_array_index (list->children, i);

      width = MAX (width, g_utf8_strlen (item->text, -1));
    }
  for (guint i = 0; i < list->children->len; i++)
    ((RelayMarkdownNode *) g_ptr_array_index (list->children, i))->width = width;
  /* The start number and delimiter only served to number the items. */
  list->width = 0;
  g_clear_pointer (&list->lang, g_free);
}

static gboolean
fence_line_complete (ParseState         *state,
                     const MD_ATTRIBUTE *lang)
{
  const char *end = state->source + state->source_len;
  const char *p = lang->text + lang->size;

  if (lang->text < state->source || lang->text >= end)
    return TRUE;
  return memchr (p, '\n', end - p) != NULL;
}

static int
enter_block_cb (MD_BLOCKTYPE  type,
                void         *detail,
                void         *user_data)
{
  ParseState *state = user_data;
  RelayMarkdownNode *node;

  if (type == MD_BLOCK_DOC)
    return 0;
  if (state->implicit)
    finish_text (state);

  switch (type)
    {
    case MD_BLOCK_QUOTE:
      push_node (state, RELAY_MARKDOWN_QUOTE);
      break;

    case MD_BLOCK_UL:
    case MD_BLOCK_OL:
      {
        guint depth = list_depth (state);

        node = push_node (state, RELAY_MARKDOWN_LIST);
        node->level = depth;
        if (type == MD_BLOCK_OL)
          {
            MD_BLOCK_OL_DETAIL *ol = detail;

            node->flags |= RELAY_MARKDOWN_ORDERED;
            /* Kept here only while the list is parsed, see end_list(). */
            node->width = ol->start;
            node->lang = g_strndup (&ol->mark_delimiter, 1);
            if (!ol->is_tight)
              node->flags |= RELAY_MARKDOWN_LOOSE;
          }
        else if (!((MD_BLOCK_UL_DETAIL *) detail)->is_tight)
          node->flags |= RELAY_MARKDOWN_LOOSE;
      }
      break;

    case MD_BLOCK_LI:
      begin_item (state, detail);
      break;

    case MD_BLOCK_HR:
      push_node (state, RELAY_MARKDOWN_RULE);
      break;

    case MD_BLOCK_H:
      node = push_node (state, RELAY_MARKDOWN_HEADING);
      node->level = ((MD_BLOCK_H_DETAIL *) detail)->level;
      state->text_node = node;
      break;

    case MD_BLOCK_CODE:
      {
        MD_BLOCK_CODE_DETAIL *code = detail;

        node = push_node (state, RELAY_MARKDOWN_CODE);
        note_source (state, code->info.text, code->info.size);
        /* While the fence line is still arriving, "```r" may yet become "```rust":
         * no language until the line is complete. */
        if (code->lang.size > 0 && fence_line_complete (state, &code->lang))
          {
            GString *lang = g_string_new (NULL);

            append_text (lang, code->lang.text, code->lang.size, FALSE);
            node->lang = g_string_free (lang, FALSE);
          }
        state->text_node = node;
      }
      break;

    case MD_BLOCK_TABLE:
      node = push_node (state, RELAY_MARKDOWN_TABLE);
      node->width = ((MD_BLOCK_TABLE_DETAIL *) detail)->col_count;
      break;

    case MD_BLOCK_THEAD:
      state->in_thead = TRUE;
      return 0;

    case MD_BLOCK_TBODY:
      return 0;

    case MD_BLOCK_TR:
      node = push_node (state, RELAY_MARKDOWN_ROW);
      if (state->in_thead)
        node->flags |= RELAY_MARKDOWN_HEADER;
      break;

    case MD_BLOCK_TH:
    case MD_BLOCK_TD:
      node = push_node (state, RELAY_MARKDOWN_CELL);
      node->align = (RelayMarkdownAlign) ((MD_BLOCK_TD_DETAIL *) detail)->align;
      if (type == MD_BLOCK_TH)
        node->flags |= RELAY_MARKDOWN_HEADER;
      state->text_node = node;
      break;

    case MD_BLOCK_HTML:
    case MD_BLOCK_P:
    case MD_BLOCK_DOC:
    default:
      state->text_node = push_node (state, RELAY_MARKDOWN_PARAGRAPH);
      break;
    }
  return 0;
}

static int
leave_block_cb (MD_BLOCKTYPE  type,
                void         *detail,
                void         *user_data)
{
  ParseState *state = user_data;
  RelayMarkdownNode *node;

  if (type == MD_BLOCK_DOC || type == MD_BLOCK_TBODY)
    return 0;
  if (type == MD_BLOCK_THEAD)
    {
      state->in_thead = FALSE;
      return 0;
    }

  finish_text (state);
  node = current (state);
  g_ptr_array_set_size (state->stack, state->stack->len - 1);
  if (node->kind == RELAY_MARKDOWN_LIST)
    end_list (node);
  if (state->stack->len == 0)
    state->top = NULL;
  return 0;
}

static void
open_link (ParseState         *state,
           const MD_ATTRIBUTE *href)
{
  g_autofree char *uri = attribute_to_string (href);
  gboolean opened = FALSE;

  note_source (state, href->text, href->size);
  /* Links other than web and mail addresses are shown as their text, not as links;
   * a link inside a link (an image in a link) cannot be expressed in Pango markup. */
  if (state->open_links == 0 && relay_markdown_uri_is_safe (uri))
    {
      g_autoptr(GString) title = g_string_new (NULL);

      /* GtkLabel shows a link's title as the tooltip, parsed as markup: escape twice. */
      append_text (title, uri, strlen (uri), TRUE);
      g_string_append (state->buffer, "<a href=\"");
      append_text (state->buffer, uri, strlen (uri), TRUE);
      g_string_append (state->buffer, "\" title=\"");
      append_text (state->buffer, title->str, title->len, TRUE);
      g_string_append (state->buffer, "\">");
      opened = TRUE;
      state->open_links++;
    }
  g_array_append_val (state->span_links, opened);
}

static void
close_link (ParseState *state)
{
  gboolean opened = g_array_index (state->span_links, gboolean, state->span_links->len - 1);

  g_array_set_size (state->span_links, state->span_links->len - 1);
  if (opened)
    {
      g_string_append (state->buffer, "</a>");
      state->open_links--;
    }
}

static int
enter_span_cb (MD_SPANTYPE  type,
               void        *detail,
               void        *user_data)
{
  ParseState *state = user_data;

  ensure_text_node (state);
  switch (type)
    {
    case MD_SPAN_EM:
      g_string_append (state->buffer, "<i>");
      break;
    case MD_SPAN_STRONG:
      g_string_append (state->buffer, "<b>");
      break;
    case MD_SPAN_DEL:
      g_string_append (state->buffer, "<s>");
      break;
    case MD_SPAN_U:
      g_string_append (state->buffer, "<u>");
      break;
    case MD_SPAN_CODE:
    case MD_SPAN_LATEXMATH:
    case MD_SPAN_LATEXMATH_DISPLAY:
      g_string_append (state->buffer, CODE_SPAN_OPEN);
      break;
    case MD_SPAN_A:
      open_link (state, &((MD_SPAN_A_DETAIL *) detail)->href);
      break;
    case MD_SPAN_IMG:
      /* Images are never fetched: their description links to them instead. */
      open_link (state, &((MD_SPAN_IMG_DETAIL *) detail)->src);
      g_array_append_val (state->span_starts, state->buffer->len);
      break;
    case MD_SPAN_WIKILINK:
    default:
      break;
    }
  return 0;
}

static int
leave_span_cb (MD_SPANTYPE  type,
               void        *detail,
               void        *user_data)
{
  ParseState *state = user_data;

  switch (type)
    {
    case MD_SPAN_EM:
      g_string_append (state->buffer, "</i>");
      break;
    case MD_SPAN_STRONG:
      g_string_append (state->buffer, "</b>");
      break;
    case MD_SPAN_DEL:
      g_string_append (state->buffer, "</s>");
      break;
    case MD_SPAN_U:
      g_string_append (state->buffer, "</u>");
      break;
    case MD_SPAN_CODE:
    case MD_SPAN_LATEXMATH:
    case MD_SPAN_LATEXMATH_DISPLAY:
      g_string_append (state->buffer, "</span>");
      break;
    case MD_SPAN_A:
      close_link (state);
      break;
    case MD_SPAN_IMG:
      {
        gsize start = g_array_index (state->span_starts, gsize, state->span_starts->len - 1);

        g_array_set_size (state->span_starts, state->span_starts->len - 1);
        if (state->buffer->len == start)
          {
            g_autofree char *src = attribute_to_string (&((MD_SPAN_IMG_DETAIL *) detail)->src);

            append_text (state->buffer, src, strlen (src), TRUE);
          }
        close_link (state);
      }
      break;
    case MD_SPAN_WIKILINK:
    default:
      break;
    }
  return 0;
}

/* Md4c expands a code line's leading tabs into spaces. Code is copied from the view, and
 * a Makefile or Go file without its tabs is broken: when the spaces just emitted for
 * this line stand for whitespace with tabs in the source, put the source's back. */
static void
restore_indent_tabs (ParseState *state,
                     const char *content)
{
  GString *buffer = state->buffer;
  const char *line = content;
  const char *run = content;
  gsize spaces = 0;
  guint column = 0, target;

  while (spaces < buffer->len && buffer->str[buffer->len - 1 - spaces] == ' ')
    spaces++;
  if (spaces == 0 || (spaces < buffer->len && buffer->str[buffer->len - 1 - spaces] != '\n'))
    return;

  while (line > state->source && line[-1] != '\n')
    line--;
  while (run > line && (run[-1] == ' ' || run[-1] == '\t'))
    run--;
  if (memchr (run, '\t', content - run) == NULL)
    return;

  for (const char *p = line; p < content; p++)
    column = *p == '\t' ? (column / 4 + 1) * 4 : column + 1;
  if (column < spaces)
    return;
  target = column - spaces;

  column = 0;
  for (const char *p = line; p < content; p++)
    {
      if (p >= run && column == target)
        {
          g_string_truncate (buffer, buffer->len - spaces);
          g_string_append_len (buffer, p, content - p);
          return;
        }
      column = *p == '\t' ? (column / 4 + 1) * 4 : column + 1;
    }
}

static int
text_cb (MD_TEXTTYPE    type,
         const MD_CHAR *text,
         MD_SIZE        size,
         void          *user_data)
{
  ParseState *state = user_data;
  gboolean code;

  note_source (state, text, size);
  ensure_text_node (state);
  code = state->text_node->kind == RELAY_MARKDOWN_CODE;

  switch (type)
    {
    case MD_TEXT_NULLCHAR:
      append_unichar (state->buffer, 0xFFFD);
      break;
    case MD_TEXT_BR:
      g_string_append_c (state->buffer, '\n');
      break;
    case MD_TEXT_SOFTBR:
      g_string_append_c (state->buffer, code ? '\n' : ' ');
      break;
    case MD_TEXT_ENTITY:
      append_entity (state->buffer, text, size, !code);
      break;
    case MD_TEXT_CODE:
      if (code && text >= state->source && text < state->source + state->source_len)
        restore_indent_tabs (state, text);
      append_text (state->buffer, text, size, !code);
      break;
    case MD_TEXT_NORMAL:
    case MD_TEXT_HTML:
    case MD_TEXT_LATEXMATH:
    default:
      append_text (state->buffer, text, size, !code);
      break;
    }
  return 0;
}

/**
 * relay_markdown_parse:
 * @text: Markdown, not necessarily valid UTF-8 nor nul-terminated
 * @length: its length in bytes
 *
 * Returns: (transfer container): the top-level blocks, #RelayMarkdownNode each
 */
GPtrArray *
relay_markdown_parse (const char *text,
                      gsize       length)
{
  MD_PARSER parser = {
    .flags = PARSER_FLAGS,
    .enter_block = enter_block_cb,
    .leave_block = leave_block_cb,
    .enter_span = enter_span_cb,
    .leave_span = leave_span_cb,
    .text = text_cb,
  };
  ParseState state = {
    .source = text,
    .source_len = MIN (length, G_MAXUINT32),
    .blocks = g_ptr_array_new_with_free_func ((GDestroyNotify) relay_markdown_node_unref),
    .stack = g_ptr_array_new (),
    .buffer = g_string_new (NULL),
    .span_links = g_array_new (FALSE, FALSE, sizeof (gboolean)),
    .span_starts = g_array_new (FALSE, FALSE, sizeof (gsize)),
  };

  md_parse (text, state.source_len, &parser, &state);

  g_ptr_array_unref (state.stack);
  g_string_free (state.buffer, TRUE);
  g_array_unref (state.span_links);
  g_array_unref (state.span_starts);
  return state.blocks;
}
