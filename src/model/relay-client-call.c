/* relay-client-call.c: one request of RelayClient, from the key to the last byte.
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "relay-client"

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "relay-client-private.h"
#include "relay-error.h"
#include "relay-response.h"
#include "relay-stream-assembler.h"

/* Work per read is proportional to what arrived; 16 KiB is a few hundred tokens. */
#define READ_SIZE           (16 * 1024)
#define MAX_ERROR_BODY      (1024 * 1024)
#define MAX_MODELS_BODY     (16 * 1024 * 1024)
/* Up to four generated images as base64 data: URIs, and then some. */
#define MAX_COMPLETION_BODY (6 * (gsize) RELAY_IMAGE_MAX_SIZE)
#define MAX_STREAM_BODY     (256 * 1024 * 1024)

typedef enum
{
  CALL_MODELS,
  CALL_COMPLETE,
  CALL_STREAM,
  CALL_IMAGE,
} CallKind;

/* What a call is waiting for, and so which limit applies. */
typedef enum
{
  TIMER_NONE,
  TIMER_SEND,      /* connecting and sending the request: connect-timeout */
  TIMER_RESPONSE,  /* the status line and headers */
  TIMER_IDLE,      /* the next bytes of the body: idle-timeout */
  TIMER_RETRY,     /* the pause before the next attempt */
} TimerKind;

typedef struct
{
  RelayClient          *self;           /* borrowed: the task's source object */
  GTask                *task;           /* borrowed: it owns the call */
  CallKind              kind;
  const char           *method;
  char                 *url;
  char                 *api_key;
  GBytes               *body;
  RelayChatRequest     *request;
  RelayMessage         *message;        /* the stream's target, or the parsed completion */
  RelayStreamAssembler *assembler;
  RelaySseParser       *sse;
  GPtrArray            *images;         /* RelayAttachment still to fetch and check */
  guint                 next_image;
  GError               *image_error;
  GPtrArray            *models;
  GBytes               *models_body;    /* the list as the server sent it, for caching */

  GCancellable         *cancellable;    /* the caller's */
  GSource              *cancel_source;
  GCancellable         *attempt_cancellable;
  SoupMessage          *msg;
  GInputStream         *input;
  GByteArray           *buffer;
  gsize                 max_body;
  gsize                 received;
  GSource              *timer;
  TimerKind             timer_kind;
  TimerKind             fired;

  guint                 attempt;
  guint                 max_attempts;
  guint                 status;
  gint64                start_usec;
  gint64                attempt_usec;
  guint                 answer_started : 1;  /* 2xx headers arrived: no more retries */
  guint                 json_in_stream : 1;  /* a stream answered with plain JSON */
  guint                 models_fallback : 1;
  guint                 done : 1;
} Call;

static void call_attempt     (GTask *task);
static void call_read_next   (GTask *task);
static void call_next_image  (GTask *task);

static void
call_clear_timer (Call *call)
{
  GSource *timer = g_steal_pointer (&call->timer);

  call->timer_kind = TIMER_NONE;
  if (timer != NULL)
    {
      g_source_destroy (timer);
      g_source_unref (timer);
    }
}

static void
call_end_attempt (Call *call)
{
  call_clear_timer (call);
  if (call->msg != NULL)
    g_signal_handlers_disconnect_matched (call->msg, G_SIGNAL_MATCH_DATA, 0, 0, NULL, NULL, call);
  g_clear_object (&call->msg);
  g_clear_object (&call->input);
  g_clear_object (&call->attempt_cancellable);
  call->fired = TIMER_NONE;
}

static void
call_stop (Call *call)
{
  call->done = TRUE;
  call_end_attempt (call);
  if (call->cancel_source != NULL)
    {
      g_source_destroy (call->cancel_source);
      g_clear_pointer (&call->cancel_source, g_source_unref);
    }
}

static void
call_free (gpointer data)
{
  Call *call = data;

  call_stop (call);
  g_free (call->url);
  g_clear_pointer (&call->api_key, relay_secrets_free_key);
  g_clear_pointer (&call->body, g_bytes_unref);
  g_clear_object (&call->request);
  g_clear_object (&call->message);
  g_clear_object (&call->assembler);
  g_clear_pointer (&call->sse, relay_sse_parser_unref);
  g_clear_pointer (&call->images, g_ptr_array_unref);
  g_clear_error (&call->image_error);
  g_clear_pointer (&call->models, g_ptr_array_unref);
  g_clear_pointer (&call->models_body, g_bytes_unref);
  g_clear_object (&call->cancellable);
  g_byte_array_unref (call->buffer);
  g_free (call);
}

static char *
host_of (const char *url)
{
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);

  if (uri == NULL || g_uri_get_host (uri) == NULL)
    return g_strdup (url);
  return g_strdup (g_uri_get_host (uri));
}

/* ---------------------------------------------------------------------------------- */
/* Ending a call                                                                      */

/* A server may quote the key it refused; it must not reach a log or a dialog. */
static void
scrub_key (Call   *call,
           GError *error)
{
  g_autoptr(GString) message = NULL;

  if (call->api_key == NULL || strstr (error->message, call->api_key) == NULL)
    return;

  message = g_string_new (error->message);
  g_string_replace (message, call->api_key, "…", 0);
  g_free (error->message);
  error->message = g_string_free (g_steal_pointer (&message), FALSE);
}

