/* relay-message-row.c: one message of the chat, as the conversation view shows it.
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "relay-message-row"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "relay-markdown-view.h"
#include "relay-message-row.h"

/* See relay_message_row_hand_over(). */
#define STREAM_INTERVAL_MS 50

/**
 * RelayMessageRow:
 *
 * A message as the chat shows it: what the user wrote as a bubble (which turns into an
 * editor for Edit and Resend), a reply as Markdown with a caption saying who answered
 * and what it cost, a spinner until its first token, and why it failed in its place
 * when it did. The actions (`message.copy`, `message.regenerate`, …) work on the
 * message through #RelayMessageRow:session.
 *
 * Rows are recycled by the list view: #RelayMessageRow:message changes as the user
 * scrolls, and a streaming reply is followed through #RelayMessage::delta, so that
 * each piece of text costs in proportion to its length, not to the whole reply's.
 */
struct _RelayMessageRow
{
  GtkWidget          parent_instance;

  RelayMessage      *message;
  RelayChatSession  *session;
  GSignalGroup      *message_signals;
  GSignalGroup      *session_signals;
  GString           *pending;          /* streamed text not yet handed to the view */
  gint64             handed_at;
  guint              pending_source;
  guint              json_mode : 1;
  guint              editing : 1;

  /* From the template: what most rows show. */
  GtkLabel          *user_label;
  RelayMarkdownView *markdown_view;
  GtkWidget         *footer;
  GtkLabel          *badge_label;
  GtkLabel          *caption_label;
  GtkWidget         *interrupted_retry_button;
  GtkWidget         *edit_button;
  GtkWidget         *regenerate_button;

  /* Built the first time the row needs them, from relay-message-row-parts.ui. */
  GtkWidget         *waiting_box;
  GtkWidget         *error_card;
  GtkLabel          *error_label;
  GtkWidget         *versions_box;
  GtkLabel          *versions_label;
  GtkWidget         *editor;
  GtkTextView       *edit_view;
};

