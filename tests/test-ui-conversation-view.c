/* test-ui-conversation-view.c: the chat as the user sees it: messages and replies,
 * captions, streaming through the whole stack from the fake server, Stop, errors with
 * Retry, versions, Edit and Resend, Delete, following the latest message, ten thousand
 * messages, and screenshots.
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "chat-view-test-util.h"
#include "markdown-generator.h"

#define ROUTED "claude-4-5-sonnet"

typedef struct
{
  char                  *dir;
  char                  *path;
  RelayStore            *store;
  RelayFakeServer       *server;
  RelayClient           *client;
  RelayConversation     *conversation;
  RelayChatSession      *session;
  GtkWindow             *window;
  RelayConversationView *view;
} Fixture;

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  GtkWidget *toasts;

  chat_test_load_styles ();

  fixture->dir = test_make_dir ();
  fixture->path = g_build_filename (fixture->dir, "relay.db", NULL);
  fixture->store = test_open_store (fixture->path);
  fixture->server = relay_fake_server_new ();
  fixture->client = relay_client_new ();
  g_assert_true (relay_client_set_base_url (fixture->client,
                                            relay_fake_server_get_base_url (fixture->server),
                                            &error));
  g_assert_no_error (error);
  relay_client_set_api_key (fixture->client, CHAT_KEY);
  /* A 5xx fails at once here; retries are the client's tests' business. */
  relay_client_set_max_attempts (fixture->client, 1);

  fixture->conversation = relay_conversation_new (fixture->store);
  relay_conversation_set_model (fixture->conversation, "route-llm");
  fixture->session = relay_chat_session_new (fixture->conversation, fixture->client, NULL);

  fixture->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (fixture->window, 800, 700);
  toasts = adw_toast_overlay_new ();
  fixture->view = RELAY_CONVERSATION_VIEW (relay_conversation_view_new ());
  adw_toast_overlay_set_child (ADW_TOAST_OVERLAY (toasts), GTK_WIDGET (fixture->view));
  gtk_window_set_child (fixture->window, toasts);
  relay_conversation_view_set_session (fixture->view, fixture->session);
  relay_conversation_view_set_conversation (fixture->view, fixture->conversation);
  gtk_window_present (fixture->window);
  TEST_WAIT_UNTIL (gtk_widget_get_mapped (GTK_WIDGET (fixture->view)));
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  relay_chat_session_stop (fixture->session);
  TEST_WAIT_UNTIL (!relay_chat_session_get_busy (fixture->session));
  gtk_window_destroy (fixture->window);
  g_clear_object (&fixture->session);
  /* Saves still on their way hold the conversation until they are done. */
  test_flush (fixture->store);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_finalize_object (fixture->conversation);
  test_close_store (g_steal_pointer (&fixture->store));
  g_clear_object (&fixture->client);
  g_clear_object (&fixture->server);
  test_remove_tree (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->path);
}

static void
send_and_wait_stored (Fixture    *fixture,
                      const char *text)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  relay_chat_session_send_async (fixture->session, text, NULL, test_result_cb, &result);
  g_assert_true (relay_chat_session_send_finish (fixture->session, test_wait_result (&result),
                                                 &error));
  g_assert_no_error (error);
}

static void
wait_idle (Fixture *fixture)
{
  TEST_WAIT_UNTIL (!relay_chat_session_get_busy (fixture->session));
}

static RelayMessageRow *
wait_row (Fixture      *fixture,
          RelayMessage *message)
{
  RelayMessageRow *row = NULL;

  TEST_WAIT_UNTIL ((row = chat_test_find_row (GTK_WIDGET (fixture->view), message)) != NULL);
  return row;
}

static RelayMessage *
item (Fixture *fixture,
      guint    position)
{
  return test_message_at (G_LIST_MODEL (fixture->conversation), position);
}

static RelayMessage *
append_message (Fixture    *fixture,
                RelayRole   role,
                const char *content)
{
  RelayMessage *message = relay_message_new (role, content);

  if (role == RELAY_ROLE_ASSISTANT)
    relay_message_set_model (message, "route-llm");
  test_append (fixture->conversation, message);
  g_object_unref (message);
  return message;
}

static void
queue_text_reply (Fixture    *fixture,
                  const char *routed_model,
                  const char *text)
{
  g_autoptr(GPtrArray) pieces = chat_test_split (text, 1, 6);

  relay_fake_server_queue_reply (fixture->server, CHAT_PATH,
                                 chat_test_stream (routed_model, pieces, 1, 1, 12, 34));
}

/* Rows -------------------------------------------------------------------------------- */

