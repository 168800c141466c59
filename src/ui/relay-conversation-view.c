/* relay-conversation-view.c: the messages of a conversation, following the latest.
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "relay-conversation-view"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "relay-conversation-view.h"
#include "relay-message-row.h"

/* How close to the end counts as "at the end": a line of text, give or take. */
#define FOLLOW_DISTANCE 40.0

/* Messages shown when a conversation opens, and how many more come in above each time
 * the user scrolls near the top of those. A list view keeps up to two hundred rows alive
 * around what it shows: a long chat opened whole would make all of them at once. */
#define HISTORY_FIRST 40
#define HISTORY_PAGE  20

/**
 * RelayConversationView:
 *
 * A conversation's messages in a #GtkListView, which recycles its rows: a reply's
 * Markdown is rendered only while a row is bound to it. A long conversation opens on its
 * latest messages and shows earlier ones as the user scrolls up, so that ten thousand
 * messages open as fast as forty. The list ends with the running total of what the
 * conversation has cost.
 *
 * The view follows the end of the conversation as replies grow, until the user scrolls
 * up; then it stays where the user put it and offers a Jump to Latest button.
 */
struct _RelayConversationView
{
  GtkWidget          parent_instance;

  RelayConversation *conversation;
  RelayChatSession  *session;
  GtkNoSelection    *selection;
  GtkSliceListModel *history;
  guint              history_idle;
  GSignalGroup      *conversation_signals;
  GBindingGroup     *settings_bindings;
  GtkAdjustment     *vadjustment;
  GtkWidget         *total_label;       /* weak: the label bound to the total, if any */

  guint              json_mode : 1;
  guint              follows_latest : 1;

  GtkWidget         *overlay;
  GtkScrolledWindow *scroller;
  GtkListView       *list_view;
  GtkRevealer       *jump_revealer;
};

enum {
  PROP_0,
  PROP_CONVERSATION,
  PROP_SESSION,
  PROP_JSON_MODE,
  PROP_FOLLOWS_LATEST,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (RelayConversationView, relay_conversation_view, GTK_TYPE_WIDGET)

GtkWidget *
relay_conversation_view_new (void)
{
  return g_object_new (RELAY_TYPE_CONVERSATION_VIEW, NULL);
}

/* Earlier messages ------------------------------------------------------------------- */

static gboolean
relay_conversation_view_show_earlier_cb (gpointer user_data)
{
  RelayConversationView *self = user_data;
  GtkAdjustment *adjustment = self->vadjustment;
  guint offset;

  self->history_idle = 0;
  if (self->history == NULL || (offset = gtk_slice_list_model_get_offset (self->history)) == 0)
    return G_SOURCE_REMOVE;

  /* The list view keeps the rows in sight where they are as rows come in above. */
  if (gtk_adjustment_get_value (adjustment) < gtk_adjustment_get_page_size (adjustment))
    gtk_slice_list_model_set_offset (self->history,
                                     offset > HISTORY_PAGE ? offset - HISTORY_PAGE : 0);
  return G_SOURCE_REMOVE;
}

/* Near the top of what is shown, show more; not from inside a layout, which is where
 * the adjustment changes. */
static void
relay_conversation_view_check_history (RelayConversationView *self)
{
  GtkAdjustment *adjustment = self->vadjustment;

  if (self->history_idle != 0 || self->history == NULL ||
      gtk_slice_list_model_get_offset (self->history) == 0 ||
      gtk_adjustment_get_value (adjustment) >= gtk_adjustment_get_page_size (adjustment))
    return;

  self->history_idle = g_idle_add_full (G_PRIORITY_DEFAULT_IDLE,
                                        relay_conversation_view_show_earlier_cb, self, NULL);
}

/* Following the latest message ------------------------------------------------------ */

static gboolean
relay_conversation_view_is_at_end (RelayConversationView *self,
                                   double                 distance)
{
  GtkAdjustment *adjustment = self->vadjustment;

  return gtk_adjustment_get_value (adjustment) + gtk_adjustment_get_page_size (adjustment) >=
         gtk_adjustment_get_upper (adjustment) - distance;
}

static void
relay_conversation_view_set_follows_latest (RelayConversationView *self,
                                            gboolean               follows)
{
  gboolean has_items = g_list_model_get_n_items (G_LIST_MODEL (self->selection)) > 0;

  gtk_revealer_set_reveal_child (self->jump_revealer, !follows && has_items);

  follows = !!follows;
  if (self->follows_latest == follows)
    return;

  self->follows_latest = follows;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FOLLOWS_LATEST]);
}

