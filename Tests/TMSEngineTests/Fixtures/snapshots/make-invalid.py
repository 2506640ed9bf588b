"""Invalid snapshot fixtures, each derived from a valid one with one defect.

Run from this folder: python3 make-invalid.py. Writes invalid/*.json and
invalid/expected-errors.txt (file TAB the exact message tms prints after "FILE: "); the Swift
test SnapshotFileTests.invalidFixturesAreRejected checks every line.
"""
import copy
import json
import os

with open("valid/intro-small.json") as f:
    intro_text = f.read()
intro = json.loads(intro_text)
with open("valid/abs-small.json") as f:
    absm = json.load(f)
with open("valid/sae-small.json") as f:
    saem = json.load(f)
with open("valid/history-small.json") as f:
    hist = json.load(f)

cases = []


def write(name, text, message):
    with open(os.path.join("invalid", name), "w") as f:
        f.write(text)
    cases.append((name, message))


def edit(name, base, change, message):
    doc = copy.deepcopy(base)
    change(doc)
    write(name, json.dumps(doc, indent=1), message)


write("truncated.json", intro_text[: len(intro_text) * 6 // 10],
      f"truncated: the file ends inside the document (after {len(intro_text.encode()) * 0 + len(intro_text[: len(intro_text) * 6 // 10].encode())} bytes)")
write("empty.json", "", "truncated: the file is empty")
write("not-json.json", "hello\n", "not valid JSON at line 1, column 1: unexpected 'h'")
write("trailing-text.json", '{"format": "tms-snapshot"} x\n',
      "not valid JSON at line 1, column 28: unexpected text after the end of the document")
write("duplicate-key.json", '{"format": "tms-snapshot", "format": "tms-snapshot"}',
      'not valid JSON at line 1, column 28: the key "format" appears twice in one object')
edit("wrong-format.json", intro, lambda d: d.update(format="tms-preset"),
     'not a tms snapshot (format is "tms-preset", expected "tms-snapshot")')
write("no-format.json", json.dumps({"name": "intro", "features": 5}),
      'not a tms snapshot (no "format" field)')
write("array-document.json", "[1, 2, 3]", "not a tms snapshot (the document is a list, not an object)")
edit("newer-version.json", intro, lambda d: d.update(version=4),
     "snapshot version 4 is newer than this tms reads (up to 3); update tms")
edit("missing-step.json", intro, lambda d: d.pop("step"), "step: is missing")
edit("negative-step.json", intro, lambda d: d.update(step=-5), "step: must be ≥ 0, got -5")
edit("w-short-row.json", intro, lambda d: d["instances"][0]["parameters"]["W"][1].pop(),
     "instances[0].parameters.W[1]: has 1 values, expected m = 2")
edit("w-missing-row.json", intro, lambda d: d["instances"][2]["parameters"]["W"].pop(),
     "instances[2].parameters.W: has 4 rows, expected n = 5")
edit("b-too-long.json", intro, lambda d: d["instances"][1]["parameters"]["b"].append(0.5),
     "instances[1].parameters.b: has 6 values, expected n = 5")
edit("nan-weight.json", intro,
     lambda d: d["instances"][0]["parameters"]["W"][2].__setitem__(1, float("nan")),
     "instances[0].parameters.W[2][1]: is NaN; must be finite")
edit("infinite-bias.json", intro,
     lambda d: d["instances"][1]["parameters"]["b"].__setitem__(0, float("inf")),
     "instances[1].parameters.b[0]: is Infinity; must be finite")
edit("null-weight.json", intro,
     lambda d: d["instances"][0]["parameters"]["W"][0].__setitem__(0, None),
     "instances[0].parameters.W[0][0]: must be a number, got null")
edit("string-weight.json", intro,
     lambda d: d["instances"][0]["parameters"]["W"][0].__setitem__(0, "0.5"),
     "instances[0].parameters.W[0][0]: must be a number, got a string")
write("float-overflow.json", intro_text.replace('"W": [\n          [', '"W": [\n          [1e39, ', 1)
      .replace("[1e39, ", "[1e39, ", 1), "")  # placeholder, fixed below
edit("nan-moment.json", intro,
     lambda d: d["instances"][2]["optimizer"]["m_b"].__setitem__(3, float("nan")),
     "instances[2].optimizer.m_b[3]: is NaN; must be finite")
edit("negative-second-moment.json", intro,
     lambda d: d["instances"][0]["optimizer"]["v_W"][0].__setitem__(0, -1.0),
     "instances[0].optimizer.v_W[0][0]: is -1.0; must be ≥ 0")
edit("moment-shape.json", intro, lambda d: d["instances"][1]["optimizer"]["m_W"].pop(),
     "instances[1].optimizer.m_W: has 4 rows, expected n = 5")
edit("negative-adam-step.json", intro, lambda d: d["instances"][0]["optimizer"].update(step=-1),
     "instances[0].optimizer.step: must be ≥ 0, got -1")
edit("instances-count.json", intro, lambda d: d["instances"].pop(),
     "instances: has 2 entries, expected one per instance (config.instances = 3)")
edit("bad-probability.json", intro,
     lambda d: d["config"]["feature_probability"][0].__setitem__(0, 1.5),
     "config.feature_probability[0][0]: must be in [0, 1], got 1.5")
edit("config-nan-lr.json", intro, lambda d: d["config"].update(lr=float("nan")),
     "config.lr: is NaN; must be a finite number")
edit("config-missing-features.json", intro, lambda d: d["config"].pop("features"),
     "config.features: is missing")
edit("config-unknown-model.json", intro, lambda d: d["config"].update(model="transformer"),
     "config.model: must be one of linear, relu-output, relu-hidden, abs; got 'transformer'")
edit("dead-random-lane.json", intro,
     lambda d: [d["instances"][0]["random"]["lanes"].__setitem__(8 * w + 3, 0) for w in range(4)],
     "instances[0].random.lanes: lane 3 is all zero, which xoshiro128++ never reaches")
edit("random-lanes-count.json", intro, lambda d: d["instances"][0]["random"]["lanes"].pop(),
     "instances[0].random.lanes: has 31 values, expected 32 (4 words × 8 lanes)")
edit("random-lane-range.json", intro,
     lambda d: d["instances"][0]["random"]["lanes"].__setitem__(0, 2**32),
     "instances[0].random.lanes[0]: must be an integer in 0…4294967295, got 4294967296")
edit("abs-missing-w2.json", absm, lambda d: d["instances"][0]["parameters"].pop("W2"),
     "instances[0].parameters.W2: is missing")
edit("abs-with-w.json", absm,
     lambda d: d["instances"][0]["parameters"].__setitem__("W", d["instances"][0]["parameters"].pop("W1")),
     "instances[0].parameters.W: the abs model stores W1 and W2, not W")
edit("tied-with-w2.json", intro,
     lambda d: d["instances"][0]["parameters"].__setitem__("W2", d["instances"][0]["parameters"]["W"]),
     "instances[0].parameters.W2: only the abs model has W2")
edit("history-row.json", intro, lambda d: d["loss_history"]["loss"][0].pop(),
     "loss_history.loss[0]: has 2 values, expected one per instance (3)")
edit("history-steps-order.json", intro,
     lambda d: d["loss_history"]["steps"].__setitem__(1, d["loss_history"]["steps"][0]),
     "loss_history.steps[1]: must increase, got 1 after 1")

# The SAE section (version 2), from a snapshot tms wrote with an SAE of 3 latents × 2.
sae_step = saem["sae"]["instances"][0]["optimizer"]["step"]
edit("sae-in-version-1.json", saem, lambda d: d.update(version=1),
     "sae: an SAE needs snapshot version 2, but the file says 1")
edit("sae-without-config.json", saem, lambda d: d["config"].pop("sae"),
     "sae: the snapshot has an SAE state but config.sae is missing")
edit("sae-config-missing-key.json", saem, lambda d: d["config"]["sae"].pop("latents"),
     "config.sae.latents: is missing")
edit("sae-instances-count.json", saem, lambda d: d["sae"]["instances"].pop(),
     "sae.instances: has 1 entries, expected one per SAE instance (config.sae.instances = 2)")
edit("sae-wdec-short-row.json", saem,
     lambda d: d["sae"]["instances"][0]["parameters"]["W_dec"][0].pop(),
     "sae.instances[0].parameters.W_dec[0]: has 1 values, expected m = 2")
edit("sae-nan-weight.json", saem,
     lambda d: d["sae"]["instances"][1]["parameters"]["W_enc"][2].__setitem__(0, float("nan")),
     "sae.instances[1].parameters.W_enc[2][0]: is NaN; must be finite")
edit("sae-negative-second-moment.json", saem,
     lambda d: d["sae"]["instances"][0]["optimizer"]["v"]["b_enc"].__setitem__(1, -1.0),
     "sae.instances[0].optimizer.v.b_enc[1]: is -1.0; must be ≥ 0")
edit("sae-last-fired-future.json", saem,
     lambda d: d["sae"]["instances"][0]["last_fired"].__setitem__(0, sae_step + 5),
     f"sae.instances[0].last_fired[0]: must be in 0…{sae_step}, got {sae_step + 5}")
edit("sae-dead-random-lane.json", saem,
     lambda d: [d["sae"]["instances"][1]["random"]["lanes"].__setitem__(8 * w + 6, 0) for w in range(4)],
     "sae.instances[1].random.lanes: lane 6 is all zero, which xoshiro128++ never reaches")

edit("history-in-version-2.json", hist, lambda d: d.update(version=2),
     "history: a recorded history needs snapshot version 3, but the file says 2")
edit("history-frames-order.json", hist,
     lambda d: d["history"]["frames"][3].update(step=d["history"]["frames"][2]["step"]),
     "history.frames[3].step: must increase, got 2 after 2")
edit("history-frame-after-step.json", hist,
     lambda d: d["history"]["frames"][-1].update(step=d["step"] + 1),
     f"history.frames[{len(hist['history']['frames']) - 1}].step: is {hist['step'] + 1}, after the snapshot's step {hist['step']}")
edit("history-config-index.json", hist, lambda d: d["history"]["frames"][5].update(config=7),
     "history.frames[5].config: must index history.configs (0…0), got 7")
edit("history-frame-instances.json", hist, lambda d: d["history"]["frames"][1]["labels"].pop(),
     "history.frames[1]: must hold one set of weights, loss and label per instance")
edit("history-nan-weight.json", hist,
     lambda d: d["history"]["frames"][4]["parameters"][2]["W"][1].__setitem__(0, float("nan")),
     "history.frames[4].parameters[2].W[1][0]: is NaN; must be finite")
edit("history-event-instance.json", hist, lambda d: d["history"]["events"][0].update(instance=3),
     "history.events[0].instance: must be in 0…2, got 3")
edit("history-spacing.json", hist, lambda d: d["history"].update(spacing=0),
     "history.spacing: must be a number > 0 and ≤ 1048576, got 0.0")
edit("history-spacing-huge.json", hist, lambda d: d["history"].update(spacing=1e300),
     "history.spacing: must be a number > 0 and ≤ 1048576, got 1e+300")

# A Float overflow needs the literal text 1e39 (json.dumps would keep it as 1e+39).
text = intro_text.replace('"W": [\n          [', '"W": [\n          [1e39, ', 1)
doc = json.loads(text)
doc["instances"][0]["parameters"]["W"][0].pop(1)
write("float-overflow.json", json.dumps(doc, indent=1).replace("1e+39", "1e39"),
      "instances[0].parameters.W[0][0]: is 1e39, outside the range of a 32-bit float")
cases = [c for c in cases if c[1] != ""]

with open("invalid/expected-errors.txt", "w") as f:
    f.write("# file<TAB>message printed after 'FILE: ' (generated by make-invalid.py)\n")
    for name, message in cases:
        f.write(f"{name}\t{message}\n")
print(len(cases), "invalid fixtures")
