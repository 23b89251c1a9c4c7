#!/bin/bash
# A/B of bench/refine-time.mjs: the build at BASE (a copy of the repository with
# its own dist/, e.g. main's) and this one, alternating process by process, two
# rounds per (model, norm), ILFO in each build's first-round process.
#   npm run build && bench/refine-time-ab.sh BASE OUT.jsonl sdn-tiny/linf ranet-tiny/l2 ...
base=$1; out=$2; shift 2
here=$(cd "$(dirname "$0")/.." && pwd)
for pair in "$@"; do
  m=${pair%/*}; n=${pair#*/}
  for round in 1 2; do
    ilfo=""; [ "$round" = 1 ] && ilfo="--ilfo"
    for d in "$base" "$here"; do
      echo "{\"loadavg\":\"$(cut -d' ' -f1-3 /proc/loadavg)\",\"round\":$round}" >> "$out"
      nice -n 10 node "$here/bench/refine-time.mjs" --model="$m" --norm="$n" --dist="$d" $ilfo >> "$out"
    done
  done
done
