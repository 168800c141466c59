/* relay-markdown-view.c: a reply's Markdown as widgets, updated as the reply streams.
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "relay-markdown-view"

#include "config.h"

#include <adwaita.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "relay-code-block.h"
#include "relay-markdown-parser.h"
#include "relay-markdown-view.h"

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
 * the block parses the same on its own. That rules out closing fences, setext
 * underlines and such, which parse differently alone.
 *
 * Link reference definitions are the one thing that reaches back to earlier blocks:
 * once one shows up, the whole reply is parsed on each update (still touching only the
 * widgets that changed).
 *
 * Appends are applied once per frame (or in an idle when the view is not mapped).
 */

#define BLOCK_SPACING   12
#define MAX_CANDIDATES  64

struct _RelayMarkdownView
{
  GtkWidget  parent_instance;

  GString   *source;
  gboolean   dirty;
  gsize      stable_offset;
  guint      n_frozen;
  /* Top-level block widgets, in order (children of the view). */
  GPtrArray *blocks;
  gboolean   full_reparse;
  gsize      reference_scan_offset;
  gsize      freeze_attempt_end;
  guint      tick_id;
  guint      idle_id;

  gboolean   json_mode;
  GString   *json_shown;
  gsize      json_consumed;
  guint      json_depth;
  gboolean   json_in_string;
  gboolean   json_escape;
  gsize      json_attempt_len;
};

enum {
  PROP_0,
  PROP_JSON_MODE,
  N_PROPS
};

enum {
  ACTIVATE_LINK,
  COPIED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];
static GQuark node_quark;

G_DEFINE_FINAL_TYPE (RelayMarkdownView, relay_markdown_view, GTK_TYPE_WIDGET)

static GtkWidget *create_block (RelayMarkdownView *self,
                                RelayMarkdownNode *node);

static RelayMarkdownNode *
widget_get_node (GtkWidget *widget)
{
  return g_object_get_qdata (G_OBJECT (widget), node_quark);
}

static void
widget_set_node (GtkWidget         *widget,
                 RelayMarkdownNode *node)
{
  g_object_set_qdata_full (G_OBJECT (widget), node_quark, relay_markdown_node_ref (node),
                           (GDestroyNotify) relay_markdown_node_unref);
}

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

/* Labels only ever hold web and mail links (see the parser), but a link is opened only
 * when the user activates it, and checked once more here. */
static gboolean
label_activate_link_cb (GtkLabel          *label,
                        const char        *uri,
                        RelayMarkdownView *self)
{
  gboolean handled = FALSE;

  if (!relay_markdown_uri_is_safe (uri))
    return TRUE;

  g_signal_emit (self, signals[ACTIVATE_LINK], 0, uri, &handled);
  if (!handled)
    {
      g_autoptr(GtkUriLauncher) launcher = gtk_uri_launcher_new (uri);
      GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

      gtk_uri_launcher_launch (launcher, GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                               NULL, launch_uri_cb, NULL);
    }
  return TRUE;
}

static void
code_block_copied_cb (RelayCodeBlock    *block,
                      const char        *code,
                      RelayMarkdownView *self)
{
  g_signal_emit (self, signals[COPIED], 0, code);
}

/* Widgets for blocks */

static GtkWidget *
create_label (RelayMarkdownView  *self,
              const char         *markup,
              GtkAccessibleRole   role)
{
  GtkWidget *label = g_object_new (GTK_TYPE_LABEL,
                                   "accessible-role", role,
                                   "wrap", TRUE,
                                   "wrap-mode", PANGO_WRAP_WORD_CHAR,
                                   "xalign", 0.0f,
                                   "selectable", TRUE,
                                   NULL);

  gtk_label_set_markup (GTK_LABEL (label), markup);
  g_signal_connect_object (label, "activate-link", G_CALLBACK (label_activate_link_cb), self, 0);
  return label;
}

