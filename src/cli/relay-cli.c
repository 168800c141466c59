/* relay-cli.c: RouteLLM from the terminal, on Relay's model layer.
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "relay-cli"

#include "config.h"

#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include <glib-unix.h>
#include <glib/gi18n.h>

#include "relay-chat-request.h"
#include "relay-client.h"
#include "relay-error.h"
#include "relay-secrets.h"

/* Exit codes, also listed in --help. */
enum {
  EXIT_OK = 0,
  EXIT_LOCAL = 1,     /* a file to attach, a folder to save into */
  EXIT_USAGE = 2,     /* bad command line, or no API key */
  EXIT_API = 3,       /* the API refused or failed the request */
  EXIT_NETWORK = 4,   /* no connection, a timeout, a dropped connection */
  EXIT_CANCELLED = 130,
};

#define DEFAULT_IMAGE_MODEL "flux-2-pro"

typedef struct
{
  GMainLoop    *loop;
  GCancellable *cancellable;
  RelayClient  *client;
  GError       *error;
  gboolean      json;
  gboolean      streamed_text;

  /* Results */
  RelayMessage *message;
  GPtrArray    *models;
} Cli;

static const char *exit_codes_help =
  N_("Exit status:\n"
     "  0  success\n"
     "  1  a local failure: a file to attach or a folder to save images into\n"
     "  2  bad usage: unknown command or option, missing prompt, invalid value, no API key\n"
     "  3  the API refused or failed the request (an HTTP error, or an answer it cannot read)\n"
     "  4  a network failure: no connection, a timeout, a dropped connection\n"
     "\n"
     "The base URL is --base-url, else $RELAY_BASE_URL, else https://routellm.abacus.ai/v1.\n"
     "The API key is $RELAY_API_KEY, else the one Relay keeps in the keyring for the base URL.\n"
     "Messages and errors go to standard error; replies, JSON and file names to standard output.");

static int
exit_code_for (const GError *error)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return EXIT_CANCELLED;
  if (error->domain == G_OPTION_ERROR)
    return EXIT_USAGE;
  if (error->domain != RELAY_ERROR)
    return EXIT_LOCAL;

  switch ((RelayError) error->code)
    {
    case RELAY_ERROR_NETWORK:
    case RELAY_ERROR_TIMEOUT:
      return EXIT_NETWORK;
    case RELAY_ERROR_INVALID_ARGUMENT:
      return EXIT_USAGE;
    case RELAY_ERROR_CANCELLED:
      return EXIT_CANCELLED;
    case RELAY_ERROR_UNAUTHORIZED:
    case RELAY_ERROR_FORBIDDEN:
    case RELAY_ERROR_NOT_FOUND:
    case RELAY_ERROR_BAD_REQUEST:
    case RELAY_ERROR_RATE_LIMITED:
    case RELAY_ERROR_SERVER:
    case RELAY_ERROR_INVALID_RESPONSE:
    case RELAY_ERROR_UNSUPPORTED:
    case RELAY_ERROR_TOO_LARGE:
    case RELAY_ERROR_QUOTA:
    default:
      return EXIT_API;
    }
}

static int
fail (const GError *error)
{
  if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_printerr ("relay-cli: %s\n", error->message);
  return exit_code_for (error);
}

static int
usage_error (GOptionContext *context,
             const char     *message)
{
  g_printerr ("relay-cli: %s\n", message);
  if (context != NULL)
    {
      g_autofree char *help = g_option_context_get_help (context, TRUE, NULL);
      g_printerr ("\n%s", help);
    }
  return EXIT_USAGE;
}

static gboolean
interrupted_cb (gpointer user_data)
{
  Cli *cli = user_data;

  /* Ctrl+C stops the reply; what arrived stays on the screen. */
  g_cancellable_cancel (cli->cancellable);
  return G_SOURCE_CONTINUE;
}