static void
call_return_error (GTask  *task,
                   GError *error)
{
  Call *call = g_task_get_task_data (task);
  gboolean cancelled = g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);

  g_assert (!call->done);
  call_stop (call);
  scrub_key (call, error);

  if (cancelled)
    g_debug ("%s %s cancelled", call->method, call->url);
  else
    g_debug ("%s %s failed: %s", call->method, call->url, error->message);

  if (call->kind == CALL_STREAM)
    {
      relay_message_set_duration_usec (call->message, g_get_monotonic_time () - call->start_usec);
      if (cancelled)
        {
          relay_message_set_state (call->message, RELAY_MESSAGE_STATE_STOPPED);
        }
      else
        {
          relay_message_set_error_message (call->message, error->message);
          relay_message_set_state (call->message, RELAY_MESSAGE_STATE_FAILED);
        }
    }

  g_task_return_error (task, error);
}

static void
call_return_cancelled (GTask *task)
{
  call_return_error (task, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                                _("The request was cancelled")));
}

static void
call_return_success (GTask *task)
{
  Call *call = g_task_get_task_data (task);

  call_stop (call);
  g_debug ("%s %s done in %" G_GINT64_FORMAT " ms", call->method, call->url,
           (g_get_monotonic_time () - call->start_usec) / 1000);

  switch (call->kind)
    {
    case CALL_MODELS:
      g_task_return_pointer (task, g_steal_pointer (&call->models), (GDestroyNotify) g_ptr_array_unref);
      break;

    case CALL_COMPLETE:
      relay_message_set_duration_usec (call->message, g_get_monotonic_time () - call->start_usec);
      relay_message_set_state (call->message, RELAY_MESSAGE_STATE_COMPLETE);
      g_task_return_pointer (task, g_object_ref (call->message), g_object_unref);
      break;

    case CALL_STREAM:
      relay_message_set_duration_usec (call->message, g_get_monotonic_time () - call->start_usec);
      relay_message_set_state (call->message, RELAY_MESSAGE_STATE_COMPLETE);
      g_task_return_boolean (task, TRUE);
      break;

    case CALL_IMAGE:
    default:
      g_task_return_pointer (task, g_bytes_new (call->buffer->data, call->buffer->len),
                             (GDestroyNotify) g_bytes_unref);
      break;
    }
}

/* ---------------------------------------------------------------------------------- */
/* Timers and cancellation                                                            */

static gboolean
call_timer_cb (gpointer user_data)
{
  GTask *task = user_data;
  Call *call = g_task_get_task_data (task);
  TimerKind kind = call->timer_kind;

  g_clear_pointer (&call->timer, g_source_unref);
  call->timer_kind = TIMER_NONE;

  if (kind == TIMER_RETRY)
    {
      call_attempt (task);
    }
  else
    {
      call->fired = kind;
      g_cancellable_cancel (call->attempt_cancellable);
    }
  return G_SOURCE_REMOVE;
}

static void
call_arm_timer (GTask     *task,
                TimerKind  kind,
                double     seconds)
{
  Call *call = g_task_get_task_data (task);

  call_clear_timer (call);
  if (seconds <= 0)
    return;

  call->timer = g_timeout_source_new ((guint) MAX (1, ceil (seconds * 1000)));
  call->timer_kind = kind;
  g_source_set_callback (call->timer, call_timer_cb, g_object_ref (task), g_object_unref);
  g_source_attach (call->timer, g_task_get_context (task));
}

/* The caller's cancellable is watched from the call's own context, so a cancel from any
 * thread lands here, between reads, and never races with the parsing of a chunk. */
static gboolean
call_cancelled_cb (GCancellable *cancellable,
                   gpointer      user_data)
{
  GTask *task = user_data;
  Call *call = g_task_get_task_data (task);
  g_autoptr(GTask) hold = g_object_ref (task);

  g_clear_pointer (&call->cancel_source, g_source_unref);
  if (call->done)
    return G_SOURCE_REMOVE;

  if (call->timer_kind == TIMER_RETRY)
    call_return_cancelled (task);
  else if (call->attempt_cancellable != NULL)
    g_cancellable_cancel (call->attempt_cancellable);
  return G_SOURCE_REMOVE;
}

static gboolean
user_cancelled (Call *call)
{
  return call->cancellable != NULL && g_cancellable_is_cancelled (call->cancellable);
}

/* ---------------------------------------------------------------------------------- */
/* Retries                                                                            */

static double
backoff_seconds (Call *call)
{
  RelayClient *self = call->self;
  double delay = self->retry_delay * pow (2, call->attempt - 1);

  /* Jitter spreads the retries of many clients that failed together. */
  delay = MIN (delay, self->max_retry_delay);
  return delay * g_random_double_range (0.5, 1.0);
}

/**
 * call_retry_or_fail:
 * @error: (transfer full): why the attempt failed
 * @retry_after_usec: what Retry-After asked for, or -1
 *
 * Only called while no part of an answer has arrived.
 */