static GtkWidget *
create_heading (RelayMarkdownView *self,
                RelayMarkdownNode *node)
{
  static const char *classes[] = { "title-2", "title-3", "title-4", "heading" };
  GtkWidget *label = create_label (self, node->text, GTK_ACCESSIBLE_ROLE_HEADING);

  gtk_widget_add_css_class (label, "markdown-heading");
  gtk_widget_add_css_class (label, classes[MIN (node->level, G_N_ELEMENTS (classes)) - 1]);
  gtk_accessible_update_property (GTK_ACCESSIBLE (label),
                                  GTK_ACCESSIBLE_PROPERTY_LEVEL, (int) node->level,
                                  -1);
  return label;
}

static GtkWidget *
create_box (GtkOrientation     orientation,
            int                spacing,
            GtkAccessibleRole  role,
            const char        *css_class)
{
  GtkWidget *box = g_object_new (GTK_TYPE_BOX,
                                 "accessible-role", role,
                                 "orientation", orientation,
                                 "spacing", spacing,
                                 NULL);

  if (css_class != NULL)
    gtk_widget_add_css_class (box, css_class);
  return box;
}

static void
fill_box (RelayMarkdownView *self,
          GtkWidget         *box,
          GPtrArray         *nodes)
{
  for (guint i = 0; nodes != NULL && i < nodes->len; i++)
    gtk_box_append (GTK_BOX (box), create_block (self, g_ptr_array_index (nodes, i)));
}

static int
list_spacing (RelayMarkdownNode *list_or_item)
{
  return (list_or_item->flags & RELAY_MARKDOWN_LOOSE) ? BLOCK_SPACING : 6;
}

static GtkWidget *
item_marker (GtkWidget *item)
{
  return gtk_widget_get_first_child (item);
}

static GtkWidget *
item_content (GtkWidget *item)
{
  return gtk_widget_get_last_child (item);
}

static void
update_marker (GtkWidget         *marker,
               RelayMarkdownNode *item)
{
  gtk_label_set_label (GTK_LABEL (marker), item->text);
  gtk_label_set_width_chars (GTK_LABEL (marker), (int) item->width);
}

static GtkWidget *
create_item (RelayMarkdownView *self,
             RelayMarkdownNode *node,
             gboolean           loose)
{
  GtkWidget *item = create_box (GTK_ORIENTATION_HORIZONTAL, 8,
                                GTK_ACCESSIBLE_ROLE_LIST_ITEM, "markdown-item");
  GtkWidget *marker = gtk_label_new (NULL);
  GtkWidget *content = create_box (GTK_ORIENTATION_VERTICAL, loose ? BLOCK_SPACING : 6,
                                   GTK_ACCESSIBLE_ROLE_GENERIC, NULL);

  gtk_widget_add_css_class (marker, "markdown-marker");
  if (node->flags & RELAY_MARKDOWN_TASK)
    gtk_widget_add_css_class (marker, "task");
  gtk_widget_set_valign (marker, GTK_ALIGN_START);
  gtk_label_set_xalign (GTK_LABEL (marker), 1.0f);
  update_marker (marker, node);
  gtk_widget_set_hexpand (content, TRUE);

  gtk_box_append (GTK_BOX (item), marker);
  gtk_box_append (GTK_BOX (item), content);
  fill_box (self, content, node->children);
  return item;
}

static GtkWidget *
create_list (RelayMarkdownView *self,
             RelayMarkdownNode *node)
{
  GtkWidget *list = create_box (GTK_ORIENTATION_VERTICAL, list_spacing (node),
                                GTK_ACCESSIBLE_ROLE_LIST, "markdown-list");
  gboolean loose = (node->flags & RELAY_MARKDOWN_LOOSE) != 0;

  for (guint i = 0; node->children != NULL && i < node->children->len; i++)
    {
      RelayMarkdownNode *child = g_ptr_array_index (node->children, i);
      GtkWidget *item = create_item (self, child, loose);

      widget_set_node (item, child);
      gtk_box_append (GTK_BOX (list), item);
    }
  return list;
}

