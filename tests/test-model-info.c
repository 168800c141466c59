/* test-model-info.c: model lists in both shapes, the bundled capability table, merging.
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>
#include <string.h>

#include "relay-error.h"
#include "relay-model-info.h"

static RelayModelInfo *
find (GPtrArray  *models,
      const char *id)
{
  for (guint i = 0; i < models->len; i++)
    if (g_strcmp0 (relay_model_info_get_id (g_ptr_array_index (models, i)), id) == 0)
      return g_ptr_array_index (models, i);
  return NULL;
}

static void
assert_strv (const char * const *actual,
             const char         *expected)
{
  g_autofree char *joined = actual != NULL ? g_strjoinv (", ", (char **) actual) : NULL;

  g_assert_cmpstr (joined, ==, expected);
}

/* The reference's per-model image table, row by row. */
static void
test_bundled_image_models (void)
{
  static const struct {
    const char      *id;
    RelayImageParams params;
    const char      *ratios;
  } table[] = {
    { "flux-2-pro", RELAY_IMAGE_PARAM_NUM_IMAGES | RELAY_IMAGE_PARAM_ASPECT_RATIO, "1:1, 3:4, 4:3, 16:9, 9:16" },
    { "flux-kontext", RELAY_IMAGE_PARAM_NUM_IMAGES | RELAY_IMAGE_PARAM_ASPECT_RATIO,
      "1:1, 2:3, 3:2, 3:4, 4:3, 16:9, 9:16, 9:21, 21:9" },
    { "dall-e", 0x1f, "1:1, 2:3, 3:2, 16:9, 9:16" },
    { "ideogram", RELAY_IMAGE_PARAM_NUM_IMAGES | RELAY_IMAGE_PARAM_ASPECT_RATIO,
      "1:1, 2:3, 3:2, 3:4, 4:3, 16:9, 9:16, 10:16, 16:10" },
    { "recraft", RELAY_IMAGE_PARAM_NUM_IMAGES | RELAY_IMAGE_PARAM_IMAGE_SIZE, NULL },
    { "imagen", RELAY_IMAGE_PARAM_NUM_IMAGES | RELAY_IMAGE_PARAM_ASPECT_RATIO, "1:1, 3:4, 4:3, 16:9, 9:16" },
    { "nano-banana-pro", RELAY_IMAGE_PARAM_NUM_IMAGES | RELAY_IMAGE_PARAM_ASPECT_RATIO,
      "1:1, 2:3, 3:2, 3:4, 4:3, 16:9, 9:16, 21:9" },
    { "seedream", RELAY_IMAGE_PARAM_NUM_IMAGES | RELAY_IMAGE_PARAM_ASPECT_RATIO, "1:1, 4:3, 3:4, 16:9, 9:16" },
  };
  g_autoptr(GPtrArray) bundled = relay_model_info_get_bundled ();

  for (guint i = 0; i < G_N_ELEMENTS (table); i++)
    {
      RelayModelInfo *info = find (bundled, table[i].id);

      g_assert_nonnull (info);
      g_assert_cmpint (relay_model_info_get_kind (info), ==, RELAY_MODEL_KIND_IMAGE);
      g_assert_true (relay_model_info_has_capability (info, RELAY_MODEL_CAPABILITY_IMAGE_GENERATION));
      g_assert_true (relay_model_info_lacks_capability (info, RELAY_MODEL_CAPABILITY_TOOLS));
      g_assert_cmphex (relay_model_info_get_image_params (info), ==, table[i].params);
      assert_strv (relay_model_info_get_aspect_ratios (info), table[i].ratios);
      g_assert_cmpuint (relay_model_info_get_max_images (info), ==, 4);
      g_assert_nonnull (relay_model_info_get_vendor (info));
    }
  assert_strv (relay_model_info_get_image_sizes (find (bundled, "recraft")),
               "1024x1024, 1024x2048, 2048x1024, 1024x1365, 1365x1024");
}

