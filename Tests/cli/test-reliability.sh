#!/usr/bin/env bash
# Reliability and security of the command line, against the release binary:
#   Tests/cli/test-reliability.sh        (binary: $TMS_BIN, default .build/release/tms)
# - Ctrl-C, SIGTERM and SIGHUP end long runs within a second (the latency of every preset is
#   measured by scripts/ctrl-c-latency.sh), saving first when --save was given;
# - text from files (preset and snapshot names, descriptions, unknown keys, the divergence
#   text) never reaches the terminal with its escape sequences, and is cut to a sane length;
# - devices, FIFOs and links as inputs and outputs: refused with one line, written into, or
#   written through, and never replaced (on private device nodes made with mknod here);
# - a failed write to stdout is one line and a non-zero status;
# - values that pass a type check but make no sense are refused or reported.
set -uo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
tms=${TMS_BIN:-$root/.build/release/tms}
[ -x "$tms" ] || { echo "test-reliability: $tms not found; build with: swift build -c release" >&2; exit 2; }
tms=$(cd "$(dirname "$tms")" && pwd)/$(basename "$tms")
command -v python3 >/dev/null || { echo "test-reliability: python3 is required" >&2; exit 2; }
hostile=$root/Tests/TMSEngineTests/Fixtures/hostile
work=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill -KILL "$p" 2>/dev/null; done
  rm -rf "$work"
}
trap cleanup EXIT
cd "$work" || exit 2
export XDG_CONFIG_HOME=$work/config
unset TMS_PRESETS
source "$root/Tests/lib/checks.bash"

one_line() { [ "$(wc -l <"$1")" -eq 1 ]; }
# no_controls FILE: no ESC, BEL or C1 control (UTF-8 C2 80–9F) anywhere in FILE.
no_controls() { ! LC_ALL=C grep -q $'\e\|\a\|\xc2[\x80-\x9f]' "$1"; }
# ends_within SECONDS PID: waits (polling every 10 ms) until PID has exited; false if it
# is still running after SECONDS.
ends_within() {
  local limit=$1 pid=$2 i=0
  while kill -0 "$pid" 2>/dev/null; do
    [ "$i" -ge $((limit * 100)) ] && return 1
    sleep 0.01
    i=$((i + 1))
  done
}
# started PID FILE PATTERN: waits up to 30 s for PATTERN in FILE while PID runs.
wait_file() {
  local i=0
  while [ ! -s "$1" ] && [ "$i" -lt 3000 ]; do sleep 0.01; i=$((i + 1)); done
  [ -s "$1" ]
}

# --- Interrupts ------------------------------------------------------------------------

# interrupt NAME SIGNAL EXPECTED ARGS...: starts `tms ARGS`, lets it train for 1.5 s, sends
# SIGNAL and requires the process to end within 1 s with status EXPECTED.
interrupt() {
  local name=$1 signal=$2 expected=$3
  shift 3
  "$tms" "$@" >out.txt 2>err.txt &
  local pid=$!
  pids+=("$pid")
  sleep 1.5
  if ! kill -0 "$pid" 2>/dev/null; then fail "$name: finished before the interrupt"; return 1; fi
  kill "-$signal" "$pid"
  if ! ends_within 1 "$pid"; then
    kill -KILL "$pid"
    wait "$pid" 2>/dev/null
    fail "$name: still running 1 s after SIG$signal"
    return 1
  fi
  wait "$pid" 2>/dev/null
  local rc=$?
  if [ "$rc" -eq "$expected" ]; then
    pass "$name: SIG$signal ends it within 1 s, status $rc ($(tr '\n' ' ' <err.txt))"
  else
    fail "$name: status $rc after SIG$signal, expected $expected" "$(cat err.txt)"
    return 1
  fi
}

