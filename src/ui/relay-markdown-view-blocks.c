/* relay-markdown-view-blocks.c: the widgets that show a reply's blocks, made from the
 * parser's nodes and updated in place when a node changes.
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "relay-markdown-view"

#include "config.h"

#include <adwaita.h>

#include "relay-code-block.h"
#include "relay-markdown-view-private.h"

#define LABEL_MIN_CHARS 16
#define CELL_MIN_CHARS  6

/* Each block widget keeps the node it shows, to compare the next parse with. */
static GQuark
node_quark (void)
{
  static GQuark quark;

  if (G_UNLIKELY (quark == 0))
    quark = g_quark_from_static_string ("relay-markdown-node");
  return quark;
}

RelayMarkdownNode *
_relay_markdown_view_widget_get_node (GtkWidget *widget)
{
  return g_object_get_qdata (G_OBJECT (widget), node_quark ());
}

static void
widget_set_node (GtkWidget         *widget,
                 RelayMarkdownNode *node)
{
  g_object_set_qdata_full (G_OBJECT (widget), node_quark (), relay_markdown_node_ref (node),
                           (GDestroyNotify) relay_markdown_node_unref);
}


/* Signals, forwarded to the view */

static gboolean
label_activate_link_cb (GtkLabel          *label,
                        const char        *uri,
                        RelayMarkdownView *self)
{
  _relay_markdown_view_activate_link (self, uri);
  return TRUE;
}

static void
code_block_copied_cb (RelayCodeBlock    *block,
                      const char        *code,
                      RelayMarkdownView *self)
{
  _relay_markdown_view_code_copied (self, code);
}

GtkWidget *
_relay_markdown_view_create_code_block (RelayMarkdownView *self,
                                        const char        *language)
{
  GtkWidget *block = relay_code_block_new (language);

  g_signal_connect_object (block, "copied", G_CALLBACK (code_block_copied_cb), self, 0);
  return block;
}

/* Widgets for blocks */

static GtkWidget *
create_label (RelayMarkdownView  *self,
              const char         *markup,
              GtkAccessibleRole   role)
{
  /* Words wrap, and so do long URLs, at any character. A width in characters spares
   * GtkLabel its search for the narrowest layout, which breaks the text after every
   * character and costs a streaming paragraph ten times more on each frame. */
  GtkWidget *label = g_object_new (GTK_TYPE_LABEL,
                                   "accessible-role", role,
                                   "wrap", TRUE,
                                   "wrap-mode", PANGO_WRAP_WORD_CHAR,
                                   "width-chars", LABEL_MIN_CHARS,
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
    gtk_box_append (GTK_BOX (box),
                    _relay_markdown_view_create_block (self, g_ptr_array_index (nodes, i)));
}

static int
list_spacing (RelayMarkdownNode *list_or_item)
{
  return (list_or_item->flags & RELAY_MARKDOWN_LOOSE) ? RELAY_MARKDOWN_BLOCK_SPACING : 6;
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
  /* A grid, not a horizontal box: a box asks its children for their width for a given
   * height, which wrapping labels answer by laying out their text over and over. */
  GtkWidget *item = g_object_new (GTK_TYPE_GRID,
                                  "accessible-role", GTK_ACCESSIBLE_ROLE_LIST_ITEM,
                                  "column-spacing", 8,
                                  NULL);
  GtkWidget *marker = gtk_label_new (NULL);
  GtkWidget *content = create_box (GTK_ORIENTATION_VERTICAL,
                                   loose ? RELAY_MARKDOWN_BLOCK_SPACING : 6,
                                   GTK_ACCESSIBLE_ROLE_GENERIC, NULL);

  gtk_widget_add_css_class (marker, "markdown-marker");
  if (node->flags & RELAY_MARKDOWN_TASK)
    gtk_widget_add_css_class (marker, "task");
  gtk_widget_set_valign (marker, GTK_ALIGN_START);
  gtk_label_set_xalign (GTK_LABEL (marker), 1.0f);
  update_marker (marker, node);
  gtk_widget_set_hexpand (content, TRUE);

  gtk_widget_add_css_class (item, "markdown-item");
  gtk_grid_attach (GTK_GRID (item), marker, 0, 0, 1, 1);
  gtk_grid_attach (GTK_GRID (item), content, 1, 0, 1, 1);
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
  gtk_label_set_width_chars (GTK_LABEL (label), CELL_MIN_CHARS);
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

GtkWidget *
_relay_markdown_view_create_block (RelayMarkdownView *self,
                                   RelayMarkdownNode *node)
{
  GtkWidget *widget = NULL;

  switch (node->kind)
    {
    case RELAY_MARKDOWN_HEADING:
      widget = create_heading (self, node);
      break;

    case RELAY_MARKDOWN_CODE:
      widget = _relay_markdown_view_create_code_block (self, node->lang);
      relay_code_block_set_code (RELAY_CODE_BLOCK (widget), node->text, -1);
      break;

    case RELAY_MARKDOWN_QUOTE:
      widget = create_box (GTK_ORIENTATION_VERTICAL, RELAY_MARKDOWN_BLOCK_SPACING,
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

          widget = _relay_markdown_view_update_or_replace (self, child, node);
          if (widget != child)
            {
              gtk_box_insert_child_after (box, widget, previous);
              gtk_box_remove (box, child);
            }
          child = next;
        }
      else
        {
          widget = _relay_markdown_view_create_block (self, node);
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
      else if (!relay_markdown_node_equal (_relay_markdown_view_widget_get_node (child), item))
        {
          if (_relay_markdown_view_widget_get_node (child)->flags != item->flags)
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
GtkWidget *
_relay_markdown_view_update_or_replace (RelayMarkdownView *self,
                                        GtkWidget         *widget,
                                        RelayMarkdownNode *node)
{
  RelayMarkdownNode *old = _relay_markdown_view_widget_get_node (widget);

  if (old != NULL && relay_markdown_node_equal (old, node))
    return widget;
  if (old != NULL && update_block (self, widget, old, node))
    {
      widget_set_node (widget, node);
      return widget;
    }
  return _relay_markdown_view_create_block (self, node);
}


const char *
_relay_markdown_view_kind_name (RelayMarkdownKind kind)
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
      _relay_markdown_view_append_shown_text (out, child);
    }
}

static void
append_table_text (GString   *out,
                   GtkWidget *table)
{
  GtkGrid *grid = GTK_GRID (adw_bin_get_child (ADW_BIN (table)));
  RelayMarkdownNode *node = _relay_markdown_view_widget_get_node (table);
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

void
_relay_markdown_view_append_shown_text (GString   *out,
                                        GtkWidget *widget)
{
  RelayMarkdownNode *node = _relay_markdown_view_widget_get_node (widget);

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

