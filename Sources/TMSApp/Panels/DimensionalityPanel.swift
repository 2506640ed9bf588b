import TMSCore
import TMSRender

/// Dimensions per feature D* = m/‖W‖_F² against 1/(1−S) (log x) for every instance, every
/// feature's D_i as dots, and the tight-frame fractions (1, 3/4, 2/3, 1/2, 2/5, 3/8) as
/// labelled reference lines: the sticky plateaus appear as training proceeds.
struct DimensionalityPanel: Panel {
  let context: PanelContext

  func render(into buf: inout Buffer, area: Rect) -> [HitRegion] {
    let snap = context.snapshot
    let theme = context.theme
    let inner = Block(
      title: "dimensionality: D* (line) and D_i (dots) vs 1/(1−S)", rightTitle: "log x",
      depth: theme.depth
    ).render(into: &buf, area: area)
    guard inner.height >= 4, inner.width >= 16 else { return [] }
    let (xs, xMax) = Self.sweepAxis(context)
    let plot = Rect(x: inner.x + 5, y: inner.y, width: inner.width - 5, height: inner.height - 1)
    var canvas = BrailleCanvas(xRange: -0.02...xMax, yRange: 0...1.1, depth: theme.depth)
    let references: [(Double, String)] = [
      (1, "1"), (0.75, "3/4"), (2.0 / 3, "2/3"), (0.5, "1/2"), (0.4, "2/5"), (0.375, "3/8"),
    ]
    for (v, _) in references {
      canvas.line(x0: 0, y0: v, x1: xMax, y1: v, color: theme.muted)
    }
    for (k, inst) in snap.instances.enumerated() {
      for (i, d) in inst.metrics.dimensionality.enumerated() where inst.metrics.norms[i] > 0.1 {
        canvas.point(x: xs[k], y: min(1.1, d), color: theme.series(k, of: snap.instances.count))
      }
    }
    let curve = snap.instances.enumerated().map {
      (x: xs[$0.offset], y: min(1.1, $0.element.metrics.dimensionsPerFeature))
    }.sorted { $0.x < $1.x }
    canvas.polyline(curve, color: theme.title)
    canvas.render(into: &buf, area: plot)
    for (v, label) in references {
      if let cell = canvas.cell(forX: 0, y: v, in: plot) {
        buf.write(label, x: inner.x, y: cell.row, style: Style(fg: theme.muted), maxWidth: 4)
      }
    }
    let axis =
      "1/(1−S): 1 … \(Format.number(xMax > 0 ? powD(10, xs.max() ?? 0) : 1, significant: 2))"
    buf.write(
      axis, x: plot.x, y: inner.bottom - 1, style: Style(fg: theme.muted), maxWidth: plot.width)
    return []
  }

  /// Each instance's x = log₁₀ 1/(1−S) and the axis end, shared by the dimensionality and
  /// attack-gain plots so their instances line up.
  static func sweepAxis(_ context: PanelContext) -> (xs: [Double], xMax: Double) {
    let xs = context.snapshot.instances.indices.map { k in
      log10D(1 / max(1e-6, context.meanProbability(k)))
    }
    return (xs, max(0.5, (xs.max() ?? 1) * 1.05))
  }
}
