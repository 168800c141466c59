/* markdown-samples.h: Markdown replies for the Markdown view's tests and benchmarks.
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A reply with one of each construct, as a model writes them. */
static const char markdown_sample_reply[] =
  "# Reading a CSV file in Python\n"
  "\n"
  "Python's standard library has everything you need: the **`csv` module** reads rows, and "
  "*pathlib* finds the file. See the "
  "[csv documentation](https://docs.python.org/3/library/csv.html) "
  "for the ~~old~~ details.\n"
  "\n"
  "## Steps\n"
  "\n"
  "1. Open the file with `open()`.\n"
  "2. Wrap it in a `csv.DictReader`:\n"
  "   - each row becomes a `dict`\n"
  "   - the header names the keys\n"
  "3. Loop over the rows.\n"
  "\n"
  "```python\n"
  "import csv\n"
  "from pathlib import Path\n"
  "\n"
  "with Path(\"people.csv\").open(newline=\"\") as f:\n"
  "    for row in csv.DictReader(f):\n"
  "        print(row[\"name\"], row[\"age\"])  "
  "# a long comment that runs past the card's edge to show horizontal scrolling\n"
  "```\n"
  "\n"
  "> **Note:** files written on Windows may start with a byte-order mark; open them\n"
  "> with `encoding=\"utf-8-sig\"`.\n"
  "\n"
  "| Option | Meaning | Default |\n"
  "|:-------|:--------|--------:|\n"
  "| `delimiter` | the field separator | `,` |\n"
  "| `quotechar` | quotes fields holding separators | `\"` |\n"
  "\n"
  "- [x] Read the file\n"
  "- [ ] Handle <b>bad</b> rows & errors\n"
  "\n"
  "---\n"
  "\n"
  "Run it with:\n"
  "\n"
  "```\n"
  "python3 read.py\n"
  "```\n";

G_END_DECLS
