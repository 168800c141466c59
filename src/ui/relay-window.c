/* relay-window.c
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "relay-window"

#include "config.h"

#include <glib/gi18n.h>

#include "relay-application.h"
#include "relay-composer.h"
#include "relay-chat-settings-dialog.h"
#include "relay-conversation-view.h"
#include "relay-error.h"
#include "relay-export.h"
#include "relay-model-picker.h"
#include "relay-sidebar.h"
#include "relay-welcome-page.h"
#include "relay-window.h"

struct _RelayWindow
{
  AdwApplicationWindow    parent_instance;

  RelayContext           *context;
  RelayConversation      *conversation;
  RelayChatSession       *session;
  GSignalGroup           *session_signals;
  GBindingGroup          *conversation_bindings;
  guint                   retry_tick;

  AdwToastOverlay        *toast_overlay;
  GtkStack               *main_stack;
  RelayWelcomePage       *welcome_page;
  AdwNavigationSplitView *split_view;
  AdwNavigationPage      *content_page;
  RelaySidebar           *sidebar;
  RelayModelPicker       *model_picker;
  RelayModelCatalog      *catalog;
  GtkSearchEntry         *search_entry;
  GtkToggleButton        *search_button;
  AdwBanner              *offline_banner;
  AdwBanner              *key_banner;
  GtkStack               *chat_stack;
  RelayConversationView  *conversation_view;
  RelayComposer          *composer;
};

G_DEFINE_FINAL_TYPE (RelayWindow, relay_window, ADW_TYPE_APPLICATION_WINDOW)

RelayWindow *
relay_window_new (RelayApplication *application)
{
  return g_object_new (RELAY_TYPE_WINDOW,
                       "application", application,
                       NULL);
}

/**
 * relay_window_get_conversation:
 *
 * Returns: (transfer none) (nullable): the conversation shown
 */
RelayConversation *
relay_window_get_conversation (RelayWindow *self)
{
  g_return_val_if_fail (RELAY_IS_WINDOW (self), NULL);

  return self->conversation;
}

void
relay_window_add_toast (RelayWindow *self,
                        AdwToast    *toast)
{
  g_return_if_fail (RELAY_IS_WINDOW (self));

  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

static void
relay_window_update_page (RelayWindow *self)
{
  const char *page = "loading";

  if (self->context != NULL && relay_context_get_loaded (self->context))
    page = relay_context_get_has_key (self->context) ? "chat" : "welcome";
  gtk_stack_set_visible_child_name (self->main_stack, page);
}

static void
relay_window_update_chat_page (RelayWindow *self)
{
  gboolean empty = self->conversation == NULL ||
                   g_list_model_get_n_items (G_LIST_MODEL (self->conversation)) == 0;

  gtk_stack_set_visible_child_name (self->chat_stack, empty ? "empty" : "messages");
}

static void
relay_window_update_composer (RelayWindow *self)
{
  const char *blocked = NULL;
  g_autofree char *status = NULL;

  if (self->context != NULL && !relay_context_get_online (self->context))
    blocked = _("You are offline. What you write stays here until the network is back.");

  if (self->session != NULL && relay_chat_session_get_retry_at (self->session) > 0)
    {
      gint64 wait = relay_chat_session_get_retry_at (self->session) - g_get_monotonic_time ();
      int seconds = MAX (0, (int) ((wait + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC));

      status = g_strdup_printf (ngettext ("RouteLLM is busy. Trying again in %d second…",
                                          "RouteLLM is busy. Trying again in %d seconds…",
                                          seconds),
                                seconds);
    }

  relay_composer_set_blocked_reason (self->composer, blocked);
  relay_composer_set_status (self->composer, status);
  relay_composer_set_busy (self->composer,
                           self->session != NULL && relay_chat_session_get_busy (self->session));
  adw_banner_set_revealed (self->offline_banner,
                           self->context != NULL && !relay_context_get_online (self->context));
}

/* The chat's own actions, for a chat that exists (has a message). */
static void
relay_window_update_chat_actions (RelayWindow *self)
{
  gboolean stored = self->conversation != NULL && relay_conversation_get_id (self->conversation) > 0;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.chat-settings", self->conversation != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.rename-chat", stored);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.export-chat", stored);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.delete-chat", stored);
}