enum {
  PROP_0,
  PROP_MESSAGE,
  PROP_SESSION,
  PROP_JSON_MODE,
  PROP_EDITING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (RelayMessageRow, relay_message_row, GTK_TYPE_WIDGET)

GtkWidget *
relay_message_row_new (void)
{
  return g_object_new (RELAY_TYPE_MESSAGE_ROW, NULL);
}

/* The caption ------------------------------------------------------------------------ */

static char *
format_cost (double cost)
{
  if (cost == 0)
    return g_strdup ("$0");
  if (cost < 0.0001)
    return g_strdup ("< $0.0001");
  if (cost < 1)
    return g_strdup_printf ("$%.4f", cost);
  return g_strdup_printf ("$%.2f", cost);
}

static char *
format_duration (gint64 usec)
{
  double seconds = usec / (double) G_USEC_PER_SEC;

  if (seconds < 60)
    /* Translators: a duration in seconds, e.g. "1.2 s" */
    return g_strdup_printf (_("%.1f s"), seconds);
  /* Translators: a duration, e.g. "2 min 5 s" */
  return g_strdup_printf (_("%d min %d s"), (int) (seconds / 60), (int) seconds % 60);
}

static char *
format_model (RelayMessage *message)
{
  const char *model = relay_message_get_model (message);
  const char *routed = relay_message_get_routed_model (message);

  if (model != NULL && *model != '\0' && routed != NULL && *routed != '\0' &&
      g_strcmp0 (model, routed) != 0)
    return g_strdup_printf ("%s → %s", model, routed);
  if (routed != NULL && *routed != '\0')
    return g_strdup (routed);
  if (model != NULL && *model != '\0')
    return g_strdup (model);
  return NULL;
}

/* A count of tokens with the locale's digit grouping ("1,204"). */
static char *
format_count (gint64 count)
{
  return g_strdup_printf ("%'" G_GINT64_FORMAT, count);
}

static char *
format_time (RelayMessage *message)
{
  gint64 first = relay_message_get_first_token_usec (message);
  gint64 duration = relay_message_get_duration_usec (message);
  g_autofree char *first_text = first >= 0 ? format_duration (first) : NULL;
  g_autofree char *duration_text = duration >= 0 ? format_duration (duration) : NULL;

  if (duration_text != NULL && first_text != NULL)
    /* Translators: how long a reply took, then how long until its first word came */
    return g_strdup_printf (_("%s (first token %s)"), duration_text, first_text);
  if (duration_text != NULL)
    return g_steal_pointer (&duration_text);
  if (first_text != NULL)
    return g_strdup_printf (_("first token %s"), first_text);
  return NULL;
}

/**
 * relay_message_row_format_usage:
 * @prompt_tokens: tokens in, or -1 when unknown
 * @completion_tokens: tokens out, or -1 when unknown
 * @total_tokens: both, or -1 when unknown
 * @cost: the cost in US dollars, or -1 when unknown
 *
 * Returns: (transfer full): "412 tokens in · 90 out · $0.0031", or as much of it as is
 *   known (empty when nothing is)
 */
char *
relay_message_row_format_usage (gint64 prompt_tokens,
                                gint64 completion_tokens,
                                gint64 total_tokens,
                                double cost)
{
  g_autofree char *tokens = NULL;
  g_autofree char *price = cost >= 0 ? format_cost (cost) : NULL;

  if (prompt_tokens >= 0 && completion_tokens >= 0)
    {
      g_autofree char *in = format_count (prompt_tokens);
      g_autofree char *out = format_count (completion_tokens);

      /* Translators: tokens read and written by the model, e.g. "412 tokens in · 90 out" */
      tokens = g_strdup_printf (_("%s tokens in · %s out"), in, out);
    }
  else if (total_tokens >= 0)
    {
      g_autofree char *count = format_count (total_tokens);

      tokens = g_strdup_printf (ngettext ("%s token", "%s tokens", (gulong) total_tokens), count);
    }

  if (tokens != NULL && price != NULL)
    return g_strdup_printf ("%s · %s", tokens, price);
  if (tokens != NULL)
    return g_steal_pointer (&tokens);
  if (price != NULL)
    return g_steal_pointer (&price);
  return g_strdup ("");
}

/**
 * relay_message_row_format_caption:
 * @message: a reply
 *
 * The line under a reply: the model asked for and the one that answered, tokens in and
 * out, the cost when it is known, and the time taken.
 *
 * Returns: (transfer full): the caption, empty when nothing is known yet
 */
char *
relay_message_row_format_caption (RelayMessage *message)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) parts = NULL;
  char *part;

  g_return_val_if_fail (RELAY_IS_MESSAGE (message), NULL);

  if ((part = format_model (message)) != NULL)
    g_strv_builder_take (builder, part);
  part = relay_message_row_format_usage (relay_message_get_prompt_tokens (message),
                                         relay_message_get_completion_tokens (message),
                                         relay_message_get_total_tokens (message),
                                         relay_message_get_cost (message));
  if (*part != '\0')
    g_strv_builder_take (builder, part);
  else
    g_free (part);
  /* How long a failure took helps nobody. */
  if (relay_message_get_state (message) != RELAY_MESSAGE_STATE_FAILED &&
      (part = format_time (message)) != NULL)
    g_strv_builder_take (builder, part);

  parts = g_strv_builder_end (builder);
  return g_strjoinv (" · ", parts);
}

/* Parts built on demand --------------------------------------------------------------- */

static GtkBuilder *
build_part (const char *id)
{
  GtkBuilder *builder = gtk_builder_new ();
  const char *ids[] = { id, NULL };
  g_autoptr(GError) error = NULL;

  /* The file is compiled in: failing to build it is a bug, not a condition. */
  if (!gtk_builder_add_objects_from_resource (builder, RESOURCE_PATH "/relay-message-row-parts.ui",
                                              ids, &error))
    g_error ("Could not build %s: %s", id, error->message);
  return builder;
}

static void
relay_message_row_ensure_waiting_box (RelayMessageRow *self)
{
  g_autoptr(GtkBuilder) builder = NULL;

  if (self->waiting_box != NULL)
    return;

  builder = build_part ("waiting_box");
  self->waiting_box = GTK_WIDGET (gtk_builder_get_object (builder, "waiting_box"));
  gtk_widget_insert_before (self->waiting_box, GTK_WIDGET (self), GTK_WIDGET (self->markdown_view));
}

static void
relay_message_row_ensure_error_card (RelayMessageRow *self)
{
  g_autoptr(GtkBuilder) builder = NULL;

  if (self->error_card != NULL)
    return;

  builder = build_part ("error_card");
  self->error_card = GTK_WIDGET (gtk_builder_get_object (builder, "error_card"));
  self->error_label = GTK_LABEL (gtk_builder_get_object (builder, "error_label"));
  gtk_widget_insert_after (self->error_card, GTK_WIDGET (self), GTK_WIDGET (self->markdown_view));
}

static void
relay_message_row_ensure_versions_box (RelayMessageRow *self)
{
  g_autoptr(GtkBuilder) builder = NULL;

  if (self->versions_box != NULL)
    return;

  builder = build_part ("versions_box");
  self->versions_box = GTK_WIDGET (gtk_builder_get_object (builder, "versions_box"));
  self->versions_label = GTK_LABEL (gtk_builder_get_object (builder, "versions_label"));
  gtk_box_append (GTK_BOX (self->footer), self->versions_box);
}

