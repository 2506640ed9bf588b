import Foundation
import TMSCore
import TMSRender

/// SVG text for the report's figures: shapes and labels in one coordinate system, numbers
/// written with two decimals at most, text escaped.
struct SVGCanvas {
  var width: Double
  var height: Double
  private var body = ""

  init(width: Double, height: Double) {
    self.width = width
    self.height = height
  }

  static func f(_ x: Double) -> String {
    guard x.isFinite else { return "0" }
    let r = (x * 100).rounded() / 100
    return r == r.rounded() && abs(r) < 1e12 ? String(Int(r)) : String(r)
  }

  static func escape(_ s: String) -> String {
    s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
      .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
  }

  mutating func raw(_ s: String) { body += s + "\n" }

  mutating func rect(
    _ x: Double, _ y: Double, _ w: Double, _ h: Double, fill: String, stroke: String? = nil
  ) {
    raw(
      "<rect x=\"\(Self.f(x))\" y=\"\(Self.f(y))\" width=\"\(Self.f(max(0, w)))\" height=\"\(Self.f(max(0, h)))\" fill=\"\(fill)\""
        + (stroke.map { " stroke=\"\($0)\" stroke-width=\"0.8\"" } ?? "") + "/>")
  }

  mutating func line(
    _ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double, stroke: String = "#333333",
    width: Double = 1, dash: String? = nil
  ) {
    raw(
      "<line x1=\"\(Self.f(x1))\" y1=\"\(Self.f(y1))\" x2=\"\(Self.f(x2))\" y2=\"\(Self.f(y2))\" stroke=\"\(stroke)\" stroke-width=\"\(Self.f(width))\""
        + (dash.map { " stroke-dasharray=\"\($0)\"" } ?? "") + "/>")
  }

  mutating func polyline(_ points: [(Double, Double)], stroke: String, width: Double = 1.5) {
    let finite = points.filter { $0.0.isFinite && $0.1.isFinite }
    guard finite.count > 1 else { return }
    raw(
      "<polyline fill=\"none\" stroke=\"\(stroke)\" stroke-width=\"\(Self.f(width))\" points=\""
        + finite.map { "\(Self.f($0.0)),\(Self.f($0.1))" }.joined(separator: " ") + "\"/>")
  }

  mutating func circle(_ x: Double, _ y: Double, r: Double, fill: String, stroke: String? = nil) {
    guard x.isFinite, y.isFinite else { return }
    raw(
      "<circle cx=\"\(Self.f(x))\" cy=\"\(Self.f(y))\" r=\"\(Self.f(r))\" fill=\"\(fill)\""
        + (stroke.map { " stroke=\"\($0)\" stroke-width=\"1\"" } ?? "") + "/>")
  }

  mutating func text(
    _ s: String, _ x: Double, _ y: Double, size: Double = 11, anchor: String = "start",
    fill: String = "#222222", bold: Bool = false, rotate: Bool = false
  ) {
    let t = rotate ? " transform=\"rotate(-90 \(Self.f(x)) \(Self.f(y)))\"" : ""
    raw(
      "<text x=\"\(Self.f(x))\" y=\"\(Self.f(y))\" font-size=\"\(Self.f(size))\" text-anchor=\"\(anchor)\" fill=\"\(fill)\""
        + (bold ? " font-weight=\"bold\"" : "") + t + ">" + Self.escape(s) + "</text>")
  }

  var svg: String {
    "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Self.f(width))\" height=\"\(Self.f(height))\" "
      + "viewBox=\"0 0 \(Self.f(width)) \(Self.f(height))\" font-family=\"Helvetica, Arial, sans-serif\">\n"
      + "<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n" + body + "</svg>\n"
  }

  /// Diverging colour (−1 blue, 0 white, +1 red) as the explorer draws WᵀW.
  static func diverging(_ v: Double) -> String {
    Palette.diverging.color(at: max(-1, min(1, v.isFinite ? v : 0))).hex
  }

  /// Categorical colours for series and features.
  static let series = [
    "#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f",
    "#bcbd22", "#17becf",
  ]
}

