#!/usr/bin/env bash
# End-to-end tests of snapshots through the real binary: save, resume = continuous, Ctrl-C
# saves, no overwrite without --force, bad folders, a full disk and SIGKILL during a write
# leave earlier files intact, bad files give one line, show/export outputs.
# Usage: Tests/cli/test-snapshot.sh  (TMS_BIN overrides the binary). Needs python3.
set -uo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
tms=${TMS_BIN:-$root/.build/release/tms}
[ -x "$tms" ] || { echo "test-snapshot: $tms not found; build with: swift build -c release" >&2; exit 2; }
tms=$(cd "$(dirname "$tms")" && pwd)/$(basename "$tms")
work=$(mktemp -d)
mounts=()
cleanup() { for m in "${mounts[@]}"; do umount "$m" 2>/dev/null; done; rm -rf "$work"; }
trap cleanup EXIT
cd "$work" || exit 2
source "$root/Tests/lib/checks.bash"

# same_state A B: parameters, optimizer and random streams identical in two snapshots.
same_state() {
  python3 - "$1" "$2" <<'PY'
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:])
keys = ["parameters", "optimizer", "random", "train_loss_ema"]
ok = a["step"] == b["step"] and all(x[k] == y[k] for x, y in zip(a["instances"], b["instances"]) for k in keys)
sys.exit(0 if ok else 1)
PY
}
one_line() { [ "$(wc -l <"$1")" -eq 1 ]; }

# 1. Resuming for N steps gives the weights of never having stopped (other thread count).
"$tms" train --steps 300 --save full.json --threads 2 >/dev/null 2>&1
"$tms" train --steps 120 --save half.json --threads 1 >/dev/null 2>&1
"$tms" train --resume half.json --steps 180 --save resumed.json --threads 2 >/dev/null 2>&1
if same_state full.json resumed.json; then pass "resume 120 + 180 = continuous 300"; else fail "resume = continuous"; fi
# A cosine schedule keeps its horizon: resume without --steps trains to the end.
"$tms" train --model abs --features 12 --hidden 6 --instances 3 --schedule cosine --steps 200 --save abs-a.json >/dev/null 2>&1
if "$tms" train --resume abs-a.json --save abs-b.json >/dev/null 2>&1 && python3 -c "
import json,sys; sys.exit(0 if json.load(open('abs-b.json'))['step']==200 else 1)"; then
  pass "resume without --steps stops at the schedule's horizon"
else fail "resume to horizon"; fi

# 2. Ctrl-C saves what was trained; resuming from it equals a continuous run.
"$tms" train --steps 100000000 --save interrupted.json --threads 2 >/dev/null 2>int.err &
pid=$!
sleep 1.5
kill -INT $pid
wait $pid
rc=$?
if [ $rc -eq 130 ] && [ -f interrupted.json ] && grep -q "interrupted at step" int.err; then
  step=$(python3 -c "import json; print(json.load(open('interrupted.json'))['step'])")
  "$tms" train --resume interrupted.json --steps 77 --save after.json >/dev/null 2>&1
  "$tms" train --steps $((step + 77)) --save straight.json >/dev/null 2>&1
  if [ "$step" -gt 0 ] && same_state after.json straight.json; then
    pass "Ctrl-C at step $step saved; resume +77 = continuous $((step + 77))"
  else fail "Ctrl-C resume"; fi
else fail "Ctrl-C: rc=$rc $(cat int.err)"; fi

# 3. No overwrite without --force (refused before training), with --force replaced.
sum=$(md5sum full.json)
"$tms" train --steps 10 --save full.json >/dev/null 2>err.txt
rc=$?
if [ $rc -eq 1 ] && one_line err.txt && grep -q "full.json: already exists" err.txt && [ "$(md5sum full.json)" = "$sum" ]; then
  pass "existing file refused without --force: $(cat err.txt)"
