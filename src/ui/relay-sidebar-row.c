/* relay-sidebar-row.c
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "relay-sidebar-row"

#include "config.h"

#include <glib/gi18n.h>

#include "relay-export.h"
#include "relay-sidebar-private.h"
#include "relay-sidebar-row.h"

/**
 * RelaySidebarRow:
 *
 * A conversation as the sidebar lists it: its title, a pin when pinned, and its menu,
 * from the button shown on hover and selection or by right-click and long-press. The
 * menu's actions (`row.pin`, `row.rename`, `row.export`, `row.delete`) act on this
 * row's conversation through the #RelaySidebar above it.
 */
struct _RelaySidebarRow
{
  GtkWidget          parent_instance;

  RelayConversation *conversation;
  GBindingGroup     *bindings;
  GSignalGroup      *signals;

  GtkLabel          *title_label;
  GtkImage          *pin_image;
  GtkMenuButton     *menu_button;
  GMenuModel        *row_menu;
  GtkWidget         *context_menu;
};

enum {
  PROP_0,
  PROP_CONVERSATION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (RelaySidebarRow, relay_sidebar_row, GTK_TYPE_WIDGET)

GtkWidget *
relay_sidebar_row_new (void)
{
  return g_object_new (RELAY_TYPE_SIDEBAR_ROW, NULL);
}

/**
 * relay_sidebar_row_dup_display_title:
 *
 * The title shown for a conversation: a chat is titled after its first message, so one
 * without a title yet is a new chat. Also used from the list item factory.
 *
 * Returns: (transfer full): the title to show
 */
char *
relay_sidebar_row_dup_display_title (gpointer    unused,
                                     const char *title)
{
  if (title == NULL || *title == '\0')
    return g_strdup (_("New Chat"));
  return g_strdup (title);
}

static gboolean
title_transform (GBinding     *binding,
                 const GValue *from,
                 GValue       *to,
                 gpointer      user_data)
{
  g_value_take_string (to, relay_sidebar_row_dup_display_title (NULL, g_value_get_string (from)));
  return TRUE;
}

static RelaySidebar *
relay_sidebar_row_get_sidebar (RelaySidebarRow *self)
{
  return (RelaySidebar *) gtk_widget_get_ancestor (GTK_WIDGET (self), RELAY_TYPE_SIDEBAR);
}

static void
relay_sidebar_row_update_actions (RelaySidebarRow *self)
{
  gboolean has = self->conversation != NULL;
  gboolean pinned = has && relay_conversation_get_pinned (self->conversation);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "row.pin", has && !pinned);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "row.unpin", pinned);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "row.rename", has);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "row.export", has);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "row.delete", has);
}

/* A change that may move the conversation to another section without moving it in
 * the list: the sidebar checks and redraws its sections if so. */
static void
conversation_section_changed_cb (RelaySidebarRow   *self,
                                 GParamSpec        *pspec,
                                 RelayConversation *conversation)
{
  RelaySidebar *sidebar = relay_sidebar_row_get_sidebar (self);

  if (g_strcmp0 (pspec->name, "pinned") == 0)
    relay_sidebar_row_update_actions (self);
  if (sidebar != NULL)
    _relay_sidebar_check_section (sidebar, conversation);
}

static void
relay_sidebar_row_pin_action (GtkWidget  *widget,
                              const char *action_name,
                              GVariant   *parameter)
{
  RelaySidebarRow *self = RELAY_SIDEBAR_ROW (widget);

  if (self->conversation != NULL)
    relay_conversation_set_pinned (self->conversation, g_str_equal (action_name, "row.pin"));
}

static void
relay_sidebar_row_rename_action (GtkWidget  *widget,
                                 const char *action_name,
                                 GVariant   *parameter)
{
  RelaySidebarRow *self = RELAY_SIDEBAR_ROW (widget);
  RelaySidebar *sidebar = relay_sidebar_row_get_sidebar (self);

  if (self->conversation != NULL && sidebar != NULL)
    relay_sidebar_rename_conversation (sidebar, self->conversation);
}

static void
relay_sidebar_row_export_action (GtkWidget  *widget,
                                 const char *action_name,
                                 GVariant   *parameter)
{
  RelaySidebarRow *self = RELAY_SIDEBAR_ROW (widget);
  const char *format = g_variant_get_string (parameter, NULL);

  if (self->conversation == NULL)
    return;
  relay_export_with_dialog (widget, self->conversation,
                            g_str_equal (format, "json") ? RELAY_EXPORT_FORMAT_JSON
                                                         : RELAY_EXPORT_FORMAT_MARKDOWN);
}

