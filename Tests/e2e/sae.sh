#!/usr/bin/env bash
# End-to-end test of the SAE view (0): the real binary in tmux (private socket, no user
# config), driven with send-keys and read back with capture-pane, with the helpers of
# helpers.bash. Loads the teaching preset, watches the model form its pentagon and the SAE's
# latents align with it, raises λ until the latents die and checks that the view says so,
# then saves a snapshot holding the SAE. Works with no TTY and an empty environment.
set -uo pipefail

sock="tms-e2e-sae-$$"
source "$(dirname "$0")/helpers.bash"

# ---------------------------------------------------------------- the preset opens the SAE view
start -- --preset sae-intro --threads 2
if wait_for 'SAE controls' 30; then pass "--preset sae-intro opens the SAE view"; else fail "SAE view opens"; fi
if wait_for 'training the model first|step 10,000 · SAE' 10; then pass "the model trains first (the view says so) or is already done"; else fail "model stage shown"; fi
if wait_for 'step 10,000 · SAE [0-9]' 60; then pass "after 10,000 model steps the SAE trains (status: step 10,000 · SAE …)"; else fail "SAE starts after the model"; fi

# ---------------------------------------------------------------- latents align with the pentagon
if wait_for '5 features in a pentagon' 5; then pass "the model (#0) is a pentagon"; else fail "pentagon"; fi
if wait_for '5/5 features found' 60 && wait_for '✓ every feature has its latent' 5; then
  pass "the SAE's 5 latents align with the pentagon's 5 features (cos ≥ 0.99)"
else fail "latents align with the pentagon"; fi
if screen | matches 'recovery 1.000'; then pass "recovery (mean max cosine similarity) reads 1.000"; else fail "recovery 1.000"; fi
if screen | matches -E '││[A-E] +██'; then pass "the cosine panel lists the latents A–E"; else fail "cosine panel rows"; fi
if screen | matches '0 dead · resampled 0×'; then pass "no latent is dead at λ = 0.5"; else fail "no dead latents at λ 0.5"; fi

# ---------------------------------------------------------------- raise λ until latents die
tm send-keys -t app Tab
if wait_for 'SAE controls.*live' 3; then pass "Tab focuses the SAE sliders (λ, live)"; else fail "Tab focuses λ"; fi
for i in 1 2 3 4 5 6; do tm send-keys -t app ']'; sleep 0.2; done
if wait_for 'λ \(L1\).* 10│' 5; then pass "] raises λ to 10 (the slider's top)"; else fail "λ slider to 10"; fi
if wait_for '⚠ [1-5]/5 latents dead' 60; then pass "latents die: the summary counts them ($(screen | grep -oE '[1-5]/5 latents dead' | head -1))"; else fail "latents die at λ 10"; fi
if screen | matches 'λ too large'; then pass "the view says λ is too large"; else fail "λ too large"; fi
if screen | matches -E '[A-E] ✗'; then pass "the cosine panel marks dead latents ✗"; else fail "✗ marks"; fi
if screen | matches -E '│[A-E] .*dead│'; then pass "the firing panel marks dead latents"; else fail "firing panel dead"; fi

# ---------------------------------------------------------------- other SAE instances untouched
tm send-keys -t app n
if wait_for 'SAE #1 of 8' 3 && wait_for '✓ every feature has its latent|features not yet found' 5; then pass "n shows SAE #1, still at λ 0.5"; else fail "n moves to SAE #1"; fi
if screen | matches 'λ 0.5'; then pass "λ acted on the focused SAE instance only"; else fail "λ per instance"; fi

# ---------------------------------------------------------------- views, save, quit
tm send-keys -t app 1
if wait_for 'WᵀW' 3; then pass "1 returns to the overview"; else fail "1 overview"; fi
tm send-keys -t app 0
if wait_for 'SAE controls' 3; then pass "0 returns to the SAE view"; else fail "0 SAE view"; fi
tm send-keys -t app s
if wait_for 'saved snapshots/sae-intro-[0-9]+-' 10; then pass "s saves a snapshot"; else fail "s saves"; fi
saved=$(ls "$work"/snapshots/sae-intro-*.json 2>/dev/null | head -1)
if [ -n "$saved" ] && python3 - "$saved" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
assert d["version"] == 2 and d["config"]["sae"]["latents"] == 5
assert d["sae"]["step"] > 0 and len(d["sae"]["instances"]) == 8
assert d["config"]["sae"]["l1_coefficient"][0] == 10 and d["config"]["sae"]["l1_coefficient"][1] == 0.5
PY
then pass "the snapshot holds the SAE (version 2, λ 10 on #0, 0.5 elsewhere)"; else fail "saved SAE snapshot ($saved)"; fi
tm send-keys -t app q
if wait_exit && grep -q 'EXIT=0' "$work/rc"; then pass "q exits 0"; else fail "q exits 0 ($(cat "$work/rc" 2>/dev/null))"; fi

# ---------------------------------------------------------------- the saved SAE reopens
if [ -n "$saved" ]; then
  start -- --snapshot "$saved" --paused
  if wait_for 'SAE [0-9]' 30 && { tm send-keys -t app 0; wait_for 'SAE controls' 5; } && wait_for 'latents dead' 5; then
    pass "--snapshot reopens the run with its SAE (dead latents and all)"
  else fail "--snapshot reopens the SAE"; fi
  tm send-keys -t app q
  wait_exit
fi

finish e2e-sae