static void
test_user_and_reply (Fixture       *fixture,
                     gconstpointer  data)
{
  RelayMessage *question = append_message (fixture, RELAY_ROLE_USER, "What is *GTK*?");
  RelayMessage *answer = append_message (fixture, RELAY_ROLE_ASSISTANT,
                                         "A **toolkit**.\n\n- widgets\n- lists");
  RelayMessageRow *user_row = wait_row (fixture, question);
  RelayMessageRow *reply_row = wait_row (fixture, answer);
  g_autofree char *shown = NULL;
  GtkWidget *bubble;

  /* The user's words as written, in a bubble; no Markdown, no caption. */
  g_assert_true (chat_test_shows (user_row, "user_label"));
  g_assert_cmpstr (chat_test_label_text (user_row, "user_label"), ==, "What is *GTK*?");
  bubble = chat_test_find_by_id (GTK_WIDGET (user_row), "user_label");
  g_assert_true (gtk_widget_has_css_class (bubble, "user-bubble"));
  g_assert_true (gtk_label_get_selectable (GTK_LABEL (bubble)));
  g_assert_false (chat_test_shows (user_row, "markdown_view"));
  g_assert_false (chat_test_shows (user_row, "caption_label"));
  g_assert_true (chat_test_shows (user_row, "edit_button"));
  g_assert_false (chat_test_shows (user_row, "regenerate_button"));
  g_assert_cmpint (gtk_widget_get_halign (bubble), ==, GTK_ALIGN_END);

  /* The reply as Markdown, with a caption; no bubble. */
  g_assert_false (chat_test_shows (reply_row, "user_label"));
  g_assert_true (chat_test_shows (reply_row, "markdown_view"));
  shown = relay_markdown_view_dup_shown_text (chat_test_row_markdown (reply_row));
  g_assert_cmpstr (shown, ==, "A toolkit.\n\n• widgets\n• lists");
  g_assert_true (chat_test_shows (reply_row, "caption_label"));
  g_assert_cmpstr (chat_test_label_text (reply_row, "caption_label"), ==, "route-llm");
  g_assert_true (chat_test_shows (reply_row, "regenerate_button"));
  g_assert_false (chat_test_shows (reply_row, "edit_button"));
  g_assert_false (chat_test_shows (reply_row, "error_card"));
  g_assert_false (chat_test_shows (reply_row, "waiting_box"));
}

static void
test_caption (void)
{
  g_autoptr(RelayMessage) reply = relay_message_new (RELAY_ROLE_ASSISTANT, "Hi");
  g_autofree char *with_cost = NULL;
  g_autofree char *without_cost = NULL;
  g_autofree char *pending = NULL;
  g_autoptr(RelayMessage) plain = relay_message_new (RELAY_ROLE_ASSISTANT, "Hi");
  g_autofree char *direct = NULL;

  relay_message_set_model (reply, "route-llm");
  pending = relay_message_row_format_caption (reply);
  g_assert_cmpstr (pending, ==, "route-llm");

  relay_message_set_routed_model (reply, ROUTED);
  relay_message_set_usage (reply, 412, 90, -1);
  relay_message_set_cost (reply, 0.0031);
  relay_message_set_first_token_usec (reply, 400000);
  relay_message_set_duration_usec (reply, 1200000);
  with_cost = relay_message_row_format_caption (reply);
  g_assert_cmpstr (with_cost, ==,
                   "route-llm → claude-4-5-sonnet · 412 tokens in · 90 out · $0.0031 · "
                   "1.2 s (first token 0.4 s)");

  /* A price that is not known is not shown, not even as $0. */
  relay_message_set_cost (reply, -1);
  without_cost = relay_message_row_format_caption (reply);
  g_assert_cmpstr (without_cost, ==,
                   "route-llm → claude-4-5-sonnet · 412 tokens in · 90 out · "
                   "1.2 s (first token 0.4 s)");

  /* Asked for a model by name: no arrow. */
  relay_message_set_model (plain, "gpt-5.2");
  relay_message_set_routed_model (plain, "gpt-5.2");
  relay_message_set_cost (plain, 1.5);
  direct = relay_message_row_format_caption (plain);
  g_assert_cmpstr (direct, ==, "gpt-5.2 · $1.50");
}

static void
test_row_follows_message (Fixture       *fixture,
                          gconstpointer  data)
{
  RelayMessage *reply = append_message (fixture, RELAY_ROLE_ASSISTANT, "");
  RelayMessageRow *row;

  relay_message_set_state (reply, RELAY_MESSAGE_STATE_PENDING);
  row = wait_row (fixture, reply);

  /* A spinner until the first token. */
  g_assert_true (chat_test_shows (row, "waiting_box"));
  g_assert_false (chat_test_shows (row, "markdown_view"));

  /* The routed model from the first chunk on, before any text. */
  relay_message_set_routed_model (reply, ROUTED);
  g_assert_cmpstr (chat_test_label_text (row, "caption_label"), ==, "route-llm → " ROUTED);

  relay_message_append_content (reply, "Hello", -1);
  g_assert_false (chat_test_shows (row, "waiting_box"));
  g_assert_true (chat_test_shows (row, "markdown_view"));
  relay_message_set_usage (reply, 5, 6, -1);
  relay_message_set_cost (reply, 0.5);
  relay_message_set_state (reply, RELAY_MESSAGE_STATE_COMPLETE);
  g_assert_cmpstr (chat_test_label_text (row, "caption_label"), ==,
                   "route-llm → " ROUTED " · 5 tokens in · 6 out · $0.5000");

  /* Interrupted by a crash: said so, with Retry. */
  relay_message_set_state (reply, RELAY_MESSAGE_STATE_INTERRUPTED);
  g_assert_true (chat_test_shows (row, "badge_label"));
  g_assert_cmpstr (chat_test_label_text (row, "badge_label"), ==, "Interrupted");
  g_assert_true (chat_test_shows (row, "interrupted_retry_button"));
  g_assert_true (gtk_widget_get_sensitive (chat_test_find_by_id (GTK_WIDGET (row),
                                                                 "interrupted_retry_button")));
}

static void
test_json_mode (Fixture       *fixture,
                gconstpointer  data)
{
  RelayMessage *reply;
  RelayMessageRow *row;
  RelayMarkdownView *markdown;
  g_autofree char *shown = NULL;

  relay_chat_settings_set_json_mode (relay_conversation_get_settings (fixture->conversation), TRUE);
  g_assert_true (relay_conversation_view_get_json_mode (fixture->view));
  reply = append_message (fixture, RELAY_ROLE_ASSISTANT, "{\"city\":\"Lisbon\",\"days\":2}");
  row = wait_row (fixture, reply);
  markdown = chat_test_row_markdown (row);
  g_assert_true (relay_markdown_view_get_json_mode (markdown));
  g_assert_cmpstr (relay_markdown_view_get_block_kind (markdown, 0), ==, "code");
  shown = relay_markdown_view_dup_shown_text (markdown);
  g_assert_cmpstr (shown, ==, "{\n  \"city\" : \"Lisbon\",\n  \"days\" : 2\n}");
}