static gboolean relay_message_row_edit_key_pressed_cb (RelayMessageRow       *self,
                                                       guint                  keyval,
                                                       guint                  keycode,
                                                       GdkModifierType        state,
                                                       GtkEventControllerKey *controller);

static void
relay_message_row_ensure_editor (RelayMessageRow *self)
{
  g_autoptr(GtkBuilder) builder = NULL;

  if (self->editor != NULL)
    return;

  builder = build_part ("editor");
  self->editor = GTK_WIDGET (gtk_builder_get_object (builder, "editor"));
  self->edit_view = GTK_TEXT_VIEW (gtk_builder_get_object (builder, "edit_view"));
  g_signal_connect_object (gtk_builder_get_object (builder, "edit_keys"), "key-pressed",
                           G_CALLBACK (relay_message_row_edit_key_pressed_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_widget_insert_after (self->editor, GTK_WIDGET (self), GTK_WIDGET (self->user_label));
}

static void
set_visible_if_built (GtkWidget *widget,
                      gboolean   visible)
{
  if (widget != NULL)
    gtk_widget_set_visible (widget, visible);
}

/* Showing the message ----------------------------------------------------------------- */

static gboolean
relay_message_row_is_user (RelayMessageRow *self)
{
  return self->message != NULL && relay_message_get_role (self->message) == RELAY_ROLE_USER;
}

static gboolean
state_is_live (RelayMessageState state)
{
  return state == RELAY_MESSAGE_STATE_PENDING || state == RELAY_MESSAGE_STATE_STREAMING;
}

static void
relay_message_row_update_actions (RelayMessageRow *self)
{
  GtkWidget *widget = GTK_WIDGET (self);
  gboolean usable = self->message != NULL && self->session != NULL;
  gboolean idle = usable && !relay_chat_session_get_busy (self->session);
  gboolean user = relay_message_row_is_user (self);
  gboolean reply = self->message != NULL &&
                   relay_message_get_role (self->message) == RELAY_ROLE_ASSISTANT;
  gboolean live = self->message != NULL && state_is_live (relay_message_get_state (self->message));
  guint index = self->message ? relay_message_get_version_index (self->message) : 0;
  guint n = self->message ? relay_message_get_n_versions (self->message) : 1;

  gtk_widget_action_set_enabled (widget, "message.copy",
                                 self->message != NULL &&
                                 relay_message_get_content_length (self->message) > 0);
  gtk_widget_action_set_enabled (widget, "message.regenerate", idle && reply && !live);
  gtk_widget_action_set_enabled (widget, "message.retry", idle && reply && !live);
  gtk_widget_action_set_enabled (widget, "message.edit", idle && user && !self->editing);
  gtk_widget_action_set_enabled (widget, "message.send-edit", idle && self->editing);
  gtk_widget_action_set_enabled (widget, "message.cancel-edit", self->editing);
  gtk_widget_action_set_enabled (widget, "message.delete", usable && !live);
  gtk_widget_action_set_enabled (widget, "message.previous-version", idle && index > 0);
  gtk_widget_action_set_enabled (widget, "message.next-version", idle && index + 1 < n);
}

static void
relay_message_row_update_versions (RelayMessageRow *self)
{
  guint index = relay_message_get_version_index (self->message);
  guint n = relay_message_get_n_versions (self->message);
  g_autofree char *text = NULL;
  g_autofree char *description = NULL;

  if (n <= 1)
    {
      set_visible_if_built (self->versions_box, FALSE);
      return;
    }

  relay_message_row_ensure_versions_box (self);
  text = g_strdup_printf ("%u/%u", index + 1, n);
  /* Translators: which of a message's versions is shown, e.g. "Version 1 of 2" */
  description = g_strdup_printf (_("Version %u of %u"), index + 1, n);
  gtk_label_set_text (self->versions_label, text);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->versions_label),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, description,
                                  -1);
  gtk_widget_set_visible (self->versions_box, TRUE);
}

static void
relay_message_row_update_caption (RelayMessageRow *self)
{
  g_autofree char *caption = NULL;

  if (relay_message_row_is_user (self))
    {
      gtk_widget_set_visible (GTK_WIDGET (self->caption_label), FALSE);
      return;
    }

  caption = relay_message_row_format_caption (self->message);
  gtk_label_set_text (self->caption_label, caption);
  gtk_widget_set_visible (GTK_WIDGET (self->caption_label), *caption != '\0');
}

