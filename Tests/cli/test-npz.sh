#!/usr/bin/env bash
# Reads `tms export --npz` files with NumPy (plain numpy.load, no flags) and checks every
# array's shape, dtype and values against `tms train --json` and the snapshot it came from;
# also checks that the byte-level fixtures of the Swift tests are what NumPy reads.
# Needs python3 with numpy. Usage: Tests/cli/test-npz.sh  (TMS_BIN overrides the binary).
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
tms=${TMS_BIN:-$root/.build/release/tms}
[ -x "$tms" ] || { echo "test-npz: $tms not found; build with: swift build -c release" >&2; exit 2; }
python3 -c "import numpy" 2>/dev/null || { echo "test-npz: python3 with numpy is required" >&2; exit 2; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failed=0

check() {
  local name=$1; shift
  if ! "$tms" train "$@" --eval-samples 4096 --json --save "$work/$name.json" >"$work/$name.report.json" 2>"$work/$name.err"; then
    echo "FAIL $name: tms train failed"; cat "$work/$name.err"; failed=1; return
  fi
  "$tms" export "$work/$name.json" --npz "$work/$name.npz" 2>/dev/null
  if python3 - "$work/$name.npz" "$work/$name.report.json" "$work/$name.json" <<'PY'
import json, sys
import numpy as np

npz_path, report_path, snap_path = sys.argv[1:]
z = np.load(npz_path)                      # plain numpy.load: no allow_pickle, no flags
report = json.load(open(report_path))
snap = json.load(open(snap_path))
cfg = snap["config"]
K, n, m = cfg["instances"], cfg["features"], cfg["hidden"]
abs_model = cfg["model"] == "abs"
P = len(snap["loss_history"]["steps"])

def expect(cond, what):
    if not cond:
        raise SystemExit(f"{what}")

shapes = {
    "W": ((K, n, m), np.float32), "b": ((K, n), np.float32),
    "feature_probability": ((K, n), np.float64), "importance": ((K, n), np.float64),
    "norms": ((K, n), np.float64), "superposition": ((K, n), np.float64),
    "dimensionality": ((K, n), np.float64), "dimensions_per_feature": ((K,), np.float64),
    "eval_loss": ((K,), np.float64), "eval_loss_se": ((K,), np.float64),
    "train_loss_ema": ((K,), np.float64),
    "loss_history": ((K, P), np.float64), "loss_history_steps": ((P,), np.int64),
    "step": ((), np.int64),
}
if abs_model:
    shapes["W2"] = ((K, n, m), np.float32)
expect(set(z.files) == set(shapes), f"arrays {sorted(z.files)} != {sorted(shapes)}")
for name, (shape, dtype) in shapes.items():
    expect(z[name].shape == shape, f"{name}: shape {z[name].shape}, expected {shape}")
    expect(z[name].dtype == dtype, f"{name}: dtype {z[name].dtype}, expected {dtype}")

# Against `tms train --json` (exact: both come from the same Float/Double values).
wkey = "W1" if abs_model else "W"
for k, inst in enumerate(report["instances"]):
    p, mt = inst["parameters"], inst["metrics"]
    expect(np.array_equal(z["W"][k], np.array(p[wkey], dtype=np.float32)), f"W[{k}] differs from --json")
    if abs_model:
        expect(np.array_equal(z["W2"][k], np.array(p["W2"], dtype=np.float32)), f"W2[{k}] differs")
    expect(np.array_equal(z["b"][k], np.array(p["b"], dtype=np.float32)), f"b[{k}] differs")
    for key in ["feature_probability", "importance"]:
        expect(np.array_equal(z[key][k], np.array(inst[key])), f"{key}[{k}] differs from --json")
    for key in ["norms", "superposition", "dimensionality"]:
        expect(np.array_equal(z[key][k], np.array(mt[key])), f"{key}[{k}] differs from --json")
    expect(z["dimensions_per_feature"][k] == mt["dimensions_per_feature"], f"D*[{k}] differs")
    expect(z["eval_loss"][k] == mt["eval_loss"], f"eval_loss[{k}] {z['eval_loss'][k]} != {mt['eval_loss']}")
    expect(z["eval_loss_se"][k] == mt["eval_loss_se"], f"eval_loss_se[{k}] {z['eval_loss_se'][k]} != {mt['eval_loss_se']}")

# Against the snapshot file.
for k, inst in enumerate(snap["instances"]):
    expect(np.array_equal(z["W"][k], np.array(inst["parameters"][wkey], dtype=np.float32)), f"W[{k}] != snapshot")
    ema = inst["train_loss_ema"]  # null before the first step: NaN in the .npz
    expect(np.isnan(z["train_loss_ema"][k]) if ema is None else z["train_loss_ema"][k] == ema,
           f"train_loss_ema[{k}] != snapshot")
expect(np.array_equal(z["feature_probability"], np.array(cfg["feature_probability"])), "p != config")
expect(np.array_equal(z["loss_history_steps"], np.array(snap["loss_history"]["steps"], dtype=np.int64)), "history steps")
if P:
    expect(np.array_equal(z["loss_history"], np.array(snap["loss_history"]["loss"]).T), "loss history")
expect(int(z["step"]) == snap["step"] == report["steps"], "step")

# The figures the paper plots, recomputed in NumPy from W: norms, and WᵀW's diagonal.
W = z["W"].astype(np.float64)
expect(np.allclose(np.linalg.norm(W, axis=2), z["norms"], rtol=1e-5, atol=1e-6), "norms vs ‖W_i‖")
print(f"ok   {K}×{n}×{m} {cfg['model']}: {len(shapes)} arrays match --json and the snapshot")
PY
  then :; else echo "FAIL $name"; failed=1; fi
}

check intro --steps 400 --threads 1
check abs --model abs --features 12 --hidden 6 --instances 3 --probability-sweep 1 0.1 --steps 200
check hidden --model relu-hidden --features 10 --hidden 5 --instances 4 --importance-decay 0.75 --steps 200
check wide --features 40 --hidden 8 --instances 4 --probability-sweep 1 0.05 --batch 256 --steps 100
check untrained --steps 0

# The Swift tests' byte-level fixtures must be what NumPy itself reads.
if python3 - "$root/Tests/TMSEngineTests/Fixtures/npz" <<'PY'
import sys, os
import numpy as np
folder = sys.argv[1]
z = np.load(os.path.join(folder, "tiny.npz"))
for name in z.files:
    a = np.load(os.path.join(folder, name + ".npy"))
    assert a.dtype == z[name].dtype and a.shape == z[name].shape and np.array_equal(a, z[name]), name
assert z["W"].shape == (2, 3, 2) and z["W"].dtype == np.float32 and int(z["step"]) == 12345
print(f"ok   fixtures: tiny.npz and {len(z.files)} .npy files read by numpy {np.__version__}")
PY
then :; else echo "FAIL fixtures"; failed=1; fi

exit $failed
