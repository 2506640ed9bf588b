#!/usr/bin/env bash
# End-to-end tests of the phase-diagram view (8) and `tms sweep phase`: the real binary in
# tmux (private socket, no user config), driven with send-keys and read back with
# capture-pane, with the helpers of helpers.bash (shared with run.sh). Works with no TTY and
# an empty environment; exits non-zero on a failure.
set -uo pipefail

sock="tms-e2e-phase-$$"
source "$(dirname "$0")/helpers.bash"

# finished cells of the phase diagram on screen ("training 37/400" → 37), empty if none.
cells_done() { screen | grep -oE '(training|done|cancelled) [0-9]+/[0-9]+' | head -1 | grep -oE '[0-9]+/' | tr -d /; }

# pick NAME PATTERN: open the presets picker and move down until the selected preset's
# detail line (its model shape) matches PATTERN, then load it with Enter.
pick() {
  local pattern=$1 i=0
  tm send-keys -t app p
  wait_for 'presets \(' 3 || return 1
  while ! screen | matches -E -- "$pattern" && [ "$i" -lt 30 ]; do
    tm send-keys -t app j
    sleep 0.1
    i=$((i + 1))
  done
  screen | matches -E -- "$pattern" || return 1
  tm send-keys -t app Enter
}

# ---------------------------------------------------------------- picker → phase preset
start -- --threads 2
if wait_for 'WᵀW' 30; then pass "explorer starts"; else fail "explorer starts"; fi
if pick 'relu-output 2→1×9:'; then pass "p opens the picker and finds phase-2-1"; else fail "picker finds phase-2-1"; fi
if wait_for '2→1 phase diagram' 5; then pass "loading phase-2-1 switches to the phase view"; else fail "phase view after loading phase-2-1"; fi
if wait_for 'training [1-9][0-9]*/400' 20; then pass "cells start to fill ($(cells_done)/400)"; else fail "cells start to fill"; fi
n1=$(cells_done); sleep 2; n2=$(cells_done)
if [ -n "$n1" ] && [ -n "$n2" ] && [ "$n2" -gt "$n1" ]; then pass "cells keep filling live ($n1 → $n2 of 400)"; else fail "cells keep filling ($n1 → $n2)"; fi
if screen_e | matches $'\e\[48;5;' && screen | matches '▁'; then pass "coloured cells with the analytic boundary drawn"; else fail "coloured cells and boundary"; fi
# (the load toast covers the bottom of the panel for 4 s)
if wait_for 'analytic boundary' 8 && screen | matches 'dedicated dimension'; then pass "colour key beside the grid"; else fail "colour key"; fi

# ---------------------------------------------------------------- cursor
tm send-keys -t app Down Down Down Right Right
if wait_for '─ 3,2 ─' 3; then pass "arrows move the cell cursor (row 3, column 2)"; else fail "cell cursor moves"; fi
tm send-keys -t app k h
if wait_for '─ 2,1 ─' 3; then pass "k and h move it back"; else fail "k/h move the cursor"; fi
if wait_for 'W_i \(direction\)' 20; then pass "the side panel shows the cell's weights once trained"; else fail "side panel weights"; fi

# ---------------------------------------------------------------- number keys
tm send-keys -t app 1
if wait_for 'WᵀW' 3 && ! screen | matches 'phase diagram'; then pass "1 switches to the overview"; else fail "1 switches to the overview"; fi
tm send-keys -t app 6
if wait_for 'dimensionality: D\*' 3; then pass "6 switches to the dimensionality view"; else fail "6 switches view"; fi
tm send-keys -t app 8
if wait_for '2→1 phase diagram' 3 && [ "$(cells_done)" -ge "$n2" ]; then pass "8 returns to the phase diagram, still filling ($(cells_done)/400)"; else fail "8 returns to the phase view"; fi

# ---------------------------------------------------------------- another preset stops it
if pick 'relu-output 5→2×10:'; then pass "the picker finds the intro preset"; else fail "picker finds intro"; fi
if wait_for 'loaded intro' 5; then pass "loading intro confirms"; else fail "loading intro"; fi
tm send-keys -t app 8
if wait_for 'no phase diagram is training' 3; then pass "loading another preset cancels the sweep"; else fail "another preset cancels the sweep"; fi
tm send-keys -t app 1
if wait_for '^running' 5; then pass "the live trainer runs again"; else fail "trainer resumes after the sweep"; fi
tm send-keys -t app q
if wait_exit && grep -q 'EXIT=0' "$work/rc"; then pass "q exits 0"; else fail "q exits 0 ($(cat "$work/rc" 2>/dev/null))"; fi

