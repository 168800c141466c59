/* bench-store.c: what start-up costs with a big history, and loading a long chat.
 *
 * Builds a store with 1,000 conversations and 100,000 messages (one conversation holds
 * 10,000 of them), then times what start-up does (open the store, list the
 * conversations) against an empty store, and times loading the long conversation.
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "relay-store-test-util.h"

#define N_CONVERSATIONS 1000
#define N_MESSAGES      100000
#define LONG_CHAT       10000
#define RUNS            41

static const char *words[] = {
  "the", "model", "answer", "request", "stream", "token", "window", "relay", "garden", "river",
  "compile", "function", "memory", "lighthouse", "keeper", "journey", "mountain", "quiet",
  "because", "however", "therefore", "example", "detail", "question", "summary", "table",
  "revenue", "kernel", "thread", "socket", "bread", "oven", "crust", "weather", "cloud",
};

static void
append_words (GString *text,
              GRand   *rand,
              guint    n)
{
  for (guint i = 0; i < n; i++)
    {
      if (i > 0)
        g_string_append_c (text, ' ');
      g_string_append (text, words[g_rand_int_range (rand, 0, G_N_ELEMENTS (words))]);
    }
}

static void
exec_or_die (sqlite3    *db,
             const char *sql)
{
  char *message = NULL;

  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("%s: %s", sql, message);
}

/* Writes the history in one transaction, straight to SQLite: this is the fixture, not
 * what is measured. */
static void
generate (const char *path)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (42);
  g_autoptr(GString) text = g_string_new (NULL);
  sqlite3_stmt *conversation_stmt = NULL, *message_stmt = NULL;
  gint64 now = g_get_real_time ();
  gint64 message_id = 0;
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  exec_or_die (db, "PRAGMA synchronous = OFF; BEGIN");
  g_assert_cmpint (sqlite3_prepare_v2 (db,
    "INSERT INTO conversations (id, created_at, updated_at, pinned, title, model, settings,"
    "                           prompt_tokens, completion_tokens, cost)"
    "  VALUES (?1, ?2, ?3, ?4, ?5, 'route-llm', '{\"temperature\":0.7}', ?6, ?7, ?8)",
    -1, &conversation_stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db,
    "INSERT INTO messages (id, conversation_id, parent_id, active, role, state, created_at,"
    "                      prompt_tokens, completion_tokens, total_tokens, cost, model,"
    "                      routed_model, content)"
    "  VALUES (?1, ?2, ?3, 1, ?4, 'complete', ?5, ?6, ?7, ?8, ?9, 'route-llm', ?10, ?11)",
    -1, &message_stmt, NULL), ==, SQLITE_OK);

  for (guint c = 1; c <= N_CONVERSATIONS; c++)
    {
      guint n = c == 1 ? LONG_CHAT : (N_MESSAGES - LONG_CHAT) / (N_CONVERSATIONS - 1) +
                                     (c - 2 < (N_MESSAGES - LONG_CHAT) % (N_CONVERSATIONS - 1));
      gint64 updated = now - (gint64) c * 3600 * G_USEC_PER_SEC;

      g_string_truncate (text, 0);
      append_words (text, rand, 5);
      sqlite3_bind_int64 (conversation_stmt, 1, c);
      sqlite3_bind_int64 (conversation_stmt, 2, updated - 600 * G_USEC_PER_SEC);
      sqlite3_bind_int64 (conversation_stmt, 3, updated);
      sqlite3_bind_int (conversation_stmt, 4, c % 97 == 0);
      sqlite3_bind_text (conversation_stmt, 5, text->str, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (conversation_stmt, 6, n * 20);
      sqlite3_bind_int64 (conversation_stmt, 7, n * 60);
      sqlite3_bind_double (conversation_stmt, 8, n * 0.0001);
      g_assert_cmpint (sqlite3_step (conversation_stmt), ==, SQLITE_DONE);
      sqlite3_reset (conversation_stmt);

      for (guint m = 0; m < n; m++)
        {
          gboolean user = m % 2 == 0;

          g_string_truncate (text, 0);
          append_words (text, rand, user ? g_rand_int_range (rand, 5, 40) : g_rand_int_range (rand, 40, 160));
          message_id++;
          sqlite3_bind_int64 (message_stmt, 1, message_id);
          sqlite3_bind_int64 (message_stmt, 2, c);
          if (m > 0)
            sqlite3_bind_int64 (message_stmt, 3, message_id - 1);
          else
            sqlite3_bind_null (message_stmt, 3);
          sqlite3_bind_text (message_stmt, 4, user ? "user" : "assistant", -1, SQLITE_STATIC);
          sqlite3_bind_int64 (message_stmt, 5, updated - (gint64) (n - m) * G_USEC_PER_SEC);
          sqlite3_bind_int64 (message_stmt, 6, user ? -1 : 40);
          sqlite3_bind_int64 (message_stmt, 7, user ? -1 : 120);
          sqlite3_bind_int64 (message_stmt, 8, user ? -1 : 160);
          sqlite3_bind_double (message_stmt, 9, user ? -1 : 0.0002);
          if (user)
            sqlite3_bind_null (message_stmt, 10);
          else
            sqlite3_bind_text (message_stmt, 10, "gpt-4o-mini", -1, SQLITE_STATIC);
          sqlite3_bind_text (message_stmt, 11, text->str, text->len, SQLITE_TRANSIENT);
          g_assert_cmpint (sqlite3_step (message_stmt), ==, SQLITE_DONE);
          sqlite3_reset (message_stmt);
          sqlite3_clear_bindings (message_stmt);
        }
    }
  sqlite3_finalize (conversation_stmt);
  sqlite3_finalize (message_stmt);
  exec_or_die (db, "COMMIT; PRAGMA wal_checkpoint(TRUNCATE)");
  sqlite3_close (db);
}

