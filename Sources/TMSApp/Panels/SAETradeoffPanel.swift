import TMSCore
import TMSRender

/// The λ trade-off across SAE instances: each instance is a point at its L0 (mean active
/// latents, →) and its reconstruction error E‖h − ĥ‖² (↑), both on log axes, coloured by its
/// recovery (dark: features not found, bright: every feature found), joined in order of λ;
/// the focused instance is labelled. Large λ moves a point left and up (sparse, lossy, latents
/// dying); small λ right and down (dense codes). A λ sweep (sae-l1-sweep) draws the curve.
struct SAETradeoffPanel: Panel {
  let context: PanelContext

  func render(into buf: inout Buffer, area: Rect) -> [HitRegion] {
    let ctx = context
    let theme = ctx.theme
    let inner = Block(
      title: "λ trade-off: L0 → E‖h−ĥ‖² ↑", rightTitle: "colour = recovery",
      depth: theme.depth
    ).render(into: &buf, area: area)
    guard inner.height >= 3, inner.width >= 20 else { return [] }
    guard let sae = ctx.sae else {
      buf.write(
        "one point per SAE instance once the SAE trains", x: inner.x, y: inner.y,
        style: Style(fg: theme.muted), maxWidth: inner.width)
      return []
    }
    let floor = 1e-9
    let points = sae.instances.map { inst in
      (
        lambda: inst.metrics.l1Coefficient,
        x: log10D(max(floor, inst.metrics.l0)),
        y: log10D(max(floor, inst.metrics.reconstruction)),
        recovery: inst.metrics.recovery,
        known: inst.metrics.l0.isFinite && inst.metrics.reconstruction.isFinite
      )
    }
    let known = points.filter(\.known)
    guard !known.isEmpty else {
      buf.write(
        "waiting for the first SAE steps", x: inner.x, y: inner.y,
        style: Style(fg: theme.muted), maxWidth: inner.width)
      return []
    }
    let xs = known.map(\.x)
    let ys = known.map(\.y)
    let (x0, x1) = Self.padded(xs.min()!, xs.max()!)
    let (y0, y1) = Self.padded(ys.min()!, ys.max()!)
    let labelWidth = 8
    let plot = Rect(
      x: inner.x + labelWidth, y: inner.y, width: inner.width - labelWidth,
      height: inner.height - 1)
    var canvas = BrailleCanvas(xRange: x0...x1, yRange: y0...y1, depth: theme.depth)
    if Set(known.map(\.lambda)).count > 1 {
      let byLambda = known.sorted { $0.lambda < $1.lambda }
      canvas.polyline(byLambda.map { (x: $0.x, y: $0.y) }, color: theme.muted)
    }
    let colors = SequentialColormap(range: 0.5...1, depth: theme.depth)
    let dx = (x1 - x0) / Double(max(1, plot.width * 2))
    let dy = (y1 - y0) / Double(max(1, plot.height * 4))
    for p in known {
      let color = colors.color(for: Float(p.recovery.isFinite ? p.recovery : 0))
      for (ox, oy) in [(0.0, 0.0), (dx, 0), (-dx, 0), (0, dy), (0, -dy)] {
        canvas.point(x: p.x + ox, y: p.y + oy, color: color)
      }
    }
    let focus = ctx.saeIndex
    if focus < points.count, points[focus].known {
      let p = points[focus]
      canvas.label(
        "#\(focus) λ \(Format.number(p.lambda, significant: 2))", x: p.x + 2 * dx, y: p.y,
        style: Style(fg: theme.title, bold: true))
    }
    canvas.render(into: &buf, area: plot)
    let muted = Style(fg: theme.muted)
    buf.write(
      Format.number(powD(10, y1), significant: 2), x: inner.x, y: plot.y, style: muted,
      maxWidth: labelWidth - 1)
    buf.write(
      Format.number(powD(10, y0), significant: 2), x: inner.x, y: plot.bottom - 1, style: muted,
      maxWidth: labelWidth - 1)
    let left = "L0 " + Format.number(powD(10, x0), significant: 2)
    let right = Format.number(powD(10, x1), significant: 2)
    buf.write(left, x: plot.x, y: inner.bottom - 1, style: muted, maxWidth: plot.width)
    buf.write(
      right, x: max(plot.x + left.count + 1, plot.right - right.count), y: inner.bottom - 1,
      style: muted, maxWidth: right.count)
    return []
  }

  /// A log range around [lo, hi] with a little margin, at least a tenth of a decade wide.
  static func padded(_ lo: Double, _ hi: Double) -> (Double, Double) {
    let span = max(0.1, hi - lo)
    let mid = (lo + hi) / 2
    return (mid - 0.55 * span, mid + 0.55 * span)
  }
}