static void
test_bundled_text_models (void)
{
  g_autoptr(GPtrArray) bundled = relay_model_info_get_bundled ();
  RelayModelInfo *route = g_ptr_array_index (bundled, 0);
  const char *generators[] = { "gpt-5.2", "gpt-5.1", "gpt-5", "gpt-4o", "gemini-2.5-pro",
                               "gemini-2.5-flash", "gemini-3-pro", "gemini-3-flash" };

  /* Every model the reference lists, and route-llm first as the recommended one. */
  g_assert_cmpuint (bundled->len, ==, 1 + 11 + 4 + 4 + 3 + 3 + 3 + 4 + 8);
  g_assert_cmpstr (relay_model_info_get_id (route), ==, "route-llm");
  g_assert_cmpint (relay_model_info_get_kind (route), ==, RELAY_MODEL_KIND_ROUTER);
  g_assert_true (relay_model_info_get_recommended (route));
  g_assert_true (relay_model_info_has_capability (route, RELAY_MODEL_CAPABILITY_IMAGE_INPUT));
  for (guint i = 1; i < bundled->len; i++)
    g_assert_false (relay_model_info_get_recommended (g_ptr_array_index (bundled, i)));

  for (guint i = 0; i < G_N_ELEMENTS (generators); i++)
    {
      RelayModelInfo *info = find (bundled, generators[i]);

      g_assert_nonnull (info);
      g_assert_cmpint (relay_model_info_get_kind (info), ==, RELAY_MODEL_KIND_TEXT);
      g_assert_true (relay_model_info_has_capability (info, RELAY_MODEL_CAPABILITY_IMAGE_GENERATION |
                                                            RELAY_MODEL_CAPABILITY_IMAGE_INPUT |
                                                            RELAY_MODEL_CAPABILITY_PDF_INPUT |
                                                            RELAY_MODEL_CAPABILITY_TOOLS));
      g_assert_cmphex (relay_model_info_get_image_params (info), ==, 0x1f);
    }
  assert_strv (relay_model_info_get_aspect_ratios (find (bundled, "gpt-5.2")), "1:1, 2:3, 3:2");
  assert_strv (relay_model_info_get_aspect_ratios (find (bundled, "gemini-3-pro")),
               "1:1, 2:3, 3:2, 3:4, 4:3, 16:9, 9:16");

  g_assert_true (relay_model_info_lacks_capability (find (bundled, "claude-4-5-opus"),
                                                    RELAY_MODEL_CAPABILITY_IMAGE_GENERATION));
  g_assert_true (relay_model_info_has_capability (find (bundled, "claude-4-5-opus"),
                                                  RELAY_MODEL_CAPABILITY_PDF_INPUT));
  g_assert_true (relay_model_info_lacks_capability (find (bundled, "deepseek-R1"),
                                                    RELAY_MODEL_CAPABILITY_IMAGE_INPUT));
  /* What the reference does not say stays unknown. */
  g_assert_false (relay_model_info_lacks_capability (find (bundled, "deepseek-R1"),
                                                     RELAY_MODEL_CAPABILITY_TOOLS));
  g_assert_false (relay_model_info_has_capability (find (bundled, "deepseek-R1"),
                                                   RELAY_MODEL_CAPABILITY_TOOLS));
  g_assert_cmpstr (relay_model_info_get_vendor (find (bundled, "qwq-32B")), ==, "Alibaba Qwen");
  g_assert_cmpint (relay_model_info_get_price_unit (route), ==, RELAY_PRICE_UNIT_UNKNOWN);
}

