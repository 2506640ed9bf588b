#!/usr/bin/env bash
# Tests of `tms sae` against the release binary (TMS_BIN overrides it): the JSON report's
# keys and what they hold, recovery on the teaching setup, a snapshot continued exactly,
# the SAE in a snapshot and its .npz (read with plain numpy.load), and bad input as one line
# with exit 2. Needs python3 with numpy.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$root"
bin=${TMS_BIN:-.build/release/tms}
[[ -x $bin ]] || { echo "test-sae: no executable at '$bin' (swift build -c release)" >&2; exit 2; }
bin=$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")
python3 -c "import numpy" 2>/dev/null || { echo "test-sae: python3 with numpy is required" >&2; exit 2; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export XDG_CONFIG_HOME=$work/config
unset TMS_PRESETS
source "$root/Tests/lib/checks.bash"

run() {
  local out=$1 err=$2
  shift 2
  status=0
  "$bin" "$@" </dev/null >"$out" 2>"$err" || status=$?
}

# --- The teaching setup, as JSON ------------------------------------------------------------
run "$work/teach.json" "$work/teach.err" sae --threads 2 --eval-samples 8192 --json \
  --save "$work/teach-snap.json"
if [[ $status == 0 ]]; then pass "tms sae (sae-intro) runs"; else fail "tms sae runs" "$(cat "$work/teach.err")"; fi
if python3 - "$work/teach.json" <<'PY'; then pass "report: keys, 8 SAEs of 5 latents, recovery ≥ 0.985 (best 1.000), no dead latents, spliced loss above the model's"; else fail "teaching-setup report"; fi
import json, sys, math
d = json.load(open(sys.argv[1]))
for key in ["loss_convention", "sae_loss", "config", "model_steps", "model_seconds", "steps",
            "seconds", "steps_per_second", "threads", "eval_samples", "summary", "instances"]:
    assert key in d, f"missing {key}"
c = d["config"]
assert c["name"] == "sae-intro" and c["features"] == 5 and c["hidden"] == 2 and c["instances"] == 8
s = c["sae"]
assert s["latents"] == 5 and s["instances"] == 8 and s["l1_coefficient"] == [0.5] * 8, s
assert s["unit_norm_decoder"] is True and s["resample"] is True
assert d["model_steps"] == 10000 and d["steps"] == 10000 and d["eval_samples"] == 8192
assert len(d["instances"]) == 8
rec = [i["metrics"]["recovery"] for i in d["instances"]]
assert abs(d["summary"]["recovery_mean"] - sum(rec) / 8) < 1e-12
assert d["summary"]["recovery_mean"] >= 0.985, rec
assert d["summary"]["recovery_best"] >= 0.9999, rec
assert d["summary"]["dead_fraction_mean"] == 0
for i in d["instances"]:
    p, m = i["parameters"], i["metrics"]
    assert len(p["W_enc"]) == 5 and len(p["W_enc"][0]) == 2 and len(p["b_enc"]) == 5
    assert len(p["W_dec"]) == 5 and len(p["b_dec"]) == 2
    for col in p["W_dec"]:
        assert abs(math.hypot(*col) - 1) < 1e-5, "unit-norm decoder columns"
    for key in ["l1_coefficient", "model_instance", "step", "loss", "reconstruction", "mse", "l0",
                "firing", "dead", "dead_fraction", "resamples", "recovery", "feature_recovery",
                "feature_latent", "latent_feature", "represented", "cosine", "held_out"]:
        assert key in m, f"metrics.{key} missing"
    assert len(m["cosine"]) == 5 and len(m["cosine"][0]) == 5
    assert max(max(row) for row in m["cosine"]) <= 1 + 1e-6
    assert abs(max(m["feature_recovery"]) - max(max(r) for r in m["cosine"])) < 1e-6
    h = m["held_out"]
    assert h["samples"] == 8192 and h["spliced_loss"] > h["model_loss"] > 0
    assert abs(h["spliced_loss_increase"] - (h["spliced_loss"] - h["model_loss"])) < 1e-15
    assert abs(h["mse"] - h["reconstruction"] / 2) < 1e-15
    assert 0.02 < h["l0"] < 0.08, h["l0"]
PY

# --- The snapshot: version 2, continued exactly -----------------------------------------------
if python3 -c "
import json,sys; d=json.load(open('$work/teach-snap.json'))
assert d['version'] == 2 and d['sae']['step'] == 10000 and len(d['sae']['instances']) == 8
assert d['config']['sae']['latents'] == 5"; then pass "--save writes a version-2 snapshot with the SAE"; else fail "SAE snapshot"; fi

# 300 + 200 SAE steps from the snapshot = 500 at once, bit for bit (another thread count).
run "$work/a.json" "$work/a.err" sae --snapshot "$work/teach-snap.json" --sae-steps 500 --threads 1 --eval-samples 512 --json
run "$work/mid.json" "$work/mid.err" sae --snapshot "$work/teach-snap.json" --sae-steps 300 --threads 2 --eval-samples 512 --save "$work/mid-snap.json" --json
run "$work/b.json" "$work/b.err" sae --snapshot "$work/mid-snap.json" --sae-steps 200 --threads 2 --eval-samples 512 --json
if python3 - "$work/a.json" "$work/b.json" <<'PY'; then pass "a snapshot continues exactly (300 + 200 SAE steps = 500, 1 vs 2 threads)"; else fail "SAE resume" "$(cat "$work/b.err")"; fi
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:])
assert a["steps"] == 10500 and b["steps"] == 10500, (a["steps"], b["steps"])
for x, y in zip(a["instances"], b["instances"]):
    assert x["parameters"] == y["parameters"]
    assert x["metrics"]["held_out"] == y["metrics"]["held_out"]