static GtkWidget *
create_cell (RelayMarkdownView *self,
             RelayMarkdownNode *cell)
{
  GtkWidget *label;
  float xalign = 0.0f;

  label = create_label (self, cell->text,
                        (cell->flags & RELAY_MARKDOWN_HEADER) ? GTK_ACCESSIBLE_ROLE_COLUMN_HEADER
                                                              : GTK_ACCESSIBLE_ROLE_CELL);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 40);
  gtk_widget_set_valign (label, GTK_ALIGN_FILL);
  gtk_label_set_yalign (GTK_LABEL (label), 0.0f);
  if (cell->align == RELAY_MARKDOWN_ALIGN_CENTER)
    xalign = 0.5f;
  else if (cell->align == RELAY_MARKDOWN_ALIGN_RIGHT)
    xalign = 1.0f;
  gtk_label_set_xalign (GTK_LABEL (label), xalign);
  gtk_widget_add_css_class (label, "markdown-cell");
  if (cell->flags & RELAY_MARKDOWN_HEADER)
    gtk_widget_add_css_class (label, "header");
  return label;
}

/* Cell borders are drawn on each cell's right and bottom except on the table's edges,
 * which the table's own rounded border draws. */
static void
mark_edges (GtkGrid *grid,
            guint    n_rows,
            guint    n_columns)
{
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (grid));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      int column, row;

      gtk_grid_query_child (grid, child, &column, &row, NULL, NULL);
      if (column + 1 == (int) n_columns)
        gtk_widget_add_css_class (child, "last-column");
      else
        gtk_widget_remove_css_class (child, "last-column");
      if (row + 1 == (int) n_rows)
        gtk_widget_add_css_class (child, "last-row");
      else
        gtk_widget_remove_css_class (child, "last-row");
    }
}

static void
update_table (RelayMarkdownView *self,
              GtkWidget         *table,
              RelayMarkdownNode *old,
              RelayMarkdownNode *node)
{
  GtkGrid *grid = GTK_GRID (adw_bin_get_child (ADW_BIN (table)));
  guint n_rows = node->children ? node->children->len : 0;
  guint old_rows = (old && old->children) ? old->children->len : 0;
  gboolean changed = old == NULL || n_rows != old_rows;

  for (guint r = 0; r < n_rows; r++)
    {
      RelayMarkdownNode *row = g_ptr_array_index (node->children, r);
      RelayMarkdownNode *old_row = r < old_rows ? g_ptr_array_index (old->children, r) : NULL;

      for (guint c = 0; row->children != NULL && c < row->children->len; c++)
        {
          RelayMarkdownNode *cell = g_ptr_array_index (row->children, c);
          RelayMarkdownNode *old_cell = NULL;
          GtkWidget *label = gtk_grid_get_child_at (grid, c, r);

          if (old_row != NULL && old_row->children != NULL && c < old_row->children->len)
            old_cell = g_ptr_array_index (old_row->children, c);
          if (label != NULL && old_cell != NULL && relay_markdown_node_equal (old_cell, cell))
            continue;
          if (label != NULL)
            gtk_grid_remove (grid, label);
          gtk_grid_attach (grid, create_cell (self, cell), c, r, 1, 1);
          changed = TRUE;
        }
    }
  for (guint r = old_rows; r-- > n_rows;)
    gtk_grid_remove_row (grid, r);

  if (changed)
    mark_edges (grid, n_rows, node->width);
}

static GtkSizeRequestMode
table_request_mode (GtkWidget *widget)
{
  return GTK_SIZE_REQUEST_HEIGHT_FOR_WIDTH;
}

static int
table_width_for (GtkWidget *grid,
                 int        available)
{
  int minimum, natural;

  gtk_widget_measure (grid, GTK_ORIENTATION_HORIZONTAL, -1, &minimum, &natural, NULL, NULL);
  return available < 0 ? natural : MAX (minimum, MIN (natural, available));
}

static void
table_measure (GtkWidget      *widget,
               GtkOrientation  orientation,
               int             for_size,
               int            *minimum,
               int            *natural,
               int            *minimum_baseline,
               int            *natural_baseline)
{
  GtkWidget *grid = gtk_widget_get_first_child (widget);

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    gtk_widget_measure (grid, orientation, -1, minimum, natural, NULL, NULL);
  else
    gtk_widget_measure (grid, orientation, table_width_for (grid, for_size),
                        minimum, natural, NULL, NULL);
}

