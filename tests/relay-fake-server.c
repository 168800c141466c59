/* relay-fake-server.c: a RouteLLM server on 127.0.0.1 for tests and demonstrations.
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "relay-fake-server"

#include "config.h"

#include <string.h>

#include "relay-fake-server-private.h"

/**
 * RelayFakeServer:
 *
 * A `SoupServer` on 127.0.0.1 (a random port unless one is given) that runs in its own
 * thread with its own `GMainContext`, so that a test's main loop can block, stall or be
 * cancelled without the server stalling with it.
 *
 * It speaks the OpenAI-compatible protocol that RouteLLM speaks:
 *
 * - `POST /v1/chat/completions`: plain and streamed completions, tool calls, image
 *   generation (PNG images served at `/images/N.png`, or as `data:` URIs);
 * - `GET /v1/models` (OpenAI's list shape) and `GET /api/v0/listRouteLLMModels`
 *   (`{"success":true,"result":[…]}`), both with prices;
 * - every `/v1/` and `/api/` request must carry `Authorization: Bearer KEY` (or, for
 *   `/api/`, `apiKey: KEY`). KEY is the one given to relay_fake_server_set_key(), or
 *   when none was, any key that starts with `test-`. A wrong key gets a 401 with a JSON
 *   error body.
 *
 * A test queues scripted replies per path with relay_fake_server_queue_reply(); each
 * request takes the next one, and when none is queued the built-in behaviour answers.
 * Scripted replies are written on the raw connection byte by byte as scripted (status
 * line, headers, body steps with delays, then a proper end, a dropped connection or a
 * stall), which is what lets tests reproduce broken networks and proxies.
 *
 * Every request is recorded (method, path, headers, body, arrival time) for assertions.
 */

G_DEFINE_FINAL_TYPE (RelayFakeServer, relay_fake_server, G_TYPE_OBJECT)

/* ---------------------------------------------------------------------------------- */
/* Recorded requests                                                                  */

void
relay_fake_request_free (RelayFakeRequest *request)
{
  if (request == NULL)
    return;

  g_free (request->method);
  g_free (request->path);
  g_free (request->query);
  g_clear_pointer (&request->headers, soup_message_headers_unref);
  g_clear_pointer (&request->body, g_bytes_unref);
  g_clear_pointer (&request->json, json_node_unref);
  g_free (request);
}

const char *
relay_fake_request_get_header (RelayFakeRequest *request,
                               const char       *name)
{
  return soup_message_headers_get_one (request->headers, name);
}

/**
 * relay_fake_request_get_object:
 *
 * Returns: (transfer none) (nullable): the JSON body's object, if the body was one
 */
JsonObject *
relay_fake_request_get_object (RelayFakeRequest *request)
{
  if (request->json == NULL || !JSON_NODE_HOLDS_OBJECT (request->json))
    return NULL;
  return json_node_get_object (request->json);
}

static RelayFakeRequest *
request_copy (RelayFakeRequest *request)
{
  RelayFakeRequest *copy = g_new0 (RelayFakeRequest, 1);
  SoupMessageHeadersIter iter;
  const char *name, *value;

  copy->method = g_strdup (request->method);
  copy->path = g_strdup (request->path);
  copy->query = g_strdup (request->query);
  copy->headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_REQUEST);
  soup_message_headers_iter_init (&iter, request->headers);
  while (soup_message_headers_iter_next (&iter, &name, &value))
    soup_message_headers_append (copy->headers, name, value);
  copy->body = g_bytes_ref (request->body);
  copy->json = request->json != NULL ? json_node_copy (request->json) : NULL;
  copy->received_usec = request->received_usec;
  return copy;
}

static RelayFakeRequest *
request_new_from_message (SoupServerMessage *msg)
{
  RelayFakeRequest *request = g_new0 (RelayFakeRequest, 1);
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  g_autoptr(GBytes) flat = soup_message_body_flatten (body);
  const char *content_type;
  SoupMessageHeadersIter iter;
  const char *name, *value;
  GUri *uri = soup_server_message_get_uri (msg);

  request->received_usec = g_get_monotonic_time ();
  request->method = g_strdup (soup_server_message_get_method (msg));
  request->path = g_strdup (g_uri_get_path (uri));
  request->query = g_strdup (g_uri_get_query (uri));
  request->headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_REQUEST);
  soup_message_headers_iter_init (&iter, soup_server_message_get_request_headers (msg));
  while (soup_message_headers_iter_next (&iter, &name, &value))
    soup_message_headers_append (request->headers, name, value);
  request->body = g_bytes_ref (flat);

  content_type = soup_message_headers_get_content_type (request->headers, NULL);
  if (content_type != NULL && g_str_has_suffix (content_type, "json") && g_bytes_get_size (flat) > 0)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();

      if (json_parser_load_from_data (parser, g_bytes_get_data (flat, NULL),
                                      g_bytes_get_size (flat), NULL))
        request->json = json_node_ref (json_parser_get_root (parser));
    }
  return request;
}

