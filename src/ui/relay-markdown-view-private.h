/* relay-markdown-view-private.h: what relay-markdown-view.c and
 * relay-markdown-view-blocks.c share.
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "relay-markdown-parser.h"
#include "relay-markdown-view.h"

G_BEGIN_DECLS

#define RELAY_MARKDOWN_BLOCK_SPACING 12

/* relay-markdown-view-blocks.c: block widgets */
GtkWidget         *_relay_markdown_view_create_block       (RelayMarkdownView *self,
                                                            RelayMarkdownNode *node);
GtkWidget         *_relay_markdown_view_update_or_replace  (RelayMarkdownView *self,
                                                            GtkWidget         *widget,
                                                            RelayMarkdownNode *node);
GtkWidget         *_relay_markdown_view_create_code_block  (RelayMarkdownView *self,
                                                            const char        *language);
RelayMarkdownNode *_relay_markdown_view_widget_get_node    (GtkWidget         *widget);
const char        *_relay_markdown_view_kind_name          (RelayMarkdownKind  kind);
void               _relay_markdown_view_append_shown_text  (GString           *out,
                                                            GtkWidget         *widget);

/* relay-markdown-view.c: what block widgets tell the view */
void               _relay_markdown_view_activate_link      (RelayMarkdownView *self,
                                                            const char        *uri);
void               _relay_markdown_view_code_copied        (RelayMarkdownView *self,
                                                            const char        *code);

G_END_DECLS
