/* relay-window.h
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "relay-application.h"

G_BEGIN_DECLS

#define RELAY_TYPE_WINDOW (relay_window_get_type ())

G_DECLARE_FINAL_TYPE (RelayWindow, relay_window, RELAY, WINDOW, AdwApplicationWindow)

RelayWindow       *relay_window_new              (RelayApplication  *application);
RelayConversation *relay_window_get_conversation (RelayWindow       *self);
void               relay_window_set_conversation (RelayWindow       *self,
                                                  RelayConversation *conversation);
void               relay_window_add_toast        (RelayWindow       *self,
                                                  AdwToast          *toast);

G_END_DECLS