static void
retry_scheduled_cb (RelayClient  *client,
                    RelayMessage *message,
                    guint         attempt,
                    guint         max_attempts,
                    double        delay,
                    const GError *error,
                    Cli          *cli)
{
  g_printerr (_("relay-cli: %s; trying again in %.0f s (attempt %u of %u)\n"),
              error->message, delay, attempt, max_attempts);
}

/* ---------------------------------------------------------------------------------- */
/* Setting up the client                                                              */

typedef struct
{
  char *base_url;
  int   max_attempts;
} GlobalOptions;

static void
global_options_clear (GlobalOptions *global)
{
  g_clear_pointer (&global->base_url, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (GlobalOptions, global_options_clear)

static void
add_global_options (GOptionContext *context,
                    GlobalOptions  *global)
{
  GOptionEntry entries[] = {
    { "base-url", 'b', 0, G_OPTION_ARG_STRING, &global->base_url,
      N_("The API's base URL (default: $RELAY_BASE_URL or https://routellm.abacus.ai/v1)"), N_("URL") },
    { "max-attempts", 0, 0, G_OPTION_ARG_INT, &global->max_attempts,
      N_("Send a request at most N times when it fails before an answer (default: 3)"), N_("N") },
    { NULL }
  };

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
}

static void
key_lookup_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  Cli *cli = user_data;
  g_autoptr(RelaySecretsKey) key = NULL;

  key = relay_secrets_lookup_finish (RELAY_SECRETS (object), result, &cli->error);
  if (key != NULL)
    relay_client_set_api_key (cli->client, key);
  else if (cli->error == NULL)
    g_set_error (&cli->error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                 _("No API key: set RELAY_API_KEY, or save a key for %s in Relay’s preferences"),
                 relay_client_get_base_url (cli->client));
  g_main_loop_quit (cli->loop);
}

static gboolean
setup_client (Cli            *cli,
              GlobalOptions  *global,
              GError        **error)
{
  const char *base_url = global->base_url;
  const char *key = g_getenv ("RELAY_API_KEY");
  g_autoptr(RelaySecrets) secrets = NULL;

  if (base_url == NULL)
    base_url = g_getenv ("RELAY_BASE_URL");
  if (base_url != NULL && !relay_client_set_base_url (cli->client, base_url, error))
    return FALSE;
  if (global->max_attempts != 0)
    {
      if (global->max_attempts < 1 || global->max_attempts > 10)
        {
          g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                               _("--max-attempts must be between 1 and 10"));
          return FALSE;
        }
      relay_client_set_max_attempts (cli->client, global->max_attempts);
    }

  g_signal_connect (cli->client, "retry-scheduled", G_CALLBACK (retry_scheduled_cb), cli);

  if (key != NULL && key[0] != '\0')
    {
      relay_client_set_api_key (cli->client, key);
      return TRUE;
    }

  /* No key in the environment: the one Relay stored for this base URL. */
  secrets = relay_secrets_new ();
  relay_secrets_lookup_async (secrets, relay_client_get_base_url (cli->client), cli->cancellable,
                              key_lookup_cb, cli);
  g_main_loop_run (cli->loop);
  if (g_error_matches (cli->error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED))
    {
      g_propagate_error (error, g_steal_pointer (&cli->error));
      return FALSE;
    }
  if (cli->error != NULL)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                   _("No API key: set RELAY_API_KEY (the keyring could not be read: %s)"),
                   cli->error->message);
      g_clear_error (&cli->error);
      return FALSE;
    }
  return TRUE;
}

/* ---------------------------------------------------------------------------------- */
/* models                                                                             */

static void
models_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  Cli *cli = user_data;

  cli->models = relay_client_list_models_finish (RELAY_CLIENT (object), result, &cli->error);
  g_main_loop_quit (cli->loop);
}

