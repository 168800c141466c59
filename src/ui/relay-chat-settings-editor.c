/* relay-chat-settings-editor.c
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "relay-chat-settings-editor"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "relay-chat-settings-editor.h"

/* The API takes no more stop sequences than this. */
#define MAX_STOP_SEQUENCES 4

/**
 * RelayChatSettingsEditor:
 *
 * Edits a #RelayChatSettings as the user types: system prompt, sampling, reply length,
 * JSON mode and stop sequences. It is an #AdwPreferencesPage, for a preferences dialog
 * of its own (#RelayChatSettingsDialog) or a page among others (the defaults for new
 * chats in the preferences).
 *
 * Temperature, top-p and the maximum length can be left to the model: one step below
 * their lowest value reads "Default", and typing "Default" or nothing does the same.
 * Nothing outside the API's ranges can be entered; typed values are clamped to them.
 */
struct _RelayChatSettingsEditor
{
  AdwPreferencesPage   parent_instance;

  RelayChatSettings   *settings;
  GSignalGroup        *settings_signals;
  GPtrArray           *stop_rows;        /* AdwEntryRow, in order */
  guint                syncing : 1;

  GtkTextView         *system_prompt_view;
  GtkWidget           *system_prompt_placeholder;
  AdwSpinRow          *temperature_row;
  AdwSpinRow          *top_p_row;
  AdwSpinRow          *presence_penalty_row;
  AdwSpinRow          *frequency_penalty_row;
  AdwSpinRow          *max_tokens_row;
  AdwSwitchRow        *json_mode_row;
  AdwPreferencesGroup *stop_group;
  AdwButtonRow        *add_stop_row;
  AdwButtonRow        *reset_row;
};

enum {
  PROP_0,
  PROP_SETTINGS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (RelayChatSettingsEditor, relay_chat_settings_editor, ADW_TYPE_PREFERENCES_PAGE)

GtkWidget *
relay_chat_settings_editor_new (void)
{
  return g_object_new (RELAY_TYPE_CHAT_SETTINGS_EDITOR, NULL);
}

/* Spin rows ---------------------------------------------------------------------------------- */

/* Whether @row stands for a setting the model may decide, and @value says so. */
static gboolean
relay_chat_settings_editor_is_default (RelayChatSettingsEditor *self,
                                       AdwSpinRow              *row,
                                       double                   value)
{
  if (row == self->max_tokens_row)
    return value < 0.5;
  if (row == self->temperature_row || row == self->top_p_row)
    return value < 0;
  return FALSE;
}

static gboolean
has_default (RelayChatSettingsEditor *self,
             AdwSpinRow              *row)
{
  return row == self->max_tokens_row || row == self->temperature_row || row == self->top_p_row;
}

static gboolean
spin_output_cb (AdwSpinRow              *row,
                RelayChatSettingsEditor *self)
{
  if (!relay_chat_settings_editor_is_default (self, row, adw_spin_row_get_value (row)))
    return FALSE;
  gtk_editable_set_text (GTK_EDITABLE (row), _("Default"));
  return TRUE;
}

static int
spin_input_cb (AdwSpinRow              *row,
               double                  *new_value,
               RelayChatSettingsEditor *self)
{
  GtkAdjustment *adjustment = adw_spin_row_get_adjustment (row);
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (row))));
  g_autofree char *folded = g_utf8_casefold (text, -1);
  g_autofree char *default_folded = g_utf8_casefold (_("Default"), -1);
  double lowest = gtk_adjustment_get_lower (adjustment);
  double value;
  char *end = NULL;

  if (*text == '\0' || g_str_equal (folded, default_folded))
    {
      *new_value = has_default (self, row) ? lowest : 0;
      return TRUE;
    }

  /* Either decimal mark, whatever the locale. */
  g_strdelimit (text, ",", '.');
  value = g_ascii_strtod (text, &end);
  /* Not a number: the value stays as it was (an input error would make it 0). */
  if (end == text || *end != '\0' || !isfinite (value))
    {
      *new_value = adw_spin_row_get_value (row);
      return TRUE;
    }

  /* A number is never the "Default" below the range. */
  if (has_default (self, row) && row != self->max_tokens_row)
    lowest = 0;
  *new_value = CLAMP (value, lowest, gtk_adjustment_get_upper (adjustment));
  return TRUE;
}

/* Spin buttons hold binary fractions; the settings hold what the user saw. */
static double
round_to (double value,
          guint  digits)
{
  double scale = pow (10, digits);

  return round (value * scale) / scale;
}

