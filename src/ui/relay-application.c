/* relay-application.c
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "relay-application"

#include "config.h"

#include <glib/gi18n.h>

#include "relay-application.h"
#include "relay-preferences-dialog.h"
#include "relay-window.h"

struct _RelayApplication
{
  AdwApplication  parent_instance;

  GSettings      *settings;
  RelayContext   *context;
};

G_DEFINE_FINAL_TYPE (RelayApplication, relay_application, ADW_TYPE_APPLICATION)

RelayApplication *
relay_application_new (void)
{
  return g_object_new (RELAY_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_DEFAULT_FLAGS,
                       "resource-base-path", RESOURCE_PATH,
                       NULL);
}

/**
 * relay_application_get_settings:
 *
 * Returns: (transfer none): the application's settings
 */
GSettings *
relay_application_get_settings (RelayApplication *self)
{
  g_return_val_if_fail (RELAY_IS_APPLICATION (self), NULL);

  return self->settings;
}

/**
 * relay_application_get_context:
 *
 * Returns: (transfer none): the model layer's root, loading or loaded
 */
RelayContext *
relay_application_get_context (RelayApplication *self)
{
  g_return_val_if_fail (RELAY_IS_APPLICATION (self), NULL);

  return self->context;
}

static void
relay_application_context_loaded_cb (GObject      *object,
                                     GAsyncResult *result,
                                     gpointer      user_data)
{
  g_autoptr(RelayApplication) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!relay_context_load_finish (RELAY_CONTEXT (object), result, &error))
    {
      GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));
      AdwDialog *dialog;

      g_warning ("Could not open the chat history: %s", error->message);
      dialog = adw_alert_dialog_new (_("Chat History Unavailable"), NULL);
      adw_alert_dialog_format_body (ADW_ALERT_DIALOG (dialog),
                                    _("Relay could not open the saved conversations, so "
                                      "nothing will be saved either: %s"),
                                    error->message);
      adw_alert_dialog_add_response (ADW_ALERT_DIALOG (dialog), "close", _("_Close"));
      adw_dialog_present (dialog, GTK_WIDGET (window));
    }
}

static void
relay_application_activate (GApplication *app)
{
  GtkWindow *window;

  window = gtk_application_get_active_window (GTK_APPLICATION (app));
  if (window == NULL)
    window = GTK_WINDOW (relay_window_new (RELAY_APPLICATION (app)));

  gtk_window_present (window);
}

static void
relay_application_quit_action (GSimpleAction *action,
                               GVariant      *parameter,
                               gpointer       user_data)
{
  g_application_quit (G_APPLICATION (user_data));
}

static void
relay_application_new_window_action (GSimpleAction *action,
                                     GVariant      *parameter,
                                     gpointer       user_data)
{
  RelayApplication *self = user_data;

  gtk_window_present (GTK_WINDOW (relay_window_new (self)));
}

static void
relay_application_preferences_action (GSimpleAction *action,
                                      GVariant      *parameter,
                                      gpointer       user_data)
{
  RelayApplication *self = user_data;
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));
  AdwDialog *dialog = relay_preferences_dialog_new (self->settings);

  g_object_set (dialog, "models", relay_context_get_catalog (self->context), NULL);
  adw_dialog_present (dialog, GTK_WIDGET (window));
}

static void
relay_application_about_action (GSimpleAction *action,
                                GVariant      *parameter,
                                gpointer       user_data)
{
  static const char *developers[] = { "The Relay authors", NULL };
  RelayApplication *self = user_data;
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));
  AdwDialog *dialog;

  dialog = adw_about_dialog_new_from_appdata (RESOURCE_PATH "/metainfo.xml", PACKAGE_VERSION);
  adw_about_dialog_set_developers (ADW_ABOUT_DIALOG (dialog), developers);
  /* Translators: Replace "translator-credits" with your name/username, and optionally an email or URL. */
  adw_about_dialog_set_translator_credits (ADW_ABOUT_DIALOG (dialog), _("translator-credits"));
  adw_dialog_present (dialog, GTK_WIDGET (window));
}

static const GActionEntry app_actions[] = {
  { "quit", relay_application_quit_action },
  { "new-window", relay_application_new_window_action },
  { "preferences", relay_application_preferences_action },
  { "about", relay_application_about_action },
};

static void
relay_application_startup (GApplication *app)
{
  RelayApplication *self = RELAY_APPLICATION (app);

  G_APPLICATION_CLASS (relay_application_parent_class)->startup (app);

  g_set_application_name (_("Relay"));
  gtk_window_set_default_icon_name (APP_ID);

  self->settings = g_settings_new ("io.github.relay_llm.Relay");

  /* RELAY_BASE_URL points a session at another server (a fake one, in tests and demos). */
  {
    const char *base_url = g_getenv ("RELAY_BASE_URL");
    g_autofree char *stored = g_settings_get_string (self->settings, "base-url");

    self->context = relay_context_new (base_url && *base_url ? base_url : stored);
    relay_context_load_async (self->context, NULL, NULL,
                              relay_application_context_loaded_cb, g_object_ref (self));
  }

  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions,
                                   G_N_ELEMENTS (app_actions), self);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.quit",
                                         (const char *[]) { "<Control>q", NULL });
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.new-window",
                                         (const char *[]) { "<Control><Shift>n", NULL });
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.preferences",
                                         (const char *[]) { "<Control>comma", NULL });
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "window.close",
                                         (const char *[]) { "<Control>w", NULL });
}

static void
relay_application_flushed_cb (GObject      *object,
                              GAsyncResult *result,
                              gpointer      user_data)
{
  gboolean *done = user_data;
  g_autoptr(GError) error = NULL;

  if (!relay_context_flush_finish (RELAY_CONTEXT (object), result, &error))
    g_warning ("Could not save everything before closing: %s", error->message);
  *done = TRUE;
}

static void
relay_application_shutdown (GApplication *app)
{
  RelayApplication *self = RELAY_APPLICATION (app);

  /* Replies still streaming are kept as they are, and everything queued for the history
   * reaches the disk before the process ends. */
  if (self->context != NULL)
    {
      gboolean done = FALSE;
      gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;

      relay_context_stop_all (self->context);
      relay_context_flush_async (self->context, NULL, relay_application_flushed_cb, &done);
      while (!done && g_get_monotonic_time () < deadline)
        g_main_context_iteration (NULL, TRUE);
    }

  G_APPLICATION_CLASS (relay_application_parent_class)->shutdown (app);
}

static void
relay_application_dispose (GObject *object)
{
  RelayApplication *self = RELAY_APPLICATION (object);

  g_clear_object (&self->context);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (relay_application_parent_class)->dispose (object);
}

static void
relay_application_class_init (RelayApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = relay_application_dispose;

  app_class->activate = relay_application_activate;
  app_class->startup = relay_application_startup;
  app_class->shutdown = relay_application_shutdown;
}

static void
relay_application_init (RelayApplication *self)
{
}
