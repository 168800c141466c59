/* relay-welcome-page.c
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "relay-welcome-page"

#include "config.h"

#include <glib/gi18n.h>

#include "relay-welcome-page.h"

/**
 * RelayWelcomePage:
 *
 * The first thing a new user sees: asks for the RouteLLM API key and, for enterprise
 * workspaces, the base URL. Emits #RelayWelcomePage::submit; its owner checks the key
 * and answers with relay_welcome_page_set_error() or moves on.
 */
struct _RelayWelcomePage
{
  AdwBin                parent_instance;

  AdwPasswordEntryRow  *key_row;
  AdwEntryRow          *base_url_row;
  AdwExpanderRow       *server_row;
  GtkButton            *continue_button;
  GtkStack             *continue_stack;
  GtkRevealer          *error_revealer;
  GtkLabel             *error_title;
  GtkLabel             *error_label;

  guint                 busy : 1;
};

enum {
  SUBMIT,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (RelayWelcomePage, relay_welcome_page, ADW_TYPE_BIN)

GtkWidget *
relay_welcome_page_new (void)
{
  return g_object_new (RELAY_TYPE_WELCOME_PAGE, NULL);
}

static void
relay_welcome_page_update (RelayWelcomePage *self)
{
  const char *key = gtk_editable_get_text (GTK_EDITABLE (self->key_row));
  const char *url = gtk_editable_get_text (GTK_EDITABLE (self->base_url_row));
  g_autofree char *key_stripped = g_strstrip (g_strdup (key));

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "welcome.continue",
                                 !self->busy && *key_stripped != '\0' && *url != '\0');
  gtk_widget_set_sensitive (GTK_WIDGET (self->key_row), !self->busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->server_row), !self->busy);
  gtk_stack_set_visible_child_name (self->continue_stack, self->busy ? "spinner" : "label");
}

static void
relay_welcome_page_changed_cb (RelayWelcomePage *self)
{
  gtk_widget_remove_css_class (GTK_WIDGET (self->key_row), "error");
  gtk_widget_remove_css_class (GTK_WIDGET (self->base_url_row), "error");
  gtk_revealer_set_reveal_child (self->error_revealer, FALSE);
  relay_welcome_page_update (self);
}

static void
relay_welcome_page_continue_action (GtkWidget  *widget,
                                    const char *action_name,
                                    GVariant   *parameter)
{
  RelayWelcomePage *self = RELAY_WELCOME_PAGE (widget);
  g_autofree char *key = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->key_row)));
  g_autofree char *url = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->base_url_row)));

  g_strstrip (key);
  g_strstrip (url);
  if (self->busy || *key == '\0' || *url == '\0')
    return;

  gtk_revealer_set_reveal_child (self->error_revealer, FALSE);
  g_signal_emit (self, signals[SUBMIT], 0, key, url);
}

static void
relay_welcome_page_entry_activated_cb (RelayWelcomePage *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "welcome.continue", NULL);
}

static void
relay_welcome_page_map (GtkWidget *widget)
{
  RelayWelcomePage *self = RELAY_WELCOME_PAGE (widget);

  GTK_WIDGET_CLASS (relay_welcome_page_parent_class)->map (widget);

  /* The key is the one thing asked for: the cursor waits there. */
  gtk_widget_grab_focus (GTK_WIDGET (self->key_row));
}

static void
relay_welcome_page_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), RELAY_TYPE_WELCOME_PAGE);

  G_OBJECT_CLASS (relay_welcome_page_parent_class)->dispose (object);
}

static void
relay_welcome_page_class_init (RelayWelcomePageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = relay_welcome_page_dispose;
  widget_class->map = relay_welcome_page_map;

  /**
   * RelayWelcomePage::submit:
   * @key: the API key as entered, trimmed
   * @base_url: the base URL as entered, trimmed
   */
  signals[SUBMIT] =
    g_signal_new ("submit", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/relay-welcome-page.ui");
  gtk_widget_class_bind_template_child (widget_class, RelayWelcomePage, key_row);
  gtk_widget_class_bind_template_child (widget_class, RelayWelcomePage, base_url_row);
  gtk_widget_class_bind_template_child (widget_class, RelayWelcomePage, server_row);
  gtk_widget_class_bind_template_child (widget_class, RelayWelcomePage, continue_button);
  gtk_widget_class_bind_template_child (widget_class, RelayWelcomePage, continue_stack);
  gtk_widget_class_bind_template_child (widget_class, RelayWelcomePage, error_revealer);
  gtk_widget_class_bind_template_child (widget_class, RelayWelcomePage, error_title);
  gtk_widget_class_bind_template_child (widget_class, RelayWelcomePage, error_label);
  gtk_widget_class_bind_template_callback (widget_class, relay_welcome_page_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, relay_welcome_page_entry_activated_cb);

  gtk_widget_class_install_action (widget_class, "welcome.continue", NULL,
                                   relay_welcome_page_continue_action);
}

static void
relay_welcome_page_init (RelayWelcomePage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  relay_welcome_page_update (self);
}

void
relay_welcome_page_set_base_url (RelayWelcomePage *self,
                                 const char       *base_url)
{
  g_return_if_fail (RELAY_IS_WELCOME_PAGE (self));

  gtk_editable_set_text (GTK_EDITABLE (self->base_url_row), base_url ? base_url : "");
}

void
relay_welcome_page_set_busy (RelayWelcomePage *self,
                             gboolean          busy)
{
  g_return_if_fail (RELAY_IS_WELCOME_PAGE (self));

  self->busy = !!busy;
  relay_welcome_page_update (self);
}

/**
 * relay_welcome_page_set_error:
 * @field: the field to fix, highlighted
 * @title: a short heading ("The Key Was Not Accepted")
 * @message: what to do about it
 *
 * Shows why the key could not be checked. A problem with the server address opens
 * the server row, so the user sees the field to fix.
 */
void
relay_welcome_page_set_error (RelayWelcomePage  *self,
                              RelayWelcomeField  field,
                              const char        *title,
                              const char        *message)
{
  g_return_if_fail (RELAY_IS_WELCOME_PAGE (self));

  relay_welcome_page_set_busy (self, FALSE);
  if (field == RELAY_WELCOME_FIELD_KEY)
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->key_row), "error");
      gtk_widget_grab_focus (GTK_WIDGET (self->key_row));
    }
  else if (field == RELAY_WELCOME_FIELD_BASE_URL)
    {
      adw_expander_row_set_expanded (self->server_row, TRUE);
      gtk_widget_add_css_class (GTK_WIDGET (self->base_url_row), "error");
      gtk_widget_grab_focus (GTK_WIDGET (self->base_url_row));
    }
  gtk_label_set_text (self->error_title, title);
  gtk_label_set_text (self->error_label, message);
  gtk_revealer_set_reveal_child (self->error_revealer, TRUE);
  gtk_accessible_announce (GTK_ACCESSIBLE (self), title, GTK_ACCESSIBLE_ANNOUNCEMENT_PRIORITY_HIGH);
}

void
relay_welcome_page_reset (RelayWelcomePage *self)
{
  g_return_if_fail (RELAY_IS_WELCOME_PAGE (self));

  gtk_editable_set_text (GTK_EDITABLE (self->key_row), "");
  gtk_revealer_set_reveal_child (self->error_revealer, FALSE);
  relay_welcome_page_set_busy (self, FALSE);
}
