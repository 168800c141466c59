/* relay-chat-settings-dialog.c
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "relay-chat-settings-dialog"

#include "config.h"

#include "relay-chat-settings-dialog.h"
#include "relay-chat-settings-editor.h"

/**
 * RelayChatSettingsDialog:
 *
 * The settings of one conversation. Changes apply at once: they are the conversation's
 * own #RelayChatSettings, which the conversation saves as they change (a conversation
 * not stored yet saves them with its first message).
 *
 * A conversation reads its stored settings when it is loaded; until then its settings
 * are the defaults, and saving an edit of those would overwrite what is stored. So a
 * conversation not loaded yet is loaded first, and the page can be edited once it is.
 */
struct _RelayChatSettingsDialog
{
  AdwPreferencesDialog     parent_instance;

  RelayConversation       *conversation;
  GCancellable            *cancellable;

  RelayChatSettingsEditor *editor;
};

enum {
  PROP_0,
  PROP_CONVERSATION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (RelayChatSettingsDialog, relay_chat_settings_dialog, ADW_TYPE_PREFERENCES_DIALOG)

AdwDialog *
relay_chat_settings_dialog_new (RelayConversation *conversation)
{
  g_return_val_if_fail (RELAY_IS_CONVERSATION (conversation), NULL);

  return g_object_new (RELAY_TYPE_CHAT_SETTINGS_DIALOG,
                       "conversation", conversation,
                       NULL);
}

RelayConversation *
relay_chat_settings_dialog_get_conversation (RelayChatSettingsDialog *self)
{
  g_return_val_if_fail (RELAY_IS_CHAT_SETTINGS_DIALOG (self), NULL);
  return self->conversation;
}

static void
load_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(RelayChatSettingsDialog) self = user_data;
  RelayConversation *conversation = RELAY_CONVERSATION (object);
  g_autoptr(GError) error = NULL;

  if (!relay_conversation_load_finish (conversation, result, &error))
    {
      /* Left uneditable: editing the defaults would overwrite the stored settings. */
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("Could not read the chat's settings: %s", error->message);
      return;
    }
  relay_chat_settings_editor_set_settings (self->editor, relay_conversation_get_settings (conversation));
}

static void
relay_chat_settings_dialog_constructed (GObject *object)
{
  RelayChatSettingsDialog *self = RELAY_CHAT_SETTINGS_DIALOG (object);

  G_OBJECT_CLASS (relay_chat_settings_dialog_parent_class)->constructed (object);

  if (self->conversation == NULL)
    return;
  if (relay_conversation_get_loaded (self->conversation) ||
      relay_conversation_get_store (self->conversation) == NULL)
    {
      relay_chat_settings_editor_set_settings (self->editor,
                                               relay_conversation_get_settings (self->conversation));
      return;
    }
  self->cancellable = g_cancellable_new ();
  relay_conversation_load_async (self->conversation, self->cancellable, load_cb, g_object_ref (self));
}

static void
relay_chat_settings_dialog_dispose (GObject *object)
{
  RelayChatSettingsDialog *self = RELAY_CHAT_SETTINGS_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), RELAY_TYPE_CHAT_SETTINGS_DIALOG);
  g_clear_object (&self->conversation);

  G_OBJECT_CLASS (relay_chat_settings_dialog_parent_class)->dispose (object);
}

static void
relay_chat_settings_dialog_get_property (GObject    *object,
                                         guint       prop_id,
                                         GValue     *value,
                                         GParamSpec *pspec)
{
  RelayChatSettingsDialog *self = RELAY_CHAT_SETTINGS_DIALOG (object);

  switch (prop_id)
    {
    case PROP_CONVERSATION:
      g_value_set_object (value, self->conversation);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
relay_chat_settings_dialog_set_property (GObject      *object,
                                         guint         prop_id,
                                         const GValue *value,
                                         GParamSpec   *pspec)
{
  RelayChatSettingsDialog *self = RELAY_CHAT_SETTINGS_DIALOG (object);

  switch (prop_id)
    {
    case PROP_CONVERSATION:
      self->conversation = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
relay_chat_settings_dialog_class_init (RelayChatSettingsDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = relay_chat_settings_dialog_constructed;
  object_class->dispose = relay_chat_settings_dialog_dispose;
  object_class->get_property = relay_chat_settings_dialog_get_property;
  object_class->set_property = relay_chat_settings_dialog_set_property;

  /**
   * RelayChatSettingsDialog:conversation:
   *
   * The conversation whose settings are edited.
   */
  properties[PROP_CONVERSATION] =
    g_param_spec_object ("conversation", NULL, NULL,
                         RELAY_TYPE_CONVERSATION,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (RELAY_TYPE_CHAT_SETTINGS_EDITOR);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PATH "/relay-chat-settings-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, RelayChatSettingsDialog, editor);
}

static void
relay_chat_settings_dialog_init (RelayChatSettingsDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