static void
relay_message_row_update_state (RelayMessageRow *self)
{
  RelayMessageState state = relay_message_get_state (self->message);
  gboolean reply = !relay_message_row_is_user (self);
  gboolean has_text = relay_message_get_content_length (self->message) > 0;
  gboolean waiting = reply && state == RELAY_MESSAGE_STATE_PENDING;
  gboolean failed = reply && state == RELAY_MESSAGE_STATE_FAILED;
  const char *badge = NULL;

  if (reply && state == RELAY_MESSAGE_STATE_STOPPED)
    badge = _("Stopped");
  else if (reply && state == RELAY_MESSAGE_STATE_INTERRUPTED)
    badge = _("Interrupted");

  if (waiting)
    relay_message_row_ensure_waiting_box (self);
  set_visible_if_built (self->waiting_box, waiting);
  gtk_widget_set_visible (GTK_WIDGET (self->markdown_view), reply && has_text);
  gtk_widget_set_visible (GTK_WIDGET (self->badge_label), badge != NULL);
  gtk_label_set_text (self->badge_label, badge ? badge : "");
  gtk_widget_set_visible (self->interrupted_retry_button,
                          reply && state == RELAY_MESSAGE_STATE_INTERRUPTED);

  if (failed)
    {
      const char *reason = relay_message_get_error_message (self->message);

      relay_message_row_ensure_error_card (self);
      gtk_label_set_text (self->error_label,
                          reason && *reason ? reason : _("RouteLLM did not answer."));
    }
  set_visible_if_built (self->error_card, failed);
}

static void
relay_message_row_update_content (RelayMessageRow *self)
{
  const char *content = relay_message_get_content (self->message);

  if (relay_message_row_is_user (self))
    {
      gtk_label_set_text (self->user_label, content);
      return;
    }

  /* The content holds whatever was waiting to be handed over. */
  g_clear_handle_id (&self->pending_source, g_source_remove);
  g_string_truncate (self->pending, 0);
  relay_markdown_view_set_json_mode (self->markdown_view, self->json_mode);
  relay_markdown_view_set_text (self->markdown_view, content);
}

/* What the user wrote sits on the right with its actions on its left, so that they take
 * no line of their own; a reply stacks its parts, caption and actions under the text. */
static void
relay_message_row_arrange (RelayMessageRow *self)
{
  GtkWidget *widget = GTK_WIDGET (self);
  GtkLayoutManager *layout = gtk_widget_get_layout_manager (widget);
  gboolean user = relay_message_row_is_user (self);

  gtk_orientable_set_orientation (GTK_ORIENTABLE (layout),
                                  user ? GTK_ORIENTATION_HORIZONTAL : GTK_ORIENTATION_VERTICAL);
  if (user && gtk_widget_get_first_child (widget) != self->footer)
    gtk_widget_insert_after (self->footer, widget, NULL);
  else if (!user && gtk_widget_get_last_child (widget) != self->footer)
    gtk_widget_insert_before (self->footer, widget, NULL);

  gtk_widget_set_visible (GTK_WIDGET (self->user_label), user && !self->editing);
  set_visible_if_built (self->editor, user && self->editing);
  gtk_widget_set_visible (self->footer, !(user && self->editing));
  gtk_widget_set_hexpand (self->footer, user);
  gtk_widget_set_halign (self->footer, user ? GTK_ALIGN_END : GTK_ALIGN_FILL);
  gtk_widget_set_valign (self->footer, user ? GTK_ALIGN_END : GTK_ALIGN_FILL);
  gtk_widget_set_margin_start (self->footer, user ? 36 : 0);
  gtk_widget_set_visible (self->edit_button, user);
  gtk_widget_set_visible (self->regenerate_button,
                          relay_message_get_role (self->message) == RELAY_ROLE_ASSISTANT);

  if (user)
    {
      gtk_widget_add_css_class (widget, "user");
      gtk_widget_remove_css_class (widget, "assistant");
    }
  else
    {
      gtk_widget_add_css_class (widget, "assistant");
      gtk_widget_remove_css_class (widget, "user");
    }
}

static void
relay_message_row_update_all (RelayMessageRow *self)
{
  relay_message_row_arrange (self);
  relay_message_row_update_content (self);
  relay_message_row_update_state (self);
  relay_message_row_update_caption (self);
  relay_message_row_update_versions (self);
  relay_message_row_update_actions (self);
}

/* Streamed text goes to the Markdown view at most every STREAM_INTERVAL_MS: twenty
 * times a second reads as text flowing in, and a reply arriving in five hundred pieces a
 * second then costs about twenty layouts and frames a second, not one each frame. */