static void
test_bundled_lookup (void)
{
  g_autoptr(RelayModelInfo) dalle = relay_model_info_lookup_bundled ("dalle");
  g_autoptr(RelayModelInfo) maverick = relay_model_info_lookup_bundled ("LLAMA-4-maverick-17b");
  g_autoptr(RelayModelInfo) sonnet = relay_model_info_lookup_bundled ("claude-sonnet-4-5-20250929");
  g_autoptr(RelayModelInfo) none = relay_model_info_lookup_bundled ("no-such-model");
  g_autoptr(RelayModelInfo) again = NULL;

  g_assert_cmpstr (relay_model_info_get_id (dalle), ==, "dall-e");
  g_assert_cmpstr (relay_model_info_get_id (maverick), ==, "llama-4-Maverick-17B");
  g_assert_cmpstr (relay_model_info_get_display_name (sonnet), ==, "Claude 4.5 Sonnet");
  g_assert_null (none);

  /* Copies: changing one leaves the table alone. */
  relay_model_info_set_display_name (dalle, "Changed");
  again = relay_model_info_lookup_bundled ("dall-e");
  g_assert_cmpstr (relay_model_info_get_display_name (again), ==, "DALL-E");
}

static void
test_parse_openai_list (void)
{
  const char *body =
    "{\"object\":\"list\",\"data\":["
    "{\"id\":\"gpt-5.2\",\"object\":\"model\",\"created\":1700000000,\"owned_by\":\"openai\","
    " \"pricing\":{\"prompt\":\"0.00000175\",\"completion\":0.000014}},"
    "{\"id\":\"route-llm\",\"object\":\"model\",\"future_field\":{\"x\":[1,2]}},"
    "{\"object\":\"model\"},"
    "5, null, \"gpt-oops\", [],"
    "{\"id\":\"\"},"
    "{\"id\":[\"x\"]},"
    "{\"id\":\"gpt-5.2\",\"owned_by\":\"duplicate\"},"
    "{\"id\":\"vision-model\",\"name\":\"Vision Model\",\"pricing\":{\"prompt\":-1,\"completion\":\"free\"},"
    " \"architecture\":{\"input_modalities\":[\"text\",\"image\"],\"output_modalities\":[\"text\"]},"
    " \"supported_parameters\":[\"tools\",\"temperature\"]}"
    "]}";
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) models = relay_model_info_parse_list_data (body, -1, &error);
  RelayModelInfo *gpt;
  RelayModelInfo *vision;
  double input;
  double output;

  g_assert_no_error (error);
  g_assert_cmpuint (models->len, ==, 3);
  gpt = g_ptr_array_index (models, 0);
  g_assert_cmpstr (relay_model_info_get_id (gpt), ==, "gpt-5.2");
  g_assert_cmpstr (relay_model_info_get_display_name (gpt), ==, "gpt-5.2");
  g_assert_cmpstr (relay_model_info_get_vendor (gpt), ==, "openai");
  g_assert_cmpint (relay_model_info_get_price_unit (gpt), ==, RELAY_PRICE_UNIT_USD_PER_TOKEN);
  g_assert_true (relay_model_info_get_prices_per_million (gpt, &input, &output));
  g_assert_cmpfloat_with_epsilon (input, 1.75, 1e-9);
  g_assert_cmpfloat_with_epsilon (output, 14, 1e-9);
  g_assert_cmpstr (relay_model_info_get_id (g_ptr_array_index (models, 1)), ==, "route-llm");
  g_assert_cmphex (relay_model_info_get_known_capabilities (g_ptr_array_index (models, 1)), ==, 0);

  vision = g_ptr_array_index (models, 2);
  g_assert_cmpstr (relay_model_info_get_display_name (vision), ==, "Vision Model");
  g_assert_true (isnan (relay_model_info_get_input_price (vision)));
  g_assert_true (isnan (relay_model_info_get_output_price (vision)));
  g_assert_true (relay_model_info_has_capability (vision, RELAY_MODEL_CAPABILITY_IMAGE_INPUT));
  g_assert_true (relay_model_info_lacks_capability (vision, RELAY_MODEL_CAPABILITY_PDF_INPUT));
  g_assert_true (relay_model_info_lacks_capability (vision, RELAY_MODEL_CAPABILITY_IMAGE_GENERATION));
  g_assert_true (relay_model_info_has_capability (vision, RELAY_MODEL_CAPABILITY_TOOLS));
  g_assert_true (relay_model_info_lacks_capability (vision, RELAY_MODEL_CAPABILITY_JSON_MODE));
}

