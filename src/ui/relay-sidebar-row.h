/* relay-sidebar-row.h: one conversation in the sidebar.
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "relay-conversation.h"

G_BEGIN_DECLS

#define RELAY_TYPE_SIDEBAR_ROW (relay_sidebar_row_get_type ())

G_DECLARE_FINAL_TYPE (RelaySidebarRow, relay_sidebar_row, RELAY, SIDEBAR_ROW, GtkWidget)

GtkWidget         *relay_sidebar_row_new               (void);
RelayConversation *relay_sidebar_row_get_conversation  (RelaySidebarRow   *self);
void               relay_sidebar_row_set_conversation  (RelaySidebarRow   *self,
                                                        RelayConversation *conversation);
void               relay_sidebar_row_popup_menu        (RelaySidebarRow   *self,
                                                        double             x,
                                                        double             y);
char              *relay_sidebar_row_dup_display_title (gpointer           unused,
                                                        const char        *title);

G_END_DECLS
