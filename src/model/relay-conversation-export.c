/* relay-conversation-export.c: a conversation as Markdown or JSON, titles and sections.
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "relay-conversation"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "relay-conversation.h"

/* Sidebar titles are cut near here, at a word boundary. */
#define TITLE_MAX_CHARS 40

/**
 * relay_conversation_make_title:
 * @text: what the user wrote first
 *
 * Makes a title from the first line of @text that has words on it: trimmed, and when
 * longer than about 40 characters, cut at a word boundary with an ellipsis.
 *
 * Returns: (transfer full): the title, empty when @text has no words
 */
char *
relay_conversation_make_title (const char *text)
{
  g_auto(GStrv) lines = NULL;
  const char *line = "";
  GString *title;
  const char *cut;

  if (text == NULL)
    return g_strdup ("");

  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_strstrip (lines[i]);
      if (*lines[i] != '\0')
        {
          line = lines[i];
          break;
        }
    }
  if (!g_utf8_validate (line, -1, NULL))
    return g_utf8_make_valid (line, -1);
  if (g_utf8_strlen (line, -1) <= TITLE_MAX_CHARS)
    return g_strdup (line);

  /* Cut before the last space within the limit, unless that leaves too little. */
  cut = g_utf8_offset_to_pointer (line, TITLE_MAX_CHARS);
  title = g_string_new_len (line, cut - line);
  for (gssize i = (gssize) title->len - 1; i > (gssize) title->len / 2; i--)
    {
      if (g_ascii_isspace (title->str[i]))
        {
          g_string_truncate (title, i);
          break;
        }
    }
  while (title->len > 0 && (g_ascii_isspace (title->str[title->len - 1]) ||
                            g_ascii_ispunct (title->str[title->len - 1])))
    g_string_truncate (title, title->len - 1);
  g_string_append (title, "…");
  return g_string_free (title, FALSE);
}

/**
 * relay_conversation_section_for:
 * @pinned: whether the conversation is pinned
 * @updated_at: when it was last updated, in microseconds since the epoch
 * @now: the current time, in the time zone whose days count
 *
 * Returns: the sidebar section: pinned ones apart, then by the calendar day of @now's
 *   time zone on which the conversation was last updated
 */
RelayConversationSection
relay_conversation_section_for (gboolean   pinned,
                                gint64     updated_at,
                                GDateTime *now)
{
  g_autoptr(GDateTime) today = NULL;
  g_autoptr(GDateTime) yesterday = NULL;
  g_autoptr(GDateTime) week = NULL;
  gint64 today_usec;

  g_return_val_if_fail (now != NULL, RELAY_CONVERSATION_SECTION_OLDER);

  if (pinned)
    return RELAY_CONVERSATION_SECTION_PINNED;

  today = g_date_time_new (g_date_time_get_timezone (now), g_date_time_get_year (now),
                           g_date_time_get_month (now), g_date_time_get_day_of_month (now),
                           0, 0, 0);
  yesterday = g_date_time_add_days (today, -1);
  week = g_date_time_add_days (today, -7);
  today_usec = g_date_time_to_unix_usec (today);

  if (updated_at >= today_usec)
    return RELAY_CONVERSATION_SECTION_TODAY;
  if (updated_at >= g_date_time_to_unix_usec (yesterday))
    return RELAY_CONVERSATION_SECTION_YESTERDAY;
  if (updated_at >= g_date_time_to_unix_usec (week))
    return RELAY_CONVERSATION_SECTION_PREVIOUS_7_DAYS;
  return RELAY_CONVERSATION_SECTION_OLDER;
}

RelayConversationSection
relay_conversation_get_age_section (RelayConversation *self,
                                    GDateTime         *now)
{
  g_return_val_if_fail (RELAY_IS_CONVERSATION (self), RELAY_CONVERSATION_SECTION_OLDER);

  return relay_conversation_section_for (relay_conversation_get_pinned (self),
                                         relay_conversation_get_updated_at (self), now);
}

/* Markdown ------------------------------------------------------------------------------- */

static char *
format_local_time (gint64 usec)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc_usec (usec);
  g_autoptr(GDateTime) local = utc ? g_date_time_to_local (utc) : NULL;

  return local ? g_date_time_format (local, "%Y-%m-%d %H:%M") : g_strdup ("");
}

/* A fence longer than any run of backticks inside, so the text cannot close it. */
static void
append_fenced (GString    *out,
               const char *info,
               const char *text)
{
  guint longest = 0, run = 0;

  for (const char *p = text; *p; p++)
    {
      run = *p == '`' ? run + 1 : 0;
      longest = MAX (longest, run);
    }
  for (guint i = 0; i < MAX (3, longest + 1); i++)
    g_string_append_c (out, '`');
  g_string_append_printf (out, "%s\n%s\n", info, text);
  for (guint i = 0; i < MAX (3, longest + 1); i++)
    g_string_append_c (out, '`');
  g_string_append (out, "\n\n");
}

