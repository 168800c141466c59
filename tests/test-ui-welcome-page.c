/* test-ui-welcome-page.c: the first-run page hands over a trimmed key and base URL,
 * and shows each failure on the field to fix.
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>

#include "relay-resources.h"
#include "relay-welcome-page.h"

typedef struct
{
  char *key;
  char *url;
  guint count;
} Submitted;

static void
on_submit (RelayWelcomePage *page,
           const char       *key,
           const char       *url,
           Submitted        *submitted)
{
  g_set_str (&submitted->key, key);
  g_set_str (&submitted->url, url);
  submitted->count++;
}

static GtkWidget *
find_by_type (GtkWidget *widget,
              GType      type,
              guint      nth)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (G_TYPE_CHECK_INSTANCE_TYPE (child, type) && nth-- == 0)
        return child;
      if ((found = find_by_type (child, type, nth)))
        return found;
    }
  return NULL;
}

static GtkWidget *
find_label (GtkWidget  *widget,
            const char *text)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (GTK_IS_LABEL (child) && g_strcmp0 (gtk_label_get_text (GTK_LABEL (child)), text) == 0)
        return child;
      if ((found = find_label (child, text)))
        return found;
    }
  return NULL;
}

static void
test_welcome_submits_trimmed_values (void)
{
  GtkWidget *window = gtk_window_new ();
  RelayWelcomePage *page = RELAY_WELCOME_PAGE (relay_welcome_page_new ());
  Submitted submitted = { 0 };
  GtkWidget *key_row;

  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (page));
  gtk_window_present (GTK_WINDOW (window));
  g_signal_connect (page, "submit", G_CALLBACK (on_submit), &submitted);

  /* No key: Continue does nothing. */
  gtk_widget_activate_action (GTK_WIDGET (page), "welcome.continue", NULL);
  g_assert_cmpuint (submitted.count, ==, 0);

  key_row = find_by_type (GTK_WIDGET (page), ADW_TYPE_PASSWORD_ENTRY_ROW, 0);
  g_assert_nonnull (key_row);
  gtk_editable_set_text (GTK_EDITABLE (key_row), "  s2_abc123  ");
  relay_welcome_page_set_base_url (page, " http://127.0.0.1:8080/v1 ");
  gtk_widget_activate_action (GTK_WIDGET (page), "welcome.continue", NULL);
  g_assert_cmpuint (submitted.count, ==, 1);
  g_assert_cmpstr (submitted.key, ==, "s2_abc123");
  g_assert_cmpstr (submitted.url, ==, "http://127.0.0.1:8080/v1");

  /* While the key is checked, a second Continue is ignored. */
  relay_welcome_page_set_busy (page, TRUE);
  gtk_widget_activate_action (GTK_WIDGET (page), "welcome.continue", NULL);
  g_assert_cmpuint (submitted.count, ==, 1);
  g_assert_false (gtk_widget_get_sensitive (key_row));

  /* A wrong key: the message shows, the key row is marked, the user can try again. */
  relay_welcome_page_set_error (page, RELAY_WELCOME_FIELD_KEY,
                                "The Key Was Not Accepted",
                                "Check the key on the RouteLLM API page and paste it again.");
  g_assert_nonnull (find_label (GTK_WIDGET (page), "The Key Was Not Accepted"));
  g_assert_true (gtk_widget_has_css_class (key_row, "error"));
  g_assert_true (gtk_widget_get_sensitive (key_row));
  gtk_editable_set_text (GTK_EDITABLE (key_row), "s2_other");
  g_assert_false (gtk_widget_has_css_class (key_row, "error"));
  gtk_widget_activate_action (GTK_WIDGET (page), "welcome.continue", NULL);
  g_assert_cmpuint (submitted.count, ==, 2);

  g_free (submitted.key);
  g_free (submitted.url);
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_welcome_base_url_error_opens_server_row (void)
{
  GtkWidget *window = gtk_window_new ();
  RelayWelcomePage *page = RELAY_WELCOME_PAGE (relay_welcome_page_new ());
  AdwExpanderRow *server_row;

  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (page));
  gtk_window_present (GTK_WINDOW (window));

  server_row = ADW_EXPANDER_ROW (find_by_type (GTK_WIDGET (page), ADW_TYPE_EXPANDER_ROW, 0));
  g_assert_false (adw_expander_row_get_expanded (server_row));
  relay_welcome_page_set_error (page, RELAY_WELCOME_FIELD_BASE_URL,
                                "This Is Not a RouteLLM Address",
                                "The base URL ends in /v1.");
  g_assert_true (adw_expander_row_get_expanded (server_row));
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  g_resources_register (relay_get_resource ());

  g_test_add_func ("/ui/welcome/submits-trimmed-values", test_welcome_submits_trimmed_values);
  g_test_add_func ("/ui/welcome/base-url-error-opens-server-row", test_welcome_base_url_error_opens_server_row);

  return g_test_run ();
}
