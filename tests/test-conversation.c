/* test-conversation.c: conversations save themselves, stream safely, keep versions,
 * and export; the conversation list sorts, deletes with undo and searches.
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <json-glib/json-glib.h>
#include <string.h>

#include "relay-store-test-util.h"

typedef struct
{
  char       *dir;
  char       *path;
  RelayStore *store;
} Fixture;

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  fixture->dir = test_make_dir ();
  fixture->path = g_build_filename (fixture->dir, "relay.db", NULL);
  fixture->store = test_open_store (fixture->path);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  if (fixture->store != NULL)
    test_close_store (g_steal_pointer (&fixture->store));
  test_remove_tree (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->path);
}

/* Closes the store and opens it again, as a restart of Relay does. */
static void
reopen (Fixture *fixture)
{
  test_close_store (g_steal_pointer (&fixture->store));
  fixture->store = test_open_store (fixture->path);
}

static RelayConversation *
reload (Fixture *fixture,
        gint64   id)
{
  g_autoptr(RelayConversationList) list = NULL;
  RelayConversation *conversation;

  reopen (fixture);
  list = test_load_list (fixture->store);
  conversation = relay_conversation_list_lookup (list, id);
  g_assert_nonnull (conversation);
  g_object_ref (conversation);
  test_load (conversation);
  return conversation;
}

static RelayMessage *
add_user (RelayConversation *conversation,
          const char        *text)
{
  RelayMessage *message = relay_message_new (RELAY_ROLE_USER, text);

  test_append (conversation, message);
  g_object_unref (message);
  return message;
}

/* Streams @text into a new reply and completes it. */
static RelayMessage *
add_reply (RelayConversation *conversation,
           const char        *text)
{
  RelayMessage *reply = relay_conversation_begin_reply (conversation, "route-llm");

  relay_message_append_content (reply, text, -1);
  relay_message_set_state (reply, RELAY_MESSAGE_STATE_COMPLETE);
  g_object_unref (reply);
  return reply;
}

static void
assert_thread (GListModel  *model,
               const char **expected)
{
  guint n = g_strv_length ((char **) expected);

  g_assert_cmpuint (g_list_model_get_n_items (model), ==, n);
  for (guint i = 0; i < n; i++)
    g_assert_cmpstr (relay_message_get_content (test_message_at (model, i)), ==, expected[i]);
}

#define ASSERT_THREAD(model, ...) \
  assert_thread (G_LIST_MODEL (model), (const char *[]) { __VA_ARGS__, NULL })

/* Titles and sections ------------------------------------------------------------------ */

static void
test_conversation_make_title (void)
{
  const struct { const char *text; const char *title; } cases[] = {
    { "Hello world", "Hello world" },
    { "\n\n   Plan my week  \nand the next", "Plan my week" },
    { "How do I configure a reverse proxy for my home server with TLS?",
      "How do I configure a reverse proxy for…" },
    { "Explain, in detail, the following: lifetimes in Rust and why", "Explain, in detail, the following…" },
    { "Ünïcödé wörds ärë cöüntëd äs chäräctërs nöt äs bytës ïn tïtlës",
      "Ünïcödé wörds ärë cöüntëd äs chäräctërs…" },
    { "", "" },
    { "   \n\t\n", "" },
  };
  g_autofree char *long_word = g_strnfill (60, 'a');
  g_autofree char *title = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *made = relay_conversation_make_title (cases[i].text);

      g_assert_cmpstr (made, ==, cases[i].title);
      g_assert_cmpint (g_utf8_strlen (made, -1), <=, 41);
    }

  /* One long word is cut where it must be. */
  title = relay_conversation_make_title (long_word);
  g_assert_cmpint (g_utf8_strlen (title, -1), ==, 41);
  g_assert_true (g_str_has_suffix (title, "a…"));
  g_clear_pointer (&title, g_free);
  title = relay_conversation_make_title (NULL);
  g_assert_cmpstr (title, ==, "");
}