/* ---------------------------------------------------------------------------------- */
/* Files served without a key                                                         */

static void
fake_file_free (gpointer data)
{
  FakeFile *file = data;

  g_free (file->content_type);
  g_bytes_unref (file->bytes);
  g_free (file);
}

/* ---------------------------------------------------------------------------------- */
/* Writing a reply on the stolen connection                                           */

typedef struct
{
  RelayFakeServer *server;
  GIOStream       *stream;
  GCancellable    *cancellable;
  RelayFakeReply  *reply;
  guint            next_step;
  GBytes          *pending;
  GSource         *timer;
  gboolean         stopped;
} Writer;

static void writer_next (Writer *writer);

static void
writer_clear (gpointer data)
{
  Writer *writer = data;

  g_object_unref (writer->stream);
  g_object_unref (writer->cancellable);
  relay_fake_reply_free (writer->reply);
  g_clear_pointer (&writer->pending, g_bytes_unref);
}

static void
writer_unref (gpointer data)
{
  g_rc_box_release_full (data, writer_clear);
}

/* Stops writing; a pending write finishes cancelled and drops its reference. */
static void
writer_stop (Writer *writer)
{
  if (writer->stopped)
    return;

  writer->stopped = TRUE;
  g_cancellable_cancel (writer->cancellable);
  if (writer->timer != NULL)
    {
      g_source_destroy (writer->timer);
      g_clear_pointer (&writer->timer, g_source_unref);
    }
  g_io_stream_close (writer->stream, NULL, NULL);
}

static void
writer_finish (Writer *writer)
{
  writer_stop (writer);
  g_ptr_array_remove_fast (writer->server->writers, writer);
}

static void
writer_wrote_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Writer *writer = user_data;
  g_autoptr(GError) error = NULL;

  g_clear_pointer (&writer->pending, g_bytes_unref);
  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (object), result, NULL, &error))
    {
      /* The client went away (a cancelled request), or the server is stopping. */
      g_debug ("Client gone: %s", error->message);
      if (!writer->stopped)
        writer_finish (writer);
    }
  else if (!writer->stopped)
    {
      writer_next (writer);
    }
  writer_unref (writer);
}

static void
writer_write (Writer *writer,
              GBytes *bytes)
{
  GOutputStream *out = g_io_stream_get_output_stream (writer->stream);

  writer->pending = bytes;
  g_output_stream_write_all_async (out, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
                                   G_PRIORITY_DEFAULT, writer->cancellable, writer_wrote_cb,
                                   g_rc_box_acquire (writer));
}

static GBytes *
writer_head (Writer *writer)
{
  RelayFakeReply *reply = writer->reply;
  GString *head = g_string_new (NULL);
  SoupMessageHeadersIter iter;
  const char *name, *value;

  g_string_append_printf (head, "HTTP/1.1 %u %s\r\n", reply->status,
                          soup_status_get_phrase (reply->status));
  soup_message_headers_iter_init (&iter, reply->headers);
  while (soup_message_headers_iter_next (&iter, &name, &value))
    g_string_append_printf (head, "%s: %s\r\n", name, value);
  g_string_append (head, "Server: relay-fake-server\r\nConnection: close\r\n");
  if (reply->chunked)
    {
      g_string_append (head, "Transfer-Encoding: chunked\r\n");
    }
  else
    {
      gsize total = 0;

      for (guint i = 0; i < reply->steps->len; i++)
        total += g_bytes_get_size (g_array_index (reply->steps, Step, i).data);
      g_string_append_printf (head, "Content-Length: %" G_GSIZE_FORMAT "\r\n", total);
    }
  g_string_append (head, "\r\n");
  return g_string_free_to_bytes (head);
}

