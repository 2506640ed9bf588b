import TMSCore
import TMSRender

/// The compare view: two columns, the first run's and the second's, each titled with its
/// run and drawn by the same panels (WᵀW, geometry, feature norms) from its own snapshot and
/// the one explorer state, so one focus and one instance cursor drive both; under them both
/// runs' losses on one plot. Without a second run, a line says how to open one.
enum CompareView {
  /// The panels and their areas for a body area.
  static func layout(_ body: Rect, _ ctx: PanelContext) -> [PanelPlacement] {
    let lossHeight = min(12, max(6, body.height / 4))
    guard let second = ctx.second else {
      let parts = body.split(.vertical, [.length(1), .fill(1), .length(lossHeight)])
      return [
        PanelPlacement(CompareHintPanel(context: ctx), parts[0]),
        PanelPlacement(
          RunColumnPanel(context: ctx, color: CompareColors.first(ctx.theme)), parts[1]),
        PanelPlacement(CompareLossPanel(first: ctx, second: nil), parts[2]),
      ]
    }
    let other = PanelContext(
      snapshot: second.snapshot, state: ctx.state, derived: second.derived,
      depth: ctx.theme.depth)
    let parts = body.split(.vertical, [.fill(1), .length(lossHeight)])
    let columns = parts[0].split(.horizontal, [.percentage(50), .fill(1)], gap: 1)
    // Both titles in the same layout, the most detailed that fits the narrower column.
    let titleWidth = min(columns[0].width, columns[1].width)
    return [
      PanelPlacement(
        RunColumnPanel(
          context: ctx, color: CompareColors.first(ctx.theme), titleWidth: titleWidth,
          other: other),
        columns[0]),
      PanelPlacement(
        RunColumnPanel(
          context: other, color: CompareColors.second(ctx.theme), titleWidth: titleWidth,
          other: ctx),
        columns[1]),
      PanelPlacement(CompareLossPanel(first: ctx, second: other), parts[1]),
    ]
  }

  /// The compare view's own keys, for the help overlay (`C` and `M` work in every view).
  static let hints = [
    KeyHint("C", "second run: this run with the next seed (opens the compare view)"),
    KeyHint("M", "second run: the next model kind (linear first; opens the compare view)"),
    KeyHint("o", "compare view: pick a preset for the second run"),
    KeyHint("x", "compare view: close the second run"),
  ]
}

/// The two runs' colours, the same in the column titles and the loss plot's legend.
enum CompareColors {
  /// The first run's.
  static func first(_ theme: Theme) -> Color { theme.warn }
  /// The second run's.
  static func second(_ theme: Theme) -> Color { theme.accent }
}

/// The line shown in place of the second run's column while none is open.
struct CompareHintPanel: Panel {
  let context: PanelContext

  func render(into buf: inout Buffer, area: Rect) -> [HitRegion] {
    let texts = [
      "no second run: C another seed · M another model · o a preset · tms --compare FILE|PRESET",
      "no second run: C another seed · M another model · o a preset · --compare FILE",
      "no second run: C seed · M model · o preset · --compare FILE",
    ]
    let text = texts.first { Span($0).width <= area.width } ?? texts[texts.count - 1]
    buf.write(
      text, x: area.x, y: area.y, style: Style(fg: context.theme.muted), maxWidth: area.width)
    return []
  }
}

/// One run's column: a title line (name, model, seed, step, the focused instance's loss)
/// in the run's colour, then its heatmap and geometry side by side and its feature norms
/// under them (left out when the column is too short to show them usefully).
struct RunColumnPanel: Panel {
  let context: PanelContext
  let color: Color
  /// The width its title's layout is chosen for (the narrower of the two columns).
  var titleWidth: Int?
  /// The run in the other column, whose title takes the same layout.
  var other: PanelContext?

