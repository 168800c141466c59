/* relay-markdown-view.h: a reply's Markdown as widgets, updated as the reply streams.
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "relay-message.h"

G_BEGIN_DECLS

#define RELAY_TYPE_MARKDOWN_VIEW (relay_markdown_view_get_type ())

G_DECLARE_FINAL_TYPE (RelayMarkdownView, relay_markdown_view, RELAY, MARKDOWN_VIEW, GtkWidget)

GtkWidget  *relay_markdown_view_new            (void);

const char *relay_markdown_view_get_text       (RelayMarkdownView *self);
void        relay_markdown_view_set_text       (RelayMarkdownView *self,
                                                const char        *text);
void        relay_markdown_view_append         (RelayMarkdownView *self,
                                                const char        *text,
                                                gssize             length);
void        relay_markdown_view_flush          (RelayMarkdownView *self);

RelayMessage *relay_markdown_view_get_message  (RelayMarkdownView *self);
void        relay_markdown_view_set_message    (RelayMarkdownView *self,
                                                RelayMessage      *message);

gboolean    relay_markdown_view_get_json_mode  (RelayMarkdownView *self);
void        relay_markdown_view_set_json_mode  (RelayMarkdownView *self,
                                                gboolean           json_mode);

guint       relay_markdown_view_get_n_blocks   (RelayMarkdownView *self);
GtkWidget  *relay_markdown_view_get_block      (RelayMarkdownView *self,
                                                guint              index);
const char *relay_markdown_view_get_block_kind (RelayMarkdownView *self,
                                                guint              index);
char       *relay_markdown_view_dup_shown_text (RelayMarkdownView *self);

G_END_DECLS
