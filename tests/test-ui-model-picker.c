/* test-ui-model-picker.c: the model picker lists the router first and vendors in
 * sections, finds models as the user types, picks with a click or the keyboard, never
 * shows a price of unknown unit as dollars, and keeps a model it does not know.
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>

#include "relay-model-info.h"
#include "relay-model-picker.h"
#include "relay-model-picker-row.h"
#include "relay-preferences-dialog.h"
#include "relay-resources.h"
#include "relay-ui-test-util.h"

/* What a server adds to the bundled table: one model priced per token by an OpenAI-style
 * list, one whose listRouteLLMModels rates have no known unit. */
static const char server_list[] =
  "{\"object\":\"list\",\"data\":["
  "{\"id\":\"acme-large\",\"owned_by\":\"Acme\","
  " \"pricing\":{\"prompt\":0.000003,\"completion\":0.000015}},"
  "{\"id\":\"mystery-7b\",\"input_token_rate\":2.5,\"output_token_rate\":10}"
  "]}";

/* The bundled table with route-llm moved to the end (the picker must list it first
 * whatever the catalog's order), then the server's own models. */
static GListModel *
make_models (void)
{
  GListStore *store = g_list_store_new (RELAY_TYPE_MODEL_INFO);
  g_autoptr(GPtrArray) bundled = relay_model_info_get_bundled ();
  g_autoptr(GPtrArray) server = NULL;
  g_autoptr(GError) error = NULL;
  RelayModelInfo *router = NULL;

  for (guint i = 0; i < bundled->len; i++)
    {
      RelayModelInfo *info = g_ptr_array_index (bundled, i);

      if (g_str_equal (relay_model_info_get_id (info), "route-llm"))
        router = info;
      else
        g_list_store_append (store, info);
    }
  g_assert_nonnull (router);

  server = relay_model_info_parse_list_data (server_list, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (server->len, ==, 2);
  for (guint i = 0; i < server->len; i++)
    g_list_store_append (store, g_ptr_array_index (server, i));
  g_list_store_append (store, router);

  return G_LIST_MODEL (store);
}

/* Lets pending layout and drawing happen: until nothing is left to dispatch. */
static void
settle (void)
{
  for (guint i = 0; i < 50; i++)
    while (g_main_context_iteration (NULL, FALSE))
      ;
}

typedef struct
{
  GtkWidget        *window;
  RelayModelPicker *picker;
  GListModel       *models;
  GtkPopover       *popover;
  GtkSearchEntry   *search_entry;
  GtkListView      *list_view;
  GtkStack         *stack;
  guint             notifies;
} Fixture;

static GtkWidget *
find_widget (GtkWidget *widget,
             GType      type)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (G_TYPE_CHECK_INSTANCE_TYPE (child, type))
        return child;
      if ((found = find_widget (child, type)))
        return found;
    }
  return NULL;
}

static void
selected_notify_cb (Fixture *fixture)
{
  fixture->notifies++;
}

static gboolean
window_is_laid_out (gpointer data)
{
  return gtk_widget_get_mapped (data) && gtk_widget_get_width (data) > 0;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  GtkWidget *header;
  GtkWidget *toolbar;
  GtkWidget *menu_button;
  int width = GPOINTER_TO_INT (data);

  fixture->models = make_models ();
  fixture->picker = RELAY_MODEL_PICKER (relay_model_picker_new ());
  relay_model_picker_set_models (fixture->picker, fixture->models);
  relay_model_picker_set_selected_model_id (fixture->picker, "route-llm");
  g_signal_connect_swapped (fixture->picker, "notify::selected-model-id",
                            G_CALLBACK (selected_notify_cb), fixture);

  /* The picker as the chat's header bar title, as the window has it. */
  header = adw_header_bar_new ();
  adw_header_bar_set_title_widget (ADW_HEADER_BAR (header), GTK_WIDGET (fixture->picker));
  toolbar = adw_toolbar_view_new ();
  adw_toolbar_view_add_top_bar (ADW_TOOLBAR_VIEW (toolbar), header);
  adw_toolbar_view_set_top_bar_style (ADW_TOOLBAR_VIEW (toolbar), ADW_TOOLBAR_RAISED_BORDER);
  adw_toolbar_view_set_content (ADW_TOOLBAR_VIEW (toolbar), adw_status_page_new ());

  fixture->window = adw_window_new ();
  adw_window_set_content (ADW_WINDOW (fixture->window), toolbar);
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), width > 0 ? width : 720, 640);
  gtk_window_present (GTK_WINDOW (fixture->window));
  TEST_WAIT_UNTIL (window_is_laid_out (fixture->window));

  menu_button = find_widget (GTK_WIDGET (fixture->picker), GTK_TYPE_MENU_BUTTON);
  g_assert_nonnull (menu_button);
  fixture->popover = gtk_menu_button_get_popover (GTK_MENU_BUTTON (menu_button));
  g_assert_nonnull (fixture->popover);
  fixture->search_entry = GTK_SEARCH_ENTRY (find_widget (GTK_WIDGET (fixture->popover),
                                                         GTK_TYPE_SEARCH_ENTRY));
  fixture->list_view = GTK_LIST_VIEW (find_widget (GTK_WIDGET (fixture->popover),
                                                   GTK_TYPE_LIST_VIEW));
  fixture->stack = GTK_STACK (find_widget (GTK_WIDGET (fixture->popover), GTK_TYPE_STACK));
  g_assert_nonnull (fixture->search_entry);
  g_assert_nonnull (fixture->list_view);
  g_assert_nonnull (fixture->stack);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                      ADW_COLOR_SCHEME_DEFAULT);
  gtk_window_destroy (GTK_WINDOW (fixture->window));
  settle ();
  g_clear_object (&fixture->models);
}

