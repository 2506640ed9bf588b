import ArgumentParser
import Foundation
import TMSCore
import TMSFiles
import TMSRender

/// `tms show`: a snapshot's panels printed once, for scripts, CI logs and READMEs.
struct Show: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Print a snapshot's panels once (ANSI colours on a terminal, else plain text).",
    discussion: """
      Draws WᵀW with b, the ‖W_i‖ bars coloured by superposition, the feature directions and \
      the loss for one instance, then a table of every instance. Colours only when stdout is \
      a terminal and NO_COLOR is unset (or with --color always).
      """)

  @Argument(help: "The snapshot file.")
  var file: String
  @Option(help: "The instance whose panels are drawn (default: the last, the sparsest of a sweep).")
  var instance: Int?
  @Flag(help: "Draw the panels of every instance.")
  var all = false
  @Option(help: "Width in columns (default: the terminal's, else 100).")
  var width: Int?
  @Option(help: "Colours.")
  var color: ColorMode = .auto

  func run() throws {
    let snapshot = try loadSnapshot(file)
    let k = snapshot.config.instances
    if let instance, instance < 0 || instance >= k {
      throw CLIError("--instance: must be in 0…\(k - 1), got \(instance)")
    }
    let tty = isatty(STDOUT_FILENO) == 1
    let noColor = !(ProcessInfo.processInfo.environment["NO_COLOR"] ?? "").isEmpty
    let depth: ColorDepth =
      color == .always || (color == .auto && tty && !noColor) ? .xterm256 : .monochrome
    let columns = width ?? Self.terminalColumns(tty: tty)
    guard columns >= 60 && columns <= 1000 else {
      throw CLIError("--width: must be in 60…1000, got \(columns)")
    }
    let view = SnapshotView(snapshot: snapshot, depth: depth, width: columns)
    let shown = all ? Array(0..<k) : [instance ?? k - 1]
    var parts = [view.header().ansiText(depth: depth)]
    for i in shown { parts.append(view.panels(instance: i).ansiText(depth: depth)) }
    parts.append(view.table().ansiText(depth: depth))
    print(parts.joined(separator: "\n"))
  }

  static func terminalColumns(tty: Bool) -> Int {
    if let c = ProcessInfo.processInfo.environment["COLUMNS"].flatMap(Int.init), c >= 60 {
      return min(c, 1000)
    }
    var size = winsize()
    if tty, ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col >= 60 {
      return Int(size.ws_col)
    }
    return 100
  }
}

/// Renders a snapshot's panels into Buffers with the TMSRender widgets.
struct SnapshotView {
  let snapshot: Snapshot
  let depth: ColorDepth
  let width: Int

  var muted: Color { depth == .xterm256 ? .indexed(244) : .terminalDefault }

  func header() -> Buffer {
    let c = snapshot.config
    var buf = Buffer(width: width, height: 2)
    let title = Style(bold: true).adapted(to: depth)
    let x = buf.write(c.name, x: 0, y: 0, style: title)
    buf.write(
      "  \(c.model.rawValue)  n=\(c.features) m=\(c.hidden) K=\(c.instances)  step \(snapshot.step)"
        + "  seed \(c.training.seed)  lr \(Format.number(c.training.learningRate))"
        + "  batch \(c.training.batchSize)",
      x: x, y: 0, maxWidth: width - x)
    buf.write(
      "losses: notebook convention (mean over batch and features; × n for the paper's)",
      x: 0, y: 1, style: Style(fg: muted).adapted(to: depth), maxWidth: width)
    return buf
  }

  /// WᵀW + b | ‖W_i‖ bars | geometry, then the loss, for instance `k`.
  func panels(instance k: Int) -> Buffer {
    let c = snapshot.config
    let s = snapshot.instances[k]
    let n = c.features
    let top = max(10, min(n + 3, 26))
    let lossHeight = 8
    var buf = Buffer(width: width, height: 1 + top + lossHeight)
    let p = c.featureProbability[k].reduce(0, +) / Double(max(1, n))
    let loss = s.metrics.evalLoss.isFinite ? s.metrics.evalLoss : s.trainLossEMA
    let x = buf.write("instance \(k)", x: 0, y: 0, style: Style(bold: true).adapted(to: depth))
    buf.write(
      "  1−S \(Format.number(p))  loss \(Format.number(loss, significant: 4))  "
        + "represented \(s.metrics.represented)/\(n)  D* \(Format.number(s.metrics.dimensionsPerFeature))  "
        + s.metrics.geometry.text, x: x, y: 0, maxWidth: width - x)
    let row = Rect(x: 0, y: 1, width: width, height: top)
    let cols = row.split(.horizontal, [.percentage(34), .percentage(33), .fill(1)])
    drawHeatmap(&buf, cols[0], s)
    drawNorms(&buf, cols[1], s, importance: c.importance[k])
    drawGeometry(&buf, cols[2], s, importance: c.importance[k])
    drawLoss(&buf, Rect(x: 0, y: 1 + top, width: width, height: lossHeight), k)
    return buf
  }

  func drawHeatmap(_ buf: inout Buffer, _ area: Rect, _ s: Snapshot.InstanceState) {
    let n = snapshot.config.features
    let inner = Block(title: "WᵀW  b", depth: depth).render(into: &buf, area: area)
    guard inner.height >= 2 else { return }
    let map = Heatmap(
      rows: n, cols: n, values: s.metrics.gram,
      colormap: DivergingColormap(scale: 1, depth: depth), bias: s.parameters.b, magnify: true)
    map.render(
      into: &buf, area: Rect(x: inner.x, y: inner.y, width: inner.width, height: inner.height - 1))
    ColorLegend(colormap: DivergingColormap(scale: 1, depth: depth)).render(
      into: &buf,
      area: Rect(x: inner.x, y: inner.bottom - 1, width: min(inner.width, 24), height: 1))
  }