static void
test_conversation_age_sections (void)
{
  g_autoptr(GTimeZone) tz = g_time_zone_new_identifier ("+02:00");
  g_autoptr(GDateTime) now = g_date_time_new (tz, 2026, 3, 10, 10, 0, 0);
  const struct { int day; int hour; int minute; RelayConversationSection section; } cases[] = {
    { 10, 9, 59, RELAY_CONVERSATION_SECTION_TODAY },
    { 10, 0, 0, RELAY_CONVERSATION_SECTION_TODAY },
    { 11, 8, 0, RELAY_CONVERSATION_SECTION_TODAY },     /* a clock set wrong */
    { 9, 23, 59, RELAY_CONVERSATION_SECTION_YESTERDAY },
    { 9, 0, 0, RELAY_CONVERSATION_SECTION_YESTERDAY },
    { 8, 23, 59, RELAY_CONVERSATION_SECTION_PREVIOUS_7_DAYS },
    { 3, 0, 0, RELAY_CONVERSATION_SECTION_PREVIOUS_7_DAYS },
    { 2, 23, 59, RELAY_CONVERSATION_SECTION_OLDER },
    { 1, 12, 0, RELAY_CONVERSATION_SECTION_OLDER },
  };
  g_autoptr(GDateTime) utc_late = NULL;
  g_autoptr(RelayConversation) conversation = relay_conversation_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GDateTime) when = g_date_time_new (tz, 2026, 3, cases[i].day, cases[i].hour,
                                                   cases[i].minute, 0);

      g_assert_cmpint (relay_conversation_section_for (FALSE, g_date_time_to_unix_usec (when), now),
                       ==, cases[i].section);
      g_assert_cmpint (relay_conversation_section_for (TRUE, g_date_time_to_unix_usec (when), now),
                       ==, RELAY_CONVERSATION_SECTION_PINNED);
    }

  /* Days are those of the user's time zone: 23:30 UTC on the 9th is the 10th here. */
  utc_late = g_date_time_new_utc (2026, 3, 9, 23, 30, 0);
  g_assert_cmpint (relay_conversation_section_for (FALSE, g_date_time_to_unix_usec (utc_late), now),
                   ==, RELAY_CONVERSATION_SECTION_TODAY);

  /* A conversation just made is today's, and pinned ones are apart. */
  {
    g_autoptr(GDateTime) local_now = g_date_time_new_now_local ();

    g_assert_cmpint (relay_conversation_get_age_section (conversation, local_now), ==,
                     RELAY_CONVERSATION_SECTION_TODAY);
    relay_conversation_set_pinned (conversation, TRUE);
    g_assert_cmpint (relay_conversation_get_age_section (conversation, local_now), ==,
                     RELAY_CONVERSATION_SECTION_PINNED);
  }
}

/* Persistence --------------------------------------------------------------------------- */

typedef struct
{
  const char *path;
  gboolean    done;
  gboolean    on_disk;
  char       *title_on_disk;
} AppendCheck;

static void
appended_check_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  AppendCheck *check = user_data;
  RelayConversation *conversation = RELAY_CONVERSATION (object);
  g_autoptr(RelayMessage) message = g_list_model_get_item (G_LIST_MODEL (conversation), 0);
  g_autoptr(GError) error = NULL;
  g_autofree char *sql = NULL;
  g_autofree char *content = NULL;
  sqlite3 *db;

  g_assert_true (relay_conversation_append_finish (conversation, result, &error));
  g_assert_no_error (error);

  /* Here, where the request would be sent, another process already sees the message. */
  db = test_open_reader (check->path);
  sql = g_strdup_printf ("SELECT content FROM messages WHERE id = %" G_GINT64_FORMAT,
                         relay_message_get_id (message));
  content = test_query_text (db, sql);
  check->on_disk = g_strcmp0 (content, "Is the message on disk before I send it?") == 0;
  check->title_on_disk = test_query_text (db, "SELECT title FROM conversations");
  sqlite3_close (db);
  check->done = TRUE;
}

static void
test_conversation_message_on_disk_before_send (Fixture       *fixture,
                                               gconstpointer  data)
{
  g_autoptr(RelayConversation) conversation = relay_conversation_new (fixture->store);
  g_autoptr(RelayMessage) message = relay_message_new (RELAY_ROLE_USER,
                                                       "Is the message on disk before I send it?");
  AppendCheck check = { fixture->path, FALSE, FALSE, NULL };

  relay_conversation_append_async (conversation, message, NULL, appended_check_cb, &check);
  /* Shown at once, saved in the background. */
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (conversation)), ==, 1);
  g_assert_cmpstr (relay_conversation_get_title (conversation), ==, "Is the message on disk before I send it?");
  TEST_WAIT_UNTIL (check.done);
  g_assert_true (check.on_disk);
  g_assert_cmpstr (check.title_on_disk, ==, "Is the message on disk before I send it?");
  g_free (check.title_on_disk);
}

typedef struct
{
  RelayMessage *reply;
  guint         n_deltas;
  sqlite3      *db;
  gint64        started;
  gsize         last_length;
  GArray       *change_times;   /* gint64, when the text on disk grew */
  gboolean      saw_streaming_state;
} StreamLog;

static gboolean
delta_cb (gpointer data)
{
  StreamLog *log = data;
  g_autofree char *text = g_strdup_printf ("chunk%03u ", log->n_deltas++);

  relay_message_append_content (log->reply, text, -1);
  return G_SOURCE_CONTINUE;
}

static gboolean
poll_disk_cb (gpointer data)
{
  StreamLog *log = data;
  g_autofree char *sql = NULL;
  g_autofree char *content = NULL;
  g_autofree char *state = NULL;

  if (relay_message_get_id (log->reply) == 0)
    return G_SOURCE_CONTINUE;
  sql = g_strdup_printf ("SELECT content FROM messages WHERE id = %" G_GINT64_FORMAT,
                         relay_message_get_id (log->reply));
  content = test_query_text (log->db, sql);
  g_clear_pointer (&sql, g_free);
  sql = g_strdup_printf ("SELECT state FROM messages WHERE id = %" G_GINT64_FORMAT,
                         relay_message_get_id (log->reply));
  state = test_query_text (log->db, sql);
  if (g_strcmp0 (state, "streaming") == 0)
    log->saw_streaming_state = TRUE;
  if (content != NULL && strlen (content) > log->last_length)
    {
      gint64 now = g_get_monotonic_time ();

      /* What is on disk is always a prefix of what was streamed. */
      g_assert_true (g_str_has_prefix (relay_message_get_content (log->reply), content));
      log->last_length = strlen (content);
      g_array_append_val (log->change_times, now);
    }
  return G_SOURCE_CONTINUE;
}

