extension Int {
  /// The number with commas between its thousands (`12,345`, `-1,000`): how step counts are
  /// printed everywhere, exactly, so a paused counter visibly stands still.
  public var grouped: String {
    let digits = String(magnitude)
    var out = self < 0 ? "-" : ""
    for (i, ch) in digits.enumerated() {
      if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
      out.append(ch)
    }
    return out
  }
}