  func drawNorms(
    _ buf: inout Buffer, _ area: Rect, _ s: Snapshot.InstanceState, importance: [Double]
  ) {
    let m = s.metrics
    let n = m.norms.count
    let right = "\(m.represented)/\(n)┊\(Format.number(m.representedThreshold))"
    let inner = Block(title: "‖W_i‖ by superposition", rightTitle: right, depth: depth).render(
      into: &buf, area: area)
    guard inner.height >= 1 else { return }
    let order = (0..<n).sorted { (importance[$0], -$0) > (importance[$1], -$1) }
    let rows = min(n, inner.height)
    let shown = Array(order.prefix(rows == n ? n : max(0, rows - 1)))
    let colormap = SequentialColormap(range: 0...1, depth: depth)
    let bars = BarChart(
      items: shown.map { i in
        BarChart.Item(
          label: "\(i)", value: Float(m.norms[i]),
          color: colormap.color(for: Float(min(1, max(0, m.superposition[i].squareRoot())))),
          valueText: Format.fixed(m.norms[i], decimals: 2))
      }, maxValue: Float(max(1.2, m.norms.max() ?? 1)), threshold: Float(m.representedThreshold),
      depth: depth)
    bars.render(
      into: &buf, area: Rect(x: inner.x, y: inner.y, width: inner.width, height: shown.count))
    if shown.count < n {
      buf.write(
        "… \(n - shown.count) more", x: inner.x, y: inner.y + shown.count,
        style: Style(fg: muted).adapted(to: depth), maxWidth: inner.width)
    }
  }

  func drawGeometry(
    _ buf: inout Buffer, _ area: Rect, _ s: Snapshot.InstanceState, importance: [Double]
  ) {
    let m = snapshot.config.hidden
    let title = m == 1 ? "geometry (1-D)" : m == 2 ? "geometry" : "geometry dims 1–2 of \(m)"
    let inner = Block(title: title, depth: depth).render(into: &buf, area: area)
    guard inner.height >= 2, inner.width >= 4 else { return }
    let r = max(1.15, (s.metrics.norms.max() ?? 1) * 1.12)
    var canvas = BrailleCanvas(xRange: -r...r, yRange: -r...r, keepAspectRatio: true, depth: depth)
    canvas.circle(x: 0, y: 0, radius: 1, color: muted)
    let top = importance.max() ?? 1
    let n = importance.count
    let order = (0..<n).sorted { importance[$0] < importance[$1] }
    func colorFor(_ i: Int) -> Color {
      guard depth == .xterm256 else { return .terminalDefault }
      let ramp: [UInt8] = [93, 129, 164, 199, 203, 209, 215, 221, 227, 229]
      let rel = top > 0 ? importance[i] / top : 1
      return .indexed(ramp[Int((min(1, max(0, rel)) * Double(ramp.count - 1)).rounded())])
    }
    func point(_ i: Int) -> (Double, Double) {
      let w = s.parameters.W[i]
      if m == 1 { return (Double(w[0]), 0.9 * r * (Double(i) / Double(max(1, n - 1)) - 0.5)) }
      return (Double(w[0]), Double(w[1]))
    }
    for i in order {
      let (x, y) = point(i)
      canvas.line(x0: 0, y0: m == 1 ? y : 0, x1: x, y1: y, color: colorFor(i))
    }
    if n <= 24 {
      for i in order where s.metrics.norms[i] > 0.2 {
        let (x, y) = point(i)
        canvas.label(
          "\(i)", x: x * 1.1, y: m == 1 ? y : y * 1.1, style: Style(fg: colorFor(i), bold: true))
      }
    }
    canvas.render(into: &buf, area: inner)
  }

  func drawLoss(_ buf: inout Buffer, _ area: Rect, _ k: Int) {
    let h = snapshot.lossHistory
    let series = h.series(instance: k)
    let last = series.last(where: \.isFinite)
    let inner = Block(
      title: "training loss (EMA)",
      rightTitle: last.map { "last \(Format.number($0, significant: 4))" } ?? "",
      depth: depth
    ).render(into: &buf, area: area)
    guard !series.isEmpty else {
      buf.write(
        "no loss history in this snapshot", x: inner.x, y: inner.y,
        style: Style(fg: muted).adapted(to: depth))
      return
    }
    let points = zip(h.steps, series).map { (x: Double($0.0), y: $0.1) }
    let plot = LinePlot(
      series: [
        LinePlot.Series(points: points, color: depth == .xterm256 ? .indexed(75) : .terminalDefault)
      ],
      logScaleY: true, depth: depth)
    plot.render(into: &buf, area: inner)
  }

  /// One line per instance: 1−S, loss, represented, D*, geometry.
  func table() -> Buffer {
    let rows = snapshot.instances.count
    var buf = Buffer(width: width, height: rows + 1)
    buf.write(
      "  k   1−S(mean)  loss (notebook)  represented  D*      geometry", x: 0, y: 0,
      style: Style(bold: true).adapted(to: depth))
    for (k, s) in snapshot.instances.enumerated() {
      let c = snapshot.config
      let p = c.featureProbability[k].reduce(0, +) / Double(max(1, c.features))
      let loss = s.metrics.evalLoss.isFinite ? s.metrics.evalLoss : s.trainLossEMA
      let line =
        String(
          format: "%3d   %8.4f   %14.6f  %6d/%-4d  %6.3f  ", k, p, loss, s.metrics.represented,
          c.features, s.metrics.dimensionsPerFeature) + s.metrics.geometry.text
      buf.write(line, x: 0, y: k + 1, maxWidth: width)
    }
    return buf
  }
}
