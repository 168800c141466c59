/* relay-conversation-list.c
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "relay-conversation-list"

#include "config.h"

#include "relay-conversation-list.h"

/**
 * RelayConversationList:
 *
 * A #GListModel of every #RelayConversation, pinned ones first, then the most recently
 * updated first; a conversation moves as it is pinned or gets a new message.
 *
 * It is filled from the store's metadata alone: no message is read until a
 * conversation is opened. A new conversation joins the list with its first message.
 * Deleting takes a conversation out at once and keeps it for an Undo until
 * relay_conversation_list_purge_deleted() (or the next start).
 */
struct _RelayConversationList
{
  GObject            parent_instance;

  RelayStore        *store;
  GListStore        *items;
  GPtrArray         *deleted;    /* RelayConversation, for Undo */
  RelayConversation *pending;    /* new and still empty, not listed yet */
  GPtrArray         *load_tasks;
  guint              loaded : 1;
  guint              loading : 1;
};

enum {
  PROP_0,
  PROP_STORE,
  PROP_LOADED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (RelayConversationList, relay_conversation_list, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

static GType
relay_conversation_list_get_item_type (GListModel *model)
{
  return RELAY_TYPE_CONVERSATION;
}

static guint
relay_conversation_list_get_n_items (GListModel *model)
{
  return g_list_model_get_n_items (G_LIST_MODEL (RELAY_CONVERSATION_LIST (model)->items));
}

static gpointer
relay_conversation_list_get_item (GListModel *model,
                                  guint       position)
{
  return g_list_model_get_item (G_LIST_MODEL (RELAY_CONVERSATION_LIST (model)->items), position);
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = relay_conversation_list_get_item_type;
  iface->get_n_items = relay_conversation_list_get_n_items;
  iface->get_item = relay_conversation_list_get_item;
}

static int
compare_conversations (gconstpointer a,
                       gconstpointer b,
                       gpointer      user_data)
{
  RelayConversation *ca = (RelayConversation *) a;
  RelayConversation *cb = (RelayConversation *) b;
  gboolean pa = relay_conversation_get_pinned (ca);
  gboolean pb = relay_conversation_get_pinned (cb);
  gint64 ua, ub;

  if (pa != pb)
    return pa ? -1 : 1;
  ua = relay_conversation_get_updated_at (ca);
  ub = relay_conversation_get_updated_at (cb);
  if (ua != ub)
    return ua > ub ? -1 : 1;
  return relay_conversation_get_id (ca) > relay_conversation_get_id (cb) ? -1 : 1;
}

static void
items_changed_cb (GListModel            *items,
                  guint                  position,
                  guint                  removed,
                  guint                  added,
                  RelayConversationList *self)
{
  g_list_model_items_changed (G_LIST_MODEL (self), position, removed, added);
}

/* Moves a conversation whose pinned flag or update time changed to where it now sorts. */
static void
conversation_moved_cb (RelayConversation     *conversation,
                       GParamSpec            *pspec,
                       RelayConversationList *self)
{
  GListModel *model = G_LIST_MODEL (self->items);
  g_autoptr(RelayConversation) before = NULL;
  g_autoptr(RelayConversation) after = NULL;
  guint position;

  if (!g_list_store_find (self->items, conversation, &position))
    return;
  before = position > 0 ? g_list_model_get_item (model, position - 1) : NULL;
  after = g_list_model_get_item (model, position + 1);
  if ((before == NULL || compare_conversations (before, conversation, NULL) < 0) &&
      (after == NULL || compare_conversations (conversation, after, NULL) < 0))
    return;

  g_object_ref (conversation);
  g_list_store_remove (self->items, position);
  g_list_store_insert_sorted (self->items, conversation, compare_conversations, NULL);
  g_object_unref (conversation);
}

static void
watch (RelayConversationList *self,
       RelayConversation     *conversation)
{
  g_signal_connect_object (conversation, "notify::pinned",
                           G_CALLBACK (conversation_moved_cb), self, 0);
  g_signal_connect_object (conversation, "notify::updated-at",
                           G_CALLBACK (conversation_moved_cb), self, 0);
}

static void
pending_items_changed_cb (GListModel            *model,
                          guint                  position,
                          guint                  removed,
                          guint                  added,
                          RelayConversationList *self)
{
  g_autoptr(RelayConversation) conversation = NULL;

  if (g_list_model_get_n_items (model) == 0 || RELAY_CONVERSATION (model) != self->pending)
    return;

  conversation = g_steal_pointer (&self->pending);
  g_signal_handlers_disconnect_by_func (conversation, pending_items_changed_cb, self);
  g_list_store_insert_sorted (self->items, conversation, compare_conversations, NULL);
  watch (self, conversation);
}

static void
relay_conversation_list_dispose (GObject *object)
{
  RelayConversationList *self = RELAY_CONVERSATION_LIST (object);

  if (self->pending != NULL)
    g_signal_handlers_disconnect_by_data (self->pending, self);
  g_clear_object (&self->pending);
  g_clear_pointer (&self->deleted, g_ptr_array_unref);
  g_clear_object (&self->items);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (relay_conversation_list_parent_class)->dispose (object);
}

static void
relay_conversation_list_finalize (GObject *object)
{
  RelayConversationList *self = RELAY_CONVERSATION_LIST (object);

  g_assert (self->load_tasks->len == 0);
  g_ptr_array_unref (self->load_tasks);

  G_OBJECT_CLASS (relay_conversation_list_parent_class)->finalize (object);
}

static void
relay_conversation_list_get_property (GObject    *object,
                                      guint       prop_id,
                                      GValue     *value,
                                      GParamSpec *pspec)
{
  RelayConversationList *self = RELAY_CONVERSATION_LIST (object);

  switch (prop_id)
    {
    case PROP_STORE: g_value_set_object (value, self->store); break;
    case PROP_LOADED: g_value_set_boolean (value, self->loaded); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
relay_conversation_list_set_property (GObject      *object,
                                      guint         prop_id,
                                      const GValue *value,
                                      GParamSpec   *pspec)
{
  RelayConversationList *self = RELAY_CONVERSATION_LIST (object);

  switch (prop_id)
    {
    case PROP_STORE: self->store = g_value_dup_object (value); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
relay_conversation_list_class_init (RelayConversationListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = relay_conversation_list_dispose;
  object_class->finalize = relay_conversation_list_finalize;
  object_class->get_property = relay_conversation_list_get_property;
  object_class->set_property = relay_conversation_list_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, RELAY_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LOADED] =
    g_param_spec_boolean ("loaded", NULL, NULL, FALSE, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
relay_conversation_list_init (RelayConversationList *self)
{
  self->items = g_list_store_new (RELAY_TYPE_CONVERSATION);
  self->deleted = g_ptr_array_new_with_free_func (g_object_unref);
  self->load_tasks = g_ptr_array_new ();
  g_signal_connect (self->items, "items-changed", G_CALLBACK (items_changed_cb), self);
}

/**
 * relay_conversation_list_new:
 * @store: (nullable): the store, or %NULL for conversations kept in memory only
 */
RelayConversationList *
relay_conversation_list_new (RelayStore *store)
{
  g_return_val_if_fail (!store || RELAY_IS_STORE (store), NULL);

  return g_object_new (RELAY_TYPE_CONVERSATION_LIST, "store", store, NULL);
}

RelayStore *
relay_conversation_list_get_store (RelayConversationList *self)
{
  g_return_val_if_fail (RELAY_IS_CONVERSATION_LIST (self), NULL);
  return self->store;
}

gboolean
relay_conversation_list_get_loaded (RelayConversationList *self)
{
  g_return_val_if_fail (RELAY_IS_CONVERSATION_LIST (self), FALSE);
  return self->loaded;
}

static void
complete_load_tasks (RelayConversationList *self,
                     const GError          *error)
{
  g_autoptr(GPtrArray) tasks = g_steal_pointer (&self->load_tasks);

  self->load_tasks = g_ptr_array_new ();
  self->loading = FALSE;
  for (guint i = 0; i < tasks->len; i++)
    {
      g_autoptr(GTask) task = g_ptr_array_index (tasks, i);

      if (error != NULL)
        g_task_return_error (task, g_error_copy (error));
      else
        g_task_return_boolean (task, TRUE);
    }
}

static void
list_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(RelayConversationList) self = user_data;
  g_autoptr(GPtrArray) conversations = NULL;
  g_autoptr(GError) error = NULL;

  if (!(conversations = relay_store_list_conversations_finish (RELAY_STORE (object), result, &error)))
    {
      complete_load_tasks (self, error);
      return;
    }
  if (self->items != NULL)
    {
      g_ptr_array_sort_values_with_data (conversations, compare_conversations, NULL);
      for (guint i = 0; i < conversations->len; i++)
        watch (self, g_ptr_array_index (conversations, i));
      g_list_store_splice (self->items, 0, 0, conversations->pdata, conversations->len);
      self->loaded = TRUE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADED]);
    }
  complete_load_tasks (self, NULL);
}

/**
 * relay_conversation_list_load_async:
 *
 * Lists the stored conversations (what start-up does), once.
 */
void
relay_conversation_list_load_async (RelayConversationList *self,
                                    GCancellable          *cancellable,
                                    GAsyncReadyCallback    callback,
                                    gpointer               user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (RELAY_IS_CONVERSATION_LIST (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, relay_conversation_list_load_async);
  if (self->loaded || self->store == NULL)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }
  g_ptr_array_add (self->load_tasks, g_steal_pointer (&task));
  if (!self->loading)
    {
      self->loading = TRUE;
      relay_store_list_conversations_async (self->store, NULL, list_cb, g_object_ref (self));
    }
}

gboolean
relay_conversation_list_load_finish (RelayConversationList  *self,
                                     GAsyncResult           *result,
                                     GError                **error)
{
  g_return_val_if_fail (RELAY_IS_CONVERSATION_LIST (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * relay_conversation_list_create:
 *
 * Gives a new, empty conversation, or the one given before if it is still empty. It
 * joins the list (and the store) when its first message is added.
 *
 * Returns: (transfer full): the conversation
 */
RelayConversation *
relay_conversation_list_create (RelayConversationList *self)
{
  g_return_val_if_fail (RELAY_IS_CONVERSATION_LIST (self), NULL);

  if (self->pending == NULL)
    {
      self->pending = relay_conversation_new (self->store);
      g_signal_connect (self->pending, "items-changed", G_CALLBACK (pending_items_changed_cb), self);
    }
  return g_object_ref (self->pending);
}

/**
 * relay_conversation_list_lookup:
 *
 * Returns: (transfer none) (nullable): the listed conversation with @id
 */
RelayConversation *
relay_conversation_list_lookup (RelayConversationList *self,
                                gint64                 id)
{
  GListModel *model;

  g_return_val_if_fail (RELAY_IS_CONVERSATION_LIST (self), NULL);

  model = G_LIST_MODEL (self->items);
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(RelayConversation) conversation = g_list_model_get_item (model, i);

      if (relay_conversation_get_id (conversation) == id)
        return conversation;
    }
  return NULL;
}

static void
store_done_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_debug ("Could not save the conversation list: %s", error->message);
}

/**
 * relay_conversation_list_delete:
 *
 * Takes @conversation out of the list and the store's listing and search. It can be
 * brought back with relay_conversation_list_undo_delete() until the deletions are purged.
 */
void
relay_conversation_list_delete (RelayConversationList *self,
                                RelayConversation     *conversation)
{
  guint position;

  g_return_if_fail (RELAY_IS_CONVERSATION_LIST (self));
  g_return_if_fail (RELAY_IS_CONVERSATION (conversation));

  if (conversation == self->pending)
    {
      g_signal_handlers_disconnect_by_data (self->pending, self);
      g_clear_object (&self->pending);
      return;
    }
  if (!g_list_store_find (self->items, conversation, &position))
    return;

  g_ptr_array_add (self->deleted, g_object_ref (conversation));
  g_list_store_remove (self->items, position);
  if (self->store != NULL)
    relay_store_delete_conversation_async (self->store, conversation, NULL, store_done_cb, NULL);
}

void
relay_conversation_list_undo_delete (RelayConversationList *self,
                                     RelayConversation     *conversation)
{
  g_return_if_fail (RELAY_IS_CONVERSATION_LIST (self));
  g_return_if_fail (RELAY_IS_CONVERSATION (conversation));

  if (!g_ptr_array_find (self->deleted, conversation, NULL))
    return;
  g_list_store_insert_sorted (self->items, conversation, compare_conversations, NULL);
  if (self->store != NULL)
    relay_store_restore_conversation_async (self->store, conversation, NULL, store_done_cb, NULL);
  g_ptr_array_remove (self->deleted, conversation);
}

/**
 * relay_conversation_list_purge_deleted:
 *
 * Makes the deletions final: call it when their Undo is no longer offered.
 */
void
relay_conversation_list_purge_deleted (RelayConversationList *self)
{
  g_return_if_fail (RELAY_IS_CONVERSATION_LIST (self));

  g_ptr_array_set_size (self->deleted, 0);
  if (self->store != NULL)
    relay_store_purge_deleted_async (self->store, NULL, store_done_cb, NULL);
}

static void
search_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  RelayConversationList *self = g_task_get_source_object (task);
  g_autoptr(GHashTable) by_id = g_hash_table_new (g_int64_hash, g_int64_equal);
  g_autoptr(GListStore) matches = g_list_store_new (RELAY_TYPE_CONVERSATION);
  g_autoptr(GArray) ids = NULL;
  g_autoptr(GError) error = NULL;
  GListModel *model = G_LIST_MODEL (self->items);
  g_autoptr(GArray) keys = g_array_new (FALSE, FALSE, sizeof (gint64));

  if (!(ids = relay_store_search_finish (RELAY_STORE (object), result, &error)))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_array_set_size (keys, g_list_model_get_n_items (model));
  for (guint i = 0; i < keys->len; i++)
    {
      RelayConversation *conversation = g_list_model_get_item (model, i);

      g_array_index (keys, gint64, i) = relay_conversation_get_id (conversation);
      g_hash_table_insert (by_id, &g_array_index (keys, gint64, i), conversation);
      g_object_unref (conversation);
    }
  for (guint i = 0; i < ids->len; i++)
    {
      RelayConversation *conversation = g_hash_table_lookup (by_id, &g_array_index (ids, gint64, i));

      if (conversation != NULL)
        g_list_store_append (matches, conversation);
    }
  g_task_return_pointer (task, g_steal_pointer (&matches), g_object_unref);
}

/**
 * relay_conversation_list_search_async:
 * @query: the words typed
 *
 * Finds the listed conversations whose title or messages contain every word of @query.
 */
void
relay_conversation_list_search_async (RelayConversationList *self,
                                      const char            *query,
                                      GCancellable          *cancellable,
                                      GAsyncReadyCallback    callback,
                                      gpointer               user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (RELAY_IS_CONVERSATION_LIST (self));
  g_return_if_fail (query != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, relay_conversation_list_search_async);
  if (self->store == NULL)
    {
      g_task_return_pointer (task, g_list_store_new (RELAY_TYPE_CONVERSATION), g_object_unref);
      return;
    }
  relay_store_search_async (self->store, query, cancellable, search_cb, g_steal_pointer (&task));
}

/**
 * relay_conversation_list_search_finish:
 *
 * Returns: (transfer full): a #GListModel of the matching #RelayConversation, in list order
 */
GListModel *
relay_conversation_list_search_finish (RelayConversationList  *self,
                                       GAsyncResult           *result,
                                       GError                **error)
{
  g_return_val_if_fail (RELAY_IS_CONVERSATION_LIST (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
