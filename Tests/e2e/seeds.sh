#!/usr/bin/env bash
# End-to-end test of the best-of-seeds key (b): the real binary in tmux (private socket, no
# user config), with the helpers of helpers.bash. Opens the intro trained for 10,000 steps
# (saved headless), presses b on its sparsest instance, and checks the toast and, with an
# independent numpy evaluation of the saved weights, that the instance's loss is no worse
# and no other instance changed; then that a long search shows its progress and that
# Ctrl-C during it quits at once. Works with no TTY and an empty environment.
set -uo pipefail

sock="tms-e2e-seeds-$$"
source "$(dirname "$0")/helpers.bash"

# held_out SNAPSHOT K: instance K's loss (notebook convention: mean over samples and
# features of I_i (x_i - x'_i)^2, x' = ReLU(W^T W x + b)) on 400,000 fresh samples, seed 1.
held_out() {
  python3 - "$1" "$2" <<'PY'
import json, sys
import numpy as np
d = json.load(open(sys.argv[1])); k = int(sys.argv[2]); c = d["config"]
W = np.array(d["instances"][k]["parameters"]["W"], dtype=np.float64)  # n x m
b = np.array(d["instances"][k]["parameters"]["b"], dtype=np.float64)
p = np.array(c["feature_probability"][k]); imp = np.array(c["importance"][k])
rng = np.random.default_rng(1)
n = W.shape[0]; total = 0.0
for _ in range(40):
    x = rng.random((10_000, n)) * (rng.random((10_000, n)) < p)
    out = np.maximum(x @ W @ W.T + b, 0)
    total += (imp * (x - out) ** 2).mean()
print(total / 40)
PY
}

(cd "$work" && env -i PATH=/usr/bin:/bin "$tms" train --preset intro --threads 2 --save intro.json >/dev/null 2>&1)
[ -s "$work/intro.json" ] || { fail "headless intro run saved"; finish e2e-seeds; exit 1; }

# ---------------------------------------------------------------- b on the sparsest instance
start -- --snapshot intro.json --paused --threads 2
if wait_for 'step 10,000 ' 30; then pass "the intro opens at step 10,000, paused"; else fail "intro snapshot opens"; fi
for i in 1 2 3 4 5 6 7 8 9; do tm send-keys -t app n; done
if wait_for '#9 ' 3; then pass "n ×9 focuses instance #9 (p = 0.05)"; else fail "focus #9"; fi
tm send-keys -t app b
toast='best of 8 seeds \(#9\): (seed [0-9]+, loss [^ ]+ \(was [^)]+\)|none beat the current weights)'
if wait_for "$toast" 60; then pass "b: the toast reports the best of 8 seeds ($(screen | grep -oE 'seed [0-9]+, loss [^ ]+ \(was [^)]+\)|none beat' | head -1))"; else fail "best-of-seeds toast"; fi
line=$(screen | grep -oE 'seed [0-9]+, loss [^ ]+ \(was [^)]+\)' | head -1)
if [ -n "$line" ]; then
  if python3 - "$line" <<'PY'
import re, sys
m = re.search(r"loss (\S+) \(was ([^)]+)\)", sys.argv[1])
def num(s):
    return float(s.replace("k", "e3"))
assert num(m.group(1)) < num(m.group(2)), sys.argv[1]
PY
  then pass "the toast's loss is below the loss it replaced"; else fail "toast loss below 'was' ($line)"; fi
elif screen | matches 'none beat the current weights'; then pass "no seed beat the current weights, which stay"
else fail "toast outcome"; fi
if screen | head -1 | matches 'step 10,000 ' && screen | head -1 | matches 'paused'; then pass "the run held at step 10,000, still paused"; else fail "run held"; fi

tm send-keys -t app s
if wait_for 'saved snapshots/intro-10000-' 10; then pass "s saves the run with the adopted instance"; else fail "save after best of seeds"; fi
saved=$(ls "$work"/snapshots/intro-10000-*.json 2>/dev/null | head -1)
if [ -n "$saved" ]; then
  before=$(held_out "$work/intro.json" 9); after=$(held_out "$saved" 9)
  if python3 -c 'import sys; sys.exit(0 if float(sys.argv[2]) <= float(sys.argv[1]) * 1.01 else 1)' "$before" "$after"; then
    pass "numpy: #9's loss $after is no worse than before ($before)"
  else fail "numpy: #9's loss $after vs before $before"; fi
  if python3 - "$work/intro.json" "$saved" <<'PY'
import json, sys
a, b = (json.load(open(f))["instances"] for f in sys.argv[1:3])
assert all(a[k]["parameters"] == b[k]["parameters"] for k in range(9)), "another instance changed"
PY
  then pass "instances #0–#8 are unchanged"; else fail "other instances unchanged"; fi
else fail "numpy check (no saved file)"; fi

# ---------------------------------------------------------------- progress, and Ctrl-C mid-search
# k = 64 on the "best of" slider (nine sliders below 1−S, ] to the top): ~8 s of training.
for i in 1 2 3 4 5 6 7 8 9; do tm send-keys -t app j; done
for i in 1 2 3 4 5 6 7; do tm send-keys -t app ']'; done
if wait_for 'best of  .* 64│' 10; then pass "the best-of slider goes to 64"; else fail "best-of slider to 64"; fi
tm send-keys -t app b
if wait_for '│ best of 64: [0-9.]+% │' 10; then pass "the status line shows the search's progress"; else fail "progress in the status line"; fi
tm send-keys -t app b
if wait_for 'best of 64 seeds \(#9\) stopped: cancelled' 3; then pass "b again cancels the search"; else fail "b cancels"; fi
tm send-keys -t app b
wait_for '│ best of 64: [0-9.]+% │' 10
t0=$(date +%s%N)
tm send-keys -t app C-c
if wait_exit && grep -q 'EXIT=0' "$work/rc"; then
  ms=$((($(date +%s%N) - t0) / 1000000))
  if [ "$ms" -lt 1500 ]; then pass "Ctrl-C during a search exits 0 in ${ms} ms"; else fail "Ctrl-C took ${ms} ms"; fi
else fail "Ctrl-C during a search ($(cat "$work/rc" 2>/dev/null))"; fi
if grep -qE '(^| )icanon( |$)' "$work/stty"; then pass "terminal restored"; else fail "terminal restored"; fi

finish e2e-seeds
