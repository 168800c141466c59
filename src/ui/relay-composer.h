/* relay-composer.h
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define RELAY_TYPE_COMPOSER (relay_composer_get_type ())

G_DECLARE_FINAL_TYPE (RelayComposer, relay_composer, RELAY, COMPOSER, GtkWidget)

GtkWidget  *relay_composer_new                 (void);
char       *relay_composer_dup_text            (RelayComposer *self);
void        relay_composer_set_text            (RelayComposer *self,
                                                const char    *text);
gboolean    relay_composer_get_busy            (RelayComposer *self);
void        relay_composer_set_busy            (RelayComposer *self,
                                                gboolean       busy);
const char *relay_composer_get_blocked_reason  (RelayComposer *self);
void        relay_composer_set_blocked_reason  (RelayComposer *self,
                                                const char    *reason);
const char *relay_composer_get_status          (RelayComposer *self);
void        relay_composer_set_status          (RelayComposer *self,
                                                const char    *status);
gboolean    relay_composer_get_send_with_enter (RelayComposer *self);
void        relay_composer_set_send_with_enter (RelayComposer *self,
                                                gboolean       send_with_enter);
void        relay_composer_focus               (RelayComposer *self);

G_END_DECLS