static void
spin_value_changed_cb (RelayChatSettingsEditor *self,
                       GParamSpec              *pspec,
                       AdwSpinRow              *row)
{
  double value = adw_spin_row_get_value (row);
  double rounded = round_to (value, adw_spin_row_get_digits (row));

  if (self->syncing || self->settings == NULL)
    return;

  if (row == self->temperature_row)
    relay_chat_settings_set_temperature (self->settings, value < 0 ? -1 : rounded);
  else if (row == self->top_p_row)
    relay_chat_settings_set_top_p (self->settings, value < 0 ? -1 : rounded);
  else if (row == self->presence_penalty_row)
    relay_chat_settings_set_presence_penalty (self->settings, rounded);
  else if (row == self->frequency_penalty_row)
    relay_chat_settings_set_frequency_penalty (self->settings, rounded);
  else if (row == self->max_tokens_row)
    relay_chat_settings_set_max_tokens (self->settings, (gint64) rounded);
}

static void
set_spin (AdwSpinRow *row,
          double      value)
{
  GtkAdjustment *adjustment = adw_spin_row_get_adjustment (row);

  /* -1 ("unset") lands on the step below the range, which reads "Default". */
  adw_spin_row_set_value (row, MAX (value, gtk_adjustment_get_lower (adjustment)));
}

/* System prompt --------------------------------------------------------------------------- */

static char *
dup_buffer_text (GtkTextView *view)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (view);
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

static void
system_prompt_changed_cb (RelayChatSettingsEditor *self,
                          GtkTextBuffer           *buffer)
{
  g_autofree char *text = dup_buffer_text (self->system_prompt_view);

  gtk_widget_set_visible (self->system_prompt_placeholder, *text == '\0');
  if (self->syncing || self->settings == NULL)
    return;
  relay_chat_settings_set_system_prompt (self->settings, *text ? text : NULL);
}

/* Stop sequences --------------------------------------------------------------------------- */

/* Newlines and tabs, common in stop sequences, cannot be typed in an entry: they are
 * written \n and \t (and a backslash \\). */
static char *
escape_stop (const char *sequence)
{
  GString *out = g_string_new (NULL);

  for (const char *p = sequence; *p; p++)
    {
      if (*p == '\n')
        g_string_append (out, "\\n");
      else if (*p == '\t')
        g_string_append (out, "\\t");
      else if (*p == '\\')
        g_string_append (out, "\\\\");
      else
        g_string_append_c (out, *p);
    }
  return g_string_free (out, FALSE);
}

static char *
unescape_stop (const char *text)
{
  GString *out = g_string_new (NULL);

  for (const char *p = text; *p; p++)
    {
      if (*p == '\\' && (p[1] == 'n' || p[1] == 't' || p[1] == '\\'))
        {
          p++;
          g_string_append_c (out, *p == 'n' ? '\n' : *p == 't' ? '\t' : '\\');
        }
      else
        {
          g_string_append_c (out, *p);
        }
    }
  return g_string_free (out, FALSE);
}

static GStrv
collect_stop (RelayChatSettingsEditor *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; i < self->stop_rows->len; i++)
    {
      GtkEditable *row = g_ptr_array_index (self->stop_rows, i);
      g_autofree char *sequence = unescape_stop (gtk_editable_get_text (row));

      if (*sequence != '\0')
        g_strv_builder_add (builder, sequence);
    }
  return g_strv_builder_end (builder);
}

static void
update_stop_group (RelayChatSettingsEditor *self)
{
  gboolean full = self->stop_rows->len >= MAX_STOP_SEQUENCES;

  for (guint i = 0; i < self->stop_rows->len; i++)
    {
      g_autofree char *title = g_strdup_printf (_("Sequence %u"), i + 1);

      adw_preferences_row_set_title (g_ptr_array_index (self->stop_rows, i), title);
    }
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "chat-settings.add-stop",
                                 self->settings != NULL && !full);
  adw_preferences_group_set_description (self->stop_group,
                                         full ? _("The reply ends before any of these. The API takes no more than 4.")
                                              : _("The reply ends before any of these, up to 4. Write \\n for a new line."));
}

static void
stop_changed_cb (RelayChatSettingsEditor *self,
                 GtkEditable             *row)
{
  g_auto(GStrv) stop = NULL;

  if (self->syncing || self->settings == NULL)
    return;
  stop = collect_stop (self);
  relay_chat_settings_set_stop (self->settings, (const char * const *) stop);
}

