#!/usr/bin/env bash
# End-to-end tests of the explorer: the real binary in tmux (private socket, no user config),
# driven with send-keys and read back with capture-pane, asserting what a person would see.
# Works with no TTY and an empty environment (as CI runs it).
set -uo pipefail

sock="tms-e2e-$$"
source "$(dirname "$0")/helpers.bash"

# current step from the status line ("step 12.3k" → 12.3k)
step_text() { screen | head -1 | grep -oE 'step [0-9,]+' | head -1; }

# ---------------------------------------------------------------- start-up and colour
start -- --threads 2
if wait_for 'WᵀW' 30 && wait_for 'controls' 2; then pass "explorer starts with panels"; else fail "explorer starts with panels"; fi
if screen_e | matches $'\e\[38;5;' && screen_e | matches $'\e\[48;5;' && screen | matches '▀'; then
  pass "heatmap drawn with 256-colour half blocks"
else fail "heatmap drawn with 256-colour half blocks"; fi
if wait_for 'running' 3 && wait_for '2 dedicated, 3 dropped' 10; then pass "dense instance 0 labelled '2 dedicated, 3 dropped'"; else fail "dense instance 0 label"; fi
if screen | matches 'q quit' && screen | matches '? help'; then pass "footer shows key hints"; else fail "footer shows key hints"; fi

# ---------------------------------------------------------------- sparsity slider moves the model
tm send-keys -t app l l l l l l l l l l l l l l l l l l l l l l l l l l l l l l l l l l l l l l l l
if wait_for '1−S +4e-3|1−S 4e-3' 5; then pass "sparsity slider moved to 1−S 4e-3"; else fail "sparsity slider moved"; fi
if wait_for 'pentagon' 20; then pass "geometry changes to a pentagon on the running model"; else fail "geometry changes to a pentagon"; fi

# ---------------------------------------------------------------- pause stops the step counter
tm send-keys -t app ' '
if wait_for '^paused' 3; then
  s1=$(step_text); sleep 1; s2=$(step_text)
  if [ -n "$s1" ] && [ "$s1" = "$s2" ]; then pass "pause stops the step counter ($s1)"; else fail "pause stops the step counter ($s1 vs $s2)"; fi
else fail "space pauses"; fi
tm send-keys -t app '.'
sleep 0.5
if screen | head -1 | matches 'paused'; then pass "single step keeps it paused"; else fail "single step keeps it paused"; fi
tm send-keys -t app ' '
if wait_for '^running' 3; then pass "space resumes"; else fail "space resumes"; fi

# ---------------------------------------------------------------- help, views, presets
tm send-keys -t app '?'
if wait_for 'tms keys' 3 && screen | matches 'pause / resume'; then pass "? opens the help overlay"; else fail "? opens the help overlay"; fi
tm send-keys -t app Escape
# Closed means the overview is back (status line and heatmap on screen) and the help gone.
closed() { screen | matches -E '^(running|paused)' && screen | matches 'WᵀW' && ! screen | matches 'tms keys'; }
i=0
until closed || [ "$i" -ge 30 ]; do sleep 0.1; i=$((i + 1)); done
if closed; then pass "Esc closes the help overlay"; else fail "Esc closes the help overlay"; fi
tm send-keys -t app 6
if wait_for 'dimensionality: D\*' 3; then pass "6 switches to the dimensionality view"; else fail "6 switches view"; fi
tm send-keys -t app 5
if wait_for 'feature probability p = 1−S' 3; then pass "5 switches to the controls view"; else fail "5 switches view"; fi
tm send-keys -t app 4
if wait_for 'loss #0' 3 && ! screen | matches 'WᵀW'; then pass "4 switches to the loss view"; else fail "4 switches view"; fi
tm send-keys -t app 7
if wait_for 'neurons #0' 3; then pass "7 switches to the neuron view"; else fail "7 switches view"; fi
tm send-keys -t app 1
if wait_for 'WᵀW' 3; then pass "1 returns to the overview"; else fail "1 returns to the overview"; fi

# ---------------------------------------------------------------- presets picker
tm send-keys -t app p
if wait_for 'presets \(' 3 && screen | matches 'basic-relu'; then pass "p opens the presets picker"; else fail "p opens the presets picker"; fi
tm send-keys -t app j j j
tm send-keys -t app Enter
if wait_for 'basic-relu 20→5×7' 5; then pass "Enter loads the basic-relu preset (20→5 × 7)"; else fail "Enter loads a preset"; fi
if wait_for 'loaded basic-relu' 2; then pass "a toast confirms the preset"; else fail "a toast confirms the preset"; fi

# ---------------------------------------------------------------- s saves a snapshot
tm send-keys -t app s
if wait_for 'saved snapshots/basic-relu-[0-9]+-' 10; then pass "s saves a snapshot and the toast says where"; else fail "s saves a snapshot"; fi
saved=$(ls "$work"/snapshots/basic-relu-*.json 2>/dev/null | head -1)
if [ -n "$saved" ] && python3 - "$saved" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
assert d["format"] == "tms-snapshot" and d["config"]["name"] == "basic-relu", d.get("format")
assert d["config"]["features"] == 20 and len(d["instances"]) == 7 and d["step"] > 0
PY
then pass "the saved file is a complete snapshot of the running 20→5×7 model"; else fail "saved snapshot file ($saved)"; fi

# ---------------------------------------------------------------- resize
tm resize-window -t app -x 40 -y 12
if wait_for 'terminal too small' 5 && wait_for 'need 80' 1; then pass "40×12 shows the too-small screen"; else fail "40×12 shows the too-small screen"; fi
for size in "1 1" "5 3" "79 23" "200 60" "2 2" "81 25" "13 7"; do
  set -- $size
  tm resize-window -t app -x "$1" -y "$2"
  sleep 0.15