static void
relay_message_row_hand_over (RelayMessageRow *self)
{
  g_clear_handle_id (&self->pending_source, g_source_remove);
  if (self->pending->len > 0)
    {
      relay_markdown_view_append (self->markdown_view, self->pending->str, self->pending->len);
      /* This row already paces the updates; the view's own timer would add wake-ups. */
      relay_markdown_view_flush (self->markdown_view);
      g_string_truncate (self->pending, 0);
    }
  self->handed_at = g_get_monotonic_time ();
}

static gboolean
relay_message_row_pending_cb (gpointer data)
{
  RelayMessageRow *self = data;

  self->pending_source = 0;
  relay_message_row_hand_over (self);
  return G_SOURCE_REMOVE;
}

/* The streamed text: only the new piece is handed on. */
static void
relay_message_row_delta_cb (RelayMessageRow *self,
                            const char      *text,
                            guint            length,
                            RelayMessage    *message)
{
  if (relay_message_row_is_user (self))
    {
      gtk_label_set_text (self->user_label, relay_message_get_content (message));
      return;
    }

  g_string_append_len (self->pending, text, length);
  if (self->pending_source == 0)
    {
      gint64 wait_ms = STREAM_INTERVAL_MS - (g_get_monotonic_time () - self->handed_at) / 1000;

      if (wait_ms <= 0)
        relay_message_row_hand_over (self);
      else
        self->pending_source = g_timeout_add ((guint) wait_ms, relay_message_row_pending_cb, self);
    }
  if (!gtk_widget_get_visible (GTK_WIDGET (self->markdown_view)))
    gtk_widget_set_visible (GTK_WIDGET (self->markdown_view), TRUE);
}

static void
relay_message_row_message_notify_cb (RelayMessageRow *self,
                                     GParamSpec      *pspec,
                                     RelayMessage    *message)
{
  const char *name = pspec->name;

  if (g_str_equal (name, "content"))
    {
      relay_message_row_update_content (self);
      relay_message_row_update_state (self);
      relay_message_row_update_actions (self);
    }
  else if (g_str_equal (name, "state") || g_str_equal (name, "error-message"))
    {
      if (!state_is_live (relay_message_get_state (message)))
        relay_message_row_hand_over (self);
      relay_message_row_update_state (self);
      relay_message_row_update_caption (self);
      relay_message_row_update_actions (self);
    }
  else if (g_str_equal (name, "version-index") || g_str_equal (name, "n-versions"))
    {
      relay_message_row_update_versions (self);
      relay_message_row_update_actions (self);
    }
  else if (g_str_equal (name, "model") || g_str_equal (name, "routed-model") ||
           g_str_equal (name, "prompt-tokens") || g_str_equal (name, "completion-tokens") ||
           g_str_equal (name, "total-tokens") || g_str_equal (name, "cost") ||
           g_str_equal (name, "first-token-usec") || g_str_equal (name, "duration-usec"))
    {
      relay_message_row_update_caption (self);
    }
}

/* Editing ---------------------------------------------------------------------------- */

static void
relay_message_row_set_editing (RelayMessageRow *self,
                               gboolean         editing)
{
  editing = !!editing;
  if (self->editing == editing)
    return;

  self->editing = editing;
  if (editing)
    {
      relay_message_row_ensure_editor (self);
      gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->edit_view),
                                relay_message_get_content (self->message), -1);
    }
  relay_message_row_arrange (self);
  if (editing)
    gtk_widget_grab_focus (GTK_WIDGET (self->edit_view));
  relay_message_row_update_actions (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EDITING]);
}

static gboolean
relay_message_row_edit_key_pressed_cb (RelayMessageRow       *self,
                                       guint                  keyval,
                                       guint                  keycode,
                                       GdkModifierType        state,
                                       GtkEventControllerKey *controller)
{
  GdkModifierType mods = state & gtk_accelerator_get_default_mod_mask ();

  if (keyval == GDK_KEY_Escape && mods == 0)
    {
      gtk_widget_activate_action (GTK_WIDGET (self), "message.cancel-edit", NULL);
      return GDK_EVENT_STOP;
    }
  if ((keyval == GDK_KEY_Return || keyval == GDK_KEY_KP_Enter) && mods == GDK_CONTROL_MASK)
    {
      gtk_widget_activate_action (GTK_WIDGET (self), "message.send-edit", NULL);
      return GDK_EVENT_STOP;
    }
  return GDK_EVENT_PROPAGATE;
}

/* Actions ---------------------------------------------------------------------------- */

static void
add_toast (GtkWidget  *overlay,
           const char *title)
{
  AdwToast *toast;

  if (overlay == NULL)
    return;

  toast = adw_toast_new (title);
  adw_toast_set_timeout (toast, 2);
  adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), toast);
}