static void
call_retry_or_fail (GTask  *task,
                    GError *error,
                    gint64  retry_after_usec)
{
  Call *call = g_task_get_task_data (task);
  RelayClient *self = call->self;
  double delay;

  g_assert (!call->answer_started);

  if (call->attempt >= call->max_attempts)
    {
      call_return_error (task, error);
      return;
    }

  if (retry_after_usec >= 0)
    {
      delay = retry_after_usec / (double) G_USEC_PER_SEC;
      if (delay > self->max_retry_delay)
        {
          call_return_error (task, error);
          return;
        }
      /* Not before the server said, and not all at the same instant. */
      delay += delay * g_random_double_range (0, 0.1);
    }
  else
    {
      delay = backoff_seconds (call);
    }

  scrub_key (call, error);
  g_debug ("%s %s: attempt %u failed (%s); retrying in %.2f s", call->method, call->url,
           call->attempt, error->message, delay);
  call_end_attempt (call);
  call_arm_timer (task, TIMER_RETRY, MAX (delay, 0.001));
  _relay_client_emit_retry_scheduled (self, call->kind == CALL_STREAM ? call->message : NULL,
                                      call->attempt + 1, delay, error);
  g_error_free (error);
}

/* ---------------------------------------------------------------------------------- */
/* Failures before and while reading                                                  */

static void
call_attempt_failed (GTask        *task,
                     const GError *error)
{
  Call *call = g_task_get_task_data (task);
  RelayClient *self = call->self;
  g_autofree char *host = host_of (call->url);

  if (user_cancelled (call))
    {
      call_return_cancelled (task);
      return;
    }

  switch (call->fired)
    {
    case TIMER_RESPONSE:
      /* The request went out; the server may be working on it, so no retry. */
      call_return_error (task, g_error_new (RELAY_ERROR, RELAY_ERROR_TIMEOUT,
                                            _("%s did not answer within %.0f seconds"),
                                            host, call->kind == CALL_STREAM || call->kind == CALL_IMAGE ?
                                            self->idle_timeout : self->response_timeout));
      return;

    case TIMER_SEND:
      call_retry_or_fail (task, g_error_new (RELAY_ERROR, RELAY_ERROR_TIMEOUT,
                                             _("Could not connect to %s within %.0f seconds"),
                                             host, self->connect_timeout), -1);
      return;

    case TIMER_NONE:
    case TIMER_IDLE:
    case TIMER_RETRY:
    default:
      break;
    }

  if (error->domain == G_TLS_ERROR)
    {
      call_return_error (task, g_error_new (RELAY_ERROR, RELAY_ERROR_NETWORK,
                                            _("Could not make a secure connection to %s: %s"),
                                            host, error->message));
      return;
    }

  /* GIO's own message usually names the host already. */
  if (strstr (error->message, host) != NULL)
    call_retry_or_fail (task, g_error_new_literal (RELAY_ERROR, RELAY_ERROR_NETWORK, error->message), -1);
  else
    call_retry_or_fail (task, g_error_new (RELAY_ERROR, RELAY_ERROR_NETWORK,
                                           _("Could not reach %s: %s"), host, error->message), -1);
}

static void call_error_status (GTask *task);

static void
call_read_failed (GTask        *task,
                  const GError *error)
{
  Call *call = g_task_get_task_data (task);
  g_autofree char *host = host_of (call->url);

  if (user_cancelled (call))
    {
      call_return_cancelled (task);
      return;
    }

  if (call->fired == TIMER_IDLE)
    {
      call_return_error (task, g_error_new (RELAY_ERROR, RELAY_ERROR_TIMEOUT,
                                            _("%s stopped sending for %.0f seconds"),
                                            host, call->self->idle_timeout));
      return;
    }

  if (!call->answer_started)
    {
      /* An error status whose body broke off: the status still says what happened. */
      call_error_status (task);
      return;
    }

  call_return_error (task, g_error_new (RELAY_ERROR, RELAY_ERROR_NETWORK,
                                        _("The connection to %s dropped before the reply was complete: %s"),
                                        host, error->message));
}

/* ---------------------------------------------------------------------------------- */
/* Error statuses                                                                     */

static void
call_start_models_fallback (GTask *task)
{
  Call *call = g_task_get_task_data (task);
  g_autoptr(GUri) base = g_uri_parse (call->url, G_URI_FLAGS_NONE, NULL);
  g_autoptr(GUri) fallback = NULL;

  /* RouteLLM's own listRouteLLMModels lives at the host's root, not under /v1. */
  fallback = g_uri_parse_relative (base, "/api/v0/listRouteLLMModels", G_URI_FLAGS_NONE, NULL);
  g_free (call->url);
  call->url = g_uri_to_string (fallback);
  call->models_fallback = TRUE;
  call->attempt = 0;
  call_end_attempt (call);
  call_attempt (task);
}

