/* relay-ui-test-util.h: helpers the widget tests share: waiting for frames, finding
 * widgets the way a user sees them, and screenshots.
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "relay-store-test-util.h"

static inline void
ui_test_init (int    *argc,
              char ***argv)
{
  g_autoptr(GtkCssProvider) provider = gtk_css_provider_new ();

  gtk_test_init (argc, argv, NULL);
  adw_init ();
  /* What AdwApplication loads for the app: the widgets' own styles. */
  gtk_css_provider_load_from_resource (provider, RESOURCE_PATH "/style.css");
  gtk_style_context_add_provider_for_display (gdk_display_get_default (),
                                              GTK_STYLE_PROVIDER (provider),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);
}

/* Waits until @widget's window has painted a few times since now, so that what was
 * changed is laid out and drawn. */
static inline void
ui_test_wait_for_frames (GtkWidget *widget)
{
  GdkFrameClock *clock;

  TEST_WAIT_UNTIL (gtk_widget_get_mapped (widget) && gtk_widget_get_frame_clock (widget) != NULL);
  clock = gtk_widget_get_frame_clock (widget);
  for (guint i = 0; i < 3; i++)
    {
      gint64 start = gdk_frame_clock_get_frame_counter (clock);

      gtk_widget_queue_draw (widget);
      TEST_WAIT_UNTIL (gdk_frame_clock_get_frame_counter (clock) > start);
    }
}

/* Windows under Xvfb, with no compositor, get a solid frame this wide in all: a window
 * UI_TEST_FRAME + 360 px wide has 360 px inside. */
#define UI_TEST_FRAME 10

static inline GtkWidget *
ui_test_window_new (int width,
                    int height)
{
  GtkWidget *window = adw_window_new ();

  /* Narrower than libadwaita's 360 px minimum, to show a sidebar as wide as in the
   * split view. */
  gtk_widget_set_size_request (window, MIN (width, 360), -1);
  gtk_window_set_default_size (GTK_WINDOW (window), width, height);
  return window;
}

static inline void
ui_test_present (GtkWidget *window)
{
  gtk_window_present (GTK_WINDOW (window));
  ui_test_wait_for_frames (window);
}

static inline char *
ui_test_screenshot_dir (void)
{
  g_autofree char *dir = g_build_filename (g_test_get_dir (G_TEST_BUILT), "..", "screenshots", NULL);
  char *canonical = g_canonicalize_filename (dir, NULL);

  g_mkdir_with_parents (canonical, 0755);
  return canonical;
}

/* Renders @window as it is on screen into _build/screenshots/NAME.png. */
static inline void
ui_test_screenshot (GtkWidget  *window,
                    const char *name)
{
  g_autofree char *dir = ui_test_screenshot_dir ();
  g_autofree char *file = g_strconcat (name, ".png", NULL);
  g_autofree char *path = g_build_filename (dir, file, NULL);
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  GtkSnapshot *snapshot;
  GskRenderer *renderer;
  int width, height;

  ui_test_wait_for_frames (window);
  width = gtk_widget_get_width (window);
  height = gtk_widget_get_height (window);
  paintable = gtk_widget_paintable_new (window);
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (snapshot);
  g_assert_nonnull (node);
  renderer = gtk_native_get_renderer (GTK_NATIVE (window));
  texture = gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, width, height));
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("Screenshot: %s", path);
}

/* Grabs the screen where @window is, popovers and all (they are windows of their own,
 * which rendering @window leaves out). The window is at the screen's corner: there is no
 * window manager to place it. */
static inline void
ui_test_screenshot_screen (GtkWidget  *window,
                           const char *name)
{
  g_autofree char *dir = ui_test_screenshot_dir ();
  g_autofree char *file = g_strconcat (name, ".png", NULL);
  g_autofree char *path = g_build_filename (dir, file, NULL);
  g_autofree char *geometry = NULL;
  g_autoptr(GError) error = NULL;
  int status = 0;

  ui_test_wait_for_frames (window);
  geometry = g_strdup_printf ("%dx%d+0+0", gtk_widget_get_width (window), gtk_widget_get_height (window));
  g_spawn_sync (NULL, (char *[]) { (char *) "import", (char *) "-window", (char *) "root",
                                   (char *) "-crop", geometry, path, NULL },
                NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                NULL, NULL, NULL, NULL, &status, &error);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  g_test_message ("Screenshot: %s", path);
}

static inline void
ui_test_set_dark (gboolean dark)
{
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                      dark ? ADW_COLOR_SCHEME_FORCE_DARK
                                           : ADW_COLOR_SCHEME_FORCE_LIGHT);
}

/* The first visible descendant of @widget of @type for which @match (if any) holds. */
static inline GtkWidget *
ui_test_find (GtkWidget  *widget,
              GType       type,
              gboolean  (*match) (GtkWidget *, gconstpointer),
              gconstpointer data)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (!gtk_widget_get_visible (child))
        continue;
      if (G_TYPE_CHECK_INSTANCE_TYPE (child, type) && (match == NULL || match (child, data)))
        return child;
      if ((found = ui_test_find (child, type, match, data)))
        return found;
    }
  return NULL;
}

static inline gboolean
ui_test_button_label_is (GtkWidget     *widget,
                         gconstpointer  label)
{
  return g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), label) == 0;
}

static inline gboolean
ui_test_label_text_is (GtkWidget     *widget,
                       gconstpointer  text)
{
  return gtk_widget_get_mapped (widget) && g_strcmp0 (gtk_label_get_text (GTK_LABEL (widget)), text) == 0;
}