PY

# --- The .npz ---------------------------------------------------------------------------------
run "$work/out" "$work/err" export "$work/teach-snap.json" --npz "$work/teach.npz"
if [[ $status == 0 ]] && python3 - "$work/teach.npz" "$work/teach-snap.json" <<'PY'; then pass ".npz holds the SAE's arrays (numpy.load, shapes, values = the snapshot's)"; else fail ".npz SAE arrays" "$(cat "$work/err")"; fi
import json, sys
import numpy as np
z = np.load(sys.argv[1])
snap = json.load(open(sys.argv[2]))
S, d, m, n = 8, 5, 2, 5
shapes = {"sae_W_enc": (S, d, m), "sae_b_enc": (S, d), "sae_W_dec": (S, d, m), "sae_b_dec": (S, m),
          "sae_l1_coefficient": (S,), "sae_model_instance": (S,), "sae_cosine": (S, d, n),
          "sae_feature_recovery": (S, n), "sae_recovery": (S,), "sae_firing": (S, d),
          "sae_dead": (S, d), "sae_reconstruction_ema": (S,), "sae_l0_ema": (S,), "sae_step": ()}
for name, shape in shapes.items():
    assert z[name].shape == shape, (name, z[name].shape)
assert z["sae_W_dec"].dtype == np.float32 and z["sae_dead"].dtype == np.int64
for s, inst in enumerate(snap["sae"]["instances"]):
    assert np.array_equal(z["sae_W_dec"][s], np.array(inst["parameters"]["W_dec"], dtype=np.float32))
    assert np.array_equal(z["sae_b_enc"][s], np.array(inst["parameters"]["b_enc"], dtype=np.float32))
    assert abs(z["sae_recovery"][s] - inst["metrics"]["recovery"]) < 1e-12
assert int(z["sae_step"]) == 10000
assert list(z["sae_model_instance"]) == list(range(8))
PY

# --- Any preset, a λ sweep, the table ---------------------------------------------------------
run "$work/sweep.txt" "$work/sweep.err" sae --preset intro --steps 2000 --sae-instances 3 --l1-sweep 0.1 10 --sae-steps 500 --eval-samples 1024
if [[ $status == 0 ]] && grep -q "SAE 5 latents × 3, 500 steps" "$work/sweep.txt" \
  && grep -qE '^ +2 +2 +10 ' "$work/sweep.txt" && grep -q "recovery (mean max cosine similarity" "$work/sweep.txt"; then
  pass "on a preset without an SAE: one latent per feature, one SAE per instance, --l1-sweep across them"
else
  fail "tms sae --preset intro" "$(cat "$work/sweep.txt" "$work/sweep.err")"
fi

# --- Bad input: one line, exit 2 --------------------------------------------------------------
expect_error() {
  local name=$1 fragment=$2
  shift 2
  run "$work/out" "$work/err" sae --steps 10 --sae-steps 1 "$@"
  if [[ $status == 2 && $(wc -l <"$work/err") == 1 && ! -s $work/out ]] && grep -qF -- "$fragment" "$work/err"; then
    pass "$name"
  else
    fail "$name" "status $status" "$(cat "$work/err")"
  fi
}
expect_error "--l1 -1 names the flag and range" "--l1: must be in [0, 1e6], got -1.0" --l1 -1
expect_error "--latents 0 names the flag and range" "--latents: must be an integer in 1…4096, got 0" --latents 0
expect_error "--l1 with --l1-sweep is refused" "--l1 and --l1-sweep: give one" --l1 0.5 --l1-sweep 0.1 1
expect_error "--l1-sweep with one value" "--l1-sweep: needs two values LOW HIGH" --l1-sweep 0.1
expect_error "--model-instance beyond K" "--model-instance (sae.model_instance): must be one of the model's instances, 0…7, got 8" --model-instance 8
expect_error "--sae-lr 0" "--sae-lr: must be a finite number > 0" --sae-lr 0
expect_error "--dead-steps 0" "--dead-steps: must be an integer in 1…" --dead-steps 0
run "$work/out" "$work/err" sae --snapshot "$work/teach-snap.json" --features 7
if [[ $status == 2 ]] && grep -qF "cannot be combined with --features" "$work/err"; then pass "--snapshot refuses model flags"; else fail "--snapshot with --features" "$(cat "$work/err")"; fi
run "$work/out" "$work/err" sae --snapshot "$work/missing.json"
if [[ $status == 1 && $(wc -l <"$work/err") == 1 ]]; then pass "a missing snapshot is one line, exit 1"; else fail "missing snapshot" "$(cat "$work/err")"; fi
TMS_MEMORY_LIMIT=64M run "$work/out" "$work/err" sae --steps 10 --latents 4096 --sae-instances 1024 --sae-steps 1
if [[ $status == 2 && $(wc -l <"$work/err") == 1 ]] && grep -qF "memory: an SAE of 4096 latents × 1024 instances" "$work/err"; then pass "an SAE that does not fit is refused in one line"; else fail "SAE memory" "status $status" "$(cat "$work/err")"; fi

finish "test-sae"