static gboolean
relay_window_retry_tick_cb (gpointer user_data)
{
  RelayWindow *self = user_data;

  relay_window_update_composer (self);
  if (self->session == NULL || relay_chat_session_get_retry_at (self->session) == 0)
    {
      self->retry_tick = 0;
      return G_SOURCE_REMOVE;
    }
  return G_SOURCE_CONTINUE;
}

static void
relay_window_session_retry_cb (RelayWindow *self)
{
  relay_window_update_composer (self);
  if (self->retry_tick == 0 && relay_chat_session_get_retry_at (self->session) > 0)
    self->retry_tick = g_timeout_add_seconds (1, relay_window_retry_tick_cb, self);
}

static void
relay_window_reply_finished_cb (RelayWindow      *self,
                                RelayMessage     *reply,
                                RelayChatSession *session)
{
  const GError *error = relay_chat_session_get_error (session);
  GApplication *app = g_application_get_default ();

  relay_window_update_composer (self);

  if (error != NULL && (g_error_matches (error, RELAY_ERROR, RELAY_ERROR_UNAUTHORIZED) ||
                        g_error_matches (error, RELAY_ERROR, RELAY_ERROR_FORBIDDEN)))
    adw_banner_set_revealed (self->key_banner, TRUE);

  /* Someone who switched away while a long reply was written would like to know. */
  if (app != NULL && !gtk_window_is_active (GTK_WINDOW (self)) &&
      relay_message_get_state (reply) == RELAY_MESSAGE_STATE_COMPLETE)
    {
      g_autoptr(GNotification) notification = NULL;
      g_autofree char *body = g_utf8_substring (relay_message_get_content (reply), 0, 140);
      const char *model = relay_message_get_routed_model (reply);

      if (model == NULL)
        model = relay_message_get_model (reply);
      notification = g_notification_new (self->conversation
                                           ? relay_conversation_get_title (self->conversation)
                                           : _("Reply Finished"));
      g_notification_set_body (notification, body);
      g_notification_set_default_action (notification, "app.activate");
      g_application_send_notification (app, "reply-finished", notification);
    }
}

static void
relay_window_items_changed_cb (RelayWindow *self)
{
  relay_window_update_chat_page (self);
  relay_window_update_chat_actions (self);
}

/**
 * relay_window_set_conversation:
 * @conversation: (nullable): the conversation to show
 */
