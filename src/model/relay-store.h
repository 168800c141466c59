/* relay-store.h: conversations and messages in SQLite, off the main thread.
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "relay-message.h"

G_BEGIN_DECLS

#define RELAY_STORE_ERROR (relay_store_error_quark ())

typedef enum
{
  RELAY_STORE_ERROR_FAILED,         /* SQLite refused; the message says why */
  RELAY_STORE_ERROR_NEWER_SCHEMA,   /* the database was made by a newer Relay */
  RELAY_STORE_ERROR_NOT_FOUND,      /* no such row, or it was never saved */
} RelayStoreError;

GQuark relay_store_error_quark (void);

/* The conversation type lives in relay-conversation.h; the store only passes it around. */
typedef struct _RelayConversation RelayConversation;

#define RELAY_TYPE_STORE (relay_store_get_type ())

G_DECLARE_FINAL_TYPE (RelayStore, relay_store, RELAY, STORE, GObject)

char       *relay_store_dup_default_path          (void);

void        relay_store_open_async                (const char           *path,
                                                   GCancellable         *cancellable,
                                                   GAsyncReadyCallback   callback,
                                                   gpointer              user_data);
RelayStore *relay_store_open_finish               (GAsyncResult         *result,
                                                   GError              **error);
const char *relay_store_get_path                  (RelayStore           *self);
guint       relay_store_get_schema_version        (RelayStore           *self);
guint       relay_store_get_n_recovered           (RelayStore           *self);

void        relay_store_flush_async               (RelayStore           *self,
                                                   GCancellable         *cancellable,
                                                   GAsyncReadyCallback   callback,
                                                   gpointer              user_data);
gboolean    relay_store_flush_finish              (RelayStore           *self,
                                                   GAsyncResult         *result,
                                                   GError              **error);

/* Conversations */
void        relay_store_list_conversations_async  (RelayStore           *self,
                                                   GCancellable         *cancellable,
                                                   GAsyncReadyCallback   callback,
                                                   gpointer              user_data);
GPtrArray  *relay_store_list_conversations_finish (RelayStore           *self,
                                                   GAsyncResult         *result,
                                                   GError              **error);
void        relay_store_save_conversation_async   (RelayStore           *self,
                                                   RelayConversation    *conversation,
                                                   GCancellable         *cancellable,
                                                   GAsyncReadyCallback   callback,
                                                   gpointer              user_data);
gboolean    relay_store_save_conversation_finish  (RelayStore           *self,
                                                   GAsyncResult         *result,
                                                   GError              **error);
void        relay_store_delete_conversation_async (RelayStore           *self,
                                                   RelayConversation    *conversation,
                                                   GCancellable         *cancellable,
                                                   GAsyncReadyCallback   callback,
                                                   gpointer              user_data);
gboolean    relay_store_delete_conversation_finish (RelayStore          *self,
                                                   GAsyncResult         *result,
                                                   GError              **error);
void        relay_store_restore_conversation_async (RelayStore          *self,
                                                   RelayConversation    *conversation,
                                                   GCancellable         *cancellable,
                                                   GAsyncReadyCallback   callback,
                                                   gpointer              user_data);
gboolean    relay_store_restore_conversation_finish (RelayStore         *self,
                                                   GAsyncResult         *result,
                                                   GError              **error);
void        relay_store_purge_deleted_async       (RelayStore           *self,
                                                   GCancellable         *cancellable,
                                                   GAsyncReadyCallback   callback,
                                                   gpointer              user_data);
gboolean    relay_store_purge_deleted_finish      (RelayStore           *self,
                                                   GAsyncResult         *result,
                                                   GError              **error);
void        relay_store_search_async              (RelayStore           *self,
                                                   const char           *query,
                                                   GCancellable         *cancellable,
                                                   GAsyncReadyCallback   callback,
                                                   gpointer              user_data);
GArray     *relay_store_search_finish             (RelayStore           *self,
                                                   GAsyncResult         *result,
                                                   GError              **error);

/* Messages */
void        relay_store_insert_message_async      (RelayStore           *self,
                                                   RelayConversation    *conversation,
                                                   RelayMessage         *parent,
                                                   RelayMessage         *message,
                                                   GCancellable         *cancellable,
                                                   GAsyncReadyCallback   callback,
                                                   gpointer              user_data);
gint64      relay_store_insert_message_finish     (RelayStore           *self,
                                                   GAsyncResult         *result,
                                                   GError              **error);
void        relay_store_update_message_async      (RelayStore           *self,
                                                   RelayMessage         *message,
                                                   GCancellable         *cancellable,
                                                   GAsyncReadyCallback   callback,
                                                   gpointer              user_data);
gboolean    relay_store_update_message_finish     (RelayStore           *self,
                                                   GAsyncResult         *result,
                                                   GError              **error);
void        relay_store_checkpoint_message_async  (RelayStore           *self,
                                                   RelayMessage         *message,
                                                   GCancellable         *cancellable,
                                                   GAsyncReadyCallback   callback,
                                                   gpointer              user_data);
gboolean    relay_store_checkpoint_message_finish (RelayStore           *self,
                                                   GAsyncResult         *result,
                                                   GError              **error);
void        relay_store_select_message_async      (RelayStore           *self,
                                                   RelayMessage         *message,
                                                   GCancellable         *cancellable,
                                                   GAsyncReadyCallback   callback,
                                                   gpointer              user_data);
gboolean    relay_store_select_message_finish     (RelayStore           *self,
                                                   GAsyncResult         *result,
                                                   GError              **error);
void        relay_store_delete_message_async      (RelayStore           *self,
                                                   RelayMessage         *message,
                                                   GCancellable         *cancellable,
                                                   GAsyncReadyCallback   callback,
                                                   gpointer              user_data);
gboolean    relay_store_delete_message_finish     (RelayStore           *self,
                                                   GAsyncResult         *result,
                                                   GError              **error);

G_END_DECLS
