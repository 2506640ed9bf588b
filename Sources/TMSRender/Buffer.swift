/// One terminal cell: a single-column glyph and its style.
public struct Cell: Hashable, Sendable {
  /// The glyph; always one terminal column wide.
  public var symbol: Unicode.Scalar
  /// Colours and attributes.
  public var style: Style

  /// Creates a cell.
  public init(_ symbol: Unicode.Scalar = " ", style: Style = .plain) {
    self.symbol = symbol
    self.style = style
  }

  /// A blank cell with default colours.
  public static let blank = Cell()
}

/// An in-memory grid of cells that widgets draw into, like ratatui's `Buffer`.
///
/// Nothing here knows about a terminal: a backend flushes the grid, and tests compare
/// ``lines`` with expected text. Writes outside the grid are ignored, so a widget given a
/// rectangle that is partly off-screen (after a resize to 1×1, say) never traps.
public struct Buffer: Sendable, Equatable {
  /// Columns.
  public private(set) var width: Int
  /// Rows.
  public private(set) var height: Int
  /// Row-major cells, `width * height` of them.
  public private(set) var cells: [Cell]

  /// A blank grid of the given size (negative sizes become zero).
  public init(width: Int, height: Int) {
    self.width = max(0, width)
    self.height = max(0, height)
    cells = Array(repeating: .blank, count: self.width * self.height)
  }

  /// The whole grid as a rectangle at the origin.
  public var area: Rect { Rect(x: 0, y: 0, width: width, height: height) }

  /// The cell at (`x`, `y`), or a blank cell outside the grid.
  public subscript(x: Int, y: Int) -> Cell {
    get {
      guard x >= 0, y >= 0, x < width, y < height else { return .blank }
      return cells[y * width + x]
    }
    set {
      guard x >= 0, y >= 0, x < width, y < height else { return }
      if newValue.symbol.isTerminalControl {
        cells[y * width + x] = Cell(Cell.controlReplacement, style: newValue.style)
      } else {
        cells[y * width + x] = newValue
      }
    }
  }

  /// Sets one cell's glyph and style; ignored outside the grid.
  public mutating func set(_ x: Int, _ y: Int, _ symbol: Unicode.Scalar, _ style: Style = .plain) {
    self[x, y] = Cell(symbol, style: style)
  }

  /// Writes `text` from (`x`, `y`) rightwards, clipped to `maxWidth` columns and the grid.
  ///
  /// Each Unicode scalar takes one column; combining marks and wide glyphs are not used by
  /// the widgets. Control characters are shown escaped (`ESC` as `^[`, one column per
  /// character of the escape; see `Buffer+Escaping.swift`). Returns the column after the
  /// last written cell; writing stops at the grid's right edge, so a huge string costs no
  /// more than the row it fills.
  @discardableResult
  public mutating func write(
    _ text: String, x: Int, y: Int, style: Style = .plain, maxWidth: Int = .max
  ) -> Int {
    var col = x
    for scalar in text.unicodeScalars {
      if scalar.isTerminalControl {
        for shown in scalar.escapedForTerminal {
          if col - x >= maxWidth || col >= width { return col }
          self[col, y] = Cell(shown, style: style)
          col += 1
        }
        continue
      }
      if col - x >= maxWidth || col >= width { break }
      self[col, y] = Cell(scalar, style: style)
      col += 1
    }
    return col
  }

  /// Copies `other` in with its top-left corner at (x, y), clipped to this buffer.
  public mutating func paste(_ other: Buffer, x: Int, y: Int) {
    for row in 0..<other.height {
      for col in 0..<other.width {
        let cell = other[col, row]
        set(x + col, y + row, cell.symbol, cell.style)
      }
    }
  }

  /// Fills `rect` (clipped to the grid) with `cell`.
  public mutating func fill(_ rect: Rect, with cell: Cell = .blank) {
    let r = rect.intersection(area)
    guard !r.isEmpty else { return }
    for row in r.y..<r.bottom {
      for col in r.x..<r.right { cells[row * width + col] = cell }
    }
  }

  /// Changes only the style of the cells in `rect`, keeping their glyphs.
  public mutating func restyle(_ rect: Rect, _ transform: (inout Style) -> Void) {
    let r = rect.intersection(area)
    guard !r.isEmpty else { return }
    for row in r.y..<r.bottom {
      for col in r.x..<r.right { transform(&cells[row * width + col].style) }
    }
  }

  /// The glyphs row by row, without styles and with trailing spaces kept.
  public var lines: [String] {
    (0..<height).map { row in
      var s = String.UnicodeScalarView()
      for col in 0..<width { s.append(cells[row * width + col].symbol) }
      return String(s)
    }
  }

  /// ``lines`` joined with newlines and trailing spaces removed: the usual golden-text form.
  public var text: String {
    lines.map { line in
      var l = Substring(line)
      while l.last == " " { l = l.dropLast() }
      return String(l)
    }.joined(separator: "\n")
  }
}
