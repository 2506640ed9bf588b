#!/usr/bin/env bash
# End-to-end test of the compare view: the real binary in tmux (private socket, no user
# config), with the helpers of helpers.bash. Opens the linear-vs-relu preset, which shows
# two live runs side by side (relu-output and linear), checks both columns' titles, that
# both train, that the loss plot draws both runs in two colours under its legend, that C
# gives the second run the next seed, and that q exits 0 with the terminal restored; then
# --compare with a preset name and a snapshot file, and a bad --compare argument.
set -uo pipefail

sock="tms-e2e-compare-$$"
source "$(dirname "$0")/helpers.bash"

titles='relu-output · seed 0 · step [0-9,]+ · loss [^ ]+ +linear · seed 0 · step [0-9,]+ · loss'

# step_of MODEL SEED: the step in that run's column title.
step_of() {
  screen | grep -oE "$1 · seed $2 · step [0-9,]+" | head -1 | sed 's/.*step //; s/,//g'
}

# ---------------------------------------------------------------- the preset opens both runs
start -- --preset linear-vs-relu --threads 1
if wait_for "$titles" 15; then pass "linear-vs-relu opens two columns, relu-output and linear"
else fail "both columns titled"; fi
a=$(step_of relu-output 0); b=$(step_of linear 0)
sleep 1
a2=$(step_of relu-output 0); b2=$(step_of linear 0)
if [ -n "$a" ] && [ -n "$b" ] && [ "${a2:-0}" -gt "$a" ] && [ "${b2:-0}" -gt "$b" ]; then
  pass "both runs train (relu-output $a → $a2, linear $b → $b2)"
else fail "both runs train ($a → $a2, $b → $b2)"; fi
if screen | matches -E '━━ relu-output seed 0 +━━ linear seed 0'; then
  pass "the loss plot's legend names both runs"
else fail "loss legend"; fi
# The curves: braille cells under the legend in the first run's colour (214) and the
# second's (75).
if screen_e | python3 -c '
import re, sys
lines = sys.stdin.read().split("\n")
start = next(i for i, l in enumerate(lines) if "relu-output seed 0" in l and "linear seed 0" in l and "━━" in l)
colours = set()
for line in lines[start + 1:]:
    fg = None
    for piece in re.split(r"(\x1b\[[0-9;]*m)", line):
        if piece.startswith("\x1b["):
            m = re.search(r"38;5;(\d+)", piece)
            if m: fg = m.group(1)
            elif piece in ("\x1b[0m", "\x1b[m", "\x1b[39m"): fg = None
        elif any(0x2801 <= ord(c) <= 0x28FF for c in piece):
            colours.add(fg)
sys.exit(0 if {"214", "75"} <= colours else 1)
'; then pass "both losses are drawn on the plot, in two colours"
else fail "two coloured loss curves"; fi

# ---------------------------------------------------------------- C: the next seed
tm send-keys -t app C
if wait_for 'relu-output · seed 0 · step [0-9,]+ · loss [^ ]+ +linear · seed 1 · step' 10; then
  pass "C gives the second run seed 1 (still linear), the first keeps seed 0"
else fail "C: second run seed 1"; fi
if screen | matches 'second run: linear, seed 1'; then pass "a toast says what the second run became"
else fail "C toast"; fi

tm send-keys -t app q
if wait_exit && grep -q 'EXIT=0' "$work/rc"; then pass "q exits 0 with two trainers running"
else fail "q exit status ($(cat "$work/rc" 2>/dev/null))"; fi
if grep -qE '(^| )icanon( |$)' "$work/stty"; then pass "terminal restored"; else fail "terminal restored"; fi

# ---------------------------------------------------------------- --compare PRESET and FILE
start -- --preset basic-relu --compare basic-linear --threads 1
if wait_for 'basic-relu.*relu-output · seed 0 · step|relu-output · seed 0 · step' 15 \
  && wait_for 'linear · seed 0 · step' 5; then
  pass "tms --compare basic-linear opens the compare view beside basic-relu"
else fail "--compare PRESET"; fi
tm send-keys -t app q
wait_exit

(cd "$work" && env -i PATH=/usr/bin:/bin "$tms" train --preset basic-linear --steps 500 \
  --threads 1 --save lin.json >/dev/null 2>&1)
start -- explore --preset basic-relu --compare lin.json --paused --threads 1
if wait_for 'linear · seed 0 · step 500 ' 15; then
  pass "tms explore --compare FILE resumes the saved run beside the first (step 500, paused)"
else fail "--compare FILE"; fi
tm send-keys -t app q
wait_exit

out=$(cd "$work" && env -i PATH=/usr/bin:/bin "$tms" --compare no-such-run 2>&1 </dev/null)
rc=$?
if [ "$rc" -ne 0 ] && [ "$(printf '%s\n' "$out" | wc -l)" -eq 1 ] \
  && printf '%s\n' "$out" | matches -- '--compare'; then
  pass "a bad --compare is one line and a failure ($out)"
else fail "bad --compare (rc $rc): $out"; fi

finish e2e-compare
