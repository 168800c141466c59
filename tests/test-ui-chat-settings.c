/* test-ui-chat-settings.c: the chat settings page edits the settings live, keeps values
 * within the API's ranges, saves a conversation's settings, and keeps the defaults for
 * new chats in GSettings.
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "relay-chat-settings-dialog.h"
#include "relay-chat-settings-editor.h"
#include "relay-preferences-dialog.h"
#include "relay-resources.h"
#include "relay-ui-test-util.h"

static GtkWidget *
child (gpointer    editor,
       const char *name)
{
  GObject *object = gtk_widget_get_template_child (GTK_WIDGET (editor), RELAY_TYPE_CHAT_SETTINGS_EDITOR, name);

  g_assert_nonnull (object);
  return GTK_WIDGET (object);
}

#define SPIN(editor, name) ADW_SPIN_ROW (child (editor, name))

/* Types @text into a spin row and presses Enter. */
static void
type_into (AdwSpinRow *row,
           const char *text)
{
  gtk_editable_set_text (GTK_EDITABLE (row), text);
  adw_spin_row_update (row);
}

static void
collect_entry_rows (GtkWidget *widget,
                    GPtrArray *rows)
{
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      if (ADW_IS_ENTRY_ROW (c))
        g_ptr_array_add (rows, c);
      else
        collect_entry_rows (c, rows);
    }
}

/* The stop sequences' entry rows, top to bottom. */
static GPtrArray *
stop_rows (gpointer editor)
{
  GPtrArray *rows = g_ptr_array_new ();

  collect_entry_rows (child (editor, "stop_group"), rows);
  return rows;
}

static gboolean
is_remove_button (GtkWidget     *widget,
                  gconstpointer  data)
{
  return g_strcmp0 (gtk_widget_get_tooltip_text (widget), "Remove") == 0;
}

