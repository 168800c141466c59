/* relay-fake-server.h: a RouteLLM server on 127.0.0.1 for tests and demonstrations.
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

G_BEGIN_DECLS

/* How a scripted reply ends once its body steps have been written. */
typedef enum
{
  RELAY_FAKE_END_CLOSE,  /* finish the response properly, then close */
  RELAY_FAKE_END_DROP,   /* close the connection without finishing the response */
  RELAY_FAKE_END_STALL,  /* send nothing more and keep the connection open */
} RelayFakeEnding;

/* The body of an error reply, as APIs and the proxies in front of them send them. */
typedef enum
{
  RELAY_FAKE_BODY_JSON,   /* {"error":{"message":…,"type":…,"code":…}} */
  RELAY_FAKE_BODY_HTML,   /* a proxy's HTML page */
  RELAY_FAKE_BODY_EMPTY,  /* nothing at all */
} RelayFakeBodyKind;

/* One scripted HTTP response, written byte for byte as the script says. */
typedef struct _RelayFakeReply RelayFakeReply;

RelayFakeReply *relay_fake_reply_new              (guint              status);
RelayFakeReply *relay_fake_reply_new_drop         (void);
RelayFakeReply *relay_fake_reply_new_json         (guint              status,
                                                   const char        *json);
RelayFakeReply *relay_fake_reply_new_error        (guint              status,
                                                   RelayFakeBodyKind  kind,
                                                   const char        *message);
RelayFakeReply *relay_fake_reply_new_stream       (void);
RelayFakeReply *relay_fake_reply_new_text_stream  (const char        *model,
                                                   const char * const *pieces,
                                                   guint              delay_ms);
void            relay_fake_reply_free             (RelayFakeReply    *reply);
void            relay_fake_reply_set_header       (RelayFakeReply    *reply,
                                                   const char        *name,
                                                   const char        *value);
void            relay_fake_reply_set_delay        (RelayFakeReply    *reply,
                                                   guint              delay_ms);
void            relay_fake_reply_set_line_end     (RelayFakeReply    *reply,
                                                   const char        *line_end);
void            relay_fake_reply_set_ending       (RelayFakeReply    *reply,
                                                   RelayFakeEnding    ending);
void            relay_fake_reply_add_data         (RelayFakeReply    *reply,
                                                   guint              delay_ms,
                                                   const char        *data,
                                                   gssize             length);
void            relay_fake_reply_add_event        (RelayFakeReply    *reply,
                                                   guint              delay_ms,
                                                   const char        *data);
void            relay_fake_reply_add_comment      (RelayFakeReply    *reply,
                                                   guint              delay_ms,
                                                   const char        *comment);
void            relay_fake_reply_add_done         (RelayFakeReply    *reply,
                                                   guint              delay_ms);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RelayFakeReply, relay_fake_reply_free)

/* Stream chunks in the OpenAI chat.completion.chunk shape, as JSON text. */
char           *relay_fake_chunk_role             (const char        *model);
char           *relay_fake_chunk_text             (const char        *model,
                                                   const char        *text);
char           *relay_fake_chunk_tool_call        (const char        *model,
                                                   guint              index,
                                                   const char        *id,
                                                   const char        *name,
                                                   const char        *arguments);
char           *relay_fake_chunk_finish           (const char        *model,
                                                   const char        *finish_reason);
char           *relay_fake_chunk_usage            (const char        *model,
                                                   gint64             prompt_tokens,
                                                   gint64             completion_tokens);
char           *relay_fake_completion_json        (const char        *model,
                                                   const char        *content,
                                                   const char        *finish_reason);
char           *relay_fake_image_completion_json  (const char        *model,
                                                   const char * const *urls,
                                                   gboolean           in_content);

/* One request as the server received it. */
typedef struct
{
  char               *method;
  char               *path;
  char               *query;
  SoupMessageHeaders *headers;
  GBytes             *body;
  JsonNode           *json;          /* the body parsed, when it is JSON */
  gint64              received_usec; /* g_get_monotonic_time() when it arrived */
} RelayFakeRequest;

void        relay_fake_request_free       (RelayFakeRequest *request);
const char *relay_fake_request_get_header (RelayFakeRequest *request,
                                           const char       *name);
JsonObject *relay_fake_request_get_object (RelayFakeRequest *request);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RelayFakeRequest, relay_fake_request_free)

#define RELAY_TYPE_FAKE_SERVER (relay_fake_server_get_type ())

G_DECLARE_FINAL_TYPE (RelayFakeServer, relay_fake_server, RELAY, FAKE_SERVER, GObject)

RelayFakeServer  *relay_fake_server_new             (void);
RelayFakeServer  *relay_fake_server_new_full        (guint             port,
                                                     GError          **error);
const char       *relay_fake_server_get_base_url    (RelayFakeServer  *self);
const char       *relay_fake_server_get_origin      (RelayFakeServer  *self);
guint             relay_fake_server_get_port        (RelayFakeServer  *self);
void              relay_fake_server_set_key         (RelayFakeServer  *self,
                                                     const char       *key);
void              relay_fake_server_set_stream_delay (RelayFakeServer *self,
                                                     guint             delay_ms);
void              relay_fake_server_set_data_images (RelayFakeServer  *self,
                                                     gboolean          data_images);
void              relay_fake_server_queue_reply     (RelayFakeServer  *self,
                                                     const char       *path,
                                                     RelayFakeReply   *reply);
void              relay_fake_server_add_file        (RelayFakeServer  *self,
                                                     const char       *path,
                                                     const char       *content_type,
                                                     GBytes           *bytes);
guint             relay_fake_server_get_n_requests  (RelayFakeServer  *self);
guint             relay_fake_server_count_requests  (RelayFakeServer  *self,
                                                     const char       *path);
RelayFakeRequest *relay_fake_server_dup_request     (RelayFakeServer  *self,
                                                     guint             index);
RelayFakeRequest *relay_fake_server_dup_last_request (RelayFakeServer *self,
                                                     const char       *path);
void              relay_fake_server_clear_requests  (RelayFakeServer  *self);

GBytes           *relay_fake_make_png               (guint             width,
                                                     guint             height,
                                                     guint             seed);

G_END_DECLS