static gboolean
popover_is_mapped (gpointer data)
{
  Fixture *fixture = data;

  return gtk_widget_get_mapped (GTK_WIDGET (fixture->popover)) &&
         find_widget (GTK_WIDGET (fixture->list_view), RELAY_TYPE_MODEL_PICKER_ROW) != NULL;
}

static gboolean
popover_is_hidden (gpointer data)
{
  Fixture *fixture = data;

  return !gtk_widget_get_visible (GTK_WIDGET (fixture->popover));
}

static void
open_popover (Fixture *fixture)
{
  relay_model_picker_popup (fixture->picker);
  TEST_WAIT_UNTIL (popover_is_mapped (fixture));
  settle ();
}

static GListModel *
shown_models (Fixture *fixture)
{
  return G_LIST_MODEL (gtk_list_view_get_model (fixture->list_view));
}

static const char *
shown_id (Fixture *fixture,
          guint    position)
{
  g_autoptr(RelayModelInfo) info = g_list_model_get_item (shown_models (fixture), position);

  g_assert_nonnull (info);
  /* The model is owned by the store; the ID outlives this reference. */
  return relay_model_info_get_id (info);
}

static void
search (Fixture    *fixture,
        const char *text)
{
  gtk_editable_set_text (GTK_EDITABLE (fixture->search_entry), text);
  settle ();
}

typedef struct
{
  Fixture             *fixture;
  const char          *model_id;
  RelayModelPickerRow *row;
} RowSearch;

static gboolean
row_is_shown (gpointer data)
{
  RowSearch *search = data;

  for (GtkWidget *item = gtk_widget_get_first_child (GTK_WIDGET (search->fixture->list_view));
       item != NULL;
       item = gtk_widget_get_next_sibling (item))
    {
      GtkWidget *row = gtk_widget_get_first_child (item);
      RelayModelInfo *info;

      if (!RELAY_IS_MODEL_PICKER_ROW (row) || !gtk_widget_get_mapped (row))
        continue;
      info = relay_model_picker_row_get_model (RELAY_MODEL_PICKER_ROW (row));
      if (info != NULL && g_str_equal (relay_model_info_get_id (info), search->model_id))
        {
          search->row = RELAY_MODEL_PICKER_ROW (row);
          return TRUE;
        }
    }
  return FALSE;
}

/* The row the list view shows for @model_id, once it is on screen; NULL if it never is. */
static RelayModelPickerRow *
find_row (Fixture    *fixture,
          const char *model_id)
{
  RowSearch search = { fixture, model_id, NULL };

  TEST_WAIT_UNTIL (row_is_shown (&search));
  return search.row;
}

static void
collect_visible_labels (GtkWidget *widget,
                        GPtrArray *texts)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (!gtk_widget_get_visible (child))
        continue;
      if (GTK_IS_LABEL (child))
        g_ptr_array_add (texts, (gpointer) gtk_label_get_text (GTK_LABEL (child)));
      collect_visible_labels (child, texts);
    }
}

static gboolean
has_visible_label (GtkWidget  *widget,
                   const char *text)
{
  g_autoptr(GPtrArray) texts = g_ptr_array_new ();

  collect_visible_labels (widget, texts);
  for (guint i = 0; i < texts->len; i++)
    if (g_str_equal (g_ptr_array_index (texts, i), text))
      return TRUE;
  return FALSE;
}

static void
test_router_first_and_recommended (Fixture       *fixture,
                                   gconstpointer  data)
{
  RelayModelPickerRow *row;

  open_popover (fixture);
  g_assert_cmpstr (shown_id (fixture, 0), ==, "route-llm");

  row = find_row (fixture, "route-llm");
  g_assert_nonnull (row);
  g_assert_true (has_visible_label (GTK_WIDGET (row), "Recommended"));
  g_assert_true (relay_model_picker_row_get_selected (row));

  /* No other model wears the badge. */
  row = find_row (fixture, "acme-large");
  g_assert_nonnull (row);
  g_assert_false (has_visible_label (GTK_WIDGET (row), "Recommended"));
  g_assert_false (relay_model_picker_row_get_selected (row));
}

static const char *
expected_section_title (RelayModelInfo *info)
{
  if (relay_model_info_get_kind (info) == RELAY_MODEL_KIND_ROUTER)
    return "Router";
  if (relay_model_info_get_kind (info) == RELAY_MODEL_KIND_IMAGE)
    return "Image Generation";
  if (relay_model_info_get_vendor (info) == NULL)
    return "Other Models";
  return relay_model_info_get_vendor (info);
}