/* Moves the view to the very end: the list view anchors its last item (the running
 * total) to the bottom of the view, and keeps it there as the rows above it grow. An
 * anchor, not a new adjustment value: a value set while the list view lays itself out is
 * overridden by the layout after it. */
static void
relay_conversation_view_pin (RelayConversationView *self)
{
  guint n_items = g_list_model_get_n_items (G_LIST_MODEL (self->selection));

  if (n_items > 0)
    gtk_list_view_scroll_to (self->list_view, n_items - 1, GTK_LIST_SCROLL_NONE, NULL);
}

/* The content or the page grew or shrank. */
static void
relay_conversation_view_adjustment_changed_cb (RelayConversationView *self,
                                               GtkAdjustment         *adjustment)
{
  if (self->follows_latest && !relay_conversation_view_is_at_end (self, 1))
    relay_conversation_view_pin (self);
  relay_conversation_view_check_history (self);
}

static void
relay_conversation_view_value_changed_cb (RelayConversationView *self,
                                          GtkAdjustment         *adjustment)
{
  relay_conversation_view_set_follows_latest (self,
                                              relay_conversation_view_is_at_end (self, FOLLOW_DISTANCE));
  relay_conversation_view_check_history (self);
}

/**
 * relay_conversation_view_scroll_to_latest:
 *
 * Shows the end of the conversation and follows it from then on.
 */
void
relay_conversation_view_scroll_to_latest (RelayConversationView *self)
{
  g_return_if_fail (RELAY_IS_CONVERSATION_VIEW (self));

  relay_conversation_view_set_follows_latest (self, TRUE);
  relay_conversation_view_pin (self);
}

static void
relay_conversation_view_scroll_to_latest_action (GtkWidget  *widget,
                                                 const char *action_name,
                                                 GVariant   *parameter)
{
  relay_conversation_view_scroll_to_latest (RELAY_CONVERSATION_VIEW (widget));
}

static void
relay_conversation_view_items_changed_cb (RelayConversationView *self,
                                          guint                  position,
                                          guint                  removed,
                                          guint                  added,
                                          GListModel            *messages)
{
  guint n_items = g_list_model_get_n_items (messages);
  g_autoptr(RelayMessage) last = NULL;

  if (added == 0 || position + added != n_items)
    return;

  /* What the user just sent is worth seeing wherever they were; a conversation that
   * just loaded opens at its end. */
  last = g_list_model_get_item (messages, n_items - 1);
  if (removed == 0 && (position == 0 || relay_message_get_role (last) == RELAY_ROLE_USER))
    relay_conversation_view_scroll_to_latest (self);
}

/* The running total ------------------------------------------------------------------ */

static void
relay_conversation_view_update_total (RelayConversationView *self)
{
  g_autofree char *usage = NULL;
  g_autofree char *text = NULL;
  gint64 prompt, completion;
  double cost;

  if (self->conversation == NULL || self->total_label == NULL)
    return;

  prompt = relay_conversation_get_prompt_tokens (self->conversation);
  completion = relay_conversation_get_completion_tokens (self->conversation);
  cost = relay_conversation_get_cost (self->conversation);

  if (prompt > 0 || completion > 0)
    usage = relay_message_row_format_usage (prompt, completion, -1, cost);
  else
    usage = relay_message_row_format_usage (-1, -1, -1, cost);

  if (*usage != '\0')
    /* Translators: what a whole conversation has cost so far, e.g.
     * "This chat so far: 1,204 tokens in · 412 out · $0.0123" */
    text = g_strdup_printf (_("This chat so far: %s"), usage);

  gtk_label_set_text (GTK_LABEL (self->total_label), text ? text : "");
  gtk_widget_set_visible (self->total_label, text != NULL);
}

/* Rows ------------------------------------------------------------------------------- */

