/// A position in a matrix, zero-based.
public struct MatrixIndex: Hashable, Sendable {
  /// Row.
  public var row: Int
  /// Column.
  public var col: Int

  /// Creates an index.
  public init(row: Int, col: Int) {
    self.row = row
    self.col = col
  }
}

/// A matrix drawn as coloured pixels: WᵀW, W, or any rows×cols grid of `Float`s.
///
/// **Pixels.** At xterm-256 each cell shows two matrix rows with the upper half block `▀`:
/// its foreground is the upper row's colour and its background the lower row's, so pixels are
/// roughly square. At eight colours and in monochrome a cell shows one matrix row, as the
/// colormap's glyph (see ``DivergingColormap``), because shades and markers cannot be split
/// into halves.
///
/// **Fitting.** The visible part (the whole matrix, or the viewport `rowRange`×`colRange`) is
/// drawn one entry per pixel from the area's top-left corner when it fits. Otherwise it is
/// scaled down by one factor on both axes, keeping its aspect ratio, to at most the area's
/// pixels; output pixel i covers matrix rows ⌊i·r/R⌋ ..< ⌊(i+1)·r/R⌋ (r rows shown by R
/// pixels), and likewise for columns. Each pixel shows the **signed max-abs** of its block —
/// the entry with the largest magnitude, sign kept — rather than the mean, so a single strong
/// interference term or diagonal entry stays visible instead of being averaged away.
///
/// **Extras.** `cursor` paints its pixel in `cursorColor` (reverse video in glyph mode), and
/// ``cursorValue`` gives the value to print elsewhere. `bias`, one value per matrix row, is
/// drawn as one more column after a one-cell gap, binned like the rows.
public struct Heatmap: Sendable {
  /// Number of matrix rows.
  public var rows: Int
  /// Number of matrix columns.
  public var cols: Int
  /// Row-major entries; missing entries read as 0.
  public var values: [Float]
  /// Value → colour (and glyph); its depth decides half blocks or glyphs.
  public var colormap: any Colormap
  /// An extra column vector drawn to the right (the bias b), one value per row.
  public var bias: [Float]?
  /// The highlighted entry.
  public var cursor: MatrixIndex?
  /// Rows to show (clamped to the matrix); `nil` shows all.
  public var rowRange: Range<Int>?
  /// Columns to show (clamped to the matrix); `nil` shows all.
  public var colRange: Range<Int>?
  /// Colour of the cursor pixel at xterm-256 and eight colours.
  public var cursorColor: Color
  /// Draw small matrices bigger: each entry becomes an f×f block of pixels, with the largest
  /// integer f that fits, so a 5×5 WᵀW fills its panel instead of a corner.
  public var magnify: Bool

  /// Creates a heatmap of a `rows`×`cols` row-major matrix.
  public init(
    rows: Int, cols: Int, values: [Float], colormap: any Colormap = DivergingColormap(),
    bias: [Float]? = nil, cursor: MatrixIndex? = nil, rowRange: Range<Int>? = nil,
    colRange: Range<Int>? = nil, cursorColor: Color = .indexed(46), magnify: Bool = false
  ) {
    self.magnify = magnify
    self.rows = rows
    self.cols = cols
    self.values = values
    self.colormap = colormap
    self.bias = bias
    self.cursor = cursor
    self.rowRange = rowRange
    self.colRange = colRange
    self.cursorColor = cursorColor
  }

  /// Colours available (the colormap's).
  public var depth: ColorDepth { colormap.depth }

  /// The entry at (`row`, `col`); `nil` outside the matrix, 0 where `values` is too short.
  public func value(row: Int, col: Int) -> Float? {
    guard row >= 0, col >= 0, row < rows, col < cols else { return nil }
    let i = row * cols + col
    return i < values.count ? values[i] : 0
  }

  /// The value under the cursor, for a status line.
  public var cursorValue: Float? {
    guard let cursor else { return nil }
    return value(row: cursor.row, col: cursor.col)
  }

  /// Cells needed to show the visible part one entry per pixel (including the bias column).
  public var preferredSize: (width: Int, height: Int) {
    let (r, c) = (visibleRows.count, visibleCols.count)
    let perCell = depth == .xterm256 ? 2 : 1
    return (c + (bias == nil || c == 0 ? 0 : 2), (r + perCell - 1) / perCell)
  }

