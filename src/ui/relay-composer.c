/* relay-composer.c
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "relay-composer"

#include "config.h"

#include <glib/gi18n.h>

#include <gtksourceview/gtksource.h>
#ifdef HAVE_LIBSPELLING
# include <libspelling.h>
#endif

#include "relay-composer.h"

/**
 * RelayComposer:
 *
 * Where the user writes. Enter sends (or Ctrl+Enter, when #RelayComposer:send-with-enter
 * is off), Shift+Enter starts a new line. While a reply streams the Send button becomes
 * Stop. When sending is impossible (no key, offline) #RelayComposer:blocked-reason says
 * why, below the text, instead of a button that silently does nothing.
 *
 * The composer never clears itself: the text stays until its owner has stored the message
 * and calls relay_composer_set_text(), so a failure cannot lose the user's words.
 */
struct _RelayComposer
{
  GtkWidget       parent_instance;

  GtkWidget      *clamp;
  GtkWidget      *card;
  GtkTextView    *text_view;
  GtkScrolledWindow *scroller;
  GtkLabel       *hint_label;
  GtkLabel       *placeholder_label;
  GtkButton      *send_button;
  GtkStack       *button_stack;

#ifdef HAVE_LIBSPELLING
  SpellingTextBufferAdapter *spelling;
#endif
  char           *blocked_reason;
  char           *status;
  guint           busy : 1;
  guint           send_with_enter : 1;
};

enum {
  PROP_0,
  PROP_BUSY,
  PROP_BLOCKED_REASON,
  PROP_SEND_WITH_ENTER,
  PROP_IS_EMPTY,
  N_PROPS
};

enum {
  SEND,
  STOP,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (RelayComposer, relay_composer, GTK_TYPE_WIDGET)

GtkWidget *
relay_composer_new (void)
{
  return g_object_new (RELAY_TYPE_COMPOSER, NULL);
}

static gboolean
relay_composer_is_empty (RelayComposer *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->text_view);
  GtkTextIter start, end;
  g_autofree char *text = NULL;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  text = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  return *g_strstrip (text) == '\0';
}

static void
relay_composer_update_actions (RelayComposer *self)
{
  gboolean blocked = self->blocked_reason != NULL && *self->blocked_reason != '\0';

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "composer.send",
                                 !self->busy && !blocked && !relay_composer_is_empty (self));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "composer.stop", self->busy);
  gtk_stack_set_visible_child_name (self->button_stack, self->busy ? "stop" : "send");
  /* Why sending is impossible outranks what is going on. */
  if (blocked)
    {
      gtk_label_set_text (self->hint_label, self->blocked_reason);
      gtk_widget_add_css_class (GTK_WIDGET (self->hint_label), "warning");
    }
  else
    {
      gtk_label_set_text (self->hint_label, self->status ? self->status : "");
      gtk_widget_remove_css_class (GTK_WIDGET (self->hint_label), "warning");
    }
  gtk_widget_set_visible (GTK_WIDGET (self->hint_label), blocked || self->status != NULL);
}

static void
relay_composer_send_action (GtkWidget  *widget,
                            const char *action_name,
                            GVariant   *parameter)
{
  RelayComposer *self = RELAY_COMPOSER (widget);
  g_autofree char *text = relay_composer_dup_text (self);

  if (self->busy || self->blocked_reason != NULL || *g_strstrip (text) == '\0')
    return;

  g_signal_emit (self, signals[SEND], 0, text);
}

static void
relay_composer_stop_action (GtkWidget  *widget,
                            const char *action_name,
                            GVariant   *parameter)
{
  RelayComposer *self = RELAY_COMPOSER (widget);

  if (self->busy)
    g_signal_emit (self, signals[STOP], 0);
}

static gboolean
relay_composer_key_pressed_cb (RelayComposer         *self,
                               guint                  keyval,
                               guint                  keycode,
                               GdkModifierType        state,
                               GtkEventControllerKey *controller)
{
  GdkModifierType mods = state & gtk_accelerator_get_default_mod_mask ();

  if (keyval != GDK_KEY_Return && keyval != GDK_KEY_KP_Enter && keyval != GDK_KEY_ISO_Enter)
    return GDK_EVENT_PROPAGATE;

  /* Ctrl+Enter sends either way; plain Enter only when that is the preference. */
  if (mods == GDK_CONTROL_MASK || (self->send_with_enter && mods == 0))
    {
      gtk_widget_activate_action (GTK_WIDGET (self), "composer.send", NULL);
      return GDK_EVENT_STOP;
    }

  return GDK_EVENT_PROPAGATE;
}

