/// A hand-built solution of the 2→1 or 3→2 phase problem (notes §7 and §9.5): the weights the
/// analytic phase boundaries come from, used by the sweep as a floor every trained seed must
/// beat.
///
/// Feature i has direction W_i (length m = n − 1); the extra feature e = n − 1 has importance
/// r, the others 1; every feature is active with probability p, uniform on [0, 1] when active,
/// so Var(x) = v(p) = p/3 − p²/4. A feature that is not represented gets the bias b_i = p/2 =
/// E[x_i] and costs I_i·v(p); an antipodal pair (W_j = −W_i, b = 0) reconstructs each one
/// alone exactly and costs (I_i + I_j)·E[min(x_i, x_j)²] = (I_i + I_j)/6 when both are active,
/// probability p². Closed-form losses in the *paper* convention (sum over features):
///
/// | prototype         | 2→1 weights W        | 3→2 weights W                 | loss             |
/// |-------------------|----------------------|-------------------------------|------------------|
/// | `extraNotLearned` | (1, 0), b_e = p/2    | ((1,0), (0,1), 0), b_e = p/2  | r·v(p)           |
/// | `extraDedicated`  | (0, 1), b_0 = p/2    | ((1,0), 0, (0,1)), b_1 = p/2  | v(p)             |
/// | `pairAndDedicated`| —                    | ((1,0), (−1,0), (0,1))        | 2·p²/6 = p²/3    |
/// | `antipodal`       | (1, −1)              | ((1,0), (0,1), (−1,0))        | (1 + r)·p²/6     |
///
/// `pairAndDedicated` (features 0 and 1 share a dimension antipodally, the extra feature has the
/// other) is why the extra feature of 3→2 is never in superposition for r > 1: it is cheaper
/// than `antipodal` exactly when 2 < 1 + r.
public enum PhasePrototype: String, Sendable, CaseIterable {
  /// The extra feature is dropped; the others keep their dimensions.
  case extraNotLearned = "extra-not-learned"
  /// The extra feature takes a dimension of its own, feature n − 2 is dropped.
  case extraDedicated = "extra-dedicated"
  /// 3→2 only: features 0 and 1 form an antipodal pair, the extra feature is dedicated.
  case pairAndDedicated = "pair-and-dedicated"
  /// The extra feature is antipodal to feature 0 (superposition); in 3→2 feature 1 keeps
  /// the other dimension.
  case antipodal

  /// The prototypes of an n→n−1 problem (n = 2 or 3), in declaration order.
  public static func cases(features n: Int) -> [PhasePrototype] {
    n == 3 ? allCases : allCases.filter { $0 != .pairAndDedicated }
  }

  /// The label the extra feature of this prototype gets.
  public var label: PhaseLabel {
    switch self {
    case .extraNotLearned: .notLearned
    case .extraDedicated, .pairAndDedicated: .dedicated
    case .antipodal: .superposition
    }
  }

  /// The prototype's weights for n = `features` (2 or 3) features at probability p (the bias
  /// of a dropped feature is p/2).
  public func parameters(features n: Int, probability p: Double) -> Parameters {
    let half = Float(p / 2)
    if n == 2 {
      switch self {
      case .extraNotLearned: return Parameters(W: [[1], [0]], b: [0, half])
      case .extraDedicated: return Parameters(W: [[0], [1]], b: [half, 0])
      case .pairAndDedicated, .antipodal: return Parameters(W: [[1], [-1]], b: [0, 0])
      }
    }
    switch self {
    case .extraNotLearned: return Parameters(W: [[1, 0], [0, 1], [0, 0]], b: [0, 0, half])
    case .extraDedicated: return Parameters(W: [[1, 0], [0, 0], [0, 1]], b: [0, half, 0])
    case .pairAndDedicated: return Parameters(W: [[1, 0], [-1, 0], [0, 1]], b: [0, 0, 0])
    case .antipodal: return Parameters(W: [[1, 0], [0, 1], [-1, 0]], b: [0, 0, 0])
    }
  }

  /// The closed-form expected loss at (p, r), paper convention (see the table above).
  public func closedFormLoss(probability p: Double, relativeImportance r: Double) -> Double {
    let v = p / 3 - p * p / 4
    switch self {
    case .extraNotLearned: return r * v
    case .extraDedicated: return v
    case .pairAndDedicated: return p * p / 3
    case .antipodal: return (1 + r) * p * p / 6
    }
  }
}
