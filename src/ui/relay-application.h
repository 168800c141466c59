/* relay-application.h
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "relay-context.h"

G_BEGIN_DECLS

#define RELAY_TYPE_APPLICATION    (relay_application_get_type ())
#define RELAY_APPLICATION_DEFAULT (RELAY_APPLICATION (g_application_get_default ()))

G_DECLARE_FINAL_TYPE (RelayApplication, relay_application, RELAY, APPLICATION, AdwApplication)

RelayApplication *relay_application_new          (void);
GSettings        *relay_application_get_settings (RelayApplication *self);
RelayContext     *relay_application_get_context  (RelayApplication *self);

G_END_DECLS
