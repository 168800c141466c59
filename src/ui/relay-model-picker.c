/* relay-model-picker.c
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "relay-model-picker"

#include "config.h"

#include <glib/gi18n.h>

#include "relay-model-info.h"
#include "relay-model-picker.h"
#include "relay-model-picker-row.h"

/**
 * RelayModelPicker:
 *
 * The title of the chat's header bar, like GNOME Text Editor's document title: the model's
 * name with its vendor beneath, and a popover to choose another. The popover lists
 * #RelayModelPicker:models with the router first, then one section per vendor and the
 * image generators last, filtered by what is typed (typing anywhere in the popover
 * searches, Down moves into the list, Enter picks, Escape closes).
 *
 * A #RelayModelPicker:selected-model-id that is not in the list (an old chat's model, or
 * a list still loading) is shown by its ID rather than replaced.
 */
struct _RelayModelPicker
{
  GtkWidget           parent_instance;

  GListModel         *models;
  char               *selected_model_id;
  char               *search_text;
  RelayModelInfo     *selected_model;
  GSignalGroup       *models_signals;
  GSignalGroup       *selected_model_signals;
  /* Rows bound to an item now, to move the checkmark without rebinding the list. */
  GPtrArray          *bound_rows;
  /* Scrolling to the model in use waits for the popover's first layout. */
  GdkFrameClock      *scroll_frame_clock;
  gulong              scroll_handler;
  guint               offline : 1;
  guint               compact : 1;

  GtkMenuButton      *menu_button;
  AdwWindowTitle     *window_title;
  GtkLabel           *compact_label;
  GtkPopover         *popover;
  GtkWidget          *popover_box;
  GtkSearchEntry     *search_entry;
  GtkStack           *stack;
  AdwStatusPage      *empty_page;
  GtkListView        *list_view;
  GtkFilterListModel *filter_model;
  GtkSortListModel   *sort_model;
  GtkCustomFilter    *search_filter;
  GtkCustomSorter    *section_sorter;
};