static void
test_parse_routellm_list (void)
{
  const char *body =
    "{\"success\":true,\"result\":["
    "{\"name\":\"gpt-5.2\",\"id\":\"1f2e3d\",\"input_token_rate\":1.75,\"output_token_rate\":14,"
    " \"display_name\":\"GPT-5.2\"},"
    "{\"name\":\"claude-sonnet-4-5-20250929\",\"id\":\"9a8b\",\"input_token_rate\":\"3\",\"output_token_rate\":null},"
    "{\"id\":\"only-an-id\"},"
    "{\"name\":null,\"id\":null},"
    "{\"name\":42},"
    "{\"name\":\"priced\",\"input_token_rate\":0.000003,\"output_token_rate\":0.000015,\"token_rate_unit\":\"usd_per_token\"}"
    "]}";
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) models = relay_model_info_parse_list_data (body, strlen (body), &error);
  RelayModelInfo *gpt;
  RelayModelInfo *claude;
  double input = 0;
  double output = 0;

  g_assert_no_error (error);
  g_assert_cmpuint (models->len, ==, 4);
  gpt = g_ptr_array_index (models, 0);
  /* The name is what requests say; the platform's own ID is not a model. */
  g_assert_cmpstr (relay_model_info_get_id (gpt), ==, "gpt-5.2");
  g_assert_cmpstr (relay_model_info_get_display_name (gpt), ==, "GPT-5.2");
  /* The rates' unit is not documented: they must not pass for dollars. */
  g_assert_cmpint (relay_model_info_get_price_unit (gpt), ==, RELAY_PRICE_UNIT_UNKNOWN);
  g_assert_cmpfloat (relay_model_info_get_input_price (gpt), ==, 1.75);
  g_assert_false (relay_model_info_get_prices_per_million (gpt, &input, &output));
  g_assert_true (isnan (input));
  g_assert_true (isnan (output));

  claude = g_ptr_array_index (models, 1);
  g_assert_cmpstr (relay_model_info_get_id (claude), ==, "claude-sonnet-4-5-20250929");
  g_assert_cmpfloat (relay_model_info_get_input_price (claude), ==, 3);
  g_assert_true (isnan (relay_model_info_get_output_price (claude)));
  g_assert_cmpstr (relay_model_info_get_id (g_ptr_array_index (models, 2)), ==, "only-an-id");

  /* A list that states its unit is believed. */
  g_assert_true (relay_model_info_get_prices_per_million (g_ptr_array_index (models, 3), &input, &output));
  g_assert_cmpfloat_with_epsilon (input, 3, 1e-9);
  g_assert_cmpfloat_with_epsilon (output, 15, 1e-9);
}

