import TMSCore
import TMSRender

/// The results view: a sweep's result file (live while it grows) as the phase diagram
/// generalised. Any two axes make a heatmap of any metric (rows = the y axis, columns = the
/// x axis, in the order of the axes' values); every other axis is a slider holding its
/// value fixed; the cursor cell's numbers are on the right. Keys: `x` / `y` put the next
/// axis across / down, `t` swaps them, `m` the next metric, `a` the next slider, `[` `]`
/// move it, arrows or `h j k l` the cursor, Enter trains the cursor's point live.
///
/// Colours: the loss on a log scale and the other numbers linearly, dark (low) to bright
/// (high) over the cells shown; `phase` colours the last feature as the phase view does
/// (white not learned, blue dedicated, red superposition). `·` is a point not finished yet.
struct SweepResultsPanel: Panel {
  let context: PanelContext
  var view: SweepViewState { context.state.sweep }

  static let hints = [
    KeyHint("x / y / t", "results view: next axis across / down, swap them"),
    KeyHint("m", "results view: next metric (loss, represented, D*, ‖W_last‖, s_last, phase)"),
    KeyHint("a / [ ]", "results view: next slider axis / move it"),
    KeyHint("←↑↓→ ↵", "results view: move the cursor / train that point live"),
  ]

  /// The view's own keys (true when used).
  static func handle(_ key: Key, _ state: inout ExplorerState) -> Bool {
    guard !state.sweep.shape.isEmpty else { return false }
    switch key {
    case .char("x"): state.sweep.cycle(x: true)
    case .char("y"): state.sweep.cycle(x: false)
    case .char("t"): state.sweep.transpose()
    case .char("m"): state.sweep.metric = (state.sweep.metric + 1) % SweepMetric.allCases.count
    case .char("a"): state.sweep.nextSlider()
    case .char("]"): state.sweep.moveSlider(1)
    case .char("["): state.sweep.moveSlider(-1)
    case .up, .char("k"): state.sweep.move(dx: 0, dy: -1)
    case .down, .char("j"): state.sweep.move(dx: 0, dy: 1)
    case .left, .char("h"): state.sweep.move(dx: -1, dy: 0)
    case .right, .char("l"): state.sweep.move(dx: 1, dy: 0)
    default: return false
    }
    return true
  }

  func render(into buf: inout Buffer, area body: Rect) -> [HitRegion] {
    let theme = context.theme
    guard let source = context.sweep, let table = source.table, !view.shape.isEmpty else {
      let lines = [
        context.sweep?.problem ?? "no sweep result file is open",
        "start tms with --sweep FILE (a file written by tms sweep run or tms sweep merge)",
      ]
      for (i, line) in lines.enumerated() {
        let x = body.x + max(0, (body.width - line.count) / 2)
        buf.write(
          line, x: x, y: body.y + body.height / 2 - 1 + i,
          style: Style(fg: i == 0 ? theme.title : theme.muted, bold: i == 0),
          maxWidth: body.width)
      }
      return []
    }
    let sliders = view.sliderAxes
    let side = min(38, max(30, body.width / 3))
    let parts = body.split(.vertical, [.fill(1), .length(sliders.count + 3)])
    let top = parts[0].split(.horizontal, [.fill(1), .length(side)])
    drawGrid(&buf, top[0], table, source)
    drawPoint(&buf, top[1], table)
    drawSliders(&buf, parts[1], table)
    return []
  }

  /// The position vector of cell (column ix, row iy).
  func position(_ ix: Int, _ iy: Int) -> [Int] {
    var p = view.position
    p[view.xAxis] = ix
    if view.yAxis != view.xAxis { p[view.yAxis] = iy }
    return p
  }

