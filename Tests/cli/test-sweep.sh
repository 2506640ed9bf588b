#!/usr/bin/env bash
# End-to-end tests of `tms sweep run/merge/csv/slurm` through the real binary: a sweep killed
# with SIGKILL at several moments and resumed has every point exactly once and the same lines
# as an uninterrupted run; a torn last line is dropped; shards merge to the one-machine
# result byte for byte; merge refuses a shard of another sweep (one line saying what
# differs), a duplicated point and a missing shard; CSV has a row per point; a sweep file
# and its flags agree; the Slurm script holds the array, its resources and the merge.
# Usage: Tests/cli/test-sweep.sh  (TMS_BIN overrides the binary). Needs python3.
set -uo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
tms=${TMS_BIN:-$root/.build/release/tms}
[ -x "$tms" ] || { echo "test-sweep: $tms not found; build with: swift build -c release" >&2; exit 2; }
tms=$(cd "$(dirname "$tms")" && pwd)/$(basename "$tms")
work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null; done; rm -rf "$work"; }
trap cleanup EXIT
cd "$work" || exit 2
source "$root/Tests/lib/checks.bash"

# The sweep of these tests: 2→1 over 8 p × 8 r, 2 seeds, short training.
sweep=(--features 2 --hidden 1 --axis feature_probability=log:1:0.01:8
  --axis relative_importance=log:0.1:10:8 --seeds 2 --steps 3000)
points=64

# point_counts FILE: "points distinct" of a result file (header excluded).
point_counts() {
  python3 - "$1" <<'PY'
import json, sys
lines = open(sys.argv[1], "rb").read().split(b"\n")
pts = [json.loads(l)["point"] for l in lines[1:] if l.strip()]
print(len(pts), len(set(pts)))
PY
}
# lines FILE: the file's lines, of complete ones only.
line_count() { python3 -c "import sys; print(open(sys.argv[1],'rb').read().count(b'\n'))" "$1"; }
# wait_lines FILE N: until FILE has at least N complete lines (at most 60 s). Polls every
# 20 ms with wc (a newline ends every complete line): the kill that follows must land while
# the sweep still has points to go, and at ~150 points/s a slower poll let it finish first.
wait_lines() {
  local i
  for ((i = 0; i < 3000; i++)); do
    [ -f "$1" ] && [ "$(wc -l <"$1")" -ge "$2" ] && return 0
    sleep 0.02
  done
  return 1
}

# 1. The reference: one uninterrupted run, sorted by merge.
"$tms" sweep run "${sweep[@]}" -o whole.jsonl --threads 2 2>/dev/null
"$tms" sweep merge whole.jsonl -o reference.jsonl 2>/dev/null
if [ "$(point_counts whole.jsonl)" = "$points $points" ]; then
  pass "one run: $points points, each once"
else fail "one run: $(point_counts whole.jsonl)"; fi

# 2. kill -9 at three moments (after 5, 20 and 40 lines), resuming in between; then the
# run completes with every point exactly once and the lines of the uninterrupted run.
rm -f killed.jsonl
ok=1
seen=()
for target in 6 21 41; do
  resume=()
  [ -f killed.jsonl ] && resume=(--resume)
  "$tms" sweep run "${sweep[@]}" -o killed.jsonl --pack 4 --threads 2 "${resume[@]}" 2>/dev/null &
  pid=$!
  pids+=("$pid")
  if ! wait_lines killed.jsonl "$target"; then ok=0; fi
  kill -9 "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null
  # A kill lands anywhere; the file may now end in a torn line, which resume drops. It must
  # have landed mid-sweep: fewer complete lines than header + points.
  have=$(line_count killed.jsonl)
  seen+=("$have")
  if [ "$have" -gt "$points" ]; then ok=0; fi
done
if [ $ok -eq 1 ]; then
  pass "three kill -9 mid-sweep, at $(IFS=,; echo "${seen[*]}") complete lines of $((points + 1))"