# A long run of the largest preset, saving: the snapshot is complete and resumes.
if interrupt "train --preset dimensionality --save" INT 130 \
  train --preset dimensionality --steps 1000000 --threads 2 --save dim.json; then
  step=$(python3 -c "import json; print(json.load(open('dim.json'))['step'])" 2>/dev/null)
  if [ -n "$step" ] && [ "$step" -gt 0 ] && grep -q "interrupted at step $step" err.txt \
    && "$tms" train --resume dim.json --steps 3 --eval-samples 1 >/dev/null 2>&1; then
    pass "the interrupted run saved step $step, and it resumes"
  else fail "interrupted save (step '$step')" "$(cat err.txt)"; fi
fi
interrupt "train --preset varying-sparsity (no --save)" INT 130 \
  train --preset varying-sparsity --steps 1000000 --threads 2
interrupt "train, SIGTERM" TERM 143 train --preset larger --steps 10000000 --save term.json
if [ -s term.json ] && "$tms" show term.json >/dev/null 2>&1; then pass "SIGTERM saved a loadable snapshot"; else fail "SIGTERM save"; fi
interrupt "train, SIGHUP" HUP 129 train --preset larger --steps 10000000
interrupt "train --preset phase-2-1 (a grid)" INT 130 train --preset phase-2-1
interrupt "sweep phase --json (partial grid written)" INT 130 \
  sweep phase --features 3 --grid 40 --steps 20000 --json
if python3 -c "
import json, sys
d = json.load(open('out.txt'))
sys.exit(0 if d['cancelled'] and 0 < d['completed'] < d['total'] else 1)" 2>/dev/null; then
  pass "the interrupted sweep's JSON holds the finished cells and says cancelled"
else fail "interrupted sweep JSON" "$(head -c 300 out.txt)"; fi

# tms sae: an interrupt while the SAE trains saves model and SAE, and the snapshot continues
# (tms sae --snapshot); one while the model still trains saves the model before the SAE.
if interrupt "sae --preset sae-overcomplete --save (SAE training)" INT 130 \
  sae --preset sae-overcomplete --steps 2000 --sae-steps 100000000 --threads 2 --save sae.json; then
  sae_step=$(python3 -c "import json; print(json.load(open('sae.json'))['sae']['step'])" 2>/dev/null)
  if [ -n "$sae_step" ] && [ "$sae_step" -gt 0 ] && grep -q "interrupted at SAE step $sae_step" err.txt \
    && "$tms" sae --snapshot sae.json --sae-steps 3 --eval-samples 1 >/dev/null 2>&1; then
    pass "the interrupted SAE saved SAE step $sae_step, and it continues"
  else fail "interrupted SAE save (step '$sae_step')" "$(cat err.txt)"; fi
fi
if interrupt "sae --save while the model trains" TERM 143 \
  sae --preset sae-overcomplete --steps 100000000 --threads 2 --save sae-model.json; then
  if grep -q "before the SAE started" err.txt && python3 -c "
import json, sys
d = json.load(open('sae-model.json'))
sys.exit(0 if d['step'] > 0 and 'sae' in d['config'] and 'sae' not in d else 1)"; then
    pass "SIGTERM before the SAE started saves the model (its SAE configuration kept)"
  else fail "SAE interrupted in the model's training" "$(cat err.txt)"; fi
fi
# tms sweep run (its packs train on their own thread): Ctrl-C ends it at once, also as a
# background job, which ignores SIGINT without a handler; the file holds only whole lines
# and the message says how to continue.
sweep_args=(sweep run --features 40 --hidden 10 --axis lr=log:1e-4:1e-2:6 --steps 200000 --seeds 2
  --pack 2 --threads 2 --eval-samples 1 -o swept.jsonl)
if interrupt "sweep run" INT 130 "${sweep_args[@]}"; then
  if python3 -c "
import json
for line in open('swept.jsonl'): json.loads(line)" 2>/dev/null && grep -q "(--resume continues)" err.txt; then
    pass "the interrupted sweep's result file holds only whole lines"
  else fail "interrupted sweep file" "$(tail -c 200 swept.jsonl)"; fi
