#!/usr/bin/env bash
# The 2,000-point local sweep against today's phase sweep, per cell: alternating runs of
#   tms sweep phase --features 2 --grid 20 --seeds 3 --max-seeds 3 --steps STEPS (400 cells,
#   exactly 3 seeds each: no adaptive seeds, so a cell is the same work as a point)
#   tms sweep run   2→1 over p (40, log 1…0.01) × r (50, log 0.1…10), 3 seeds, STEPS steps
#                                                                            (2,000 points)
# Both train 2→1 relu-output models, 3 seeds of STEPS steps (batch 1024) per cell or point;
# the sweep also evaluates every model on 32,768 held-out samples and writes a line per
# point. Prints the wall time, points (cells) per second and model-steps per second of each
# run, then the medians and ranges, and the sweep's points/s over the phase sweep's cells/s.
#   scripts/bench-sweep.sh [-n ROUNDS] [-s STEPS] [TMS_BINARY]
set -euo pipefail
rounds=3
steps=10000
while getopts "n:s:" o; do
  case $o in
    n) rounds=$OPTARG ;;
    s) steps=$OPTARG ;;
    *) echo "usage: $0 [-n ROUNDS] [-s STEPS] [TMS_BINARY]" >&2; exit 2 ;;
  esac
done
shift $((OPTIND - 1))
tms=${1:-$(cd "$(dirname "$0")/.." && pwd)/.build/release/tms}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
out=$work/times
for ((r = 1; r <= rounds; r++)); do
  start=$EPOCHREALTIME
  "$tms" sweep phase --features 2 --grid 20 --seeds 3 --max-seeds 3 --steps "$steps" --json >/dev/null
  end=$EPOCHREALTIME
  echo "phase $(awk -v a="$start" -v b="$end" 'BEGIN { print b - a }') 400" >>"$out"
  rm -f "$work/sweep.jsonl"
  start=$EPOCHREALTIME
  "$tms" sweep run --features 2 --hidden 1 --axis feature_probability=log:1:0.01:40 \
    --axis relative_importance=log:0.1:10:50 --seeds 3 --steps "$steps" \
    -o "$work/sweep.jsonl" 2>/dev/null
  end=$EPOCHREALTIME
  lines=$(($(wc -l <"$work/sweep.jsonl") - 1))
  [ "$lines" -eq 2000 ] || { echo "bench-sweep: the sweep wrote $lines points, not 2000" >&2; exit 1; }
  echo "sweep $(awk -v a="$start" -v b="$end" 'BEGIN { print b - a }') 2000" >>"$out"
  echo "round $r of $rounds: $(tail -2 "$out" | tr '\n' ' ')" >&2
done
echo "$(nproc) cores, $rounds alternating rounds, 3 seeds × $steps steps per cell/point (2→1, batch 1024)"
python3 - "$out" "$steps" <<'PY'
import sys, statistics, collections
runs = collections.defaultdict(list)
for line in open(sys.argv[1]):
    name, seconds, count = line.split()
    runs[name].append((float(seconds), int(count)))
steps = int(sys.argv[2])
rate = {}
for name, label in (("phase", "tms sweep phase, 400 cells"), ("sweep", "tms sweep run, 2,000 points")):
    secs = [s for s, _ in runs[name]]
    per = [c / s for s, c in runs[name]]
    count = runs[name][0][1]
    rate[name] = statistics.median(per)
    print(f"{label}: wall {statistics.median(secs):.1f} s ({min(secs):.1f}–{max(secs):.1f}), "
          f"{rate[name]:.1f} per s ({min(per):.1f}–{max(per):.1f}), "
          f"{rate[name] * 3 * steps / 1e6:.2f}M model-steps/s")
print(f"sweep points/s ÷ phase cells/s = {rate['sweep'] / rate['phase']:.2f} (medians)")
PY
