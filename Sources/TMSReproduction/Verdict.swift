/// Whether tms agrees with one of the paper's numbers.
///
/// `info` rows record what tms sees where the paper makes no checkable claim (or says its own
/// run may not show it); they never fail a report.
public enum Verdict: String, Sendable, Equatable, Codable {
  case pass
  case fail
  case info
}

/// One line of a section's table: `quantity | paper | tms | tolerance | verdict`.
public struct ClaimRow: Sendable, Equatable {
  /// What is compared ("loss at p = 1, paper convention").
  public var quantity: String
  /// The paper's value or claim, as text.
  public var paper: String
  /// tms's value, as text (with ± one standard error where it is an estimate).
  public var tms: String
  /// The rule the verdict applies, as text.
  public var tolerance: String
  /// The verdict.
  public var verdict: Verdict
  /// tms's value as a number, for results.json (nil for a count list or text).
  public var value: Double?

  /// A row.
  public init(
    quantity: String, paper: String, tms: String, tolerance: String, verdict: Verdict,
    value: Double? = nil
  ) {
    self.quantity = quantity
    self.paper = paper
    self.tms = tms
    self.tolerance = tolerance
    self.verdict = verdict
    self.value = value
  }
}