static void
test_parse_bad_lists (void)
{
  static const char *bodies[] = {
    "", "null", "42", "\"models\"", "{}", "{\"data\":{\"id\":\"x\"}}", "{\"result\":\"none\"}",
    "{\"success\":false,\"error\":\"Invalid API key\"}", "{\"object\":\"list\",\"data\":",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bodies); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) models = relay_model_info_parse_list_data (bodies[i], -1, &error);

      g_assert_null (models);
      g_assert_error (error, RELAY_ERROR, RELAY_ERROR_INVALID_RESPONSE);
    }

  {
    g_autoptr(GError) error = NULL;
    g_autoptr(GPtrArray) models = relay_model_info_parse_list_data ("{\"success\":false,\"error\":\"Invalid API key\"}", -1, &error);

    g_assert_nonnull (strstr (error->message, "Invalid API key"));
  }
  {
    g_autoptr(GPtrArray) models = relay_model_info_parse_list_data ("[{\"id\":\"a\"},{\"id\":\"b\"}]", -1, NULL);

    g_assert_cmpuint (models->len, ==, 2);
  }
  {
    g_autoptr(GPtrArray) models = relay_model_info_parse_list_data ("{\"data\":[]}", -1, NULL);

    g_assert_cmpuint (models->len, ==, 0);
  }
  /* The first of several entries for one ID wins (a use after free, found by fuzzing). */
  {
    g_autoptr(GPtrArray) models = relay_model_info_parse_list_data (
      "[{\"id\":\"Z\",\"name\":\"First\"},{\"id\":\"Z\"},{\"id\":\"Z\"},{\"id\":\"Y\"},{\"id\":\"Z\"}]", -1, NULL);

    g_assert_cmpuint (models->len, ==, 2);
    g_assert_cmpstr (relay_model_info_get_display_name (g_ptr_array_index (models, 0)), ==, "First");
  }
}

static void
test_server_capabilities (void)
{
  const char *body =
    "{\"data\":[{\"id\":\"m\",\"capabilities\":{\"vision\":true,\"tools\":false,\"json_mode\":\"yes\"},"
    "\"image_config\":{\"params\":[\"num_images\",\"aspect_ratio\",\"bogus\"],\"aspect_ratios\":[\"1:1\",7,\"\"]}},"
    "{\"id\":\"n\",\"capabilities\":[\"pdf-input\",\"image_generation\",\"teleport\"]}]}";
  g_autoptr(GPtrArray) models = relay_model_info_parse_list_data (body, -1, NULL);
  RelayModelInfo *m = g_ptr_array_index (models, 0);
  RelayModelInfo *n = g_ptr_array_index (models, 1);

  g_assert_true (relay_model_info_has_capability (m, RELAY_MODEL_CAPABILITY_IMAGE_INPUT));
  g_assert_true (relay_model_info_lacks_capability (m, RELAY_MODEL_CAPABILITY_TOOLS));
  /* A wrong type says nothing. */
  g_assert_false (relay_model_info_lacks_capability (m, RELAY_MODEL_CAPABILITY_JSON_MODE));
  g_assert_cmphex (relay_model_info_get_image_params (m), ==,
                   RELAY_IMAGE_PARAM_NUM_IMAGES | RELAY_IMAGE_PARAM_ASPECT_RATIO);
  assert_strv (relay_model_info_get_aspect_ratios (m), "1:1");
  g_assert_cmphex (relay_model_info_get_capabilities (n), ==,
                   RELAY_MODEL_CAPABILITY_PDF_INPUT | RELAY_MODEL_CAPABILITY_IMAGE_GENERATION);
  g_assert_false (relay_model_info_lacks_capability (n, RELAY_MODEL_CAPABILITY_TOOLS));
}

static void
count_notify_cb (GObject    *object,
                 GParamSpec *pspec,
                 guint      *count)
{
  (*count)++;
}

