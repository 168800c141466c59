/* relay-sidebar.c
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "relay-sidebar"

#include "config.h"

#include <glib/gi18n.h>

#include "relay-sidebar-private.h"
#include "relay-sidebar-row.h"
#include "relay-toast.h"

/* Typing pauses this long before the store is searched: a search per key would queue
 * work that the next key makes useless. */
#define SEARCH_DELAY_MS 150

/**
 * RelaySidebar:
 *
 * The conversations of a #RelayConversationList in sections (Pinned, Today, Yesterday,
 * Previous 7 Days, Older), each with its menu, or the store's search results while
 * #RelaySidebar:search-text is set. It shows its own empty states.
 *
 * #RelaySidebar:selected is the conversation shown as open; a click or Enter on a row
 * selects it and emits #RelaySidebar::conversation-activated. The arrow keys move the
 * focus without opening anything, so that narrow windows do not jump to a chat with
 * each key. Delete deletes the focused chat (with an Undo toast in the nearest
 * #AdwToastOverlay), F2 renames it and the Menu key opens its menu.
 */
struct _RelaySidebar
{
  GtkWidget              parent_instance;

  RelayConversationList *conversations;
  RelayConversation     *selected;
  char                  *search_text;
  GListModel            *results;           /* what the last search found, or NULL */
  GCancellable          *search_cancellable;
  GSignalGroup          *list_signals;
  GSignalGroup          *selected_signals;
  GDateTime             *now;               /* the day sections are counted from */
  GtkSorter             *section_sorter;
  GHashTable            *headers;           /* GtkListHeader bound now */
  guint                  search_source;
  guint                  midnight_source;
  guint                  sections_source;

  GtkStack              *stack;
  GtkListView           *list_view;
  GtkSingleSelection    *selection;
  GtkSortListModel      *sort_model;
  AdwStatusPage         *empty_page;
  AdwStatusPage         *no_results_page;
};

enum {
  PROP_0,
  PROP_CONVERSATIONS,
  PROP_SELECTED,
  PROP_SEARCH_TEXT,
  N_PROPS
};

enum {
  CONVERSATION_ACTIVATED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* The section each conversation was last sorted into, so that a change which moves it
 * to another section without moving it in the list can be noticed. */
static GQuark section_quark;

/* Deletions whose Undo is still offered, per list: they are made final only when the
 * last of those toasts is gone. */
#define PENDING_UNDO_KEY "relay-sidebar-pending-undo"

G_DEFINE_FINAL_TYPE (RelaySidebar, relay_sidebar, GTK_TYPE_WIDGET)

GtkWidget *
relay_sidebar_new (void)
{
  return g_object_new (RELAY_TYPE_SIDEBAR, NULL);
}

static gboolean
relay_sidebar_is_searching (RelaySidebar *self)
{
  return self->search_text != NULL && *self->search_text != '\0';
}

/* Sections ------------------------------------------------------------------------------ */

static const char *
section_title (RelayConversationSection section)
{
  switch (section)
    {
    case RELAY_CONVERSATION_SECTION_PINNED: return _("Pinned");
    case RELAY_CONVERSATION_SECTION_TODAY: return _("Today");
    case RELAY_CONVERSATION_SECTION_YESTERDAY: return _("Yesterday");
    case RELAY_CONVERSATION_SECTION_PREVIOUS_7_DAYS: return _("Previous 7 Days");
    case RELAY_CONVERSATION_SECTION_OLDER:
    default: return _("Older");
    }
}

static int
section_of_cb (RelayConversation *conversation,
               RelaySidebar      *self)
{
  RelayConversationSection section = relay_conversation_get_age_section (conversation, self->now);

  g_object_set_qdata (G_OBJECT (conversation), section_quark, GINT_TO_POINTER (section + 1));
  return section;
}

static void
relay_sidebar_update_header (RelaySidebar  *self,
                             GtkListHeader *header)
{
  RelayConversation *first = gtk_list_header_get_item (header);
  GtkWidget *label = gtk_list_header_get_child (header);

  if (first != NULL && label != NULL)
    gtk_label_set_label (GTK_LABEL (label),
                         section_title (relay_conversation_get_age_section (first, self->now)));
}

static void
header_setup_cb (GtkSignalListItemFactory *factory,
                 GtkListHeader            *header,
                 RelaySidebar             *self)
{
  GtkWidget *label = g_object_new (GTK_TYPE_LABEL,
                                   "accessible-role", GTK_ACCESSIBLE_ROLE_HEADING,
                                   NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (label, "heading");
  gtk_list_header_set_child (header, label);
}

static void
header_bind_cb (GtkSignalListItemFactory *factory,
                GtkListHeader            *header,
                RelaySidebar             *self)
{
  g_hash_table_add (self->headers, header);
  relay_sidebar_update_header (self, header);
}

static void
header_unbind_cb (GtkSignalListItemFactory *factory,
                  GtkListHeader            *header,
                  RelaySidebar             *self)
{
  g_hash_table_remove (self->headers, header);
}

static GtkExpression *
relay_sidebar_section_expression (RelaySidebar *self)
{
  return gtk_cclosure_expression_new (G_TYPE_INT, NULL, 0, NULL, G_CALLBACK (section_of_cb), self, NULL);
}

/* Sorts again by section, and tells the view even when nothing moved: GtkSortListModel
 * says nothing then, and the headers would keep their old places and titles.
 *
 * The sort model keeps each item's section from when it was added, and computes them
 * again only for a sorter whose keys differ: a new expression is what makes them differ
 * (gtk_sorter_changed() alone would sort by the old sections). */
static void
relay_sidebar_invalidate_sections (RelaySidebar *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->sort_model));
  g_autoptr(GtkExpression) expression = relay_sidebar_section_expression (self);
  GHashTableIter iter;
  gpointer header;

