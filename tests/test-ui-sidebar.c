/* test-ui-sidebar.c: the sidebar lists chats in dated sections, opens, pins, renames,
 * deletes with Undo, searches and exports them, as a user does.
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <json-glib/json-glib.h>

#include "relay-export.h"
#include "relay-resources.h"
#include "relay-sidebar-row.h"
#include "relay-sidebar.h"
#include "relay-ui-test-util.h"

typedef struct
{
  char                  *dir;
  char                  *path;
  RelayStore            *store;
  RelayConversationList *list;
  GtkWidget             *window;
  AdwToastOverlay       *overlay;
  RelaySidebar          *sidebar;
} Fixture;

/* Microseconds since the epoch, @days_ago days before today at @hour local time; for
 * today, a time between midnight and now, @fraction of the way. */
static gint64
local_time (int    days_ago,
            int    hour,
            double fraction)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) midnight = g_date_time_new_local (g_date_time_get_year (now),
                                                         g_date_time_get_month (now),
                                                         g_date_time_get_day_of_month (now),
                                                         0, 0, 0);
  g_autoptr(GDateTime) day = g_date_time_add_days (midnight, -days_ago);
  g_autoptr(GDateTime) time = g_date_time_add_hours (day, hour);

  if (days_ago == 0)
    return g_date_time_to_unix_usec (midnight) +
           (gint64) (fraction * g_date_time_difference (now, midnight));
  return g_date_time_to_unix_usec (time);
}

typedef struct
{
  const char *title;
  gint64      updated_at;
  gboolean    pinned;
  const char *message;
} Row;

/* Writes conversations straight into the database, with the times a test needs, as
 * they would be after days of use. */
static void
fill_store (Fixture   *fixture,
            const Row *rows,
            guint      n_rows)
{
  g_autoptr(GString) sql = g_string_new ("BEGIN;");
  sqlite3 *db = NULL;

  test_close_store (g_steal_pointer (&fixture->store));
  for (guint i = 0; i < n_rows; i++)
    {
      g_autofree char *title = sqlite3_mprintf ("%Q", rows[i].title);

      g_string_append_printf (sql,
                              "INSERT INTO conversations (id, created_at, updated_at, pinned, title)"
                              " VALUES (%u, %" G_GINT64_FORMAT ", %" G_GINT64_FORMAT ", %d, %s);",
                              i + 1, rows[i].updated_at, rows[i].updated_at, rows[i].pinned, title);
      if (rows[i].message != NULL)
        {
          char *content = sqlite3_mprintf ("%Q", rows[i].message);

          g_string_append_printf (sql,
                                  "INSERT INTO messages (conversation_id, role, created_at, content)"
                                  " VALUES (%u, 'user', %" G_GINT64_FORMAT ", %s);",
                                  i + 1, rows[i].updated_at, content);
          sqlite3_free (content);
        }
      sqlite3_free (g_steal_pointer (&title));
    }
  g_string_append (sql, "COMMIT;");
  g_assert_cmpint (sqlite3_open (fixture->path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, sql->str, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
  fixture->store = test_open_store (fixture->path);
}

static void
show_sidebar (Fixture *fixture,
              int      width,
              int      height)
{
  GtkWidget *toolbar = adw_toolbar_view_new ();
  GtkWidget *header = adw_header_bar_new ();
  GtkWidget *new_chat = gtk_button_new_from_icon_name ("list-add-symbolic");
  GtkWidget *search = gtk_toggle_button_new ();

  fixture->list = test_load_list (fixture->store);
  fixture->sidebar = RELAY_SIDEBAR (relay_sidebar_new ());
  relay_sidebar_set_conversations (fixture->sidebar, fixture->list);

  /* As the window's sidebar pane has it. */
  gtk_button_set_icon_name (GTK_BUTTON (search), "system-search-symbolic");
  adw_header_bar_pack_start (ADW_HEADER_BAR (header), new_chat);
  adw_header_bar_pack_end (ADW_HEADER_BAR (header), search);
  adw_header_bar_set_title_widget (ADW_HEADER_BAR (header), adw_window_title_new ("Relay", NULL));
  /* The window's buttons sit in the content pane's header bar. */
  adw_header_bar_set_show_end_title_buttons (ADW_HEADER_BAR (header), FALSE);
  adw_toolbar_view_add_top_bar (ADW_TOOLBAR_VIEW (toolbar), header);
  adw_toolbar_view_set_content (ADW_TOOLBAR_VIEW (toolbar), GTK_WIDGET (fixture->sidebar));

  fixture->overlay = ADW_TOAST_OVERLAY (adw_toast_overlay_new ());
  adw_toast_overlay_set_child (fixture->overlay, toolbar);
  fixture->window = ui_test_window_new (width, height);
  adw_window_set_content (ADW_WINDOW (fixture->window), GTK_WIDGET (fixture->overlay));
  ui_test_present (fixture->window);
}

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  fixture->dir = test_make_dir ();
  fixture->path = g_build_filename (fixture->dir, "relay.db", NULL);
  fixture->store = test_open_store (fixture->path);
  ui_test_set_dark (FALSE);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  if (fixture->window != NULL)
    gtk_window_destroy (GTK_WINDOW (fixture->window));
  g_clear_object (&fixture->list);
  if (fixture->store != NULL)
    test_close_store (g_steal_pointer (&fixture->store));
  test_remove_tree (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->path);
}

static GtkWidget *
sidebar_child (Fixture    *fixture,
               const char *name)
{
  GObject *object = gtk_widget_get_template_child (GTK_WIDGET (fixture->sidebar), RELAY_TYPE_SIDEBAR, name);

  g_assert_nonnull (object);
  return GTK_WIDGET (object);
}

/* What the sidebar shows, top to bottom ----------------------------------------------- */

typedef struct
{
  double  y;
  char   *text;
} Shown;

static void
collect_shown (GtkWidget *widget,
               GtkWidget *list_view,
               GArray    *shown)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      graphene_point_t point;
      Shown item = { 0, NULL };

      if (!gtk_widget_get_mapped (child))
        continue;
      if (RELAY_IS_SIDEBAR_ROW (child))
        {
          GtkWidget *label = gtk_widget_get_first_child (child);

          item.text = g_strdup (gtk_label_get_text (GTK_LABEL (label)));
        }
      else if (GTK_IS_LABEL (child) && gtk_widget_has_css_class (child, "heading"))
        {
          item.text = g_strdup_printf ("# %s", gtk_label_get_text (GTK_LABEL (child)));
        }
      if (item.text != NULL)
        {
          g_assert_true (gtk_widget_compute_point (child, list_view, &GRAPHENE_POINT_INIT (0, 0), &point));
          item.y = point.y;
          g_array_append_val (shown, item);
        }
      else
        {
          collect_shown (child, list_view, shown);
        }
    }
}