else fail "overwrite refusal (rc=$rc)"; fi
"$tms" train --steps 10 --save full.json --force >/dev/null 2>&1
if [ "$(python3 -c "import json; print(json.load(open('full.json'))['step'])")" = 10 ]; then pass "--force replaces"; else fail "--force"; fi

# 4. Automatic names never collide.
"$tms" train --steps 5 --save snaps/ >/dev/null 2>&1
"$tms" train --steps 5 --save snaps/ >/dev/null 2>&1
if [ "$(ls snaps | wc -l)" -eq 2 ] && ls snaps | matches -E '^intro-5-[0-9]{8}-[0-9]{6}(-2)?\.json$'; then
  pass "automatic names: $(ls snaps | tr '\n' ' ')"
else fail "automatic names: $(ls snaps)"; fi

# 5. A bad path fails at once with one line and exit 1.
"$tms" train --steps 10 --save /nonexistent/dir/x.json >/dev/null 2>err.txt
rc=$?
if [ $rc -eq 1 ] && one_line err.txt; then pass "bad path: $(cat err.txt)"; else fail "bad path (rc=$rc)"; fi

# 6. Read-only folder and full disk (tmpfs mounts when permitted, else chmod for non-root).
mkdir -p ro full
ro_ok=0
if mount -t tmpfs -o size=1m tmpfs ro 2>/dev/null; then
  mounts+=("$work/ro")
  cp half.json ro/keep.json
  mount -o remount,ro "$work/ro" && ro_ok=1
elif [ "$(id -u)" -ne 0 ]; then
  cp half.json ro/keep.json && chmod 555 ro && ro_ok=1
fi
if [ $ro_ok -eq 1 ]; then
  sum=$(md5sum ro/keep.json)
  "$tms" train --steps 10 --save ro/keep.json --force >/dev/null 2>err.txt
  rc=$?
  if [ $rc -eq 1 ] && one_line err.txt && [ "$(md5sum ro/keep.json)" = "$sum" ]; then
    pass "read-only folder: $(cat err.txt)"
  else fail "read-only folder (rc=$rc): $(cat err.txt)"; fi
else skip "read-only folder" "cannot mount a read-only file system here (needs root)"; fi
if mount -t tmpfs -o size=512k tmpfs full 2>/dev/null; then
  mounts+=("$work/full")
  "$tms" train --steps 3 --save full/keep.json >/dev/null 2>&1
  sum=$(md5sum full/keep.json)
  "$tms" train --features 200 --hidden 20 --instances 4 --steps 2 --save full/keep.json --force >/dev/null 2>err.txt
  rc=$?
  if [ $rc -eq 1 ] && one_line err.txt && grep -q "disk is full" err.txt && [ "$(md5sum full/keep.json)" = "$sum" ] \
    && [ "$(ls -A full)" = "keep.json" ]; then
    pass "full disk: $(cat err.txt)"
  else fail "full disk (rc=$rc): $(cat err.txt); $(ls -A full)"; fi
else skip "full disk" "cannot mount a small tmpfs here (needs root)"; fi

# 7. SIGKILL while the snapshot is being written (the moment its temporary file appears,
#    then a little later): the earlier file survives every time.
"$tms" train --steps 3 --save big.json >/dev/null 2>&1
sum=$(md5sum big.json)
hits=0
for extra in 0 0 0.002 0.005 0.01 0.02; do
  "$tms" train --features 1000 --hidden 100 --instances 6 --steps 0 --eval-samples 1 --threads 2 \
    --save big.json --force >/dev/null 2>&1 &
  pid=$!
  for _ in $(seq 1 4000); do
    compgen -G '.big.json.tmp-*' >/dev/null && break
    kill -0 $pid 2>/dev/null || break
    sleep 0.001
  done
  sleep $extra
  compgen -G '.big.json.tmp-*' >/dev/null && kill -0 $pid 2>/dev/null && hits=$((hits + 1))
  kill -KILL $pid 2>/dev/null
  wait $pid 2>/dev/null
  if [ "$(md5sum big.json)" != "$sum" ] && ! "$tms" show big.json >/dev/null 2>&1; then
    fail "SIGKILL (+${extra}s) left a broken big.json"; break
  fi
  sum=$(md5sum big.json)