static void
relay_composer_buffer_changed_cb (RelayComposer *self,
                                  GtkTextBuffer *buffer)
{
  relay_composer_update_actions (self);
  gtk_widget_set_visible (GTK_WIDGET (self->placeholder_label),
                          gtk_text_buffer_get_char_count (buffer) == 0);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_IS_EMPTY]);
}

/* Misspelt words are underlined and the context menu offers corrections, in the
 * language of the user's locale, where libspelling and a dictionary are installed. */
static void
relay_composer_setup_spelling (RelayComposer *self)
{
#ifdef HAVE_LIBSPELLING
  GtkSourceBuffer *buffer = GTK_SOURCE_BUFFER (gtk_text_view_get_buffer (self->text_view));

  self->spelling = spelling_text_buffer_adapter_new (buffer, spelling_checker_get_default ());
  gtk_text_view_set_extra_menu (self->text_view,
                                spelling_text_buffer_adapter_get_menu_model (self->spelling));
  gtk_widget_insert_action_group (GTK_WIDGET (self->text_view), "spelling",
                                  G_ACTION_GROUP (self->spelling));
  spelling_text_buffer_adapter_set_enabled (self->spelling, TRUE);
#endif
}

static void
relay_composer_dispose (GObject *object)
{
#ifdef HAVE_LIBSPELLING
  g_clear_object (&RELAY_COMPOSER (object)->spelling);
#endif
  gtk_widget_dispose_template (GTK_WIDGET (object), RELAY_TYPE_COMPOSER);

  G_OBJECT_CLASS (relay_composer_parent_class)->dispose (object);
}

static void
relay_composer_finalize (GObject *object)
{
  RelayComposer *self = RELAY_COMPOSER (object);

  g_free (self->blocked_reason);
  g_free (self->status);

  G_OBJECT_CLASS (relay_composer_parent_class)->finalize (object);
}

