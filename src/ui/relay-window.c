/* relay-window.c
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "relay-window"

#include "config.h"

#include <glib/gi18n.h>

#include "relay-composer.h"
#include "relay-welcome-page.h"
#include "relay-window.h"

struct _RelayWindow
{
  AdwApplicationWindow    parent_instance;

  AdwToastOverlay        *toast_overlay;
  GtkStack               *main_stack;
  RelayWelcomePage       *welcome_page;
  AdwNavigationSplitView *split_view;
  AdwNavigationPage      *content_page;
  GtkStack               *sidebar_stack;
  GtkSearchEntry         *search_entry;
  AdwBanner              *offline_banner;
  GtkStack               *chat_stack;
  RelayComposer          *composer;
};

G_DEFINE_FINAL_TYPE (RelayWindow, relay_window, ADW_TYPE_APPLICATION_WINDOW)

RelayWindow *
relay_window_new (RelayApplication *application)
{
  return g_object_new (RELAY_TYPE_WINDOW,
                       "application", application,
                       NULL);
}

static const char *example_prompts[] = {
  N_("Explain how a hash map works"),
  N_("Write a haiku about the sea"),
  N_("Plan a weekend in Lisbon"),
};

static void
relay_window_example_prompt_action (GtkWidget  *widget,
                                    const char *action_name,
                                    GVariant   *parameter)
{
  RelayWindow *self = RELAY_WINDOW (widget);
  int index = g_variant_get_int32 (parameter);

  if (index < 0 || index >= (int) G_N_ELEMENTS (example_prompts))
    return;

  relay_composer_set_text (self->composer, _(example_prompts[index]));
  relay_composer_focus (self->composer);
}

static void
relay_window_bind_settings (RelayWindow *self)
{
  GSettings *settings = relay_application_get_settings (RELAY_APPLICATION_DEFAULT);

  g_settings_bind (settings, "window-width", self, "default-width", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "window-height", self, "default-height", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "window-maximized", self, "maximized", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "send-with-enter", self->composer, "send-with-enter", G_SETTINGS_BIND_GET);
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

  g_type_ensure (RELAY_TYPE_COMPOSER);
  g_type_ensure (RELAY_TYPE_WELCOME_PAGE);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/relay-window.ui");
  gtk_widget_class_bind_template_child (widget_class, RelayWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, RelayWindow, main_stack);
  gtk_widget_class_bind_template_child (widget_class, RelayWindow, welcome_page);
  gtk_widget_class_bind_template_child (widget_class, RelayWindow, split_view);
  gtk_widget_class_bind_template_child (widget_class, RelayWindow, content_page);
  gtk_widget_class_bind_template_child (widget_class, RelayWindow, sidebar_stack);
  gtk_widget_class_bind_template_child (widget_class, RelayWindow, search_entry);
  gtk_widget_class_bind_template_child (widget_class, RelayWindow, offline_banner);
  gtk_widget_class_bind_template_child (widget_class, RelayWindow, chat_stack);
  gtk_widget_class_bind_template_child (widget_class, RelayWindow, composer);

  gtk_widget_class_install_action (widget_class, "win.example-prompt", "i",
                                   relay_window_example_prompt_action);
}

static void
relay_window_init (RelayWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