  /// The matrix entry drawn at screen cell (`x`, `y`) when rendered into `area`, for mouse
  /// clicks; at xterm-256 a cell holds two pixels and the upper one is returned. `nil` off the
  /// matrix (including the bias column).
  public func index(atColumn x: Int, row y: Int, in area: Rect) -> MatrixIndex? {
    guard let g = geometry(in: area) else { return nil }
    let j = x - area.x
    let i = (y - area.y) * g.pixelsPerCell
    guard j >= 0, j < g.outCols, i >= 0, i < g.outRows else { return nil }
    return MatrixIndex(row: g.rowBlock(i).lowerBound, col: g.colBlock(j).lowerBound)
  }

  /// Draws the matrix (and bias) from the top-left of `area`; cells it does not need are left
  /// untouched.
  public func render(into buffer: inout Buffer, area: Rect) {
    guard let g = geometry(in: area) else { return }
    let cursorPixel = cursor.flatMap { g.pixel(of: $0) }
    if g.pixelsPerCell == 2 {
      for cy in 0..<g.cellHeight {
        for j in 0..<g.outCols {
          let top = color(g, 2 * cy, j, cursorPixel)
          let bottom = 2 * cy + 1 < g.outRows ? color(g, 2 * cy + 1, j, cursorPixel) : nil
          let cell = Cell("▀", style: Style(fg: top, bg: bottom ?? .terminalDefault))
          buffer.set(area.x + j, area.y + cy, cell, clip: area)
        }
        if let bx = g.biasX {
          let top = colormap.color(for: biasValue(g.rowBlock(2 * cy)))
          let bottom =
            2 * cy + 1 < g.outRows
            ? colormap.color(for: biasValue(g.rowBlock(2 * cy + 1))) : .terminalDefault
          buffer.set(bx, area.y + cy, Cell("▀", style: Style(fg: top, bg: bottom)), clip: area)
        }
      }
    } else {
      for i in 0..<g.outRows {
        for j in 0..<g.outCols {
          var cell = colormap.swatch(for: aggregate(g.rowBlock(i), g.colBlock(j))).cell
          if isCursor(g, i, j, cursorPixel) { cell.style.reverse = true }
          buffer.set(area.x + j, area.y + i, cell, clip: area)
        }
        if let bx = g.biasX {
          buffer.set(
            bx, area.y + i, colormap.swatch(for: biasValue(g.rowBlock(i))).cell, clip: area)
        }
      }
    }
  }

  /// True when output pixel (i, j) shows the cursor's entry (every pixel of its block when
  /// magnified).
  private func isCursor(_ g: Geometry, _ i: Int, _ j: Int, _ cursorPixel: MatrixIndex?) -> Bool {
    guard let c = cursor, cursorPixel != nil else { return false }
    return g.rowBlock(i).contains(c.row) && g.colBlock(j).contains(c.col)
  }

  /// Colour of output pixel (i, j), the cursor taking precedence.
  private func color(_ g: Geometry, _ i: Int, _ j: Int, _ cursorPixel: MatrixIndex?) -> Color {
    if isCursor(g, i, j, cursorPixel) { return cursorColor }
    return colormap.color(for: aggregate(g.rowBlock(i), g.colBlock(j)))
  }

  /// Signed max-abs of the block: the entry of largest magnitude (first on ties), NaNs skipped;
  /// NaN when the block holds nothing else.
  private func aggregate(_ rowBlock: Range<Int>, _ colBlock: Range<Int>) -> Float {
    // Runs for every pixel of every frame (a 200×200 WᵀW in twenty sweep panels is 800k
    // entries), so it reads the storage directly instead of through `value(row:col:)`.
    var best = Float.nan
    var bestAbs: Float = -1
    values.withUnsafeBufferPointer { v in
      for r in rowBlock where r >= 0 && r < rows {
        let base = r * cols
        let lo = max(0, colBlock.lowerBound)
        let hi = min(cols, colBlock.upperBound)
        guard lo < hi else { continue }
        for c in lo..<hi {
          let i = base + c
          let x = i < v.count ? v[i] : 0
          let a = abs(x)
          if a > bestAbs {
            bestAbs = a
            best = x
          }
        }
      }
    }
    return best
  }

