import TMSCore
import TMSRender

/// The adversarial picture beside the dimensionality one: for every instance, the attack
/// gain ‖WᵀW‖₂ (how far a worst-case input perturbation of unit size moves the output; 1 for
/// dedicated features) as dots, and features per dimension 1/D* as a line, both against
/// 1/(1−S) on the dimensionality view's log axis. The paper found vulnerability rising in
/// step with features per dimension; the linear model stays at 1.
struct AttackGainPanel: Panel {
  let context: PanelContext

  func render(into buf: inout Buffer, area: Rect) -> [HitRegion] {
    let snap = context.snapshot
    let theme = context.theme
    let derived = context.derived.attackGains
    let gains =
      derived.count == snap.instances.count ? derived : DerivedValues.attackGains(snap)
    let perDimension = snap.instances.map { inst in
      inst.metrics.dimensionsPerFeature > 0 ? 1 / inst.metrics.dimensionsPerFeature : 0
    }
    let k = context.k
    let inner = Block(
      title: "attack gain ‖WᵀW‖₂ (dots) and features per dimension 1/D* (line)",
      rightTitle: gains[k].isNaN
        ? "too large to compute live (see tms train)"
        : "#\(k) \(Format.number(gains[k], significant: 3))", depth: theme.depth
    ).render(into: &buf, area: area)
    guard inner.height >= 3, inner.width >= 16 else { return [] }
    let (xs, xMax) = DimensionalityPanel.sweepAxis(context)
    let finite = (gains + perDimension).filter(\.isFinite)
    let yMax = max(1.5, (finite.max() ?? 1) * 1.1)
    let plot = Rect(x: inner.x + 5, y: inner.y, width: inner.width - 5, height: inner.height)
    var canvas = BrailleCanvas(xRange: -0.02...xMax, yRange: 0...yMax, depth: theme.depth)
    canvas.line(x0: 0, y0: 1, x1: xMax, y1: 1, color: theme.muted)
    let curve = zip(xs, perDimension).map { (x: $0.0, y: min(yMax, $0.1)) }.sorted { $0.x < $1.x }
    canvas.polyline(curve, color: theme.title)
    for (i, g) in gains.enumerated() where g.isFinite {
      canvas.point(x: xs[i], y: min(yMax, g), color: theme.series(i, of: gains.count))
    }
    canvas.render(into: &buf, area: plot)
    for (v, label) in [(1.0, "1"), (yMax / 1.1, Format.number(yMax / 1.1, significant: 2))] {
      if let cell = canvas.cell(forX: 0, y: v, in: plot) {
        buf.write(label, x: inner.x, y: cell.row, style: Style(fg: theme.muted), maxWidth: 4)
      }
    }
    return []
  }
}
