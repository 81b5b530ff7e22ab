#!/bin/sh
# The newest files in HAND_PARAM_FOLDER (relative to the hand's folder), with sizes and times.
set -eu
folder=${HAND_PARAM_FOLDER:-.}
count=${HAND_PARAM_COUNT:-10}
cd "$HAND_DIR"
echo "Newest files in $folder ($(date -u '+%Y-%m-%d %H:%M UTC')):"
ls -lt --time-style='+%Y-%m-%d %H:%M' -- "$folder" | tail -n +2 | head -n "$count" | while read -r mode links owner group size day time name; do
  echo "  $day $time  $(printf '%10s' "$size")  $name"
done