static void
test_sections_in_order (Fixture       *fixture,
                        gconstpointer  data)
{
  static const char * const expected[] = {
    "Router", "Acme", "Alibaba Qwen", "Anthropic", "DeepSeek", "Google", "Meta", "OpenAI",
    "xAI", "Image Generation", "Other Models", NULL
  };
  GListModel *shown;
  g_autoptr(GPtrArray) titles = g_ptr_array_new ();
  guint n_items;
  guint n_image_models = 0;
  GtkWidget *first_header = NULL;

  open_popover (fixture);
  shown = shown_models (fixture);
  g_assert_true (GTK_IS_SECTION_MODEL (shown));
  n_items = g_list_model_get_n_items (shown);
  g_assert_cmpuint (n_items, ==, g_list_model_get_n_items (fixture->models));

  for (guint position = 0; position < n_items;)
    {
      g_autoptr(RelayModelInfo) first = g_list_model_get_item (shown, position);
      guint start, end;

      gtk_section_model_get_section (GTK_SECTION_MODEL (shown), position, &start, &end);
      g_assert_cmpuint (start, ==, position);
      g_ptr_array_add (titles, (gpointer) expected_section_title (first));

      /* Every model of a section belongs there. */
      for (guint i = start; i < end; i++)
        {
          g_autoptr(RelayModelInfo) info = g_list_model_get_item (shown, i);

          g_assert_cmpstr (expected_section_title (info), ==, expected_section_title (first));
          if (relay_model_info_get_kind (info) == RELAY_MODEL_KIND_IMAGE)
            n_image_models++;
        }
      position = end;
    }
  g_ptr_array_add (titles, NULL);
  g_assert_cmpstrv ((const char * const *) titles->pdata, expected);
  g_assert_cmpuint (n_image_models, ==, 8);

  /* Within a vendor the catalog's order stands (newest first in the bundled table). */
  g_assert_cmpstr (shown_id (fixture, 1), ==, "acme-large");

  /* The header shown above the first row names its section. */
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (fixture->list_view));
       child != NULL && first_header == NULL;
       child = gtk_widget_get_next_sibling (child))
    if (gtk_widget_has_css_class (gtk_widget_get_first_child (child), "model-picker-section"))
      first_header = gtk_widget_get_first_child (child);
  g_assert_nonnull (first_header);
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (first_header)), ==, "Router");
}

static void
assert_shown_ids (Fixture            *fixture,
                  const char * const *expected)
{
  GListModel *shown = shown_models (fixture);
  guint n_items = g_list_model_get_n_items (shown);

  g_assert_cmpuint (n_items, ==, g_strv_length ((char **) expected));
  for (guint i = 0; i < n_items; i++)
    g_assert_cmpstr (shown_id (fixture, i), ==, expected[i]);
}

static void
test_search (Fixture       *fixture,
             gconstpointer  data)
{
  static const char * const anthropic[] = {
    "claude-4-5-sonnet", "claude-4-5-haiku", "claude-4-5-opus", "claude-3-opus", NULL
  };
  static const char * const gpt5[] = {
    "gpt-5.2", "gpt-5.1", "gpt-5.1-chat-latest", "gpt-5", "gpt-5-mini", "gpt-5-nano", NULL
  };
  static const char * const mini[] = { "gpt-4o-mini", NULL };
  static const char * const opus[] = { "claude-4-5-opus", "claude-3-opus", NULL };
  static const char * const images[] = {
    "flux-2-pro", "flux-kontext", "dall-e", "ideogram", "recraft", "imagen",
    "nano-banana-pro", "seedream", NULL
  };
  GtkWidget *empty_page;

  open_popover (fixture);

  /* By vendor, in any case. */
  search (fixture, "ANTHROPIC");
  assert_shown_ids (fixture, anthropic);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (fixture->stack), ==, "list");

  /* By the start of an ID. */
  search (fixture, "gpt-5");
  assert_shown_ids (fixture, gpt5);

  /* By a piece from inside an ID. */
  search (fixture, "4o-mi");
  assert_shown_ids (fixture, mini);

  /* By words of the name in any order. */
  search (fixture, "opus claude");
  assert_shown_ids (fixture, opus);

  /* By section: the image generators. */
  search (fixture, "image generation");
  assert_shown_ids (fixture, images);

  /* Nothing matches: the empty state says so. */
  search (fixture, "xyzzy nonsense");
  g_assert_cmpuint (g_list_model_get_n_items (shown_models (fixture)), ==, 0);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (fixture->stack), ==, "empty");
  empty_page = gtk_stack_get_visible_child (fixture->stack);
  g_assert_true (ADW_IS_STATUS_PAGE (empty_page));
  g_assert_cmpstr (adw_status_page_get_title (ADW_STATUS_PAGE (empty_page)), ==, "No Models Found");
  g_assert_cmpstr (adw_status_page_get_description (ADW_STATUS_PAGE (empty_page)), ==,
                   "Try a different search");
  g_assert_true (gtk_widget_get_mapped (empty_page));

  /* Clearing the search brings everything back. */
  search (fixture, "");
  g_assert_cmpuint (g_list_model_get_n_items (shown_models (fixture)), ==,
                    g_list_model_get_n_items (fixture->models));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (fixture->stack), ==, "list");

  /* Closing forgets the search, so the next opening shows every model. */
  search (fixture, "claude");
  relay_model_picker_popdown (fixture->picker);
  TEST_WAIT_UNTIL (popover_is_hidden (fixture));
  open_popover (fixture);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (fixture->search_entry)), ==, "");
  g_assert_cmpuint (g_list_model_get_n_items (shown_models (fixture)), ==,
                    g_list_model_get_n_items (fixture->models));
}

