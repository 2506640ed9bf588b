#!/usr/bin/env bash
# What the SAEs recover, measured with `tms sae --json` (TMS_BIN: the binary), as markdown:
#  1. the teaching setup (presets/sae-intro: 5→2 × 8 at p = 0.01, 5 latents, λ 0.5) over
#     model seeds: mean and best recovery (mean max cosine similarity over the 8 SAEs), and
#     dead latents with and without resampling, at 5 latents and at 10;
#  2. the larger preset (presets/sae-overcomplete: 20→5 × 4 at p = 0.01): recovery against
#     the dictionary size and λ, with L0, E‖h − ĥ‖² and dead latents.
#   scripts/sae-recovery.sh [-s "SEEDS"] [-l "LATENTS"] [-a "LAMBDAS"]
set -euo pipefail
seeds="0 1 2 3 4"
latents="10 20 40 80"
lambdas="0.1 0.3 1 3"
while getopts "s:l:a:" o; do
  case $o in
    s) seeds=$OPTARG ;;
    l) latents=$OPTARG ;;
    a) lambdas=$OPTARG ;;
    *) echo "usage: $0 [-s SEEDS] [-l LATENTS] [-a LAMBDAS]" >&2; exit 2 ;;
  esac
done
root=$(cd "$(dirname "$0")/.." && pwd)
tms=${TMS_BIN:-$root/.build/release/tms}
[ -x "$tms" ] || { echo "sae-recovery: $tms not found; build with: swift build -c release" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# summary FILE: "mean best dead-fraction L0 E‖h−ĥ‖²" of a tms sae --json report.
summary() {
  python3 - "$1" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
s, inst = d["summary"], d["instances"]
l0 = sum(i["metrics"]["held_out"]["l0"] for i in inst) / len(inst)
rec = sum(i["metrics"]["held_out"]["reconstruction"] for i in inst) / len(inst)
dead = sum(i["metrics"]["dead"].count(True) for i in inst)
total = sum(len(i["metrics"]["dead"]) for i in inst)
res = sum(i["metrics"]["resamples"] for i in inst)
per = " ".join(f"{i['metrics']['recovery']:.3f}" for i in inst)
print(f"{s['recovery_mean']:.4f} {s['recovery_best']:.4f} {dead}/{total} {l0:.3f} {rec:.2e} {res} {per}")
PY
}

echo "$(nproc) cores; tms sae, held-out measurements on 32,768 samples per SAE"
echo
echo "### Teaching setup (sae-intro: 5→2 × 8, p = 0.01, λ 0.5), by model seed"
echo
echo "| seed | latents | recovery mean | best | per SAE instance | dead, resampling | dead, none | resamplings |"
echo "|---|---|---|---|---|---|---|---|"
for seed in $seeds; do
  "$tms" train --preset sae-intro --seed "$seed" --save "$work/model-$seed.json" >/dev/null
  for d in 5 10; do
    "$tms" sae --snapshot "$work/model-$seed.json" --latents "$d" --json >"$work/r.json"
    "$tms" sae --snapshot "$work/model-$seed.json" --latents "$d" --no-resample --json >"$work/n.json"
    read -r mean best dead _ _ res per < <(summary "$work/r.json")
    read -r _ _ deadn _ _ _ _ < <(summary "$work/n.json")
    echo "| $seed | $d | $mean | $best | $per | $dead | $deadn | $res |"
  done
done
echo
echo "### Larger preset (sae-overcomplete: 20→5 × 4, p = 0.01, all 20 features represented): recovery against dictionary size and λ"
echo
echo "| latents | λ | recovery mean | best | L0 | E‖h−ĥ‖² | dead |"
echo "|---|---|---|---|---|---|---|"
"$tms" train --preset sae-overcomplete --save "$work/over.json" >/dev/null
for d in $latents; do
  for l1 in $lambdas; do
    "$tms" sae --snapshot "$work/over.json" --latents "$d" --l1 "$l1" --json >"$work/o.json"
    read -r mean best dead l0 rec _ _ < <(summary "$work/o.json")
    echo "| $d | $l1 | $mean | $best | $l0 | $rec | $dead |"
  done
done