static int
compare_shown (gconstpointer a,
               gconstpointer b)
{
  const Shown *sa = a, *sb = b;

  return sa->y < sb->y ? -1 : sa->y > sb->y;
}

/* The headings ("# Today") and titles on screen, joined by "|". */
static char *
dup_shown (Fixture *fixture)
{
  GtkWidget *list_view = sidebar_child (fixture, "list_view");
  g_autoptr(GArray) shown = g_array_new (FALSE, FALSE, sizeof (Shown));
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) texts = NULL;

  ui_test_wait_for_frames (fixture->window);
  collect_shown (list_view, list_view, shown);
  g_array_sort (shown, compare_shown);
  for (guint i = 0; i < shown->len; i++)
    {
      g_strv_builder_add (builder, g_array_index (shown, Shown, i).text);
      g_free (g_array_index (shown, Shown, i).text);
    }
  texts = g_strv_builder_end (builder);
  return g_strjoinv ("|", texts);
}

#define ASSERT_SHOWN(fixture, expected)                  \
  G_STMT_START {                                         \
    g_autofree char *_shown = dup_shown (fixture);       \
    g_assert_cmpstr (_shown, ==, expected);              \
  } G_STMT_END

static const char *
visible_page (Fixture *fixture)
{
  GtkStack *stack = GTK_STACK (sidebar_child (fixture, "stack"));

  return gtk_stack_get_visible_child_name (stack);
}

static GListModel *
shown_model (Fixture *fixture)
{
  GtkListView *list_view = GTK_LIST_VIEW (sidebar_child (fixture, "list_view"));

  return G_LIST_MODEL (gtk_list_view_get_model (list_view));
}

static guint
position_of (Fixture    *fixture,
             const char *title)
{
  GListModel *model = shown_model (fixture);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(RelayConversation) conversation = g_list_model_get_item (model, i);

      if (g_strcmp0 (relay_conversation_get_title (conversation), title) == 0)
        return i;
    }
  return GTK_INVALID_LIST_POSITION;
}

static RelayConversation *
conversation_titled (Fixture    *fixture,
                     const char *title)
{
  guint position = position_of (fixture, title);
  g_autoptr(RelayConversation) conversation = NULL;

  g_assert_cmpuint (position, !=, GTK_INVALID_LIST_POSITION);
  conversation = g_list_model_get_item (shown_model (fixture), position);
  return conversation;   /* the list keeps it */
}

static gboolean
row_shows (GtkWidget     *widget,
           gconstpointer  conversation)
{
  return gtk_widget_get_mapped (widget) &&
         relay_sidebar_row_get_conversation (RELAY_SIDEBAR_ROW (widget)) == conversation;
}