fi

# The final evaluation is abandoned too: a run that is only evaluating (2 steps, 2²⁰
# held-out samples of the largest preset: --eval-error 0 lets the estimate stop at no
# smaller error, where 1% takes well under a second) saves its snapshot, without held-out
# losses.
"$tms" train --preset dimensionality --steps 2 --eval-samples 1048576 --eval-error 0 --save eval.json \
  >/dev/null 2>err.txt &
pid=$!
pids+=("$pid")
sleep 1.5
kill -INT "$pid"
if ends_within 1 "$pid"; then
  wait "$pid"
  rc=$?
  if [ $rc -eq 130 ] && python3 -c "
import json, sys
d = json.load(open('eval.json'))
sys.exit(0 if d['step'] == 2 and d['instances'][0]['metrics'].get('eval_loss') is None else 1)"; then
    pass "Ctrl-C during the final evaluation saves at once (step 2, no held-out loss)"
  else fail "Ctrl-C during the evaluation (status $rc)" "$(cat err.txt)"; fi
else
  kill -KILL "$pid"
  fail "Ctrl-C during the final evaluation: still running after 1 s"
fi

# A second Ctrl-C ends at once, even in the middle of a save; the earlier file stays whole.
"$tms" train --steps 3 --save twice.json >/dev/null 2>&1
sum=$(md5sum twice.json)
"$tms" train --features 1000 --hidden 100 --instances 6 --steps 100000000 --threads 2 \
  --save twice.json --force >/dev/null 2>err.txt &
pid=$!
pids+=("$pid")
sleep 2
kill -INT "$pid"
sleep 0.05
kill -INT "$pid" 2>/dev/null
if ends_within 1 "$pid"; then
  wait "$pid"
  rc=$?
  if [ $rc -eq 130 ] && { [ "$(md5sum twice.json)" = "$sum" ] || "$tms" show twice.json >/dev/null 2>&1; }; then
    pass "a second Ctrl-C ends it at once (status $rc), twice.json is whole"
  else fail "second Ctrl-C (status $rc)"; fi
else
  kill -KILL "$pid"
  fail "a second Ctrl-C did not end it within 1 s"
fi

# --- Text from files --------------------------------------------------------------------

# shows_escaped NAME STATUS PATTERN ARGS...: exit STATUS, the escaped text PATTERN (grep -F)
# on stdout or stderr, and no control character on either.
shows_escaped() {
  local name=$1 expected=$2 pattern=$3
  shift 3
  local rc=0
  "$tms" "$@" >out.txt 2>err.txt </dev/null || rc=$?
  local problems=()
  [ "$rc" -eq "$expected" ] || problems+=("status $rc, expected $expected")
  no_controls out.txt || problems+=("a control character on stdout")
  no_controls err.txt || problems+=("a control character on stderr")
  cat out.txt err.txt | matches -F -- "$pattern" || problems+=("'$pattern' is not shown")
  if [ "${#problems[@]}" -eq 0 ]; then pass "$name"; else
    fail "$name" "${problems[@]}" "$(head -c 300 err.txt | cat -v)"
  fi
}

shows_escaped "tms presets FILE: name, description, expect escaped" 0 'evil^[]52;c;SGFja2Vk^G^[[2J' \
  presets "$hostile/escape-preset.json"
grep -qF 'hides^[]52;c;SGFja2Vk^G escape sequences\x9b31m.' out.txt \
  && grep -qF 'What to look for: Nothing^[[2J on screen.' out.txt \
  && pass "tms presets FILE: the description and what to look for, escaped" \
  || fail "tms presets FILE details" "$(cat -v out.txt)"
mkdir -p mine
cp "$hostile/escape-preset.json" mine/
TMS_PRESETS=$work/mine shows_escaped "tms presets: the listing escapes a user preset's name" 0 \
  'evil^[]52;c;SGFja2Vk^G^[[2J' presets