static GtkWidget *
menu_button_of (RelayModelPicker *picker)
{
  return find_widget (GTK_WIDGET (picker), GTK_TYPE_MENU_BUTTON);
}

static void
assert_title (RelayModelPicker *picker,
              const char       *title,
              const char       *subtitle)
{
  AdwWindowTitle *window_title = ADW_WINDOW_TITLE (find_widget (GTK_WIDGET (picker),
                                                                ADW_TYPE_WINDOW_TITLE));
  g_autofree char *label = g_strdup_printf ("Model: %s", title);

  if (relay_model_picker_get_compact (picker))
    {
      /* A row's value: the name alone. */
      g_assert_false (gtk_widget_get_visible (GTK_WIDGET (window_title)));
      g_assert_true (has_visible_label (GTK_WIDGET (picker), title));
    }
  else
    {
      g_assert_cmpstr (adw_window_title_get_title (window_title), ==, title);
      /* AdwWindowTitle hides an empty subtitle. */
      g_assert_cmpstr (adw_window_title_get_subtitle (window_title), ==, subtitle ? subtitle : "");
    }
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (menu_button_of (picker)),
                                       GTK_ACCESSIBLE_PROPERTY_LABEL, label);
}

static gboolean
find_shown_position (Fixture    *fixture,
                     const char *model_id,
                     guint      *position)
{
  GListModel *shown = shown_models (fixture);

  for (guint i = 0; i < g_list_model_get_n_items (shown); i++)
    if (g_str_equal (shown_id (fixture, i), model_id))
      {
        *position = i;
        return TRUE;
      }
  return FALSE;
}

static void
assert_selected (Fixture    *fixture,
                 const char *model_id)
{
  g_assert_cmpstr (relay_model_picker_get_selected_model_id (fixture->picker), ==, model_id);
}

static void
test_activate_selects (Fixture       *fixture,
                       gconstpointer  data)
{
  RelayModelPickerRow *row;
  guint position;

  assert_title (fixture->picker, "RouteLLM", "Router");

  open_popover (fixture);
  g_assert_true (find_shown_position (fixture, "claude-4-5-sonnet", &position));
  /* What a click or Enter on the row does. */
  gtk_widget_activate_action (GTK_WIDGET (fixture->list_view), "list.activate-item", "u", position);

  assert_selected (fixture, "claude-4-5-sonnet");
  g_assert_cmpuint (fixture->notifies, ==, 1);
  TEST_WAIT_UNTIL (popover_is_hidden (fixture));
  assert_title (fixture->picker, "Claude 4.5 Sonnet", "Anthropic");

  /* The checkmark has moved. */
  open_popover (fixture);
  gtk_list_view_scroll_to (fixture->list_view, position, GTK_LIST_SCROLL_NONE, NULL);
  settle ();
  row = find_row (fixture, "claude-4-5-sonnet");
  g_assert_nonnull (row);
  g_assert_true (relay_model_picker_row_get_selected (row));
  gtk_list_view_scroll_to (fixture->list_view, 0, GTK_LIST_SCROLL_NONE, NULL);
  settle ();
  row = find_row (fixture, "route-llm");
  g_assert_nonnull (row);
  g_assert_false (relay_model_picker_row_get_selected (row));

  /* Enter in the search picks the best match. */
  search (fixture, "opus");
  g_signal_emit_by_name (fixture->search_entry, "activate");
  assert_selected (fixture, "claude-4-5-opus");
  g_assert_cmpuint (fixture->notifies, ==, 2);
  TEST_WAIT_UNTIL (popover_is_hidden (fixture));
  assert_title (fixture->picker, "Claude 4.5 Opus", "Anthropic");

  /* Enter with nothing typed only closes: it does not switch to the first model. */
  open_popover (fixture);
  g_signal_emit_by_name (fixture->search_entry, "activate");
  TEST_WAIT_UNTIL (popover_is_hidden (fixture));
  assert_selected (fixture, "claude-4-5-opus");

  /* Escape in the search closes without choosing. */
  open_popover (fixture);
  search (fixture, "gemini");
  g_signal_emit_by_name (fixture->search_entry, "stop-search");
  TEST_WAIT_UNTIL (popover_is_hidden (fixture));
  g_assert_cmpuint (fixture->notifies, ==, 2);
}

