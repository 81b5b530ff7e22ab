#!/bin/sh
# Sizes of the configured folders, largest entries first, using only sh and coreutils.
set -eu
folders=${HAND_PARAM_FOLDERS:-/tmp}
echo "## Disk digest"
echo
for folder in $folders; do
  [ -d "$folder" ] || { echo "- \`$folder\`: not found"; continue; }
  total=$(du -sh "$folder" 2>/dev/null | cut -f1 || echo "?")
  echo "### \`$folder\` — $total"
  echo
  du -sh "$folder"/* 2>/dev/null | sort -rh | head -n 5 | while IFS="$(printf '\t')" read -r size path; do
    echo "- $size \`$path\`"
  done
  echo
done
