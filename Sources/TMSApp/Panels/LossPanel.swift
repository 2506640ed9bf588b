import TMSCore
import TMSRender

/// Training loss (EMA, notebook convention) over steps on a log scale, titled with the
/// held-out loss ± its standard error: the focused instance bright, the others in their series colours when `all` is set; `aligned` shares the step
/// axis and label column with the D_i plot under it.
struct LossPanel: Panel {
  let context: PanelContext
  var all = false
  var aligned = false

  func render(into buf: inout Buffer, area: Rect) -> [HitRegion] {
    let snap = context.snapshot
    let theme = context.theme
    let k = context.k
    let m = snap.instances[k].metrics
    let error =
      m.evalLossError.isFinite ? " ± \(Format.number(m.evalLossError, significant: 2))" : ""
    let eval = m.evalLoss.isFinite ? " eval \(Format.number(m.evalLoss))" + error : ""
    let title = "loss #\(k) \(m.trainLoss.isNaN ? "–" : Format.number(m.trainLoss))" + eval
    let inner = Block(title: title, rightTitle: "log", depth: theme.depth).render(
      into: &buf, area: area)
    guard inner.height >= 2, inner.width >= 8 else { return [] }
    let steps = snap.lossHistory.steps.map(Double.init)
    func series(_ i: Int, _ color: Color) -> LinePlot.Series {
      let ys = snap.lossHistory.series(instance: i)
      let pts = zip(steps, ys).filter { $0.1.isFinite && $0.1 > 0 }.map { (x: $0.0, y: $0.1) }
      return LinePlot.Series(points: pts, color: color)
    }
    var list: [LinePlot.Series] = []
    if all {
      for i in 0..<snap.instances.count where i != k {
        list.append(series(i, theme.series(i, of: snap.instances.count)))
      }
    }
    list.append(series(k, theme.title))
    guard list.contains(where: { $0.points.count >= 1 }) else {
      buf.write("waiting for steps…", x: inner.x, y: inner.y, style: Style(fg: theme.muted))
      return []
    }
    LinePlot(
      series: list, logScaleY: true, xRange: aligned ? Self.stepAxis(snap) : nil,
      depth: theme.depth, minimumLabelWidth: aligned ? Self.alignedLabelWidth : 0
    ).render(into: &buf, area: inner)
    return []
  }

  /// Label column width shared by the loss and D_i plots of the loss view.
  static let alignedLabelWidth = 6

  /// The steps both plots of the loss view span: from the first recorded loss or D_i point
  /// to the latest, so the D_i jumps sit under the loss drops they go with.
  static func stepAxis(_ snap: TrainingSnapshot) -> ClosedRange<Double>? {
    let firsts = [snap.lossHistory.steps.first, snap.dimensionalityHistory.steps.first]
      .compactMap { $0 }
    let lasts = [snap.lossHistory.steps.last, snap.dimensionalityHistory.steps.last]
      .compactMap { $0 }
    guard let lo = firsts.min(), let hi = lasts.max(), hi > lo else { return nil }
    return Double(lo)...Double(hi)
  }
}
