import TMSCore
import TMSRender

/// For relu-hidden and abs (the models with a privileged basis): one column per neuron,
/// its features' weights W_{k,i} stacked upwards (positive) and downwards (negative) from
/// the axis, each feature in its own colour; neurons sorted by monosemanticity
/// max_i |W_{k,i}| / ‖W_k‖, and those above 0.99 marked ● (monosemantic). Weights under
/// 5% of the neuron's largest are left out of the stacks: a hundred near-zero weights
/// would otherwise pile up into a bar as tall as a real feature. Neuron numbers that do not
/// fit side by side are written downwards, one digit per row.
struct NeuronsPanel: Panel {
  let context: PanelContext

  func render(into buf: inout Buffer, area: Rect) -> [HitRegion] {
    let snap = context.snapshot
    let theme = context.theme
    let k = context.k
    let inst = snap.instances[k]
    let m = snap.config.hidden
    let n = snap.config.features
    let privileged = snap.config.model.hasHiddenReLU
    let weights: [[Double]] = (0..<m).map { j in (0..<n).map { Double(inst.parameters.W[$0][j]) } }
    let mono: [Double] = (0..<m).map { j in
      let row = weights[j]
      let norm = row.reduce(0) { $0 + $1 * $1 }.squareRoot()
      return norm > 0 ? (row.map(abs).max() ?? 0) / norm : 0
    }
    let order = (0..<m).sorted { (mono[$0], -$0) > (mono[$1], -$1) }
    let monoCount = mono.filter { $0 > 0.99 }.count
    let title =
      privileged
      ? "neurons #\(k): \(monoCount)/\(m) monosemantic (● max|W|/‖W‖ > 0.99)"
      : "neurons #\(k): \(snap.config.model.rawValue) has no privileged basis"
    let inner = Block(
      title: title,
      rightTitle: "1−S \(Format.number(context.meanProbability(k), significant: 2))",
      depth: theme.depth
    )
    .render(into: &buf, area: area)
    guard inner.height >= 5, inner.width >= 4 else { return [] }
    let colWidth = max(1, min(4, inner.width / max(1, m)))
    let digits = String(max(0, m - 1)).count
    let labelRows = colWidth > digits ? 1 : min(digits, max(1, inner.height - 5))
    let plotHeight = inner.height - 1 - labelRows
    let axis = inner.y + plotHeight / 2
    let half = Double(max(1, plotHeight / 2))
    let shown = min(m, inner.width / colWidth)
    let kept: [[Double]] = weights.map { row in
      let largest = row.map(abs).max() ?? 0
      return row.map { abs($0) >= 0.05 * largest ? $0 : 0 }
    }
    let maxStack = max(
      1e-6,
      (0..<m).map { j in
        max(kept[j].filter { $0 > 0 }.reduce(0, +), -kept[j].filter { $0 < 0 }.reduce(0, +))
      }.max() ?? 1)
    for (c, j) in order.prefix(shown).enumerated() {
      let x = inner.x + c * colWidth
      var up = 0.0
      var down = 0.0
      let features = (0..<n).sorted { abs(kept[j][$0]) > abs(kept[j][$1]) }
      for i in features where kept[j][i] != 0 {
        let w = kept[j][i]
        let cells = abs(w) / maxStack * half
        let color = theme.series(i, of: n)
        let start = w > 0 ? up : down
        let end = start + cells
        for level in Int(start.rounded())..<max(Int(start.rounded()), Int(end.rounded())) {
          let y = w > 0 ? axis - 1 - level : axis + level
          guard y >= inner.y, y < inner.y + plotHeight else { continue }
          for dx in 0..<max(1, colWidth - 1) {
            buf.set(
              x + dx, y, theme.depth == .monochrome ? (w > 0 ? "█" : "▒") : "█", Style(fg: color))
          }
        }
        if w > 0 { up = end } else { down = end }
      }
      if mono[j] > 0.99 && privileged {
        buf.set(x, inner.y + plotHeight, "●", Style(fg: theme.good, bold: true))
      }
      let label = String(j)
      if labelRows == 1 {
        buf.write(
          label, x: x, y: inner.y + plotHeight + 1, style: Style(fg: theme.muted),
          maxWidth: colWidth)
      } else {
        for (row, ch) in label.unicodeScalars.prefix(labelRows).enumerated() {
          buf.set(x, inner.y + plotHeight + 1 + row, ch, Style(fg: theme.muted))
        }
      }
    }
    // Colour key: feature identity, 0 … n−1, where there is room right of the neurons.
    let keyX = inner.x + shown * colWidth + 2
    let ramp = min(16, n)
    if inner.right - keyX >= ramp + 14 && n > 1 {
      var x = buf.write(
        "feature 0 ", x: keyX, y: inner.y + plotHeight + 1, style: Style(fg: theme.muted))
      for r in 0..<ramp {
        let i = ramp == 1 ? 0 : r * (n - 1) / (ramp - 1)
        buf.set(x, inner.y + plotHeight + 1, "█", Style(fg: theme.series(i, of: n)))
        x += 1
      }
      buf.write(" \(n - 1)", x: x, y: inner.y + plotHeight + 1, style: Style(fg: theme.muted))
    }
    if shown < m {
      buf.write(
        "… \(m - shown) more", x: inner.right - 10, y: inner.y, style: Style(fg: theme.muted),
        maxWidth: 10)
    }
    let axisStyle = Style(fg: theme.muted)
    for x in inner.x..<(inner.x + shown * colWidth) where buf[x, axis].symbol == " " {
      buf.set(x, axis, "┈", axisStyle)
    }
    return []
  }
}