  /// The heatmap with its axis labels, its title and a colour key.
  func drawGrid(_ buf: inout Buffer, _ area: Rect, _ table: SweepTable, _ source: SweepResultsView)
  {
    let theme = context.theme
    let metric = view.shownMetric
    let xAxis = table.axes[view.xAxis]
    let yAxis = table.axes[view.yAxis]
    let single = view.xAxis == view.yAxis
    let title =
      single
      ? "\(metric.rawValue) · \(xAxis.key) →"
      : "\(metric.rawValue) · \(yAxis.key) ↓ × \(xAxis.key) →"
    let inner = Block(
      title: title, rightTitle: "\(table.records.count)/\(table.total)",
      focused: true, depth: theme.depth
    ).render(into: &buf, area: area)
    guard inner.width >= 8, inner.height >= 4 else { return }
    let nx = xAxis.labels.count
    let ny = single ? 1 : yAxis.labels.count
    let labelWidth = single ? 0 : min(9, (yAxis.labels.map(\.count).max() ?? 1)) + 1
    let gridWidth = inner.width - labelWidth
    let gridHeight = inner.height - 2
    let columns = min(nx, max(1, gridWidth))
    let rows = min(ny, max(1, gridHeight))
    let cellWidth = max(1, min(8, gridWidth / columns))
    let rowHeight = max(1, min(3, gridHeight / rows))
    let gx = { (j: Int) in j * nx / columns }
    let gy = { (i: Int) in i * ny / rows }
    // The metric's range over the cells shown.
    var values: [[Double?]] = []
    var lo = Double.infinity
    var hi = -Double.infinity
    for i in 0..<rows {
      var row: [Double?] = []
      for j in 0..<columns {
        var v = table.value(metric, at: position(gx(j), gy(i)))
        if let x = v, metric.logarithmic { v = x > 0 ? x.logValue : nil }
        if let x = v {
          lo = min(lo, x)
          hi = max(hi, x)
        }
        row.append(v)
      }
      values.append(row)
    }
    let map = SequentialColormap(
      range: lo <= hi ? Float(lo)...Float(hi) : 0...1, depth: theme.depth)
    let mono = theme.depth == .monochrome
    for i in 0..<rows {
      let y0 = inner.y + i * rowHeight
      if !single {
        buf.write(
          yAxis.labels[gy(i)], x: inner.x, y: y0, style: Style(fg: theme.muted),
          maxWidth: labelWidth - 1)
      }
      for j in 0..<columns {
        let x0 = inner.x + labelWidth + j * cellWidth
        let p = position(gx(j), gy(i))
        var style = Style()
        var glyph: Unicode.Scalar = " "
        var light = true
        if let v = values[i][j] {
          if metric == .phase {
            let rgb = Self.phaseColor(table, p)
            light = rgb.isLight
            if mono { glyph = rgb.isLight ? "░" : "█" } else { style.bg = rgb.terminal }
          } else {
            let swatch = map.swatch(for: Float(v))
            if theme.depth == .xterm256 {
              style.bg = swatch.color
              light = hi > lo && (v - lo) / (hi - lo) > 0.6
            } else {
              glyph = swatch.glyph
              style.fg = swatch.color
            }
          }
        } else {
          glyph = "·"
          style.fg = theme.muted
        }
        let isCursor =
          gx(j) == view.position[view.xAxis] && (single || gy(i) == view.position[view.yAxis])
        for q in 0..<rowHeight {
          for k in 0..<cellWidth { buf.set(x0 + k, y0 + q, glyph, style) }
        }
        if isCursor {
          let cursor = Style(
            fg: mono ? .terminalDefault : (light ? .indexed(16) : .indexed(231)), bg: style.bg,
            bold: true, reverse: mono)
          let y = y0 + (rowHeight - 1) / 2
          if cellWidth >= 2 {
            buf.set(x0, y, "[", cursor)
            buf.set(x0 + cellWidth - 1, y, "]", cursor)
          } else {
            buf.set(x0, y, "◆", cursor)
          }
        }
      }
    }
    // x labels: first, last and as many between as fit.
    let axisY = inner.y + rows * rowHeight
    if axisY < inner.bottom {
      var taken = inner.x + labelWidth
      for j in 0..<columns {
        let text = xAxis.labels[gx(j)]
        let x = inner.x + labelWidth + j * cellWidth
        guard x >= taken, x + text.count <= inner.right else { continue }
        buf.write(text, x: x, y: axisY, style: Style(fg: theme.muted))
        taken = x + text.count + 1
      }
    }
    // Colour key.
    let keyY = axisY + 1
    guard keyY < inner.bottom else { return }
    if metric == .phase {
      buf.write(
        mono
          ? "░ not learned  █ learned (last feature)"
          : "white not learned · blue dedicated · red superposition",
        x: inner.x, y: keyY, style: Style(fg: theme.muted), maxWidth: inner.width)
    } else if lo <= hi {
      let show = { (x: Double) in
        Format.number(metric.logarithmic ? x.exponentialValue : x, significant: 2)
      }
      var x = buf.write(show(lo) + " ", x: inner.x, y: keyY, style: Style(fg: theme.muted))
      for k in 0..<8 {
        let t = Float(lo) + Float(k) / 7 * Float(hi - lo)
        let s = map.swatch(for: t)
        buf.set(x, keyY, s.glyph, Style(fg: s.color))
        x += 1
      }
      buf.write(
        " " + show(hi) + (metric.logarithmic ? " (log)" : ""), x: x, y: keyY,
        style: Style(fg: theme.muted), maxWidth: inner.right - x)
    }
  }

