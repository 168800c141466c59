/* test-ui-markdown-view.c: replies' Markdown as the user sees it, whole and streamed.
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>
#include <gtksourceview/gtksource.h>

#include "markdown-generator.h"
#include "markdown-samples.h"
#include "relay-code-block.h"
#include "relay-markdown-view.h"

#define DEADLINE_USEC (30 * G_USEC_PER_SEC)

/* Helpers */

static gboolean
wait_for (gboolean (*predicate) (gpointer), gpointer data)
{
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  while (!predicate (data))
    {
      if (g_get_monotonic_time () > deadline)
        return FALSE;
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
  return TRUE;
}

/* Runs the main loop until nothing is left to do (layout, highlighting, idles). */
static void
drain_main_loop (void)
{
  gint64 deadline = g_get_monotonic_time () + 2 * G_USEC_PER_SEC;
  guint quiet = 0;

  while (quiet < 50 && g_get_monotonic_time () < deadline)
    {
      if (g_main_context_iteration (NULL, FALSE))
        quiet = 0;
      else
        {
          quiet++;
          g_usleep (1000);
        }
    }
}

static RelayMarkdownView *
new_view (const char *text)
{
  RelayMarkdownView *view = RELAY_MARKDOWN_VIEW (g_object_ref_sink (relay_markdown_view_new ()));

  if (text != NULL)
    relay_markdown_view_set_text (view, text);
  return view;
}

static void
free_view (RelayMarkdownView *view)
{
  g_assert_finalize_object (view);
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

static int
compare_grid_children (gconstpointer a,
                       gconstpointer b,
                       gpointer      grid)
{
  GtkWidget *wa = *(GtkWidget * const *) a;
  GtkWidget *wb = *(GtkWidget * const *) b;
  int ca, ra, cb, rb;

  gtk_grid_query_child (grid, wa, &ca, &ra, NULL, NULL);
  gtk_grid_query_child (grid, wb, &cb, &rb, NULL, NULL);
  return ra != rb ? ra - rb : ca - cb;
}

/* Everything a user could tell apart: widget kinds, style classes, label markup and
 * layout properties, code and its language, table cell positions. */
static void
dump_widget (GString   *out,
             GtkWidget *widget,
             int        depth)
{
  g_auto(GStrv) classes = gtk_widget_get_css_classes (widget);
  g_autoptr(GPtrArray) children = g_ptr_array_new ();

  g_string_append_printf (out, "%*s%s", depth * 2, "", G_OBJECT_TYPE_NAME (widget));
  qsort (classes, g_strv_length (classes), sizeof (char *), compare_strings);
  for (guint i = 0; classes[i]; i++)
    g_string_append_printf (out, " .%s", classes[i]);
  if (GTK_IS_ORIENTABLE (widget))
    g_string_append_printf (out, " o=%d", gtk_orientable_get_orientation (GTK_ORIENTABLE (widget)));
  if (GTK_IS_BOX (widget))
    g_string_append_printf (out, " spacing=%d", gtk_box_get_spacing (GTK_BOX (widget)));
  if (GTK_IS_LABEL (widget))
    g_string_append_printf (out, " width=%d xalign=%g [%s]",
                            gtk_label_get_width_chars (GTK_LABEL (widget)),
                            gtk_label_get_xalign (GTK_LABEL (widget)),
                            gtk_label_get_label (GTK_LABEL (widget)));
  if (RELAY_IS_CODE_BLOCK (widget))
    {
      g_string_append_printf (out, " lang=%s [%s]\n",
                              relay_code_block_get_language (RELAY_CODE_BLOCK (widget)),
                              relay_code_block_get_code (RELAY_CODE_BLOCK (widget)));
      return;
    }
  g_string_append_c (out, '\n');

  /* Not a scrolled window's scrollbars, which differ as it is shown or not. */
  if (GTK_IS_SCROLLED_WINDOW (widget))
    g_ptr_array_add (children, gtk_scrolled_window_get_child (GTK_SCROLLED_WINDOW (widget)));
  else
    for (GtkWidget *child = gtk_widget_get_first_child (widget);
         child != NULL;
         child = gtk_widget_get_next_sibling (child))
      g_ptr_array_add (children, child);
  if (GTK_IS_GRID (widget))
    g_ptr_array_sort_with_data (children, compare_grid_children, widget);
  for (guint i = 0; i < children->len; i++)
    {
      GtkWidget *child = g_ptr_array_index (children, i);

      if (GTK_IS_GRID (widget))
        {
          int column, row;

          gtk_grid_query_child (GTK_GRID (widget), child, &column, &row, NULL, NULL);
          g_string_append_printf (out, "%*s@%d,%d\n", depth * 2 + 2, "", column, row);
        }
      dump_widget (out, child, depth + 1);
    }
}

static char *
dump_view (RelayMarkdownView *view)
{
  GString *out = g_string_new (NULL);
  guint n;

  relay_markdown_view_flush (view);
  n = relay_markdown_view_get_n_blocks (view);
  for (guint i = 0; i < n; i++)
    {
      g_string_append_printf (out, "== %s\n", relay_markdown_view_get_block_kind (view, i));
      dump_widget (out, relay_markdown_view_get_block (view, i), 0);
    }
  return g_string_free (out, FALSE);
}

static char *
dump_whole (const char *text,
            gsize       length)
{
  g_autofree char *copy = g_strndup (text, length);
  RelayMarkdownView *view = new_view (copy);
  char *dump = dump_view (view);

  free_view (view);
  return dump;
}

static GtkWidget *
find_descendant (GtkWidget *widget,
                 GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_descendant (child, type);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static GtkWidget *
cell_at (GtkWidget *grid,
         int        column,
         int        row)
{
  return gtk_grid_get_child_at (GTK_GRID (grid), column, row);
}

static GtkAccessibleRole
role_of (GtkWidget *widget)
{
  return gtk_accessible_get_accessible_role (GTK_ACCESSIBLE (widget));
}

static void
assert_kinds (RelayMarkdownView  *view,
              const char * const *kinds)
{
  guint n = g_strv_length ((char **) kinds);

  g_assert_cmpuint (relay_markdown_view_get_n_blocks (view), ==, n);
  for (guint i = 0; i < n; i++)
    g_assert_cmpstr (relay_markdown_view_get_block_kind (view, i), ==, kinds[i]);
}

/* Each construct */

static void
test_blocks (void)
{
  RelayMarkdownView *view = new_view (markdown_sample_reply);
  g_autofree char *shown = relay_markdown_view_dup_shown_text (view);
  const char *kinds[] = {
    "heading", "paragraph", "heading", "list", "code", "quote", "table", "list", "rule",
    "paragraph", "code", NULL
  };
  const char *expected =
    "Reading a CSV file in Python\n\n"
    "Python's standard library has everything you need: the csv module reads rows, and "
    "pathlib finds the file. See the csv documentation for the old details.\n\n"
    "Steps\n\n"
    "1. Open the file with open().\n"
    "2. Wrap it in a csv.DictReader:\n"
    "◦ each row becomes a dict\n"
    "◦ the header names the keys\n"
    "3. Loop over the rows.\n\n"
    "import csv\nfrom pathlib import Path\n\n"
    "with Path(\"people.csv\").open(newline=\"\") as f:\n"
    "    for row in csv.DictReader(f):\n"
    "        print(row[\"name\"], row[\"age\"])  # a long comment that runs past the card's "
    "edge to show horizontal scrolling\n\n"
    "Note: files written on Windows may start with a byte-order mark; open them with "
    "encoding=\"utf-8-sig\".\n\n"
    "Option\tMeaning\tDefault\n"
    "delimiter\tthe field separator\t,\n"
    "quotechar\tquotes fields holding separators\t\"\n\n"
    "☑ Read the file\n"
    "☐ Handle <b>bad</b> rows & errors\n\n"
    "---\n\n"
    "Run it with:\n\n"
    "python3 read.py";
  GtkWidget *heading, *code, *grid;
  GtkLabel *paragraph;

  assert_kinds (view, kinds);
  g_assert_cmpstr (shown, ==, expected);

  /* Headings by level; tables' header row bold; code in a GtkSourceView. */
  heading = relay_markdown_view_get_block (view, 0);
  g_assert_true (gtk_widget_has_css_class (heading, "title-2"));
  g_assert_true (gtk_widget_has_css_class (relay_markdown_view_get_block (view, 2), "title-3"));
  grid = find_descendant (relay_markdown_view_get_block (view, 6), GTK_TYPE_GRID);
  g_assert_nonnull (grid);
  g_assert_true (gtk_widget_has_css_class (cell_at (grid, 0, 0), "header"));
  g_assert_false (gtk_widget_has_css_class (cell_at (grid, 0, 1), "header"));
  g_assert_cmpfloat (gtk_label_get_xalign (GTK_LABEL (cell_at (grid, 2, 1))), ==, 1.0);
  code = relay_markdown_view_get_block (view, 4);
  g_assert_true (RELAY_IS_CODE_BLOCK (code));
  g_assert_cmpstr (relay_code_block_get_language (RELAY_CODE_BLOCK (code)), ==, "python");

  /* Reply text is selectable and wraps, left-aligned. */
  paragraph = GTK_LABEL (relay_markdown_view_get_block (view, 1));
  g_assert_true (gtk_label_get_selectable (paragraph));
  g_assert_true (gtk_label_get_wrap (paragraph));
  g_assert_cmpint (gtk_label_get_wrap_mode (paragraph), ==, PANGO_WRAP_WORD_CHAR);
  g_assert_cmpfloat (gtk_label_get_xalign (paragraph), ==, 0.0);

  free_view (view);
}

static void
test_inline_markup (void)
{
  RelayMarkdownView *view = new_view ("*em* **strong** ~~gone~~ `code` ***both***");
  GtkLabel *label = GTK_LABEL (relay_markdown_view_get_block (view, 0));
  const char *markup = gtk_label_get_label (label);

  g_assert_cmpstr (gtk_label_get_text (label), ==, "em strong gone code both");
  g_assert_nonnull (strstr (markup, "<i>em</i>"));
  g_assert_nonnull (strstr (markup, "<b>strong</b>"));
  g_assert_nonnull (strstr (markup, "<s>gone</s>"));
  g_assert_nonnull (strstr (markup, "font_family=\"monospace\""));
  free_view (view);
}

static void
test_lists (void)
{
  RelayMarkdownView *view = new_view ("- a\n  - b\n    - c\n\n"
                                      "7. seven\n8. eight\n9. nine\n10. ten\n\n"
                                      "- [ ] todo\n- [X] done\n");
  g_autofree char *shown = relay_markdown_view_dup_shown_text (view);
  GtkWidget *list = relay_markdown_view_get_block (view, 1);
  GtkWidget *first_marker = gtk_widget_get_first_child (gtk_widget_get_first_child (list));
  const char *kinds[] = { "list", "list", "list", NULL };

  assert_kinds (view, kinds);
  g_assert_cmpstr (shown, ==,
                   "• a\n◦ b\n▪ c\n\n"
                   "7. seven\n8. eight\n9. nine\n10. ten\n\n"
                   "☐ todo\n☑ done");
  /* Numbers line up: every marker is as wide as "10.". */
  g_assert_cmpint (gtk_label_get_width_chars (GTK_LABEL (first_marker)), ==, 3);
  g_assert_cmpfloat (gtk_label_get_xalign (GTK_LABEL (first_marker)), ==, 1.0);
  free_view (view);
}

static void
test_quote_rule_image (void)
{
  RelayMarkdownView *view = new_view ("> quoted *text*\n>\n> > nested\n\n***\n\n"
                                      "![a diagram](https://example.org/d.png) and "
                                      "![](https://example.org/e.png)");
  g_autofree char *shown = relay_markdown_view_dup_shown_text (view);
  GtkWidget *quote = relay_markdown_view_get_block (view, 0);
  GtkLabel *paragraph = GTK_LABEL (relay_markdown_view_get_block (view, 2));
  const char *kinds[] = { "quote", "rule", "paragraph", NULL };

  assert_kinds (view, kinds);
  g_assert_true (gtk_widget_has_css_class (quote, "markdown-quote"));
  g_assert_true (GTK_IS_SEPARATOR (relay_markdown_view_get_block (view, 1)));
  /* Images are their description, linking to the image; never fetched. */
  g_assert_cmpstr (shown, ==, "quoted text\n\nnested\n\n---\n\n"
                              "a diagram and https://example.org/e.png");
  g_assert_nonnull (strstr (gtk_label_get_label (paragraph),
                            "<a href=\"https://example.org/d.png\""));
  g_assert_null (find_descendant (GTK_WIDGET (view), GTK_TYPE_PICTURE));
  g_assert_null (find_descendant (GTK_WIDGET (view), GTK_TYPE_IMAGE));
  free_view (view);
}

/* Escaping: nothing from the network becomes markup */

static void
test_escaping (void)
{
  RelayMarkdownView *view = new_view ("Use <b>bold</b> & <span foreground=\"red\">x</span> "
                                      "&amp; &lt;i&gt; &#60;tt&#62; \"quotes\" 'single'\n\n"
                                      "# <i>heading</i> & co\n\n"
                                      "| <b>h</b> | & |\n|---|---|\n| <u>c</u> | ' |\n\n"
                                      "- <a href=\"https://evil\">item</a>\n\n"
                                      "[a \"link\" <b>](https://example.org/?q=\"&x=<b>)\n\n"
                                      "Bad bytes: \xff\xfe and control \x01 char.");
  g_autofree char *shown = relay_markdown_view_dup_shown_text (view);
  GtkLabel *link_label = GTK_LABEL (relay_markdown_view_get_block (view, 4));

  g_assert_cmpstr (shown, ==,
                   "Use <b>bold</b> & <span foreground=\"red\">x</span> & <i> <tt> "
                   "\"quotes\" 'single'\n\n"
                   "<i>heading</i> & co\n\n"
                   "<b>h</b>\t&\n<u>c</u>\t'\n\n"
                   "• <a href=\"https://evil\">item</a>\n\n"
                   "a \"link\" <b>\n\n"
                   "Bad bytes: \xef\xbf\xbd\xef\xbf\xbd and control \xef\xbf\xbd char.");
  /* The link's address is escaped inside the attribute, not cut short. */
  g_assert_nonnull (strstr (gtk_label_get_label (link_label),
                            "href=\"https://example.org/?q=&quot;&amp;x=&lt;b&gt;\""));
  free_view (view);
}

/* Links */

typedef struct
{
  guint  count;
  char  *last_uri;
} LinkRecord;

static gboolean
record_link_cb (RelayMarkdownView *view,
                const char        *uri,
                LinkRecord        *record)
{
  record->count++;
  g_free (record->last_uri);
  record->last_uri = g_strdup (uri);
  return TRUE;
}

static GtkWindow *
new_window_with (GtkWidget *view,
                 int        width,
                 int        height)
{
  GtkWidget *window = adw_window_new ();
  GtkWidget *overlay = adw_toast_overlay_new ();
  GtkWidget *scroller = gtk_scrolled_window_new ();
  GtkWidget *clamp = adw_clamp_new ();

  adw_clamp_set_maximum_size (ADW_CLAMP (clamp), 760);
  gtk_widget_set_margin_top (view, 18);
  gtk_widget_set_margin_bottom (view, 18);
  gtk_widget_set_margin_start (view, 12);
  gtk_widget_set_margin_end (view, 12);
  adw_clamp_set_child (ADW_CLAMP (clamp), view);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), clamp);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller),
                                  GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  adw_toast_overlay_set_child (ADW_TOAST_OVERLAY (overlay), scroller);
  adw_window_set_content (ADW_WINDOW (window), overlay);
  gtk_window_set_default_size (GTK_WINDOW (window), width, height);
  gtk_window_present (GTK_WINDOW (window));
  return GTK_WINDOW (window);
}

