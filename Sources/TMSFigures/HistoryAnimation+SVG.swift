import Foundation
import TMSCore
import TMSRender

extension HistoryAnimation {
  /// What every frame needs, computed once: WᵀW, the directions in the drawing plane, and
  /// the scales fixed over the animation.
  struct Prepared {
    var grams: [[Float]]
    var points: [[(x: Double, y: Double)]]
    var lengths: [[Double]]
    /// Coordinates reach ±radius in the directions panel.
    var radius: Double
    /// WᵀW and b colours run from −scale (blue) to +scale (red).
    var scale: Double
    var plane: PrincipalPlane
  }

  /// Where things go, in SVG units.
  struct Layout {
    var S: Double
    var n: Int
    var left: Double { (width - panelsWidth) / 2 }
    let captionY = 100.0
    let eventY = 122.0
    let panelY = 172.0
    let stripH = 56.0
    var heatX: Double { left + S + 110 }
    var panelsWidth: Double { S + 110 + S + 6 + biasW }
    var biasW: Double { max(8, S / Double(n)) }
    /// Wide enough for the panels and for the captions' long geometry labels.
    var width: Double { max(920, panelsWidth + 160) }
    var legendY: Double { panelY + S + 62 }
    var stripY: Double { legendY + 74 }
    var stripX: Double { 60 }
    var stripW: Double { width - 120 }
    var height: Double { stripY + stripH + 46 }
  }

  func prepare() -> Prepared {
    let m = config.hidden
    let plane = self.plane
    var grams: [[Float]] = []
    var points: [[(x: Double, y: Double)]] = []
    var lengths: [[Double]] = []
    var largest = 0.0
    var reach = 0.0
    for f in frames {
      let p = history.frames[f].parameters[instance]
      let g = InstanceMetrics.gram(p.W, hidden: m)
      grams.append(g)
      let pts = p.W.map { plane.project($0) }
      points.append(pts)
      let len = pts.map { ($0.x * $0.x + $0.y * $0.y).squareRoot() }
      lengths.append(len)
      for v in g where v.isFinite { largest = max(largest, abs(Double(v))) }
      for v in p.b where v.isFinite { largest = max(largest, abs(Double(v))) }
      for l in len where l.isFinite { reach = max(reach, l) }
    }
    let scale = largest <= Self.clampedScale ? 1 : (2 * largest).rounded(.up) / 2
    return Prepared(
      grams: grams, points: points, lengths: lengths, radius: max(1.2, reach * 1.15), scale: scale,
      plane: plane)
  }

  /// WᵀW and b are coloured on ±1, clamped, as in the paper and the static figure, while no
  /// entry of any frame passes this; beyond it the range widens (to a multiple of ½) so
  /// blown-up weights still show structure.
  static let clampedScale = 2.0

  /// The SVG document.
  public func svg() -> String {
    let c = config
    let n = c.features
    let L = Layout(S: panel, n: n)
    let prepared = prepare()
    let fmt = SnapshotFigure.fmt
    var o = SVGBuilder()
    o.line(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(fmt(L.width))\" height=\"\(fmt(L.height))\" "
        + "viewBox=\"0 0 \(fmt(L.width)) \(fmt(L.height))\" font-family=\"Helvetica, Arial, sans-serif\">"
    )
    o.line("<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>")
    drawHeader(&o, L, prepared)
    let r = prepared.radius
    FigurePanels.directionAxes(&o, x0: L.left, y0: L.panelY, S: L.S, r: r)
    drawGramBackground(&o, L)
    let xs = cursorPositions(L)
    drawTimeline(&o, L, xs: xs)
    for i in frames.indices { drawFrame(&o, i, L, prepared, xs: xs) }
    FigurePanels.gramFrame(&o, n: n, x0: L.heatX, y0: L.panelY, S: L.S, biasW: L.biasW)
    let projected = c.hidden > 2
    FigurePanels.directionLabels(
      &o, x0: L.left, y0: L.panelY, S: L.S, r: r,
      axes: projected ? ("PC₁", "PC₂") : ("h₁", "h₂"),
      title: projected
        ? "W_i projected (dashed: unit circle)" : "directions W_i (dashed: unit circle)")
    let s = prepared.scale
    FigurePanels.colorBar(
      &o, x: L.heatX, y: L.legendY, w: L.S, label: "WᵀW and b (same scale in every frame)",
      ticks: s == 1
        ? [(0, "≤ −1"), (0.5, "0"), (1, "≥ +1")]
        : [(0, "−" + SnapshotFigure.short(s)), (0.5, "0"), (1, "+" + SnapshotFigure.short(s))]
    ) { SnapshotFigure.divergingColor(-1 + 2 * $0) }
    FigurePanels.colorBar(
      &o, x: L.left, y: L.legendY, w: L.S, label: "importance I_i (relative)",
      ticks: [(0, "low"), (1, "high")]
    ) { Palette.importance.color(at: $0).hex }
    o.line("</svg>")
    return o.text
  }