static GtkWidget *
relay_conversation_view_create_row (RelayConversationView *self)
{
  GtkWidget *row = relay_message_row_new ();

  g_object_bind_property (self, "session", row, "session", G_BINDING_SYNC_CREATE);
  g_object_bind_property (self, "json-mode", row, "json-mode", G_BINDING_SYNC_CREATE);
  return row;
}

static GtkWidget *
relay_conversation_view_create_total_label (void)
{
  return g_object_new (GTK_TYPE_LABEL,
                       "wrap", TRUE,
                       "justify", GTK_JUSTIFY_CENTER,
                       "css-classes", (const char *[]) {
                         "caption", "dim-label", "conversation-total", NULL
                       },
                       NULL);
}

static void
relay_conversation_view_setup_cb (RelayConversationView    *self,
                                  GtkListItem              *item,
                                  GtkSignalListItemFactory *factory)
{
  /* Rows are read, not picked: no selection, no activation. */
  gtk_list_item_set_selectable (item, FALSE);
  gtk_list_item_set_activatable (item, FALSE);
  gtk_list_item_set_child (item, relay_conversation_view_create_row (self));
}

static void
relay_conversation_view_bind_cb (RelayConversationView    *self,
                                 GtkListItem              *item,
                                 GtkSignalListItemFactory *factory)
{
  GObject *object = gtk_list_item_get_item (item);
  GtkWidget *child = gtk_list_item_get_child (item);
  RelayMessage *message;

  /* The last item is the conversation itself, standing for its running total. */
  if (!RELAY_IS_MESSAGE (object))
    {
      if (!GTK_IS_LABEL (child))
        {
          child = relay_conversation_view_create_total_label ();
          gtk_list_item_set_child (item, child);
        }
      gtk_list_item_set_focusable (item, FALSE);
      g_set_weak_pointer (&self->total_label, child);
      relay_conversation_view_update_total (self);
      return;
    }

  message = RELAY_MESSAGE (object);
  if (!RELAY_IS_MESSAGE_ROW (child))
    {
      child = relay_conversation_view_create_row (self);
      gtk_list_item_set_child (item, child);
    }
  gtk_list_item_set_focusable (item, TRUE);
  gtk_list_item_set_accessible_label (item, relay_message_get_role (message) == RELAY_ROLE_USER
                                              ? _("Your message")
                                              : _("Reply"));
  relay_message_row_set_message (RELAY_MESSAGE_ROW (child), message);
}

static void
relay_conversation_view_unbind_cb (RelayConversationView    *self,
                                   GtkListItem              *item,
                                   GtkSignalListItemFactory *factory)
{
  GtkWidget *child = gtk_list_item_get_child (item);

  if (RELAY_IS_MESSAGE_ROW (child))
    relay_message_row_set_message (RELAY_MESSAGE_ROW (child), NULL);
}

/* Properties ------------------------------------------------------------------------- */

RelayConversation *
relay_conversation_view_get_conversation (RelayConversationView *self)
{
  g_return_val_if_fail (RELAY_IS_CONVERSATION_VIEW (self), NULL);

  return self->conversation;
}

/* The latest page of messages, then the conversation itself standing for its total. */
static void
relay_conversation_view_show_model (RelayConversationView *self)
{
  g_autoptr(GListStore) parts = NULL;
  g_autoptr(GListStore) footer = NULL;
  g_autoptr(GtkFlattenListModel) model = NULL;
  guint n_items;

  g_clear_object (&self->history);
  g_clear_handle_id (&self->history_idle, g_source_remove);
  if (self->conversation == NULL || !relay_conversation_get_loaded (self->conversation))
    {
      gtk_no_selection_set_model (self->selection, NULL);
      return;
    }

  n_items = g_list_model_get_n_items (G_LIST_MODEL (self->conversation));
  self->history = gtk_slice_list_model_new (g_object_ref (G_LIST_MODEL (self->conversation)),
                                            n_items > HISTORY_FIRST ? n_items - HISTORY_FIRST : 0,
                                            G_MAXUINT);
  footer = g_list_store_new (G_TYPE_OBJECT);
  g_list_store_append (footer, self->conversation);
  parts = g_list_store_new (G_TYPE_LIST_MODEL);
  g_list_store_append (parts, self->history);
  g_list_store_append (parts, footer);
  model = gtk_flatten_list_model_new (G_LIST_MODEL (g_steal_pointer (&parts)));
  gtk_no_selection_set_model (self->selection, G_LIST_MODEL (model));
  relay_conversation_view_update_total (self);
  relay_conversation_view_scroll_to_latest (self);
}