static gboolean
widget_is_mapped (gpointer data)
{
  return gtk_widget_get_mapped (data);
}

static void
test_links (void)
{
  RelayMarkdownView *view = new_view (NULL);
  LinkRecord record = { 0 };
  GtkWindow *window;
  GtkLabel *label;
  gboolean handled = FALSE;

  g_signal_connect (view, "activate-link", G_CALLBACK (record_link_cb), &record);
  window = new_window_with (GTK_WIDGET (view), 600, 400);
  g_assert_true (wait_for (widget_is_mapped, view));
  relay_markdown_view_set_text (view,
                                "[GNOME](https://gnome.org \"GNOME\") "
                                "[x](javascript:alert(1)) [f](file:///etc/passwd) "
                                "[d](data:text/html,<script>) <me@example.org> "
                                "https://autolinked.example.org/path");
  drain_main_loop ();

  label = GTK_LABEL (relay_markdown_view_get_block (view, 0));
  /* Shown and laid out: nothing opened without a click. */
  g_assert_cmpuint (record.count, ==, 0);

  /* Only web and mail links are links; the others are plain text. */
  g_assert_nonnull (strstr (gtk_label_get_label (label), "<a href=\"https://gnome.org\""));
  g_assert_nonnull (strstr (gtk_label_get_label (label), "<a href=\"mailto:me@example.org\""));
  g_assert_nonnull (strstr (gtk_label_get_label (label),
                            "<a href=\"https://autolinked.example.org/path\""));
  g_assert_null (strstr (gtk_label_get_label (label), "javascript"));
  g_assert_null (strstr (gtk_label_get_label (label), "file:"));
  g_assert_null (strstr (gtk_label_get_label (label), "data:"));
  g_assert_cmpstr (gtk_label_get_text (label), ==,
                   "GNOME x f d me@example.org https://autolinked.example.org/path");
  /* The address is the link's tooltip. */
  g_assert_true (gtk_widget_get_has_tooltip (GTK_WIDGET (label)));
  g_assert_nonnull (strstr (gtk_label_get_label (label), "title=\"https://gnome.org\""));

  /* A click (the label's activate-link) opens it; anything else never opens. */
  g_signal_emit_by_name (label, "activate-link", "https://gnome.org", &handled);
  g_assert_true (handled);
  g_assert_cmpuint (record.count, ==, 1);
  g_assert_cmpstr (record.last_uri, ==, "https://gnome.org");
  g_signal_emit_by_name (label, "activate-link", "javascript:alert(1)", &handled);
  g_signal_emit_by_name (label, "activate-link", "file:///etc/passwd", &handled);
  g_assert_true (handled);
  g_assert_cmpuint (record.count, ==, 1);

  gtk_window_destroy (window);
  g_free (record.last_uri);
  free_view (view);
}

