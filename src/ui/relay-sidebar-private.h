/* relay-sidebar-private.h: what the sidebar's rows ask of it.
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "relay-sidebar.h"

G_BEGIN_DECLS

void _relay_sidebar_check_section (RelaySidebar      *self,
                                   RelayConversation *conversation);

G_END_DECLS