static GBytes *
writer_frame (Writer *writer,
              GBytes *data)
{
  GString *frame;

  if (!writer->reply->chunked)
    return g_bytes_ref (data);

  frame = g_string_new (NULL);
  g_string_append_printf (frame, "%" G_GSIZE_MODIFIER "x\r\n", g_bytes_get_size (data));
  g_string_append_len (frame, g_bytes_get_data (data, NULL), g_bytes_get_size (data));
  g_string_append (frame, "\r\n");
  return g_string_free_to_bytes (frame);
}

static gboolean
writer_timer_cb (gpointer user_data)
{
  Writer *writer = user_data;
  Step *step = &g_array_index (writer->reply->steps, Step, writer->next_step - 1);

  g_clear_pointer (&writer->timer, g_source_unref);
  writer_write (writer, writer_frame (writer, step->data));
  return G_SOURCE_REMOVE;
}

static void
writer_end (Writer *writer)
{
  switch (writer->reply->ending)
    {
    case RELAY_FAKE_END_STALL:
      /* Stay in the list: the connection is closed when the server stops. */
      return;

    case RELAY_FAKE_END_CLOSE:
      if (writer->reply->chunked && writer->next_step <= writer->reply->steps->len)
        {
          writer->next_step = writer->reply->steps->len + 1;
          writer_write (writer, g_bytes_new_static ("0\r\n\r\n", 5));
          return;
        }
      break;

    case RELAY_FAKE_END_DROP:
    default:
      break;
    }

  /* Closing a TCP connection without a final chunk is what a crashed proxy does. */
  writer_finish (writer);
}

static void
writer_next (Writer *writer)
{
  Step *step;

  if (writer->next_step >= writer->reply->steps->len)
    {
      writer_end (writer);
      return;
    }

  step = &g_array_index (writer->reply->steps, Step, writer->next_step++);
  if (step->delay_ms == 0)
    {
      writer_write (writer, writer_frame (writer, step->data));
      return;
    }

  writer->timer = g_timeout_source_new (step->delay_ms);
  g_source_set_callback (writer->timer, writer_timer_cb, writer, NULL);
  g_source_attach (writer->timer, writer->server->context);
}

static gboolean
writer_start_cb (gpointer user_data)
{
  Writer *writer = user_data;

  g_clear_pointer (&writer->timer, g_source_unref);
  if (writer->reply->status == 0)
    {
      writer_finish (writer);
      return G_SOURCE_REMOVE;
    }
  writer_write (writer, writer_head (writer));
  return G_SOURCE_REMOVE;
}

typedef struct
{
  RelayFakeServer   *server;
  SoupServerMessage *msg;
  RelayFakeReply    *reply;
} Handoff;

/* Runs after the handler has returned, when SoupServer no longer uses the message. */
static gboolean
steal_cb (gpointer user_data)
{
  Handoff *handoff = user_data;
  Writer *writer;
  GIOStream *stream;

  stream = soup_server_message_steal_connection (handoff->msg);
  g_object_unref (handoff->msg);
  if (stream == NULL)
    {
      relay_fake_reply_free (handoff->reply);
      g_free (handoff);
      return G_SOURCE_REMOVE;
    }

  writer = g_rc_box_new0 (Writer);
  writer->server = handoff->server;
  writer->stream = stream;
  writer->cancellable = g_cancellable_new ();
  writer->reply = handoff->reply;
  g_ptr_array_add (handoff->server->writers, writer);
  g_free (handoff);

  writer->timer = g_timeout_source_new (writer->reply->delay_ms);
  g_source_set_callback (writer->timer, writer_start_cb, writer, NULL);
  g_source_attach (writer->timer, writer->server->context);
  return G_SOURCE_REMOVE;
}

static void
serve_reply (RelayFakeServer   *self,
             SoupServerMessage *msg,
             RelayFakeReply    *reply)
{
  Handoff *handoff = g_new0 (Handoff, 1);
  g_autoptr(GSource) idle = g_idle_source_new ();

  handoff->server = self;
  handoff->msg = g_object_ref (msg);
  handoff->reply = reply;
  soup_server_message_pause (msg);
  g_source_set_callback (idle, steal_cb, handoff, NULL);
  g_source_attach (idle, self->context);
}

/* ---------------------------------------------------------------------------------- */
/* Dispatch                                                                           */