static void
table_allocate (GtkWidget *widget,
                int        width,
                int        height,
                int        baseline)
{
  GtkWidget *grid = gtk_widget_get_first_child (widget);
  int grid_width = table_width_for (grid, width);

  gtk_widget_size_allocate (grid, &(GtkAllocation) { 0, 0, grid_width, height }, -1);
}

/* Not in a scrolled window, which would ask the cells for their height at their
 * narrowest: cells wrap, down to a character per line, so the table always fits. The
 * grid is as wide as its columns want up to the width there is, at the start; its own
 * halign would ask it for a width for a height, which wrapping cells cannot answer. */
static GtkWidget *
create_table (RelayMarkdownView *self,
              RelayMarkdownNode *node)
{
  GtkWidget *bin = adw_bin_new ();
  GtkWidget *grid = g_object_new (GTK_TYPE_GRID,
                                  "accessible-role", GTK_ACCESSIBLE_ROLE_TABLE,
                                  "overflow", GTK_OVERFLOW_HIDDEN,
                                  NULL);

  gtk_widget_set_layout_manager (bin, gtk_custom_layout_new (table_request_mode, table_measure,
                                                             table_allocate));
  gtk_widget_add_css_class (grid, "markdown-table");
  adw_bin_set_child (ADW_BIN (bin), grid);
  update_table (self, bin, NULL, node);
  return bin;
}

static GtkWidget *
create_block (RelayMarkdownView *self,
              RelayMarkdownNode *node)
{
  GtkWidget *widget = NULL;

  switch (node->kind)
    {
    case RELAY_MARKDOWN_HEADING:
      widget = create_heading (self, node);
      break;

    case RELAY_MARKDOWN_CODE:
      widget = relay_code_block_new (node->lang);
      relay_code_block_set_code (RELAY_CODE_BLOCK (widget), node->text, -1);
      g_signal_connect_object (widget, "copied", G_CALLBACK (code_block_copied_cb), self, 0);
      break;

    case RELAY_MARKDOWN_QUOTE:
      widget = create_box (GTK_ORIENTATION_VERTICAL, BLOCK_SPACING,
                           GTK_ACCESSIBLE_ROLE_BLOCK_QUOTE, "markdown-quote");
      fill_box (self, widget, node->children);
      break;

    case RELAY_MARKDOWN_LIST:
      widget = create_list (self, node);
      break;

    case RELAY_MARKDOWN_RULE:
      widget = gtk_separator_new (GTK_ORIENTATION_HORIZONTAL);
      gtk_widget_add_css_class (widget, "markdown-rule");
      break;

    case RELAY_MARKDOWN_TABLE:
      widget = create_table (self, node);
      break;

    case RELAY_MARKDOWN_ITEM:
    case RELAY_MARKDOWN_ROW:
    case RELAY_MARKDOWN_CELL:
    case RELAY_MARKDOWN_PARAGRAPH:
    default:
      widget = create_label (self, node->text ? node->text : "", GTK_ACCESSIBLE_ROLE_LABEL);
      gtk_widget_add_css_class (widget, "markdown-paragraph");
      break;
    }

  widget_set_node (widget, node);
  return widget;
}

/* Updating widgets in place */

static GtkWidget *update_or_replace (RelayMarkdownView *self,
                                     GtkWidget         *widget,
                                     RelayMarkdownNode *node);

static void
update_box_children (RelayMarkdownView *self,
                     GtkBox            *box,
                     GPtrArray         *nodes)
{
  GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (box));
  GtkWidget *previous = NULL;

  for (guint i = 0; nodes != NULL && i < nodes->len; i++)
    {
      RelayMarkdownNode *node = g_ptr_array_index (nodes, i);
      GtkWidget *widget;

      if (child != NULL)
        {
          GtkWidget *next = gtk_widget_get_next_sibling (child);

          widget = update_or_replace (self, child, node);
          if (widget != child)
            {
              gtk_box_insert_child_after (box, widget, previous);
              gtk_box_remove (box, child);
            }
          child = next;
        }
      else
        {
          widget = create_block (self, node);
          gtk_box_append (box, widget);
        }
      previous = widget;
    }

  while (child != NULL)
    {
      GtkWidget *next = gtk_widget_get_next_sibling (child);

      gtk_box_remove (box, child);
      child = next;
    }
}

