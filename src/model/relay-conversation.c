/* relay-conversation.c
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "relay-conversation"

#include "config.h"

#include <string.h>

#include "relay-conversation-private.h"
#include "relay-store-private.h"

/* How often a streaming reply's text is written. Twice a second keeps the loss on a
 * crash under a second even when the worker is busy with something else. */
#define CHECKPOINT_INTERVAL_MS 500

/**
 * RelayConversation:
 *
 * A conversation: a #GListModel of the #RelayMessage objects shown, its title, model and
 * settings, and what it has cost so far. It saves itself: the store is kept up to date
 * as messages are added and change, without callers asking.
 *
 * The messages form a tree. A regenerated reply, or an edited prompt, is a new version
 * beside the earlier ones, and what follows each version stays with it. The list model is
 * the path through the versions currently shown; relay_conversation_select_version()
 * changes it, and every message's #RelayMessage:version-index and
 * #RelayMessage:n-versions say where it stands among its versions.
 *
 * A conversation from the store starts unloaded (its list is empty) and reads its
 * messages on relay_conversation_load_async().
 *
 * Persistence rules, which make a crash lose at most a second of a streaming reply and
 * never what the user wrote:
 * - relay_conversation_append_async() completes when the message is on disk, so the
 *   request may be sent from its callback;
 * - a message that is pending or streaming is checkpointed (text and state) every
 *   half-second while its text grows;
 * - any other change to a message, and a reply reaching its final state, is written in
 *   full on the next idle.
 */

typedef struct _Node Node;

struct _Node
{
  RelayMessage      *message;          /* NULL for the root */
  Node              *parent;
  GPtrArray         *children;         /* Node*, the versions of what follows, oldest first */
  guint              active;           /* the child shown */
  gsize              checkpoint_length;
  RelayMessageState  checkpoint_state;
};

struct _RelayConversation
{
  GObject            parent_instance;

  RelayStore        *store;
  gint64             id;
  char              *title;
  char              *model;
  gboolean           pinned;
  gint64             created_at;
  gint64             updated_at;
  gint64             prompt_tokens;
  gint64             completion_tokens;
  double             cost;

  RelayChatSettings *settings;
  char              *settings_json;    /* as stored, until @settings is made from it */

  /* The tree exists once the conversation is loaded (or new): start-up makes a
   * thousand unloaded conversations, which must cost little. */
  Node              *root;
  GPtrArray         *thread;           /* Node*, the messages shown */
  GHashTable        *nodes;            /* RelayMessage* → Node* */
  GHashTable        *dirty;            /* Node* to write in full */
  GHashTable        *live;             /* Node* pending or streaming */
  gpointer           list;             /* the RelayConversationList showing it, unowned */

  GMainContext      *context;
  GSource           *save_source;
  GSource           *checkpoint_source;
  GCancellable      *cancellable;
  GPtrArray         *load_tasks;

  guint              loaded : 1;
  guint              loading : 1;
  guint              saved : 1;        /* its row is written, or queued */
  guint              row_dirty : 1;
  guint              settings_changed : 1;
  guint              applying_settings : 1;
  guint              disposed : 1;
};

enum {
  PROP_0,
  PROP_STORE,
  PROP_ID,
  PROP_TITLE,
  PROP_PINNED,
  PROP_MODEL,
  PROP_SETTINGS,
  PROP_CREATED_AT,
  PROP_UPDATED_AT,
  PROP_PROMPT_TOKENS,
  PROP_COMPLETION_TOKENS,
  PROP_COST,
  PROP_LOADED,
  N_PROPS
};

