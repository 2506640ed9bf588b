import TMSKernels

/// The per-feature curves the paper uses for importances and probabilities.
public enum Curve {
  /// `count` copies of `value`.
  public static func constant(_ value: Double, count: Int) -> [Double] {
    Array(repeating: value, count: max(0, count))
  }

  /// Geometric decay rⁱ for i = 0 … count−1 (importance 0.9ⁱ, 0.7ⁱ, …).
  public static func geometric(_ r: Double, count: Int) -> [Double] {
    (0..<max(0, count)).map { libPow(r, Double($0)) }
  }

  /// a^(−linspace(0, 1, count)): from 1 down to 1/a, evenly in log space.
  ///
  /// The intro sweep is `logSpaced(20, count: 10)` = 1, 0.717, …, 0.05.
  public static func logSpaced(_ a: Double, count: Int) -> [Double] {
    guard count > 1 else { return count == 1 ? [1] : [] }
    return (0..<count).map { libPow(a, -Double($0) / Double(count - 1)) }
  }

  /// `count` values from `first` to `last`, evenly in log space (both must be > 0).
  ///
  /// The end points are exactly `first` and `last` and every value lies between them:
  /// exp(log x) is not always x (exp(log 1e6) = 1000000.0000000013), and a limit checked on
  /// the end points must hold for every value.
  public static func logRange(from first: Double, to last: Double, count: Int) -> [Double] {
    guard count > 1 else { return count == 1 ? [first] : [] }
    let a = libLog(first)
    let b = libLog(last)
    let low = min(first, last)
    let high = max(first, last)
    return (0..<count).map { i in
      if i == 0 { return first }
      if i == count - 1 { return last }
      return min(high, max(low, libExp(a + (b - a) * Double(i) / Double(count - 1))))
    }
  }
}