static void
call_error_status (GTask *task)
{
  Call *call = g_task_get_task_data (task);
  SoupMessageHeaders *headers = soup_message_get_response_headers (call->msg);
  const char *content_type = soup_message_headers_get_content_type (headers, NULL);
  const char *retry_after = soup_message_headers_get_one (headers, "Retry-After");
  gint64 retry_after_usec = -1;
  GError *error;

  if (call->kind == CALL_MODELS && call->status == SOUP_STATUS_NOT_FOUND && !call->models_fallback)
    {
      call_start_models_fallback (task);
      return;
    }

  if (SOUP_STATUS_IS_REDIRECTION (call->status))
    {
      /* Following it would send the key to wherever the redirect points. */
      g_autofree char *host = host_of (call->url);
      const char *location = soup_message_headers_get_one (headers, "Location");

      call_return_error (task, g_error_new (RELAY_ERROR, RELAY_ERROR_INVALID_RESPONSE,
                                            _("%s redirected the request to %s; check the base URL"),
                                            host, location != NULL ? location : "?"));
      return;
    }

  error = relay_response_parse_error (call->status, content_type,
                                      call->buffer->len > 0 ? (const char *) call->buffer->data : "",
                                      call->buffer->len);
  if (retry_after != NULL)
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

      if (!relay_response_parse_retry_after (retry_after, now, &retry_after_usec))
        retry_after_usec = -1;
    }

  if (call->kind != CALL_IMAGE &&
      (call->status == 429 ||
       call->status == SOUP_STATUS_REQUEST_TIMEOUT ||
       SOUP_STATUS_IS_SERVER_ERROR (call->status)))
    call_retry_or_fail (task, error, retry_after_usec);
  else
    call_return_error (task, error);
}

/* ---------------------------------------------------------------------------------- */
/* Sending                                                                            */

static void
msg_progress_cb (Call *call)
{
  if (call->timer_kind == TIMER_SEND)
    call_arm_timer (call->task, TIMER_SEND, call->self->connect_timeout);
}

static void
msg_network_event_cb (SoupMessage        *msg,
                      GSocketClientEvent  event,
                      GIOStream          *connection,
                      Call               *call)
{
  msg_progress_cb (call);
}

static void
msg_wrote_body_data_cb (SoupMessage *msg,
                        guint        chunk_size,
                        Call        *call)
{
  msg_progress_cb (call);
}

static void
msg_wrote_body_cb (SoupMessage *msg,
                   Call        *call)
{
  RelayClient *self = call->self;

  /* The request is out: from now on the wait is for the server to think. */
  if (call->timer_kind == TIMER_SEND || call->timer_kind == TIMER_NONE)
    call_arm_timer (call->task, TIMER_RESPONSE,
                    call->kind == CALL_COMPLETE || call->kind == CALL_MODELS ?
                    self->response_timeout : self->idle_timeout);
}

static gboolean
call_check_answer_headers (GTask *task)
{
  Call *call = g_task_get_task_data (task);
  SoupMessageHeaders *headers = soup_message_get_response_headers (call->msg);
  const char *content_type = soup_message_headers_get_content_type (headers, NULL);
  goffset length = soup_message_headers_get_content_length (headers);

  switch (call->kind)
    {
    case CALL_IMAGE:
      if (content_type == NULL || !g_str_has_prefix (content_type, "image/"))
        {
          call_return_error (task, g_error_new (RELAY_ERROR, RELAY_ERROR_INVALID_RESPONSE,
                                                _("The generated image is not an image (it is “%s”)"),
                                                content_type != NULL ? content_type : "?"));
          return FALSE;
        }
      if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH &&
          length > RELAY_IMAGE_MAX_SIZE)
        {
          call_return_error (task, g_error_new (RELAY_ERROR, RELAY_ERROR_TOO_LARGE,
                                                _("The generated image is too large (%" G_GOFFSET_FORMAT " bytes)"),
                                                length));
          return FALSE;
        }
      call->max_body = RELAY_IMAGE_MAX_SIZE;
      break;

    case CALL_STREAM:
      /* Some servers answer a streamed request for an image model with plain JSON. */
      call->json_in_stream = content_type != NULL && g_str_has_suffix (content_type, "json");
      call->max_body = call->json_in_stream ? MAX_COMPLETION_BODY : MAX_STREAM_BODY;
      break;

    case CALL_MODELS:
      call->max_body = MAX_MODELS_BODY;
      break;

    case CALL_COMPLETE:
    default:
      call->max_body = MAX_COMPLETION_BODY;
      break;
    }
  return TRUE;
}

static void
call_send_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Call *call = g_task_get_task_data (task);
  g_autoptr(GInputStream) input = NULL;
  g_autoptr(GError) error = NULL;

  input = soup_session_send_finish (SOUP_SESSION (object), result, &error);
  if (call->done)
    return;
  call_clear_timer (call);

  if (input == NULL)
    {
      call_attempt_failed (task, error);
      return;
    }

  call->status = soup_message_get_status (call->msg);
  call->input = g_steal_pointer (&input);
  g_debug ("%s %s → %u (attempt %u, %" G_GINT64_FORMAT " ms)", call->method, call->url,
           call->status, call->attempt, (g_get_monotonic_time () - call->attempt_usec) / 1000);

  if (SOUP_STATUS_IS_SUCCESSFUL (call->status))
    {
      if (!call_check_answer_headers (task))
        return;
      call->answer_started = TRUE;
    }
  else
    {
      call->max_body = MAX_ERROR_BODY;
    }

  call_read_next (task);
}