static const struct {
  RelayModelCapabilities capability;
  const char *name;
} capability_names[] = {
  { RELAY_MODEL_CAPABILITY_IMAGE_INPUT, "vision" },
  { RELAY_MODEL_CAPABILITY_PDF_INPUT, "pdf" },
  { RELAY_MODEL_CAPABILITY_TOOLS, "tools" },
  { RELAY_MODEL_CAPABILITY_JSON_MODE, "json" },
  { RELAY_MODEL_CAPABILITY_IMAGE_GENERATION, "images" },
};

static char *
capabilities_text (RelayModelInfo *info)
{
  g_autoptr(GStrvBuilder) names = g_strv_builder_new ();
  g_auto(GStrv) list = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (capability_names); i++)
    if (relay_model_info_has_capability (info, capability_names[i].capability))
      g_strv_builder_add (names, capability_names[i].name);
  list = g_strv_builder_end (names);
  return g_strjoinv (", ", list);
}

static void
print_models_json (GPtrArray *models)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;

  json_builder_begin_array (builder);
  for (guint i = 0; i < models->len; i++)
    {
      RelayModelInfo *info = g_ptr_array_index (models, i);
      double input, output;

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "id");
      json_builder_add_string_value (builder, relay_model_info_get_id (info));
      json_builder_set_member_name (builder, "name");
      json_builder_add_string_value (builder, relay_model_info_get_display_name (info));
      json_builder_set_member_name (builder, "capabilities");
      json_builder_begin_array (builder);
      for (guint c = 0; c < G_N_ELEMENTS (capability_names); c++)
        if (relay_model_info_has_capability (info, capability_names[c].capability))
          json_builder_add_string_value (builder, capability_names[c].name);
      json_builder_end_array (builder);
      /* Only prices whose unit is known. */
      if (relay_model_info_get_prices_per_million (info, &input, &output))
        {
          json_builder_set_member_name (builder, "usd_per_million_input_tokens");
          json_builder_add_double_value (builder, input);
          json_builder_set_member_name (builder, "usd_per_million_output_tokens");
          json_builder_add_double_value (builder, output);
        }
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  text = json_generator_to_data (generator, NULL);
  g_print ("%s\n", text);
}

static void
print_models_table (GPtrArray *models)
{
  /* TRANSLATORS: column headings of "relay-cli models"; prices are per million tokens */
  g_print ("%-28s %-24s %10s %10s  %s\n", _("MODEL"), _("NAME"), _("IN $/1M"), _("OUT $/1M"),
           _("CAPABILITIES"));
  for (guint i = 0; i < models->len; i++)
    {
      RelayModelInfo *info = g_ptr_array_index (models, i);
      g_autofree char *capabilities = capabilities_text (info);
      g_autofree char *input_text = NULL;
      g_autofree char *output_text = NULL;
      double input, output;

      if (relay_model_info_get_prices_per_million (info, &input, &output))
        {
          input_text = isnan (input) ? g_strdup ("–") : g_strdup_printf ("%.2f", input);
          output_text = isnan (output) ? g_strdup ("–") : g_strdup_printf ("%.2f", output);
        }
      else
        {
          input_text = g_strdup ("?");
          output_text = g_strdup ("?");
        }
      g_print ("%-28s %-24s %10s %10s  %s\n", relay_model_info_get_id (info),
               relay_model_info_get_display_name (info), input_text, output_text, capabilities);
    }
}

