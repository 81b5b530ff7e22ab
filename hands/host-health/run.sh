#!/bin/sh
# Reports load, memory and disk usage as Markdown, using only sh and coreutils.
# Scalar [parameters] arrive as HAND_PARAM_<NAME> (and all of them as JSON in HAND_PARAMETERS).
set -eu
warn=${HAND_PARAM_DISK_WARN_PERCENT:-90}

read -r l1 l5 l15 _ < /proc/loadavg
cores=$(nproc)
mem_total=0; mem_avail=0
while read -r key value _; do
  case "$key" in
    MemTotal:) mem_total=$value ;;
    MemAvailable:) mem_avail=$value ;;
  esac
done < /proc/meminfo
mem_used_pct=$(( (mem_total - mem_avail) * 100 / (mem_total > 0 ? mem_total : 1) ))

echo "## Host health: $(uname -n)"
echo
echo "- **Load** (1/5/15 min): $l1 / $l5 / $l15 on $cores cores"
echo "- **Memory**: ${mem_used_pct}% used ($(( mem_avail / 1024 )) MiB available of $(( mem_total / 1024 )) MiB)"
echo
echo "| Mount | Size | Used | Use% |"
echo "|---|---|---|---|"
alarm=""
df -P -h -x tmpfs -x devtmpfs -x overlay 2>/dev/null | tail -n +2 > "${TMPDIR:-/tmp}/host-health.$$" || true
while read -r fs size used avail pct mount; do
  echo "| \`$mount\` | $size | $used | $pct |"
  if [ "${pct%\%}" -ge "$warn" ] 2>/dev/null; then alarm=1; fi
done < "${TMPDIR:-/tmp}/host-health.$$"
rm -f "${TMPDIR:-/tmp}/host-health.$$"

if [ -n "$alarm" ]; then
  echo
  echo "**A disk is over ${warn}% full.**"
  folder=${HAND_PARAM_PRUNE_FOLDER:-}
  if [ -n "$folder" ] && [ -d "$HAND_DIR/$folder" ] && [ -n "${HAND_REQUESTS:-}" ]; then
    printf '{"gate":"prune_drops","summary":"A disk is over %s%% full: delete old files in %s","data":{"folder":"%s"}}\n' "$warn" "$folder" "$folder" >> "$HAND_REQUESTS"
    echo "Asked for approval to prune old files in \`$folder\`."
  fi
fi