  func drawHeader(_ o: inout SVGBuilder, _ L: Layout, _ prepared: Prepared) {
    let c = config
    let p = c.featureProbability[instance].reduce(0, +) / Double(max(1, c.features))
    o.text(
      "\(c.name): instance \(instance) of \(c.instances) · n = \(c.features), m = \(c.hidden) "
        + "(\(c.model.rawValue)) · 1−S = \(SnapshotFigure.short(p))",
      x: L.width / 2, y: 30, size: 18, anchor: "middle", weight: "bold")
    o.text(
      "\(frames.count) of \(history.frames.count) recorded frames (log-spaced in steps) in "
        + "\(SnapshotFigure.short(duration)) s, events held longer, the last frame "
        + "\(SnapshotFigure.short(hold)) s, then it loops",
      x: L.width / 2, y: 52, size: 12, anchor: "middle", fill: "#555555")
    let left =
      config.hidden > 2
      ? "left: W_i projected on the last frame's top-2 principal directions "
        + "(\(Int((prepared.plane.captured * 100).rounded()))% of Σ‖W_i‖²)"
      : "left: feature directions W_i in the hidden plane"
    o.text(
      left + " · right: WᵀW with b · scales fixed over all frames",
      x: L.width / 2, y: 70, size: 12, anchor: "middle", fill: "#555555")
  }

  /// The cursor's x for each drawn frame: its start in play time, the last frame at the
  /// timeline's right end.
  func cursorPositions(_ L: Layout) -> [Double] {
    let count = frames.count
    guard count > 1 else { return [L.stripX + L.stripW] }
    let end = times[count - 1]
    return (0..<count).map { L.stripX + L.stripW * times[$0] / end }
  }

  func lossY(_ loss: Double, _ L: Layout, range: (lo: Double, hi: Double)) -> Double? {
    guard loss.isFinite, loss > 0 else { return nil }
    let span = range.hi - range.lo
    let t = span > 0 ? (log10(loss) - range.lo) / span : 0.5
    return L.stripY + 6 + (L.stripH - 12) * (1 - t)
  }

  var lossRange: (lo: Double, hi: Double) {
    let logs = frames.map { history.frames[$0].trainLoss[instance] }.filter {
      $0.isFinite && $0 > 0
    }
    .map(log10)
    return (logs.min() ?? 0, logs.max() ?? 0)
  }

  func drawTimeline(_ o: inout SVGBuilder, _ L: Layout, xs: [Double]) {
    let fmt = SnapshotFigure.fmt
    let (x0, y0, w, h) = (L.stripX, L.stripY, L.stripW, L.stripH)
    o.line(
      "<rect x=\"\(fmt(x0))\" y=\"\(fmt(y0))\" width=\"\(fmt(w))\" height=\"\(fmt(h))\" fill=\"#fafafa\" stroke=\"#bbbbbb\" stroke-width=\"0.8\"/>"
    )
    let range = lossRange
    var points: [String] = []
    for (i, f) in frames.enumerated() {
      if let y = lossY(history.frames[f].trainLoss[instance], L, range: range) {
        points.append("\(fmt(xs[i])),\(fmt(y))")
      }
    }
    if points.count > 1 {
      o.line(
        "<polyline points=\"\(points.joined(separator: " "))\" fill=\"none\" stroke=\"#555555\" stroke-width=\"1.2\"/>"
      )
    }
    let lossText =
      range.hi > range.lo
      ? "training loss, log scale (\(SnapshotFigure.short(pow10(range.lo))) … "
        + "\(SnapshotFigure.short(pow10(range.hi))))" : "training loss"
    o.text(lossText, x: x0, y: y0 - 14, size: 10, fill: "#555555")
    let eventFrames = eventsAt.indices.filter { !eventsAt[$0].isEmpty }
    for i in eventFrames {
      let x = xs[i]
      o.line(
        "<line x1=\"\(fmt(x))\" y1=\"\(fmt(y0))\" x2=\"\(fmt(x))\" y2=\"\(fmt(y0 + h))\" stroke=\"#e6550d\" stroke-width=\"1.2\" stroke-dasharray=\"3,2\"/>"
      )
      o.line(
        "<path class=\"event-tick\" d=\"M\(fmt(x - 5)) \(fmt(y0 - 9))h10l-5 8z\" fill=\"#e6550d\"/>"
      )
    }
    if !events.isEmpty {
      o.text(
        "▼ events of instance \(instance) (\(events.count))", x: x0 + w, y: y0 - 14, size: 10,
        anchor: "end", fill: "#e6550d")
    }
    o.line(
      "<line x1=\"\(fmt(x0))\" y1=\"\(fmt(y0 + h))\" x2=\"\(fmt(x0 + w))\" y2=\"\(fmt(y0 + h))\" stroke=\"#333333\" stroke-width=\"0.8\"/>"
    )
    for (x, label) in stepTicks(xs: xs) {
      o.line(
        "<line x1=\"\(fmt(x))\" y1=\"\(fmt(y0 + h))\" x2=\"\(fmt(x))\" y2=\"\(fmt(y0 + h + 4))\" stroke=\"#333333\" stroke-width=\"0.8\"/>"
      )
      o.text(label, x: x, y: y0 + h + 15, size: 9, anchor: "middle", fill: "#444444")
    }
    o.text(
      "step (the axis runs in play time: frames are log-spaced in steps)", x: x0 + w / 2,
      y: y0 + h + 32, size: 11, anchor: "middle")
  }

