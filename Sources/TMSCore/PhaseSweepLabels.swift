import TMSKernels

/// What happened to the extra feature of a phase-diagram cell (the paper's three colours).
///
/// The extra feature is the last one: importance (1, r) for 2→1, (1, 1, r) for 3→2.
public enum PhaseLabel: String, Sendable, CaseIterable {
  /// ‖W_extra‖ at or below the norm threshold: the model ignores the feature (white).
  case notLearned = "not-learned"
  /// Represented with little interference, s_extra at or below the superposition threshold:
  /// it has a dimension of its own (blue).
  case dedicated
  /// Represented and sharing its direction, s_extra above the threshold (red).
  case superposition

  /// One character for text figures: `·` not learned, `D` dedicated, `S` superposition.
  public var symbol: Character {
    switch self {
    case .notLearned: return "·"
    case .dedicated: return "D"
    case .superposition: return "S"
    }
  }
}

/// The thresholds that turn the extra feature's norm and superposition into a label.
///
/// With W_e the extra feature's direction and s_e = Σ_{j≠e} (Ŵ_e·W_j)² its superposition:
/// - not learned when ‖W_e‖ ≤ `norm` (0.5, the notes' "represented" convention; trained
///   solutions sit near 0 or near 1, so the midpoint separates them);
/// - superposition when ‖W_e‖ > `norm` and s_e > `superposition` (0.25 = 0.5²);
/// - dedicated otherwise.
/// Why 0.25: in 2→1 (m = 1) every direction is ±1, so s_e = ‖W₀‖² and s_e > 0.25 says feature 0
/// is represented too by the same 0.5 norm convention (the antipodal pair has s_e ≈ 1). In 3→2
/// an antipodal pair gives s_e ≈ 1 and a triangle of unit vectors exactly 2·cos²120° = 0.5, so
/// the threshold must sit well below 0.5; a dedicated dimension gives s_e ≈ 0.
public struct PhaseThresholds: Sendable, Equatable {
  /// Represented when ‖W_extra‖ > `norm`.
  public var norm: Double
  /// Superposition when s_extra > `superposition` (and represented).
  public var superposition: Double

  /// The defaults: norm 0.5, superposition 0.25.
  public static let standard = PhaseThresholds(norm: 0.5, superposition: 0.25)

  /// Creates thresholds.
  public init(norm: Double, superposition: Double) {
    self.norm = norm
    self.superposition = superposition
  }

  /// The label of an extra feature with norm ‖W_e‖ = `norm` and superposition s_e.
  public func label(norm: Double, superposition: Double) -> PhaseLabel {
    guard norm.isFinite, norm > self.norm else { return .notLearned }
    return superposition > self.superposition ? .superposition : .dedicated
  }
}

/// The analytic phase diagrams of the notes (§7 and §9.5), from the prototype solutions
/// (``PhasePrototype``, closed-form losses in the *paper* convention, v(p) = p/3 − p²/4).
///
/// 2→1, importance (1, r): not learned r·v(p), dedicated v(p), antipodal (1 + r)·p²/6.
/// Superposition beats not learned iff p < 4r/(2 + 5r) and beats dedicated iff p < 4/(2r + 5);
/// the binding one is the cheaper rival: not learned for r < 1, dedicated for r > 1.
///
/// 3→2, importance (1, 1, r): the same three plus features 0 and 1 antipodal with the extra
/// feature dedicated, p²/3, so "dedicated" costs min(v(p), p²/3). For r < 1 the antipodal
/// prototype (1 + r)·p²/6 is below p²/3, so the extra feature is in superposition iff
/// p < 4r/(2 + 5r), as in 2→1; for r > 1 the pair of important features is cheaper than the
/// extra feature's pair, and the extra feature is never in superposition (dedicated for every p).
extension PhaseSweep {
  /// The three prototype losses at (p, r) for n = `features` (2 or 3), paper convention; for
  /// 3→2 `dedicated` is the cheaper of the two prototypes with a dedicated extra feature.
  public static func analyticLosses(
    features n: Int = 2, probability p: Double, relativeImportance r: Double
  ) -> (notLearned: Double, dedicated: Double, superposition: Double) {
    let loss = { (q: PhasePrototype) in q.closedFormLoss(probability: p, relativeImportance: r) }
    let dedicated =
      n == 3 ? min(loss(.extraDedicated), loss(.pairAndDedicated)) : loss(.extraDedicated)
    return (loss(.extraNotLearned), dedicated, loss(.antipodal))
  }

  /// The label of the cheapest prototype at (p, r); ties go to superposition, then dedicated
  /// (at r = 1 the two single-feature solutions cost the same).
  public static func analyticLabel(
    features n: Int = 2, probability p: Double, relativeImportance r: Double
  ) -> PhaseLabel {
    let l = analyticLosses(features: n, probability: p, relativeImportance: r)
    if l.superposition <= min(l.notLearned, l.dedicated) { return .superposition }
    return l.dedicated <= l.notLearned ? .dedicated : .notLearned
  }

  /// The lowest prototype loss at (p, r), paper convention.
  public static func analyticBestLoss(
    features n: Int = 2, probability p: Double, relativeImportance r: Double
  ) -> Double {
    let l = analyticLosses(features: n, probability: p, relativeImportance: r)
    return min(l.superposition, min(l.notLearned, l.dedicated))
  }

  /// The feature probability below which the extra feature is in superposition at relative
  /// importance r. 2→1: p*(r) = 4r/(2 + 5r) for r ≤ 1, 4/(2r + 5) for r ≥ 1 (4/7 at r = 1).
  /// 3→2: 4r/(2 + 5r) for r ≤ 1 and 0 for r > 1 (never). 0 for r ≤ 0.
  public static func analyticBoundary(features n: Int = 2, relativeImportance r: Double)
    -> Double
  {
    guard r > 0 else { return 0 }
    if r <= 1 { return 4 * r / (2 + 5 * r) }
    return n == 3 ? 0 : 4 / (2 * r + 5)
  }
}