static const char *
role_label (RelayRole role)
{
  switch (role)
    {
    case RELAY_ROLE_SYSTEM: return _("System");
    case RELAY_ROLE_USER: return _("You");
    case RELAY_ROLE_ASSISTANT: return _("Assistant");
    case RELAY_ROLE_TOOL: return _("Tool");
    default: return "";
    }
}

static void
append_message_markdown (GString      *out,
                         RelayMessage *message)
{
  g_autofree char *when = format_local_time (relay_message_get_created_at (message));
  const char *model = relay_message_get_model (message);
  const char *routed = relay_message_get_routed_model (message);
  GPtrArray *calls = relay_message_get_tool_calls (message);

  g_string_append_printf (out, "**%s**", role_label (relay_message_get_role (message)));
  if (routed != NULL && model != NULL && g_strcmp0 (model, routed) != 0)
    g_string_append_printf (out, " · %s → %s", model, routed);
  else if (routed != NULL || model != NULL)
    g_string_append_printf (out, " · %s", routed ? routed : model);
  g_string_append_printf (out, " · %s\n\n", when);

  if (relay_message_get_role (message) == RELAY_ROLE_TOOL)
    append_fenced (out, "", relay_message_get_content (message));
  else if (relay_message_get_content_length (message) > 0)
    g_string_append_printf (out, "%s\n\n", relay_message_get_content (message));

  for (guint i = 0; i < calls->len; i++)
    {
      RelayToolCall *call = g_ptr_array_index (calls, i);

      g_string_append_printf (out, _("Called `%s`:"), call->name ? call->name : "");
      g_string_append (out, "\n\n");
      append_fenced (out, "json", call->arguments->str);
    }

  switch (relay_message_get_state (message))
    {
    case RELAY_MESSAGE_STATE_STOPPED:
      g_string_append_printf (out, "*%s*\n\n", _("Stopped"));
      break;
    case RELAY_MESSAGE_STATE_INTERRUPTED:
      g_string_append_printf (out, "*%s*\n\n", _("Interrupted"));
      break;
    case RELAY_MESSAGE_STATE_FAILED:
      g_string_append_printf (out, "*%s: %s*\n\n", _("Failed"),
                              relay_message_get_error_message (message) ?: "");
      break;
    case RELAY_MESSAGE_STATE_COMPLETE:
    case RELAY_MESSAGE_STATE_PENDING:
    case RELAY_MESSAGE_STATE_STREAMING:
    default:
      break;
    }
}

/**
 * relay_conversation_export_markdown:
 *
 * The messages shown (the versions chosen), as a Markdown document for people to read.
 * The conversation must be loaded.
 *
 * Returns: (transfer full): the document
 */
char *
relay_conversation_export_markdown (RelayConversation *self)
{
  GListModel *model = G_LIST_MODEL (self);
  const char *title, *system_prompt;
  GString *out;

  g_return_val_if_fail (RELAY_IS_CONVERSATION (self), NULL);
  g_return_val_if_fail (relay_conversation_get_loaded (self), NULL);

  title = relay_conversation_get_title (self);
  system_prompt = relay_chat_settings_get_system_prompt (relay_conversation_get_settings (self));
  out = g_string_new (NULL);
  g_string_append_printf (out, "# %s\n\n", title && *title ? title : _("New Chat"));
  if (system_prompt != NULL && *system_prompt != '\0')
    {
      g_auto(GStrv) lines = g_strsplit (system_prompt, "\n", -1);

      g_string_append_printf (out, "**%s**\n\n", _("System prompt"));
      for (guint i = 0; lines[i] != NULL; i++)
        g_string_append_printf (out, "> %s\n", lines[i]);
      g_string_append_c (out, '\n');
    }

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(RelayMessage) message = g_list_model_get_item (model, i);

      g_string_append (out, "---\n\n");
      append_message_markdown (out, message);
    }
  return g_string_free (out, FALSE);
}

/* JSON ------------------------------------------------------------------------------------ */

static void
add_time (JsonBuilder *builder,
          const char  *name,
          gint64       usec)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_unix_utc_usec (usec);
  g_autofree char *text = time ? g_date_time_format_iso8601 (time) : NULL;

  if (text == NULL)
    return;
  json_builder_set_member_name (builder, name);
  json_builder_add_string_value (builder, text);
}

static void
add_string (JsonBuilder *builder,
            const char  *name,
            const char  *value)
{
  if (value == NULL)
    return;
  json_builder_set_member_name (builder, name);
  json_builder_add_string_value (builder, value);
}

static void
add_int_if_known (JsonBuilder *builder,
                  const char  *name,
                  gint64       value)
{
  if (value < 0)
    return;
  json_builder_set_member_name (builder, name);
  json_builder_add_int_value (builder, value);
}

