#!/usr/bin/env bash
# One-time setup of a fresh machine for tms: checks for Swift 6.2 or newer (Package.swift's
# tools version) and installs what the build and the tests need if it is missing. On
# Debian/Ubuntu: libncurses-dev (the explorer's C shim includes <ncursesw/curses.h> and links
# ncursesw), tmux (the end-to-end tests drive the real binary in it), librsvg2-bin
# (rsvg-convert, which renders the exported figures in the tests), python3 with numpy
# (the export tests read .npz files with numpy.load), and slurm-wlm with munge (the sweep
# test submits a job array to a single-node Slurm it starts itself). On macOS, with Homebrew: ncurses (the
# system's 5.7 lacks the colour API the explorer uses), tmux and librsvg. Safe to run again: it only installs
# what is absent. Never prompts: packages are installed non-interactively, and sudo is used
# with -n, so a sudo that wants a password fails with a message instead of hanging.
# Usage: scripts/setup.sh
set -euo pipefail

say() { printf 'setup: %s\n' "$*" >&2; }

# Package.swift says `swift-tools-version: 6.2`; older toolchains cannot even read it.
need_major=6 need_minor=2
if ! command -v swift >/dev/null 2>&1; then
  say "swift is not on PATH; install Swift $need_major.$need_minor or newer from https://swift.org/install and run this again"
  exit 1
fi
found=$(swift --version 2>&1 | head -1)
read -r major minor < <(printf '%s\n' "$found" \
  | sed -n 's/.*Swift version \([0-9][0-9]*\)\.\([0-9][0-9]*\).*/\1 \2/p') || true
if [ -z "${major:-}" ] || [ -z "${minor:-}" ] \
  || [ "$major" -lt "$need_major" ] \
  || { [ "$major" -eq "$need_major" ] && [ "$minor" -lt "$need_minor" ]; }; then
  say "Swift $need_major.$need_minor or newer is required (Package.swift: swift-tools-version $need_major.$need_minor); found: $found"
  exit 1
fi

if [ "$(uname -s)" = Darwin ]; then
  command -v brew >/dev/null 2>&1 || { say "install Homebrew (https://brew.sh), then run this again"; exit 1; }
  for formula in ncurses tmux librsvg; do
    brew list --versions "$formula" >/dev/null 2>&1 || { say "installing $formula"; brew install "$formula"; }
  done
  python3 -c 'import numpy' >/dev/null 2>&1 || python3 -m pip install --quiet numpy \
    || { say "could not install numpy; run: python3 -m pip install numpy"; exit 1; }
  say "ready: $(swift --version 2>&1 | head -1); $(brew list --versions ncurses); tmux $(tmux -V | cut -d' ' -f2)"
  exit 0
fi

missing=()
sudo=()
if [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1; then sudo=(sudo -n); fi
# Root, or a sudo that works without a password (no TTY to ask on); says why not otherwise.
can_install() {
  if [ "$(id -u)" -eq 0 ]; then return 0; fi
  if [ ${#sudo[@]} -eq 0 ]; then
    say "missing: $1; run as root or install sudo"
    return 1
  fi
  if ! sudo -n true 2>/dev/null; then
    say "missing: $1; sudo needs a password: run 'sudo -v' first, or run this as root"
    return 1
  fi
}
apt_install() {
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}
# The header Sources/CNcurses/shim.h includes, and the library its module map links.
header_found() {
  for dir in /usr/include /usr/local/include /usr/include/x86_64-linux-gnu /usr/include/aarch64-linux-gnu; do
    [ -f "$dir/ncursesw/curses.h" ] && return 0
  done
  return 1
}
library_found() {
  for dir in /usr/lib /usr/local/lib /usr/lib64 /lib /usr/lib/x86_64-linux-gnu /usr/lib/aarch64-linux-gnu; do
    [ -e "$dir/libncursesw.so" ] && return 0
  done
  return 1
}
{ header_found && library_found; } || missing+=(libncurses-dev)
command -v tmux >/dev/null 2>&1 || missing+=(tmux)
command -v rsvg-convert >/dev/null 2>&1 || missing+=(librsvg2-bin)
command -v script >/dev/null 2>&1 || missing+=(bsdutils)
[ -x /usr/bin/time ] || missing+=(time)
command -v python3 >/dev/null 2>&1 || missing+=(python3)
# Tests/cli/test-slurm.sh runs a sweep on a private single-node Slurm (slurmctld, slurmd and
# the munge authentication daemon).
{ command -v slurmctld >/dev/null 2>&1 || [ -x /usr/sbin/slurmctld ]; } || missing+=(slurm-wlm)
{ command -v munged >/dev/null 2>&1 || [ -x /usr/sbin/munged ]; } || missing+=(munge)

if [ ${#missing[@]} -gt 0 ]; then
  if ! command -v apt-get >/dev/null 2>&1; then
    say "missing: ${missing[*]}; install them with your system's package manager"
    exit 1
  fi
  can_install "${missing[*]}" || exit 1
  say "installing ${missing[*]}"
  apt_install "${missing[@]}"
  if ! header_found || ! library_found; then
    say "libncurses-dev is installed but <ncursesw/curses.h> or libncursesw.so is still missing"
    exit 1
  fi
fi

if ! python3 -c 'import numpy' >/dev/null 2>&1; then
  say "installing numpy for python3"
  python3 -m pip install --quiet numpy 2>/dev/null \
    || python3 -m pip install --quiet --break-system-packages numpy 2>/dev/null \
    || { command -v apt-get >/dev/null 2>&1 && can_install python3-numpy && apt_install python3-numpy; } \
    || { say "could not install numpy; run: python3 -m pip install numpy"; exit 1; }
fi

say "ready: $(swift --version 2>&1 | head -1); tmux $(tmux -V | cut -d' ' -f2); numpy $(python3 -c 'import numpy; print(numpy.__version__)')"
