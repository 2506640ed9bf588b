#!/usr/bin/env bash
# A sweep on a real Slurm: starts a private single-node cluster on this machine (munged,
# slurmctld and slurmd on localhost, their configuration, key, sockets, state and logs in a
# temporary folder, so nothing of the system's is touched), writes the batch script with
# `tms sweep slurm`, submits it as a cluster user would (`bash sweep.sbatch`: a 4-task job
# array and a merge job that depends on it), waits for the merge, and checks the merged
# result equals a one-machine run of the same sweep byte for byte. It stops every daemon it
# started (by process id) and leaves nothing running. Takes about 30 s.
# Needs root and Debian's slurm-wlm and munge (scripts/setup.sh installs them); without
# them the check is skipped, which fails under CI=true.
# Usage: Tests/cli/test-slurm.sh  (TMS_BIN overrides the binary).
set -uo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
tms=${TMS_BIN:-$root/.build/release/tms}
[ -x "$tms" ] || { echo "test-slurm: $tms not found; build with: swift build -c release" >&2; exit 2; }
tms=$(cd "$(dirname "$tms")" && pwd)/$(basename "$tms")
source "$root/Tests/lib/checks.bash"

missing=()
for tool in munged mungekey slurmctld slurmd sbatch squeue scontrol; do
  command -v "$tool" >/dev/null 2>&1 || [ -x "/usr/sbin/$tool" ] || missing+=("$tool")
