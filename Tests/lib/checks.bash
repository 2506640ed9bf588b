# Tallies for the shell test scripts (sourced). Every check ends in pass, fail or skip; a
# skip is for a tool or privilege this machine lacks, and is counted and listed at the end,
# never a silent pass. Under CI (CI=true) a skip fails the run: CI's machine has everything.
passed=0
failed=0
skipped=0
skips=()

pass() { passed=$((passed + 1)); printf 'ok    %s\n' "$1"; }

# fail NAME [DETAIL...]
fail() {
  failed=$((failed + 1))
  printf 'FAIL  %s\n' "$1"
  shift
  for line in "$@"; do printf '      %s\n' "$line"; done
}

# skip NAME REASON
skip() {
  skipped=$((skipped + 1))
  skips+=("$1 ($2)")
  printf 'SKIP  %s: %s\n' "$1" "$2"
}

# finish LABEL: print the tally and the skipped checks; the status is non-zero when a check
# failed, or when one was skipped under CI.
finish() {
  echo "$1: $passed passed, $failed failed, $skipped skipped"
  for s in "${skips[@]}"; do echo "  skipped: $s"; done
  if [ "$skipped" -gt 0 ] && [ "${CI:-}" = "true" ]; then
    echo "$1: checks were skipped under CI=true, where every tool must be present"
    return 1
  fi
  [ "$failed" -eq 0 ]
}

# matches GREP-ARGS...: grep over stdin that reads all of it, for `producer | matches …`.
# `producer | grep -q` under pipefail fails when grep exits at its first match while the
# producer is still writing: the producer dies of SIGPIPE and the pipeline's status is 141
# (CI saw `cat out.txt err.txt | grep -q` report a line as missing that was there), and a
# negated check `! producer | grep -q` then passes.
matches() { grep "$@" >/dev/null; }