static void
call_attempt (GTask *task)
{
  Call *call = g_task_get_task_data (task);
  RelayClient *self = call->self;
  SoupMessageHeaders *headers;

  /* Stopped while the key or the body was being prepared: send nothing. */
  if (user_cancelled (call))
    {
      call_return_cancelled (task);
      return;
    }

  call_end_attempt (call);
  g_byte_array_set_size (call->buffer, 0);
  call->received = 0;
  call->answer_started = FALSE;
  call->attempt++;
  call->attempt_usec = g_get_monotonic_time ();
  call->attempt_cancellable = g_cancellable_new ();

  call->msg = soup_message_new (call->method, call->url);
  if (call->msg == NULL)
    {
      call_return_error (task, g_error_new (RELAY_ERROR, RELAY_ERROR_INVALID_ARGUMENT,
                                            _("“%s” is not a valid address"), call->url));
      return;
    }

  headers = soup_message_get_request_headers (call->msg);
  if (call->api_key != NULL)
    {
      g_autofree char *authorization = g_strconcat ("Bearer ", call->api_key, NULL);

      soup_message_headers_replace (headers, "Authorization", authorization);
      if (call->models_fallback)
        soup_message_headers_replace (headers, "apiKey", call->api_key);
      soup_message_add_flags (call->msg, SOUP_MESSAGE_NO_REDIRECT);
    }
  soup_message_headers_replace (headers, "Accept",
                                call->kind == CALL_STREAM ? "text/event-stream" :
                                call->kind == CALL_IMAGE ? "image/*" : "application/json");
  if (call->body != NULL)
    soup_message_set_request_body_from_bytes (call->msg, "application/json", call->body);

  g_signal_connect (call->msg, "network-event", G_CALLBACK (msg_network_event_cb), call);
  g_signal_connect (call->msg, "wrote-body-data", G_CALLBACK (msg_wrote_body_data_cb), call);
  g_signal_connect (call->msg, "wrote-body", G_CALLBACK (msg_wrote_body_cb), call);

  g_debug ("%s %s (attempt %u of %u)", call->method, call->url, call->attempt, call->max_attempts);
  call_arm_timer (task, TIMER_SEND, self->connect_timeout);
  soup_session_send_async (self->session, call->msg, G_PRIORITY_DEFAULT, call->attempt_cancellable,
                           call_send_cb, g_object_ref (task));
}

/* ---------------------------------------------------------------------------------- */
/* The answer                                                                         */

typedef struct
{
  GBytes *bytes;
  guint   number;
} ImageCheck;

static void
image_check_free (gpointer data)
{
  ImageCheck *check = data;

  g_bytes_unref (check->bytes);
  g_free (check);
}