static void
test_editor_edits (void)
{
  g_autoptr(RelayChatSettings) settings = relay_chat_settings_new ();
  GtkWidget *window = ui_test_window_new (560, 900);
  RelayChatSettingsEditor *editor = RELAY_CHAT_SETTINGS_EDITOR (relay_chat_settings_editor_new ());
  GtkTextBuffer *prompt;
  g_autoptr(GPtrArray) rows = NULL;
  const char * const *stop;

  adw_window_set_content (ADW_WINDOW (window), GTK_WIDGET (editor));
  ui_test_present (window);

  /* Nothing to edit: nothing can be changed. */
  g_assert_false (gtk_widget_get_sensitive (GTK_WIDGET (editor)));
  relay_chat_settings_editor_set_settings (editor, settings);
  g_assert_true (gtk_widget_get_sensitive (GTK_WIDGET (editor)));

  /* Left to the model, the values read "Default". */
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (SPIN (editor, "temperature_row"))), ==, "Default");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (SPIN (editor, "top_p_row"))), ==, "Default");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (SPIN (editor, "max_tokens_row"))), ==, "Default");

  /* Sampling */
  adw_spin_row_set_value (SPIN (editor, "temperature_row"), 0.7);
  g_assert_cmpfloat (relay_chat_settings_get_temperature (settings), ==, 0.7);
  type_into (SPIN (editor, "temperature_row"), "1,25");
  g_assert_cmpfloat (relay_chat_settings_get_temperature (settings), ==, 1.25);
  type_into (SPIN (editor, "temperature_row"), "9");
  g_assert_cmpfloat (relay_chat_settings_get_temperature (settings), ==, 2);
  type_into (SPIN (editor, "temperature_row"), "-3");
  g_assert_cmpfloat (relay_chat_settings_get_temperature (settings), ==, 0);
  type_into (SPIN (editor, "temperature_row"), "default");
  g_assert_cmpfloat (relay_chat_settings_get_temperature (settings), ==, -1);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (SPIN (editor, "temperature_row"))), ==, "Default");
  type_into (SPIN (editor, "temperature_row"), "warm");
  g_assert_cmpfloat (relay_chat_settings_get_temperature (settings), ==, -1);

  adw_spin_row_set_value (SPIN (editor, "top_p_row"), 5);
  g_assert_cmpfloat (relay_chat_settings_get_top_p (settings), ==, 1);
  type_into (SPIN (editor, "top_p_row"), "0.9");
  g_assert_cmpfloat (relay_chat_settings_get_top_p (settings), ==, 0.9);

  type_into (SPIN (editor, "presence_penalty_row"), "-7");
  g_assert_cmpfloat (relay_chat_settings_get_presence_penalty (settings), ==, -2);
  type_into (SPIN (editor, "frequency_penalty_row"), "1.5");
  g_assert_cmpfloat (relay_chat_settings_get_frequency_penalty (settings), ==, 1.5);
  adw_spin_row_set_value (SPIN (editor, "frequency_penalty_row"), 3);
  g_assert_cmpfloat (relay_chat_settings_get_frequency_penalty (settings), ==, 2);

  /* Replies */
  type_into (SPIN (editor, "max_tokens_row"), "4096");
  g_assert_cmpint (relay_chat_settings_get_max_tokens (settings), ==, 4096);
  type_into (SPIN (editor, "max_tokens_row"), "-20");
  g_assert_cmpint (relay_chat_settings_get_max_tokens (settings), ==, 0);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (SPIN (editor, "max_tokens_row"))), ==, "Default");

  adw_switch_row_set_active (ADW_SWITCH_ROW (child (editor, "json_mode_row")), TRUE);
  g_assert_true (relay_chat_settings_get_json_mode (settings));

  prompt = gtk_text_view_get_buffer (GTK_TEXT_VIEW (child (editor, "system_prompt_view")));
  gtk_text_buffer_set_text (prompt, "Answer in French.\nBe brief.", -1);
  g_assert_cmpstr (relay_chat_settings_get_system_prompt (settings), ==, "Answer in French.\nBe brief.");
  g_assert_false (gtk_widget_get_visible (child (editor, "system_prompt_placeholder")));

  /* Stop sequences: at most four, \n for a new line. */
  for (guint i = 0; i < 4; i++)
    {
      g_assert_true (gtk_widget_activate_action (GTK_WIDGET (editor), "chat-settings.add-stop", NULL));
      g_clear_pointer (&rows, g_ptr_array_unref);
      rows = stop_rows (editor);
      g_assert_cmpuint (rows->len, ==, i + 1);
    }
  gtk_editable_set_text (g_ptr_array_index (rows, 0), "User:");
  gtk_editable_set_text (g_ptr_array_index (rows, 2), "\\n\\nEND");
  stop = relay_chat_settings_get_stop (settings);
  g_assert_nonnull (stop);
  g_assert_cmpstr (stop[0], ==, "User:");
  g_assert_cmpstr (stop[1], ==, "\n\nEND");
  g_assert_null (stop[2]);
  g_assert_false (gtk_widget_get_sensitive (child (editor, "add_stop_row")));
  gtk_widget_activate_action (GTK_WIDGET (editor), "chat-settings.add-stop", NULL);
  g_clear_pointer (&rows, g_ptr_array_unref);
  rows = stop_rows (editor);
  g_assert_cmpuint (rows->len, ==, 4);
  g_assert_nonnull (strstr (adw_preferences_group_get_description (ADW_PREFERENCES_GROUP (child (editor, "stop_group"))),
                            "no more than 4"));

  /* Removing one makes room again. */
  g_signal_emit_by_name (ui_test_find (g_ptr_array_index (rows, 0), GTK_TYPE_BUTTON, is_remove_button, NULL),
                         "clicked");
  stop = relay_chat_settings_get_stop (settings);
  g_assert_cmpstr (stop[0], ==, "\n\nEND");
  g_assert_null (stop[1]);
  g_assert_true (gtk_widget_get_sensitive (child (editor, "add_stop_row")));

  /* Changes made elsewhere show. */
  relay_chat_settings_set_temperature (settings, 0.3);
  g_assert_cmpfloat (adw_spin_row_get_value (SPIN (editor, "temperature_row")), ==, 0.3);
  relay_chat_settings_set_stop (settings, (const char *[]) { "A", "B", NULL });
  g_clear_pointer (&rows, g_ptr_array_unref);
  rows = stop_rows (editor);
  g_assert_cmpuint (rows->len, ==, 2);
  g_assert_cmpstr (gtk_editable_get_text (g_ptr_array_index (rows, 1)), ==, "B");
  relay_chat_settings_set_system_prompt (settings, NULL);
  g_assert_true (gtk_widget_get_visible (child (editor, "system_prompt_placeholder")));

  /* Reset to Defaults */
  g_assert_false (relay_chat_settings_is_default (settings));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (editor), "chat-settings.reset", NULL));
  g_assert_true (relay_chat_settings_is_default (settings));
  g_clear_pointer (&rows, g_ptr_array_unref);
  rows = stop_rows (editor);
  g_assert_cmpuint (rows->len, ==, 0);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (SPIN (editor, "temperature_row"))), ==, "Default");
  g_assert_false (gtk_widget_get_sensitive (child (editor, "reset_row")));

  gtk_window_destroy (GTK_WINDOW (window));
}

