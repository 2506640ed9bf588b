#!/usr/bin/env bash
# End-to-end test of the results view (0) on a sweep's result file: the real binary in tmux
# (private socket, no user config) opens a 3-axis result file while `tms sweep run` is still
# writing it and follows it as it grows; `x` and `y` switch the axes; `]` moves the third
# axis's slider and the cursor's point follows; Enter trains that point live; 0 returns to the
# results; q exits 0.
# Works with no TTY and an empty environment; exits non-zero on a failure.
set -uo pipefail

sock="tms-e2e-sweep-$$"
source "$(dirname "$0")/helpers.bash"
sweep_pid=
trap 'tmux -L "$sock" kill-server 2>/dev/null; [ -n "$sweep_pid" ] && kill "$sweep_pid" 2>/dev/null; rm -rf "$work"' EXIT

# points done as the view's title says ("17/60" → 17), empty if not shown.
points_done() { screen | grep -oE '─ [0-9]+/60 ─' | head -1 | grep -oE '[0-9]+/' | tr -d /; }

# A 3-axis 2→1 sweep (p × r × lr = 5 × 4 × 3 = 60 points), written a few points at a time.
"$tms" sweep run --features 2 --hidden 1 --axis feature_probability=log:1:0.01:5 \
  --axis relative_importance=log:0.1:10:4 --axis lr=0.001,0.003,0.01 --seeds 2 --steps 5000 \
  --pack 2 --threads 1 -o "$work/grow.jsonl" 2>"$work/sweep.err" &
sweep_pid=$!
for ((i = 0; i < 100; i++)); do [ -s "$work/grow.jsonl" ] && break; sleep 0.1; done

start -- --sweep grow.jsonl --threads 1
if wait_for 'loss · feature_probability ↓ × relative_importance →' 20; then
  pass "tms --sweep opens the results view: p down, r across, loss"
else fail "results view opens"; fi
n1=$(points_done)
sleep 2
n2=$(points_done)
if [ -n "$n1" ] && [ -n "$n2" ] && [ "$n2" -gt "$n1" ]; then
  pass "the view follows the file as the sweep writes it ($n1 → $n2 of 60)"
else fail "live growth ($n1 → $n2)"; fi
wait "$sweep_pid"
sweep_rc=$?
sweep_pid=
if [ $sweep_rc -eq 0 ] && wait_for '─ 60/60 ─' 5; then pass "all 60 points shown once the sweep ends"; else fail "60/60 after the sweep (rc $sweep_rc: $(cat "$work/sweep.err"))"; fi
if screen | matches -E '^│lr ●─+ +0\.001│' && screen_e | matches $'\e\[48;5;'; then
  pass "lr is the third axis's slider, at 0.001; cells coloured"
else fail "slider and colours"; fi

# Move the third axis's slider: the cursor's point follows it (lr is the fastest axis).
tm send-keys -t app ']'
if wait_for '^│lr ━+●─+ +0\.003│' 3 && wait_for '─ point 1 ─' 2 && screen | matches 'lr 0.003'; then
  pass "] moves the lr slider to 0.003 and the point panel to point 1"
else fail "] on the slider"; fi
tm send-keys -t app ']'
if wait_for '^│lr ━+● +0\.01 *│' 3 && wait_for '─ point 2 ─' 2; then pass "] again: lr 0.01, point 2"; else fail "second ]"; fi

# Switch the axes: lr across, then r down; the slider becomes the axis left over.
tm send-keys -t app x
if wait_for 'feature_probability ↓ × lr →' 3 && wait_for '^│relative_importance ●─+ +0\.1│' 2; then
  pass "x puts lr across; relative_importance becomes the slider"
else fail "x switches the axis across"; fi
tm send-keys -t app y
if wait_for 'relative_importance ↓ × lr →' 3 && wait_for '^│feature_probability ●─+ +1 *│' 2; then
  pass "y puts relative_importance down; feature_probability becomes the slider"
else fail "y switches the axis down"; fi
tm send-keys -t app ']'
if wait_for '^│feature_probability ━+●─+ +0\.316│' 3; then pass "] moves the new slider (p 1 → 0.316)"; else fail "] on the new slider"; fi
tm send-keys -t app m
if wait_for 'represented · relative_importance' 3; then pass "m: next metric (represented)"; else fail "m"; fi

# Enter trains the cursor's point live in the overview.
tm send-keys -t app Enter
if wait_for 'running │ sweep-point-[0-9]+ 2→1×2' 5 && wait_for 'WᵀW' 2; then
  pass "Enter trains the point live: $(screen | head -1 | cut -c1-60)…"
else fail "Enter opens the point"; fi
# With --sweep, key 0 is the results view (the SAE view's key in the run explorer).
tm send-keys -t app 0
if wait_for 'represented · relative_importance ↓ × lr →' 3 && ! screen | matches 'SAE controls'; then
  pass "0 brings the results view back (not the SAE view)"
else fail "0 in sweep mode"; fi
tm send-keys -t app q
if wait_exit && grep -q 'EXIT=0' "$work/rc"; then pass "q exits 0"; else fail "q exits 0 ($(cat "$work/rc" 2>/dev/null))"; fi

# A file that is not a sweep's results: one line, exit 1, before the screen opens.
echo '{"format": "tms-snapshot"}' >"$work/not.jsonl"
err=$(cd "$work" && env -i PATH=/usr/bin:/bin HOME="$work" TERM=xterm "$tms" --sweep not.jsonl 2>&1 >/dev/null </dev/null); code=$?
if [ "$code" = 1 ] && [ "$(printf '%s\n' "$err" | wc -l)" = 1 ] && printf '%s' "$err" | matches 'not a tms sweep result file'; then
  pass "--sweep on another file: one line, exit 1"
else fail "--sweep on a bad file ($code: $err)"; fi

finish e2e-sweep