enum {
  STORE_ERROR,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void list_model_iface_init (GListModelInterface *iface);
static void message_notify_cb (RelayMessage *message, GParamSpec *pspec, RelayConversation *self);
static void message_tool_calls_changed_cb (RelayMessage *message, RelayConversation *self);
static void queue_save (RelayConversation *self);
static void mark_row_dirty (RelayConversation *self);

G_DEFINE_FINAL_TYPE_WITH_CODE (RelayConversation, relay_conversation, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

/* GListModel ------------------------------------------------------------------------- */

static GType
relay_conversation_get_item_type (GListModel *model)
{
  return RELAY_TYPE_MESSAGE;
}

static guint
relay_conversation_get_n_items (GListModel *model)
{
  RelayConversation *self = RELAY_CONVERSATION (model);

  return self->thread ? self->thread->len : 0;
}

static gpointer
relay_conversation_get_item (GListModel *model,
                             guint       position)
{
  RelayConversation *self = RELAY_CONVERSATION (model);
  Node *node;

  if (self->thread == NULL || position >= self->thread->len)
    return NULL;
  node = g_ptr_array_index (self->thread, position);
  return g_object_ref (node->message);
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = relay_conversation_get_item_type;
  iface->get_n_items = relay_conversation_get_n_items;
  iface->get_item = relay_conversation_get_item;
}

/* The tree ----------------------------------------------------------------------------- */

static gboolean
state_is_live (RelayMessageState state)
{
  return state == RELAY_MESSAGE_STATE_PENDING || state == RELAY_MESSAGE_STATE_STREAMING;
}

static Node *
node_new (RelayMessage *message)
{
  Node *node = g_new0 (Node, 1);

  node->message = message ? g_object_ref (message) : NULL;
  node->children = g_ptr_array_new ();
  if (message != NULL)
    {
      node->checkpoint_length = relay_message_get_content_length (message);
      node->checkpoint_state = relay_message_get_state (message);
    }
  return node;
}

static void
node_free (Node              *node,
           RelayConversation *self)
{
  for (guint i = 0; i < node->children->len; i++)
    node_free (g_ptr_array_index (node->children, i), self);
  g_ptr_array_unref (node->children);
  if (node->message != NULL)
    {
      g_signal_handlers_disconnect_by_data (node->message, self);
      g_object_unref (node->message);
    }
  g_free (node);
}

static void
update_versions (Node *parent)
{
  for (guint i = 0; i < parent->children->len; i++)
    {
      Node *child = g_ptr_array_index (parent->children, i);

      relay_message_set_version (child->message, i, parent->children->len);
    }
}

/* Adds @message after @parent; it becomes the version shown when @make_active. */
static Node *
attach (RelayConversation *self,
        Node              *parent,
        RelayMessage      *message,
        gboolean           make_active)
{
  Node *node = node_new (message);

  node->parent = parent;
  g_ptr_array_add (parent->children, node);
  if (make_active)
    parent->active = parent->children->len - 1;
  g_hash_table_insert (self->nodes, message, node);
  /* Plain handlers (not g_signal_connect_object, which costs several times more for a
   * long conversation): node_free() disconnects them before the message is let go. */
  g_signal_connect (message, "notify", G_CALLBACK (message_notify_cb), self);
  g_signal_connect (message, "tool-calls-changed", G_CALLBACK (message_tool_calls_changed_cb), self);
  return node;
}

static guint
thread_index (RelayConversation *self,
              Node              *node)
{
  /* New and regenerated messages are near the end, so look there first. */
  for (guint i = self->thread->len; i > 0; i--)
    if (g_ptr_array_index (self->thread, i - 1) == node)
      return i - 1;
  return G_MAXUINT;
}

/* Follows the versions shown from @position on, and tells views what changed. */
static void
rebuild_thread_from (RelayConversation *self,
                     guint              position)
{
  guint old_len = self->thread->len;
  Node *node;

  g_assert (position <= old_len);

  g_ptr_array_set_size (self->thread, position);
  node = position > 0 ? g_ptr_array_index (self->thread, position - 1) : self->root;
  while (node->children->len > 0)
    {
      node = g_ptr_array_index (node->children, MIN (node->active, node->children->len - 1));
      g_ptr_array_add (self->thread, node);
    }
  if (old_len != position || self->thread->len != position)
    g_list_model_items_changed (G_LIST_MODEL (self), position, old_len - position,
                                self->thread->len - position);
}

static Node *
lookup_node (RelayConversation *self,
             RelayMessage      *message)
{
  return self->nodes ? g_hash_table_lookup (self->nodes, message) : NULL;
}

static void
ensure_tree (RelayConversation *self)
{
  if (self->root != NULL)
    return;
  self->root = node_new (NULL);
  self->thread = g_ptr_array_new ();
  self->nodes = g_hash_table_new (NULL, NULL);
  self->dirty = g_hash_table_new (NULL, NULL);
  self->live = g_hash_table_new (NULL, NULL);
}

/* Saving ------------------------------------------------------------------------------- */

static void
report_error (RelayConversation *self,
              GError            *error)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_debug ("Could not save conversation %" G_GINT64_FORMAT ": %s", self->id, error->message);
  g_signal_emit (self, signals[STORE_ERROR], 0, error);
}

static void
store_done_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(RelayConversation) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    report_error (self, error);
}

static void
insert_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(RelayConversation) self = user_data;
  g_autoptr(GError) error = NULL;

  if (relay_store_insert_message_finish (RELAY_STORE (object), result, &error) == 0)
    report_error (self, error);
}

static void
save_row (RelayConversation *self)
{
  self->row_dirty = FALSE;
  self->saved = TRUE;
  relay_store_save_conversation_async (self->store, self, NULL, store_done_cb,
                                       g_object_ref (self));
}

/* The row is written when the first message is, so that a chat opened and left empty
 * leaves nothing behind. */
static void
ensure_saved (RelayConversation *self)
{
  if (self->store != NULL && !self->saved)
    save_row (self);
}

static void
set_int64 (RelayConversation *self,
           gint64            *field,
           gint64             value,
           guint              prop)
{
  if (*field != value)
    {
      *field = value;
      g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
    }
}

/* The totals count every version, not only those shown: all of them were paid for. */
static void
update_totals (RelayConversation *self)
{
  gint64 prompt = 0, completion = 0;
  gboolean cost_known = FALSE;
  double cost = 0;
  GHashTableIter iter;
  RelayMessage *message;

  if (self->nodes == NULL)
    return;
  g_hash_table_iter_init (&iter, self->nodes);
  while (g_hash_table_iter_next (&iter, (gpointer *) &message, NULL))
    {
      double message_cost = relay_message_get_cost (message);

      prompt += MAX (relay_message_get_prompt_tokens (message), 0);
      completion += MAX (relay_message_get_completion_tokens (message), 0);
      if (message_cost >= 0)
        {
          cost += message_cost;
          cost_known = TRUE;
        }
    }
  if (!cost_known)
    cost = -1;

  if (prompt != self->prompt_tokens || completion != self->completion_tokens || cost != self->cost)
    mark_row_dirty (self);
  set_int64 (self, &self->prompt_tokens, prompt, PROP_PROMPT_TOKENS);
  set_int64 (self, &self->completion_tokens, completion, PROP_COMPLETION_TOKENS);
  if (self->cost != cost)
    {
      self->cost = cost;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COST]);
    }
}