static int
command_models (Cli   *cli,
                int    argc,
                char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) bundled = NULL;
  g_autoptr(GPtrArray) merged = NULL;
  g_auto(GlobalOptions) global = { NULL };
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    { "json", 'j', 0, G_OPTION_ARG_NONE, &json, N_("Print the list as JSON"), NULL },
    { NULL }
  };

  g_option_context_set_summary (context, _("Lists the models the server offers, with their prices per "
                                           "million tokens (“?” where the server's unit is unknown)."));
  g_option_context_set_description (context, _(exit_codes_help));
  add_global_options (context, &global);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return usage_error (context, error->message);
  if (argc > 1)
    return usage_error (context, _("“models” takes no arguments"));

  if (!setup_client (cli, &global, &error))
    return fail (error);

  relay_client_list_models_async (cli->client, cli->cancellable, models_cb, cli);
  g_main_loop_run (cli->loop);
  if (cli->error != NULL)
    return fail (cli->error);

  /* What the server says, with what Relay knows of each model's capabilities. */
  bundled = relay_model_info_get_bundled ();
  merged = relay_model_info_merge_lists (bundled, cli->models);
  if (json)
    print_models_json (merged);
  else
    print_models_table (merged);
  return EXIT_OK;
}

/* ---------------------------------------------------------------------------------- */
/* chat                                                                               */

static void
print_message_json (RelayMessage *message)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;
  GPtrArray *calls = relay_message_get_tool_calls (message);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "content");
  json_builder_add_string_value (builder, relay_message_get_content (message));
  json_builder_set_member_name (builder, "tool_calls");
  json_builder_begin_array (builder);
  for (guint i = 0; i < calls->len; i++)
    {
      RelayToolCall *call = g_ptr_array_index (calls, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "id");
      json_builder_add_string_value (builder, call->id);
      json_builder_set_member_name (builder, "type");
      json_builder_add_string_value (builder, call->type != NULL ? call->type : "function");
      json_builder_set_member_name (builder, "function");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "name");
      json_builder_add_string_value (builder, call->name);
      json_builder_set_member_name (builder, "arguments");
      json_builder_add_string_value (builder, call->arguments->str);
      json_builder_end_object (builder);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "model");
  json_builder_add_string_value (builder, relay_message_get_model (message));
  json_builder_set_member_name (builder, "routed_model");
  json_builder_add_string_value (builder, relay_message_get_routed_model (message));
  json_builder_set_member_name (builder, "finish_reason");
  if (relay_message_get_finish_reason (message) != RELAY_FINISH_REASON_NONE)
    json_builder_add_string_value (builder, relay_finish_reason_to_string (relay_message_get_finish_reason (message)));
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "usage");
  json_builder_begin_object (builder);
  if (relay_message_get_total_tokens (message) >= 0)
    {
      json_builder_set_member_name (builder, "prompt_tokens");
      json_builder_add_int_value (builder, relay_message_get_prompt_tokens (message));
      json_builder_set_member_name (builder, "completion_tokens");
      json_builder_add_int_value (builder, relay_message_get_completion_tokens (message));
      json_builder_set_member_name (builder, "total_tokens");
      json_builder_add_int_value (builder, relay_message_get_total_tokens (message));
    }
  if (relay_message_get_compute_points (message) >= 0)
    {
      json_builder_set_member_name (builder, "compute_points_used");
      json_builder_add_double_value (builder, relay_message_get_compute_points (message));
    }
  json_builder_end_object (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  text = json_generator_to_data (generator, NULL);
  g_print ("%s\n", text);
}

static void
print_message_text (Cli          *cli,
                    RelayMessage *message)
{
  const char *content = relay_message_get_content (message);
  gsize length = relay_message_get_content_length (message);
  GPtrArray *calls = relay_message_get_tool_calls (message);

  if (!cli->streamed_text)
    fwrite (content, 1, length, stdout);
  if (length > 0 && content[length - 1] != '\n')
    fputc ('\n', stdout);

  for (guint i = 0; i < calls->len; i++)
    {
      RelayToolCall *call = g_ptr_array_index (calls, i);

      /* TRANSLATORS: a tool call the model asked for: its name and JSON arguments */
      g_print (_("Tool call %s: %s(%s)\n"), call->id != NULL ? call->id : "?", call->name, call->arguments->str);
    }
  fflush (stdout);
}

