#!/usr/bin/env bash
# End-to-end test of the timeline: the real binary in tmux (private socket, no user config),
# with the helpers of helpers.bash. Trains the intro sweep (seed 4), focuses instance #9
# (1−S = 0.05), opens the loss view and rewinds: step 0 and the dense early frames, then by
# event to the frame where #9 becomes a pentagon, which the events list and a toast name by
# its step; the live step keeps counting behind the frame, t returns to live, S saves with
# the history and `tms --snapshot` of that file replays it. Then --no-history, where t says
# there is nothing recorded.
set -uo pipefail

sock="tms-e2e-timeline-$$"
source "$(dirname "$0")/helpers.bash"

# status: the status line (the screen's first line; read again for up to a second while a
# capture catches it mid-redraw, without its separators).
status() {
  local line="" i
  for i in 1 2 3 4 5 6 7 8 9 10; do
    line=$(screen | head -1)
    [[ $line == *│* ]] && break
    sleep 0.1
  done
  printf '%s\n' "$line"
}
# number_after TEXT: the comma-grouped number after TEXT in the status line, commas removed.
number_after() { status | grep -oE "$1 [0-9,]+" | head -1 | sed 's/.* //; s/,//g'; }

start -- --seed 4 --threads 1
if wait_for '^running │ intro .*│ step [0-9,]+ ' 15; then pass "the intro sweep trains (seed 4)"
else fail "intro trains"; fi
# n moves the focus one instance on; nine presses from #0 reach #9, the sparsest.
for _ in 1 2 3 4 5 6 7 8 9; do tm send-keys -t app n; done
tm send-keys -t app 4
if wait_for 'events #9 · [0-9]+ of [0-9]+' 5; then pass "the loss view lists #9's events"
else fail "events #9"; fi

# ---------------------------------------------------------------- rewind to step 0
tm send-keys -t app t
tm send-keys -t app Home
if wait_for '^[a-z]+ │  history @ step 0  │ live step [0-9,]+' 5 \
  && screen | matches -E 'history @ step 0 · frame 1/[0-9]+'; then
  pass "t and Home show the first frame: history @ step 0, frame 1"
else fail "history @ step 0"; fi
if screen | matches -F "#9 loss –"; then pass "step 0 has no loss yet (the random start)"
else fail "step 0 loss"; fi
reverse=""
for _ in 1 2 3 4 5 6 7 8 9 10; do
  screen_e | head -1 | matches -P '\e\[([0-9]+;)*7(;[0-9]+)*m(\e\[[0-9;]*m)* history @ step 0 ' \
    && reverse=y && break
  sleep 0.1
done
if [ -n "$reverse" ]; then pass "the frame's step is shown in reverse video"
else fail "history marker in reverse video"; fi
tm send-keys -t app Right
ok1=$(wait_for '│  history @ step 1  │' 3 && echo y)
tm send-keys -t app Right
ok2=$(wait_for '│  history @ step 2  │' 3 && echo y)
if [ -n "$ok1" ] && [ -n "$ok2" ]; then
  pass "early frames are dense: → shows step 1, then step 2"
else fail "dense early frames (step 1: ${ok1:-no}, step 2: ${ok2:-no})"; fi

live1=$(number_after 'live step')
sleep 1
live2=$(number_after 'live step')
if [ -n "$live1" ] && [ "${live2:-0}" -gt "$live1" ] && wait_for '│  history @ step 2  │' 2; then
  pass "training goes on behind the frame (live step $live1 → $live2, frame stays at step 2)"
else fail "live step while rewound ($live1 → $live2)"; fi

# ---------------------------------------------------------------- by event to the pentagon
found=""
for _ in $(seq 1 30); do
  tm send-keys -t app ']'
  sleep 0.2
  if status | matches -E '#9 loss [^ ]+ │ 5 features in a pentagon$'; then found=y; break; fi
done
at=$(number_after 'history @ step')
if [ -n "$found" ] && [ -n "$at" ]; then pass "] reaches the frame where #9 is a pentagon (step $at)"
else fail "] to the pentagon (step ${at:-?})"; fi
grouped=$(python3 -c "print(f'{int(\"$at\"):,}')" 2>/dev/null || echo "$at")
if screen | matches -E "#9 step $grouped: .* → 5 features in a pentagon"; then
  pass "a toast names the event: #9 step $grouped: … → 5 features in a pentagon"
