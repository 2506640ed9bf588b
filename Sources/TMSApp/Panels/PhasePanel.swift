import TMSCore
import TMSRender

/// The phase view: the diagram of the running ``PhaseSweep`` on the left, the cell under
/// the cursor on the right.
///
/// The grid has feature probability p down (row 0 = 1, dense) and relative importance r
/// across (log axes), one terminal row and up to four columns per cell; a larger grid than
/// fits is subsampled. A finished cell is coloured as in the paper from its extra feature
/// (see ``Palette/phase(norm:superposition:)``): white = not learned, blue = a dedicated
/// dimension, red = superposition, blends between. `·` marks a cell still training, `*` a cell
/// that shows a prototype solution because it beats every trained seed. The analytic
/// prototype boundaries are drawn over the cells: `▁` under the last cell (per column) where
/// superposition loses, p > p*(r), and `▏` at r = 1 where the label changes across it — in
/// 2→1 above p*(1) = 4/7 (not learned | dedicated), in 3→2 at every p (the extra feature is
/// dedicated for every r > 1, not learned or in superposition for r < 1). In monochrome the
/// labels are shades (`░` not learned, `▒` dedicated, `█` superposition).
struct PhasePanel: Panel {
  let context: PanelContext
  var state: ExplorerState { context.state }

  func render(into buf: inout Buffer, area body: Rect) -> [HitRegion] {
    let theme = context.theme
    guard let result = context.phase else {
      let lines = [
        "no phase diagram is training",
        "press p and load phase-2-1 or phase-3-2 (or start tms with --preset phase-2-1)",
      ]
      for (i, line) in lines.enumerated() {
        let x = body.x + max(0, (body.width - line.count) / 2)
        buf.write(
          line, x: x, y: body.y + body.height / 2 - 1 + i,
          style: Style(fg: i == 0 ? theme.title : theme.muted, bold: i == 0),
          maxWidth: body.width)
      }
      return []
    }
    let side = min(36, max(28, body.width / 3))
    let cols = body.split(.horizontal, [.fill(1), .length(side)])
    let layout = PhaseGridLayout(result: result, area: cols[0])
    let hits = drawPhaseGrid(&buf, layout, result, theme)
    drawPhaseCell(&buf, cols[1], result, theme)
    return hits
  }