  g_clear_handle_id (&self->sections_source, g_source_remove);
  gtk_numeric_sorter_set_expression (GTK_NUMERIC_SORTER (self->section_sorter), expression);
  if (n > 0)
    gtk_section_model_sections_changed (GTK_SECTION_MODEL (self->sort_model), 0, n);
  g_hash_table_iter_init (&iter, self->headers);
  while (g_hash_table_iter_next (&iter, &header, NULL))
    relay_sidebar_update_header (self, header);
}

static gboolean
sections_idle_cb (gpointer user_data)
{
  RelaySidebar *self = user_data;

  self->sections_source = 0;
  relay_sidebar_invalidate_sections (self);
  return G_SOURCE_REMOVE;
}

/* Called when a conversation was pinned, unpinned or updated: when that changed its
 * section but not its place in the list, the list said nothing and the sections are
 * redone here. */
void
_relay_sidebar_check_section (RelaySidebar      *self,
                              RelayConversation *conversation)
{
  gpointer sorted_into;

  g_return_if_fail (RELAY_IS_SIDEBAR (self));
  g_return_if_fail (RELAY_IS_CONVERSATION (conversation));

  sorted_into = g_object_get_qdata (G_OBJECT (conversation), section_quark);
  if (sorted_into == NULL || self->sections_source != 0)
    return;
  if (GPOINTER_TO_INT (sorted_into) - 1 != (int) relay_conversation_get_age_section (conversation, self->now))
    self->sections_source = g_idle_add (sections_idle_cb, self);
}

static void
selected_changed_cb (RelaySidebar      *self,
                     GParamSpec        *pspec,
                     RelayConversation *conversation)
{
  _relay_sidebar_check_section (self, conversation);
}

static gboolean midnight_cb (gpointer user_data);

/* Sections count days, so they are redone when a day ends while the sidebar shows. */
static void
relay_sidebar_schedule_midnight (RelaySidebar *self)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) today = g_date_time_new_local (g_date_time_get_year (now),
                                                      g_date_time_get_month (now),
                                                      g_date_time_get_day_of_month (now), 0, 0, 0);
  g_autoptr(GDateTime) tomorrow = g_date_time_add_days (today, 1);
  GTimeSpan wait = g_date_time_difference (tomorrow, now);

  g_clear_handle_id (&self->midnight_source, g_source_remove);
  self->midnight_source = g_timeout_add_seconds ((guint) (wait / G_USEC_PER_SEC) + 1, midnight_cb, self);
}

