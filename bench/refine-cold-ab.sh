#!/bin/bash
# A/B of deepperform-refine's first call in a fresh process (bench/refine-time.mjs)
# between the build at BASE (a copy of the repository with its own dist/, e.g.
# main's) and this one, alternating process by process, ROUNDS rounds (default 2)
# per (model, norm) at SEEDS seeds (default 100). With ILFO=1 (default), each
# build also runs ILFO alone as the first call of its own fresh process in round
# 1, so both methods pay their compile and the process's first use of onnxruntime
# alike. AS_RUN=1 passes --as-run: the model's real execution on the seeds first,
# untimed, as `deepperform run` does before any method.
#   npm run build && bench/refine-cold-ab.sh BASE OUT.jsonl sdn-tiny/linf ranet-tiny/l2 ...
base=$1; out=$2; shift 2
here=$(cd "$(dirname "$0")/.." && pwd)
seeds=${SEEDS:-100}
asrun=""; [ "${AS_RUN:-0}" = 1 ] && asrun="--as-run"
for pair in "$@"; do
  m=${pair%/*}; n=${pair#*/}
  for round in $(seq 1 "${ROUNDS:-2}"); do
    for d in "$base" "$here"; do
      echo "{\"loadavg\":\"$(cut -d' ' -f1-3 /proc/loadavg)\",\"round\":$round}" >> "$out"
      nice -n 10 node "$here/bench/refine-time.mjs" --model="$m" --norm="$n" --seeds="$seeds" $asrun --dist="$d" >> "$out"
      if [ "$round" = 1 ] && [ "${ILFO:-1}" = 1 ]; then
        nice -n 10 node "$here/bench/refine-time.mjs" --model="$m" --norm="$n" --seeds="$seeds" $asrun --dist="$d" --ilfo=first >> "$out"
      fi
    done
  done
done