enum {
  PROP_0,
  PROP_MODELS,
  PROP_SELECTED_MODEL_ID,
  PROP_OFFLINE,
  PROP_COMPACT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (RelayModelPicker, relay_model_picker, GTK_TYPE_WIDGET)

/* The popover's width, and the least room it leaves beside it in a narrow window. */
#define POPOVER_WIDTH         360
#define POPOVER_WINDOW_MARGIN 12

/* Sections, in the order they are listed. */
typedef enum
{
  MODEL_GROUP_ROUTER,
  MODEL_GROUP_VENDOR,
  MODEL_GROUP_IMAGE,
  MODEL_GROUP_OTHER,
} ModelGroup;

static ModelGroup
model_group (RelayModelInfo *info)
{
  const char *vendor = relay_model_info_get_vendor (info);

  switch (relay_model_info_get_kind (info))
    {
    case RELAY_MODEL_KIND_ROUTER:
      return MODEL_GROUP_ROUTER;
    case RELAY_MODEL_KIND_IMAGE:
      return MODEL_GROUP_IMAGE;
    case RELAY_MODEL_KIND_TEXT:
    default:
      return vendor != NULL && *vendor != '\0' ? MODEL_GROUP_VENDOR : MODEL_GROUP_OTHER;
    }
}

static const char *
model_group_title (RelayModelInfo *info)
{
  switch (model_group (info))
    {
    case MODEL_GROUP_ROUTER:
      return _("Router");
    case MODEL_GROUP_IMAGE:
      return _("Image Generation");
    case MODEL_GROUP_VENDOR:
      return relay_model_info_get_vendor (info);
    case MODEL_GROUP_OTHER:
    default:
      return _("Other Models");
    }
}

static int
relay_model_picker_section_compare (gconstpointer a,
                                    gconstpointer b,
                                    gpointer      user_data)
{
  RelayModelInfo *info_a = RELAY_MODEL_INFO ((gpointer) a);
  RelayModelInfo *info_b = RELAY_MODEL_INFO ((gpointer) b);
  ModelGroup group_a = model_group (info_a);
  ModelGroup group_b = model_group (info_b);
  g_autofree char *vendor_a = NULL;
  g_autofree char *vendor_b = NULL;

  if (group_a != group_b)
    return group_a < group_b ? -1 : 1;
  if (group_a != MODEL_GROUP_VENDOR)
    return 0;

  /* "OpenAI" and "openai" from two lists are one vendor. */
  vendor_a = g_utf8_casefold (relay_model_info_get_vendor (info_a), -1);
  vendor_b = g_utf8_casefold (relay_model_info_get_vendor (info_b), -1);
  return g_utf8_collate (vendor_a, vendor_b);
}

static char *
relay_model_picker_section_title (GtkListHeader  *header,
                                  RelayModelInfo *info)
{
  if (info == NULL)
    return NULL;
  return g_strdup (model_group_title (info));
}

/* Every term typed must start a word of the model's ID, name, vendor or section ("claude
 * opus", "gpt 5", "image"), or the whole text appear anywhere in them ("4o-mi"). */
static gboolean
relay_model_picker_filter_func (gpointer item,
                                gpointer user_data)
{
  RelayModelPicker *self = user_data;
  RelayModelInfo *info = item;
  g_autofree char *haystack = NULL;
  g_autofree char *folded_haystack = NULL;
  g_autofree char *folded_search = NULL;

  if (self->search_text == NULL)
    return TRUE;

  haystack = g_strjoin (" ",
                        relay_model_info_get_id (info),
                        relay_model_info_get_display_name (info),
                        model_group_title (info),
                        NULL);
  if (g_str_match_string (self->search_text, haystack, TRUE))
    return TRUE;

  folded_haystack = g_utf8_casefold (haystack, -1);
  folded_search = g_utf8_casefold (self->search_text, -1);
  return strstr (folded_haystack, folded_search) != NULL;
}

static RelayModelInfo *
relay_model_picker_find_model (RelayModelPicker *self,
                               const char       *model_id,
                               guint            *position)
{
  guint n_items;

  if (self->models == NULL || model_id == NULL)
    return NULL;

  n_items = g_list_model_get_n_items (self->models);
  for (guint i = 0; i < n_items; i++)
    {
      g_autoptr(RelayModelInfo) info = g_list_model_get_item (self->models, i);

      if (g_strcmp0 (relay_model_info_get_id (info), model_id) == 0)
        {
          if (position != NULL)
            *position = i;
          return g_steal_pointer (&info);
        }
    }
  return NULL;
}

static gboolean
relay_model_picker_find_filtered_position (RelayModelPicker *self,
                                           const char       *model_id,
                                           guint            *position)
{
  GListModel *filtered = G_LIST_MODEL (self->filter_model);
  guint n_items = g_list_model_get_n_items (filtered);

  if (model_id == NULL)
    return FALSE;

  for (guint i = 0; i < n_items; i++)
    {
      g_autoptr(RelayModelInfo) info = g_list_model_get_item (filtered, i);

      if (g_strcmp0 (relay_model_info_get_id (info), model_id) == 0)
        {
          *position = i;
          return TRUE;
        }
    }
  return FALSE;
}

static void
relay_model_picker_update_title (RelayModelPicker *self)
{
  g_autoptr(RelayModelInfo) info = NULL;
  g_autofree char *accessible_label = NULL;
  const char *title;
  const char *subtitle = NULL;

  info = relay_model_picker_find_model (self, self->selected_model_id, NULL);
  if (g_set_object (&self->selected_model, info))
    g_signal_group_set_target (self->selected_model_signals, info);

  if (info != NULL)
    {
      title = relay_model_info_get_display_name (info);
      if (relay_model_info_get_kind (info) == RELAY_MODEL_KIND_ROUTER)
        subtitle = _("Router");
      else
        subtitle = relay_model_info_get_vendor (info);
    }
  else if (self->selected_model_id != NULL && *self->selected_model_id != '\0')
    title = self->selected_model_id;
  else
    title = _("Choose a Model");

  adw_window_title_set_title (self->window_title, title);
  adw_window_title_set_subtitle (self->window_title, subtitle);
  gtk_label_set_label (self->compact_label, title);

  /* TRANSLATORS: the label of the model picker for screen readers; %s is the model */
  accessible_label = g_strdup_printf (_("Model: %s"), title);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->menu_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, accessible_label,
                                  -1);
}

