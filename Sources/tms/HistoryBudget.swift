import TMSCore

/// The `--history-budget MB` flag of `tms train --record` and the explorer: megabytes of
/// keyframes a recorded history may hold.
enum HistoryBudget {
  /// The largest budget accepted, 64 GB: more than any machine this runs on should give a
  /// history, and far from overflowing a byte count.
  static let maximumMB = 65_536.0

  /// `mb` megabytes as bytes (the default, 64 MB, for nil); a one-line error naming `flag`
  /// for a value that is not a number in 1…65,536.
  static func bytes(_ mb: Double?, flag: String) throws -> Int {
    guard let mb else { return RunHistory.defaultBudget }
    guard mb.isFinite, mb >= 1, mb <= maximumMB else {
      throw CLIError("\(flag): must be a number of megabytes in 1…65536, got \(mb)")
    }
    return Int(mb * 1_048_576)
  }
}
