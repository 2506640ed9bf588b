import Foundation
import TMSCore
import TMSRender

/// The paper-style figure of a snapshot as SVG: per instance, WᵀW as a diverging heatmap
/// with b beside it, the feature norms ‖W_i‖ as bars coloured by superposition, and (m = 2)
/// the feature directions W_i in the hidden plane with the unit circle — with axis labels,
/// colour legends and a title stating n, m, 1−S and the step.
///
/// Colours are the explorer's (TMSRender's ``Palette``): WᵀW and b on the diverging ramp (−1
/// blue, 0 near-white, +1 red, clamped), as in the paper; bars by √s_i clipped to [0, 1] on
/// viridis (dark = orthogonal to every other feature, yellow = in superposition), as the
/// notebook does; directions by importance.
/// Heatmap cells are merged into runs of equal colour (quantised to 1/64), which keeps the
/// n = 200, K = 20 figure a few megabytes while staying vector.
public struct SnapshotFigure: Sendable {
  /// The snapshot drawn.
  public var snapshot: Snapshot
  /// The instances drawn, one row each, top to bottom.
  public var instances: [Int]
  /// Side of the square panels, in SVG units (px).
  public var panel: Double = 240

  /// A figure of `instances` (all when `nil`).
  public init(_ snapshot: Snapshot, instances: [Int]? = nil) {
    self.snapshot = snapshot
    self.instances = instances ?? Array(snapshot.instances.indices)
  }

  var showGeometry: Bool { snapshot.config.hidden == 2 }

  /// Colour of a WᵀW entry or bias value, quantised to 1/64.
  static func divergingColor(_ v: Double) -> String {
    Palette.diverging.color(at: (max(-1, min(1, v.isFinite ? v : 0)) * 64).rounded() / 64).hex
  }

  static func superpositionColor(_ s: Double) -> String {
    Palette.sequential.color(at: min(1, max(0, s.squareRoot()))).hex
  }

  static func fmt(_ x: Double) -> String {
    guard x.isFinite else { return "0" }
    let r = (x * 100).rounded() / 100
    return r == r.rounded() && abs(r) < 1e15 ? String(Int(r)) : String(r)
  }

  /// Ticks 0, s, 2s, … ≤ `limit` with s = 1, 2 or 5 × 10^k, at most five past 0, so
  /// the axis stays readable for norms of 1 and of 1e10 alike (a blown-up snapshot once asked
  /// for billions of 0.5-spaced ticks).
  public static func axisTicks(upTo limit: Double) -> [Double] {
    guard limit.isFinite, limit > 0 else { return [0] }
    let raw = limit / 5
    let decade = pow(10, (log(raw) / log(10)).rounded(.down))
    let step = [1.0, 2, 5, 10].map { $0 * decade }.first { limit / $0 <= 5 } ?? 10 * decade
    return (0...Int(limit / step + 1e-9)).map { Double($0) * step }
  }

  static func escape(_ s: String) -> String {
    var out = ""
    for c in s {
      switch c {
      case "&": out += "&amp;"
      case "<": out += "&lt;"
      case ">": out += "&gt;"
      case "\"": out += "&quot;"
      default: out.append(c)
      }
    }
    return out
  }

  /// Significant-figure formatting for probabilities and losses.
  static func short(_ x: Double, digits: Int = 3) -> String {
    guard x.isFinite else { return "–" }
    if x == 0 { return "0" }
    if abs(x) >= 1e5 || abs(x) < 1e-4 {
      // 6396296338.44 → 6.4e9, 0.0000126189 → 1.26e-5: the mantissa to `digits` figures, a
      // plain exponent (Swift's own printing of small values gave all seventeen digits).
      let sign = x < 0 ? "-" : ""
      var e = Int((log(abs(x)) / log(10)).rounded(.down))
      var mantissa = short(abs(x) / pow(10, Double(e)), digits: digits)
      if mantissa == "10" {
        mantissa = "1"
        e += 1
      }
      return sign + mantissa + "e\(e)"
    }
    var d = digits
    var v = abs(x)
    while v < 1 && d < 12 {
      v *= 10
      d += 1
    }
    let scale = pow(10, Double(max(0, d - 1)))
    let r = (abs(x) * scale).rounded() / scale
    var s = String(r)
    if s.hasSuffix(".0") { s.removeLast(2) }
    if s.contains("e") { s = String(abs(x)) }
    return (x < 0 ? "-" : "") + s
  }

