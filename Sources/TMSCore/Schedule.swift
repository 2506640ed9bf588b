import TMSKernels

/// Learning-rate schedules of the notebook: the factor that multiplies the base lr.
public enum Schedule: String, Sendable, CaseIterable {
  /// Factor 1 at every step.
  case constant
  /// Factor 1 − step/steps (step is zero-based).
  case linear
  /// Factor cos(π/2 · step/(steps − 1)).
  case cosine

  /// The factor at zero-based `step` of a run of `steps` steps.
  ///
  /// Open-ended runs (the live explorer, `steps == 0`) always use factor 1.
  public func factor(step: Int, steps: Int) -> Double {
    guard steps > 0 else { return 1 }
    switch self {
    case .constant: return 1
    case .linear: return max(0, 1 - Double(step) / Double(steps))
    case .cosine:
      guard steps > 1 else { return 1 }
      return Swift.max(0, libCos(Double.pi / 2 * Double(min(step, steps - 1)) / Double(steps - 1)))
    }
  }
}