void
relay_window_set_conversation (RelayWindow       *self,
                               RelayConversation *conversation)
{
  g_return_if_fail (RELAY_IS_WINDOW (self));
  g_return_if_fail (!conversation || RELAY_IS_CONVERSATION (conversation));

  if (self->conversation != NULL)
    g_signal_handlers_disconnect_by_func (self->conversation, relay_window_items_changed_cb, self);

  if (!g_set_object (&self->conversation, conversation))
    return;

  g_clear_handle_id (&self->retry_tick, g_source_remove);
  g_clear_object (&self->session);
  if (conversation != NULL)
    {
      if (!relay_conversation_get_loaded (conversation))
        relay_conversation_load_async (conversation, NULL, NULL, NULL);
      g_signal_connect_object (conversation, "items-changed",
                               G_CALLBACK (relay_window_items_changed_cb), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (conversation, "notify::id",
                               G_CALLBACK (relay_window_items_changed_cb), self,
                               G_CONNECT_SWAPPED);
      self->session = g_object_ref (relay_context_get_session (self->context, conversation));
    }

  g_binding_group_set_source (self->conversation_bindings, conversation);
  g_object_set (self->sidebar, "selected", conversation, NULL);
  if (conversation != NULL)
    relay_model_picker_set_selected_model_id (self->model_picker,
                                              relay_conversation_get_model (conversation));
  g_signal_group_set_target (self->session_signals, self->session);
  relay_conversation_view_set_session (self->conversation_view, self->session);
  relay_conversation_view_set_conversation (self->conversation_view, conversation);
  relay_window_update_chat_page (self);
  relay_window_update_composer (self);
  relay_window_update_chat_actions (self);
  if (self->session != NULL && relay_chat_session_get_retry_at (self->session) > 0)
    relay_window_session_retry_cb (self);
}

/* A new chat starts from Preferences' model and settings. */
static void
relay_window_apply_new_chat_defaults (RelayWindow       *self,
                                      RelayConversation *conversation)
{
  GSettings *settings = relay_application_get_settings (RELAY_APPLICATION_DEFAULT);
  g_autofree char *model = g_settings_get_string (settings, "default-model");
  g_autofree char *json = g_settings_get_string (settings, "default-chat-settings");
  g_autoptr(RelayChatSettings) defaults = NULL;
  g_autoptr(GError) error = NULL;

  if (model != NULL && *model != '\0')
    relay_conversation_set_model (conversation, model);
  if ((defaults = relay_chat_settings_new_from_json (json, &error)))
    relay_chat_settings_assign (relay_conversation_get_settings (conversation), defaults);
  else
    g_warning ("Ignoring the stored settings for new chats: %s", error->message);
}

static void
relay_window_conversation_activated_cb (RelayWindow       *self,
                                        RelayConversation *conversation,
                                        RelaySidebar      *sidebar)
{
  relay_window_set_conversation (self, conversation);
  adw_navigation_split_view_set_show_content (self->split_view, TRUE);
}

static void
relay_window_new_chat (RelayWindow *self)
{
  RelayConversationList *list;
  g_autoptr(RelayConversation) conversation = NULL;

  if (self->context == NULL || (list = relay_context_get_conversations (self->context)) == NULL)
    return;

  /* The list hands back the same empty chat until it has a message; settings the user
   * gave that one stay. */
  conversation = relay_conversation_list_create (list);
  if (conversation != self->conversation)
    relay_window_apply_new_chat_defaults (self, conversation);
  relay_window_set_conversation (self, conversation);
  adw_navigation_split_view_set_show_content (self->split_view, TRUE);
  relay_composer_focus (self->composer);
}

static void
relay_window_new_chat_action (GtkWidget  *widget,
                              const char *action_name,
                              GVariant   *parameter)
{
  relay_window_new_chat (RELAY_WINDOW (widget));
}

static void
relay_window_sent_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(RelayWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!relay_chat_session_send_finish (RELAY_CHAT_SESSION (object), result, &error))
    {
      /* The words stay in the composer; say why they did not go. */
      adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (error->message));
      return;
    }

  /* Stored: only now may the composer let go of them. */
  relay_composer_set_text (self->composer, "");
  relay_window_update_composer (self);
}

static void
relay_window_composer_send_cb (RelayWindow   *self,
                               const char    *text,
                               RelayComposer *composer)
{
  if (self->conversation == NULL)
    relay_window_new_chat (self);
  if (self->session == NULL)
    return;

  relay_chat_session_send_async (self->session, text, NULL, relay_window_sent_cb,
                                 g_object_ref (self));
  relay_window_update_composer (self);
}

static void
relay_window_composer_stop_cb (RelayWindow   *self,
                               RelayComposer *composer)
{
  if (self->session != NULL)
    relay_chat_session_stop (self->session);
}

typedef struct
{
  RelayWelcomeField  field;
  const char        *title;
  const char        *body;
} KeyProblem;

