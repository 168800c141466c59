/* relay-toast.c
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "relay-toast"

#include "config.h"

#include "relay-toast.h"

/**
 * relay_toast_show:
 * @widget: a widget inside the window that should show the toast
 * @toast: (transfer full): the toast
 *
 * Shows @toast in the nearest #AdwToastOverlay above @widget, so that widgets need not be
 * told where their window keeps its overlay.
 *
 * Returns: whether an overlay was found; without one the toast is dropped
 */
gboolean
relay_toast_show (GtkWidget *widget,
                  AdwToast  *toast)
{
  g_autoptr(AdwToast) owned = toast;
  GtkWidget *overlay;

  g_return_val_if_fail (GTK_IS_WIDGET (widget), FALSE);
  g_return_val_if_fail (ADW_IS_TOAST (toast), FALSE);

  overlay = gtk_widget_get_ancestor (widget, ADW_TYPE_TOAST_OVERLAY);
  if (overlay == NULL)
    {
      g_debug ("No toast overlay above %s for “%s”",
               G_OBJECT_TYPE_NAME (widget), adw_toast_get_title (toast));
      return FALSE;
    }
  adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), g_steal_pointer (&owned));
  return TRUE;
}
