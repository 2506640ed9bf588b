import TMSCore
import TMSFiles
import TMSRender

extension Explorer {
  /// The feature directions W_i as lines from the origin, with the unit circle, labelled by
  /// feature index and coloured by importance. m = 2 is the paper's plane (the pentagon forms
  /// here); m = 1 is the line; m ≥ 3 is a rotatable projection of the first three hidden
  /// dimensions (`<` `>` yaw, `{` `}` pitch).
  func drawGeometry(
    _ buf: inout Buffer, _ area: Rect, _ snap: TrainingSnapshot, _ theme: Theme
  ) {
    let k = min(state.instance, snap.instances.count - 1)
    let inst = snap.instances[k]
    let m = snap.config.hidden
    let title: String =
      switch m {
      case 1: "geometry (1-D)"
      case 2: "geometry"
      default: m == 3 ? "geometry 3-D" : "geometry dims 1–3 of \(m)"
      }
    let inner = Block(
      title: title, rightTitle: "1−S \(Format.number(meanProbability(snap, k), significant: 2))",
      depth: theme.depth
    ).render(into: &buf, area: area)
    guard inner.height >= 2, inner.width >= 4 else { return }
    let labelArea = Rect(x: inner.x, y: inner.bottom - 1, width: inner.width, height: 1)
    let plotArea = Rect(x: inner.x, y: inner.y, width: inner.width, height: inner.height - 1)
    var canvas = geometryCanvas(inst, hidden: m, theme: theme, labels: snap.config.features <= 24)
    canvas.depth = theme.depth
    canvas.render(into: &buf, area: plotArea)
    buf.write(
      inst.metrics.geometry.text, x: labelArea.x, y: labelArea.y,
      style: Style(fg: theme.title, bold: true), maxWidth: labelArea.width)
  }

  /// The 2-D coordinates of every feature direction under the current projection.
  func projectedDirections(_ inst: InstanceSnapshot, hidden m: Int) -> [(
    x: Double, y: Double, depth: Double
  )] {
    inst.parameters.W.map { w in
      switch m {
      case 1: return (Double(w[0]), 0, 0)
      case 2: return (Double(w[0]), Double(w[1]), 0)
      default:
        let (x, y, z) = (Double(w[0]), Double(w[1]), Double(w[2]))
        let (cy, sy, cp, sp) = (
          cosD(state.yaw), sinD(state.yaw), cosD(state.pitch), sinD(state.pitch)
        )
        let x1 = cy * x + sy * z
        let z1 = -sy * x + cy * z
        let y2 = cp * y - sp * z1
        let z2 = sp * y + cp * z1
        return (x1, y2, z2)
      }
    }
  }

  func geometryCanvas(
    _ inst: InstanceSnapshot, hidden m: Int, theme: Theme, labels: Bool
  ) -> BrailleCanvas {
    let dirs = projectedDirections(inst, hidden: m)
    let maxNorm = inst.metrics.norms.max() ?? 1
    let r = max(1.15, maxNorm * 1.12)
    var canvas = BrailleCanvas(
      xRange: -r...r, yRange: -r...r, keepAspectRatio: true, depth: theme.depth)
    canvas.circle(x: 0, y: 0, radius: 1, color: theme.muted)
    let imp = inst.metrics.importance
    let top = imp.max() ?? 1
    let order = (0..<dirs.count).sorted { imp[$0] < imp[$1] }
    for i in order {
      let d = dirs[i]
      let rel = top > 0 ? imp[i] / top : 1
      let color = theme.importance(rel)
      if m == 1 {
        let y = 0.9 * r * (Double(i) / Double(max(1, dirs.count - 1)) - 0.5)
        canvas.line(x0: 0, y0: y, x1: d.x, y1: y, color: color)
      } else {
        canvas.line(x0: 0, y0: 0, x1: d.x, y1: d.y, color: color)
      }
    }
    if labels {
      for i in order where inst.metrics.norms[i] > 0.2 {
        let d = dirs[i]
        let y = m == 1 ? 0.9 * r * (Double(i) / Double(max(1, dirs.count - 1)) - 0.5) : d.y * 1.1
        canvas.label(
          "\(i)", x: d.x * 1.1, y: y,
          style: Style(fg: theme.importance(top > 0 ? imp[i] / top : 1), bold: true))
      }
    }
    return canvas
  }

  func meanProbability(_ snap: TrainingSnapshot, _ k: Int) -> Double {
    let row = snap.config.featureProbability[k]
    return row.reduce(0, +) / Double(max(1, row.count))
  }
}