  /// The phase view's colour of the last feature at `position` (mean norm and superposition).
  static func phaseColor(_ table: SweepTable, _ position: [Int]) -> RGB {
    let norm = table.value(.lastNorm, at: position) ?? 0
    let s = table.value(.lastSuperposition, at: position) ?? 0
    return Palette.phase(norm: norm, superposition: s)
  }

  /// The cursor's point: its axis values, loss ± standard error, seeds and shape.
  func drawPoint(_ buf: inout Buffer, _ area: Rect, _ table: SweepTable) {
    let theme = context.theme
    let here = table.records(at: view.position)
    let best = here.filter(\.evalLoss.isFinite).min { $0.evalLoss < $1.evalLoss } ?? here.first
    let inner = Block(
      title: best.map { "point \($0.point)" } ?? "point",
      rightTitle: here.count > 1 ? "\(here.count) here" : "", focused: false, depth: theme.depth
    ).render(into: &buf, area: area)
    guard inner.width >= 8, inner.height >= 2 else { return }
    var lines: [(String, Style)] = []
    let muted = Style(fg: theme.muted)
    for (a, axis) in table.axes.enumerated() {
      lines.append(("\(axis.key) \(axis.labels[view.position[a]])", muted))
    }
    if let r = best {
      lines.append(
        (
          "loss \(Format.number(r.evalLoss, significant: 3)) ± "
            + Format.number(r.evalLossError, significant: 2), Style(fg: theme.title, bold: true)
        ))
      lines.append(
        (
          "best seed \(r.bestSeed + 1) of \(r.seedLosses.count): "
            + r.seedLosses.map { Format.number($0, significant: 2) }.joined(separator: " "), Style()
        ))
      lines.append(
        (
          "D* \(Format.number(r.dimensionsPerFeature, significant: 3))  represented "
            + "\(r.represented)/\(r.norms.count)", Style()
        ))
      lines.append((r.geometry, Style(fg: theme.accent)))
      lines.append(
        (
          "‖W_i‖ "
            + r.norms.prefix(12).map { Format.number($0, significant: 2) }.joined(separator: " "),
          muted
        ))
      lines.append(("↵ train this point live", muted))
    } else {
      lines.append(("not finished yet", Style(fg: theme.warn)))
    }
    for (k, (text, style)) in lines.enumerated() where k < inner.height {
      buf.write(text, x: inner.x, y: inner.y + k, style: style, maxWidth: inner.width)
    }
  }

  /// A slider per other axis (the active one highlighted) and the keys.
  func drawSliders(_ buf: inout Buffer, _ area: Rect, _ table: SweepTable) {
    let theme = context.theme
    let inner = Block(
      title: "other axes",
      rightTitle: context.sweep.map { String($0.path.split(separator: "/").last ?? "") } ?? "",
      focused: false,
      depth: theme.depth
    ).render(into: &buf, area: area)
    guard inner.height >= 1 else { return }
    let axes = view.sliderAxes
    let labelWidth = axes.map { table.axes[$0].key.count }.max() ?? 0
    let valueWidth = axes.flatMap { table.axes[$0].labels.map(\.count) }.max() ?? 0
    for (k, a) in axes.enumerated() where k < inner.height - 1 {
      let n = table.axes[a].labels.count
      let slider = Slider(
        label: table.axes[a].key,
        fraction: n > 1 ? Double(view.position[a]) / Double(n - 1) : 0,
        valueText: table.axes[a].labels[view.position[a]], focused: view.slider == a,
        labelWidth: labelWidth, valueWidth: valueWidth, depth: theme.depth)
      slider.render(
        into: &buf, area: Rect(x: inner.x, y: inner.y + k, width: inner.width, height: 1))
    }
    let hint =
      axes.isEmpty
      ? "x/y axes · t swap · m metric · arrows move · ↵ train the point"
      : "x/y axes · t swap · m metric · a slider · [ ] move it · ↵ train the point"
    buf.write(
      hint, x: inner.x, y: inner.bottom - 1, style: Style(fg: theme.muted), maxWidth: inner.width)
  }
}

extension Double {
  /// log₁₀ of the value.
  var logValue: Double { log10D(self) }
  /// 10 to the power of the value.
  var exponentialValue: Double { powD(10, self) }
}