/* A conversation from the store is shown once it is read, from its end. */
static void
relay_conversation_view_loaded_cb (RelayConversationView *self)
{
  if (self->history == NULL)
    relay_conversation_view_show_model (self);
}

/**
 * relay_conversation_view_set_conversation:
 * @conversation: (nullable): the conversation to show
 *
 * Shows @conversation from its end, with no animation.
 */
void
relay_conversation_view_set_conversation (RelayConversationView *self,
                                          RelayConversation     *conversation)
{
  g_return_if_fail (RELAY_IS_CONVERSATION_VIEW (self));
  g_return_if_fail (!conversation || RELAY_IS_CONVERSATION (conversation));

  if (!g_set_object (&self->conversation, conversation))
    return;

  g_signal_group_set_target (self->conversation_signals, conversation);
  g_binding_group_set_source (self->settings_bindings,
                              conversation ? relay_conversation_get_settings (conversation) : NULL);
  relay_conversation_view_show_model (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONVERSATION]);
}

RelayChatSession *
relay_conversation_view_get_session (RelayConversationView *self)
{
  g_return_val_if_fail (RELAY_IS_CONVERSATION_VIEW (self), NULL);

  return self->session;
}

/**
 * relay_conversation_view_set_session:
 * @session: (nullable): the session the rows' actions go through
 */
void
relay_conversation_view_set_session (RelayConversationView *self,
                                     RelayChatSession      *session)
{
  g_return_if_fail (RELAY_IS_CONVERSATION_VIEW (self));
  g_return_if_fail (!session || RELAY_IS_CHAT_SESSION (session));

  if (g_set_object (&self->session, session))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SESSION]);
}

gboolean
relay_conversation_view_get_json_mode (RelayConversationView *self)
{
  g_return_val_if_fail (RELAY_IS_CONVERSATION_VIEW (self), FALSE);

  return self->json_mode;
}

static void
relay_conversation_view_set_json_mode (RelayConversationView *self,
                                       gboolean               json_mode)
{
  json_mode = !!json_mode;
  if (self->json_mode == json_mode)
    return;

  self->json_mode = json_mode;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_JSON_MODE]);
}

/**
 * relay_conversation_view_get_follows_latest:
 *
 * Returns: whether the view keeps the end of the conversation in sight (%FALSE once the
 *   user has scrolled away from it)
 */
gboolean
relay_conversation_view_get_follows_latest (RelayConversationView *self)
{
  g_return_val_if_fail (RELAY_IS_CONVERSATION_VIEW (self), FALSE);

  return self->follows_latest;
}

/* GObject ---------------------------------------------------------------------------- */

static void
relay_conversation_view_dispose (GObject *object)
{
  RelayConversationView *self = RELAY_CONVERSATION_VIEW (object);

  if (self->vadjustment != NULL)
    g_signal_handlers_disconnect_by_data (self->vadjustment, self);
  g_clear_object (&self->vadjustment);
  if (self->conversation_signals != NULL)
    g_signal_group_set_target (self->conversation_signals, NULL);
  if (self->settings_bindings != NULL)
    g_binding_group_set_source (self->settings_bindings, NULL);

  gtk_widget_dispose_template (GTK_WIDGET (object), RELAY_TYPE_CONVERSATION_VIEW);

  g_clear_weak_pointer (&self->total_label);
  g_clear_handle_id (&self->history_idle, g_source_remove);
  g_clear_object (&self->history);
  g_clear_object (&self->selection);
  g_clear_object (&self->conversation_signals);
  g_clear_object (&self->settings_bindings);
  g_clear_object (&self->conversation);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (relay_conversation_view_parent_class)->dispose (object);
}

