/* relay-markdown-parser.h: Markdown (md4c) to a tree of blocks with Pango markup.
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Private to RelayMarkdownView: the parsed form of a reply, which the view turns into
 * widgets and compares with the previous parse to touch only the blocks that changed. */

typedef enum
{
  RELAY_MARKDOWN_PARAGRAPH,
  RELAY_MARKDOWN_HEADING,
  RELAY_MARKDOWN_CODE,
  RELAY_MARKDOWN_QUOTE,
  RELAY_MARKDOWN_LIST,
  RELAY_MARKDOWN_ITEM,
  RELAY_MARKDOWN_RULE,
  RELAY_MARKDOWN_TABLE,
  RELAY_MARKDOWN_ROW,
  RELAY_MARKDOWN_CELL,
} RelayMarkdownKind;

typedef enum
{
  RELAY_MARKDOWN_ORDERED = 1 << 0, /* lists */
  RELAY_MARKDOWN_LOOSE   = 1 << 1, /* lists: items apart by a blank line */
  RELAY_MARKDOWN_TASK    = 1 << 2, /* items: the marker is a check box */
  RELAY_MARKDOWN_HEADER  = 1 << 3, /* table rows and cells */
} RelayMarkdownFlags;

typedef enum
{
  RELAY_MARKDOWN_ALIGN_DEFAULT,
  RELAY_MARKDOWN_ALIGN_LEFT,
  RELAY_MARKDOWN_ALIGN_CENTER,
  RELAY_MARKDOWN_ALIGN_RIGHT,
} RelayMarkdownAlign;

typedef struct _RelayMarkdownNode RelayMarkdownNode;

struct _RelayMarkdownNode
{
  RelayMarkdownKind  kind;
  RelayMarkdownFlags flags;
  RelayMarkdownAlign align;
  /* Heading level (1–6), or the nesting depth of a list or item (0 at the top). */
  guint              level;
  /* Items: the marker width in characters, the same for every item of a list so that
   * their text lines up. Tables: the number of columns. */
  guint              width;
  /* Paragraphs, headings, cells: Pango markup, every piece of the source escaped.
   * Code: the code itself (valid UTF-8, no final newline). Items: the marker. */
  char              *text;
  /* Code: the first word of the fence's info string, or NULL. */
  char              *lang;
  /* Quotes, lists, items, tables, rows: the blocks inside. */
  GPtrArray         *children;
  /* Top-level blocks: the bytes of the parsed text that the parser reported for this
   * block (its text, code info), or -1 when it reported none. */
  gssize             first_byte;
  gssize             end_byte;
};

RelayMarkdownNode *relay_markdown_node_ref   (RelayMarkdownNode       *node);
void               relay_markdown_node_unref (RelayMarkdownNode       *node);
gboolean           relay_markdown_node_equal (const RelayMarkdownNode *a,
                                              const RelayMarkdownNode *b);

GPtrArray         *relay_markdown_parse      (const char              *text,
                                              gsize                    length);

gboolean           relay_markdown_uri_is_safe (const char             *uri);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RelayMarkdownNode, relay_markdown_node_unref)

G_END_DECLS
