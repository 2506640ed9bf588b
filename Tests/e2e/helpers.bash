# Shared helpers of the tmux end-to-end tests (sourced, not run: .ci/run runs *.sh).
# The sourcing script sets `sock`, a private tmux socket name, first; it gets `tm`, `pass`,
# `fail`, `screen`, `screen_e`, `wait_for`, `start`, `wait_exit` and the counters.

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
tms=${TMS_BIN:-$root/.build/release/tms}
[ -x "$tms" ] || { echo "e2e: $tms not found; build with: swift build -c release" >&2; exit 2; }
command -v tmux >/dev/null || { echo "e2e: tmux is missing; run scripts/setup.sh" >&2; exit 2; }

work=$(mktemp -d)
source "$root/Tests/lib/checks.bash"
trap 'tmux -L "$sock" kill-server 2>/dev/null; rm -rf "$work"' EXIT

tm() { tmux -L "$sock" -f /dev/null "$@"; }
# fail also shows the screen the check looked at.
fail() {
  failed=$((failed + 1))
  echo "FAIL  $1"
  echo "---- screen ----"
  tm capture-pane -p -t app 2>/dev/null | sed 's/^/  | /'
  echo "----------------"
}
# The pane as text (screen_e: with its colour escapes), written in one write: tmux writes a
# capture in pieces, and a reader that stops early (`screen | head -1`) would kill a later
# piece's writer with SIGPIPE, failing the pipeline under pipefail.
screen() {
  local text
  text=$(tm capture-pane -p -t app) || return
  printf '%s\n' "$text"
}
screen_e() {
  local text
  text=$(tm capture-pane -p -e -t app) || return
  printf '%s\n' "$text"
}

# wait_for PATTERN [SECONDS]: poll the screen until grep -E matches.
wait_for() {
  local pattern=$1 limit=${2:-10} i=0
  while [ "$i" -lt $((limit * 10)) ]; do
    screen 2>/dev/null | matches -E -- "$pattern" && return 0
    sleep 0.1
    i=$((i + 1))
  done
  return 1
}

# start [ENV...] -- ARGS: run tms in a fresh 100×30 session with an empty environment.
# Before tms starts, the pane's `stty -a` goes to $work/stty-before; tms's process id goes
# to $work/pid (the shell execs into env, which execs into tms: one process id throughout);
# when it has ended, its status goes to $work/rc and the pane's `stty -a` to $work/stty.
# With gate=1 set by the caller, tms waits to start until `release` is called, so the
# pane's state before it can be read.
start() {
  local envs=() args=()
  while [ $# -gt 0 ] && [ "$1" != "--" ]; do envs+=("$1"); shift; done
  [ "${1:-}" = "--" ] && shift
  args=("$@")
  rm -f "$work/rc" "$work/stty" "$work/stty-before" "$work/pid" "$work/go"
  cat > "$work/launch.sh" <<SH
#!/bin/sh
trap 'true' INT
cd "$work"
stty -a > "$work/stty-before" 2>&1
if [ "${gate:-0}" = 1 ]; then
  while [ ! -e "$work/go" ]; do sleep 0.05; done
fi
sh -c 'echo \$\$ > "$work/pid"; exec env -i PATH=/usr/bin:/bin HOME="$work" TERM="\${TERM:-tmux-256color}" ${envs[*]:-} "$tms" ${args[*]:-}'
echo "EXIT=\$?" > "$work/rc"
stty -a > "$work/stty" 2>&1
sleep 30
SH
  chmod +x "$work/launch.sh"
  tm kill-server 2>/dev/null
  # kill-server returns before the old server is gone; a new session must not join it.
  local i=0
  while tm list-sessions >/dev/null 2>&1 && [ "$i" -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
  # A server still shutting down can refuse the first attempt ("server exited unexpectedly").
  for i in 1 2 3 4 5; do
    tm new-session -d -s app -x 100 -y 30 "$work/launch.sh" 2>/dev/null && return 0
    sleep 0.2
  done
  tm new-session -d -s app -x 100 -y 30 "$work/launch.sh"
}

# release: lets a gated start (gate=1) go on to run tms, once the pane is ready.
release() {
  local i=0
  while [ ! -e "$work/stty-before" ] && [ "$i" -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
  touch "$work/go"
}

# tms_pid: the process id of the tms started last (waits up to 5 s for it to be written).
tms_pid() {
  local i=0
  while [ ! -s "$work/pid" ] && [ "$i" -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
  cat "$work/pid"
}

# pane_modes: the pane's alternate screen, cursor, mouse and keypad flags, one line.
pane_modes() {
  tm display -p -t app \
    'alternate=#{alternate_on} cursor=#{cursor_flag} mouse=#{mouse_any_flag} keypad=#{keypad_flag} keypad_cursor=#{keypad_cursor_flag}'
}

wait_exit() {
  local i=0
  while [ "$i" -lt 300 ]; do [ -f "$work/rc" ] && return 0; sleep 0.1; i=$((i + 1)); done
  return 1
}


