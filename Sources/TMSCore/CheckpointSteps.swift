import TMSKernels

/// The steps at which a headless run records its state (`tms train --checkpoints`), e.g. the
/// learning-dynamics run's 100 log-spaced checkpoints from step 100 to 100,000.
public enum CheckpointSteps {
  /// The largest number of checkpoints a specification may ask for.
  public static let maxCount = 10_000

  /// A specification that cannot be read, with a one-line reason.
  public struct SpecError: Error, CustomStringConvertible, Equatable {
    /// The reason, naming the part of the specification at fault.
    public var description: String

    /// An error with this reason.
    public init(description: String) { self.description = description }
  }

  /// The sorted, distinct steps of `spec`:
  /// - `log:FROM:TO:COUNT`: COUNT steps log-spaced from FROM to TO,
  ///   round(FROM · (TO/FROM)^(i/(COUNT−1))) for i = 0…COUNT−1 (fewer when rounding merges
  ///   neighbours at the low end);
  /// - `lin:FROM:TO:COUNT`: COUNT steps evenly spaced from FROM to TO, rounded;
  /// - `S1,S2,…`: those steps.
  /// Every step is an integer in 1…10⁹ and FROM ≤ TO.
  public static func parse(_ spec: String) throws(SpecError) -> [Int] {
    let parts = spec.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
    if parts.count == 1 {
      let steps = try parts[0].split(separator: ",", omittingEmptySubsequences: false).map {
        (s) throws(SpecError) -> Int in try step(String(s), "step")
      }
      guard steps.count <= maxCount else {
        throw SpecError(description: "at most \(maxCount) steps, got \(steps.count)")
      }
      return Array(Set(steps)).sorted()
    }
    guard parts.count == 4, parts[0] == "log" || parts[0] == "lin" else {
      throw SpecError(
        description: "expected log:FROM:TO:COUNT, lin:FROM:TO:COUNT or a list of steps, got \(spec)"
      )
    }
    let from = try step(parts[1], "FROM")
    let to = try step(parts[2], "TO")
    guard from <= to else { throw SpecError(description: "FROM \(from) is after TO \(to)") }
    guard let count = Int(parts[3]), count >= 1, count <= maxCount else {
      throw SpecError(description: "COUNT must be an integer in 1…\(maxCount), got \(parts[3])")
    }
    return parts[0] == "log"
      ? logSpaced(from: from, to: to, count: count) : linear(from: from, to: to, count: count)
  }

  /// `count` steps log-spaced from `from` to `to` (both ≥ 1), distinct and sorted.
  public static func logSpaced(from: Int, to: Int, count: Int) -> [Int] {
    spaced(count) { t in
      libExp(libLog(Double(from)) + t * (libLog(Double(to)) - libLog(Double(from))))
    }
  }

  /// `count` steps evenly spaced from `from` to `to`, distinct and sorted.
  public static func linear(from: Int, to: Int, count: Int) -> [Int] {
    spaced(count) { t in Double(from) + t * Double(to - from) }
  }

  /// The rounded values of `value(t)` for t = i/(count−1), distinct and sorted.
  static func spaced(_ count: Int, _ value: (Double) -> Double) -> [Int] {
    let steps = (0..<count).map { i in
      Int(value(count == 1 ? 0 : Double(i) / Double(count - 1)).rounded())
    }
    return Array(Set(steps)).sorted()
  }

  /// One step number of a specification.
  static func step(_ text: String, _ name: String) throws(SpecError) -> Int {
    guard let s = Int(text), s >= 1, s <= 1_000_000_000 else {
      throw SpecError(description: "\(name) must be an integer in 1…1000000000, got \(text)")
    }
    return s
  }
}
