/* relay-error.c
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "relay-error.h"

G_DEFINE_QUARK (relay-error-quark, relay_error)
