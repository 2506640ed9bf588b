/// A key and what it does, as shown in the footer and the help overlay.
public struct KeyHint: Hashable, Sendable {
  /// The key as printed, e.g. `q`, `space`, `←/→`.
  public var key: String
  /// What it does, e.g. `quit`.
  public var action: String

  /// Creates a hint.
  public init(_ key: String, _ action: String) {
    self.key = key
    self.action = action
  }
}

/// The one-line list of key hints at the bottom of the screen: `q quit  space pause  ? help`.
///
/// Keys are bold (and accent-coloured when colour is allowed), actions plain, hints two spaces
/// apart. When they do not all fit, whole hints are dropped from the middle and `…` marks the
/// cut; the last hint (by convention `? help`, the way to every other key) stays while the
/// first and it fit; if not even the first fits, it is truncated with `…`.
public struct Footer: Sendable {
  /// The hints, most important first.
  public var hints: [KeyHint]
  /// Colours available.
  public var depth: ColorDepth

  /// Creates a footer.
  public init(hints: [KeyHint], depth: ColorDepth = .xterm256) {
    self.hints = hints
    self.depth = depth
  }

  /// The spans that fit in `width` columns.
  func spans(width: Int) -> [Span] {
    let keyStyle = Style(fg: Palette.accent(depth), bold: true).adapted(to: depth)
    let pieces = hints.map { [Span($0.key, style: keyStyle), Span(" " + $0.action)] }
    func joined(_ n: Int) -> [Span] {
      var out: [Span] = []
      for piece in pieces.prefix(n) {
        if !out.isEmpty { out.append(Span("  ")) }
        out += piece
      }
      return out
    }
    if joined(pieces.count).width <= width { return joined(pieces.count) }
    let last = pieces.count >= 2 ? [Span("  …  ")] + pieces[pieces.count - 1] : [Span("  …")]
    let kept = pieces.count >= 2 ? pieces.count - 2 : pieces.count - 1
    var n = kept
    while n > 0 && joined(n).width + last.width > width { n -= 1 }
    if n > 0 { return joined(n) + last }
    var m = pieces.count - 1
    while m > 0 && joined(m).width + 3 > width { m -= 1 }
    if m == 0 { return (pieces.first ?? []).truncated(to: width) }
    return joined(m) + [Span("  …")]
  }

  /// Draws the hints on the first row of `area`.
  public func render(into buffer: inout Buffer, area: Rect) {
    guard !area.isEmpty else { return }
    buffer.write(spans(width: area.width), x: area.x, y: area.y, clip: area)
  }
}
