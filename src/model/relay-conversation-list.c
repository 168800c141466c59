/* relay-conversation-list.c
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "relay-conversation-list"

#include "config.h"

#include "relay-conversation-list.h"
#include "relay-conversation-private.h"
#include "relay-store-private.h"

/* Start-up lists this many, enough to fill the sidebar of a tall window; the rest follow
 * in pages of LATER_PAGE, after the window is up. */
#define FIRST_PAGE 60
#define LATER_PAGE 500

/**
 * RelayConversationList:
 *
 * A #GListModel of every #RelayConversation, pinned ones first, then the most recently
 * updated first; a conversation moves as it is pinned or gets a new message.
 *
 * It is filled from the store's metadata alone: no message is read until a
 * conversation is opened. relay_conversation_list_load_async() completes when the
 * first conversations are listed; the others follow in the background, and
 * #RelayConversationList:complete says when all are in. A new conversation joins the
 * list with its first message.
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
  GHashTable        *by_id;      /* gint64 id → RelayConversation listed */
  GPtrArray         *load_tasks;
  GPtrArray         *complete_tasks;
  GCancellable      *cancellable;
  RelayStoreListCursor cursor;   /* where the last page read ended */
  guint              loaded : 1;
  guint              loading : 1;
  guint              complete : 1;
};

enum {
  PROP_0,
  PROP_STORE,
  PROP_LOADED,
  PROP_COMPLETE,
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
  gint64 ua, ub, ia, ib;