/* xdotool and import speak to an X server only. */
static gboolean
display_is_x11 (void)
{
  return g_str_equal (G_OBJECT_TYPE_NAME (gdk_display_get_default ()), "GdkX11Display");
}

static gboolean
focus_is_in_list (gpointer data)
{
  Fixture *fixture = data;

  return gtk_widget_get_focus_child (GTK_WIDGET (fixture->list_view)) != NULL &&
         !gtk_widget_has_focus (GTK_WIDGET (fixture->search_entry)) &&
         gtk_widget_is_focus (gtk_widget_get_focus_child (GTK_WIDGET (fixture->list_view)));
}

static gboolean
focus_is_in_search (gpointer data)
{
  Fixture *fixture = data;
  GtkWidget *text = find_widget (GTK_WIDGET (fixture->search_entry), GTK_TYPE_TEXT);

  return text != NULL && gtk_widget_is_focus (text);
}

static gboolean
search_text_is_son (gpointer data)
{
  Fixture *fixture = data;

  return g_str_equal (gtk_editable_get_text (GTK_EDITABLE (fixture->search_entry)), "son");
}

static gboolean
search_text_is_sonn (gpointer data)
{
  Fixture *fixture = data;

  return g_str_equal (gtk_editable_get_text (GTK_EDITABLE (fixture->search_entry)), "sonn");
}

static gboolean
model_is_sonnet (gpointer data)
{
  Fixture *fixture = data;

  return g_strcmp0 (relay_model_picker_get_selected_model_id (fixture->picker),
                    "claude-4-5-sonnet") == 0;
}

static void
send_keys (const char * const *keys)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) argv = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  g_strv_builder_add_many (builder, "xdotool", "key", "--delay", "20", NULL);
  g_strv_builder_addv (builder, (const char **) keys);
  argv = g_strv_builder_end (builder);
  g_spawn_sync (NULL, argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, &status, &error);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
}

/* Real key presses through the X server: the search has the focus when the popover
 * opens, typing searches, Down enters the list, Up at its top goes back, Enter picks. */
static void
test_keyboard (Fixture       *fixture,
               gconstpointer  data)
{
  static const char * const typing[] = { "s", "o", "n", NULL };
  static const char * const down[] = { "Down", NULL };
  static const char * const up[] = { "Up", NULL };
  static const char * const more_typing[] = { "n", NULL };
  static const char * const down_enter[] = { "Down", "Return", NULL };
  g_autofree char *xdotool = g_find_program_in_path ("xdotool");

  if (xdotool == NULL || !display_is_x11 ())
    {
      g_test_skip ("needs xdotool and an X display");
      return;
    }

  open_popover (fixture);
  TEST_WAIT_UNTIL (focus_is_in_search (fixture));

  send_keys (typing);
  TEST_WAIT_UNTIL (search_text_is_son (fixture));
  g_assert_cmpstr (shown_id (fixture, 0), ==, "claude-4-5-sonnet");

  send_keys (down);
  TEST_WAIT_UNTIL (focus_is_in_list (fixture));
  send_keys (up);
  TEST_WAIT_UNTIL (focus_is_in_search (fixture));

  /* Typing while the list has the focus goes on with the search. */
  send_keys (down);
  TEST_WAIT_UNTIL (focus_is_in_list (fixture));
  send_keys (more_typing);
  TEST_WAIT_UNTIL (search_text_is_sonn (fixture));
  TEST_WAIT_UNTIL (focus_is_in_search (fixture));

  send_keys (down_enter);
  TEST_WAIT_UNTIL (model_is_sonnet (fixture));
  TEST_WAIT_UNTIL (popover_is_hidden (fixture));
}

static gboolean
label_has_dollar (GtkWidget *widget)
{
  g_autoptr(GPtrArray) texts = g_ptr_array_new ();

  collect_visible_labels (widget, texts);
  for (guint i = 0; i < texts->len; i++)
    if (strchr (g_ptr_array_index (texts, i), '$') != NULL)
      return TRUE;
  return FALSE;
}