static void
relay_sidebar_row_delete_action (GtkWidget  *widget,
                                 const char *action_name,
                                 GVariant   *parameter)
{
  RelaySidebarRow *self = RELAY_SIDEBAR_ROW (widget);
  RelaySidebar *sidebar = relay_sidebar_row_get_sidebar (self);

  if (self->conversation != NULL && sidebar != NULL)
    relay_sidebar_delete_conversation (sidebar, self->conversation);
}

/* The list view keeps up to 200 rows: building each one's menu only when it is first
 * opened makes showing a long history several times cheaper. */
static void
relay_sidebar_row_ensure_menu (RelaySidebarRow *self)
{
  if (gtk_menu_button_get_menu_model (self->menu_button) == NULL)
    gtk_menu_button_set_menu_model (self->menu_button, self->row_menu);
}

static void
relay_sidebar_row_create_popup_cb (GtkMenuButton *button,
                                   gpointer       user_data)
{
  relay_sidebar_row_ensure_menu (user_data);
}

/**
 * relay_sidebar_row_popup_menu:
 * @x: where to point, in the row's coordinates, or -1 for under the menu button
 *
 * Opens the row's menu as a context menu.
 */
void
relay_sidebar_row_popup_menu (RelaySidebarRow *self,
                              double           x,
                              double           y)
{
  g_return_if_fail (RELAY_IS_SIDEBAR_ROW (self));

  if (x < 0 || y < 0)
    {
      relay_sidebar_row_ensure_menu (self);
      gtk_menu_button_popup (self->menu_button);
      return;
    }
  if (self->context_menu == NULL)
    {
      self->context_menu = gtk_popover_menu_new_from_model (self->row_menu);
      gtk_widget_set_parent (self->context_menu, GTK_WIDGET (self));
      gtk_popover_set_has_arrow (GTK_POPOVER (self->context_menu), FALSE);
      gtk_widget_set_halign (self->context_menu, GTK_ALIGN_START);
    }
  gtk_popover_set_pointing_to (GTK_POPOVER (self->context_menu),
                               &(GdkRectangle) { (int) x, (int) y, 1, 1 });
  gtk_popover_popup (GTK_POPOVER (self->context_menu));
}

static void
relay_sidebar_row_secondary_click_cb (RelaySidebarRow *self,
                                      int              n_press,
                                      double           x,
                                      double           y,
                                      GtkGestureClick *gesture)
{
  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
  relay_sidebar_row_popup_menu (self, x, y);
}

static void
relay_sidebar_row_long_press_cb (RelaySidebarRow     *self,
                                 double               x,
                                 double               y,
                                 GtkGestureLongPress *gesture)
{
  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
  relay_sidebar_row_popup_menu (self, x, y);
}

static void
relay_sidebar_row_size_allocate (GtkWidget *widget,
                                 int        width,
                                 int        height,
                                 int        baseline)
{
  RelaySidebarRow *self = RELAY_SIDEBAR_ROW (widget);

  GTK_WIDGET_CLASS (relay_sidebar_row_parent_class)->size_allocate (widget, width, height, baseline);
  if (self->context_menu != NULL)
    gtk_popover_present (GTK_POPOVER (self->context_menu));
}

static void
relay_sidebar_row_dispose (GObject *object)
{
  RelaySidebarRow *self = RELAY_SIDEBAR_ROW (object);

  g_clear_pointer (&self->context_menu, gtk_widget_unparent);
  if (self->bindings != NULL)
    g_binding_group_set_source (self->bindings, NULL);
  if (self->signals != NULL)
    g_signal_group_set_target (self->signals, NULL);
  g_clear_object (&self->bindings);
  g_clear_object (&self->signals);
  g_clear_object (&self->conversation);
  gtk_widget_dispose_template (GTK_WIDGET (self), RELAY_TYPE_SIDEBAR_ROW);

  G_OBJECT_CLASS (relay_sidebar_row_parent_class)->dispose (object);
}