static void
test_conversation_checkpoints_while_streaming (Fixture       *fixture,
                                               gconstpointer  data)
{
  g_autoptr(RelayConversation) conversation = relay_conversation_new (fixture->store);
  StreamLog log = { 0 };
  guint delta_source, poll_source;
  gint64 previous, stream_end;
  g_autofree char *sql = NULL;
  g_autofree char *final = NULL;

  add_user (conversation, "Count slowly");
  log.reply = relay_conversation_begin_reply (conversation, "route-llm");
  log.db = test_open_reader (fixture->path);
  log.change_times = g_array_new (FALSE, FALSE, sizeof (gint64));
  log.started = g_get_monotonic_time ();
  delta_source = g_timeout_add (50, delta_cb, &log);
  poll_source = g_timeout_add (100, poll_disk_cb, &log);

  stream_end = log.started + 2500 * 1000;
  TEST_WAIT_UNTIL (g_get_monotonic_time () >= stream_end);
  g_source_remove (delta_source);
  g_source_remove (poll_source);

  /* The text on disk grew at least once a second, from the first second on. */
  g_test_message ("%u checkpoints seen in 2.5 s", log.change_times->len);
  g_assert_cmpuint (log.change_times->len, >=, 3);
  g_assert_true (log.saw_streaming_state);
  previous = log.started;
  for (guint i = 0; i < log.change_times->len; i++)
    {
      gint64 when = g_array_index (log.change_times, gint64, i);

      g_assert_cmpint (when - previous, <=, G_USEC_PER_SEC);
      previous = when;
    }
  g_assert_cmpint (stream_end - previous, <=, G_USEC_PER_SEC);

  /* Finishing writes the whole reply at once, not at the next checkpoint. */
  relay_message_set_usage (log.reply, 5, log.n_deltas, -1);
  relay_message_set_state (log.reply, RELAY_MESSAGE_STATE_COMPLETE);
  sql = g_strdup_printf ("SELECT content || '|' || state || '|' || completion_tokens FROM messages "
                         "WHERE id = %" G_GINT64_FORMAT, relay_message_get_id (log.reply));
  {
    g_autofree char *expected = g_strdup_printf ("%s|complete|%u",
                                                 relay_message_get_content (log.reply), log.n_deltas);

    TEST_WAIT_UNTIL ((g_free (final), final = test_query_text (log.db, sql),
                      g_strcmp0 (final, expected) == 0));
  }

  sqlite3_close (log.db);
  g_array_unref (log.change_times);
  g_object_unref (log.reply);
}

static void
test_conversation_regenerate_versions (Fixture       *fixture,
                                       gconstpointer  data)
{
  g_autoptr(RelayConversation) conversation = relay_conversation_new (fixture->store);
  RelayMessage *first, *second, *thanks;
  gint64 id;

  add_user (conversation, "Name a colour");
  first = add_reply (conversation, "Blue");
  relay_message_set_cost (first, 0.01);
  relay_message_set_usage (first, 10, 1, -1);

  second = relay_conversation_regenerate (conversation, first, "other-model");
  g_assert_cmpint (relay_message_get_state (second), ==, RELAY_MESSAGE_STATE_PENDING);
  ASSERT_THREAD (conversation, "Name a colour", "");
  g_assert_cmpuint (relay_message_get_n_versions (first), ==, 2);
  g_assert_cmpuint (relay_message_get_version_index (first), ==, 0);
  g_assert_cmpuint (relay_message_get_n_versions (second), ==, 2);
  g_assert_cmpuint (relay_message_get_version_index (second), ==, 1);
  relay_message_append_content (second, "Green", -1);
  relay_message_set_cost (second, 0.02);
  relay_message_set_usage (second, 10, 1, -1);
  relay_message_set_state (second, RELAY_MESSAGE_STATE_COMPLETE);
  g_object_unref (second);

  /* What follows a version stays with it. */
  thanks = add_user (conversation, "Thanks");
  add_reply (conversation, "You're welcome");
  ASSERT_THREAD (conversation, "Name a colour", "Green", "Thanks", "You're welcome");

  relay_conversation_select_version (conversation, second, 0);
  ASSERT_THREAD (conversation, "Name a colour", "Blue");
  relay_conversation_select_version (conversation, first, 1);
  ASSERT_THREAD (conversation, "Name a colour", "Green", "Thanks", "You're welcome");
  relay_conversation_select_version (conversation, second, 0);

  /* Totals count both versions: both were paid for. */
  test_flush (fixture->store);
  g_assert_cmpfloat_with_epsilon (relay_conversation_get_cost (conversation), 0.03, 1e-9);
  g_assert_cmpint (relay_conversation_get_prompt_tokens (conversation), ==, 20);

  id = relay_conversation_get_id (conversation);
  g_clear_object (&conversation);
  conversation = reload (fixture, id);

  /* It reopens on the version chosen, with the others a click away. */
  ASSERT_THREAD (conversation, "Name a colour", "Blue");
  first = test_message_at (G_LIST_MODEL (conversation), 1);
  g_assert_cmpuint (relay_message_get_n_versions (first), ==, 2);
  g_assert_cmpuint (relay_message_get_version_index (first), ==, 0);
  g_assert_cmpfloat_with_epsilon (relay_conversation_get_cost (conversation), 0.03, 1e-9);
  relay_conversation_select_version (conversation, first, 1);
  ASSERT_THREAD (conversation, "Name a colour", "Green", "Thanks", "You're welcome");
  second = test_message_at (G_LIST_MODEL (conversation), 1);
  g_assert_cmpstr (relay_message_get_model (second), ==, "other-model");
  g_assert_cmpfloat (relay_message_get_cost (second), ==, 0.02);
  thanks = test_message_at (G_LIST_MODEL (conversation), 2);
  g_assert_cmpuint (relay_message_get_n_versions (thanks), ==, 1);

  g_clear_object (&conversation);
  conversation = reload (fixture, id);
  ASSERT_THREAD (conversation, "Name a colour", "Green", "Thanks", "You're welcome");
}

