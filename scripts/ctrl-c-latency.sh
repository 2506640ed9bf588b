#!/usr/bin/env bash
# Ctrl-C latency of headless runs: for every preset `tms presets` lists, starts
# `tms train --preset NAME` with more steps than it can finish, sends SIGINT after a delay,
# and times from the signal to the process's exit (bash's `wait`, to the microsecond); once
# without --save and once with --save (the snapshot written before exit is in the time),
# then the same for `tms sweep phase` (2→1 and 3→2), `tms sae` (sae-intro, interrupted in
# the SAE's training) and `tms sweep run`. Prints a Markdown table of seconds and
# the worst; exits 1 when any run took longer than the limit or did not end with status 130.
#   scripts/ctrl-c-latency.sh [-d DELAY] [-l LIMIT] [-t THREADS]     (TMS_BIN: the binary)
# DELAY (default 1.5 s) is how long each run trains before the interrupt; LIMIT defaults to
# the requirement, 1 s.
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
tms=${TMS_BIN:-$root/.build/release/tms}
delay=1.5
limit=1
threads=$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo 2)
usage="usage: $0 [-d DELAY] [-l LIMIT] [-t THREADS]"
while getopts "d:l:t:" o; do
  case $o in
    d) delay=$OPTARG ;;
    l) limit=$OPTARG ;;
    t) threads=$OPTARG ;;
    *) echo "$usage" >&2; exit 2 ;;
  esac
done
[ -x "$tms" ] || { echo "ctrl-c-latency: $tms not found; build with: swift build -c release" >&2; exit 2; }
[ "${BASH_VERSINFO[0]}" -ge 5 ] || { echo "ctrl-c-latency: needs bash 5 (EPOCHREALTIME)" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 2

bad=0
worst=0
# latency ARGS...: runs `tms ARGS`, interrupts it after $delay s; prints the seconds from
# the signal to the exit, or a note when the run ended early or with another status.
latency() {
  "$tms" "$@" >/dev/null 2>err.txt &
  local pid=$!
  sleep "$delay"
  if ! kill -0 "$pid" 2>/dev/null; then
    wait "$pid"
    echo "finished early"
    return 1
  fi
  local t0=$EPOCHREALTIME
  kill -INT "$pid"
  wait "$pid"
  local rc=$? t1=$EPOCHREALTIME
  local seconds
  seconds=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')
  if [ "$rc" -ne 130 ]; then
    echo "$seconds (status $rc)"
    return 1
  fi
  echo "$seconds"
}

# measure ARGS...: `latency ARGS`, counted: sets $result to its text, raises $worst, and
# counts a run over the limit or not ending with status 130 in $bad.
measure() {
  result=$(latency "$@")
  local failed=$? x=${result%% *}
  if [ $failed -ne 0 ] || ! [[ $x =~ ^[0-9.]+$ ]] || awk -v x="$x" -v l="$limit" 'BEGIN { exit !(x > l) }'; then
    bad=$((bad + 1))
  fi
  if [[ $x =~ ^[0-9.]+$ ]] && awk -v x="$x" -v w="$worst" 'BEGIN { exit !(x > w) }'; then worst=$x; fi
}

line() { printf '| %-34s | %10s | %10s |\n' "$@"; }

cores=$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo "?")
echo "Ctrl-C latency: seconds from SIGINT to exit, after ${delay} s of training, --threads $threads, $cores cores ($(uname -m))"
echo
line "command" "no --save" "--save"
printf '|%s|%s|%s|\n' "------------------------------------" "------------" "------------"
for name in $("$tms" presets 2>/dev/null | awk 'NF >= 2 && $1 ~ /^[a-z0-9-]+$/ { print $1 }'); do
  case $name in
    phase-*)
      # A phase preset trains its grid; --save does not apply to a grid.
      measure train --preset "$name" --threads "$threads"
      line "train --preset $name" "$result" "(a grid)"
      ;;
    *)
      measure train --preset "$name" --steps 100000000 --threads "$threads"
      plain=$result
      rm -f snap.json
      measure train --preset "$name" --steps 100000000 --threads "$threads" --save snap.json
      line "train --preset $name" "$plain" "$result"
      ;;
  esac
done
for features in 2 3; do
  measure sweep phase --features "$features" --steps 100000 --threads "$threads"
  line "sweep phase --features $features" "$result" "(a grid)"
done
# tms sae: the model trains 10,000 steps (under a second), then the SAE, interrupted.
measure sae --preset sae-intro --sae-steps 100000000 --threads "$threads"
plain=$result
rm -f snap.json
measure sae --preset sae-intro --sae-steps 100000000 --threads "$threads" --save snap.json
line "sae --preset sae-intro" "$plain" "$result"
# tms sweep run: each finished point is already in its file; Ctrl-C ends the run at once.
rm -f sweep.jsonl
measure sweep run --features 40 --hidden 10 --axis lr=log:1e-4:1e-2:6 --steps 1000000 \
  --threads "$threads" -o sweep.jsonl
line "sweep run (40→10, 6 points)" "$result" "(its file)"
echo
echo "worst: ${worst} s (limit ${limit} s)"
if [ "$bad" -gt 0 ]; then
  echo "ctrl-c-latency: $bad rows over ${limit} s or without status 130" >&2
  exit 1
fi