/* Streaming through the whole stack ------------------------------------------------- */

typedef struct
{
  RelayMessage *reply;
  guint         deltas;
} StreamWatch;

static void
count_delta_cb (RelayMessage *message,
                const char   *text,
                guint         length,
                StreamWatch  *watch)
{
  watch->deltas++;
}

static void
session_reply_cb (RelayChatSession *session,
                  GParamSpec       *pspec,
                  StreamWatch      *watch)
{
  RelayMessage *reply = relay_chat_session_get_reply (session);

  if (reply != NULL && watch->reply == NULL)
    {
      watch->reply = g_object_ref (reply);
      g_signal_connect (reply, "delta", G_CALLBACK (count_delta_cb), watch);
    }
}

static void
stream_at_rate (Fixture *fixture,
                guint    per_second)
{
  g_autoptr(GString) doc = markdown_generator_document (per_second, 15000);
  g_autoptr(GPtrArray) pieces = chat_test_split (doc->str, per_second + 1, 8);
  StreamWatch watch = { 0 };
  RelayMessageRow *row;
  RelayMarkdownView *markdown;
  GtkWidget *first_block = NULL;
  g_autofree char *whole = NULL;
  g_autofree char *shown = NULL;
  guint next_check = 500, checks = 0;
  gint64 start;

  g_assert_cmpuint (pieces->len, >=, 3000);
  /* 2 ms between writes: one chunk each at 500 a second, ten at 5,000. */
  relay_fake_server_queue_reply (fixture->server, CHAT_PATH,
                                 chat_test_stream (ROUTED, pieces, MAX (1, per_second / 500), 2,
                                                   1204, 3100));
  g_signal_connect (fixture->session, "notify::reply", G_CALLBACK (session_reply_cb), &watch);
  start = g_get_monotonic_time ();
  send_and_wait_stored (fixture, "Write a long reply with code");
  TEST_WAIT_UNTIL (watch.deltas > 0);
  row = wait_row (fixture, watch.reply);
  markdown = chat_test_row_markdown (row);

  /* Who answers is shown from the first chunk on, while the text still streams. */
  g_assert_cmpint (relay_message_get_state (watch.reply), ==, RELAY_MESSAGE_STATE_STREAMING);
  g_assert_true (g_str_has_prefix (chat_test_label_text (row, "caption_label"),
                                   "route-llm → " ROUTED));

  /* Now and then, what the row shows equals a whole render of the text so far. */
  while (relay_chat_session_get_busy (fixture->session))
    {
      g_main_context_iteration (NULL, TRUE);
      if (watch.deltas >= next_check && relay_chat_session_get_busy (fixture->session))
        {
          /* The row hands text over to its view at most twenty times a second: what
           * the view has is the reply so far, or a little less. */
          const char *handed = relay_markdown_view_get_text (markdown);
          g_autofree char *so_far = relay_markdown_view_dup_shown_text (markdown);
          g_autofree char *expected = chat_test_render_whole (handed, FALSE);

          g_assert_true (g_str_has_prefix (relay_message_get_content (watch.reply), handed));
          g_assert_cmpuint (strlen (handed), >, 0);
          g_assert_cmpstr (so_far, ==, expected);
          if (first_block == NULL && relay_markdown_view_get_n_blocks (markdown) > 0)
            first_block = relay_markdown_view_get_block (markdown, 0);
          next_check += 500;
          checks++;
        }
    }
  g_test_message ("%u deltas (%zu bytes) at %u a second in %.2f s, %u intermediate checks",
                  watch.deltas, doc->len, per_second,
                  (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC, checks);

  g_assert_cmpint (relay_message_get_state (watch.reply), ==, RELAY_MESSAGE_STATE_COMPLETE);
  g_assert_cmpstr (relay_message_get_content (watch.reply), ==, doc->str);
  g_assert_cmpuint (watch.deltas, ==, pieces->len);
  g_assert_cmpuint (checks, >=, 2);

  /* The final text, read back from the row, equals a whole render, in order. */
  g_assert_true (chat_test_find_row (GTK_WIDGET (fixture->view), watch.reply) == row);
  shown = relay_markdown_view_dup_shown_text (markdown);
  whole = chat_test_render_whole (doc->str, FALSE);
  g_assert_cmpstr (shown, ==, whole);
  g_assert_cmpuint (relay_markdown_view_get_n_blocks (markdown), >, 100);
  /* Appended to, never rebuilt: the first block is the widget it was at the start. */
  g_assert_true (relay_markdown_view_get_block (markdown, 0) == first_block);
  g_assert_true (g_str_has_prefix (chat_test_label_text (row, "caption_label"),
                                   "route-llm → " ROUTED " · 1204 tokens in · 3100 out · "));

  g_signal_handlers_disconnect_by_data (fixture->session, &watch);
  g_signal_handlers_disconnect_by_data (watch.reply, &watch);
  g_clear_object (&watch.reply);
}

static void
test_stream_500 (Fixture       *fixture,
                 gconstpointer  data)
{
  stream_at_rate (fixture, 500);
}

static void
test_stream_5000 (Fixture       *fixture,
                  gconstpointer  data)
{
  stream_at_rate (fixture, 5000);
}

/* Stop, errors, versions, edit, delete ------------------------------------------------ */

static void
test_stop_keeps_text (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GString) doc = markdown_generator_document (3, 4000);
  g_autoptr(GPtrArray) pieces = chat_test_split (doc->str, 4, 6);
  StreamWatch watch = { 0 };
  RelayMessageRow *row;
  g_autofree char *shown = NULL;
  g_autofree char *expected = NULL;

  relay_fake_server_queue_reply (fixture->server, CHAT_PATH,
                                 chat_test_stream (ROUTED, pieces, 1, 10, 10, 10));
  g_signal_connect (fixture->session, "notify::reply", G_CALLBACK (session_reply_cb), &watch);
  send_and_wait_stored (fixture, "Tell me everything");
  TEST_WAIT_UNTIL (watch.deltas >= 40);
  row = wait_row (fixture, watch.reply);

  relay_chat_session_stop (fixture->session);
  wait_idle (fixture);

  g_assert_cmpint (relay_message_get_state (watch.reply), ==, RELAY_MESSAGE_STATE_STOPPED);
  g_assert_cmpuint (relay_message_get_content_length (watch.reply), >, 0);
  g_assert_cmpuint (relay_message_get_content_length (watch.reply), <, doc->len);
  g_assert_true (chat_test_shows (row, "badge_label"));
  g_assert_cmpstr (chat_test_label_text (row, "badge_label"), ==, "Stopped");
  g_assert_false (chat_test_shows (row, "error_card"));
  shown = relay_markdown_view_dup_shown_text (chat_test_row_markdown (row));
  expected = chat_test_render_whole (relay_message_get_content (watch.reply), FALSE);
  g_assert_cmpstr (shown, ==, expected);
  /* Stopped, it can be asked again. */
  g_assert_true (gtk_widget_get_sensitive (chat_test_find_by_id (GTK_WIDGET (row),
                                                                 "regenerate_button")));

  g_signal_handlers_disconnect_by_data (fixture->session, &watch);
  g_signal_handlers_disconnect_by_data (watch.reply, &watch);
  g_clear_object (&watch.reply);
}

