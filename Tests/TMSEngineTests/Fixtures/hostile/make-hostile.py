"""Fixtures that carry terminal escape sequences, as an attacker would write them.

Run from this folder: python3 make-hostile.py. Every string below that tms shows holds
OSC 52 (write the clipboard), a screen clear, a C1 CSI and BEL; the tests check that the CLI
(Tests/cli/test-hostile.sh), the explorer's cells (TMSTerminalTests) and the readers'
errors (TMSEngineTests) show them escaped (`^[`, `\\x9b`, `^G`) and never pass them on.
"""
import json

OSC52 = "\x1b]52;c;SGFja2Vk\x07"  # base64 "Hacked"
CLEAR = "\x1b[2J"
C1 = "\u009b31m"

preset = {
    "name": "evil" + OSC52 + CLEAR,
    "description": "A preset whose text hides" + OSC52 + " escape sequences" + C1 + ".",
    "expect": "Nothing" + CLEAR + " on screen.",
    "features": 5,
    "hidden": 2,
    "instances": 2,
    "steps": 20,
}
with open("escape-preset.json", "w") as f:
    json.dump(preset, f, indent=1)

bad = {"features": 5, "feat" + OSC52 + "ures": 3}
with open("escape-key-preset.json", "w") as f:
    json.dump(bad, f, indent=1)

bad_value = {"features": 5, "model": "relu" + OSC52 + CLEAR}
with open("escape-value-preset.json", "w") as f:
    json.dump(bad_value, f, indent=1)

with open("../snapshots/valid/intro-small.json") as f:
    snapshot = json.load(f)
snapshot["config"]["name"] = "snap" + OSC52 + CLEAR
snapshot["instances"][0]["divergence"] = "loss became inf" + OSC52 + C1 + " at step 3"
with open("escape-snapshot.json", "w") as f:
    json.dump(snapshot, f, indent=1)