static void
update_list (RelayMarkdownView *self,
             GtkWidget         *list,
             RelayMarkdownNode *node)
{
  GtkWidget *child = gtk_widget_get_first_child (list);
  GtkWidget *previous = NULL;
  gboolean loose = (node->flags & RELAY_MARKDOWN_LOOSE) != 0;

  for (guint i = 0; node->children != NULL && i < node->children->len; i++)
    {
      RelayMarkdownNode *item = g_ptr_array_index (node->children, i);

      if (child == NULL)
        {
          child = create_item (self, item, loose);
          widget_set_node (child, item);
          gtk_box_append (GTK_BOX (list), child);
        }
      else if (!relay_markdown_node_equal (widget_get_node (child), item))
        {
          if (widget_get_node (child)->flags != item->flags)
            {
              GtkWidget *replacement = create_item (self, item, loose);

              gtk_box_insert_child_after (GTK_BOX (list), replacement, previous);
              gtk_box_remove (GTK_BOX (list), child);
              child = replacement;
            }
          else
            {
              update_marker (item_marker (child), item);
              update_box_children (self, GTK_BOX (item_content (child)), item->children);
            }
          widget_set_node (child, item);
        }
      previous = child;
      child = gtk_widget_get_next_sibling (child);
    }

  while (child != NULL)
    {
      GtkWidget *next = gtk_widget_get_next_sibling (child);

      gtk_box_remove (GTK_BOX (list), child);
      child = next;
    }
}

static gboolean
update_block (RelayMarkdownView *self,
              GtkWidget         *widget,
              RelayMarkdownNode *old,
              RelayMarkdownNode *node)
{
  if (old->kind != node->kind || old->level != node->level || old->flags != node->flags)
    return FALSE;

  switch (node->kind)
    {
    case RELAY_MARKDOWN_PARAGRAPH:
    case RELAY_MARKDOWN_HEADING:
      if (g_strcmp0 (old->text, node->text) != 0)
        gtk_label_set_markup (GTK_LABEL (widget), node->text ? node->text : "");
      return TRUE;

    case RELAY_MARKDOWN_CODE:
      relay_code_block_set_language (RELAY_CODE_BLOCK (widget), node->lang);
      relay_code_block_set_code (RELAY_CODE_BLOCK (widget), node->text, -1);
      return TRUE;

    case RELAY_MARKDOWN_QUOTE:
      update_box_children (self, GTK_BOX (widget), node->children);
      return TRUE;

    case RELAY_MARKDOWN_LIST:
      update_list (self, widget, node);
      return TRUE;

    case RELAY_MARKDOWN_RULE:
      return TRUE;

    case RELAY_MARKDOWN_TABLE:
      if (old->width != node->width)
        return FALSE;
      update_table (self, widget, old, node);
      return TRUE;

    case RELAY_MARKDOWN_ITEM:
    case RELAY_MARKDOWN_ROW:
    case RELAY_MARKDOWN_CELL:
    default:
      return FALSE;
    }
}

/* Returns @widget updated to show @node, or a new widget to put in its place. */
static GtkWidget *
update_or_replace (RelayMarkdownView *self,
                   GtkWidget         *widget,
                   RelayMarkdownNode *node)
{
  RelayMarkdownNode *old = widget_get_node (widget);

  if (old != NULL && relay_markdown_node_equal (old, node))
    return widget;
  if (old != NULL && update_block (self, widget, old, node))
    {
      widget_set_node (widget, node);
      return widget;
    }
  return create_block (self, node);
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
          GtkWidget *updated = update_or_replace (self, widget, node);

          if (updated != widget)
            {
              gtk_widget_insert_before (updated, GTK_WIDGET (self), widget);
              gtk_widget_unparent (widget);
              g_ptr_array_index (self->blocks, index) = updated;
            }
        }
      else
        {
          GtkWidget *widget = create_block (self, node);

          gtk_widget_insert_before (widget, GTK_WIDGET (self), NULL);
          g_ptr_array_add (self->blocks, widget);
        }
    }

  while (self->blocks->len > first + nodes->len)
    {
      gtk_widget_unparent (g_ptr_array_steal_index (self->blocks, self->blocks->len - 1));
    }
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

  while (self->blocks->len > 0)
    gtk_widget_unparent (g_ptr_array_steal_index (self->blocks, self->blocks->len - 1));

  block = relay_code_block_new ("json");
  g_signal_connect_object (block, "copied", G_CALLBACK (code_block_copied_cb), self, 0);
  gtk_widget_insert_before (block, GTK_WIDGET (self), NULL);
  g_ptr_array_add (self->blocks, block);
  return RELAY_CODE_BLOCK (block);
}

