import TMSCore
import TMSRender

/// The timeline strip: the focused instance's training loss against log(1 + step) on a log
/// scale, so the first hundred steps, where most of the geometry forms, get as much room as
/// the last ninety thousand; under it a tick for every event (the focused instance's bright,
/// the others dim) and, while a recorded frame is shown, a cursor at its step through the
/// curve. The title says live or `history @ step N`, the frames kept and the memory they use.
struct TimelinePanel: Panel {
  let context: PanelContext

  func render(into buf: inout Buffer, area: Rect) -> [HitRegion] {
    let snap = context.snapshot
    let theme = context.theme
    let state = context.state
    let rec = state.recorded
    let k = context.k
    let liveStep = snap.liveStep ?? snap.step
    let inner = Block(
      title: title, rightTitle: rightTitle, focused: state.focus == .timeline, depth: theme.depth
    ).render(into: &buf, area: area)
    guard inner.height >= 2, inner.width >= 12 else { return [] }
    let xMax = max(1, Self.x(liveStep))
    let steps = snap.lossHistory.steps
    let losses = snap.lossHistory.series(instance: k)
    let points = zip(steps, losses).filter { $0.1.isFinite && $0.1 > 0 }.map {
      (x: Self.x($0.0), y: $0.1)
    }
    let plotRect = Rect(x: inner.x, y: inner.y, width: inner.width, height: inner.height - 1)
    let plot = LinePlot(
      series: [LinePlot.Series(points: points, color: theme.title)], logScaleY: true,
      xRange: 0...xMax, depth: theme.depth, minimumLabelWidth: 6)
    if points.isEmpty {
      buf.write(
        "waiting for steps…", x: inner.x, y: inner.y, style: Style(fg: theme.muted), clip: inner)
    } else {
      plot.render(into: &buf, area: plotRect)
    }
    let axis = points.isEmpty ? plotRect : plot.plotArea(in: plotRect)
    func column(_ step: Int) -> Int {
      axis.x + Int((Self.x(step) / xMax * Double(max(0, axis.width - 1))).rounded())
    }
    let tickRow = inner.bottom - 1
    let dim = Style(fg: theme.muted)
    buf.write("steps", x: inner.x, y: tickRow, style: dim, clip: inner)
    for event in rec.events where event.instance != k {
      buf.set(column(event.step), tickRow, Cell("·", style: dim), clip: axis.withRows(tickRow))
    }
    let mine = Style(fg: theme.warn, bold: true)
    for event in rec.events where event.instance == k {
      buf.set(column(event.step), tickRow, Cell("◆", style: mine), clip: axis.withRows(tickRow))
    }
    if let cursor = state.timeline {
      let x = column(cursor.step)
      for y in plotRect.y..<plotRect.bottom where axis.contains(column: x, row: y) {
        var cell = buf[x, y]
        if cell.symbol == " " { cell.symbol = "│" }
        cell.style = Style(fg: theme.accent, bold: true)
        buf[x, y] = cell
      }
      buf.set(x, tickRow, Cell("▲", style: Style(fg: theme.accent, bold: true)), clip: inner)
    }
    return []
  }

  /// The x position of `step`: log₁₀(1 + step).
  static func x(_ step: Int) -> Double { log10D(1 + Double(max(0, step))) }

  var title: String {
    let rec = context.state.recorded
    guard rec.isRecording else { return "timeline · not recording" }
    if let cursor = context.state.timeline {
      let i = (rec.index(atOrBefore: cursor.step) ?? 0) + 1
      let play = cursor.playing ? " · ▶ \(Format.number(cursor.pace)) s" : ""
      let stops = cursor.pauseAtEvents ? " · stops at events" : ""
      return "history @ step \(cursor.step.grouped) · frame \(i)/\(rec.steps.count)"
        + play + stops
    }
    let mb = Double(rec.bytes) / 1_048_576
    let budget = Double(rec.budget) / 1_048_576
    return "timeline · live · \(rec.steps.count) frames, \(Format.number(mb, significant: 2))"
      + " of \(Format.number(budget, significant: 2)) MB · \(rec.events.count) events"
  }

  var rightTitle: String {
    context.state.timeline == nil ? "t rewind" : "P replay · t live"
  }
}

extension Rect {
  /// The same columns, only row `y`.
  func withRows(_ y: Int) -> Rect { Rect(x: x, y: y, width: width, height: 1) }
}