/* Decoding a large image takes a while: off the main thread. */
static void
image_check_thread (GTask        *task,
                    gpointer      source_object,
                    gpointer      task_data,
                    GCancellable *cancellable)
{
  ImageCheck *check = task_data;
  g_autofree char *mime_type = NULL;
  g_autofree char *filename = NULL;
  GError *error = NULL;
  RelayAttachment *attachment;
  int width, height;

  if (!relay_response_check_image (check->bytes, RELAY_IMAGE_MAX_SIZE, &mime_type, &width, &height, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  filename = g_strdup_printf ("image-%u.%s", check->number, strchr (mime_type, '/') + 1);
  attachment = relay_attachment_new_for_bytes (check->bytes, filename, mime_type, &error);
  if (attachment == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  g_debug ("Generated image %u: %s, %d×%d, %" G_GSIZE_FORMAT " bytes", check->number,
           mime_type, width, height, g_bytes_get_size (check->bytes));
  g_task_return_pointer (task, attachment, g_object_unref);
}

/* Keeps the first image that could not be used; the call fails with it only if the
 * answer holds nothing else, as relay_response_parse_completion() does. */
static void
call_image_refused (Call   *call,
                    GError *error)
{
  g_debug ("Left out generated image %u: %s", call->next_image, error->message);
  if (call->image_error == NULL)
    {
      call->image_error = g_error_copy (error);
      g_prefix_error (&call->image_error, _("Generated image %u: "), call->next_image);
    }
}

static void
call_image_checked_cb (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Call *call = g_task_get_task_data (task);
  g_autoptr(RelayAttachment) attachment = NULL;
  g_autoptr(GError) error = NULL;

  attachment = g_task_propagate_pointer (G_TASK (result), &error);
  if (call->done)
    return;
  if (attachment != NULL)
    relay_message_add_attachment (call->message, attachment);
  else
    call_image_refused (call, error);
  call_next_image (task);
}

static void image_fetch_async (RelayClient         *self,
                               const char          *url,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data);

static void
call_image_fetched_cb (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Call *call = g_task_get_task_data (task);
  g_autoptr(GTask) check_task = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  ImageCheck *check;

  bytes = g_task_propagate_pointer (G_TASK (result), &error);
  if (call->done)
    return;
  if (bytes == NULL)
    {
      if (user_cancelled (call))
        {
          call_return_cancelled (task);
          return;
        }
      call_image_refused (call, error);
      call_next_image (task);
      return;
    }

  check = g_new0 (ImageCheck, 1);
  check->bytes = g_steal_pointer (&bytes);
  check->number = call->next_image;
  check_task = g_task_new (NULL, call->cancellable, call_image_checked_cb, g_steal_pointer (&task));
  g_task_set_source_tag (check_task, call_image_fetched_cb);
  g_task_set_task_data (check_task, check, image_check_free);
  g_task_run_in_thread (check_task, image_check_thread);
}

/* Brings in each generated image: the parser already decoded and checked data: URIs;
 * https URLs (http only on this computer) are downloaded without the key and checked. */
static void
call_next_image (GTask *task)
{
  Call *call = g_task_get_task_data (task);
  RelayAttachment *image;
  const char *url;

  if (call->images == NULL || call->next_image >= call->images->len)
    {
      if (call->image_error != NULL &&
          relay_message_get_attachments (call->message)->len == 0 &&
          relay_message_get_content_length (call->message) == 0)
        call_return_error (task, g_steal_pointer (&call->image_error));
      else
        call_return_success (task);
      return;
    }

  image = g_ptr_array_index (call->images, call->next_image++);
  url = relay_attachment_get_url (image);

  if (relay_attachment_get_bytes (image) != NULL || url == NULL)
    {
      relay_message_add_attachment (call->message, image);
      call_next_image (task);
    }
  else if (g_ascii_strncasecmp (url, "https://", 8) == 0 ||
           (g_ascii_strncasecmp (url, "http://", 7) == 0 && _relay_client_url_is_loopback (url)))
    {
      image_fetch_async (call->self, url, call->cancellable, call_image_fetched_cb, g_object_ref (task));
    }
  else
    {
      g_autoptr(GError) error = g_error_new (RELAY_ERROR, RELAY_ERROR_INVALID_RESPONSE,
                                             _("Relay does not fetch images from “%s”"), url);
      call_image_refused (call, error);
      call_next_image (task);
    }
}

/* A stream answered with a whole completion: give it to the message as one delta. */
static void
apply_completion (RelayMessage *target,
                  RelayMessage *parsed)
{
  GPtrArray *calls = relay_message_get_tool_calls (parsed);

  relay_message_append_content (target, relay_message_get_content (parsed), -1);
  if (relay_message_get_routed_model (parsed) != NULL)
    relay_message_set_routed_model (target, relay_message_get_routed_model (parsed));
  relay_message_set_finish_reason (target, relay_message_get_finish_reason (parsed));
  if (relay_message_get_total_tokens (parsed) >= 0)
    relay_message_set_usage (target, relay_message_get_prompt_tokens (parsed),
                             relay_message_get_completion_tokens (parsed),
                             relay_message_get_total_tokens (parsed));
  if (relay_message_get_compute_points (parsed) >= 0)
    relay_message_set_compute_points (target, relay_message_get_compute_points (parsed));

  for (guint i = 0; i < calls->len; i++)
    {
      RelayToolCall *from = g_ptr_array_index (calls, i);
      RelayToolCall *to = relay_message_ensure_tool_call (target, from->index);

      g_set_str (&to->id, from->id);
      g_set_str (&to->type, from->type);
      g_set_str (&to->name, from->name);
      g_string_assign (to->arguments, from->arguments->str);
    }
  if (calls->len > 0)
    relay_message_tool_calls_changed (target);
}

static void
call_answer_done (GTask *task)
{
  Call *call = g_task_get_task_data (task);
  const char *data = call->buffer->len > 0 ? (const char *) call->buffer->data : "";
  gsize length = call->buffer->len;
  g_autoptr(GPtrArray) images = NULL;
  g_autoptr(GError) error = NULL;

  switch (call->kind)
    {
    case CALL_MODELS:
      call->models = relay_model_info_parse_list_data (data, length, &error);
      if (call->models == NULL)
        goto invalid;
      call->models_body = g_bytes_new (data, length);
      call_return_success (task);
      return;

    case CALL_COMPLETE:
      call->message = relay_response_parse_completion (data, length, &images, &error);
      if (call->message == NULL)
        goto invalid;
      relay_message_set_model (call->message, relay_chat_request_get_model (call->request));
      call->images = g_steal_pointer (&images);
      call_next_image (task);
      return;

    case CALL_STREAM:
      if (call->json_in_stream)
        {
          g_autoptr(RelayMessage) parsed = relay_response_parse_completion (data, length, &images, &error);

          if (parsed == NULL)
            goto invalid;
          apply_completion (call->message, parsed);
          call->images = g_steal_pointer (&images);
        }
      else
        {
          GPtrArray *streamed;

          if (!relay_sse_parser_finish (call->sse, &error) ||
              !relay_stream_assembler_finish (call->assembler, &error))
            goto invalid;
          streamed = relay_stream_assembler_get_images (call->assembler);
          if (streamed != NULL && streamed->len > 0)
            call->images = g_ptr_array_ref (streamed);
        }
      call_next_image (task);
      return;

    case CALL_IMAGE:
    default:
      call_return_success (task);
      return;
    }

invalid:
  if (error->domain != RELAY_ERROR)
    {
      GError *wrapped = g_error_new (RELAY_ERROR, RELAY_ERROR_INVALID_RESPONSE, "%s", error->message);
      g_clear_error (&error);
      error = wrapped;
    }
  call_return_error (task, g_steal_pointer (&error));
}

/* The call parses the events itself, so that a Stop between two events of one read
 * keeps the second from reaching the message. */
static gboolean
call_sse_event_cb (const RelaySseEvent  *event,
                   gpointer              user_data,
                   GError              **error)
{
  Call *call = user_data;

  if (user_cancelled (call))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CANCELLED, _("The request was cancelled"));
      return FALSE;
    }
  return relay_stream_assembler_feed_event (call->assembler, event, error);
}

static gboolean
call_take_bytes (GTask   *task,
                 GBytes  *bytes,
                 GError **error)
{
  Call *call = g_task_get_task_data (task);
  gsize size = g_bytes_get_size (bytes);
  const char *data = g_bytes_get_data (bytes, NULL);

  call->received += size;
  if (call->received > call->max_body)
    {
      if (!call->answer_started)
        return TRUE; /* an oversized error page: its start says enough */
      g_set_error (error, RELAY_ERROR, RELAY_ERROR_TOO_LARGE,
                   _("The answer is larger than Relay accepts (%" G_GSIZE_FORMAT " MB)"),
                   call->max_body / (1024 * 1024));
      return FALSE;
    }

  if (call->kind == CALL_STREAM && call->answer_started && !call->json_in_stream)
    return relay_sse_parser_feed (call->sse, data, size, error);

  g_byte_array_append (call->buffer, (const guint8 *) data, size);
  return TRUE;
}

static void
call_read_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Call *call = g_task_get_task_data (task);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;

  bytes = g_input_stream_read_bytes_finish (G_INPUT_STREAM (object), result, &error);
  if (call->done)
    return;
  call_clear_timer (call);

  if (bytes == NULL)
    {
      call_read_failed (task, error);
      return;
    }

  /* Stopped by the user: not one more delta, even if bytes were already here. */
  if (user_cancelled (call))
    {
      call_return_cancelled (task);
      return;
    }

  if (g_bytes_get_size (bytes) == 0)
    {
      if (call->answer_started)
        call_answer_done (task);
      else
        call_error_status (task);
      return;
    }

  if (!call_take_bytes (task, bytes, &error))
    {
      call_return_error (task, g_steal_pointer (&error));
      return;
    }

  call_read_next (task);
}

