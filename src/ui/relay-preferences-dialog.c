/* relay-preferences-dialog.c
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "relay-preferences-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "relay-chat-settings-editor.h"
#include "relay-application.h"
#include "relay-model-picker.h"
#include "relay-preferences-dialog.h"

struct _RelayPreferencesDialog
{
  AdwPreferencesDialog  parent_instance;

  GSettings               *settings;
  GListModel              *models;
  RelayChatSettings       *new_chat_settings;
  gboolean                 loading_new_chat_settings;

  AdwSwitchRow            *send_with_enter_row;
  AdwActionRow            *key_row;
  AdwActionRow            *server_row;
  RelayContext            *context;
  RelayModelPicker        *default_model_picker;
  RelayChatSettingsEditor *new_chat_editor;
};

enum {
  PROP_0,
  PROP_SETTINGS,
  PROP_MODELS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (RelayPreferencesDialog, relay_preferences_dialog, ADW_TYPE_PREFERENCES_DIALOG)

AdwDialog *
relay_preferences_dialog_new (GSettings *settings)
{
  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  return g_object_new (RELAY_TYPE_PREFERENCES_DIALOG,
                       "settings", settings,
                       NULL);
}

/* The defaults for new chats are one JSON string in GSettings, read into the object the
 * editor changes, and written back on each change. */
static void
relay_preferences_dialog_load_new_chat_settings (RelayPreferencesDialog *self)
{
  g_autofree char *json = g_settings_get_string (self->settings, "default-chat-settings");
  g_autoptr(RelayChatSettings) stored = NULL;
  g_autoptr(GError) error = NULL;

  if (!(stored = relay_chat_settings_new_from_json (json, &error)))
    {
      g_warning ("Ignoring the default chat settings: %s", error->message);
      stored = relay_chat_settings_new ();
    }

  self->loading_new_chat_settings = TRUE;
  relay_chat_settings_assign (self->new_chat_settings, stored);
  self->loading_new_chat_settings = FALSE;
}

static void
new_chat_settings_notify_cb (RelayPreferencesDialog *self,
                             GParamSpec             *pspec,
                             RelayChatSettings      *settings)
{
  g_autofree char *json = NULL;

  if (self->loading_new_chat_settings)
    return;
  json = relay_chat_settings_to_json (settings);
  g_settings_set_string (self->settings, "default-chat-settings", json);
}

static void
default_chat_settings_changed_cb (RelayPreferencesDialog *self,
                                  const char             *key,
                                  GSettings              *settings)
{
  g_autofree char *stored = g_settings_get_string (settings, key);
  g_autofree char *shown = relay_chat_settings_to_json (self->new_chat_settings);

  /* Our own writes come back here too. */
  if (g_strcmp0 (stored, shown) != 0)
    relay_preferences_dialog_load_new_chat_settings (self);
}

static void
relay_preferences_dialog_update_account (RelayPreferencesDialog *self)
{
  gboolean has_key = self->context != NULL && relay_context_get_has_key (self->context);

  adw_action_row_set_subtitle (self->key_row,
                               has_key ? _("Stored in the keyring") : _("No key is set"));
  adw_action_row_set_subtitle (self->server_row,
                               self->context ? relay_context_get_base_url (self->context) : "");
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "prefs.change-key", self->context != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "prefs.remove-key", has_key);
}

static void
relay_preferences_dialog_change_key_action (GtkWidget  *widget,
                                            const char *action_name,
                                            GVariant   *parameter)
{
  GtkRoot *root = gtk_widget_get_root (widget);

  /* The welcome page is where a key is entered and checked. */
  adw_dialog_close (ADW_DIALOG (widget));
  if (root != NULL)
    gtk_widget_activate_action (GTK_WIDGET (root), "win.change-key", NULL);
}

static void
relay_preferences_dialog_key_removed_cb (GObject      *object,
                                         GAsyncResult *result,
                                         gpointer      user_data)
{
  g_autoptr(RelayPreferencesDialog) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!relay_context_remove_key_finish (RELAY_CONTEXT (object), result, &error))
    adw_preferences_dialog_add_toast (ADW_PREFERENCES_DIALOG (self),
                                      adw_toast_new (error->message));
}

static void
relay_preferences_dialog_remove_response_cb (RelayPreferencesDialog *self,
                                             const char             *response)
{
  if (g_strcmp0 (response, "remove") != 0 || self->context == NULL)
    return;

  relay_context_remove_key_async (self->context, NULL,
                                  relay_preferences_dialog_key_removed_cb, g_object_ref (self));
}

static void
relay_preferences_dialog_remove_key_action (GtkWidget  *widget,
                                            const char *action_name,
                                            GVariant   *parameter)
{
  RelayPreferencesDialog *self = RELAY_PREFERENCES_DIALOG (widget);
  AdwDialog *alert;

  alert = adw_alert_dialog_new (_("Remove the API Key?"),
                                _("Relay will ask for a key before the next message. "
                                  "Your conversations stay."));
  adw_alert_dialog_add_responses (ADW_ALERT_DIALOG (alert),
                                  "cancel", _("_Cancel"),
                                  "remove", _("_Remove"),
                                  NULL);
  adw_alert_dialog_set_response_appearance (ADW_ALERT_DIALOG (alert), "remove",
                                            ADW_RESPONSE_DESTRUCTIVE);
  adw_alert_dialog_set_default_response (ADW_ALERT_DIALOG (alert), "cancel");
  g_signal_connect_object (alert, "response",
                           G_CALLBACK (relay_preferences_dialog_remove_response_cb), self,
                           G_CONNECT_SWAPPED);
  adw_dialog_present (alert, widget);
}