static void
flush (RelayConversation *self)
{
  GHashTableIter iter;
  Node *node;

  if (self->dirty != NULL)
    {
      g_hash_table_iter_init (&iter, self->dirty);
      while (g_hash_table_iter_next (&iter, (gpointer *) &node, NULL))
        {
          node->checkpoint_length = relay_message_get_content_length (node->message);
          node->checkpoint_state = relay_message_get_state (node->message);
          if (self->store != NULL)
            relay_store_update_message_async (self->store, node->message, NULL, store_done_cb,
                                              g_object_ref (self));
          g_hash_table_iter_remove (&iter);
        }
    }
  if (self->row_dirty && self->saved && self->store != NULL)
    save_row (self);
}

static gboolean
save_source_cb (gpointer user_data)
{
  RelayConversation *self = user_data;

  g_clear_pointer (&self->save_source, g_source_unref);
  flush (self);
  return G_SOURCE_REMOVE;
}

static void
queue_save (RelayConversation *self)
{
  if (self->save_source != NULL || self->store == NULL)
    return;
  self->save_source = g_idle_source_new ();
  g_source_set_static_name (self->save_source, "[relay] conversation save");
  g_source_set_callback (self->save_source, save_source_cb, self, NULL);
  g_source_attach (self->save_source, self->context);
}

static void
mark_row_dirty (RelayConversation *self)
{
  self->row_dirty = TRUE;
  queue_save (self);
}

static void
touch (RelayConversation *self)
{
  set_int64 (self, &self->updated_at, MAX (g_get_real_time (), self->updated_at + 1), PROP_UPDATED_AT);
  mark_row_dirty (self);
  if (self->list != NULL)
    _relay_conversation_list_changed (self->list, self);
}

/* Checkpoints ---------------------------------------------------------------------------- */

static gboolean
checkpoint_cb (gpointer user_data)
{
  RelayConversation *self = user_data;
  GHashTableIter iter;
  Node *node;

  g_hash_table_iter_init (&iter, self->live);
  while (g_hash_table_iter_next (&iter, (gpointer *) &node, NULL))
    {
      gsize length = relay_message_get_content_length (node->message);
      RelayMessageState state = relay_message_get_state (node->message);

      if (length == node->checkpoint_length && state == node->checkpoint_state)
        continue;
      node->checkpoint_length = length;
      node->checkpoint_state = state;
      relay_store_checkpoint_message_async (self->store, node->message, NULL, store_done_cb,
                                            g_object_ref (self));
    }
  return G_SOURCE_CONTINUE;
}

static void
update_checkpoints (RelayConversation *self)
{
  if (self->live == NULL || g_hash_table_size (self->live) == 0 || self->store == NULL)
    {
      if (self->checkpoint_source != NULL)
        {
          g_source_destroy (self->checkpoint_source);
          g_clear_pointer (&self->checkpoint_source, g_source_unref);
        }
      return;
    }
  if (self->checkpoint_source != NULL)
    return;
  self->checkpoint_source = g_timeout_source_new (CHECKPOINT_INTERVAL_MS);
  g_source_set_static_name (self->checkpoint_source, "[relay] reply checkpoint");
  g_source_set_callback (self->checkpoint_source, checkpoint_cb, self, NULL);
  g_source_attach (self->checkpoint_source, self->context);
}

static void
track_state (RelayConversation *self,
             Node              *node)
{
  if (state_is_live (relay_message_get_state (node->message)))
    {
      g_hash_table_add (self->live, node);
    }
  else if (g_hash_table_remove (self->live, node))
    {
      /* The reply is over: write all of it now, not at the next checkpoint. */
      g_hash_table_add (self->dirty, node);
      queue_save (self);
    }
  update_checkpoints (self);
}

static gboolean
is_persisted_property (GParamSpec *pspec)
{
  static const char * const names[] = {
    "content", "error-message", "model", "routed-model", "finish-reason", "prompt-tokens",
    "completion-tokens", "total-tokens", "compute-points", "cost", "created-at",
    "first-token-usec", "duration-usec", "tool-call-id", NULL
  };

  return g_strv_contains (names, pspec->name);
}

static void
message_changed (RelayConversation *self,
                 Node              *node)
{
  /* While a reply streams, its checkpoints carry the text, and the rest is written
   * when it ends. */
  if (g_hash_table_contains (self->live, node))
    return;
  g_hash_table_add (self->dirty, node);
  queue_save (self);
}

static void
message_notify_cb (RelayMessage      *message,
                   GParamSpec        *pspec,
                   RelayConversation *self)
{
  Node *node = lookup_node (self, message);

  if (node == NULL)
    return;
  if (strcmp (pspec->name, "state") == 0)
    track_state (self, node);
  else if (is_persisted_property (pspec))
    message_changed (self, node);

  /* Usage arrives once per reply, so summing every message then is cheap enough. */
  if (strcmp (pspec->name, "prompt-tokens") == 0 ||
      strcmp (pspec->name, "completion-tokens") == 0 ||
      strcmp (pspec->name, "cost") == 0)
    update_totals (self);
}

static void
message_tool_calls_changed_cb (RelayMessage      *message,
                               RelayConversation *self)
{
  Node *node = lookup_node (self, message);

  if (node != NULL)
    message_changed (self, node);
}

/* GObject ------------------------------------------------------------------------------- */