static void
test_error_retry_versions (Fixture       *fixture,
                           gconstpointer  data)
{
  RelayMessage *question, *failed, *retried;
  RelayMessageRow *row;
  g_autofree char *shown = NULL;

  relay_fake_server_queue_reply (fixture->server, CHAT_PATH,
                                 relay_fake_reply_new_error (500, RELAY_FAKE_BODY_JSON,
                                                             "The upstream model is overloaded"));
  send_and_wait_stored (fixture, "Plan a weekend in Lisbon");
  wait_idle (fixture);

  question = item (fixture, 0);
  failed = item (fixture, 1);
  g_assert_cmpstr (relay_message_get_content (question), ==, "Plan a weekend in Lisbon");
  g_assert_cmpint (relay_message_get_state (failed), ==, RELAY_MESSAGE_STATE_FAILED);

  /* The reason in the reply's place, with Retry. */
  row = wait_row (fixture, failed);
  g_assert_true (chat_test_shows (row, "error_card"));
  g_assert_false (chat_test_shows (row, "markdown_view"));
  g_assert_nonnull (strstr (chat_test_label_text (row, "error_label"),
                            "The upstream model is overloaded"));
  g_assert_false (chat_test_shows (row, "versions_box"));

  queue_text_reply (fixture, "gpt-5.2", "**Day one:** Alfama.");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (row), "message.retry", NULL));
  wait_idle (fixture);

  /* The retry is a second version beside the failed one; the question is still there. */
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->conversation)), ==, 2);
  g_assert_true (item (fixture, 0) == question);
  retried = item (fixture, 1);
  g_assert_true (retried != failed);
  g_assert_cmpint (relay_message_get_state (retried), ==, RELAY_MESSAGE_STATE_COMPLETE);
  row = wait_row (fixture, retried);
  shown = relay_markdown_view_dup_shown_text (chat_test_row_markdown (row));
  g_assert_cmpstr (shown, ==, "Day one: Alfama.");
  g_assert_true (chat_test_shows (row, "versions_box"));
  g_assert_cmpstr (chat_test_label_text (row, "versions_label"), ==, "2/2");
  g_assert_true (g_str_has_prefix (chat_test_label_text (row, "caption_label"),
                                   "route-llm → gpt-5.2 · 12 tokens in · 34 out"));
  g_assert_false (chat_test_shows (row, "error_card"));

  /* ‹ shows the failed version with its own caption, › the new one again. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (row), "message.previous-version", NULL));
  g_assert_true (item (fixture, 1) == failed);
  row = wait_row (fixture, failed);
  g_assert_cmpstr (chat_test_label_text (row, "versions_label"), ==, "1/2");
  g_assert_true (chat_test_shows (row, "error_card"));
  g_assert_null (strstr (chat_test_label_text (row, "caption_label"), "gpt-5.2"));
  gtk_widget_activate_action (GTK_WIDGET (row), "message.previous-version", NULL);
  g_assert_true (item (fixture, 1) == failed);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (row), "message.next-version", NULL));
  g_assert_true (item (fixture, 1) == retried);
  row = wait_row (fixture, retried);
  g_assert_cmpstr (chat_test_label_text (row, "versions_label"), ==, "2/2");
}

static void
test_edit_and_resend (Fixture       *fixture,
                      gconstpointer  data)
{
  RelayMessage *original, *edited;
  RelayMessageRow *row;
  GtkWidget *editor;

  queue_text_reply (fixture, ROUTED, "Hello!");
  send_and_wait_stored (fixture, "Hello");
  wait_idle (fixture);
  original = item (fixture, 0);
  row = wait_row (fixture, original);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (row), "message.edit", NULL));
  g_assert_true (relay_message_row_get_editing (row));
  editor = chat_test_find_by_id (GTK_WIDGET (row), "edit_view");
  g_assert_true (chat_test_shows (row, "editor"));
  g_assert_false (chat_test_shows (row, "user_label"));

  /* Cancel leaves the message as it was. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (row), "message.cancel-edit", NULL));
  g_assert_false (relay_message_row_get_editing (row));
  g_assert_false (chat_test_shows (row, "editor"));
  g_assert_true (chat_test_shows (row, "user_label"));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (row), "message.edit", NULL));
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (editor)), "Hello again", -1);
  queue_text_reply (fixture, ROUTED, "Hello again to you!");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (row), "message.send-edit", NULL));
  TEST_WAIT_UNTIL (!relay_message_row_get_editing (row));
  TEST_WAIT_UNTIL (g_list_model_get_n_items (G_LIST_MODEL (fixture->conversation)) == 2 &&
                   relay_message_get_state (item (fixture, 1)) == RELAY_MESSAGE_STATE_COMPLETE);

  edited = item (fixture, 0);
  g_assert_cmpstr (relay_message_get_content (edited), ==, "Hello again");
  g_assert_cmpuint (relay_message_get_n_versions (edited), ==, 2);
  g_assert_cmpstr (relay_message_get_content (item (fixture, 1)), ==, "Hello again to you!");
  row = wait_row (fixture, edited);
  g_assert_false (relay_message_row_get_editing (row));
  g_assert_cmpstr (chat_test_label_text (row, "user_label"), ==, "Hello again");
  g_assert_cmpstr (chat_test_label_text (row, "versions_label"), ==, "2/2");

  /* The first version, with its own reply, is one step back. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (row), "message.previous-version", NULL));
  g_assert_true (item (fixture, 0) == original);
  g_assert_cmpstr (relay_message_get_content (item (fixture, 1)), ==, "Hello!");
}

static void
test_delete (Fixture       *fixture,
             gconstpointer  data)
{
  RelayMessage *one = append_message (fixture, RELAY_ROLE_USER, "one");
  RelayMessage *two = append_message (fixture, RELAY_ROLE_ASSISTANT, "two");
  RelayMessage *three = append_message (fixture, RELAY_ROLE_USER, "three");
  RelayMessageRow *row = wait_row (fixture, two);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (row), "message.delete", NULL));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->conversation)), ==, 2);
  g_assert_true (item (fixture, 0) == one);
  g_assert_true (item (fixture, 1) == three);
  chat_test_wait_frames (GTK_WIDGET (fixture->view), 2);
  g_assert_null (chat_test_find_row (GTK_WIDGET (fixture->view), two));
  g_assert_nonnull (chat_test_find_row (GTK_WIDGET (fixture->view), three));
}

static void
test_copy (Fixture       *fixture,
           gconstpointer  data)
{
  RelayMessage *reply = append_message (fixture, RELAY_ROLE_ASSISTANT, "Some **Markdown**");
  RelayMessageRow *row = wait_row (fixture, reply);
  GdkClipboard *clipboard = gtk_widget_get_clipboard (GTK_WIDGET (row));

  g_auto(GValue) text = G_VALUE_INIT;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (row), "message.copy", NULL));
  g_assert_true (gdk_clipboard_is_local (clipboard));
  g_value_init (&text, G_TYPE_STRING);
  g_assert_true (gdk_content_provider_get_value (gdk_clipboard_get_content (clipboard),
                                                 &text, NULL));
  /* A reply is copied as the Markdown it was written in. */
  g_assert_cmpstr (g_value_get_string (&text), ==, "Some **Markdown**");
}

