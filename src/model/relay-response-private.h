/* relay-response-private.h: what the stream assembler shares with the response parser.
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "relay-response.h"

G_BEGIN_DECLS

void _relay_response_set_usage (RelayMessage *message,
                                JsonObject   *usage);

G_END_DECLS
