import TMSCore
import TMSRender

/// Every feature's dimensionality D_i of the focused instance over steps (0 … 1, same step
/// axis as the loss above it): the learning-dynamics picture, where D_i jump between the
/// tight-frame fractions as the loss drops. Feature colours follow importance order.
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
    guard history.steps.count >= 2 else {
      buf.write(
        "waiting for steps…", x: inner.x, y: inner.y, style: Style(fg: theme.muted),
        maxWidth: inner.width)
      return []
    }
    let steps = history.steps.map(Double.init)
    let importance = snap.instances[k].metrics.importance
    let order = (0..<n).sorted { (importance[$0], -$0) > (importance[$1], -$1) }
    let series = order.enumerated().reversed().map { rank, i in
      LinePlot.Series(
        points: zip(steps, history.series(instance: k, feature: i)).map { (x: $0.0, y: $0.1) },
        color: theme.series(rank, of: n))
    }
    LinePlot(
      series: series, xRange: LossPanel.stepAxis(snap), yRange: 0...1, depth: theme.depth,
      minimumLabelWidth: LossPanel.alignedLabelWidth
    ).render(into: &buf, area: inner)
    return []
  }
}
