#!/usr/bin/env bash
# The explorer shows text from files escaped: a preset and a snapshot whose names and
# divergence text carry OSC 52 (write the clipboard), a screen clear and a C1 CSI
# (Tests/TMSEngineTests/Fixtures/hostile). tmux is told to accept clipboard writes from
# programs (set-clipboard on, before tms starts), so an OSC 52 that reached the terminal would create a paste
# buffer: none may appear, and the escapes must be on screen as text. The same for
# `tms show`, which prints to the terminal without curses.
set -uo pipefail

sock="tms-e2e-hostile-$$"
source "$(dirname "$0")/helpers.bash"
hostile=$root/Tests/TMSEngineTests/Fixtures/hostile
cp "$hostile/escape-preset.json" "$hostile/escape-snapshot.json" "$work/"
# Also in the user's preset folder ($HOME is $work), so the picker lists it.
mkdir -p "$work/.config/tms/presets"
cp "$hostile/escape-preset.json" "$work/.config/tms/presets/"

# no_clipboard NAME: tmux holds no paste buffer (no OSC 52 got through).
no_clipboard() {
  if [ -z "$(tm list-buffers 2>/dev/null)" ]; then pass "$1: nothing reached the clipboard"
  else fail "$1: a paste buffer appeared: $(tm list-buffers)"; fi
}

gate=1 start -- --threads 1 --preset escape-preset.json
tm set -g set-clipboard on
release
# Wide enough for the status line to keep the preset's (long, escaped) name.
tm resize-window -t app -x 140 -y 40
if wait_for 'evil\^\[\]52;c;SGFja2Vk\^G\^\[\[2J' 30; then
  pass "the preset's name is shown escaped in the status line"
else fail "preset name escaped"; fi
no_clipboard "--preset with OSC 52 in its name"
tm send-keys -t app p
if wait_for 'presets \(' 5 && wait_for 'evil\^\[\]52' 2; then
  pass "the preset picker shows the name escaped"
else fail "picker shows the name escaped"; fi
tm send-keys -t app Escape
tm send-keys -t app q
wait_exit
no_clipboard "the picker"

gate=1 start -- --threads 1 --paused --snapshot escape-snapshot.json
tm set -g set-clipboard on
release
tm resize-window -t app -x 140 -y 40
if wait_for 'snap\^\[\]52;c;SGFja2Vk\^G\^\[\[2J' 30; then
  pass "the snapshot's name is shown escaped"
else fail "snapshot name escaped"; fi
no_clipboard "--snapshot with OSC 52 in its name"
tm send-keys -t app q
wait_exit

# tms show prints to the terminal directly (colours on): the snapshot's name and the
# divergence text must arrive as text there too. Its report (drawn by the explorer's own
# panels, 37 lines) must fit the pane, whose first line is the name: 50 rows.
gate=1 start -- show escape-snapshot.json --color always --instance 0
tm set -g set-clipboard on
tm resize-window -t app -x 100 -y 50
release
if wait_exit && grep -q 'EXIT=0' "$work/rc" && wait_for 'snap\^\[\]52;c;SGFja2Vk' 5; then
  pass "tms show on a terminal prints the name escaped"
else fail "tms show on a terminal ($(cat "$work/rc" 2>/dev/null))"; fi
no_clipboard "tms show on a terminal"

finish e2e-hostile
