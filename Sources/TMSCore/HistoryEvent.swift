/// A change worth stopping at in a recorded run: an instance's geometry label changed (two
/// antipodal pairs became a pentagon), or features' dimensionalities D_i jumped between
/// the tight-frame fractions (the paper's learning-dynamics finding).
public struct HistoryEvent: Sendable, Equatable {
  /// What changed.
  public enum Kind: Sendable, Equatable {
    /// The geometry label went from one text to another.
    case geometry(from: String, to: String)
    /// These features' D_i settled at `to` after being settled at `from`.
    case dimensionality(features: [Int], from: Double, to: Double)
  }

  /// The first recorded step showing the new state.
  public var step: Int
  /// The instance.
  public var instance: Int
  /// What changed.
  public var kind: Kind

  /// An event.
  public init(step: Int, instance: Int, kind: Kind) {
    self.step = step
    self.instance = instance
    self.kind = kind
  }

  /// What changed, without the instance and step: `2 antipodal pairs → pentagon`,
  /// `3 features D 1/2 → 2/5`.
  public var change: String {
    switch kind {
    case .geometry(let from, let to): return "\(from) → \(to)"
    case .dimensionality(let features, let from, let to):
      let who = features.count == 1 ? "feature \(features[0])" : "\(features.count) features"
      return "\(who) D \(Self.fraction(from)) → \(Self.fraction(to))"
    }
  }

  /// The one line the event list shows: `#7 step 3,412: 2 antipodal pairs → pentagon`.
  public var text: String { "#\(instance) step \(step.grouped): \(change)" }

  static func fraction(_ v: Double) -> String {
    TightFrame.fractions.first { $0.value == v }?.label ?? String(v)
  }

}

/// Finds ``HistoryEvent``s frame by frame as a history is recorded. A new state counts only
/// once it has held: over at least two frames and a tenth of the steps so far (from step s
/// to s + s/10, the same span at every scale of the log-spaced frames), so a label
/// flickering at a boundary, or a D_i drifting through a fraction on its way elsewhere, is
/// not an event. The event's step is the first frame that showed the new state.
struct EventDetector: Sendable {
  /// Per instance: the settled label, and a different one seen once (with its step).
  var settledLabel: [String?] = []
  var pendingLabel: [(label: String, step: Int)?] = []
  /// Per instance and feature: the settled D_i level, and a new level seen once.
  var settledLevel: [[Double?]] = []
  var pendingLevel: [[(level: Double, step: Int)?]] = []

  /// D_i within this distance of a sticky fraction sits at it (the labeller's tolerance).
  static let levelTolerance = 0.012
  /// The fractions D_i sticks at in the paper's dimensionality figure: 1, 3/4, 2/3, 1/2,
  /// 2/5, 3/8 (below 3/8 the fractions lie closer together than the tolerance allows).
  static let stickyFractions = TightFrame.fractions.map(\.value).filter { $0 >= 0.375 }
  /// A new state must hold for this fraction of the step it appeared at.
  static let holdFraction = 0.1

  /// True when a state first seen at `first` still shows at `step` long enough to count.
  static func holds(from first: Int, to step: Int) -> Bool {
    step > first && Double(step - first) >= holdFraction * Double(first)
  }

  static func level(_ d: Double) -> Double? {
    let best = stickyFractions.min { abs($0 - d) < abs($1 - d) }
    guard let best, abs(best - d) <= levelTolerance else { return nil }
    return best
  }
  /// Features at or below this norm are not represented, and have no level.
  static let representedNorm = 0.5

  /// The events the frame at `step` completes. `dimensionality[k]` and `norms[k]` are
  /// instance k's D_i and ‖W_i‖.
  mutating func scan(
    step: Int, labels: [String], dimensionality: [[Double]], norms: [[Double]]
  ) -> [HistoryEvent] {
    let instances = labels.count
    if settledLabel.count != instances {
      settledLabel = Array(repeating: nil, count: instances)
      pendingLabel = Array(repeating: nil, count: instances)
      settledLevel = dimensionality.map { Array(repeating: nil, count: $0.count) }
      pendingLevel = dimensionality.map { Array(repeating: nil, count: $0.count) }
    }
    var out: [HistoryEvent] = []
    for k in 0..<instances {
      let label = labels[k]
      if settledLabel[k] == nil {
        settledLabel[k] = label
      } else if label == settledLabel[k] {
        pendingLabel[k] = nil
      } else if let p = pendingLabel[k], p.label == label {
        if Self.holds(from: p.step, to: step) {
          out.append(
            HistoryEvent(
              step: p.step, instance: k, kind: .geometry(from: settledLabel[k] ?? "", to: label)))
          settledLabel[k] = label
          pendingLabel[k] = nil
        }
      } else {
        pendingLabel[k] = (label, step)
      }
      out += levelEvents(
        step: step, instance: k, dimensionality: dimensionality[k], norms: norms[k])
    }
    return out
  }

  private mutating func levelEvents(
    step: Int, instance k: Int, dimensionality d: [Double], norms: [Double]
  ) -> [HistoryEvent] {
    guard settledLevel[k].count == d.count else { return [] }
    var jumps: [Int: [(feature: Int, from: Double, to: Double, step: Int)]] = [:]
    for i in d.indices {
      guard norms[i] > Self.representedNorm, let level = Self.level(d[i]) else {
        pendingLevel[k][i] = nil
        continue
      }
      guard let settled = settledLevel[k][i] else {
        if let p = pendingLevel[k][i], p.level == level {
          guard Self.holds(from: p.step, to: step) else { continue }
          settledLevel[k][i] = level
          pendingLevel[k][i] = nil
        } else {
          pendingLevel[k][i] = (level, step)
        }
        continue
      }
      if level == settled {
        pendingLevel[k][i] = nil
      } else if let p = pendingLevel[k][i], p.level == level {
        guard Self.holds(from: p.step, to: step) else { continue }
        jumps[p.step, default: []].append((i, settled, level, p.step))
        settledLevel[k][i] = level
        pendingLevel[k][i] = nil
      } else {
        pendingLevel[k][i] = (level, step)
      }
    }
    var out: [HistoryEvent] = []
    for (at, list) in jumps.sorted(by: { $0.key < $1.key }) {
      let pairs = Dictionary(grouping: list) { "\($0.from)>\($0.to)" }
      for (_, group) in pairs.sorted(by: { $0.value[0].feature < $1.value[0].feature }) {
        out.append(
          HistoryEvent(
            step: at, instance: k,
            kind: .dimensionality(
              features: group.map(\.feature), from: group[0].from, to: group[0].to)))
      }
    }
    return out
  }
}