  /// The diagram: title, p labels, cells, boundaries, cursor and the r axis.
  func drawPhaseGrid(
    _ buf: inout Buffer, _ layout: PhaseGridLayout, _ result: PhaseSweepResult, _ theme: Theme
  ) -> [HitRegion] {
    var hits: [HitRegion] = []
    let a = layout.area
    let c = result.config
    let status =
      result.failure != nil
      ? "failed" : result.cancelled ? "cancelled" : result.isComplete ? "done" : "training"
    let right = "\(status) \(result.completed)/\(result.total)"
    // The title says as much as fits beside the progress.
    let seeds = c.seedCap > c.seeds ? "\(c.seeds)–\(c.seedCap)" : "\(c.seeds)"
    let pieces = [
      "\(c.features)→\(c.hidden) phase diagram", " · best of \(seeds)",
      " · \(Format.count(c.training.steps)) steps",
    ]
    var title = ""
    for piece in pieces where title.count + piece.count + right.count + 1 <= a.width {
      title += piece
    }
    buf.write(title, x: a.x, y: a.y, style: Style(fg: theme.title, bold: true), maxWidth: a.width)
    buf.write(
      right, x: max(a.x, a.right - right.count), y: a.y,
      style: Style(fg: result.isComplete ? theme.good : theme.warn), maxWidth: a.width)
    guard layout.rows > 0, layout.columns > 0 else { return hits }
    let mono = theme.depth == .monochrome
    let boundary = result.analyticBoundary
    let denseBoundary = PhaseSweep.analyticBoundary(features: c.features, relativeImportance: 1)
    // In 3→2 the label changes across r = 1 at every p; in 2→1 only above p*(1).
    let wholeLine = c.features == 3
    let h = layout.rowHeight
    let w = layout.cellWidth
    for i in 0..<layout.rows {
      let gr = layout.gridRow(i)
      let p = result.featureProbability[gr]
      if i == 0 || i == layout.rows - 1 || (i % 5 == 0 && i < layout.rows - 2) {
        buf.write(
          Format.number(p, significant: 2), x: a.x, y: layout.y(row: i),
          style: Style(fg: theme.muted), maxWidth: layout.labelWidth - 1)
      }
      for j in 0..<layout.columns {
        let gc = layout.gridColumn(j)
        let cell = result.cells[gr][gc]
        var base = Style()
        var shade: Unicode.Scalar = " "
        if let cell {
          if mono {
            shade =
              switch cell.label {
              case .notLearned: "░"
              case .dedicated: "▒"
              case .superposition: "█"
              }
          } else {
            base.bg = Self.color(cell).terminal
          }
        } else {
          base.fg = theme.muted
        }
        let line = Style(fg: mono ? .terminalDefault : .indexed(16), bg: base.bg, bold: true)
        // Mono keeps the first column's shade under the boundary glyphs, so the label stays.
        let overlayFrom = mono && cell != nil && w > 1 ? 1 : 0
        // p*(r) lies between this row and the next shown one: underline the cell.
        var underline = false
        if let boundary, i + 1 < layout.rows {
          let k = layout.boundaryRow(probability: boundary[gc], result: result)
          underline = gr <= k && k < layout.gridRow(i + 1)
        }
        // r = 1 falls just before this column, above p*(1) = 4/7.
        var leftLine = false
        if boundary != nil, j > 0, p > denseBoundary || wholeLine {
          let r0 = result.relativeImportance[layout.gridColumn(j - 1)]
          leftLine = r0 < 1 && result.relativeImportance[gc] >= 1 && overlayFrom == 0
        }
        let isCursor = state.phaseCursor.row == gr && state.phaseCursor.col == gc
        let cursorLine = (h - 1) / 2
        for q in 0..<h {
          var glyphs = [Unicode.Scalar](repeating: shade, count: w)
          var styles = [Style](repeating: base, count: w)
          if cell == nil && q == 0 { glyphs[0] = "·" }
          if cell?.prototype != nil && q == 0 {
            glyphs[w - 1] = "*"
            styles[w - 1] = line
          }
          if underline && q == h - 1 {
            for k in overlayFrom..<w {
              glyphs[k] = "▁"
              styles[k] = line
            }
          }
          if leftLine {
            glyphs[0] = "▏"
            styles[0] = line
          }
          if isCursor && q == cursorLine {
            let light = cell.map { Self.color($0).isLight } ?? true
            let cursor = Style(
              fg: mono ? .terminalDefault : (light ? .indexed(16) : .indexed(231)), bg: base.bg,
              bold: true, reverse: mono)
            if w >= 2 {
              glyphs[0] = "["
              glyphs[w - 1] = "]"
              styles[0] = cursor
              styles[w - 1] = cursor
            } else {
              glyphs[0] = "◆"
              styles[0] = cursor
            }
          }
          let x = layout.x(column: j)
          let y = layout.y(row: i) + q
          for k in 0..<w { buf.set(x + k, y, glyphs[k], styles[k]) }
        }
        hits.append(
          HitRegion(
            Rect(x: layout.x(column: j), y: layout.y(row: i), width: w, height: h),
            .phaseCell(MatrixIndex(row: gr, col: gc))))
      }
    }
    // r axis: the first column, then 0.1, 1 and 10 where they fall (the nearest column's r).
    let axisY = layout.y(row: layout.rows)
    guard axisY < a.bottom else { return hits }
    buf.write("r→", x: a.x, y: axisY, style: Style(fg: theme.muted))
    var taken = 0
    var used = Set<Int>()
    for mark in [
      result.relativeImportance.first ?? 0.1, 0.1, 1, 10, result.relativeImportance.last ?? 10,
    ] {
      guard let j = layout.column(nearest: mark, result: result), !used.contains(j) else {
        continue
      }
      let text = Format.number(result.relativeImportance[layout.gridColumn(j)], significant: 2)
      let x = max(layout.x(column: j), taken)
      guard x + text.count <= a.right else { continue }
      used.insert(j)
      buf.write(text, x: x, y: axisY, style: Style(fg: theme.muted))
      taken = x + text.count + 1
    }
    return hits
  }