static void
delta_cb (RelayMessage *message,
          const char   *text,
          guint         length,
          Cli          *cli)
{
  fwrite (text, 1, length, stdout);
  fflush (stdout);
  cli->streamed_text = TRUE;
}

static void
complete_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  Cli *cli = user_data;

  cli->message = relay_client_complete_finish (RELAY_CLIENT (object), result, &cli->error);
  g_main_loop_quit (cli->loop);
}

static void
stream_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  Cli *cli = user_data;

  relay_client_stream_finish (RELAY_CLIENT (object), result, &cli->error);
  g_main_loop_quit (cli->loop);
}

static char *
read_prompt (int     argc,
             char  **argv,
             GError **error)
{
  g_autoptr(GString) prompt = g_string_new (NULL);

  if (argc == 2 && g_str_equal (argv[1], "-"))
    {
      char buffer[4096];
      gsize n;

      while ((n = fread (buffer, 1, sizeof buffer, stdin)) > 0)
        g_string_append_len (prompt, buffer, n);
    }
  else
    {
      for (int i = 1; i < argc; i++)
        g_string_append_printf (prompt, "%s%s", i > 1 ? " " : "", argv[i]);
    }

  if (prompt->len == 0 || !g_utf8_validate (prompt->str, prompt->len, NULL))
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                           _("Give a prompt (or “-” to read it from standard input)"));
      return NULL;
    }
  return g_string_free (g_steal_pointer (&prompt), FALSE);
}

static gboolean
add_tools (RelayChatRequest  *request,
           char             **tools,
           GError           **error)
{
  for (guint i = 0; tools != NULL && tools[i] != NULL; i++)
    {
      g_auto(GStrv) parts = g_strsplit (tools[i], "=", 2);
      const char *parameters = parts[1] != NULL ? parts[1] : "{\"type\":\"object\",\"properties\":{}}";

      if (!relay_chat_request_add_tool_json (request, parts[0], NULL, parameters, error))
        {
          g_prefix_error (error, "--tool %s: ", parts[0]);
          return FALSE;
        }
    }
  return TRUE;
}