static GtkWidget *
row_for (Fixture    *fixture,
         const char *title)
{
  RelayConversation *conversation = conversation_titled (fixture, title);
  GtkWidget *row;

  ui_test_wait_for_frames (fixture->window);
  row = ui_test_find (GTK_WIDGET (fixture->sidebar), RELAY_TYPE_SIDEBAR_ROW, row_shows, conversation);
  g_assert_nonnull (row);
  return row;
}

/* The usual history: a bit of everything. */
static void
fill_history (Fixture *fixture)
{
  const Row rows[] = {
    { "Weekend in Lisbon", local_time (60, 12, 0), TRUE, "Plan a weekend in Lisbon" },
    { "Rust lifetimes", local_time (0, 0, 0.6), FALSE, "Explain lifetimes in Rust" },
    { "Tax questions", local_time (1, 12, 0), FALSE, "Can I deduct my axolotl aquarium?" },
    { "Haiku about the sea", local_time (0, 0, 0.3), FALSE, "Write a haiku about the sea" },
    { "Garden plan", local_time (3, 12, 0), FALSE, "What grows in shade?" },
    { "Old recipe", local_time (30, 12, 0), FALSE, "A recipe for bread" },
    { "Reading list", local_time (0, 0, 0.9), TRUE, "Books about the sea" },
  };

  fill_store (fixture, rows, G_N_ELEMENTS (rows));
}

#define HISTORY_SHOWN                                            \
  "# Pinned|Reading list|Weekend in Lisbon|"                     \
  "# Today|Rust lifetimes|Haiku about the sea|"                  \
  "# Yesterday|Tax questions|"                                   \
  "# Previous 7 Days|Garden plan|"                               \
  "# Older|Old recipe"

/* Tests ------------------------------------------------------------------------------------ */

static void
test_sidebar_sections (Fixture       *fixture,
                       gconstpointer  data)
{
  fill_history (fixture);
  show_sidebar (fixture, 360, 720);

  g_assert_cmpstr (visible_page (fixture), ==, "list");
  ASSERT_SHOWN (fixture, HISTORY_SHOWN);

  /* Pinning moves a chat to the top, unpinning puts it back among its days. */
  gtk_widget_activate_action (row_for (fixture, "Old recipe"), "row.pin", NULL);
  ASSERT_SHOWN (fixture,
                "# Pinned|Reading list|Old recipe|Weekend in Lisbon|"
                "# Today|Rust lifetimes|Haiku about the sea|"
                "# Yesterday|Tax questions|"
                "# Previous 7 Days|Garden plan");
  g_assert_true (relay_conversation_get_pinned (conversation_titled (fixture, "Old recipe")));
  gtk_widget_activate_action (row_for (fixture, "Old recipe"), "row.unpin", NULL);
  ASSERT_SHOWN (fixture, HISTORY_SHOWN);
}

/* Pinning the newest chat changes its section without moving it in the list. */
static void
test_sidebar_pin_in_place (Fixture       *fixture,
                           gconstpointer  data)
{
  const Row rows[] = {
    { "Newest", local_time (0, 0, 0.5), FALSE, NULL },
    { "Older one", local_time (1, 12, 0), FALSE, NULL },
  };

  fill_store (fixture, rows, G_N_ELEMENTS (rows));
  show_sidebar (fixture, 360, 400);
  ASSERT_SHOWN (fixture, "# Today|Newest|# Yesterday|Older one");

  gtk_widget_activate_action (row_for (fixture, "Newest"), "row.pin", NULL);
  ASSERT_SHOWN (fixture, "# Pinned|Newest|# Yesterday|Older one");
  gtk_widget_activate_action (row_for (fixture, "Newest"), "row.unpin", NULL);
  ASSERT_SHOWN (fixture, "# Today|Newest|# Yesterday|Older one");
}

static void
activated_cb (RelaySidebar       *sidebar,
              RelayConversation  *conversation,
              RelayConversation **out)
{
  g_set_object (out, conversation);
}