  /// The side panel: the cursor cell's label, norm, superposition, losses and weights, and
  /// a colour key.
  func drawPhaseCell(_ buf: inout Buffer, _ area: Rect, _ result: PhaseSweepResult, _ theme: Theme)
  {
    let g = result.config.grid
    let row = min(state.phaseCursor.row, g - 1)
    let col = min(state.phaseCursor.col, g - 1)
    let p = result.featureProbability[row]
    let r = result.relativeImportance[col]
    let inner = Block(
      title: "p \(Format.number(p, significant: 2))  r \(Format.number(r, significant: 2))",
      rightTitle: "\(row),\(col)", focused: true, depth: theme.depth
    ).render(into: &buf, area: area)
    guard inner.width >= 8, inner.height >= 3 else { return }
    var lines: [(String, Style)] = []
    let muted = Style(fg: theme.muted)
    let e = result.config.extraFeature
    if let cell = result.cells[row][col] {
      var labelStyle = Style(fg: Self.color(cell).terminal, bold: true)
      if Self.color(cell).isLight { labelStyle.fg = theme.title }
      lines.append(("■ " + Self.words(cell.label), labelStyle))
      lines.append(
        (
          "‖W_\(e)‖ \(Format.number(cell.norm, significant: 3))  s_\(e) "
            + Format.number(cell.superposition, significant: 2), Style()
        ))
      if let q = cell.prototype {
        lines.append(("* prototype \(q.rawValue)", Style(fg: theme.warn, bold: true)))
        lines.append(("loss \(Format.number(cell.loss, significant: 3)) < every seed", Style()))
        lines.append(("best seed: \(Self.words(cell.trainedLabel))", muted))
        lines.append(
          (
            "seed loss \(Format.number(cell.trainedLoss, significant: 3)) (#\(cell.winningSeed + 1))",
            muted
          ))
      } else {
        lines.append(
          (
            "loss \(Format.number(cell.loss, significant: 3)) (seed \(cell.winningSeed + 1)"
              + " of \(cell.seedLosses.count))", Style()
          ))
      }
      lines.append(
        ("seeds " + cell.seedLabels.map { String($0.symbol) }.joined(separator: " "), muted))
      if let analytic = cell.analyticLabel {
        let agree = analytic == cell.label ? "=" : "≠"
        lines.append(("analytic \(agree) " + Self.words(analytic), muted))
      }
      if let b = result.analyticBoundary {
        lines.append(("p*(r) \(Format.number(b[col], significant: 3))", muted))
      }
      lines.append(("W_i (direction)  b_i", Style(fg: theme.title, bold: true)))
      let w = cell.parameters.W
      for i in w.indices {
        let dir = w[i].map { Format.signed(Double($0), significant: 2) }.joined(separator: " ")
        let bias = i < cell.parameters.b.count ? Double(cell.parameters.b[i]) : 0
        let mark = i == e ? "*" : " "
        lines.append(("\(i)\(mark) \(dir)  \(Format.signed(bias, significant: 2))", Style()))
      }
    } else {
      lines.append(("training…", Style(fg: theme.warn)))
      if let b = result.analyticBoundary {
        lines.append(("p*(r) \(Format.number(b[col], significant: 3))", muted))
      }
    }
    let marked = !result.prototypeCells.isEmpty
    let legendRows = (result.analyticBoundary == nil ? 4 : 5) + (marked ? 1 : 0)
    for (k, (text, style)) in lines.enumerated() where k < inner.height - legendRows {
      buf.write(text, x: inner.x, y: inner.y + k, style: style, maxWidth: inner.width)
    }
    // Colour key at the bottom.
    let mono = theme.depth == .monochrome
    var key: [(Unicode.Scalar, Color?, String)] = [
      (mono ? "░" : " ", Palette.notLearned.terminal, "not learned"),
      (mono ? "▒" : " ", Palette.dedicated.terminal, "dedicated dimension"),
      (mono ? "█" : " ", Palette.superposition.terminal, "superposition"),
      ("·", nil, "training"),
    ]
    if result.analyticBoundary != nil { key.append(("▁", nil, "analytic boundary")) }
    if marked { key.append(("*", nil, "prototype beats seeds")) }
    var y = inner.bottom - key.count
    guard y >= inner.y else { return }
    for (glyph, color, text) in key {
      var s = Style()
      if let color, !mono { s.bg = color }
      buf.set(inner.x, y, glyph, s)
      buf.set(inner.x + 1, y, glyph, s)
      buf.write(text, x: inner.x + 3, y: y, style: muted, maxWidth: inner.width - 3)
      y += 1
    }
  }