static void
relay_sidebar_refresh_now (RelaySidebar *self)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  gboolean new_day = g_date_time_get_day_of_year (now) != g_date_time_get_day_of_year (self->now) ||
                     g_date_time_get_year (now) != g_date_time_get_year (self->now);

  g_date_time_unref (self->now);
  self->now = g_steal_pointer (&now);
  if (new_day)
    relay_sidebar_invalidate_sections (self);
}

static gboolean
midnight_cb (gpointer user_data)
{
  RelaySidebar *self = user_data;

  self->midnight_source = 0;
  relay_sidebar_refresh_now (self);
  relay_sidebar_schedule_midnight (self);
  return G_SOURCE_REMOVE;
}

/* What is shown ---------------------------------------------------------------------------- */

static void
relay_sidebar_update_page (RelaySidebar *self)
{
  const char *page = "list";

  if (relay_sidebar_is_searching (self))
    {
      if (self->results == NULL)
        return;   /* the last page stays until the search answers */
      if (g_list_model_get_n_items (self->results) == 0)
        page = "no-results";
    }
  else if (self->conversations == NULL ||
           (relay_conversation_list_get_loaded (self->conversations) &&
            g_list_model_get_n_items (G_LIST_MODEL (self->conversations)) == 0))
    {
      page = "empty";
    }
  gtk_stack_set_visible_child_name (self->stack, page);
}

static guint
relay_sidebar_find (RelaySidebar      *self,
                    RelayConversation *conversation)
{
  GListModel *model = G_LIST_MODEL (self->sort_model);
  guint n = g_list_model_get_n_items (model);

  if (conversation == NULL)
    return GTK_INVALID_LIST_POSITION;
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(RelayConversation) item = g_list_model_get_item (model, i);

      if (item == conversation)
        return i;
    }
  return GTK_INVALID_LIST_POSITION;
}

/* Rows cannot be selected by the user (hovering would select them, with
 * single-click-activate): the selection shows #RelaySidebar:selected and only follows it. */
static void
relay_sidebar_sync_selection (RelaySidebar *self)
{
  if (gtk_single_selection_get_selected_item (self->selection) == (gpointer) self->selected &&
      self->selected != NULL)
    return;
  gtk_single_selection_set_selected (self->selection, relay_sidebar_find (self, self->selected));
}

static void
sort_model_items_changed_cb (RelaySidebar *self,
                             guint         position,
                             guint         removed,
                             guint         added,
                             GListModel   *model)
{
  relay_sidebar_sync_selection (self);
  relay_sidebar_update_page (self);
}

static void
relay_sidebar_show_model (RelaySidebar *self)
{
  GListModel *model = relay_sidebar_is_searching (self) && self->results != NULL
                        ? self->results
                        : G_LIST_MODEL (self->conversations);

  if (gtk_sort_list_model_get_model (self->sort_model) != model)
    gtk_sort_list_model_set_model (self->sort_model, model);
  relay_sidebar_sync_selection (self);
  relay_sidebar_update_page (self);
}

/* Search ---------------------------------------------------------------------------------- */

