import TMSCore
import TMSRender

/// WᵀW of the focused instance with b beside it, a colour legend, and the cursor's value.
///
/// Matrices larger than the panel are shown whole, scaled down; `z`/`Z` zoom around the
/// cursor (a viewport of ⌈n/zoom⌉ rows and columns that pans as the cursor moves).
struct HeatmapPanel: Panel {
  let context: PanelContext

  func render(into buf: inout Buffer, area: Rect) -> [HitRegion] {
    let ctx = context
    let state = ctx.state
    let inst = ctx.instance
    let n = ctx.snapshot.config.features
    let focused = state.focus == .heatmap
    let viewport = Self.viewport(n: n, zoom: state.zoom, cursor: state.cursor)
    let row = min(state.cursor.row, n - 1)
    let col = min(state.cursor.col, n - 1)
    let value = inst.metrics.gram[row * n + col]
    let readout = "W\(row)·W\(col) \(Format.signed(Double(value)))"
    // Zoomed: which rows × columns are on screen, e.g. ×2 [20–39]² or ×4 [0–9]×[30–39].
    var zoomText = ""
    if let rows = viewport.rows, let cols = viewport.cols {
      let r = "[\(rows.lowerBound)–\(rows.upperBound - 1)]"
      let c = "[\(cols.lowerBound)–\(cols.upperBound - 1)]"
      zoomText = " ×\(state.zoom) " + (rows == cols ? r + "²" : r + "×" + c)
    }
    let theme = ctx.theme
    let block = Block(
      title: zoomText.isEmpty ? "WᵀW  b" : "WᵀW" + zoomText, rightTitle: focused ? readout : "",
      focused: focused, depth: theme.depth)
    let inner = block.render(into: &buf, area: area)
    guard inner.height >= 2, inner.width >= 4 else { return [] }
    let map = Heatmap(
      rows: n, cols: n, values: inst.metrics.gram,
      colormap: DivergingColormap(scale: 1, depth: theme.depth), bias: inst.parameters.b,
      cursor: focused ? MatrixIndex(row: row, col: col) : nil, rowRange: viewport.rows,
      colRange: viewport.cols, magnify: true)
    let mapArea = Rect(x: inner.x, y: inner.y, width: inner.width, height: inner.height - 1)
    map.render(into: &buf, area: mapArea)
    let legendArea = Rect(x: inner.x, y: inner.bottom - 1, width: min(inner.width, 24), height: 1)
    ColorLegend(colormap: DivergingColormap(scale: 1, depth: theme.depth))
      .render(into: &buf, area: legendArea)
    if !focused && inner.width > legendArea.width + 8 {
      let hint = "b →"
      buf.write(
        hint, x: inner.right - hint.unicodeScalars.count, y: inner.bottom - 1,
        style: Style(fg: theme.muted))
    }
    return [HitRegion(mapArea, .heatmap(map, mapArea))]
  }

  /// The visible rows and columns at `zoom`, centred on the cursor.
  static func viewport(n: Int, zoom: Int, cursor: MatrixIndex) -> (
    rows: Range<Int>?, cols: Range<Int>?
  ) {
    guard zoom > 1, n > 1 else { return (nil, nil) }
    let size = max(2, (n + zoom - 1) / zoom)
    func window(_ c: Int) -> Range<Int> {
      let start = min(max(0, c - size / 2), max(0, n - size))
      return start..<min(n, start + size)
    }
    return (window(min(cursor.row, n - 1)), window(min(cursor.col, n - 1)))
  }
}