static void
test_sidebar_activate (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(RelayConversation) activated = NULL;
  GtkWidget *list_view;
  GtkSelectionModel *selection;
  RelayConversation *tax;

  fill_history (fixture);
  show_sidebar (fixture, 360, 720);
  g_signal_connect (fixture->sidebar, "conversation-activated", G_CALLBACK (activated_cb), &activated);
  list_view = sidebar_child (fixture, "list_view");
  selection = gtk_list_view_get_model (GTK_LIST_VIEW (list_view));
  tax = conversation_titled (fixture, "Tax questions");

  /* What a click or Enter on the row does. */
  gtk_widget_activate_action (list_view, "list.activate-item", "u", position_of (fixture, "Tax questions"));
  g_assert_true (activated == tax);
  g_assert_true (relay_sidebar_get_selected (fixture->sidebar) == tax);
  g_assert_true (gtk_selection_model_is_selected (selection, position_of (fixture, "Tax questions")));

  /* The selection follows the property, and the conversation when it moves. */
  relay_sidebar_set_selected (fixture->sidebar, conversation_titled (fixture, "Garden plan"));
  g_assert_true (gtk_selection_model_is_selected (selection, position_of (fixture, "Garden plan")));
  g_assert_false (gtk_selection_model_is_selected (selection, position_of (fixture, "Tax questions")));
  relay_conversation_set_pinned (conversation_titled (fixture, "Garden plan"), TRUE);
  g_assert_true (gtk_selection_model_is_selected (selection, position_of (fixture, "Garden plan")));
  relay_sidebar_set_selected (fixture->sidebar, NULL);
  {
    g_autoptr(GtkBitset) selected = gtk_selection_model_get_selection (selection);

    g_assert_cmpuint (gtk_bitset_get_size (selected), ==, 0);
  }

  /* Each row is named by its title for screen readers, and its menu button too. */
  {
    GtkWidget *row = row_for (fixture, "Tax questions");
    GtkWidget *menu_button = ui_test_find (row, GTK_TYPE_MENU_BUTTON, NULL, NULL);
    g_autofree char *row_error = NULL;
    g_autofree char *button_error = NULL;

    row_error = gtk_test_accessible_check_property (GTK_ACCESSIBLE (gtk_widget_get_parent (row)),
                                                    GTK_ACCESSIBLE_PROPERTY_LABEL, "Tax questions");
    g_assert_null (row_error);
    g_assert_nonnull (menu_button);
    button_error = gtk_test_accessible_check_property (GTK_ACCESSIBLE (menu_button),
                                                       GTK_ACCESSIBLE_PROPERTY_LABEL, "Chat Menu");
    g_assert_null (button_error);
  }
}

static GtkWidget *
find_undo_button (Fixture *fixture)
{
  return ui_test_find (GTK_WIDGET (fixture->overlay), GTK_TYPE_BUTTON, ui_test_button_label_is, "_Undo");
}

static void
test_sidebar_delete_undo (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(RelayConversation) tax = NULL;
  g_autoptr(RelayConversation) garden = NULL;
  GtkWidget *undo;
  gint64 tax_id;

  fill_history (fixture);
  show_sidebar (fixture, 360, 720);
  tax = g_object_ref (conversation_titled (fixture, "Tax questions"));
  tax_id = relay_conversation_get_id (tax);
  relay_sidebar_set_selected (fixture->sidebar, tax);

  gtk_widget_activate_action (row_for (fixture, "Tax questions"), "row.delete", NULL);
  g_assert_cmpuint (position_of (fixture, "Tax questions"), ==, GTK_INVALID_LIST_POSITION);
  g_assert_null (relay_sidebar_get_selected (fixture->sidebar));
  ASSERT_SHOWN (fixture,
                "# Pinned|Reading list|Weekend in Lisbon|"
                "# Today|Rust lifetimes|Haiku about the sea|"
                "# Previous 7 Days|Garden plan|"
                "# Older|Old recipe");
  g_assert_nonnull (ui_test_find (GTK_WIDGET (fixture->overlay), GTK_TYPE_LABEL,
                                  ui_test_label_text_is, "Chat deleted"));

  TEST_WAIT_UNTIL ((undo = find_undo_button (fixture)) != NULL);
  g_signal_emit_by_name (undo, "clicked");
  ASSERT_SHOWN (fixture, HISTORY_SHOWN);

  /* Undone, the chat is still there after a restart. */
  garden = g_object_ref (conversation_titled (fixture, "Garden plan"));
  gtk_widget_activate_action (row_for (fixture, "Garden plan"), "row.delete", NULL);
  adw_toast_overlay_dismiss_all (fixture->overlay);
  test_flush (fixture->store);
  g_clear_object (&tax);
  g_clear_object (&garden);
  gtk_window_destroy (GTK_WINDOW (g_steal_pointer (&fixture->window)));
  g_clear_object (&fixture->list);
  test_close_store (g_steal_pointer (&fixture->store));
  fixture->store = test_open_store (fixture->path);
  show_sidebar (fixture, 360, 720);
  g_assert_nonnull (relay_conversation_list_lookup (fixture->list, tax_id));
  ASSERT_SHOWN (fixture,
                "# Pinned|Reading list|Weekend in Lisbon|"
                "# Today|Rust lifetimes|Haiku about the sea|"
                "# Yesterday|Tax questions|"
                "# Older|Old recipe");
}

