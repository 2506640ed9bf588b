#!/usr/bin/env bash
# `tms export --animate` through the real binary: record the intro, export the animated SVG,
# check it is valid XML whose frames play one at a time over the loop (read as a browser
# reads SMIL), that it names the recorded events, that scripts/svg-frame.sh renders single
# frames to PNG, a model with m > 2, and that bad requests give one line and the right exit
# status (2 for a bad flag value, 1 for a file without history or an existing output).
# Usage: Tests/cli/test-animate.sh  (TMS_BIN overrides the binary). Needs python3; the PNG
# checks need rsvg-convert (librsvg2-bin, scripts/setup.sh).
set -uo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
tms=${TMS_BIN:-$root/.build/release/tms}
[ -x "$tms" ] || { echo "test-animate: $tms not found; build with: swift build -c release" >&2; exit 2; }
tms=$(cd "$(dirname "$tms")" && pwd)/$(basename "$tms")
command -v python3 >/dev/null || { echo "test-animate: python3 is required" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 2
export XDG_CONFIG_HOME=$work/config
unset TMS_PRESETS
source "$root/Tests/lib/checks.bash"

one_line() { [ "$(wc -l <"$1")" -eq 1 ]; }

# check_svg SNAPSHOT SVG INSTANCE DURATION [ALL]: the animation against the snapshot's
# history: valid XML, no script or external reference, frames in recorded order from the
# first to the last recorded step with every event's frame among them (ALL: every recorded
# frame), exactly one frame visible at every moment of the loop, a loop of DURATION seconds
# plus a hold, and each geometry event of INSTANCE named in the frame where it happens.
check_svg() {
  python3 - "$@" <<'PY'
import json, sys
import xml.etree.ElementTree as ET
snap, path, instance, duration = sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4])
every = len(sys.argv) > 5
ns = "{http://www.w3.org/2000/svg}"
problems = []
root = ET.parse(path).getroot()
history = json.load(open(snap))["history"]
recorded = [f["step"] for f in history["frames"]]
text = open(path, encoding="utf-8").read()
if "<script" in text or "href" in text:
    problems.append("script or external reference")
groups = [g for g in root.iter(ns + "g") if g.get("class") == "frame"]
steps = [int(g.get("data-step")) for g in groups]
if steps != sorted(set(steps)) or not set(steps) <= set(recorded):
    problems.append("frames are not recorded steps in order")
if not steps or steps[0] != recorded[0] or steps[-1] != recorded[-1]:
    problems.append(f"first/last frame {steps[:1]} {steps[-1:]} against recorded {recorded[0]} {recorded[-1]}")
if every and steps != recorded:
    problems.append(f"{len(steps)} frames drawn of {len(recorded)}, expected all")
if not every and not (min(200, len(recorded)) - 10 <= len(steps) <= 200):
    problems.append(f"{len(steps)} frames for {len(recorded)} recorded and a limit of 200")
mine = [e for e in history["events"] if e["instance"] == instance]
for e in mine:
    first = next(s for s in recorded if s >= e["step"])
    if first not in steps:
        problems.append(f"event at step {e['step']} has no frame")
# Read each frame's discrete <animate> as SMIL does and sample the loop.
spans, cycle = [], None
for g in groups:
    a = g.find(ns + "animate")
    if a is None or a.get("repeatCount") != "indefinite" or a.get("calcMode") != "discrete":
        problems.append("a frame without a looping discrete animate")
        break
    cycle = float(a.get("dur").rstrip("s"))
    values, keys = a.get("values").split(";"), [float(k) for k in a.get("keyTimes").split(";")]
    spans.append([(keys[i], keys[i + 1] if i + 1 < len(keys) else 1.0) for i, v in enumerate(values) if v == "visible"])
if len(spans) == len(groups):
    for k in range(4000):
        t = (k + 0.5) / 4000
        showing = [i for i, s in enumerate(spans) if any(a <= t < b for a, b in s)]
        if len(showing) != 1:
            problems.append(f"at {t:.4f} of the loop {len(showing)} frames show")
            break
    if not (duration < cycle <= duration + 2.0001):
        problems.append(f"loop of {cycle} s for a duration of {duration} s")