static void
call_read_next (GTask *task)
{
  Call *call = g_task_get_task_data (task);

  call_arm_timer (task, TIMER_IDLE, call->self->idle_timeout);
  g_input_stream_read_bytes_async (call->input, READ_SIZE, G_PRIORITY_DEFAULT,
                                   call->attempt_cancellable, call_read_cb, g_object_ref (task));
}

/* ---------------------------------------------------------------------------------- */
/* Starting                                                                           */

static GTask *
call_new (RelayClient         *self,
          CallKind             kind,
          const char          *method,
          char                *url,
          GCancellable        *cancellable,
          GAsyncReadyCallback  callback,
          gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  Call *call = g_new0 (Call, 1);

  call->self = self;
  call->task = task;
  call->kind = kind;
  call->method = method;
  call->url = url;
  call->cancellable = cancellable != NULL ? g_object_ref (cancellable) : NULL;
  call->buffer = g_byte_array_new ();
  call->max_attempts = self->max_attempts;
  call->start_usec = g_get_monotonic_time ();
  g_task_set_task_data (task, call, call_free);

  if (cancellable != NULL)
    {
      call->cancel_source = g_cancellable_source_new (cancellable);
      g_source_set_callback (call->cancel_source, G_SOURCE_FUNC (call_cancelled_cb), task, NULL);
      g_source_attach (call->cancel_source, g_task_get_context (task));
    }
  return task;
}

static void
call_body_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Call *call = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  call->body = relay_chat_request_to_bytes_finish (RELAY_CHAT_REQUEST (object), result, &error);
  if (call->done)
    return;
  if (call->body == NULL)
    {
      call_return_error (task, g_steal_pointer (&error));
      return;
    }
  call_attempt (task);
}

static void
call_key_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Call *call = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  call->api_key = _relay_client_get_key_finish (RELAY_CLIENT (object), result, &error);
  if (call->done)
    return;
  if (call->api_key == NULL)
    {
      call_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (call->request != NULL)
    relay_chat_request_to_bytes_async (call->request, call->cancellable, call_body_cb,
                                       g_steal_pointer (&task));
  else
    call_attempt (task);
}

/* Starts a call to the API: usable base URL, then the key, then the body, then attempts. */
static void
call_start (GTask *task)
{
  Call *call = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (!_relay_client_check_usable (call->self, &error))
    {
      call_return_error (task, g_steal_pointer (&error));
      return;
    }
  _relay_client_get_key_async (call->self, call->cancellable, call_key_cb, g_object_ref (task));
}

static void
image_fetch_async (RelayClient         *self,
                   const char          *url,
                   GCancellable        *cancellable,
                   GAsyncReadyCallback  callback,
                   gpointer             user_data)
{
  g_autoptr(GTask) task = call_new (self, CALL_IMAGE, "GET", g_strdup (url), cancellable,
                                    callback, user_data);

  g_task_set_source_tag (task, image_fetch_async);
  call_attempt (task);
}

