import Testing

@testable import TMSRender

@Suite struct HeatmapTests {
  /// 4×3 matrix whose rows are distinct enough to tell them apart by colour.
  let matrix: [Float] = [
    -1, 0, 1,
    1, -1, 0,
    0.5, 0, -0.5,
    0, 1, -1,
  ]

  @Test func halfBlocksCarryTwoRowsPerCell() {
    let map = DivergingColormap()
    let buffer = draw(3, 2) { b, a in
      Heatmap(rows: 4, cols: 3, values: matrix).render(into: &b, area: a)
    }
    #expect(buffer.lines == ["▀▀▀", "▀▀▀"])
    #expect(isBlueish(buffer[0, 0].style.fg))
    #expect(isReddish(buffer[0, 0].style.bg))
    #expect(isNeutral(buffer[1, 0].style.fg))
    #expect(isBlueish(buffer[1, 0].style.bg))
    #expect(isReddish(buffer[2, 0].style.fg))
    for row in 0..<2 {
      for col in 0..<3 {
        #expect(buffer[col, row].style.fg == map.color(for: matrix[(2 * row) * 3 + col]))
        #expect(buffer[col, row].style.bg == map.color(for: matrix[(2 * row + 1) * 3 + col]))
      }
    }
  }

  @Test func oddRowCountLeavesTheLastLowerHalfEmpty() {
    let buffer = draw(2, 3) { b, a in
      Heatmap(rows: 3, cols: 2, values: [1, 1, 1, 1, -1, -1]).render(into: &b, area: a)
    }
    #expect(buffer.text == "▀▀\n▀▀\n")
    #expect(isBlueish(buffer[0, 1].style.fg))
    #expect(buffer[0, 1].style.bg == .terminalDefault)
  }

  @Test func downscalingKeepsTheSignedLargestMagnitude() {
    var values = [Float](repeating: 0.1, count: 16)
    values[1] = -0.9
    values[15] = 1
    let buffer = draw(4, 1) { b, a in
      Heatmap(rows: 4, cols: 4, values: values).render(into: &b, area: a)
    }
    // Two pixel rows fit, so the 4×4 matrix becomes 2×2 pixels (aspect kept): 2 cells.
    #expect(buffer.lines == ["▀▀  "])
    let map = DivergingColormap()
    #expect(buffer[0, 0].style.fg == map.color(for: -0.9))
    #expect(buffer[0, 0].style.bg == map.color(for: 0.1))
    #expect(buffer[1, 0].style.fg == map.color(for: 0.1))
    #expect(buffer[1, 0].style.bg == map.color(for: 1))
  }

  @Test func downscalingKeepsTheAspectRatio() {
    let values = [Float](repeating: 1, count: 2 * 16)
    let buffer = draw(4, 4) { b, a in
      Heatmap(rows: 2, cols: 16, values: values).render(into: &b, area: a)
    }
    #expect(buffer.lines == ["▀▀▀▀", "    ", "    ", "    "])
    #expect(buffer[0, 0].style.bg == .terminalDefault)
  }

  @Test func viewportZoomsIntoARange() {
    let buffer = draw(4, 2) { b, a in
      Heatmap(rows: 4, cols: 3, values: matrix, rowRange: 2..<4, colRange: 1..<3)
        .render(into: &b, area: a)
    }
    let map = DivergingColormap()
    #expect(buffer.lines == ["▀▀  ", "    "])
    #expect(buffer[0, 0].style.fg == map.color(for: 0))
    #expect(buffer[0, 0].style.bg == map.color(for: 1))
    #expect(buffer[1, 0].style.fg == map.color(for: -0.5))
    #expect(buffer[1, 0].style.bg == map.color(for: -1))
  }

