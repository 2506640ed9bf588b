import TMSCore
import TMSRender

/// Every feature's dimensionality D_i of the focused instance over steps (0 … 1, same step
/// axis as the loss above it): the learning-dynamics picture, where D_i jump between the
/// tight-frame fractions as the loss drops. Feature colours follow importance order. While
/// the timeline shows a recorded frame, or when the run was reopened from a snapshot, the
/// values come from the recorded frames.
struct DimensionalityHistoryPanel: Panel {
  let context: PanelContext

  func render(into buf: inout Buffer, area: Rect) -> [HitRegion] {
    let snap = context.snapshot
    let theme = context.theme
    let k = context.k
    let history = snap.dimensionalityHistory
    let inner = Block(
      title: "D_i of #\(k) over steps", rightTitle: "0 … 1", depth: theme.depth
    ).render(into: &buf, area: area)
    guard inner.height >= 2, inner.width >= 8 else { return [] }
    let n = snap.config.features
    guard
      DimensionalityHistory.isRecording(instances: snap.config.instances, features: n)
    else {
      buf.write(
        "kept for runs of at most \(DimensionalityHistory.maxValues) instance × features",
        x: inner.x, y: inner.y, style: Style(fg: theme.muted), maxWidth: inner.width)
      return []
    }
    let importance = snap.instances[k].metrics.importance
    let order = (0..<n).sorted { (importance[$0], -$0) > (importance[$1], -$1) }
    // Feature i's D_i over steps, from the recorded frames or the live log.
    let points: (Int) -> [(x: Double, y: Double)]
    let xRange: ClosedRange<Double>?
    if let recorded = Self.recorded(snap, instance: k, replaying: context.state.timeline != nil) {
      let frames = recorded.frames
      points = { i in frames.map { (x: Double($0.step), y: Double($0.dimensionality[k][i])) } }
      xRange =
        LossPanel.stepAxis(snap).map { min($0.lowerBound, 0)...$0.upperBound }
        ?? Double(frames[0].step)...Double(frames[frames.count - 1].step)
    } else {
      guard history.steps.count >= 2 else {
        buf.write(
          "waiting for steps…", x: inner.x, y: inner.y, style: Style(fg: theme.muted),
          maxWidth: inner.width)
        return []
      }
      let steps = history.steps.map(Double.init)
      points = { i in
        zip(steps, history.series(instance: k, feature: i)).map { (x: $0.0, y: $0.1) }
      }
      xRange = LossPanel.stepAxis(snap)
    }
    let series = order.enumerated().reversed().map { rank, i in
      LinePlot.Series(points: points(i), color: theme.series(rank, of: n))
    }
    LinePlot(
      series: series, xRange: xRange, yRange: 0...1, depth: theme.depth,
      minimumLabelWidth: LossPanel.alignedLabelWidth
    ).render(into: &buf, area: inner)
    return []
  }

  /// The recorded history to draw instead of the live log: while a recorded frame is shown
  /// (its D_i are the frames' own) or when the live log has too few steps, as in a run
  /// reopened from a snapshot; nil without two frames of this run's shape.
  static func recorded(_ snap: TrainingSnapshot, instance k: Int, replaying: Bool) -> RunHistory? {
    guard let h = snap.history, h.frames.count >= 2,
      replaying || snap.dimensionalityHistory.steps.count < 2,
      h.frames.allSatisfy({
        $0.dimensionality.count > k && $0.dimensionality[k].count == snap.config.features
      })
    else { return nil }
    return h
  }
}