  /// Step labels under the timeline: the first and last steps, and the powers of ten
  /// between, each where it plays (between the frames around it, by step), none closer than
  /// 34 units to another.
  func stepTicks(xs: [Double]) -> [(Double, String)] {
    let steps = frames.map { history.frames[$0].step }
    guard let first = steps.first, let last = steps.last else { return [] }
    var out = [(xs[0], first.grouped)]
    let end = (xs[xs.count - 1], last.grouped)
    var p = 1
    while p < last {
      defer { p *= 10 }
      guard p > first, let i = steps.firstIndex(where: { $0 >= p }), i > 0 else { continue }
      let t = Double(p - steps[i - 1]) / Double(steps[i] - steps[i - 1])
      let x = xs[i - 1] + t * (xs[i] - xs[i - 1])
      if x - out[out.count - 1].0 < 34 || end.0 - x < 34 { continue }
      out.append((x, p.grouped))
    }
    if steps.count > 1 { out.append(end) }
    return out
  }

  func drawFrame(_ o: inout SVGBuilder, _ i: Int, _ L: Layout, _ prepared: Prepared, xs: [Double]) {
    let fmt = SnapshotFigure.fmt
    let frame = history.frames[frames[i]]
    let count = frames.count
    o.line(
      "<g class=\"frame\" id=\"frame-\(i)\" data-step=\"\(frame.step)\" visibility=\"\(i == count - 1 ? "visible" : "hidden")\">"
    )
    if count > 1 {
      let begin = Self.fixed(times[i] / cycle, 6)
      let end = Self.fixed(times[i + 1] / cycle, 6)
      let (values, keys) =
        i == 0
        ? ("visible;hidden", "0;\(end)")
        : i == count - 1
          ? ("hidden;visible", "0;\(begin)") : ("hidden;visible;hidden", "0;\(begin);\(end)")
      o.line(
        "<animate attributeName=\"visibility\" calcMode=\"discrete\" values=\"\(values)\" keyTimes=\"\(keys)\" "
          + "dur=\"\(Self.fixed(cycle, 3))s\" repeatCount=\"indefinite\"/>")
    }
    o.text(caption(i), x: L.width / 2, y: L.captionY, size: 15, anchor: "middle", weight: "bold")
    if !eventsAt[i].isEmpty {
      var texts = eventsAt[i].prefix(2).map(\.text)
      if eventsAt[i].count > 2 { texts.append("+\(eventsAt[i].count - 2) more") }
      for (row, line) in Self.wrapped("event " + texts.joined(separator: "; ")).enumerated() {
        o.text(
          line, x: L.width / 2, y: L.eventY + 16 * Double(row), size: 13, anchor: "middle",
          weight: "bold", fill: "#c2410c")
      }
    } else if let last = eventsAt[..<i].last(where: { !$0.isEmpty })?.last {
      for (row, line) in Self.wrapped("last event " + last.text).enumerated() {
        o.text(
          line, x: L.width / 2, y: L.eventY + 16 * Double(row), size: 12, anchor: "middle",
          fill: "#999999")
      }
    }
    drawGramCells(&o, i, L, prepared)
    FigurePanels.directionVectors(
      &o, points: prepared.points[i], norms: prepared.lengths[i],
      importance: frame.config.importance[instance], x0: L.left, y0: L.panelY, S: L.S,
      r: prepared.radius)
    let x = xs[i]
    o.line(
      "<rect x=\"\(fmt(L.stripX))\" y=\"\(fmt(L.stripY))\" width=\"\(fmt(x - L.stripX))\" height=\"\(fmt(L.stripH))\" fill=\"#1f77b4\" fill-opacity=\"0.1\"/>"
    )
    o.line(
      "<line x1=\"\(fmt(x))\" y1=\"\(fmt(L.stripY))\" x2=\"\(fmt(x))\" y2=\"\(fmt(L.stripY + L.stripH))\" stroke=\"#d62728\" stroke-width=\"1.5\"/>"
    )
    if let y = lossY(frame.trainLoss[instance], L, range: lossRange) {
      o.line("<circle cx=\"\(fmt(x))\" cy=\"\(fmt(y))\" r=\"3.5\" fill=\"#d62728\"/>")
    }
    o.line("</g>")
  }