static void
relay_composer_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  RelayComposer *self = RELAY_COMPOSER (object);

  switch (prop_id)
    {
    case PROP_BUSY:
      g_value_set_boolean (value, self->busy);
      break;

    case PROP_BLOCKED_REASON:
      g_value_set_string (value, self->blocked_reason);
      break;

    case PROP_SEND_WITH_ENTER:
      g_value_set_boolean (value, self->send_with_enter);
      break;

    case PROP_IS_EMPTY:
      g_value_set_boolean (value, relay_composer_is_empty (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
relay_composer_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  RelayComposer *self = RELAY_COMPOSER (object);

  switch (prop_id)
    {
    case PROP_BUSY:
      relay_composer_set_busy (self, g_value_get_boolean (value));
      break;

    case PROP_BLOCKED_REASON:
      relay_composer_set_blocked_reason (self, g_value_get_string (value));
      break;

    case PROP_SEND_WITH_ENTER:
      relay_composer_set_send_with_enter (self, g_value_get_boolean (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
relay_composer_class_init (RelayComposerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = relay_composer_dispose;
  object_class->finalize = relay_composer_finalize;
  object_class->get_property = relay_composer_get_property;
  object_class->set_property = relay_composer_set_property;

  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_BLOCKED_REASON] =
    g_param_spec_string ("blocked-reason", NULL, NULL, NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_SEND_WITH_ENTER] =
    g_param_spec_boolean ("send-with-enter", NULL, NULL, TRUE,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_IS_EMPTY] =
    g_param_spec_boolean ("is-empty", NULL, NULL, TRUE,
                          (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * RelayComposer::send:
   * @text: what the user wrote
   *
   * The user asked to send @text.
   */
  signals[SEND] =
    g_signal_new ("send", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);

  /**
   * RelayComposer::stop:
   *
   * The user asked to stop the streaming reply.
   */
  signals[STOP] =
    g_signal_new ("stop", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  g_type_ensure (GTK_SOURCE_TYPE_VIEW);
#ifdef HAVE_LIBSPELLING
  spelling_init ();
#endif
  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/relay-composer.ui");
  gtk_widget_class_bind_template_child (widget_class, RelayComposer, clamp);
  gtk_widget_class_bind_template_child (widget_class, RelayComposer, card);
  gtk_widget_class_bind_template_child (widget_class, RelayComposer, text_view);
  gtk_widget_class_bind_template_child (widget_class, RelayComposer, scroller);
  gtk_widget_class_bind_template_child (widget_class, RelayComposer, hint_label);
  gtk_widget_class_bind_template_child (widget_class, RelayComposer, placeholder_label);
  gtk_widget_class_bind_template_child (widget_class, RelayComposer, send_button);
  gtk_widget_class_bind_template_child (widget_class, RelayComposer, button_stack);
  gtk_widget_class_bind_template_callback (widget_class, relay_composer_key_pressed_cb);

  gtk_widget_class_install_action (widget_class, "composer.send", NULL, relay_composer_send_action);
  gtk_widget_class_install_action (widget_class, "composer.stop", NULL, relay_composer_stop_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "composer.stop", NULL);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "composer");
}

static void
relay_composer_init (RelayComposer *self)
{
  self->send_with_enter = TRUE;

  gtk_widget_init_template (GTK_WIDGET (self));
  relay_composer_setup_spelling (self);

  g_signal_connect_object (gtk_text_view_get_buffer (self->text_view), "changed",
                           G_CALLBACK (relay_composer_buffer_changed_cb), self,
                           G_CONNECT_SWAPPED);
  relay_composer_update_actions (self);
}

/**
 * relay_composer_dup_text:
 *
 * Returns: (transfer full): the text as written
 */
char *
relay_composer_dup_text (RelayComposer *self)
{
  GtkTextBuffer *buffer;
  GtkTextIter start, end;

  g_return_val_if_fail (RELAY_IS_COMPOSER (self), NULL);

  buffer = gtk_text_view_get_buffer (self->text_view);
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

void
relay_composer_set_text (RelayComposer *self,
                         const char    *text)
{
  g_return_if_fail (RELAY_IS_COMPOSER (self));

  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->text_view), text ? text : "", -1);
}

gboolean
relay_composer_get_busy (RelayComposer *self)
{
  g_return_val_if_fail (RELAY_IS_COMPOSER (self), FALSE);

  return self->busy;
}

void
relay_composer_set_busy (RelayComposer *self,
                         gboolean       busy)
{
  g_return_if_fail (RELAY_IS_COMPOSER (self));

  busy = !!busy;
  if (self->busy == busy)
    return;

  self->busy = busy;
  relay_composer_update_actions (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

const char *
relay_composer_get_blocked_reason (RelayComposer *self)
{
  g_return_val_if_fail (RELAY_IS_COMPOSER (self), NULL);

  return self->blocked_reason;
}

/**
 * relay_composer_set_blocked_reason:
 * @reason: (nullable): why sending is not possible now, or %NULL when it is
 */
void
relay_composer_set_blocked_reason (RelayComposer *self,
                                   const char    *reason)
{
  g_return_if_fail (RELAY_IS_COMPOSER (self));

  if (reason != NULL && *reason == '\0')
    reason = NULL;
  if (g_set_str (&self->blocked_reason, reason))
    {
      relay_composer_update_actions (self);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BLOCKED_REASON]);
    }
}

const char *
relay_composer_get_status (RelayComposer *self)
{
  g_return_val_if_fail (RELAY_IS_COMPOSER (self), NULL);

  return self->status;
}

/**
 * relay_composer_set_status:
 * @status: (nullable): what is going on ("Trying again in 5 seconds…"), or %NULL
 *
 * A line under the text that does not stop the user from writing.
 */
void
relay_composer_set_status (RelayComposer *self,
                           const char    *status)
{
  g_return_if_fail (RELAY_IS_COMPOSER (self));

  if (status != NULL && *status == '\0')
    status = NULL;
  if (g_set_str (&self->status, status))
    relay_composer_update_actions (self);
}

gboolean
relay_composer_get_send_with_enter (RelayComposer *self)
{
  g_return_val_if_fail (RELAY_IS_COMPOSER (self), TRUE);

  return self->send_with_enter;
}

void
relay_composer_set_send_with_enter (RelayComposer *self,
                                    gboolean       send_with_enter)
{
  g_return_if_fail (RELAY_IS_COMPOSER (self));

  send_with_enter = !!send_with_enter;
  if (self->send_with_enter != send_with_enter)
    {
      self->send_with_enter = send_with_enter;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SEND_WITH_ENTER]);
    }
}

void
relay_composer_focus (RelayComposer *self)
{
  g_return_if_fail (RELAY_IS_COMPOSER (self));

  gtk_widget_grab_focus (GTK_WIDGET (self->text_view));
}