  /// Signed max-abs of the bias over a block of rows.
  private func biasValue(_ rowBlock: Range<Int>) -> Float {
    var best = Float.nan
    for r in rowBlock {
      let v = bias.flatMap { r < $0.count ? $0[r] : nil } ?? 0
      if !v.isNaN && (best.isNaN || abs(v) > abs(best)) { best = v }
    }
    return best
  }

  /// The visible rows, clamped to the matrix.
  private var visibleRows: Range<Int> { Heatmap.clamp(rowRange, to: max(0, rows)) }
  /// The visible columns, clamped to the matrix.
  private var visibleCols: Range<Int> { Heatmap.clamp(colRange, to: max(0, cols)) }

  private static func clamp(_ range: Range<Int>?, to count: Int) -> Range<Int> {
    guard let range else { return 0..<count }
    let lo = min(max(range.lowerBound, 0), count)
    return lo..<min(max(range.upperBound, lo), count)
  }

  /// Where everything goes for one area; `nil` when nothing can be drawn.
  struct Geometry {
    /// First visible matrix row and column.
    var rowStart: Int
    var colStart: Int
    /// Visible matrix rows and columns.
    var rowCount: Int
    var colCount: Int
    /// Output pixels down and across.
    var outRows: Int
    var outCols: Int
    /// 2 with half blocks, 1 with glyphs.
    var pixelsPerCell: Int
    /// Screen column of the bias, if drawn.
    var biasX: Int?

    /// Text rows used.
    var cellHeight: Int { (outRows + pixelsPerCell - 1) / pixelsPerCell }

    /// Matrix rows covered by output pixel row `i` (one row when magnified).
    func rowBlock(_ i: Int) -> Range<Int> {
      let lo = i * rowCount / outRows
      return rowStart + lo..<rowStart + max(lo + 1, (i + 1) * rowCount / outRows)
    }

    /// Matrix columns covered by output pixel column `j` (one column when magnified).
    func colBlock(_ j: Int) -> Range<Int> {
      let lo = j * colCount / outCols
      return colStart + lo..<colStart + max(lo + 1, (j + 1) * colCount / outCols)
    }

    /// The output pixel whose block holds matrix entry `m`: the unique i with
    /// ⌊i·r/R⌋ ≤ m < ⌊(i+1)·r/R⌋, which is ⌈(m+1)·R/r⌉ − 1.
    func pixel(of m: MatrixIndex) -> MatrixIndex? {
      let r = m.row - rowStart
      let c = m.col - colStart
      guard r >= 0, r < rowCount, c >= 0, c < colCount else { return nil }
      return MatrixIndex(
        row: ((r + 1) * outRows + rowCount - 1) / rowCount - 1,
        col: ((c + 1) * outCols + colCount - 1) / colCount - 1)
    }
  }

  /// Fits the visible part into `area` with one scale factor for both axes (see the type's
  /// documentation).
  func geometry(in area: Rect) -> Geometry? {
    let vr = visibleRows
    let vc = visibleCols
    let perCell = depth == .xterm256 ? 2 : 1
    let hasBias = bias != nil && area.width >= 3
    let availW = area.width - (hasBias ? 2 : 0)
    let availH = area.height * perCell
    guard !vr.isEmpty, !vc.isEmpty, availW > 0, availH > 0 else { return nil }
    let (r, c) = (vr.count, vc.count)
    var outRows = r
    var outCols = c
    if magnify && r <= availH && c <= availW {
      let f = max(1, min(availW / c, availH / r))
      outRows = r * f
      outCols = c * f
    } else if r > availH || c > availW {
      if r * availW >= c * availH {
        outRows = availH
        outCols = max(1, min(c, c * availH / r))
      } else {
        outCols = availW
        outRows = max(1, min(r, r * availW / c))
      }
    }
    return Geometry(
      rowStart: vr.lowerBound, colStart: vc.lowerBound, rowCount: r, colCount: c,
      outRows: outRows, outCols: outCols, pixelsPerCell: perCell,
      biasX: hasBias ? area.x + outCols + 1 : nil)
  }
}