static void
relay_message_row_toast (RelayMessageRow *self,
                         const char      *title)
{
  add_toast (gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY), title);
}

static void
relay_message_row_copy_action (GtkWidget  *widget,
                               const char *action_name,
                               GVariant   *parameter)
{
  RelayMessageRow *self = RELAY_MESSAGE_ROW (widget);

  if (self->message == NULL)
    return;

  /* A reply is copied as the Markdown it was written in, which pastes well anywhere. */
  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget),
                          relay_message_get_content (self->message));
  relay_message_row_toast (self, _("Copied"));
}

static void
relay_message_row_regenerate_action (GtkWidget  *widget,
                                     const char *action_name,
                                     GVariant   *parameter)
{
  g_autoptr(RelayMessageRow) self = g_object_ref (RELAY_MESSAGE_ROW (widget));
  g_autoptr(RelayMessage) message = NULL;
  g_autoptr(GError) error = NULL;

  if (self->message == NULL || self->session == NULL)
    return;

  /* The list changes under the row while the new version is added: the row may be
   * given another message, or none, before the call returns. */
  message = g_object_ref (self->message);
  if (!relay_chat_session_regenerate (self->session, message, &error))
    relay_message_row_toast (self, error->message);
}

static void
relay_message_row_delete_action (GtkWidget  *widget,
                                 const char *action_name,
                                 GVariant   *parameter)
{
  RelayMessageRow *self = RELAY_MESSAGE_ROW (widget);
  g_autoptr(RelayMessage) message = NULL;
  g_autoptr(GtkWidget) overlay = NULL;

  if (self->message == NULL || self->session == NULL)
    return;

  /* The row may go with its message: find where to say so first. */
  if ((overlay = gtk_widget_get_ancestor (widget, ADW_TYPE_TOAST_OVERLAY)) != NULL)
    g_object_ref (overlay);
  message = g_object_ref (self->message);
  relay_conversation_delete_message (relay_chat_session_get_conversation (self->session), message);
  add_toast (overlay, _("Message deleted"));
}

static void
relay_message_row_select_version (RelayMessageRow *self,
                                  int              step)
{
  g_autoptr(RelayMessage) message = NULL;
  guint index, n;

  if (self->message == NULL || self->session == NULL)
    return;

  message = g_object_ref (self->message);
  index = relay_message_get_version_index (message);
  n = relay_message_get_n_versions (message);
  if ((step < 0 && index == 0) || (step > 0 && index + 1 >= n))
    return;

  relay_conversation_select_version (relay_chat_session_get_conversation (self->session),
                                     message, index + step);
}

static void
relay_message_row_previous_version_action (GtkWidget  *widget,
                                           const char *action_name,
                                           GVariant   *parameter)
{
  relay_message_row_select_version (RELAY_MESSAGE_ROW (widget), -1);
}

static void
relay_message_row_next_version_action (GtkWidget  *widget,
                                       const char *action_name,
                                       GVariant   *parameter)
{
  relay_message_row_select_version (RELAY_MESSAGE_ROW (widget), 1);
}

static void
relay_message_row_edit_action (GtkWidget  *widget,
                               const char *action_name,
                               GVariant   *parameter)
{
  RelayMessageRow *self = RELAY_MESSAGE_ROW (widget);

  if (relay_message_row_is_user (self))
    relay_message_row_set_editing (self, TRUE);
}

static void
relay_message_row_cancel_edit_action (GtkWidget  *widget,
                                      const char *action_name,
                                      GVariant   *parameter)
{
  relay_message_row_set_editing (RELAY_MESSAGE_ROW (widget), FALSE);
}

static void
relay_message_row_edited_cb (GObject      *object,
                             GAsyncResult *result,
                             gpointer      user_data)
{
  g_autoptr(RelayMessageRow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!relay_chat_session_edit_finish (RELAY_CHAT_SESSION (object), result, &error))
    {
      /* The editor stays open with the words in it. */
      relay_message_row_toast (self, error->message);
      return;
    }

  relay_message_row_set_editing (self, FALSE);
}

static void
relay_message_row_send_edit_action (GtkWidget  *widget,
                                    const char *action_name,
                                    GVariant   *parameter)
{
  RelayMessageRow *self = RELAY_MESSAGE_ROW (widget);
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->edit_view);
  g_autofree char *text = NULL;
  g_autofree char *stripped = NULL;
  GtkTextIter start, end;

  if (!self->editing || self->message == NULL || self->session == NULL)
    return;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  text = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  stripped = g_strstrip (g_strdup (text));
  if (*stripped == '\0')
    return;

  /* No cancellable: once sent, the edit is the user's and must be stored. */
  relay_chat_session_edit_async (self->session, self->message, text, NULL,
                                 relay_message_row_edited_cb, g_object_ref (self));
}

