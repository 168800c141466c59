#!/usr/bin/env bash
# validate-ui.sh GTK4_BUILDER_TOOL PRELOAD FILE.ui: gtk4-builder-tool validate, with
# libadwaita and GtkSourceView loaded so their types resolve, and template parents
# registered beforehand by validate-ui-preload.so.
set -euo pipefail
tool=$1 preload_module=$2 ui=$3
preload=$preload_module
for lib in libadwaita-1.so.0 libgtksourceview-5.so.0; do
  path=$(ldconfig -p | awk -v l="$lib" '$1 == l { print $NF; exit }')
  [ -n "$path" ] && preload="$path:$preload"
done
parents=$(grep -o 'parent="[A-Za-z]*"' "$ui" | sed 's/parent="\(.*\)"/\1/' | tr '\n' ' ' || true)
out=$(RELAY_ENSURE_TYPES=$parents LD_PRELOAD=$preload "$tool" validate "$ui" 2>&1 |
      grep -v -e '^dbus-daemon' -e 'a11y' || true)
status=${PIPESTATUS[0]}
# gtk4-builder-tool exits 0 on some warnings; treat any output as a failure.
if [ -n "$out" ]; then
  printf '%s\n' "$out"
  exit 1
fi
echo "valid: $ui"
