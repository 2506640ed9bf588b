import TMSEngine
import TMSRender

extension Explorer {
  /// Training loss (EMA, notebook convention) over steps on a log scale: the focused instance
  /// bright, the others in their series colours when `all` is set.
  func drawLoss(
    _ buf: inout Buffer, _ area: Rect, _ snap: TrainingSnapshot, _ theme: Theme, all: Bool
  ) {
    let k = min(state.instance, snap.instances.count - 1)
    let m = snap.instances[k].metrics
    let eval = m.evalLoss.isFinite ? " eval \(Format.number(m.evalLoss))" : ""
    let title = "loss #\(k) \(m.trainLoss.isNaN ? "–" : Format.number(m.trainLoss))" + eval
    let inner = Block(title: title, rightTitle: "log", depth: theme.depth).render(
      into: &buf, area: area)
    guard inner.height >= 2, inner.width >= 8 else { return }
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
      return
    }
    LinePlot(series: list, logScaleY: true, depth: theme.depth).render(into: &buf, area: inner)
  }
}
