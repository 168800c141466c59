/* relay-model-catalog.h: the models to choose from, known even offline.
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "relay-client.h"
#include "relay-model-info.h"

G_BEGIN_DECLS

#define RELAY_TYPE_MODEL_CATALOG (relay_model_catalog_get_type ())

G_DECLARE_FINAL_TYPE (RelayModelCatalog, relay_model_catalog, RELAY, MODEL_CATALOG, GObject)

RelayModelCatalog *relay_model_catalog_new                (GFile              *cache_file,
                                                           const char         *base_url);

GFile             *relay_model_catalog_get_cache_file     (RelayModelCatalog  *self);
gboolean           relay_model_catalog_get_is_offline     (RelayModelCatalog  *self);
GDateTime         *relay_model_catalog_get_last_refreshed (RelayModelCatalog  *self);
gboolean           relay_model_catalog_get_refreshing     (RelayModelCatalog  *self);
RelayModelInfo    *relay_model_catalog_lookup             (RelayModelCatalog  *self,
                                                           const char         *id);

void               relay_model_catalog_refresh_async      (RelayModelCatalog  *self,
                                                           RelayClient        *client,
                                                           GCancellable       *cancellable,
                                                           GAsyncReadyCallback callback,
                                                           gpointer            user_data);
gboolean           relay_model_catalog_refresh_finish     (RelayModelCatalog  *self,
                                                           GAsyncResult       *result,
                                                           GError            **error);

G_END_DECLS