static void
relay_model_picker_update_checkmarks (RelayModelPicker *self)
{
  for (guint i = 0; i < self->bound_rows->len; i++)
    {
      RelayModelPickerRow *row = g_ptr_array_index (self->bound_rows, i);
      RelayModelInfo *info = relay_model_picker_row_get_model (row);

      relay_model_picker_row_set_selected (row,
                                           info != NULL &&
                                           g_strcmp0 (relay_model_info_get_id (info),
                                                      self->selected_model_id) == 0);
    }
}

static void
relay_model_picker_models_items_changed_cb (RelayModelPicker *self)
{
  relay_model_picker_update_title (self);
}

static void
relay_model_picker_selected_model_notify_cb (RelayModelPicker *self)
{
  relay_model_picker_update_title (self);
}

static void
relay_model_picker_filtered_items_changed_cb (RelayModelPicker *self)
{
  guint n_items = g_list_model_get_n_items (G_LIST_MODEL (self->filter_model));

  gtk_stack_set_visible_child_name (self->stack, n_items > 0 ? "list" : "empty");
  adw_status_page_set_description (self->empty_page,
                                   self->search_text != NULL ? _("Try a different search") : NULL);
}

/* Scrolling to the first row would hide its section's title above it. */
static void
relay_model_picker_scroll_to_top (RelayModelPicker *self)
{
  GtkAdjustment *adjustment = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (self->list_view));

  if (adjustment != NULL)
    gtk_adjustment_set_value (adjustment, gtk_adjustment_get_lower (adjustment));
}

static void
relay_model_picker_pick (RelayModelPicker *self,
                         guint             position)
{
  g_autoptr(RelayModelInfo) info = NULL;

  info = g_list_model_get_item (G_LIST_MODEL (self->filter_model), position);
  if (info == NULL)
    return;

  relay_model_picker_set_selected_model_id (self, relay_model_info_get_id (info));
  gtk_popover_popdown (self->popover);
}

static void
relay_model_picker_list_activate_cb (RelayModelPicker *self,
                                     guint             position)
{
  relay_model_picker_pick (self, position);
}

static void
relay_model_picker_search_changed_cb (RelayModelPicker *self)
{
  g_autofree char *text = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->search_entry)));

  g_strstrip (text);
  if (*text == '\0')
    g_clear_pointer (&text, g_free);
  if (g_strcmp0 (text, self->search_text) == 0)
    return;

  g_free (self->search_text);
  self->search_text = g_steal_pointer (&text);
  gtk_filter_changed (GTK_FILTER (self->search_filter), GTK_FILTER_CHANGE_DIFFERENT);

  /* Typed while a row had the focus (the popover hands keys to the search): the focus
   * follows, or Enter would pick a row the search may have hidden. */
  if (gtk_widget_get_visible (GTK_WIDGET (self->popover)) &&
      !gtk_widget_is_focus (GTK_WIDGET (self->search_entry)) &&
      gtk_widget_get_focus_child (GTK_WIDGET (self->search_entry)) == NULL)
    gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));

  /* The best match is at the top; show it rather than wherever the list was scrolled. */
  relay_model_picker_scroll_to_top (self);
}

/* Enter in the search picks the first match; with nothing typed it only closes, so that
 * Ctrl+M, Enter does not switch to whatever happens to be first. */
static void
relay_model_picker_search_activate_cb (RelayModelPicker *self)
{
  if (self->search_text != NULL &&
      g_list_model_get_n_items (G_LIST_MODEL (self->filter_model)) > 0)
    relay_model_picker_pick (self, 0);
  else
    gtk_popover_popdown (self->popover);
}

static void
relay_model_picker_stop_search_cb (RelayModelPicker *self)
{
  gtk_popover_popdown (self->popover);
}