static void
create_empty (const char *path)
{
  test_close_store (test_open_store (path));
}

/* The rows a sidebar shows in a tall window: what the view asks the model for. */
#define VISIBLE_ROWS 40

/* Start-up: open (migrations, recovery), list, and read the rows the sidebar shows.
 * Then, apart, how long until every conversation is listed in the background. */
static double
time_startup (const char *path,
              guint      *n_listed,
              double     *complete_ms)
{
  g_autoptr(RelayConversationList) list = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  RelayStore *store;
  gint64 start, end;
  GListModel *model;

  start = g_get_monotonic_time ();
  store = test_open_store (path);
  list = test_load_list (store);
  model = G_LIST_MODEL (list);
  for (guint i = 0; i < MIN (VISIBLE_ROWS, g_list_model_get_n_items (model)); i++)
    {
      g_autoptr(RelayConversation) conversation = g_list_model_get_item (model, i);

      g_assert_nonnull (relay_conversation_get_title (conversation));
    }
  end = g_get_monotonic_time ();

  relay_conversation_list_load_all_async (list, NULL, test_result_cb, &result);
  g_assert_true (relay_conversation_list_load_all_finish (list, test_wait_result (&result), NULL));
  *complete_ms = (g_get_monotonic_time () - start) / 1000.0;
  *n_listed = g_list_model_get_n_items (model);
  g_clear_object (&result);
  g_clear_object (&list);
  test_close_store (store);
  return (end - start) / 1000.0;
}