done
tm resize-window -t app -x 100 -y 30
if wait_for 'WᵀW' 5 && wait_for 'controls' 2; then pass "resizes down to 1×1 and back keep working"; else fail "resizes down to 1×1 and back"; fi
if [ ! -e "$work/rc" ] && screen | matches 'WᵀW'; then pass "no crash during resizes"; else fail "no crash during resizes"; fi

# ---------------------------------------------------------------- quit restores the terminal
# `s` then `q` at once: quitting waits for the save and says where it went once restored.
before=$(ls "$work"/snapshots/*.json 2>/dev/null | wc -l)
tm send-keys -t app s q
if wait_exit && grep -q 'EXIT=0' "$work/rc"; then pass "q exits 0"; else fail "q exits 0 ($(cat "$work/rc" 2>/dev/null))"; fi
after=$(ls "$work"/snapshots/*.json 2>/dev/null | wc -l)
if [ "$after" -eq $((before + 1)) ] && wait_for '^tms: saved snapshots/' 2; then pass "s then q at once: the save completes and is reported after quitting"; else fail "save at quit ($before → $after files)"; fi
if grep -qE '(^| )icanon( |$)' "$work/stty" && grep -qE '(^| )echo( |$)' "$work/stty"; then pass "terminal restored (icanon echo)"; else fail "terminal restored"; cat "$work/stty"; fi

# ---------------------------------------------------------------- --snapshot reopens a saved run
if [ -n "$saved" ]; then
  saved_step=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["step"])' "$saved")
  start -- --snapshot "$saved" --paused
  want=$(python3 -c 'import sys; print(f"{int(sys.argv[1]):,}")' "$saved_step")
  if wait_for 'basic-relu 20→5×7' 30 && wait_for "step $want " 3; then
    pass "--snapshot opens the saved run at its step ($saved_step)"
  else fail "--snapshot opens the saved run at step $saved_step"; fi
  tm send-keys -t app q
  wait_exit
else fail "--snapshot (no saved file)"; fi
printf '{"format":"tms-snapshot","version":1' > "$work/truncated.json"
out=$(cd "$work" && env -i PATH=/usr/bin:/bin TERM=xterm "$tms" --snapshot truncated.json 2>&1 </dev/null); code=$?
if [ "$code" = 1 ] && [ "$(printf '%s\n' "$out" | wc -l)" = 1 ] && printf '%s' "$out" | matches 'truncated.json'; then
  pass "--snapshot on a truncated file: one line naming it, exit 1"
else fail "--snapshot on a truncated file ($code: $out)"; fi

# ---------------------------------------------------------------- Ctrl-C, SIGTERM
start -- --threads 1
wait_for 'WᵀW' 30
tm send-keys -t app C-c
if wait_exit && grep -q 'EXIT=0' "$work/rc" && grep -qE '(^| )icanon( |$)' "$work/stty"; then pass "Ctrl-C exits 0 with the terminal restored"; else fail "Ctrl-C exit ($(cat "$work/rc" 2>/dev/null))"; fi

start -- --threads 1
wait_for 'WᵀW' 30
kill -TERM "$(tms_pid)"
if wait_exit && grep -q 'EXIT=143' "$work/rc" && grep -qE '(^| )echo( |$)' "$work/stty"; then pass "SIGTERM ends with 143 and a restored terminal"; else fail "SIGTERM ($(cat "$work/rc" 2>/dev/null))"; fi

# ---------------------------------------------------------------- a crash restores the terminal
start SWIFT_BACKTRACE=enable=no -- --threads 1 --test-crash
if wait_exit && grep -qE 'EXIT=(132|133|134|139)' "$work/rc" && grep -qE '(^| )icanon( |$)' "$work/stty" && grep -qE '(^| )echo( |$)' "$work/stty"; then
  pass "a crash dies by its signal ($(cat "$work/rc")) with the terminal restored"
else fail "crash handling ($(cat "$work/rc" 2>/dev/null))"; cat "$work/stty" 2>/dev/null | head -3; fi

# ---------------------------------------------------------------- colour fallbacks and refusals
start NO_COLOR=1 -- --threads 1
if wait_for 'WᵀW' 30 && ! screen_e | matches $'\e\[38;5;' && screen | matches -E '[░▒▓█]'; then pass "NO_COLOR: no colours, shade characters"; else fail "NO_COLOR"; fi
tm send-keys -t app q; wait_exit

start TERM=xterm -- --threads 1
if wait_for 'WᵀW' 30 && ! screen_e | matches $'\e\[38;5;'; then pass "8-colour terminal: no 256-colour codes"; else fail "8-colour terminal"; fi
tm send-keys -t app q; wait_exit

out=$(env -i PATH=/usr/bin:/bin TERM=xterm-256color "$tms" </dev/null 2>&1 >/dev/null); code=$?
if [ "$code" = 1 ] && [ "$(printf '%s\n' "$out" | wc -l)" = 1 ] && printf '%s' "$out" | matches 'tms train'; then pass "not a TTY: one line pointing at tms train, exit 1"; else fail "not a TTY ($code: $out)"; fi

start TERM=dumb -- --threads 1
if wait_exit && grep -q 'EXIT=1' "$work/rc"; then pass "TERM=dumb refused with exit 1"; else fail "TERM=dumb ($(cat "$work/rc" 2>/dev/null))"; fi

start TERM=no-such-terminal -- --threads 1
if wait_exit && grep -q 'EXIT=1' "$work/rc"; then pass "unknown TERM refused with exit 1"; else fail "unknown TERM"; fi

finish e2e-run
