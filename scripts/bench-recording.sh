#!/usr/bin/env bash
# What recording the history costs. Three parts, each printed as a table:
#   speed   headless `tms train` with and without --record, rounds alternating so machine
#           noise hits both alike (steps/s, their ratio, peak RSS)
#   ui      the explorer with and without --no-history under `tms explore --bench-ui`, in a
#           private tmux server (steps/s with the UI attached, frame times)
#   memory  one long recorded run (default: the dimensionality preset, 100,000 steps): peak
#           RSS while training (tms train --record prints it before saving) and with the
#           save, frames kept, bytes against the budget, frames thinned, events, file size
#   scripts/bench-recording.sh [-n ROUNDS] [-s STEPS] [-m MEMSTEPS] [-p PRESET] [-b BINARY] [PART...]
# Parts default to "speed ui"; "memory" takes about 12 minutes on 2 cores.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
rounds=3
steps=""
memsteps=100000
mempreset=dimensionality
presets=(intro basic-relu dimensionality)
tms=$root/.build/release/tms
while getopts "n:s:m:p:b:" o; do
  case $o in
    n) rounds=$OPTARG ;;
    s) steps=$OPTARG ;;
    m) memsteps=$OPTARG ;;
    p) presets=("$OPTARG"); mempreset=$OPTARG ;;
    b) tms=$OPTARG ;;
    *) echo "usage: $0 [-n ROUNDS] [-s STEPS] [-m MEMSTEPS] [-p PRESET] [-b BINARY] [speed|ui|memory ...]" >&2; exit 2 ;;
  esac
