/// One line of status segments left to right with separators: `step 12.3k │ loss 0.0366 │ …`.
///
/// The line is filled with `background` first (e.g. reverse video for a status bar), then the
/// segments are written with `separator` between them; if they overflow, the text is cut at the
/// edge and ends in `…`. Segment colours are dropped in monochrome, attributes kept.
public struct StatusLine: Sendable {
  /// The segments, most important first.
  public var segments: [Span]
  /// Text between segments.
  public var separator: String
  /// Style of the whole line under the text; `nil` leaves the background untouched.
  public var background: Style?
  /// Colours available.
  public var depth: ColorDepth

  /// Creates a status line.
  public init(
    segments: [Span], separator: String = " │ ", background: Style? = nil,
    depth: ColorDepth = .xterm256
  ) {
    self.segments = segments
    self.separator = separator
    self.background = background
    self.depth = depth
  }

  /// The first of `layouts` (alternative segment lists, most detailed first) whose text fits
  /// in `width` columns with `separator` between segments, counting at most `lastMinimum`
  /// columns of the last segment (it may then be cut with `…`); the last layout when none fits.
  public static func firstFitting(
    _ layouts: [[Span]], width: Int, separator: String = " │ ", lastMinimum: Int = .max
  ) -> [Span] {
    func columns(_ spans: [Span]) -> Int {
      var total = separator.columns * max(0, spans.count - 1)
      for (i, span) in spans.enumerated() {
        total += i == spans.count - 1 ? min(span.text.columns, lastMinimum) : span.text.columns
      }
      return total
    }
    return layouts.first { columns($0) <= width } ?? layouts.last ?? []
  }

  /// Draws the line on the first row of `area`.
  public func render(into buffer: inout Buffer, area: Rect) {
    guard !area.isEmpty else { return }
    let row = area.row(0)
    let base = (background ?? .plain).adapted(to: depth)
    if let background {
      buffer.fill(
        row.intersection(buffer.area), with: Cell(" ", style: background.adapted(to: depth)))
    }
    let sepStyle = Style(fg: Palette.muted(depth), bg: base.bg, reverse: base.reverse)
      .adapted(to: depth)
    var spans: [Span] = []
    for (i, segment) in segments.enumerated() {
      if i > 0 { spans.append(Span(separator, style: sepStyle)) }
      var style = segment.style.adapted(to: depth)
      if background != nil {
        if style.bg == .terminalDefault { style.bg = base.bg }
        style.reverse = style.reverse || base.reverse
      }
      spans.append(Span(segment.text, style: style))
    }
    buffer.write(spans.truncated(to: area.width), x: area.x, y: area.y, clip: row)
  }
}