/* Tracks nesting over the new bytes only, so that the whole text is parsed as JSON only
 * when it may be complete. */
static void
scan_json (RelayMarkdownView *self,
           gsize              from)
{
  for (gsize i = from; i < self->source->len; i++)
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
  gsize scanned = self->json_consumed;
  const char *last;

  consume_raw_json (self);
  scan_json (self, scanned);

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
  self->json_depth = 0;
  self->json_in_string = FALSE;
  self->json_escape = FALSE;
  self->json_attempt_len = G_MAXSIZE;
}

/* Applying the text */

static void
cancel_scheduled_flush (RelayMarkdownView *self)
{
  if (self->tick_id != 0)
    {
      gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->tick_id);
      self->tick_id = 0;
    }
  g_clear_handle_id (&self->idle_id, g_source_remove);
}

/**
 * relay_markdown_view_flush:
 * @self: a #RelayMarkdownView
 *
 * Shows the text appended so far now rather than at the next frame.
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
flush_tick_cb (GtkWidget     *widget,
               GdkFrameClock *frame_clock,
               gpointer       user_data)
{
  RelayMarkdownView *self = RELAY_MARKDOWN_VIEW (widget);

  self->tick_id = 0;
  relay_markdown_view_flush (self);
  return G_SOURCE_REMOVE;
}

static gboolean
flush_idle_cb (gpointer data)
{
  RelayMarkdownView *self = data;

  self->idle_id = 0;
  relay_markdown_view_flush (self);
  return G_SOURCE_REMOVE;
}

static void
schedule_flush (RelayMarkdownView *self)
{
  self->dirty = TRUE;
  if (self->tick_id != 0 || self->idle_id != 0)
    return;

  /* Once per frame when shown; before the next layout either way. */
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    self->tick_id = gtk_widget_add_tick_callback (GTK_WIDGET (self), flush_tick_cb, NULL, NULL);
  else
    self->idle_id = g_idle_add_full (G_PRIORITY_HIGH_IDLE + 10, flush_idle_cb, self, NULL);
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
 * Adds @text to the end. It is shown at the next frame, re-parsing only the last block.
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
  while (self->blocks->len > 0)
    gtk_widget_unparent (g_ptr_array_steal_index (self->blocks, self->blocks->len - 1));
  restart (self);
  relay_markdown_view_flush (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_JSON_MODE]);
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

static const char *
kind_name (RelayMarkdownKind kind)
{
  switch (kind)
    {
    case RELAY_MARKDOWN_PARAGRAPH: return "paragraph";
    case RELAY_MARKDOWN_HEADING: return "heading";
    case RELAY_MARKDOWN_CODE: return "code";
    case RELAY_MARKDOWN_QUOTE: return "quote";
    case RELAY_MARKDOWN_LIST: return "list";
    case RELAY_MARKDOWN_ITEM: return "item";
    case RELAY_MARKDOWN_RULE: return "rule";
    case RELAY_MARKDOWN_TABLE: return "table";
    case RELAY_MARKDOWN_ROW: return "row";
    case RELAY_MARKDOWN_CELL: return "cell";
    default: return NULL;
    }
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
  if (widget_get_node (block) == NULL)
    return "code";
  return kind_name (widget_get_node (block)->kind);
}

static void append_shown_text (GString   *out,
                               GtkWidget *widget);