  /// `not learned`, `dedicated`, `superposition`.
  static func words(_ label: PhaseLabel) -> String {
    switch label {
    case .notLearned: "not learned"
    case .dedicated: "dedicated"
    case .superposition: "superposition"
    }
  }

  /// A cell's colour, the paper's blend of its extra feature's norm and superposition.
  static func color(_ cell: PhaseCell) -> RGB {
    Palette.phase(norm: cell.norm, superposition: cell.superposition)
  }
}

/// Where the phase grid's cells go in an area: one terminal row per grid row and up to four
/// columns per cell, subsampling rows or columns that do not fit.
struct PhaseGridLayout {
  /// The whole grid panel (title row, cells, axis row).
  let area: Rect
  /// G.
  let grid: Int
  /// Columns for the p labels.
  let labelWidth = 6
  /// Grid rows shown.
  let rows: Int
  /// Cells across.
  let columns: Int
  /// Terminal columns per cell.
  let cellWidth: Int
  /// Terminal rows per cell (1 to 3, 1 when subsampled).
  let rowHeight: Int

  init(result: PhaseSweepResult, area: Rect) {
    self.area = area
    grid = result.config.grid
    rows = max(0, min(grid, area.height - 2))
    let across = max(0, area.width - labelWidth)
    columns = min(grid, across)
    cellWidth = columns == grid ? max(1, min(4, across / max(1, grid))) : 1
    rowHeight = rows == grid ? max(1, min(3, (area.height - 2) / max(1, grid))) : 1
  }

  /// The grid row terminal row i shows.
  func gridRow(_ i: Int) -> Int { rows >= grid ? i : i * grid / max(1, rows) }
  /// The grid column cell column j shows.
  func gridColumn(_ j: Int) -> Int { columns >= grid ? j : j * grid / max(1, columns) }
  /// Screen row of the top of grid row i (i = rows: the axis row below the grid).
  func y(row i: Int) -> Int { area.y + 1 + i * rowHeight }
  /// Screen column of cell column j.
  func x(column j: Int) -> Int { area.x + labelWidth + j * cellWidth }

  /// The last grid row with p ≥ p*: the boundary lies between it and the next row (−1 when
  /// p* is above the first row, G − 1 when below the last), from the log-spaced rows.
  func boundaryRow(probability b: Double, result: PhaseSweepResult) -> Int {
    let ps = result.featureProbability
    var k = -1
    for (i, p) in ps.enumerated() where p >= b { k = i }
    return k
  }

  /// The cell column whose r is nearest `r` in log terms, if within half a grid step.
  func column(nearest r: Double, result: PhaseSweepResult) -> Int? {
    guard columns > 0, r > 0 else { return nil }
    let rs = result.relativeImportance
    let step = rs.count > 1 ? abs(logD(rs[1] / rs[0])) : 1
    var best: (Int, Double)?
    for j in 0..<columns {
      let d = abs(logD(rs[gridColumn(j)] / r))
      if best == nil || d < best!.1 { best = (j, d) }
    }
    guard let (j, d) = best, d <= step / 2 + 1e-9 else { return nil }
    return j
  }
}

extension PhasePanel {
  /// Arrow keys and h j k l in the phase view: ↑ denser (row − 1), ↓ sparser, ← smaller r,
  /// → larger r, clamped to the grid. Returns false for any other key.
  static func handle(_ key: Key, _ state: inout ExplorerState) -> Bool {
    let g = state.phaseGrid ?? 1
    var c = state.phaseCursor
    switch key {
    case .up, .char("k"): c.row -= 1
    case .down, .char("j"): c.row += 1
    case .left, .char("h"): c.col -= 1
    case .right, .char("l"): c.col += 1
    default: return false
    }
    state.phaseCursor = MatrixIndex(row: min(max(0, c.row), g - 1), col: min(max(0, c.col), g - 1))
    return true
  }
}