shows_escaped "tms train --preset: the summary escapes the name" 0 'evil^[]52;c;SGFja2Vk^G' \
  train --preset "$hostile/escape-preset.json"
shows_escaped "an unknown key holding OSC 52: one line, escaped" 2 'feat^[]52;c;SGFja2Vk^Gures: unknown key' \
  train --preset "$hostile/escape-key-preset.json"
one_line err.txt || fail "unknown key: one line" "$(cat -v err.txt)"
shows_escaped "a bad value holding escapes: one line, escaped" 2 "got 'relu^[]52;c;SGFja2Vk^G^[[2J'" \
  train --preset "$hostile/escape-value-preset.json"
shows_escaped "tms show: the snapshot name escaped" 0 'snap^[]52;c;SGFja2Vk^G^[[2J' \
  show "$hostile/escape-snapshot.json"
"$tms" show "$hostile/escape-snapshot.json" --color always >out.txt 2>&1
# Colours are SGR sequences (ESC [ … m); with them taken out nothing else may be left.
sed 's/\x1b\[[0-9;]*m//g' out.txt >plain.txt
if grep -q $'\e\\[' out.txt && no_controls plain.txt && grep -qF 'snap^[]52;c;' plain.txt; then
  pass "tms show --color always: colours, but no escape sequence from the file"
else fail "tms show --color always" "$(head -c 200 plain.txt | cat -v)"; fi
shows_escaped "tms train --resume: the divergence text escaped (exit 3)" 3 \
  'loss became inf^[]52;c;SGFja2Vk^G\x9b31m at step 3' train --resume "$hostile/escape-snapshot.json" --steps 1
shows_escaped "tms train --resume --json: JSON escapes them as \\u001b" 3 '\u001b]52;c;SGFja2Vk\u0007' \
  train --resume "$hostile/escape-snapshot.json" --steps 1 --json

# A 10 MB value (under the 16 MiB a preset may be) is a short line; a 50 MB file is refused
# for its size, also in one line.
for count in 1000000 5000000; do
  python3 -c "
import sys
sys.stdout.write('{\"features\": 5, \"model\": \"' + '\\\\u001b]52;' * $count + '\"}')" >huge.json
  rc=0
  "$tms" train --preset huge.json >out.txt 2>err.txt || rc=$?
  bytes=$(wc -c <err.txt)
  size=$(($(wc -c <huge.json) / 1000000))
  if [ $rc -eq 2 ] && one_line err.txt && [ "$bytes" -lt 1000 ] && no_controls err.txt; then
    pass "a $size MB value: one line of $bytes bytes ($(cut -c1-90 err.txt)…)"
  else fail "a $size MB value (status $rc, $bytes bytes)" "$(head -c 300 err.txt | cat -v)"; fi
done

# --- Special files ----------------------------------------------------------------------