typedef struct
{
  char       *dir;
  char       *path;
  RelayStore *store;
} Fixture;

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
  if (fixture->store != NULL)
    test_close_store (g_steal_pointer (&fixture->store));
  test_remove_tree (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->path);
}

static void
test_dialog_persists (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(RelayConversationList) list = relay_conversation_list_new (fixture->store);
  g_autoptr(RelayConversation) conversation = relay_conversation_list_create (list);
  g_autoptr(RelayMessage) message = relay_message_new (RELAY_ROLE_USER, "Hello");
  g_autoptr(RelayConversationList) reloaded = NULL;
  GtkWidget *window = ui_test_window_new (800, 900);
  AdwDialog *dialog;
  GtkWidget *editor;
  RelayConversation *again;
  RelayChatSettings *settings;
  const char * const *stop;
  gint64 id;

  test_append (conversation, message);
  test_flush (fixture->store);
  id = relay_conversation_get_id (conversation);
  g_assert_cmpint (id, >, 0);

  adw_window_set_content (ADW_WINDOW (window), adw_status_page_new ());
  ui_test_present (window);
  dialog = relay_chat_settings_dialog_new (conversation);
  g_assert_cmpstr (adw_dialog_get_title (dialog), ==, "Chat Settings");
  adw_dialog_present (dialog, window);
  ui_test_wait_for_frames (window);
  editor = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (dialog), RELAY_TYPE_CHAT_SETTINGS_DIALOG, "editor"));
  g_assert_true (relay_chat_settings_editor_get_settings (RELAY_CHAT_SETTINGS_EDITOR (editor)) ==
                 relay_conversation_get_settings (conversation));

  gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (child (editor, "system_prompt_view"))),
                            "You are a pirate.", -1);
  type_into (SPIN (editor, "temperature_row"), "0.4");
  type_into (SPIN (editor, "max_tokens_row"), "512");
  adw_switch_row_set_active (ADW_SWITCH_ROW (child (editor, "json_mode_row")), TRUE);
  gtk_widget_activate_action (editor, "chat-settings.add-stop", NULL);
  {
    g_autoptr(GPtrArray) rows = stop_rows (RELAY_CHAT_SETTINGS_EDITOR (editor));

    gtk_editable_set_text (g_ptr_array_index (rows, 0), "Arr!");
  }
  adw_dialog_close (dialog);
  TEST_WAIT_UNTIL (adw_window_get_visible_dialog (ADW_WINDOW (window)) == NULL);
  gtk_window_destroy (GTK_WINDOW (window));

  /* After a restart */
  test_flush (fixture->store);
  g_clear_object (&conversation);
  g_clear_object (&list);
  test_close_store (g_steal_pointer (&fixture->store));
  fixture->store = test_open_store (fixture->path);
  reloaded = test_load_list (fixture->store);
  again = relay_conversation_list_lookup (reloaded, id);
  g_assert_nonnull (again);

  /* The dialog reads the stored settings of a chat not opened yet before it lets them
   * be edited. */
  window = ui_test_window_new (800, 900);
  adw_window_set_content (ADW_WINDOW (window), adw_status_page_new ());
  ui_test_present (window);
  g_assert_false (relay_conversation_get_loaded (again));
  dialog = relay_chat_settings_dialog_new (again);
  adw_dialog_present (dialog, window);
  editor = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (dialog), RELAY_TYPE_CHAT_SETTINGS_DIALOG, "editor"));
  TEST_WAIT_UNTIL (gtk_widget_get_sensitive (editor));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (SPIN (editor, "temperature_row"))), ==, "0.40");

  settings = relay_conversation_get_settings (again);
  g_assert_cmpstr (relay_chat_settings_get_system_prompt (settings), ==, "You are a pirate.");
  g_assert_cmpfloat (relay_chat_settings_get_temperature (settings), ==, 0.4);
  g_assert_cmpfloat (relay_chat_settings_get_top_p (settings), ==, -1);
  g_assert_cmpint (relay_chat_settings_get_max_tokens (settings), ==, 512);
  g_assert_true (relay_chat_settings_get_json_mode (settings));
  stop = relay_chat_settings_get_stop (settings);
  g_assert_cmpstr (stop[0], ==, "Arr!");
  g_assert_null (stop[1]);

  /* Reset to Defaults is saved too. */
  gtk_widget_activate_action (editor, "chat-settings.reset", NULL);
  adw_dialog_close (dialog);
  gtk_window_destroy (GTK_WINDOW (window));
  test_flush (fixture->store);
  g_clear_object (&reloaded);
  test_close_store (g_steal_pointer (&fixture->store));
  fixture->store = test_open_store (fixture->path);
  reloaded = test_load_list (fixture->store);
  again = relay_conversation_list_lookup (reloaded, id);
  test_load (again);
  g_assert_true (relay_chat_settings_is_default (relay_conversation_get_settings (again)));
}