static gboolean
relay_model_picker_search_key_pressed_cb (RelayModelPicker      *self,
                                          guint                  keyval,
                                          guint                  keycode,
                                          GdkModifierType        state,
                                          GtkEventControllerKey *controller)
{
  if ((keyval == GDK_KEY_Down || keyval == GDK_KEY_KP_Down) &&
      (state & (GDK_CONTROL_MASK | GDK_ALT_MASK | GDK_SHIFT_MASK)) == 0 &&
      g_list_model_get_n_items (G_LIST_MODEL (self->filter_model)) > 0)
    {
      gtk_list_view_scroll_to (self->list_view, 0, GTK_LIST_SCROLL_FOCUS, NULL);
      /* Scrolling moves the list's cursor; the focus moves only by asking. */
      gtk_widget_grab_focus (GTK_WIDGET (self->list_view));
      return GDK_EVENT_STOP;
    }
  return GDK_EVENT_PROPAGATE;
}

/* Up from the first row goes back to the search, as in GTK's own choosers. */
static gboolean
relay_model_picker_list_key_pressed_cb (RelayModelPicker      *self,
                                        guint                  keyval,
                                        guint                  keycode,
                                        GdkModifierType        state,
                                        GtkEventControllerKey *controller)
{
  GtkWidget *focus_child;
  GtkWidget *row;
  RelayModelInfo *info;
  guint position;

  if (keyval != GDK_KEY_Up && keyval != GDK_KEY_KP_Up)
    return GDK_EVENT_PROPAGATE;

  focus_child = gtk_widget_get_focus_child (GTK_WIDGET (self->list_view));
  row = focus_child != NULL ? gtk_widget_get_first_child (focus_child) : NULL;
  if (!RELAY_IS_MODEL_PICKER_ROW (row) ||
      (info = relay_model_picker_row_get_model (RELAY_MODEL_PICKER_ROW (row))) == NULL ||
      !relay_model_picker_find_filtered_position (self, relay_model_info_get_id (info),
                                                  &position) ||
      position != 0)
    return GDK_EVENT_PROPAGATE;

  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
  return GDK_EVENT_STOP;
}

/* Narrow windows get a narrower popover rather than one hanging past their edges. */
static void
relay_model_picker_create_popup_cb (GtkMenuButton *menu_button,
                                    gpointer       user_data)
{
  RelayModelPicker *self = user_data;
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  int width = POPOVER_WIDTH;

  if (root != NULL && gtk_widget_get_width (GTK_WIDGET (root)) > 0)
    width = MIN (width, gtk_widget_get_width (GTK_WIDGET (root)) - 2 * POPOVER_WINDOW_MARGIN);
  gtk_widget_set_size_request (self->popover_box, MAX (width, 200), -1);
}

static void
relay_model_picker_cancel_scroll (RelayModelPicker *self)
{
  if (self->scroll_frame_clock != NULL)
    g_clear_signal_handler (&self->scroll_handler, self->scroll_frame_clock);
  g_clear_object (&self->scroll_frame_clock);
}

/* Runs after the frame's layout: only then do the rows have sizes to scroll by. Scrolling
 * queues another layout, which GDK runs within the same frame, so the list never shows
 * at the wrong place. */
static void
relay_model_picker_frame_layout_cb (RelayModelPicker *self)
{
  guint position;

  if (gtk_widget_get_height (GTK_WIDGET (self->list_view)) <= 0)
    return;

  relay_model_picker_cancel_scroll (self);
  /* From the top, scrolling to a model further down keeps its section's title in view. */
  relay_model_picker_scroll_to_top (self);
  if (relay_model_picker_find_filtered_position (self, self->selected_model_id, &position))
    gtk_list_view_scroll_to (self->list_view, position, GTK_LIST_SCROLL_NONE, NULL);
}

static void
relay_model_picker_popover_map_cb (RelayModelPicker *self)
{
  GdkFrameClock *frame_clock = gtk_widget_get_frame_clock (GTK_WIDGET (self->popover));

  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));

  relay_model_picker_cancel_scroll (self);
  if (frame_clock != NULL)
    {
      self->scroll_frame_clock = g_object_ref (frame_clock);
      self->scroll_handler =
        g_signal_connect_object (frame_clock, "layout",
                                 G_CALLBACK (relay_model_picker_frame_layout_cb), self,
                                 G_CONNECT_SWAPPED | G_CONNECT_AFTER);
    }
}

static void
relay_model_picker_popover_closed_cb (RelayModelPicker *self)
{
  relay_model_picker_cancel_scroll (self);
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
}