static void
test_conversation_edit_and_resend (Fixture       *fixture,
                                   gconstpointer  data)
{
  g_autoptr(RelayConversation) conversation = relay_conversation_new (fixture->store);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(RelayMessage) edited = NULL;
  g_autoptr(GError) error = NULL;
  RelayMessage *question;
  gint64 id;

  add_user (conversation, "First question");
  add_reply (conversation, "First answer");
  question = add_user (conversation, "Second question, with a typo");
  add_reply (conversation, "Second answer");

  relay_conversation_edit_async (conversation, question, "Second question, fixed", NULL,
                                 test_result_cb, &result);
  /* What followed is out of view at once. */
  ASSERT_THREAD (conversation, "First question", "First answer", "Second question, fixed");
  edited = relay_conversation_edit_finish (conversation, test_wait_result (&result), &error);
  g_assert_no_error (error);
  g_clear_object (&result);
  g_assert_cmpint (relay_message_get_id (edited), >, 0);
  g_assert_cmpint (relay_message_get_role (edited), ==, RELAY_ROLE_USER);
  g_assert_cmpuint (relay_message_get_version_index (edited), ==, 1);
  add_reply (conversation, "Better answer");
  ASSERT_THREAD (conversation, "First question", "First answer", "Second question, fixed", "Better answer");

  id = relay_conversation_get_id (conversation);
  g_clear_object (&conversation);
  conversation = reload (fixture, id);
  ASSERT_THREAD (conversation, "First question", "First answer", "Second question, fixed", "Better answer");

  /* The original question and its answer are still there. */
  question = test_message_at (G_LIST_MODEL (conversation), 2);
  g_assert_cmpuint (relay_message_get_n_versions (question), ==, 2);
  relay_conversation_select_version (conversation, question, 0);
  ASSERT_THREAD (conversation, "First question", "First answer", "Second question, with a typo", "Second answer");
}

static void
test_conversation_delete_message (Fixture       *fixture,
                                  gconstpointer  data)
{
  g_autoptr(RelayConversation) conversation = relay_conversation_new (fixture->store);
  RelayMessage *first_answer, *last, *again;
  gint64 id;

  add_user (conversation, "Q1");
  first_answer = add_reply (conversation, "A1");
  add_user (conversation, "Q2");
  last = add_reply (conversation, "A2");

  /* The messages after a deleted one stay. */
  relay_conversation_delete_message (conversation, first_answer);
  ASSERT_THREAD (conversation, "Q1", "Q2", "A2");

  /* Deleting the version shown shows the other. */
  again = relay_conversation_regenerate (conversation, last, NULL);
  relay_message_append_content (again, "A2, again", -1);
  relay_message_set_state (again, RELAY_MESSAGE_STATE_STOPPED);
  ASSERT_THREAD (conversation, "Q1", "Q2", "A2, again");
  relay_conversation_delete_message (conversation, again);
  g_object_unref (again);
  ASSERT_THREAD (conversation, "Q1", "Q2", "A2");
  g_assert_cmpuint (relay_message_get_n_versions (last), ==, 1);

  id = relay_conversation_get_id (conversation);
  g_clear_object (&conversation);
  conversation = reload (fixture, id);
  ASSERT_THREAD (conversation, "Q1", "Q2", "A2");

  relay_conversation_delete_message (conversation, test_message_at (G_LIST_MODEL (conversation), 0));
  ASSERT_THREAD (conversation, "Q2", "A2");
  g_clear_object (&conversation);
  conversation = reload (fixture, id);
  ASSERT_THREAD (conversation, "Q2", "A2");
}

