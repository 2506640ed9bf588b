#!/usr/bin/env bash
# One-time setup of a fresh Debian/Ubuntu machine for tms: checks for Swift 6 and installs
# what the build and the tests need if it is missing — libncurses-dev (the explorer links
# ncursesw), tmux (the end-to-end tests drive the real binary in it) and python3 with numpy
# (the export tests read .npz files with numpy.load). Safe to run again: it only installs
# what is absent. Usage: scripts/setup.sh
set -euo pipefail

say() { printf 'setup: %s\n' "$*" >&2; }

if ! command -v swift >/dev/null 2>&1; then
  say "swift is not on PATH; install Swift 6 from https://swift.org/install and run this again"
  exit 1
fi
version=$(swift --version 2>/dev/null | sed -n 's/.*Swift version \([0-9][0-9]*\)\..*/\1/p' | head -1)
if [ -z "$version" ] || [ "$version" -lt 6 ]; then
  say "Swift 6 or newer is required (found: $(swift --version 2>&1 | head -1))"
  exit 1
fi

missing=()
sudo=()
if [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1; then sudo=(sudo); fi
header_found() {
  for dir in /usr/include /usr/local/include /usr/include/x86_64-linux-gnu /usr/include/aarch64-linux-gnu; do
    [ -f "$dir/ncursesw/ncurses.h" ] || [ -f "$dir/ncurses.h" ] && return 0
  done
  return 1
}
header_found || missing+=(libncurses-dev)
command -v tmux >/dev/null 2>&1 || missing+=(tmux)
command -v python3 >/dev/null 2>&1 || missing+=(python3)

if [ ${#missing[@]} -gt 0 ]; then
  if ! command -v apt-get >/dev/null 2>&1; then
    say "missing: ${missing[*]}; install them with your system's package manager"
    exit 1
  fi
  if [ "$(id -u)" -ne 0 ] && [ ${#sudo[@]} -eq 0 ]; then
    say "missing: ${missing[*]}; run as root or install sudo"
    exit 1
  fi
  say "installing ${missing[*]}"
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

if ! python3 -c 'import numpy' >/dev/null 2>&1; then
  say "installing numpy for python3"
  python3 -m pip install --quiet numpy 2>/dev/null \
    || python3 -m pip install --quiet --break-system-packages numpy 2>/dev/null \
    || { command -v apt-get >/dev/null 2>&1 && "${sudo[@]}" apt-get install -y -qq python3-numpy >/dev/null; } \
    || { say "could not install numpy; run: python3 -m pip install numpy"; exit 1; }
fi

say "ready: $(swift --version 2>&1 | head -1); tmux $(tmux -V | cut -d' ' -f2); numpy $(python3 -c 'import numpy; print(numpy.__version__)')"
