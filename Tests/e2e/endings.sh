#!/usr/bin/env bash
# Every way the explorer can end gives the terminal back as it was: `q`, Ctrl-C, SIGTERM,
# SIGHUP and a crash (SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT sent with kill, and a real
# Swift trap from the hidden --test-crash). The real binary runs in tmux (private socket, no
# user config, an empty environment: SWIFT_BACKTRACE is not set, as for a user); for each
# ending the pane's alternate-screen, cursor, mouse and keypad flags and `stty -a` are
# compared with their values before tms started, and a crash must print its report without
# asking for a key and end the process by its signal.
set -uo pipefail

sock="tms-e2e-endings-$$"
source "$(dirname "$0")/helpers.bash"

# ending NAME EXPECTED_EXIT ACTION [ARGS...]: starts tms (gated, so the pane's state before
# it is read first), waits for the explorer to draw, ends it with ACTION (a function; the
# word crashes_by_itself for a tms that ends on its own), and checks the exit status, the
# pane's modes and stty against the values before.
ending() {
  local name=$1 expected=$2 action=$3
  shift 3
  gate=1 start -- --threads 1 "$@"
  local i=0
  while [ ! -e "$work/stty-before" ] && [ "$i" -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
  local before during=""
  before=$(pane_modes)
  release
  if [ "$action" != crashes_by_itself ]; then
    if ! wait_for 'WᵀW' 30; then fail "$name: the explorer did not start"; return; fi
    # While tms runs, the modes differ (so the comparison after it can fail).
    during=$(pane_modes)
    "$action"
  fi
  if ! wait_exit; then fail "$name: tms did not end within 30 s"; return; fi
  local after problems=()
  after=$(pane_modes)
  grep -q "EXIT=$expected" "$work/rc" || problems+=("$(cat "$work/rc"), expected EXIT=$expected")
  if [ -n "$during" ] && [ "$during" = "$before" ]; then
    problems+=("modes did not change while tms ran ($during)")
  fi
  [ "$after" = "$before" ] || problems+=("modes after: $after; before: $before")
  if ! diff -q "$work/stty-before" "$work/stty" >/dev/null; then
    problems+=("stty differs: $(diff "$work/stty-before" "$work/stty" | tr '\n' ' ')")
  fi
  if [ "${#problems[@]}" -eq 0 ]; then
    pass "$name: $(cat "$work/rc"), terminal as before ($after, stty unchanged)"
  else
    fail "$name"
    printf '      %s\n' "${problems[@]}"
  fi
}

quit_q() { tm send-keys -t app q; }
quit_ctrl_c() { tm send-keys -t app C-c; }
send() { kill "-$1" "$(tms_pid)"; }
term() { send TERM; }
hup() { send HUP; }
segv() { send SEGV; }
bus() { send BUS; }
ill() { send ILL; }
fpe() { send FPE; }
abrt() { send ABRT; }

ending "q" 0 quit_q
ending "Ctrl-C" 0 quit_ctrl_c
# A process ended by signal N has status 128 + N (the numbers differ between systems).
status() { echo $((128 + $(kill -l "$1"))); }

ending "SIGTERM" "$(status TERM)" term
ending "SIGHUP" "$(status HUP)" hup

# crash_report NAME: the report was printed, without the interactive prompt.
crash_report() {
  local text
  text=$(tm capture-pane -p -S - -t app)
  if grep -qE 'Program crashed|Thread [0-9]+ .*crashed' <<<"$text" \
    && ! grep -q 'Press space to interact' <<<"$text"; then
    pass "$1: the crash report is printed, without waiting for a key"
  else fail "$1: crash report"; fi
}

ending "SIGSEGV (kill)" "$(status SEGV)" segv
crash_report "SIGSEGV"
ending "SIGBUS (kill)" "$(status BUS)" bus
ending "SIGILL (kill)" "$(status ILL)" ill
ending "SIGFPE (kill)" "$(status FPE)" fpe
ending "SIGABRT (kill)" "$(status ABRT)" abrt
crash_report "SIGABRT"
# A real crash: a Swift trap (an index out of range) while curses is up. x86-64 traps with
# SIGILL (ud2), arm64 with SIGTRAP (brk).
case "$(uname -m)" in
  aarch64 | arm64) trap_exit=$(status TRAP) ;;
  *) trap_exit=$(status ILL) ;;
esac
ending "Swift trap (--test-crash)" "$trap_exit" crashes_by_itself --test-crash
crash_report "Swift trap"

finish e2e-endings