static void
relay_model_picker_row_setup_cb (GtkSignalListItemFactory *factory,
                                 GtkListItem              *item,
                                 RelayModelPicker         *self)
{
  gtk_list_item_set_child (item, relay_model_picker_row_new ());
}

static void
relay_model_picker_row_bind_cb (GtkSignalListItemFactory *factory,
                                GtkListItem              *item,
                                RelayModelPicker         *self)
{
  RelayModelPickerRow *row = RELAY_MODEL_PICKER_ROW (gtk_list_item_get_child (item));
  RelayModelInfo *info = gtk_list_item_get_item (item);

  relay_model_picker_row_set_model (row, info);
  relay_model_picker_row_set_selected (row, g_strcmp0 (relay_model_info_get_id (info),
                                                       self->selected_model_id) == 0);
  gtk_list_item_set_accessible_label (item, relay_model_info_get_display_name (info));
  {
    g_autofree char *summary = relay_model_picker_row_dup_summary (row);

    gtk_list_item_set_accessible_description (item, summary);
  }
  g_ptr_array_add (self->bound_rows, row);
}

static void
relay_model_picker_row_unbind_cb (GtkSignalListItemFactory *factory,
                                  GtkListItem              *item,
                                  RelayModelPicker         *self)
{
  RelayModelPickerRow *row = RELAY_MODEL_PICKER_ROW (gtk_list_item_get_child (item));

  if (self->bound_rows != NULL)
    g_ptr_array_remove_fast (self->bound_rows, row);
  relay_model_picker_row_set_model (row, NULL);
}

GtkWidget *
relay_model_picker_new (void)
{
  return g_object_new (RELAY_TYPE_MODEL_PICKER, NULL);
}

GListModel *
relay_model_picker_get_models (RelayModelPicker *self)
{
  g_return_val_if_fail (RELAY_IS_MODEL_PICKER (self), NULL);
  return self->models;
}

/**
 * relay_model_picker_set_models:
 * @models: (nullable): a #GListModel of #RelayModelInfo
 */
void
relay_model_picker_set_models (RelayModelPicker *self,
                               GListModel       *models)
{
  g_return_if_fail (RELAY_IS_MODEL_PICKER (self));
  g_return_if_fail (models == NULL || G_IS_LIST_MODEL (models));

  if (!g_set_object (&self->models, models))
    return;

  g_signal_group_set_target (self->models_signals, models);
  gtk_sort_list_model_set_model (self->sort_model, models);
  relay_model_picker_update_title (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODELS]);
}

const char *
relay_model_picker_get_selected_model_id (RelayModelPicker *self)
{
  g_return_val_if_fail (RELAY_IS_MODEL_PICKER (self), NULL);
  return self->selected_model_id;
}

void
relay_model_picker_set_selected_model_id (RelayModelPicker *self,
                                          const char       *model_id)
{
  g_return_if_fail (RELAY_IS_MODEL_PICKER (self));

  if (!g_set_str (&self->selected_model_id, model_id))
    return;

  relay_model_picker_update_title (self);
  relay_model_picker_update_checkmarks (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED_MODEL_ID]);
}

gboolean
relay_model_picker_get_offline (RelayModelPicker *self)
{
  g_return_val_if_fail (RELAY_IS_MODEL_PICKER (self), FALSE);
  return self->offline;
}

/**
 * relay_model_picker_set_offline:
 * @offline: whether the list is the saved one because the server cannot be reached
 */
void
relay_model_picker_set_offline (RelayModelPicker *self,
                                gboolean          offline)
{
  g_return_if_fail (RELAY_IS_MODEL_PICKER (self));

  offline = !!offline;
  if (self->offline == offline)
    return;

  self->offline = offline;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_OFFLINE]);
}

gboolean
relay_model_picker_get_compact (RelayModelPicker *self)
{
  g_return_val_if_fail (RELAY_IS_MODEL_PICKER (self), FALSE);
  return self->compact;
}

/**
 * relay_model_picker_set_compact:
 * @compact: whether to show the model's name alone, in the weight of a row's value,
 *   as in a preferences row; otherwise it is a header bar title over its vendor
 */
