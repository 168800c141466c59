/* fuzz-response.c: libFuzzer target for everything that reads a whole response body.
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The input is a body. It is read as a chat completion (with its images), as an error
 * body under a status the first byte chooses, as a model list, as a Retry-After value
 * and as a data: URI. None of them may crash, leak or raise a critical.
 */

#include "config.h"

#include <stdint.h>
#include <string.h>

#include "relay-attachment.h"
#include "relay-model-info.h"
#include "relay-response.h"

int LLVMFuzzerInitialize (int    *argc,
                          char ***argv);
int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

static const guint statuses[] = { 400, 401, 402, 403, 404, 408, 413, 422, 429, 500, 502, 503, 504, 200, 302, 0 };

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  g_log_set_always_fatal (G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  const char *body;
  gsize length;
  char *text;
  guint status;

  if (size < 1)
    return 0;
  status = statuses[data[0] % G_N_ELEMENTS (statuses)];
  body = (const char *) data + 1;
  length = size - 1;

  {
    GPtrArray *images = NULL;
    RelayMessage *message = relay_response_parse_completion (body, length, &images, NULL);

    if (message != NULL)
      {
        if (!g_utf8_validate (relay_message_get_content (message), -1, NULL) &&
            g_utf8_validate (body, length, NULL))
          g_error ("valid input made invalid text");
        g_object_unref (message);
        g_ptr_array_unref (images);
      }
  }

  {
    GError *error = relay_response_parse_error (status, data[0] & 1 ? "text/html" : NULL, body, length);

    if (error == NULL || !g_utf8_validate (error->message, -1, NULL))
      g_error ("error bodies must give a readable error");
    g_error_free (error);
  }

  {
    GPtrArray *models = relay_model_info_parse_list_data (body, length, NULL);

    g_clear_pointer (&models, g_ptr_array_unref);
  }

  text = g_strndup (body, length);
  {
    gint64 delay = -1;

    if (relay_response_parse_retry_after (text, NULL, &delay) &&
        (delay < 0 || delay > (gint64) 24 * 60 * 60 * G_USEC_PER_SEC))
      g_error ("Retry-After out of bounds: %" G_GINT64_FORMAT, delay);
  }
  {
    GBytes *bytes = relay_attachment_decode_data_uri (text, 1024 * 1024, NULL, NULL);

    g_clear_pointer (&bytes, g_bytes_unref);
  }
  g_free (text);

  return 0;
}
