/* relay-model-picker.h
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define RELAY_TYPE_MODEL_PICKER (relay_model_picker_get_type ())

G_DECLARE_FINAL_TYPE (RelayModelPicker, relay_model_picker, RELAY, MODEL_PICKER, GtkWidget)

GtkWidget  *relay_model_picker_new                   (void);
GListModel *relay_model_picker_get_models            (RelayModelPicker *self);
void        relay_model_picker_set_models            (RelayModelPicker *self,
                                                      GListModel       *models);
const char *relay_model_picker_get_selected_model_id (RelayModelPicker *self);
void        relay_model_picker_set_selected_model_id (RelayModelPicker *self,
                                                      const char       *model_id);
gboolean    relay_model_picker_get_offline           (RelayModelPicker *self);
void        relay_model_picker_set_offline           (RelayModelPicker *self,
                                                      gboolean          offline);
gboolean    relay_model_picker_get_compact           (RelayModelPicker *self);
void        relay_model_picker_set_compact           (RelayModelPicker *self,
                                                      gboolean          compact);
void        relay_model_picker_popup                 (RelayModelPicker *self);
void        relay_model_picker_popdown               (RelayModelPicker *self);

G_END_DECLS