  /// The SVG document.
  public func svg() -> String {
    let c = snapshot.config
    let S = panel
    let left = 70.0
    let gap = 90.0
    let biasW = max(8, S / Double(c.features))
    let panels = showGeometry ? 3 : 2
    let width = left + Double(panels) * S + Double(panels - 1) * gap + biasW + 60
    let header = 74.0
    let rowH = S + 100
    let legendH = 86.0
    let height = header + Double(instances.count) * rowH + legendH
    var o = SVGBuilder()
    o.line(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Self.fmt(width))\" height=\"\(Self.fmt(height))\" "
        + "viewBox=\"0 0 \(Self.fmt(width)) \(Self.fmt(height))\" font-family=\"Helvetica, Arial, sans-serif\">"
    )
    o.line("<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>")
    let probs = instances.map { k in
      c.featureProbability[k].reduce(0, +) / Double(max(1, c.features))
    }
    let pText: String =
      if let lo = probs.min(), let hi = probs.max(), lo != hi {
        "1−S = \(Self.short(hi)) … \(Self.short(lo))"
      } else {
        "1−S = \(Self.short(probs.first ?? 1))"
      }
    let title =
      "\(c.name): n = \(c.features) features, m = \(c.hidden) hidden (\(c.model.rawValue)), "
      + "\(pText), step \(snapshot.step)"
    o.text(title, x: width / 2, y: 30, size: 18, anchor: "middle", weight: "bold")
    let instText =
      instances.count == c.instances
      ? "all \(c.instances) instances"
      : "instance " + instances.map(String.init).joined(separator: ", ") + " of \(c.instances)"
    o.text(
      "\(instText) · WᵀW with b · ‖W_i‖ coloured by superposition"
        + (showGeometry ? " · feature directions W_i" : "")
        + " · losses in the notebook's convention",
      x: width / 2, y: 52, size: 12, anchor: "middle", fill: "#555555")
    for (row, k) in instances.enumerated() {
      let y0 = header + Double(row) * rowH + 42
      drawRow(&o, k: k, x0: left, y0: y0, gap: gap, biasW: biasW)
    }
    drawLegends(&o, x0: left, y0: height - legendH + 24, S: S, gap: gap)
    o.line("</svg>")
    return o.text
  }

  func drawRow(_ o: inout SVGBuilder, k: Int, x0: Double, y0: Double, gap: Double, biasW: Double) {
    let c = snapshot.config
    let s = snapshot.instances[k]
    let n = c.features
    let S = panel
    let p = c.featureProbability[k].reduce(0, +) / Double(max(1, n))
    let loss = s.metrics.evalLoss.isFinite ? s.metrics.evalLoss : s.trainLossEMA
    o.text(
      "instance \(k) · 1−S = \(Self.short(p)) · loss \(Self.short(loss, digits: 4)) · "
        + "\(s.metrics.represented)/\(n) represented · \(s.metrics.geometry.text)",
      x: x0, y: y0 - 24, size: 13, weight: "bold")
    // WᵀW heatmap with b.
    let cell = S / Double(n)
    o.line("<g shape-rendering=\"crispEdges\">")
    for run in FigurePanels.gramRuns(s.metrics.gram, n: n) {
      o.rect(
        x: x0 + Double(run.from) * cell, y: y0 + Double(run.row) * cell,
        w: Double(run.to - run.from) * cell, h: cell, fill: run.color)
    }
    let bx = x0 + S + 6
    for i in 0..<n {
      o.rect(
        x: bx, y: y0 + Double(i) * cell, w: biasW, h: cell,
        fill: Self.divergingColor(Double(s.parameters.b[i])))
    }
    o.line("</g>")
    FigurePanels.gramFrame(&o, n: n, x0: x0, y0: y0, S: S, biasW: biasW)
    // Norm bars, in importance order.
    let px = x0 + S + biasW + gap
    let order = (0..<n).sorted {
      (c.importance[k][$0], -$0) > (c.importance[k][$1], -$1)
    }
    let maxNorm = max(1.2, (s.metrics.norms.max() ?? 1) * 1.05)
    let scale = S / maxNorm
    let barH = S / Double(n)
    o.line("<g shape-rendering=\"crispEdges\">")
    for (row, i) in order.enumerated() {
      let w = s.metrics.norms[i] * scale
      o.rect(
        x: px, y: y0 + Double(row) * barH + (n <= 40 ? barH * 0.1 : 0), w: max(0, w),
        h: n <= 40 ? barH * 0.8 : barH, fill: Self.superpositionColor(s.metrics.superposition[i]))
    }
    o.line("</g>")
    let thr = s.metrics.representedThreshold * scale
    o.line(
      "<line x1=\"\(Self.fmt(px + thr))\" y1=\"\(Self.fmt(y0))\" x2=\"\(Self.fmt(px + thr))\" y2=\"\(Self.fmt(y0 + S))\" stroke=\"#888888\" stroke-dasharray=\"3,3\" stroke-width=\"1\"/>"
    )
    o.line(
      "<line x1=\"\(Self.fmt(px))\" y1=\"\(Self.fmt(y0 + S))\" x2=\"\(Self.fmt(px + S))\" y2=\"\(Self.fmt(y0 + S))\" stroke=\"#333333\" stroke-width=\"0.8\"/>"
    )
    o.line(
      "<line x1=\"\(Self.fmt(px))\" y1=\"\(Self.fmt(y0))\" x2=\"\(Self.fmt(px))\" y2=\"\(Self.fmt(y0 + S))\" stroke=\"#333333\" stroke-width=\"0.8\"/>"
    )
    for v in Self.axisTicks(upTo: maxNorm) {
      let x = px + v * scale
      o.line(
        "<line x1=\"\(Self.fmt(x))\" y1=\"\(Self.fmt(y0 + S))\" x2=\"\(Self.fmt(x))\" y2=\"\(Self.fmt(y0 + S + 4))\" stroke=\"#333333\" stroke-width=\"0.8\"/>"
      )
      o.text(Self.short(v), x: x, y: y0 + S + 15, size: 9, anchor: "middle", fill: "#444444")
    }
    for t in Self.ticks(n) {
      o.text(
        String(order[t]), x: px - 4, y: y0 + (Double(t) + 0.5) * barH + 3, size: 9, anchor: "end",
        fill: "#444444")
    }
    o.text(
      "‖W_i‖ (dashed: represented at \(Self.short(s.metrics.representedThreshold)))", x: px + S / 2,
      y: y0 + S + 28, size: 11, anchor: "middle")
    o.text(
      "feature i, by importance", x: px - 30, y: y0 + S / 2, size: 11, anchor: "middle",
      rotate: true)
    o.text("norms", x: px + S / 2, y: y0 - 4, size: 11, anchor: "middle")
    if showGeometry { drawGeometry(&o, k: k, x0: px + S + gap, y0: y0) }
  }

  func drawGeometry(_ o: inout SVGBuilder, k: Int, x0: Double, y0: Double) {
    let s = snapshot.instances[k]
    let r = max(1.2, (s.metrics.norms.max() ?? 1) * 1.15)
    FigurePanels.directionAxes(&o, x0: x0, y0: y0, S: panel, r: r)
    FigurePanels.directionVectors(
      &o, points: s.parameters.W.map { (Double($0[0]), Double($0[1])) }, norms: s.metrics.norms,
      importance: snapshot.config.importance[k], x0: x0, y0: y0, S: panel, r: r)
    FigurePanels.directionLabels(&o, x0: x0, y0: y0, S: panel, r: r)
  }

  func drawLegends(_ o: inout SVGBuilder, x0: Double, y0: Double, S: Double, gap: Double) {
    FigurePanels.colorBar(
      &o, x: x0, y: y0, w: S, label: "WᵀW and b", ticks: [(0, "−1"), (0.5, "0"), (1, "+1")]
    ) { Self.divergingColor(-1 + 2 * $0) }
    FigurePanels.colorBar(
      &o, x: x0 + S + gap + 8, y: y0, w: S, label: "superposition √s_i, s_i = Σ_{j≠i} (Ŵ_i·W_j)²",
      ticks: [(0, "0"), (0.5, "0.5"), (1, "≥ 1")]
    ) { Palette.sequential.color(at: $0).hex }
    if showGeometry {
      FigurePanels.colorBar(
        &o, x: x0 + 2 * (S + gap) + 8, y: y0, w: S, label: "importance I_i (relative)",
        ticks: [(0, "low"), (1, "high")]
      ) { Palette.importance.color(at: $0).hex }
    }
  }

  /// Tick positions: every index for small n, else about six.
  static func ticks(_ n: Int) -> [Int] {
    if n <= 12 { return Array(0..<n) }
    let step = max(1, Int((Double(n) / 5).rounded(.up)))
    var t = Array(stride(from: 0, to: n, by: step))
    if t.last != n - 1 { t.append(n - 1) }
    if t.count >= 2 && t[t.count - 1] - t[t.count - 2] < step / 2 { t.remove(at: t.count - 2) }
    return t
  }
}