static int
command_chat (Cli   *cli,
              int    argc,
              char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_("PROMPT"));
  g_autoptr(GError) error = NULL;
  g_autoptr(RelayChatRequest) request = NULL;
  g_autoptr(RelayMessage) user = NULL;
  g_autofree char *prompt = NULL;
  g_autofree char *model = NULL;
  g_autofree char *system = NULL;
  g_auto(GStrv) attachments = NULL;
  g_auto(GStrv) tools = NULL;
  g_auto(GlobalOptions) global = { NULL };
  gboolean stream = FALSE;
  gboolean json_mode = FALSE;
  double temperature = NAN;
  int max_tokens = 0;
  GOptionEntry entries[] = {
    { "model", 'm', 0, G_OPTION_ARG_STRING, &model, N_("The model (default: route-llm)"), N_("MODEL") },
    { "stream", 's', 0, G_OPTION_ARG_NONE, &stream, N_("Print the reply as it arrives"), NULL },
    { "json", 'j', 0, G_OPTION_ARG_NONE, &cli->json,
      N_("Print the reply as JSON: content, tool calls, routed model, finish reason, usage"), NULL },
    { "system", 0, 0, G_OPTION_ARG_STRING, &system, N_("A system message"), N_("TEXT") },
    { "temperature", 't', 0, G_OPTION_ARG_DOUBLE, &temperature, N_("Sampling temperature, 0 to 2"), N_("T") },
    { "max-tokens", 0, 0, G_OPTION_ARG_INT, &max_tokens, N_("The most tokens to generate"), N_("N") },
    { "attach", 'a', 0, G_OPTION_ARG_FILENAME_ARRAY, &attachments,
      N_("An image (PNG, JPEG, WebP, GIF) or PDF to send with the prompt; repeatable"), N_("FILE") },
    { "tool", 0, 0, G_OPTION_ARG_STRING_ARRAY, &tools,
      N_("Offer a function the model may call, with its JSON Schema parameters; repeatable"),
      N_("NAME[=SCHEMA]") },
    { "json-mode", 0, 0, G_OPTION_ARG_NONE, &json_mode, N_("Ask for a JSON object as the reply"), NULL },
    { NULL }
  };

  g_option_context_set_summary (context, _("Sends PROMPT (or standard input, for “-”) and prints the reply.\n"
                                           "\n"
                                           "  relay-cli chat --stream \"Explain quantum computing simply\"\n"
                                           "  relay-cli chat --attach photo.jpg \"What is in this picture?\"\n"
                                           "  relay-cli chat --json --tool 'get_weather={\"type\":\"object\","
                                           "\"properties\":{\"city\":{\"type\":\"string\"}}}' \"Weather in Oslo?\""));
  g_option_context_set_description (context, _(exit_codes_help));
  add_global_options (context, &global);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return usage_error (context, error->message);
  if ((prompt = read_prompt (argc, argv, &error)) == NULL)
    return usage_error (context, error->message);

  request = relay_chat_request_new (model != NULL ? model : RELAY_DEFAULT_MODEL);
  if (system != NULL)
    {
      g_autoptr(RelayMessage) system_message = relay_message_new (RELAY_ROLE_SYSTEM, system);
      relay_chat_request_add_message (request, system_message);
    }
  user = relay_message_new (RELAY_ROLE_USER, prompt);
  for (guint i = 0; attachments != NULL && attachments[i] != NULL; i++)
    {
      g_autoptr(GFile) file = g_file_new_for_commandline_arg (attachments[i]);
      g_autoptr(RelayAttachment) attachment = relay_attachment_new_for_file (file, NULL, &error);

      if (attachment == NULL)
        {
          g_prefix_error (&error, "%s: ", attachments[i]);
          return fail (error);
        }
      relay_message_add_attachment (user, attachment);
    }
  relay_chat_request_add_message (request, user);
  if (!isnan (temperature))
    relay_chat_request_set_temperature (request, temperature);
  if (max_tokens != 0)
    relay_chat_request_set_max_tokens (request, max_tokens);
  if (json_mode)
    relay_chat_request_set_response_format (request, RELAY_RESPONSE_FORMAT_JSON_OBJECT);
  if (!add_tools (request, tools, &error))
    return usage_error (NULL, error->message);

  /* Refused here, a wrong value is a usage error rather than the server's 400. */
  {
    g_autoptr(RelayModelInfo) info = relay_model_info_lookup_bundled (relay_chat_request_get_model (request));

    if (!relay_chat_request_validate (request, info, &error))
      return usage_error (NULL, error->message);
  }

  if (!setup_client (cli, &global, &error))
    return fail (error);

  if (stream)
    {
      cli->message = relay_message_new (RELAY_ROLE_ASSISTANT, NULL);
      if (!cli->json)
        g_signal_connect (cli->message, "delta", G_CALLBACK (delta_cb), cli);
      relay_client_stream_async (cli->client, request, cli->message, cli->cancellable, stream_cb, cli);
    }
  else
    {
      relay_client_complete_async (cli->client, request, cli->cancellable, complete_cb, cli);
    }
  g_main_loop_run (cli->loop);

  if (cli->message != NULL && !cli->json)
    print_message_text (cli, cli->message);
  if (cli->error != NULL)
    return fail (cli->error);
  if (cli->json)
    print_message_json (cli->message);
  return EXIT_OK;
}

/* ---------------------------------------------------------------------------------- */
/* image                                                                              */

static const char *
extension_for (const char *mime_type)
{
  if (g_strcmp0 (mime_type, "image/jpeg") == 0)
    return "jpg";
  if (g_strcmp0 (mime_type, "image/webp") == 0)
    return "webp";
  if (g_strcmp0 (mime_type, "image/gif") == 0)
    return "gif";
  return "png";
}