static double
time_long_load (const char *path,
                guint      *n_loaded)
{
  g_autoptr(RelayConversationList) list = NULL;
  g_autoptr(RelayConversation) conversation = NULL;
  RelayStore *store = test_open_store (path);
  gint64 start, end;

  list = test_load_list (store);
  conversation = g_object_ref (relay_conversation_list_lookup (list, 1));
  start = g_get_monotonic_time ();
  test_load (conversation);
  end = g_get_monotonic_time ();
  *n_loaded = g_list_model_get_n_items (G_LIST_MODEL (conversation));
  g_clear_object (&conversation);
  g_clear_object (&list);
  test_close_store (store);
  return (end - start) / 1000.0;
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static double
median (double *values,
        guint   n)
{
  qsort (values, n, sizeof (double), compare_doubles);
  return values[n / 2];
}

/* Peak and current resident size, in KiB, from /proc/self/status. */
static void
read_rss (long *peak,
          long *current)
{
  g_autofree char *status = NULL;
  const char *p;

  *peak = *current = -1;
  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return;
  if ((p = strstr (status, "VmHWM:")) != NULL)
    *peak = strtol (p + 6, NULL, 10);
  if ((p = strstr (status, "VmRSS:")) != NULL)
    *current = strtol (p + 6, NULL, 10);
}

/* Runs this program in @mode on @path and returns its peak RSS in KiB: a process of its
 * own, so that the figure is that of the work alone. */
static long
child_peak_rss (const char *self,
                const char *mode,
                const char *path)
{
  struct rusage usage;
  int status;
  pid_t pid;

  fflush (stdout);
  if ((pid = fork ()) == 0)
    {
      execl (self, self, mode, path, NULL);
      _exit (127);
    }
  g_assert_cmpint (pid, >, 0);
  g_assert_cmpint (wait4 (pid, &status, 0, &usage), ==, pid);
  g_assert_true (WIFEXITED (status) && WEXITSTATUS (status) == 0);
  return usage.ru_maxrss;
}

static int
child_main (const char *mode,
            const char *path)
{
  guint n;
  double ms;

  /* --generate and --empty make the histories other benchmarks (the app's start-up) use. */
  if (strcmp (mode, "--generate") == 0)
    {
      create_empty (path);
      generate (path);
    }
  else if (strcmp (mode, "--empty") == 0)
    create_empty (path);
  else if (strcmp (mode, "--startup") == 0)
    time_startup (path, &n, &ms);
  else
    time_long_load (path, &n);
  return 0;
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *dir = test_make_dir ();
  g_autofree char *empty_path = g_build_filename (dir, "empty.db", NULL);
  g_autofree char *full_path = g_build_filename (dir, "full.db", NULL);
  double empty_runs[RUNS], full_runs[RUNS], complete_runs[RUNS], load_runs[5];
  double empty_ms, full_ms, complete_ms, load_ms, ignored;
  guint n_listed = 0, n_loaded = 0;
  long peak, current, startup_peak, empty_peak, load_peak;
  struct stat st;
  gint64 start;

  if (argc == 3)
    return child_main (argv[1], argv[2]);
  g_test_init (&argc, &argv, NULL);

  create_empty (empty_path);
  create_empty (full_path);
  start = g_get_monotonic_time ();
  generate (full_path);
  g_stat (full_path, &st);
  printf ("generated %d conversations, %d messages (%.1f MiB) in %.1f s\n",
          N_CONVERSATIONS, N_MESSAGES, st.st_size / 1048576.0,
          (g_get_monotonic_time () - start) / 1e6);

  /* One warm-up each, so both are measured with the file in the page cache. */
  time_startup (empty_path, &n_listed, &ignored);
  time_startup (full_path, &n_listed, &ignored);
  /* Interleaved, so that whatever else the machine does weighs on both alike. */
  for (guint i = 0; i < RUNS; i++)
    {
      empty_runs[i] = time_startup (empty_path, &n_listed, &ignored);
      g_assert_cmpuint (n_listed, ==, 0);
      full_runs[i] = time_startup (full_path, &n_listed, &complete_runs[i]);
      g_assert_cmpuint (n_listed, ==, N_CONVERSATIONS);
    }
  for (guint i = 0; i < G_N_ELEMENTS (load_runs); i++)
    {
      load_runs[i] = time_long_load (full_path, &n_loaded);
      g_assert_cmpuint (n_loaded, ==, LONG_CHAT);
    }
  read_rss (&peak, &current);
  startup_peak = child_peak_rss (argv[0], "--startup", full_path);
  empty_peak = child_peak_rss (argv[0], "--startup", empty_path);
  load_peak = child_peak_rss (argv[0], "--load", full_path);

  empty_ms = median (empty_runs, RUNS);
  full_ms = median (full_runs, RUNS);
  complete_ms = median (complete_runs, RUNS);
  load_ms = median (load_runs, G_N_ELEMENTS (load_runs));
  printf ("start-up (open, list, read the rows shown), median of %d: empty store %.2f ms, "
          "full store %.2f ms (%.2fx; target 1.20x)\n", RUNS, empty_ms, full_ms, full_ms / empty_ms);
  printf ("start-up, fastest run: empty store %.2f ms, full store %.2f ms (%.2fx)\n",
          empty_runs[0], full_runs[0], full_runs[0] / empty_runs[0]);
  printf ("all %d conversations listed (in the background) after %.2f ms (median)\n",
          N_CONVERSATIONS, complete_ms);
  printf ("loading a %d-message conversation, median of %u: %.1f ms\n",
          LONG_CHAT, (guint) G_N_ELEMENTS (load_runs), load_ms);
  printf ("peak RSS of a process that starts up and lists everything: empty store %.1f MiB, "
          "full store %.1f MiB; one that also loads the %d-message chat: %.1f MiB\n",
          empty_peak / 1024.0, startup_peak / 1024.0, LONG_CHAT, load_peak / 1024.0);
  printf ("peak RSS of this benchmark (with generation): %.1f MiB\n", peak / 1024.0);

  if (g_getenv ("RELAY_BENCH_KEEP") != NULL)
    printf ("kept %s\n", dir);
  else
    test_remove_tree (dir);
  return 0;
}