static void
relay_conversation_dispose (GObject *object)
{
  RelayConversation *self = RELAY_CONVERSATION (object);

  self->disposed = TRUE;

  if (self->root != NULL)
    {
      g_autoptr(GPtrArray) live = g_hash_table_get_keys_as_ptr_array (self->live);
      GHashTableIter iter;
      Node *node;

      /* Replies still streaming will never finish: they are saved as interrupted, which
       * is how the next start would find them anyway, only sooner and with all their
       * text. */
      g_hash_table_remove_all (self->live);
      for (guint i = 0; i < live->len; i++)
        {
          node = g_ptr_array_index (live, i);
          g_hash_table_add (self->dirty, node);
          relay_message_set_state (node->message, RELAY_MESSAGE_STATE_INTERRUPTED);
        }
      g_hash_table_iter_init (&iter, self->dirty);
      while (self->store != NULL && g_hash_table_iter_next (&iter, (gpointer *) &node, NULL))
        relay_store_update_message_async (self->store, node->message, NULL, NULL, NULL);
      g_hash_table_remove_all (self->dirty);
    }
  if (self->row_dirty && self->saved && self->store != NULL)
    relay_store_save_conversation_async (self->store, self, NULL, NULL, NULL);
  self->row_dirty = FALSE;

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  if (self->save_source != NULL)
    g_source_destroy (self->save_source);
  g_clear_pointer (&self->save_source, g_source_unref);
  if (self->checkpoint_source != NULL)
    g_source_destroy (self->checkpoint_source);
  g_clear_pointer (&self->checkpoint_source, g_source_unref);

  if (self->thread != NULL && self->thread->len > 0)
    {
      guint n = self->thread->len;

      g_ptr_array_set_size (self->thread, 0);
      g_list_model_items_changed (G_LIST_MODEL (self), 0, n, 0);
    }
  if (self->root != NULL)
    {
      g_hash_table_remove_all (self->nodes);
      node_free (self->root, self);
      self->root = NULL;
    }

  if (self->settings != NULL)
    g_signal_handlers_disconnect_by_data (self->settings, self);
  g_clear_object (&self->settings);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (relay_conversation_parent_class)->dispose (object);
}

static void
relay_conversation_finalize (GObject *object)
{
  RelayConversation *self = RELAY_CONVERSATION (object);

  g_assert (self->load_tasks == NULL || self->load_tasks->len == 0);

  g_free (self->title);
  g_free (self->model);
  g_free (self->settings_json);
  g_clear_pointer (&self->thread, g_ptr_array_unref);
  g_clear_pointer (&self->nodes, g_hash_table_unref);
  g_clear_pointer (&self->dirty, g_hash_table_unref);
  g_clear_pointer (&self->live, g_hash_table_unref);
  g_clear_pointer (&self->load_tasks, g_ptr_array_unref);
  g_clear_object (&self->cancellable);
  g_main_context_unref (self->context);

  G_OBJECT_CLASS (relay_conversation_parent_class)->finalize (object);
}

static void
relay_conversation_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  RelayConversation *self = RELAY_CONVERSATION (object);

  switch (prop_id)
    {
    case PROP_STORE: g_value_set_object (value, self->store); break;
    case PROP_ID: g_value_set_int64 (value, self->id); break;
    case PROP_TITLE: g_value_set_string (value, self->title); break;
    case PROP_PINNED: g_value_set_boolean (value, self->pinned); break;
    case PROP_MODEL: g_value_set_string (value, self->model); break;
    case PROP_SETTINGS: g_value_set_object (value, relay_conversation_get_settings (self)); break;
    case PROP_CREATED_AT: g_value_set_int64 (value, self->created_at); break;
    case PROP_UPDATED_AT: g_value_set_int64 (value, self->updated_at); break;
    case PROP_PROMPT_TOKENS: g_value_set_int64 (value, self->prompt_tokens); break;
    case PROP_COMPLETION_TOKENS: g_value_set_int64 (value, self->completion_tokens); break;
    case PROP_COST: g_value_set_double (value, self->cost); break;
    case PROP_LOADED: g_value_set_boolean (value, self->loaded); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
relay_conversation_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  RelayConversation *self = RELAY_CONVERSATION (object);

  switch (prop_id)
    {
    case PROP_STORE: self->store = g_value_dup_object (value); break;
    case PROP_TITLE: relay_conversation_set_title (self, g_value_get_string (value)); break;
    case PROP_PINNED: relay_conversation_set_pinned (self, g_value_get_boolean (value)); break;
    case PROP_MODEL: relay_conversation_set_model (self, g_value_get_string (value)); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
relay_conversation_class_init (RelayConversationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags rw = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;
  const GParamFlags ro = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  object_class->dispose = relay_conversation_dispose;
  object_class->finalize = relay_conversation_finalize;
  object_class->get_property = relay_conversation_get_property;
  object_class->set_property = relay_conversation_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, RELAY_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ID] = g_param_spec_int64 ("id", NULL, NULL, 0, G_MAXINT64, 0, ro);
  properties[PROP_TITLE] = g_param_spec_string ("title", NULL, NULL, NULL, rw);
  properties[PROP_PINNED] = g_param_spec_boolean ("pinned", NULL, NULL, FALSE, rw);
  properties[PROP_MODEL] = g_param_spec_string ("model", NULL, NULL, NULL, rw);
  properties[PROP_SETTINGS] =
    g_param_spec_object ("settings", NULL, NULL, RELAY_TYPE_CHAT_SETTINGS, ro);
  properties[PROP_CREATED_AT] = g_param_spec_int64 ("created-at", NULL, NULL, 0, G_MAXINT64, 0, ro);
  properties[PROP_UPDATED_AT] = g_param_spec_int64 ("updated-at", NULL, NULL, 0, G_MAXINT64, 0, ro);
  properties[PROP_PROMPT_TOKENS] =
    g_param_spec_int64 ("prompt-tokens", NULL, NULL, 0, G_MAXINT64, 0, ro);
  properties[PROP_COMPLETION_TOKENS] =
    g_param_spec_int64 ("completion-tokens", NULL, NULL, 0, G_MAXINT64, 0, ro);
  /* -1 while no message's cost is known */
  properties[PROP_COST] = g_param_spec_double ("cost", NULL, NULL, -1, G_MAXDOUBLE, -1, ro);
  properties[PROP_LOADED] = g_param_spec_boolean ("loaded", NULL, NULL, FALSE, ro);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * RelayConversation::store-error:
   * @error: what went wrong
   *
   * A change could not be saved. The conversation in memory is still right; the UI may
   * tell the user that the history is not being saved.
   */
  signals[STORE_ERROR] =
    g_signal_new ("store-error", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, G_TYPE_ERROR);
}

static void
relay_conversation_init (RelayConversation *self)
{
  self->context = g_main_context_ref_thread_default ();
  self->cost = -1;
}

/**
 * relay_conversation_new:
 * @store: (nullable): where to save it, or %NULL to keep it in memory only
 *
 * Makes an empty conversation. It is written to @store with its first message.
 */
RelayConversation *
relay_conversation_new (RelayStore *store)
{
  RelayConversation *self;

  g_return_val_if_fail (!store || RELAY_IS_STORE (store), NULL);

  self = g_object_new (RELAY_TYPE_CONVERSATION, "store", store, NULL);
  self->created_at = self->updated_at = g_get_real_time ();
  self->loaded = TRUE;
  ensure_tree (self);
  return self;
}

RelayConversation *
_relay_conversation_new_from_row (RelayStore                 *store,
                                  const RelayConversationRow *row)
{
  /* No construct properties: this runs for every listed conversation at start-up. */
  RelayConversation *self = g_object_new (RELAY_TYPE_CONVERSATION, NULL);

  self->store = g_object_ref (store);
  self->id = row->id;
  self->title = g_strdup (row->title);
  self->model = g_strdup (row->model);
  self->created_at = row->created_at;
  self->updated_at = row->updated_at;
  self->pinned = row->pinned;
  self->prompt_tokens = row->prompt_tokens;
  self->completion_tokens = row->completion_tokens;
  self->cost = row->cost;
  self->saved = TRUE;
  return self;
}

void
_relay_conversation_set_list (RelayConversation *self,
                              gpointer           list)
{
  self->list = list;
}

gpointer
_relay_conversation_get_list (RelayConversation *self)
{
  return self->list;
}

void
_relay_conversation_set_id (RelayConversation *self,
                            gint64             id)
{
  if (self->id != id)
    {
      self->id = id;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ID]);
      if (self->list != NULL)
        _relay_conversation_list_changed (self->list, self);
    }
}