static gboolean
save_images (RelayMessage  *message,
             const char    *directory,
             GError       **error)
{
  GPtrArray *images = relay_message_get_attachments (message);
  g_autoptr(GFile) folder = g_file_new_for_commandline_arg (directory);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *stamp = g_date_time_format (now, "%Y%m%d-%H%M%S");

  if (!g_file_make_directory_with_parents (folder, NULL, error))
    {
      if (!g_error_matches (*error, G_IO_ERROR, G_IO_ERROR_EXISTS))
        return FALSE;
      g_clear_error (error);
    }

  for (guint i = 0; i < images->len; i++)
    {
      RelayAttachment *image = g_ptr_array_index (images, i);
      GBytes *bytes = relay_attachment_get_bytes (image);
      g_autofree char *name = NULL;
      g_autoptr(GFile) file = NULL;
      g_autoptr(GFileOutputStream) out = NULL;

      if (bytes == NULL)
        continue;

      /* Never overwrite: a second run in the same second gets new names. */
      for (guint n = 0; out == NULL; n++)
        {
          g_clear_object (&file);
          g_free (name);
          name = n == 0 ? g_strdup_printf ("relay-%s-%u.%s", stamp, i + 1, extension_for (relay_attachment_get_mime_type (image)))
                        : g_strdup_printf ("relay-%s-%u-%u.%s", stamp, i + 1, n, extension_for (relay_attachment_get_mime_type (image)));
          file = g_file_get_child (folder, name);
          out = g_file_create (file, G_FILE_CREATE_NONE, NULL, error);
          if (out == NULL && !g_error_matches (*error, G_IO_ERROR, G_IO_ERROR_EXISTS))
            return FALSE;
          g_clear_error (error);
        }

      if (!g_output_stream_write_all (G_OUTPUT_STREAM (out), g_bytes_get_data (bytes, NULL),
                                      g_bytes_get_size (bytes), NULL, NULL, error) ||
          !g_output_stream_close (G_OUTPUT_STREAM (out), NULL, error))
        return FALSE;
      g_print ("%s\n", g_file_peek_path (file));
    }
  return TRUE;
}

static int
command_image (Cli   *cli,
               int    argc,
               char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_("PROMPT"));
  g_autoptr(GError) error = NULL;
  g_autoptr(RelayChatRequest) request = NULL;
  g_autoptr(RelayMessage) user = NULL;
  g_autoptr(RelayModelInfo) info = NULL;
  g_autofree char *prompt = NULL;
  g_autofree char *model = NULL;
  g_autofree char *aspect_ratio = NULL;
  g_autofree char *out = NULL;
  g_auto(GlobalOptions) global = { NULL };
  int count = 1;
  GOptionEntry entries[] = {
    { "model", 'm', 0, G_OPTION_ARG_STRING, &model, N_("The image model (default: flux-2-pro)"), N_("MODEL") },
    { "count", 'n', 0, G_OPTION_ARG_INT, &count, N_("How many images, 1 to 4 (default: 1)"), N_("N") },
    { "aspect-ratio", 'r', 0, G_OPTION_ARG_STRING, &aspect_ratio, N_("Such as 1:1, 16:9, 9:16"), N_("W:H") },
    { "out", 'o', 0, G_OPTION_ARG_FILENAME, &out, N_("The folder to save the images in (default: .)"), N_("DIR") },
    { NULL }
  };

  g_option_context_set_summary (context, _("Generates images from PROMPT, saves them and prints their file names.\n"
                                           "\n"
                                           "  relay-cli image --count 2 --aspect-ratio 16:9 --out ~/Pictures "
                                           "\"A lighthouse at dusk\""));
  g_option_context_set_description (context, _(exit_codes_help));
  add_global_options (context, &global);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return usage_error (context, error->message);
  if ((prompt = read_prompt (argc, argv, &error)) == NULL)
    return usage_error (context, error->message);
  if (count < 1 || count > RELAY_MAX_IMAGES)
    return usage_error (context, _("--count must be between 1 and 4"));

  request = relay_chat_request_new (model != NULL ? model : DEFAULT_IMAGE_MODEL);
  user = relay_message_new (RELAY_ROLE_USER, prompt);
  relay_chat_request_add_message (request, user);
  relay_chat_request_set_modality (request, RELAY_MODALITY_IMAGE);
  relay_chat_request_set_num_images (request, count);
  if (aspect_ratio != NULL)
    relay_chat_request_set_aspect_ratio (request, aspect_ratio);

  info = relay_model_info_lookup_bundled (relay_chat_request_get_model (request));
  if (!relay_chat_request_validate (request, info, &error))
    return usage_error (NULL, error->message);

  if (!setup_client (cli, &global, &error))
    return fail (error);

  relay_client_complete_async (cli->client, request, cli->cancellable, complete_cb, cli);
  g_main_loop_run (cli->loop);
  if (cli->error != NULL)
    return fail (cli->error);

  if (relay_message_get_attachments (cli->message)->len == 0)
    {
      g_printerr (_("relay-cli: the server answered without an image: %s\n"), relay_message_get_content (cli->message));
      return EXIT_API;
    }
  if (!save_images (cli->message, out != NULL ? out : ".", &error))
    return fail (error);
  return EXIT_OK;
}