static void
test_prices (Fixture       *fixture,
             gconstpointer  data)
{
  RelayModelPickerRow *row;
  g_autoptr(RelayModelInfo) cheap = relay_model_info_new ("cheap");
  g_autoptr(RelayModelInfo) half = relay_model_info_new ("half");
  g_autofree char *text = NULL;

  open_popover (fixture);

  /* Known unit: dollars per million tokens, in and out. */
  search (fixture, "acme");
  row = find_row (fixture, "acme-large");
  g_assert_nonnull (row);
  g_assert_true (has_visible_label (GTK_WIDGET (row), "$3.00 / $15.00 per 1M tokens"));
  /* A screen reader hears the row's name, then the rest. */
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (gtk_widget_get_parent (GTK_WIDGET (row))),
                                       GTK_ACCESSIBLE_PROPERTY_LABEL, "acme-large");
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (gtk_widget_get_parent (GTK_WIDGET (row))),
                                       GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                       "$3.00 / $15.00 per 1M tokens");

  /* Unknown unit: no dollars anywhere in the row. */
  search (fixture, "mystery");
  row = find_row (fixture, "mystery-7b");
  g_assert_nonnull (row);
  g_assert_false (label_has_dollar (GTK_WIDGET (row)));
  g_assert_cmpfloat (relay_model_info_get_input_price (relay_model_picker_row_get_model (row)),
                     ==, 2.5);

  /* No price at all: nothing either. */
  search (fixture, "claude-4-5-sonnet");
  row = find_row (fixture, "claude-4-5-sonnet");
  g_assert_nonnull (row);
  g_assert_false (label_has_dollar (GTK_WIDGET (row)));

  /* Small prices keep their digits; one known side alone says which it is. */
  relay_model_info_set_prices (cheap, 0.075, 0.3, RELAY_PRICE_UNIT_USD_PER_MILLION_TOKENS);
  text = relay_model_picker_row_format_price (cheap);
  g_assert_cmpstr (text, ==, "$0.075 / $0.30 per 1M tokens");
  g_clear_pointer (&text, g_free);
  relay_model_info_set_prices (half, NAN, 0.0000125, RELAY_PRICE_UNIT_USD_PER_TOKEN);
  text = relay_model_picker_row_format_price (half);
  g_assert_cmpstr (text, ==, "$12.50 per 1M output tokens");
  g_clear_pointer (&text, g_free);
  relay_model_info_set_prices (half, 1, 2, RELAY_PRICE_UNIT_UNKNOWN);
  g_assert_null (relay_model_picker_row_format_price (half));
}

static const char * const badge_labels[] = {
  "Reads images", "Reads PDFs", "Uses tools", "Answers in JSON", "Creates images",
};

/* The accessible labels of the capability icons @row shows, in order. */
static char *
shown_badges (RelayModelPickerRow *row)
{
  g_autoptr(GString) shown = g_string_new (NULL);
  GtkWidget *box = NULL;

  /* The icons sit in the box styled capability-badges. */
  {
    g_autoptr(GPtrArray) stack = g_ptr_array_new ();

    g_ptr_array_add (stack, row);
    while (stack->len > 0 && box == NULL)
      {
        GtkWidget *widget = g_ptr_array_steal_index (stack, stack->len - 1);

        if (gtk_widget_has_css_class (widget, "capability-badges"))
          box = widget;
        for (GtkWidget *child = gtk_widget_get_first_child (widget);
             child != NULL;
             child = gtk_widget_get_next_sibling (child))
          g_ptr_array_add (stack, child);
      }
  }
  g_assert_nonnull (box);
  if (!gtk_widget_get_visible (box))
    return g_strdup ("");

  for (GtkWidget *image = gtk_widget_get_first_child (box);
       image != NULL;
       image = gtk_widget_get_next_sibling (image))
    {
      const char *label = NULL;

      if (!gtk_widget_get_visible (image))
        continue;
      for (guint i = 0; i < G_N_ELEMENTS (badge_labels) && label == NULL; i++)
        {
          g_autofree char *mismatch =
            gtk_test_accessible_check_property (GTK_ACCESSIBLE (image),
                                                GTK_ACCESSIBLE_PROPERTY_LABEL,
                                                badge_labels[i]);
          if (mismatch == NULL)
            label = badge_labels[i];
        }
      g_assert_nonnull (label);
      /* The same words show on hover. */
      g_assert_cmpstr (gtk_widget_get_tooltip_text (image), ==, label);
      if (shown->len > 0)
        g_string_append (shown, ", ");
      g_string_append (shown, label);
    }
  return g_string_free (g_steal_pointer (&shown), FALSE);
}

static void
assert_badges (Fixture    *fixture,
               const char *model_id,
               const char *expected)
{
  RelayModelPickerRow *row;
  g_autofree char *shown = NULL;

  search (fixture, model_id);
  row = find_row (fixture, model_id);
  g_assert_nonnull (row);
  shown = shown_badges (row);
  g_assert_cmpstr (shown, ==, expected);
}

static void
test_badges (Fixture       *fixture,
             gconstpointer  data)
{
  open_popover (fixture);
  assert_badges (fixture, "gpt-5.2",
                 "Reads images, Reads PDFs, Uses tools, Answers in JSON, Creates images");
  assert_badges (fixture, "claude-4-5-sonnet", "Reads images, Reads PDFs, Uses tools");
  assert_badges (fixture, "grok-code-fast-1", "Uses tools");
  assert_badges (fixture, "route-llm", "Reads images, Uses tools, Answers in JSON");
  assert_badges (fixture, "flux-2-pro", "Creates images");
  /* Nothing known: no icons, not a guess. */
  assert_badges (fixture, "mystery-7b", "");
  assert_badges (fixture, "llama-3.1-405B", "");
}

static gboolean
offline_line_shown (Fixture *fixture)
{
  GtkWidget *popover = GTK_WIDGET (fixture->popover);
  g_autoptr(GPtrArray) texts = g_ptr_array_new ();

  collect_visible_labels (popover, texts);
  for (guint i = 0; i < texts->len; i++)
    if (g_str_equal (g_ptr_array_index (texts, i), "Offline — showing the saved list"))
      return TRUE;
  return FALSE;
}

