import Foundation
import TMSKernels

/// A sweep's finished points arranged on its axes, for the sweep view: every point gets one
/// position per axis, and any two axes make a grid whose other axes are held fixed.
///
/// A grid axis keeps the order of its values (a log range from dense to sparse stays so).
/// A random sweep's list axis uses its list; a range axis, whose every point has its own
/// value, is cut into ``rangeBins`` equal bins (log-spaced for a log range), and a cell
/// shows the mean of its points.
public struct SweepTable: Sendable {
  /// One axis: its key and the label of each position.
  public struct Axis: Sendable, Equatable {
    /// The field key.
    public var key: String
    /// A short label per position (a value, or a bin's centre).
    public var labels: [String]
    /// The numeric value of each position, when the values are numbers.
    public var numbers: [Double?]
  }

  /// Bins per range axis of a random sweep.
  public static let rangeBins = 12

  /// The axes, in the sweep's order.
  public let axes: [Axis]
  /// The finished points.
  public let records: [SweepRecord]
  /// Points in the whole sweep.
  public let total: Int
  /// The sweep's id.
  public let sweepID: String
  /// For each position vector (one index per axis), the records there.
  private let cells: [[Int]: [Int]]

  /// Positions per axis.
  public var shape: [Int] { axes.map(\.labels.count) }

  /// Arranges `records` of `spec` on its axes; a record whose value is on no axis position
  /// (another sweep's) is left out.
  public init(spec: SweepSpec, sweepID: String, records: [SweepRecord]) {
    var axes: [Axis] = []
    var position: [(JSONValue) -> Int?] = []
    for axis in spec.axes {
      if spec.randomPoints > 0, case .log(let a, let b, _) = axis.values {
        axes.append(Self.binnedAxis(axis.key, a, b, log: true))
        position.append { Self.bin($0, a, b, log: true) }
      } else if spec.randomPoints > 0, case .linear(let a, let b, _) = axis.values {
        axes.append(Self.binnedAxis(axis.key, a, b, log: false))
        position.append { Self.bin($0, a, b, log: false) }
      } else {
        let values = axis.gridValues
        axes.append(
          Axis(
            key: axis.key, labels: values.map(Self.label),
            numbers: values.map { v in
              if case .number(let t) = v { return Double(t) }
              return nil
            }))
        position.append { v in values.firstIndex(of: v) }
      }
    }
    var cells: [[Int]: [Int]] = [:]
    var kept: [SweepRecord] = []
    for r in records {
      var at: [Int] = []
      for (a, axis) in spec.axes.enumerated() {
        guard let v = r.axes[axis.key], let p = position[a](v) else { break }
        at.append(p)
      }
      guard at.count == axes.count else { continue }
      cells[at, default: []].append(kept.count)
      kept.append(r)
    }
    self.axes = axes
    self.records = kept
    self.cells = cells
    total = spec.pointCount
    self.sweepID = sweepID
  }

  /// The records at `position` (one index per axis).
  public func records(at position: [Int]) -> [SweepRecord] {
    (cells[position] ?? []).map { records[$0] }
  }

  /// The value a metric takes at `position`: the mean over its records, nil when none.
  public func value(_ metric: SweepMetric, at position: [Int]) -> Double? {
    let values = records(at: position).map(metric.value).filter(\.isFinite)
    guard !values.isEmpty else { return nil }
    return values.reduce(0, +) / Double(values.count)
  }

  static func binnedAxis(_ key: String, _ a: Double, _ b: Double, log: Bool) -> Axis {
    let centres = (0..<rangeBins).map { k -> Double in
      let t = (Double(k) + 0.5) / Double(rangeBins)
      return log ? libExp(libLog(a) + t * (libLog(b) - libLog(a))) : a + t * (b - a)
    }
    return Axis(key: key, labels: centres.map { Self.shortNumber($0) }, numbers: centres)
  }

  static func bin(_ v: JSONValue, _ a: Double, _ b: Double, log: Bool) -> Int? {
    guard case .number(let t) = v, let x = Double(t), x.isFinite else { return nil }
    let u =
      log ? (libLog(x) - libLog(a)) / (libLog(b) - libLog(a)) : (x - a) / (b - a)
    guard u.isFinite else { return 0 }
    return min(rangeBins - 1, max(0, Int(u * Double(rangeBins))))
  }

  /// A value as a short label: numbers to 3 significant digits, names as they are, a curve
  /// object as its key and value (`geometric 0.7`).
  public static func label(_ v: JSONValue) -> String {
    switch v {
    case .number(let t): return Double(t).map { shortNumber($0) } ?? t
    case .string(let s): return s
    case .bool(let b): return b ? "true" : "false"
    case .object(let o):
      return o.keys.map { k in "\(k) \(o[k].map(label) ?? "")" }.joined(separator: " ")
    case .array(let items): return "[" + items.map(label).joined(separator: " ") + "]"
    default: return v.shown
    }
  }

  /// `x` to 3 significant digits (`0.001`, `3.16e-05`, `12`).
  public static func shortNumber(_ x: Double) -> String {
    guard x.isFinite else { return "–" }
    return String(format: "%.3g", x)
  }
}

/// What the sweep view colours its cells by.
public enum SweepMetric: String, CaseIterable, Sendable {
  /// The winning model's held-out loss (log scale).
  case loss
  /// Features with ‖W_i‖ > 0.5.
  case represented
  /// D* = m/‖W‖_F².
  case dimensionsPerFeature = "D*"
  /// The last feature's norm ‖W_{n−1}‖ (the phase diagram's extra feature).
  case lastNorm = "‖W_last‖"
  /// The last feature's superposition s_{n−1}.
  case lastSuperposition = "s_last"
  /// The phase diagram's colour of the last feature (white not learned, blue dedicated, red
  /// superposition), from its norm and superposition.
  case phase

  /// The metric's value for a record (the phase's is the norm; its colour uses both).
  public func value(_ r: SweepRecord) -> Double {
    switch self {
    case .loss: r.evalLoss
    case .represented: Double(r.represented)
    case .dimensionsPerFeature: r.dimensionsPerFeature
    case .lastNorm, .phase: r.norms.last ?? .nan
    case .lastSuperposition: r.superposition.last ?? .nan
    }
  }

  /// True when colours follow log(value).
  public var logarithmic: Bool { self == .loss }
}