static void
test_sidebar_keyboard (Fixture       *fixture,
                       gconstpointer  data)
{
  GtkWidget *list_view;
  GtkEventController *shortcuts = NULL;
  g_autoptr(GListModel) controllers = NULL;
  GtkWidget *focus;
  AdwDialog *dialog;
  gboolean delete_bound = FALSE, rename_bound = FALSE;

  fill_history (fixture);
  show_sidebar (fixture, 360, 720);
  list_view = sidebar_child (fixture, "list_view");

  /* Delete and F2 are the sidebar's shortcuts. */
  controllers = gtk_widget_observe_controllers (GTK_WIDGET (fixture->sidebar));
  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

      if (GTK_IS_SHORTCUT_CONTROLLER (controller))
        shortcuts = controller;
    }
  g_assert_nonnull (shortcuts);
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (shortcuts)); i++)
    {
      g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (shortcuts), i);
      g_autofree char *trigger = gtk_shortcut_trigger_to_string (gtk_shortcut_get_trigger (shortcut));
      g_autofree char *action = gtk_shortcut_action_to_string (gtk_shortcut_get_action (shortcut));

      delete_bound |= g_str_equal (trigger, "Delete") && g_str_equal (action, "action(sidebar.delete)");
      rename_bound |= g_str_equal (trigger, "F2") && g_str_equal (action, "action(sidebar.rename)");
    }
  g_assert_true (delete_bound);
  g_assert_true (rename_bound);

  /* The arrow keys move the focus, which the keys act on. */
  gtk_list_view_scroll_to (GTK_LIST_VIEW (list_view), position_of (fixture, "Garden plan"),
                           GTK_LIST_SCROLL_FOCUS, NULL);
  focus = gtk_root_get_focus (GTK_ROOT (fixture->window));
  g_assert_nonnull (focus);
  g_assert_true (gtk_widget_is_ancestor (focus, list_view));

  /* The Menu key opens the focused row's menu, built when first needed. */
  {
    GtkWidget *row = row_for (fixture, "Garden plan");
    GtkMenuButton *button = GTK_MENU_BUTTON (ui_test_find (row, GTK_TYPE_MENU_BUTTON, NULL, NULL));
    GtkPopover *menu;

    g_assert_null (gtk_menu_button_get_popover (button));
    gtk_widget_activate_action (GTK_WIDGET (fixture->sidebar), "sidebar.menu", NULL);
    menu = gtk_menu_button_get_popover (button);
    g_assert_nonnull (menu);
    TEST_WAIT_UNTIL (gtk_widget_get_mapped (GTK_WIDGET (menu)));
    g_assert_true (gtk_popover_menu_get_menu_model (GTK_POPOVER_MENU (menu)) != NULL);
    gtk_popover_popdown (menu);
    TEST_WAIT_UNTIL (!gtk_widget_get_mapped (GTK_WIDGET (menu)));
  }

  gtk_list_view_scroll_to (GTK_LIST_VIEW (list_view), position_of (fixture, "Garden plan"),
                           GTK_LIST_SCROLL_FOCUS, NULL);
  gtk_widget_activate_action (GTK_WIDGET (fixture->sidebar), "sidebar.rename", NULL);
  TEST_WAIT_UNTIL ((dialog = adw_window_get_visible_dialog (ADW_WINDOW (fixture->window))) != NULL);
  g_assert_true (ADW_IS_ALERT_DIALOG (dialog));
  adw_dialog_force_close (dialog);
  TEST_WAIT_UNTIL (adw_window_get_visible_dialog (ADW_WINDOW (fixture->window)) == NULL);

  gtk_list_view_scroll_to (GTK_LIST_VIEW (list_view), position_of (fixture, "Garden plan"),
                           GTK_LIST_SCROLL_FOCUS, NULL);
  gtk_widget_activate_action (GTK_WIDGET (fixture->sidebar), "sidebar.delete", NULL);
  g_assert_cmpuint (position_of (fixture, "Garden plan"), ==, GTK_INVALID_LIST_POSITION);
  g_assert_cmpuint (g_list_model_get_n_items (shown_model (fixture)), ==, 6);
}

