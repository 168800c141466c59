/* relay-window.c
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "relay-window"

#include "config.h"

#include <glib/gi18n.h>

#include "relay-window.h"

struct _RelayWindow
{
  AdwApplicationWindow  parent_instance;

  AdwNavigationSplitView *split_view;
  AdwToastOverlay        *toast_overlay;
};

G_DEFINE_FINAL_TYPE (RelayWindow, relay_window, ADW_TYPE_APPLICATION_WINDOW)

RelayWindow *
relay_window_new (RelayApplication *application)
{
  return g_object_new (RELAY_TYPE_WINDOW,
                       "application", application,
                       NULL);
}

static void
relay_window_bind_settings (RelayWindow *self)
{
  GSettings *settings = relay_application_get_settings (RELAY_APPLICATION_DEFAULT);

  g_settings_bind (settings, "window-width", self, "default-width", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "window-height", self, "default-height", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "window-maximized", self, "maximized", G_SETTINGS_BIND_DEFAULT);
}

static void
relay_window_constructed (GObject *object)
{
  RelayWindow *self = RELAY_WINDOW (object);

  G_OBJECT_CLASS (relay_window_parent_class)->constructed (object);

  if (g_strcmp0 (PROFILE, "development") == 0)
    gtk_widget_add_css_class (GTK_WIDGET (self), "devel");

  if (RELAY_IS_APPLICATION (g_application_get_default ()))
    relay_window_bind_settings (self);
}

static void
relay_window_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), RELAY_TYPE_WINDOW);

  G_OBJECT_CLASS (relay_window_parent_class)->dispose (object);
}

static void
relay_window_class_init (RelayWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = relay_window_constructed;
  object_class->dispose = relay_window_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/relay-window.ui");
  gtk_widget_class_bind_template_child (widget_class, RelayWindow, split_view);
  gtk_widget_class_bind_template_child (widget_class, RelayWindow, toast_overlay);
}

static void
relay_window_init (RelayWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