static void
relay_conversation_view_get_property (GObject    *object,
                                      guint       prop_id,
                                      GValue     *value,
                                      GParamSpec *pspec)
{
  RelayConversationView *self = RELAY_CONVERSATION_VIEW (object);

  switch (prop_id)
    {
    case PROP_CONVERSATION:
      g_value_set_object (value, self->conversation);
      break;

    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;

    case PROP_JSON_MODE:
      g_value_set_boolean (value, self->json_mode);
      break;

    case PROP_FOLLOWS_LATEST:
      g_value_set_boolean (value, self->follows_latest);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
relay_conversation_view_set_property (GObject      *object,
                                      guint         prop_id,
                                      const GValue *value,
                                      GParamSpec   *pspec)
{
  RelayConversationView *self = RELAY_CONVERSATION_VIEW (object);

  switch (prop_id)
    {
    case PROP_CONVERSATION:
      relay_conversation_view_set_conversation (self, g_value_get_object (value));
      break;

    case PROP_SESSION:
      relay_conversation_view_set_session (self, g_value_get_object (value));
      break;

    case PROP_JSON_MODE:
      relay_conversation_view_set_json_mode (self, g_value_get_boolean (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
relay_conversation_view_class_init (RelayConversationViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = relay_conversation_view_dispose;
  object_class->get_property = relay_conversation_view_get_property;
  object_class->set_property = relay_conversation_view_set_property;

  properties[PROP_CONVERSATION] =
    g_param_spec_object ("conversation", NULL, NULL, RELAY_TYPE_CONVERSATION,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL, RELAY_TYPE_CHAT_SESSION,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  /* Follows the conversation's settings; writable only for the binding that does so. */
  properties[PROP_JSON_MODE] =
    g_param_spec_boolean ("json-mode", NULL, NULL, FALSE,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_FOLLOWS_LATEST] =
    g_param_spec_boolean ("follows-latest", NULL, NULL, TRUE,
                          (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (RELAY_TYPE_MESSAGE_ROW);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PATH "/relay-conversation-view.ui");
  gtk_widget_class_bind_template_child (widget_class, RelayConversationView, overlay);
  gtk_widget_class_bind_template_child (widget_class, RelayConversationView, scroller);
  gtk_widget_class_bind_template_child (widget_class, RelayConversationView, list_view);
  gtk_widget_class_bind_template_child (widget_class, RelayConversationView, jump_revealer);
  gtk_widget_class_bind_template_callback (widget_class, relay_conversation_view_setup_cb);
  gtk_widget_class_bind_template_callback (widget_class, relay_conversation_view_bind_cb);
  gtk_widget_class_bind_template_callback (widget_class, relay_conversation_view_unbind_cb);

  gtk_widget_class_install_action (widget_class, "conversation.scroll-to-latest", NULL,
                                   relay_conversation_view_scroll_to_latest_action);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "conversationview");
}

static void
relay_conversation_view_init (RelayConversationView *self)
{
  self->follows_latest = TRUE;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->selection = gtk_no_selection_new (NULL);
  gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (self->selection));

  self->vadjustment = g_object_ref (gtk_scrolled_window_get_vadjustment (self->scroller));
  g_signal_connect_object (self->vadjustment, "changed",
                           G_CALLBACK (relay_conversation_view_adjustment_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->vadjustment, "value-changed",
                           G_CALLBACK (relay_conversation_view_value_changed_cb), self,
                           G_CONNECT_SWAPPED);

  self->conversation_signals = g_signal_group_new (RELAY_TYPE_CONVERSATION);
  g_signal_group_connect_swapped (self->conversation_signals, "items-changed",
                                  G_CALLBACK (relay_conversation_view_items_changed_cb), self);
  g_signal_group_connect_swapped (self->conversation_signals, "notify::prompt-tokens",
                                  G_CALLBACK (relay_conversation_view_update_total), self);
  g_signal_group_connect_swapped (self->conversation_signals, "notify::completion-tokens",
                                  G_CALLBACK (relay_conversation_view_update_total), self);
  g_signal_group_connect_swapped (self->conversation_signals, "notify::cost",
                                  G_CALLBACK (relay_conversation_view_update_total), self);
  g_signal_group_connect_swapped (self->conversation_signals, "notify::loaded",
                                  G_CALLBACK (relay_conversation_view_loaded_cb), self);

  self->settings_bindings = g_binding_group_new ();
  g_binding_group_bind (self->settings_bindings, "json-mode", self, "json-mode",
                        G_BINDING_SYNC_CREATE);
}