void
relay_model_picker_set_compact (RelayModelPicker *self,
                                gboolean          compact)
{
  g_return_if_fail (RELAY_IS_MODEL_PICKER (self));

  compact = !!compact;
  if (self->compact == compact)
    return;

  self->compact = compact;
  gtk_widget_set_visible (GTK_WIDGET (self->window_title), !compact);
  gtk_widget_set_visible (GTK_WIDGET (self->compact_label), compact);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COMPACT]);
}

/**
 * relay_model_picker_popup:
 *
 * Opens the list of models with the search focused, for the window's Ctrl+M.
 */
void
relay_model_picker_popup (RelayModelPicker *self)
{
  g_return_if_fail (RELAY_IS_MODEL_PICKER (self));
  gtk_menu_button_popup (self->menu_button);
}

void
relay_model_picker_popdown (RelayModelPicker *self)
{
  g_return_if_fail (RELAY_IS_MODEL_PICKER (self));
  gtk_menu_button_popdown (self->menu_button);
}

static gboolean
relay_model_picker_grab_focus (GtkWidget *widget)
{
  RelayModelPicker *self = RELAY_MODEL_PICKER (widget);

  return gtk_widget_grab_focus (GTK_WIDGET (self->menu_button));
}

/* A preferences row with the picker as its activatable widget opens the list. */
static gboolean
relay_model_picker_mnemonic_activate (GtkWidget *widget,
                                      gboolean   group_cycling)
{
  RelayModelPicker *self = RELAY_MODEL_PICKER (widget);

  return gtk_widget_mnemonic_activate (GTK_WIDGET (self->menu_button), group_cycling);
}

static void
relay_model_picker_dispose (GObject *object)
{
  RelayModelPicker *self = RELAY_MODEL_PICKER (object);

  relay_model_picker_cancel_scroll (self);
  /* The filter could outlive the picker in someone's reference to the list. */
  if (self->search_filter != NULL)
    gtk_custom_filter_set_filter_func (self->search_filter, NULL, NULL, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), RELAY_TYPE_MODEL_PICKER);
  g_clear_pointer (&self->bound_rows, g_ptr_array_unref);
  g_clear_object (&self->models_signals);
  g_clear_object (&self->selected_model_signals);
  g_clear_object (&self->selected_model);
  g_clear_object (&self->models);

  G_OBJECT_CLASS (relay_model_picker_parent_class)->dispose (object);
}

static void
relay_model_picker_finalize (GObject *object)
{
  RelayModelPicker *self = RELAY_MODEL_PICKER (object);

  g_free (self->selected_model_id);
  g_free (self->search_text);

  G_OBJECT_CLASS (relay_model_picker_parent_class)->finalize (object);
}