  func render(into buf: inout Buffer, area: Rect) -> [HitRegion] {
    guard area.height >= 3, area.width >= 8 else { return [] }
    let rows = area.split(.vertical, [.length(1), .fill(1)])
    let width = titleWidth ?? rows[0].width
    let level = [context, other].compactMap { $0 }.map { Self.titleLevel($0, width: width) }.max()
    buf.write(
      Self.titles(context)[level ?? 0], x: rows[0].x, y: rows[0].y,
      style: Style(fg: color, bold: true), maxWidth: rows[0].width)
    let body = rows[1]
    let withFeatures = body.height >= 20
    let parts =
      withFeatures ? body.split(.vertical, [.percentage(56), .fill(1)]) : [body]
    let top = parts[0].split(.horizontal, [.percentage(50), .fill(1)])
    var hits = HeatmapPanel(context: context).render(into: &buf, area: top[0])
    hits += GeometryPanel(context: context).render(into: &buf, area: top[1])
    if withFeatures {
      hits += FeaturesPanel(context: context).render(into: &buf, area: parts[1])
    }
    return hits
  }

  /// The most detailed of the title's layouts that fits `width` (the last when none does).
  static func titleLevel(_ ctx: PanelContext, width: Int) -> Int {
    let all = titles(ctx)
    return all.firstIndex { Span($0).width <= width } ?? all.count - 1
  }

  /// The column's title in its layouts, most detailed first.
  static func titles(_ ctx: PanelContext) -> [String] {
    let snap = ctx.snapshot
    let c = snap.config
    let loss = ctx.instance.metrics.trainLoss
    let lossText = loss.isNaN ? "–" : Format.number(loss)
    let step = snap.step.grouped
    let seed = "seed \(c.training.seed)"
    return [
      "\(c.name) · \(c.model.rawValue) · \(seed) · step \(step) · loss \(lossText)",
      "\(c.name): \(c.model.rawValue) \(seed), step \(step), loss \(lossText)",
      "\(c.model.rawValue) · \(seed) · step \(step) · loss \(lossText)",
      "\(c.model.rawValue) s\(c.training.seed) \(step) loss \(lossText)",
    ]
  }
}

/// Both runs' losses for the focused instance on one log plot, the first run's colour and
/// the second's, with a legend naming each run by model and seed.
struct CompareLossPanel: Panel {
  let first: PanelContext
  let second: PanelContext?

  func render(into buf: inout Buffer, area: Rect) -> [HitRegion] {
    let theme = first.theme
    // The view's own keys ride on the plot's frame, where the footer has no room for them.
    let keys = "C seed · M model · o preset" + (second == nil ? "" : " · x close")
    let inner = Block(title: "loss #\(first.k)", rightTitle: "log · " + keys, depth: theme.depth)
      .render(into: &buf, area: area)
    guard inner.height >= 2, inner.width >= 8 else { return [] }
    var runs = [(first, CompareColors.first(theme))]
    if let second { runs.append((second, CompareColors.second(theme))) }
    var legend: [Span] = []
    for (ctx, color) in runs {
      let c = ctx.snapshot.config
      if !legend.isEmpty { legend.append(Span("   ")) }
      legend.append(Span("━━ ", style: Style(fg: color, bold: true)))
      legend.append(Span("\(c.model.rawValue) seed \(c.training.seed)"))
    }
    _ = buf.write(
      legend, x: inner.x, y: inner.y,
      clip: Rect(x: inner.x, y: inner.y, width: inner.width, height: 1))
    let series = runs.map { ctx, color in
      let snap = ctx.snapshot
      let ys = snap.lossHistory.series(instance: ctx.k)
      let points = zip(snap.lossHistory.steps, ys)
        .filter { $0.1.isFinite && $0.1 > 0 }
        .map { (x: Double($0.0), y: $0.1) }
      return LinePlot.Series(points: points, color: color)
    }
    let plotArea = Rect(x: inner.x, y: inner.y + 1, width: inner.width, height: inner.height - 1)
    guard series.contains(where: { !$0.points.isEmpty }) else {
      buf.write(
        "waiting for steps…", x: plotArea.x, y: plotArea.y, style: Style(fg: theme.muted),
        maxWidth: plotArea.width)
      return []
    }
    LinePlot(series: series, logScaleY: true, depth: theme.depth)
      .render(into: &buf, area: plotArea)
    return []
  }
}