static void
test_conversation_settings_persist (Fixture       *fixture,
                                    gconstpointer  data)
{
  g_autoptr(RelayConversation) conversation = relay_conversation_new (fixture->store);
  const char *stop[] = { "END", "###", NULL };
  RelayChatSettings *settings;
  gint64 id;

  add_user (conversation, "Hello");
  settings = relay_conversation_get_settings (conversation);
  relay_chat_settings_set_system_prompt (settings, "You are terse.");
  relay_chat_settings_set_temperature (settings, 0.3);
  relay_chat_settings_set_top_p (settings, 0.9);
  relay_chat_settings_set_max_tokens (settings, 512);
  relay_chat_settings_set_stop (settings, stop);
  relay_chat_settings_set_presence_penalty (settings, 0.5);
  relay_chat_settings_set_frequency_penalty (settings, -0.5);
  relay_chat_settings_set_json_mode (settings, TRUE);
  relay_conversation_set_model (conversation, "gpt-4o");
  relay_conversation_set_title (conversation, "Renamed");
  relay_conversation_set_pinned (conversation, TRUE);

  id = relay_conversation_get_id (conversation);
  g_clear_object (&conversation);
  conversation = reload (fixture, id);

  g_assert_cmpstr (relay_conversation_get_title (conversation), ==, "Renamed");
  g_assert_cmpstr (relay_conversation_get_model (conversation), ==, "gpt-4o");
  g_assert_true (relay_conversation_get_pinned (conversation));
  settings = relay_conversation_get_settings (conversation);
  g_assert_cmpstr (relay_chat_settings_get_system_prompt (settings), ==, "You are terse.");
  g_assert_cmpfloat (relay_chat_settings_get_temperature (settings), ==, 0.3);
  g_assert_cmpfloat (relay_chat_settings_get_top_p (settings), ==, 0.9);
  g_assert_cmpint (relay_chat_settings_get_max_tokens (settings), ==, 512);
  g_assert_true (g_strv_equal (relay_chat_settings_get_stop (settings), stop));
  g_assert_cmpfloat (relay_chat_settings_get_presence_penalty (settings), ==, 0.5);
  g_assert_cmpfloat (relay_chat_settings_get_frequency_penalty (settings), ==, -0.5);
  g_assert_true (relay_chat_settings_get_json_mode (settings));

  /* Back to the defaults is saved too. */
  relay_chat_settings_set_system_prompt (settings, NULL);
  relay_chat_settings_set_temperature (settings, -1);
  g_clear_object (&conversation);
  conversation = reload (fixture, id);
  settings = relay_conversation_get_settings (conversation);
  g_assert_null (relay_chat_settings_get_system_prompt (settings));
  g_assert_cmpfloat (relay_chat_settings_get_temperature (settings), ==, -1);
  g_assert_true (relay_chat_settings_get_json_mode (settings));
}

static void
test_chat_settings_json (void)
{
  g_autoptr(RelayChatSettings) defaults = relay_chat_settings_new ();
  g_autoptr(RelayChatSettings) parsed = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *json = relay_chat_settings_to_json (defaults);

  g_assert_cmpstr (json, ==, "{}");
  g_assert_true (relay_chat_settings_is_default (defaults));

  /* Wrong types keep the defaults, out-of-range values are clamped. */
  parsed = relay_chat_settings_new_from_json ("{\"temperature\":\"hot\",\"top_p\":7,\"max_tokens\":-5,"
                                              "\"stop\":[1,\"x\",null],\"json_mode\":1,"
                                              "\"presence_penalty\":-9,\"unknown\":[]}", &error);
  g_assert_no_error (error);
  g_assert_cmpfloat (relay_chat_settings_get_temperature (parsed), ==, -1);
  g_assert_cmpfloat (relay_chat_settings_get_top_p (parsed), ==, 1);
  g_assert_cmpint (relay_chat_settings_get_max_tokens (parsed), ==, 0);
  g_assert_cmpuint (g_strv_length ((char **) relay_chat_settings_get_stop (parsed)), ==, 1);
  g_assert_cmpstr (relay_chat_settings_get_stop (parsed)[0], ==, "x");
  g_assert_false (relay_chat_settings_get_json_mode (parsed));
  g_assert_cmpfloat (relay_chat_settings_get_presence_penalty (parsed), ==, -2);
  g_clear_object (&parsed);

  parsed = relay_chat_settings_new_from_json ("[1, 2]", &error);
  g_assert_nonnull (error);
  g_assert_null (parsed);
  g_clear_error (&error);
  parsed = relay_chat_settings_new_from_json ("{\"temperature\":", &error);
  g_assert_nonnull (error);
  g_assert_null (parsed);
}

/* Export --------------------------------------------------------------------------------- */

static RelayConversation *
make_export_conversation (void)
{
  RelayConversation *conversation = relay_conversation_new (NULL);
  RelayMessage *reply;
  RelayToolCall *call;
  g_autoptr(RelayMessage) question = relay_message_new (RELAY_ROLE_USER, "What's the weather in Oslo?");
  g_autoptr(RelayMessage) tool = relay_message_new (RELAY_ROLE_TOOL, "{\"temp\": -3, \"sky\": \"```snow```\"}");

  relay_chat_settings_set_system_prompt (relay_conversation_get_settings (conversation),
                                         "Be brief.\nUse metric units.");
  relay_message_set_created_at (question, 1767225600000000);   /* 2026-01-01 00:00 UTC */
  test_append (conversation, question);

  reply = relay_conversation_begin_reply (conversation, "route-llm");
  relay_message_set_created_at (reply, 1767225601000000);
  relay_message_set_routed_model (reply, "gpt-4o-mini");
  call = relay_message_ensure_tool_call (reply, 0);
  call->id = g_strdup ("call_7");
  call->name = g_strdup ("get_weather");
  g_string_assign (call->arguments, "{\"city\":\"Oslo\"}");
  relay_message_set_finish_reason (reply, RELAY_FINISH_REASON_TOOL_CALLS);
  relay_message_set_usage (reply, 20, 8, -1);
  relay_message_set_cost (reply, 0.0004);
  relay_message_set_state (reply, RELAY_MESSAGE_STATE_COMPLETE);
  g_object_unref (reply);

  relay_message_set_tool_call_id (tool, "call_7");
  test_append (conversation, tool);

  reply = relay_conversation_begin_reply (conversation, "route-llm");
  relay_message_append_content (reply, "It is **-3 °C** and snowing in", -1);
  relay_message_set_state (reply, RELAY_MESSAGE_STATE_INTERRUPTED);
  g_object_unref (reply);
  return conversation;
}