static void
test_sidebar_rename (Fixture       *fixture,
                     gconstpointer  data)
{
  RelayConversation *lisbon;
  AdwDialog *dialog;
  GtkWidget *entry;

  fill_history (fixture);
  show_sidebar (fixture, 360, 720);
  lisbon = conversation_titled (fixture, "Weekend in Lisbon");

  gtk_widget_activate_action (row_for (fixture, "Weekend in Lisbon"), "row.rename", NULL);
  TEST_WAIT_UNTIL ((dialog = adw_window_get_visible_dialog (ADW_WINDOW (fixture->window))) != NULL);
  g_assert_true (ADW_IS_ALERT_DIALOG (dialog));
  g_assert_cmpstr (adw_alert_dialog_get_heading (ADW_ALERT_DIALOG (dialog)), ==, "Rename Chat");
  entry = adw_alert_dialog_get_extra_child (ADW_ALERT_DIALOG (dialog));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "Weekend in Lisbon");
  ui_test_screenshot (fixture->window, "sidebar-rename");

  /* An empty title cannot be confirmed. */
  gtk_editable_set_text (GTK_EDITABLE (entry), "   ");
  g_assert_false (adw_alert_dialog_get_response_enabled (ADW_ALERT_DIALOG (dialog), "rename"));

  gtk_editable_set_text (GTK_EDITABLE (entry), "  Lisbon itinerary ");
  g_assert_true (adw_alert_dialog_get_response_enabled (ADW_ALERT_DIALOG (dialog), "rename"));
  /* Rename is the default response, which Enter in the entry gives too. */
  g_assert_true (adw_dialog_get_default_widget (dialog) ==
                 ui_test_find (GTK_WIDGET (dialog), GTK_TYPE_BUTTON, ui_test_button_label_is, "_Rename"));
  g_signal_emit_by_name (adw_dialog_get_default_widget (dialog), "clicked");
  TEST_WAIT_UNTIL (g_strcmp0 (relay_conversation_get_title (lisbon), "Lisbon itinerary") == 0);
  TEST_WAIT_UNTIL (adw_window_get_visible_dialog (ADW_WINDOW (fixture->window)) == NULL);
  ASSERT_SHOWN (fixture,
                "# Pinned|Reading list|Lisbon itinerary|"
                "# Today|Rust lifetimes|Haiku about the sea|"
                "# Yesterday|Tax questions|"
                "# Previous 7 Days|Garden plan|"
                "# Older|Old recipe");

  /* Cancelling changes nothing. */
  relay_sidebar_rename_conversation (fixture->sidebar, lisbon);
  TEST_WAIT_UNTIL ((dialog = adw_window_get_visible_dialog (ADW_WINDOW (fixture->window))) != NULL);
  entry = adw_alert_dialog_get_extra_child (ADW_ALERT_DIALOG (dialog));
  gtk_editable_set_text (GTK_EDITABLE (entry), "Something else");
  adw_dialog_close (dialog);
  TEST_WAIT_UNTIL (adw_window_get_visible_dialog (ADW_WINDOW (fixture->window)) == NULL);
  g_assert_cmpstr (relay_conversation_get_title (lisbon), ==, "Lisbon itinerary");

  /* The new title is stored. */
  test_flush (fixture->store);
  gtk_window_destroy (GTK_WINDOW (g_steal_pointer (&fixture->window)));
  g_clear_object (&fixture->list);
  test_close_store (g_steal_pointer (&fixture->store));
  fixture->store = test_open_store (fixture->path);
  show_sidebar (fixture, 360, 720);
  g_assert_cmpuint (position_of (fixture, "Lisbon itinerary"), ==, 1);
}

static void
test_sidebar_search (Fixture       *fixture,
                     gconstpointer  data)
{
  GListModel *model;
  GtkWidget *status;

  fill_history (fixture);
  show_sidebar (fixture, 360, 720);
  model = shown_model (fixture);

  /* A word found only in a message. */
  relay_sidebar_set_search_text (fixture->sidebar, "axolotl");
  TEST_WAIT_UNTIL (g_list_model_get_n_items (model) == 1);
  g_assert_cmpstr (visible_page (fixture), ==, "list");
  ASSERT_SHOWN (fixture, "# Yesterday|Tax questions");

  /* Titles and messages, in sections as usual. */
  relay_sidebar_set_search_text (fixture->sidebar, "sea");
  TEST_WAIT_UNTIL (g_list_model_get_n_items (model) == 2);
  ASSERT_SHOWN (fixture, "# Pinned|Reading list|# Today|Haiku about the sea");

  relay_sidebar_set_search_text (fixture->sidebar, "quetzalcoatl");
  TEST_WAIT_UNTIL (g_strcmp0 (visible_page (fixture), "no-results") == 0);
  status = sidebar_child (fixture, "no_results_page");
  g_assert_true (gtk_widget_get_mapped (status));
  g_assert_cmpstr (adw_status_page_get_title (ADW_STATUS_PAGE (status)), ==, "No Results");
  g_assert_cmpstr (adw_status_page_get_icon_name (ADW_STATUS_PAGE (status)), ==, "system-search-symbolic");
  ui_test_screenshot (fixture->window, "sidebar-no-results");

  /* Typing on: what was typed last is what is searched. */
  relay_sidebar_set_search_text (fixture->sidebar, "lis");
  relay_sidebar_set_search_text (fixture->sidebar, "lisbon");
  TEST_WAIT_UNTIL (g_strcmp0 (visible_page (fixture), "list") == 0);
  TEST_WAIT_UNTIL (g_list_model_get_n_items (model) == 1);
  ASSERT_SHOWN (fixture, "# Pinned|Weekend in Lisbon");

  /* Deleting from the results takes the chat out of them too. */
  gtk_widget_activate_action (row_for (fixture, "Weekend in Lisbon"), "row.delete", NULL);
  g_assert_cmpstr (visible_page (fixture), ==, "no-results");
  g_signal_emit_by_name (find_undo_button (fixture), "clicked");
  TEST_WAIT_UNTIL (g_list_model_get_n_items (model) == 1);

  relay_sidebar_set_search_text (fixture->sidebar, "");
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 7);
  g_assert_cmpstr (visible_page (fixture), ==, "list");
  ASSERT_SHOWN (fixture, HISTORY_SHOWN);
}

