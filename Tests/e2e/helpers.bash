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
screen() { tm capture-pane -p -t app; }
screen_e() { tm capture-pane -p -e -t app; }

# wait_for PATTERN [SECONDS]: poll the screen until grep -E matches.
wait_for() {
  local pattern=$1 limit=${2:-10} i=0
  while [ "$i" -lt $((limit * 10)) ]; do
    screen 2>/dev/null | grep -qE -- "$pattern" && return 0
    sleep 0.1
    i=$((i + 1))
  done
  return 1
}

# start NAME [ENV...] -- ARGS: run tms in a fresh 100×30 session with an empty environment.
start() {
  local envs=() args=()
  while [ $# -gt 0 ] && [ "$1" != "--" ]; do envs+=("$1"); shift; done
  [ "${1:-}" = "--" ] && shift
  args=("$@")
  rm -f "$work/rc" "$work/stty"
  cat > "$work/launch.sh" <<SH
#!/bin/sh
trap 'true' INT
cd "$work"
env -i PATH=/usr/bin:/bin HOME="$work" TERM="\${TERM:-tmux-256color}" ${envs[*]:-} "$tms" ${args[*]:-}
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

wait_exit() {
  local i=0
  while [ "$i" -lt 300 ]; do [ -f "$work/rc" ] && return 0; sleep 0.1; i=$((i + 1)); done
  return 1
}