static void
search_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(RelaySidebar) self = user_data;
  g_autoptr(GListModel) results = NULL;
  g_autoptr(GError) error = NULL;

  results = relay_conversation_list_search_finish (RELAY_CONVERSATION_LIST (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (results == NULL)
    {
      g_warning ("Could not search the chats: %s", error->message);
      results = G_LIST_MODEL (g_list_store_new (RELAY_TYPE_CONVERSATION));
    }
  if (!relay_sidebar_is_searching (self) || object != (GObject *) self->conversations)
    return;

  g_set_object (&self->results, results);
  relay_sidebar_show_model (self);
}

static void
relay_sidebar_start_search (RelaySidebar *self)
{
  g_clear_handle_id (&self->search_source, g_source_remove);
  g_cancellable_cancel (self->search_cancellable);
  g_clear_object (&self->search_cancellable);
  if (self->conversations == NULL || !relay_sidebar_is_searching (self))
    return;

  self->search_cancellable = g_cancellable_new ();
  relay_conversation_list_search_async (self->conversations, self->search_text,
                                        self->search_cancellable, search_done_cb,
                                        g_object_ref (self));
}

static gboolean
search_timeout_cb (gpointer user_data)
{
  RelaySidebar *self = user_data;

  self->search_source = 0;
  relay_sidebar_start_search (self);
  return G_SOURCE_REMOVE;
}

/* Rows ------------------------------------------------------------------------------------- */

static void
relay_sidebar_activate_cb (RelaySidebar *self,
                           guint         position,
                           GtkListView  *list_view)
{
  g_autoptr(RelayConversation) conversation = g_list_model_get_item (G_LIST_MODEL (self->sort_model),
                                                                     position);

  if (conversation == NULL)
    return;
  relay_sidebar_set_selected (self, conversation);
  g_signal_emit (self, signals[CONVERSATION_ACTIVATED], 0, conversation);
}

static RelaySidebarRow *
row_in (GtkWidget *widget)
{
  GtkWidget *child;

  if (RELAY_IS_SIDEBAR_ROW (widget))
    return RELAY_SIDEBAR_ROW (widget);
  child = gtk_widget_get_first_child (widget);
  return child != NULL && RELAY_IS_SIDEBAR_ROW (child) ? RELAY_SIDEBAR_ROW (child) : NULL;
}

/* The row with the keyboard focus, or else the one showing the selected conversation. */
static RelaySidebarRow *
relay_sidebar_get_target_row (RelaySidebar *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *focus = root ? gtk_root_get_focus (root) : NULL;

  for (GtkWidget *widget = focus;
       widget != NULL && widget != GTK_WIDGET (self->list_view);
       widget = gtk_widget_get_parent (widget))
    {
      RelaySidebarRow *row = row_in (widget);

      if (row != NULL)
        return row;
    }

  if (self->selected == NULL)
    return NULL;
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->list_view));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      RelaySidebarRow *row = row_in (child);

      if (row != NULL && relay_sidebar_row_get_conversation (row) == self->selected)
        return row;
    }
  return NULL;
}

static RelayConversation *
relay_sidebar_get_target (RelaySidebar *self)
{
  RelaySidebarRow *row = relay_sidebar_get_target_row (self);

  if (row != NULL)
    return relay_sidebar_row_get_conversation (row);
  if (relay_sidebar_find (self, self->selected) != GTK_INVALID_LIST_POSITION)
    return self->selected;
  return NULL;
}

static void
relay_sidebar_delete_action (GtkWidget  *widget,
                             const char *action_name,
                             GVariant   *parameter)
{
  RelaySidebar *self = RELAY_SIDEBAR (widget);
  RelayConversation *target = relay_sidebar_get_target (self);

  if (target != NULL)
    relay_sidebar_delete_conversation (self, target);
}

static void
relay_sidebar_rename_action (GtkWidget  *widget,
                             const char *action_name,
                             GVariant   *parameter)
{
  RelaySidebar *self = RELAY_SIDEBAR (widget);
  RelayConversation *target = relay_sidebar_get_target (self);

  if (target != NULL)
    relay_sidebar_rename_conversation (self, target);
}

static void
relay_sidebar_menu_action (GtkWidget  *widget,
                           const char *action_name,
                           GVariant   *parameter)
{
  RelaySidebarRow *row = relay_sidebar_get_target_row (RELAY_SIDEBAR (widget));

  if (row != NULL)
    relay_sidebar_row_popup_menu (row, -1, -1);
}

/* Deleting, with Undo ------------------------------------------------------------------- */

typedef struct
{
  RelayConversationList *list;
  RelayConversation     *conversation;
  GWeakRef               sidebar;
} Undo;

static void
undo_free (gpointer data)
{
  Undo *undo = data;

  g_object_unref (undo->list);
  g_object_unref (undo->conversation);
  g_weak_ref_clear (&undo->sidebar);
  g_free (undo);
}

static void
undo_clicked_cb (AdwToast *toast,
                 Undo     *undo)
{
  g_autoptr(RelaySidebar) self = g_weak_ref_get (&undo->sidebar);

  relay_conversation_list_undo_delete (undo->list, undo->conversation);
  if (self != NULL && relay_sidebar_is_searching (self) && self->conversations == undo->list)
    relay_sidebar_start_search (self);
}

