/* relay-code-block.h: a code block of a reply, as a card with a Copy button.
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define RELAY_TYPE_CODE_BLOCK (relay_code_block_get_type ())

G_DECLARE_FINAL_TYPE (RelayCodeBlock, relay_code_block, RELAY, CODE_BLOCK, GtkWidget)

GtkWidget  *relay_code_block_new          (const char     *language);
const char *relay_code_block_get_language (RelayCodeBlock *self);
void        relay_code_block_set_language (RelayCodeBlock *self,
                                           const char     *language);
const char *relay_code_block_get_code     (RelayCodeBlock *self);
void        relay_code_block_set_code     (RelayCodeBlock *self,
                                           const char     *code,
                                           gssize          length);
void        relay_code_block_copy         (RelayCodeBlock *self);

G_END_DECLS