static void
relay_sidebar_row_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  RelaySidebarRow *self = RELAY_SIDEBAR_ROW (object);

  switch (prop_id)
    {
    case PROP_CONVERSATION:
      g_value_set_object (value, self->conversation);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
relay_sidebar_row_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  RelaySidebarRow *self = RELAY_SIDEBAR_ROW (object);

  switch (prop_id)
    {
    case PROP_CONVERSATION:
      relay_sidebar_row_set_conversation (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
relay_sidebar_row_class_init (RelaySidebarRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = relay_sidebar_row_dispose;
  object_class->get_property = relay_sidebar_row_get_property;
  object_class->set_property = relay_sidebar_row_set_property;
  widget_class->size_allocate = relay_sidebar_row_size_allocate;

  properties[PROP_CONVERSATION] =
    g_param_spec_object ("conversation", NULL, NULL,
                         RELAY_TYPE_CONVERSATION,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/relay-sidebar-row.ui");
  gtk_widget_class_bind_template_child (widget_class, RelaySidebarRow, title_label);
  gtk_widget_class_bind_template_child (widget_class, RelaySidebarRow, pin_image);
  gtk_widget_class_bind_template_child (widget_class, RelaySidebarRow, menu_button);
  gtk_widget_class_bind_template_child (widget_class, RelaySidebarRow, row_menu);

  gtk_widget_class_install_action (widget_class, "row.pin", NULL, relay_sidebar_row_pin_action);
  gtk_widget_class_install_action (widget_class, "row.unpin", NULL, relay_sidebar_row_pin_action);
  gtk_widget_class_install_action (widget_class, "row.rename", NULL, relay_sidebar_row_rename_action);
  gtk_widget_class_install_action (widget_class, "row.export", "s", relay_sidebar_row_export_action);
  gtk_widget_class_install_action (widget_class, "row.delete", NULL, relay_sidebar_row_delete_action);
}

static void
relay_sidebar_row_init (RelaySidebarRow *self)
{
  GtkGesture *gesture;

  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_menu_button_set_create_popup_func (self->menu_button, relay_sidebar_row_create_popup_cb,
                                         self, NULL);

  self->bindings = g_binding_group_new ();
  g_binding_group_bind_full (self->bindings, "title", self->title_label, "label",
                             G_BINDING_SYNC_CREATE, title_transform, NULL, NULL, NULL);
  g_binding_group_bind (self->bindings, "pinned", self->pin_image, "visible",
                        G_BINDING_SYNC_CREATE);

  self->signals = g_signal_group_new (RELAY_TYPE_CONVERSATION);
  g_signal_group_connect_object (self->signals, "notify::pinned",
                                 G_CALLBACK (conversation_section_changed_cb), self,
                                 G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->signals, "notify::updated-at",
                                 G_CALLBACK (conversation_section_changed_cb), self,
                                 G_CONNECT_SWAPPED);

  gesture = gtk_gesture_click_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (gesture), GDK_BUTTON_SECONDARY);
  g_signal_connect_swapped (gesture, "pressed", G_CALLBACK (relay_sidebar_row_secondary_click_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (gesture));

  gesture = gtk_gesture_long_press_new ();
  gtk_gesture_single_set_touch_only (GTK_GESTURE_SINGLE (gesture), TRUE);
  g_signal_connect_swapped (gesture, "pressed", G_CALLBACK (relay_sidebar_row_long_press_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (gesture));

  relay_sidebar_row_update_actions (self);
}

RelayConversation *
relay_sidebar_row_get_conversation (RelaySidebarRow *self)
{
  g_return_val_if_fail (RELAY_IS_SIDEBAR_ROW (self), NULL);
  return self->conversation;
}

void
relay_sidebar_row_set_conversation (RelaySidebarRow   *self,
                                    RelayConversation *conversation)
{
  g_return_if_fail (RELAY_IS_SIDEBAR_ROW (self));
  g_return_if_fail (!conversation || RELAY_IS_CONVERSATION (conversation));

  if (!g_set_object (&self->conversation, conversation))
    return;

  if (self->context_menu != NULL)
    gtk_popover_popdown (GTK_POPOVER (self->context_menu));
  g_binding_group_set_source (self->bindings, conversation);
  g_signal_group_set_target (self->signals, conversation);
  if (conversation == NULL)
    gtk_label_set_label (self->title_label, "");
  relay_sidebar_row_update_actions (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONVERSATION]);
}