static void
test_conversation_export_markdown (void)
{
  g_autoptr(RelayConversation) conversation = make_export_conversation ();
  g_autofree char *markdown = relay_conversation_export_markdown (conversation);

  g_test_message ("%s", markdown);
  g_assert_true (g_str_has_prefix (markdown, "# What's the weather in Oslo?\n\n"));
  g_assert_nonnull (strstr (markdown, "> Be brief.\n> Use metric units.\n"));
  g_assert_nonnull (strstr (markdown, "**You** · 2026-01-01 00:00\n\nWhat's the weather in Oslo?\n"));
  g_assert_nonnull (strstr (markdown, "**Assistant** · route-llm → gpt-4o-mini · 2026-01-01 00:00"));
  g_assert_nonnull (strstr (markdown, "Called `get_weather`:\n\n```json\n{\"city\":\"Oslo\"}\n```\n"));
  /* A fence the tool's own backticks cannot close. */
  g_assert_nonnull (strstr (markdown, "````\n{\"temp\": -3, \"sky\": \"```snow```\"}\n````\n"));
  g_assert_nonnull (strstr (markdown, "It is **-3 °C** and snowing in\n\n*Interrupted*\n"));
  g_assert_true (g_utf8_validate (markdown, -1, NULL));
}

static void
test_conversation_export_json (void)
{
  g_autoptr(RelayConversation) conversation = make_export_conversation ();
  g_autofree char *json = relay_conversation_export_json (conversation);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *root, *message, *usage, *call;
  JsonArray *messages;

  json_parser_load_from_data (parser, json, -1, &error);
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (root, "format"), ==, "relay-conversation");
  g_assert_cmpstr (json_object_get_string_member (root, "title"), ==, "What's the weather in Oslo?");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (root, "settings"),
                                                  "system_prompt"), ==, "Be brief.\nUse metric units.");
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (root, "totals"),
                                               "prompt_tokens"), ==, 20);

  messages = json_object_get_array_member (root, "messages");
  g_assert_cmpuint (json_array_get_length (messages), ==, 4);
  message = json_array_get_object_element (messages, 0);
  g_assert_cmpstr (json_object_get_string_member (message, "role"), ==, "user");
  g_assert_cmpstr (json_object_get_string_member (message, "created_at"), ==, "2026-01-01T00:00:00Z");

  message = json_array_get_object_element (messages, 1);
  g_assert_cmpstr (json_object_get_string_member (message, "routed_model"), ==, "gpt-4o-mini");
  g_assert_cmpstr (json_object_get_string_member (message, "finish_reason"), ==, "tool_calls");
  usage = json_object_get_object_member (message, "usage");
  g_assert_cmpint (json_object_get_int_member (usage, "total_tokens"), ==, 28);
  g_assert_cmpfloat (json_object_get_double_member (message, "cost"), ==, 0.0004);
  call = json_array_get_object_element (json_object_get_array_member (message, "tool_calls"), 0);
  g_assert_cmpstr (json_object_get_string_member (call, "name"), ==, "get_weather");
  g_assert_cmpstr (json_object_get_string_member (call, "arguments"), ==, "{\"city\":\"Oslo\"}");

  message = json_array_get_object_element (messages, 2);
  g_assert_cmpstr (json_object_get_string_member (message, "tool_call_id"), ==, "call_7");
  message = json_array_get_object_element (messages, 3);
  g_assert_cmpstr (json_object_get_string_member (message, "state"), ==, "interrupted");
}

/* The conversation list ------------------------------------------------------------------- */

typedef struct
{
  guint changes;
} ChangeCount;

static void
count_changes_cb (GListModel  *model,
                  guint        position,
                  guint        removed,
                  guint        added,
                  ChangeCount *count)
{
  count->changes++;
}

static const char *
title_at (GListModel *model,
          guint       position)
{
  g_autoptr(RelayConversation) conversation = g_list_model_get_item (model, position);

  return relay_conversation_get_title (conversation);
}