static void
undo_dismissed_cb (AdwToast *toast,
                   Undo     *undo)
{
  guint pending = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (undo->list), PENDING_UNDO_KEY));

  pending = pending > 0 ? pending - 1 : 0;
  g_object_set_data (G_OBJECT (undo->list), PENDING_UNDO_KEY, GUINT_TO_POINTER (pending));
  if (pending == 0)
    relay_conversation_list_purge_deleted (undo->list);
}

/**
 * relay_sidebar_delete_conversation:
 *
 * Deletes @conversation from #RelaySidebar:conversations and offers to undo that in a
 * toast. When it was #RelaySidebar:selected, nothing is selected afterwards.
 */
void
relay_sidebar_delete_conversation (RelaySidebar      *self,
                                   RelayConversation *conversation)
{
  g_autoptr(RelayConversation) hold = NULL;
  AdwToast *toast;
  Undo *undo;
  guint position;
  guint pending;

  g_return_if_fail (RELAY_IS_SIDEBAR (self));
  g_return_if_fail (RELAY_IS_CONVERSATION (conversation));

  if (self->conversations == NULL)
    return;

  hold = g_object_ref (conversation);
  if (self->selected == conversation)
    relay_sidebar_set_selected (self, NULL);
  relay_conversation_list_delete (self->conversations, conversation);
  if (G_IS_LIST_STORE (self->results) &&
      g_list_store_find (G_LIST_STORE (self->results), conversation, &position))
    g_list_store_remove (G_LIST_STORE (self->results), position);

  toast = adw_toast_new (_("Chat deleted"));
  adw_toast_set_button_label (toast, _("_Undo"));
  undo = g_new0 (Undo, 1);
  undo->list = g_object_ref (self->conversations);
  undo->conversation = g_object_ref (conversation);
  g_weak_ref_init (&undo->sidebar, self);
  g_object_set_data_full (G_OBJECT (toast), "relay-undo", undo, undo_free);
  g_signal_connect (toast, "button-clicked", G_CALLBACK (undo_clicked_cb), undo);
  g_signal_connect (toast, "dismissed", G_CALLBACK (undo_dismissed_cb), undo);

  pending = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (self->conversations), PENDING_UNDO_KEY));
  g_object_set_data (G_OBJECT (self->conversations), PENDING_UNDO_KEY, GUINT_TO_POINTER (pending + 1));
  if (!relay_toast_show (GTK_WIDGET (self), toast))
    {
      /* No Undo without a toast: the deletion is final. */
      g_object_set_data (G_OBJECT (self->conversations), PENDING_UNDO_KEY, GUINT_TO_POINTER (pending));
      if (pending == 0)
        relay_conversation_list_purge_deleted (self->conversations);
    }
}

/* Renaming --------------------------------------------------------------------------------- */

static void
rename_entry_changed_cb (GtkEditable    *entry,
                         AdwAlertDialog *dialog)
{
  g_autofree char *text = g_strdup (gtk_editable_get_text (entry));

  adw_alert_dialog_set_response_enabled (dialog, "rename", *g_strstrip (text) != '\0');
}

static void
rename_response_cb (AdwAlertDialog    *dialog,
                    const char        *response,
                    RelayConversation *conversation)
{
  GtkWidget *entry = adw_alert_dialog_get_extra_child (dialog);
  g_autofree char *text = NULL;

  if (!g_str_equal (response, "rename"))
    return;
  text = g_strdup (gtk_editable_get_text (GTK_EDITABLE (entry)));
  if (*g_strstrip (text) != '\0')
    relay_conversation_set_title (conversation, text);
}

static void
unref_closure_data (gpointer  data,
                    GClosure *closure)
{
  g_object_unref (data);
}

/**
 * relay_sidebar_rename_conversation:
 *
 * Asks for a new title for @conversation in a dialog over the sidebar's window.
 */
