#!/usr/bin/env bash
# Fails when a file with translatable strings is missing from po/POTFILES.in, or when
# POTFILES.in names a file that does not exist.
set -euo pipefail
top=${1:-$(dirname "$0")/..}
cd "$top"

listed=$(sed -e 's/#.*//' -e '/^[[:space:]]*$/d' po/POTFILES.in | sort -u)
skipped=$(sed -e 's/#.*//' -e '/^[[:space:]]*$/d' po/POTFILES.skip 2>/dev/null | sort -u)
status=0

for f in $listed; do
  [ -e "$f" ] || { echo "po/POTFILES.in names a missing file: $f"; status=1; }
done

# C files using gettext macros, .ui files with translatable properties, data files with
# translatable fields.
found=$( {
  grep -rlE '\b(_|N_|C_|NC_|g_dngettext|ngettext)\s*\(' --include='*.c' src 2>/dev/null || true
  grep -rl 'translatable="yes"' --include='*.ui' src 2>/dev/null || true
  ls data/*.desktop.in.in data/*.metainfo.xml.in.in data/*.gschema.xml 2>/dev/null || true
} | sort -u)

for f in $found; do
  if ! grep -qxF "$f" <<<"$listed" && ! grep -qxF "$f" <<<"$skipped"; then
    echo "missing from po/POTFILES.in: $f"
    status=1
  fi
done

[ $status -eq 0 ] && echo "po/POTFILES.in lists all $(wc -w <<<"$found") files with translatable strings"
exit $status