  /// The frame's caption: `step 1,556 · loss 0.0123 · pentagon`.
  public func caption(_ i: Int) -> String {
    let frame = history.frames[frames[i]]
    return "step \(frame.step.grouped) · loss "
      + SnapshotFigure.short(frame.trainLoss[instance], digits: 3) + " · " + frame.labels[instance]
  }

  /// WᵀW and b of frame i as one path per colour (runs of equal colour merged), in units of
  /// one cell, leaving out cells of the zero colour that ``drawGramBackground(_:_:)`` laid:
  /// a few bytes a cell, so hundreds of frames stay small.
  func drawGramCells(_ o: inout SVGBuilder, _ i: Int, _ L: Layout, _ prepared: Prepared) {
    let fmt = SnapshotFigure.fmt
    let zero = SnapshotFigure.divergingColor(0)
    let cell = L.S / Double(L.n)
    func emit(_ shapes: [(color: String, d: String)], x: Double, sx: Double) {
      var paths: [String: String] = [:]
      var order: [String] = []
      for (color, d) in shapes where color != zero {
        if paths[color] == nil { order.append(color) }
        paths[color, default: ""] += d
      }
      guard !order.isEmpty else { return }
      o.line(
        "<g transform=\"translate(\(fmt(x)) \(fmt(L.panelY))) scale(\(fmt(sx)) \(fmt(cell)))\" shape-rendering=\"crispEdges\">"
      )
      for color in order { o.line("<path fill=\"\(color)\" d=\"\(paths[color] ?? "")\"/>") }
      o.line("</g>")
    }
    let runs = FigurePanels.gramRuns(prepared.grams[i], n: L.n, scale: prepared.scale)
    emit(
      runs.map { ($0.color, "M\($0.from) \($0.row)h\($0.to - $0.from)v1h-\($0.to - $0.from)") },
      x: L.heatX, sx: cell)
    let b = history.frames[frames[i]].parameters[instance].b
    emit(
      b.enumerated().map { row, v in
        (SnapshotFigure.divergingColor(Double(v) / prepared.scale), "M0 \(row)h1v1h-1")
      }, x: L.heatX + L.S + 6, sx: L.biasW)
  }

  /// The heatmap and b column filled with the colour of 0, under every frame's cells.
  func drawGramBackground(_ o: inout SVGBuilder, _ L: Layout) {
    let zero = SnapshotFigure.divergingColor(0)
    o.rect(x: L.heatX, y: L.panelY, w: L.S, h: L.S, fill: zero)
    o.rect(x: L.heatX + L.S + 6, y: L.panelY, w: L.biasW, h: L.S, fill: zero)
  }

  /// An event line that fits the width: split after its first arrow when longer than 95
  /// characters (long geometry labels on both sides).
  static func wrapped(_ text: String) -> [String] {
    guard text.count > 95, let arrow = text.range(of: " → ") else { return [text] }
    return [String(text[..<arrow.lowerBound]) + " →", String(text[arrow.upperBound...])]
  }

  /// `x` with exactly `digits` decimals (keyTimes and durations).
  static func fixed(_ x: Double, _ digits: Int) -> String {
    var scale = 1
    for _ in 0..<digits { scale *= 10 }
    let v = Int((x * Double(scale)).rounded())
    let fraction = String(v % scale)
    let padded = String(repeating: "0", count: digits - fraction.count) + fraction
    return "\(v / scale)." + padded
  }

  func pow10(_ x: Double) -> Double { exp(x * log(10.0)) }
}