/**
 * relay_client_list_models_async:
 *
 * Fetches `GET {base}/models`. Both shapes are understood: OpenAI's `{"data":[…]}` and
 * RouteLLM's `{"success":true,"result":[…]}`; where `/models` does not exist (404), RouteLLM's
 * `/api/v0/listRouteLLMModels` on the same host is asked instead.
 */
void
relay_client_list_models_async (RelayClient         *self,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (RELAY_IS_CLIENT (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = call_new (self, CALL_MODELS, "GET", g_strconcat (self->base_url, "/models", NULL),
                   cancellable, callback, user_data);
  g_task_set_source_tag (task, relay_client_list_models_async);
  call_start (task);
}

/**
 * relay_client_list_models_finish:
 *
 * Returns: (transfer full) (element-type RelayModelInfo): the models, as the server
 *   describes them
 */
GPtrArray *
relay_client_list_models_finish (RelayClient   *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (RELAY_IS_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * _relay_client_list_models_get_body:
 * @result: the result given to relay_client_list_models_async()'s callback
 *
 * Returns: (transfer none) (nullable): the model list's body as the server sent it, after
 *   a successful call, so that it can be cached and parsed again later
 */
GBytes *
_relay_client_list_models_get_body (GAsyncResult *result)
{
  Call *call;

  g_return_val_if_fail (G_IS_TASK (result), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == relay_client_list_models_async, NULL);

  call = g_task_get_task_data (G_TASK (result));
  return call->models_body;
}

static gboolean
validate_request (RelayChatRequest  *request,
                  GError           **error)
{
  g_autoptr(RelayModelInfo) info = relay_model_info_lookup_bundled (relay_chat_request_get_model (request));

  return relay_chat_request_validate (request, info, error);
}

/**
 * relay_client_complete_async:
 * @request: the request; its `stream` is turned off
 *
 * Sends @request and waits for the whole answer. Generated images are fetched (https,
 * without the key) or decoded (data: URIs), checked to be images of sane size, and
 * attached to the message.
 */
void
relay_client_complete_async (RelayClient         *self,
                             RelayChatRequest    *request,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  Call *call;

  g_return_if_fail (RELAY_IS_CLIENT (self));
  g_return_if_fail (RELAY_IS_CHAT_REQUEST (request));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = call_new (self, CALL_COMPLETE, "POST", g_strconcat (self->base_url, "/chat/completions", NULL),
                   cancellable, callback, user_data);
  g_task_set_source_tag (task, relay_client_complete_async);
  call = g_task_get_task_data (task);
  call->request = g_object_ref (request);
  relay_chat_request_set_stream (request, FALSE);

  if (!validate_request (request, &error))
    {
      call_return_error (task, g_steal_pointer (&error));
      return;
    }
  call_start (task);
}

/**
 * relay_client_complete_finish:
 *
 * Returns: (transfer full): the assistant's message, with its routed model, usage,
 *   tool calls and generated images
 */
RelayMessage *
relay_client_complete_finish (RelayClient   *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (RELAY_IS_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * relay_client_stream_async:
 * @request: the request; its `stream` and `include_usage` are turned on
 * @message: the assistant message to stream into
 *
 * Sends @request and folds the streamed answer into @message as it arrives: its text
 * through #RelayMessage::delta, the routed model, finish reason, usage and tool calls as
 * soon as a chunk carries them, then the time to the first token and the duration.
 *
 * @message is PENDING until the first token, STREAMING after, then COMPLETE, FAILED
 * (with #RelayMessage:error-message) or STOPPED (cancelled); text that arrived stays.
 */
void
relay_client_stream_async (RelayClient         *self,
                           RelayChatRequest    *request,
                           RelayMessage        *message,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  Call *call;

  g_return_if_fail (RELAY_IS_CLIENT (self));
  g_return_if_fail (RELAY_IS_CHAT_REQUEST (request));
  g_return_if_fail (RELAY_IS_MESSAGE (message));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = call_new (self, CALL_STREAM, "POST", g_strconcat (self->base_url, "/chat/completions", NULL),
                   cancellable, callback, user_data);
  g_task_set_source_tag (task, relay_client_stream_async);
  call = g_task_get_task_data (task);
  call->request = g_object_ref (request);
  call->message = g_object_ref (message);
  call->assembler = relay_stream_assembler_new (message);
  call->sse = relay_sse_parser_new (call_sse_event_cb, call, NULL);
  relay_stream_assembler_set_start_time (call->assembler, call->start_usec);
  relay_chat_request_set_stream (request, TRUE);
  relay_chat_request_set_include_usage (request, TRUE);

  relay_message_set_model (message, relay_chat_request_get_model (request));
  relay_message_set_state (message, RELAY_MESSAGE_STATE_PENDING);

  if (!validate_request (request, &error))
    {
      call_return_error (task, g_steal_pointer (&error));
      return;
    }
  call_start (task);
}

gboolean
relay_client_stream_finish (RelayClient   *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (RELAY_IS_CLIENT (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