/* Code blocks */

static void
read_text_cb (GObject      *clipboard,
              GAsyncResult *result,
              gpointer      user_data)
{
  char **text = user_data;

  *text = gdk_clipboard_read_text_finish (GDK_CLIPBOARD (clipboard), result, NULL);
  if (*text == NULL)
    *text = g_strdup ("");
}

static gboolean
pointer_is_set (gpointer data)
{
  return *(char **) data != NULL;
}

static void
record_copied_cb (RelayMarkdownView *view,
                  const char        *code,
                  char             **copied)
{
  g_free (*copied);
  *copied = g_strdup (code);
}

static gboolean
toast_overlay_has_toast (gpointer data)
{
  /* A toast shows as a second child of the overlay, beside its content. */
  GtkWidget *child = gtk_widget_get_first_child (data);

  return child != NULL && gtk_widget_get_next_sibling (child) != NULL;
}

static void
test_code_block (void)
{
  const char *code = "fn main() {\n\tprintln!(\"<tab> & \\\"quotes\\\"\");\n  \t  x\n}";
  g_autofree char *text = g_strdup_printf ("```rs\n%s\n```\n\n```\nplain\n```\n\n"
                                           "```unknown-language\nx\n```", code);
  RelayMarkdownView *view = new_view (NULL);
  g_autofree char *clipboard_text = NULL;
  g_autofree char *copied = NULL;
  GtkWidget *block, *plain, *label, *button;
  GtkSourceView *source_view;
  GtkSourceBuffer *buffer;
  GtkScrolledWindow *scroller;
  AdwStyleManager *style = adw_style_manager_get_default ();
  GtkWindow *window;

  g_signal_connect (view, "copied", G_CALLBACK (record_copied_cb), &copied);
  window = new_window_with (GTK_WIDGET (view), 600, 400);
  relay_markdown_view_set_text (view, text);
  block = relay_markdown_view_get_block (view, 0);
  plain = relay_markdown_view_get_block (view, 1);

  /* The language by alias; "Text" when the fence has none. */
  source_view = GTK_SOURCE_VIEW (find_descendant (block, GTK_SOURCE_TYPE_VIEW));
  buffer = GTK_SOURCE_BUFFER (gtk_text_view_get_buffer (GTK_TEXT_VIEW (source_view)));
  g_assert_cmpstr (gtk_source_language_get_id (gtk_source_buffer_get_language (buffer)), ==,
                   "rust");
  label = find_descendant (block, GTK_TYPE_LABEL);
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (label)), ==, "rs");
  label = find_descendant (plain, GTK_TYPE_LABEL);
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (label)), ==, "Text");
  g_assert_null (gtk_source_buffer_get_language (
    GTK_SOURCE_BUFFER (gtk_text_view_get_buffer (GTK_TEXT_VIEW (find_descendant (
      relay_markdown_view_get_block (view, 2), GTK_SOURCE_TYPE_VIEW))))));

  /* Monospace, read-only, no line numbers, scrolls sideways instead of wrapping. */
  g_assert_true (gtk_text_view_get_monospace (GTK_TEXT_VIEW (source_view)));
  g_assert_false (gtk_text_view_get_editable (GTK_TEXT_VIEW (source_view)));
  g_assert_false (gtk_source_view_get_show_line_numbers (source_view));
  g_assert_cmpint (gtk_text_view_get_wrap_mode (GTK_TEXT_VIEW (source_view)), ==, GTK_WRAP_NONE);
  scroller = GTK_SCROLLED_WINDOW (find_descendant (block, GTK_TYPE_SCROLLED_WINDOW));
  {
    GtkPolicyType h, v;

    gtk_scrolled_window_get_policy (scroller, &h, &v);
    g_assert_cmpint (h, ==, GTK_POLICY_AUTOMATIC);
    g_assert_cmpint (v, ==, GTK_POLICY_NEVER);
  }
  g_assert_true (gtk_widget_has_css_class (block, "card"));

  /* The style scheme follows the dark style, live. */
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_DARK);
  g_assert_cmpstr (gtk_source_style_scheme_get_id (gtk_source_buffer_get_style_scheme (buffer)), ==,
                   "Adwaita-dark");
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_LIGHT);
  g_assert_cmpstr (gtk_source_style_scheme_get_id (gtk_source_buffer_get_style_scheme (buffer)), ==,
                   "Adwaita");
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_DEFAULT);

  /* Copy: labelled for screen readers, puts the exact code on the clipboard, toasts. */
  button = find_descendant (block, GTK_TYPE_BUTTON);
  gtk_test_accessible_assert_property (button, GTK_ACCESSIBLE_PROPERTY_LABEL, "Copy Code");
  g_assert_cmpstr (gtk_widget_get_tooltip_text (button), ==, "Copy Code");
  g_assert_true (gtk_widget_activate (button));
  g_assert_true (wait_for (pointer_is_set, &copied));
  g_assert_cmpstr (copied, ==, code);
  gdk_clipboard_read_text_async (gtk_widget_get_clipboard (block), NULL, read_text_cb,
                                 &clipboard_text);
  g_assert_true (wait_for (pointer_is_set, &clipboard_text));
  g_assert_cmpstr (clipboard_text, ==, code);
  g_assert_true (wait_for (toast_overlay_has_toast,
                           gtk_widget_get_ancestor (block, ADW_TYPE_TOAST_OVERLAY)));

  gtk_window_destroy (window);
  free_view (view);
}

