import TMSCore
import TMSRender

/// The feature directions W_i as lines from the origin, with the unit circle, labelled by
/// feature index and coloured by importance. m = 2 is the paper's plane (the pentagon forms
/// here); m = 1 is the line; m ≥ 3 is a rotatable projection of the first three hidden
/// dimensions (`<` `>` yaw, `{` `}` pitch).
struct GeometryPanel: Panel {
  let context: PanelContext

  func render(into buf: inout Buffer, area: Rect) -> [HitRegion] {
    let ctx = context
    let inst = ctx.instance
    let m = ctx.snapshot.config.hidden
    let title: String =
      switch m {
      case 1: "geometry (1-D)"
      case 2: "geometry"
      default: m == 3 ? "geometry 3-D" : "geometry dims 1–3 of \(m)"
      }
    let inner = Block(
      title: title,
      rightTitle: "1−S \(Format.number(ctx.meanProbability(ctx.k), significant: 2))",
      depth: ctx.theme.depth
    ).render(into: &buf, area: area)
    guard inner.height >= 2, inner.width >= 4 else { return [] }
    let labelArea = Rect(x: inner.x, y: inner.bottom - 1, width: inner.width, height: 1)
    let plotArea = Rect(x: inner.x, y: inner.y, width: inner.width, height: inner.height - 1)
    let canvas = GeometryCanvas(
      instance: inst, hidden: m, yaw: ctx.state.yaw, pitch: ctx.state.pitch, theme: ctx.theme,
      labels: ctx.snapshot.config.features <= 24
    ).canvas()
    canvas.render(into: &buf, area: plotArea)
    buf.write(
      inst.metrics.geometry.text, x: labelArea.x, y: labelArea.y,
      style: Style(fg: ctx.theme.title, bold: true), maxWidth: labelArea.width)
    return []
  }
}

/// One instance's feature directions on a braille canvas (the geometry panel and the sweep
/// strip's small panels).
struct GeometryCanvas {
  let instance: InstanceSnapshot
  let hidden: Int
  let yaw: Double
  let pitch: Double
  let theme: Theme
  let labels: Bool

  /// The 2-D coordinates of every feature direction under the projection: m = 1 on the
  /// x axis, m = 2 as is, m ≥ 3 the first three dimensions rotated by yaw and pitch.
  func projected() -> [(x: Double, y: Double)] {
    instance.parameters.W.map { Self.project($0, hidden: hidden, yaw: yaw, pitch: pitch) }
  }

  /// One vector of the hidden space on the plot: m = 1 on the x axis, m = 2 as is, m ≥ 3 its
  /// first three components rotated by `yaw` about the vertical axis, then `pitch`.
  static func project(_ w: [Float], hidden: Int, yaw: Double, pitch: Double) -> (
    x: Double, y: Double
  ) {
    switch hidden {
    case 1: return (Double(w[0]), 0)
    case 2: return (Double(w[0]), Double(w[1]))
    default:
      let (cy, sy, cp, sp) = (cosD(yaw), sinD(yaw), cosD(pitch), sinD(pitch))
      let (x, y, z) = (Double(w[0]), Double(w[1]), Double(w[2]))
      let x1 = cy * x + sy * z
      let z1 = -sy * x + cy * z
      return (x1, cp * y - sp * z1)
    }
  }

  func canvas() -> BrailleCanvas {
    let dirs = projected()
    let maxNorm = instance.metrics.norms.max() ?? 1
    let r = max(1.15, maxNorm * 1.12)
    var canvas = BrailleCanvas(
      xRange: -r...r, yRange: -r...r, keepAspectRatio: true, depth: theme.depth)
    canvas.circle(x: 0, y: 0, radius: 1, color: theme.muted)
    let imp = instance.metrics.importance
    let top = imp.max() ?? 1
    let order = (0..<dirs.count).sorted { imp[$0] < imp[$1] }
    func rowY(_ i: Int) -> Double { 0.9 * r * (Double(i) / Double(max(1, dirs.count - 1)) - 0.5) }
    for i in order {
      let d = dirs[i]
      let color = theme.importance(top > 0 ? imp[i] / top : 1)
      if hidden == 1 {
        canvas.line(x0: 0, y0: rowY(i), x1: d.x, y1: rowY(i), color: color)
      } else {
        canvas.line(x0: 0, y0: 0, x1: d.x, y1: d.y, color: color)
      }
    }
    if labels {
      for i in order where instance.metrics.norms[i] > 0.2 {
        let d = dirs[i]
        canvas.label(
          "\(i)", x: d.x * 1.1, y: hidden == 1 ? rowY(i) : d.y * 1.1,
          style: Style(fg: theme.importance(top > 0 ? imp[i] / top : 1), bold: true))
      }
    }
    return canvas
  }
}