static void
test_merge (void)
{
  g_autoptr(RelayModelInfo) model = relay_model_info_lookup_bundled ("gpt-5.2");
  g_autoptr(GPtrArray) server = relay_model_info_parse_list_data (
    "{\"data\":[{\"id\":\"gpt-5.2\",\"pricing\":{\"prompt\":0.00000175,\"completion\":0.000014},"
    "\"capabilities\":{\"image_generation\":false}}]}", -1, NULL);
  guint notifies = 0;

  g_signal_connect (model, "notify", G_CALLBACK (count_notify_cb), &notifies);
  relay_model_info_merge (model, g_ptr_array_index (server, 0));

  /* The bundled data stays where the server says nothing... */
  g_assert_cmpstr (relay_model_info_get_display_name (model), ==, "GPT-5.2");
  g_assert_cmpstr (relay_model_info_get_vendor (model), ==, "OpenAI");
  assert_strv (relay_model_info_get_aspect_ratios (model), "1:1, 2:3, 3:2");
  g_assert_true (relay_model_info_has_capability (model, RELAY_MODEL_CAPABILITY_TOOLS));
  /* ...and the server wins where it speaks. */
  g_assert_true (relay_model_info_lacks_capability (model, RELAY_MODEL_CAPABILITY_IMAGE_GENERATION));
  g_assert_cmpint (relay_model_info_get_price_unit (model), ==, RELAY_PRICE_UNIT_USD_PER_TOKEN);
  g_assert_cmpfloat (relay_model_info_get_output_price (model), ==, 0.000014);
  g_assert_cmpuint (notifies, >, 0);

  /* Setting a value it already has notifies nobody. */
  notifies = 0;
  relay_model_info_set_display_name (model, "GPT-5.2");
  relay_model_info_set_kind (model, RELAY_MODEL_KIND_TEXT);
  g_assert_cmpuint (notifies, ==, 0);
  relay_model_info_set_display_name (model, "GPT 5.2");
  g_assert_cmpuint (notifies, ==, 1);
}

static void
test_merge_lists (void)
{
  g_autoptr(GPtrArray) bundled = relay_model_info_get_bundled ();
  g_autoptr(GPtrArray) server = relay_model_info_parse_list_data (
    "{\"success\":true,\"result\":[{\"name\":\"claude-sonnet-4-5-20250929\",\"input_token_rate\":3},"
    "{\"name\":\"brand-new-model\"},{\"name\":\"route-llm\"}]}", -1, NULL);
  g_autoptr(GPtrArray) merged = relay_model_info_merge_lists (bundled, server);
  g_autoptr(GPtrArray) offline = relay_model_info_merge_lists (bundled, NULL);
  RelayModelInfo *sonnet;
  RelayModelInfo *fresh;

  g_assert_cmpuint (merged->len, ==, 3);
  sonnet = g_ptr_array_index (merged, 0);
  /* The server's spelling of the ID is what requests must use. */
  g_assert_cmpstr (relay_model_info_get_id (sonnet), ==, "claude-sonnet-4-5-20250929");
  g_assert_cmpstr (relay_model_info_get_display_name (sonnet), ==, "Claude 4.5 Sonnet");
  g_assert_true (relay_model_info_has_capability (sonnet, RELAY_MODEL_CAPABILITY_PDF_INPUT));
  g_assert_cmpfloat (relay_model_info_get_input_price (sonnet), ==, 3);
  fresh = g_ptr_array_index (merged, 1);
  g_assert_cmpstr (relay_model_info_get_id (fresh), ==, "brand-new-model");
  g_assert_cmphex (relay_model_info_get_known_capabilities (fresh), ==, 0);
  g_assert_true (relay_model_info_get_recommended (g_ptr_array_index (merged, 2)));

  g_assert_cmpuint (offline->len, ==, bundled->len);
  g_assert_true (g_ptr_array_index (offline, 0) != g_ptr_array_index (bundled, 0));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/model-info/bundled/image-models", test_bundled_image_models);
  g_test_add_func ("/model-info/bundled/text-models", test_bundled_text_models);
  g_test_add_func ("/model-info/bundled/lookup", test_bundled_lookup);
  g_test_add_func ("/model-info/parse/openai-list", test_parse_openai_list);
  g_test_add_func ("/model-info/parse/routellm-list", test_parse_routellm_list);
  g_test_add_func ("/model-info/parse/bad-lists", test_parse_bad_lists);
  g_test_add_func ("/model-info/parse/server-capabilities", test_server_capabilities);
  g_test_add_func ("/model-info/merge", test_merge);
  g_test_add_func ("/model-info/merge-lists", test_merge_lists);

  return g_test_run ();
}