static void
remove_stop_clicked_cb (GtkWidget *row,
                        GtkButton *button)
{
  RelayChatSettingsEditor *self;

  self = (RelayChatSettingsEditor *) gtk_widget_get_ancestor (row, RELAY_TYPE_CHAT_SETTINGS_EDITOR);
  if (self == NULL)
    return;
  g_ptr_array_remove (self->stop_rows, row);
  adw_preferences_group_remove (self->stop_group, row);
  update_stop_group (self);
  stop_changed_cb (self, NULL);
}

/* Adds a row above the Add button: the group can only append, so the button moves. */
static GtkWidget *
add_stop_row (RelayChatSettingsEditor *self,
              const char              *sequence)
{
  GtkWidget *row = adw_entry_row_new ();
  GtkWidget *remove = gtk_button_new_from_icon_name ("user-trash-symbolic");
  g_autofree char *text = escape_stop (sequence ? sequence : "");

  gtk_widget_set_valign (remove, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (remove, _("Remove"));
  gtk_widget_add_css_class (remove, "flat");
  gtk_accessible_update_property (GTK_ACCESSIBLE (remove),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Remove Stop Sequence"),
                                  -1);
  adw_entry_row_add_suffix (ADW_ENTRY_ROW (row), remove);
  g_signal_connect_object (remove, "clicked", G_CALLBACK (remove_stop_clicked_cb), row,
                           G_CONNECT_SWAPPED);
  gtk_editable_set_text (GTK_EDITABLE (row), text);
  g_signal_connect_object (row, "changed", G_CALLBACK (stop_changed_cb), self, G_CONNECT_SWAPPED);

  g_object_ref (self->add_stop_row);
  adw_preferences_group_remove (self->stop_group, GTK_WIDGET (self->add_stop_row));
  adw_preferences_group_add (self->stop_group, row);
  adw_preferences_group_add (self->stop_group, GTK_WIDGET (self->add_stop_row));
  g_object_unref (self->add_stop_row);
  g_ptr_array_add (self->stop_rows, row);
  update_stop_group (self);
  return row;
}

static void
sync_stop (RelayChatSettingsEditor *self)
{
  const char * const *stop = self->settings ? relay_chat_settings_get_stop (self->settings) : NULL;
  const char * const empty[] = { NULL };
  g_auto(GStrv) shown = collect_stop (self);

  /* Rows being typed into (or left empty) stay as they are while they say the same. */
  if (g_strv_equal ((const char * const *) shown, stop ? stop : empty))
    return;

  while (self->stop_rows->len > 0)
    {
      GtkWidget *row = g_ptr_array_steal_index (self->stop_rows, self->stop_rows->len - 1);

      adw_preferences_group_remove (self->stop_group, row);
    }
  for (guint i = 0; stop != NULL && stop[i] != NULL && i < MAX_STOP_SEQUENCES; i++)
    add_stop_row (self, stop[i]);
  update_stop_group (self);
}

static void
relay_chat_settings_editor_add_stop_action (GtkWidget  *widget,
                                            const char *action_name,
                                            GVariant   *parameter)
{
  RelayChatSettingsEditor *self = RELAY_CHAT_SETTINGS_EDITOR (widget);

  if (self->settings == NULL || self->stop_rows->len >= MAX_STOP_SEQUENCES)
    return;
  gtk_widget_grab_focus (add_stop_row (self, NULL));
}

/* Following the settings ------------------------------------------------------------------ */

static void
relay_chat_settings_editor_sync (RelayChatSettingsEditor *self)
{
  RelayChatSettings *settings = self->settings;
  g_autofree char *shown_prompt = dup_buffer_text (self->system_prompt_view);
  const char *prompt = settings ? relay_chat_settings_get_system_prompt (settings) : NULL;

  self->syncing = TRUE;

  if (g_strcmp0 (shown_prompt, prompt ? prompt : "") != 0)
    gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->system_prompt_view),
                              prompt ? prompt : "", -1);
  set_spin (self->temperature_row, settings ? relay_chat_settings_get_temperature (settings) : -1);
  set_spin (self->top_p_row, settings ? relay_chat_settings_get_top_p (settings) : -1);
  set_spin (self->presence_penalty_row,
            settings ? relay_chat_settings_get_presence_penalty (settings) : 0);
  set_spin (self->frequency_penalty_row,
            settings ? relay_chat_settings_get_frequency_penalty (settings) : 0);
  set_spin (self->max_tokens_row, settings ? relay_chat_settings_get_max_tokens (settings) : 0);
  adw_switch_row_set_active (self->json_mode_row,
                             settings ? relay_chat_settings_get_json_mode (settings) : FALSE);
  sync_stop (self);

  self->syncing = FALSE;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "chat-settings.reset",
                                 settings != NULL && !relay_chat_settings_is_default (settings));
  update_stop_group (self);
}

