#!/usr/bin/env bash
# Tests of `tms reproduce` against the release binary (TMS_BIN overrides it): the --quick
# reproduction CI runs (every verdict must pass: a change that breaks the science fails
# here), the report's folder (report.md with every section, results.json, one SVG per figure
# that renders), Ctrl-C keeping the finished sections in a report marked partial, and bad
# input as one line. Needs python3; rsvg-convert (librsvg2-bin) to render the figures.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$root"
bin=${TMS_BIN:-.build/release/tms}
[[ -x $bin ]] || { echo "test-reproduce: no executable at '$bin' (swift build -c release)" >&2; exit 2; }
bin=$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export XDG_CONFIG_HOME=$work/config
unset TMS_PRESETS
source "$root/Tests/lib/checks.bash"

# --- The quick reproduction -----------------------------------------------------------------
start=$SECONDS
status=0
"$bin" reproduce --quick --out "$work/quick" </dev/null >"$work/quick.out" 2>"$work/quick.err" || status=$?
took=$((SECONDS - start))
cat "$work/quick.err"
cat "$work/quick.out"
echo "tms reproduce --quick: ${took} s wall on $(nproc) cores"
if [[ $status == 0 ]]; then pass "tms reproduce --quick: every verdict passes (exit 0)"; else
  fail "tms reproduce --quick exits $status" "$(grep -h FAIL "$work/quick.err" || true)"
  grep -B2 -A0 '\*\*FAIL\*\*' "$work/quick/report.md" || true
fi
if python3 - "$work/quick" <<'PY'; then pass "results.json: every section, rows with verdicts, no failure, runs with loss_se"; else fail "results.json"; fi
import json, sys, os
d = json.load(open(os.path.join(sys.argv[1], "results.json")))
names = [s["name"] for s in d["sections"]]
assert names == ["intro", "basic", "phase-2-1", "phase-3-2", "dimensionality", "neurons",
                 "arrangements", "learning-dynamics", "adversarial"], names
assert d["quick"] is True and d["partial"] is False and d["failed"] == 0, d["failed"]
assert d["passed"] >= 40, d["passed"]
for s in d["sections"]:
    assert s["rows"], s["name"]
    assert s["command"] == f"tms reproduce --only {s['name']} --quick"
    for r in s["rows"]:
        assert r["verdict"] in ("pass", "fail", "info")
        assert set(r) == {"quantity", "paper", "tms", "tolerance", "verdict", "value"}
    for role, run in s["runs"].items():
        assert len(run["loss"]) == len(run["loss_se"]) == len(run["geometry"]), (s["name"], role)
PY
report=$work/quick/report.md
sections=$(grep -c '^## ' "$report" || true)
if [[ $sections == 9 ]] && matches -F "Quick run:" "$report" && ! matches -F "Partial report" "$report"; then
  pass "report.md: 9 sections, the quick run said in the header"
else fail "report.md sections: $sections"; fi
if [[ $(grep -c '^| quantity | paper | tms | tolerance | verdict |$' "$report") == 9 ]]; then
  pass "report.md: a verdict table per section"; else fail "report.md verdict tables"; fi
missing=0
for f in $(grep -o 'figures/[a-z0-9-]*\.svg' "$report" | sort -u); do
  [[ -s $work/quick/$f ]] || missing=$((missing + 1))
done
figures=$(ls "$work/quick/figures" | wc -l)
if [[ $missing == 0 && $figures -ge 14 ]]; then pass "every figure the report shows exists ($figures SVGs)"; else
  fail "figures: $missing missing, $figures written"; fi
if command -v rsvg-convert >/dev/null; then
  bad=0
  for svg in "$work"/quick/figures/*.svg; do
    rsvg-convert "$svg" -o "$work/figure.png" 2>/dev/null && [[ -s $work/figure.png ]] || bad=$((bad + 1))
  done
  if [[ $bad == 0 ]]; then pass "every SVG renders (rsvg-convert)"; else fail "$bad SVGs do not render"; fi
else
  skip "SVGs render" "rsvg-convert is not installed (librsvg2-bin)"
fi

# --- Ctrl-C keeps the finished sections -----------------------------------------------------
"$bin" reproduce --quick --only intro dimensionality --out "$work/stopped" </dev/null \
  >"$work/stopped.out" 2>"$work/stopped.err" &
pid=$!
for _ in $(seq 1 600); do
  [[ -s $work/stopped/report.md ]] && break
  sleep 0.1
done
sleep 1
kill -INT "$pid" 2>/dev/null || true
status=0
wait "$pid" || status=$?
if [[ $status == 130 ]] && matches -F "Partial report" "$work/stopped/report.md" \
  && matches -F "## Intro" "$work/stopped/report.md" \
  && ! matches -F "## Feature dimensionality" "$work/stopped/report.md"; then
  pass "Ctrl-C: exit 130, the report keeps intro and says it is partial"
else fail "Ctrl-C: status $status" "$(cat "$work/stopped.err")"; fi
if python3 -c "import json,sys; d=json.load(open(sys.argv[1])); assert d['partial'] and [s['name'] for s in d['sections']]==['intro']" "$work/stopped/results.json"; then
  pass "Ctrl-C: results.json partial with the finished section"; else fail "Ctrl-C results.json"; fi

# --- Bad input ------------------------------------------------------------------------------
status=0
"$bin" reproduce --only nonsense --out "$work/x" </dev/null >"$work/bad.out" 2>"$work/bad.err" || status=$?
if [[ $status != 0 && $(wc -l <"$work/bad.err") == 1 ]] && matches -F "no experiment named nonsense" "$work/bad.err"; then
  pass "--only with an unknown name: one line, non-zero"; else fail "--only nonsense" "$(cat "$work/bad.err")"; fi
touch "$work/file"
status=0
"$bin" reproduce --quick --only intro --out "$work/file" </dev/null >"$work/bad.out" 2>"$work/bad.err" || status=$?
if [[ $status != 0 && $(wc -l <"$work/bad.err") == 1 ]] && matches -F "is not a folder" "$work/bad.err"; then
  pass "--out naming a file: one line, non-zero"; else fail "--out file" "$(cat "$work/bad.err")"; fi

finish "test-reproduce"