void
relay_sidebar_rename_conversation (RelaySidebar      *self,
                                   RelayConversation *conversation)
{
  AdwDialog *dialog;
  GtkWidget *entry;
  const char *title;

  g_return_if_fail (RELAY_IS_SIDEBAR (self));
  g_return_if_fail (RELAY_IS_CONVERSATION (conversation));

  title = relay_conversation_get_title (conversation);
  dialog = adw_alert_dialog_new (_("Rename Chat"), NULL);
  adw_alert_dialog_add_responses (ADW_ALERT_DIALOG (dialog),
                                  "cancel", _("_Cancel"),
                                  "rename", _("_Rename"),
                                  NULL);
  adw_alert_dialog_set_response_appearance (ADW_ALERT_DIALOG (dialog), "rename",
                                            ADW_RESPONSE_SUGGESTED);
  adw_alert_dialog_set_default_response (ADW_ALERT_DIALOG (dialog), "rename");
  adw_alert_dialog_set_close_response (ADW_ALERT_DIALOG (dialog), "cancel");

  entry = gtk_entry_new ();
  gtk_editable_set_text (GTK_EDITABLE (entry), title ? title : "");
  gtk_entry_set_activates_default (GTK_ENTRY (entry), TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Chat Title"),
                                  -1);
  adw_alert_dialog_set_extra_child (ADW_ALERT_DIALOG (dialog), entry);
  g_signal_connect_object (entry, "changed", G_CALLBACK (rename_entry_changed_cb), dialog, 0);
  rename_entry_changed_cb (GTK_EDITABLE (entry), ADW_ALERT_DIALOG (dialog));

  g_signal_connect_data (dialog, "response", G_CALLBACK (rename_response_cb),
                         g_object_ref (conversation), unref_closure_data, 0);
  adw_dialog_set_focus (dialog, entry);
  adw_dialog_present (dialog, GTK_WIDGET (self));
}

/* GObject and GtkWidget ---------------------------------------------------------------------- */

static void
relay_sidebar_map (GtkWidget *widget)
{
  RelaySidebar *self = RELAY_SIDEBAR (widget);

  GTK_WIDGET_CLASS (relay_sidebar_parent_class)->map (widget);
  relay_sidebar_refresh_now (self);
  relay_sidebar_schedule_midnight (self);
}

static void
relay_sidebar_unmap (GtkWidget *widget)
{
  RelaySidebar *self = RELAY_SIDEBAR (widget);

  g_clear_handle_id (&self->midnight_source, g_source_remove);
  GTK_WIDGET_CLASS (relay_sidebar_parent_class)->unmap (widget);
}

static void
loaded_changed_cb (RelaySidebar          *self,
                   GParamSpec            *pspec,
                   RelayConversationList *list)
{
  relay_sidebar_update_page (self);
}

static void
relay_sidebar_dispose (GObject *object)
{
  RelaySidebar *self = RELAY_SIDEBAR (object);

  g_clear_handle_id (&self->search_source, g_source_remove);
  g_clear_handle_id (&self->midnight_source, g_source_remove);
  g_clear_handle_id (&self->sections_source, g_source_remove);
  g_cancellable_cancel (self->search_cancellable);
  g_clear_object (&self->search_cancellable);
  if (self->list_signals != NULL)
    g_signal_group_set_target (self->list_signals, NULL);
  if (self->selected_signals != NULL)
    g_signal_group_set_target (self->selected_signals, NULL);

  /* The sorter calls back into this object: it must not outlive it in the model. */
  if (self->sort_model != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->sort_model, self);
      gtk_sort_list_model_set_section_sorter (self->sort_model, NULL);
      gtk_sort_list_model_set_model (self->sort_model, NULL);
    }
  gtk_widget_dispose_template (GTK_WIDGET (self), RELAY_TYPE_SIDEBAR);

  g_clear_object (&self->section_sorter);
  g_clear_object (&self->list_signals);
  g_clear_object (&self->selected_signals);
  g_clear_object (&self->results);
  g_clear_object (&self->selected);
  g_clear_object (&self->conversations);

  G_OBJECT_CLASS (relay_sidebar_parent_class)->dispose (object);
}