static void
test_sidebar_empty (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(RelayConversationList) unloaded = relay_conversation_list_new (fixture->store);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(RelayConversation) conversation = NULL;
  GtkWidget *status;

  show_sidebar (fixture, 360, 600);
  g_assert_cmpstr (visible_page (fixture), ==, "empty");
  status = sidebar_child (fixture, "empty_page");
  g_assert_cmpstr (adw_status_page_get_title (ADW_STATUS_PAGE (status)), ==, "No Chats Yet");
  ui_test_screenshot (fixture->window, "sidebar-empty");

  /* Not "No Chats Yet" while the list is still being read. */
  relay_sidebar_set_conversations (fixture->sidebar, unloaded);
  g_assert_cmpstr (visible_page (fixture), ==, "list");
  relay_conversation_list_load_async (unloaded, NULL, test_result_cb, &result);
  TEST_WAIT_UNTIL (result != NULL);
  g_assert_cmpstr (visible_page (fixture), ==, "empty");

  /* A new chat is listed with its first message. */
  conversation = relay_conversation_list_create (unloaded);
  relay_sidebar_set_selected (fixture->sidebar, conversation);
  g_assert_cmpstr (visible_page (fixture), ==, "empty");
  {
    g_autoptr(RelayMessage) message = relay_message_new (RELAY_ROLE_USER, "Hello there");

    relay_conversation_set_title (conversation, "Hello there");
    test_append (conversation, message);
  }
  g_assert_cmpstr (visible_page (fixture), ==, "list");
  ASSERT_SHOWN (fixture, "# Today|Hello there");
  g_assert_true (gtk_selection_model_is_selected (GTK_SELECTION_MODEL (shown_model (fixture)), 0));
}

static void
test_export_files (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(RelayConversationList) list = relay_conversation_list_new (fixture->store);
  g_autoptr(RelayConversation) conversation = relay_conversation_list_create (list);
  g_autoptr(RelayMessage) question = relay_message_new (RELAY_ROLE_USER, "What is an axolotl?");
  g_autoptr(RelayMessage) reply = NULL;
  g_autoptr(RelayConversationList) reloaded = NULL;
  const struct { RelayExportFormat format; const char *name; } formats[] = {
    { RELAY_EXPORT_FORMAT_MARKDOWN, "chat.md" },
    { RELAY_EXPORT_FORMAT_JSON, "chat.json" },
  };
  gint64 id;

  relay_conversation_set_title (conversation, "Axolotls");
  test_append (conversation, question);
  reply = relay_conversation_begin_reply (conversation, "route-llm");
  relay_message_append_content (reply, "A salamander that keeps its gills.", -1);
  relay_message_set_state (reply, RELAY_MESSAGE_STATE_COMPLETE);
  test_flush (fixture->store);
  id = relay_conversation_get_id (conversation);

  for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
    {
      g_autofree char *path = g_build_filename (fixture->dir, formats[i].name, NULL);
      g_autoptr(GFile) file = g_file_new_for_path (path);
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *written = NULL;
      g_autofree char *expected = NULL;

      /* An existing file is replaced. */
      g_assert_true (g_file_set_contents (path, "old", -1, NULL));
      relay_export_to_file_async (conversation, formats[i].format, file, NULL, test_result_cb, &result);
      g_assert_true (relay_export_to_file_finish (test_wait_result (&result), &error));
      g_assert_no_error (error);
      g_assert_true (g_file_get_contents (path, &written, NULL, NULL));
      expected = formats[i].format == RELAY_EXPORT_FORMAT_JSON
                   ? relay_conversation_export_json (conversation)
                   : relay_conversation_export_markdown (conversation);
      g_assert_cmpstr (written, ==, expected);
      g_assert_nonnull (strstr (written, "What is an axolotl?"));
      g_assert_nonnull (strstr (written, "A salamander that keeps its gills."));
      if (formats[i].format == RELAY_EXPORT_FORMAT_JSON)
        {
          g_autoptr(JsonParser) parser = json_parser_new ();

          g_assert_true (json_parser_load_from_data (parser, written, -1, NULL));
          g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));
        }
    }

  /* A chat listed but never opened is read before it is written. */
  g_clear_object (&conversation);
  g_clear_object (&reply);
  g_clear_object (&list);
  test_close_store (g_steal_pointer (&fixture->store));
  fixture->store = test_open_store (fixture->path);
  reloaded = test_load_list (fixture->store);
  {
    RelayConversation *unopened = relay_conversation_list_lookup (reloaded, id);
    g_autofree char *path = g_build_filename (fixture->dir, "unopened.md", NULL);
    g_autoptr(GFile) file = g_file_new_for_path (path);
    g_autoptr(GAsyncResult) result = NULL;
    g_autofree char *written = NULL;

    g_assert_nonnull (unopened);
    g_assert_false (relay_conversation_get_loaded (unopened));
    relay_export_to_file_async (unopened, RELAY_EXPORT_FORMAT_MARKDOWN, file, NULL, test_result_cb, &result);
    g_assert_true (relay_export_to_file_finish (test_wait_result (&result), NULL));
    g_assert_true (g_file_get_contents (path, &written, NULL, NULL));
    g_assert_nonnull (strstr (written, "A salamander that keeps its gills."));
  }

  /* Writing where it cannot fails with an error, not a crash. */
  {
    g_autofree char *path = g_build_filename (fixture->dir, "missing", "chat.md", NULL);
    g_autoptr(GFile) file = g_file_new_for_path (path);
    g_autoptr(GAsyncResult) result = NULL;
    g_autoptr(GError) error = NULL;

    relay_export_to_file_async (relay_conversation_list_lookup (reloaded, id),
                                RELAY_EXPORT_FORMAT_JSON, file, NULL, test_result_cb, &result);
    g_assert_false (relay_export_to_file_finish (test_wait_result (&result), &error));
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  }
}