def texts(g):
    return [t.text or "" for t in g.iter(ns + "text")]
def joined(g):  # a long event line is wrapped after its arrow into two texts
    return " ".join(texts(g))
for e in mine:
    if e["kind"] != "geometry":
        continue
    first = next(s for s in recorded if s >= e["step"])
    if first not in steps:
        continue
    g = groups[steps.index(first)]
    want = f"#{instance} step {e['step']:,}: {e['from']} → {e['to']}"
    if want not in joined(g):
        problems.append(f"frame at step {first} does not name '{want}'")
label = history["frames"][-1]["labels"][instance]
if not any(t.endswith(" · " + label) and t.startswith(f"step {recorded[-1]:,} · loss ") for t in texts(groups[-1])):
    problems.append(f"the last frame's caption does not say step {recorded[-1]} and '{label}'")
print(f"{len(groups)} frames, loop {cycle} s, {len(mine)} events of instance {instance}")
for p in problems:
    print("problem:", p)
sys.exit(1 if problems else 0)
PY
}

# 1. The intro, recorded; the animation of its sparsest instance (the default: the last).
"$tms" train --preset intro --seed 1 --record --save intro.json >/dev/null 2>train.err \
  || { fail "record the intro" "$(cat train.err)"; finish test-animate; exit 1; }
frames=$(python3 -c 'import json; print(len(json.load(open("intro.json"))["history"]["frames"]))')
if "$tms" show intro.json 2>&1 | head -3 | matches -E \
  "^recorded history: $frames frames, steps 0 … 10,000, [0-9]+ events \(tms --snapshot FILE"; then
  pass "tms show says the file holds a recorded history ($frames frames, steps 0 … 10,000)"
else fail "tms show of a recorded history" "$("$tms" show intro.json 2>&1 | head -3)"; fi
"$tms" export intro.json --animate intro.svg 2>err.txt
rc=$?
if [ $rc -eq 0 ] && grep -q "wrote intro.svg (instance 9" err.txt; then
  pass "export --animate: $(cat err.txt)"
else fail "export --animate (rc=$rc)" "$(cat err.txt)"; fi
if out=$(check_svg intro.json intro.svg 9 10); then pass "intro animation: $out"; else fail "intro animation" "$out"; fi
if python3 - <<'PY'
import json, sys
import xml.etree.ElementTree as ET
ns = "{http://www.w3.org/2000/svg}"
events = [e for e in json.load(open("intro.json"))["history"]["events"]
          if e["instance"] == 9 and e["kind"] == "geometry" and "pentagon" in e["to"]]
frames = [" ".join(t.text or "" for t in g.iter(ns + "text"))
          for g in ET.parse("intro.svg").getroot().iter(ns + "g") if g.get("class") == "frame"]
named = [f for f in frames if f"event #9 step {events[-1]['step']:,}: " in f and "→ 5 features in a pentagon" in f] if events else []
sys.exit(0 if named else 1)
PY
then pass "the frame where instance 9 becomes a pentagon names the event"
else fail "no frame names instance 9 becoming a pentagon"; fi
bytes=$(wc -c <intro.svg)
if [ "$bytes" -lt 2000000 ]; then pass "intro animation is $((bytes / 1024)) KB"; else fail "intro animation is $bytes bytes"; fi

# 2. Every recorded frame with --frames, another duration, another instance.
"$tms" export intro.json --animate all.svg --frames 100000 --duration 4 --instance 3 2>/dev/null
if out=$(check_svg intro.json all.svg 3 4 all); then pass "--frames/--duration/--instance: $out"; else fail "--frames/--duration/--instance" "$out"; fi