/* Code is copied as it was written: tabs stay tabs, also inside lists and quotes. */
static void
test_code_keeps_tabs (void)
{
  RelayMarkdownView *view = new_view ("```make\nall:\n\tcc -o x x.c\n\n\t\techo done\n```\n\n"
                                      "- item\n\n  ```go\n  func f() {\n  \treturn\n  }\n  ```\n\n"
                                      "> ```\n> \tquoted tab\n> ```\n\n"
                                      "\tindented code\n\t\twith a tab\n");
  g_autofree char *shown = relay_markdown_view_dup_shown_text (view);

  g_assert_cmpstr (shown, ==,
                   "all:\n\tcc -o x x.c\n\n\t\techo done\n\n"
                   "• item\nfunc f() {\n\treturn\n}\n\n"
                   "\tquoted tab\n\n"
                   "indented code\n\twith a tab");
  free_view (view);
}

/* JSON mode */

static void
test_json_mode (void)
{
  RelayMarkdownView *view = new_view (NULL);
  g_autofree char *pretty = NULL;
  g_autofree char *raw = NULL;
  g_autofree char *partial = NULL;
  const char *json = "{\"name\":\"Relay\",\"tags\":[\"gtk\",\"adw\"],\"n\":1}";

  relay_markdown_view_set_json_mode (view, TRUE);
  g_assert_true (relay_markdown_view_get_json_mode (view));
  relay_markdown_view_set_text (view, json);
  g_assert_cmpuint (relay_markdown_view_get_n_blocks (view), ==, 1);
  g_assert_cmpstr (relay_markdown_view_get_block_kind (view, 0), ==, "code");
  g_assert_cmpstr (relay_code_block_get_language (
                     RELAY_CODE_BLOCK (relay_markdown_view_get_block (view, 0))), ==, "json");
  pretty = relay_markdown_view_dup_shown_text (view);
  g_assert_cmpstr (pretty, ==,
                   "{\n  \"name\" : \"Relay\",\n  \"tags\" : [\n    \"gtk\",\n    \"adw\"\n  ],\n"
                   "  \"n\" : 1\n}");

  /* Streaming: raw while incomplete, pretty once it parses. */
  relay_markdown_view_set_text (view, "");
  for (gsize i = 0; i < strlen (json); i += 3)
    {
      relay_markdown_view_append (view, json + i, MIN (3, strlen (json) - i));
      if (i == 12)
        partial = relay_markdown_view_dup_shown_text (view);
    }
  g_assert_cmpstr (partial, ==, "{\"name\":\"Relay\"");
  g_clear_pointer (&pretty, g_free);
  pretty = relay_markdown_view_dup_shown_text (view);
  g_assert_nonnull (strstr (pretty, "\"tags\" : [\n"));

  /* Invalid JSON stays as it is, in a JSON block. */
  relay_markdown_view_set_text (view, "{\"a\": 1,, <b>}");
  raw = relay_markdown_view_dup_shown_text (view);
  g_assert_cmpstr (raw, ==, "{\"a\": 1,, <b>}");

  /* Back to Markdown. */
  relay_markdown_view_set_json_mode (view, FALSE);
  g_assert_cmpstr (relay_markdown_view_get_block_kind (view, 0), ==, "paragraph");
  free_view (view);
}

