/* markdown-generator.h: long, varied Markdown replies cut into streaming deltas.
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Pieces a model's reply is made of, chosen to exercise blocks that span blank lines,
 * blocks that change kind as lines arrive (setext headings, tables), and text that is
 * not ASCII so that deltas split characters. */
static const char *markdown_generator_fragments[] = {
  "Streaming replies arrive a few characters at a time, and the view keeps up with *each* "
  "of them without re-rendering the **whole** reply. Ünïcödé, 日本語 and "
  "emoji 🎉 too.\n\n",

  "## A heading with `code` and a [link](https://example.org/a?b=1&c=2)\n\n",

  "- first item\n- second item with **bold**\n  - nested item\n  - another nested item\n"
  "- third item\n\n",

  "1. loose list, item one\n\n2. item two, after a blank line\n\n   continued paragraph "
  "inside item two\n\n3. item three\n\n",

  "```python\ndef greet(name):\n\n    # a blank line above, inside the fence\n"
  "    return f\"Hello, {name}!\"\n```\n\n",

  "> A quote that spans\nlazy continuation lines\n> and has a list:\n> - a\n> - b\n\n",

  "~~~rust\nfn main() {\n    println!(\"```not a fence```\");\n}\n~~~\n\n",

  "| Name | Value |\n|------|------:|\n| alpha | 1 |\n| beta | 22 |\n\n",

  "Setext heading\n==============\n\n",

  "Paragraph with a hard  \nline break and <b>markup</b> & entities &amp; &copy; that "
  "must show literally.\n\n",

  "    indented code block\n    second line\n\n",

  "````markdown\n```\nnested fence\n```\n````\n\n",

  "- [ ] a task\n- [x] a done task\n\n",

  "***\n\n",

  "Text right before a list:\n- item\n- item\n\nand after.\n\n",

  "```\n\n\nstarts with blank lines\n```\n\n",

  "1) parenthesis list\n2) second\n\n10. ten\n11. eleven\n\n",

  "> ```js\n> console.log(\"code in a quote\");\n> ```\n\n",

  "Subheading\n---\n\n",

  "Final paragraph without trailing newline",
};

/* A reply of at least @min_length bytes from the fragments above, in an order that
 * depends on @seed, ending with the fragment that has no final newline. */
static inline GString *
markdown_generator_document (guint32 seed,
                             gsize   min_length)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  GString *doc = g_string_new (NULL);
  guint n = G_N_ELEMENTS (markdown_generator_fragments);

  while (doc->len < min_length)
    g_string_append (doc, markdown_generator_fragments[g_rand_int_range (rand, 0, n - 1)]);
  g_string_append (doc, markdown_generator_fragments[n - 1]);
  return doc;
}

/* Cuts @doc into pieces of 1 to @max_piece bytes, as a model's tokens arrive; pieces may
 * end inside a UTF-8 character. */
static inline GPtrArray *
markdown_generator_deltas (const GString *doc,
                           guint32        seed,
                           guint          max_piece)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  GPtrArray *deltas = g_ptr_array_new_with_free_func (g_free);

  for (gsize pos = 0; pos < doc->len;)
    {
      gsize len = MIN ((gsize) g_rand_int_range (rand, 1, max_piece + 1), doc->len - pos);

      g_ptr_array_add (deltas, g_strndup (doc->str + pos, len));
      pos += len;
    }
  return deltas;
}

G_END_DECLS