static void
append_children_text (GString    *out,
                      GtkWidget  *container,
                      const char *separator)
{
  for (GtkWidget *child = gtk_widget_get_first_child (container);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (child != gtk_widget_get_first_child (container))
        g_string_append (out, separator);
      append_shown_text (out, child);
    }
}

static void
append_table_text (GString   *out,
                   GtkWidget *table)
{
  GtkGrid *grid = GTK_GRID (adw_bin_get_child (ADW_BIN (table)));
  RelayMarkdownNode *node = widget_get_node (table);
  guint n_rows = node->children ? node->children->len : 0;

  for (guint r = 0; r < n_rows; r++)
    {
      if (r > 0)
        g_string_append_c (out, '\n');
      for (guint c = 0; c < node->width; c++)
        {
          GtkWidget *cell = gtk_grid_get_child_at (grid, c, r);

          if (c > 0)
            g_string_append_c (out, '\t');
          if (cell != NULL)
            g_string_append (out, gtk_label_get_text (GTK_LABEL (cell)));
        }
    }
}

static void
append_shown_text (GString   *out,
                   GtkWidget *widget)
{
  RelayMarkdownNode *node = widget_get_node (widget);

  if (RELAY_IS_CODE_BLOCK (widget))
    g_string_append (out, relay_code_block_get_code (RELAY_CODE_BLOCK (widget)));
  else if (node == NULL)
    return;
  else if (node->kind == RELAY_MARKDOWN_PARAGRAPH || node->kind == RELAY_MARKDOWN_HEADING)
    g_string_append (out, gtk_label_get_text (GTK_LABEL (widget)));
  else if (node->kind == RELAY_MARKDOWN_QUOTE)
    append_children_text (out, widget, "\n\n");
  else if (node->kind == RELAY_MARKDOWN_LIST)
    append_children_text (out, widget, "\n");
  else if (node->kind == RELAY_MARKDOWN_ITEM)
    {
      g_string_append (out, gtk_label_get_text (GTK_LABEL (item_marker (widget))));
      g_string_append_c (out, ' ');
      append_children_text (out, item_content (widget), "\n");
    }
  else if (node->kind == RELAY_MARKDOWN_RULE)
    g_string_append (out, "---");
  else if (node->kind == RELAY_MARKDOWN_TABLE)
    append_table_text (out, widget);
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
      append_shown_text (out, g_ptr_array_index (self->blocks, i));
    }
  return g_string_free (out, FALSE);
}

/* GObject */

static void
relay_markdown_view_unmap (GtkWidget *widget)
{
  RelayMarkdownView *self = RELAY_MARKDOWN_VIEW (widget);

  /* No more frames: catch up in an idle instead. */
  if (self->tick_id != 0)
    {
      cancel_scheduled_flush (self);
      self->idle_id = g_idle_add_full (G_PRIORITY_HIGH_IDLE + 10, flush_idle_cb, self, NULL);
    }

  GTK_WIDGET_CLASS (relay_markdown_view_parent_class)->unmap (widget);
}

static void
relay_markdown_view_dispose (GObject *object)
{
  RelayMarkdownView *self = RELAY_MARKDOWN_VIEW (object);
  GtkWidget *child;

  cancel_scheduled_flush (self);
  g_ptr_array_set_size (self->blocks, 0);
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

  widget_class->unmap = relay_markdown_view_unmap;

  properties[PROP_JSON_MODE] =
    g_param_spec_boolean ("json-mode", NULL, NULL, FALSE,
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

  node_quark = g_quark_from_static_string ("relay-markdown-node");

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "markdownview");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
relay_markdown_view_init (RelayMarkdownView *self)
{
  GtkLayoutManager *layout = gtk_widget_get_layout_manager (GTK_WIDGET (self));

  gtk_orientable_set_orientation (GTK_ORIENTABLE (layout), GTK_ORIENTATION_VERTICAL);
  gtk_box_layout_set_spacing (GTK_BOX_LAYOUT (layout), BLOCK_SPACING);

  self->source = g_string_new (NULL);
  self->json_shown = g_string_new (NULL);
  self->blocks = g_ptr_array_new ();
  self->json_attempt_len = G_MAXSIZE;
}
