"""A version-1 snapshot written by independent code (this script, from the format's
documentation in the README), so the format is pinned by more than tms's own encoder.

Run from this folder: python3 make-python-v1.py. Writes valid/python-v1.json: a relu-output
3→2 model with two instances at step 7, hand-chosen weights, AdamW moments and random
states, keys in Python's sorted order and integers where floats are whole. The Swift test
SnapshotFileTests.pythonWrittenV1Loads checks every value and trains on from it.
"""
import json

def instance(k):
    s = 1 if k == 0 else -1
    return {
        "parameters": {
            "W": [[0.5 * s, -0.25], [0.125, 0.75 * s], [-1.5, 0.0625]],
            "b": [-0.1, 0.2, 0],
        },
        "optimizer": {
            "step": 7,
            "m_W": [[0.001, -0.002], [0.003, 0], [-0.004, 0.005]],
            "v_W": [[1e-06, 2e-06], [3e-06, 0], [4e-06, 5e-06]],
            "m_b": [0.01, -0.02, 0.03],
            "v_b": [0.0001, 0.0002, 0.0003],
        },
        "random": {
            # xoshiro128++ words s0[0..7], s1[0..7], s2[0..7], s3[0..7]; none all zero.
            "lanes": [(1 + 97 * i + 1000 * k) % (2 ** 32) for i in range(32)],
            "group": 12345678901234567890 + k,
        },
        "train_loss_ema": 0.03125,
        "last_train_loss": 0.0625,
        "divergence": None,
    }

doc = {
    "format": "tms-snapshot",
    "version": 1,
    "created": "2026-01-01T00:00:00Z",
    "step": 7,
    "config": {
        "name": "python",
        "model": "relu-output",
        "features": 3,
        "hidden": 2,
        "instances": 2,
        "feature_probability": [[1, 1, 1], [0.25, 0.25, 0.25]],
        "importance": [[1, 0.5, 0.25], [1, 0.5, 0.25]],
        "groups": [],
        "batch_size": 64,
        "lr": 0.002,
        "beta1": 0.9,
        "beta2": 0.999,
        "eps": 1e-08,
        "weight_decay": 0.01,
        "schedule": "constant",
        "steps": 100,
        "seed": 3,
    },
    "instances": [instance(0), instance(1)],
    "loss_history": {"capacity": 512, "stride": 1, "steps": [1, 7], "loss": [[0.5, 0.25], [0.125, None]]},
}

with open("valid/python-v1.json", "w") as f:
    json.dump(doc, f, indent=2, sort_keys=True)
    f.write("\n")
