/* relay-store-private.h: what the store's files and RelayConversation share.
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <sqlite3.h>

#include "relay-store.h"

G_BEGIN_DECLS

#define RELAY_STORE_SCHEMA_VERSION 2

/* The worker thread: it alone touches the sqlite3 handle. */
typedef struct _RelayStoreWorker RelayStoreWorker;

/* Runs on the worker with the task's data; FALSE with @error set on failure. */
typedef gboolean (*RelayStoreRunFunc)      (RelayStoreWorker  *worker,
                                            gpointer           task_data,
                                            GError           **error);
/* Runs back on the task's main context when run succeeded; returns the task's value. */
typedef void     (*RelayStoreCompleteFunc) (GTask             *task,
                                            gpointer           task_data);

RelayStoreWorker *_relay_store_worker_new       (void);
void              _relay_store_worker_push      (RelayStoreWorker        *worker,
                                                 GTask                   *task,
                                                 RelayStoreRunFunc        run,
                                                 RelayStoreCompleteFunc   complete);
void              _relay_store_worker_stop      (RelayStoreWorker        *worker);
sqlite3          *_relay_store_worker_get_db    (RelayStoreWorker        *worker);
gboolean          _relay_store_worker_open      (RelayStoreWorker        *worker,
                                                 const char              *path,
                                                 guint                   *schema_version,
                                                 guint                   *n_recovered,
                                                 GError                 **error);
sqlite3_stmt     *_relay_store_worker_prepare   (RelayStoreWorker        *worker,
                                                 const char              *sql,
                                                 GError                 **error);
gboolean          _relay_store_worker_step_done (RelayStoreWorker        *worker,
                                                 sqlite3_stmt            *stmt,
                                                 GError                 **error);
gboolean          _relay_store_worker_exec      (RelayStoreWorker        *worker,
                                                 const char              *sql,
                                                 GError                 **error);
gboolean          _relay_store_worker_begin     (RelayStoreWorker        *worker,
                                                 GError                 **error);
gboolean          _relay_store_worker_commit    (RelayStoreWorker        *worker,
                                                 GError                 **error);
void              _relay_store_worker_rollback  (RelayStoreWorker        *worker);
gboolean          _relay_store_set_error        (sqlite3                 *db,
                                                 GError                 **error);

/* Migrations (relay-store-schema.c) */
gboolean          _relay_store_migrate          (sqlite3                 *db,
                                                 guint                   *version,
                                                 GError                 **error);
const char       *_relay_store_get_migration    (guint                    version);

/* A row id that may not be known yet: an object saved by a job still in the queue gets
 * its id when that job runs, and later jobs (which run after it) read it from here. */
typedef struct _RelayStoreRowId RelayStoreRowId;

RelayStoreRowId  *_relay_store_row_id_for       (gpointer                 object,
                                                 gint64                   known_id);
RelayStoreRowId  *_relay_store_row_id_lookup    (gpointer                 object,
                                                 gint64                   known_id);
RelayStoreRowId  *_relay_store_row_id_ref       (RelayStoreRowId         *row);
void              _relay_store_row_id_unref     (RelayStoreRowId         *row);
gint64            _relay_store_row_id_get       (RelayStoreRowId         *row);
void              _relay_store_row_id_set       (RelayStoreRowId         *row,
                                                 gint64                   id);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RelayStoreRowId, _relay_store_row_id_unref)

RelayStoreWorker *_relay_store_get_worker       (RelayStore              *self);

/* Loading a conversation (relay-store-messages.c) */
typedef struct
{
  RelayMessage *message;
  gint64        id;
  gint64        parent_id;   /* 0 for the first message of a thread */
  gboolean      active;      /* the version shown among its siblings */
} RelayStoreMessageRow;

typedef struct
{
  GArray *rows;              /* RelayStoreMessageRow, in the order they were written */
  char   *settings_json;
} RelayStoreLoaded;

void              _relay_store_loaded_free      (RelayStoreLoaded        *loaded);
void              _relay_store_load_async       (RelayStore              *self,
                                                 RelayConversation       *conversation,
                                                 GCancellable            *cancellable,
                                                 GAsyncReadyCallback      callback,
                                                 gpointer                 user_data);
RelayStoreLoaded *_relay_store_load_finish      (RelayStore              *self,
                                                 GAsyncResult            *result,
                                                 GError                 **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RelayStoreLoaded, _relay_store_loaded_free)

/* Where a page of the conversation listing ends; the next page starts after it. */
typedef struct
{
  gboolean pinned;
  gint64   updated_at;
  gint64   id;
} RelayStoreListCursor;

void              _relay_store_list_page_async  (RelayStore                 *self,
                                                 const RelayStoreListCursor *after,
                                                 guint                       limit,
                                                 GCancellable               *cancellable,
                                                 GAsyncReadyCallback         callback,
                                                 gpointer                    user_data);
GPtrArray        *_relay_store_list_page_finish (RelayStore                 *self,
                                                 GAsyncResult               *result,
                                                 RelayStoreListCursor       *last,
                                                 GError                    **error);

/* Lets tests watch every statement: called on the worker right after sqlite3_open. */
typedef void (*RelayStoreOpenHook) (sqlite3  *db,
                                    gpointer  user_data);

void              _relay_store_set_open_hook    (RelayStoreOpenHook       hook,
                                                 gpointer                 user_data);

G_END_DECLS