static gboolean
key_is_accepted (RelayFakeServer  *self,
                 RelayFakeRequest *request)
{
  const char *authorization = relay_fake_request_get_header (request, "Authorization");
  const char *api_key = relay_fake_request_get_header (request, "apiKey");
  const char *key = NULL;
  gboolean accepted;

  if (authorization != NULL && g_str_has_prefix (authorization, "Bearer "))
    key = authorization + strlen ("Bearer ");
  else if (api_key != NULL && g_str_has_prefix (request->path, "/api/"))
    key = api_key;
  if (key == NULL)
    return FALSE;

  g_mutex_lock (&self->mutex);
  accepted = self->key != NULL ? g_str_equal (key, self->key) : g_str_has_prefix (key, "test-");
  g_mutex_unlock (&self->mutex);
  return accepted;
}

static RelayFakeReply *
reply_for_file (RelayFakeServer *self,
                const char      *path)
{
  RelayFakeReply *reply = NULL;
  FakeFile *file;

  g_mutex_lock (&self->mutex);
  file = g_hash_table_lookup (self->files, path);
  if (file != NULL)
    {
      reply = relay_fake_reply_new (200);
      if (file->content_type != NULL)
        relay_fake_reply_set_header (reply, "Content-Type", file->content_type);
      relay_fake_reply_add_data (reply, 0, g_bytes_get_data (file->bytes, NULL),
                                 g_bytes_get_size (file->bytes));
    }
  g_mutex_unlock (&self->mutex);
  return reply;
}

static RelayFakeReply *
reply_for_request (RelayFakeServer  *self,
                   RelayFakeRequest *request)
{
  RelayFakeReply *reply;
  GQueue *queue;

  if ((reply = reply_for_file (self, request->path)) != NULL)
    return reply;

  if (!g_str_has_prefix (request->path, "/v1/") && !g_str_has_prefix (request->path, "/api/"))
    return relay_fake_reply_new_error (404, RELAY_FAKE_BODY_HTML, NULL);

  if (!key_is_accepted (self, request))
    return relay_fake_reply_new_error (401, RELAY_FAKE_BODY_JSON,
                                       "Invalid API key. Find your key on the RouteLLM API page.");

  g_mutex_lock (&self->mutex);
  queue = g_hash_table_lookup (self->queues, request->path);
  reply = queue != NULL ? g_queue_pop_head (queue) : NULL;
  g_mutex_unlock (&self->mutex);
  if (reply != NULL)
    return reply;

  return _relay_fake_builtin_reply (self, request);
}

static void
handle_request_cb (SoupServer        *soup,
                   SoupServerMessage *msg,
                   const char        *path,
                   GHashTable        *query,
                   gpointer           user_data)
{
  RelayFakeServer *self = user_data;
  RelayFakeRequest *request = request_new_from_message (msg);
  RelayFakeReply *reply;

  reply = reply_for_request (self, request);

  g_mutex_lock (&self->mutex);
  g_ptr_array_add (self->requests, request);
  g_mutex_unlock (&self->mutex);

  g_debug ("%s %s → %u", request->method, request->path, reply->status);
  serve_reply (self, msg, reply);
}

/* ---------------------------------------------------------------------------------- */
/* The server thread                                                                  */

static gboolean
listen_on (RelayFakeServer  *self,
           guint             port,
           GError          **error)
{
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, port);
  GSList *uris;

  if (!soup_server_listen (self->soup, address, 0, error))
    return FALSE;

  uris = soup_server_get_uris (self->soup);
  g_assert (uris != NULL);
  self->port = g_uri_get_port (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  self->origin = g_strdup_printf ("http://127.0.0.1:%u", self->port);
  self->base_url = g_strdup_printf ("%s/v1", self->origin);
  return TRUE;
}

static gpointer
server_thread (gpointer data)
{
  RelayFakeServer *self = data;
  g_autoptr(GError) error = NULL;
  guint port = self->port;

  g_main_context_push_thread_default (self->context);

  self->soup = soup_server_new ("server-header", "relay-fake-server", NULL);
  soup_server_add_handler (self->soup, NULL, handle_request_cb, self, NULL);
  self->writers = g_ptr_array_new_with_free_func (writer_unref);

  if (!listen_on (self, port, &error))
    {
      g_mutex_lock (&self->mutex);
      self->start_error = g_steal_pointer (&error);
      self->started = TRUE;
      g_cond_signal (&self->cond);
      g_mutex_unlock (&self->mutex);
    }
  else
    {
      g_mutex_lock (&self->mutex);
      self->started = TRUE;
      g_cond_signal (&self->cond);
      g_mutex_unlock (&self->mutex);

      g_main_loop_run (self->loop);
    }

  for (guint i = 0; i < self->writers->len; i++)
    writer_stop (g_ptr_array_index (self->writers, i));
  g_clear_pointer (&self->writers, g_ptr_array_unref);
  soup_server_disconnect (self->soup);
  g_clear_object (&self->soup);
  /* Let closed connections finish their callbacks before the context goes. */
  while (g_main_context_iteration (self->context, FALSE))
    ;
  g_main_context_pop_thread_default (self->context);
  return NULL;
}