/* Following the latest ----------------------------------------------------------------- */

typedef struct
{
  RelayConversationView *view;
  gboolean               following;
  guint                  checks;
  guint                  misses;
} FollowCheck;

static gboolean
check_following_cb (gpointer data)
{
  FollowCheck *check = data;

  if (check->following)
    {
      check->checks++;
      if (!chat_test_at_end (check->view))
        check->misses++;
    }
  return G_SOURCE_CONTINUE;
}

static void
test_follows_latest (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(GString) doc = markdown_generator_document (11, 6000);
  g_autoptr(GPtrArray) pieces = chat_test_split (doc->str, 12, 6);
  GtkAdjustment *adjustment = chat_test_vadjustment (fixture->view);
  GtkWidget *revealer = chat_test_find_by_id (GTK_WIDGET (fixture->view), "jump_revealer");
  FollowCheck check = { .view = fixture->view };
  StreamWatch watch = { 0 };
  guint check_source;
  double parked;

  for (guint i = 0; i < 12; i++)
    {
      append_message (fixture, RELAY_ROLE_USER, "A question that takes a line or two to ask.");
      append_message (fixture, RELAY_ROLE_ASSISTANT,
                      "An answer.\n\nWith a second paragraph, and a list:\n\n"
                      "- one\n- two\n- three");
    }
  chat_test_wait_frames (GTK_WIDGET (fixture->view), 3);
  g_assert_cmpfloat (gtk_adjustment_get_upper (adjustment), >,
                     2 * gtk_adjustment_get_page_size (adjustment));
  g_assert_true (chat_test_at_end (fixture->view));
  g_assert_false (gtk_revealer_get_reveal_child (GTK_REVEALER (revealer)));

  relay_fake_server_queue_reply (fixture->server, CHAT_PATH,
                                 chat_test_stream (ROUTED, pieces, 1, 4, 10, 10));
  g_signal_connect (fixture->session, "notify::reply", G_CALLBACK (session_reply_cb), &watch);
  send_and_wait_stored (fixture, "Another long one, please");

  /* While the reply grows, the view stays at its end whenever one looks. */
  check.following = TRUE;
  check_source = g_timeout_add (7, check_following_cb, &check);
  TEST_WAIT_UNTIL (watch.deltas >= pieces->len / 3);
  check.following = FALSE;
  g_test_message ("%u looks while following, %u not at the end", check.checks, check.misses);
  g_assert_cmpuint (check.checks, >, 20);
  g_assert_cmpuint (check.misses, ==, 0);
  g_assert_true (relay_conversation_view_get_follows_latest (fixture->view));

  /* The user scrolls up: the view stays there, and offers the way back. */
  gtk_adjustment_set_value (adjustment, gtk_adjustment_get_value (adjustment) - 300);
  chat_test_wait_frames (GTK_WIDGET (fixture->view), 1);
  parked = gtk_adjustment_get_value (adjustment);
  g_assert_false (relay_conversation_view_get_follows_latest (fixture->view));
  TEST_WAIT_UNTIL (watch.deltas >= 2 * pieces->len / 3);
  g_assert_cmpfloat_with_epsilon (gtk_adjustment_get_value (adjustment), parked, 1);
  g_assert_true (gtk_revealer_get_reveal_child (GTK_REVEALER (revealer)));
  wait_idle (fixture);
  chat_test_wait_frames (GTK_WIDGET (fixture->view), 2);
  g_assert_cmpfloat_with_epsilon (gtk_adjustment_get_value (adjustment), parked, 1);
  g_assert_false (chat_test_at_end (fixture->view));

  /* Jump to Latest takes the user back to the end, and following resumes. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->view),
                                             "conversation.scroll-to-latest", NULL));
  chat_test_wait_frames (GTK_WIDGET (fixture->view), 3);
  g_assert_true (chat_test_at_end (fixture->view));
  g_assert_true (relay_conversation_view_get_follows_latest (fixture->view));
  g_assert_false (gtk_revealer_get_reveal_child (GTK_REVEALER (revealer)));

  /* Sending from anywhere brings the view back to the end, to see the reply come. */
  gtk_adjustment_set_value (adjustment, 0);
  chat_test_wait_frames (GTK_WIDGET (fixture->view), 1);
  g_assert_false (relay_conversation_view_get_follows_latest (fixture->view));
  queue_text_reply (fixture, ROUTED, "Short.");
  send_and_wait_stored (fixture, "And a short one");
  wait_idle (fixture);
  chat_test_wait_frames (GTK_WIDGET (fixture->view), 3);
  g_assert_true (chat_test_at_end (fixture->view));

  g_source_remove (check_source);
  g_signal_handlers_disconnect_by_data (fixture->session, &watch);
  g_signal_handlers_disconnect_by_data (watch.reply, &watch);
  g_clear_object (&watch.reply);
}