# ---------------------------------------------------------------- --preset phase-3-2, quit mid-sweep
start -- --threads 2 --preset phase-3-2
if wait_for '3→2 phase diagram' 30 && wait_for 'training [1-9][0-9]*/400' 20; then pass "--preset phase-3-2 opens on its filling diagram"; else fail "--preset phase-3-2"; fi
t0=$(date +%s.%N)
tm send-keys -t app q
if wait_exit && grep -q 'EXIT=0' "$work/rc" && grep -qE '(^| )icanon( |$)' "$work/stty"; then
  t1=$(date +%s.%N)
  if awk -v a="$t0" -v b="$t1" 'BEGIN { exit !(b - a < 3) }'; then pass "q mid-sweep exits 0 at once, terminal restored"; else fail "q mid-sweep took $(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }') s"; fi
else fail "q mid-sweep ($(cat "$work/rc" 2>/dev/null))"; fi

# ---------------------------------------------------------------- --preset phase-2-1, then another preset
start -- --threads 2 --preset phase-2-1
if wait_for '2→1 phase diagram' 30 && pick 'relu-output 5→2×10:' && wait_for 'loaded intro' 5; then
  tm send-keys -t app 1
  if wait_for '^running' 5; then pass "started on a phase preset, loading intro resumes the live trainer"; else fail "trainer resumes after --preset phase-2-1"; fi
else fail "--preset phase-2-1 then intro"; fi
tm send-keys -t app q; wait_exit

# ---------------------------------------------------------------- other presets open in their views
start -- --threads 2 --preset dimensionality
if wait_for 'dimensionality: D\*' 30; then pass "--preset dimensionality opens the dimensionality view"; else fail "--preset dimensionality view"; fi
if pick 'relu-hidden 10→5×' && wait_for 'neurons' 5 && wait_for 'monosemantic' 5; then pass "picking privileged-basis opens the neuron view"; else fail "privileged-basis opens the neuron view"; fi
tm send-keys -t app q; wait_exit

# ---------------------------------------------------------------- monochrome
start NO_COLOR=1 -- --threads 2 --preset phase-2-1
if wait_for 'training [1-9][0-9]*/400' 30 && ! screen_e | matches $'\e\[48;5;' && screen | matches -E '[░▒█]'; then pass "NO_COLOR: labels as shades, no colours"; else fail "NO_COLOR phase view"; fi
tm send-keys -t app q; wait_exit

# ---------------------------------------------------------------- headless
out=$(cd "$work" && env -i PATH=/usr/bin:/bin HOME="$work" "$tms" sweep phase --features 2 --grid 4 --steps 500 --seeds 2 --csv "$work/grid.csv" --json 2>"$work/err"); code=$?
if [ "$code" = 0 ] && printf '%s' "$out" | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert len(d["feature_probability"]) == 4 and len(d["relative_importance"]) == 4
cells = [c for row in d["cells"] for c in row]
assert len(cells) == 16
for c in cells:
    assert c["label"] in ("not-learned", "dedicated", "superposition"), c["label"]
    for k in ("norm", "superposition", "loss"): assert isinstance(c[k], float), k
'; then pass "sweep phase --json: axes and per-cell norm, superposition, loss, label"; else fail "sweep phase --json ($code: $(head -c 300 "$work/err"))"; fi
if [ "$(wc -l < "$work/grid.csv")" = 17 ] && head -1 "$work/grid.csv" | matches '^row,column,feature_probability,relative_importance,norm,superposition,loss,label'; then pass "sweep phase --csv: header and one line per cell"; else fail "sweep phase --csv"; fi
out=$(cd "$work" && env -i PATH=/usr/bin:/bin HOME="$work" "$tms" train --preset phase-2-1 --steps 200 --json 2>"$work/err"); code=$?
if [ "$code" = 0 ] && printf '%s' "$out" | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert d["config"]["grid"] == 20 and d["config"]["seeds"] == 3 and d["completed"] == 400
'; then pass "train --preset phase-2-1 trains its 20×20 grid"; else fail "train --preset phase-2-1 ($code: $(head -c 300 "$work/err"))"; fi
err=$(env -i PATH=/usr/bin:/bin "$tms" sweep phase --features 4 2>&1 >/dev/null); code=$?
if [ "$code" = 2 ] && [ "$(printf '%s\n' "$err" | wc -l)" = 1 ] && printf '%s' "$err" | matches -- '--features'; then pass "bad --features: one line, exit 2"; else fail "bad --features ($code: $err)"; fi

finish e2e-phase