static void
test_offline (Fixture       *fixture,
              gconstpointer  data)
{
  open_popover (fixture);
  g_assert_false (offline_line_shown (fixture));

  relay_model_picker_set_offline (fixture->picker, TRUE);
  settle ();
  g_assert_true (offline_line_shown (fixture));

  relay_model_picker_set_offline (fixture->picker, FALSE);
  settle ();
  g_assert_false (offline_line_shown (fixture));
}

static void
test_unknown_model (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(RelayModelInfo) late = NULL;
  const char *description;

  relay_model_picker_set_selected_model_id (fixture->picker, "gpt-3.5-turbo-0301");
  assert_title (fixture->picker, "gpt-3.5-turbo-0301", NULL);
  assert_selected (fixture, "gpt-3.5-turbo-0301");

  /* Opening the list does not replace it. */
  open_popover (fixture);
  relay_model_picker_popdown (fixture->picker);
  TEST_WAIT_UNTIL (popover_is_hidden (fixture));
  assert_selected (fixture, "gpt-3.5-turbo-0301");

  /* When the list learns of it, its name shows. */
  late = relay_model_info_new ("gpt-3.5-turbo-0301");
  relay_model_info_set_display_name (late, "GPT-3.5 Turbo");
  relay_model_info_set_vendor (late, "OpenAI");
  g_list_store_append (G_LIST_STORE (fixture->models), late);
  assert_title (fixture->picker, "GPT-3.5 Turbo", "OpenAI");

  /* And a rename follows. */
  relay_model_info_set_display_name (late, "GPT-3.5 Turbo (legacy)");
  assert_title (fixture->picker, "GPT-3.5 Turbo (legacy)", "OpenAI");

  /* No list at all: still the ID, and nothing to search for in the empty state. */
  relay_model_picker_set_models (fixture->picker, NULL);
  assert_title (fixture->picker, "gpt-3.5-turbo-0301", NULL);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (fixture->stack), ==, "empty");
  description = adw_status_page_get_description (ADW_STATUS_PAGE (
    gtk_stack_get_visible_child (fixture->stack)));
  g_assert_true (description == NULL || *description == '\0');
}

static void
test_fits_narrow_window (Fixture       *fixture,
                         gconstpointer  data)
{
  open_popover (fixture);
  g_test_message ("window %d, popover %d, content %d", gtk_widget_get_width (fixture->window),
                  gtk_widget_get_width (GTK_WIDGET (fixture->popover)),
                  gtk_widget_get_width (gtk_popover_get_child (fixture->popover)));
  /* The popover, shadow aside, is no wider than the window. */
  g_assert_cmpint (gtk_widget_get_width (gtk_popover_get_child (fixture->popover)), <=,
                   gtk_widget_get_width (fixture->window) - 2 * 12);
  g_assert_cmpint (gtk_widget_get_height (GTK_WIDGET (fixture->list_view)), >, 0);
}

static gboolean
style_is_dark (gpointer data)
{
  return adw_style_manager_get_dark (adw_style_manager_get_default ()) == GPOINTER_TO_INT (data);
}

static void
test_screenshots (Fixture       *fixture,
                  gconstpointer  data)
{
  int width = GPOINTER_TO_INT (data);
  RelayModelPickerRow *row;
  g_autofree char *search_name = NULL;
  g_autofree char *empty_name = NULL;
  const char *suffix = width > 0 ? "-narrow" : "";
  /* Wide: a model down the list, which opens scrolled to it; narrow: the top. */
  const char *selected = width > 0 ? "route-llm" : "claude-4-5-sonnet";

  relay_model_picker_set_selected_model_id (fixture->picker, selected);
  for (guint dark = 0; dark < 2; dark++)
    {
      g_autofree char *popover_name = NULL;
      g_autofree char *screen_name = NULL;

      ui_test_set_dark (dark);
      TEST_WAIT_UNTIL (style_is_dark (GINT_TO_POINTER (dark)));
      relay_model_picker_set_offline (fixture->picker, width > 0);
      open_popover (fixture);
      /* The list opens scrolled to the model in use. */
      row = find_row (fixture, selected);
      g_assert_nonnull (row);
      g_assert_true (relay_model_picker_row_get_selected (row));
      settle ();

      /* The popover is a surface of its own: rendered alone, and with the window under
       * it as the screen shows them. */
      popover_name = g_strdup_printf ("model-picker%s%s", suffix, dark ? "-dark" : "");
      screen_name = g_strdup_printf ("model-picker-window%s%s", suffix, dark ? "-dark" : "");
      ui_test_screenshot (GTK_WIDGET (fixture->popover), popover_name);
      ui_test_screenshot_screen (fixture->window, screen_name);

      relay_model_picker_popdown (fixture->picker);
      TEST_WAIT_UNTIL (popover_is_hidden (fixture));
    }

  /* The search, with prices and the empty state. */
  ui_test_set_dark (FALSE);
  TEST_WAIT_UNTIL (style_is_dark (GINT_TO_POINTER (FALSE)));
  open_popover (fixture);
  search (fixture, "opus");
  search_name = g_strdup_printf ("model-picker-search%s", suffix);
  ui_test_screenshot (GTK_WIDGET (fixture->popover), search_name);
  search (fixture, "xyzzy");
  empty_name = g_strdup_printf ("model-picker-empty%s", suffix);
  ui_test_screenshot (GTK_WIDGET (fixture->popover), empty_name);
}