static KeyProblem
relay_window_explain_key_error (const GError *error)
{
  if (error->domain == RELAY_ERROR)
    {
      switch ((RelayError) error->code)
        {
        case RELAY_ERROR_UNAUTHORIZED:
        case RELAY_ERROR_FORBIDDEN:
          return (KeyProblem) { RELAY_WELCOME_FIELD_KEY, _("The Key Was Not Accepted"),
                                _("RouteLLM did not accept this key. Copy it again from the "
                                  "RouteLLM API page and paste it here.") };
        case RELAY_ERROR_NETWORK:
        case RELAY_ERROR_TIMEOUT:
          return (KeyProblem) { RELAY_WELCOME_FIELD_NONE, _("Could Not Reach RouteLLM"),
                                _("Check that this computer is online, then try again.") };
        case RELAY_ERROR_INVALID_ARGUMENT:
        case RELAY_ERROR_NOT_FOUND:
        case RELAY_ERROR_INVALID_RESPONSE:
        case RELAY_ERROR_BAD_REQUEST:
          return (KeyProblem) { RELAY_WELCOME_FIELD_BASE_URL, _("This Is Not a RouteLLM Address"),
                                NULL };
        case RELAY_ERROR_RATE_LIMITED:
        case RELAY_ERROR_SERVER:
        case RELAY_ERROR_CANCELLED:
        case RELAY_ERROR_UNSUPPORTED:
        case RELAY_ERROR_TOO_LARGE:
        case RELAY_ERROR_QUOTA:
        default:
          break;
        }
      return (KeyProblem) { RELAY_WELCOME_FIELD_NONE, _("RouteLLM Could Not Check the Key"), NULL };
    }

  return (KeyProblem) { RELAY_WELCOME_FIELD_NONE, _("The Key Could Not Be Saved"),
                        _("Relay keeps your key in the system keyring, which did not answer. "
                          "Make sure a keyring such as GNOME Keyring is running.") };
}

static void
relay_window_key_set_cb (GObject      *object,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  g_autoptr(RelayWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!relay_context_set_key_finish (RELAY_CONTEXT (object), result, &error))
    {
      KeyProblem problem;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      problem = relay_window_explain_key_error (error);
      relay_welcome_page_set_error (self->welcome_page, problem.field, problem.title,
                                    problem.body ? problem.body : error->message);
      return;
    }

  /* The server's own base URL stays for the next start (unless one was imposed). */
  if (g_getenv ("RELAY_BASE_URL") == NULL)
    g_settings_set_string (relay_application_get_settings (RELAY_APPLICATION_DEFAULT),
                           "base-url", relay_context_get_base_url (RELAY_CONTEXT (object)));
  relay_welcome_page_reset (self->welcome_page);
  adw_banner_set_revealed (self->key_banner, FALSE);
  if (self->conversation == NULL)
    relay_window_new_chat (self);
}

static void
relay_window_welcome_submit_cb (RelayWindow      *self,
                                const char       *key,
                                const char       *base_url,
                                RelayWelcomePage *page)
{
  relay_welcome_page_set_busy (page, TRUE);
  relay_context_set_key_async (self->context, key, base_url, NULL,
                               relay_window_key_set_cb, g_object_ref (self));
}

static void
relay_window_change_key_action (GtkWidget  *widget,
                                const char *action_name,
                                GVariant   *parameter)
{
  RelayWindow *self = RELAY_WINDOW (widget);

  relay_welcome_page_set_base_url (self->welcome_page, relay_context_get_base_url (self->context));
  gtk_stack_set_visible_child_name (self->main_stack, "welcome");
}