static void
test_preferences_defaults (void)
{
  g_autoptr(GSettings) gsettings = g_settings_new ("io.github.relay_llm.Relay");
  g_autoptr(GSettingsSchema) schema = NULL;
  g_autoptr(RelayChatSettings) stored = NULL;
  g_autofree char *json = NULL;
  GtkWidget *window = ui_test_window_new (800, 900);
  AdwDialog *dialog;
  GtkWidget *editor;
  RelayChatSettings *settings;

  g_object_get (gsettings, "settings-schema", &schema, NULL);
  g_assert_true (g_settings_schema_has_key (schema, "default-chat-settings"));
  g_assert_false (g_settings_schema_has_key (schema, "default-temperature"));
  g_assert_false (g_settings_schema_has_key (schema, "default-system-prompt"));

  adw_window_set_content (ADW_WINDOW (window), adw_status_page_new ());
  ui_test_present (window);
  dialog = relay_preferences_dialog_new (gsettings);
  adw_dialog_present (dialog, window);
  editor = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (dialog), RELAY_TYPE_PREFERENCES_DIALOG, "new_chat_editor"));
  g_assert_nonnull (editor);
  settings = relay_chat_settings_editor_get_settings (RELAY_CHAT_SETTINGS_EDITOR (editor));
  g_assert_true (relay_chat_settings_is_default (settings));

  /* Edits go to GSettings as they are made. */
  type_into (SPIN (editor, "temperature_row"), "0.2");
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (child (editor, "system_prompt_view"))),
                            "Be concise.", -1);
  json = g_settings_get_string (gsettings, "default-chat-settings");
  stored = relay_chat_settings_new_from_json (json, NULL);
  g_assert_nonnull (stored);
  g_assert_cmpfloat (relay_chat_settings_get_temperature (stored), ==, 0.2);
  g_assert_cmpstr (relay_chat_settings_get_system_prompt (stored), ==, "Be concise.");
  adw_dialog_force_close (dialog);

  /* A new dialog reads them back. */
  dialog = relay_preferences_dialog_new (gsettings);
  adw_dialog_present (dialog, window);
  editor = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (dialog), RELAY_TYPE_PREFERENCES_DIALOG, "new_chat_editor"));
  g_assert_cmpfloat (adw_spin_row_get_value (SPIN (editor, "temperature_row")), ==, 0.2);
  settings = relay_chat_settings_editor_get_settings (RELAY_CHAT_SETTINGS_EDITOR (editor));
  g_assert_cmpstr (relay_chat_settings_get_system_prompt (settings), ==, "Be concise.");

  /* So does a change made elsewhere (another window, dconf). */
  g_settings_set_string (gsettings, "default-chat-settings", "{\"top_p\": 0.5}");
  g_assert_cmpfloat (relay_chat_settings_get_top_p (settings), ==, 0.5);
  g_assert_cmpfloat (relay_chat_settings_get_temperature (settings), ==, -1);
  g_assert_null (relay_chat_settings_get_system_prompt (settings));

  /* And a broken value leaves the defaults. */
  g_test_expect_message ("relay-preferences-dialog", G_LOG_LEVEL_WARNING, "Ignoring the default chat settings*");
  g_settings_set_string (gsettings, "default-chat-settings", "not json");
  g_test_assert_expected_messages ();
  g_assert_true (relay_chat_settings_is_default (settings));

  adw_dialog_force_close (dialog);
  gtk_window_destroy (GTK_WINDOW (window));
  g_settings_reset (gsettings, "default-chat-settings");
}

