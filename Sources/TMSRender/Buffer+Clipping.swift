/// Drawing that is clipped to a widget's area as well as to the grid.
///
/// ``Buffer`` only ignores writes outside the grid; widgets must also never draw outside the
/// `area` they were given, which may be smaller than the grid or partly outside it.
extension Buffer {
  /// Sets the cell at (`x`, `y`) when it lies inside `clip`.
  public mutating func set(_ x: Int, _ y: Int, _ cell: Cell, clip: Rect) {
    guard clip.contains(column: x, row: y) else { return }
    self[x, y] = cell
  }

  /// Writes `text` rightwards from (`x`, `y`), keeping only the columns inside `clip`;
  /// control characters are shown escaped, as by ``write(_:x:y:style:maxWidth:)``.
  ///
  /// Returns the column after the last scalar, whether or not it was visible, so callers can
  /// keep laying out text that runs off the edge. Once the text has passed the right edge of
  /// `clip` the rest is not looked at and the column returned is the one it reached (at or
  /// past that edge, where anything laid out next is invisible either way), so a huge string
  /// costs no more than the columns it can fill.
  @discardableResult
  public mutating func write(
    _ text: String, x: Int, y: Int, style: Style = .plain, clip: Rect
  ) -> Int {
    let visibleRow = y >= clip.y && y < clip.bottom
    var col = x
    for scalar in text.unicodeScalars {
      if col >= clip.right { break }
      for shown in scalar.isTerminalControl ? scalar.escapedForTerminal : [scalar] {
        if visibleRow && col >= clip.x && col < clip.right {
          self[col, y] = Cell(shown, style: style)
        }
        col += 1
      }
    }
    return col
  }

  /// Writes a run of styled spans from (`x`, `y`) inside `clip`; returns the column after.
  @discardableResult
  public mutating func write(_ spans: [Span], x: Int, y: Int, clip: Rect) -> Int {
    var col = x
    for span in spans { col = write(span.text, x: col, y: y, style: span.style, clip: clip) }
    return col
  }
}
