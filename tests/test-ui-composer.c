/* test-ui-composer.c: the composer sends, stops, explains why it cannot send, and
 * never drops what the user wrote.
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>

#include "relay-composer.h"
#include "relay-resources.h"

typedef struct
{
  GPtrArray *sent;
  guint      stops;
} Log;

static void
on_send (RelayComposer *composer,
         const char    *text,
         Log           *log)
{
  g_ptr_array_add (log->sent, g_strdup (text));
}

static void
on_stop (RelayComposer *composer,
         Log           *log)
{
  log->stops++;
}

static void
test_composer_send_and_stop (void)
{
  GtkWidget *window = gtk_window_new ();
  RelayComposer *composer = RELAY_COMPOSER (relay_composer_new ());
  Log log = { g_ptr_array_new_with_free_func (g_free), 0 };
  g_autofree char *text = NULL;

  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (composer));
  gtk_window_present (GTK_WINDOW (window));
  g_signal_connect (composer, "send", G_CALLBACK (on_send), &log);
  g_signal_connect (composer, "stop", G_CALLBACK (on_stop), &log);

  /* Nothing to send: the action does nothing. */
  gtk_widget_activate_action (GTK_WIDGET (composer), "composer.send", NULL);
  relay_composer_set_text (composer, "   \n ");
  gtk_widget_activate_action (GTK_WIDGET (composer), "composer.send", NULL);
  g_assert_cmpuint (log.sent->len, ==, 0);

  relay_composer_set_text (composer, "Hello\nworld");
  gtk_widget_activate_action (GTK_WIDGET (composer), "composer.send", NULL);
  g_assert_cmpuint (log.sent->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (log.sent, 0), ==, "Hello\nworld");

  /* The text stays until the owner has stored it. */
  text = relay_composer_dup_text (composer);
  g_assert_cmpstr (text, ==, "Hello\nworld");

  /* While busy, Send is off and Stop works. */
  relay_composer_set_busy (composer, TRUE);
  gtk_widget_activate_action (GTK_WIDGET (composer), "composer.send", NULL);
  g_assert_cmpuint (log.sent->len, ==, 1);
  gtk_widget_activate_action (GTK_WIDGET (composer), "composer.stop", NULL);
  g_assert_cmpuint (log.stops, ==, 1);

  relay_composer_set_busy (composer, FALSE);
  gtk_widget_activate_action (GTK_WIDGET (composer), "composer.stop", NULL);
  g_assert_cmpuint (log.stops, ==, 1);

  g_ptr_array_unref (log.sent);
  gtk_window_destroy (GTK_WINDOW (window));
}

static GtkLabel *
find_visible_label_with_text (GtkWidget  *widget,
                              const char *text)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkLabel *found;

      if (GTK_IS_LABEL (child) && gtk_widget_get_visible (child) &&
          g_strcmp0 (gtk_label_get_text (GTK_LABEL (child)), text) == 0)
        return GTK_LABEL (child);
      if ((found = find_visible_label_with_text (child, text)))
        return found;
    }
  return NULL;
}

static void
test_composer_blocked_reason (void)
{
  GtkWidget *window = gtk_window_new ();
  RelayComposer *composer = RELAY_COMPOSER (relay_composer_new ());
  Log log = { g_ptr_array_new_with_free_func (g_free), 0 };
  const char *reason = "Offline — your message will wait here until the network is back";

  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (composer));
  gtk_window_present (GTK_WINDOW (window));
  g_signal_connect (composer, "send", G_CALLBACK (on_send), &log);

  relay_composer_set_text (composer, "Are you there?");
  relay_composer_set_blocked_reason (composer, reason);
  g_assert_nonnull (find_visible_label_with_text (GTK_WIDGET (composer), reason));
  gtk_widget_activate_action (GTK_WIDGET (composer), "composer.send", NULL);
  g_assert_cmpuint (log.sent->len, ==, 0);

  relay_composer_set_blocked_reason (composer, NULL);
  g_assert_null (find_visible_label_with_text (GTK_WIDGET (composer), reason));
  gtk_widget_activate_action (GTK_WIDGET (composer), "composer.send", NULL);
  g_assert_cmpuint (log.sent->len, ==, 1);

  g_ptr_array_unref (log.sent);
  gtk_window_destroy (GTK_WINDOW (window));
}

static GtkTextView *
find_text_view (GtkWidget *widget)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkTextView *found;

      if (GTK_IS_TEXT_VIEW (child))
        return GTK_TEXT_VIEW (child);
      if ((found = find_text_view (child)))
        return found;
    }
  return NULL;
}

static void
test_composer_spell_checking (void)
{
#ifdef HAVE_LIBSPELLING
  GtkWidget *window = gtk_window_new ();
  RelayComposer *composer = RELAY_COMPOSER (relay_composer_new ());
  GtkTextView *view;

  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (composer));
  gtk_window_present (GTK_WINDOW (window));
  view = find_text_view (GTK_WIDGET (composer));
  g_assert_nonnull (view);

  /* The context menu offers the checker's corrections and language choice. */
  g_assert_nonnull (gtk_text_view_get_extra_menu (view));
  g_assert_cmpint (g_menu_model_get_n_items (gtk_text_view_get_extra_menu (view)), >, 0);
  gtk_window_destroy (GTK_WINDOW (window));
#else
  g_test_skip ("built without libspelling");
#endif
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  g_resources_register (relay_get_resource ());

  g_test_add_func ("/ui/composer/send-and-stop", test_composer_send_and_stop);
  g_test_add_func ("/ui/composer/blocked-reason", test_composer_blocked_reason);
  g_test_add_func ("/ui/composer/spell-checking", test_composer_spell_checking);

  return g_test_run ();
}
