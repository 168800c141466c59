/* relay-preferences-dialog.h
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define RELAY_TYPE_PREFERENCES_DIALOG (relay_preferences_dialog_get_type ())

G_DECLARE_FINAL_TYPE (RelayPreferencesDialog, relay_preferences_dialog, RELAY, PREFERENCES_DIALOG, AdwPreferencesDialog)

AdwDialog *relay_preferences_dialog_new (GSettings *settings);

G_END_DECLS
