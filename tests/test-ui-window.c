/* test-ui-window.c: the real main window opens, maps, adapts to narrow widths.
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>

#include "relay-application.h"
#include "relay-window.h"

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

static gboolean
window_is_mapped (gpointer data)
{
  GtkApplication *app = data;
  GtkWindow *window = gtk_application_get_active_window (app);

  return window != NULL && gtk_widget_get_mapped (GTK_WIDGET (window));
}

static RelayApplication *the_app;

/* One application per test program (its D-Bus object lives as long as the connection);
 * each test opens its own window on it. */
static RelayApplication *
start_app (void)
{
  if (the_app == NULL)
    {
      g_autoptr(GError) error = NULL;

      the_app = relay_application_new ();
      /* Parallel tests must not find each other on the session bus. */
      g_application_set_flags (G_APPLICATION (the_app), G_APPLICATION_NON_UNIQUE);
      g_application_register (G_APPLICATION (the_app), NULL, &error);
      g_assert_no_error (error);
    }
  g_application_activate (G_APPLICATION (the_app));
  g_assert_true (wait_for (window_is_mapped, the_app));
  return the_app;
}

static void
stop_app (RelayApplication *app)
{
  GList *windows = gtk_application_get_windows (GTK_APPLICATION (app));

  while (windows != NULL)
    {
      gtk_window_destroy (windows->data);
      windows = gtk_application_get_windows (GTK_APPLICATION (app));
    }
}

static void
test_window_maps_with_title (void)
{
  RelayApplication *app = start_app ();
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));

  g_assert_true (RELAY_IS_WINDOW (window));
  g_assert_cmpstr (gtk_window_get_title (window), ==, "Relay");
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (window)));
  stop_app (app);
}

static gboolean
action_exists (GActionGroup *group, const char *name)
{
  return g_action_group_has_action (group, name) &&
         g_action_group_get_action_enabled (group, name);
}

static void
test_app_actions_and_shortcuts (void)
{
  RelayApplication *app = start_app ();
  GtkApplication *gtk_app = GTK_APPLICATION (app);
  static const struct { const char *action; const char *accel; } expected[] = {
    { "app.quit", "<Control>q" },
    { "app.new-window", "<Shift><Control>n" },
    { "app.preferences", "<Control>comma" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      g_auto(GStrv) accels = gtk_application_get_accels_for_action (gtk_app, expected[i].action);

      g_assert_true (action_exists (G_ACTION_GROUP (app), expected[i].action + 4));
      g_assert_nonnull (accels);
      g_assert_cmpstr (accels[0], ==, expected[i].accel);
    }
  g_assert_true (action_exists (G_ACTION_GROUP (app), "about"));

  /* The shortcuts window comes from gtk/help-overlay.ui in the resources. */
  g_assert_true (action_exists (G_ACTION_GROUP (gtk_application_get_active_window (gtk_app)),
                                "show-help-overlay"));

  /* New window opens a second window. */
  g_action_group_activate_action (G_ACTION_GROUP (app), "new-window", NULL);
  g_assert_cmpuint (g_list_length (gtk_application_get_windows (gtk_app)), ==, 2);
  stop_app (app);
}

static gboolean
split_view_collapsed (gpointer data)
{
  AdwNavigationSplitView *view = data;

  return adw_navigation_split_view_get_collapsed (view);
}

static gboolean
split_view_expanded (gpointer data)
{
  return !split_view_collapsed (data);
}

static AdwNavigationSplitView *
find_split_view (GtkWidget *widget)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      AdwNavigationSplitView *found;

      if (ADW_IS_NAVIGATION_SPLIT_VIEW (child))
        return ADW_NAVIGATION_SPLIT_VIEW (child);
      if ((found = find_split_view (child)))
        return found;
    }
  return NULL;
}

static void
test_window_collapses_when_narrow (void)
{
  RelayApplication *app = start_app ();
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));
  AdwNavigationSplitView *split_view = find_split_view (GTK_WIDGET (window));

  g_assert_nonnull (split_view);
  gtk_window_set_default_size (window, 1000, 700);
  g_assert_true (wait_for (split_view_expanded, split_view));
  gtk_window_set_default_size (window, 360, 700);
  g_assert_true (wait_for (split_view_collapsed, split_view));
  gtk_window_set_default_size (window, 1000, 700);
  g_assert_true (wait_for (split_view_expanded, split_view));
  stop_app (app);
}

static void
test_window_size_is_remembered (void)
{
  RelayApplication *app = start_app ();
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));
  GSettings *settings = relay_application_get_settings (app);

  gtk_window_set_default_size (window, 812, 604);
  g_assert_cmpint (g_settings_get_int (settings, "window-width"), ==, 812);
  g_assert_cmpint (g_settings_get_int (settings, "window-height"), ==, 604);
  stop_app (app);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *home = g_dir_make_tmp ("relay-test-ui-window-XXXXXX", NULL);
  g_autofree char *data = g_build_filename (home, "data", NULL);
  g_autofree char *cache = g_build_filename (home, "cache", NULL);

  /* This test's history and model cache are its own. */
  g_setenv ("XDG_DATA_HOME", data, TRUE);
  g_setenv ("XDG_CACHE_HOME", cache, TRUE);
  gtk_test_init (&argc, &argv, NULL);

  g_test_add_func ("/ui/window/maps-with-title", test_window_maps_with_title);
  g_test_add_func ("/ui/window/actions-and-shortcuts", test_app_actions_and_shortcuts);
  g_test_add_func ("/ui/window/collapses-when-narrow", test_window_collapses_when_narrow);
  g_test_add_func ("/ui/window/size-is-remembered", test_window_size_is_remembered);

  return g_test_run ();
}