/* ---------------------------------------------------------------------------------- */

static int
print_help (FILE *stream)
{
  fprintf (stream, "%s\n\n%s\n\n%s\n",
           _("Usage:\n"
             "  relay-cli COMMAND [OPTION…]\n"
             "\n"
             "RouteLLM from the terminal.\n"
             "\n"
             "Commands:\n"
             "  models   List the models, their prices and capabilities\n"
             "  chat     Send a prompt and print the reply\n"
             "  image    Generate images and save them\n"
             "\n"
             "“relay-cli COMMAND --help” describes each command’s options."),
           _(exit_codes_help),
           "Relay " PACKAGE_VERSION);
  return stream == stdout ? EXIT_OK : EXIT_USAGE;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GMainLoop) loop = NULL;
  g_autoptr(GCancellable) cancellable = NULL;
  g_autoptr(RelayClient) client = NULL;
  Cli cli = { NULL };
  const char *command;
  int status;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  if (argc < 2)
    return print_help (stderr);
  command = argv[1];
  if (g_str_equal (command, "--help") || g_str_equal (command, "-h") || g_str_equal (command, "help"))
    return print_help (stdout);
  if (g_str_equal (command, "--version"))
    {
      g_print ("relay-cli %s\n", PACKAGE_VERSION);
      return EXIT_OK;
    }

  loop = g_main_loop_new (NULL, FALSE);
  cancellable = g_cancellable_new ();
  client = relay_client_new ();
  cli.loop = loop;
  cli.cancellable = cancellable;
  cli.client = client;
  g_unix_signal_add (SIGINT, interrupted_cb, &cli);

  /* Each command parses its own options, with the command name as argv[0]; the usage
   * line says "relay-cli COMMAND". */
  {
    g_autofree char *prgname = g_strdup_printf ("relay-cli %s", command);
    g_set_prgname (prgname);
  }
  if (g_str_equal (command, "models"))
    status = command_models (&cli, argc - 1, argv + 1);
  else if (g_str_equal (command, "chat"))
    status = command_chat (&cli, argc - 1, argv + 1);
  else if (g_str_equal (command, "image"))
    status = command_image (&cli, argc - 1, argv + 1);
  else
    {
      g_printerr (_("relay-cli: unknown command “%s”\n\n"), command);
      status = print_help (stderr);
    }

  g_clear_object (&cli.message);
  g_clear_pointer (&cli.models, g_ptr_array_unref);
  g_clear_error (&cli.error);
  return status;
}