  if (pa != pb)
    return pa ? -1 : 1;
  ua = relay_conversation_get_updated_at (ca);
  ub = relay_conversation_get_updated_at (cb);
  if (ua != ub)
    return ua > ub ? -1 : 1;
  ia = relay_conversation_get_id (ca);
  ib = relay_conversation_get_id (cb);
  return ia == ib ? 0 : ia > ib ? -1 : 1;
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

/* A new conversation has no id until its first save ran; it is indexed then. */
static void
index_conversation (RelayConversationList *self,
                    RelayConversation     *conversation)
{
  gint64 id = relay_conversation_get_id (conversation);

  _relay_conversation_set_list (conversation, self);
  if (id > 0 && !g_hash_table_contains (self->by_id, &id))
    g_hash_table_insert (self->by_id, g_memdup2 (&id, sizeof id), conversation);
}

/* Puts a conversation that just got its first message, or was restored, in its place. */
static void
add_sorted (RelayConversationList *self,
            RelayConversation     *conversation)
{
  g_list_store_insert_sorted (self->items, conversation, compare_conversations, NULL);
  index_conversation (self, conversation);
}

/* Called by a conversation whose pinned flag or update time changed, or which got its
 * first message. */
void
_relay_conversation_list_changed (gpointer           list,
                                  RelayConversation *conversation)
{
  RelayConversationList *self = list;
  GListModel *model = G_LIST_MODEL (self->items);
  g_autoptr(RelayConversation) before = NULL;
  g_autoptr(RelayConversation) after = NULL;
  guint position;

  if (conversation == self->pending)
    {
      if (g_list_model_get_n_items (G_LIST_MODEL (conversation)) > 0)
        {
          g_autoptr(RelayConversation) joined = g_steal_pointer (&self->pending);

          add_sorted (self, joined);
        }
      return;
    }
  if (!g_list_store_find (self->items, conversation, &position))
    return;
  index_conversation (self, conversation);
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
forget_list (gpointer conversation,
             gpointer list)
{
  if (_relay_conversation_get_list (conversation) == list)
    _relay_conversation_set_list (conversation, NULL);
}

static void
relay_conversation_list_dispose (GObject *object)
{
  RelayConversationList *self = RELAY_CONVERSATION_LIST (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  if (self->items != NULL)
    {
      for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (self->items)); i++)
        {
          g_autoptr(RelayConversation) conversation = g_list_model_get_item (G_LIST_MODEL (self->items), i);

          forget_list (conversation, self);
        }
    }
  if (self->deleted != NULL)
    g_ptr_array_foreach (self->deleted, forget_list, self);
  if (self->pending != NULL)
    forget_list (self->pending, self);
  g_clear_object (&self->pending);
  g_clear_pointer (&self->deleted, g_ptr_array_unref);
  g_clear_pointer (&self->by_id, g_hash_table_unref);
  g_clear_object (&self->items);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (relay_conversation_list_parent_class)->dispose (object);
}

static void
relay_conversation_list_finalize (GObject *object)
{
  RelayConversationList *self = RELAY_CONVERSATION_LIST (object);

  g_assert (self->load_tasks->len == 0);
  g_assert (self->complete_tasks->len == 0);
  g_ptr_array_unref (self->load_tasks);
  g_ptr_array_unref (self->complete_tasks);
  g_clear_object (&self->cancellable);

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
    case PROP_COMPLETE: g_value_set_boolean (value, self->complete); break;
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
  /* The first conversations are listed. */
  properties[PROP_LOADED] =
    g_param_spec_boolean ("loaded", NULL, NULL, FALSE, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /* Every stored conversation is listed. */
  properties[PROP_COMPLETE] =
    g_param_spec_boolean ("complete", NULL, NULL, FALSE, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
relay_conversation_list_init (RelayConversationList *self)
{
  self->items = g_list_store_new (RELAY_TYPE_CONVERSATION);
  self->deleted = g_ptr_array_new_with_free_func (g_object_unref);
  self->load_tasks = g_ptr_array_new ();
  self->complete_tasks = g_ptr_array_new ();
  self->by_id = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
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
return_tasks (GPtrArray    **tasks,
              const GError  *error)
{
  g_autoptr(GPtrArray) done = g_steal_pointer (tasks);

  *tasks = g_ptr_array_new ();
  for (guint i = 0; i < done->len; i++)
    {
      g_autoptr(GTask) task = g_ptr_array_index (done, i);

      if (error != NULL)
        g_task_return_error (task, g_error_copy (error));
      else
        g_task_return_boolean (task, TRUE);
    }
}

/* Adds a page below what is listed. Conversations the user changed meanwhile may come
 * again (their stored order changed), and are skipped. */
static void
add_page (RelayConversationList *self,
          GPtrArray             *page)
{
  g_autoptr(GPtrArray) fresh = g_ptr_array_new_with_free_func (g_object_unref);
  GListModel *model = G_LIST_MODEL (self->items);
  guint n = g_list_model_get_n_items (model);
  g_autoptr(RelayConversation) last = n > 0 ? g_list_model_get_item (model, n - 1) : NULL;

  for (guint i = 0; i < page->len; i++)
    {
      RelayConversation *conversation = g_ptr_array_index (page, i);
      gint64 id = relay_conversation_get_id (conversation);

      if (!g_hash_table_contains (self->by_id, &id))
        {
          g_ptr_array_add (fresh, g_object_ref (conversation));
          index_conversation (self, conversation);
        }
    }
  if (fresh->len == 0)
    return;

  /* Pages come in order, so they go at the end, unless a conversation moved down into
   * them meanwhile. */
  if (last == NULL || compare_conversations (last, g_ptr_array_index (fresh, 0), NULL) < 0)
    g_list_store_splice (self->items, n, 0, fresh->pdata, fresh->len);
  else
    for (guint i = 0; i < fresh->len; i++)
      g_list_store_insert_sorted (self->items, g_ptr_array_index (fresh, i), compare_conversations, NULL);
}

static void load_page (RelayConversationList *self, guint limit);

static void
page_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(RelayConversationList) self = user_data;
  g_autoptr(GPtrArray) page = NULL;
  g_autoptr(GError) error = NULL;
  gboolean first = !self->loaded;

  if (!(page = _relay_store_list_page_finish (RELAY_STORE (object), result, &self->cursor, &error)))
    {
      self->loading = FALSE;
      return_tasks (&self->load_tasks, error);
      return_tasks (&self->complete_tasks, error);
      return;
    }
  if (self->items == NULL)
    {
      return_tasks (&self->load_tasks, NULL);
      return_tasks (&self->complete_tasks, NULL);
      return;
    }

  add_page (self, page);
  if (first)
    {
      self->loaded = TRUE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADED]);
      return_tasks (&self->load_tasks, NULL);
    }
  if (page->len == (first ? FIRST_PAGE : LATER_PAGE))
    {
      load_page (self, LATER_PAGE);
      return;
    }
  self->loading = FALSE;
  self->complete = TRUE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COMPLETE]);
  return_tasks (&self->complete_tasks, NULL);
}