static void
add_double_if_known (JsonBuilder *builder,
                     const char  *name,
                     double       value)
{
  if (value < 0)
    return;
  json_builder_set_member_name (builder, name);
  json_builder_add_double_value (builder, value);
}

static void
add_message_json (JsonBuilder  *builder,
                  RelayMessage *message)
{
  GPtrArray *calls = relay_message_get_tool_calls (message);
  RelayFinishReason finish = relay_message_get_finish_reason (message);

  json_builder_begin_object (builder);
  add_string (builder, "role", relay_role_to_string (relay_message_get_role (message)));
  add_string (builder, "content", relay_message_get_content (message));
  add_string (builder, "state", relay_message_state_to_string (relay_message_get_state (message)));
  add_time (builder, "created_at", relay_message_get_created_at (message));
  add_string (builder, "model", relay_message_get_model (message));
  add_string (builder, "routed_model", relay_message_get_routed_model (message));
  if (finish != RELAY_FINISH_REASON_NONE)
    add_string (builder, "finish_reason", relay_finish_reason_to_string (finish));
  add_string (builder, "error", relay_message_get_error_message (message));
  add_string (builder, "tool_call_id", relay_message_get_tool_call_id (message));
  if (relay_message_get_total_tokens (message) >= 0)
    {
      json_builder_set_member_name (builder, "usage");
      json_builder_begin_object (builder);
      add_int_if_known (builder, "prompt_tokens", relay_message_get_prompt_tokens (message));
      add_int_if_known (builder, "completion_tokens", relay_message_get_completion_tokens (message));
      add_int_if_known (builder, "total_tokens", relay_message_get_total_tokens (message));
      json_builder_end_object (builder);
    }
  add_double_if_known (builder, "compute_points", relay_message_get_compute_points (message));
  add_double_if_known (builder, "cost", relay_message_get_cost (message));
  if (relay_message_get_n_versions (message) > 1)
    {
      json_builder_set_member_name (builder, "version");
      json_builder_add_int_value (builder, relay_message_get_version_index (message) + 1);
      json_builder_set_member_name (builder, "n_versions");
      json_builder_add_int_value (builder, relay_message_get_n_versions (message));
    }
  if (calls->len > 0)
    {
      json_builder_set_member_name (builder, "tool_calls");
      json_builder_begin_array (builder);
      for (guint i = 0; i < calls->len; i++)
        {
          RelayToolCall *call = g_ptr_array_index (calls, i);

          json_builder_begin_object (builder);
          add_string (builder, "id", call->id);
          add_string (builder, "type", call->type ? call->type : "function");
          add_string (builder, "name", call->name);
          add_string (builder, "arguments", call->arguments->str);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
    }
  json_builder_end_object (builder);
}

static void
add_settings_json (JsonBuilder       *builder,
                   RelayChatSettings *settings)
{
  g_autofree char *json = relay_chat_settings_to_json (settings);
  g_autoptr(JsonNode) node = json_from_string (json, NULL);

  if (node == NULL)
    return;
  json_builder_set_member_name (builder, "settings");
  json_builder_add_value (builder, g_steal_pointer (&node));
}

/**
 * relay_conversation_export_json:
 *
 * The conversation as JSON for programs: its title, times, model, settings and totals,
 * and the messages shown with their models, usage and cost. The conversation must be
 * loaded.
 *
 * Returns: (transfer full): the document
 */
char *
relay_conversation_export_json (RelayConversation *self)
{
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonGenerator) generator = NULL;
  g_autoptr(JsonNode) root = NULL;
  GListModel *model = G_LIST_MODEL (self);

  g_return_val_if_fail (RELAY_IS_CONVERSATION (self), NULL);
  g_return_val_if_fail (relay_conversation_get_loaded (self), NULL);

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  add_string (builder, "format", "relay-conversation");
  json_builder_set_member_name (builder, "format_version");
  json_builder_add_int_value (builder, 1);
  add_string (builder, "title", relay_conversation_get_title (self) ?: "");
  add_time (builder, "created_at", relay_conversation_get_created_at (self));
  add_time (builder, "updated_at", relay_conversation_get_updated_at (self));
  add_string (builder, "model", relay_conversation_get_model (self));
  json_builder_set_member_name (builder, "pinned");
  json_builder_add_boolean_value (builder, relay_conversation_get_pinned (self));
  add_settings_json (builder, relay_conversation_get_settings (self));
  json_builder_set_member_name (builder, "totals");
  json_builder_begin_object (builder);
  add_int_if_known (builder, "prompt_tokens", relay_conversation_get_prompt_tokens (self));
  add_int_if_known (builder, "completion_tokens", relay_conversation_get_completion_tokens (self));
  add_double_if_known (builder, "cost", relay_conversation_get_cost (self));
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "messages");
  json_builder_begin_array (builder);
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(RelayMessage) message = g_list_model_get_item (model, i);

      add_message_json (builder, message);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  generator = json_generator_new ();
  json_generator_set_pretty (generator, TRUE);
  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, NULL);
}
