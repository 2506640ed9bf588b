import TMSCore
import TMSFiles
import TMSRender

extension Explorer {
  /// One small panel per instance, titled by its 1−S, showing its geometry (m = 2, 3) or its
  /// WᵀW; the focused instance is highlighted. Click or ←/→ (with the strip focused) or
  /// `n`/`N` to focus another instance. When they do not all fit, a window slides to keep
  /// the focused one visible.
  func drawSweep(
    _ buf: inout Buffer, _ area: Rect, _ snap: TrainingSnapshot, _ theme: Theme,
    minWidth: Int = 11, rowsOf: Int = 1
  ) {
    let count = snap.instances.count
    guard count > 0, area.width >= 4, area.height >= 3 else { return }
    let perRow = max(1, min(count, area.width / minWidth))
    let rows = max(1, min(rowsOf, (count + perRow - 1) / perRow))
    let visible = perRow * rows
    let focus = min(state.instance, count - 1)
    let first = count <= visible ? 0 : min(max(0, focus - visible / 2), count - visible)
    let rowAreas = area.split(.vertical, Array(repeating: .fill(1), count: rows))
    for r in 0..<rows {
      let cells = rowAreas[r].split(.horizontal, Array(repeating: .fill(1), count: perRow))
      for c in 0..<perRow {
        let k = first + r * perRow + c
        guard k < count else { continue }
        drawMiniInstance(&buf, cells[c], snap, k, theme)
        hits.add(cells[c], .instance(k))
      }
    }
    if first > 0 {
      buf.write("◀", x: area.x, y: area.y + area.height / 2, style: Style(fg: theme.accent))
    }
    if first + visible < count {
      buf.write("▶", x: area.right - 1, y: area.y + area.height / 2, style: Style(fg: theme.accent))
    }
  }

  func drawMiniInstance(
    _ buf: inout Buffer, _ area: Rect, _ snap: TrainingSnapshot, _ k: Int, _ theme: Theme
  ) {
    let inst = snap.instances[k]
    let focused = k == state.instance
    let p = meanProbability(snap, k)
    let inner = Block(
      title: Format.number(p, significant: 2), rightTitle: focused ? "●" : "",
      focused: focused, depth: theme.depth
    ).render(into: &buf, area: area)
    guard !inner.isEmpty else { return }
    let m = snap.config.hidden
    if m == 2 || m == 3 {
      var canvas = geometryCanvas(inst, hidden: m, theme: theme, labels: false)
      canvas.depth = theme.depth
      canvas.render(into: &buf, area: inner)
    } else {
      let n = snap.config.features
      Heatmap(
        rows: n, cols: n, values: inst.metrics.gram,
        colormap: DivergingColormap(scale: 1, depth: theme.depth)
      ).render(into: &buf, area: inner)
    }
  }
}