static void
load_page (RelayConversationList *self,
           guint                  limit)
{
  if (self->cancellable == NULL)
    self->cancellable = g_cancellable_new ();
  _relay_store_list_page_async (self->store, self->loaded ? &self->cursor : NULL, limit,
                                self->cancellable, page_cb, g_object_ref (self));
}

static void
start_loading (RelayConversationList *self)
{
  if (self->loading || self->complete)
    return;
  self->loading = TRUE;
  load_page (self, FIRST_PAGE);
}

/**
 * relay_conversation_list_load_async:
 *
 * Lists the stored conversations, what start-up does: completes when the first of
 * them are listed, while the rest keep coming.
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
  start_loading (self);
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
 * relay_conversation_list_load_all_async:
 *
 * Completes when every stored conversation is listed, loading them if need be.
 */
void
relay_conversation_list_load_all_async (RelayConversationList *self,
                                        GCancellable          *cancellable,
                                        GAsyncReadyCallback    callback,
                                        gpointer               user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (RELAY_IS_CONVERSATION_LIST (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, relay_conversation_list_load_all_async);
  if (self->complete || self->store == NULL)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }
  g_ptr_array_add (self->complete_tasks, g_steal_pointer (&task));
  start_loading (self);
}

gboolean
relay_conversation_list_load_all_finish (RelayConversationList  *self,
                                         GAsyncResult           *result,
                                         GError                **error)
{
  g_return_val_if_fail (RELAY_IS_CONVERSATION_LIST (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

gboolean
relay_conversation_list_get_complete (RelayConversationList *self)
{
  g_return_val_if_fail (RELAY_IS_CONVERSATION_LIST (self), FALSE);
  return self->complete || self->store == NULL;
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
      _relay_conversation_set_list (self->pending, self);
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
  g_return_val_if_fail (RELAY_IS_CONVERSATION_LIST (self), NULL);

  return g_hash_table_lookup (self->by_id, &id);
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
      forget_list (self->pending, self);
      g_clear_object (&self->pending);
      return;
    }
  if (!g_list_store_find (self->items, conversation, &position))
    return;

  g_ptr_array_add (self->deleted, g_object_ref (conversation));
  g_hash_table_remove (self->by_id, &(gint64) { relay_conversation_get_id (conversation) });
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
  add_sorted (self, conversation);
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

  g_ptr_array_foreach (self->deleted, forget_list, self);
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
  g_autoptr(GListStore) matches = g_list_store_new (RELAY_TYPE_CONVERSATION);
  g_autoptr(GArray) ids = NULL;
  g_autoptr(GError) error = NULL;

  if (!(ids = relay_store_search_finish (RELAY_STORE (object), result, &error)))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  for (guint i = 0; i < ids->len && self->by_id != NULL; i++)
    {
      RelayConversation *conversation = g_hash_table_lookup (self->by_id, &g_array_index (ids, gint64, i));

      if (conversation != NULL)
        g_list_store_append (matches, conversation);
    }
  g_task_return_pointer (task, g_steal_pointer (&matches), g_object_unref);
}

/* Searching maps ids to listed conversations, so it waits until all are listed. */
static void
search_listed_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  RelayConversationList *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;

  if (!relay_conversation_list_load_all_finish (self, result, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  relay_store_search_async (self->store, g_task_get_task_data (task), g_task_get_cancellable (task),
                            search_cb, g_object_ref (task));
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
  g_task_set_task_data (task, g_strdup (query), g_free);
  relay_conversation_list_load_all_async (self, cancellable, search_listed_cb, g_steal_pointer (&task));
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