static void
relay_window_search_action (GtkWidget  *widget,
                            const char *action_name,
                            GVariant   *parameter)
{
  RelayWindow *self = RELAY_WINDOW (widget);

  adw_navigation_split_view_set_show_content (self->split_view, FALSE);
  gtk_toggle_button_set_active (self->search_button, TRUE);
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

static void
relay_window_chat_settings_action (GtkWidget  *widget,
                                   const char *action_name,
                                   GVariant   *parameter)
{
  RelayWindow *self = RELAY_WINDOW (widget);

  if (self->conversation != NULL)
    adw_dialog_present (relay_chat_settings_dialog_new (self->conversation), widget);
}

static void
relay_window_rename_chat_action (GtkWidget  *widget,
                                 const char *action_name,
                                 GVariant   *parameter)
{
  RelayWindow *self = RELAY_WINDOW (widget);

  if (self->conversation != NULL)
    relay_sidebar_rename_conversation (self->sidebar, self->conversation);
}

static void
relay_window_export_chat_action (GtkWidget  *widget,
                                 const char *action_name,
                                 GVariant   *parameter)
{
  RelayWindow *self = RELAY_WINDOW (widget);
  const char *format = g_variant_get_string (parameter, NULL);

  if (self->conversation != NULL)
    relay_export_with_dialog (widget, self->conversation,
                              g_strcmp0 (format, "json") == 0 ? RELAY_EXPORT_FORMAT_JSON
                                                              : RELAY_EXPORT_FORMAT_MARKDOWN);
}

static void
relay_window_delete_chat_action (GtkWidget  *widget,
                                 const char *action_name,
                                 GVariant   *parameter)
{
  RelayWindow *self = RELAY_WINDOW (widget);
  g_autoptr(RelayConversation) conversation = NULL;

  if (self->conversation == NULL)
    return;

  /* The sidebar deletes with an Undo toast; the window moves on to a new chat. */
  conversation = g_object_ref (self->conversation);
  relay_window_new_chat (self);
  relay_sidebar_delete_conversation (self->sidebar, conversation);
}

static void
relay_window_model_picked_cb (RelayWindow      *self,
                              GParamSpec       *pspec,
                              RelayModelPicker *picker)
{
  const char *id = relay_model_picker_get_selected_model_id (picker);

  /* The chat remembers its model. */
  if (self->conversation != NULL && id != NULL &&
      g_strcmp0 (relay_conversation_get_model (self->conversation), id) != 0)
    relay_conversation_set_model (self->conversation, id);
}

static void
relay_window_pick_model_action (GtkWidget  *widget,
                                const char *action_name,
                                GVariant   *parameter)
{
  RelayWindow *self = RELAY_WINDOW (widget);

  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->main_stack), "chat") == 0)
    relay_model_picker_popup (self->model_picker);
}

static void
relay_window_update_catalog_state (RelayWindow *self)
{
  /* "Offline" once a refresh has failed, not while the first one is on its way. */
  gboolean offline = self->catalog != NULL &&
                     relay_model_catalog_get_is_offline (self->catalog) &&
                     !relay_model_catalog_get_refreshing (self->catalog);

  relay_model_picker_set_offline (self->model_picker, offline);
}