static void
relay_model_picker_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  RelayModelPicker *self = RELAY_MODEL_PICKER (object);

  switch (prop_id)
    {
    case PROP_MODELS:
      g_value_set_object (value, self->models);
      break;

    case PROP_SELECTED_MODEL_ID:
      g_value_set_string (value, self->selected_model_id);
      break;

    case PROP_OFFLINE:
      g_value_set_boolean (value, self->offline);
      break;

    case PROP_COMPACT:
      g_value_set_boolean (value, self->compact);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
relay_model_picker_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  RelayModelPicker *self = RELAY_MODEL_PICKER (object);

  switch (prop_id)
    {
    case PROP_MODELS:
      relay_model_picker_set_models (self, g_value_get_object (value));
      break;

    case PROP_SELECTED_MODEL_ID:
      relay_model_picker_set_selected_model_id (self, g_value_get_string (value));
      break;

    case PROP_OFFLINE:
      relay_model_picker_set_offline (self, g_value_get_boolean (value));
      break;

    case PROP_COMPACT:
      relay_model_picker_set_compact (self, g_value_get_boolean (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
relay_model_picker_class_init (RelayModelPickerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = relay_model_picker_dispose;
  object_class->finalize = relay_model_picker_finalize;
  object_class->get_property = relay_model_picker_get_property;
  object_class->set_property = relay_model_picker_set_property;

  widget_class->grab_focus = relay_model_picker_grab_focus;
  widget_class->mnemonic_activate = relay_model_picker_mnemonic_activate;

  properties[PROP_MODELS] =
    g_param_spec_object ("models", NULL, NULL,
                         G_TYPE_LIST_MODEL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_SELECTED_MODEL_ID] =
    g_param_spec_string ("selected-model-id", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_OFFLINE] =
    g_param_spec_boolean ("offline", NULL, NULL,
                          FALSE,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_COMPACT] =
    g_param_spec_boolean ("compact", NULL, NULL,
                          FALSE,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "modelpicker");
  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PATH "/relay-model-picker.ui");
  gtk_widget_class_bind_template_child (widget_class, RelayModelPicker, menu_button);
  gtk_widget_class_bind_template_child (widget_class, RelayModelPicker, window_title);
  gtk_widget_class_bind_template_child (widget_class, RelayModelPicker, compact_label);
  gtk_widget_class_bind_template_child (widget_class, RelayModelPicker, popover);
  gtk_widget_class_bind_template_child (widget_class, RelayModelPicker, popover_box);
  gtk_widget_class_bind_template_child (widget_class, RelayModelPicker, search_entry);
  gtk_widget_class_bind_template_child (widget_class, RelayModelPicker, stack);
  gtk_widget_class_bind_template_child (widget_class, RelayModelPicker, empty_page);
  gtk_widget_class_bind_template_child (widget_class, RelayModelPicker, list_view);
  gtk_widget_class_bind_template_child (widget_class, RelayModelPicker, filter_model);
  gtk_widget_class_bind_template_child (widget_class, RelayModelPicker, sort_model);
  gtk_widget_class_bind_template_child (widget_class, RelayModelPicker, search_filter);
  gtk_widget_class_bind_template_child (widget_class, RelayModelPicker, section_sorter);
  gtk_widget_class_bind_template_callback (widget_class, relay_model_picker_section_title);
  gtk_widget_class_bind_template_callback (widget_class,
                                           relay_model_picker_filtered_items_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, relay_model_picker_list_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, relay_model_picker_list_key_pressed_cb);
  gtk_widget_class_bind_template_callback (widget_class, relay_model_picker_search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, relay_model_picker_search_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, relay_model_picker_search_key_pressed_cb);
  gtk_widget_class_bind_template_callback (widget_class, relay_model_picker_stop_search_cb);
  gtk_widget_class_bind_template_callback (widget_class, relay_model_picker_popover_map_cb);
  gtk_widget_class_bind_template_callback (widget_class, relay_model_picker_popover_closed_cb);
}

static void
relay_model_picker_init (RelayModelPicker *self)
{
  g_autoptr(GtkListItemFactory) factory = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->bound_rows = g_ptr_array_new ();

  self->models_signals = g_signal_group_new (G_TYPE_LIST_MODEL);
  g_signal_group_connect_swapped (self->models_signals, "items-changed",
                                  G_CALLBACK (relay_model_picker_models_items_changed_cb), self);
  self->selected_model_signals = g_signal_group_new (RELAY_TYPE_MODEL_INFO);
  g_signal_group_connect_swapped (self->selected_model_signals, "notify",
                                  G_CALLBACK (relay_model_picker_selected_model_notify_cb), self);

  gtk_custom_sorter_set_sort_func (self->section_sorter,
                                   relay_model_picker_section_compare, NULL, NULL);
  gtk_custom_filter_set_filter_func (self->search_filter,
                                     relay_model_picker_filter_func, self, NULL);

  /* Rows are made in code, not by a builder factory, so that the picker can move the
   * checkmark on the rows it has bound when the selection changes. */
  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (factory, "setup", G_CALLBACK (relay_model_picker_row_setup_cb), self);
  g_signal_connect (factory, "bind", G_CALLBACK (relay_model_picker_row_bind_cb), self);
  g_signal_connect (factory, "unbind", G_CALLBACK (relay_model_picker_row_unbind_cb), self);
  gtk_list_view_set_factory (self->list_view, factory);

  gtk_search_entry_set_key_capture_widget (self->search_entry, GTK_WIDGET (self->popover));
  gtk_menu_button_set_create_popup_func (self->menu_button,
                                         relay_model_picker_create_popup_cb, self, NULL);

  relay_model_picker_filtered_items_changed_cb (self);
  relay_model_picker_update_title (self);
}