static void
relay_preferences_dialog_constructed (GObject *object)
{
  RelayPreferencesDialog *self = RELAY_PREFERENCES_DIALOG (object);

  G_OBJECT_CLASS (relay_preferences_dialog_parent_class)->constructed (object);

  if (self->settings == NULL)
    self->settings = g_settings_new ("io.github.relay_llm.Relay");

  g_settings_bind (self->settings, "send-with-enter",
                   self->send_with_enter_row, "active",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "default-model",
                   self->default_model_picker, "selected-model-id",
                   G_SETTINGS_BIND_DEFAULT);

  relay_preferences_dialog_load_new_chat_settings (self);
  g_signal_connect_object (self->new_chat_settings, "notify",
                           G_CALLBACK (new_chat_settings_notify_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->settings, "changed::default-chat-settings",
                           G_CALLBACK (default_chat_settings_changed_cb), self, G_CONNECT_SWAPPED);
  relay_chat_settings_editor_set_settings (self->new_chat_editor, self->new_chat_settings);

  if (RELAY_IS_APPLICATION (g_application_get_default ()))
    {
      self->context = g_object_ref (relay_application_get_context (RELAY_APPLICATION_DEFAULT));
      g_signal_connect_object (self->context, "notify::has-key",
                               G_CALLBACK (relay_preferences_dialog_update_account), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (self->context, "notify::base-url",
                               G_CALLBACK (relay_preferences_dialog_update_account), self,
                               G_CONNECT_SWAPPED);
    }
  relay_preferences_dialog_update_account (self);
}

static void
relay_preferences_dialog_dispose (GObject *object)
{
  RelayPreferencesDialog *self = RELAY_PREFERENCES_DIALOG (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), RELAY_TYPE_PREFERENCES_DIALOG);
  if (self->settings != NULL)
    g_signal_handlers_disconnect_by_data (self->settings, self);
  g_clear_object (&self->settings);
  g_clear_object (&self->context);
  g_clear_object (&self->new_chat_settings);
  g_clear_object (&self->models);

  G_OBJECT_CLASS (relay_preferences_dialog_parent_class)->dispose (object);
}

static void
relay_preferences_dialog_get_property (GObject    *object,
                                       guint       prop_id,
                                       GValue     *value,
                                       GParamSpec *pspec)
{
  RelayPreferencesDialog *self = RELAY_PREFERENCES_DIALOG (object);

  switch (prop_id)
    {
    case PROP_MODELS:
      g_value_set_object (value, self->models);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
relay_preferences_dialog_set_property (GObject      *object,
                                       guint         prop_id,
                                       const GValue *value,
                                       GParamSpec   *pspec)
{
  RelayPreferencesDialog *self = RELAY_PREFERENCES_DIALOG (object);

  switch (prop_id)
    {
    case PROP_SETTINGS:
      self->settings = g_value_dup_object (value);
      break;

    case PROP_MODELS:
      if (g_set_object (&self->models, g_value_get_object (value)))
        g_object_notify_by_pspec (object, pspec);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
relay_preferences_dialog_class_init (RelayPreferencesDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = relay_preferences_dialog_constructed;
  object_class->dispose = relay_preferences_dialog_dispose;
  object_class->get_property = relay_preferences_dialog_get_property;
  object_class->set_property = relay_preferences_dialog_set_property;

  properties[PROP_SETTINGS] =
    g_param_spec_object ("settings", NULL, NULL,
                         G_TYPE_SETTINGS,
                         (G_PARAM_WRITABLE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  /* The models to choose the default from: the catalog, a GListModel of RelayModelInfo. */
  properties[PROP_MODELS] =
    g_param_spec_object ("models", NULL, NULL,
                         G_TYPE_LIST_MODEL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (RELAY_TYPE_CHAT_SETTINGS_EDITOR);
  g_type_ensure (RELAY_TYPE_MODEL_PICKER);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PATH "/relay-preferences-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, RelayPreferencesDialog, send_with_enter_row);
  gtk_widget_class_bind_template_child (widget_class, RelayPreferencesDialog, key_row);
  gtk_widget_class_bind_template_child (widget_class, RelayPreferencesDialog, server_row);

  gtk_widget_class_install_action (widget_class, "prefs.change-key", NULL,
                                   relay_preferences_dialog_change_key_action);
  gtk_widget_class_install_action (widget_class, "prefs.remove-key", NULL,
                                   relay_preferences_dialog_remove_key_action);
  gtk_widget_class_bind_template_child (widget_class, RelayPreferencesDialog, new_chat_editor);
  gtk_widget_class_bind_template_child (widget_class, RelayPreferencesDialog, default_model_picker);
}

static void
relay_preferences_dialog_init (RelayPreferencesDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->new_chat_settings = relay_chat_settings_new ();
}