/* Streaming equals a whole render */

static void
assert_same_as_whole (RelayMarkdownView *view,
                      const GString     *doc,
                      gsize              length)
{
  g_autofree char *streamed = dump_view (view);
  g_autofree char *whole = dump_whole (doc->str, length);
  g_autofree char *shown = relay_markdown_view_dup_shown_text (view);

  if (g_strcmp0 (streamed, whole) != 0)
    {
      g_auto(GStrv) a = g_strsplit (streamed, "\n", -1);
      g_auto(GStrv) b = g_strsplit (whole, "\n", -1);
      g_autofree char *end = g_strndup (doc->str + (length > 200 ? length - 200 : 0),
                                        MIN (length, 200));
      g_autofree char *escaped = g_strescape (end, NULL);
      guint i = 0;

      while (a[i] != NULL && b[i] != NULL && g_strcmp0 (a[i], b[i]) == 0)
        i++;
      g_file_set_contents (g_test_get_filename (G_TEST_BUILT, "markdown-failure.md", NULL),
                           doc->str, length, NULL);
      g_test_message ("after %" G_GSIZE_FORMAT " bytes, first difference at line %u:\n"
                      "streamed: %s\nwhole:    %s\n--- text ends with:\n%s",
                      length, i, a[i], b[i], escaped);
      g_assert_cmpstr (streamed, ==, whole);
    }
  g_assert_nonnull (shown);
}

