#!/usr/bin/env bash
# Tests of the tms command line, run against the release binary:
#   Tests/cli/test-cli.sh            (binary: $TMS_BIN, default .build/release/tms)
# Bad input must give exactly one line on stderr naming the flag or field, exit status 2
# and no stack trace; `tms train --json` must print the documented report; results must be
# reproducible for a seed and independent of the thread count.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$root"
bin=${TMS_BIN:-.build/release/tms}
if [[ ! -x $bin ]]; then
  echo "test-cli: no executable at '$bin' (build with 'swift build -c release' or set TMS_BIN)" >&2
  exit 2
fi
bin=$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")
command -v python3 >/dev/null || { echo "test-cli: python3 is required" >&2; exit 2; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# Only the shipped presets: no user folder, no $TMS_PRESETS.
export XDG_CONFIG_HOME=$work/config
unset TMS_PRESETS

source "$root/Tests/lib/checks.bash"

# run OUT ERR ARGS...: runs tms with stdin closed and stdout/stderr in files; sets $status.
run() {
  local out=$1 err=$2
  shift 2
  status=0
  "$bin" "$@" </dev/null >"$out" 2>"$err" || status=$?
}

# --- Bad input: one line naming the flag, exit 2 ------------------------------------------

printf '{"features": 5, "featurs": 3}\n' >"$work/invalid.json"

# expect_usage_error NAME FRAGMENT ARGS...: exit 2, nothing on stdout, exactly one line on
# stderr that contains FRAGMENT (the flag or field) and no trace of a crash.
expect_usage_error() {
  local name=$1 fragment=$2
  shift 2
  run "$work/out" "$work/err" train --steps 1 "$@"
  local lines
  lines=$(wc -l <"$work/err")
  local problems=()
  [[ $status == 2 ]] || problems+=("exit status $status, expected 2")
  [[ $lines == 1 ]] || problems+=("$lines lines on stderr, expected 1")
  grep -qF -- "$fragment" "$work/err" || problems+=("stderr does not name '$fragment'")
  if grep -qiE 'fatal error|stack dump|backtrace|0x[0-9a-f]{8}|Illegal instruction|Segmentation' \
    "$work/err"; then
    problems+=("stderr looks like a crash")
  fi
  [[ ! -s $work/out ]] || problems+=("stdout is not empty")
  if ((${#problems[@]} == 0)); then
    pass "$name"
  else
    fail "$name" "${problems[@]}" "stderr: $(head -c 400 "$work/err")"
  fi
}

expect_usage_error "--features 0" "--features: must be an integer in 1…4096" --features 0
expect_usage_error "--features -3" "--features: must be an integer in 1…4096, got -3" --features -3
expect_usage_error "--hidden -3" "--hidden: must be an integer in 1…1024, got -3" --hidden -3
expect_usage_error "--hidden=-3" "--hidden: must be an integer in 1…1024, got -3" --hidden=-3
expect_usage_error "--probability -0.1" "--probability: must be in [0, 1], got -0.1" --probability -0.1
expect_usage_error "--lr -1" "--lr: must be a finite number > 0" --lr -1
# A list option stops at a token that looks like an option: the argument parser names it.
expect_usage_error "--probability-sweep 1 -0.5" "'-0.5'" --probability-sweep 1 -0.5
expect_usage_error "--probability-sweep 1 2" "--probability-sweep: needs two values MAX MIN, each in (0, 1], got 1.0 2.0" --probability-sweep 1 2
expect_usage_error "--probability with --probability-sweep" "--probability and --probability-sweep" --probability 0.5 --probability-sweep 1 0.05
expect_usage_error "--probability 1.5" "--probability" --probability 1.5
expect_usage_error "--probability nan" "--probability" --probability nan
expect_usage_error "--lr nan" "--lr" --lr nan
expect_usage_error "--model sigmoid" "--model" --model sigmoid
expect_usage_error "--preset /nonexistent.json" "/nonexistent.json" --preset /nonexistent.json
expect_usage_error "invalid preset file" "featurs" --preset "$work/invalid.json"
expect_usage_error "--probability-sweep 1" "--probability-sweep" --probability-sweep 1
expect_usage_error "--bogus-flag" "--bogus-flag" --bogus-flag
expect_usage_error "--threads 0" "--threads" --threads 0
expect_usage_error "--batch 0" "--batch" --batch 0
expect_usage_error "--checkpoints without --checkpoints-csv" "--checkpoints: needs --checkpoints-csv" --checkpoints log:1:10:3
expect_usage_error "--checkpoints log:10:1:3" "--checkpoints: FROM 10 is after TO 1" --checkpoints log:10:1:3 --checkpoints-csv "$work/c.csv"
expect_usage_error "--checkpoints-csv in a missing folder" "--checkpoints-csv: cannot write /nonexistent/c.csv" --checkpoints 1 --checkpoints-csv /nonexistent/c.csv

# --- tms train --json ----------------------------------------------------------------------

run "$work/train.json" "$work/train.err" train --steps 200 --json
if [[ $status == 0 ]]; then pass "train --steps 200 --json exits 0"; else
  fail "train --steps 200 --json exits 0" "exit status $status" "$(head -c 400 "$work/train.err")"
fi
if [[ -s $work/train.err ]]; then
  fail "no progress output on stderr when it is not a TTY" "stderr: $(head -c 200 "$work/train.err" | od -c | head -3)"
else
  pass "no progress output on stderr when it is not a TTY"
fi

# With stderr on a terminal there is a progress bar (so the check above can fail).
if command -v script >/dev/null; then
  script -qec "'$bin' train --steps 200 --json </dev/null >'$work/tty.json'" "$work/tty.log" \
    >/dev/null 2>&1 || true
  if grep -q 'steps/s' "$work/tty.log"; then pass "progress bar on stderr when it is a TTY"; else
    fail "progress bar on stderr when it is a TTY" "typescript: $(head -c 200 "$work/tty.log")"
  fi
else
  skip "progress bar on stderr when it is a TTY" "script(1) from util-linux is not installed"
fi

# --checkpoints: one CSV row per checkpoint and instance; the last row's D_i are the report's.
run "$work/ck.json" "$work/ck.err" train --features 5 --hidden 2 --instances 2 --steps 40 --json \
  --checkpoints lin:10:40:4 --checkpoints-csv "$work/ck.csv"
problems=$(python3 - "$work/ck.json" "$work/ck.csv" 2>&1 <<'PY' || true
import csv, json, sys
report = json.load(open(sys.argv[1]))
rows = list(csv.DictReader(open(sys.argv[2])))
if [(int(r["step"]), int(r["instance"])) for r in rows] != [(s, k) for s in (10, 20, 30, 40) for k in (0, 1)]:
    print("rows", [(r["step"], r["instance"]) for r in rows])
for k in (0, 1):
    want = report["instances"][k]["metrics"]["dimensionality"]
    got = [float(rows[6 + k][f"D_{i}"]) for i in range(5)]
    if any(abs(a - b) > 1e-5 for a, b in zip(got, want)):
        print(f"instance {k}: last checkpoint D_i {got}, report {want}")
PY
)
if [[ $status == 0 && -z $problems ]]; then
  pass "--checkpoints lin:10:40:4 writes 4 steps × 2 instances, D_i as the report's at the end"
else fail "--checkpoints writes its CSV" "status $status" "$problems" "$(head -c 300 "$work/ck.err")"; fi

# check_json NAME FILE PYTHON: runs PYTHON with `r` = the parsed report; it prints problems.
check_json() {
  local name=$1 file=$2 code=$3 problems
  problems=$(python3 - "$file" 2>&1 <<PY || true
import json, math, sys
try:
    r = json.load(open(sys.argv[1]))
except Exception as e:
    print(f"not JSON: {e}")
    sys.exit(0)
$code
PY
  )
  if [[ -z $problems ]]; then pass "$name"; else
    mapfile -t lines <<<"$problems"
    fail "$name" "${lines[@]:0:8}"
  fi
}

check_json "train --json has the report's keys and shapes" "$work/train.json" '
for key in ("config", "steps", "seconds", "steps_per_second", "instances"):
    if key not in r: print(f"missing key {key}")
c = r.get("config", {})
n, m = c.get("features"), c.get("hidden")
if r.get("steps") != 200: print("steps =", r.get("steps"), "expected 200")
if not (isinstance(r.get("seconds"), (int, float)) and r["seconds"] >= 0): print("seconds is not a number >= 0")
if not (isinstance(r.get("steps_per_second"), (int, float)) and r["steps_per_second"] > 0): print("steps_per_second is not > 0")
insts = r.get("instances", [])
if not insts or len(insts) != c.get("instances"): print(len(insts), "instances, config says", c.get("instances"))
for k, i in enumerate(insts):
    for key in ("feature_probability", "importance", "parameters", "metrics", "geometry"):
        if key not in i: print(f"instances[{k}] missing {key}")
    p, mt, g = i.get("parameters", {}), i.get("metrics", {}), i.get("geometry", {})
    W = p.get("W", [])
    if len(W) != n or any(len(row) != m for row in W): print(f"instances[{k}].parameters.W is not {n} arrays of length {m}")
    if not all(isinstance(x, (int, float)) and math.isfinite(x) for row in W for x in row): print(f"instances[{k}].W has non-finite values")
    for key in ("feature_probability", "importance"):
        if len(i.get(key, [])) != n: print(f"instances[{k}].{key} does not have {n} values")
    if len(p.get("b", [])) != n: print(f"instances[{k}].parameters.b does not have {n} values")
    for key in ("norms", "superposition", "dimensionality"):
        if len(mt.get(key, [])) != n: print(f"instances[{k}].metrics.{key} does not have {n} values")
    loss = mt.get("eval_loss")
    if not (isinstance(loss, (int, float)) and math.isfinite(loss)): print(f"instances[{k}].metrics.eval_loss is not finite")
    elif not abs(mt.get("eval_loss_paper", -1) - n * loss) <= 1e-12 * max(1, n * loss): print(f"instances[{k}]: eval_loss_paper is not n × eval_loss")
    if not isinstance(mt.get("represented"), int): print(f"instances[{k}].metrics.represented is not an integer")
    if not isinstance(g.get("text"), str) or not g["text"]: print(f"instances[{k}].geometry.text is not a label")
    for grp in g.get("groups", []):
        if set(grp) != {"features", "dimensions", "name", "tight_frame"}: print(f"instances[{k}].geometry.groups keys {sorted(grp)}")
    # attack_gain_bound = largest eigenvalue of W W^T, recomputed here from W; the attack
    # measured gains never exceed it.
    gram = [[sum(row[a] * row[b] for row in W) for b in range(m)] for a in range(m)]
    v = [1.0] * m
    for _ in range(500):
        w = [sum(gram[a][b] * v[b] for b in range(m)) for a in range(m)]
        s = math.sqrt(sum(x * x for x in w)) or 1.0
        v = [x / s for x in w]
    lam = sum(v[a] * sum(gram[a][b] * v[b] for b in range(m)) for a in range(m))
    if not abs(mt.get("attack_gain_bound", -1) - lam) <= 1e-4 * max(1, lam): print(f"instances[{k}].metrics.attack_gain_bound {mt.get('attack_gain_bound')} vs {lam}")
    worst, mean = mt.get("attack_gain_worst", -1), mt.get("attack_gain_mean", -1)
    if not (0 <= mean <= worst <= lam * (1 + 1e-4)): print(f"instances[{k}]: attack gains mean {mean}, worst {worst}, bound {lam}")
'

run "$work/sweep.json" "$work/sweep.err" train --steps 10 --json --instances 10 --probability-sweep 1 0.05
check_json "--instances 10 --probability-sweep 1 0.05 runs from p = 1 to p = 0.05" "$work/sweep.json" '
insts = r["instances"]
if len(insts) != 10: print(f"{len(insts)} instances, expected 10")
first, last = insts[0]["feature_probability"], insts[-1]["feature_probability"]
if any(abs(p - 1) > 1e-9 for p in first): print(f"instance 0 p = {first}")
if any(abs(p - 0.05) > 1e-9 for p in last): print(f"instance 9 p = {last}")
mid = [i["feature_probability"][0] for i in insts]
if any(a <= b for a, b in zip(mid, mid[1:])): print(f"p does not fall across instances: {mid}")
'

# --- Reproducibility -----------------------------------------------------------------------

# same_W NAME A B: the two reports have identical W in every instance.
same_W() {
  local name=$1 a=$2 b=$3 problems
  problems=$(python3 - "$a" "$b" 2>&1 <<'PY' || true
import json, sys
try:
    x, y = (json.load(open(f)) for f in sys.argv[1:3])
except Exception as e:
    print(f"not JSON: {e}"); sys.exit(0)
wx = [i["parameters"]["W"] for i in x["instances"]]
wy = [i["parameters"]["W"] for i in y["instances"]]
if len(wx) != len(wy): print(f"{len(wx)} vs {len(wy)} instances")
for k, (a, b) in enumerate(zip(wx, wy)):
    if a != b: print(f"instance {k}: W differs"); break
PY
  )
  if [[ -z $problems ]]; then pass "$name"; else fail "$name" "$problems"; fi
}

run "$work/seed-a.json" "$work/err" train --steps 100 --json --seed 42 --threads 2
run "$work/seed-b.json" "$work/err" train --steps 100 --json --seed 42 --threads 2
run "$work/seed-c.json" "$work/err" train --steps 100 --json --seed 43 --threads 2
same_W "the same --seed twice gives identical W" "$work/seed-a.json" "$work/seed-b.json"
if python3 -c '
import json, sys
a, c = (json.load(open(f)) for f in sys.argv[1:3])
sys.exit(0 if [i["parameters"]["W"] for i in a["instances"]] != [i["parameters"]["W"] for i in c["instances"]] else 1)
' "$work/seed-a.json" "$work/seed-c.json" 2>/dev/null; then
  pass "a different --seed gives different W"
else
  fail "a different --seed gives different W" "seeds 42 and 43 gave the same weights (or no JSON)"
fi

run "$work/threads-1.json" "$work/err" train --steps 100 --json --seed 5 --threads 1
run "$work/threads-2.json" "$work/err" train --steps 100 --json --seed 5 --threads 2
same_W "--threads 1 and --threads 2 give identical W" "$work/threads-1.json" "$work/threads-2.json"

# --- tms presets ---------------------------------------------------------------------------

run "$work/presets.txt" "$work/presets.err" presets
missing=()
for file in presets/*.json; do
  name=$(basename "$file" .json)
  description=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["description"])' "$file")
  # The listing is "name  description" with the names padded to one width.
  grep -qE "^${name} +" "$work/presets.txt" || { missing+=("$name is not listed"); continue; }
  grep -E "^${name} +" "$work/presets.txt" | matches -F -- "$description" ||
    missing+=("$name is listed without its description")
done
[[ ! -s $work/presets.err ]] || missing+=("stderr: $(head -c 300 "$work/presets.err")")
[[ $status == 0 ]] || missing+=("exit status $status")
if ((${#missing[@]} == 0)); then pass "tms presets lists every shipped preset"; else
  fail "tms presets lists every shipped preset" "${missing[@]}"
fi

run "$work/one.txt" "$work/one.err" presets collapse
expect_text=$(python3 -c 'import json; print(json.load(open("presets/collapse.json"))["expect"])')
if [[ $status == 0 ]] && grep -qF -- "What to look for: $expect_text" "$work/one.txt" &&
  grep -q 'relu-output n=6 m=2 K=5' "$work/one.txt"; then
  pass "tms presets NAME shows the whole preset"
else fail "tms presets NAME" "exit $status" "$(head -c 300 "$work/one.txt")"; fi

run "$work/none.txt" "$work/none.err" presets no-such-preset
if [[ $status == 2 ]] && [[ $(wc -l <"$work/none.err") == 1 ]] && grep -q 'names: .*collapse' "$work/none.err"; then
  pass "an unknown preset name: one line listing the names, exit 2"
else fail "unknown preset name" "exit $status" "$(head -c 300 "$work/none.err")"; fi

# --- A configuration that cannot fit: one line, refused before it allocates -------------

printf '{"name": "huge", "features": 4096, "hidden": 1024, "instances": 1024}\n' >"$work/huge.json"
if [[ -x /usr/bin/time ]]; then
  status=0
  /usr/bin/time -f '%M' -o "$work/huge.rss" "$bin" train --preset "$work/huge.json" \
    </dev/null >"$work/huge.out" 2>"$work/huge.err" || status=$?
  rss_kb=$(tail -1 "$work/huge.rss")
  if [[ $status == 2 && $(wc -l <"$work/huge.err") == 1 ]] && grep -q "memory: n 4096, m 1024, K 1024, batch 1024 needs .* GB" "$work/huge.err" \
    && ((rss_kb < 60000)); then
    pass "an oversized preset is refused in one line before allocating (peak ${rss_kb} kB)"
  else
    fail "oversized preset" "exit $status, peak ${rss_kb} kB" "$(head -c 300 "$work/huge.err")"
  fi
else
  skip "an oversized preset is refused before allocating" "GNU time (/usr/bin/time) is not installed"
fi

# --- tms bench: where PyTorch's figures come from --------------------------------------------

# A figures file as scripts/pytorch-bench.py --json writes it; the rows must show its numbers
# and the ratio to them, and the header must say they were read from it.
cat >"$work/torch.json" <<'JSON'
{"torch": "9.9-test", "machine": "x86_64", "seconds": 1,
 "steps_per_second": {"intro-5-2": {"2": 1000.0, "1": 500.0},
  "basic-20-5": {"2": 600.0}, "varying-100-20": {"2": 40.0},
  "dimensionality-200-20": {"2": 2.0}}}
JSON
run "$work/out" "$work/err" bench --seconds 0.2 --threads 2 --pytorch "$work/torch.json"
if grep -qF "PyTorch: read from $work/torch.json (torch 9.9-test)" "$work/out" \
  && awk '$1 == "intro-5-2" && $2 == 2 { r = $3 / 1000; ok = ($5 == "1000.0" && ($6 + 0) > r * 0.99 && ($6 + 0) < r * 1.01 + 0.1) } END { exit ok ? 0 : 1 }' "$work/out" \
  && awk '$1 == "dimensionality-200-20" && $5 == "2.0" { found = 1 } END { exit found ? 0 : 1 }' "$work/out"; then
  pass "bench --pytorch FILE: figures and ratios from the file, source named"
else
  fail "bench --pytorch FILE: figures and ratios from the file, source named" "$(cat "$work/out" "$work/err")"
fi

run "$work/out" "$work/err" bench --seconds 0.2 --threads 2 --pytorch recorded
if grep -qF "PyTorch: figures recorded on a 2-core AMD EPYC (Zen 4), not this machine (--pytorch recorded)" "$work/out" \
  && awk '$1 == "varying-100-20" && $2 == 2 && $5 == "27.6" { found = 1 } END { exit found ? 0 : 1 }' "$work/out"; then
  pass "bench --pytorch recorded: the recorded figures, labelled as such"
else
  fail "bench --pytorch recorded: the recorded figures, labelled as such" "$(cat "$work/out" "$work/err")"
fi

# auto with a python3 that cannot import torch: the recorded figures, and the reason.
mkdir -p "$work/fakebin"
printf '#!/bin/sh\necho "ModuleNotFoundError: No module named '"'"'torch'"'"'" >&2\nexit 1\n' >"$work/fakebin/python3"
chmod +x "$work/fakebin/python3"
status=0
PATH="$work/fakebin:$PATH" "$bin" bench --seconds 0.2 --threads 2 </dev/null >"$work/out" 2>"$work/err" || status=$?
if grep -qF "could not run PyTorch: ModuleNotFoundError: No module named 'torch')" "$work/out"; then
  pass "bench --pytorch auto without torch: recorded figures and the reason"
else
  fail "bench --pytorch auto without torch: recorded figures and the reason" "$(cat "$work/out" "$work/err")"
fi

# auto with torch importable: the script runs first, on this machine, and says so.
if python3 -c 'import torch' 2>/dev/null; then
  run "$work/out" "$work/err" bench --seconds 0.2 --threads 2
  if grep -qE '^PyTorch: measured now by scripts/pytorch-bench.py \(torch [0-9]' "$work/out" \
    && awk '$1 == "dimensionality-200-20" && $2 == 2 && ($5 + 0) > 0 { found = 1 } END { exit found ? 0 : 1 }' "$work/out"; then
    pass "bench --pytorch auto with torch: PyTorch measured now, every row"
  else
    fail "bench --pytorch auto with torch: PyTorch measured now, every row" "$(cat "$work/out" "$work/err")"
  fi
else
  skip "bench --pytorch auto with torch: PyTorch measured now, every row" "python3 cannot import torch"
fi

for bad in "$work/missing.json" "$work/invalid.json" /dev/zero; do
  run "$work/out" "$work/err" bench --seconds 0.2 --pytorch "$bad"
  if [[ $status != 0 && $(wc -l <"$work/err") == 1 && ! -s $work/out ]] && grep -qF -- "$bad" "$work/err"; then
    pass "bench --pytorch $(basename "$bad"): one-line error before measuring"
  else
    fail "bench --pytorch $(basename "$bad"): one-line error before measuring" "status $status" "$(cat "$work/out" "$work/err")"
  fi
done

# TMS_KERNELS: which copy of the large models' kernels a run uses, named by tms bench; a name
# this CPU or build cannot run is refused in one line before anything runs.
TMS_KERNELS=baseline run "$work/out" "$work/err" bench --seconds 0.01 --pytorch recorded
if grep -q '^kernels of the large models: ' "$work/out" && ! grep -q 'chosen at run time' "$work/out"; then
  pass "TMS_KERNELS=baseline: tms bench names the build's own kernels"
else fail "TMS_KERNELS=baseline" "$(head -3 "$work/out")"; fi
for bad in sse9 avx1024; do
  TMS_KERNELS=$bad run "$work/out" "$work/err" presets
  if [[ $status == 2 && $(wc -l <"$work/err") == 1 && ! -s $work/out ]] && grep -q "TMS_KERNELS=$bad: " "$work/err"; then
    pass "TMS_KERNELS='$bad': refused in one line: $(cat "$work/err")"
  else
    fail "TMS_KERNELS='$bad' refused" "status $status" "$(cat "$work/out" "$work/err")"
  fi
done
if grep -qw avx2 /proc/cpuinfo && grep -qw fma /proc/cpuinfo; then
  # An empty TMS_KERNELS is the default, as an empty variable usually is.
  TMS_KERNELS= run "$work/out" "$work/err" bench --seconds 0.01 --pytorch recorded
  if grep -q 'chosen at run time' "$work/out"; then
    pass "on a CPU with AVX2 and FMA a run chooses a run-time copy: $(grep '^kernels' "$work/out")"
  else fail "run-time kernels chosen" "$(head -3 "$work/out")"; fi
fi

echo
finish test-cli