done
shift $((OPTIND - 1))
parts=("$@")
[ ${#parts[@]} -eq 0 ] && parts=(speed ui)
[ -x "$tms" ] || { echo "bench-recording: $tms not found; build with: swift build -c release" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "bench-recording: /usr/bin/time is missing (scripts/setup.sh installs it)" >&2; exit 2; }
case $tms in /*) ;; *) tms=$PWD/$tms ;; esac
work=$(mktemp -d)
trap 'tmux -L "tms-bench-rec-$$" kill-server 2>/dev/null; rm -rf "$work"' EXIT
echo "$(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | sed 's/.*: //' || uname -m)"

# steps_for PRESET: a run long enough to time (the preset's own length for the small ones).
steps_for() {
  if [ -n "$steps" ]; then echo "$steps"; return; fi
  case $1 in dimensionality) echo 3000 ;; *) echo 10000 ;; esac
}

# train_once OUT ARGS...: one headless run; prints "steps/s peakKB".
train_once() {
  local out=$1; shift
  /usr/bin/time -f '%M' -o "$work/rss" "$tms" train "$@" --json >"$work/$out.json" 2>"$work/err" \
    || { echo "bench-recording: tms train $* failed: $(tail -1 "$work/err")" >&2; exit 1; }
  python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["steps_per_second"])' "$work/$out.json" \
    | tr '\n' ' '
  tail -1 "$work/rss"
}

median() { sort -g | awk '{a[NR] = $1} END {print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }

for part in "${parts[@]}"; do
  case $part in
  speed)
    echo
    echo "headless tms train, $rounds alternating rounds (median steps/s; peak RSS of the last round)"
    printf '%-16s %8s %12s %12s %8s %10s %10s\n' preset steps plain "--record" ratio "RSS plain" "RSS rec"
    for p in "${presets[@]}"; do
      n=$(steps_for "$p")
      : >"$work/plain"; : >"$work/rec"
      for ((r = 1; r <= rounds; r++)); do
        read -r s m < <(train_once plain --preset "$p" --steps "$n")
        echo "$s" >>"$work/plain"; mp=$m
        rm -f "$work/rec.snap.json"
        read -r s m < <(train_once rec --preset "$p" --steps "$n" --record --save "$work/rec.snap.json")
        echo "$s" >>"$work/rec"; mr=$m
      done
      a=$(median <"$work/plain"); b=$(median <"$work/rec")
      printf '%-16s %8d %12.0f %12.0f %7.1f%% %8d MB %7d MB\n' "$p" "$n" "$a" "$b" \
        "$(awk -v a="$a" -v b="$b" 'BEGIN {print 100 * b / a}')" $((mp / 1024)) $((mr / 1024))
    done
    ;;
  ui)
    command -v tmux >/dev/null || { echo "bench-recording: tmux is missing (scripts/setup.sh)" >&2; exit 2; }
    echo
    echo "explorer with the UI attached (tms explore --bench-ui 300 at 120x40 in tmux), $rounds alternating rounds"
    printf '%-16s %-12s %10s %10s %10s %10s\n' preset history "steps/s" "headless" ratio "mean ms"
    sock="tms-bench-rec-$$"
    for p in "${presets[@]}"; do
      for ((r = 1; r <= rounds; r++)); do
        for mode in recorded --no-history; do
          extra=""
          [ "$mode" = --no-history ] && extra=--no-history
          tmux -L "$sock" -f /dev/null kill-server 2>/dev/null || true
          for _ in 1 2 3 4 5 6 7 8 9 10; do
            tmux -L "$sock" -f /dev/null new-session -d -s b -x 120 -y 40 \
              "cd '$work' && TERM=tmux-256color '$tms' explore --bench-ui 300 --preset $p $extra; sleep 60" \
              2>/dev/null && break
            sleep 0.3
          done
          out=""
          for _ in $(seq 1 600); do
            out=$(tmux -L "$sock" capture-pane -p -t b -S -20 2>/dev/null || true)
            grep -q 'ratio:' <<<"$out" && break
            sleep 0.5
          done
          ui=$(grep -o 'steps/s with UI: *[0-9.]*' <<<"$out" | awk '{print $4}')
          hl=$(grep -o 'steps/s headless: *[0-9.]*' <<<"$out" | awk '{print $3}')
          ratio=$(grep -o 'ratio: *[0-9.]*%' <<<"$out" | awk '{print $2}')
          mean=$(grep -o 'mean frame: *[0-9.]*' <<<"$out" | awk '{print $3}')
          printf '%-16s %-12s %10s %10s %10s %10s\n' "$p" "$mode" "$ui" "$hl" "$ratio" "$mean"
        done
      done
    done
    ;;
  memory)
    echo
    echo "memory: $mempreset, $memsteps steps, --record (default 64 MB budget), peak RSS of the whole run"
    /usr/bin/time -f '%M' -o "$work/rss" "$tms" train --preset "$mempreset" --steps "$memsteps" \
      --record --save "$work/mem.snap.json" --json >"$work/mem.json" 2>"$work/err" \
      || { echo "bench-recording: the memory run failed: $(tail -1 "$work/err")" >&2; exit 1; }
    s=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["steps_per_second"])' "$work/mem.json")
    m=$(tail -1 "$work/rss")
    echo "  $(grep '^tms: recorded' "$work/err")"
    read -r s0 m0 < <(train_once mem0 --preset "$mempreset" --steps 2000)
    python3 - "$work/mem.snap.json" "$s" "$m" "$m0" <<'PY'
import json, os, sys
path, rate, rss, rss0 = sys.argv[1], float(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
h = json.load(open(path))["history"]
steps = [f["step"] for f in h["frames"]]
print(f"  steps/s            {rate:.1f}")
print(f"  peak RSS, save too {rss / 1024:.0f} MB (the snapshot's JSON is built in memory, then written)")
print(f"  without --record   {rss0 / 1024:.0f} MB peak (2,000 steps)")
print(f"  frames kept        {len(steps)} (steps {steps[0]:,} … {steps[-1]:,}), {h['thinned']} thinned")
print(f"  spacing            1/{1 / h['spacing']:.0f} (starts at 1/64, doubles when the frames are thinned)")
print(f"  budget             {h['budget_bytes'] / 2**20:.0f} MB")
print(f"  events             {len(h['events'])}")
print(f"  snapshot file      {os.path.getsize(path) / 2**20:.1f} MB")
PY
    ;;
  *) echo "bench-recording: unknown part $part (speed, ui or memory)" >&2; exit 2 ;;
  esac
done