/// Accumulates SVG text.
struct SVGBuilder {
  var text = ""

  mutating func line(_ s: String) {
    text += s
    text += "\n"
  }

  mutating func rect(x: Double, y: Double, w: Double, h: Double, fill: String) {
    line(
      "<rect x=\"\(SnapshotFigure.fmt(x))\" y=\"\(SnapshotFigure.fmt(y))\" width=\"\(SnapshotFigure.fmt(w))\" "
        + "height=\"\(SnapshotFigure.fmt(h))\" fill=\"\(fill)\"/>")
  }

  mutating func text(
    _ s: String, x: Double, y: Double, size: Double, anchor: String = "start",
    weight: String = "normal", fill: String = "#111111", style: String = "normal",
    rotate: Bool = false
  ) {
    let transform =
      rotate ? " transform=\"rotate(-90 \(SnapshotFigure.fmt(x)) \(SnapshotFigure.fmt(y)))\"" : ""
    line(
      "<text x=\"\(SnapshotFigure.fmt(x))\" y=\"\(SnapshotFigure.fmt(y))\" font-size=\"\(SnapshotFigure.fmt(size))\" "
        + "text-anchor=\"\(anchor)\" font-weight=\"\(weight)\" font-style=\"\(style)\" fill=\"\(fill)\"\(transform)>"
        + SnapshotFigure.escape(s) + "</text>")
  }
}