/* Keyboard ----------------------------------------------------------------------------- */

static void
test_keyboard_reaches_replies (Fixture       *fixture,
                               gconstpointer  data)
{
  RelayMessage *reply;
  RelayMessageRow *row;
  gboolean reached_row = FALSE, reached_copy = FALSE;

  append_message (fixture, RELAY_ROLE_USER, "Hi");
  reply = append_message (fixture, RELAY_ROLE_ASSISTANT, "Hello there");
  row = wait_row (fixture, reply);
  /* Focus moves by where widgets are: let them be laid out. */
  chat_test_wait_frames (GTK_WIDGET (fixture->view), 2);

  for (guint i = 0; i < 40 && !(reached_row && reached_copy); i++)
    {
      GtkWidget *focus;

      gtk_widget_child_focus (GTK_WIDGET (fixture->window), GTK_DIR_TAB_FORWARD);
      focus = gtk_root_get_focus (GTK_ROOT (fixture->window));
      if (focus == NULL)
        continue;
      if (gtk_widget_is_ancestor (focus, GTK_WIDGET (row)) ||
          gtk_widget_get_first_child (focus) == GTK_WIDGET (row))
        reached_row = TRUE;
      if (GTK_IS_BUTTON (focus) && gtk_widget_is_ancestor (focus, GTK_WIDGET (row)) &&
          g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (focus)), "message.copy") == 0)
        reached_copy = TRUE;
    }
  g_assert_true (reached_row);
  g_assert_true (reached_copy);
}

/* Ten thousand messages ---------------------------------------------------------------- */

static void
after_paint_cb (GdkFrameClock *clock,
                gint64        *painted_at)
{
  if (*painted_at == 0)
    *painted_at = g_get_monotonic_time ();
}