static void
relay_sidebar_finalize (GObject *object)
{
  RelaySidebar *self = RELAY_SIDEBAR (object);

  g_free (self->search_text);
  g_clear_pointer (&self->now, g_date_time_unref);
  g_clear_pointer (&self->headers, g_hash_table_unref);

  G_OBJECT_CLASS (relay_sidebar_parent_class)->finalize (object);
}

static void
relay_sidebar_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  RelaySidebar *self = RELAY_SIDEBAR (object);

  switch (prop_id)
    {
    case PROP_CONVERSATIONS:
      g_value_set_object (value, self->conversations);
      break;

    case PROP_SELECTED:
      g_value_set_object (value, self->selected);
      break;

    case PROP_SEARCH_TEXT:
      g_value_set_string (value, self->search_text);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
relay_sidebar_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  RelaySidebar *self = RELAY_SIDEBAR (object);

  switch (prop_id)
    {
    case PROP_CONVERSATIONS:
      relay_sidebar_set_conversations (self, g_value_get_object (value));
      break;

    case PROP_SELECTED:
      relay_sidebar_set_selected (self, g_value_get_object (value));
      break;

    case PROP_SEARCH_TEXT:
      relay_sidebar_set_search_text (self, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
relay_sidebar_class_init (RelaySidebarClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = relay_sidebar_dispose;
  object_class->finalize = relay_sidebar_finalize;
  object_class->get_property = relay_sidebar_get_property;
  object_class->set_property = relay_sidebar_set_property;
  widget_class->map = relay_sidebar_map;
  widget_class->unmap = relay_sidebar_unmap;

  /**
   * RelaySidebar:conversations:
   *
   * The conversations listed.
   */
  properties[PROP_CONVERSATIONS] =
    g_param_spec_object ("conversations", NULL, NULL,
                         RELAY_TYPE_CONVERSATION_LIST,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * RelaySidebar:selected:
   *
   * The conversation shown as open. It may be one not listed (yet), such as a new chat
   * before its first message: it is highlighted once it appears.
   */
  properties[PROP_SELECTED] =
    g_param_spec_object ("selected", NULL, NULL,
                         RELAY_TYPE_CONVERSATION,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * RelaySidebar:search-text:
   *
   * When not empty, the sidebar lists the conversations whose title or messages hold
   * every word of it, as the store finds them.
   */
  properties[PROP_SEARCH_TEXT] =
    g_param_spec_string ("search-text", NULL, NULL, NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * RelaySidebar::conversation-activated:
   * @conversation: the conversation
   *
   * The user clicked a row or pressed Enter on it: the conversation should open.
   */
  signals[CONVERSATION_ACTIVATED] =
    g_signal_new ("conversation-activated",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, RELAY_TYPE_CONVERSATION);

  section_quark = g_quark_from_static_string ("relay-sidebar-section");

  g_type_ensure (RELAY_TYPE_SIDEBAR_ROW);
  g_type_ensure (RELAY_TYPE_CONVERSATION);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/relay-sidebar.ui");
  gtk_widget_class_bind_template_child (widget_class, RelaySidebar, stack);
  gtk_widget_class_bind_template_child (widget_class, RelaySidebar, list_view);
  gtk_widget_class_bind_template_child (widget_class, RelaySidebar, selection);
  gtk_widget_class_bind_template_child (widget_class, RelaySidebar, sort_model);
  gtk_widget_class_bind_template_child (widget_class, RelaySidebar, empty_page);
  gtk_widget_class_bind_template_child (widget_class, RelaySidebar, no_results_page);
  gtk_widget_class_bind_template_callback (widget_class, relay_sidebar_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, relay_sidebar_row_dup_display_title);

  gtk_widget_class_install_action (widget_class, "sidebar.delete", NULL, relay_sidebar_delete_action);
  gtk_widget_class_install_action (widget_class, "sidebar.rename", NULL, relay_sidebar_rename_action);
  gtk_widget_class_install_action (widget_class, "sidebar.menu", NULL, relay_sidebar_menu_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Delete, 0, "sidebar.delete", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Delete, 0, "sidebar.delete", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F2, 0, "sidebar.rename", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Menu, 0, "sidebar.menu", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F10, GDK_SHIFT_MASK, "sidebar.menu", NULL);
}

static void
relay_sidebar_init (RelaySidebar *self)
{
  g_autoptr(GtkListItemFactory) header_factory = gtk_signal_list_item_factory_new ();

  gtk_widget_init_template (GTK_WIDGET (self));

  self->now = g_date_time_new_now_local ();
  self->headers = g_hash_table_new (NULL, NULL);

  self->section_sorter = GTK_SORTER (gtk_numeric_sorter_new (relay_sidebar_section_expression (self)));
  gtk_sort_list_model_set_section_sorter (self->sort_model, self->section_sorter);
  g_signal_connect_object (self->sort_model, "items-changed",
                           G_CALLBACK (sort_model_items_changed_cb), self,
                           G_CONNECT_SWAPPED | G_CONNECT_AFTER);

  g_signal_connect (header_factory, "setup", G_CALLBACK (header_setup_cb), self);
  g_signal_connect (header_factory, "bind", G_CALLBACK (header_bind_cb), self);
  g_signal_connect (header_factory, "unbind", G_CALLBACK (header_unbind_cb), self);
  gtk_list_view_set_header_factory (self->list_view, header_factory);

  self->list_signals = g_signal_group_new (RELAY_TYPE_CONVERSATION_LIST);
  g_signal_group_connect_object (self->list_signals, "notify::loaded",
                                 G_CALLBACK (loaded_changed_cb), self, G_CONNECT_SWAPPED);
  self->selected_signals = g_signal_group_new (RELAY_TYPE_CONVERSATION);
  g_signal_group_connect_object (self->selected_signals, "notify::pinned",
                                 G_CALLBACK (selected_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->selected_signals, "notify::updated-at",
                                 G_CALLBACK (selected_changed_cb), self, G_CONNECT_SWAPPED);

  relay_sidebar_update_page (self);
}

/* Properties -------------------------------------------------------------------------------- */

RelayConversationList *
relay_sidebar_get_conversations (RelaySidebar *self)
{
  g_return_val_if_fail (RELAY_IS_SIDEBAR (self), NULL);
  return self->conversations;
}

void
relay_sidebar_set_conversations (RelaySidebar          *self,
                                 RelayConversationList *conversations)
{
  g_return_if_fail (RELAY_IS_SIDEBAR (self));
  g_return_if_fail (!conversations || RELAY_IS_CONVERSATION_LIST (conversations));

  if (!g_set_object (&self->conversations, conversations))
    return;

  g_signal_group_set_target (self->list_signals, conversations);
  g_clear_object (&self->results);
  relay_sidebar_show_model (self);
  if (relay_sidebar_is_searching (self))
    relay_sidebar_start_search (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONVERSATIONS]);
}

RelayConversation *
relay_sidebar_get_selected (RelaySidebar *self)
{
  g_return_val_if_fail (RELAY_IS_SIDEBAR (self), NULL);
  return self->selected;
}

void
relay_sidebar_set_selected (RelaySidebar      *self,
                            RelayConversation *conversation)
{
  g_return_if_fail (RELAY_IS_SIDEBAR (self));
  g_return_if_fail (!conversation || RELAY_IS_CONVERSATION (conversation));

  if (!g_set_object (&self->selected, conversation))
    return;

  g_signal_group_set_target (self->selected_signals, conversation);
  relay_sidebar_sync_selection (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED]);
}

const char *
relay_sidebar_get_search_text (RelaySidebar *self)
{
  g_return_val_if_fail (RELAY_IS_SIDEBAR (self), NULL);
  return self->search_text;
}

void
relay_sidebar_set_search_text (RelaySidebar *self,
                               const char   *search_text)
{
  g_return_if_fail (RELAY_IS_SIDEBAR (self));

  if (!g_set_str (&self->search_text, search_text))
    return;

  g_clear_handle_id (&self->search_source, g_source_remove);
  if (relay_sidebar_is_searching (self))
    {
      self->search_source = g_timeout_add (SEARCH_DELAY_MS, search_timeout_cb, self);
    }
  else
    {
      relay_sidebar_start_search (self);   /* cancels the one under way */
      g_clear_object (&self->results);
      relay_sidebar_show_model (self);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SEARCH_TEXT]);
}