# Private device nodes (never the system's): zero, null and full, as on Linux (1,5 / 1,3 /
# 1,7). Making them needs root (CAP_MKNOD); elsewhere the checks are skipped, and counted.
if mknod zero c 1 5 2>/dev/null && mknod null c 1 3 && mknod full c 1 7; then
  "$tms" train --steps 3 --save good.json >/dev/null 2>&1
  # input IS_NAME ARGS...: one line naming the file as a character device, exit 1 or 2.
  for args in "show zero" "export zero --npz x.npz" "train --resume zero" "train --preset ./zero" \
    "explore --snapshot zero"; do
    rc=0
    # shellcheck disable=SC2086
    timeout 10 "$tms" $args >out.txt 2>err.txt </dev/null || rc=$?
    if { [ $rc -eq 1 ] || [ $rc -eq 2 ]; } && one_line err.txt \
      && grep -q "zero: is a character device, not a file; only regular files are read" err.txt; then
      pass "tms $args: $(cat err.txt)"
    else fail "tms $args (status $rc)" "$(head -c 300 err.txt)"; fi
  done
  mkfifo fifo
  rc=0
  timeout 10 "$tms" show fifo >/dev/null 2>err.txt || rc=$?
  if [ $rc -eq 1 ] && one_line err.txt && grep -q "FIFO" err.txt; then pass "tms show FIFO: $(cat err.txt)"; else fail "tms show FIFO (status $rc)"; fi
  ln -s zero zero-link.json
  rc=0
  timeout 10 "$tms" show zero-link.json >/dev/null 2>err.txt || rc=$?
  if [ $rc -eq 1 ] && grep -q "is a character device" err.txt; then pass "a link to a device is refused like the device"; else fail "link to device (status $rc)"; fi

  # Outputs: a full device is written into (and fails with one line), never replaced.
  for args in "train --steps 2 --save full --force" "train --steps 2 --save full" \
    "sweep phase --grid 2 --steps 10 --csv full" "sweep phase --grid 2 --steps 10 --csv full --force" \
    "export good.json --npz full --force" "export good.json --svg full"; do
    rc=0
    # shellcheck disable=SC2086
    "$tms" $args >/dev/null 2>err.txt || rc=$?
    if [ $rc -eq 1 ] && one_line err.txt && grep -q "full: cannot write (the device is full)" err.txt \
      && [ -c full ]; then
      pass "tms $args: one line, the device is still a device"
    else fail "tms $args (status $rc)" "$(cat err.txt)" "$(ls -l full)"; fi
  done
  # A link to a device (as /dev/stdout is) is written through; link and device stay.
  ln -s null out-link
  if "$tms" train --steps 2 --save out-link >/dev/null 2>&1 && [ -L out-link ] && [ -c null ] \
    && "$tms" sweep phase --grid 2 --steps 10 --csv out-link >/dev/null 2>&1 && [ -L out-link ]; then
    pass "--save and --csv through a link to a device write into it; the link stays a link"
  else fail "link to a device as output" "$(ls -l out-link null)"; fi
  # stdout on a full device: one line, status 1 (not a trap, not a silent 0).
  for args in "train --steps 5 --json" "train --steps 5" "sweep phase --grid 2 --steps 10 --json" \
    "show good.json" "presets" "presets intro" "--help"; do
    rc=0
    # shellcheck disable=SC2086
    "$tms" $args >full 2>err.txt || rc=$?
    if [ $rc -eq 1 ] && one_line err.txt && grep -qx "tms: cannot write to stdout: No space left on device" err.txt; then
      pass "tms $args > full: one line, status 1"
    else fail "tms $args > full (status $rc)" "$(head -c 300 err.txt)"; fi
  done
else
  skip "devices as inputs and outputs" "cannot make device nodes here (mknod needs root)"
fi

# A link to a regular file stays a link: refused without --force, its file replaced with it.
"$tms" train --steps 2 --save target.json >/dev/null 2>&1
ln -s target.json link.json
rc=0
"$tms" train --steps 4 --save link.json >/dev/null 2>err.txt || rc=$?
if [ $rc -eq 1 ] && grep -q "already exists" err.txt; then pass "a link to a file is refused without --force"; else fail "link without --force (status $rc)"; fi
if "$tms" train --steps 4 --save link.json --force >/dev/null 2>&1 && [ -L link.json ] \
  && [ "$(python3 -c "import json; print(json.load(open('target.json'))['step'])")" = 4 ]; then
  pass "--force through a link replaces the file it points to; the link stays"
else fail "link with --force" "$(ls -l link.json target.json)"; fi
ln -s missing.json dangling.json
rc=0
"$tms" train --steps 2 --save dangling.json --force >/dev/null 2>err.txt || rc=$?
if [ $rc -eq 1 ] && one_line err.txt && grep -q "symbolic link to a missing file" err.txt && [ ! -e missing.json ]; then
  pass "a dangling link: $(cat err.txt)"