static void
settings_notify_cb (RelayChatSettingsEditor *self,
                    GParamSpec              *pspec,
                    RelayChatSettings       *settings)
{
  relay_chat_settings_editor_sync (self);
}

static void
json_mode_changed_cb (RelayChatSettingsEditor *self,
                      GParamSpec              *pspec,
                      AdwSwitchRow            *row)
{
  if (!self->syncing && self->settings != NULL)
    relay_chat_settings_set_json_mode (self->settings, adw_switch_row_get_active (row));
}

static void
relay_chat_settings_editor_reset_action (GtkWidget  *widget,
                                         const char *action_name,
                                         GVariant   *parameter)
{
  relay_chat_settings_editor_reset (RELAY_CHAT_SETTINGS_EDITOR (widget));
}

/* GObject ---------------------------------------------------------------------------------- */

static void
relay_chat_settings_editor_dispose (GObject *object)
{
  RelayChatSettingsEditor *self = RELAY_CHAT_SETTINGS_EDITOR (object);

  if (self->settings_signals != NULL)
    g_signal_group_set_target (self->settings_signals, NULL);
  g_clear_object (&self->settings_signals);
  g_clear_object (&self->settings);
  gtk_widget_dispose_template (GTK_WIDGET (self), RELAY_TYPE_CHAT_SETTINGS_EDITOR);

  G_OBJECT_CLASS (relay_chat_settings_editor_parent_class)->dispose (object);
}

static void
relay_chat_settings_editor_finalize (GObject *object)
{
  RelayChatSettingsEditor *self = RELAY_CHAT_SETTINGS_EDITOR (object);

  g_ptr_array_unref (self->stop_rows);

  G_OBJECT_CLASS (relay_chat_settings_editor_parent_class)->finalize (object);
}