done
if [ $hits -ge 3 ]; then pass "SIGKILL during the write ($hits of 6 kills hit it): big.json always intact"
else fail "SIGKILL: only $hits of 6 kills landed during the write"; fi
# Each killed save left its temporary file, and each save after it removed the earlier ones:
# the last kill's is there now. The next save in the folder removes it (and nothing else: a
# look-alike of another program stays).
left=$(compgen -G '.big.json.tmp-*' | wc -l)
echo "not ours" >.big.json.tmp-Xy12ab
"$tms" train --steps 2 --save after-kill.json >/dev/null 2>&1
if [ "$left" -ge 1 ] && [ "$(compgen -G '.big.json.tmp-tms*' | wc -l)" -eq 0 ] && [ -f .big.json.tmp-Xy12ab ]; then
  pass "the next save removed the temporary file ($left) a kill left (another program's stays)"
else fail "stale temporary files: $left before, $(compgen -G '.big.json.tmp-*' | tr '\n' ' ') after"; fi
rm -f .big.json.tmp-*

# 8. Bad files: one line naming the file, exit 1, for every invalid fixture.
bad=0
while IFS=$'\t' read -r file message; do
  case $file in \#*) continue ;; esac
  path="$root/Tests/TMSEngineTests/Fixtures/snapshots/invalid/$file"
  "$tms" show "$path" >/dev/null 2>err.txt
  rc=$?
  if [ $rc -ne 1 ] || ! one_line err.txt || [ "$(cat err.txt)" != "tms: $path: $message" ]; then
    bad=$((bad + 1)); echo "     $file: rc=$rc $(cat err.txt)"
  fi
done <"$root/Tests/TMSEngineTests/Fixtures/snapshots/invalid/expected-errors.txt"
if [ $bad -eq 0 ]; then pass "every invalid fixture: exit 1 and its one-line message"; else fail "$bad invalid fixtures"; fi

# 9. tms show: plain text when piped or NO_COLOR, ANSI with --color always.
"$tms" show half.json >plain.txt 2>&1
NO_COLOR=1 "$tms" show half.json --color auto >nocolor.txt 2>&1
"$tms" show half.json --color always >ansi.txt 2>&1
if ! grep -q $'\e' plain.txt && ! grep -q $'\e' nocolor.txt && grep -q $'\e\[0;38;5;' ansi.txt \
  && grep -q "WᵀW" plain.txt && grep -q "instance 9" plain.txt; then
  pass "show: plain when piped/NO_COLOR, ANSI with --color always"
else fail "show colours"; fi

# 10. export --svg is well-formed XML with the title; rendered to PNG when rsvg-convert exists.
"$tms" export half.json --svg fig.svg 2>/dev/null
if python3 -c "
import sys, xml.etree.ElementTree as ET
root = ET.parse('fig.svg').getroot()
texts = ' '.join(t.text or '' for t in root.iter('{http://www.w3.org/2000/svg}text'))
sys.exit(0 if 'n = 5 features, m = 2 hidden' in texts and 'step 120' in texts and '1−S' in texts else 1)"; then
  if command -v rsvg-convert >/dev/null; then
    rsvg-convert fig.svg -o fig.png && [ -s fig.png ] && pass "export --svg: valid SVG, renders to PNG" || fail "svg render"
  else skip "export --svg renders to PNG" "rsvg-convert is not installed (scripts/setup.sh)"; fi
else fail "export --svg"; fi
"$tms" export half.json --npz fig.npz 2>/dev/null
"$tms" export half.json --npz fig.npz 2>err.txt
rc=$?
if [ $rc -eq 1 ] && grep -q "already exists" err.txt; then pass "export refuses to overwrite"; else fail "export overwrite (rc=$rc)"; fi

finish test-snapshot