static void
test_export_names (void)
{
  g_autoptr(RelayConversation) conversation = relay_conversation_new (NULL);
  const struct { const char *title; RelayExportFormat format; const char *name; } cases[] = {
    { "Trip plan", RELAY_EXPORT_FORMAT_MARKDOWN, "Trip plan.md" },
    { "Trip plan", RELAY_EXPORT_FORMAT_JSON, "Trip plan.json" },
    { "Input/output in C\\C++", RELAY_EXPORT_FORMAT_MARKDOWN, "Input-output in C-C++.md" },
    { "..hidden\n", RELAY_EXPORT_FORMAT_MARKDOWN, "hidden.md" },
    { "", RELAY_EXPORT_FORMAT_JSON, "Chat.json" },
    { NULL, RELAY_EXPORT_FORMAT_MARKDOWN, "Chat.md" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *name = NULL;

      relay_conversation_set_title (conversation, cases[i].title);
      name = relay_export_suggest_filename (conversation, cases[i].format);
      g_assert_cmpstr (name, ==, cases[i].name);
    }
}

/* The sidebar as wide as the split view makes it (300 px), and as a whole narrow window
 * (360 px) with a row's menu open. */
static void
test_sidebar_screenshots (Fixture       *fixture,
                          gconstpointer  data)
{
  fill_history (fixture);
  show_sidebar (fixture, UI_TEST_FRAME + 300, 640);
  relay_sidebar_set_selected (fixture->sidebar, conversation_titled (fixture, "Rust lifetimes"));
  ui_test_screenshot (fixture->window, "sidebar-sections");

  ui_test_set_dark (TRUE);
  ui_test_screenshot (fixture->window, "sidebar-sections-dark");
  ui_test_set_dark (FALSE);

  gtk_window_destroy (GTK_WINDOW (g_steal_pointer (&fixture->window)));
  g_clear_object (&fixture->list);
  show_sidebar (fixture, UI_TEST_FRAME + 360, 640);
  relay_sidebar_set_selected (fixture->sidebar, conversation_titled (fixture, "Rust lifetimes"));
  relay_sidebar_row_popup_menu (RELAY_SIDEBAR_ROW (row_for (fixture, "Tax questions")), 100, 30);
  ui_test_screenshot_screen (fixture->window, "sidebar-row-menu-360");
}

int
main (int   argc,
      char *argv[])
{
  ui_test_init (&argc, &argv);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/sidebar/sections", test_sidebar_sections);
  ADD ("/sidebar/pin-in-place", test_sidebar_pin_in_place);
  ADD ("/sidebar/activate", test_sidebar_activate);
  ADD ("/sidebar/delete-undo", test_sidebar_delete_undo);
  ADD ("/sidebar/keyboard", test_sidebar_keyboard);
  ADD ("/sidebar/rename", test_sidebar_rename);
  ADD ("/sidebar/search", test_sidebar_search);
  ADD ("/sidebar/empty", test_sidebar_empty);
  ADD ("/sidebar/screenshots", test_sidebar_screenshots);
  ADD ("/export/files", test_export_files);
#undef ADD
  g_test_add_func ("/export/names", test_export_names);

  return g_test_run ();
}
