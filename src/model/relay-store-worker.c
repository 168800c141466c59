/* relay-store-worker.c: the thread that owns the database.
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "relay-store"

#include "config.h"

#include <glib/gstdio.h>

#include "relay-store-private.h"

/* One thread runs every statement, in the order the jobs were queued. That order is
 * what lets the conversation queue a message's insert, its checkpoints and its final
 * update without waiting for each other: they reach the database one after another.
 *
 * The worker is reference counted apart from the store so that the thread can finish
 * the queue (and close the database) whichever thread drops the store last. */
struct _RelayStoreWorker
{
  gatomicrefcount  ref_count;
  GAsyncQueue     *queue;
  GThread         *thread;
  sqlite3         *db;
  GHashTable      *statements;   /* SQL text (static, by address) → sqlite3_stmt */
};

typedef struct
{
  GTask                  *task;     /* NULL asks the thread to stop */
  RelayStoreRunFunc       run;
  RelayStoreCompleteFunc  complete;
  GError                 *error;
} Job;

static RelayStoreOpenHook open_hook;
static gpointer open_hook_data;

static RelayStoreWorker *
worker_ref (RelayStoreWorker *self)
{
  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

static void
worker_unref (RelayStoreWorker *self)
{
  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;

  g_assert (self->db == NULL);
  g_async_queue_unref (self->queue);
  g_free (self);
}

static gboolean
job_complete_cb (gpointer data)
{
  Job *job = data;

  if (job->error != NULL)
    g_task_return_error (job->task, g_steal_pointer (&job->error));
  else if (job->complete != NULL)
    job->complete (job->task, g_task_get_task_data (job->task));
  else
    g_task_return_boolean (job->task, TRUE);

  g_object_unref (job->task);
  g_free (job);
  return G_SOURCE_REMOVE;
}

static void
run_job (RelayStoreWorker *self,
         Job              *job)
{
  GCancellable *cancellable = g_task_get_cancellable (job->task);

  if (g_cancellable_set_error_if_cancelled (cancellable, &job->error))
    return;
  if (job->run != NULL && !job->run (self, g_task_get_task_data (job->task), &job->error))
    g_assert (job->error != NULL);
}

static void
close_db (RelayStoreWorker *self)
{
  g_clear_pointer (&self->statements, g_hash_table_unref);
  if (self->db != NULL)
    {
      /* Folding the WAL back into the database at a clean exit keeps the -wal file from
       * growing across sessions; a crash just leaves it for the next open. */
      sqlite3_wal_checkpoint_v2 (self->db, NULL, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
      sqlite3_close_v2 (self->db);
      self->db = NULL;
    }
}

static gpointer
worker_thread (gpointer data)
{
  RelayStoreWorker *self = data;

  for (;;)
    {
      Job *job = g_async_queue_pop (self->queue);

      if (job->task == NULL)
        {
          g_free (job);
          break;
        }
      run_job (self, job);
      g_main_context_invoke_full (g_task_get_context (job->task), G_PRIORITY_DEFAULT,
                                  job_complete_cb, job, NULL);
    }

  close_db (self);
  worker_unref (self);
  return NULL;
}

RelayStoreWorker *
_relay_store_worker_new (void)
{
  RelayStoreWorker *self = g_new0 (RelayStoreWorker, 1);

  g_atomic_ref_count_init (&self->ref_count);
  self->queue = g_async_queue_new ();
  self->thread = g_thread_new ("relay-store", worker_thread, worker_ref (self));
  return self;
}

/**
 * _relay_store_worker_push:
 * @task: (transfer full): the task; its task data is what @run and @complete receive
 *
 * Queues a job. When @run fails or the task's cancellable was cancelled before the job
 * ran, the task returns that error; otherwise @complete returns its value (or TRUE when
 * @complete is %NULL).
 */
void
_relay_store_worker_push (RelayStoreWorker       *self,
                          GTask                  *task,
                          RelayStoreRunFunc       run,
                          RelayStoreCompleteFunc  complete)
{
  Job *job = g_new0 (Job, 1);

  g_assert (task != NULL);

  job->task = task;
  job->run = run;
  job->complete = complete;
  g_async_queue_push (self->queue, job);
}

/* Finishes what is queued, closes the database and lets go of the worker. */
void
_relay_store_worker_stop (RelayStoreWorker *self)
{
  GThread *thread = self->thread;

  g_async_queue_push (self->queue, g_new0 (Job, 1));
  self->thread = NULL;
  if (thread == g_thread_self ())
    g_thread_unref (thread);
  else
    g_thread_join (thread);
  worker_unref (self);
}

sqlite3 *
_relay_store_worker_get_db (RelayStoreWorker *self)
{
  return self->db;
}

void
_relay_store_set_open_hook (RelayStoreOpenHook hook,
                            gpointer           user_data)
{
  open_hook = hook;
  open_hook_data = user_data;
}

gboolean
_relay_store_set_error (sqlite3  *db,
                        GError  **error)
{
  g_set_error (error, RELAY_STORE_ERROR, RELAY_STORE_ERROR_FAILED,
               "Database error: %s", db ? sqlite3_errmsg (db) : "out of memory");
  return FALSE;
}

static gboolean
apply_pragmas (sqlite3  *db,
               GError  **error)
{
  /* WAL lets readers (and the crash-recovery read at start-up) proceed beside a writer,
   * and makes each commit one append. synchronous=FULL syncs the WAL at every commit:
   * a message the user sent must survive a power cut, not only a crash of Relay. */
  static const char pragmas[] =
    "PRAGMA journal_mode = WAL;"
    "PRAGMA synchronous = FULL;"
    "PRAGMA foreign_keys = ON;"
    "PRAGMA busy_timeout = 5000;";

  if (sqlite3_exec (db, pragmas, NULL, NULL, NULL) != SQLITE_OK)
    return _relay_store_set_error (db, error);
  return TRUE;
}

static gboolean
ensure_parent_directory (const char  *path,
                         GError     **error)
{
  g_autofree char *dir = g_path_get_dirname (path);

  /* The history is private: other users on the machine have no business reading it. */
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   "Could not create %s: %s", dir, g_strerror (saved_errno));
      return FALSE;
    }
  return TRUE;
}

