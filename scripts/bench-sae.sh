#!/usr/bin/env bash
# SAE training speed, tms against the same SAE as a plain PyTorch loop (scripts/sae_torch.py),
# on the same trained toy models, in alternating runs so that machine noise (a neighbour on
# a shared VM, turbo) hits both alike. Reports SAE steps/s (one step = every SAE instance
# once, batch 1024, fresh data each step) as the median and range over the rounds, and the
# ratio of the medians, per configuration and thread count:
#   teaching      5→2 × 8 at p = 0.01, 8 SAEs of 5 latents, λ 0.5   (presets/sae-intro)
#   overcomplete  20→5 × 4 at p = 0.01, 4 SAEs of 40 latents, λ 0.3 (presets/sae-overcomplete)
#   scripts/bench-sae.sh [-n ROUNDS] [-s SECONDS] [-t "THREADS ..."]   (TMS_BIN: the binary)
# Needs python3 with torch. The PyTorch loop runs with OMP_WAIT_POLICY=PASSIVE (set by
# sae_torch.py unless the environment says otherwise): with libgomp's spinning default, two
# threads on a shared machine fell to 4 steps/s.
set -euo pipefail
rounds=5
seconds=3
threads="1 2"
while getopts "n:s:t:" o; do
  case $o in
    n) rounds=$OPTARG ;;
    s) seconds=$OPTARG ;;
    t) threads=$OPTARG ;;
    *) echo "usage: $0 [-n ROUNDS] [-s SECONDS] [-t \"THREADS ...\"]" >&2; exit 2 ;;
  esac
done
root=$(cd "$(dirname "$0")/.." && pwd)
tms=${TMS_BIN:-$root/.build/release/tms}
[ -x "$tms" ] || { echo "bench-sae: $tms not found; build with: swift build -c release" >&2; exit 2; }
python3 -c "import torch" 2>/dev/null || { echo "bench-sae: python3 with torch is required" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The trained models, once (their SAE settings are the presets').
"$tms" train --preset sae-intro --save "$work/teaching.json" >/dev/null
"$tms" train --preset sae-overcomplete --save "$work/overcomplete.json" >/dev/null
configs=("teaching 5 0.5" "overcomplete 40 0.3")

# tms trains a fixed number of steps: calibrate it to take about SECONDS per run.
declare -A steps
for c in "${configs[@]}"; do
  set -- $c
  for t in $threads; do
    rate=$("$tms" sae --snapshot "$work/$1.json" --threads "$t" --sae-steps 1000 --eval-samples 1 --json |
      python3 -c 'import json,sys; print(json.load(sys.stdin)["steps_per_second"])')
    steps[$1.$t]=$(python3 -c "print(max(1000, int($rate * $seconds)))")
  done
done

out=$work/rates
for ((r = 1; r <= rounds; r++)); do
  for c in "${configs[@]}"; do
    set -- $c
    for t in $threads; do
      "$tms" sae --snapshot "$work/$1.json" --threads "$t" --sae-steps "${steps[$1.$t]}" \
        --eval-samples 1 --json |
        python3 -c "import json,sys; print('$1 $t tms', json.load(sys.stdin)['steps_per_second'])" >>"$out"
      python3 "$root/scripts/sae_torch.py" --snapshot "$work/$1.json" --latents "$2" --l1 "$3" \
        --threads "$t" --seconds "$seconds" --json |
        python3 -c "import json,sys; print('$1 $t pytorch', json.load(sys.stdin)['steps_per_second'])" >>"$out"
    done
  done
  echo "round $r of $rounds done" >&2
done

echo "$(nproc) cores ($(python3 -c 'import platform; print(platform.processor() or platform.machine())')), torch $(python3 -c 'import torch; print(torch.__version__)'), $rounds alternating rounds of ~${seconds}s; SAE steps/s: median (min–max)"
python3 - "$out" <<'PY'
import collections, statistics, sys
rows = collections.defaultdict(list)
for line in open(sys.argv[1]):
    config, threads, who, rate = line.split()
    rows[(config, int(threads), who)].append(float(rate))
print(f"{'config':14}{'threads':>8}{'tms':>26}{'PyTorch':>22}{'ratio':>10}")
for config, threads in sorted({(c, t) for c, t, _ in rows}, key=lambda k: (k[0] != "teaching", k[1])):
    a, b = rows[(config, threads, "tms")], rows[(config, threads, "pytorch")]
    ma, mb = statistics.median(a), statistics.median(b)
    cell = lambda v, m: f"{m:,.0f} ({min(v):,.0f}–{max(v):,.0f})"
    print(f"{config:14}{threads:>8}{cell(a, ma):>26}{cell(b, mb):>22}{ma / mb:>9.1f}×")
PY