/* NULL when the settings never changed here, which keeps what is stored. */
char *
_relay_conversation_dup_settings_json (RelayConversation *self)
{
  if (self->settings == NULL || !self->settings_changed)
    return NULL;
  return relay_chat_settings_to_json (self->settings);
}

/* Properties ------------------------------------------------------------------------------ */

RelayStore *
relay_conversation_get_store (RelayConversation *self)
{
  g_return_val_if_fail (RELAY_IS_CONVERSATION (self), NULL);
  return self->store;
}

/**
 * relay_conversation_get_id:
 *
 * Returns: the id in the store, or 0 until the conversation is first saved
 */
gint64
relay_conversation_get_id (RelayConversation *self)
{
  g_return_val_if_fail (RELAY_IS_CONVERSATION (self), 0);
  return self->id;
}

const char *
relay_conversation_get_title (RelayConversation *self)
{
  g_return_val_if_fail (RELAY_IS_CONVERSATION (self), NULL);
  return self->title;
}

void
relay_conversation_set_title (RelayConversation *self,
                              const char        *title)
{
  g_return_if_fail (RELAY_IS_CONVERSATION (self));

  if (g_set_str (&self->title, title))
    {
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TITLE]);
      mark_row_dirty (self);
    }
}

gboolean
relay_conversation_get_pinned (RelayConversation *self)
{
  g_return_val_if_fail (RELAY_IS_CONVERSATION (self), FALSE);
  return self->pinned;
}

void
relay_conversation_set_pinned (RelayConversation *self,
                               gboolean           pinned)
{
  g_return_if_fail (RELAY_IS_CONVERSATION (self));

  pinned = !!pinned;
  if (self->pinned != pinned)
    {
      self->pinned = pinned;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PINNED]);
      mark_row_dirty (self);
      if (self->list != NULL)
        _relay_conversation_list_changed (self->list, self);
    }
}

const char *
relay_conversation_get_model (RelayConversation *self)
{
  g_return_val_if_fail (RELAY_IS_CONVERSATION (self), NULL);
  return self->model;
}

void
relay_conversation_set_model (RelayConversation *self,
                              const char        *model)
{
  g_return_if_fail (RELAY_IS_CONVERSATION (self));

  if (g_set_str (&self->model, model))
    {
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODEL]);
      mark_row_dirty (self);
    }
}

static void
settings_notify_cb (RelayChatSettings *settings,
                    GParamSpec        *pspec,
                    RelayConversation *self)
{
  if (self->applying_settings)
    return;
  self->settings_changed = TRUE;
  mark_row_dirty (self);
}

/* Copies stored settings into the object views may already be bound to. */
static void
apply_settings_json (RelayConversation *self,
                     const char        *json)
{
  g_autoptr(RelayChatSettings) stored = NULL;
  g_autoptr(GError) error = NULL;

  if (!(stored = relay_chat_settings_new_from_json (json, &error)))
    {
      g_debug ("Ignoring the stored settings of conversation %" G_GINT64_FORMAT ": %s",
               self->id, error->message);
      return;
    }
  self->applying_settings = TRUE;
  relay_chat_settings_assign (self->settings, stored);
  self->applying_settings = FALSE;
}