/* Properties ------------------------------------------------------------------------- */

RelayMessage *
relay_message_row_get_message (RelayMessageRow *self)
{
  g_return_val_if_fail (RELAY_IS_MESSAGE_ROW (self), NULL);

  return self->message;
}

/**
 * relay_message_row_set_message:
 * @message: (nullable): the message to show
 *
 * Shows @message and follows its changes, letting go of the message shown before. With
 * %NULL the row stops following, but keeps its widgets for the next message (recycled
 * rows reuse what they can).
 */
void
relay_message_row_set_message (RelayMessageRow *self,
                               RelayMessage    *message)
{
  g_return_if_fail (RELAY_IS_MESSAGE_ROW (self));
  g_return_if_fail (!message || RELAY_IS_MESSAGE (message));

  if (self->message == message)
    return;

  relay_message_row_set_editing (self, FALSE);
  g_clear_handle_id (&self->pending_source, g_source_remove);
  g_string_truncate (self->pending, 0);
  g_set_object (&self->message, message);
  g_signal_group_set_target (self->message_signals, message);
  if (message != NULL)
    relay_message_row_update_all (self);
  else
    relay_message_row_update_actions (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MESSAGE]);
}

RelayChatSession *
relay_message_row_get_session (RelayMessageRow *self)
{
  g_return_val_if_fail (RELAY_IS_MESSAGE_ROW (self), NULL);

  return self->session;
}

/**
 * relay_message_row_set_session:
 * @session: (nullable): what the row's actions go through
 */
void
relay_message_row_set_session (RelayMessageRow  *self,
                               RelayChatSession *session)
{
  g_return_if_fail (RELAY_IS_MESSAGE_ROW (self));
  g_return_if_fail (!session || RELAY_IS_CHAT_SESSION (session));

  if (!g_set_object (&self->session, session))
    return;

  g_signal_group_set_target (self->session_signals, session);
  relay_message_row_update_actions (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SESSION]);
}

gboolean
relay_message_row_get_json_mode (RelayMessageRow *self)
{
  g_return_val_if_fail (RELAY_IS_MESSAGE_ROW (self), FALSE);

  return self->json_mode;
}

/**
 * relay_message_row_set_json_mode:
 * @json_mode: whether replies are shown as formatted JSON
 */
void
relay_message_row_set_json_mode (RelayMessageRow *self,
                                 gboolean         json_mode)
{
  g_return_if_fail (RELAY_IS_MESSAGE_ROW (self));

  json_mode = !!json_mode;
  if (self->json_mode == json_mode)
    return;

  self->json_mode = json_mode;
  if (self->message != NULL && !relay_message_row_is_user (self))
    relay_markdown_view_set_json_mode (self->markdown_view, json_mode);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_JSON_MODE]);
}

gboolean
relay_message_row_get_editing (RelayMessageRow *self)
{
  g_return_val_if_fail (RELAY_IS_MESSAGE_ROW (self), FALSE);

  return self->editing;
}

/* GObject ---------------------------------------------------------------------------- */

static void
relay_message_row_session_busy_cb (RelayMessageRow *self)
{
  relay_message_row_update_actions (self);
}

static void
relay_message_row_dispose (GObject *object)
{
  RelayMessageRow *self = RELAY_MESSAGE_ROW (object);

  g_signal_group_set_target (self->message_signals, NULL);
  g_signal_group_set_target (self->session_signals, NULL);
  g_clear_handle_id (&self->pending_source, g_source_remove);
  g_clear_object (&self->message);
  g_clear_object (&self->session);
  g_clear_object (&self->message_signals);
  g_clear_object (&self->session_signals);

  /* Parts built on demand are children of their own, not the template's. */
  g_clear_pointer (&self->waiting_box, gtk_widget_unparent);
  g_clear_pointer (&self->error_card, gtk_widget_unparent);
  g_clear_pointer (&self->editor, gtk_widget_unparent);
  self->error_label = NULL;
  self->edit_view = NULL;
  self->versions_box = NULL;
  self->versions_label = NULL;

  gtk_widget_dispose_template (GTK_WIDGET (object), RELAY_TYPE_MESSAGE_ROW);

  G_OBJECT_CLASS (relay_message_row_parent_class)->dispose (object);
}

