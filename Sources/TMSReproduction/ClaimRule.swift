import Foundation

/// The verdict rules every section uses, each a pure function of measured values, so a test
/// can feed a wrong value and watch the verdict fail.
///
/// An estimate with standard error σ passes a tolerance band when it lies within the band
/// widened by 2σ: the band is about the true value, and 2σ is the estimate's own noise (a
/// 95% interval), never a widening chosen after looking at the results.
public enum ClaimRule {
  /// |x − target| ≤ relative·|target| + 2σ.
  public static func relative(
    _ quantity: String, measured x: Double, standardError se: Double = 0, target: Double,
    relative: Double, paper: String? = nil
  ) -> ClaimRow {
    band(
      quantity, x, se, target: target, width: relative * abs(target),
      text: "±\(Self.percent(relative))", paper: paper)
  }

  /// |x − target| ≤ absolute + 2σ.
  public static func absolute(
    _ quantity: String, measured x: Double, standardError se: Double = 0, target: Double,
    absolute: Double, paper: String? = nil
  ) -> ClaimRow {
    band(
      quantity, x, se, target: target, width: absolute, text: "±\(Self.number(absolute))",
      paper: paper)
  }

  static func band(
    _ quantity: String, _ x: Double, _ se: Double, target: Double, width: Double, text: String,
    paper: String?
  ) -> ClaimRow {
    let ok = x.isFinite && abs(x - target) <= width + 2 * noise(se)
    return ClaimRow(
      quantity: quantity, paper: paper ?? Self.number(target), tms: estimate(x, se),
      tolerance: text + (se > 0 ? " + 2 SE" : ""), verdict: ok ? .pass : .fail, value: x)
  }

  /// A standard error usable as slack: 0 when unknown.
  static func noise(_ se: Double) -> Double { se.isFinite ? max(0, se) : 0 }

  /// lo − 2σ ≤ x ≤ hi + 2σ.
  public static func range(
    _ quantity: String, measured x: Double, standardError se: Double = 0, low: Double,
    high: Double, paper: String
  ) -> ClaimRow {
    let slack = 2 * noise(se)
    let ok = x.isFinite && x >= low - slack && x <= high + slack
    return ClaimRow(
      quantity: quantity, paper: paper, tms: estimate(x, se),
      tolerance: "in [\(Self.number(low)), \(Self.number(high))]" + (se > 0 ? " ± 2 SE" : ""),
      verdict: ok ? .pass : .fail, value: x)
  }

  /// An integer count within [low, high].
  public static func count(
    _ quantity: String, measured x: Int, low: Int, high: Int, paper: String
  ) -> ClaimRow {
    ClaimRow(
      quantity: quantity, paper: paper, tms: String(x),
      tolerance: low == high ? "exactly \(low)" : "\(low)–\(high)",
      verdict: (low...high).contains(x) ? .pass : .fail, value: Double(x))
  }

  /// A yes/no property: passes when `holds`; `tms` says what was seen.
  public static func property(
    _ quantity: String, holds: Bool, paper: String, tms: String, rule: String,
    value: Double? = nil
  ) -> ClaimRow {
    ClaimRow(
      quantity: quantity, paper: paper, tms: tms, tolerance: rule,
      verdict: holds ? .pass : .fail, value: value)
  }

  /// What tms sees where there is nothing to pass or fail.
  public static func observation(
    _ quantity: String, paper: String, tms: String, value: Double? = nil
  ) -> ClaimRow {
    ClaimRow(
      quantity: quantity, paper: paper, tms: tms, tolerance: "reported, not judged",
      verdict: .info, value: value)
  }

  /// Pearson's r of `x` and `y` at least `minimum`, less twice its standard error
  /// (1 − r²)/√(n − 1): like a loss, a correlation over n points is an estimate, and over
  /// ten points (a `--quick` run) its noise is ±0.1 or more.
  public static func correlationAtLeast(
    _ quantity: String, _ x: [Double], _ y: [Double], minimum: Double, paper: String,
    detail: String = ""
  ) -> ClaimRow {
    let r = correlation(x, y)
    let n = Double(min(x.count, y.count))
    let se = n > 1 && r.isFinite ? (1 - r * r) / (n - 1).squareRoot() : .nan
    return ClaimRow(
      quantity: quantity, paper: paper,
      tms: "r = " + estimate(r, se) + " over \(Int(n)) instances" + detail,
      tolerance: "r ≥ \(number(minimum)) − 2 SE, SE = (1 − r²)/√(n − 1)",
      verdict: r.isFinite && se.isFinite && r >= minimum - 2 * se ? .pass : .fail, value: r)
  }

  /// Pearson's correlation of two equally long series (NaN when either is constant).
  public static func correlation(_ x: [Double], _ y: [Double]) -> Double {
    let n = Double(min(x.count, y.count))
    guard n >= 2 else { return .nan }
    let mx = x.prefix(Int(n)).reduce(0, +) / n
    let my = y.prefix(Int(n)).reduce(0, +) / n
    var sxy = 0.0
    var sxx = 0.0
    var syy = 0.0
    for (a, b) in zip(x, y) {
      sxy += (a - mx) * (b - my)
      sxx += (a - mx) * (a - mx)
      syy += (b - my) * (b - my)
    }
    guard sxx > 0, syy > 0 else { return .nan }
    return sxy / (sxx * syy).squareRoot()
  }

  /// `x ± se` with the figures the error warrants (`0.18290 ± 0.00031`).
  public static func estimate(_ x: Double, _ se: Double) -> String {
    guard se.isFinite, se > 0, x.isFinite else { return number(x) }
    let digits = max(0, min(9, 1 - Int((log10(se)).rounded(.down))))
    return String(format: "%.\(digits)f ± %.\(digits)f", x, se)
  }

  /// Four significant figures, exponent form below 1e-3.
  public static func number(_ x: Double) -> String {
    guard x.isFinite else { return x.isNaN ? "NaN" : (x > 0 ? "∞" : "−∞") }
    if x == 0 { return "0" }
    if abs(x) < 1e-3 || abs(x) >= 1e6 { return String(format: "%.3e", x) }
    var s = String(format: "%.4g", x)
    if s.contains("e") { s = String(format: "%.4f", x) }
    return s
  }

  static func percent(_ r: Double) -> String {
    let p = r * 100
    return p == p.rounded() ? "\(Int(p))%" : String(format: "%.1f%%", p)
  }
}
