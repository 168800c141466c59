/* relay-toast.h: showing a toast from anywhere in a window.
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

gboolean relay_toast_show (GtkWidget *widget,
                           AdwToast  *toast);

G_END_DECLS
