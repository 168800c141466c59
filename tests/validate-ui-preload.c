/* validate-ui-preload.c: loaded into gtk4-builder-tool by validate-ui.sh.
 *
 * gtk4-builder-tool resolves object types lazily by name, but a template's parent type
 * must already be registered. This registers the types named in RELAY_ENSURE_TYPES
 * (for example "AdwApplicationWindow") by calling their get_type functions. Relay's own
 * widgets are linked into this module, so `RelayComposer` and friends resolve as well.
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <ctype.h>
#include <dlfcn.h>
#include <glib-object.h>

static char *
type_func_name (const char *type_name)
{
  GString *name = g_string_new (NULL);

  for (const char *p = type_name; *p; p++)
    {
      gboolean split = p != type_name && isupper ((guchar) *p) &&
                       (islower ((guchar) p[-1]) ||
                        (p[1] != '\0' && islower ((guchar) p[1]) && isupper ((guchar) p[-1]) &&
                         p - type_name > 3));
      if (split)
        g_string_append_c (name, '_');
      g_string_append_c (name, (char) tolower ((guchar) *p));
    }
  g_string_append (name, "_get_type");
  return g_string_free (name, FALSE);
}

__attribute__((constructor))
static void
ensure_types (void)
{
  const char *types = g_getenv ("RELAY_ENSURE_TYPES");
  g_auto(GStrv) names = NULL;

  if (types == NULL)
    return;

  names = g_strsplit (types, " ", -1);
  for (guint i = 0; names[i]; i++)
    {
      g_autofree char *func_name = NULL;
      GType (*get_type) (void);

      if (names[i][0] == '\0')
        continue;
      func_name = type_func_name (names[i]);
      get_type = (GType (*) (void)) dlsym (RTLD_DEFAULT, func_name);
      if (get_type != NULL)
        g_type_ensure (get_type ());
    }
}
