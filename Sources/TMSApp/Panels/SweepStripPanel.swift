import TMSCore
import TMSRender

/// One small panel per instance, titled by its 1−S, showing its geometry (m = 2, 3) or its
/// WᵀW; the focused instance is highlighted. Click or ←/→ (with the strip focused) or
/// `n`/`N` to focus another instance. When they do not all fit, a window slides to keep
/// the focused one visible.
struct SweepStripPanel: Panel {
  let context: PanelContext
  /// The narrowest small panel.
  var minWidth = 11
  /// Rows of small panels.
  var rows = 1

  func render(into buf: inout Buffer, area: Rect) -> [HitRegion] {
    let snap = context.snapshot
    let theme = context.theme
    let count = snap.instances.count
    guard count > 0, area.width >= 4, area.height >= 3 else { return [] }
    let perRow = max(1, min(count, area.width / minWidth))
    let rows = max(1, min(self.rows, (count + perRow - 1) / perRow))
    let visible = perRow * rows
    let focus = context.k
    let first = count <= visible ? 0 : min(max(0, focus - visible / 2), count - visible)
    let rowAreas = area.split(.vertical, Array(repeating: .fill(1), count: rows))
    var hits: [HitRegion] = []
    for r in 0..<rows {
      let cells = rowAreas[r].split(.horizontal, Array(repeating: .fill(1), count: perRow))
      for c in 0..<perRow {
        let k = first + r * perRow + c
        guard k < count else { continue }
        drawInstance(&buf, cells[c], k)
        hits.append(HitRegion(cells[c], .instance(k)))
      }
    }
    if first > 0 {
      buf.write("◀", x: area.x, y: area.y + area.height / 2, style: Style(fg: theme.accent))
    }
    if first + visible < count {
      buf.write("▶", x: area.right - 1, y: area.y + area.height / 2, style: Style(fg: theme.accent))
    }
    return hits
  }

  func drawInstance(_ buf: inout Buffer, _ area: Rect, _ k: Int) {
    let snap = context.snapshot
    let theme = context.theme
    let inst = snap.instances[k]
    let focused = k == context.state.instance
    let inner = Block(
      title: Format.number(context.meanProbability(k), significant: 2),
      rightTitle: focused ? "●" : "", focused: focused, depth: theme.depth
    ).render(into: &buf, area: area)
    guard !inner.isEmpty else { return }
    let m = snap.config.hidden
    if m == 2 || m == 3 {
      GeometryCanvas(
        instance: inst, hidden: m, yaw: context.state.yaw, pitch: context.state.pitch,
        theme: theme, labels: false
      ).canvas().render(into: &buf, area: inner)
    } else {
      let n = snap.config.features
      Heatmap(
        rows: n, cols: n, values: inst.metrics.gram,
        colormap: DivergingColormap(scale: 1, depth: theme.depth)
      ).render(into: &buf, area: inner)
    }
  }
}

/// A line naming the focused instance's arrangement (under the sweep view's strip).
struct InstanceLabelPanel: Panel {
  let context: PanelContext

  func render(into buf: inout Buffer, area: Rect) -> [HitRegion] {
    buf.write(
      "#\(context.k): " + context.instance.metrics.geometry.text, x: area.x, y: area.y,
      style: Style(fg: context.theme.title, bold: true), maxWidth: area.width)
    return []
  }
}