# 3. Single frames to PNG, as a reader would look at them.
if command -v rsvg-convert >/dev/null; then
  ok=1
  for k in 0 40 last; do
    if ! "$root/scripts/svg-frame.sh" intro.svg "$k" "f-$k.png" 2>/dev/null \
      || [ "$(head -c 4 "f-$k.png" | tail -c 3)" != "PNG" ] || [ "$(wc -c <"f-$k.png")" -lt 20000 ]; then
      ok=0
      fail "svg-frame.sh frame $k" "$(ls -l "f-$k.png" 2>&1)"
    fi
  done
  if [ $ok = 1 ] && [ "$(md5sum <f-0.png)" != "$(md5sum <f-last.png)" ]; then
    pass "svg-frame.sh renders frames 0, 40 and last to distinct PNGs ($(wc -c <f-last.png) bytes)"
  elif [ $ok = 1 ]; then fail "frame 0 and the last frame render the same"; fi
  "$root/scripts/svg-frame.sh" intro.svg 100000 bad.png 2>err.txt
  rc=$?
  if [ $rc -ne 0 ] && one_line err.txt && [ ! -e bad.png ]; then pass "svg-frame.sh: a frame out of range: $(cat err.txt)"
  else fail "svg-frame.sh out of range (rc=$rc)" "$(cat err.txt)"; fi
else skip "svg-frame.sh renders frames" "rsvg-convert is not installed (scripts/setup.sh)"; fi

# 4. m > 2: projected on the last frame's principal plane, said in the caption.
"$tms" train --preset basic-relu --seed 1 --steps 1500 --record --save basic.json >/dev/null 2>&1
"$tms" export basic.json --animate basic.svg 2>/dev/null
if out=$(check_svg basic.json basic.svg 6 10) && grep -q "top-2 principal directions" basic.svg; then
  pass "basic-relu (m = 5): $out"
else fail "basic-relu animation" "$out"; fi

# 5. With --svg and --npz in one call: all three files.
"$tms" export intro.json --animate a3.svg --svg s3.svg --npz n3.npz 2>/dev/null
if [ -s a3.svg ] && [ -s s3.svg ] && [ -s n3.npz ] && grep -q 'class="frame"' a3.svg && ! grep -q 'class="frame"' s3.svg; then
  pass "--animate with --svg and --npz writes all three"
else fail "--animate with --svg and --npz"; fi

# 6. Bad requests: one line, exit 2 for a flag's value, 1 for the file or the output.
"$tms" train --preset intro --steps 20 --save plain.json >/dev/null 2>&1
# expect NAME STATUS FRAGMENT ARGS...
expect() {
  local name=$1 want=$2 fragment=$3
  shift 3
  "$tms" "$@" </dev/null >out.txt 2>err.txt
  local rc=$?
  if [ $rc -eq "$want" ] && one_line err.txt && grep -qF -- "$fragment" err.txt && [ ! -s out.txt ] \
    && ! grep -qiE 'fatal error|stack dump|backtrace' err.txt; then
    pass "$name: $(cat err.txt)"
  else fail "$name (rc=$rc, expected $want)" "$(cat err.txt out.txt)"; fi
}
expect "no history" 1 "has no recorded history: record one with tms train --record --save" \
  export plain.json --animate x.svg
expect "--instance out of range" 2 "--instance" export intro.json --animate x.svg --instance 10
expect "two instances" 2 "--instance" export intro.json --animate x.svg --instance 1 --instance 2
expect "--duration 0" 2 "--duration" export intro.json --animate x.svg --duration 0
expect "--duration -1" 2 "--duration" export intro.json --animate x.svg --duration=-1
expect "--duration nan" 2 "--duration" export intro.json --animate x.svg --duration nan
expect "--frames 1" 2 "--frames" export intro.json --animate x.svg --frames 1
expect "--duration without --animate" 2 "--duration" export intro.json --svg x.svg --duration 3
sum=$(md5sum <intro.svg)
expect "existing output" 1 "already exists" export intro.json --animate intro.svg
if [ "$(md5sum <intro.svg)" = "$sum" ]; then pass "the existing file is untouched"; else fail "existing file changed"; fi
if [ ! -e x.svg ]; then pass "no output left by a refused request"; else fail "x.svg written"; fi
"$tms" export intro.json --animate intro.svg --force --duration 3 2>/dev/null
if [ "$(md5sum <intro.svg)" != "$sum" ]; then pass "--force replaces"; else fail "--force"; fi

finish test-animate
