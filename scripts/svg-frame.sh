#!/usr/bin/env bash
# Renders one frame of an animated SVG from `tms export --animate` to PNG, to look at it as a
# reader would: the animation elements are removed, frame K is the only frame left (made
# visible), and rsvg-convert draws the result.
# Usage: scripts/svg-frame.sh ANIMATED.svg K OUT.png   (K: 0 = first frame … or "last";
#        negative K counts from the end). Needs python3 and rsvg-convert (librsvg2-bin).
set -euo pipefail

if [ $# -ne 3 ]; then
  echo "usage: scripts/svg-frame.sh ANIMATED.svg K OUT.png" >&2
  exit 2
fi
src=$1 frame=$2 out=$3
command -v rsvg-convert >/dev/null || { echo "svg-frame: rsvg-convert is not installed (apt-get install librsvg2-bin)" >&2; exit 2; }
command -v python3 >/dev/null || { echo "svg-frame: python3 is required" >&2; exit 2; }
static=$(mktemp --suffix=.svg)
trap 'rm -f "$static"' EXIT

python3 - "$src" "$frame" "$static" <<'PY'
import sys
import xml.etree.ElementTree as ET

src, want, dst = sys.argv[1:]
ns = "http://www.w3.org/2000/svg"
ET.register_namespace("", ns)
try:
    root = ET.parse(src).getroot()
except (OSError, ET.ParseError) as e:
    sys.exit(f"svg-frame: {src}: {e}")
frames = [g for g in root.iter(f"{{{ns}}}g") if g.get("class") == "frame"]
if not frames:
    sys.exit(f"svg-frame: {src}: no frame groups (is it from tms export --animate?)")
try:
    k = len(frames) - 1 if want == "last" else int(want)
except ValueError:
    sys.exit(f"svg-frame: K must be an integer or last, got {want}")
if k < 0:
    k += len(frames)
if not 0 <= k < len(frames):
    sys.exit(f"svg-frame: K must be in 0…{len(frames) - 1} (or -1…-{len(frames)}), got {want}")
keep = frames[k]
for parent in list(root.iter()):
    for child in list(parent):
        if child.tag in (f"{{{ns}}}animate", f"{{{ns}}}set"):
            parent.remove(child)
        elif child.get("class") == "frame" and child is not keep:
            parent.remove(child)
keep.set("visibility", "visible")
ET.ElementTree(root).write(dst, encoding="utf-8", xml_declaration=True)
print(f"frame {k} of {len(frames)}, step {keep.get('data-step')}", file=sys.stderr)
PY
rsvg-convert "$static" -o "$out"
