/* relay-error.h
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define RELAY_ERROR (relay_error_quark ())

/**
 * RelayError:
 *
 * What went wrong talking to RouteLLM, in the terms the user can act on.
 */
typedef enum
{
  RELAY_ERROR_UNAUTHORIZED,     /* 401: the key is wrong or revoked */
  RELAY_ERROR_FORBIDDEN,        /* 403: the key may not use this */
  RELAY_ERROR_NOT_FOUND,        /* 404, or a model the server does not know */
  RELAY_ERROR_BAD_REQUEST,      /* 400/422, or refused before sending */
  RELAY_ERROR_RATE_LIMITED,     /* 429 */
  RELAY_ERROR_SERVER,           /* 5xx */
  RELAY_ERROR_NETWORK,          /* could not connect, or the connection dropped */
  RELAY_ERROR_TIMEOUT,          /* no answer in time */
  RELAY_ERROR_INVALID_RESPONSE, /* the answer is not what the protocol says */
  RELAY_ERROR_CANCELLED,        /* the user stopped it */
  RELAY_ERROR_INVALID_ARGUMENT, /* bad settings: base URL, key, parameters */
  RELAY_ERROR_UNSUPPORTED,      /* the model does not take this input or parameter */
  RELAY_ERROR_TOO_LARGE,        /* 413, or a file, image or stream over Relay's limits */
  RELAY_ERROR_QUOTA,            /* 402, or the account is out of credits */
} RelayError;

GQuark relay_error_quark (void);

G_END_DECLS
