/* relay-model-picker-row.h
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "relay-model-info.h"

G_BEGIN_DECLS

#define RELAY_TYPE_MODEL_PICKER_ROW (relay_model_picker_row_get_type ())

G_DECLARE_FINAL_TYPE (RelayModelPickerRow, relay_model_picker_row,
                      RELAY, MODEL_PICKER_ROW, GtkWidget)

GtkWidget      *relay_model_picker_row_new          (void);
RelayModelInfo *relay_model_picker_row_get_model    (RelayModelPickerRow *self);
void            relay_model_picker_row_set_model    (RelayModelPickerRow *self,
                                                     RelayModelInfo      *model);
gboolean        relay_model_picker_row_get_selected (RelayModelPickerRow *self);
void            relay_model_picker_row_set_selected (RelayModelPickerRow *self,
                                                     gboolean             selected);
char           *relay_model_picker_row_dup_summary  (RelayModelPickerRow *self);
char           *relay_model_picker_row_format_price (RelayModelInfo      *model);

G_END_DECLS