done
if [ ${#missing[@]} -gt 0 ]; then
  skip "sweep on Slurm" "missing ${missing[*]} (scripts/setup.sh installs slurm-wlm and munge)"
  finish test-slurm
  exit $?
fi
if [ "$(id -u)" -ne 0 ]; then
  skip "sweep on Slurm" "needs root to run munged as the munge user and slurmd"
  finish test-slurm
  exit $?
fi
PATH=$PATH:/usr/sbin

work=$(mktemp -d /tmp/tms-slurm.XXXXXX)
chmod 755 "$work"
export SLURM_CONF=$work/slurm.conf

# pid_of FILE: the process id a daemon wrote, if it is still running.
pid_of() { [ -s "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null && cat "$1"; }
# wait_gone PID...: until none of them runs (at most 20 s).
wait_gone() {
  local i p alive
  for ((i = 0; i < 200; i++)); do
    alive=0
    for p in "$@"; do kill -0 "$p" 2>/dev/null && alive=1; done
    [ $alive -eq 0 ] && return 0
    sleep 0.1
  done
  return 1
}
stop_daemons() {
  local pids=() p
  for f in "$work/slurmctld.pid" "$work/slurmd.pid" "$work/munge/munged.pid"; do
    p=$(pid_of "$f") && pids+=("$p")
  done
  [ ${#pids[@]} -eq 0 ] && return 0
  scontrol shutdown >/dev/null 2>&1
  local munge
  munge=$(pid_of "$work/munge/munged.pid") && {
    # munged last: slurmctld and slurmd authenticate their shutdown through it.
    wait_gone $(pid_of "$work/slurmctld.pid") $(pid_of "$work/slurmd.pid")
    kill "$munge"
  }
  if ! wait_gone "${pids[@]}"; then
    for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null; done
  fi
}
cleanup() { stop_daemons; rm -rf "$work"; }
trap cleanup EXIT

# 1. munged with a key and socket of its own, as the munge user.
mkdir -p "$work/munge"
mungekey --create --keyfile="$work/munge/munge.key" >/dev/null 2>&1 \
  || dd if=/dev/urandom of="$work/munge/munge.key" bs=1024 count=1 2>/dev/null
chown -R munge:munge "$work/munge"
chmod 755 "$work/munge"   # munged wants the socket folder traversable by all
chmod 400 "$work/munge/munge.key"
socket=$work/munge/munge.socket
su -s /bin/sh munge -c "/usr/sbin/munged --key-file=$work/munge/munge.key --socket=$socket \
  --pid-file=$work/munge/munged.pid --log-file=$work/munge/munged.log \
  --seed-file=$work/munge/munged.seed" 2>"$work/munged.err"
if munge --socket="$socket" -n 2>/dev/null | unmunge --socket="$socket" 2>/dev/null | matches Success; then
  pass "munged: a private key and socket, credentials verify"
else
  fail "munged did not start" "$(cat "$work/munged.err" "$work/munge/munged.log" 2>/dev/null | tail -3)"
  finish test-slurm
  exit $?
fi

# 2. slurmctld and slurmd for this one node, on ports of their own.
host=$(hostname -s)
cpus=$(nproc)
mem=$(awk '/MemTotal/ { print int($2 / 1024 * 0.8) }' /proc/meminfo)
mkdir -p "$work/ctld" "$work/d"
cat >"$SLURM_CONF" <<CONF
ClusterName=tmstest
SlurmctldHost=$host
SlurmctldPort=26817
SlurmdPort=26818
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$socket
CredType=cred/munge
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
StateSaveLocation=$work/ctld
SlurmdSpoolDir=$work/d
SlurmctldPidFile=$work/slurmctld.pid
SlurmdPidFile=$work/slurmd.pid
SlurmctldLogFile=$work/slurmctld.log
SlurmdLogFile=$work/slurmd.log
ReturnToService=2
MpiDefault=none
MinJobAge=600
NodeName=$host CPUs=$cpus RealMemory=$mem State=UNKNOWN
PartitionName=debug Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF
slurmctld 2>"$work/ctld.err"
slurmd 2>"$work/d.err"
up=0
for ((i = 0; i < 300; i++)); do
  if sinfo -h -o '%T' 2>/dev/null | matches -E '^idle'; then up=1; break; fi
  sleep 0.1
done
if [ $up -eq 1 ]; then
  pass "slurmctld and slurmd: node $host idle ($cpus CPUs)"
else
  fail "slurm did not come up" "$(tail -3 "$work/slurmctld.log" "$work/slurmd.log" "$work/ctld.err" "$work/d.err" 2>/dev/null)"
  finish test-slurm
  exit $?
fi

# 3. The sweep: a tiny 2→1 grid, 2 seeds; first on this machine alone.
sweep=(--features 2 --hidden 1 --axis feature_probability=log:1:0.01:4
  --axis relative_importance=log:0.1:10:4 --seeds 2 --steps 2000)
"$tms" sweep run "${sweep[@]}" -o "$work/alone.jsonl" 2>/dev/null
"$tms" sweep merge "$work/alone.jsonl" -o "$work/alone-sorted.jsonl" 2>/dev/null

# 4. The two commands a cluster user types.
if ! "$tms" sweep slurm "${sweep[@]}" --shards 4 --dir "$work/run" --cpus-per-task 1 \
  --time 00:05:00 >"$work/slurm.out" 2>&1; then
  fail "tms sweep slurm" "$(cat "$work/slurm.out")"
fi
(cd "$work" && bash "$work/run/sweep.sbatch") >"$work/submit.out" 2>&1
read -r array merge < <(sed -n 's/^submitted array job \([0-9]*\) (4 shards) and merge job \([0-9]*\)$/\1 \2/p' "$work/submit.out")
if [ -n "${array:-}" ] && [ -n "${merge:-}" ]; then
  pass "bash sweep.sbatch submitted array job $array and merge job $merge"
else
  fail "submission" "$(cat "$work/submit.out")"
  finish test-slurm
  exit $?
fi
dependency=$(scontrol show job "$merge" 2>/dev/null | grep -o 'Dependency=[^ ]*')
tasks=$(scontrol show job "$array" 2>/dev/null | grep -c 'ArrayTaskId=')
if [[ "$dependency" == "Dependency=afterok:${array}_"* || "$dependency" == "Dependency=(null)" ]] && [ "$tasks" -ge 1 ]; then
  pass "the merge job waits for the array ($dependency)"
else fail "merge dependency" "$dependency, $tasks array tasks listed"; fi

# 5. Wait (at most 180 s) for the queue to empty and the merged file to appear.
done=0
for ((i = 0; i < 1800; i++)); do
  if [ -z "$(squeue -h 2>/dev/null)" ] && [ -f "$work/run/results.jsonl" ]; then done=1; break; fi
  sleep 0.1
done
states=$(for j in "$array" "$merge"; do scontrol show job "$j" 2>/dev/null | grep -o 'JobState=[A-Z]*'; done | sort | uniq -c | tr -s ' ' | tr '\n' ';')
if [ $done -eq 1 ]; then
  pass "the array and the merge ran to the end ($states)"
else fail "jobs did not finish in 180 s" "$states" "$(squeue 2>&1 | head -5)" "$(cat "$work/run/logs/"*.out 2>/dev/null | tail -5)"; fi
shards_ok=1
for k in 0 1 2 3; do
  f=$work/run/shard-$k.jsonl
  [ -f "$f" ] && head -1 "$f" | matches "\"shard\": {\"index\": $k, \"count\": 4}" || shards_ok=0
done
if [ $shards_ok -eq 1 ]; then pass "four shard files, one per array task"; else fail "shard files" "$(ls "$work/run")"; fi
if cmp -s "$work/run/results.jsonl" "$work/alone-sorted.jsonl" && [ -f "$work/run/results.csv" ]; then
  pass "merged result of the Slurm run = the one-machine run, byte for byte ($(($(wc -l <"$work/run/results.jsonl") - 1)) points)"
else fail "merged Slurm result differs from the one-machine run" "$(cat "$work/run/logs/merge.out" 2>/dev/null)"; fi

# 6. Nothing left running.
stop_daemons
left=$(for f in "$work/slurmctld.pid" "$work/slurmd.pid" "$work/munge/munged.pid"; do pid_of "$f"; done)
if [ -z "$left" ]; then pass "slurmctld, slurmd and munged stopped"; else fail "still running: $left"; fi

finish test-slurm