static void
relay_message_row_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  RelayMessageRow *self = RELAY_MESSAGE_ROW (object);

  switch (prop_id)
    {
    case PROP_MESSAGE:
      g_value_set_object (value, self->message);
      break;

    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;

    case PROP_JSON_MODE:
      g_value_set_boolean (value, self->json_mode);
      break;

    case PROP_EDITING:
      g_value_set_boolean (value, self->editing);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
relay_message_row_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  RelayMessageRow *self = RELAY_MESSAGE_ROW (object);

  switch (prop_id)
    {
    case PROP_MESSAGE:
      relay_message_row_set_message (self, g_value_get_object (value));
      break;

    case PROP_SESSION:
      relay_message_row_set_session (self, g_value_get_object (value));
      break;

    case PROP_JSON_MODE:
      relay_message_row_set_json_mode (self, g_value_get_boolean (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
relay_message_row_install_actions (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "message.copy", NULL,
                                   relay_message_row_copy_action);
  gtk_widget_class_install_action (widget_class, "message.regenerate", NULL,
                                   relay_message_row_regenerate_action);
  /* Retry is Regenerate for a reply that failed or was cut off. */
  gtk_widget_class_install_action (widget_class, "message.retry", NULL,
                                   relay_message_row_regenerate_action);
  gtk_widget_class_install_action (widget_class, "message.edit", NULL,
                                   relay_message_row_edit_action);
  gtk_widget_class_install_action (widget_class, "message.cancel-edit", NULL,
                                   relay_message_row_cancel_edit_action);
  gtk_widget_class_install_action (widget_class, "message.send-edit", NULL,
                                   relay_message_row_send_edit_action);
  gtk_widget_class_install_action (widget_class, "message.delete", NULL,
                                   relay_message_row_delete_action);
  gtk_widget_class_install_action (widget_class, "message.previous-version", NULL,
                                   relay_message_row_previous_version_action);
  gtk_widget_class_install_action (widget_class, "message.next-version", NULL,
                                   relay_message_row_next_version_action);
}

static void
relay_message_row_finalize (GObject *object)
{
  RelayMessageRow *self = RELAY_MESSAGE_ROW (object);

  g_string_free (self->pending, TRUE);

  G_OBJECT_CLASS (relay_message_row_parent_class)->finalize (object);
}

static void
relay_message_row_class_init (RelayMessageRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = relay_message_row_dispose;
  object_class->finalize = relay_message_row_finalize;
  object_class->get_property = relay_message_row_get_property;
  object_class->set_property = relay_message_row_set_property;

  properties[PROP_MESSAGE] =
    g_param_spec_object ("message", NULL, NULL, RELAY_TYPE_MESSAGE,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL, RELAY_TYPE_CHAT_SESSION,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_JSON_MODE] =
    g_param_spec_boolean ("json-mode", NULL, NULL, FALSE,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_EDITING] =
    g_param_spec_boolean ("editing", NULL, NULL, FALSE,
                          (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (RELAY_TYPE_MARKDOWN_VIEW);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/relay-message-row.ui");
  gtk_widget_class_bind_template_child (widget_class, RelayMessageRow, user_label);
  gtk_widget_class_bind_template_child (widget_class, RelayMessageRow, markdown_view);
  gtk_widget_class_bind_template_child (widget_class, RelayMessageRow, footer);
  gtk_widget_class_bind_template_child (widget_class, RelayMessageRow, badge_label);
  gtk_widget_class_bind_template_child (widget_class, RelayMessageRow, caption_label);
  gtk_widget_class_bind_template_child (widget_class, RelayMessageRow, interrupted_retry_button);
  gtk_widget_class_bind_template_child (widget_class, RelayMessageRow, edit_button);
  gtk_widget_class_bind_template_child (widget_class, RelayMessageRow, regenerate_button);

  relay_message_row_install_actions (widget_class);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "messagerow");
}

static void
relay_message_row_init (RelayMessageRow *self)
{
  GtkLayoutManager *layout = gtk_widget_get_layout_manager (GTK_WIDGET (self));

  gtk_orientable_set_orientation (GTK_ORIENTABLE (layout), GTK_ORIENTATION_VERTICAL);
  gtk_box_layout_set_spacing (GTK_BOX_LAYOUT (layout), 6);
  self->pending = g_string_new (NULL);

  gtk_widget_init_template (GTK_WIDGET (self));

  self->message_signals = g_signal_group_new (RELAY_TYPE_MESSAGE);
  g_signal_group_connect_swapped (self->message_signals, "delta",
                                  G_CALLBACK (relay_message_row_delta_cb), self);
  g_signal_group_connect_swapped (self->message_signals, "notify",
                                  G_CALLBACK (relay_message_row_message_notify_cb), self);

  self->session_signals = g_signal_group_new (RELAY_TYPE_CHAT_SESSION);
  g_signal_group_connect_swapped (self->session_signals, "notify::busy",
                                  G_CALLBACK (relay_message_row_session_busy_cb), self);

  relay_message_row_update_actions (self);
}