static void
test_ten_thousand (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *path = g_build_filename (fixture->dir, "long.db", NULL);
  g_autoptr(RelayConversationList) list = NULL;
  GtkAdjustment *adjustment = chat_test_vadjustment (fixture->view);
  GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (fixture->view));
  RelayStore *store;
  RelayConversation *conversation;
  gint64 start, loaded, painted_at = 0, slowest = 0, total = 0;
  guint rows;
  gulong handler;

  chat_test_write_long_chat (path, 10000);
  store = test_open_store (path);
  list = test_load_list (store);
  conversation = g_object_ref (relay_conversation_list_lookup (list, 1));

  start = g_get_monotonic_time ();
  test_load (conversation);
  loaded = g_get_monotonic_time ();
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (conversation)), ==, 10000);

  relay_conversation_view_set_session (fixture->view, NULL);
  handler = g_signal_connect (clock, "after-paint", G_CALLBACK (after_paint_cb), &painted_at);
  relay_conversation_view_set_conversation (fixture->view, conversation);
  TEST_WAIT_UNTIL (painted_at != 0 && chat_test_count_rows (GTK_WIDGET (fixture->view)) > 0);
  g_signal_handler_disconnect (clock, handler);
  rows = chat_test_count_rows (GTK_WIDGET (fixture->view));
  g_test_message ("10,000 messages: loaded from the store in %.0f ms, first frame %.0f ms later,"
                  " %u rows made", (loaded - start) / 1000.0, (painted_at - loaded) / 1000.0, rows);

  /* Only the rows in sight exist, and the first frame shows the end. */
  g_assert_cmpint (painted_at - loaded, <, 1000 * 1000);
  g_assert_cmpuint (rows, <=, 50);
  chat_test_wait_frames (GTK_WIDGET (fixture->view), 3);
  g_assert_true (chat_test_at_end (fixture->view));
  {
    g_autoptr(RelayMessage) first = g_list_model_get_item (G_LIST_MODEL (conversation), 0);

    g_assert_null (chat_test_find_row (GTK_WIDGET (fixture->view), first));
  }

  /* Scrolling up through it a page at a time: each frame stays quick, rows are recycled. */
  for (guint i = 0; i < 40; i++)
    {
      gint64 before = g_get_monotonic_time ();

      gtk_adjustment_set_value (adjustment, gtk_adjustment_get_value (adjustment) -
                                              gtk_adjustment_get_page_size (adjustment));
      chat_test_wait_frames (GTK_WIDGET (fixture->view), 1);
      slowest = MAX (slowest, g_get_monotonic_time () - before);
      total += g_get_monotonic_time () - before;
    }
  g_test_message ("40 pages up: %.0f ms a page on average, slowest %.0f ms, %u rows",
                  total / 40 / 1000.0, slowest / 1000.0,
                  chat_test_count_rows (GTK_WIDGET (fixture->view)));
  g_assert_cmpint (slowest, <, 500 * 1000);
  /* GtkListView keeps at most 200 rows, and a couple more around its anchor. */
  g_assert_cmpuint (chat_test_count_rows (GTK_WIDGET (fixture->view)), <=, 210);

  relay_conversation_view_set_conversation (fixture->view, fixture->conversation);
  relay_conversation_view_set_session (fixture->view, fixture->session);
  g_object_unref (conversation);
  g_clear_object (&list);
  test_close_store (store);
}

/* Scrolling up to the first message of a long chat brings every message in, and what
 * the user looks at stays put while earlier messages come in above it. */
static void
test_earlier_messages (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autofree char *path = g_build_filename (fixture->dir, "history.db", NULL);
  g_autoptr(RelayConversationList) list = NULL;
  g_autoptr(RelayMessage) first = NULL;
  GtkAdjustment *adjustment = chat_test_vadjustment (fixture->view);
  RelayStore *store;
  RelayConversation *conversation;
  guint steps = 0;

  chat_test_write_long_chat (path, 300);
  store = test_open_store (path);
  list = test_load_list (store);
  conversation = g_object_ref (relay_conversation_list_lookup (list, 1));
  relay_conversation_view_set_session (fixture->view, NULL);
  /* Not loaded yet: the view waits for the messages, then opens at the end. */
  relay_conversation_view_set_conversation (fixture->view, conversation);
  test_load (conversation);
  chat_test_wait_frames (GTK_WIDGET (fixture->view), 3);
  g_assert_true (chat_test_at_end (fixture->view));
  g_assert_cmpuint (chat_test_count_rows (GTK_WIDGET (fixture->view)), <=, 50);

  first = g_list_model_get_item (G_LIST_MODEL (conversation), 0);
  while (chat_test_find_row (GTK_WIDGET (fixture->view), first) == NULL)
    {
      guint n_items = g_list_model_get_n_items (G_LIST_MODEL (conversation));
      RelayMessageRow *top = NULL;
      graphene_point_t before, after;

      g_assert_cmpuint (++steps, <, 100);
      gtk_adjustment_set_value (adjustment, 0);
      chat_test_wait_frames (GTK_WIDGET (fixture->view), 1);

      /* The row at the top of the view stays where it is while rows come in above. */
      for (guint i = 0; i < n_items && top == NULL; i++)
        {
          g_autoptr(RelayMessage) message = g_list_model_get_item (G_LIST_MODEL (conversation), i);

          top = chat_test_find_row (GTK_WIDGET (fixture->view), message);
        }
      g_assert_nonnull (top);
      g_assert_true (gtk_widget_compute_point (GTK_WIDGET (top), GTK_WIDGET (fixture->view),
                                               &GRAPHENE_POINT_INIT (0, 0), &before));
      chat_test_wait_frames (GTK_WIDGET (fixture->view), 2);
      if (relay_message_row_get_message (top) != NULL &&
          gtk_widget_compute_point (GTK_WIDGET (top), GTK_WIDGET (fixture->view),
                                    &GRAPHENE_POINT_INIT (0, 0), &after) &&
          gtk_adjustment_get_value (adjustment) > 0)
        g_assert_cmpfloat_with_epsilon (after.y, before.y, 1);
    }
  g_test_message ("the first of 300 messages shown after %u moves to the top", steps);
  g_assert_cmpuint (steps, >=, 3);
  g_assert_false (relay_conversation_view_get_follows_latest (fixture->view));

  relay_conversation_view_set_conversation (fixture->view, fixture->conversation);
  relay_conversation_view_set_session (fixture->view, fixture->session);
  g_object_unref (conversation);
  g_clear_object (&list);
  g_clear_object (&first);
  test_close_store (store);
}

/* Screenshots -------------------------------------------------------------------------- */

static void
save_screenshot (GtkWidget  *widget,
                 const char *name)
{
  g_autofree char *dir = g_build_filename (g_test_get_dir (G_TEST_BUILT), "..", "screenshots",
                                          NULL);
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);

  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);
  node = gtk_snapshot_to_node (snapshot);
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (gtk_widget_get_native (widget)),
                                         node, &GRAPHENE_RECT_INIT (0, 0, width, height));
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("screenshot: %s", path);
}