static void
test_preferences_row (void)
{
  g_autoptr(GSettings) settings = g_settings_new ("io.github.relay_llm.Relay");
  g_autoptr(GListModel) models = make_models ();
  GtkWidget *window = ui_test_window_new (720, 560);
  AdwDialog *dialog;
  RelayModelPicker *picker;
  g_autofree char *saved = NULL;

  g_settings_set_string (settings, "default-model", "gemini-3-pro");
  dialog = relay_preferences_dialog_new (settings);
  g_object_set (dialog, "models", models, NULL);
  ui_test_present (window);
  adw_dialog_present (dialog, window);
  ui_test_wait_for_frames (window);

  picker = RELAY_MODEL_PICKER (find_widget (GTK_WIDGET (dialog), RELAY_TYPE_MODEL_PICKER));
  g_assert_nonnull (picker);
  g_assert_true (relay_model_picker_get_models (picker) == models);
  g_assert_cmpstr (relay_model_picker_get_selected_model_id (picker), ==, "gemini-3-pro");
  g_assert_true (relay_model_picker_get_compact (picker));
  assert_title (picker, "Gemini 3 Pro", NULL);
  g_assert_true (has_visible_label (GTK_WIDGET (dialog), "Model for New Chats"));

  /* Choosing in the dialog changes the setting, and the other way round. */
  relay_model_picker_set_selected_model_id (picker, "grok-4");
  saved = g_settings_get_string (settings, "default-model");
  g_assert_cmpstr (saved, ==, "grok-4");
  g_settings_set_string (settings, "default-model", "o3");
  g_assert_cmpstr (relay_model_picker_get_selected_model_id (picker), ==, "o3");

  ui_test_screenshot (window, "preferences-models");

  adw_dialog_force_close (dialog);
  gtk_window_destroy (GTK_WINDOW (window));
  settle ();
}

static void
test_row_alone (void)
{
  RelayModelPickerRow *row = RELAY_MODEL_PICKER_ROW (relay_model_picker_row_new ());
  g_autoptr(RelayModelInfo) info = relay_model_info_lookup_bundled ("o3");
  g_autofree char *badges = NULL;
  g_autofree char *summary = NULL;

  g_object_ref_sink (row);
  relay_model_picker_row_set_model (row, info);
  /* The ID is not repeated under a name that is the ID. */
  g_assert_true (has_visible_label (GTK_WIDGET (row), "o3"));
  {
    g_autoptr(GPtrArray) texts = g_ptr_array_new ();

    collect_visible_labels (GTK_WIDGET (row), texts);
    g_assert_cmpuint (texts->len, ==, 1);
  }
  badges = shown_badges (row);
  g_assert_cmpstr (badges, ==, "Reads images, Reads PDFs, Uses tools, Answers in JSON");

  g_clear_object (&info);
  info = relay_model_info_lookup_bundled ("route-llm");
  relay_model_picker_row_set_model (row, info);
  summary = relay_model_picker_row_dup_summary (row);
  g_assert_cmpstr (summary, ==, "Recommended, Reads images, Uses tools, Answers in JSON");

  relay_model_picker_row_set_model (row, NULL);
  g_assert_finalize_object (row);
}

int
main (int   argc,
      char *argv[])
{
  ui_test_init (&argc, &argv);
  g_resources_register (relay_get_resource ());
  /* What AdwApplication does for the app from its resource path: Relay's own icons. */
  gtk_icon_theme_add_resource_path (gtk_icon_theme_get_for_display (gdk_display_get_default ()),
                                    RESOURCE_PATH "/icons");

#define ADD(path, func, data) \
  g_test_add ("/ui/model-picker/" path, Fixture, data, fixture_set_up, func, fixture_tear_down)

  ADD ("router-first-and-recommended", test_router_first_and_recommended, NULL);
  ADD ("sections-in-order", test_sections_in_order, NULL);
  ADD ("search", test_search, NULL);
  ADD ("activate-selects", test_activate_selects, NULL);
  ADD ("keyboard", test_keyboard, NULL);
  ADD ("prices", test_prices, NULL);
  ADD ("badges", test_badges, NULL);
  ADD ("offline", test_offline, NULL);
  ADD ("unknown-model", test_unknown_model, NULL);
  ADD ("fits-narrow-window", test_fits_narrow_window, GINT_TO_POINTER (360));
  ADD ("screenshots", test_screenshots, NULL);
  ADD ("screenshots-narrow", test_screenshots, GINT_TO_POINTER (360));
  g_test_add_func ("/ui/model-picker/row-alone", test_row_alone);
  g_test_add_func ("/ui/model-picker/preferences-row", test_preferences_row);

  return g_test_run ();
}