else fail "toast naming the pentagon's step"; fi
if screen | matches -E "▶ step $grouped: "; then
  pass "the events list marks the pentagon's step ($grouped)"
else fail "events list marks step $grouped"; fi
tm send-keys -t app Left
sleep 0.3
before=$(number_after 'history @ step')
if [ -n "$before" ] && [ "$before" -lt "$at" ] && ! status | matches 'in a pentagon$'; then
  pass "the frame before it (step $before) is not a pentagon yet"
else fail "frame before the event (step ${before:-?}): $(status)"; fi

# ---------------------------------------------------------------- back to live
live3=$(number_after 'live step')
tm send-keys -t app t
if wait_for '^running │ intro .*│ step [0-9,]+ ' 5 && ! status | matches 'history @'; then
  pass "t returns to live"
else fail "t returns to live"; fi
now=$(number_after '│ step')
if [ -n "$now" ] && [ -n "$live3" ] && [ "$now" -gt "$live3" ] && [ "$live3" -gt "$live2" ]; then
  pass "the step counter kept increasing ($live1 → $live2 → $live3 → $now)"
else fail "step counter ($live1 → $live2 → $live3 → $now)"; fi

# ---------------------------------------------------------------- S saves, --snapshot replays
tm send-keys -t app S
if wait_for 'saved snapshots/intro-[0-9]+-[0-9-]+\.json' 20; then pass "S saves the run with its history"
else fail "S saves"; fi
file=$(screen | grep -oE 'snapshots/intro-[0-9]+-[0-9-]+\.json' | head -1)
tm send-keys -t app q
if wait_exit && grep -q 'EXIT=0' "$work/rc"; then pass "q exits 0"
else fail "q exit status ($(cat "$work/rc" 2>/dev/null))"; fi
if grep -qE '(^| )icanon( |$)' "$work/stty"; then pass "terminal restored"; else fail "terminal restored"; fi
if [ -n "$file" ] && python3 - "$work/$file" "$at" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
h = d["history"]
steps = [f["step"] for f in h["frames"]]
pentagon = [e for e in h["events"] if e["instance"] == 9 and e["to"] == "5 features in a pentagon"]
ok = d["version"] == 3 and steps[0] == 0 and steps == sorted(steps) and len(steps) > 100
ok = ok and any(e["step"] == int(sys.argv[2]) for e in pentagon)
sys.exit(0 if ok else 1)
PY
then pass "the file holds the frames from step 0 and the pentagon event at step $at"
else fail "saved history ($file)"; fi

start -- --snapshot "$file" --threads 1
if wait_for '^paused │  history @ step [0-9,]+  │ live step' 15; then
  pass "tms --snapshot FILE opens the saved run paused, in replay"
else fail "--snapshot opens in replay"; fi
r1=$(number_after 'history @ step')
sleep 1.5
r2=$(number_after 'history @ step')
if [ -n "$r1" ] && [ "${r2:-0}" -gt "$r1" ]; then pass "the replay plays (step $r1 → $r2)"
else fail "replay plays ($r1 → $r2)"; fi
tm send-keys -t app End
tm send-keys -t app 4
last=$(python3 -c 'import json, sys; print("{:,}".format(json.load(open(sys.argv[1]))["history"]["frames"][-1]["step"]))' "$work/$file")
saved=$(python3 -c 'import json, sys; print("{:,}".format(json.load(open(sys.argv[1]))["step"]))' "$work/$file")
if wait_for "history @ step $last · frame ([0-9]+)/\\1 " 5 && [ "$last" = "$saved" ]; then
  pass "End shows the last frame, the saved step ($saved)"
else fail "End"; fi
tm send-keys -t app q
if wait_exit && grep -q 'EXIT=0' "$work/rc"; then pass "q exits 0 from the replay"
else fail "q exit status from the replay ($(cat "$work/rc" 2>/dev/null))"; fi

# ---------------------------------------------------------------- --no-history
start -- --no-history --threads 1
wait_for '^running │ intro' 15
tm send-keys -t app t
if wait_for 'not recording: this explorer was started with --no-history' 5 \
  && ! status | matches 'history @'; then
  pass "with --no-history, t says nothing is recorded and stays live"
else fail "--no-history t"; fi
tm send-keys -t app q
wait_exit

finish e2e-timeline