typedef struct
{
  RelayMarkdownView *view;
  const GString     *doc;
  GPtrArray         *deltas;
  guint              next;
  guint              per_tick;
  gsize              fed;
  guint              ticks;
  guint              checks;
  guint              check_every;
  gboolean           done;
} Feeder;

static gboolean
feed_cb (gpointer data)
{
  Feeder *feeder = data;

  for (guint i = 0; i < feeder->per_tick && feeder->next < feeder->deltas->len; i++)
    {
      const char *delta = g_ptr_array_index (feeder->deltas, feeder->next++);

      relay_markdown_view_append (feeder->view, delta, -1);
      feeder->fed += strlen (delta);
      /* Now and then, what is shown so far must equal a render of the text so far. */
      if (feeder->next % feeder->check_every == 0)
        {
          assert_same_as_whole (feeder->view, feeder->doc, feeder->fed);
          feeder->checks++;
        }
    }
  feeder->ticks++;
  if (feeder->next == feeder->deltas->len)
    {
      feeder->done = TRUE;
      return G_SOURCE_REMOVE;
    }
  return G_SOURCE_CONTINUE;
}

static void
stream_at_rate (guint per_second)
{
  g_autoptr(GString) doc = markdown_generator_document (per_second, 13000);
  g_autoptr(GPtrArray) deltas = markdown_generator_deltas (doc, per_second + 1, 8);
  RelayMarkdownView *view = new_view (NULL);
  LinkRecord links = { 0 };
  Feeder feeder = {
    .view = view,
    .doc = doc,
    .deltas = deltas,
    .per_tick = MAX (1, per_second / 500),
    .check_every = 397,
  };
  g_autofree char *shown = NULL;
  g_autofree char *whole_text = NULL;
  RelayMarkdownView *whole;
  GtkWindow *window;
  gint64 deadline = g_get_monotonic_time () + DEADLINE_USEC;

  g_assert_cmpuint (deltas->len, >=, 2800);
  g_signal_connect (view, "activate-link", G_CALLBACK (record_link_cb), &links);
  window = new_window_with (GTK_WIDGET (view), 800, 600);
  g_assert_true (wait_for (widget_is_mapped, view));

  /* 2 ms between ticks: 500 deltas a second at one per tick. */
  g_timeout_add (2, feed_cb, &feeder);
  while (!feeder.done)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
  drain_main_loop ();

  g_test_message ("%u deltas, %zu bytes, %u ticks, %u intermediate checks",
                  deltas->len, doc->len, feeder.ticks, feeder.checks);
  g_assert_cmpuint (feeder.checks, >=, 5);

  /* The final text, read back from the widgets, equals a whole render's, block by block. */
  assert_same_as_whole (view, doc, doc->len);
  shown = relay_markdown_view_dup_shown_text (view);
  whole = new_view (doc->str);
  whole_text = relay_markdown_view_dup_shown_text (whole);
  g_assert_cmpstr (shown, ==, whole_text);
  g_assert_cmpuint (relay_markdown_view_get_n_blocks (view), ==,
                    relay_markdown_view_get_n_blocks (whole));
  g_assert_cmpuint (relay_markdown_view_get_n_blocks (view), >, 100);
  for (guint i = 0; i < relay_markdown_view_get_n_blocks (whole); i++)
    g_assert_cmpstr (relay_markdown_view_get_block_kind (view, i), ==,
                     relay_markdown_view_get_block_kind (whole, i));
  g_assert_cmpuint (links.count, ==, 0);

  free_view (whole);
  gtk_window_destroy (window);
  free_view (view);
}

static void
test_stream_500 (void)
{
  stream_at_rate (500);
}

static void
test_stream_5000 (void)
{
  stream_at_rate (5000);
}

/* Every piece size, flushing after each piece so that every intermediate state is
 * rendered (and blocks are frozen at every possible point). */
static void
test_every_split (void)
{
  g_autoptr(GString) doc = g_string_new (NULL);
  g_autofree char *whole = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (markdown_generator_fragments); i++)
    g_string_append (doc, markdown_generator_fragments[i]);
  whole = dump_whole (doc->str, doc->len);

  for (gsize size = 1; size <= 97; size++)
    {
      RelayMarkdownView *view = new_view (NULL);
      g_autofree char *streamed = NULL;

      for (gsize pos = 0; pos < doc->len; pos += size)
        {
          relay_markdown_view_append (view, doc->str + pos, MIN (size, doc->len - pos));
          relay_markdown_view_flush (view);
        }
      streamed = dump_view (view);
      if (g_strcmp0 (streamed, whole) != 0)
        g_test_message ("pieces of %" G_GSIZE_FORMAT " bytes", size);
      g_assert_cmpstr (streamed, ==, whole);
      free_view (view);
    }
}

