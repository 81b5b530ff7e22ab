#!/bin/sh
# Runs only after a person approved the prune_drops request: deletes old files from the folder.
set -eu
folder="$HAND_DIR/${HAND_PARAM_PRUNE_FOLDER:?}"
days=${HAND_PARAM_PRUNE_DAYS:-30}
now=$(date +%s)
count=0
for f in "$folder"/*; do
  [ -f "$f" ] || continue
  if [ $(( (now - $(date -r "$f" +%s)) / 86400 )) -ge "$days" ]; then rm -f -- "$f"; count=$((count + 1)); fi
done
echo "Pruned $count files older than $days days from \`${HAND_PARAM_PRUNE_FOLDER}\` (approved by ${HAND_DECIDED_BY:-?})."