/* A reply that was pending or streaming when the last run ended will never finish:
 * mark it interrupted so that it reopens with a Retry. The partial index on state
 * makes this a lookup, not a scan of every message. */
static gboolean
recover_unfinished (sqlite3  *db,
                    guint    *n_recovered,
                    GError  **error)
{
  static const char sql[] =
    "UPDATE messages SET state = 'interrupted' WHERE state IN ('pending', 'streaming')";

  if (sqlite3_exec (db, sql, NULL, NULL, NULL) != SQLITE_OK)
    return _relay_store_set_error (db, error);
  *n_recovered = sqlite3_changes (db);
  return TRUE;
}

/* Deleted conversations are kept only while their Undo can be pressed, which ends with
 * the session that deleted them. Checked first through the partial index, because the
 * DELETE itself (cascading to messages and the search index) costs more to prepare than
 * the rest of start-up. */
static gboolean
purge_deleted (sqlite3  *db,
               GError  **error)
{
  static const char check_sql[] =
    "SELECT EXISTS (SELECT 1 FROM conversations WHERE deleted_at IS NOT NULL)";
  sqlite3_stmt *stmt = NULL;
  gboolean any;

  if (sqlite3_prepare_v2 (db, check_sql, -1, &stmt, NULL) != SQLITE_OK)
    return _relay_store_set_error (db, error);
  any = sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_int (stmt, 0) != 0;
  sqlite3_finalize (stmt);
  if (any && sqlite3_exec (db, "DELETE FROM conversations WHERE deleted_at IS NOT NULL",
                           NULL, NULL, NULL) != SQLITE_OK)
    return _relay_store_set_error (db, error);
  return TRUE;
}

gboolean
_relay_store_worker_open (RelayStoreWorker  *self,
                          const char        *path,
                          guint             *schema_version,
                          guint             *n_recovered,
                          GError           **error)
{
  sqlite3 *db = NULL;
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;

  g_assert (self->db == NULL);

  if (!ensure_parent_directory (path, error))
    return FALSE;
  if (sqlite3_open_v2 (path, &db, flags, NULL) != SQLITE_OK)
    {
      _relay_store_set_error (db, error);
      sqlite3_close_v2 (db);
      return FALSE;
    }
  if (open_hook != NULL)
    open_hook (db, open_hook_data);

  if (!apply_pragmas (db, error) ||
      !_relay_store_migrate (db, schema_version, error) ||
      !recover_unfinished (db, n_recovered, error) ||
      !purge_deleted (db, error))
    {
      sqlite3_close_v2 (db);
      return FALSE;
    }

  self->db = db;
  self->statements = g_hash_table_new_full (NULL, NULL, NULL,
                                            (GDestroyNotify) sqlite3_finalize);
  return TRUE;
}

/**
 * _relay_store_worker_prepare:
 * @sql: a statement; its address is the cache key, so pass a string constant
 *
 * Returns: (transfer none): the statement, reset and with its bindings cleared
 */
sqlite3_stmt *
_relay_store_worker_prepare (RelayStoreWorker  *self,
                             const char        *sql,
                             GError           **error)
{
  sqlite3_stmt *stmt;

  if (self->db == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CLOSED, "The database is not open");
      return NULL;
    }
  if ((stmt = g_hash_table_lookup (self->statements, sql)) != NULL)
    {
      sqlite3_reset (stmt);
      sqlite3_clear_bindings (stmt);
      return stmt;
    }
  if (sqlite3_prepare_v3 (self->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL) != SQLITE_OK)
    {
      _relay_store_set_error (self->db, error);
      return NULL;
    }
  g_hash_table_insert (self->statements, (gpointer) sql, stmt);
  return stmt;
}

/* Steps a statement that returns no rows, then resets it. */
gboolean
_relay_store_worker_step_done (RelayStoreWorker  *self,
                               sqlite3_stmt      *stmt,
                               GError           **error)
{
  int rc = sqlite3_step (stmt);

  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    {
      _relay_store_set_error (self->db, error);
      sqlite3_reset (stmt);
      return FALSE;
    }
  sqlite3_reset (stmt);
  return TRUE;
}

gboolean
_relay_store_worker_exec (RelayStoreWorker  *self,
                          const char        *sql,
                          GError           **error)
{
  if (self->db == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CLOSED, "The database is not open");
      return FALSE;
    }
  if (sqlite3_exec (self->db, sql, NULL, NULL, NULL) != SQLITE_OK)
    return _relay_store_set_error (self->db, error);
  return TRUE;
}

gboolean
_relay_store_worker_begin (RelayStoreWorker  *self,
                           GError           **error)
{
  return _relay_store_worker_exec (self, "BEGIN IMMEDIATE", error);
}

gboolean
_relay_store_worker_commit (RelayStoreWorker  *self,
                            GError           **error)
{
  if (_relay_store_worker_exec (self, "COMMIT", error))
    return TRUE;
  _relay_store_worker_rollback (self);
  return FALSE;
}

void
_relay_store_worker_rollback (RelayStoreWorker *self)
{
  if (!sqlite3_get_autocommit (self->db))
    sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
}