/* Byte by byte with a check at every line end: the intermediate states, too. */
static void
test_every_prefix (void)
{
  g_autoptr(GString) doc = g_string_new (NULL);
  RelayMarkdownView *view = new_view (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (markdown_generator_fragments); i++)
    g_string_append (doc, markdown_generator_fragments[i]);

  for (gsize pos = 0; pos < doc->len; pos++)
    {
      relay_markdown_view_append (view, doc->str + pos, 1);
      relay_markdown_view_flush (view);
      if (doc->str[pos] == '\n' || (pos % 7) == 0)
        assert_same_as_whole (view, doc, pos + 1);
    }
  free_view (view);
}

/* Random documents in random pieces, including constructs that reach back: link
 * reference definitions. */
static void
test_random_documents (void)
{
  static const char *extra[] = {
    "See [the docs][docs] and [1].\n\n",
    "[docs]: https://example.org/docs\n\n",
    "[1]: https://example.org/one \"One\"\n",
    "- a\n\n\n- b\n\n",
    "> quote\n\n> another quote\n\n",
    "```\nunclosed fence at the end\n",
    "text\n***\nmore\n",
    "- \n  item starting with a blank line\n",
    "  \n\t\n",
  };

  const int n_fragments = G_N_ELEMENTS (markdown_generator_fragments);

  for (guint32 seed = 1; seed <= 40; seed++)
    {
      g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
      g_autoptr(GString) doc = g_string_new (NULL);
      g_autoptr(GPtrArray) deltas = NULL;
      RelayMarkdownView *view = new_view (NULL);
      gsize fed = 0;

      while (doc->len < 1500)
        {
          if (g_rand_int_range (rand, 0, 3) == 0)
            g_string_append (doc, extra[g_rand_int_range (rand, 0, G_N_ELEMENTS (extra))]);
          else
            g_string_append (doc, markdown_generator_fragments[
                               g_rand_int_range (rand, 0, n_fragments)]);
        }
      deltas = markdown_generator_deltas (doc, seed, 1 + seed % 13);
      for (guint i = 0; i < deltas->len; i++)
        {
          const char *delta = g_ptr_array_index (deltas, i);

          relay_markdown_view_append (view, delta, -1);
          fed += strlen (delta);
          if (g_rand_int_range (rand, 0, 3) == 0)
            relay_markdown_view_flush (view);
          if (g_rand_int_range (rand, 0, 40) == 0)
            assert_same_as_whole (view, doc, fed);
        }
      assert_same_as_whole (view, doc, doc->len);
      free_view (view);
    }
}

/* set_text keeps the widgets of blocks that stay the same, and appends when it can. */
static void
test_set_text_reuses_widgets (void)
{
  RelayMarkdownView *view = new_view ("# Title\n\nfirst paragraph\n\n```c\nint x;\n```\n");
  GtkWidget *title = relay_markdown_view_get_block (view, 0);
  GtkWidget *code = relay_markdown_view_get_block (view, 2);
  GtkWidget *paragraph = relay_markdown_view_get_block (view, 1);

  relay_markdown_view_set_text (view, "# Title\n\nchanged paragraph\n\n```c\nint x;\n```\n");
  g_assert_true (relay_markdown_view_get_block (view, 0) == title);
  g_assert_true (relay_markdown_view_get_block (view, 1) == paragraph);
  g_assert_true (relay_markdown_view_get_block (view, 2) == code);
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (paragraph)), ==, "changed paragraph");

  /* A streamed code block grows in place. */
  relay_markdown_view_set_text (view, "```c\nint x;\n");
  code = relay_markdown_view_get_block (view, 0);
  relay_markdown_view_append (view, "int y;\n", -1);
  relay_markdown_view_append (view, "```\n\nafter", -1);
  g_assert_true (relay_markdown_view_get_block (view, 0) == code);
  g_assert_cmpstr (relay_code_block_get_code (RELAY_CODE_BLOCK (code)), ==, "int x;\nint y;");
  g_assert_cmpuint (relay_markdown_view_get_n_blocks (view), ==, 2);
  free_view (view);
}

/* Following a message: its deltas stream in, a new content replaces the text. */
static void
test_follows_message (void)
{
  g_autoptr(RelayMessage) message = relay_message_new (RELAY_ROLE_ASSISTANT, "# Title\n\n");
  RelayMarkdownView *view = new_view (NULL);
  g_autofree char *streamed = NULL;
  g_autofree char *replaced = NULL;
  g_autofree char *whole = NULL;
  g_autofree char *shown_dump = NULL;
  const char *content;
  GtkWidget *title;
  const char *deltas[] = { "Some ", "**bold", "** text", "\n\n```c\nint", " x;\n```\n" };

  relay_markdown_view_set_message (view, message);
  g_assert_true (relay_markdown_view_get_message (view) == message);
  g_assert_cmpstr (relay_markdown_view_get_block_kind (view, 0), ==, "heading");
  title = relay_markdown_view_get_block (view, 0);

  for (guint i = 0; i < G_N_ELEMENTS (deltas); i++)
    relay_message_append_content (message, deltas[i], -1);
  streamed = relay_markdown_view_dup_shown_text (view);
  g_assert_cmpstr (streamed, ==, "Title\n\nSome bold text\n\nint x;");
  g_assert_true (relay_markdown_view_get_block (view, 0) == title);
  content = relay_message_get_content (message);
  whole = dump_whole (content, strlen (content));
  shown_dump = dump_view (view);
  g_assert_cmpstr (shown_dump, ==, whole);

  relay_message_set_content (message, "Regenerated.");
  replaced = relay_markdown_view_dup_shown_text (view);
  g_assert_cmpstr (replaced, ==, "Regenerated.");

  relay_markdown_view_set_message (view, NULL);
  g_assert_cmpuint (relay_markdown_view_get_n_blocks (view), ==, 0);
  free_view (view);
}