static gboolean
quit_cb (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_REMOVE;
}

static void
relay_fake_server_dispose (GObject *object)
{
  RelayFakeServer *self = RELAY_FAKE_SERVER (object);

  if (self->thread != NULL)
    {
      /* A source rather than g_main_loop_quit(): the loop may not be running yet, and
       * a quit before g_main_loop_run() would be forgotten. */
      g_autoptr(GSource) quit = g_idle_source_new ();

      g_source_set_callback (quit, quit_cb, self->loop, NULL);
      g_source_attach (quit, self->context);
      g_thread_join (g_steal_pointer (&self->thread));
    }

  G_OBJECT_CLASS (relay_fake_server_parent_class)->dispose (object);
}

static void
relay_fake_server_finalize (GObject *object)
{
  RelayFakeServer *self = RELAY_FAKE_SERVER (object);

  g_main_loop_unref (self->loop);
  g_main_context_unref (self->context);
  g_free (self->origin);
  g_free (self->base_url);
  g_free (self->key);
  g_clear_error (&self->start_error);
  g_hash_table_unref (self->queues);
  g_hash_table_unref (self->files);
  g_clear_pointer (&self->failed_once, g_hash_table_unref);
  g_ptr_array_unref (self->requests);
  g_mutex_clear (&self->mutex);
  g_cond_clear (&self->cond);

  G_OBJECT_CLASS (relay_fake_server_parent_class)->finalize (object);
}

static void
relay_fake_server_class_init (RelayFakeServerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = relay_fake_server_dispose;
  object_class->finalize = relay_fake_server_finalize;
}

static void
free_queue (gpointer data)
{
  g_queue_free_full (data, (GDestroyNotify) relay_fake_reply_free);
}

static void
relay_fake_server_init (RelayFakeServer *self)
{
  g_mutex_init (&self->mutex);
  g_cond_init (&self->cond);
  self->context = g_main_context_new ();
  self->loop = g_main_loop_new (self->context, FALSE);
  self->queues = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, free_queue);
  self->files = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, fake_file_free);
  self->requests = g_ptr_array_new_with_free_func ((GDestroyNotify) relay_fake_request_free);
}

/**
 * relay_fake_server_new_full:
 * @port: the port to listen on, or 0 for a free one
 *
 * Starts a server on 127.0.0.1:@port in a thread of its own.
 */
RelayFakeServer *
relay_fake_server_new_full (guint    port,
                            GError **error)
{
  g_autoptr(RelayFakeServer) self = g_object_new (RELAY_TYPE_FAKE_SERVER, NULL);

  self->port = port;
  self->thread = g_thread_new ("relay-fake-server", server_thread, self);

  g_mutex_lock (&self->mutex);
  while (!self->started)
    g_cond_wait (&self->cond, &self->mutex);
  g_mutex_unlock (&self->mutex);

  if (self->start_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&self->start_error));
      return NULL;
    }
  return g_steal_pointer (&self);
}

/* Starts a server on a free port; aborts the test if it cannot. */
RelayFakeServer *
relay_fake_server_new (void)
{
  g_autoptr(GError) error = NULL;
  RelayFakeServer *self = relay_fake_server_new_full (0, &error);

  g_assert_no_error (error);
  return self;
}

/* "http://127.0.0.1:PORT/v1", the base URL a client is given. */
const char *
relay_fake_server_get_base_url (RelayFakeServer *self)
{
  return self->base_url;
}

/* "http://127.0.0.1:PORT" */
const char *
relay_fake_server_get_origin (RelayFakeServer *self)
{
  return self->origin;
}

guint
relay_fake_server_get_port (RelayFakeServer *self)
{
  return self->port;
}

/**
 * relay_fake_server_set_key:
 * @key: (nullable): the only key to accept, or %NULL for any key starting with `test-`
 */