static void
test_conversation_list_order (Fixture       *fixture,
                              gconstpointer  data)
{
  g_autoptr(RelayConversationList) list = test_load_list (fixture->store);
  GListModel *model = G_LIST_MODEL (list);
  g_autoptr(RelayConversation) a = NULL;
  g_autoptr(RelayConversation) b = NULL;
  g_autoptr(RelayConversation) c = NULL;
  g_autoptr(RelayConversation) again = NULL;
  ChangeCount count = { 0 };

  g_signal_connect (list, "items-changed", G_CALLBACK (count_changes_cb), &count);

  /* A new conversation is not listed until it has a message, and "New Chat" again
   * gives the same empty one. */
  a = relay_conversation_list_create (list);
  again = relay_conversation_list_create (list);
  g_assert_true (a == again);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 0);
  add_user (a, "Alpha");
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 1);
  g_assert_cmpuint (count.changes, ==, 1);

  b = relay_conversation_list_create (list);
  g_assert_true (b != a);
  add_user (b, "Bravo");
  c = relay_conversation_list_create (list);
  add_user (c, "Charlie");
  g_assert_cmpstr (title_at (model, 0), ==, "Charlie");
  g_assert_cmpstr (title_at (model, 1), ==, "Bravo");
  g_assert_cmpstr (title_at (model, 2), ==, "Alpha");

  /* New activity moves a conversation up; pinned ones stay on top. */
  add_reply (a, "Reply to alpha");
  g_assert_cmpstr (title_at (model, 0), ==, "Alpha");
  relay_conversation_set_pinned (b, TRUE);
  g_assert_cmpstr (title_at (model, 0), ==, "Bravo");
  g_assert_cmpstr (title_at (model, 1), ==, "Alpha");
  g_assert_cmpstr (title_at (model, 2), ==, "Charlie");
  add_user (c, "More");
  g_assert_cmpstr (title_at (model, 0), ==, "Bravo");
  g_assert_cmpstr (title_at (model, 1), ==, "Charlie");

  /* The same order comes back from disk. */
  g_clear_object (&a);
  g_clear_object (&b);
  g_clear_object (&c);
  g_clear_object (&again);
  g_clear_object (&list);
  reopen (fixture);
  list = test_load_list (fixture->store);
  model = G_LIST_MODEL (list);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 3);
  g_assert_cmpstr (title_at (model, 0), ==, "Bravo");
  g_assert_cmpstr (title_at (model, 1), ==, "Charlie");
  g_assert_cmpstr (title_at (model, 2), ==, "Alpha");
}

static void
test_conversation_list_delete_undo (Fixture       *fixture,
                                    gconstpointer  data)
{
  g_autoptr(RelayConversationList) list = test_load_list (fixture->store);
  GListModel *model = G_LIST_MODEL (list);
  g_autoptr(RelayConversation) keep = relay_conversation_list_create (list);
  g_autoptr(RelayConversation) doomed = NULL;
  gint64 doomed_id;

  add_user (keep, "Keep me");
  doomed = relay_conversation_list_create (list);
  add_user (doomed, "Delete me");
  doomed_id = relay_conversation_get_id (doomed);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 2);

  relay_conversation_list_delete (list, doomed);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 1);
  g_assert_null (relay_conversation_list_lookup (list, doomed_id));
  relay_conversation_list_undo_delete (list, doomed);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 2);
  g_assert_cmpstr (title_at (model, 0), ==, "Delete me");

  /* Undone, it survives a restart. */
  g_clear_object (&doomed);
  g_clear_object (&keep);
  g_clear_object (&list);
  reopen (fixture);
  list = test_load_list (fixture->store);
  model = G_LIST_MODEL (list);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 2);

  /* Deleted and not undone, it does not: the next start purges it. */
  doomed = g_object_ref (relay_conversation_list_lookup (list, doomed_id));
  relay_conversation_list_delete (list, doomed);
  g_clear_object (&doomed);
  g_clear_object (&list);
  reopen (fixture);
  list = test_load_list (fixture->store);
  model = G_LIST_MODEL (list);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 1);
  g_assert_cmpstr (title_at (model, 0), ==, "Keep me");

  /* Purged when the Undo expires. */
  doomed = g_list_model_get_item (model, 0);
  relay_conversation_list_delete (list, doomed);
  relay_conversation_list_purge_deleted (list);
  test_flush (fixture->store);
  {
    sqlite3 *db = test_open_reader (fixture->path);

    g_assert_cmpint (test_query_int (db, "SELECT count(*) FROM conversations"), ==, 0);
    g_assert_cmpint (test_query_int (db, "SELECT count(*) FROM messages"), ==, 0);
    sqlite3_close (db);
  }
}

static void
test_conversation_list_search (Fixture       *fixture,
                               gconstpointer  data)
{
  g_autoptr(RelayConversationList) list = test_load_list (fixture->store);
  g_autoptr(RelayConversation) bread = relay_conversation_list_create (list);
  g_autoptr(RelayConversation) taxes = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GListModel) matches = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(RelayConversation) match = NULL;

  add_user (bread, "Baking bread");
  add_reply (bread, "Use a hot Dutch oven for the crust.");
  taxes = relay_conversation_list_create (list);
  add_user (taxes, "Filing taxes");
  test_flush (fixture->store);

  relay_conversation_list_search_async (list, "dutch", NULL, test_result_cb, &result);
  matches = relay_conversation_list_search_finish (list, test_wait_result (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (matches), ==, 1);
  match = g_list_model_get_item (matches, 0);
  g_assert_true (match == bread);
  g_clear_object (&match);
  g_clear_object (&matches);
  g_clear_object (&result);

  relay_conversation_list_search_async (list, "taxes", NULL, test_result_cb, &result);
  matches = relay_conversation_list_search_finish (list, test_wait_result (&result), &error);
  g_assert_cmpuint (g_list_model_get_n_items (matches), ==, 1);
  match = g_list_model_get_item (matches, 0);
  g_assert_true (match == taxes);
}

