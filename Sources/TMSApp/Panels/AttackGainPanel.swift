import TMSCore
import TMSFiles
import TMSRender

extension Explorer {
  /// The adversarial picture beside the dimensionality one: for every instance, the attack
  /// gain ‖WᵀW‖₂ (how far a worst-case input perturbation of unit size moves the output;
  /// 1 for dedicated features) as dots, and features per dimension 1/D* as a line, both
  /// against 1/(1−S) on the dimensionality view's log axis. The paper found vulnerability
  /// rising in step with features per dimension; the linear model stays at 1.
  func drawAttackGain(_ buf: inout Buffer, _ area: Rect, _ snap: TrainingSnapshot, _ theme: Theme) {
    let gains = attackGains(snap)
    let perDimension = snap.instances.map { inst in
      inst.metrics.dimensionsPerFeature > 0 ? 1 / inst.metrics.dimensionsPerFeature : 0
    }
    let k = min(state.instance, snap.instances.count - 1)
    let inner = Block(
      title: "attack gain ‖WᵀW‖₂ (dots) and features per dimension 1/D* (line)",
      rightTitle: gains[k].isNaN
        ? "too large to compute live (see tms train)"
        : "#\(k) \(Format.number(gains[k], significant: 3))", depth: theme.depth
    ).render(into: &buf, area: area)
    guard inner.height >= 3, inner.width >= 16 else { return }
    let (xs, xMax) = sweepAxis(snap)
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
  }

  /// Largest K·(n·m² + 8m³) (the Gram and Jacobi work) computed live, about 20 ms; the
  /// 200→20 × 20 preset is 2.9 million.
  static let attackGainLiveLimit = 12_000_000

  /// Every instance's gain (NaN above ``attackGainLiveLimit``), recomputed at most twice a
  /// second while training runs (a few milliseconds for 200→20 × 20, too much for every
  /// frame); a paused or different run is always computed afresh.
  func attackGains(_ snap: TrainingSnapshot) -> [Double] {
    let now = ContinuousClock.now
    if let cached = attackGainCache {
      if cached.snapshot === snap { return cached.gains }
      if snap.status == .running, cached.snapshot.config == snap.config,
        now - cached.at < .milliseconds(500)
      {
        return cached.gains
      }
    }
    let m = snap.config.hidden
    // The headless `tms train` table and JSON have it for any size.
    let work = snap.config.instances * (snap.config.features * m * m + 8 * m * m * m)
    guard m <= AttackGain.exactUpTo, work <= Self.attackGainLiveLimit else {
      return Array(repeating: .nan, count: snap.instances.count)
    }
    let gains = snap.instances.map {
      AttackGain.of($0.parameters.W, W2: $0.parameters.W2, hidden: m)
    }
    attackGainCache = (snap, now, gains)
    return gains
  }
}
