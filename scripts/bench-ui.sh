#!/usr/bin/env bash
# The explorer's frame time, key latency and training speed with the UI attached, measured
# by `tms explore --bench-ui` inside a private tmux server at a fixed size; several builds
# alternate so machine noise hits them alike.
#   scripts/bench-ui.sh [-n ROUNDS] [-f FRAMES] [-s WxH] [-p PRESET] NAME=BINARY ...
set -euo pipefail
rounds=3
frames=300
size=120x40
preset=""
while getopts "n:f:s:p:" o; do
  case $o in
    n) rounds=$OPTARG ;;
    f) frames=$OPTARG ;;
    s) size=$OPTARG ;;
    p) preset=$OPTARG ;;
    *) echo "usage: $0 [-n ROUNDS] [-f FRAMES] [-s WxH] [-p PRESET] NAME=BINARY ..." >&2; exit 2 ;;
  esac
done
shift $((OPTIND - 1))
command -v tmux >/dev/null || { echo "bench-ui: tmux is missing (scripts/setup.sh)" >&2; exit 2; }
w=${size%x*}
h=${size#*x}
sock="tms-bench-ui-$$"
work=$(mktemp -d)
trap 'tmux -L "$sock" kill-server 2>/dev/null; rm -rf "$work"' EXIT
args=(explore --bench-ui "$frames")
[ -n "$preset" ] && args+=(--preset "$preset")
echo "$(nproc) cores, ${size}, ${frames} frames, preset ${preset:-intro}, $rounds alternating rounds"
printf '%-10s %8s %10s %10s %12s %12s %8s\n' build fps "worst ms" "mean ms" "key worst" "key mean" ratio
for ((r = 1; r <= rounds; r++)); do
  for spec in "$@"; do
    name=${spec%%=*}
    bin=${spec#*=}
    tmux -L "$sock" -f /dev/null kill-server 2>/dev/null || true
    # kill-server returns before the old server is gone; a new one can refuse at first.
    for _ in 1 2 3 4 5 6 7 8 9 10; do
      tmux -L "$sock" -f /dev/null new-session -d -s b -x "$w" -y "$h" \
        "cd '$work' && TERM=tmux-256color '$bin' ${args[*]}; sleep 60" 2>/dev/null && break
      sleep 0.3
    done
    for _ in $(seq 1 600); do
      tmux -L "$sock" capture-pane -p -t b 2>/dev/null | grep 'ratio:' >/dev/null && break
      sleep 0.5
    done
    out=$(tmux -L "$sock" capture-pane -p -t b -S -20)
    fps=$(grep -o 'frames/s: *[0-9.]*' <<<"$out" | awk '{print $2}')
    worst=$(grep -o 'worst frame: *[0-9.]*' <<<"$out" | awk '{print $3}')
    mean=$(grep -o 'mean frame: *[0-9.]*' <<<"$out" | awk '{print $3}')
    kw=$(grep -o 'worst [0-9.]* ms, mean' <<<"$out" | awk '{print $2}')
    km=$(grep -o 'mean [0-9.]* ms over' <<<"$out" | awk '{print $2}')
    ratio=$(grep -o 'ratio: *[0-9.]*%' <<<"$out" | awk '{print $2}')
    printf '%-10s %8s %10s %10s %12s %12s %8s\n' "$name" "$fps" "$worst" "$mean" "$kw" "$km" "$ratio"
  done
done