static void
unpin_first_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  RelayConversationList *list = RELAY_CONVERSATION_LIST (object);
  g_autoptr(RelayConversation) first = g_list_model_get_item (G_LIST_MODEL (list), 0);
  gboolean *done = user_data;

  g_assert_true (relay_conversation_list_load_finish (list, result, NULL));
  /* Start-up lists a first page; the rest is still to come. */
  g_assert_true (relay_conversation_list_get_loaded (list));
  g_assert_false (relay_conversation_list_get_complete (list));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), <, 150);
  /* Pinned ones are the oldest here: unpinned, this one belongs among those not listed
   * yet, and must not be listed twice when they come. */
  g_assert_true (relay_conversation_get_pinned (first));
  relay_conversation_set_pinned (first, FALSE);
  *done = TRUE;
}

static void
test_conversation_list_pages (Fixture       *fixture,
                              gconstpointer  data)
{
  g_autoptr(RelayConversationList) list = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GString) sql = g_string_new ("BEGIN;");
  g_autoptr(GHashTable) seen = g_hash_table_new (NULL, NULL);
  gboolean first_page = FALSE;
  GListModel *model;
  sqlite3 *db = NULL;

  /* 150 conversations, the 10 oldest pinned. */
  for (guint i = 1; i <= 150; i++)
    g_string_append_printf (sql, "INSERT INTO conversations (id, created_at, updated_at, pinned, title)"
                                 " VALUES (%u, %u, %u, %d, 'Chat %u');", i, i, i * 1000, i <= 10, i);
  g_string_append (sql, "COMMIT;");
  g_assert_cmpint (sqlite3_open (fixture->path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, sql->str, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
  reopen (fixture);

  list = relay_conversation_list_new (fixture->store);
  model = G_LIST_MODEL (list);
  relay_conversation_list_load_async (list, NULL, unpin_first_cb, &first_page);
  TEST_WAIT_UNTIL (first_page);
  relay_conversation_list_load_all_async (list, NULL, test_result_cb, &result);
  g_assert_true (relay_conversation_list_load_all_finish (list, test_wait_result (&result), NULL));
  g_assert_true (relay_conversation_list_get_complete (list));

  /* All of them, once each, in order. */
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 150);
  for (guint i = 0; i < 150; i++)
    {
      g_autoptr(RelayConversation) conversation = g_list_model_get_item (model, i);

      g_assert_true (g_hash_table_add (seen, conversation));
      g_assert_true (relay_conversation_list_lookup (list, relay_conversation_get_id (conversation)) == conversation);
      if (i > 0)
        {
          g_autoptr(RelayConversation) before = g_list_model_get_item (model, i - 1);

          g_assert_true (relay_conversation_get_pinned (before) >= relay_conversation_get_pinned (conversation));
          if (relay_conversation_get_pinned (before) == relay_conversation_get_pinned (conversation))
            g_assert_cmpint (relay_conversation_get_updated_at (before), >, relay_conversation_get_updated_at (conversation));
        }
    }
  g_assert_cmpstr (title_at (model, 0), ==, "Chat 9");
  g_assert_cmpstr (title_at (model, 8), ==, "Chat 1");
  g_assert_cmpstr (title_at (model, 9), ==, "Chat 150");
  /* Unpinned, it is the oldest of the rest. */
  g_assert_cmpstr (title_at (model, 149), ==, "Chat 10");
}

int
main (int   argc,
      char *argv[])
{
  /* Exports show times in local time; make that predictable. */
  g_setenv ("TZ", "UTC", TRUE);
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/conversation/make-title", test_conversation_make_title);
  g_test_add_func ("/conversation/age-sections", test_conversation_age_sections);
  g_test_add_func ("/conversation/settings-json", test_chat_settings_json);
  g_test_add_func ("/conversation/export-markdown", test_conversation_export_markdown);
  g_test_add_func ("/conversation/export-json", test_conversation_export_json);
#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/conversation/message-on-disk-before-send", test_conversation_message_on_disk_before_send);
  ADD ("/conversation/checkpoints-while-streaming", test_conversation_checkpoints_while_streaming);
  ADD ("/conversation/regenerate-versions", test_conversation_regenerate_versions);
  ADD ("/conversation/edit-and-resend", test_conversation_edit_and_resend);
  ADD ("/conversation/delete-message", test_conversation_delete_message);
  ADD ("/conversation/settings-persist", test_conversation_settings_persist);
  ADD ("/conversation-list/order", test_conversation_list_order);
  ADD ("/conversation-list/pages", test_conversation_list_pages);
  ADD ("/conversation-list/delete-undo", test_conversation_list_delete_undo);
  ADD ("/conversation-list/search", test_conversation_list_search);
#undef ADD

  return g_test_run ();
}