static void
relay_chat_settings_editor_get_property (GObject    *object,
                                         guint       prop_id,
                                         GValue     *value,
                                         GParamSpec *pspec)
{
  RelayChatSettingsEditor *self = RELAY_CHAT_SETTINGS_EDITOR (object);

  switch (prop_id)
    {
    case PROP_SETTINGS:
      g_value_set_object (value, self->settings);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
relay_chat_settings_editor_set_property (GObject      *object,
                                         guint         prop_id,
                                         const GValue *value,
                                         GParamSpec   *pspec)
{
  RelayChatSettingsEditor *self = RELAY_CHAT_SETTINGS_EDITOR (object);

  switch (prop_id)
    {
    case PROP_SETTINGS:
      relay_chat_settings_editor_set_settings (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
relay_chat_settings_editor_class_init (RelayChatSettingsEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = relay_chat_settings_editor_dispose;
  object_class->finalize = relay_chat_settings_editor_finalize;
  object_class->get_property = relay_chat_settings_editor_get_property;
  object_class->set_property = relay_chat_settings_editor_set_property;

  /**
   * RelayChatSettingsEditor:settings:
   *
   * The settings edited. Every change in the page is written to them at once, and
   * changes made to them elsewhere show in the page.
   */
  properties[PROP_SETTINGS] =
    g_param_spec_object ("settings", NULL, NULL,
                         RELAY_TYPE_CHAT_SETTINGS,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PATH "/relay-chat-settings-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, RelayChatSettingsEditor, system_prompt_view);
  gtk_widget_class_bind_template_child (widget_class, RelayChatSettingsEditor, system_prompt_placeholder);
  gtk_widget_class_bind_template_child (widget_class, RelayChatSettingsEditor, temperature_row);
  gtk_widget_class_bind_template_child (widget_class, RelayChatSettingsEditor, top_p_row);
  gtk_widget_class_bind_template_child (widget_class, RelayChatSettingsEditor, presence_penalty_row);
  gtk_widget_class_bind_template_child (widget_class, RelayChatSettingsEditor, frequency_penalty_row);
  gtk_widget_class_bind_template_child (widget_class, RelayChatSettingsEditor, max_tokens_row);
  gtk_widget_class_bind_template_child (widget_class, RelayChatSettingsEditor, json_mode_row);
  gtk_widget_class_bind_template_child (widget_class, RelayChatSettingsEditor, stop_group);
  gtk_widget_class_bind_template_child (widget_class, RelayChatSettingsEditor, add_stop_row);
  gtk_widget_class_bind_template_child (widget_class, RelayChatSettingsEditor, reset_row);

  gtk_widget_class_install_action (widget_class, "chat-settings.add-stop", NULL,
                                   relay_chat_settings_editor_add_stop_action);
  gtk_widget_class_install_action (widget_class, "chat-settings.reset", NULL,
                                   relay_chat_settings_editor_reset_action);
}

static void
relay_chat_settings_editor_init (RelayChatSettingsEditor *self)
{
  AdwSpinRow *spins[] = {
    NULL, NULL, NULL, NULL, NULL,
  };

  gtk_widget_init_template (GTK_WIDGET (self));

  self->stop_rows = g_ptr_array_new ();
  spins[0] = self->temperature_row;
  spins[1] = self->top_p_row;
  spins[2] = self->presence_penalty_row;
  spins[3] = self->frequency_penalty_row;
  spins[4] = self->max_tokens_row;
  for (guint i = 0; i < G_N_ELEMENTS (spins); i++)
    {
      /* Wide enough for "Default" and for the widest value. */
      gtk_editable_set_width_chars (GTK_EDITABLE (spins[i]), 7);
      g_signal_connect_object (spins[i], "output", G_CALLBACK (spin_output_cb), self, 0);
      g_signal_connect_object (spins[i], "input", G_CALLBACK (spin_input_cb), self, 0);
      g_signal_connect_object (spins[i], "notify::value", G_CALLBACK (spin_value_changed_cb), self,
                               G_CONNECT_SWAPPED);
    }
  g_signal_connect_object (gtk_text_view_get_buffer (self->system_prompt_view), "changed",
                           G_CALLBACK (system_prompt_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->json_mode_row, "notify::active",
                           G_CALLBACK (json_mode_changed_cb), self, G_CONNECT_SWAPPED);

  self->settings_signals = g_signal_group_new (RELAY_TYPE_CHAT_SETTINGS);
  g_signal_group_connect_object (self->settings_signals, "notify",
                                 G_CALLBACK (settings_notify_cb), self, G_CONNECT_SWAPPED);

  relay_chat_settings_editor_sync (self);
  gtk_widget_set_sensitive (GTK_WIDGET (self), FALSE);
}

RelayChatSettings *
relay_chat_settings_editor_get_settings (RelayChatSettingsEditor *self)
{
  g_return_val_if_fail (RELAY_IS_CHAT_SETTINGS_EDITOR (self), NULL);
  return self->settings;
}

void
relay_chat_settings_editor_set_settings (RelayChatSettingsEditor *self,
                                         RelayChatSettings       *settings)
{
  g_return_if_fail (RELAY_IS_CHAT_SETTINGS_EDITOR (self));
  g_return_if_fail (!settings || RELAY_IS_CHAT_SETTINGS (settings));

  if (!g_set_object (&self->settings, settings))
    return;

  g_signal_group_set_target (self->settings_signals, settings);
  relay_chat_settings_editor_sync (self);
  gtk_widget_set_sensitive (GTK_WIDGET (self), settings != NULL);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SETTINGS]);
}

/**
 * relay_chat_settings_editor_reset:
 *
 * Puts every setting back to its default: no system prompt, and everything else left
 * to the model.
 */
void
relay_chat_settings_editor_reset (RelayChatSettingsEditor *self)
{
  g_autofree GParamSpec **pspecs = NULL;
  guint n_pspecs;

  g_return_if_fail (RELAY_IS_CHAT_SETTINGS_EDITOR (self));

  if (self->settings == NULL)
    return;

  pspecs = g_object_class_list_properties (G_OBJECT_GET_CLASS (self->settings), &n_pspecs);
  g_object_freeze_notify (G_OBJECT (self->settings));
  for (guint i = 0; i < n_pspecs; i++)
    {
      g_auto(GValue) value = G_VALUE_INIT;

      if (!(pspecs[i]->flags & G_PARAM_WRITABLE))
        continue;
      g_value_init (&value, pspecs[i]->value_type);
      g_param_value_set_default (pspecs[i], &value);
      g_object_set_property (G_OBJECT (self->settings), pspecs[i]->name, &value);
    }
  g_object_thaw_notify (G_OBJECT (self->settings));
}
