#!/usr/bin/env bash
# check-pot.sh BUILDDIR SRCDIR: the relay-pot target extracts every translatable string
# (xgettext over po/POTFILES.in) into po/relay.pot, including ones from C, .ui and data files.
set -euo pipefail
builddir=$1 srcdir=$2
ninja -C "$builddir" relay-pot >/dev/null
pot=$srcdir/po/relay.pot
count=$(grep -c '^msgid "' "$pot")
for expected in 'Welcome to Relay' 'The Key Was Not Accepted' 'Chat with language models through RouteLLM' \
                'Send With _Enter' 'Stopped'; do
  grep -qF "msgid \"$expected\"" "$pot" || { echo "relay.pot lacks: $expected"; exit 1; }
done
echo "relay.pot: $count messages"