/// A plot area with linear or logarithmic axes, ticks and labels.
struct ChartFrame {
  var x0: Double
  var y0: Double
  var w: Double
  var h: Double
  var xRange: ClosedRange<Double>
  var yRange: ClosedRange<Double>
  var logX = false
  var logY = false

  func px(_ x: Double) -> Double {
    let (a, b, v) =
      logX
      ? (log10(xRange.lowerBound), log10(xRange.upperBound), log10(x))
      : (xRange.lowerBound, xRange.upperBound, x)
    return x0 + (v - a) / (b - a) * w
  }

  func py(_ y: Double) -> Double {
    let (a, b, v) =
      logY
      ? (log10(yRange.lowerBound), log10(yRange.upperBound), log10(max(y, 1e-300)))
      : (yRange.lowerBound, yRange.upperBound, y)
    return y0 + h - (v - a) / (b - a) * h
  }

  func ticks(_ r: ClosedRange<Double>, log: Bool) -> [Double] {
    if log {
      let lo = Int(log10(r.lowerBound).rounded(.down))
      let hi = Int(log10(r.upperBound).rounded(.up))
      let decades = (lo...hi).map { pow(10, Double($0)) }
      // Two decades or fewer: 1, 2 and 5 of each, else the powers of ten alone.
      let marks = hi - lo <= 2 ? decades.flatMap { [$0, 2 * $0, 5 * $0] } : decades
      return marks.filter { r.contains($0) }
    }
    let span = r.upperBound - r.lowerBound
    let raw = span / 5
    let decade = pow(10, log10(raw).rounded(.down))
    let step = [1.0, 2, 5, 10].map { $0 * decade }.first { span / $0 <= 6 } ?? decade * 10
    var t = (r.lowerBound / step).rounded(.up) * step
    var out: [Double] = []
    while t <= r.upperBound + step * 1e-9 {
      out.append(abs(t) < step * 1e-9 ? 0 : t)
      t += step
    }
    return out
  }

  func draw(_ c: inout SVGCanvas, xLabel: String, yLabel: String, title: String) {
    c.rect(x0, y0, w, h, fill: "none", stroke: "#333333")
    for t in ticks(xRange, log: logX) {
      c.line(px(t), y0 + h, px(t), y0 + h + 4)
      c.line(px(t), y0, px(t), y0 + h, stroke: "#eeeeee", width: 0.6)
      c.text(ChartFrame.label(t), px(t), y0 + h + 16, size: 10, anchor: "middle", fill: "#444444")
    }
    for t in ticks(yRange, log: logY) {
      c.line(x0 - 4, py(t), x0, py(t))
      c.line(x0, py(t), x0 + w, py(t), stroke: "#eeeeee", width: 0.6)
      c.text(ChartFrame.label(t), x0 - 6, py(t) + 3, size: 10, anchor: "end", fill: "#444444")
    }
    c.text(xLabel, x0 + w / 2, y0 + h + 32, size: 11, anchor: "middle")
    c.text(yLabel, x0 - 42, y0 + h / 2, size: 11, anchor: "middle", rotate: true)
    c.text(title, x0 + w / 2, y0 - 10, size: 12, anchor: "middle", bold: true)
  }

  /// The tight-frame fractions D = d/k (notes §7) as dashed lines labelled at the right.
  func drawFractions(_ c: inout SVGCanvas) {
    for f in TightFrame.fractions {
      c.line(x0, py(f.value), x0 + w, py(f.value), stroke: "#bbbbbb", width: 0.8, dash: "4,3")
      c.text(f.label, x0 + w + 6, py(f.value) + 3, size: 10, fill: "#666666")
    }
  }

  static func label(_ t: Double) -> String {
    if t != 0 && (abs(t) < 0.01 || abs(t) >= 1e4) { return String(format: "%.0e", t) }
    var s = String(format: "%.3g", t)
    if s.hasSuffix(".0") { s.removeLast(2) }
    return s
  }
}
