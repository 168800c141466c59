/* relay-model-info.h: what one model is, costs and accepts.
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Where the bundled capability table lives in the model library's resources. */
#define RELAY_MODEL_CAPABILITIES_RESOURCE "/io/github/relay_llm/Relay/model/capabilities.json"

typedef enum
{
  RELAY_MODEL_KIND_TEXT,    /* answers with text (and maybe images with modalities) */
  RELAY_MODEL_KIND_IMAGE,   /* a dedicated image generator */
  RELAY_MODEL_KIND_ROUTER,  /* picks another model per request: route-llm */
} RelayModelKind;

typedef enum /*< flags >*/
{
  RELAY_MODEL_CAPABILITY_NONE             = 0,
  RELAY_MODEL_CAPABILITY_IMAGE_INPUT      = 1 << 0,
  RELAY_MODEL_CAPABILITY_PDF_INPUT        = 1 << 1,
  RELAY_MODEL_CAPABILITY_TOOLS            = 1 << 2,
  RELAY_MODEL_CAPABILITY_JSON_MODE        = 1 << 3,
  RELAY_MODEL_CAPABILITY_IMAGE_GENERATION = 1 << 4,
} RelayModelCapabilities;

/* The image_config members a model takes. */
typedef enum /*< flags >*/
{
  RELAY_IMAGE_PARAM_NONE         = 0,
  RELAY_IMAGE_PARAM_NUM_IMAGES   = 1 << 0,
  RELAY_IMAGE_PARAM_ASPECT_RATIO = 1 << 1,
  RELAY_IMAGE_PARAM_IMAGE_SIZE   = 1 << 2,
  RELAY_IMAGE_PARAM_RESOLUTION   = 1 << 3,
  RELAY_IMAGE_PARAM_QUALITY      = 1 << 4,
} RelayImageParams;

/* The unit of a price as the server gave it. UNKNOWN prices must not be shown as if the
 * unit were known (the listRouteLLMModels rates are undocumented). */
typedef enum
{
  RELAY_PRICE_UNIT_UNKNOWN,
  RELAY_PRICE_UNIT_USD_PER_TOKEN,
  RELAY_PRICE_UNIT_USD_PER_MILLION_TOKENS,
} RelayPriceUnit;

#define RELAY_TYPE_MODEL_INFO (relay_model_info_get_type ())

G_DECLARE_FINAL_TYPE (RelayModelInfo, relay_model_info, RELAY, MODEL_INFO, GObject)

RelayModelInfo         *relay_model_info_new                      (const char              *id);

const char             *relay_model_info_get_id                   (RelayModelInfo          *self);
const char             *relay_model_info_get_display_name         (RelayModelInfo          *self);
void                    relay_model_info_set_display_name         (RelayModelInfo          *self,
                                                                   const char              *name);
const char             *relay_model_info_get_vendor               (RelayModelInfo          *self);
void                    relay_model_info_set_vendor               (RelayModelInfo          *self,
                                                                   const char              *vendor);
const char             *relay_model_info_get_description          (RelayModelInfo          *self);
void                    relay_model_info_set_description          (RelayModelInfo          *self,
                                                                   const char              *description);
RelayModelKind          relay_model_info_get_kind                 (RelayModelInfo          *self);
void                    relay_model_info_set_kind                 (RelayModelInfo          *self,
                                                                   RelayModelKind           kind);
gboolean                relay_model_info_get_recommended          (RelayModelInfo          *self);
void                    relay_model_info_set_recommended          (RelayModelInfo          *self,
                                                                   gboolean                 recommended);

RelayModelCapabilities  relay_model_info_get_capabilities         (RelayModelInfo          *self);
RelayModelCapabilities  relay_model_info_get_known_capabilities   (RelayModelInfo          *self);
void                    relay_model_info_set_capabilities         (RelayModelInfo          *self,
                                                                   RelayModelCapabilities   capabilities,
                                                                   RelayModelCapabilities   known);
gboolean                relay_model_info_has_capability           (RelayModelInfo          *self,
                                                                   RelayModelCapabilities   capability);
gboolean                relay_model_info_lacks_capability         (RelayModelInfo          *self,
                                                                   RelayModelCapabilities   capability);

RelayPriceUnit          relay_model_info_get_price_unit           (RelayModelInfo          *self);
double                  relay_model_info_get_input_price          (RelayModelInfo          *self);
double                  relay_model_info_get_output_price         (RelayModelInfo          *self);
void                    relay_model_info_set_prices               (RelayModelInfo          *self,
                                                                   double                   input_price,
                                                                   double                   output_price,
                                                                   RelayPriceUnit           unit);
gboolean                relay_model_info_get_prices_per_million   (RelayModelInfo          *self,
                                                                   double                  *input,
                                                                   double                  *output);

RelayImageParams        relay_model_info_get_image_params         (RelayModelInfo          *self);
void                    relay_model_info_set_image_params         (RelayModelInfo          *self,
                                                                   RelayImageParams         params);
const char * const     *relay_model_info_get_aspect_ratios        (RelayModelInfo          *self);
void                    relay_model_info_set_aspect_ratios        (RelayModelInfo          *self,
                                                                   const char * const      *ratios);
const char * const     *relay_model_info_get_image_sizes          (RelayModelInfo          *self);
void                    relay_model_info_set_image_sizes          (RelayModelInfo          *self,
                                                                   const char * const      *sizes);
const char * const     *relay_model_info_get_resolutions          (RelayModelInfo          *self);
void                    relay_model_info_set_resolutions          (RelayModelInfo          *self,
                                                                   const char * const      *resolutions);
const char * const     *relay_model_info_get_qualities            (RelayModelInfo          *self);
void                    relay_model_info_set_qualities            (RelayModelInfo          *self,
                                                                   const char * const      *qualities);
guint                   relay_model_info_get_max_images           (RelayModelInfo          *self);

void                    relay_model_info_merge                    (RelayModelInfo          *self,
                                                                   RelayModelInfo          *other);
RelayModelInfo         *relay_model_info_copy                     (RelayModelInfo          *self);

GPtrArray              *relay_model_info_parse_list               (JsonNode                *root,
                                                                   GError                 **error);
GPtrArray              *relay_model_info_parse_list_data          (const char              *data,
                                                                   gssize                   length,
                                                                   GError                 **error);
GPtrArray              *relay_model_info_parse_capabilities       (JsonNode                *root,
                                                                   GError                 **error);
GPtrArray              *relay_model_info_get_bundled              (void);
RelayModelInfo         *relay_model_info_lookup_bundled           (const char              *id);
GPtrArray              *relay_model_info_merge_lists              (GPtrArray               *bundled,
                                                                   GPtrArray               *server);

G_END_DECLS