/**
 * relay_conversation_get_settings:
 *
 * The settings sent with this conversation's requests. Changes to them are saved.
 *
 * Returns: (transfer none): the settings
 */
RelayChatSettings *
relay_conversation_get_settings (RelayConversation *self)
{
  g_return_val_if_fail (RELAY_IS_CONVERSATION (self), NULL);

  /* Made on first use: start-up lists a thousand conversations and reads no settings. */
  if (self->settings == NULL)
    {
      self->settings = relay_chat_settings_new ();
      if (self->settings_json != NULL)
        apply_settings_json (self, self->settings_json);
      g_clear_pointer (&self->settings_json, g_free);
      g_signal_connect (self->settings, "notify", G_CALLBACK (settings_notify_cb), self);
    }
  return self->settings;
}

gint64
relay_conversation_get_created_at (RelayConversation *self)
{
  g_return_val_if_fail (RELAY_IS_CONVERSATION (self), 0);
  return self->created_at;
}

gint64
relay_conversation_get_updated_at (RelayConversation *self)
{
  g_return_val_if_fail (RELAY_IS_CONVERSATION (self), 0);
  return self->updated_at;
}

gint64
relay_conversation_get_prompt_tokens (RelayConversation *self)
{
  g_return_val_if_fail (RELAY_IS_CONVERSATION (self), 0);
  return self->prompt_tokens;
}

gint64
relay_conversation_get_completion_tokens (RelayConversation *self)
{
  g_return_val_if_fail (RELAY_IS_CONVERSATION (self), 0);
  return self->completion_tokens;
}

/**
 * relay_conversation_get_cost:
 *
 * Returns: what the messages whose cost is known cost together, or -1 when none is known
 */
double
relay_conversation_get_cost (RelayConversation *self)
{
  g_return_val_if_fail (RELAY_IS_CONVERSATION (self), -1);
  return self->cost;
}

/**
 * relay_conversation_get_loaded:
 *
 * Returns: whether the messages are in memory (the list is empty until they are)
 */
gboolean
relay_conversation_get_loaded (RelayConversation *self)
{
  g_return_val_if_fail (RELAY_IS_CONVERSATION (self), FALSE);
  return self->loaded;
}

/* Loading --------------------------------------------------------------------------------- */

static void
build_tree (RelayConversation *self,
            GArray            *rows)
{
  g_autoptr(GHashTable) by_id = g_hash_table_new (g_int64_hash, g_int64_equal);
  g_autoptr(GHashTable) chosen = g_hash_table_new (NULL, NULL);
  GHashTableIter iter;
  Node *node;

  for (guint i = 0; i < rows->len; i++)
    {
      RelayStoreMessageRow *row = &g_array_index (rows, RelayStoreMessageRow, i);
      Node *parent = NULL;

      if (row->parent_id > 0)
        parent = g_hash_table_lookup (by_id, &row->parent_id);
      /* A message whose parent is gone (it should not happen) joins the first level
       * rather than disappearing. */
      if (parent == NULL)
        parent = self->root;
      node = attach (self, parent, row->message, row->active);
      if (row->active)
        g_hash_table_add (chosen, parent);
      g_hash_table_insert (by_id, &row->id, node);
    }

  /* Where no version is marked as shown, show the newest. */
  g_hash_table_iter_init (&iter, self->nodes);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &node))
    {
      if (node->children->len > 0 && !g_hash_table_contains (chosen, node))
        node->active = node->children->len - 1;
      if (node->children->len > 1)
        update_versions (node);
    }
  if (self->root->children->len > 0 && !g_hash_table_contains (chosen, self->root))
    self->root->active = self->root->children->len - 1;
  if (self->root->children->len > 1)
    update_versions (self->root);
}

static void
load_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(RelayConversation) self = user_data;
  g_autoptr(RelayStoreLoaded) loaded = NULL;
  g_autoptr(GPtrArray) tasks = g_steal_pointer (&self->load_tasks);
  g_autoptr(GError) error = NULL;

  self->loading = FALSE;

  if (!(loaded = _relay_store_load_finish (RELAY_STORE (object), result, &error)))
    {
      for (guint i = 0; i < tasks->len; i++)
        {
          g_autoptr(GTask) task = g_ptr_array_index (tasks, i);

          g_task_return_error (task, g_error_copy (error));
        }
      return;
    }

  if (!self->disposed && !self->loaded)
    {
      ensure_tree (self);
      if (self->settings != NULL && !self->settings_changed && loaded->settings_json != NULL)
        apply_settings_json (self, loaded->settings_json);
      else if (self->settings == NULL)
        self->settings_json = g_steal_pointer (&loaded->settings_json);

      build_tree (self, loaded->rows);
      update_totals (self);
      self->loaded = TRUE;
      rebuild_thread_from (self, 0);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADED]);
    }

  for (guint i = 0; i < tasks->len; i++)
    {
      g_autoptr(GTask) task = g_ptr_array_index (tasks, i);

      g_task_return_boolean (task, TRUE);
    }
}

/**
 * relay_conversation_load_async:
 *
 * Reads the messages from the store, once; later calls complete at once.
 */