else fail "kill -9: never grew, or finished before the kill (lines: ${seen[*]})"; fi
# A torn last line, as a kill inside write(2) leaves it: resume drops it and retrains the point.
last=$(tail -n 1 killed.jsonl | python3 -c "import json,sys; print(json.loads(sys.stdin.read())['point'])")
python3 - killed.jsonl <<'PY'
import sys
p = sys.argv[1]
data = open(p, "rb").read()
assert data.endswith(b"\n")
cut = data.rstrip(b"\n").rfind(b"\n") + 1
open(p, "wb").write(data[: cut + (len(data) - cut) // 2])
PY
torn_before="$(line_count killed.jsonl) complete lines"
"$tms" sweep run "${sweep[@]}" -o killed.jsonl --resume --threads 1 2>resume.err
if grep -q "dropped a torn last line" resume.err && grep -q "already done" resume.err; then
  pass "resume drops the torn last line (point $last) and skips the finished points"
else fail "resume after a torn line" "$(cat resume.err)"; fi
counts=$(point_counts killed.jsonl)
if [ "$counts" = "$points $points" ]; then
  pass "after the kills and --resume: every point exactly once ($counts; before: $torn_before)"
else fail "points after resume: $counts (want $points $points)"; fi
"$tms" sweep merge killed.jsonl -o killed-sorted.jsonl 2>/dev/null
if cmp -s killed-sorted.jsonl reference.jsonl; then
  pass "killed-and-resumed sweep = uninterrupted sweep, byte for byte"
else fail "resumed sweep differs from the uninterrupted one"; fi
# Resuming a finished file trains nothing and leaves it as it is.
sum=$(md5sum <killed.jsonl)
"$tms" sweep run "${sweep[@]}" -o killed.jsonl --resume 2>/dev/null
if [ "$(md5sum <killed.jsonl)" = "$sum" ]; then pass "resuming a finished sweep changes nothing"; else fail "resume of a finished sweep changed the file"; fi

# 3. Shards (different thread counts) merge to the one-machine result, byte for byte.
for k in 0 1 2; do
  "$tms" sweep run "${sweep[@]}" --shard "$k/3" -o "shard-$k.jsonl" --threads $((k % 2 + 1)) 2>/dev/null
done
"$tms" sweep merge shard-2.jsonl shard-0.jsonl shard-1.jsonl -o merged.jsonl --csv merged.csv 2>/dev/null
if cmp -s merged.jsonl reference.jsonl; then pass "3 shards merged = one-machine run, byte for byte"; else fail "merged shards differ from the one-machine run"; fi
rows=$(($(wc -l <merged.csv) - 1))
header=$(head -1 merged.csv)
if [ "$rows" -eq $points ] && [[ "$header" == point,feature_probability,relative_importance,seeds,best_seed,eval_loss,* ]] \
  && python3 -c "
import csv, sys
rows = list(csv.DictReader(open('merged.csv')))
assert [int(r['point']) for r in rows] == list(range($points))
assert all(float(r['eval_loss']) > 0 for r in rows)
"; then pass "CSV: a header and one row per point, in order"; else fail "CSV" "$header" "rows $rows"; fi

# 4. Merge refuses, in one line: a shard of a different sweep, a point twice, a missing shard.
"$tms" sweep run "${sweep[@]}" --seeds 3 --shard 1/3 -o other.jsonl 2>/dev/null
"$tms" sweep merge shard-0.jsonl other.jsonl shard-2.jsonl -o bad.jsonl 2>err.txt
rc=$?
if [ $rc -ne 0 ] && [ ! -e bad.jsonl ] && [ "$(wc -l <err.txt)" -eq 1 ] \
  && grep -q "other.jsonl: from a different sweep" err.txt && grep -q "seeds differs (2 vs 3)" err.txt; then
  pass "merge refuses a shard of another sweep: $(cat err.txt)"
else fail "merge of another sweep's shard (rc $rc)" "$(cat err.txt)"; fi
"$tms" sweep merge shard-0.jsonl shard-1.jsonl shard-1.jsonl shard-2.jsonl -o bad.jsonl 2>err.txt
if [ $? -ne 0 ] && [ "$(wc -l <err.txt)" -eq 1 ] && grep -q "is also in shard-1.jsonl" err.txt; then
  pass "merge refuses a point given twice"
else fail "merge of a duplicated shard" "$(cat err.txt)"; fi
"$tms" sweep merge shard-0.jsonl shard-2.jsonl -o bad.jsonl 2>err.txt
if [ $? -ne 0 ] && [ "$(wc -l <err.txt)" -eq 1 ] && grep -q "21 of 64 points missing: 1, 4, 7" err.txt \
  && grep -q "run again: shard 1/3" err.txt; then
  pass "merge names the missing points and shard: $(cut -c1-90 err.txt)…"
else fail "merge with a shard missing" "$(cat err.txt)"; fi
"$tms" sweep merge shard-0.jsonl shard-2.jsonl -o partial.jsonl --allow-missing 2>/dev/null
if [ "$(point_counts partial.jsonl)" = "43 43" ]; then pass "--allow-missing merges what is there"; else fail "--allow-missing"; fi

# 5. A sweep file gives the same sweep (same id) as the same flags.
cat >grid.json <<'EOF'
{ "base": {"features": 2, "hidden": 1, "steps": 3000},
  "axes": [ {"key": "feature_probability", "log": [1, 0.01], "count": 8},
            {"key": "relative_importance", "log": [0.1, 10], "count": 8} ],
  "seeds": 2 }
EOF
"$tms" sweep run --file grid.json -o from-file.jsonl --threads 2 2>/dev/null
"$tms" sweep merge from-file.jsonl -o from-file-sorted.jsonl 2>/dev/null
id_flags=$(head -1 whole.jsonl | python3 -c "import json,sys; print(json.load(sys.stdin)['sweep_id'])")
id_file=$(head -1 from-file.jsonl | python3 -c "import json,sys; print(json.load(sys.stdin)['sweep_id'])")
# The bases differ in fields every point overrides (importance), so the ids differ and the
# points' lines are the same.
if python3 - reference.jsonl from-file-sorted.jsonl <<'PY'
import sys
a, b = (open(p, "rb").read().split(b"\n")[1:] for p in sys.argv[1:])
sys.exit(0 if a == b and len(a) > 60 else 1)
PY
then pass "a sweep file and the same flags train the same points (ids $id_flags, $id_file)"
else fail "sweep file vs flags"; fi
# Bad sweep files and flags: one line naming the problem, exit 2.
echo '{"axes": [{"key": "lr", "values": [0.001]}], "seedz": 3}' >typo.json
"$tms" sweep run --file typo.json -o t.jsonl 2>err.txt
if [ $? -eq 2 ] && [ "$(wc -l <err.txt)" -eq 1 ] && grep -q "typo.json: seedz: unknown key" err.txt; then
  pass "sweep file with an unknown key: $(cat err.txt)"
else fail "sweep file typo" "$(cat err.txt)"; fi
"$tms" sweep run --axis lr=log:0:1:3 -o t.jsonl 2>err.txt
if [ $? -eq 2 ] && grep -q "a log range needs both ends > 0" err.txt; then pass "bad axis range: one line"; else fail "bad axis range" "$(cat err.txt)"; fi
"$tms" sweep run "${sweep[@]}" -o whole.jsonl 2>err.txt
if [ $? -eq 2 ] && grep -q "already exists; use --resume" err.txt; then pass "an existing result file is not overwritten"; else fail "existing file" "$(cat err.txt)"; fi
"$tms" sweep run "${sweep[@]}" --seeds 3 -o whole.jsonl --resume 2>err.txt
if [ $? -eq 2 ] && grep -q "holds another sweep" err.txt; then pass "resume refuses another sweep's file"; else fail "resume of another sweep" "$(cat err.txt)"; fi
"$tms" sweep run --preset sae-intro --axis lr=0.001,0.01 -o sae.jsonl 2>err.txt
if [ $? -eq 2 ] && [ "$(wc -l <err.txt)" -eq 1 ] && grep -q "sae: a sweep trains and scores models only" err.txt && [ ! -e sae.jsonl ]; then
  pass "a base run with an SAE (sae-intro) is refused in one line: $(cat err.txt)"
else fail "sweep of an SAE preset" "$(cat err.txt)"; fi

# 6. The Slurm script: an array of N, resources per task, a merge job after the array.
"$tms" sweep slurm "${sweep[@]}" --shards 4 --dir slurm --cpus-per-task 2 --mem 1G --time 00:10:00 >slurm.out 2>&1
s=slurm/sweep.sbatch
if [ -x "$s" ] && grep -q '^#SBATCH --array=0-3$' "$s" && grep -q '^#SBATCH --cpus-per-task=2$' "$s" \
  && grep -q '^#SBATCH --mem=1G$' "$s" && grep -q '^#SBATCH --time=00:10:00$' "$s" \
  && grep -q 'dependency=afterok:"$array"' "$s" && grep -q 'SLURM_ARRAY_TASK_ID/$SHARDS' "$s" \
  && bash -n "$s" && grep -q "submit with: bash $work/slurm/sweep.sbatch" slurm.out; then
  pass "slurm script: array 0-3, 2 CPUs, 1G, 10 min, merge after the array, valid bash"
else fail "slurm script" "$(cat slurm.out)"; fi
# Run by hand as Slurm would run task 2 (and the merge), without Slurm: the same lines.
for k in 0 1 2 3; do SLURM_ARRAY_TASK_ID=$k bash "$s" 2>/dev/null; done
TMS_SWEEP_PART=merge bash "$s" 2>/dev/null
if cmp -s slurm/results.jsonl reference.jsonl && [ -f slurm/results.csv ]; then
  pass "the script's four tasks and its merge = the one-machine run (without Slurm)"
else fail "slurm script tasks run by hand"; fi

finish test-sweep