  @Test func cursorIsHighlightedAndItsValueExposed() {
    let heatmap = Heatmap(
      rows: 4, cols: 3, values: matrix, cursor: MatrixIndex(row: 1, col: 2))
    let buffer = draw(3, 2) { b, a in heatmap.render(into: &b, area: a) }
    #expect(buffer[2, 0].style.bg == .indexed(46))
    #expect(isReddish(buffer[2, 0].style.fg))
    #expect(buffer[2, 1].style.bg != .indexed(46))
    #expect(heatmap.cursorValue == 0)
    #expect(
      Heatmap(rows: 4, cols: 3, values: matrix, cursor: MatrixIndex(row: 2, col: 0)).cursorValue
        == 0.5)
    #expect(
      Heatmap(rows: 1, cols: 1, values: [1], cursor: MatrixIndex(row: 3, col: 0)).cursorValue == nil
    )
  }

  @Test func biasColumnSitsAfterAOneCellGap() {
    let buffer = draw(5, 1) { b, a in
      Heatmap(rows: 2, cols: 2, values: [0, 0, 0, 0], bias: [1, -1]).render(into: &b, area: a)
    }
    #expect(buffer.lines == ["▀▀ ▀ "])
    #expect(isReddish(buffer[3, 0].style.fg))
    #expect(isBlueish(buffer[3, 0].style.bg))
    #expect(buffer[2, 0] == .blank)
  }

  @Test func monochromeUsesOneRowPerLineAndShadeGlyphs() {
    let heatmap = Heatmap(
      rows: 2, cols: 3, values: [1, 0.5, 0, -1, -0.5, 0.25],
      colormap: DivergingColormap(depth: .monochrome), bias: [0.5, -1])
    let buffer = draw(6, 3) { b, a in heatmap.render(into: &b, area: a) }
    #expect(buffer.lines == ["█▒  ▒ ", "≡-░ ≡ ", "      "])
    #expect(isColourless(buffer))
    #expect(heatmap.preferredSize == (5, 2))
  }

  @Test func monochromeCursorIsReverseVideo() {
    let buffer = draw(3, 2) { b, a in
      Heatmap(
        rows: 2, cols: 2, values: [0, 0, 0, 0], colormap: DivergingColormap(depth: .monochrome),
        cursor: MatrixIndex(row: 1, col: 0)
      ).render(into: &b, area: a)
    }
    #expect(buffer[0, 1].style.reverse)
    #expect(!buffer[0, 0].style.reverse && !buffer[1, 1].style.reverse)
  }

  @Test func ansi8UsesColouredShadeGlyphs() {
    let buffer = draw(2, 1) { b, a in
      Heatmap(rows: 1, cols: 2, values: [-1, 0.5], colormap: DivergingColormap(depth: .ansi8))
        .render(into: &b, area: a)
    }
    #expect(buffer.lines == ["█▒"])
    #expect(buffer[0, 0].style == Style(fg: .indexed(4), bold: true))
    #expect(buffer[1, 0].style.fg == .indexed(1))
  }

  @Test func clicksMapBackToMatrixEntries() {
    let heatmap = Heatmap(rows: 4, cols: 3, values: matrix)
    let area = Rect(x: 2, y: 1, width: 10, height: 5)
    #expect(heatmap.index(atColumn: 3, row: 2, in: area) == MatrixIndex(row: 2, col: 1))
    #expect(heatmap.index(atColumn: 2, row: 1, in: area) == MatrixIndex(row: 0, col: 0))
    #expect(heatmap.index(atColumn: 5, row: 1, in: area) == nil)
    #expect(heatmap.index(atColumn: 2, row: 3, in: area) == nil)
  }

  /// For any matrix and pixel counts, the pixel chosen for an entry covers that entry.
  @Test func cursorPixelAlwaysCoversItsEntry() {
    for rows in 1...9 {
      for outRows in 1...rows {
        let g = Heatmap.Geometry(
          rowStart: 0, colStart: 0, rowCount: rows, colCount: rows, outRows: outRows,
          outCols: outRows, pixelsPerCell: 2, biasX: nil)
        for r in 0..<rows {
          let p = g.pixel(of: MatrixIndex(row: r, col: r))
          #expect(
            p.map { g.rowBlock($0.row).contains(r) && g.colBlock($0.col).contains(r) } == true)
        }
      }
    }
  }

  @Test func emptyAndShortInputsDrawSafely() {
    let empty = draw(3, 2) { b, a in Heatmap(rows: 0, cols: 3, values: []).render(into: &b, area: a)
    }
    #expect(empty.text == "\n")
    let short = draw(2, 1) { b, a in
      Heatmap(rows: 2, cols: 2, values: [1]).render(into: &b, area: a)
    }
    #expect(isReddish(short[0, 0].style.fg))
    #expect(isNeutral(short[1, 0].style.fg))
  }
}

@Suite struct ColorLegendTests {
  @Test func twoRowLegendWithThreeLabels() {
    let buffer = draw(9, 2) { b, a in
      ColorLegend(colormap: DivergingColormap()).render(into: &b, area: a)
    }
    #expect(buffer.lines == ["█████████", "-1  0  +1"])
    #expect(buffer[0, 0].style.fg == DivergingColormap().color(for: -1))
    #expect(isBlueish(buffer[0, 0].style.fg))
    #expect(isNeutral(buffer[4, 0].style.fg))
    #expect(buffer[8, 0].style.fg == DivergingColormap().color(for: 1))
    #expect(isReddish(buffer[8, 0].style.fg))
  }

  @Test func monochromeLegendShowsTheGlyphEncoding() {
    let buffer = draw(9, 2) { b, a in
      ColorLegend(colormap: DivergingColormap(scale: 0.5, depth: .monochrome))
        .render(into: &b, area: a)
    }
    #expect(buffer.lines == ["≡=-· ░▒▓█", "-0.5 +0.5"])
    #expect(isColourless(buffer))
  }

  @Test func oneRowLegend() {
    let buffer = draw(9, 1) { b, a in
      ColorLegend(colormap: DivergingColormap(scale: 2)).render(into: &b, area: a)
    }
    #expect(buffer.lines == ["-2 ███ +2"])
  }

  @Test func sequentialLabels() {
    let legend = ColorLegend(colormap: SequentialColormap())
    #expect(legend.labels == ("0", "0.5", "1"))
    let buffer = draw(11, 2) { b, a in legend.render(into: &b, area: a) }
    #expect(buffer.lines[1] == "0   0.5   1")
  }
}
