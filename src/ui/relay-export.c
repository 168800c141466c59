/* relay-export.c
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "relay-export"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "relay-export.h"
#include "relay-toast.h"

/* Longest file name offered, in characters, before the extension: titles are short
 * already, but a renamed chat may not be. */
#define MAX_NAME_CHARS 80

static const char *
format_extension (RelayExportFormat format)
{
  return format == RELAY_EXPORT_FORMAT_JSON ? ".json" : ".md";
}

/**
 * relay_export_suggest_filename:
 *
 * Returns: (transfer full): the conversation's title made into a file name, with the
 *   extension of @format: no path separators or control characters, never empty
 */
char *
relay_export_suggest_filename (RelayConversation *conversation,
                               RelayExportFormat  format)
{
  const char *title;
  g_autoptr(GString) name = g_string_new (NULL);
  guint n_chars = 0;

  g_return_val_if_fail (RELAY_IS_CONVERSATION (conversation), NULL);

  title = relay_conversation_get_title (conversation);
  for (const char *p = title ? title : ""; *p && n_chars < MAX_NAME_CHARS; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c == '/' || c == '\\' || g_unichar_iscntrl (c))
        c = c == '/' || c == '\\' ? '-' : ' ';
      g_string_append_unichar (name, c);
      n_chars++;
    }
  g_strstrip (name->str);
  g_string_set_size (name, strlen (name->str));
  /* A leading dot would hide the file. */
  while (name->str[0] == '.')
    g_string_erase (name, 0, 1);
  if (name->len == 0)
    g_string_assign (name, _("Chat"));
  g_string_append (name, format_extension (format));
  return g_string_free (g_steal_pointer (&name), FALSE);
}

static void
replace_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!g_file_replace_contents_finish (G_FILE (object), result, NULL, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

/* Takes the reference on @task. */
static void
write_export (GTask *task)
{
  RelayConversation *conversation = g_task_get_source_object (task);
  RelayExportFormat format = GPOINTER_TO_INT (g_task_get_task_data (task));
  GFile *file = g_object_get_data (G_OBJECT (task), "file");
  char *text;
  g_autoptr(GBytes) bytes = NULL;

  if (format == RELAY_EXPORT_FORMAT_JSON)
    text = relay_conversation_export_json (conversation);
  else
    text = relay_conversation_export_markdown (conversation);
  bytes = g_bytes_new_take (text, strlen (text));
  g_file_replace_contents_bytes_async (file, bytes, NULL, FALSE, G_FILE_CREATE_REPLACE_DESTINATION,
                                       g_task_get_cancellable (task), replace_cb, task);
}

static void
load_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!relay_conversation_load_finish (RELAY_CONVERSATION (object), result, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  write_export (g_steal_pointer (&task));
}

/**
 * relay_export_to_file_async:
 * @file: where to write; replaced if it exists
 *
 * Writes @conversation as Markdown or JSON to @file. A conversation listed but never
 * opened is read from the store first, so the file holds every message.
 */
void
relay_export_to_file_async (RelayConversation   *conversation,
                            RelayExportFormat    format,
                            GFile               *file,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (RELAY_IS_CONVERSATION (conversation));
  g_return_if_fail (G_IS_FILE (file));

  task = g_task_new (conversation, cancellable, callback, user_data);
  g_task_set_source_tag (task, relay_export_to_file_async);
  g_task_set_task_data (task, GINT_TO_POINTER (format), NULL);
  g_object_set_data_full (G_OBJECT (task), "file", g_object_ref (file), g_object_unref);

  if (relay_conversation_get_loaded (conversation))
    write_export (g_steal_pointer (&task));
  else
    relay_conversation_load_async (conversation, cancellable, load_cb, g_steal_pointer (&task));
}

gboolean
relay_export_to_file_finish (GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (G_IS_TASK (result), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == relay_export_to_file_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
export_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GtkWidget) parent = user_data;
  g_autoptr(GError) error = NULL;

  if (!relay_export_to_file_finish (result, &error))
    {
      g_autofree char *message = NULL;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      g_warning ("Could not export the chat: %s", error->message);
      message = g_strdup_printf (_("Could not export the chat: %s"), error->message);
      relay_toast_show (parent, adw_toast_new (message));
    }
}

static void
save_dialog_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GtkWidget) parent = user_data;
  g_autoptr(RelayConversation) conversation = g_object_steal_data (G_OBJECT (object), "conversation");
  RelayExportFormat format = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (object), "format"));
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) file = NULL;

  if (!(file = gtk_file_dialog_save_finish (GTK_FILE_DIALOG (object), result, &error)))
    {
      if (!g_error_matches (error, GTK_DIALOG_ERROR, GTK_DIALOG_ERROR_DISMISSED) &&
          !g_error_matches (error, GTK_DIALOG_ERROR, GTK_DIALOG_ERROR_CANCELLED))
        {
          g_warning ("Could not choose where to export: %s", error->message);
          relay_toast_show (parent, adw_toast_new (_("Could not open the file chooser")));
        }
      return;
    }
  relay_export_to_file_async (conversation, format, file, NULL, export_done_cb,
                              g_steal_pointer (&parent));
}

/**
 * relay_export_with_dialog:
 * @parent: a widget in the window the file chooser belongs to; errors are shown as
 *   toasts in its window
 *
 * Asks where to save @conversation (through the file chooser portal under Flatpak), then
 * writes it there.
 */
void
relay_export_with_dialog (GtkWidget         *parent,
                          RelayConversation *conversation,
                          RelayExportFormat  format)
{
  g_autoptr(GtkFileDialog) dialog = NULL;
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  g_autoptr(GListStore) filters = g_list_store_new (GTK_TYPE_FILE_FILTER);
  g_autofree char *name = NULL;
  GtkRoot *root;

  g_return_if_fail (GTK_IS_WIDGET (parent));
  g_return_if_fail (RELAY_IS_CONVERSATION (conversation));

  name = relay_export_suggest_filename (conversation, format);
  dialog = gtk_file_dialog_new ();
  gtk_file_dialog_set_title (dialog, format == RELAY_EXPORT_FORMAT_JSON ? _("Export as JSON")
                                                                        : _("Export as Markdown"));
  gtk_file_dialog_set_initial_name (dialog, name);
  if (format == RELAY_EXPORT_FORMAT_JSON)
    {
      gtk_file_filter_set_name (filter, _("JSON"));
      gtk_file_filter_add_mime_type (filter, "application/json");
    }
  else
    {
      gtk_file_filter_set_name (filter, _("Markdown"));
      gtk_file_filter_add_mime_type (filter, "text/markdown");
      gtk_file_filter_add_suffix (filter, "md");
    }
  g_list_store_append (filters, filter);
  gtk_file_dialog_set_filters (dialog, G_LIST_MODEL (filters));
  gtk_file_dialog_set_default_filter (dialog, filter);

  g_object_set_data_full (G_OBJECT (dialog), "conversation", g_object_ref (conversation), g_object_unref);
  g_object_set_data (G_OBJECT (dialog), "format", GINT_TO_POINTER (format));
  root = gtk_widget_get_root (parent);
  gtk_file_dialog_save (dialog, GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, NULL,
                        save_dialog_cb, g_object_ref (parent));
}
