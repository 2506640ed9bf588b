/// Column arithmetic for widget text, where every Unicode scalar takes one terminal column
/// (the convention of ``Buffer/write(_:x:y:style:maxWidth:)``).
extension String {
  /// Terminal columns this text takes.
  var columns: Int { unicodeScalars.count }

  /// The text cut to at most `width` columns, ending in `…` when something was cut.
  func truncated(to width: Int) -> String {
    guard width > 0 else { return "" }
    let scalars = unicodeScalars
    guard scalars.count > width else { return self }
    var out = String.UnicodeScalarView()
    out.append(contentsOf: scalars.prefix(width - 1))
    out.append("…")
    return String(out)
  }

  /// The text cut to at most `width` columns without an ellipsis.
  func clipped(to width: Int) -> String {
    guard width > 0 else { return "" }
    var out = String.UnicodeScalarView()
    out.append(contentsOf: unicodeScalars.prefix(width))
    return String(out)
  }

  /// The text truncated to `width` and padded with spaces on the left to exactly `width`.
  func padded(left width: Int) -> String {
    let t = truncated(to: width)
    return String(repeating: " ", count: max(0, width - t.columns)) + t
  }

  /// The text truncated to `width` and padded with spaces on the right to exactly `width`.
  func padded(right width: Int) -> String {
    let t = truncated(to: width)
    return t + String(repeating: " ", count: max(0, width - t.columns))
  }

  /// The text in lines of at most `width` characters, broken at spaces (a longer word
  /// stands alone on its line); no lines for a width below 1. Shared by the presets picker
  /// and the report's figure labels.
  public func wrapped(width: Int) -> [String] {
    guard width > 0 else { return [] }
    var lines: [String] = []
    var line = ""
    for word in split(separator: " ") {
      if line.isEmpty {
        line = String(word)
      } else if line.count + 1 + word.count <= width {
        line += " " + word
      } else {
        lines.append(line)
        line = String(word)
      }
    }
    if !line.isEmpty { lines.append(line) }
    return lines
  }
}