static void
test_screenshots (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(RelayConversationList) list = relay_conversation_list_new (fixture->store);
  g_autoptr(RelayConversation) conversation = relay_conversation_list_create (list);
  g_autoptr(GSettings) gsettings = g_settings_new ("io.github.relay_llm.Relay");
  RelayChatSettings *settings = relay_conversation_get_settings (conversation);
  const struct { int width; gboolean dark; const char *name; } shots[] = {
    { 800, FALSE, "chat-settings-dialog" },
    { 800, TRUE, "chat-settings-dialog-dark" },
    /* The narrowest GNOME window */
    { UI_TEST_FRAME + 360, FALSE, "chat-settings-dialog-360" },
  };

  relay_chat_settings_set_system_prompt (settings, "You are a patient tutor. Explain each step, and ask a question back when the problem is unclear.");
  relay_chat_settings_set_temperature (settings, 0.7);
  relay_chat_settings_set_max_tokens (settings, 2048);
  relay_chat_settings_set_stop (settings, (const char *[]) { "User:", "\n\n\n", NULL });

  for (guint i = 0; i < G_N_ELEMENTS (shots); i++)
    {
      GtkWidget *window = ui_test_window_new (shots[i].width, 900);
      AdwDialog *dialog;

      ui_test_set_dark (shots[i].dark);
      adw_window_set_content (ADW_WINDOW (window), adw_status_page_new ());
      ui_test_present (window);
      dialog = relay_chat_settings_dialog_new (conversation);
      adw_dialog_present (dialog, window);
      ui_test_screenshot (window, shots[i].name);
      if (i == 0)
        {
          /* The end of the page: stop sequences and Reset */
          GtkWidget *editor = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (dialog),
                                                                         RELAY_TYPE_CHAT_SETTINGS_DIALOG,
                                                                         "editor"));
          GtkWidget *scroller = ui_test_find (editor, GTK_TYPE_SCROLLED_WINDOW, NULL, NULL);
          GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scroller));
          g_autofree char *name = g_strconcat (shots[i].name, "-end", NULL);

          gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment));
          ui_test_screenshot (window, name);
        }
      adw_dialog_force_close (dialog);
      gtk_window_destroy (GTK_WINDOW (window));
    }

  ui_test_set_dark (FALSE);
  {
    GtkWidget *window = ui_test_window_new (800, 900);
    AdwDialog *dialog;
    GtkWidget *editor;

    adw_window_set_content (ADW_WINDOW (window), adw_status_page_new ());
    ui_test_present (window);
    dialog = relay_preferences_dialog_new (gsettings);
    editor = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (dialog), RELAY_TYPE_PREFERENCES_DIALOG, "new_chat_editor"));
    adw_preferences_dialog_set_visible_page (ADW_PREFERENCES_DIALOG (dialog), ADW_PREFERENCES_PAGE (editor));
    adw_dialog_present (dialog, window);
    ui_test_screenshot (window, "preferences-new-chats");
    adw_dialog_force_close (dialog);
    gtk_window_destroy (GTK_WINDOW (window));
  }
}

int
main (int   argc,
      char *argv[])
{
  ui_test_init (&argc, &argv);

  g_test_add_func ("/chat-settings/editor", test_editor_edits);
  g_test_add ("/chat-settings/dialog-persists", Fixture, NULL, fixture_setup, test_dialog_persists, fixture_teardown);
  g_test_add_func ("/chat-settings/preferences-defaults", test_preferences_defaults);
  g_test_add ("/chat-settings/screenshots", Fixture, NULL, fixture_setup, test_screenshots, fixture_teardown);

  return g_test_run ();
}
