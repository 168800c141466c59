/* relay-preferences-dialog.c
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "relay-preferences-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "relay-model-picker.h"
#include "relay-preferences-dialog.h"

struct _RelayPreferencesDialog
{
  AdwPreferencesDialog  parent_instance;

  GSettings            *settings;
  GListModel           *models;

  AdwSwitchRow         *send_with_enter_row;
  RelayModelPicker     *default_model_picker;
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
}

static void
relay_preferences_dialog_dispose (GObject *object)
{
  RelayPreferencesDialog *self = RELAY_PREFERENCES_DIALOG (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), RELAY_TYPE_PREFERENCES_DIALOG);
  g_clear_object (&self->settings);
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

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PATH "/relay-preferences-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, RelayPreferencesDialog, send_with_enter_row);
  gtk_widget_class_bind_template_child (widget_class, RelayPreferencesDialog, default_model_picker);

  g_type_ensure (RELAY_TYPE_MODEL_PICKER);
}

static void
relay_preferences_dialog_init (RelayPreferencesDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