static void
relay_window_set_catalog (RelayWindow       *self,
                          RelayModelCatalog *catalog)
{
  if (self->catalog == catalog)
    return;

  if (self->catalog != NULL)
    g_signal_handlers_disconnect_by_func (self->catalog, relay_window_update_catalog_state, self);
  g_set_object (&self->catalog, catalog);
  if (catalog != NULL)
    {
      g_signal_connect_object (catalog, "notify::is-offline",
                               G_CALLBACK (relay_window_update_catalog_state), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (catalog, "notify::refreshing",
                               G_CALLBACK (relay_window_update_catalog_state), self,
                               G_CONNECT_SWAPPED);
    }
  relay_model_picker_set_models (self->model_picker, G_LIST_MODEL (catalog));
  relay_window_update_catalog_state (self);
}

static void
relay_window_context_changed_cb (RelayWindow *self)
{
  RelayConversationList *list = relay_context_get_conversations (self->context);

  if (list != NULL)
    g_object_set (self->sidebar, "conversations", list, NULL);
  relay_window_set_catalog (self, relay_context_get_catalog (self->context));
  relay_window_update_page (self);
  relay_window_update_composer (self);

  if (self->conversation == NULL && relay_context_get_loaded (self->context) &&
      relay_context_get_has_key (self->context))
    relay_window_new_chat (self);
}

static const char *example_prompts[] = {
  N_("Explain how a hash map works"),
  N_("Write a haiku about the sea"),
  N_("Plan a weekend in Lisbon"),
};

static void
relay_window_example_prompt_action (GtkWidget  *widget,
                                    const char *action_name,
                                    GVariant   *parameter)
{
  RelayWindow *self = RELAY_WINDOW (widget);
  int index = g_variant_get_int32 (parameter);

  if (index < 0 || index >= (int) G_N_ELEMENTS (example_prompts))
    return;

  relay_composer_set_text (self->composer, _(example_prompts[index]));
  relay_composer_focus (self->composer);
}

static void
relay_window_bind_settings (RelayWindow *self)
{
  GSettings *settings = relay_application_get_settings (RELAY_APPLICATION_DEFAULT);

  g_settings_bind (settings, "window-width", self, "default-width", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "window-height", self, "default-height", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "window-maximized", self, "maximized", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "send-with-enter", self->composer, "send-with-enter", G_SETTINGS_BIND_GET);
}

static void
relay_window_constructed (GObject *object)
{
  RelayWindow *self = RELAY_WINDOW (object);

  G_OBJECT_CLASS (relay_window_parent_class)->constructed (object);

  if (g_strcmp0 (PROFILE, "development") == 0)
    gtk_widget_add_css_class (GTK_WIDGET (self), "devel");

  if (!RELAY_IS_APPLICATION (g_application_get_default ()))
    return;

  relay_window_bind_settings (self);

  self->context = g_object_ref (relay_application_get_context (RELAY_APPLICATION_DEFAULT));
  g_signal_connect_object (self->context, "notify::loaded",
                           G_CALLBACK (relay_window_context_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->context, "notify::has-key",
                           G_CALLBACK (relay_window_context_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->context, "notify::online",
                           G_CALLBACK (relay_window_context_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->context, "notify::catalog",
                           G_CALLBACK (relay_window_context_changed_cb), self, G_CONNECT_SWAPPED);
  relay_welcome_page_set_base_url (self->welcome_page, relay_context_get_base_url (self->context));
  relay_window_context_changed_cb (self);
}

static void
relay_window_dispose (GObject *object)
{
  RelayWindow *self = RELAY_WINDOW (object);

  g_clear_handle_id (&self->retry_tick, g_source_remove);
  if (self->conversation != NULL)
    g_signal_handlers_disconnect_by_func (self->conversation, relay_window_items_changed_cb, self);
  g_clear_object (&self->conversation);
  g_clear_object (&self->session);
  g_clear_object (&self->session_signals);
  g_clear_object (&self->conversation_bindings);
  if (self->catalog != NULL)
    g_signal_handlers_disconnect_by_func (self->catalog, relay_window_update_catalog_state, self);
  g_clear_object (&self->catalog);
  g_clear_object (&self->context);

  gtk_widget_dispose_template (GTK_WIDGET (object), RELAY_TYPE_WINDOW);

  G_OBJECT_CLASS (relay_window_parent_class)->dispose (object);
}

static void
relay_window_class_init (RelayWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = relay_window_constructed;
  object_class->dispose = relay_window_dispose;

  g_type_ensure (RELAY_TYPE_COMPOSER);
  g_type_ensure (RELAY_TYPE_SIDEBAR);
  g_type_ensure (RELAY_TYPE_MODEL_PICKER);
  g_type_ensure (RELAY_TYPE_CONVERSATION_VIEW);
  g_type_ensure (RELAY_TYPE_WELCOME_PAGE);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/relay-window.ui");
  gtk_widget_class_bind_template_child (widget_class, RelayWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, RelayWindow, main_stack);
  gtk_widget_class_bind_template_child (widget_class, RelayWindow, welcome_page);
  gtk_widget_class_bind_template_child (widget_class, RelayWindow, split_view);
  gtk_widget_class_bind_template_child (widget_class, RelayWindow, content_page);
  gtk_widget_class_bind_template_child (widget_class, RelayWindow, sidebar);
  gtk_widget_class_bind_template_child (widget_class, RelayWindow, model_picker);
  gtk_widget_class_bind_template_child (widget_class, RelayWindow, search_entry);
  gtk_widget_class_bind_template_child (widget_class, RelayWindow, search_button);
  gtk_widget_class_bind_template_child (widget_class, RelayWindow, offline_banner);
  gtk_widget_class_bind_template_child (widget_class, RelayWindow, key_banner);
  gtk_widget_class_bind_template_child (widget_class, RelayWindow, chat_stack);
  gtk_widget_class_bind_template_child (widget_class, RelayWindow, conversation_view);
  gtk_widget_class_bind_template_child (widget_class, RelayWindow, composer);

  gtk_widget_class_bind_template_callback (widget_class, relay_window_composer_send_cb);
  gtk_widget_class_bind_template_callback (widget_class, relay_window_conversation_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, relay_window_model_picked_cb);
  gtk_widget_class_bind_template_callback (widget_class, relay_window_composer_stop_cb);
  gtk_widget_class_bind_template_callback (widget_class, relay_window_welcome_submit_cb);

  gtk_widget_class_install_action (widget_class, "win.example-prompt", "i",
                                   relay_window_example_prompt_action);
  gtk_widget_class_install_action (widget_class, "win.new-chat", NULL,
                                   relay_window_new_chat_action);
  gtk_widget_class_install_action (widget_class, "win.change-key", NULL,
                                   relay_window_change_key_action);
  gtk_widget_class_install_action (widget_class, "win.pick-model", NULL,
                                   relay_window_pick_model_action);
  gtk_widget_class_install_action (widget_class, "win.search", NULL,
                                   relay_window_search_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK,
                                       "win.search", NULL);
  gtk_widget_class_install_action (widget_class, "win.chat-settings", NULL,
                                   relay_window_chat_settings_action);
  gtk_widget_class_install_action (widget_class, "win.rename-chat", NULL,
                                   relay_window_rename_chat_action);
  gtk_widget_class_install_action (widget_class, "win.export-chat", "s",
                                   relay_window_export_chat_action);
  gtk_widget_class_install_action (widget_class, "win.delete-chat", NULL,
                                   relay_window_delete_chat_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_comma,
                                       GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "win.chat-settings", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK,
                                       "win.new-chat", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_m, GDK_CONTROL_MASK,
                                       "win.pick-model", NULL);
}

static gboolean
relay_window_title_transform (GBinding     *binding,
                              const GValue *from,
                              GValue       *to,
                              gpointer      user_data)
{
  const char *title = g_value_get_string (from);

  /* A chat is named by its first message; until then it is a new one. */
  g_value_set_string (to, title && *title ? title : _("New Chat"));
  return TRUE;
}

static void
relay_window_init (RelayWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->conversation_bindings = g_binding_group_new ();
  g_binding_group_bind_full (self->conversation_bindings, "title", self->content_page, "title",
                             G_BINDING_SYNC_CREATE, relay_window_title_transform, NULL,
                             NULL, NULL);

  self->session_signals = g_signal_group_new (RELAY_TYPE_CHAT_SESSION);
  g_signal_group_connect_swapped (self->session_signals, "notify::busy",
                                  G_CALLBACK (relay_window_update_composer), self);
  g_signal_group_connect_swapped (self->session_signals, "notify::retry-at",
                                  G_CALLBACK (relay_window_session_retry_cb), self);
  g_signal_group_connect_swapped (self->session_signals, "reply-finished",
                                  G_CALLBACK (relay_window_reply_finished_cb), self);
}