else fail "dangling link (status $rc)" "$(cat err.txt)"; fi
# --csv refuses to overwrite a file without --force, like --save.
echo keep >keep.csv
rc=0
"$tms" sweep phase --grid 2 --steps 10 --csv keep.csv >/dev/null 2>err.txt || rc=$?
if [ $rc -eq 1 ] && one_line err.txt && grep -q "already exists" err.txt && [ "$(cat keep.csv)" = keep ]; then
  pass "--csv refuses to overwrite without --force: $(cat err.txt)"
else fail "--csv overwrite (status $rc)" "$(cat err.txt)"; fi
if "$tms" sweep phase --grid 2 --steps 10 --csv keep.csv --force >/dev/null 2>&1 && head -1 keep.csv | matches '^row,column'; then
  pass "--csv --force replaces it"
else fail "--csv --force"; fi

# --- Values -----------------------------------------------------------------------------

rc=0
"$tms" train --steps 1 --eval-samples 99999999999 >/dev/null 2>err.txt || rc=$?
if [ $rc -eq 2 ] && one_line err.txt && grep -q -- "--eval-samples: must be an integer in 1…1048576, got 99999999999" err.txt; then
  pass "--eval-samples has an upper bound: $(cat err.txt)"
else fail "--eval-samples bound (status $rc)" "$(cat err.txt)"; fi

"$tms" train --steps 2 --save base.json >/dev/null 2>&1
python3 - <<'PY'
import json
d = json.load(open("base.json"))
d["step"] = 2**63 - 1
json.dump(d, open("step-max.json", "w"))
d["step"] = 2**53
json.dump(d, open("step-limit.json", "w"))
PY
rc=0
"$tms" show step-max.json >/dev/null 2>err.txt || rc=$?
if [ $rc -eq 1 ] && one_line err.txt && grep -q "step: must be at most 2^53" err.txt; then
  pass "a snapshot step of Int.max is refused: $(cat err.txt)"
else fail "step Int.max (status $rc)" "$(cat err.txt)"; fi
rc=0
"$tms" train --resume step-limit.json --steps 10 >/dev/null 2>err.txt || rc=$?
if [ $rc -eq 2 ] && one_line err.txt && grep -q "at most 0 more steps fit" err.txt; then
  pass "resuming at step 2^53 refuses more steps: $(cat err.txt)"
else fail "resume at 2^53 (status $rc)" "$(cat err.txt)"; fi
"$tms" show step-limit.json >show.txt 2>&1
if head -1 show.txt | matches "step 9007199254740992 "; then
  pass "a step of 2^53 shows as such"
else fail "show at 2^53"; fi

rc=0
"$tms" sweep phase --grid 3 --steps 500 --lr 1e6 --json >out.json 2>err.txt || rc=$?
if [ $rc -eq 3 ] && grep -q "training diverged in 9 of 9 cells" err.txt && python3 -c "
import json, sys
d = json.load(open('out.json'))
cells = [c for row in d['cells'] for c in row]
sys.exit(0 if d['diverged_cells'] == 9 and all(c['diverged_seeds'] for c in cells) else 1)"; then
  pass "sweep --lr 1e6: every cell marked diverged, counted, status 3"
else fail "sweep --lr 1e6 (status $rc)" "$(cat err.txt)"; fi
rc=0
"$tms" sweep phase --grid 3 --steps 500 --lr 1e6 >out.txt 2>err.txt || rc=$?
if [ $rc -eq 3 ] && grep -q "^diverged: 9 cells (row, column): (0, 0)" out.txt; then
  pass "the text figure lists the diverged cells"
else fail "diverged cells in the text figure (status $rc)" "$(tail -3 out.txt)"; fi
rc=0
"$tms" sweep phase --grid 3 --steps 500 --json >out.json 2>err.txt || rc=$?
if [ $rc -eq 0 ] && [ ! -s err.txt ] && grep -q '"diverged_cells": 0' out.json; then
  pass "at the default learning rate no cell diverges (status 0)"
else fail "default sweep (status $rc)" "$(cat err.txt)"; fi

echo
finish test-reliability