void
relay_fake_server_set_key (RelayFakeServer *self,
                           const char      *key)
{
  g_mutex_lock (&self->mutex);
  g_set_str (&self->key, key);
  g_mutex_unlock (&self->mutex);
}

/* The pause between chunks of built-in streamed replies (0 by default). */
void
relay_fake_server_set_stream_delay (RelayFakeServer *self,
                                    guint            delay_ms)
{
  g_mutex_lock (&self->mutex);
  self->stream_delay_ms = delay_ms;
  g_mutex_unlock (&self->mutex);
}

/* Whether built-in image generation answers with data: URIs rather than URLs. */
void
relay_fake_server_set_data_images (RelayFakeServer *self,
                                   gboolean         data_images)
{
  g_mutex_lock (&self->mutex);
  self->data_images = data_images;
  g_mutex_unlock (&self->mutex);
}

/**
 * relay_fake_server_queue_reply:
 * @path: the request path it answers, such as "/v1/chat/completions"
 * @reply: (transfer full): the reply
 *
 * The next request for @path with an accepted key gets @reply instead of the built-in
 * answer. Replies for one path are used in the order they were queued.
 */
void
relay_fake_server_queue_reply (RelayFakeServer *self,
                               const char      *path,
                               RelayFakeReply  *reply)
{
  GQueue *queue;

  g_mutex_lock (&self->mutex);
  queue = g_hash_table_lookup (self->queues, path);
  if (queue == NULL)
    {
      queue = g_queue_new ();
      g_hash_table_insert (self->queues, g_strdup (path), queue);
    }
  g_queue_push_tail (queue, reply);
  g_mutex_unlock (&self->mutex);
}

/* Serves @bytes at @path to anyone, without a key, as image hosts do. */
void
relay_fake_server_add_file (RelayFakeServer *self,
                            const char      *path,
                            const char      *content_type,
                            GBytes          *bytes)
{
  FakeFile *file = g_new0 (FakeFile, 1);

  file->content_type = g_strdup (content_type);
  file->bytes = g_bytes_ref (bytes);
  g_mutex_lock (&self->mutex);
  g_hash_table_replace (self->files, g_strdup (path), file);
  g_mutex_unlock (&self->mutex);
}

guint
relay_fake_server_get_n_requests (RelayFakeServer *self)
{
  guint n;

  g_mutex_lock (&self->mutex);
  n = self->requests->len;
  g_mutex_unlock (&self->mutex);
  return n;
}

/* How many requests for @path arrived. */
guint
relay_fake_server_count_requests (RelayFakeServer *self,
                                  const char      *path)
{
  guint n = 0;

  g_mutex_lock (&self->mutex);
  for (guint i = 0; i < self->requests->len; i++)
    {
      RelayFakeRequest *request = g_ptr_array_index (self->requests, i);

      if (g_str_equal (request->path, path))
        n++;
    }
  g_mutex_unlock (&self->mutex);
  return n;
}

/**
 * relay_fake_server_dup_request:
 *
 * Returns: (transfer full) (nullable): a copy of the @index-th request received
 */
RelayFakeRequest *
relay_fake_server_dup_request (RelayFakeServer *self,
                               guint            index)
{
  RelayFakeRequest *copy = NULL;

  g_mutex_lock (&self->mutex);
  if (index < self->requests->len)
    copy = request_copy (g_ptr_array_index (self->requests, index));
  g_mutex_unlock (&self->mutex);
  return copy;
}

/**
 * relay_fake_server_dup_last_request:
 * @path: (nullable): only requests for this path
 *
 * Returns: (transfer full) (nullable): a copy of the latest request
 */
RelayFakeRequest *
relay_fake_server_dup_last_request (RelayFakeServer *self,
                                    const char      *path)
{
  RelayFakeRequest *copy = NULL;

  g_mutex_lock (&self->mutex);
  for (guint i = self->requests->len; i > 0 && copy == NULL; i--)
    {
      RelayFakeRequest *request = g_ptr_array_index (self->requests, i - 1);

      if (path == NULL || g_str_equal (request->path, path))
        copy = request_copy (request);
    }
  g_mutex_unlock (&self->mutex);
  return copy;
}

void
relay_fake_server_clear_requests (RelayFakeServer *self)
{
  g_mutex_lock (&self->mutex);
  g_ptr_array_set_size (self->requests, 0);
  g_mutex_unlock (&self->mutex);
}
