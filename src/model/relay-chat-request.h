/* relay-chat-request.h: the body of POST /chat/completions, built and checked.
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "relay-message.h"
#include "relay-model-info.h"

G_BEGIN_DECLS

#define RELAY_DEFAULT_MODEL "route-llm"

/* The reference's limits, also used by validation. */
#define RELAY_MAX_STOP_SEQUENCES 4
#define RELAY_MAX_IMAGES         4

typedef enum
{
  RELAY_RESPONSE_FORMAT_DEFAULT,      /* omitted */
  RELAY_RESPONSE_FORMAT_TEXT,         /* {"type":"text"} */
  RELAY_RESPONSE_FORMAT_JSON_OBJECT,  /* {"type":"json_object"}: JSON mode */
} RelayResponseFormat;

typedef enum
{
  RELAY_TOOL_CHOICE_DEFAULT,   /* omitted: the server's default ("auto" with tools) */
  RELAY_TOOL_CHOICE_NONE,      /* "none" */
  RELAY_TOOL_CHOICE_AUTO,      /* "auto" */
  RELAY_TOOL_CHOICE_FUNCTION,  /* {"type":"function","function":{"name":...}} */
} RelayToolChoice;

typedef enum
{
  RELAY_MODALITY_DEFAULT,  /* omitted: text */
  RELAY_MODALITY_TEXT,     /* ["text"] */
  RELAY_MODALITY_IMAGE,    /* ["image"] with image_config */
} RelayModality;

#define RELAY_TYPE_CHAT_REQUEST (relay_chat_request_get_type ())

G_DECLARE_FINAL_TYPE (RelayChatRequest, relay_chat_request, RELAY, CHAT_REQUEST, GObject)

RelayChatRequest    *relay_chat_request_new                   (const char           *model);

const char          *relay_chat_request_get_model             (RelayChatRequest     *self);
void                 relay_chat_request_set_model             (RelayChatRequest     *self,
                                                               const char           *model);

void                 relay_chat_request_add_message           (RelayChatRequest     *self,
                                                               RelayMessage         *message);
GPtrArray           *relay_chat_request_get_messages          (RelayChatRequest     *self);

/* Unset optional numbers: 0 for max_tokens and num_images, NAN for the doubles. */
gint64               relay_chat_request_get_max_tokens        (RelayChatRequest     *self);
void                 relay_chat_request_set_max_tokens        (RelayChatRequest     *self,
                                                               gint64                max_tokens);
double               relay_chat_request_get_temperature       (RelayChatRequest     *self);
void                 relay_chat_request_set_temperature       (RelayChatRequest     *self,
                                                               double                temperature);
double               relay_chat_request_get_top_p             (RelayChatRequest     *self);
void                 relay_chat_request_set_top_p             (RelayChatRequest     *self,
                                                               double                top_p);
double               relay_chat_request_get_presence_penalty  (RelayChatRequest     *self);
void                 relay_chat_request_set_presence_penalty  (RelayChatRequest     *self,
                                                               double                penalty);
double               relay_chat_request_get_frequency_penalty (RelayChatRequest     *self);
void                 relay_chat_request_set_frequency_penalty (RelayChatRequest     *self,
                                                               double                penalty);

gboolean             relay_chat_request_get_stream            (RelayChatRequest     *self);
void                 relay_chat_request_set_stream            (RelayChatRequest     *self,
                                                               gboolean              stream);
gboolean             relay_chat_request_get_include_usage     (RelayChatRequest     *self);
void                 relay_chat_request_set_include_usage     (RelayChatRequest     *self,
                                                               gboolean              include_usage);

const char * const  *relay_chat_request_get_stop              (RelayChatRequest     *self);
void                 relay_chat_request_set_stop              (RelayChatRequest     *self,
                                                               const char * const   *stop);

RelayResponseFormat  relay_chat_request_get_response_format   (RelayChatRequest     *self);
void                 relay_chat_request_set_response_format   (RelayChatRequest     *self,
                                                               RelayResponseFormat   format);

void                 relay_chat_request_add_tool              (RelayChatRequest     *self,
                                                               const char           *name,
                                                               const char           *description,
                                                               JsonNode             *parameters);
gboolean             relay_chat_request_add_tool_json         (RelayChatRequest     *self,
                                                               const char           *name,
                                                               const char           *description,
                                                               const char           *parameters_json,
                                                               GError              **error);
guint                relay_chat_request_get_n_tools           (RelayChatRequest     *self);
RelayToolChoice      relay_chat_request_get_tool_choice       (RelayChatRequest     *self);
const char          *relay_chat_request_get_tool_choice_name  (RelayChatRequest     *self);
void                 relay_chat_request_set_tool_choice       (RelayChatRequest     *self,
                                                               RelayToolChoice       choice,
                                                               const char           *function_name);

RelayModality        relay_chat_request_get_modality          (RelayChatRequest     *self);
void                 relay_chat_request_set_modality          (RelayChatRequest     *self,
                                                               RelayModality         modality);
guint                relay_chat_request_get_num_images        (RelayChatRequest     *self);
void                 relay_chat_request_set_num_images        (RelayChatRequest     *self,
                                                               guint                 num_images);
const char          *relay_chat_request_get_aspect_ratio      (RelayChatRequest     *self);
void                 relay_chat_request_set_aspect_ratio      (RelayChatRequest     *self,
                                                               const char           *aspect_ratio);
const char          *relay_chat_request_get_image_size        (RelayChatRequest     *self);
void                 relay_chat_request_set_image_size        (RelayChatRequest     *self,
                                                               const char           *image_size);
const char          *relay_chat_request_get_resolution        (RelayChatRequest     *self);
void                 relay_chat_request_set_resolution        (RelayChatRequest     *self,
                                                               const char           *resolution);
const char          *relay_chat_request_get_quality           (RelayChatRequest     *self);
void                 relay_chat_request_set_quality           (RelayChatRequest     *self,
                                                               const char           *quality);

gboolean             relay_chat_request_validate              (RelayChatRequest     *self,
                                                               RelayModelInfo       *model_info,
                                                               GError              **error);

gboolean             relay_chat_request_needs_io              (RelayChatRequest     *self);
JsonNode            *relay_chat_request_to_json               (RelayChatRequest     *self,
                                                               GCancellable         *cancellable,
                                                               GError              **error);
char                *relay_chat_request_to_string             (RelayChatRequest     *self,
                                                               gsize                *length,
                                                               GCancellable         *cancellable,
                                                               GError              **error);
GBytes              *relay_chat_request_to_bytes              (RelayChatRequest     *self,
                                                               GCancellable         *cancellable,
                                                               GError              **error);
void                 relay_chat_request_to_bytes_async        (RelayChatRequest     *self,
                                                               GCancellable         *cancellable,
                                                               GAsyncReadyCallback   callback,
                                                               gpointer              user_data);
GBytes              *relay_chat_request_to_bytes_finish       (RelayChatRequest     *self,
                                                               GAsyncResult         *result,
                                                               GError              **error);

G_END_DECLS