/* Accessibility: what screen readers get */

static void
test_accessibility (void)
{
  RelayMarkdownView *view = new_view ("## Heading\n\n- item\n\n> quote\n\n| a |\n|---|\n| b |\n");
  GtkWidget *heading = relay_markdown_view_get_block (view, 0);
  GtkWidget *list = relay_markdown_view_get_block (view, 1);
  GtkWidget *quote = relay_markdown_view_get_block (view, 2);
  GtkWidget *grid = find_descendant (relay_markdown_view_get_block (view, 3), GTK_TYPE_GRID);

  g_assert_cmpint (role_of (heading), ==, GTK_ACCESSIBLE_ROLE_HEADING);
  gtk_test_accessible_assert_property (heading, GTK_ACCESSIBLE_PROPERTY_LEVEL, 2);
  g_assert_cmpint (role_of (list), ==, GTK_ACCESSIBLE_ROLE_LIST);
  g_assert_cmpint (role_of (gtk_widget_get_first_child (list)), ==, GTK_ACCESSIBLE_ROLE_LIST_ITEM);
  g_assert_cmpint (role_of (quote), ==, GTK_ACCESSIBLE_ROLE_BLOCK_QUOTE);
  g_assert_cmpint (role_of (grid), ==, GTK_ACCESSIBLE_ROLE_TABLE);
  g_assert_cmpint (role_of (cell_at (grid, 0, 0)), ==, GTK_ACCESSIBLE_ROLE_COLUMN_HEADER);
  g_assert_cmpint (role_of (cell_at (grid, 0, 1)), ==, GTK_ACCESSIBLE_ROLE_CELL);
  /* The label a screen reader reads is the text shown. */
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (cell_at (grid, 0, 1))), ==, "b");
  free_view (view);
}

/* Screenshots, to be looked at */

static void
load_styles (void)
{
  static gboolean loaded;
  GtkCssProvider *provider;

  if (loaded)
    return;
  loaded = TRUE;
  provider = gtk_css_provider_new ();
  gtk_css_provider_load_from_resource (provider, "/io/github/relay_llm/Relay/style.css");
  gtk_style_context_add_provider_for_display (gdk_display_get_default (),
                                              GTK_STYLE_PROVIDER (provider),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  g_object_unref (provider);
}

static void
save_screenshot (GtkWidget  *widget,
                 const char *name)
{
  g_autofree char *dir = g_build_filename (g_test_get_dir (G_TEST_BUILT), "..", "screenshots",
                                           NULL);
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);

  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);
  node = gtk_snapshot_to_node (snapshot);
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (gtk_widget_get_native (widget)),
                                         node, &GRAPHENE_RECT_INIT (0, 0, width, height));
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("screenshot: %s", path);
}

static void
test_screenshots (void)
{
  AdwStyleManager *style = adw_style_manager_get_default ();
  RelayMarkdownView *view = new_view (NULL);
  GtkWindow *window;

  load_styles ();
  window = new_window_with (GTK_WIDGET (view), 820, 880);
  relay_markdown_view_set_text (view, markdown_sample_reply);
  g_assert_true (wait_for (widget_is_mapped, view));

  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_LIGHT);
  drain_main_loop ();
  save_screenshot (GTK_WIDGET (window), "markdown-light.png");

  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_DARK);
  drain_main_loop ();
  save_screenshot (GTK_WIDGET (window), "markdown-dark.png");

  /* Narrow: text and table cells wrap, code scrolls sideways, nothing is cut off. */
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_LIGHT);
  gtk_window_set_default_size (window, 360, 880);
  drain_main_loop ();
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (window)), <=, 400);
  save_screenshot (GTK_WIDGET (window), "markdown-narrow.png");

  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_DEFAULT);
  gtk_window_destroy (window);
  free_view (view);
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add_func ("/ui/markdown/blocks", test_blocks);
  g_test_add_func ("/ui/markdown/inline-markup", test_inline_markup);
  g_test_add_func ("/ui/markdown/lists", test_lists);
  g_test_add_func ("/ui/markdown/quote-rule-image", test_quote_rule_image);
  g_test_add_func ("/ui/markdown/escaping", test_escaping);
  g_test_add_func ("/ui/markdown/links", test_links);
  g_test_add_func ("/ui/markdown/code-block", test_code_block);
  g_test_add_func ("/ui/markdown/code-keeps-tabs", test_code_keeps_tabs);
  g_test_add_func ("/ui/markdown/json-mode", test_json_mode);
  g_test_add_func ("/ui/markdown/accessibility", test_accessibility);
  g_test_add_func ("/ui/markdown/follows-message", test_follows_message);
  g_test_add_func ("/ui/markdown/set-text-reuses-widgets", test_set_text_reuses_widgets);
  g_test_add_func ("/ui/markdown/stream/500-per-second", test_stream_500);
  g_test_add_func ("/ui/markdown/stream/5000-per-second", test_stream_5000);
  g_test_add_func ("/ui/markdown/stream/every-split", test_every_split);
  g_test_add_func ("/ui/markdown/stream/every-prefix", test_every_prefix);
  g_test_add_func ("/ui/markdown/stream/random-documents", test_random_documents);
  g_test_add_func ("/ui/markdown/screenshots", test_screenshots);

  return g_test_run ();
}