void
relay_conversation_load_async (RelayConversation   *self,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (RELAY_IS_CONVERSATION (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, relay_conversation_load_async);
  if (self->loaded || self->store == NULL)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }
  if (self->load_tasks == NULL)
    self->load_tasks = g_ptr_array_new ();
  g_ptr_array_add (self->load_tasks, g_steal_pointer (&task));
  if (!self->loading)
    {
      self->loading = TRUE;
      if (self->cancellable == NULL)
        self->cancellable = g_cancellable_new ();
      _relay_store_load_async (self->store, self, self->cancellable, load_cb, g_object_ref (self));
    }
}

gboolean
relay_conversation_load_finish (RelayConversation  *self,
                                GAsyncResult       *result,
                                GError            **error)
{
  g_return_val_if_fail (RELAY_IS_CONVERSATION (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Adding messages ------------------------------------------------------------------------ */

static void
append_inserted_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  RelayConversation *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;

  if (relay_store_insert_message_finish (RELAY_STORE (object), result, &error) == 0)
    {
      report_error (self, error);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (g_task_get_source_tag (task) == relay_conversation_edit_async)
    g_task_return_pointer (task, g_object_ref (g_task_get_task_data (task)), g_object_unref);
  else
    g_task_return_boolean (task, TRUE);
}

/* Puts @message after @parent as the version shown, shows it from @position on, and
 * queues its insert: the conversation row first when this is its first message. */
static void
add_message (RelayConversation *self,
             Node              *parent,
             RelayMessage      *message,
             guint              position,
             GTask             *task)
{
  Node *node = attach (self, parent, message, TRUE);

  if (parent->children->len > 1)
    update_versions (parent);
  rebuild_thread_from (self, position);

  if ((self->title == NULL || *self->title == '\0') &&
      relay_message_get_role (message) == RELAY_ROLE_USER)
    {
      g_autofree char *title = relay_conversation_make_title (relay_message_get_content (message));

      if (title != NULL && *title != '\0')
        relay_conversation_set_title (self, title);
    }
  if (relay_message_get_prompt_tokens (message) >= 0 ||
      relay_message_get_completion_tokens (message) >= 0 ||
      relay_message_get_cost (message) >= 0)
    update_totals (self);
  touch (self);

  if (self->store != NULL)
    {
      ensure_saved (self);
      relay_store_insert_message_async (self->store, self, parent->message, message, NULL,
                                        task ? append_inserted_cb : insert_done_cb,
                                        task ? (gpointer) g_object_ref (task) : (gpointer) g_object_ref (self));
    }
  else if (task != NULL)
    {
      if (g_task_get_source_tag (task) == relay_conversation_edit_async)
        g_task_return_pointer (task, g_object_ref (message), g_object_unref);
      else
        g_task_return_boolean (task, TRUE);
    }
  node->checkpoint_length = relay_message_get_content_length (message);
  track_state (self, node);
}

static Node *
tail (RelayConversation *self)
{
  return self->thread->len > 0 ? g_ptr_array_index (self->thread, self->thread->len - 1) : self->root;
}

/**
 * relay_conversation_append_async:
 * @message: a new message (not in any conversation, not saved)
 *
 * Adds @message at the end of the conversation. It shows at once; the operation
 * completes when the message is on disk, which is when a request that carries it may be
 * sent. The first user message gives an untitled conversation its title.
 *
 * Cancelling only stops waiting: the message stays in the conversation.
 */
void
relay_conversation_append_async (RelayConversation   *self,
                                 RelayMessage        *message,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (RELAY_IS_CONVERSATION (self));
  g_return_if_fail (RELAY_IS_MESSAGE (message));
  g_return_if_fail (self->loaded);
  g_return_if_fail (lookup_node (self, message) == NULL);
  g_return_if_fail (relay_message_get_id (message) == 0);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, relay_conversation_append_async);
  add_message (self, tail (self), message, self->thread->len, task);
}

gboolean
relay_conversation_append_finish (RelayConversation  *self,
                                  GAsyncResult       *result,
                                  GError            **error)
{
  g_return_val_if_fail (RELAY_IS_CONVERSATION (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static RelayMessage *
new_reply (const char *model)
{
  RelayMessage *reply = relay_message_new (RELAY_ROLE_ASSISTANT, NULL);

  relay_message_set_model (reply, model);
  relay_message_set_state (reply, RELAY_MESSAGE_STATE_PENDING);
  return reply;
}

/**
 * relay_conversation_begin_reply:
 * @model: (nullable): the model asked for
 *
 * Adds a pending assistant message at the end, for a request's answer to stream into.
 * While it is pending or streaming its text is checkpointed; when its state changes to
 * anything else it is saved in full.
 *
 * Returns: (transfer full): the reply
 */
RelayMessage *
relay_conversation_begin_reply (RelayConversation *self,
                                const char        *model)
{
  RelayMessage *reply;

  g_return_val_if_fail (RELAY_IS_CONVERSATION (self), NULL);
  g_return_val_if_fail (self->loaded, NULL);

  reply = new_reply (model);
  add_message (self, tail (self), reply, self->thread->len, NULL);
  return reply;
}

/**
 * relay_conversation_regenerate:
 * @reply: a message shown in the conversation
 * @model: (nullable): the model asked for
 *
 * Starts a new version of @reply: a pending assistant message that takes its place,
 * while @reply and what followed it stay as an earlier version. Also what Retry does
 * for a failed or interrupted reply.
 *
 * Returns: (transfer full): the new version, to stream into
 */
RelayMessage *
relay_conversation_regenerate (RelayConversation *self,
                               RelayMessage      *reply,
                               const char        *model)
{
  RelayMessage *version;
  Node *node;
  guint position;

  g_return_val_if_fail (RELAY_IS_CONVERSATION (self), NULL);
  g_return_val_if_fail (RELAY_IS_MESSAGE (reply), NULL);
  g_return_val_if_fail ((node = lookup_node (self, reply)) != NULL, NULL);
  g_return_val_if_fail ((position = thread_index (self, node)) != G_MAXUINT, NULL);

  version = new_reply (model);
  add_message (self, node->parent, version, position, NULL);
  return version;
}

/**
 * relay_conversation_edit_async:
 * @message: a message shown in the conversation, usually the user's
 * @content: the new text
 *
 * Adds an edited copy of @message as its new version, in its place; what followed the
 * old version stays with it. Completes when the copy is on disk; then a reply may be
 * begun.
 */
void
relay_conversation_edit_async (RelayConversation   *self,
                               RelayMessage        *message,
                               const char          *content,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(RelayMessage) edited = NULL;
  g_autoptr(GTask) task = NULL;
  Node *node;
  guint position;

  g_return_if_fail (RELAY_IS_CONVERSATION (self));
  g_return_if_fail (RELAY_IS_MESSAGE (message));
  g_return_if_fail (content != NULL);
  g_return_if_fail ((node = lookup_node (self, message)) != NULL);
  g_return_if_fail ((position = thread_index (self, node)) != G_MAXUINT);

  edited = relay_message_new (relay_message_get_role (message), content);
  relay_message_set_tool_call_id (edited, relay_message_get_tool_call_id (message));
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, relay_conversation_edit_async);
  g_task_set_task_data (task, g_object_ref (edited), g_object_unref);
  add_message (self, node->parent, edited, position, task);
}

/**
 * relay_conversation_edit_finish:
 *
 * Returns: (transfer full): the edited message, now shown
 */
RelayMessage *
relay_conversation_edit_finish (RelayConversation  *self,
                                GAsyncResult       *result,
                                GError            **error)
{
  g_return_val_if_fail (RELAY_IS_CONVERSATION (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Versions and deletion ------------------------------------------------------------------- */

/* Where the versions among which @node stands begin in the thread, if they show. */
static guint
versions_position (RelayConversation *self,
                   Node              *node)
{
  guint parent_index;

  if (node->parent == self->root)
    return 0;
  parent_index = thread_index (self, node->parent);
  return parent_index == G_MAXUINT ? G_MAXUINT : parent_index + 1;
}

/**
 * relay_conversation_select_version:
 * @message: a message shown in the conversation
 * @version_index: which of its versions to show, from 0
 *
 * Shows another version of @message, and what followed that version. Saved, so the
 * conversation reopens with it.
 */
void
relay_conversation_select_version (RelayConversation *self,
                                   RelayMessage      *message,
                                   guint              version_index)
{
  Node *node, *parent;
  guint position;

  g_return_if_fail (RELAY_IS_CONVERSATION (self));
  g_return_if_fail (RELAY_IS_MESSAGE (message));
  g_return_if_fail ((node = lookup_node (self, message)) != NULL);
  g_return_if_fail ((position = versions_position (self, node)) != G_MAXUINT);

  parent = node->parent;
  g_return_if_fail (version_index < parent->children->len);
  if (parent->active == version_index)
    return;

  parent->active = version_index;
  rebuild_thread_from (self, position);
  if (self->store != NULL)
    relay_store_select_message_async (self->store,
                                      ((Node *) g_ptr_array_index (parent->children, version_index))->message,
                                      NULL, store_done_cb, g_object_ref (self));
}

static void
forget_node (RelayConversation *self,
             Node              *node)
{
  g_hash_table_remove (self->nodes, node->message);
  g_hash_table_remove (self->dirty, node);
  g_hash_table_remove (self->live, node);
  update_checkpoints (self);
}

/**
 * relay_conversation_delete_message:
 * @message: a message shown in the conversation
 *
 * Deletes @message. The messages that followed it stay, after the one before it.
 */
void
relay_conversation_delete_message (RelayConversation *self,
                                   RelayMessage      *message)
{
  Node *node, *parent;
  guint position, index;
  gboolean reselect = FALSE;

  g_return_if_fail (RELAY_IS_CONVERSATION (self));
  g_return_if_fail (RELAY_IS_MESSAGE (message));
  g_return_if_fail ((node = lookup_node (self, message)) != NULL);
  g_return_if_fail ((position = thread_index (self, node)) != G_MAXUINT);

  parent = node->parent;
  index = parent->active;
  g_assert (g_ptr_array_index (parent->children, index) == node);

  /* Splice the message's followers into its place among its versions. */
  g_ptr_array_remove_index (parent->children, index);
  for (guint i = 0; i < node->children->len; i++)
    {
      Node *child = g_ptr_array_index (node->children, i);

      child->parent = parent;
      g_ptr_array_insert (parent->children, index + i, child);
    }
  if (node->children->len > 0)
    parent->active = index + node->active;
  else if (parent->children->len > 0)
    {
      parent->active = parent->children->len - 1;
      reselect = TRUE;
    }
  else
    parent->active = 0;
  g_ptr_array_set_size (node->children, 0);
  if (parent->children->len > 0)
    update_versions (parent);

  if (self->store != NULL)
    {
      relay_store_delete_message_async (self->store, message, NULL, store_done_cb,
                                        g_object_ref (self));
      if (reselect)
        relay_store_select_message_async (self->store,
                                          ((Node *) g_ptr_array_index (parent->children,
                                                                       parent->active))->message,
                                          NULL, store_done_cb, g_object_ref (self));
    }

  forget_node (self, node);
  rebuild_thread_from (self, position);
  node_free (node, self);
  update_totals (self);
  mark_row_dirty (self);
}
