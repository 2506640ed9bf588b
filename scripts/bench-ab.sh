#!/usr/bin/env bash
# Alternating A/B runs of `tms bench` for two or more builds on one machine, with the median
# per configuration row: machine noise (a neighbour on a shared VM, turbo) hits every build
# alike when runs alternate, so the medians compare builds fairly. With -r PERCENT the exit
# status is 1 when any build's median on any row is below PERCENT% of the first build's.
#   scripts/bench-ab.sh [-n ROUNDS] [-s SECONDS] [-r PERCENT] NAME=BINARY NAME=BINARY ...
set -euo pipefail
rounds=5
seconds=2
ratio=0
usage="usage: $0 [-n ROUNDS] [-s SECONDS] [-r PERCENT] NAME=BINARY ..."
while getopts "n:s:r:" o; do
  case $o in
    n) rounds=$OPTARG ;;
    s) seconds=$OPTARG ;;
    r) ratio=$OPTARG ;;
    *) echo "$usage" >&2; exit 2 ;;
  esac
done
shift $((OPTIND - 1))
[ $# -ge 1 ] || { echo "$usage" >&2; exit 2; }
out=$(mktemp)
trap 'rm -f "$out"' EXIT
for ((r = 1; r <= rounds; r++)); do
  for spec in "$@"; do
    name=${spec%%=*}
    bin=${spec#*=}
    extra=()
    # PyTorch is not what is compared here: recorded figures, where the build knows the flag.
    if "$bin" bench --help 2>/dev/null | grep -- --pytorch >/dev/null; then extra=(--pytorch recorded); fi
    { "$bin" bench --seconds "$seconds" "${extra[@]}" || true; } | awk -v n="$name" '$2 ~ /^[0-9]+$/ && $3 ~ /^[0-9]+$/ { print n, $1, $3 }' >>"$out"
  done
  echo "round $r of $rounds done" >&2
done
echo "$(nproc) cores, $rounds alternating rounds of ${seconds}s per configuration; steps/s: median (min–max)"
python3 - "$out" "$ratio" "$@" <<'PY'
import sys, statistics, collections
rows = collections.defaultdict(list)
for line in open(sys.argv[1]):
    name, config, rate = line.split()
    rows[(config, name)].append(float(rate))
ratio = float(sys.argv[2])
names = [s.split("=", 1)[0] for s in sys.argv[3:]]
configs = sorted({c for c, _ in rows}, key=lambda c: list(k[0] for k in rows).index(c))
first = names[0]
print(f"{'config':18}" + "".join(f"{n:>28}" for n in names))
low = []
for c in configs:
    cells = []
    if (c, first) not in rows:
        print(f"{c:18}" + f"{'(not in ' + first + ')':>28}")
        continue
    base = statistics.median(rows[(c, first)])
    for n in names:
        v = rows.get((c, n))
        if not v:
            cells.append("(no such row)")
            if ratio > 0:
                low.append(f"{n} has no {c} row")
            continue
        med = statistics.median(v)
        cells.append(f"{med:>9.0f} ({min(v):.0f}–{max(v):.0f}) {100*med/base:4.0f}%")
        if 100 * med < ratio * base:
            low.append(f"{n} on {c}: {100*med/base:.0f}% of {first}")
    print(f"{c:18}" + "".join(f"{x:>28}" for x in cells))
if low:
    print(f"below {ratio:g}%: " + "; ".join(low))
    sys.exit(1)
PY