static const char screenshot_reply[] =
  "Use the standard library's **`csv` module**: `DictReader` turns each row into a "
  "`dict` keyed by the header.\n\n"
  "1. Open the file with `newline=\"\"`.\n"
  "2. Loop over the rows.\n";

static const char screenshot_streaming[] =
  "Here is a small function that counts the rows:\n\n"
  "```python\n"
  "import csv\n"
  "\n"
  "def count_rows(path):\n"
  "    with open(path, newline=\"\") as f:\n"
  "        return sum(1 for _ in csv.DictReader(f))\n"
  "```\n\n"
  "It reads the file once, so it works on";

static void
test_screenshots (Fixture       *fixture,
                  gconstpointer  data)
{
  AdwStyleManager *style = adw_style_manager_get_default ();
  g_autoptr(GPtrArray) pieces = chat_test_split (screenshot_streaming, 5, 6);
  RelayFakeReply *stalled = relay_fake_reply_new_stream ();
  g_autofree char *role = relay_fake_chunk_role (ROUTED);
  RelayMessage *answer, *streaming;
  RelayMessageRow *row;

  /* An earlier exchange, finished, with what it cost and a second version. */
  append_message (fixture, RELAY_ROLE_USER, "How do I read a CSV file in Python?");
  answer = append_message (fixture, RELAY_ROLE_ASSISTANT, screenshot_reply);
  relay_message_set_routed_model (answer, ROUTED);
  relay_message_set_usage (answer, 412, 90, -1);
  relay_message_set_cost (answer, 0.0031);
  relay_message_set_first_token_usec (answer, 420000);
  relay_message_set_duration_usec (answer, 1240000);

  /* A reply still streaming into a code block: the stream stalls there. */
  relay_fake_reply_add_event (stalled, 0, role);
  for (guint i = 0; i < pieces->len; i++)
    {
      g_autofree char *chunk = relay_fake_chunk_text (ROUTED, g_ptr_array_index (pieces, i));

      relay_fake_reply_add_event (stalled, 1, chunk);
    }
  relay_fake_reply_set_ending (stalled, RELAY_FAKE_END_STALL);
  relay_fake_server_queue_reply (fixture->server, CHAT_PATH, stalled);
  send_and_wait_stored (fixture, "Count the rows without loading the whole file");
  TEST_WAIT_UNTIL ((streaming = relay_chat_session_get_reply (fixture->session)) != NULL &&
                   g_str_equal (relay_message_get_content (streaming), screenshot_streaming));

  gtk_window_set_default_size (fixture->window, 900, 820);
  row = wait_row (fixture, answer);
  gtk_widget_set_state_flags (GTK_WIDGET (row), GTK_STATE_FLAG_PRELIGHT, FALSE);
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_LIGHT);
  chat_test_wait_frames (GTK_WIDGET (fixture->view), 4);
  relay_conversation_view_scroll_to_latest (fixture->view);
  chat_test_wait_frames (GTK_WIDGET (fixture->view), 4);
  save_screenshot (GTK_WIDGET (fixture->window), "chat-streaming.png");

  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_DARK);
  chat_test_wait_frames (GTK_WIDGET (fixture->view), 4);
  save_screenshot (GTK_WIDGET (fixture->window), "chat-streaming-dark.png");

  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_LIGHT);
  gtk_window_set_default_size (fixture->window, 360, 820);
  chat_test_wait_frames (GTK_WIDGET (fixture->view), 4);
  relay_conversation_view_scroll_to_latest (fixture->view);
  chat_test_wait_frames (GTK_WIDGET (fixture->view), 4);
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (fixture->window)), <=, 400);
  save_screenshot (GTK_WIDGET (fixture->window), "chat-narrow.png");

  /* A reply that failed, in its place. */
  relay_chat_session_stop (fixture->session);
  wait_idle (fixture);
  relay_fake_server_queue_reply (fixture->server, CHAT_PATH,
                                 relay_fake_reply_new_error (503, RELAY_FAKE_BODY_JSON,
                                                             "The upstream model is overloaded. "
                                                             "Try again in a moment."));
  send_and_wait_stored (fixture, "Then sort them by date");
  wait_idle (fixture);
  gtk_window_set_default_size (fixture->window, 900, 820);
  chat_test_wait_frames (GTK_WIDGET (fixture->view), 4);
  relay_conversation_view_scroll_to_latest (fixture->view);
  chat_test_wait_frames (GTK_WIDGET (fixture->view), 4);
  save_screenshot (GTK_WIDGET (fixture->window), "chat-error.png");

  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_DEFAULT);
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

#define ADD(path, func) \
  g_test_add ("/ui/conversation-view/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("rows/user-and-reply", test_user_and_reply);
  g_test_add_func ("/ui/conversation-view/rows/caption", test_caption);
  ADD ("rows/follow-message", test_row_follows_message);
  ADD ("rows/json-mode", test_json_mode);
  ADD ("stream/500-per-second", test_stream_500);
  ADD ("stream/5000-per-second", test_stream_5000);
  ADD ("actions/stop-keeps-text", test_stop_keeps_text);
  ADD ("actions/error-retry-versions", test_error_retry_versions);
  ADD ("actions/edit-and-resend", test_edit_and_resend);
  ADD ("actions/delete", test_delete);
  ADD ("actions/copy", test_copy);
  ADD ("follows-latest", test_follows_latest);
  ADD ("keyboard", test_keyboard_reaches_replies);
  ADD ("ten-thousand-messages", test_ten_thousand);
  ADD ("earlier-messages", test_earlier_messages);
  ADD ("screenshots", test_screenshots);

#undef ADD

  return g_test_run ();
}
